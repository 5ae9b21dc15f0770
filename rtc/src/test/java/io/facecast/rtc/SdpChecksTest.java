package io.facecast.rtc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SdpChecksTest {
    private static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

    @Test
    void acceptsAnOfferWithAudioAndVideo() {
        assertDoesNotThrow(() -> SdpChecks.requireOfferWithAudioAndVideo(OFFER));
    }

    @Test
    void namesWhatIsMissing() {
        String noAudio = OFFER.replace("m=audio", "m=application");
        assertTrue(assertThrows(InvalidSdpException.class, () -> SdpChecks.requireOfferWithAudioAndVideo(noAudio))
                .getMessage().contains("m=audio"));
        String noVideo = OFFER.replace("m=video", "m=application");
        assertTrue(assertThrows(InvalidSdpException.class, () -> SdpChecks.requireOfferWithAudioAndVideo(noVideo))
                .getMessage().contains("m=video"));
        assertTrue(assertThrows(InvalidSdpException.class, () -> SdpChecks.requireOfferWithAudioAndVideo(null))
                .getMessage().contains("empty"));
        String huge = OFFER + "a=x\r\n".repeat(20_000);
        assertTrue(assertThrows(InvalidSdpException.class, () -> SdpChecks.requireOfferWithAudioAndVideo(huge))
                .getMessage().contains("at most"));
        assertTrue(assertThrows(InvalidSdpException.class,
                () -> SdpChecks.requireOfferWithAudioAndVideo("{\"type\":\"offer\"}")).getMessage()
                .contains("must start with \"v=0\""));
    }

    @Test
    void normalizesCandidates() throws InvalidSdpException {
        String line = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host";
        assertEquals(line, SdpChecks.normalizeCandidate("a=" + line));
        assertEquals(line, SdpChecks.normalizeCandidate(" " + line + "\r\n"));
        assertThrows(InvalidSdpException.class, () -> SdpChecks.normalizeCandidate("typ host"));
        assertThrows(InvalidSdpException.class, () -> SdpChecks.normalizeCandidate(null));
        assertEquals("candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                SdpChecks.normalizeCandidate("candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0"));
        assertDoesNotThrow(() -> SdpChecks.normalizeCandidate("candidate:1 1 udp 2122260223 3b5c6d2e-1f.local 50000 typ host"));
    }

    @Test
    void refusesCandidatesLibwebrtcWouldThrowAnErrorFor() {
        for (String bad : new String[] {"candidate:x y z", "candidate:", "candidate:1 1 udp 1 127.0.0.1 99999 typ host",
                "candidate:1 1 sctp 1 127.0.0.1 5000 typ host", "candidate:1 1 udp 1 127.0.0.1 5000 typ nope",
                "candidate:1 1 udp x 127.0.0.1 5000 typ host", "candidate:1 1 udp 1 127.0.0.1 5000 type host"}) {
            InvalidSdpException e = assertThrows(InvalidSdpException.class, () -> SdpChecks.normalizeCandidate(bad), bad);
            assertTrue(e.getMessage().contains("expected"), e.getMessage());
        }
    }
}
