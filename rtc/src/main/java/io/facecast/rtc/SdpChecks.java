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
        requireCandidateGrammar(line);
        return line;
    }

    /**
     * RFC 8839 section 5.1: {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ
     * <type> [extensions]}. Checked here because libwebrtc answers a malformed line with a bare
     * {@code java.lang.Error} that says nothing about what was wrong.
     */
    private static void requireCandidateGrammar(String line) throws InvalidSdpException {
        String[] f = line.substring("candidate:".length()).split(" +");
        String expected = " (expected \"candidate:<foundation> <component> <transport> <priority> <address> <port> typ "
                + "<host|srflx|prflx|relay> ...\", e.g. \"candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host\")";
        if (f.length < 8 || (f.length % 2) != 0) {
            throw new InvalidSdpException("ICE candidate \"" + abbreviate(line) + "\" has the wrong number of fields" + expected);
        }
        if (!f[0].matches("[A-Za-z0-9+/]{1,32}")) {
            throw new InvalidSdpException("ICE candidate foundation \"" + abbreviate(f[0]) + "\" is not 1-32 ice-chars" + expected);
        }
        if (!f[1].matches("[0-9]{1,3}") || Integer.parseInt(f[1]) < 1 || Integer.parseInt(f[1]) > 256) {
            throw new InvalidSdpException("ICE candidate component \"" + abbreviate(f[1]) + "\" is not 1-256" + expected);
        }
        if (!f[2].equalsIgnoreCase("udp") && !f[2].equalsIgnoreCase("tcp")) {
            throw new InvalidSdpException("ICE candidate transport \"" + abbreviate(f[2]) + "\" is not udp or tcp" + expected);
        }
        if (!f[3].matches("[0-9]{1,10}") || Long.parseLong(f[3]) > 0xFFFFFFFFL) {
            throw new InvalidSdpException("ICE candidate priority \"" + abbreviate(f[3]) + "\" is not a 32-bit number" + expected);
        }
        if (!f[4].matches("[0-9A-Za-z.:%_-]{1,255}")) {
            throw new InvalidSdpException("ICE candidate address \"" + abbreviate(f[4]) + "\" is not an IP address or host name" + expected);
        }
        if (!f[5].matches("[0-9]{1,5}") || Integer.parseInt(f[5]) > 65535) {
            throw new InvalidSdpException("ICE candidate port \"" + abbreviate(f[5]) + "\" is not 0-65535" + expected);
        }
        if (!f[6].equals("typ") || !f[7].matches("host|srflx|prflx|relay")) {
            throw new InvalidSdpException("ICE candidate has no valid \"typ host|srflx|prflx|relay\"" + expected);
        }
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
