#!/usr/bin/python3
"""An independent standard player as the measuring receiver for Facecast's sync markers.

GStreamer's webrtcbin (Debian's 1.22) receives N sessions through signaling's WHEP endpoint (POST /whep, one
non-trickle offer with every local candidate in it). Media is handled the way a player handles it: rtpbin's jitter
buffers, lip-synced by the RTCP sender reports (webrtcbin's default, rtcp-sync=always), VP8 and Opus decoders, and
sinks with sync=true, so each buffer is released when the pipeline clock reaches its running time. Everything is
timed on that running time (buffer PTS + sample offset), which is what the player presents; wall-clock arrival
jitter of the analysis thread plays no part in the skew.

  * Video: a sync-marker flash is a frame whose mouth box is (nearly) all studio white (the same rule as the Java
    client's FlashDetector: >= 85 % of the box at luma >= 215). A run of such frames is one flash, timed by its first.
  * Audio: a tone burst is >= 8 ms of loud, pure 1 kHz (a sliding one-period DFT, as the Java ToneBurstDetector);
    its onset is refined to a fraction of a sample where the amplitude crosses half its steady value.
  * Markers: each flash paired with the burst nearest to it (within 400 ms); skew = audio - video.
  * Speech: contiguous runs of 10 ms blocks with RMS above --speech-rms, with, for their first and last block, the
    running time, the monotonic time the decoded block left the decoder (the packet's arrival plus decoding, before
    any jitter-buffer or sync hold) and the monotonic time the sink presented it. The pipeline clock is GStreamer's
    system clock, CLOCK_MONOTONIC, the clock of Java's System.nanoTime(); the script checks that and prints it.

Output: one JSON object per line on stdout ("session", "connected", "flash", "burst", "speech", "marker",
"summary", "error"). It runs until stdin says "stop" (or closes), or --seconds pass, then prints the markers and a
summary per session and exits 0.

Usage: gst_sync_receiver.py --base http://127.0.0.1:8080/ [--sessions N] [--seconds S]
"""
import argparse
import json
import sys
import threading
import time
import urllib.request
import urllib.error
import os


def auth(headers):
    """Adds the API key (from FACECAST_API_KEY: never on the command line) as a bearer credential."""
    key = os.environ.get('FACECAST_API_KEY')
    if key:
        headers['Authorization'] = 'Bearer ' + key
    return headers

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstWebRTC', '1.0')
gi.require_version('GstSdp', '1.0')
gi.require_version('GstVideo', '1.0')
from gi.repository import Gst, GstWebRTC, GstSdp, GstVideo, GLib  # noqa: E402
import numpy as np  # noqa: E402

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

_out_lock = threading.Lock()


def emit(obj):
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


class Session:
    def __init__(self, index, base, latency_ms):
        self.index = index
        self.base = base
        self.id = None
        self.pipe = Gst.Pipeline.new('session-%d' % index)
        self.webrtc = Gst.ElementFactory.make('webrtcbin', 'webrtc')
        self.webrtc.set_property('bundle-policy', GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        if latency_ms is not None:
            self.webrtc.set_property('latency', latency_ms)
        self.pipe.add(self.webrtc)
        rtpbin = self.webrtc.get_by_name('rtpbin')
        if rtpbin is None:
            raise RuntimeError('webrtcbin has no rtpbin child')
        # See SR_CHECK_NOTE: Facecast's sender-side webrtc-java stamps capture times from a clock whose epoch is the
        # session start, so its sender reports' RTP times sit (machine uptime) ahead of the packets; rtpbin's
        # plausibility check (1 s by default) would discard every report and lip-sync would never engage.
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

        rtp_video = Gst.Caps.from_string('application/x-rtp,media=video,encoding-name=VP8,payload=96,'
                                         'clock-rate=90000,rtcp-fb-nack=(boolean)true,'
                                         'rtcp-fb-nack-pli=(boolean)true')
        rtp_audio = Gst.Caps.from_string('application/x-rtp,media=audio,encoding-name=OPUS,payload=111,'
                                         'clock-rate=48000,encoding-params=(string)2')
        recv = GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY
        self.webrtc.emit('add-transceiver', recv, rtp_video)
        self.webrtc.emit('add-transceiver', recv, rtp_audio)
        self.webrtc.connect('on-ice-candidate', self._on_candidate)
        self.webrtc.connect('notify::ice-gathering-state', self._on_gathering)
        self.webrtc.connect('notify::connection-state', self._on_connection)
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
            emit({'event': 'connected', 'session': self.id, 'mono_ns': time.monotonic_ns()})
        elif state == GstWebRTC.WebRTCPeerConnectionState.FAILED:
            self.fail('peer connection failed')

    def negotiate(self, timeout):
        if not self.gathered.wait(timeout):
            raise RuntimeError('ICE gathering did not complete in %s s' % timeout)
        while self.offer_sdp is None:
            time.sleep(0.01)
        sdp = self._with_candidates(self.offer_sdp)
        req = urllib.request.Request(self.base + 'whep', data=sdp.encode(), method='POST',
                                     headers=auth({'Content-Type': 'application/sdp'}))
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:
                location = resp.headers['Location']
                answer = resp.read().decode()
        except urllib.error.HTTPError as e:
            raise RuntimeError('WHEP POST answered %d: %s' % (e.code, e.read().decode(errors='replace')))
        self.id = location.rstrip('/').rsplit('/', 1)[-1]
        emit({'event': 'session', 'session': self.id, 'index': self.index})
        ok, msg = GstSdp.SDPMessage.new_from_text(answer)
        desc = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, msg)
        self.webrtc.emit('set-remote-description', desc, Gst.Promise.new())

    def _with_candidates(self, sdp):
        lines = sdp.replace('\r\n', '\n').rstrip('\n').split('\n')
        out = []
        section = -1
        with self.lock:
            cands = list(self.candidates)

        def close_section():
            if section >= 0:
                for mline, c in cands:
                    if mline == section:
                        out.append(c if c.startswith('a=') else 'a=' + c)
                out.append('a=end-of-candidates')
        for line in lines:
            if line.startswith('m='):
                close_section()
                section += 1
            out.append(line)
        close_section()
        return '\r\n'.join(out) + '\r\n'

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
        if pad.direction != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        media = caps.get_structure(0).get_string('media')
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

    def _on_video(self, sink, buf, pad):
        now = self._presented_mono()
        self.video_frames += 1
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
        finally:
            buf.unmap(mapinfo)
        is_white = white >= MIN_WHITE_FRACTION
        if is_white and not self.in_flash:
            rt = self._running(pad, buf.pts)
            self.flashes.append((rt, white, now))
            emit({'event': 'flash', 'session': self.id, 'running_ns': rt, 'white': round(white, 3),
                  'presented_mono_ns': now, 'width': width, 'height': height})
        self.in_flash = is_white

    def _on_decoded(self, pad, info):
        buf = info.get_buffer()
        self.decoded_at[buf.pts] = time.monotonic_ns()
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
            if rms > ARGS.speech_rms:
                if self.speech is None:
                    self.speech = {'event': 'speech', 'session': self.id, 'first_running_ns': t,
                                   'first_decoded_mono_ns': decoded, 'first_presented_mono_ns': p}
                self.speech.update({'last_end_running_ns': t + 10_000_000, 'last_decoded_mono_ns': decoded,
                                    'last_end_presented_mono_ns': p + 10_000_000})
            elif self.speech is not None:
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
            emit(self.speech)
            self.speech = None
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
        emit({'event': 'summary', 'session': self.id, 'markers': len(pairs), 'flashes': len(self.flashes),
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
              'errors': self.errors})

    def stop(self):
        if self.id is not None:
            try:
                req = urllib.request.Request(self.base + 'whep/resource/' + self.id, method='DELETE', headers=auth({}))
                urllib.request.urlopen(req, timeout=5).close()
            except Exception:  # the session may be gone already; nothing to clean up then
                pass
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


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--base', required=True, help='signaling HTTP base URL, e.g. http://127.0.0.1:8080/')
    parser.add_argument('--sessions', type=int, default=1)
    parser.add_argument('--seconds', type=float, default=600)
    parser.add_argument('--latency-ms', type=int, default=None, help='webrtcbin jitter-buffer latency')
    parser.add_argument('--speech-rms', type=float, default=200)
    parser.add_argument('--max-rtcp-rtp-time-diff-ms', type=int, default=-1,
                        help="rtpbin's sender-report plausibility check (GStreamer's default is 1000; -1 disables it)")
    ARGS = parser.parse_args()
    if not ARGS.base.endswith('/'):
        ARGS.base += '/'
    Gst.init(None)
    check_clock()
    loop = GLib.MainLoop()
    threading.Thread(target=loop.run, daemon=True).start()
    sessions = [Session(i, ARGS.base, ARGS.latency_ms) for i in range(ARGS.sessions)]
    try:
        for s in sessions:
            s.start()
        for s in sessions:
            s.negotiate(10)
        stop = threading.Event()

        def read_stdin():
            for line in sys.stdin:
                if line.strip() == 'stop':
                    break
            stop.set()
        threading.Thread(target=read_stdin, daemon=True).start()
        stop.wait(ARGS.seconds)
        for s in sessions:
            s.finish()
    except Exception as e:  # reported as a line the test can show, then a non-zero exit
        emit({'event': 'error', 'session': None, 'message': str(e)})
        return 1
    finally:
        for s in sessions:
            s.stop()
        loop.quit()
    return 0


ARGS = None

if __name__ == '__main__':
    sys.exit(main())
