"""Unit tests of the soak's own arithmetic (tools/capacity/soak_bench.py): segments across capture files, flatness.

  /usr/bin/python3 -m unittest discover -s tools/capacity -p 'test_*.py'
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import soak_bench as S  # noqa: E402
from test_analysis import ANSWER, grid, pcap, rtp  # noqa: E402

SESSION = {"id": "s1", "ports": [6000], "answer": ANSWER}


def audio_file(start, end, hole=None, first_seq=0):
    packets = []
    for i, t in enumerate(grid(start, end, 0.02)):
        if hole is None or not hole[0] < t < hole[1]:
            packets.append((t, 5000, 6000, rtp(96, first_seq + i, (first_seq + i) * 960, 1)))
    return pcap(packets)


class Segments(unittest.TestCase):
    def test_a_gap_across_a_file_boundary_is_counted_once_in_the_later_file(self):
        first, carry = S.wire_segment(audio_file(0, 10, hole=(9.95, 10.1)), [SESSION], {})
        self.assertEqual(first["s1"]["wire_audio_gaps_gt60ms"], 0)  # the file ends inside the hole
        second, _ = S.wire_segment(audio_file(10.1, 20, first_seq=500), [SESSION], carry)
        self.assertEqual(second["s1"]["wire_audio_gaps_gt60ms"], 1)
        self.assertAlmostEqual(second["s1"]["wire_audio_max_gap_ms"], 160.0, delta=1.0)

    def test_without_the_carry_the_same_gap_would_be_lost(self):
        alone, _ = S.wire_segment(audio_file(10.1, 20, first_seq=500), [SESSION], {})
        self.assertEqual(alone["s1"]["wire_audio_gaps_gt60ms"], 0)

    def test_a_session_without_packets_in_a_file_has_no_figures(self):
        got, carry = S.wire_segment(pcap([(1.0, 5000, 7000, rtp(96, 1, 960, 1))]), [SESSION], {})
        self.assertIsNone(got["s1"])
        self.assertEqual(carry, {})


def series(values, period=10.0):
    return [{"t_s": i * period, "pss_signaling_mb": 100.0, "pss_renderer_mb": 200.0, "pss_streamer_mb": v,
             "pss_server_mb": 300.0 + v} for i, v in enumerate(values)]


class Flatness(unittest.TestCase):
    def test_a_steady_process_is_flat_and_a_leaking_one_is_not(self):
        steady = S.flatness(series([400.0 + (i % 3) for i in range(360)]), settle_s=600)
        self.assertTrue(steady["streamer"]["flat"])
        self.assertLess(abs(steady["streamer"]["drift_mb"]), 2.0)
        leaking = S.flatness(series([400.0 + 0.5 * i for i in range(360)]), settle_s=600)
        self.assertFalse(leaking["streamer"]["flat"])
        self.assertGreater(leaking["streamer"]["drift_mb"], 100.0)
        self.assertTrue(leaking["renderer"]["flat"])

    def test_growth_before_settling_does_not_count(self):
        values = [100.0 + 10 * i for i in range(60)] + [700.0] * 300  # warm-up: 100 -> 690 MB in 10 min
        flat = S.flatness(series(values), settle_s=600)
        self.assertTrue(flat["streamer"]["flat"])
        self.assertEqual(flat["streamer"]["samples"], 300)
        self.assertEqual(flat["streamer"]["min_mb"], 700.0)


if __name__ == "__main__":
    unittest.main()
