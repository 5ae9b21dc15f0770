"""The receivers' shared protocol and record (receiver_protocol.py), without a network."""
import gc
import io
import json
import os
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import receiver_protocol as P  # noqa: E402

ANSWER = ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
          "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\n")


class Stream(P.Record):
    def __init__(self, sid):
        super().__init__()
        self.id = sid

    def local_ports(self):
        return [5000]


class ReceiverProtocolTest(unittest.TestCase):
    def test_payload_types_come_from_each_m_line(self):
        self.assertEqual(111, P.payload_type(ANSWER, "audio"))
        self.assertEqual(96, P.payload_type(ANSWER, "video"))
        with self.assertRaises(ValueError):
            P.payload_type("v=0\r\n", "audio")

    def test_raw_keeps_the_window_and_two_seconds_either_side(self):
        s = Stream("a")
        for t in [1.0, 7.9, 8.0, 20.0, 21.9, 22.0]:
            s.on_video(t)
        for t in [7.99, 15.0, 22.5]:
            s.on_audio_packet(t)
        s.on_audio_frame(9.0, 960, 48000)
        s.on_audio_frame(30.0, 960, 48000)
        raw = s.raw(10.0, 20.0)
        self.assertEqual([8.0, 20.0, 21.9], raw["video"])
        self.assertEqual([15.0], raw["audio_packets"])
        self.assertEqual([[9.0, 960, 48000]], raw["audio_frames"])
        json.dumps(raw)  # what the receiver writes

    def test_a_packet_arrives_when_its_socket_was_read_not_when_python_saw_it(self):
        none = 2 ** 64 - 1
        self.assertAlmostEqual(100.25, P.socket_arrival(250_000_000, 100_000_000_000, 100.4, none))
        self.assertEqual(100.4, P.socket_arrival(none, 100_000_000_000, 100.4, none), "no stamp: the probe's time")
        self.assertEqual(100.4, P.socket_arrival(5 * 10 ** 9, 100_000_000_000, 100.4, none), "after the probe")
        self.assertEqual(100.4, P.socket_arrival(0, 10 ** 9, 100.4, none), "another clock")
        s = Stream("a")
        s.on_audio_packet(100.25, seen=100.4)
        s.on_audio_packet(100.27)
        raw = s.raw(100.0, 101.0)
        self.assertEqual([100.25, 100.27], raw["audio_packets"])
        self.assertEqual([100.4], raw["audio_packets_seen"])

    def test_a_trimmed_window_forgets_in_place(self):
        s = Stream("a")
        hook = s.audio_packets  # what a receiver's RTP hook may hold
        for t in [1.0, 5.0, 9.0]:
            s.on_audio_packet(t)
        s.on_video(1.0)
        s.on_video(9.0)
        s.on_audio_frame(1.0, 960, 48000)
        s.on_audio_frame(8.0, 480, 48000)
        with tempfile.TemporaryDirectory() as d, mock.patch("sys.stdout", new=io.StringIO()) as out:
            path = os.path.join(d, "w.json")
            cmd = {"cmd": "window", "t0": 0.0, "t1": 9.0, "out": path, "trim": True}
            self.assertTrue(P.handle(json.dumps(cmd) + "\n", [s]))
            with open(path) as f:
                self.assertEqual([1.0, 5.0, 9.0], json.load(f)["streams"][0]["audio_packets"])
            self.assertEqual({"event": "written", "out": path}, json.loads(out.getvalue()))
        self.assertIs(hook, s.audio_packets)
        self.assertEqual([9.0], list(s.audio_packets), "records before t1 - 2 s are forgotten")
        self.assertEqual([9.0], list(s.video))
        self.assertEqual([[8.0, 480, 48000]], s.raw(0.0, 9.0)["audio_frames"])
        self.assertTrue(s.has_media())

    def test_records_hold_no_objects_for_the_cycle_collector(self):
        s = Stream("a")
        for k in range(1000):
            s.on_video(k / 30.0)
            s.on_audio_packet(k / 50.0)
            s.on_audio_frame(k / 50.0, 960, 48000)
        # what a full collection visits inside each record: nothing per entry (a list would give 1000 referents)
        for times in (s.video, s.audio_packets, s.audio_frames):
            self.assertLessEqual(len(gc.get_referents(times)), 1)

    def test_stop_or_end_of_input_ends_the_loop(self):
        self.assertFalse(P.handle('{"cmd": "stop"}\n', []))
        self.assertFalse(P.handle("", []))
        self.assertFalse(P.handle(b"", []))

    def test_sessions_event_lists_every_stream(self):
        s = Stream("a")
        s.location, s.answer = "http://127.0.0.1/whep/resource/a", ANSWER
        event = P.sessions_event([s])
        self.assertEqual("sessions", event["event"])
        self.assertEqual([{"id": "a", "location": s.location, "token": None, "ports": [5000], "answer": ANSWER}],
                         event["sessions"])
        self.assertIn("['a']", str(P.no_media_error([s], 5)))


if __name__ == "__main__":
    unittest.main()
