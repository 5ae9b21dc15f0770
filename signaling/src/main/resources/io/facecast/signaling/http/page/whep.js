// A small WHEP client (draft-ietf-wish-whep / RFC 9725 rules): POST the receive-only offer, read the answer, the
// resource (Location), its ETag and the ICE servers (Link), trickle local candidates with PATCH, DELETE to end.
export class WhepClient {
  constructor(token) {
    this.token = token || '';
    this.resource = null;
    this.etag = null;
    this.iceServers = [];
    this.pending = [];
    this.ended = false;
    this.patching = Promise.resolve();
  }

  headers(contentType) {
    const h = {};
    if (contentType) h['Content-Type'] = contentType;
    if (this.token) h['Authorization'] = 'Bearer ' + this.token;
    return h;
  }

  // Negotiates pc (already holding its recvonly transceivers) with the WHEP endpoint at url.
  async view(pc, endpoint) {
    const url = new URL(endpoint, globalThis.location ? globalThis.location.href : undefined).toString();
    this.pc = pc;
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate && e.candidate.candidate) this.pending.push(e.candidate);
      else this.ended = true;
      this.flush();
    });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.offerSdp = offer.sdp;
    const response = await fetch(url, { method: 'POST', headers: this.headers('application/sdp'), body: offer.sdp });
    if (response.status !== 201) {
      throw new Error('WHEP POST ' + response.status + ': ' + (await response.text()).trim());
    }
    this.resource = new URL(response.headers.get('Location'), url).toString();
    this.etag = response.headers.get('ETag');
    this.iceServers = parseIceLinks(response.headers.get('Link'));
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    this.flush();
    return this.resource;
  }

  // Sends the candidates gathered so far as one trickle-ice-sdpfrag PATCH (RFC 8840), in order.
  flush() {
    if (!this.resource || (this.pending.length === 0 && !this.ended) || this.sentEnd) return;
    const candidates = this.pending.splice(0);
    const end = this.ended;
    if (end) this.sentEnd = true;
    this.patching = this.patching.then(() => this.patch(candidates, end)).catch((e) => console.warn('trickle', e));
  }

  async patch(candidates, end) {
    const ufrag = /a=ice-ufrag:(.*)/.exec(this.offerSdp);
    const pwd = /a=ice-pwd:(.*)/.exec(this.offerSdp);
    let frag = '';
    if (ufrag) frag += 'a=ice-ufrag:' + ufrag[1].trim() + '\r\n';
    if (pwd) frag += 'a=ice-pwd:' + pwd[1].trim() + '\r\n';
    const byMid = new Map();
    for (const c of candidates) {
      if (!byMid.has(c.sdpMid)) byMid.set(c.sdpMid, []);
      byMid.get(c.sdpMid).push(c.candidate);
    }
    for (const [mid, lines] of byMid) {
      frag += 'a=mid:' + mid + '\r\n';
      for (const line of lines) frag += 'a=' + line + '\r\n';
    }
    if (end) frag += 'a=end-of-candidates\r\n';
    const headers = this.headers('application/trickle-ice-sdpfrag');
    if (this.etag) headers['If-Match'] = this.etag;
    const response = await fetch(this.resource, { method: 'PATCH', headers, body: frag });
    if (response.status !== 204) throw new Error('PATCH ' + response.status + ': ' + (await response.text()).trim());
  }

  async stop() {
    if (!this.resource) return;
    const resource = this.resource;
    this.resource = null;
    await fetch(resource, { method: 'DELETE', headers: this.headers() });
  }
}

// Link: <turn:host:3478?transport=udp>; rel="ice-server"; username="u"; credential="c"; credential-type="password"
export function parseIceLinks(header) {
  const servers = [];
  if (!header) return servers;
  for (const link of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>(.*)/.exec(link.trim());
    if (!m || !/rel="?ice-server"?/.test(m[2])) continue;
    const server = { urls: m[1] };
    const user = /username="((?:[^"\\]|\\.)*)"/.exec(m[2]);
    const cred = /credential="((?:[^"\\]|\\.)*)"/.exec(m[2]);
    if (user) server.username = user[1].replace(/\\(.)/g, '$1');
    if (cred) server.credential = cred[1].replace(/\\(.)/g, '$1');
    servers.push(server);
  }
  return servers;
}
