//! The page's HTTP client: URL building, JSON fetch with errors that name the server's
//! message and parameter, and paging through `next` links. No DOM: `fetch` and the origin are
//! given, and `onStart`/`onDone` let the page count outstanding requests.

/** An error answer (or a non-JSON body) from the server. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

/** The most pages `fetchAllPages` follows: the district's layers are far smaller. */
export const MAX_PAGES = 20;

/** `path` on `origin` with `params` in the query, leaving out empty values. */
export function buildUrl(path, params, origin) {
  const url = new URL(path, origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  return url.toString();
}

/**
 * The placement itself in place of the served geometry. GIS clients get one geometry family per
 * collection (a zone placed at a point is served as its uncertainty disc, `location.drawn`);
 * the server then sends the placement as the feature's `placement`, which the page draws,
 * measures and edits as before. Applied to a feature, and to the `features` and
 * `district_wide` lists of a collection or a near answer.
 */
export function withPlacements(body) {
  const swap = (f) => (f && f.type === 'Feature' && f.placement ? { ...f, geometry: f.placement } : f);
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  if (body.type === 'Feature') return swap(body);
  const out = { ...body };
  for (const key of ['features', 'district_wide']) {
    if (Array.isArray(body[key])) out[key] = body[key].map(swap);
  }
  return out;
}

/** A client bound to `origin`. */
export function createApi({ origin, fetch: fetchFn = globalThis.fetch, onStart = () => {}, onDone = () => {} }) {
  async function getJSON(path, params, signal) {
    const url = buildUrl(path, params, origin);
    onStart();
    try {
      const res = await fetchFn(url, { signal, headers: { Accept: 'application/json' } });
      const text = await res.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
      if (!res.ok) throw new ApiError(res.status, body);
      if (body === null) throw new ApiError(res.status, { message: '服务器返回的不是 JSON' });
      return withPlacements(body);
    } finally {
      onDone();
    }
  }

  /** A feature collection with every page's features, following `next` links. */
  async function fetchAllPages(path, params, signal) {
    const first = await getJSON(path, params, signal);
    const features = first.features.slice();
    let next = (first.links || []).find((l) => l.rel === 'next');
    let pages = 1;
    while (next && pages < MAX_PAGES) {
      const page = await getJSON(next.href, null, signal);
      features.push(...page.features);
      next = (page.links || []).find((l) => l.rel === 'next');
      pages += 1;
    }
    return { ...first, features };
  }

  return { getJSON, fetchAllPages };
}

/** A one-line message for an error, naming the parameter the server refused. */
export function errorMessage(what, err) {
  const detail = err && err.body && err.body.parameter ? `（参数 ${err.body.parameter}）` : '';
  return `${what}失败：${err && err.message ? err.message : err}${detail}`;
}
