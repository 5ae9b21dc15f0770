package io.facecast.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.PeerConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A declared media port range reaches the native allocator: every UDP candidate of the answer lies inside it. */
@Timeout(60)
class UdpPortRangeTest {
    private static final Pattern UDP_CANDIDATE = Pattern.compile("a=candidate:\\S+ \\d+ udp \\d+ \\S+ (\\d+) typ");

    @Test
    void parsesWhatOperatorsWrite() {
        assertEquals(new UdpPortRange(40000, 40999), UdpPortRange.parse("40000-40999"));
        assertEquals(new UdpPortRange(40000, 40000), UdpPortRange.parse("40000"));
        assertTrue(UdpPortRange.parse("").isAny());
        assertTrue(UdpPortRange.parse("any").isAny());
        for (String bad : List.of("40999-40000", "80-90", "40000-70000", "a-b", "1-2-3", "40000-")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UdpPortRange.parse(bad));
            assertTrue(e.getMessage().contains("MIN-MAX"), e.getMessage());
        }
    }

    @Test
    void answerCandidatesUseOnlyTheRange() throws Exception {
        UdpPortRange range = new UdpPortRange(47310, 47319);
        PeerConnectionFactory sendFactory = PeerFactories.forSending();
        PeerConnectionFactory receiveFactory = PeerFactories.forReceiving();
        ReceivingPeer receiver = new ReceivingPeer(receiveFactory, List.of(), PeerListener.NONE, null);
        SendingPeer sender = new SendingPeer(sendFactory, "ports-1", List.of(), 64, 64, 30, PeerListener.NONE,
                SenderOptions.defaults().withUdpPorts(range));
        try {
            String answer = sender.answer(receiver.createOffer());
            List<Integer> ports = new ArrayList<>();
            Matcher m = UDP_CANDIDATE.matcher(answer);
            while (m.find()) {
                ports.add(Integer.parseInt(m.group(1)));
            }
            assertFalse(ports.isEmpty(), "the answer carries UDP candidates:\n" + answer);
            for (int port : ports) {
                assertTrue(range.contains(port), "candidate port " + port + " outside " + range + ":\n" + answer);
            }
        } finally {
            sender.close();
            receiver.close();
            PeerFactories.dispose(sendFactory);
            PeerFactories.dispose(receiveFactory);
        }
    }
}
