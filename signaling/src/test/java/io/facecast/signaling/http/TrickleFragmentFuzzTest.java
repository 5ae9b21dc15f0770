package io.facecast.signaling.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.facecast.api.v1.IceCandidate;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WHEP PATCH body ({@code application/trickle-ice-sdpfrag}) against any offer: {@link OfferFacts} reads the offer
 * without failing, and {@link TrickleFragment#parse} either yields candidates that each name one of the offer's mids
 * with its m-line index, or refuses the body with a 400 and a message; nothing else. Seeds:
 * {@code TrickleFragmentFuzzTestInputs/parse/}. Fuzzing for real: docs/fuzzing.md.
 */
class TrickleFragmentFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(FuzzedDataProvider data) {
        // The offer's media ids: either read from a fuzzed offer, as WhepHandler does, or the usual "0", "1".
        List<String> mids;
        if (data.consumeBoolean()) {
            OfferFacts offer = OfferFacts.of(data.consumeString(1024));
            assertNotNull(offer.mids());
            mids = offer.mids();
        } else {
            mids = List.of("0", "1");
        }
        String body = data.consumeRemainingAsString();
        TrickleFragment fragment;
        try {
            fragment = TrickleFragment.parse(body, mids);
        } catch (HttpProblem e) {
            assertEquals(400, e.status);
            assertFalse(e.getMessage().isBlank());
            return;
        }
        for (IceCandidate c : new ArrayList<>(fragment.candidates())) {
            assertTrue(c.getCandidate().startsWith("candidate:"), c.getCandidate());
            assertTrue(mids.contains(c.getSdpMid()), c.getSdpMid());
            assertEquals(mids.indexOf(c.getSdpMid()), c.getSdpMlineIndex());
        }
    }
}
