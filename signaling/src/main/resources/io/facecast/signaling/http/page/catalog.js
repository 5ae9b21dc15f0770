// The avatar and voice pickers: GET /v1/avatars and /v1/voices (with the page's token, if any) fill the two selects,
// and the chosen avatar's preview (its idle frame) shows beside them. Tests read window.facecastCatalog.
const $ = (id) => document.getElementById(id);
const catalog = window.facecastCatalog = { avatars: [], voices: [], loaded: false, previewLoaded: false, error: null };
const previews = new Map(); // avatar name -> object URL of its preview PNG

function authHeaders() {
  const t = $('token').value.trim();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

async function getJson(path) {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw new Error(path + ' -> ' + response.status);
  return response.json();
}

function fill(select, entries, label, wanted) {
  const keep = wanted || select.value;
  select.replaceChildren();
  const groups = new Map();
  for (const e of entries) {
    const option = new Option(label(e), e.name);
    const group = e.backend || '';
    if (!group) { select.add(option); continue; }
    if (!groups.has(group)) {
      const g = document.createElement('optgroup');
      g.label = group;
      groups.set(group, g);
      select.append(g);
    }
    groups.get(group).append(option);
  }
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

async function showPreview() {
  const name = $('avatar').value;
  const img = $('avatar-preview');
  const avatar = catalog.avatars.find((a) => a.name === name);
  if (!avatar || !avatar.previewUrl) { img.removeAttribute('src'); return; }
  if (!previews.has(name)) {
    const response = await fetch(avatar.previewUrl, { headers: authHeaders() });
    if (!response.ok) return;
    previews.set(name, URL.createObjectURL(await response.blob()));
  }
  img.onload = () => { catalog.previewLoaded = img.naturalWidth > 0; };
  img.src = previews.get(name);
  img.alt = 'avatar ' + name;
}

async function load() {
  try {
    const [avatars, voices] = await Promise.all([getJson('/v1/avatars'), getJson('/v1/voices')]);
    catalog.avatars = avatars.avatars || [];
    // Open-ended entries ("http:<voice>") are a note, not a choice.
    catalog.voices = (voices.voices || []).filter((v) => !v.pattern);
    const params = new URLSearchParams(location.search.slice(1));
    fill($('avatar'), catalog.avatars, (a) => a.name + (a.idleFrames > 1 ? ' (idle loop)' : ''), params.get('avatar'));
    fill($('voice'), catalog.voices, (v) => v.name + (v.language ? ' — ' + v.language : ''), params.get('voice'));
    catalog.loaded = true;
    catalog.error = null;
    await showPreview();
  } catch (e) {
    catalog.error = String(e); // the selects keep "default"; a token typed later loads them again
  }
}

$('avatar').addEventListener('change', showPreview);
$('token').addEventListener('change', load);
load();
