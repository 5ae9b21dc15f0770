package io.facecast.signaling.session;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any {@code sdp_offer} (gRPC Negotiate, HTTP negotiate, WHEP POST) is either let through with "v=0", an m=video and
 * an m=audio line within the size limit, or refused with INVALID_ARGUMENT and a message; never anything else. The
 * input may be repeated to reach past the size limit. Seeds: {@code SdpOfferCheckFuzzTestInputs/check/}. Fuzzing for
 * real: docs/fuzzing.md.
 */
class SdpOfferCheckFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void check(FuzzedDataProvider data) {
        // Mostly one copy (long strings are slow to check); now and then up to 28, i.e. past the 64 Ki limit.
        byte repeat = data.consumeByte();
        int copies = repeat > 100 ? repeat - 99 : 1;
        String offer = data.consumeRemainingAsString().repeat(copies);
        try {
            SdpOfferCheck.check(offer);
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertFalse(e.getStatus().getDescription().isBlank());
            return;
        }
        assertTrue(offer.length() <= SdpOfferCheck.MAX_SDP_BYTES);
        String sdp = offer.stripLeading();
        assertTrue(sdp.startsWith("v=0"));
        assertTrue(sdp.lines().anyMatch(l -> l.startsWith("m=video")) && sdp.lines().anyMatch(l -> l.startsWith("m=audio")));
    }
}
