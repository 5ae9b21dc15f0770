package io.facecast.it;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The capture reader on hand-made pcap bytes: which packets count as RTP, and when a video frame arrived. */
class WireCaptureTest {
    private static final long VIDEO = 0x11223344L;
    private static final long AUDIO = 0x55667788L;

    @Test
    void aFrameArrivesWithItsLastPacketAndOnlyRtpOfTheSsrcCounts() {
        Pcap pcap = new Pcap(1);
        pcap.ethernetIpv4(1_000_000, rtp(96, false, 3000, VIDEO));
        pcap.ethernetIpv4(1_004_000, rtp(96, true, 3000, VIDEO)); // frame 1 complete at 1.004 s
        pcap.ethernetIpv4(1_010_000, rtp(111, true, 480, AUDIO));
        pcap.ethernetIpv4(1_020_000, rtcp(206)); // a PLI: RTCP is never media
        pcap.ethernetIpv4(1_037_000, rtp(96, true, 6000, VIDEO)); // frame 2, one packet
        pcap.ethernetIpv4(1_150_000, rtp(96, false, 9000, VIDEO)); // frame 3 starts 113 ms later
        pcap.ethernetIpv4(1_160_000, rtp(96, true, 9000, VIDEO));
        byte[] bytes = pcap.bytes();
        // A record still being written (header complete, data cut short) is left out.
        byte[] truncated = Arrays.copyOf(bytes, bytes.length + 30);
        ByteBuffer.wrap(truncated, bytes.length, 16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(0).putInt(90).putInt(90);

        List<WireCapture.Packet> packets = WireCapture.read(truncated);
        assertEquals(6, packets.size(), "5 video + 1 audio RTP packets; the PLI and the partial record are skipped");
        assertEquals(List.of(1_004_000_000L, 1_037_000_000L, 1_160_000_000L), WireCapture.frameArrivals(packets, VIDEO));
        assertEquals(List.of(1_010_000_000L), WireCapture.frameArrivals(packets, AUDIO));
        assertEquals(1, WireCapture.read(bytes).stream().filter(p -> p.payloadType() == 111 && p.marker()).count());
    }

    @Test
    void linuxCookedCapturesOfEveryInterfaceAreRead() {
        Pcap pcap = new Pcap(113);
        pcap.cookedIpv4(2_000_000, rtp(96, true, 3000, VIDEO));
        pcap.cookedIpv4(2_033_000, rtp(96, true, 6000, VIDEO));
        assertEquals(List.of(2_000_000_000L, 2_033_000_000L), WireCapture.frameArrivals(WireCapture.read(pcap.bytes()), VIDEO));
    }

    @Test
    void somethingElseThanClassicPcapIsRefused() {
        byte[] pcapng = new byte[32];
        ByteBuffer.wrap(pcapng).putInt(0x0A0D0D0A);
        assertThrows(IllegalArgumentException.class, () -> WireCapture.read(pcapng));
    }

    @Test
    void theVideoSsrcIsTheAnswersVideoSectionsMediaSsrc() {
        String sdp = String.join("\r\n", "v=0", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=ssrc:1001 cname:x",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "a=ssrc-group:FID 2002 3003", "a=ssrc:2002 cname:x",
                "a=ssrc:3003 cname:x", "");
        assertEquals(Optional.of(2002L), WireCapture.videoSsrc(sdp));
        assertEquals(Optional.of(4004L), WireCapture.videoSsrc("m=video 9 RTP/AVP 96\na=ssrc:4004 cname:y\n"));
        assertEquals(Optional.empty(), WireCapture.videoSsrc("m=audio 9 RTP/AVP 111\na=ssrc:1 cname:y\n"));
    }

    private static byte[] rtp(int pt, boolean marker, long ts, long ssrc) {
        ByteBuffer b = ByteBuffer.allocate(12 + 40);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) 1).putInt((int) ts).putInt((int) ssrc);
        return b.array();
    }

    private static byte[] rtcp(int type) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put((byte) 0x81).put((byte) type).putShort((short) 2).putInt(1).putInt(2);
        return b.array();
    }

    /** Little-endian classic pcap, microsecond stamps. */
    private static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pcap(int linkType) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
            out.writeBytes(h.array());
        }

        void ethernetIpv4(long micros, byte[] udpPayload) {
            ByteBuffer eth = ByteBuffer.allocate(14);
            eth.position(12);
            eth.putShort((short) 0x0800);
            record(micros, eth.array(), udpPayload);
        }

        void cookedIpv4(long micros, byte[] udpPayload) {
            ByteBuffer sll = ByteBuffer.allocate(16);
            sll.position(14);
            sll.putShort((short) 0x0800);
            record(micros, sll.array(), udpPayload);
        }

        private void record(long micros, byte[] link, byte[] payload) {
            ByteBuffer ip = ByteBuffer.allocate(20 + 8 + payload.length);
            ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity()).putInt(0).put((byte) 64).put((byte) 17)
                    .putShort((short) 0).putInt(0x0a000001).putInt(0x0a000002);
            ip.putShort((short) 5000).putShort((short) 6000).putShort((short) (8 + payload.length)).putShort((short) 0);
            ip.put(payload);
            int len = link.length + ip.capacity();
            ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(len).putInt(len);
            out.writeBytes(rec.array());
            out.writeBytes(link);
            out.writeBytes(ip.array());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
