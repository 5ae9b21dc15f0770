#!/usr/bin/python3
"""The capacity benchmark's receiver: ONE aiortc process (Debian's python3-aiortc 1.4) receiving N sessions over WHEP.

It is not webrtc-java (Facecast's own stack) but an independent WebRTC implementation, like the receiver of the
issue's measurement and of the seed baseline. For each session it POSTs one non-trickle, receive-only offer
(audio + video, BUNDLE) to the WHEP endpoint, sets the answer, and records on time.monotonic():
  * every decoded video frame's arrival,
  * every audio RTP packet's arrival as it reaches aiortc's RTCRtpReceiver (before the jitter buffer and decoder),
  * every decoded audio frame's arrival, sample count and rate.
Protocol and raw record: receiver_protocol.py (the same as gst_receiver.py's).
"""
import argparse
import asyncio
import sys
import time
import urllib.error
import urllib.parse

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc import codecs as aiortc_codecs
from aiortc.rtcrtpreceiver import RTCRtpReceiver

import receiver_protocol as P


def fix_abs_send_time_id():
    """aiortc 1.4.0 gives header-extension id 2 to audio ssrc-audio-level AND to video abs-send-time; under BUNDLE
    its receiver then reads the audio-level byte as abs-send-time and its DTLS transport dies at the first audio
    packet ("unpack requires a buffer of 4 bytes", aiortc issue #745). Upstream moved abs-send-time to id 3; so do
    we, here in the test receiver only (the server is right)."""
    for ext in aiortc_codecs.HEADER_EXTENSIONS["video"]:
        if ext.uri == "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time":
            ext.id = 3


fix_abs_send_time_id()

AUDIO_PACKETS = {}  # id(RTCRtpReceiver) of an audio receiver -> its Stream (which records the arrivals)
_original_handle = RTCRtpReceiver._handle_rtp_packet


async def _timed_handle(self, packet, arrival_time_ms):
    stream = AUDIO_PACKETS.get(id(self))
    if stream is not None:
        stream.on_audio_packet(time.monotonic())
    return await _original_handle(self, packet, arrival_time_ms)


RTCRtpReceiver._handle_rtp_packet = _timed_handle


class Stream(P.Record):
    def __init__(self, index):
        super().__init__()
        self.index = index
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
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
                        AUDIO_PACKETS[id(r)] = self
                self.tasks.append(asyncio.ensure_future(self._audio(track)))

        await self.pc.setLocalDescription(await self.pc.createOffer())  # gathers every candidate (non-trickle)
        loop = asyncio.get_running_loop()
        try:
            status, headers, answer = await loop.run_in_executor(
                None, lambda: P.http("POST", whep_url, self.pc.localDescription.sdp.encode(), "application/sdp"))
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
                self.on_video(time.monotonic())
        except Exception as e:  # MediaStreamError when the connection closes
            self.errors.append("video: %r" % e)

    async def _audio(self, track):
        try:
            while True:
                frame = await track.recv()
                self.on_audio_frame(time.monotonic(), frame.samples, frame.sample_rate)
        except Exception as e:
            self.errors.append("audio: %r" % e)

    async def close(self):
        for task in self.tasks:
            task.cancel()
        try:
            await asyncio.wait_for(self.pc.close(), 5)
        except Exception:  # noqa: BLE001 -- closing is best effort
            pass
        await asyncio.get_running_loop().run_in_executor(None, P.delete, self.location)


async def main(args):
    streams = [Stream(i) for i in range(args.sessions)]
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    try:
        for s in streams:
            await asyncio.wait_for(s.connect(args.whep), args.timeout)
        P.say(P.sessions_event(streams))
        start = time.monotonic()
        while not all(s.has_media() for s in streams):
            if time.monotonic() - start > args.timeout:
                raise P.no_media_error(streams, args.timeout)
            await asyncio.sleep(0.1)
        P.say({"event": "media", "seconds": round(time.monotonic() - start, 3)})
        while P.handle(await stdin.readline(), streams):
            pass
    except Exception as e:  # noqa: BLE001 -- reported to the orchestrator as one line
        P.say({"event": "error", "message": str(e) or repr(e)})
    finally:
        await asyncio.gather(*(s.close() for s in streams), return_exceptions=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--whep", required=True, help="WHEP endpoint, e.g. http://127.0.0.1:8080/whep?width=512")
    ap.add_argument("--sessions", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60, help="seconds for each connect and for first media")
    P.watch_gc()
    asyncio.run(main(ap.parse_args()))
