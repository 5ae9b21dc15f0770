// Drives Debian's Chromium through the Facecast demo page and prints one JSON object with what it measured.
// usage: node page-check.mjs --url http://127.0.0.1:PORT/#key=KEY [--relay] --screenshot PATH [--chromium /usr/bin/chromium]
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : dflt; };
const url = opt('url');
const screenshot = opt('screenshot', 'page.png');
const relay = args.includes('--relay');
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
  // The API key rides in the fragment (#key=...): query parameters go before it.
  const [base, hash] = url.split('#');
  await page.goto(base + (relay ? (base.includes('?') ? '&' : '?') + 'relay=1' : '') + (hash ? '#' + hash : ''));
  step('page loaded');
  const fc = (expr, arg) => page.evaluate(expr, arg);
  const now = () => fc(() => window.facecast.now());
  const sleep = (ms) => page.waitForTimeout(ms);

  await page.click('#connect');
  await page.waitForFunction(() => ['connected', 'failed', 'closed'].includes(window.facecast.state)
    || window.facecast.errors.length > 0, null, { timeout: 30000 });
  result.sessionId = await fc(() => window.facecast.sessionId);
  const state = await fc(() => window.facecast.state);
  result.errors = await fc(() => window.facecast.errors);
  if (state !== 'connected') throw new Error('page did not connect: ' + state + ' ' + result.errors.join('; '));
  step('connected');
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
  await page.screenshot({ path: screenshot });
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
