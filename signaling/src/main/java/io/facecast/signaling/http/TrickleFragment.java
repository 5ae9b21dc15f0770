package io.facecast.signaling.http;

import io.facecast.api.v1.IceCandidate;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code application/trickle-ice-sdpfrag} body (RFC 8840) as a WHEP client PATCHes it: optional ice-ufrag/ice-pwd,
 * then per media section an {@code a=mid:} line followed by its {@code a=candidate:} lines.
 */
record TrickleFragment(String iceUfrag, String icePwd, List<IceCandidate> candidates, boolean endOfCandidates) {

    /**
     * @param mids the offer's media ids in m-line order, to fill in the m-line index of each candidate
     * @throws HttpProblem 400 for a candidate outside any media section or naming an unknown mid
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
            }
        }
        return new TrickleFragment(ufrag, pwd, candidates, end);
    }
}
