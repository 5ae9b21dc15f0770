#!/usr/bin/python3
"""facecast meter: a lip-sync and latency meter that watches any WHEP stream as a standard player would.

  facecast meter --whep URL [--token T] [--seconds S] [--json] [--png timeline.png]

It is GStreamer's webrtcbin (Debian's 1.22) receiving one session through a WHEP endpoint (POST URL, one non-trickle
offer with every local candidate in it). Media is handled the way a player handles it: rtpbin's jitter buffers,
lip-synced by the RTCP sender reports (webrtcbin's default, rtcp-sync=always), VP8 and Opus decoders, and sinks with
sync=true, so each buffer is released when the pipeline clock reaches its running time. Everything is timed on that
running time (buffer PTS + sample offset), which is what the player presents; wall-clock arrival jitter of the
analysis thread plays no part in the offset.

It reports, for any WHEP sender: first-frame time (POST -> first decoded video frame), delivered fps (overall and the
worst second), audio continuity (arrival gaps over 60 ms, holes in the media timeline, media seconds per wall
second). On a Facecast session (the WHEP resource /whep/resource/{id} has a session API at /api/sessions/{id}) it
also asks for sync markers (Speak with sync_markers: once a second a white mouth frame and a 20 ms 1 kHz tone burst
at the same media time), then speaks again and interrupts, and reports the A/V offset distribution (p50/p95/max,
audio - video, positive = audio late), speak -> first speech frame and interrupt -> silence as the player saw them.

  * Video: a sync-marker flash is a frame whose mouth box is (nearly) all studio white (the same rule as the Java
    client's FlashDetector: >= 85 % of the box at luma >= 215). A run of such frames is one flash, timed by its first.
  * Audio: a tone burst is >= 8 ms of loud, pure 1 kHz (a sliding one-period DFT, as the Java ToneBurstDetector);
    its onset is refined to a fraction of a sample where the amplitude crosses half its steady value.
  * Markers: each flash paired with the burst nearest to it (within 400 ms); offset = audio - video.
  * Speech: contiguous runs of 10 ms blocks with RMS above --speech-rms, with, for their first and last block, the
    running time, the monotonic time the decoded block left the decoder (the packet's arrival plus decoding, before
    any jitter-buffer or sync hold) and the monotonic time the sink presented it. The pipeline clock is GStreamer's
    system clock, CLOCK_MONOTONIC, the clock of Java's System.nanoTime(); the script checks that and prints it.

ICE: the host's own candidates by default; --ice-server turn://user:pass@host:3478 (or stun://host:port) adds servers,
--link-ice takes them from the WHEP answer's Link headers (rel="ice-server"; the first offer is withdrawn and a
second one made with those servers, which works where the credentials are not bound to the resource, as Facecast's
TURN REST credentials are not), --relay allows relayed candidates only. libnice skips the loopback interface and pins
each socket to its interface, so a server on loopback (a local test stack) is unreachable from the other interfaces'
candidates: when every ICE server is on loopback the meter gathers on 127.0.0.1 (--local-address sets this by hand). --token T sends "Authorization: Bearer T".

Output: a text report, or one JSON object with --json. --events (the integration tests' mode) prints instead one
JSON object per line as things happen ("session", "connected", "flash", "burst", "speech", "marker", "summary",
"error"), runs until stdin says "stop" (or closes) or --seconds pass; --no-speak leaves speaking to the caller.
--png draws a timeline on the player's running time: audio envelope (green), mouth activity (blue), flashes (blue
ticks), tone bursts (red ticks), speak (black) and interrupt (orange) requests as vertical lines.

Exit status: 0 measured, 1 failed (no connection, no media, an error), 2 bad usage.
"""
import argparse
import json
import re
import struct
import sys
import threading
import time
import os
import urllib.parse
import urllib.request
import urllib.error
import zlib

try:
    import gi

    gi.require_version('Gst', '1.0')
    gi.require_version('GstWebRTC', '1.0')
    gi.require_version('GstSdp', '1.0')
    gi.require_version('GstVideo', '1.0')
    from gi.repository import Gst, GstWebRTC, GstSdp, GstVideo, GLib  # noqa: E402
    import numpy as np  # noqa: E402
    import webrtcbin_whep as W  # noqa: E402
except (ImportError, ValueError) as missing:
    sys.stderr.write('facecast meter needs GStreamer with webrtcbin and its Python bindings, and numpy (%s):\n'
                     '  apt-get install gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad'
                     ' gstreamer1.0-nice gir1.2-gst-plugins-bad-1.0 python3-gst-1.0 python3-numpy\n'
                     '(and run it with that python3: FACECAST_PYTHON=/usr/bin/python3)\n' % missing)
    sys.exit(2)

# The renderer's 512x512 design canvas: the mouth box inside the mouth region, with a margin (MouthBox.java).
DESIGN = 512.0
BOX = (200, 304, 312, 368)
WHITE_LUMA = 215
MIN_WHITE_FRACTION = 0.85

TONE_HZ = 1000.0
MIN_AMPLITUDE = 4000.0
MIN_PURITY = 0.8
MIN_RUN_MS = 8.0
MAX_RUN_MS = 60.0
# Runs closer than this are one burst split by a dip (a burst is 20 ms). Markers are 1 s apart within an utterance
# but can be ~100 ms apart across back-to-back utterances (the last marker of one, frame 0 of the next).
REFRACTORY_MS = 60.0
AUDIO_HISTORY_MS = 300
PAIR_WINDOW_NS = 400_000_000
# Audio continuity: a player notices a hole of more than ~3 Opus frames.
GAP_NS = 60_000_000

_out_lock = threading.Lock()


def emit(obj):
    """One event line on stdout (--events mode only; the meter prints its report instead). Errors go to stderr."""
    if not ARGS.events:
        if obj.get('event') == 'error':
            sys.stderr.write('facecast meter: %s\n' % obj.get('message'))
        return
    with _out_lock:
        sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
        sys.stdout.flush()


def mouth_box(width, height):
    s = min(width, height) / DESIGN
    ox = (width - DESIGN * s) / 2
    oy = (height - DESIGN * s) / 2
    import math
    x0 = int(math.ceil(ox + BOX[0] * s))
    y0 = int(math.ceil(oy + BOX[1] * s))
    x1 = int(math.floor(ox + BOX[2] * s))
    y1 = int(math.floor(oy + BOX[3] * s))
    return x0, y0, max(x0 + 1, x1), max(y0 + 1, y1)


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


class ToneBursts:
    """Streaming 1 kHz burst detector over mono s16 audio, timed by each buffer's running time."""

    def __init__(self, rate):
        self.rate = rate
        self.window = int(round(rate / TONE_HZ))
        self.samples = np.zeros(0, dtype=np.float64)
        self.first_index = 0  # absolute index of samples[0]
        self.buffers = []  # (absolute start index, running time ns) of the buffers still in history
        self.last_onset = -1e18
        self.last_run_end = -1
        self.keep = int(rate * AUDIO_HISTORY_MS / 1000)
        self.min_run = int(round(MIN_RUN_MS * rate / 1000))
        self.max_run = int(round(MAX_RUN_MS * rate / 1000))
        period = int(round(rate / TONE_HZ)) if rate % TONE_HZ == 0 else rate  # samples after which the phasor repeats
        self.phasor = np.exp(-2j * np.pi * TONE_HZ / rate * np.arange(period))

    def add(self, pcm, running_ns):
        """Appends one buffer; returns the bursts (running time of onset ns, amplitude, run ms) completed in it."""
        start = self.first_index + len(self.samples)
        self.buffers.append((start, running_ns))
        self.samples = np.concatenate((self.samples, pcm.astype(np.float64)))
        if len(self.samples) > self.keep:
            drop = len(self.samples) - self.keep
            self.samples = self.samples[drop:]
            self.first_index += drop
            while len(self.buffers) > 1 and self.buffers[1][0] <= self.first_index:
                self.buffers.pop(0)
        return self._scan(len(pcm))

    def _scan(self, new_samples):
        # Only the tail can hold a run that ended in the new buffer: the buffer, the longest run, its rise and
        # margins. Everything before was scanned when it arrived (8 sessions x 50 buffers/s must stay cheap).
        w = self.window
        tail = new_samples + self.max_run + 4 * w
        offset = max(0, len(self.samples) - tail)
        x = self.samples[offset:]
        n = len(x)
        if n <= 2 * w:
            return []
        base = self.first_index + offset
        # One period of the tone is exactly `w` samples at 48 kHz: the phasor repeats, so take it from a table.
        z = x * self.phasor[(np.arange(n) + base) % len(self.phasor)]
        cz = np.concatenate(([0], np.cumsum(z)))
        ce = np.concatenate(([0.0], np.cumsum(x * x)))
        amp = np.zeros(n)
        purity = np.zeros(n)
        # Window ending at i covers [i - w + 1, i].
        sums = cz[w:] - cz[:-w]
        energy = np.maximum(ce[w:] - ce[:-w], 0)
        a = 2 * np.abs(sums) / w
        rms2 = energy / w
        amp[w - 1:] = a
        with np.errstate(divide='ignore', invalid='ignore'):
            pur = np.where(rms2 > 0, np.minimum(1, a * a / 2 / rms2), 0)
        purity[w - 1:] = pur
        on = (amp >= MIN_AMPLITUDE) & (purity >= MIN_PURITY)
        found = []
        if not on.any():
            return found
        edges = np.diff(np.concatenate(([0], on.astype(np.int8), [0])))
        starts = np.nonzero(edges == 1)[0]
        ends = np.nonzero(edges == -1)[0]
        for s, e in zip(starts, ends):
            if e >= n:  # still running at the end of what we have
                continue
            if s < 2 * w:  # its rise is no longer in the history (already handled, or cut off)
                continue
            abs_end = base + e
            if abs_end <= self.last_run_end:
                continue
            self.last_run_end = abs_end
            run = e - s
            if run < self.min_run or run > self.max_run:
                continue
            steady = float(np.median(amp[s:e]))
            onset_rel = self._onset(amp, s, e, steady, w)
            onset_abs = base + onset_rel
            if (onset_abs - self.last_onset) * 1000.0 / self.rate < REFRACTORY_MS:
                continue
            self.last_onset = onset_abs
            found.append((self._running_time(onset_abs), steady, run * 1000.0 / self.rate))
        return found

    @staticmethod
    def _onset(amp, run_start, run_end, steady, w):
        half = steady / 2
        lo = max(w, run_start - 2 * w)
        k = run_start
        while k < run_end - 1 and amp[k] < half:
            k += 1
        while k > lo and amp[k - 1] >= half:
            k -= 1
        before, after = amp[k - 1], amp[k]
        frac = 1.0 if after == before else (half - before) / (after - before)
        crossing = k - 1 + max(0.0, min(1.0, frac))
        return crossing + 1 - w / 2.0

    def _running_time(self, abs_index):
        start, rt = self.buffers[0]
        for b in self.buffers:
            if b[0] <= abs_index:
                start, rt = b
            else:
                break
        return rt + int(round((abs_index - start) * 1e9 / self.rate))


def http(method, url, body=None, content_type=None, timeout=20, accept=None):
    """One HTTP request with the bearer token; returns the response (caller closes) or raises HTTPError."""
    headers = {}
    if content_type:
        headers['Content-Type'] = content_type
    if accept:
        headers['Accept'] = accept
    # The key or token: --token, else FACECAST_API_KEY (kept off the command line, where ps shows it).
    token = ARGS.token or os.environ.get('FACECAST_API_KEY')
    if token:
        headers['Authorization'] = 'Bearer ' + token
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    return urllib.request.urlopen(req, timeout=timeout)


def is_loopback_server(uri):
    """stun://host:port or turn(s)://user:pass@host:port?...: is host a loopback address?"""
    host = urllib.parse.urlsplit(uri).hostname or ''
    return host == 'localhost' or host == '::1' or host.startswith('127.')


def gather_on(webrtc, addresses):
    """Makes webrtcbin's libnice agent gather host candidates on these addresses only.

    libnice enumerates interfaces itself, skips loopback when there are others, and pins each host socket to its
    interface (IP_UNICAST_IF): from those sockets a TURN server at 127.0.0.1 never answers (the requests leave by eth0
    and vanish), so relay-only ICE against a local stack gathers nothing. Adding addresses explicitly replaces the
    enumeration. webrtcbin 1.22's 'ice-agent' getter hands PyGObject the element's own (floating) reference, which
    the wrapper then owns: without the g_object_ref below, dropping the wrapper frees the agent under webrtcbin.
    """
    import ctypes
    ice = webrtc.get_property('ice-agent')
    capsule = ctypes.pythonapi.PyCapsule_GetPointer
    capsule.restype = ctypes.c_void_p
    capsule.argtypes = [ctypes.py_object, ctypes.c_char_p]
    gobject = ctypes.CDLL('libgobject-2.0.so.0')
    gobject.g_object_ref.argtypes = [ctypes.c_void_p]
    gobject.g_object_ref.restype = ctypes.c_void_p
    gobject.g_object_ref(capsule(ice.__gpointer__, None))
    for address in addresses:
        if not ice.emit('add-local-ip-address', address):
            raise RuntimeError('libnice refused local address %s' % address)
    return ice


def ice_servers_from_links(links):
    """WHEP Link headers (RFC 9725 4.6) -> GStreamer ICE server URIs (stun://host:port, turn(s)://user:pass@host:port)."""
    out = []
    for header in links:
        for link in re.findall(r'<[^>]*>[^<]*', header):
            m = re.match(r'<([^>]*)>(.*)', link.strip().rstrip(','))
            if not m or not re.search(r'rel="?ice-server"?', m.group(2)):
                continue
            params = dict((k.lower(), v) for k, v in re.findall(r';\s*([\w-]+)="?([^";]*)"?', m.group(2)))
            scheme, _, rest = m.group(1).partition(':')
            hostport, _, query = rest.lstrip('/').partition('?')
            if scheme == 'stun':
                out.append('stun://' + hostport)
            elif scheme in ('turn', 'turns'):
                user = urllib.parse.quote(params.get('username', ''), safe='')
                cred = urllib.parse.quote(params.get('credential', ''), safe='')
                out.append('%s://%s:%s@%s%s' % (scheme, user, cred, hostport, '?' + query if query else ''))
    return out


class Session:
    def __init__(self, index, whep_url, latency_ms, ice_servers=()):
        self.index = index
        self.whep_url = whep_url
        self.ice_servers = list(ice_servers)
        self.id = None
        self.location = None  # absolute URL of the WHEP resource
        self.api = None  # the Facecast session API of this resource, when there is one
        self.links = []
        self.post_mono_ns = None
        self.connected_mono_ns = None
        self.ice_state_changes = []  # (mono ns, state) of the ICE connection
        self.first_video_decoded_mono_ns = None
        self.first_audio_decoded_mono_ns = None
        self.video_presented = []  # presented mono ns per frame
        self.activity = []  # (running ns, mean |luma change| in the mouth box)
        self.prev_mouth = None
        self.envelope = []  # (running ns, rms) per 10 ms block
        self.audio_arrivals = []  # decoded mono ns per audio buffer
        self.audio_media_ns = 0
        self.audio_end_rt = None
        self.media_holes = []  # (running ns, hole ns) in the audio timeline
        self.speech_runs = []
        self.pipe = Gst.Pipeline.new('session-%d' % index)
        self.webrtc = W.recvonly_webrtcbin()
        if latency_ms is not None:
            self.webrtc.set_property('latency', latency_ms)
        self.pipe.add(self.webrtc)
        for uri in ice_servers:
            if uri.startswith('stun://'):
                self.webrtc.set_property('stun-server', uri)
            else:
                self.webrtc.emit('add-turn-server', uri)
        local = list(ARGS.local_address)
        if not local and ice_servers and all(is_loopback_server(u) for u in ice_servers):
            local = ['127.0.0.1']
        self.local_addresses = local
        self.ice = gather_on(self.webrtc, local) if local else None  # kept: the agent's wrapper lives with the session
        if ARGS.relay:
            self.webrtc.set_property('ice-transport-policy', GstWebRTC.WebRTCICETransportPolicy.RELAY)
        rtpbin = self.webrtc.get_by_name('rtpbin')
        if rtpbin is None:
            raise RuntimeError('webrtcbin has no rtpbin child')
        # GStreamer's own default (1 s): a sender whose reports sit further ahead of its packets is not lip-synced.
        # Facecast before its sender clock was aligned (rtc/.../MonotonicSyncClock) needs -1 here.
        rtpbin.set_property('max-rtcp-rtp-time-diff', ARGS.max_rtcp_rtp_time_diff_ms)
        self.rtpbin = rtpbin
        self.sync_events = 0
        self.candidates = []
        self.gathered = threading.Event()
        self.offer_sdp = None
        self.flashes = []  # (running ns, white fraction, presented mono ns)
        self.bursts = []  # (running ns, amplitude, run ms)
        self.in_flash = False
        self.box = None
        self.video_caps = None
        self.video_info = None
        self.video_frames = 0
        self.audio_buffers = 0
        self.tone = None
        self.speech = None  # open speech run
        self.hold_ns = []  # presented - decoded, per audio buffer (what the receiver held it for)
        self.decoded_at = {}  # audio PTS -> monotonic ns when it left the decoder
        self.jitterbuffers = []
        self.synced = set()
        self.errors = []
        self.connected = False
        self.lock = threading.Lock()

        self.webrtc.connect('on-ice-candidate', self._on_candidate)
        self.webrtc.connect('notify::ice-gathering-state', self._on_gathering)
        self.webrtc.connect('notify::connection-state', self._on_connection)
        self.webrtc.connect('notify::ice-connection-state', self._on_ice)
        self.webrtc.connect('pad-added', self._on_pad)
        self.pipe.connect('deep-element-added', self._on_deep_element)
        bus = self.pipe.get_bus()
        bus.add_signal_watch()
        bus.connect('message::error', self._on_error)

    # ---- signaling (non-trickle WHEP) ----
    def start(self):
        self.pipe.set_state(Gst.State.PLAYING)
        promise = Gst.Promise.new_with_change_func(self._on_offer, None)
        self.webrtc.emit('create-offer', None, promise)

    def _on_offer(self, promise, _):
        reply = promise.get_reply()
        offer = reply.get_value('offer')
        self.webrtc.emit('set-local-description', offer, Gst.Promise.new())
        self.offer_sdp = offer.sdp.as_text()

    def _on_candidate(self, _element, mline, candidate):
        with self.lock:
            self.candidates.append((mline, candidate))

    def _on_gathering(self, element, _pspec):
        if element.get_property('ice-gathering-state') == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            self.gathered.set()

    def _on_connection(self, element, _pspec):
        state = element.get_property('connection-state')
        if state == GstWebRTC.WebRTCPeerConnectionState.CONNECTED and not self.connected:
            self.connected = True
            self.connected_mono_ns = time.monotonic_ns()
            emit({'event': 'connected', 'session': self.id, 'mono_ns': time.monotonic_ns()})
        elif state == GstWebRTC.WebRTCPeerConnectionState.FAILED:
            self.fail('peer connection failed')

    def _on_ice(self, element, _pspec):
        self.ice_state_changes.append((time.monotonic_ns(), element.get_property('ice-connection-state').value_nick))

    def negotiate(self, timeout):
        if not self.gathered.wait(timeout):
            raise RuntimeError('ICE gathering did not complete in %s s' % timeout)
        while self.offer_sdp is None:
            time.sleep(0.01)
        sdp = self._with_candidates(self.offer_sdp)
        self.post_mono_ns = time.monotonic_ns()
        try:
            with http('POST', self.whep_url, sdp.encode(), 'application/sdp') as resp:
                location = resp.headers['Location']
                self.links = resp.headers.get_all('Link') or []
                answer = resp.read().decode()
        except urllib.error.HTTPError as e:
            raise RuntimeError('WHEP POST %s answered %d: %s' % (self.whep_url, e.code,
                                                                e.read().decode(errors='replace').strip()))
        if not location:
            raise RuntimeError('the WHEP answer has no Location header')
        self.location = urllib.parse.urljoin(self.whep_url, location)
        self.id = location.rstrip('/').rsplit('/', 1)[-1]
        self.api = self._facecast_api()
        emit({'event': 'session', 'session': self.id, 'index': self.index, 'facecast': self.api is not None})
        ok, msg = GstSdp.SDPMessage.new_from_text(answer)
        desc = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, msg)
        self.webrtc.emit('set-remote-description', desc, Gst.Promise.new())

    def _facecast_api(self):
        """Facecast serves /api/sessions/{id} beside /whep/resource/{id}; another WHEP server will not."""
        parts = urllib.parse.urlsplit(self.location)
        m = re.match(r'(.*)/whep/resource/([^/]+)$', parts.path)
        if not m:
            return None
        api = urllib.parse.urlunsplit((parts.scheme, parts.netloc, m.group(1) + '/api/sessions/' + m.group(2), '', ''))
        try:
            with http('GET', api, timeout=5) as resp:
                body = json.loads(resp.read().decode())
            return api if body.get('sessionId') == m.group(2) else None
        except (urllib.error.URLError, ValueError, OSError):
            return None

    def _with_candidates(self, sdp):
        with self.lock:
            return W.offer_with_candidates(sdp, list(self.candidates))

    # ---- media ----
    def _on_deep_element(self, _bin, _sub, element):
        factory = element.get_factory()
        if factory is not None and factory.get_name() == 'rtpjitterbuffer':
            self.jitterbuffers.append(element)
            element.connect('handle-sync', self._on_sync)

    def _on_sync(self, jitterbuffer, structure):
        """A usable RTCP sender report reached a jitter buffer: from then on rtpbin can lip-sync that stream."""
        ok, ext_rtptime = structure.get_uint64('sr-ext-rtptime')
        if not ok or ext_rtptime == Gst.CLOCK_TIME_NONE:
            return
        with self.lock:
            if jitterbuffer.get_name() in self.synced:
                return
            self.synced.add(jitterbuffer.get_name())
        emit({'event': 'sender_report', 'session': self.id, 'jitterbuffer': jitterbuffer.get_name(),
              'mono_ns': time.monotonic_ns()})

    def _on_pad(self, _element, pad):
        media = W.pad_media(pad)
        if media == 'video':
            desc = 'rtpvp8depay ! vp8dec name=dec ! queue ! fakesink name=sink sync=true signal-handoffs=true'
        elif media == 'audio':
            desc = ('rtpopusdepay ! opusdec name=dec ! audioconvert ! audioresample ! '
                    'audio/x-raw,format=S16LE,channels=1,rate=48000 ! queue ! '
                    'fakesink name=sink sync=true signal-handoffs=true')
        else:
            return
        branch = Gst.parse_bin_from_description(desc, True)
        self.pipe.add(branch)
        sink = branch.get_by_name('sink')
        if media == 'video':
            branch.get_by_name('dec').get_static_pad('src').add_probe(Gst.PadProbeType.BUFFER, self._on_video_decoded)
            sink.connect('handoff', self._on_video)
        else:
            branch.get_by_name('dec').get_static_pad('src').add_probe(Gst.PadProbeType.BUFFER, self._on_decoded)
            sink.connect('handoff', self._on_audio)
        branch.sync_state_with_parent()
        pad.link(branch.get_static_pad('sink'))

    def _running(self, pad, pts):
        event = pad.get_sticky_event(Gst.EventType.SEGMENT, 0)
        segment = event.parse_segment()
        return segment.to_running_time(Gst.Format.TIME, pts)

    def _presented_mono(self):
        clock = self.pipe.get_clock()
        return clock.get_time() if clock is not None else time.monotonic_ns()

    def _on_video_decoded(self, pad, info):
        if self.first_video_decoded_mono_ns is None:
            self.first_video_decoded_mono_ns = time.monotonic_ns()
        return Gst.PadProbeReturn.OK

    def _on_video(self, sink, buf, pad):
        now = self._presented_mono()
        self.video_frames += 1
        self.video_presented.append(now)
        caps = pad.get_current_caps()
        if self.video_caps is None or not caps.is_equal(self.video_caps):
            self.video_caps = caps
            self.video_info = GstVideo.VideoInfo.new_from_caps(caps)
        info = self.video_info
        width, height = info.width, info.height
        if self.box is None or self.box[0] != (width, height):
            self.box = ((width, height), mouth_box(width, height))
        x0, y0, x1, y1 = self.box[1]
        stride = info.stride[0]
        offset = info.offset[0]
        meta = GstVideo.buffer_get_video_meta(buf)
        if meta is not None:
            stride = meta.stride[0]
            offset = meta.offset[0]
        ok, mapinfo = buf.map(Gst.MapFlags.READ)
        if not ok:
            return
        try:
            plane = np.frombuffer(mapinfo.data, dtype=np.uint8, count=stride * height, offset=offset)
            y = plane.reshape(height, stride)[y0:min(y1, height), x0:min(x1, width)]
            white = float(np.count_nonzero(y >= WHITE_LUMA)) / y.size if y.size else 0.0
            mouth = y.astype(np.int16)
        finally:
            buf.unmap(mapinfo)
        rt = self._running(pad, buf.pts)
        change = None
        if self.prev_mouth is not None and self.prev_mouth.shape == mouth.shape:
            change = float(np.mean(np.abs(mouth - self.prev_mouth)))
            self.activity.append((rt, change))
        self.prev_mouth = mouth
        is_white = white >= MIN_WHITE_FRACTION
        if ARGS.frames:
            emit({'event': 'frame', 'session': self.id, 'running_ns': rt, 'mouth_change': change,
                  'white': round(white, 3)})
        if is_white and not self.in_flash:
            self.flashes.append((rt, white, now))
            emit({'event': 'flash', 'session': self.id, 'running_ns': rt, 'white': round(white, 3),
                  'presented_mono_ns': now, 'width': width, 'height': height})
        self.in_flash = is_white

    def _on_decoded(self, pad, info):
        buf = info.get_buffer()
        now = time.monotonic_ns()
        self.decoded_at[buf.pts] = now
        self.audio_arrivals.append(now)
        if self.first_audio_decoded_mono_ns is None:
            self.first_audio_decoded_mono_ns = now
        if len(self.decoded_at) > 500:
            for k in list(self.decoded_at)[:250]:
                del self.decoded_at[k]
        return Gst.PadProbeReturn.OK

    def _on_audio(self, sink, buf, pad):
        now = self._presented_mono()
        self.audio_buffers += 1
        rt = self._running(pad, buf.pts)
        ok, mapinfo = buf.map(Gst.MapFlags.READ)
        if not ok:
            return
        try:
            pcm = np.frombuffer(mapinfo.data, dtype=np.int16).copy()
        finally:
            buf.unmap(mapinfo)
        duration = int(len(pcm) * 1e9 / 48000)
        if self.audio_end_rt is not None and rt - self.audio_end_rt > GAP_NS:
            self.media_holes.append((self.audio_end_rt, rt - self.audio_end_rt))
        self.audio_end_rt = rt + duration
        self.audio_media_ns += duration
        if self.tone is None:
            self.tone = ToneBursts(48000)
        for onset_rt, amplitude, run_ms in self.tone.add(pcm, rt):
            self.bursts.append((onset_rt, amplitude, run_ms))
            emit({'event': 'burst', 'session': self.id, 'running_ns': onset_rt, 'amplitude': round(amplitude),
                  'run_ms': round(run_ms, 2)})
        # The decoder's output PTS is the sink's PTS (no element between them changes timestamps).
        decoded = self.decoded_at.pop(buf.pts, None)
        if decoded is not None:
            self.hold_ns.append(now - decoded)
        self._speech(pcm, rt, decoded, now)

    def _speech(self, pcm, rt, decoded, presented):
        block = 480
        for b in range(0, len(pcm) - block + 1, block):
            x = pcm[b:b + block].astype(np.float64)
            rms = float(np.sqrt(np.mean(x * x)))
            t = rt + int(b * 1e9 / 48000)
            p = presented + int(b * 1e9 / 48000)
            self.envelope.append((t, rms))
            if rms > ARGS.speech_rms:
                if self.speech is None:
                    self.speech = {'event': 'speech', 'session': self.id, 'first_running_ns': t,
                                   'first_decoded_mono_ns': decoded, 'first_presented_mono_ns': p}
                self.speech.update({'last_end_running_ns': t + 10_000_000, 'last_decoded_mono_ns': decoded,
                                    'last_end_presented_mono_ns': p + 10_000_000})
            elif self.speech is not None:
                self._end_speech()

    def _end_speech(self):
        self.speech_runs.append(self.speech)
        if ARGS.events:
            emit(self.speech)
        self.speech = None

    def _on_error(self, _bus, message):
        err, debug = message.parse_error()
        self.fail('%s (%s)' % (err.message, debug))

    def fail(self, message):
        self.errors.append(message)
        emit({'event': 'error', 'session': self.id, 'message': message})

    # ---- results ----
    def markers(self):
        pairs = []
        used = set()
        for v_rt, white, presented in self.flashes:
            best = None
            for i, (a_rt, _amp, _run) in enumerate(self.bursts):
                if i in used or abs(a_rt - v_rt) > PAIR_WINDOW_NS:
                    continue
                if best is None or abs(a_rt - v_rt) < abs(self.bursts[best][0] - v_rt):
                    best = i
            if best is not None:
                used.add(best)
                pairs.append((v_rt, self.bursts[best][0], presented))
        paired_flashes = {p[0] for p in pairs}
        unpaired_flashes = [f for f in self.flashes if f[0] not in paired_flashes]
        unpaired_bursts = [b for i, b in enumerate(self.bursts) if i not in used]
        return pairs, unpaired_flashes, unpaired_bursts

    def _nearest_burst_ms(self, running_ns):
        if not self.bursts:
            return None
        return min((b[0] - running_ns for b in self.bursts), key=abs) / 1e6

    def finish(self):
        if self.speech is not None:
            self._end_speech()
        pairs, unpaired_flashes, unpaired_bursts = self.markers()
        skews = []
        for v_rt, a_rt, presented in pairs:
            skew = (a_rt - v_rt) / 1e6
            skews.append(skew)
            emit({'event': 'marker', 'session': self.id, 'video_running_ns': v_rt, 'audio_running_ns': a_rt,
                  'skew_ms': round(skew, 3), 'video_presented_mono_ns': presented})
        clock = self.pipe.get_clock()
        query = Gst.Query.new_latency()
        latency_ns = None
        if self.pipe.query(query):
            _live, min_latency, _max = query.parse_latency()
            latency_ns = min_latency
        offsets = []
        for jb in self.jitterbuffers:
            try:
                offsets.append(jb.get_property('ts-offset'))
            except TypeError:
                pass
        abs_skews = [abs(s) for s in skews]
        hold = [h / 1e6 for h in self.hold_ns]
        self.pairs = pairs
        self.skews = skews
        self.summary = {'event': 'summary', 'session': self.id, 'markers': len(pairs), 'flashes': len(self.flashes),
              'bursts': len(self.bursts), 'unpaired_flashes': len(unpaired_flashes),
              'unpaired_bursts': len(unpaired_bursts),
              'unpaired_flash_presented_mono_ns': [f[2] for f in unpaired_flashes],
              'unpaired_flash_nearest_burst_ms': [self._nearest_burst_ms(f[0]) for f in unpaired_flashes],
              'unpaired_burst_running_ns': [b[0] for b in unpaired_bursts],
              'skew_p50_ms': percentile(skews, 50), 'skew_p95_ms': percentile(skews, 95),
              'abs_skew_max_ms': max(abs_skews) if abs_skews else None,
              'video_frames': self.video_frames, 'audio_buffers': self.audio_buffers,
              'pipeline_latency_ms': None if latency_ns is None else latency_ns / 1e6,
              'jitterbuffer_ts_offsets_ms': [o / 1e6 for o in offsets],
              'audio_hold_ms_p50': percentile(hold, 50), 'audio_hold_ms_min': min(hold) if hold else None,
              'audio_hold_ms_max': max(hold) if hold else None,
              'base_time_ns': self.pipe.get_base_time(),
              'clock': None if clock is None else type(clock).__name__,
              'errors': self.errors}
        emit(self.summary)

    def stop(self):
        if self.location is not None:
            try:
                http('DELETE', self.location, timeout=5).close()
            except Exception:  # the session may be gone already; nothing to clean up then
                pass
            self.location = None
        self.pipe.set_state(Gst.State.NULL)


def check_clock():
    """The pipeline clock must be CLOCK_MONOTONIC, the clock of Java's System.nanoTime()."""
    clock = Gst.SystemClock.obtain()
    clock_type = clock.get_property('clock-type')
    a = time.monotonic_ns()
    g = clock.get_time()
    b = time.monotonic_ns()
    emit({'event': 'clock', 'type': clock_type.value_nick, 'gst_minus_monotonic_ns': g - (a + b) // 2})
    if clock_type != Gst.ClockType.MONOTONIC:
        raise RuntimeError('GStreamer system clock is %s, not monotonic' % clock_type.value_nick)


# ---- the active probe on a Facecast session ----

# About 7 s of FreeTTS speech (7 markers) and no commas: FreeTTS pauses at them, and the interrupt wants speech going on.
MARKER_TEXT = ("This is the Facecast meter checking the lip sync of the avatar with a white mouth frame and a tone"
               " burst once every second while it keeps on talking")
INTERRUPT_TEXT = ("Now the meter lets the avatar talk for a while and then cuts it off in the middle of a long sentence"
                  " to see how quickly the voice goes silent")


class EventStream:
    """The session's server-sent events (GET {api}/events), each kept with its monotonic arrival time."""

    def __init__(self, api):
        self.events = []
        self.cond = threading.Condition()
        self.resp = http('GET', api + '/events', accept='text/event-stream', timeout=60)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for raw in self.resp:
                line = raw.decode(errors='replace').strip()
                if line.startswith('data:'):
                    try:
                        event = json.loads(line[5:].strip())
                    except ValueError:
                        continue
                    with self.cond:
                        self.events.append((time.monotonic_ns(), event))
                        self.cond.notify_all()
        except Exception:  # closed at the end of the run
            pass

    def wait(self, kind, utterance, timeout):
        """The first event of `kind` ('speechStarted', ...) for utterance id `utterance`, or None after timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for at, e in self.events:
                    if kind in e and str(e[kind].get('utteranceId', '0')) == str(utterance):
                        return at, e[kind]
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def close(self):
        try:
            self.resp.close()
        except Exception:
            pass


def api_post(session, action, body):
    with http('POST', session.api + '/' + action, json.dumps(body).encode(), 'application/json') as resp:
        return json.loads(resp.read().decode() or '{}')


def probe(session, log):
    """Speak with sync markers, then speak and interrupt: returns the request times (monotonic ns)."""
    probes = {}
    events = EventStream(session.api)
    try:
        probes['markers_speak_mono_ns'] = time.monotonic_ns()
        u = api_post(session, 'speak', {'text': MARKER_TEXT, 'syncMarkers': True}).get('utteranceId')
        log('speaking with sync markers (utterance %s) ...' % u)
        if events.wait('speechFinished', u, 60) is None:
            raise RuntimeError('the marker utterance did not finish within 60 s')
        time.sleep(0.8)  # the player presents a few hundred ms after arrival: let the last marker through
        probes['speak_mono_ns'] = time.monotonic_ns()
        u2 = api_post(session, 'speak', {'text': INTERRUPT_TEXT}).get('utteranceId')
        if events.wait('speechStarted', u2, 30) is None:
            raise RuntimeError('the second utterance did not start within 30 s')
        time.sleep(2.0)
        log('interrupting utterance %s mid-sentence ...' % u2)
        probes['interrupt_mono_ns'] = time.monotonic_ns()
        cut = api_post(session, 'interrupt', {}).get('utteranceId')
        probes['interrupt_cut'] = str(cut) == str(u2)
        time.sleep(1.0)
    finally:
        events.close()
    return probes


# ---- the report ----

def ms(ns):
    return None if ns is None else round(ns / 1e6, 1)


def fps_figures(presented):
    if len(presented) < 2:
        return None, None
    overall = (len(presented) - 1) * 1e9 / (presented[-1] - presented[0])
    worst = None
    first = presented[0]
    last_full = int((presented[-1] - first) // 1_000_000_000)
    counts = [0] * max(1, last_full)
    for t in presented:
        k = int((t - first) // 1_000_000_000)
        if k < len(counts):
            counts[k] += 1
    if last_full >= 1:
        worst = min(counts)
    return round(overall, 2), worst


def report(session, probes, seconds):
    r = {'whep': session.whep_url, 'session': session.id, 'facecast': session.api is not None,
         'seconds': round(seconds, 1),
         'first_frame_ms': ms(None if session.first_video_decoded_mono_ns is None
                              else session.first_video_decoded_mono_ns - session.post_mono_ns),
         'first_audio_ms': ms(None if session.first_audio_decoded_mono_ns is None
                              else session.first_audio_decoded_mono_ns - session.post_mono_ns),
         'connected_ms': ms(None if session.connected_mono_ns is None
                            else session.connected_mono_ns - session.post_mono_ns),
         'ice_states_ms': [(st, ms(t - session.post_mono_ns)) for t, st in session.ice_state_changes],
         'video_frames': session.video_frames}
    r['fps'], r['fps_worst_second'] = fps_figures(session.video_presented)
    arrivals = session.audio_arrivals
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    wall = (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0
    r['audio'] = {'buffers': session.audio_buffers,
                  'arrival_gaps_over_60ms': sum(1 for g in gaps if g > GAP_NS),
                  'max_arrival_gap_ms': ms(max(gaps)) if gaps else None,
                  'media_holes_over_60ms': len(session.media_holes),
                  'media_hole_ms_total': ms(sum(h for _, h in session.media_holes)),
                  'media_per_wall_second': round(session.audio_media_ns / wall, 3) if wall else None}
    skews = getattr(session, 'skews', [])
    r['markers'] = {'count': len(skews), 'flashes': len(session.flashes), 'bursts': len(session.bursts),
                    'offsets_ms': [round(x, 1) for x in skews],
                    'p50_ms': None if not skews else round(percentile(skews, 50), 1),
                    'p95_ms': None if not skews else round(percentile(skews, 95), 1),
                    'max_abs_ms': None if not skews else round(max(abs(x) for x in skews), 1)}
    if probes.get('speak_mono_ns'):
        t_speak = probes['markers_speak_mono_ns']
        runs = [x for x in session.speech_runs if (x['first_decoded_mono_ns'] or 0) > t_speak]
        first = runs[0] if runs else None
        flashes = [f for f in session.flashes if f[2] > t_speak]
        t2, ti = probes['speak_mono_ns'], probes['interrupt_mono_ns']
        after = [x for x in session.speech_runs if (x['first_decoded_mono_ns'] or 0) > t2]
        last_dec = max((x['last_decoded_mono_ns'] or 0 for x in after), default=None)
        last_pre = max((x['last_end_presented_mono_ns'] for x in after), default=None)
        r['speak_to_first_speech_ms'] = {
            'audio_decoded': ms(first['first_decoded_mono_ns'] - t_speak) if first and first['first_decoded_mono_ns'] else None,
            'audio_presented': ms(first['first_presented_mono_ns'] - t_speak) if first else None,
            'video_presented': ms(flashes[0][2] - t_speak) if flashes else None}
        r['interrupt_to_silence_ms'] = {
            'decoded': ms(last_dec - ti) if last_dec else None,
            'presented': ms(last_pre - ti) if last_pre else None,
            'cut_speech': bool(probes.get('interrupt_cut'))}
    s = getattr(session, 'summary', {})
    hold = s.get('audio_hold_ms_p50')
    r['player'] = {'pipeline_latency_ms': s.get('pipeline_latency_ms'),
                   'audio_hold_ms_p50': None if hold is None else round(hold, 1),
                   'sender_reports': len(session.synced), 'relay_only': bool(ARGS.relay),
                   'ice_servers': len(session.ice_servers),
                   'local_addresses': session.local_addresses}
    r['errors'] = session.errors
    return r


def print_text(r):
    def f(v, unit=' ms'):
        return 'n/a' if v is None else ('%s%s' % (v, unit))
    out = ['facecast meter: %s (session %s%s), %.0f s' % (r['whep'], r['session'],
                                                           ', Facecast' if r['facecast'] else '', r['seconds']),
           '  first frame        %s after the WHEP POST (connected %s, first audio %s)'
           % (f(r['first_frame_ms']), f(r['connected_ms']), f(r['first_audio_ms'])),
           '  delivered fps      %s (worst second: %s frames; %d frames)' % (f(r['fps'], ''), f(r['fps_worst_second'], ''),
                                                                             r['video_frames'])]
    a = r['audio']
    out.append('  audio continuity   %s media s per wall s; %d arrival gaps > 60 ms (max %s); %d holes in the media'
               ' (%s)' % (f(a['media_per_wall_second'], ''), a['arrival_gaps_over_60ms'], f(a['max_arrival_gap_ms']),
                          a['media_holes_over_60ms'], f(a['media_hole_ms_total'])))
    m = r['markers']
    if m['count']:
        out.append('  A/V offset         p50 %s  p95 %s  max |%s| over %d markers (audio - video; + = audio late)'
                   % (f(m['p50_ms']), f(m['p95_ms']), f(m['max_abs_ms']), m['count']))
        out.append('                     %s' % ' '.join('%+.1f' % x for x in m['offsets_ms']))
    elif r['facecast']:
        out.append('  A/V offset         no markers found (%d flashes, %d bursts)' % (m['flashes'], m['bursts']))
    else:
        out.append('  A/V offset         not measured: not a Facecast session (no sync markers to ask for)')
    if 'speak_to_first_speech_ms' in r:
        sp = r['speak_to_first_speech_ms']
        out.append('  speak -> speech    %s presented (audio; decoded %s), first mouth frame presented %s'
                   % (f(sp['audio_presented']), f(sp['audio_decoded']), f(sp['video_presented'])))
        it = r['interrupt_to_silence_ms']
        note = '' if it['cut_speech'] else ' (nothing was on air)'
        if it['decoded'] is not None and it['decoded'] < 0:
            note += ' (negative: the voice was between words when the request went out)'
        out.append('  interrupt -> silence  last speech decoded %s (an upper bound of its arrival), presented %s after'
                   ' the request%s' % (f(it['decoded']), f(it['presented']), note))
    p = r['player']
    out.append('  player             pipeline latency %s, audio held p50 %s, %d streams lip-synced by RTCP SR'
               % (f(p['pipeline_latency_ms']), f(p['audio_hold_ms_p50']), p['sender_reports']))
    for e in r['errors']:
        out.append('  error              %s' % e)
    print('\n'.join(out))


# ---- the PNG timeline (numpy and zlib only) ----

def write_png(path, rgb):
    h, w, _ = rgb.shape
    raw = b''.join(b'\x00' + rgb[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))


def timeline(session, probes, path, width=1600):
    """Audio envelope (green), mouth activity (blue), flashes (blue) and bursts (red), speak/interrupt lines."""
    times = [t for t, _ in session.envelope] + [t for t, _ in session.activity]
    if not times:
        raise RuntimeError('no media to draw')
    t0, t1 = min(times), max(times)
    span = max(1, t1 - t0)
    height = 330
    img = np.full((height, width, 3), 255, dtype=np.uint8)
    img[110, :] = img[220, :] = (200, 200, 200)

    def x_of(t):
        return int(min(width - 1, max(0, (t - t0) * (width - 1) / span)))

    def bars(series, top, bottom, colour, scale):
        for t, v in series:
            hgt = int(min(1.0, v * scale) * (bottom - top - 4))
            if hgt > 0:
                img[bottom - 2 - hgt:bottom - 2, x_of(t)] = colour
    bars([(t, np.sqrt(v / 32768.0)) for t, v in session.envelope], 0, 110, (40, 150, 40), 1.6)
    bars(session.activity, 110, 220, (40, 80, 200), 1 / 12.0)
    for t, _w, _p in session.flashes:
        img[226:272, max(0, x_of(t) - 1):x_of(t) + 2] = (40, 80, 200)
    for t, _a, _r in session.bursts:
        img[276:322, max(0, x_of(t) - 1):x_of(t) + 2] = (210, 40, 40)
    base = session.summary['base_time_ns']
    for key, colour in (('markers_speak_mono_ns', (0, 0, 0)), ('speak_mono_ns', (0, 0, 0)),
                        ('interrupt_mono_ns', (240, 140, 0))):
        if probes.get(key):
            x = x_of(probes[key] - base)
            img[:, max(0, x - 1):x + 2] = colour
    for sec in range(int(span // 1_000_000_000) + 1):  # a tick per second of running time
        img[height - 6:, x_of(t0 + sec * 1_000_000_000)] = (120, 120, 120)
    write_png(path, img)


def main():
    global ARGS
    parser = argparse.ArgumentParser(prog='facecast meter', description=__doc__.split('\n')[0],
                                     epilog='See README, "Checking a deployment end to end".')
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument('--whep', help='the WHEP endpoint to POST the offer to, e.g. http://127.0.0.1:8080/whep?avatar=ada')
    target.add_argument('--base', help='signaling HTTP base URL (its endpoint is BASE/whep), e.g. http://127.0.0.1:8080/')
    parser.add_argument('--token', default=None, help='bearer token: sent as "Authorization: Bearer T" on every request')
    parser.add_argument('--seconds', type=float, default=None,
                        help='how long to watch (default 20; the probe on a Facecast session needs about 16)')
    parser.add_argument('--json', action='store_true', help='print the report as one JSON object')
    parser.add_argument('--png', default=None, help='write a timeline PNG here')
    parser.add_argument('--no-speak', action='store_true', help='only watch; do not ask a Facecast session to speak')
    parser.add_argument('--events', action='store_true',
                        help='print events as JSON lines as they happen (stops on "stop" on stdin); no report')
    parser.add_argument('--sessions', type=int, default=1, help='sessions to open (--events mode)')
    parser.add_argument('--frames', action='store_true',
                        help='--events mode: also one line per presented video frame (running time, mean |luma change|'
                             ' of the mouth box from the previous frame, white fraction)')
    parser.add_argument('--ice-server', action='append', default=[],
                        help='stun://host:port or turn://user:pass@host:port[?transport=udp] (repeatable)')
    parser.add_argument('--link-ice', action='store_true',
                        help="use the ICE servers of the WHEP answer's Link headers (a second offer is made with them)")
    parser.add_argument('--relay', action='store_true', help='relayed (TURN) candidates only')
    parser.add_argument('--local-address', action='append', default=[],
                        help='gather host candidates on this address only (repeatable; default: every interface but'
                             ' loopback, or 127.0.0.1 when every ICE server is on loopback)')
    parser.add_argument('--latency-ms', type=int, default=None, help='webrtcbin jitter-buffer latency')
    parser.add_argument('--speech-rms', type=float, default=200)
    parser.add_argument('--max-rtcp-rtp-time-diff-ms', type=int, default=1000,
                        help="rtpbin's sender-report plausibility check, GStreamer's default; -1 disables it (for"
                             " senders whose reports' RTP times are offset from their packets')")
    ARGS = parser.parse_args()
    whep = ARGS.whep or (ARGS.base if ARGS.base.endswith('/') else ARGS.base + '/') + 'whep'
    if ARGS.seconds is None:
        ARGS.seconds = 600 if ARGS.events else 20
    if ARGS.sessions != 1 and not ARGS.events:
        parser.error('--sessions is for --events mode; the meter watches one session')

    def log(msg):
        if not ARGS.events and not ARGS.json:
            sys.stderr.write(msg + '\n')
    Gst.init(None)
    try:
        check_clock()
    except RuntimeError as e:
        emit({'event': 'error', 'session': None, 'message': str(e)})
        return 1
    loop = GLib.MainLoop()
    threading.Thread(target=loop.run, daemon=True).start()
    ice = list(ARGS.ice_server)
    sessions = []
    started = time.monotonic_ns()
    probes = {}
    try:
        if ARGS.link_ice:
            first = Session(0, whep, ARGS.latency_ms, ice)
            sessions.append(first)
            first.start()
            first.negotiate(10)
            ice += ice_servers_from_links(first.links)
            log('ICE servers from the Link headers: %s' % (', '.join(re.sub(r'//[^@]*@', '//***@', u) for u in ice)
                                                          or 'none'))
            first.stop()
            sessions.clear()
        sessions = [Session(i, whep, ARGS.latency_ms, ice) for i in range(ARGS.sessions)]
        for s in sessions:
            s.start()
        for s in sessions:
            s.negotiate(10)
        started = time.monotonic_ns()
        if ARGS.events:
            stop = threading.Event()

            def read_stdin():
                for line in sys.stdin:
                    if line.strip() == 'stop':
                        break
                stop.set()
            threading.Thread(target=read_stdin, daemon=True).start()
            stop.wait(ARGS.seconds)
        else:
            s = sessions[0]
            log('connecting to %s ...' % whep)
            deadline = time.monotonic() + ARGS.seconds
            while not s.connected and not s.errors and time.monotonic() < deadline:
                time.sleep(0.05)
            if not s.connected:
                raise RuntimeError('no connection within %.0f s%s' % (ARGS.seconds, ': ' + s.errors[0] if s.errors else ''))
            # rtpbin lip-syncs a stream once its first sender report is in; libwebrtc sends audio's within ~2.5 s.
            sr_deadline = time.monotonic() + 15
            while len(s.synced) < 2 and time.monotonic() < sr_deadline:
                time.sleep(0.05)
            if s.api is not None and not ARGS.no_speak:
                probes = probe(s, log)
            time.sleep(max(0.0, deadline - time.monotonic()))
        for s in sessions:
            s.finish()
    except Exception as e:  # reported as a line the test can show, then a non-zero exit
        emit({'event': 'error', 'session': None, 'message': str(e)})
        for s in sessions:
            s.stop()
        loop.quit()
        return 1
    seconds = (time.monotonic_ns() - started) / 1e9
    for s in sessions:
        s.stop()
    loop.quit()
    if ARGS.events:
        return 0
    s = sessions[0]
    r = report(s, probes, seconds)
    if ARGS.png:
        timeline(s, probes, ARGS.png)
        r['png'] = ARGS.png
    if ARGS.json:
        print(json.dumps(r, indent=None, separators=(',', ':')))
    else:
        print_text(r)
    if s.video_frames == 0 or s.audio_buffers == 0:
        sys.stderr.write('facecast meter: no %s arrived\n' % ('video' if s.video_frames == 0 else 'audio'))
        return 1
    return 0


ARGS = None

if __name__ == '__main__':
    sys.exit(main())
