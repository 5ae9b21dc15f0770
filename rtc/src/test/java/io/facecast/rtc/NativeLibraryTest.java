package io.facecast.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeLibraryTest {
    @Test
    void namesTheMissingLibraryAndItsPackageInOneLine() {
        String line = NativeLibrary.explain("/tmp/webrtc-java-linux-x86_641234.so: libpulse.so.0: cannot open shared "
                + "object file: No such file or directory");
        assertTrue(line.contains("libpulse.so.0 (Debian package libpulse0)"), line);
        assertTrue(line.contains("apt-get install -y libpulse0 libudev1"), line);
        assertFalse(line.contains("\n"), line);
        assertTrue(NativeLibrary.explain("/tmp/x.so: libXrandr.so.2: cannot open shared object file")
                .contains("(Debian package libxrandr2)"));
    }

    @Test
    void anUnknownLibraryIsStillNamed() {
        String line = NativeLibrary.explain("/tmp/x.so: libfoo.so.9: cannot open shared object file");
        assertTrue(line.contains("needs libfoo.so.9:"), line);
    }

    @Test
    void loadsOnThisMachine() {
        assertEquals(java.util.Optional.empty(), NativeLibrary.loadProblem());
    }
}
