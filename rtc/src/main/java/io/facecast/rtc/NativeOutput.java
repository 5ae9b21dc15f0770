package io.facecast.rtc;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * webrtc-java's native code writes to the process's stdout with std::cout, past Java's logging: when one of its
 * threads ends while a factory is disposed (or the JVM exits), it prints "VM attach current thread failed" and
 * "Failed to attach thread N" (JavaThreadEnv, webrtc-java 0.14). Its Logging API does not reach those lines, so a
 * process that has said everything it will say points file descriptor 1 at /dev/null before tearing webrtc-java
 * down. Java's System.out shares that descriptor: call this only when nothing more is to be printed.
 */
public final class NativeOutput {
    private static final Logger log = LoggerFactory.getLogger(NativeOutput.class);
    private static final int STDOUT = 1;
    private static final int O_WRONLY = 1;

    private interface LibC extends Library {
        int open(String path, int flags);

        int dup2(int from, int to);

        int close(int fd);
    }

    private NativeOutput() {
    }

    /** Flushes Java's stdout and points the process's stdout at /dev/null; false (and nothing changed) on failure. */
    public static boolean silenceStdout() {
        System.out.flush();
        try {
            LibC libc = Native.load("c", LibC.class);
            int devNull = libc.open("/dev/null", O_WRONLY);
            if (devNull < 0) {
                return false;
            }
            int result = libc.dup2(devNull, STDOUT);
            libc.close(devNull);
            return result == STDOUT;
        } catch (LinkageError | RuntimeException e) {
            log.debug("native stdout stays as it is: {}", e.toString());
            return false;
        }
    }
}
