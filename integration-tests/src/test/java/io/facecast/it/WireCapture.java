package io.facecast.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When video frames arrive on the wire at a receiver's host: a packet capture (dumpcap, Wireshark's capture engine)
 * of the UDP the host receives, read back as RTP. SRTP encrypts payloads only, so the RTP header (SSRC, timestamp,
 * marker) is in the clear.
 *
 * <p>Why this and not only the receiving peer's sink: webrtc-java hands frames to the sink after libwebrtc's jitter
 * buffer, software decoder and render queue, which time and drop frames on their own (a late decode lets a frame be
 * skipped for a newer one); the sink's gaps are the receiving library's, the wire's are what the server sent and the
 * network carried. A frame "arrives" with the last of its packets (its RTP timestamp's packets on the media SSRC).
 *
 * <p>Times are CLOCK_MONOTONIC nanoseconds (System.nanoTime): the kernel stamps captured packets on CLOCK_REALTIME,
 * converted with the offset between the two clocks read when the capture is queried.
 */
final class WireCapture implements AutoCloseable {
    /** Enough of each packet for link, IP, UDP and RTP headers. */
    private static final int SNAPLEN = 128;

    private final Process dumpcap;
    private final Path file;

    private WireCapture(Process dumpcap, Path file) {
        this.dumpcap = dumpcap;
        this.file = file;
    }

    /** dumpcap on the PATH, if installed (Debian package tshark). */
    static Optional<Path> tool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "dumpcap");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Captures the UDP received on {@code iface} ("any": every interface of this process's network namespace) into
     * {@code file} (classic pcap), from now until {@link #close()}. Needs dumpcap and the right to capture (root).
     */
    static WireCapture start(String iface, Path file) throws IOException, InterruptedException {
        Path dumpcap = tool().orElseThrow(() -> new IOException("dumpcap is missing (apt-get install tshark)"));
        Files.deleteIfExists(file);
        Path log = file.resolveSibling(file.getFileName() + ".log");
        // Through a shell that stops dumpcap when its stdin (a pipe from this JVM) closes: so a capture never
        // outlives the process that started it, even one killed with SIGKILL.
        Process p = new ProcessBuilder("sh", "-c", "\"$0\" \"$@\" & c=$!; read _; kill $c; wait $c",
                dumpcap.toString(), "-q", "-i", iface, "-f", "udp", "-s", "" + SNAPLEN, "-P", "-w", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // dumpcap writes the file header once the interface is open: from then on, packets are captured.
        while (!Files.exists(file) || Files.size(file) < 24) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                new WireCapture(p, file).close();
                throw new IOException("dumpcap did not start capturing on " + iface + ": " + Files.readString(log));
            }
            Thread.sleep(20); // another process is starting: nothing to inject a clock into
        }
        return new WireCapture(p, file);
    }

    Path file() {
        return file;
    }

    /**
     * Wire arrivals of the video frames of {@code ssrc} (CLOCK_MONOTONIC ns, in order), once the capture holds a
     * packet stamped at or after {@code untilNanos} (dumpcap flushes about twice a second; waits up to 3 s).
     */
    List<Long> videoFrameArrivals(long ssrc, long untilNanos) throws IOException, InterruptedException {
        long offset = realtimeMinusMonotonicNanos();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            List<Packet> packets = read(Files.readAllBytes(file));
            boolean complete = !packets.isEmpty() && packets.get(packets.size() - 1).realtimeNanos - offset >= untilNanos;
            if (complete || System.nanoTime() > deadline || !dumpcap.isAlive()) {
                return frameArrivals(packets, ssrc).stream().map(t -> t - offset).toList();
            }
            Thread.sleep(50); // dumpcap's next flush: nothing to inject a clock into
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            dumpcap.getOutputStream().close(); // the shell's read returns: it stops dumpcap
        } catch (IOException e) {
            dumpcap.destroy();
        }
        if (!dumpcap.waitFor(5, TimeUnit.SECONDS)) {
            dumpcap.destroyForcibly().waitFor();
        }
    }

    // ---- reading (pure, unit-tested)

    /** One captured RTP packet: kernel stamp (CLOCK_REALTIME ns) and its header fields. */
    record Packet(long realtimeNanos, long ssrc, long rtpTimestamp, boolean marker, int payloadType) {
    }

    /**
     * The RTP packets of a classic pcap file's bytes (a truncated last record, still being written, is left out).
     * Link types: Ethernet (also Linux's lo), Linux cooked v1/v2 ("any"), raw IP; IPv4 and IPv6; RTCP, STUN and
     * DTLS are skipped.
     */
    static List<Packet> read(byte[] pcap) {
        List<Packet> out = new ArrayList<>();
        if (pcap.length < 24) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(pcap);
        int magic = b.getInt(0);
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IllegalArgumentException("not a classic pcap file (capture with dumpcap -P)");
        }
        boolean nanos = b.getInt(0) == 0xa1b23c4d;
        int linkType = b.getInt(20) & 0x0FFFFFFF;
        int pos = 24;
        while (pos + 16 <= pcap.length) {
            long sec = b.getInt(pos) & 0xFFFFFFFFL;
            long frac = b.getInt(pos + 4) & 0xFFFFFFFFL;
            int caplen = b.getInt(pos + 8);
            int data = pos + 16;
            if (caplen < 0 || data + caplen > pcap.length) {
                break;
            }
            pos = data + caplen;
            long t = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
            int ip = ipOffset(linkType, pcap, data, caplen);
            if (ip < 0) {
                continue;
            }
            int udp = udpOffset(pcap, data + ip, data + caplen);
            if (udp < 0 || udp + 8 + 12 > data + caplen) {
                continue;
            }
            int rtp = udp + 8;
            int v = (pcap[rtp] & 0xFF) >> 6;
            int pt = pcap[rtp + 1] & 0x7F;
            if (v != 2 || (pt >= 72 && pt <= 79)) { // not RTP, or RTCP (200-207 read as RTP)
                continue;
            }
            ByteBuffer be = ByteBuffer.wrap(pcap).order(ByteOrder.BIG_ENDIAN);
            out.add(new Packet(t, be.getInt(rtp + 8) & 0xFFFFFFFFL, be.getInt(rtp + 4) & 0xFFFFFFFFL,
                    (pcap[rtp + 1] & 0x80) != 0, pt));
        }
        return out;
    }

    private static int ipOffset(int linkType, byte[] p, int at, int len) {
        switch (linkType) {
            case 1: { // Ethernet, VLAN tags skipped
                int off = 12;
                while (off + 2 <= len) {
                    int type = ((p[at + off] & 0xFF) << 8) | (p[at + off + 1] & 0xFF);
                    if (type == 0x8100 || type == 0x88A8) {
                        off += 4;
                        continue;
                    }
                    return type == 0x0800 || type == 0x86DD ? off + 2 : -1;
                }
                return -1;
            }
            case 113: // Linux cooked v1
                return 16;
            case 276: // Linux cooked v2
                return 20;
            case 101:
            case 12:
            case 14: // raw IP
                return 0;
            default:
                return -1;
        }
    }

    /** Absolute offset of the UDP header, or -1. */
    private static int udpOffset(byte[] p, int ip, int end) {
        if (ip >= end) {
            return -1;
        }
        int version = (p[ip] & 0xFF) >> 4;
        if (version == 4 && ip + 20 <= end) {
            return p[ip + 9] == 17 ? ip + (p[ip] & 0x0F) * 4 : -1;
        }
        if (version == 6 && ip + 40 <= end) {
            return p[ip + 6] == 17 ? ip + 40 : -1;
        }
        return -1;
    }

    /**
     * Per RTP timestamp of {@code ssrc}, when its last packet arrived (CLOCK_REALTIME ns), in order of the frames'
     * first packets. A frame completed only by a retransmission on another SSRC (RTX) counts at its last packet
     * on the media SSRC: the wire figure can only be better than that.
     */
    static List<Long> frameArrivals(List<Packet> packets, long ssrc) {
        Map<Long, Long> last = new LinkedHashMap<>();
        for (Packet p : packets) {
            if (p.ssrc == ssrc) {
                last.merge(p.rtpTimestamp, p.realtimeNanos, Math::max);
            }
        }
        return new ArrayList<>(last.values());
    }

    /** The sending SSRC of the video section of an SDP (answer): the first of its FID group, else its first a=ssrc. */
    static Optional<Long> videoSsrc(String sdp) {
        boolean video = false;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                video = line.startsWith("m=video");
            } else if (video && line.startsWith("a=ssrc-group:FID ")) {
                return Optional.of(Long.parseLong(line.split(" ")[1])); // media SSRC, then its retransmission SSRC
            } else if (video) {
                Matcher m = SSRC.matcher(line);
                if (m.lookingAt()) {
                    return Optional.of(Long.parseLong(m.group(1)));
                }
            }
        }
        return Optional.empty();
    }

    private static final Pattern SSRC = Pattern.compile("a=ssrc:(\\d+) ");

    /** CLOCK_REALTIME minus CLOCK_MONOTONIC, read between two close monotonic reads. */
    static long realtimeMinusMonotonicNanos() {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 20; i++) {
            long a = System.nanoTime();
            Instant w = Instant.now();
            long z = System.nanoTime();
            if (z - a < best) {
                best = z - a;
                offset = w.getEpochSecond() * 1_000_000_000L + w.getNano() - (a + (z - a) / 2);
            }
        }
        return offset;
    }
}
