#!/usr/bin/python3
"""The capacity benchmark's GStreamer receiver: ONE process (Debian's GStreamer 1.22 webrtcbin) receiving N
sessions over WHEP, with the same protocol and raw record as aiortc_receiver.py (--receiver gst).

Why a second receiver: the receiver shares the machine's two cores with the stack, and aiortc does its RTP, SRTP
bookkeeping and jitter buffer in Python, at ~4.5 % of a core per stream (docs/benchmarks). webrtcbin does all of that
in C, as a native player does, so this receiver measures the stack with less of the machine taken by the measuring.
It is not webrtc-java (Facecast's own stack) either.

Each session is one pipeline: webrtcbin (max-bundle, receive-only audio + video, non-trickle: the WHEP offer carries
every gathered candidate) and, per incoming stream, depayloader ! decoder ! fakesink sync=false: media is counted as
fast as it is decoded, nothing waits for a presentation clock. Recorded on time.monotonic():
  * every decoded video frame (a probe on vp8dec's src pad),
  * every audio RTP packet as it enters rtpbin (a probe on its receive pad, before the jitter buffer; the audio
    payload type is the answer's), at the time nicesrc read it from the socket (the buffer's timestamp; see
    receiver_protocol.socket_arrival) and, as audio_packets_seen, at the time the Python probe ran,
  * every decoded audio buffer, its sample count and rate (a probe on opusdec's src pad).

Protocol and raw record: receiver_protocol.py (the same as aiortc_receiver.py's).
"""
import argparse
import os
import sys
import threading
import time
import urllib.error
import urllib.parse

import receiver_protocol as P

try:
    import gi

    gi.require_version('Gst', '1.0')
    gi.require_version('GstWebRTC', '1.0')
    gi.require_version('GstSdp', '1.0')
    from gi.repository import Gst, GstWebRTC, GstSdp, GLib  # noqa: E402
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'meter'))
    import webrtcbin_whep as W  # noqa: E402 -- shared with the meter
except (ImportError, ValueError) as missing:
    sys.stderr.write('the GStreamer receiver needs webrtcbin and its Python bindings (%s): apt-get install '
                     'gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice '
                     'gir1.2-gst-plugins-bad-1.0 python3-gst-1.0\n' % missing)
    sys.exit(2)


class Stream(P.Record):
    def __init__(self, index, whep_url):
        super().__init__()
        self.index = index
        self.whep_url = whep_url
        self.candidates = []
        self.gathered = threading.Event()
        self.offered = threading.Event()
        self.offer_sdp = None
        self.audio_pt = None
        self.pipe = Gst.Pipeline.new('session-%d' % index)
        self.webrtc = W.recvonly_webrtcbin()
        self.pipe.add(self.webrtc)
        self.webrtc.connect('on-ice-candidate', lambda _e, mline, c: self.candidates.append((mline, c)))
        self.webrtc.connect('notify::ice-gathering-state', self._on_gathering)
        self.webrtc.connect('pad-added', self._on_pad)
        rtpbin = self.webrtc.get_by_name('rtpbin')
        rtpbin.connect('pad-added', self._on_rtpbin_pad)
        self.rtpbin = rtpbin
        bus = self.pipe.get_bus()
        bus.add_signal_watch()
        bus.connect('message::error', lambda _b, m: self.errors.append('gstreamer: %s' % m.parse_error()[0].message))

    def start(self):
        self.pipe.set_state(Gst.State.PLAYING)
        self.webrtc.emit('create-offer', None, Gst.Promise.new_with_change_func(self._on_offer, None))
        # rtpbin's receive pads exist once the session does; probe them as they come (see _on_rtpbin_pad) and now.
        for pad in self.rtpbin.sinkpads:
            self._probe_receive(pad)

    def _on_offer(self, promise, _):
        reply = promise.get_reply()  # kept while its value is used: a temporary frees the structure under it
        offer = reply.get_value('offer')
        self.webrtc.emit('set-local-description', offer, Gst.Promise.new())
        self.offer_sdp = offer.sdp.as_text()
        self.offered.set()

    def _on_gathering(self, element, _pspec):
        if element.get_property('ice-gathering-state') == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            self.gathered.set()

    def connect(self, timeout):
        self.start()
        if not (self.offered.wait(timeout) and self.gathered.wait(timeout)):
            raise RuntimeError('ICE gathering did not complete in %s s' % timeout)
        try:
            status, headers, answer = P.http('POST', self.whep_url, W.offer_with_candidates(self.offer_sdp, self.candidates).encode(),
                                             'application/sdp')
        except urllib.error.HTTPError as e:
            raise RuntimeError('WHEP POST %s answered %d: %s' % (self.whep_url, e.code,
                                                                e.read().decode(errors='replace').strip()))
        location = headers.get('Location')
        if status != 201 or not location:
            raise RuntimeError('WHEP POST answered %d without a Location' % status)
        self.location = urllib.parse.urljoin(self.whep_url, location)
        self.id = location.rstrip('/').rsplit('/', 1)[-1]
        self.token = headers.get('Facecast-Session-Token')
        self.answer = answer
        self.audio_pt = P.payload_type(answer, 'audio')
        ok, msg = GstSdp.SDPMessage.new_from_text(answer)
        if ok != GstSdp.SDPResult.OK:
            raise RuntimeError('the WHEP answer is not SDP')
        desc = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, msg)
        self.webrtc.emit('set-remote-description', desc, Gst.Promise.new())

    def local_ports(self):
        ports = set()
        for _mline, c in self.candidates:
            fields = c.split()
            if len(fields) > 5 and fields[2].lower() == 'udp':
                ports.add(int(fields[5]))
        return sorted(ports)

    # ---- media ----
    def _on_rtpbin_pad(self, _rtpbin, pad):
        if pad.direction == Gst.PadDirection.SINK:
            self._probe_receive(pad)

    def _probe_receive(self, pad):
        if pad.get_name().startswith('recv_rtp_sink') and not getattr(pad, '_facecast_probed', False):
            pad._facecast_probed = True
            pad.add_probe(Gst.PadProbeType.BUFFER | Gst.PadProbeType.BUFFER_LIST, self._on_rtp)

    def _on_rtp(self, _pad, info):
        now = time.monotonic()
        buffers = [info.get_buffer()] if info.type & Gst.PadProbeType.BUFFER else \
            [info.get_buffer_list().get(i) for i in range(info.get_buffer_list().length())]
        base = self.pipe.get_base_time()
        for buf in buffers:
            header = buf.extract_dup(0, 2) if buf is not None and buf.get_size() >= 2 else b''
            # RTP version 2 and the audio payload type; RTCP (types 200-207 in the second byte) is not counted
            if len(header) == 2 and header[0] >> 6 == 2 and (header[1] & 0x7f) == self.audio_pt:
                stamp = buf.dts if buf.dts != Gst.CLOCK_TIME_NONE else buf.pts
                self.on_audio_packet(P.socket_arrival(stamp, base, now, Gst.CLOCK_TIME_NONE), seen=now)
        return Gst.PadProbeReturn.OK

    def _on_pad(self, _element, pad):
        media = W.pad_media(pad)
        if media == 'video':
            desc = 'rtpvp8depay ! vp8dec name=dec ! fakesink sync=false async=false'
        elif media == 'audio':
            desc = 'rtpopusdepay ! opusdec name=dec ! fakesink sync=false async=false'
        else:
            return
        branch = Gst.parse_bin_from_description(desc, True)
        self.pipe.add(branch)
        src = branch.get_by_name('dec').get_static_pad('src')
        src.add_probe(Gst.PadProbeType.BUFFER, self._on_video if media == 'video' else self._on_audio)
        branch.sync_state_with_parent()
        pad.link(branch.get_static_pad('sink'))

    def _on_video(self, _pad, _info):
        self.on_video(time.monotonic())
        return Gst.PadProbeReturn.OK

    def _on_audio(self, pad, info):
        now = time.monotonic()
        buf = info.get_buffer()
        caps = pad.get_current_caps()
        s = caps.get_structure(0) if caps is not None else None
        rate = s.get_int('rate')[1] if s is not None else 48000
        channels = s.get_int('channels')[1] if s is not None else 1
        self.on_audio_frame(now, buf.get_size() // (2 * max(channels, 1)), rate)
        return Gst.PadProbeReturn.OK

    def close(self):
        self.pipe.set_state(Gst.State.NULL)
        P.delete(self.location)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--whep', required=True, help='WHEP endpoint, e.g. http://127.0.0.1:8080/whep?width=512')
    ap.add_argument('--sessions', type=int, default=1)
    ap.add_argument('--timeout', type=float, default=60, help='seconds for each connect and for first media')
    args = ap.parse_args()
    Gst.init(None)
    P.watch_gc()
    loop = GLib.MainLoop()
    threading.Thread(target=loop.run, name='glib', daemon=True).start()
    streams = [Stream(i, args.whep) for i in range(args.sessions)]
    try:
        for s in streams:
            s.connect(args.timeout)
        P.serve(streams, args.timeout)
    except Exception as e:  # noqa: BLE001 -- reported to the orchestrator as one line
        P.say({'event': 'error', 'message': str(e) or repr(e)})
    finally:
        for s in streams:
            try:
                s.close()
            except Exception as e:  # noqa: BLE001 -- closing is best effort
                P.log('closing %s: %r' % (s.id, e))
        loop.quit()


if __name__ == '__main__':
    main()
