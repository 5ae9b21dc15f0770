"""The capacity benchmark's arithmetic: pure functions over raw timestamps, packet captures, /proc text and JVM logs.

Everything the benchmark reports is computed here, so the rules are written once and unit-tested
(tools/capacity/test_analysis.py). No numpy: the inputs are small (tens of thousands of timestamps).

Rules
-----
* A stream **holds** when, over the window, it delivered >= 29 video frames per second, no audio gap over 60 ms
  (inter-arrival of audio RTP packets at the receiver), and 1.000 +/- 0.01 s of decoded audio per wall second.
* A **gap** is the time between two consecutive arrivals, counted in the window when the later arrival is inside it
  (a stream that stops before the window ends also counts its silence up to the window's end).
* **Percentiles** interpolate linearly between order statistics (numpy's default), so p99 of 100 values is not
  simply the maximum.
* On the wire (a pcap of the loopback interface): an RTP packet is UDP whose payload starts with version 2 and whose
  payload type is one the session's SDP answer gave to audio or video (RTCP, STUN and DTLS never match); a video
  frame arrives with the first packet of a new RTP timestamp (retransmissions and late packets of a frame already
  seen do not start a frame).
* **CPU** of a process: (utime + stime) of all its threads, from /proc/PID/stat, over the window, as % of one core.
  **PSS** from /proc/PID/smaps_rollup (shared pages divided among the processes mapping them, so the three JVMs'
  figures add up without counting the mmapped bus twice).
* **GC**: lines of a JVM's -Xlog:gc*,safepoint log decorated with `tm` (wall-clock ms); a pause is a `gc` line that
  says "Pause" and ends with its duration in ms (G1, Serial, Parallel, Shenandoah, ZGC alike); a safepoint line
  gives every stop of the world, GC or not (its "Total" in ns).
"""
import math
import re
import struct

GAP_S = 0.060
HOLD_MIN_FPS = 29.0
HOLD_AUDIO_TOLERANCE = 0.01


# ---------------------------------------------------------------- statistics
def percentile(values, p):
    """p in [0, 100]; linear interpolation between order statistics; None for no values."""
    xs = sorted(values)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    lo = math.floor(k)
    hi = math.ceil(k)
    if lo == hi:
        return float(xs[int(k)])
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def gaps_in_window(times, t0, t1, threshold=GAP_S):
    """Inter-arrival gaps ending in [t0, t1) of sorted arrival times (which may extend beyond the window).

    Returns (intervals, over, max_gap): the inter-arrival intervals ending in the window, how many exceed
    `threshold`, and the largest (seconds; None without any interval). A stream silent from its last arrival to t1
    adds that silence as one more gap when it exceeds the threshold; a stream with no arrival at all in or before
    the window has one gap of the whole window.
    """
    intervals = []
    prev = None
    for t in times:
        if t >= t1:
            break
        if prev is not None and t >= t0:
            intervals.append(t - prev)
        prev = t
    over = sum(1 for d in intervals if d > threshold)
    biggest = max(intervals) if intervals else None
    tail = t1 - (t0 if prev is None else max(prev, t0))  # silence still going on at the window's end
    if tail > threshold:
        over += 1
        biggest = tail if biggest is None else max(biggest, tail)
    return intervals, over, biggest


def gap_spans(times, t0, t1, threshold=GAP_S):
    """The gaps of gaps_in_window() over `threshold` as (start, end) spans: the last arrival before, the next after
    (or t1 for silence still going on at the window's end)."""
    spans = []
    prev = None
    for t in times:
        if t >= t1:
            break
        if prev is not None and t >= t0 and t - prev > threshold:
            spans.append((prev, t))
        prev = t
    start = t0 if prev is None else max(prev, t0)
    if t1 - start > threshold:
        spans.append((start, t1))
    return spans


def stall_events(spans_by_stream, slack=0.010):
    """Gaps of different streams that overlap in time (within `slack`) are one event: a stall of the sender as a
    whole rather than of one stream. Returns [{"start", "end", "streams"}] in time order."""
    tagged = sorted((s, e, i) for i, spans in enumerate(spans_by_stream) for s, e in spans)
    events = []
    for s, e, i in tagged:
        if events and s <= events[-1]["end"] + slack:
            ev = events[-1]
            ev["end"] = max(ev["end"], e)
            ev["streams"].add(i)
        else:
            events.append({"start": s, "end": e, "streams": {i}})
    return events


def stops_overlapping(events, stops, slack=0.010, min_stop=0.005):
    """How many events overlap a stop of the world (start, end) of the sender lasting at least `min_stop` seconds
    (an audio gap over 60 ms needs the sender held for over 40 ms; sub-millisecond safepoints are noise), within
    `slack` seconds."""
    long_stops = [(a, b) for a, b in stops if b - a >= min_stop]
    return sum(1 for ev in events
               if any(a <= ev["end"] + slack and b >= ev["start"] - slack for a, b in long_stops))


def count_in(times, t0, t1):
    return sum(1 for t in times if t0 <= t < t1)


def holds(fps, audio_gaps, audio_s_per_s):
    """The benchmark's criterion for one stream."""
    return (fps is not None and fps >= HOLD_MIN_FPS and audio_gaps == 0 and audio_s_per_s is not None
            and abs(audio_s_per_s - 1.0) <= HOLD_AUDIO_TOLERANCE + 1e-9)


def ms(seconds, digits=1):
    return None if seconds is None else round(seconds * 1000.0, digits)


# ---------------------------------------------------------------- receiver side
def receiver_stream(raw, t0, t1):
    """Figures of one stream from the receiver's raw record.

    raw: {"video": [arrival s of each decoded frame], "audio_packets": [arrival s of each audio RTP packet, before
    the jitter buffer], "audio_frames": [[arrival s, samples, rate] of each decoded audio frame]} on one monotonic
    clock; t0/t1 the window on that clock. Optionally "audio_packets_seen": the same packets when the receiver's own
    code got to them (gst_receiver.py), whose gaps say how much of a gap at the receiver was the receiver's.
    """
    window = t1 - t0
    video = sorted(raw.get("video", []))
    packets = sorted(raw.get("audio_packets", []))
    _, vgaps, vmax = gaps_in_window(video, t0, t1, threshold=0.1)
    intervals, agaps, amax = gaps_in_window(packets, t0, t1)
    media = sum(n / float(rate) for t, n, rate in raw.get("audio_frames", []) if t0 <= t < t1 and rate)
    fps = count_in(video, t0, t1) / window
    audio_s = media / window
    seen = sorted(raw.get("audio_packets_seen", []))
    _, seen_gaps, seen_max = gaps_in_window(seen, t0, t1) if seen else (None, None, None)
    return {
        "audio_seen_gaps_gt60ms": seen_gaps,
        "audio_seen_max_gap_ms": ms(seen_max),
        "fps": round(fps, 2),
        "audio_gaps_gt60ms": agaps,
        "audio_max_gap_ms": ms(amax),
        "audio_p99_ms": ms(percentile(intervals, 99)),
        "audio_s_per_s": round(audio_s, 4),
        "video_max_gap_ms": ms(vmax),
        "holds": holds(fps, agaps, audio_s),
    }


# ---------------------------------------------------------------- SDP
_RTPMAP = re.compile(r"^a=rtpmap:(\d+) ([^/\s]+)/")
_NOT_MEDIA = {"rtx", "red", "ulpfec", "flexfec-03", "cn", "telephone-event"}


def answer_payload_types(sdp):
    """{'audio': {pt, ...}, 'video': {pt, ...}}: the media (not rtx/red/fec/CN/DTMF) payload types of an SDP."""
    out = {"audio": set(), "video": set()}
    kind = None
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            kind = line[2:].split(" ", 1)[0]
            continue
        m = _RTPMAP.match(line)
        if m and kind in out and m.group(2).lower() not in _NOT_MEDIA:
            out[kind].add(int(m.group(1)))
    return out


# ---------------------------------------------------------------- pcap
def pcap_udp(data):
    """Yields (time s, src port, dst port, UDP payload) of each IPv4/IPv6 UDP packet in a classic pcap file's bytes.

    Link types: Ethernet (Linux `lo` captures as Ethernet), Linux cooked (SLL, SLL2), BSD loopback, raw IP.
    """
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError("not a classic pcap file (pcapng? capture with -P / -F pcap)")
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    rec = struct.Struct(endian + "IIII")
    pos = 24
    while pos + 16 <= len(data):
        sec, frac, incl, _orig = rec.unpack_from(data, pos)
        pos += 16
        pkt = data[pos:pos + incl]
        pos += incl
        t = sec + frac / (1e9 if nano else 1e6)
        ip = _ip_offset(linktype, pkt)
        if ip is None or ip >= len(pkt):
            continue
        udp = _udp_offset(pkt, ip)
        if udp is None or udp + 8 > len(pkt):
            continue
        sport, dport = struct.unpack_from(">HH", pkt, udp)
        yield t, sport, dport, pkt[udp + 8:]


def _ip_offset(linktype, pkt):
    if linktype == 1:  # Ethernet: skip VLAN tags
        off, ethertype = 12, None
        while off + 2 <= len(pkt):
            ethertype = struct.unpack_from(">H", pkt, off)[0]
            if ethertype in (0x8100, 0x88A8):
                off += 4
                continue
            break
        return off + 2 if ethertype in (0x0800, 0x86DD) else None
    if linktype == 113:  # Linux cooked v1
        return 16
    if linktype == 276:  # Linux cooked v2
        return 20
    if linktype == 0:  # BSD loopback
        return 4
    if linktype in (101, 12, 14):  # raw IP
        return 0
    return None


def _udp_offset(pkt, ip):
    version = pkt[ip] >> 4
    if version == 4:
        if pkt[ip + 9] != 17:
            return None
        return ip + (pkt[ip] & 0x0F) * 4
    if version == 6 and ip + 40 <= len(pkt):
        return ip + 40 if pkt[ip + 6] == 17 else None
    return None


def rtp_header(payload):
    """(payload type, marker, sequence, timestamp, ssrc) of an RTP packet, or None (RTCP, STUN, DTLS, short)."""
    if len(payload) < 12 or payload[0] >> 6 != 2:
        return None
    pt = payload[1] & 0x7F
    if 72 <= pt <= 79:  # RTCP 200..207 seen as RTP: never media
        return None
    seq, ts, ssrc = struct.unpack_from(">HII", payload, 2)
    return pt, bool(payload[1] & 0x80), seq, ts, ssrc


def wire_stream(packets, audio_pts, video_pts, t0, t1):
    """Wire figures of one session from its captured packets.

    packets: (time s, payload) of every UDP datagram sent to the session's receiver port, in capture order;
    audio_pts / video_pts: the media payload types of its SDP answer; t0/t1: the capture window (same clock).
    """
    audio, frames, seen = [], [], set()
    for t, payload in packets:
        h = rtp_header(payload)
        if h is None:
            continue
        pt, _marker, _seq, ts, ssrc = h
        if pt in audio_pts:
            audio.append(t)
        elif pt in video_pts and (ssrc, ts) not in seen:
            seen.add((ssrc, ts))
            frames.append(t)
    window = t1 - t0
    spans = gap_spans(audio, t0, t1)
    a_int, a_over, a_max = gaps_in_window(audio, t0, t1)
    v_int, v_over, v_max = gaps_in_window(frames, t0, t1, threshold=0.1)
    return {
        "wire_audio_packets": count_in(audio, t0, t1),
        "wire_audio_p99_ms": ms(percentile(a_int, 99)),
        "wire_audio_gaps_gt60ms": a_over,
        "wire_audio_max_gap_ms": ms(a_max),
        "wire_video_fps": round(count_in(frames, t0, t1) / window, 2) if window > 0 else None,
        "wire_video_frame_p99_ms": ms(percentile(v_int, 99)),
        "wire_video_gaps_gt100ms": v_over,
        "wire_video_max_gap_ms": ms(v_max),
        "audio_gap_spans": spans,  # (start, end) of each audio gap over 60 ms: for stall_events()
    }


# ---------------------------------------------------------------- /proc
def stat_cpu_ticks(stat_text):
    """utime + stime (clock ticks, all threads) from the text of /proc/PID/stat (the comm field may hold spaces)."""
    rest = stat_text.rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


def smaps_rollup_kb(text, field="Pss"):
    """A line of /proc/PID/smaps_rollup (Pss, Rss, ...), in kB."""
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise ValueError("no %s line in smaps_rollup" % field)


def smaps_rollup_pss_kb(text):
    return smaps_rollup_kb(text, "Pss")


def cpu_percent(ticks0, ticks1, seconds, ticks_per_s):
    return round((ticks1 - ticks0) / float(ticks_per_s) / seconds * 100.0, 1) if seconds > 0 else None


# ---------------------------------------------------------------- JVM unified log
_LOG_LINE = re.compile(r"^\[(\d+)ms\]\[([^\]]*)\]\s*(.*)$")
_PAUSE_MS = re.compile(r"\bPause\b.*?(\d+(?:\.\d+)?)ms\s*$")
_SAFEPOINT_TOTAL = re.compile(r"Total: (\d+) ns")


def gc_log_summary(lines, t0_ms, t1_ms, spans=None):
    """GC pauses and safepoints (stops of the world) whose log line falls in [t0_ms, t1_ms) (wall-clock ms).

    A line is written when its pause ends; `spans`, when given a list, receives each safepoint as (start, end) in
    wall-clock seconds (end = the line's time, start = end - its total), for stops_overlapping()."""
    pauses, stops = [], []
    for line in lines:
        m = _LOG_LINE.match(line.strip())
        if not m:
            continue
        t = int(m.group(1))
        if not t0_ms <= t < t1_ms:
            continue
        tags = m.group(2).strip().split(",")
        text = m.group(3)
        if tags[0] == "gc":
            p = _PAUSE_MS.search(text)
            if p:
                pauses.append(float(p.group(1)))
        elif tags == ["safepoint"]:
            s = _SAFEPOINT_TOTAL.search(text)
            if s:
                stops.append(int(s.group(1)) / 1e6)
                if spans is not None:
                    spans.append((t / 1000.0 - stops[-1] / 1000.0, t / 1000.0))
    return {
        "gc_pauses": len(pauses),
        "gc_pause_max_ms": round(max(pauses), 2) if pauses else 0.0,
        "gc_pause_total_ms": round(sum(pauses), 2),
        "safepoints": len(stops),
        "safepoint_max_ms": round(max(stops), 2) if stops else 0.0,
        "safepoint_total_ms": round(sum(stops), 2),
    }


# ---------------------------------------------------------------- a point of the sweep
# ---------------------------------------------------------------- the streamer's own meters
_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def prometheus_samples(text):
    """{(name, ((label, value), ...) sorted): value} of a Prometheus text exposition (comments skipped)."""
    out = {}
    for line in text.splitlines():
        m = _SAMPLE.match(line)
        if not m or line.startswith("#"):
            continue
        labels = tuple(sorted(_LABEL.findall(m.group(2) or "")))
        try:
            out[(m.group(1), labels)] = float(m.group(3))
        except ValueError:
            continue
    return out


def histogram_over(before, after, name, over_s, **match):
    """(observations, observations above over_s) of histogram `name` between two scrapes, for the series whose
    labels include `match`; over_s must be one of its bucket bounds. None when the scrapes lack the series."""
    def cumulative(samples, le):
        return sum(v for (n, labels), v in samples.items() if n == name + "_bucket"
                   and dict(labels).get("le") not in (None, "+Inf") and abs(float(dict(labels)["le"]) - le) < 1e-9
                   and all(dict(labels).get(k) == v2 for k, v2 in match.items()))

    def count(samples):
        return sum(v for (n, labels), v in samples.items() if n == name + "_count"
                   and all(dict(labels).get(k) == v2 for k, v2 in match.items()))

    if not any(n == name + "_count" for n, _ in after):
        return None
    total = count(after) - count(before)
    within = cumulative(after, over_s) - cumulative(before, over_s)
    return int(round(total)), int(round(total - within))


def scheduler_figures(before, after):
    """What the streamer's pacing thread did over a window, from two scrapes of its /metrics: pushes later than
    10 and 20 ms after their due time (the thread did not run, or ran something else), and pushes into libwebrtc
    that took over 5 and 20 ms (the native call blocked). A gap on the wire with neither is after the push."""
    rt = [v for (n, _labels), v in after.items() if n == "facecast_streamer_pacing_realtime_priority"]
    out = {"pacing_rt_priority": int(rt[0]) if rt else None}
    for media in ("audio", "video"):
        late10 = histogram_over(before, after, "facecast_streamer_pacing_error_seconds", 0.01, media=media)
        late20 = histogram_over(before, after, "facecast_streamer_pacing_error_seconds", 0.02, media=media)
        slow5 = histogram_over(before, after, "facecast_streamer_push_duration_seconds", 0.005, media=media)
        slow20 = histogram_over(before, after, "facecast_streamer_push_duration_seconds", 0.02, media=media)
        out["sched_%s_pushes" % media] = late10[0] if late10 else None
        out["sched_%s_late_gt10ms" % media] = late10[1] if late10 else None
        out["sched_%s_late_gt20ms" % media] = late20[1] if late20 else None
        out["push_%s_gt5ms" % media] = slow5[1] if slow5 else None
        out["push_%s_gt20ms" % media] = slow20[1] if slow20 else None
    return out


def summarize_streams(streams):
    """Aggregates per-stream rows (receiver and, where captured, wire figures) into one point's figures."""
    def vals(key):
        return [s[key] for s in streams if s.get(key) is not None]

    def agg(fn, key, digits=None):
        v = vals(key)
        if not v:
            return None
        r = fn(v)
        return round(r, digits) if digits is not None else r

    return {
        "streams": len(streams),
        "streams_holding": sum(1 for s in streams if s.get("holds")),
        "all_hold": bool(streams) and all(s.get("holds") for s in streams),
        "fps_min": agg(min, "fps", 2),
        "fps_mean": agg(lambda v: sum(v) / len(v), "fps", 2),
        "audio_gaps_gt60ms_total": agg(sum, "audio_gaps_gt60ms"),
        "audio_gaps_gt60ms_max_per_stream": agg(max, "audio_gaps_gt60ms"),
        "audio_max_gap_ms": agg(max, "audio_max_gap_ms"),
        "audio_seen_gaps_gt60ms_total": agg(sum, "audio_seen_gaps_gt60ms"),
        "audio_seen_max_gap_ms": agg(max, "audio_seen_max_gap_ms"),
        "audio_s_per_s_min": agg(min, "audio_s_per_s", 4),
        "audio_s_per_s_max": agg(max, "audio_s_per_s", 4),
        "wire_audio_p99_ms_max": agg(max, "wire_audio_p99_ms"),
        "wire_audio_gaps_gt60ms_total": agg(sum, "wire_audio_gaps_gt60ms"),
        "wire_audio_gaps_gt60ms_max_per_stream": agg(max, "wire_audio_gaps_gt60ms"),
        "wire_audio_max_gap_ms": agg(max, "wire_audio_max_gap_ms"),
        "wire_video_frame_p99_ms_max": agg(max, "wire_video_frame_p99_ms"),
        "wire_video_max_gap_ms": agg(max, "wire_video_max_gap_ms"),
        "wire_video_fps_min": agg(min, "wire_video_fps", 2),
    }
