// Word highlighting: each WordStarted event (sent when the frame with the word's first mouth shape left the
// streamer) marks that word of the subtitle a playout delay later, when the word is heard and seen. Tests read
// window.facecastWords.highlights ({ t, word } each time the highlighted word changes).
const $ = (id) => document.getElementById(id);
const words = window.facecastWords = { highlights: [], text: '', utteranceId: null };
const timers = new Set();

function later(ms, fn) {
  const id = setTimeout(() => { timers.delete(id); fn(); }, Math.max(0, ms));
  timers.add(id);
}

function mark(offset, length) {
  const subtitle = $('subtitle');
  // Only while the subtitle still shows this utterance (app.js sets and clears it).
  if (!words.text || subtitle.textContent !== words.text) return;
  const before = document.createTextNode(words.text.slice(0, offset));
  const word = document.createElement('mark');
  word.textContent = words.text.slice(offset, offset + length);
  const after = document.createTextNode(words.text.slice(offset + length));
  subtitle.replaceChildren(before, word, after);
  words.highlights.push({ t: performance.now(), word: word.textContent });
}

window.addEventListener('facecast:event', (e) => {
  const event = e.detail;
  const delay = (window.facecast && window.facecast.playoutDelayMs) || 100;
  if (event.speechStarted) {
    words.text = event.speechStarted.text || '';
    words.utteranceId = event.speechStarted.utteranceId;
  } else if (event.wordStarted && event.wordStarted.utteranceId === words.utteranceId) {
    const w = event.wordStarted;
    later(delay + 1, () => mark(w.textOffset || 0, w.textLength || 0));
  } else if (event.speechFinished || event.interrupted) {
    for (const id of timers) clearTimeout(id);
    timers.clear();
    words.text = '';
  }
});
