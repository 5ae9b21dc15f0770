package io.facecast.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.IceServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhepPiecesTest {

    @Test
    void iceServersBecomeWhepLinkHeaders() {
        List<String> links = IceLinks.of(List.of(
                IceServer.newBuilder().addUrls("stun:127.0.0.1:3478").build(),
                IceServer.newBuilder().addUrls("turn:127.0.0.1:3478?transport=udp").setUsername("1795000000:abc")
                        .setCredential("p\"w").build()));
        assertEquals(List.of("<stun:127.0.0.1:3478>; rel=\"ice-server\"",
                "<turn:127.0.0.1:3478?transport=udp>; rel=\"ice-server\"; username=\"1795000000:abc\"; "
                        + "credential=\"p\\\"w\"; credential-type=\"password\""), links);
    }

    @Test
    void trickleFragmentCandidatesGetTheirMidAndIndex() {
        TrickleFragment f = TrickleFragment.parse("a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\n"
                + "a=mid:1\r\na=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0\r\n"
                + "a=end-of-candidates\r\n", List.of("0", "1"));
        assertEquals("EsAw", f.iceUfrag());
        assertEquals(1, f.candidates().size());
        assertEquals("1", f.candidates().get(0).getSdpMid());
        assertEquals(1, f.candidates().get(0).getSdpMlineIndex());
        assertTrue(f.candidates().get(0).getCandidate().startsWith("candidate:1387637174 1 udp"));
        assertTrue(f.endOfCandidates());
    }

    @Test
    void candidatesOutsideAKnownMidAreRefusedPrecisely() {
        HttpProblem unknownMid = assertThrows(HttpProblem.class,
                () -> TrickleFragment.parse("a=mid:7\r\na=candidate:1 1 udp 1 192.0.2.1 1 typ host\r\n", List.of("0", "1")));
        assertEquals(400, unknownMid.status);
        assertTrue(unknownMid.getMessage().contains("a=mid:7"), unknownMid.getMessage());
        HttpProblem noMid = assertThrows(HttpProblem.class,
                () -> TrickleFragment.parse("a=candidate:1 1 udp 1 192.0.2.1 1 typ host\r\n", List.of("0")));
        assertEquals(400, noMid.status);
    }

    @Test
    void somethingThatIsNotATrickleFragmentIsRefused() {
        HttpProblem junk = assertThrows(HttpProblem.class, () -> TrickleFragment.parse("zzzz", List.of("0")));
        assertEquals(400, junk.status);
        assertTrue(junk.getMessage().contains("'zzzz' is not an SDP line"), junk.getMessage());
        assertEquals(400, assertThrows(HttpProblem.class, () -> TrickleFragment.parse("", List.of("0"))).status);
    }

    @Test
    void candidatesPerPatchAreBounded() {
        String many = "a=mid:0\r\n" + "a=candidate:1 1 udp 1 192.0.2.1 1 typ host\r\n".repeat(TrickleFragment.MAX_CANDIDATES);
        assertEquals(TrickleFragment.MAX_CANDIDATES, TrickleFragment.parse(many, List.of("0")).candidates().size());
        HttpProblem tooMany = assertThrows(HttpProblem.class, () -> TrickleFragment.parse(
                many + "a=candidate:1 1 udp 1 192.0.2.1 2 typ host\r\n", List.of("0")));
        assertEquals(400, tooMany.status);
        assertTrue(tooMany.getMessage().contains("several"), tooMany.getMessage());
    }

}
