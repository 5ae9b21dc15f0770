"""What the capacity benchmark's receivers share (aiortc_receiver.py, gst_receiver.py): the protocol with the
orchestrator (capacity_bench.py, soak_bench.py), the raw record of each stream, and WHEP's HTTP calls.

Protocol (JSON lines; stdout is the protocol, stderr the log):
  -> {"event": "sessions", "sessions": [{"id", "location", "token", "ports": [local UDP ports], "answer": SDP}]}
  -> {"event": "media", "seconds": s}         every session has delivered audio and video (or "error")
  <- {"cmd": "window", "t0": mono s, "t1": mono s, "out": path}   writes the raw records around the window to `out`
     (with "trim": true it then forgets the records before t1 - 2 s, so a long soak keeps the receiver bounded)
  -> {"event": "written", "out": path}
  <- {"cmd": "stop"} (or EOF): closes every peer connection, DELETEs every WHEP resource, exits.
The API key comes from FACECAST_API_KEY (never the command line, where ps shows it).

Raw record per stream, all times on time.monotonic(): "video" (each decoded frame), "audio_packets" (each audio RTP
packet as it reaches the receiver, before any jitter buffer), "audio_frames" ([time, samples, rate] per decoded
audio buffer), "errors". Nothing is analysed in the receiver (analysis.py does it in the orchestrator), so the
receiver's own CPU is spent on receiving, decrypting and decoding only.
"""
import bisect
import gc
import json
import os
import sys
import time
import urllib.request
from array import array


def log(msg):
    sys.stderr.write("receiver: %s\n" % msg)
    sys.stderr.flush()


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def http(method, url, body=None, content_type=None, timeout=30):
    """One request with the API key; returns (status, headers, body text) or raises HTTPError."""
    headers = {}
    key = os.environ.get("FACECAST_API_KEY")
    if key:
        headers["Authorization"] = "Bearer " + key
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, dict(resp.headers), resp.read().decode()


def delete(location):
    """DELETEs a WHEP resource, best effort: the stack is torn down next anyway."""
    if location:
        try:
            http("DELETE", location, timeout=5)
        except Exception as e:  # noqa: BLE001
            log("DELETE %s: %r" % (location, e))


def payload_type(sdp, media):
    """The first payload type of the SDP's `media` m-line (an answer lists the one it chose first)."""
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("m=" + media + " "):
            return int(line.split()[3])
    raise ValueError("the SDP has no %s m-line" % media)


def watch_gc(longer_than_s=0.01):
    """Logs each of Python's own collections that takes longer than `longer_than_s` (its generation, monotonic end
    time and length): a receiver-wide stall in the raw record can then be told apart from the stack's."""
    started = {}

    def callback(phase, info):
        if phase == "start":
            started["t"] = time.monotonic()
        elif "t" in started:
            took = time.monotonic() - started.pop("t")
            if took > longer_than_s:
                log("python gc generation %d took %.1f ms, ended at %.3f (collected %d)"
                    % (info["generation"], took * 1000, time.monotonic(), info["collected"]))
    gc.callbacks.append(callback)


class Record:
    """One stream's WHEP resource and what was received on it.

    The times are kept in arrays of doubles, not lists of floats: a soak's receiver holds a segment's records (a few
    hundred thousand entries), and every full collection of Python's cycle collector visited each float of a list
    (collections of 20-75 ms at each segment's write in a 1-hour soak); an array holds no objects to visit.
    """

    def __init__(self):
        self.id = None
        self.location = None
        self.token = None
        self.answer = None
        self.video = array("d")
        self.audio_packets = array("d")
        # the same packets as the receiver's own code saw them, where that is later than arrival (gst_receiver.py)
        self.audio_packets_seen = array("d")
        self.audio_frames = array("d")  # flat: time, samples, rate, time, samples, rate, ...
        self.errors = []

    def on_video(self, t):
        self.video.append(t)

    def on_audio_packet(self, t, seen=None):
        """t: when the packet arrived; seen: when this process's own code got to it, if a receiver knows both."""
        self.audio_packets.append(t)
        if seen is not None:
            self.audio_packets_seen.append(seen)

    def on_audio_frame(self, t, samples, rate):
        self.audio_frames.extend((t, samples, rate))

    def has_media(self):
        return bool(self.video and self.audio_frames)

    def raw(self, t0, t1):
        lo, hi = t0 - 2.0, t1 + 2.0  # a little either side: gaps that straddle the window's edges
        frames = self.audio_frames
        return {
            "id": self.id,
            "video": [t for t in self.video if lo <= t < hi],
            "audio_packets": [t for t in self.audio_packets if lo <= t < hi],
            "audio_packets_seen": [t for t in self.audio_packets_seen if lo <= t < hi],
            "audio_frames": [[frames[i], int(frames[i + 1]), int(frames[i + 2])]
                             for i in range(0, len(frames) - 2, 3) if lo <= frames[i] < hi],
            "errors": self.errors,
        }

    def forget_before(self, t):
        # In place, from the front: each stream's times only grow, and receivers' hooks may hold these arrays.
        del self.video[:bisect.bisect_left(self.video, t)]
        del self.audio_packets[:bisect.bisect_left(self.audio_packets, t)]
        del self.audio_packets_seen[:bisect.bisect_left(self.audio_packets_seen, t)]
        frames = self.audio_frames
        k = 0
        while k + 2 < len(frames) and frames[k] < t:
            k += 3
        del frames[:k]


def socket_arrival(timestamp_ns, base_time_ns, now, clock_none=2 ** 64 - 1):
    """When a packet was read from its socket, in time.monotonic() seconds, from the running time a GStreamer source
    stamped on it (nicesrc has do-timestamp on: the pipeline clock, CLOCK_MONOTONIC, when its thread read the
    datagram) and the pipeline's base time; `now` (this probe's own time) where the buffer has no usable stamp.

    Why not `now`: a Python pad probe runs once its streaming thread holds the interpreter lock, which N sessions'
    threads and the decoders' probes contend for; its time is when Python got to the packet, not when it came.
    """
    if timestamp_ns is None or timestamp_ns == clock_none or base_time_ns is None or base_time_ns == clock_none:
        return now
    t = (base_time_ns + timestamp_ns) / 1e9
    # a stamp from another clock, or after this probe ran, is not an arrival time
    return t if now - 10.0 <= t <= now + 0.001 else now


def sessions_event(streams):
    return {"event": "sessions", "sessions": [{"id": s.id, "location": s.location, "token": s.token,
                                               "ports": s.local_ports(), "answer": s.answer} for s in streams]}


def no_media_error(streams, timeout):
    missing = [s.id for s in streams if not s.has_media()]
    return RuntimeError("no audio and video within %d s from sessions %s (errors: %s)"
                        % (timeout, missing, [e for s in streams for e in s.errors][:4]))


def handle(line, streams):
    """One command line from the orchestrator; False when the receiver should stop."""
    if not line:
        return False
    cmd = json.loads(line)
    if cmd.get("cmd") == "window":
        with open(cmd["out"], "w") as f:
            json.dump({"streams": [s.raw(cmd["t0"], cmd["t1"]) for s in streams]}, f)
        if cmd.get("trim"):
            for s in streams:
                s.forget_before(cmd["t1"] - 2.0)
        say({"event": "written", "out": cmd["out"]})
        return True
    return cmd.get("cmd") != "stop"


def serve(streams, timeout):
    """The protocol for a receiver whose media runs on its own threads: announce, wait for media, obey stdin."""
    say(sessions_event(streams))
    start = time.monotonic()
    while not all(s.has_media() for s in streams):
        if time.monotonic() - start > timeout:
            raise no_media_error(streams, timeout)
        time.sleep(0.1)
    say({"event": "media", "seconds": round(time.monotonic() - start, 3)})
    while handle(sys.stdin.readline(), streams):
        pass
