package io.facecast.rtc;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpusFmtpTest {
    private static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 1 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2",
            "a=fmtp:63 111/111",
            "a=rtpmap:0 PCMU/8000",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "a=rtpmap:96 VP8/90000",
            "a=fmtp:96 max-fs=12288",
            "");

    @Test
    void setsTheParametersOnOpusOnlyReplacingTheSameKeys() {
        String out = OpusFmtp.apply(OFFER, OpusFmtp.parse("maxplaybackrate=16000; useinbandfec=0"));
        assertTrue(out.contains("\r\na=fmtp:111 minptime=10;useinbandfec=0;maxplaybackrate=16000\r\n"), out);
        assertTrue(out.contains("\r\na=fmtp:63 111/111\r\n"), "RED untouched: " + out);
        assertTrue(out.contains("\r\na=fmtp:96 max-fs=12288\r\n"), "video untouched: " + out);
        assertEquals(OFFER.split("\r\n", -1).length, out.split("\r\n", -1).length, "no line added or lost");
    }

    @Test
    void addsAnFmtpLineWhereOpusHasNone() {
        String offer = OFFER.replace("a=fmtp:111 minptime=10;useinbandfec=1\r\n", "").replace("\r\n", "\n");
        String out = OpusFmtp.apply(offer, Map.of("usedtx", "1"));
        assertTrue(out.contains("\na=rtpmap:111 opus/48000/2\na=fmtp:111 usedtx=1\na=rtcp-fb:111"), out);
        assertTrue(!out.contains("\r"), "keeps the offer's line ends");
    }

    @Test
    void noParametersOrNoOpusLeaveTheOfferAsItIs() {
        assertSame(OFFER, OpusFmtp.apply(OFFER, Map.of()));
        String noOpus = OFFER.replace("opus/48000/2", "ISAC/16000");
        assertEquals(noOpus, OpusFmtp.apply(noOpus, Map.of("usedtx", "1")));
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedWithTheReason() {
        assertEquals(Map.of(), OpusFmtp.parse(" "));
        assertEquals(Map.of("maxaveragebitrate", "24000", "usedtx", "1"),
                OpusFmtp.parse("MaxAverageBitrate=24000;;usedtx=1;"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpusFmtp.parse("stereo=1")).getMessage()
                .contains("\"stereo\" is not one of"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpusFmtp.parse("maxplaybackrate=4000"))
                .getMessage().contains("8000..48000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpusFmtp.parse("usedtx=yes")).getMessage()
                .contains("whole number"));
        assertThrows(IllegalArgumentException.class, () -> OpusFmtp.parse("maxaveragebitrate=1000000"));
    }
}
