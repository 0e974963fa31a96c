// api.js with a fake fetch: URLs, errors, paging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUrl, createApi, ApiError, MAX_PAGES, errorMessage, withPlacements } from '../../api.js';

const ORIGIN = 'http://127.0.0.1:9';

function response(status, body) {
  return { ok: status >= 200 && status < 300, status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
}

test('buildUrl leaves out empty values and encodes Chinese', () => {
  const u = new URL(buildUrl('/api/collections/zones/items', { theme: '文旅', section: '', status: null, limit: 10, q: undefined }, ORIGIN));
  assert.equal(u.pathname, '/api/collections/zones/items');
  assert.deepEqual(Object.fromEntries(u.searchParams), { theme: '文旅', limit: '10' });
  assert.equal(buildUrl('http://other/x?a=1', null, ORIGIN), 'http://other/x?a=1');
});

test('getJSON counts the request while it runs and returns the body', async () => {
  const calls = [];
  let open = 0;
  const api = createApi({
    origin: ORIGIN,
    fetch: async (url) => { calls.push(url); assert.equal(open, 1); return response(200, { ok: 1 }); },
    onStart: () => { open += 1; },
    onDone: () => { open -= 1; },
  });
  assert.deepEqual(await api.getJSON('/health'), { ok: 1 });
  assert.equal(open, 0);
  assert.deepEqual(calls, [`${ORIGIN}/health`]);
});

test('an error answer becomes an ApiError with the server message and parameter, shown in Chinese', async () => {
  const api = createApi({ origin: ORIGIN, fetch: async () => response(400, { code: 'bad_parameter', message: '`bbox` must have 4 numbers', parameter: 'bbox' }) });
  await assert.rejects(api.getJSON('/api/near'), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 400);
    assert.equal(err.body.parameter, 'bbox');
    assert.equal(err.message, '`bbox` must have 4 numbers', 'the server wording is kept on the error (for the log)');
    assert.equal(errorMessage('周边查询', err), '周边查询失败：请求的参数不合要求（参数：地图范围）。');
    return true;
  });
});

test('a body that is not JSON is an error even with status 200', async () => {
  const api = createApi({ origin: ORIGIN, fetch: async () => response(200, '<html>') });
  await assert.rejects(api.getJSON('/x'), /不是 JSON/);
});

test('fetchAllPages follows next links and joins the features', async () => {
  const pages = {
    [`${ORIGIN}/api/collections/zones/items?limit=2`]: { features: [1, 2], links: [{ rel: 'next', href: `${ORIGIN}/p2` }], numberMatched: 5 },
    [`${ORIGIN}/p2`]: { features: [3, 4], links: [{ rel: 'self', href: 'x' }, { rel: 'next', href: `${ORIGIN}/p3` }] },
    [`${ORIGIN}/p3`]: { features: [5], links: [] },
  };
  const api = createApi({ origin: ORIGIN, fetch: async (url) => response(200, pages[url]) });
  const fc = await api.fetchAllPages('/api/collections/zones/items', { limit: 2 });
  assert.deepEqual(fc.features, [1, 2, 3, 4, 5]);
  assert.equal(fc.numberMatched, 5);
});

test('fetchAllPages stops after MAX_PAGES pages even if the server keeps linking', async () => {
  let n = 0;
  const api = createApi({ origin: ORIGIN, fetch: async () => { n += 1; return response(200, { features: [n], links: [{ rel: 'next', href: `${ORIGIN}/again` }] }); } });
  const fc = await api.fetchAllPages('/loop');
  assert.equal(n, MAX_PAGES);
  assert.equal(fc.features.length, MAX_PAGES);
});

test('the server change number of every successful answer is heard', async () => {
  const heard = [];
  const withChange = (n) => ({ ...response(200, { ok: 1 }), headers: { get: (h) => (h.toLowerCase() === 'x-planmap-change' ? String(n) : null) } });
  let n = 0;
  const api = createApi({ origin: ORIGIN, fetch: async () => withChange((n += 1)), onChange: (c) => heard.push(c) });
  await api.getJSON('/health');
  await api.getJSON('/health');
  assert.deepEqual(heard, [1, 2]);
  // An answer without the header (an older server) says nothing.
  const quiet = createApi({ origin: ORIGIN, fetch: async () => response(200, { ok: 1 }), onChange: (c) => heard.push(c) });
  await quiet.getJSON('/health');
  assert.deepEqual(heard, [1, 2]);
});

test('a feature served as a stand-in is drawn from its placement; others are left as served', () => {
  const disc = { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] };
  const point = { type: 'Point', coordinates: [106.57, 29.55] };
  const standIn = { type: 'Feature', id: 'a', geometry: disc, placement: point, properties: {} };
  const plain = { type: 'Feature', id: 'b', geometry: disc, properties: {} };
  assert.deepEqual(withPlacements(standIn).geometry, point);
  const fc = withPlacements({ type: 'FeatureCollection', features: [standIn, plain], district_wide: [standIn] });
  assert.deepEqual(fc.features.map((f) => f.geometry.type), ['Point', 'MultiPolygon']);
  assert.equal(fc.district_wide[0].geometry.type, 'Point');
  assert.equal(withPlacements(null), null);
});
