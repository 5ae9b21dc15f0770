package io.facecast.renderer.tts.espeak;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/** espeak-ng tests run where it is installed, and must run in CI (FACECAST_REQUIRE_ESPEAK=1, set by .ci/run). */
public final class EspeakInstalled {
    private EspeakInstalled() {}

    public static EspeakSynthesizer get() {
        var e = EspeakSynthesizer.installed();
        if (e.isEmpty() && "1".equals(System.getenv("FACECAST_REQUIRE_ESPEAK"))) {
            fail("FACECAST_REQUIRE_ESPEAK=1 but libespeak-ng is not installed (apt-get install espeak-ng)");
        }
        Assumptions.assumeTrue(e.isPresent(), "libespeak-ng is not installed (apt-get install espeak-ng)");
        return e.get();
    }
}
