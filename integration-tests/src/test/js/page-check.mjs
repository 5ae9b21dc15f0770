// Drives Debian's Chromium through the Facecast demo page and prints one JSON object with what it measured.
// usage: node page-check.mjs --url http://127.0.0.1:PORT/#key=KEY [--relay] --screenshot PATH [--chromium /usr/bin/chromium]
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : dflt; };
const url = opt('url');
const screenshot = opt('screenshot', 'page.png');
const relay = args.includes('--relay');
const wav = opt('wav', null);
const executablePath = opt('chromium', '/usr/bin/chromium');
const speakText = 'Hello there. I am speaking to you through a real browser, and I will keep talking for quite a '
  + 'while, so that you can interrupt me in the middle of this long sentence about nothing in particular.';

const result = { ok: false, steps: [], console: [] };
const step = (name) => { result.steps.push(name); };
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') result.console.push(m.text()); });
  page.on('pageerror', (e) => result.console.push('pageerror: ' + e.message));
  // Connection timing, measured without touching the page's code: the WHEP POST (fetch), the answer applied
  // (setRemoteDescription), ICE/peer state changes, and the first decoded video frame (getStats polled every 5 ms).
  await page.addInitScript(() => {
    const t0 = () => performance.now();
    const timing = window.__fcTiming = { marks: {} };
    const mark = (name) => { if (timing.marks[name] === undefined) timing.marks[name] = t0(); };
    const realFetch = window.fetch;
    window.fetch = function (input, init) {
      const url = String(input && input.url || input);
      if (init && init.method === 'POST' && url.includes('/whep')) mark('whepPost');
      const p = realFetch.apply(this, arguments);
      if (init && init.method === 'POST' && url.includes('/whep')) p.then(() => mark('whepResponse'));
      return p;
    };
    const Real = window.RTCPeerConnection;
    window.RTCPeerConnection = function (config) {
      const pc = new Real(config);
      timing.pc = pc;
      pc.addEventListener('iceconnectionstatechange', () => mark('ice-' + pc.iceConnectionState));
      pc.addEventListener('connectionstatechange', () => mark('pc-' + pc.connectionState));
      const srd = pc.setRemoteDescription.bind(pc);
      pc.setRemoteDescription = (d) => srd(d).then((r) => { mark('answerApplied'); timing.answerSdp = d.sdp; return r; });
      const poll = setInterval(async () => {
        if (pc.connectionState === 'closed') { clearInterval(poll); return; }
        const stats = await pc.getStats();
        stats.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video' && s.packetsReceived > 0) mark('firstVideoPacket');
          if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.packetsReceived > 0) mark('firstAudioPacket');
          if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0) {
            mark('firstFrameDecoded');
            timing.atFirstFrame = timing.atFirstFrame || { pliCount: s.pliCount, firCount: s.firCount,
              keyFramesDecoded: s.keyFramesDecoded, packetsReceived: s.packetsReceived, bytesReceived: s.bytesReceived };
          }
          if (s.type === 'transport' && s.dtlsState === 'connected') mark('dtlsConnected');
          if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') timing.pair = timing.pair || s.id;
        });
        if (timing.marks.firstFrameDecoded !== undefined) clearInterval(poll);
      }, 5);
      return pc;
    };
    window.RTCPeerConnection.prototype = Real.prototype;
  });
  // The API key rides in the fragment (#key=...): query parameters go before it.
  const [base, hash] = url.split('#');
  await page.goto(base + (relay ? (base.includes('?') ? '&' : '?') + 'relay=1' : '') + (hash ? '#' + hash : ''));
  step('page loaded');
  const fc = (expr, arg) => page.evaluate(expr, arg);
  const now = () => fc(() => window.facecast.now());
  const sleep = (ms) => page.waitForTimeout(ms);

  // The pickers: filled from GET /v1/avatars and /v1/voices, with the chosen avatar's preview shown.
  await page.waitForFunction(() => window.facecastCatalog && window.facecastCatalog.loaded
    && window.facecastCatalog.previewLoaded, null, { timeout: 10000 });
  result.pickers = await fc(() => ({
    avatars: [...document.querySelectorAll('#avatar option')].map((o) => o.value),
    voices: [...document.querySelectorAll('#voice option')].map((o) => o.value),
    avatar: document.getElementById('avatar').value,
    previewWidth: document.getElementById('avatar-preview').naturalWidth,
  }));
  step('pickers listed');

  await page.click('#connect');
  await page.waitForFunction(() => ['connected', 'failed', 'closed'].includes(window.facecast.state)
    || window.facecast.errors.length > 0, null, { timeout: 30000 });
  result.sessionId = await fc(() => window.facecast.sessionId);
  const state = await fc(() => window.facecast.state);
  result.errors = await fc(() => window.facecast.errors);
  if (state !== 'connected') throw new Error('page did not connect: ' + state + ' ' + result.errors.join('; '));
  step('connected');
  await page.waitForFunction(() => window.__fcTiming.marks.firstFrameDecoded !== undefined, null, { timeout: 10000 });
  result.timing = await fc(() => {
    const m = window.__fcTiming.marks;
    const rel = {};
    for (const [k, v] of Object.entries(m)) rel[k] = Math.round(v - m.whepPost);
    const answer = window.__fcTiming.answerSdp || '';
    return { sinceWhepPostMs: rel, atFirstFrame: window.__fcTiming.atFirstFrame, answerCandidates: answer.split(/\r?\n/).filter((l) => l.startsWith('a=candidate')) };
  });
  result.postToFirstFrameMs = result.timing.sinceWhepPostMs.firstFrameDecoded;
  await page.waitForFunction(() => window.facecast.video.length > 5 && window.facecast.audio.length > 5,
    null, { timeout: 10000 });

  // Idle: frame rate from framesDecoded, a still mouth, silence.
  await sleep(1000);
  const fpsStart = await fc(() => ({ t: window.facecast.now(), stats: window.facecast.stats }));
  const idleFrom = await now();
  await sleep(4000);
  const idleTo = await now();
  const fpsEnd = await fc(() => ({ t: window.facecast.now(), stats: window.facecast.stats }));
  result.framesDecodedFps = (fpsEnd.stats.framesDecoded - fpsStart.stats.framesDecoded)
    / ((fpsEnd.stats.t - fpsStart.stats.t) / 1000);
  result.idle = await fc(([a, b]) => window.facecast.window(a, b), [idleFrom, idleTo]);
  result.totalSamplesReceived = fpsEnd.stats.totalSamplesReceived;
  result.audioSamplesPerSecond = (fpsEnd.stats.totalSamplesReceived - fpsStart.stats.totalSamplesReceived)
    / ((fpsEnd.stats.t - fpsStart.stats.t) / 1000);
  step('idle measured');

  // Speak: speech energy and mouth motion, the subtitle, a screenshot.
  await page.fill('#text', speakText);
  const spokeAt = await now();
  await page.click('#speak');
  await page.waitForFunction(() => window.facecast.events.some((e) => e.event.speechStarted), null, { timeout: 15000 });
  const startedAt = await fc(() => window.facecast.events.find((e) => e.event.speechStarted).t);
  result.speakToSpeechStartedMs = startedAt - spokeAt;
  await sleep(3000);
  result.speech = await fc(([a, b]) => window.facecast.window(a, b), [startedAt + 400, startedAt + 3000]);
  result.subtitleDuringSpeech = await page.textContent('#subtitle');
  // Mid-sentence, with the word being said highlighted (words.js marks it from WordStarted events).
  await page.waitForFunction(() => document.querySelector('#subtitle mark') !== null, null, { timeout: 5000 })
    .catch(() => {});
  result.markedAtScreenshot = await fc(() => { const m = document.querySelector('#subtitle mark'); return m ? m.textContent : null; });
  await page.screenshot({ path: screenshot });
  result.highlights = await fc(() => window.facecastWords.highlights.map((h) => h.word));
  result.screenshot = screenshot;
  step('speech measured');

  // Interrupt: both stop.
  const interruptAt = await now();
  await page.click('#interrupt');
  await page.waitForFunction(() => window.facecast.events.some((e) => e.event.interrupted), null, { timeout: 10000 });
  const interruptedAt = await fc(() => window.facecast.events.find((e) => e.event.interrupted).t);
  result.interruptToEventMs = interruptedAt - interruptAt;
  await sleep(2000);
  result.afterInterrupt = await fc(([a, b]) => window.facecast.window(a, b), [interruptAt + 800, interruptAt + 2000]);
  result.subtitleAfterInterrupt = await page.textContent('#subtitle');
  result.stats = await fc(() => window.facecast.stats);
  result.statsText = {
    fps: await page.textContent('#s-fps'), jitter: await page.textContent('#s-jitter'),
    rtt: await page.textContent('#s-rtt'), sync: await page.textContent('#s-sync'), path: await page.textContent('#s-path'),
  };
  step('interrupt measured');

  // Your own audio: a WAV uploaded through the page makes the mouth move.
  if (wav) {
    await page.setInputFiles('#audio-file', wav);
    await page.waitForFunction(() => !document.getElementById('speak-audio').disabled, null, { timeout: 5000 });
    const uploadAt = await now();
    await page.click('#speak-audio');
    await page.waitForFunction(() => window.facecastUpload.sent.length > 0 || window.facecastUpload.errors.length > 0,
      null, { timeout: 15000 });
    result.upload = await fc(() => ({ sent: window.facecastUpload.sent, errors: window.facecastUpload.errors }));
    await page.waitForFunction(() => window.facecast.events.filter((e) => e.event.speechStarted).length >= 2,
      null, { timeout: 15000 });
    const started = await fc(() => window.facecast.events.filter((e) => e.event.speechStarted)[1].t);
    result.uploadToSpeechStartedMs = started - uploadAt;
    await sleep(1800);
    result.uploadSpeech = await fc(([a, b]) => window.facecast.window(a, b), [started + 300, started + 1500]);
    step('uploaded audio measured');
  }

  // WHEP DELETE ends the session.
  await page.click('#disconnect');
  await page.waitForFunction(() => window.facecast.state === 'closed', null, { timeout: 10000 });
  step('disconnected');
  result.errors = await fc(() => window.facecast.errors);
  result.ok = true;
} catch (e) {
  result.failure = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
