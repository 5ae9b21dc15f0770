// "Your own audio": a WAV file from the computer, POSTed to /api/sessions/{id}/audio (the server streams it to the
// renderer as it arrives, through the same path as gRPC SpeakAudio); the avatar lip-syncs it.
const $ = (id) => document.getElementById(id);
const upload = window.facecastUpload = { sent: [], errors: [] };

function refresh() {
  const live = window.facecast && window.facecast.state === 'connected';
  $('speak-audio').disabled = !live || !$('audio-file').files.length;
}

async function speakFile() {
  const file = $('audio-file').files[0];
  if (!file || !window.facecast.sessionId) return;
  const headers = { 'Content-Type': 'audio/wav' };
  const t = $('token').value.trim();
  if (t) headers.Authorization = 'Bearer ' + t;
  $('audio-status').textContent = 'sending ' + file.name + ' …';
  try {
    const path = '/api/sessions/' + encodeURIComponent(window.facecast.sessionId) + '/audio?text='
      + encodeURIComponent(file.name);
    const response = await fetch(path, { method: 'POST', headers, body: file });
    const body = await response.json();
    if (!response.ok) throw new Error(response.status + ': ' + body.message);
    upload.sent.push({ t: performance.now(), utteranceId: body.utteranceId });
    $('audio-status').textContent = 'utterance ' + body.utteranceId;
  } catch (e) {
    upload.errors.push(String(e));
    $('audio-status').textContent = String(e);
  }
}

$('audio-file').addEventListener('change', refresh);
$('speak-audio').addEventListener('click', speakFile);
setInterval(refresh, 500); // follows the connection state app.js keeps
