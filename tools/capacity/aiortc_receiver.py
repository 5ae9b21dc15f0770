#!/usr/bin/python3
"""The capacity benchmark's receiver: ONE aiortc process (Debian's python3-aiortc 1.4) receiving N sessions over WHEP.

It is not webrtc-java (Facecast's own stack) but an independent WebRTC implementation, like the receiver of the
issue's measurement and of the seed baseline. For each session it POSTs one non-trickle, receive-only offer
(audio + video, BUNDLE) to the WHEP endpoint, sets the answer, and records on time.monotonic():
  * every decoded video frame's arrival,
  * every audio RTP packet's arrival as it reaches aiortc's RTCRtpReceiver (before the jitter buffer and decoder),
  * every decoded audio frame's arrival, sample count and rate.
Nothing is analysed here (tools/capacity/analysis.py does it in the orchestrator), so the receiver's own CPU is
spent on receiving, decrypting and decoding only.

Protocol (JSON lines; stdout is the protocol, stderr the log):
  -> {"event": "sessions", "sessions": [{"id", "location", "token", "ports": [local UDP ports], "answer": SDP}]}
  -> {"event": "media", "seconds": s}         every session has delivered audio and video (or "error")
  <- {"cmd": "window", "t0": mono s, "t1": mono s, "out": path}   writes the raw records around the window to `out`
     (with "trim": true it then forgets the records before t1 - 2 s, so a long soak keeps the receiver bounded)
  -> {"event": "written", "out": path}
  <- {"cmd": "stop"} (or EOF): closes every peer connection, DELETEs every WHEP resource, exits.
The API key comes from FACECAST_API_KEY (never the command line, where ps shows it).
"""
import argparse
import asyncio
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc import codecs as aiortc_codecs
from aiortc.rtcrtpreceiver import RTCRtpReceiver


def fix_abs_send_time_id():
    """aiortc 1.4.0 gives header-extension id 2 to audio ssrc-audio-level AND to video abs-send-time; under BUNDLE
    its receiver then reads the audio-level byte as abs-send-time and its DTLS transport dies at the first audio
    packet ("unpack requires a buffer of 4 bytes", aiortc issue #745). Upstream moved abs-send-time to id 3; so do
    we, here in the test receiver only (the server is right)."""
    for ext in aiortc_codecs.HEADER_EXTENSIONS["video"]:
        if ext.uri == "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time":
            ext.id = 3


fix_abs_send_time_id()

AUDIO_PACKETS = {}  # id(RTCRtpReceiver) of an audio receiver -> [arrival mono s]
_original_handle = RTCRtpReceiver._handle_rtp_packet


async def _timed_handle(self, packet, arrival_time_ms):
    arrivals = AUDIO_PACKETS.get(id(self))
    if arrivals is not None:
        arrivals.append(time.monotonic())
    return await _original_handle(self, packet, arrival_time_ms)


RTCRtpReceiver._handle_rtp_packet = _timed_handle


def log(msg):
    sys.stderr.write("receiver: %s\n" % msg)
    sys.stderr.flush()


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def http(method, url, body=None, content_type=None, timeout=30):
    headers = {}
    key = os.environ.get("FACECAST_API_KEY")
    if key:
        headers["Authorization"] = "Bearer " + key
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, dict(resp.headers), resp.read().decode()


class Stream:
    def __init__(self, index):
        self.index = index
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.id = None
        self.location = None
        self.token = None
        self.answer = None
        self.video = []
        self.audio_frames = []
        self.audio_packets = []
        self.errors = []
        self.tasks = []

    async def connect(self, whep_url):
        self.pc.addTransceiver("video", direction="recvonly")
        self.pc.addTransceiver("audio", direction="recvonly")

        @self.pc.on("track")
        def on_track(track):
            if track.kind == "video":
                self.tasks.append(asyncio.ensure_future(self._video(track)))
            else:
                for r in self.pc.getReceivers():
                    if r.track is track:
                        AUDIO_PACKETS[id(r)] = self.audio_packets
                self.tasks.append(asyncio.ensure_future(self._audio(track)))

        await self.pc.setLocalDescription(await self.pc.createOffer())  # gathers every candidate (non-trickle)
        loop = asyncio.get_running_loop()
        try:
            status, headers, answer = await loop.run_in_executor(
                None, lambda: http("POST", whep_url, self.pc.localDescription.sdp.encode(), "application/sdp"))
        except urllib.error.HTTPError as e:
            raise RuntimeError("WHEP POST %s answered %d: %s" % (whep_url, e.code,
                                                                e.read().decode(errors="replace").strip()))
        location = headers.get("Location")
        if status != 201 or not location:
            raise RuntimeError("WHEP POST answered %d without a Location" % status)
        self.location = urllib.parse.urljoin(whep_url, location)
        self.id = location.rstrip("/").rsplit("/", 1)[-1]
        self.token = headers.get("Facecast-Session-Token")
        self.answer = answer
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))

    def local_ports(self):
        ports = set()
        for t in self.pc.getTransceivers():
            try:
                conn = t.receiver.transport.transport._connection  # aioice Connection
                ports.update(c.port for c in conn.local_candidates)
            except AttributeError:
                pass
        return sorted(ports)

    async def _video(self, track):
        try:
            while True:
                await track.recv()
                self.video.append(time.monotonic())
        except Exception as e:  # MediaStreamError when the connection closes
            self.errors.append("video: %r" % e)

    async def _audio(self, track):
        try:
            while True:
                frame = await track.recv()
                self.audio_frames.append((time.monotonic(), frame.samples, frame.sample_rate))
        except Exception as e:
            self.errors.append("audio: %r" % e)

    def raw(self, t0, t1):
        lo, hi = t0 - 2.0, t1 + 2.0  # a little either side: gaps that straddle the window's edges
        return {
            "id": self.id,
            "video": [t for t in self.video if lo <= t < hi],
            "audio_packets": [t for t in self.audio_packets if lo <= t < hi],
            "audio_frames": [list(f) for f in self.audio_frames if lo <= f[0] < hi],
            "errors": self.errors,
        }

    def forget_before(self, t):
        # In place: the audio packet list is shared with the RTP hook (AUDIO_PACKETS).
        self.video[:] = [v for v in self.video if v >= t]
        self.audio_packets[:] = [v for v in self.audio_packets if v >= t]
        self.audio_frames[:] = [f for f in self.audio_frames if f[0] >= t]

    async def close(self):
        for task in self.tasks:
            task.cancel()
        try:
            await asyncio.wait_for(self.pc.close(), 5)
        except Exception:  # noqa: BLE001 -- closing is best effort
            pass
        if self.location:
            try:
                await asyncio.get_running_loop().run_in_executor(None, lambda: http("DELETE", self.location,
                                                                                     timeout=5))
            except Exception as e:  # noqa: BLE001 -- the stack is torn down next anyway
                log("DELETE %s: %r" % (self.location, e))


async def main(args):
    streams = [Stream(i) for i in range(args.sessions)]
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    try:
        for s in streams:
            await asyncio.wait_for(s.connect(args.whep), args.timeout)
        say({"event": "sessions", "sessions": [{"id": s.id, "location": s.location, "token": s.token,
                                                 "ports": s.local_ports(), "answer": s.answer} for s in streams]})
        start = time.monotonic()
        while not all(s.video and s.audio_frames for s in streams):
            if time.monotonic() - start > args.timeout:
                missing = [s.id for s in streams if not (s.video and s.audio_frames)]
                raise RuntimeError("no audio and video within %d s from sessions %s (errors: %s)"
                                   % (args.timeout, missing, [e for s in streams for e in s.errors][:4]))
            await asyncio.sleep(0.1)
        say({"event": "media", "seconds": round(time.monotonic() - start, 3)})
        while True:
            line = await stdin.readline()
            if not line:
                break
            cmd = json.loads(line)
            if cmd.get("cmd") == "window":
                with open(cmd["out"], "w") as f:
                    json.dump({"streams": [s.raw(cmd["t0"], cmd["t1"]) for s in streams]}, f)
                if cmd.get("trim"):
                    for s in streams:
                        s.forget_before(cmd["t1"] - 2.0)
                say({"event": "written", "out": cmd["out"]})
            elif cmd.get("cmd") == "stop":
                break
    except Exception as e:  # noqa: BLE001 -- reported to the orchestrator as one line
        say({"event": "error", "message": str(e) or repr(e)})
    finally:
        await asyncio.gather(*(s.close() for s in streams), return_exceptions=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--whep", required=True, help="WHEP endpoint, e.g. http://127.0.0.1:8080/whep?width=512")
    ap.add_argument("--sessions", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60, help="seconds for each connect and for first media")
    asyncio.run(main(ap.parse_args()))
