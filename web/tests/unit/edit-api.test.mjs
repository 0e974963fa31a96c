// edit-api.js with a fake fetch and a fake storage: the token is kept per tab, requests carry
// the bearer token and If-Match, refusals come back with the server's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TOKEN_KEY, createTokenStore, createEditApi, currentVersion, describeWriteError, parseVersionTag, reportUploadPath, versionTag, versionsOf, WriteError,
} from '../../edit-api.js';

const ORIGIN = 'http://127.0.0.1:9';

function fakeStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k), map: m };
}

function response(status, body, headers = {}) {
  const h = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (k) => (h.has(k.toLowerCase()) ? h.get(k.toLowerCase()) : null) },
    text: async () => (typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

/** A fake server recording every request and answering with `answer(request)`. */
function recorder(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    const json = init.body && init.headers['Content-Type'] === 'application/json';
    const req = { url, method: init.method, headers: init.headers, body: json ? JSON.parse(init.body) : init.body };
    calls.push(req);
    return answer(req);
  };
  return { calls, fetch };
}

test('the token store keeps the token under its key in the given storage and forgets it on clear', () => {
  const storage = fakeStorage();
  const store = createTokenStore(storage);
  assert.equal(store.get(), null);
  store.set('secret-1');
  assert.equal(storage.map.get(TOKEN_KEY), 'secret-1');
  assert.equal(createTokenStore(storage).get(), 'secret-1', 'a reload of the same tab finds it');
  store.clear();
  assert.equal(store.get(), null);
  assert.equal(storage.map.has(TOKEN_KEY), false);
});

test('a storage that throws leaves the token in memory for this page only', () => {
  const refusing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() { throw new Error('denied'); } };
  const store = createTokenStore(refusing);
  store.set('secret-2');
  assert.equal(store.get(), 'secret-2');
  store.clear();
  assert.equal(store.get(), null);
});

test('version tags are written and read as the server spells them, anything else is not a version', () => {
  assert.equal(versionTag(0), '"v0"');
  assert.equal(versionTag(12), '"v12"');
  assert.equal(parseVersionTag('"v12"'), 12);
  assert.equal(parseVersionTag('W/"v3"'), 3);
  assert.equal(parseVersionTag('W/"1f2e3d"'), null, 'the weak content hash of a GET is not a placement version');
  assert.equal(parseVersionTag(null), null);
});

test('the current version is the highest listed and 0 for a feature never corrected', () => {
  assert.equal(currentVersion([]), 0);
  assert.equal(currentVersion(undefined), 0);
  assert.equal(currentVersion([{ version: 3 }, { version: 2 }, { version: 1 }]), 3);
  assert.deepEqual(versionsOf({ versions: [{ version: 1 }] }), [{ version: 1 }]);
  assert.deepEqual(versionsOf([{ version: 2 }]), [{ version: 2 }]);
  assert.deepEqual(versionsOf({}), []);
});

test('a save sends the bearer token, If-Match of the loaded version and the four fields, and reads the new ETag', async () => {
  const feature = { type: 'Feature', properties: { id: 'projects-3', name: '国泰艺术中心' }, geometry: { type: 'Point', coordinates: [106.5771, 29.5583] } };
  const { calls, fetch } = recorder(() => response(200, feature, { ETag: '"v4"' }));
  const api = createEditApi({ origin: ORIGIN, fetch, token: () => 'tok' });
  const body = { geometry: feature.geometry, uncertainty_m: 20, source: '实地核查', note: '原位置偏西' };
  const out = await api.putPlacement('projects', 'projects-3', body, 3);
  assert.deepEqual(out, { feature, version: 4 });
  assert.equal(calls.length, 1);
  const [req] = calls;
  assert.equal(req.method, 'PUT');
  assert.equal(req.url, `${ORIGIN}/api/collections/projects/items/projects-3/placement`);
  assert.equal(req.headers.Authorization, 'Bearer tok');
  assert.equal(req.headers['If-Match'], '"v3"');
  assert.equal(req.headers['Content-Type'], 'application/json');
  assert.deepEqual(req.body, body);
});

test('a revert is a DELETE with the reason in the body; history and stats are read without the token', async () => {
  const { calls, fetch } = recorder((req) => {
    if (req.method === 'DELETE') return response(200, { type: 'Feature', properties: { id: 'streets-7' }, geometry: null }, { ETag: '"v5"' });
    if (req.url.endsWith('/placements')) return response(200, [{ version: 4 }]);
    return response(200, { tiers: [] });
  });
  const api = createEditApi({ origin: ORIGIN, fetch, token: () => 'tok' });
  const r = await api.revertPlacement('streets', 'streets-7', '核实后自动定位更准', 4);
  assert.equal(r.version, 5);
  assert.equal(calls[0].method, 'DELETE');
  assert.equal(calls[0].headers['If-Match'], '"v4"');
  assert.deepEqual(calls[0].body, { note: '核实后自动定位更准' });
  assert.deepEqual(await api.placements('streets', 'streets-7'), [{ version: 4 }]);
  assert.equal(calls[1].url, `${ORIGIN}/api/collections/streets/items/streets-7/placements`);
  assert.equal(calls[1].headers.Authorization, undefined, 'reads stay public');
  await api.stats();
  assert.equal(calls[2].url, `${ORIGIN}/api/corrections/stats`);
  assert.equal(calls[2].headers.Authorization, undefined);
});

test('whoami checks the token it is given, not the stored one', async () => {
  const { calls, fetch } = recorder(() => response(200, { name: '王工', role: 'editor' }));
  const api = createEditApi({ origin: ORIGIN, fetch, token: () => 'stored' });
  assert.deepEqual(await api.whoami('typed'), { name: '王工', role: 'editor' });
  assert.equal(calls[0].headers.Authorization, 'Bearer typed');
});

test('a 412 comes back as a WriteError with the conflict code, shown in Chinese without the server’s English', async () => {
  const { fetch } = recorder(() => response(412, { code: 'conflict', message: 'someone else saved version 5 first', parameter: 'If-Match' }));
  const api = createEditApi({ origin: ORIGIN, fetch, token: () => 'tok' });
  await assert.rejects(api.putPlacement('zones', 'zones-1', {}, 4), (err) => {
    assert.ok(err instanceof WriteError);
    assert.equal(err.status, 412);
    assert.equal(err.code, 'conflict');
    const text = describeWriteError('保存', err);
    assert.match(text, /^保存失败：他人已先保存/);
    assert.doesNotMatch(text, /someone else/);
    assert.match(text, /参数：版本号/);
    return true;
  });
});

test('a 429 names how long to wait from Retry-After, and a non-JSON error body is still shown', async () => {
  let n = 0;
  const { fetch } = recorder(() => {
    n += 1;
    return n === 1 ? response(429, { code: 'too_many_requests', message: 'too many failed attempts' }, { 'Retry-After': '30' }) : response(502, '<html>Bad Gateway</html>');
  });
  const api = createEditApi({ origin: ORIGIN, fetch, token: () => 'bad' });
  const first = await api.whoami().catch((e) => e);
  assert.equal(first.retryAfter, 30);
  assert.match(describeWriteError('登录', first), /请 30 秒后再试/);
  const second = await api.whoami().catch((e) => e);
  assert.equal(second.status, 502);
  assert.equal(describeWriteError('登录', second), '登录失败：服务器拒绝（HTTP 502）。');
});

test('every request is counted while it runs, including failed ones', async () => {
  let open = 0;
  let max = 0;
  const api = createEditApi({
    origin: ORIGIN,
    fetch: async () => { max = Math.max(max, open); return response(401, { message: 'unknown token' }); },
    onStart: () => { open += 1; },
    onDone: () => { open -= 1; },
  });
  await api.whoami('x').catch(() => {});
  assert.equal(max, 1);
  assert.equal(open, 0);
});

test('every error code the server writes reads in Chinese, with the parameter named in Chinese', () => {
  const err = new WriteError(422, { code: 'outside_district', message: 'the geometry lies more than 500 m outside', parameter: 'geometry' });
  assert.equal(describeWriteError('保存', err), '保存失败：位置在渝中区界之外，需在说明中写明“区外”的理由（参数：几何）。');
  const bad = new WriteError(400, { code: 'bad_parameter', message: 'uncertainty_m must be a number', parameter: 'uncertainty_m' });
  assert.equal(describeWriteError('保存', bad), '保存失败：请求的参数不合要求（参数：位置误差（米））。');
  // A code the page does not know falls back to the status's Chinese lead.
  assert.equal(describeWriteError('保存', new WriteError(503, { code: 'something_new', message: 'x' })), '保存失败：服务器暂时只能读取，无法保存。');
});

test('a preview is the upload with dry_run=true; a file goes as it is with its fields in the query', async () => {
  const summary = { id: 'r-2028', counts: { features: 3 } };
  const { calls, fetch } = recorder(() => response(200, { dry_run: true, summary }, { 'X-Planmap-Change': '7' }));
  const api = createEditApi({ origin: ORIGIN, fetch, token: () => 'tok' });
  const preview = await api.previewReport({ text: '推进十八梯建设。', title: '', year: 2028, id: 'r-2028' });
  assert.equal(preview.summary.id, 'r-2028');
  assert.equal(calls[0].url, `${ORIGIN}/api/reports?dry_run=true`);
  assert.deepEqual(calls[0].body, { text: '推进十八梯建设。', year: 2028, id: 'r-2028' }, 'empty fields left out');
  const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
  await api.postReport({ text: undefined, title: '2028年安排', year: 2028, note: '上传报告' }, { file: { bytes, type: 'application/pdf' } });
  const [, sent] = calls;
  assert.equal(sent.url, `${ORIGIN}${reportUploadPath({ title: '2028年安排', year: 2028, note: '上传报告' }, { file: {} })}`);
  assert.match(sent.url, /\/api\/reports\?title=2028%E5%B9%B4%E5%AE%89%E6%8E%92&year=2028&note=/);
  assert.equal(sent.headers['Content-Type'], 'application/pdf');
  assert.equal(sent.body, bytes, 'the file itself, not JSON');
  assert.equal(sent.headers.Authorization, 'Bearer tok');
});

test('a scanned PDF and an unknown file type are explained in Chinese', () => {
  const scan = new WriteError(400, { code: 'no_text_layer', message: 'the PDF has no text layer', parameter: 'file' });
  assert.match(describeWriteError('读取报告', scan), /没有文字层.*（参数：文件）/);
  const type = new WriteError(415, { code: 'unsupported_media_type', message: 'x', parameter: 'Content-Type' });
  assert.match(describeWriteError('读取报告', type), /只能读取.*（参数：文件类型）/);
});
