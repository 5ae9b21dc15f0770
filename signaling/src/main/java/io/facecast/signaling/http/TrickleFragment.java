package io.facecast.signaling.http;

import io.facecast.api.v1.IceCandidate;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code application/trickle-ice-sdpfrag} body (RFC 8840) as a WHEP client PATCHes it: optional ice-ufrag/ice-pwd,
 * then per media section an {@code a=mid:} line followed by its {@code a=candidate:} lines.
 */
record TrickleFragment(String iceUfrag, String icePwd, List<IceCandidate> candidates, boolean endOfCandidates) {

    /** A browser trickles a handful of candidates per PATCH; each costs a call to the streamer. */
    static final int MAX_CANDIDATES = 32;

    /**
     * @param mids the offer's media ids in m-line order, to fill in the m-line index of each candidate
     * @throws HttpProblem 400 for a candidate outside any media section or naming an unknown mid, for a line that is
     *         not part of a trickle fragment, for a fragment with nothing in it, or for over {@link #MAX_CANDIDATES}
     *         candidates
     */
    static TrickleFragment parse(String body, List<String> mids) {
        String ufrag = null;
        String pwd = null;
        String mid = null;
        boolean end = false;
        List<IceCandidate> candidates = new ArrayList<>();
        for (String raw : body.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring("a=ice-ufrag:".length());
            } else if (line.startsWith("a=ice-pwd:")) {
                pwd = line.substring("a=ice-pwd:".length());
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring("a=mid:".length());
                if (!mids.contains(mid)) {
                    throw HttpProblem.badRequest("a=mid:" + mid + " is not a media section of the offer (mids: " + mids + ")");
                }
            } else if (line.startsWith("a=candidate:")) {
                if (mid == null) {
                    throw HttpProblem.badRequest("a=candidate line before any a=mid line; group candidates under their a=mid");
                }
                candidates.add(IceCandidate.newBuilder()
                        .setCandidate(line.substring(2)).setSdpMid(mid).setSdpMlineIndex(mids.indexOf(mid)).build());
            } else if (line.equals("a=end-of-candidates")) {
                end = true;
            } else if (!line.isEmpty() && !line.startsWith("a=") && !line.startsWith("m=")) {
                // RFC 8840 fragments are SDP lines; anything else is not a fragment at all.
                throw HttpProblem.badRequest("'" + abbreviate(line) + "' is not an SDP line of a trickle-ice-sdpfrag "
                        + "(expected a=ice-ufrag:, a=ice-pwd:, a=mid:, a=candidate: or a=end-of-candidates)");
            }
            if (candidates.size() > MAX_CANDIDATES) {
                throw HttpProblem.badRequest("over " + MAX_CANDIDATES + " candidates in one PATCH; send them in several");
            }
        }
        if (candidates.isEmpty() && !end && ufrag == null && pwd == null) {
            throw HttpProblem.badRequest("the trickle fragment has no candidate, ICE credentials or a=end-of-candidates");
        }
        return new TrickleFragment(ufrag, pwd, candidates, end);
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }
}
