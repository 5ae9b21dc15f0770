package io.facecast.rtc;

import dev.onvoid.webrtc.internal.NativeLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * webrtc-java's native library, loaded up front so that a process which needs it (streamer, CLI receiver) can stop
 * with one line naming the missing Debian package, instead of a Guice stack trace ending in UnsatisfiedLinkError
 * the first time a peer connection factory is made. The package list is scripts/ensure-deps.sh's "run" group.
 */
public final class NativeLibrary {
    /** Shared objects webrtc-java's linux-x86_64 library links that a minimal Debian lacks, and their packages. */
    private static final Map<String, String> PACKAGES = new LinkedHashMap<>();
    static {
        PACKAGES.put("libpulse.so.0", "libpulse0");
        PACKAGES.put("libpulse-simple.so.0", "libpulse0");
        PACKAGES.put("libudev.so.1", "libudev1");
        PACKAGES.put("libX11.so.6", "libx11-6");
        PACKAGES.put("libXfixes.so.3", "libxfixes3");
        PACKAGES.put("libXrandr.so.2", "libxrandr2");
        PACKAGES.put("libXcomposite.so.1", "libxcomposite1");
        PACKAGES.put("libdbus-1.so.3", "libdbus-1-3");
    }
    /** Every package of the run group: one missing library usually means a bare machine missing all of them. */
    public static final String ALL_PACKAGES = "libpulse0 libudev1 libx11-6 libxfixes3 libxrandr2 libxcomposite1 libdbus-1-3";
    private static final Pattern SHARED_OBJECT = Pattern.compile("(lib[\\w.+-]+\\.so(\\.\\d+)*)");

    private NativeLibrary() {
    }

    /** Loads the library; empty when it loaded, else one line saying what to install. */
    public static Optional<String> loadProblem() {
        try {
            NativeLoader.loadLibrary("webrtc-java");
            return Optional.empty();
        } catch (UnsatisfiedLinkError e) {
            return Optional.of(explain(e.getMessage()));
        } catch (Exception e) {
            return Optional.of("webrtc-java's native library could not be loaded: " + e.getMessage());
        }
    }

    /**
     * One line from the loader's message, e.g. ".../libwebrtc-java.so: libpulse.so.0: cannot open shared object
     * file" gives "... needs libpulse.so.0 (Debian package libpulse0): apt-get install -y ...".
     */
    static String explain(String loaderMessage) {
        String message = loaderMessage == null ? "" : loaderMessage;
        String missing = null;
        int colon = message.indexOf(": ");
        Matcher m = SHARED_OBJECT.matcher(colon >= 0 ? message.substring(colon + 2) : message);
        if (m.find()) {
            missing = m.group(1);
        }
        String pkg = missing == null ? null : PACKAGES.get(missing);
        String what = missing == null ? "a system library (" + message + ")"
                : missing + (pkg == null ? "" : " (Debian package " + pkg + ")");
        return "webrtc-java's native library needs " + what + ": install with `sudo apt-get install -y " + ALL_PACKAGES
                + "` (or scripts/ensure-deps.sh run, as root)";
    }

    /** For a process's main: prints the problem as one line on stderr and exits 1 when the library cannot load. */
    public static void requireOrExit(String process) {
        Optional<String> problem = loadProblem();
        if (problem.isPresent()) {
            System.err.println(process + ": " + problem.get());
            System.exit(1);
        }
    }
}
