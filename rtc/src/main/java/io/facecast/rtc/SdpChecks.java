package io.facecast.rtc;

/**
 * Cheap checks on SDP text before it reaches native code: the native parser's messages are cryptic, and a clear
 * message here tells a client what to fix.
 */
public final class SdpChecks {
    /** Generous upper bound; a real audio+video offer is a few kilobytes. */
    public static final int MAX_SDP_CHARS = 64 * 1024;

    private SdpChecks() {
    }

    /** Checks an offer from a client that wants to receive audio and video. */
    public static void requireOfferWithAudioAndVideo(String sdp) throws InvalidSdpException {
        requireSessionDescription(sdp, "offer");
        if (!hasMediaLine(sdp, "audio")) {
            throw new InvalidSdpException("SDP offer has no audio section (m=audio): add an audio transceiver "
                    + "(direction recvonly) before creating the offer");
        }
        if (!hasMediaLine(sdp, "video")) {
            throw new InvalidSdpException("SDP offer has no video section (m=video): add a video transceiver "
                    + "(direction recvonly) before creating the offer");
        }
    }

    /** Checks an answer received from the remote party. */
    public static void requireAnswer(String sdp) throws InvalidSdpException {
        requireSessionDescription(sdp, "answer");
    }

    private static void requireSessionDescription(String sdp, String kind) throws InvalidSdpException {
        if (sdp == null || sdp.isBlank()) {
            throw new InvalidSdpException("SDP " + kind + " is empty");
        }
        if (sdp.length() > MAX_SDP_CHARS) {
            throw new InvalidSdpException("SDP " + kind + " is " + sdp.length() + " characters; at most "
                    + MAX_SDP_CHARS + " are accepted");
        }
        if (!sdp.startsWith("v=0")) {
            throw new InvalidSdpException("SDP " + kind + " must start with \"v=0\" (got \""
                    + abbreviate(sdp) + "\"); send the description's sdp text, not JSON or a file name");
        }
    }

    /** Checks a trickled ICE candidate line ("candidate:..." with or without a leading "a="). */
    public static String normalizeCandidate(String candidate) throws InvalidSdpException {
        if (candidate == null) {
            throw new InvalidSdpException("ICE candidate is missing");
        }
        String line = candidate.strip();
        if (line.startsWith("a=")) {
            line = line.substring(2);
        }
        if (!line.startsWith("candidate:")) {
            throw new InvalidSdpException("ICE candidate must start with \"candidate:\" (got \""
                    + abbreviate(line) + "\")");
        }
        if (line.length() > 1024) {
            throw new InvalidSdpException("ICE candidate is longer than 1024 characters");
        }
        return line;
    }

    static boolean hasMediaLine(String sdp, String media) {
        String prefix = "m=" + media + " ";
        return sdp.startsWith(prefix) || sdp.contains("\n" + prefix);
    }

    private static String abbreviate(String text) {
        String first = text.lines().findFirst().orElse("");
        return first.length() > 40 ? first.substring(0, 40) + "..." : first;
    }
}
