// The Facecast demo page: a session through the JSON API, media through WHEP, events through server-sent events,
// live getStats() figures, and two probes (mouth-region motion, received audio level) that tests read through
// window.facecast.
import { WhepClient } from './whep.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search.slice(1));
// The API key may come in the fragment (#key=...), which the browser never sends to a server or in a Referer.
// It is taken out of the address bar at once; the page then holds it in the field only.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('key')) {
  $('token').value = fragment.get('key');
  history.replaceState(null, '', location.pathname + location.search);
}
if (params.get('relay') === '1') $('relay').checked = true;
if (params.get('avatar')) $('avatar').value = params.get('avatar');

// The default avatar's mouth at 512x512, scaled to the received size.
const MOUTH_512 = { x: 180, y: 290, w: 152, h: 92 };

const fc = window.facecast = {
  state: 'idle',
  sessionId: null,
  events: [],          // { t, event } in arrival order
  stats: null,         // latest figures from getStats()
  video: [],           // { t, motion }: mean absolute luma change in the mouth region, per decoded frame
  audio: [],           // { t, rms }: received audio level from a WebAudio analyser, every 50 ms
  subtitles: [],       // { t, text } each time the subtitle changes
  errors: [],
  now: () => performance.now(),
  window: (from, to) => summarize(from, to),
};

let pc = null;
let whep = null;
let events = null;
let audioContext = null;
let playoutDelayMs = 100;

function log(text) {
  const line = document.createElement('div');
  line.textContent = new Date().toISOString().slice(11, 23) + ' ' + text;
  $('log').prepend(line);
}

function setState(state) {
  fc.state = state;
  $('state').textContent = state;
  const live = state === 'connected';
  $('speak').disabled = !live;
  $('interrupt').disabled = !live;
}

// The API key creates the session; from then on the page uses only the session's own token (session:<id> grant).
let sessionToken = '';
function token() {
  return sessionToken || $('token').value.trim();
}

async function api(method, path, body) {
  const headers = {};
  if (token()) headers.Authorization = 'Bearer ' + token();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try { message = JSON.parse(text).message; } catch (e) { /* plain text */ }
    throw new Error(method + ' ' + path + ' -> ' + response.status + ': ' + message);
  }
  return text ? JSON.parse(text) : {};
}

async function connect() {
  $('connect').disabled = true;
  try {
    // Created in the click, so the browser lets it run (autoplay policy).
    audioContext = audioContext || new AudioContext();
    await audioContext.resume();
    setState('creating session');
    sessionToken = '';
    const session = await api('POST', '/api/sessions', { avatar: $('avatar').value, voice: $('voice').value });
    fc.sessionId = session.sessionId;
    sessionToken = session.sessionToken || '';
    log('session ' + session.sessionId + ' on ' + session.streamerId + ' (' + (session.iceServers || []).length + ' ICE servers)');
    pc = new RTCPeerConnection({
      iceServers: session.iceServers || [],
      iceTransportPolicy: $('relay').checked ? 'relay' : 'all',
      bundlePolicy: 'max-bundle',
    });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.ontrack = (e) => {
      // Audio and video share one MediaStream from the server: that is what lets the browser lip-sync them.
      const stream = e.streams[0] || new MediaStream([e.track]);
      if ($('video').srcObject !== stream) $('video').srcObject = stream;
      if (e.track.kind === 'audio') startAudioProbe(e.track);
      if (e.track.kind === 'video') startVideoProbe();
    };
    pc.onconnectionstatechange = () => {
      log('peer ' + pc.connectionState);
      if (pc.connectionState === 'connected') setState('connected');
      if (pc.connectionState === 'failed') setState('failed');
    };
    await openEvents(session.sessionId);
    whep = new WhepClient(token());
    setState('negotiating (WHEP)');
    const resource = await whep.view(pc, '/api/sessions/' + encodeURIComponent(session.sessionId) + '/whep');
    log('WHEP resource ' + new URL(resource).pathname + ', ' + whep.iceServers.length + ' ICE servers in Link headers');
    $('disconnect').disabled = false;
    startStats();
  } catch (e) {
    fail(e);
    $('connect').disabled = false;
  }
}

// EventSource cannot send headers: the page trades its token for a one-use, 30-second ticket (the only credential
// ever put in a URL) and opens the stream with it; after a drop it fetches a new ticket.
async function openEvents(sessionId) {
  const path = '/api/sessions/' + encodeURIComponent(sessionId);
  const { ticket } = await api('POST', path + '/events-ticket');
  events = new EventSource(path + '/events?ticket=' + encodeURIComponent(ticket));
  events.onerror = () => {
    if (events.readyState !== EventSource.CLOSED || fc.state === 'closed' || fc.sessionId !== sessionId) return;
    setTimeout(() => openEvents(sessionId).catch(fail), 1000);
  };
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    fc.events.push({ t: fc.now(), event });
    // Other page modules (words.js) follow the events too, with the playout delay measured here.
    fc.playoutDelayMs = playoutDelayMs;
    window.dispatchEvent(new CustomEvent('facecast:event', { detail: event }));
    if (event.speechStarted) {
      log('speech ' + event.speechStarted.utteranceId + ' started');
      // The event leaves the streamer with the utterance's first frame; the picture shows it a playout delay later.
      showSubtitle(event.speechStarted.text, playoutDelayMs);
    } else if (event.speechFinished) {
      log('speech ' + event.speechFinished.utteranceId + ' finished (' + event.speechFinished.durationMs + ' ms)');
      showSubtitle('', playoutDelayMs);
    } else if (event.interrupted) {
      log('speech ' + event.interrupted.utteranceId + ' interrupted at ' + event.interrupted.positionMs + ' ms');
      showSubtitle('', playoutDelayMs);
    } else if (event.stateChanged) {
      log('session ' + event.stateChanged.state + (event.stateChanged.reason ? ': ' + event.stateChanged.reason : ''));
      if (event.stateChanged.state === 'SESSION_STATE_CLOSED' || event.stateChanged.state === 'SESSION_STATE_FAILED') {
        setState('closed');
        events.close();
      }
    } else if (event.error) {
      log('error ' + event.error.code + ': ' + event.error.message);
    }
  };
}

function showSubtitle(text, delayMs) {
  setTimeout(() => {
    $('subtitle').textContent = text;
    fc.subtitles.push({ t: fc.now(), text });
  }, Math.max(0, delayMs));
}

function startAudioProbe(track) {
  const source = audioContext.createMediaStreamSource(new MediaStream([track]));
  const analyser = audioContext.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    fc.audio.push({ t: fc.now(), rms: Math.sqrt(sum / samples.length) });
    if (fc.audio.length > 6000) fc.audio.splice(0, 1000);
  }, 50);
}

function startVideoProbe() {
  const video = $('video');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let previous = null;
  const onFrame = () => {
    if (video.videoWidth > 0) {
      const scale = video.videoWidth / 512;
      const box = { x: Math.round(MOUTH_512.x * scale), y: Math.round(MOUTH_512.y * scale),
        w: Math.round(MOUTH_512.w * scale), h: Math.round(MOUTH_512.h * scale) };
      canvas.width = box.w;
      canvas.height = box.h;
      ctx.drawImage(video, box.x, box.y, box.w, box.h, 0, 0, box.w, box.h);
      const rgba = ctx.getImageData(0, 0, box.w, box.h).data;
      const luma = new Float32Array(box.w * box.h);
      for (let i = 0; i < luma.length; i++) {
        luma[i] = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
      }
      if (previous && previous.length === luma.length) {
        let diff = 0;
        for (let i = 0; i < luma.length; i++) diff += Math.abs(luma[i] - previous[i]);
        fc.video.push({ t: fc.now(), motion: diff / luma.length });
        if (fc.video.length > 20000) fc.video.splice(0, 5000);
      }
      previous = luma;
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

let last = null;
function startStats() {
  setInterval(async () => {
    if (!pc) return;
    const report = await pc.getStats();
    const now = { t: fc.now() };
    let pairId = null;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') now.video = s;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') now.audio = s;
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    const pair = pairId ? report.get(pairId) : null;
    const figures = { t: now.t };
    if (now.video) {
      figures.framesDecoded = now.video.framesDecoded || 0;
      figures.framesPerSecondReported = now.video.framesPerSecond || 0;
      figures.frameWidth = now.video.frameWidth;
      figures.frameHeight = now.video.frameHeight;
    }
    if (now.audio) {
      figures.audioJitterMs = (now.audio.jitter || 0) * 1000;
      figures.totalSamplesReceived = now.audio.totalSamplesReceived || 0;
      figures.totalAudioEnergy = now.audio.totalAudioEnergy || 0;
      figures.audioLevel = now.audio.audioLevel || 0;
    }
    if (pair) {
      figures.rttMs = pair.currentRoundTripTime !== undefined ? pair.currentRoundTripTime * 1000 : null;
      const local = report.get(pair.localCandidateId);
      const remote = report.get(pair.remoteCandidateId);
      figures.localCandidateType = local && local.candidateType;
      figures.remoteCandidateType = remote && remote.candidateType;
      figures.protocol = local && local.protocol;
    }
    if (last && now.video && last.video) {
      const dt = (now.t - last.t) / 1000;
      figures.fps = (now.video.framesDecoded - last.video.framesDecoded) / dt;
      const videoDelay = delayMs(now.video, last.video);
      const audioDelay = now.audio && last.audio ? delayMs(now.audio, last.audio) : null;
      if (videoDelay !== null) playoutDelayMs = videoDelay;
      // Both streams are aligned by the browser from RTCP sender reports; what is left visible is the difference
      // of their playout delays (positive: the picture is shown later than the sound it belongs to).
      if (videoDelay !== null && audioDelay !== null) figures.avSyncMs = videoDelay - audioDelay;
      // Better where the browser reports it: which sender time each track is playing right now (same clock, one
      // getStats call), so their difference is how far the picture trails the sound it belongs to.
      if (now.video.estimatedPlayoutTimestamp && now.audio && now.audio.estimatedPlayoutTimestamp) {
        figures.avSyncMs = now.audio.estimatedPlayoutTimestamp - now.video.estimatedPlayoutTimestamp;
        figures.avSyncSource = 'estimatedPlayoutTimestamp';
      } else {
        figures.avSyncSource = 'jitterBufferDelay';
      }
      figures.videoDelayMs = videoDelay;
      figures.audioDelayMs = audioDelay;
    }
    last = now;
    fc.stats = figures;
    render(figures);
  }, 500);
}

function delayMs(now, before) {
  const emitted = (now.jitterBufferEmittedCount || 0) - (before.jitterBufferEmittedCount || 0);
  if (emitted <= 0) return null;
  return 1000 * ((now.jitterBufferDelay || 0) - (before.jitterBufferDelay || 0)) / emitted;
}

function render(f) {
  const fmt = (v, unit, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits) + unit);
  $('s-fps').textContent = fmt(f.fps, ' fps') + (f.frameWidth ? ' (' + f.frameWidth + '×' + f.frameHeight + ')' : '');
  $('s-frames').textContent = f.framesDecoded ?? '–';
  $('s-jitter').textContent = fmt(f.audioJitterMs, ' ms');
  $('s-rtt').textContent = fmt(f.rttMs, ' ms');
  $('s-sync').textContent = fmt(f.avSyncMs, ' ms') + (f.videoDelayMs != null ? ' (video ' + fmt(f.videoDelayMs, ' ms', 0) + ', audio ' + fmt(f.audioDelayMs, ' ms', 0) + ')' : '');
  $('s-audio').textContent = fmt(f.audioLevel, '', 3);
  $('s-path').textContent = f.localCandidateType ? f.localCandidateType + ' → ' + f.remoteCandidateType + ' (' + f.protocol + ')' : '–';
}

function summarize(from, to) {
  const frames = fc.video.filter((s) => s.t >= from && s.t < to);
  const audio = fc.audio.filter((s) => s.t >= from && s.t < to);
  const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return {
    frames: frames.length,
    fps: frames.length / ((to - from) / 1000),
    motionMean: mean(frames.map((s) => s.motion)),
    motionMax: frames.length ? Math.max(...frames.map((s) => s.motion)) : null,
    audioRmsMean: mean(audio.map((s) => s.rms)),
    audioRmsMax: audio.length ? Math.max(...audio.map((s) => s.rms)) : null,
  };
}

function fail(e) {
  fc.errors.push(String(e.message || e));
  log('ERROR ' + (e.message || e));
}

async function speak() {
  try {
    const r = await api('POST', '/api/sessions/' + encodeURIComponent(fc.sessionId) + '/speak', { text: $('text').value });
    log('speak -> utterance ' + r.utteranceId);
  } catch (e) { fail(e); }
}

async function interrupt() {
  try {
    const r = await api('POST', '/api/sessions/' + encodeURIComponent(fc.sessionId) + '/interrupt');
    log('interrupt -> utterance ' + (r.utteranceId || 0));
  } catch (e) { fail(e); }
}

async function disconnect() {
  $('disconnect').disabled = true;
  try {
    if (whep) await whep.stop();
  } catch (e) { fail(e); }
  if (events) events.close();
  if (pc) pc.close();
  pc = null;
  setState('closed');
  $('connect').disabled = false;
}

$('connect').onclick = connect;
$('disconnect').onclick = disconnect;
$('speak').onclick = speak;
$('interrupt').onclick = interrupt;
window.addEventListener('pagehide', () => { if (whep) whep.stop(); });
