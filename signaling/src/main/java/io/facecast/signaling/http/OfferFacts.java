package io.facecast.signaling.http;

import java.util.ArrayList;
import java.util.List;

/** What a WHEP resource remembers of the client's offer: its ICE username fragment and its media ids in order. */
record OfferFacts(String iceUfrag, List<String> mids) {

    static OfferFacts of(String sdp) {
        String ufrag = null;
        List<String> mids = new ArrayList<>();
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (ufrag == null && line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring("a=ice-ufrag:".length());
            } else if (line.startsWith("a=mid:")) {
                mids.add(line.substring("a=mid:".length()));
            }
        }
        return new OfferFacts(ufrag, List.copyOf(mids));
    }
}
