package io.facecast.signaling.session;

import io.grpc.Status;

/**
 * A quick syntactic look at the offer so obvious mistakes get a clear message here; the streamer's WebRTC stack does
 * the real parsing and its INVALID_ARGUMENT passes through to the client.
 */
public final class SdpOfferCheck {

    /** Real offers are a few kilobytes; this only stops absurd payloads before they reach a streamer. */
    public static final int MAX_SDP_BYTES = 64 * 1024;

    private SdpOfferCheck() {}

    public static void check(String sdpOffer) {
        if (sdpOffer == null || sdpOffer.isBlank()) {
            throw invalid("sdp_offer is empty");
        }
        if (sdpOffer.length() > MAX_SDP_BYTES) {
            throw invalid("sdp_offer is " + sdpOffer.length() + " characters; the limit is " + MAX_SDP_BYTES);
        }
        String sdp = sdpOffer.stripLeading();
        if (!sdp.startsWith("v=0")) {
            throw invalid("sdp_offer does not start with v=0 (expected an SDP offer, e.g. RTCPeerConnection.createOffer().sdp)");
        }
        if (!hasLineStartingWith(sdp, "m=video")) {
            throw invalid("sdp_offer has no m=video section; add a receive-only video transceiver before creating the offer");
        }
        if (!hasLineStartingWith(sdp, "m=audio")) {
            throw invalid("sdp_offer has no m=audio section; add a receive-only audio transceiver before creating the offer");
        }
    }

    private static boolean hasLineStartingWith(String sdp, String prefix) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
