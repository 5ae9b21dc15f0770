package io.facecast.rtc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which local candidate lets an answer go out before gathering completes (no ICE servers configured). */
class AnswerCandidatesTest {
    @Test
    void aUdpHostCandidateIsEnoughOthersAreNot() {
        assertTrue(SendingPeer.isUdpHost("candidate:3285617779 1 udp 2122194687 192.0.2.2 44159 typ host generation 0"));
        assertTrue(SendingPeer.isUdpHost("candidate:1 1 UDP 2122194687 127.0.0.1 5000 typ host"));
        assertFalse(SendingPeer.isUdpHost("candidate:3172560619 1 tcp 1518214911 192.0.2.2 37435 typ host tcptype passive"));
        assertFalse(SendingPeer.isUdpHost("candidate:2 1 udp 1686052607 203.0.113.7 5000 typ srflx raddr 0.0.0.0 rport 0"));
        assertFalse(SendingPeer.isUdpHost("candidate:3 1 udp 41885439 203.0.113.9 3478 typ relay raddr 0.0.0.0 rport 0"));
        assertFalse(SendingPeer.isUdpHost(""));
        assertFalse(SendingPeer.isUdpHost(null));
    }
}
