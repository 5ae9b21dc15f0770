#!/usr/bin/env python3
"""Video gaps on the wire vs at the decoder, from a packet capture and a receiver's frame log.

rtp_gaps.py CAPTURE.pcap [FRAMES.csv] [--from S] [--to S] [--gap MS]

CAPTURE: classic pcap (dumpcap -P) of UDP at the receiver (or the sender). SRTP leaves the RTP header in the clear:
per SSRC, a video frame is one RTP timestamp; its first and last packet times, packet count and bytes are printed
for every gap over --gap ms, with the RTCP feedback (NACK, PLI, FIR, REMB, transport-cc) seen near it.
FRAMES: "kind,arrival_ns,render_ns" lines (CLOCK_MONOTONIC) and a "# realtime_minus_monotonic_ns N" line, as
VideoGapRepro / FleetClientAgent write them: decoded-frame gaps are printed beside the wire's.
"""
import argparse
import collections
import os
import statistics
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "capacity"))
import analysis as A  # noqa: E402

FB = {(205, 1): "NACK", (205, 15): "TCC", (206, 1): "PLI", (206, 4): "FIR", (206, 15): "REMB/AFB",
      (200, None): "SR", (201, None): "RR", (202, None): "SDES", (203, None): "BYE"}


def udp_with_length(data):
    """A.pcap_udp, plus each datagram's length from its UDP header (captures may be cut short: dumpcap -s)."""
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = data[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    pos = 24
    while pos + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack_from(endian + "IIII", data, pos)
        pkt = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        ip = A._ip_offset(linktype, pkt)
        if ip is None or ip >= len(pkt):
            continue
        udp = A._udp_offset(pkt, ip)
        if udp is None or udp + 8 > len(pkt):
            continue
        sport, dport, length = struct.unpack_from(">HHH", pkt, udp)
        yield sec + frac / (1e9 if nano else 1e6), sport, dport, pkt[udp + 8:], length - 8


def load(pcap):
    rtp, rtcp = [], []
    with open(pcap, "rb") as f:
        data = f.read()
    for t, sport, dport, p, size in udp_with_length(data):
        if len(p) < 8 or p[0] >> 6 != 2:
            continue
        pt_full = p[1]
        if 200 <= pt_full <= 207:
            fmt = p[0] & 0x1F
            name = FB.get((pt_full, fmt)) or FB.get((pt_full, None)) or f"RTCP{pt_full}/{fmt}"
            rtcp.append((t, sport, dport, name, size))
            continue
        h = A.rtp_header(p)
        if h:
            pt, marker, seq, ts, ssrc = h
            rtp.append((t, sport, dport, pt, marker, seq, ts, ssrc, size))
    return rtp, rtcp


def classify(rtp):
    by = collections.defaultdict(list)
    for r in rtp:
        by[r[7]].append(r)
    kinds = {}
    for ssrc, rs in by.items():
        ts = []
        for r in rs:
            if not ts or ts[-1] != r[6]:
                ts.append(r[6])
        deltas = [(b - a) & 0xFFFFFFFF for a, b in zip(ts, ts[1:])]
        med = statistics.median(deltas) if deltas else 0
        per_ts = len(rs) / max(1, len(ts))
        if 2500 <= med <= 3500:
            kinds[ssrc] = "video"
        elif med in (480, 960, 1920):
            kinds[ssrc] = "audio"
        else:
            kinds[ssrc] = "other"
        print(f"ssrc {ssrc:#010x}: {len(rs)} packets, pt {rs[0][3]}, ports {rs[0][1]}->{rs[0][2]}, median ts step "
              f"{med}, packets/ts {per_ts:.1f} -> {kinds[ssrc]}")
    return by, kinds


def frames_of(rs):
    """(first t, last t, ts, packets, bytes, marker seen) per RTP timestamp, in arrival order of first packet."""
    fr = collections.OrderedDict()
    for t, _s, _d, _pt, marker, _seq, ts, _ssrc, n in rs:
        f = fr.get(ts)
        if f is None:
            fr[ts] = [t, t, ts, 1, n, marker]
        else:
            f[1] = max(f[1], t)
            f[3] += 1
            f[4] += n
            f[5] = f[5] or marker
    return list(fr.values())


def gaps(times, t0, t1):
    ts = [t for t in times if t0 <= t < t1]
    return [(b - a, b) for a, b in zip(ts, ts[1:])]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    ap.add_argument("frames", nargs="?")
    ap.add_argument("--from", dest="t0", type=float, default=0)
    ap.add_argument("--to", dest="t1", type=float, default=1e12)
    ap.add_argument("--gap", type=float, default=60)
    a = ap.parse_args(argv)
    rtp, rtcp = load(a.pcap)
    by, kinds = classify(rtp)
    start = min(r[0] for r in rtp)
    t0, t1 = start + a.t0 if a.t0 < 1e9 else a.t0, a.t1 if a.t1 >= 1e9 else start + a.t1
    rel = lambda t: t - start  # noqa: E731
    print(f"capture starts {start:.3f} (realtime); window {rel(t0):.1f}..{min(rel(t1), 1e6):.1f} s")
    fb = collections.Counter(x[3] for x in rtcp)
    print("rtcp:", dict(fb))
    vid = [s for s, k in kinds.items() if k == "video"]
    for ssrc in vid:
        fr = frames_of(by[ssrc])
        first = [f[0] for f in fr]
        last = [f[1] for f in fr]
        g1 = gaps(first, t0, t1)
        g2 = gaps(last, t0, t1)
        sizes = [f[4] for f in fr]
        tsd = [((b[2] - a_[2]) & 0xFFFFFFFF) / 90.0 for a_, b in zip(fr, fr[1:])]
        print(f"video ssrc {ssrc:#010x}: {len(fr)} frames; bytes median {statistics.median(sizes):.0f} max "
              f"{max(sizes)}; wire gap (first packet) max {max(g for g, _ in g1) * 1e3:.1f} ms, p99 "
              f"{A.percentile([g for g, _ in g1], 99) * 1e3:.1f}; (last packet) max {max(g for g, _ in g2) * 1e3:.1f} "
              f"ms; RTP ts step max {max(tsd):.1f} ms, steps > 40 ms: {sum(1 for d in tsd if d > 40)}")
        big = sorted(range(len(fr)), key=lambda i: -fr[i][4])[:8]
        print("  largest frames (s, bytes, packets, spread ms):", [(round(rel(fr[i][0]), 2), fr[i][4], fr[i][3],
              round((fr[i][1] - fr[i][0]) * 1e3, 1)) for i in sorted(big)])
        for g, at in g1:
            if g * 1e3 > a.gap:
                i = first.index(at)
                near = [(x[3], round((x[0] - at) * 1e3)) for x in rtcp if abs(x[0] - at) < 0.3 and x[3] not in
                        ("TCC", "SR", "RR", "SDES")]
                print(f"  wire gap {g * 1e3:.1f} ms ending {rel(at):.3f} s: frame ts step "
                      f"{tsd[i - 1] if i > 0 else 0:.1f} ms, {fr[i][3]} packets {fr[i][4]} B; fb near {near}")
    aud = [s for s, k in kinds.items() if k == "audio"]
    for ssrc in aud:
        g = gaps([r[0] for r in by[ssrc]], t0, t1)
        print(f"audio ssrc {ssrc:#010x}: wire gap max {max(x for x, _ in g) * 1e3:.1f} ms")
    for name in ("NACK", "PLI", "FIR"):
        ts = [round(rel(x[0]), 2) for x in rtcp if x[3] == name]
        if ts:
            print(f"{name} at (s):", ts[:40], "..." if len(ts) > 40 else "")
    if a.frames:
        off = 0
        dec, rend, aud_arr = [], [], []
        for line in open(a.frames):
            if line.startswith("# realtime_minus_monotonic_ns"):
                off = int(line.split()[-1])
            elif line.startswith("v,"):
                _k, ar, rn = line.strip().split(",")
                dec.append((int(ar) + off) / 1e9)
                rend.append((int(rn) + off) / 1e9 if int(rn) > 0 else None)
            elif line.startswith("a,"):
                aud_arr.append((int(line.split(",")[1]) + off) / 1e9)
        dg = gaps(dec, t0, t1)
        steps = {d: (r, rend[i - 1], dec[i - 1]) for i, (d, r) in enumerate(zip(dec, rend)) if i > 0}
        lead = [r - d for r, d in zip(rend, dec) if r is not None and t0 <= d < t1]
        print(f"decoded: {len(dec)} frames; gap max {max(g for g, _ in dg) * 1e3:.1f} ms, p99 "
              f"{A.percentile([g for g, _ in dg], 99) * 1e3:.1f} ms; gaps > {a.gap:.0f} ms: "
              f"{sum(1 for g, _ in dg if g * 1e3 > a.gap)}")
        if lead:
            print(f"  render time - delivery: median {statistics.median(lead) * 1e3:.1f} ms, min "
                  f"{min(lead) * 1e3:.1f}, max {max(lead) * 1e3:.1f}")
        ag = gaps(aud_arr, t0, t1)
        if ag:
            print(f"  audio chunks at the sink: gap max {max(g for g, _ in ag) * 1e3:.1f} ms")
        if vid:
            fr = frames_of(by[vid[0]])
            wl = [f[1] for f in fr]
            for g, at in dg:
                if g * 1e3 > a.gap:
                    prev = at - g
                    wire_between = [round((w - prev) * 1e3, 1) for w in wl if prev - 0.2 < w < at + 0.05]
                    r, rp, dp = steps.get(at, (None, None, None))
                    why = ""
                    if r is not None and rp is not None:
                        # render step: how far apart libwebrtc meant the two frames to be shown; late: delivery
                        # after render time (IncomingVideoStream delivers ~10 ms before it when on time)
                        why = (f"render step {(r - rp) * 1e3:.0f} ms, late {(dp - rp) * 1e3:.0f} / "
                               f"{(at - r) * 1e3:.0f} ms; ")
                    print(f"  decoded gap {g * 1e3:.1f} ms ending {rel(at):.3f} s; {why}wire frame completions "
                          f"relative to the gap's start (ms): {wire_between}")


if __name__ == "__main__":
    main()
