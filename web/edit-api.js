//! The page's client of the correction API: the editor's token (kept for the browser tab only),
//! `whoami`, saving and reverting a placement with `If-Match`, a feature's versions and the
//! corrections statistics; publishing and withdrawing reports, verdicts on names
//! (`/api/lexicon`). No DOM: `fetch`, the origin and the storage are given, so node tests drive
//! it with fakes. Every write gives back the server's change number (`X-Planmap-Change`).
//!
//! Errors come back as `WriteError` with the HTTP status, the server's `code`, `message` and
//! `parameter`, and for 429 the `Retry-After` seconds; `describeWriteError` turns one into the
//! Chinese sentence the page shows (the server's code in Chinese, not its English wording).

import { CODE_LABELS, paramNote, withPlacements } from './api.js';

/** The sessionStorage key of the editor's token. */
export const TOKEN_KEY = 'planmap.editorToken';

/**
 * The token store: `storage` is the tab's sessionStorage (kept while the tab lives, gone when it
 * closes). Without storage (a browser that refuses it) the token lives in memory only.
 */
export function createTokenStore(storage) {
  let memory = null;
  return {
    get() {
      try {
        if (storage) return storage.getItem(TOKEN_KEY) || null;
      } catch (_) { /* storage refused: fall back to memory */ }
      return memory;
    },
    set(token) {
      memory = token;
      try { if (storage) storage.setItem(TOKEN_KEY, token); } catch (_) { /* memory only */ }
    },
    clear() {
      memory = null;
      try { if (storage) storage.removeItem(TOKEN_KEY); } catch (_) { /* nothing stored */ }
    },
  };
}

/** A refused write (or read of the correction API), with what the server said. */
export class WriteError extends Error {
  constructor(status, body, retryAfter = null) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.name = 'WriteError';
    this.status = status;
    this.code = body && body.code ? body.code : null;
    this.parameter = body && body.parameter ? body.parameter : null;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

/** The `If-Match` / `ETag` value of placement version `n`. */
export function versionTag(n) {
  return `"v${n}"`;
}

/** The version number in an ETag such as `"v3"` (or weak `W/"v3"`); null when it is not one. */
export function parseVersionTag(etag) {
  const m = /^(?:W\/)?"v(\d+)"$/.exec(String(etag || '').trim());
  return m ? Number(m[1]) : null;
}

/** The current version of a feature from its versions (newest first): 0 when never corrected. */
export function currentVersion(versions) {
  if (!Array.isArray(versions) || !versions.length) return 0;
  return Math.max(...versions.map((v) => Number(v.version) || 0));
}

/** The versions array of a `GET …/placements` answer (an array, or `{versions: [...]}`). */
export function versionsOf(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.versions)) return body.versions;
  if (body && Array.isArray(body.placements)) return body.placements;
  return [];
}

function placementPath(layer, id) {
  return `/api/collections/${encodeURIComponent(layer)}/items/${encodeURIComponent(id)}/placement`;
}

/** The given fields of an upload (empty ones left out). */
function givenFields(fields) {
  return Object.fromEntries(Object.entries(fields || {}).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/**
 * The path of `POST /api/reports`: with a file body its fields (all but `text`) as query
 * parameters, and `dry_run=true` for a preview.
 */
export function reportUploadPath(fields, { file = null, dryRun = false } = {}) {
  const q = new URLSearchParams();
  if (dryRun) q.set('dry_run', 'true');
  if (file) {
    for (const [k, v] of Object.entries(givenFields(fields))) if (k !== 'text') q.set(k, String(v));
  }
  const query = q.toString();
  return query ? `/api/reports?${query}` : '/api/reports';
}

function uploadBody(fields, file) {
  return file ? { raw: file } : { body: givenFields(fields) };
}

/** A client bound to `origin`; `token()` gives the current bearer token (or null). */
export function createEditApi({ origin, fetch: fetchFn = globalThis.fetch, token = () => null, onStart = () => {}, onDone = () => {} }) {
  // `raw`: a body sent as it is (a report file), `{bytes, type}`; else `body` goes as JSON.
  async function call(method, path, { body, raw, version, auth = true, bearer } = {}) {
    const headers = { Accept: 'application/json' };
    const secret = bearer !== undefined ? bearer : (auth ? token() : null);
    if (secret) headers.Authorization = `Bearer ${secret}`;
    if (version !== undefined && version !== null) headers['If-Match'] = versionTag(version);
    if (raw) headers['Content-Type'] = raw.type;
    else if (body !== undefined) headers['Content-Type'] = 'application/json';
    onStart();
    try {
      const res = await fetchFn(new URL(path, origin).toString(), {
        method, headers, body: raw ? raw.bytes : (body !== undefined ? JSON.stringify(body) : undefined), cache: 'no-store',
      });
      const text = await res.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
      const get = (h) => (res.headers && res.headers.get ? res.headers.get(h) : null);
      if (!res.ok) {
        const ra = Number(get('Retry-After'));
        throw new WriteError(res.status, json || { message: text ? text.slice(0, 200) : `HTTP ${res.status}` }, Number.isFinite(ra) && ra > 0 ? ra : null);
      }
      if (json === null) throw new WriteError(res.status, { message: '服务器返回的不是 JSON' });
      const change = Number(get('X-Planmap-Change'));
      return { json: withPlacements(json), etag: get('ETag'), change: Number.isFinite(change) && change > 0 ? change : null };
    } finally {
      onDone();
    }
  }

  return {
    /** `{name, role}` of the token given (or the stored one); WriteError 401 when refused. */
    async whoami(bearer) {
      return (await call('GET', '/api/whoami', { bearer })).json;
    },
    /** Saves a placement; `version` is the one the editor loaded. Gives `{feature, version}`. */
    async putPlacement(layer, id, { geometry, uncertainty_m: u, source, note }, version) {
      const { json, etag } = await call('PUT', placementPath(layer, id), { body: { geometry, uncertainty_m: u, source, note }, version });
      return { feature: json, version: parseVersionTag(etag) };
    },
    /** Back to the automatic placement (a version too). Gives `{feature, version}`. */
    async revertPlacement(layer, id, note, version) {
      const { json, etag } = await call('DELETE', placementPath(layer, id), { body: { note }, version });
      return { feature: json, version: parseVersionTag(etag) };
    },
    /** The feature as served now, WGS-84, bypassing the browser's cache (public). */
    async feature(layer, id) {
      const path = `/api/collections/${encodeURIComponent(layer)}/items/${encodeURIComponent(id)}`;
      return (await call('GET', path, { auth: false })).json;
    },
    /** Every version of a feature's placement, newest first (public). */
    async placements(layer, id) {
      const { json } = await call('GET', `${placementPath(layer, id)}s`, { auth: false });
      return versionsOf(json);
    },
    /** The corrections statistics per match tier (public). */
    async stats() {
      return (await call('GET', '/api/corrections/stats', { auth: false })).json;
    },
    /**
     * Publishes a report: `{text, title?, year?, kind?, id?, note?}` → `{report, change}` (its
     * summary). With `file` (`{bytes, type}`: a .txt, .docx or PDF as chosen) the server reads
     * the file and the fields go as query parameters; `text` is then left out.
     */
    async postReport(fields, { file } = {}) {
      const { json, change } = await call('POST', reportUploadPath(fields, { file }), uploadBody(fields, file));
      return { report: json, change };
    },
    /** What publishing would serve, storing nothing (`?dry_run=true`): the server's preview. */
    async previewReport(fields, { file } = {}) {
      const { json } = await call('POST', reportUploadPath(fields, { file, dryRun: true }), uploadBody(fields, file));
      return json;
    },
    /** Takes an uploaded report out, saying why. */
    async deleteReport(id, note) {
      const { json, change } = await call('DELETE', `/api/reports/${encodeURIComponent(id)}`, { body: { note } });
      return { answer: json, change };
    },
    /** A verdict on a name: `{verdict: 'place' | 'not_place', layer?, kind?, note}`. */
    async putVerdict(name, { verdict, layer, kind, note }) {
      const body = { verdict, note };
      if (layer) body.layer = layer;
      if (kind) body.kind = kind;
      const { json, change } = await call('PUT', `/api/lexicon/${encodeURIComponent(name)}`, { body });
      return { verdict: json, change };
    },
    /** Withdraws the verdict on a name, saying why. */
    async deleteVerdict(name, note) {
      const { json, change } = await call('DELETE', `/api/lexicon/${encodeURIComponent(name)}`, { body: { note } });
      return { answer: json, change };
    },
    /** The live verdicts and their history (public). */
    async lexicon() {
      return (await call('GET', '/api/lexicon', { auth: false })).json;
    },
  };
}

const STATUS_LEAD = {
  400: '请求有误',
  401: '令牌无效、已撤销或未登录，请重新登录',
  403: '此账号无权修改',
  404: '找不到该要素',
  412: '他人已先保存了此要素的位置',
  413: '提交的几何过大',
  422: '位置未被接受',
  429: '尝试过于频繁',
  503: '服务器暂时只能读取，无法保存',
};

/**
 * The Chinese sentence the page shows for a failed `what` (e.g. "保存"): the server's code in
 * Chinese (else its HTTP status), how long to wait after a 429, the parameter it refused. The
 * server's English wording stays out of the page (callers log it).
 */
export function describeWriteError(what, err) {
  if (!(err instanceof WriteError)) return `${what}失败：网络或页面出错（${err && err.message ? err.message : err}）。`;
  const lead = CODE_LABELS[err.code] || STATUS_LEAD[err.status] || `服务器拒绝（HTTP ${err.status}）`;
  const wait = (err.status === 429 || err.code === 'too_many_failures') && err.retryAfter ? `，请 ${err.retryAfter} 秒后再试` : '';
  return `${what}失败：${lead}${wait}${paramNote(err.parameter)}。`;
}
