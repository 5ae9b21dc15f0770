package io.facecast.rtc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever text a client sends as an offer, answer or trickled candidate, {@link SdpChecks} either lets through what
 * its Javadoc promises or refuses it with {@link InvalidSdpException} and a message; no other exception. The input
 * may be repeated to reach past the size limits that libFuzzer's 4 KiB inputs cannot. Seeds:
 * {@code SdpChecksFuzzTestInputs/checks/}. Fuzzing for real: docs/fuzzing.md.
 */
class SdpChecksFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void checks(FuzzedDataProvider data) {
        // Mostly one copy (long strings are slow to check); now and then up to 28, i.e. past the 64 Ki limit.
        byte repeat = data.consumeByte();
        int copies = repeat > 100 ? repeat - 99 : 1;
        String text = data.consumeRemainingAsString().repeat(copies);

        try {
            SdpChecks.requireOfferWithAudioAndVideo(text);
            assertTrue(text.startsWith("v=0") && text.length() <= SdpChecks.MAX_SDP_CHARS);
            assertTrue(SdpChecks.hasMediaLine(text, "audio") && SdpChecks.hasMediaLine(text, "video"));
        } catch (InvalidSdpException e) {
            assertFalse(e.getMessage().isBlank());
        }

        try {
            SdpChecks.requireAnswer(text);
            assertTrue(text.startsWith("v=0") && text.length() <= SdpChecks.MAX_SDP_CHARS);
        } catch (InvalidSdpException e) {
            assertFalse(e.getMessage().isBlank());
        }

        try {
            String line = SdpChecks.normalizeCandidate(text);
            assertTrue(line.startsWith("candidate:") && line.length() <= 1024, line);
        } catch (InvalidSdpException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }
}
