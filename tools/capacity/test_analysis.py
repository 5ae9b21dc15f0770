"""Unit tests of the capacity benchmark's arithmetic (tools/capacity/analysis.py): standard library only.

  /usr/bin/python3 -m unittest discover -s tools/capacity -p 'test_*.py'
"""
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analysis as A  # noqa: E402


def grid(start, end, step):
    out, t = [], start
    while t < end - 1e-12:
        out.append(round(t, 6))
        t += step
    return out


class Statistics(unittest.TestCase):
    def test_percentile_interpolates_like_numpy(self):
        self.assertEqual(A.percentile([1, 2, 3, 4, 5], 50), 3)
        self.assertAlmostEqual(A.percentile(list(range(1, 101)), 99), 99.01)
        self.assertAlmostEqual(A.percentile([10, 20], 25), 12.5)
        self.assertIsNone(A.percentile([], 99))

    def test_regular_arrivals_have_no_gap(self):
        times = grid(0, 12, 0.02)
        intervals, over, biggest = A.gaps_in_window(times, 1.0, 11.0)
        self.assertEqual(over, 0)
        self.assertAlmostEqual(biggest, 0.02, places=6)
        self.assertEqual(len(intervals), 500)

    def test_a_hole_inside_the_window_is_one_gap(self):
        times = [t for t in grid(0, 12, 0.02) if not 5.0 < t < 5.1]
        _, over, biggest = A.gaps_in_window(times, 1.0, 11.0)
        self.assertEqual(over, 1)
        self.assertAlmostEqual(biggest, 0.1, places=6)

    def test_a_gap_ending_after_the_window_is_not_counted_twice_and_one_before_it_not_at_all(self):
        times = [t for t in grid(0, 12, 0.02) if not 0.5 < t < 0.7]  # gap ends before t0 = 1
        self.assertEqual(A.gaps_in_window(times, 1.0, 11.0)[1], 0)
        times = [t for t in grid(0, 12, 0.02) if not 0.9 < t < 1.1]  # straddles t0: ends inside
        self.assertEqual(A.gaps_in_window(times, 1.0, 11.0)[1], 1)

    def test_a_stream_that_stops_counts_its_silence_up_to_the_window_end(self):
        times = grid(0, 6, 0.02)
        _, over, biggest = A.gaps_in_window(times, 1.0, 11.0)
        self.assertEqual(over, 1)
        self.assertAlmostEqual(biggest, 5.02, places=2)
        _, over, biggest = A.gaps_in_window([], 1.0, 11.0)
        self.assertEqual((over, biggest), (1, 10.0))

    def test_gap_spans_are_the_counted_gaps(self):
        times = [t for t in grid(0, 12, 0.02) if not 5.0 < t < 5.1 and not 0.5 < t < 0.7]
        self.assertEqual([(round(a, 2), round(b, 2)) for a, b in A.gap_spans(times + [20.0], 1.0, 11.0)],
                         [(5.0, 5.1)])
        self.assertEqual(A.gap_spans(grid(0, 6, 0.02), 1.0, 11.0), [(5.98, 11.0)])

    def test_overlapping_gaps_of_several_streams_are_one_stall(self):
        events = A.stall_events([[(5.00, 5.09), (8.0, 8.07)], [(5.02, 5.10)], [(5.105, 5.2)], []])
        self.assertEqual([(e["start"], e["end"], sorted(e["streams"])) for e in events],
                         [(5.00, 5.2, [0, 1, 2]), (8.0, 8.07, [0])])
        # the first stall meets a 30 ms safepoint; the second only a 0.1 ms one, which does not count
        stops = [(5.05, 5.08), (8.03, 8.0301), (9.0, 9.05)]
        self.assertEqual(A.stops_overlapping(events, stops), 1)

    def test_holds_is_the_issue_criterion(self):
        self.assertTrue(A.holds(29.0, 0, 1.0))
        self.assertTrue(A.holds(30.0, 0, 0.99))
        self.assertTrue(A.holds(30.0, 0, 1.01))
        self.assertFalse(A.holds(28.9, 0, 1.0))
        self.assertFalse(A.holds(30.0, 1, 1.0))
        self.assertFalse(A.holds(30.0, 0, 0.985))
        self.assertFalse(A.holds(30.0, 0, 1.02))
        self.assertFalse(A.holds(None, 0, 1.0))


class Receiver(unittest.TestCase):
    def raw(self, fps=30.0, audio_hole=None, audio_rate=1.0):
        video = grid(0, 12, 1.0 / fps)
        packets = grid(0, 12, 0.02)
        if audio_hole:
            packets = [t for t in packets if not audio_hole[0] < t < audio_hole[1]]
        # decoded audio: 20 ms frames of 960 samples at 48 kHz, arriving at audio_rate x real time
        frames = [[t, 960, 48000] for t in grid(0, 12, 0.02 / audio_rate)]
        return {"video": video, "audio_packets": packets, "audio_frames": frames}

    def test_a_healthy_stream_holds(self):
        r = A.receiver_stream(self.raw(), 1.0, 11.0)
        self.assertAlmostEqual(r["fps"], 30.0, delta=0.11)
        self.assertEqual(r["audio_gaps_gt60ms"], 0)
        self.assertAlmostEqual(r["audio_s_per_s"], 1.0, places=3)
        self.assertAlmostEqual(r["audio_p99_ms"], 20.0, places=1)
        self.assertTrue(r["holds"])

    def test_each_rule_alone_breaks_holding(self):
        self.assertFalse(A.receiver_stream(self.raw(fps=25), 1.0, 11.0)["holds"])
        gap = A.receiver_stream(self.raw(audio_hole=(4.0, 4.2)), 1.0, 11.0)
        self.assertEqual(gap["audio_gaps_gt60ms"], 1)
        self.assertAlmostEqual(gap["audio_max_gap_ms"], 200.0, delta=0.1)
        self.assertFalse(gap["holds"])
        slow = A.receiver_stream(self.raw(audio_rate=0.95), 1.0, 11.0)
        self.assertAlmostEqual(slow["audio_s_per_s"], 0.95, places=2)
        self.assertFalse(slow["holds"])

    def test_gaps_the_receiver_made_itself_are_counted_apart(self):
        raw = self.raw()
        seen = list(raw["audio_packets"])
        raw["audio_packets_seen"] = [t + (0.1 if 5.0 <= t < 5.1 else 0.0) for t in seen]  # probe held 100 ms
        r = A.receiver_stream(raw, 1.0, 11.0)
        self.assertEqual(0, r["audio_gaps_gt60ms"], "arrival had no gap")
        self.assertEqual(1, r["audio_seen_gaps_gt60ms"])
        self.assertAlmostEqual(120.0, r["audio_seen_max_gap_ms"], delta=0.1)
        self.assertIsNone(A.receiver_stream(self.raw(), 1.0, 11.0)["audio_seen_gaps_gt60ms"])


METRICS_BEFORE = """# HELP facecast_streamer_pacing_error_seconds Push time minus due time
# TYPE facecast_streamer_pacing_error_seconds histogram
facecast_streamer_pacing_error_seconds_bucket{media="audio",process="streamer",le="0.01",} 90.0
facecast_streamer_pacing_error_seconds_bucket{media="audio",process="streamer",le="0.02",} 98.0
facecast_streamer_pacing_error_seconds_bucket{media="audio",process="streamer",le="+Inf",} 100.0
facecast_streamer_pacing_error_seconds_count{media="audio",process="streamer",} 100.0
facecast_streamer_pacing_error_seconds_bucket{media="video",process="streamer",le="0.01",} 50.0
facecast_streamer_pacing_error_seconds_count{media="video",process="streamer",} 50.0
"""
METRICS_AFTER = METRICS_BEFORE.replace("0.01\",} 90.0", "0.01\",} 1080.0").replace("0.02\",} 98.0", "0.02\",} 1095.0") \
    .replace("le=\"+Inf\",} 100.0", "le=\"+Inf\",} 1100.0").replace("media=\"audio\",process=\"streamer\",} 100.0",
                                                                  "media=\"audio\",process=\"streamer\",} 1100.0")


class StreamerMeters(unittest.TestCase):
    def test_samples_keep_labels_and_skip_comments(self):
        s = A.prometheus_samples(METRICS_BEFORE)
        key = ("facecast_streamer_pacing_error_seconds_count", (("media", "audio"), ("process", "streamer")))
        self.assertEqual(100.0, s[key])
        self.assertEqual(6, len(s))

    def test_late_pushes_are_counted_over_the_window_only(self):
        before, after = A.prometheus_samples(METRICS_BEFORE), A.prometheus_samples(METRICS_AFTER)
        # 1000 audio pushes in the window: 990 within 10 ms, 997 within 20 ms
        self.assertEqual((1000, 10), A.histogram_over(before, after, "facecast_streamer_pacing_error_seconds", 0.01,
                                                      media="audio"))
        f = A.scheduler_figures(before, after)
        self.assertEqual(1000, f["sched_audio_pushes"])
        self.assertEqual(10, f["sched_audio_late_gt10ms"])
        self.assertEqual(3, f["sched_audio_late_gt20ms"])
        self.assertEqual(0, f["sched_video_pushes"])
        self.assertIsNone(f["push_audio_gt5ms"], "no such histogram scraped: no figure, not zero")
        self.assertIsNone(A.scheduler_figures({}, {})["sched_audio_pushes"])
        self.assertIsNone(f["pacing_rt_priority"])
        rt = A.prometheus_samples('facecast_streamer_pacing_realtime_priority{process="streamer",} 10.0\n')
        self.assertEqual(10, A.scheduler_figures(before, rt)["pacing_rt_priority"])


ANSWER = "\r\n".join([
    "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
    "m=video 9 UDP/TLS/RTP/SAVPF 97 98", "a=mid:0", "a=rtpmap:97 VP8/90000", "a=rtpmap:98 rtx/90000",
    "a=fmtp:98 apt=97",
    "m=audio 9 UDP/TLS/RTP/SAVPF 96 0", "a=mid:1", "a=rtpmap:96 opus/48000/2", "a=rtpmap:0 PCMU/8000", ""])


def rtp(pt, seq, ts, ssrc, marker=False):
    return struct.pack(">BBHII", 0x80, (0x80 if marker else 0) | pt, seq, ts, ssrc) + b"\x00" * 20


def pcap(packets, linktype=1):
    """A classic little-endian microsecond pcap of IPv4/UDP packets: (time s, sport, dport, payload)."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)]
    for t, sport, dport, payload in packets:
        udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([127, 0, 0, 1]),
                         bytes([127, 0, 0, 1])) + udp
        frame = (b"\x00" * 12 + b"\x08\x00" + ip) if linktype == 1 else ip
        sec = int(t)
        out.append(struct.pack("<IIII", sec, int(round((t - sec) * 1e6)), len(frame), len(frame)) + frame)
    return b"".join(out)


class Wire(unittest.TestCase):
    def test_answer_payload_types_leave_out_rtx(self):
        self.assertEqual(A.answer_payload_types(ANSWER), {"audio": {96, 0}, "video": {97}})

    def test_rtp_header_refuses_rtcp_stun_and_dtls(self):
        self.assertEqual(A.rtp_header(rtp(96, 7, 960, 42, True)), (96, True, 7, 960, 42))
        rtcp_sr = bytes([0x80, 200]) + b"\x00" * 26
        self.assertIsNone(A.rtp_header(rtcp_sr))
        self.assertIsNone(A.rtp_header(b"\x00\x01" + b"\x00" * 18))  # STUN binding request
        self.assertIsNone(A.rtp_header(b"\x17\xfe\xfd" + b"\x00" * 20))  # DTLS application data
        self.assertIsNone(A.rtp_header(b"\x80"))

    def test_pcap_reader_finds_udp_on_ethernet_and_raw_ip(self):
        for linktype in (1, 101):
            got = list(A.pcap_udp(pcap([(100.25, 5000, 6000, b"hello")], linktype)))
            self.assertEqual(len(got), 1)
            t, sport, dport, payload = got[0]
            self.assertAlmostEqual(t, 100.25, places=5)
            self.assertEqual((sport, dport, payload), (5000, 6000, b"hello"))
        with self.assertRaises(ValueError):
            list(A.pcap_udp(b"\x0a\x0d\x0d\x0a" + b"\x00" * 40))  # pcapng

    def test_wire_stream_audio_gaps_and_video_frames(self):
        packets = []
        # audio: 20 ms packets for 10 s with one 100 ms hole; video: 30 fps, 3 packets per frame, one RTX-like
        # late repeat of an old frame's packet that must not count as a frame
        for i, t in enumerate(grid(0, 10, 0.02)):
            if not 5.0 < t < 5.1:
                packets.append((t, rtp(96, i, i * 960, 1)))
        for k, t in enumerate(grid(0, 10, 1 / 30.0)):
            for j in range(3):
                packets.append((t + j * 0.001, rtp(97, 3 * k + j, k * 3000, 2, marker=(j == 2))))
            if k == 100:
                packets.append((t + 0.002, rtp(97, 5, 3000, 2)))  # frame 1's packet again, late
            packets.append((t + 0.0005, bytes([0x80, 201]) + b"\x00" * 30))  # an RTCP RR: ignored
        packets.sort(key=lambda p: p[0])
        w = A.wire_stream(packets, {96}, {97}, 1.0, 9.0)
        self.assertEqual(w["wire_audio_gaps_gt60ms"], 1)
        self.assertAlmostEqual(w["wire_audio_max_gap_ms"], 100.0, delta=0.1)
        self.assertAlmostEqual(w["wire_audio_p99_ms"], 20.0, delta=0.1)
        self.assertAlmostEqual(w["wire_video_fps"], 30.0, delta=0.2)
        self.assertAlmostEqual(w["wire_video_frame_p99_ms"], 33.3, delta=0.2)
        self.assertEqual(w["wire_video_gaps_gt100ms"], 0)


class ProcAndJvm(unittest.TestCase):
    def test_stat_cpu_ticks_survives_spaces_in_the_command_name(self):
        stat = "1234 (java (main) x) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 40 0 100 0 0"
        self.assertEqual(A.stat_cpu_ticks(stat), 325)
        self.assertEqual(A.cpu_percent(100, 325, 10.0, 100), 22.5)

    def test_pss_comes_from_the_pss_line_only(self):
        text = "55d0-7ffe ---p 00000000 00:00 0 [rollup]\nRss: 2000 kB\nPss: 1500 kB\nPss_Anon: 900 kB\n"
        self.assertEqual(A.smaps_rollup_pss_kb(text), 1500)
        self.assertEqual(A.smaps_rollup_kb(text, "Rss"), 2000)
        with self.assertRaises(ValueError):
            A.smaps_rollup_pss_kb("Rss: 1 kB\n")

    def test_gc_log_pauses_and_safepoints_in_the_window(self):
        lines = [
            "[1000ms][gc,start    ] GC(0) Pause Young (Normal) (G1 Evacuation Pause)",
            "[1005ms][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 6.981ms",
            "[1005ms][safepoint   ] Safepoint \"G1CollectForAllocation\", Time since last: 1 ns, Reaching "
            "safepoint: 7781 ns, Cleanup: 37626 ns, At safepoint: 7060935 ns, Total: 7106342 ns",
            "[2000ms][gc,phases   ] GC(1) Pause Mark Start 0.011ms",  # ZGC's pauses are phase lines
            "[2500ms][gc,cpu      ] GC(1) User=0.01s Sys=0.00s Real=0.01s",
            "[9000ms][gc          ] GC(2) Pause Young (Allocation Failure) 17M->4M(61M) 26.792ms",  # after t1
            "not a log line",
        ]
        spans = []
        s = A.gc_log_summary(lines, 1000, 5000, spans)
        self.assertEqual(len(spans), 1)
        self.assertAlmostEqual(spans[0][0], 1.005 - 0.0071063, places=6)  # logged when the stop ends
        self.assertEqual(spans[0][1], 1.005)
        self.assertEqual(s["gc_pauses"], 2)
        self.assertEqual(s["gc_pause_max_ms"], 6.98)
        self.assertEqual(s["gc_pause_total_ms"], 6.99)
        self.assertEqual(s["safepoints"], 1)
        self.assertEqual(s["safepoint_max_ms"], 7.11)


class Point(unittest.TestCase):
    def test_summary_counts_holding_streams_and_takes_worst_figures(self):
        streams = [
            {"fps": 30.0, "audio_gaps_gt60ms": 0, "audio_max_gap_ms": 30.0, "audio_s_per_s": 1.0, "holds": True,
             "wire_audio_p99_ms": 21.0, "wire_audio_gaps_gt60ms": 0},
            {"fps": 28.0, "audio_gaps_gt60ms": 3, "audio_max_gap_ms": 90.0, "audio_s_per_s": 0.97, "holds": False,
             "wire_audio_p99_ms": 40.0, "wire_audio_gaps_gt60ms": 2},
        ]
        p = A.summarize_streams(streams)
        self.assertEqual((p["streams"], p["streams_holding"], p["all_hold"]), (2, 1, False))
        self.assertEqual((p["fps_min"], p["fps_mean"]), (28.0, 29.0))
        self.assertEqual((p["audio_gaps_gt60ms_total"], p["audio_max_gap_ms"]), (3, 90.0))
        self.assertEqual((p["audio_s_per_s_min"], p["audio_s_per_s_max"]), (0.97, 1.0))
        self.assertEqual((p["wire_audio_p99_ms_max"], p["wire_audio_gaps_gt60ms_total"]), (40.0, 2))
        self.assertIsNone(p["wire_video_frame_p99_ms_max"])  # not captured: no figure, not zero


if __name__ == "__main__":
    unittest.main()
