// End-to-end test of correcting placements on the page, against a running planmap server with
// a writable data folder and an editor token (.ci/e2e-edit makes both):
//
//   PLANMAP_URL=http://127.0.0.1:8080 PLANMAP_TOKEN=pmk_… [PLANMAP_TOKEN_OTHER=pmk_…] \
//     node --test web/tests/e2e-edit.mjs
//
// A planner signs in with the token, opens a project, drags its pin, saves with a source and a
// reason, reloads the page and finds the project at the new place (in the API and on the map),
// reads the version in the history, meets a stale save refused with "他人已先保存…", reloads
// and retries, places an unlocated item by typed coordinates, and restores the automatic
// placement. Every expectation is read from the real server; other origins are blocked.
// Screenshots (1400×900) go to web/test-output/ for a person to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchBrowser, openPage as open, ready, settle, shot, haversineM } from './browser.mjs';
import { withPlacements } from '../api.js';

const TOKEN = process.env.PLANMAP_TOKEN || '';
// A second editor for the stale-save case; the same account also works (the version decides).
const OTHER = process.env.PLANMAP_TOKEN_OTHER || TOKEN;
const VIEW = { width: 1400, height: 900 };

let browser;
let editor = null; // {name, role} of TOKEN
let other = null;

before(async () => {
  assert.ok(TOKEN, 'PLANMAP_TOKEN is not set: run .ci/e2e-edit, or set it to a token from `planmap token add`');
  browser = await launchBrowser();
  editor = await call('GET', '/api/whoami', { token: TOKEN, expect: 200 });
  other = await call('GET', '/api/whoami', { token: OTHER, expect: 200 });
});

after(async () => {
  if (browser) await browser.close();
});

// ------------------------------------------------------------------ helpers

/** A request to the server; asserts the status when `expect` is given; JSON body back. */
async function call(method, path, { token, body, ifMatch, expect } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${BASE}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let json = null;
  // The placements, as the page reads them (see api.js withPlacements).
  try { json = withPlacements(JSON.parse(text)); } catch (_) { json = text; }
  if (expect !== undefined) assert.equal(res.status, expect, `${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return json;
}

const item = (layer, id) => call('GET', `/api/collections/${layer}/items/${encodeURIComponent(id)}`, { expect: 200 });
const versions = async (layer, id) => {
  const body = await call('GET', `/api/collections/${layer}/items/${encodeURIComponent(id)}/placements`, { expect: 200 });
  return Array.isArray(body) ? body : (body.versions || body.placements || []);
};

const pointOf = (f) => ({ lat: f.geometry.coordinates[1], lng: f.geometry.coordinates[0] });

/** A fresh page (new tab: empty sessionStorage) with other origins blocked. */
const openPage = (hash = '') => open(browser, hash, VIEW);

async function signIn(page, token = TOKEN) {
  // Keyboard first: the button takes focus and Enter opens the box with the input focused.
  await page.focus('[data-testid="signin-open"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="signin-token"]:focus');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="signin-who"]');
}

async function select(page, id) {
  await page.evaluate((fid) => window.planmap.selectFeature(fid, { fly: true, popup: false }), id);
  await settle(page);
  await page.waitForSelector(`#feature-panel[data-fid="${id}"]`);
}

async function startEditing(page, id) {
  await select(page, id);
  await page.click('[data-testid="edit-start"]');
  await page.waitForSelector('[data-testid="edit-form"]');
  await settle(page);
}

async function fillForm(page, { uncertainty, source, note }) {
  await page.fill('[data-testid="edit-uncertainty"]', String(uncertainty));
  await page.fill('[data-testid="edit-source"]', source);
  await page.fill('[data-testid="edit-note"]', note);
}

/** The WGS-84 position typed in (or shown by) the coordinates field. */
async function coordsField(page) {
  const text = await page.inputValue('[data-testid="edit-coords"]');
  const [lat, lng] = text.split(',').map(Number);
  return { lat, lng };
}

/** Waits until the save has finished: the form is gone and the panel shows the feature again. */
async function saved(page, id) {
  await page.waitForSelector('[data-testid="edit-form"]', { state: 'detached', timeout: 15000 });
  await page.waitForSelector(`#feature-panel[data-fid="${id}"]`);
  await settle(page);
}

// The project the tests move: the first located point project the server serves, taken from
// its answer (never a hard-coded id).
let target = null;

async function pickFeatures() {
  if (target) return;
  const fc = await call('GET', '/api/collections/projects/items?limit=1000', { expect: 200 });
  target = fc.features.find((f) => f.geometry && f.geometry.type === 'Point' && f.properties.location && f.properties.location.match !== 'curated');
  assert.ok(target, 'the server serves no located point project to move');
}

// ------------------------------------------------------------------ tests

test('reading needs no sign-in, writing without a token is refused with 401 JSON, and the page offers no edit button', async () => {
  await pickFeatures();
  const { id, layer } = target.properties;
  const refused = await call('PUT', `/api/collections/${layer}/items/${id}/placement`, {
    body: { geometry: target.geometry, uncertainty_m: 10, source: 's', note: 'n' }, expect: 401,
  });
  assert.ok(refused.code && refused.message, 'the 401 body names a code and a message');
  const { page, context, errors } = await openPage();
  try {
    await select(page, id);
    assert.equal(await page.locator('[data-testid="edit-start"]').count(), 0, 'an edit button without sign-in');
    assert.equal(await page.locator('[data-testid="signin-open"]').innerText(), '编辑登录');
    // A wrong token is refused in the box, in Chinese only, and nothing is kept.
    await page.click('[data-testid="signin-open"]');
    await page.fill('[data-testid="signin-token"]', 'pmk_not_a_real_token');
    await page.click('[data-testid="signin-submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="signin-msg"]').textContent.includes('令牌无效'));
    assert.doesNotMatch(await page.locator('[data-testid="signin-msg"]').innerText(), /[A-Za-z]{4,}/, 'the refusal reaches the page in English');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an editor signs in, drags a project to a new place, saves, and after a reload the page and the API show it there', async () => {
  await pickFeatures();
  const { id, layer, name } = target.properties;
  const before = pointOf(await item(layer, id));
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    const who = (await page.textContent('[data-testid="signin-who"]')).replace(/\s+/g, '');
    assert.ok(who.includes(`已登录：${editor.name}`), who);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('planmap.editorToken')), TOKEN, 'the token is kept for this tab');

    await startEditing(page, id);
    await page.evaluate(() => window.planmap.map.setZoom(17, { animate: false }));
    await settle(page);
    const marker = page.locator('[data-testid="edit-marker"]');
    await marker.waitFor();
    const start = await coordsField(page);
    assert.ok(haversineM(start, before) < 0.5, `the pin starts where the server has the project: ${JSON.stringify(start)} vs ${JSON.stringify(before)}`);
    await shot(page, 'edit-01-editing-panel');

    // Drag the pin 90 px right and 50 px down (about 100 m at zoom 17).
    const box = await marker.boundingBox();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i += 1) await page.mouse.move(x + 9 * i, y + 5 * i);
    await page.mouse.up();
    // The field shows six decimals (its last digit is about 11 cm), while the pin is saved
    // as dragged (the server keeps 7): what was saved lies within 10 cm of what it says.
    const moved = await coordsField(page);
    const dragged = haversineM(moved, before);
    assert.ok(dragged > 40 && dragged < 400, `the drag moved the pin ${dragged.toFixed(0)} m`);

    // Saving without the required source is refused on the page, naming the field.
    await fillForm(page, { uncertainty: 25, source: '', note: '自动定位在片区中心，按现场入口修正' });
    await page.click('[data-testid="edit-save"]');
    await page.waitForSelector('#edit-source[aria-invalid="true"]');
    assert.match(await page.innerText('#edit-err-source'), /来源/);

    await page.fill('[data-testid="edit-source"]', '现场核查（e2e 测试）');
    await shot(page, 'edit-02-form-filled');
    await page.click('[data-testid="edit-save"]');
    await saved(page, id);

    // The server serves it at once, as a curated placement by this editor.
    const after1 = await item(layer, id);
    assert.ok(haversineM(pointOf(after1), moved) < 0.1, `served at ${JSON.stringify(pointOf(after1))}, dragged to ${JSON.stringify(moved)}`);
    assert.equal(after1.properties.location.match, 'curated');
    assert.equal(after1.properties.location.editor, editor.name);
    assert.equal(after1.properties.location.uncertainty_m, 25);
    assert.match(await page.innerText('[data-testid="feature-panel"]'), /人工修正/);

    // Reload: the same tab keeps the sign-in, the map draws the project at the new place.
    await page.reload();
    await ready(page);
    await page.waitForSelector('[data-testid="signin-who"]');
    await select(page, id);
    const drawn = await page.evaluate((fid) => window.planmap.featureLatLng(fid), id);
    assert.ok(drawn, `${name} is not drawn after the reload`);
    assert.ok(haversineM(drawn, moved) < 0.1, `drawn at ${JSON.stringify(drawn)} after the reload, saved at ${JSON.stringify(moved)}`);

    // The history lists the version: who, the source and the reason.
    await page.click('[data-testid="fp-tab-history"]');
    await page.waitForSelector('[data-testid="history-item"]');
    const first = page.locator('[data-testid="history-item"]').first();
    assert.equal(await first.locator('[data-testid="history-editor"]').innerText(), editor.name);
    assert.match(await first.innerText(), /现场核查（e2e 测试）/);
    assert.match(await first.innerText(), /按现场入口修正/);
    const listed = await versions(layer, id);
    assert.equal(await page.locator('[data-testid="history-item"]').count(), listed.length);
    await shot(page, 'edit-03-history');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a save on a stale version is refused with "他人已先保存", shows the other version, and succeeds after reload and retry', async () => {
  await pickFeatures();
  const { id, layer } = target.properties;
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    await startEditing(page, id);
    const loaded = (await versions(layer, id))[0];
    const loadedVersion = loaded ? loaded.version : 0;

    // Another planner saves first, straight through the API, with the version the page loaded.
    const base = pointOf(await item(layer, id));
    const theirs = { type: 'Point', coordinates: [Number((base.lng + 0.0004).toFixed(7)), Number((base.lat - 0.0003).toFixed(7))] };
    await call('PUT', `/api/collections/${layer}/items/${id}/placement`, {
      token: OTHER, ifMatch: `"v${loadedVersion}"`, expect: 200,
      body: { geometry: theirs, uncertainty_m: 15, source: '另一位规划人员的测绘', note: '另一位先保存' },
    });

    // The page's editor types a position (keyboard path) and saves on the version it loaded.
    const mine = { lat: Number((base.lat + 0.0005).toFixed(6)), lng: Number((base.lng - 0.0004).toFixed(6)) };
    await page.fill('[data-testid="edit-coords"]', `${mine.lat}, ${mine.lng}`);
    await page.press('[data-testid="edit-coords"]', 'Enter');
    await fillForm(page, { uncertainty: 10, source: '控规图则（e2e 测试）', note: '按图则入口修正' });
    await page.click('[data-testid="edit-save"]');
    const conflict = page.locator('[data-testid="edit-conflict"]');
    await conflict.waitFor();
    const text = await conflict.innerText();
    assert.match(text, /他人已先保存/);
    assert.match(text, new RegExp(other.name));
    assert.match(text, /另一位先保存/);
    // Nothing was overwritten: the server still has the other planner's position.
    assert.deepEqual((await item(layer, id)).geometry.coordinates, theirs.coordinates);
    await shot(page, 'edit-04-conflict');

    await page.click('[data-testid="edit-reload-retry"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="edit-message"]').textContent.includes('已载入最新'));
    await page.click('[data-testid="edit-save"]');
    await saved(page, id);
    const served = pointOf(await item(layer, id));
    assert.ok(haversineM(served, mine) < 0.05, `after the retry served at ${JSON.stringify(served)}, typed ${JSON.stringify(mine)}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an item without a place is placed from the district-wide list by typed coordinates', async () => {
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    // A click near 解放碑 lists the district-wide items beside the near list; each offers
    // "在地图上标出" to a signed-in editor.
    await page.evaluate(() => window.planmap.queryNear(29.559, 106.577));
    await settle(page);
    await page.click('[data-testid="tab-near"]');
    await page.evaluate(() => { document.querySelector('#near-district-wide').open = true; });
    const button = page.locator('#near-dw-list [data-testid="place-on-map"]').first();
    await button.waitFor();
    assert.equal(await button.innerText(), '在地图上标出');
    const id = await button.evaluate((b) => b.closest('li[data-fid]').dataset.fid);
    const layer = await page.evaluate((fid) => window.planmap.catalog.get(fid).properties.layer, id);
    assert.ok(!(await item(layer, id)).geometry, `${id} is listed district-wide but has a geometry`);
    await button.click();
    await page.waitForSelector('[data-testid="edit-form"]');
    if (layer !== 'projects') await page.selectOption('[data-testid="edit-kind"]', 'Point');
    // A point beside 解放碑, inside the district: the test's own correction in a temp store.
    await page.fill('[data-testid="edit-coords"]', '29.5588, 106.5768');
    await page.click('[data-testid="edit-apply-coords"]');
    await fillForm(page, { uncertainty: 80, source: '报告附图（e2e 测试）', note: '补充未定位事项的位置' });
    await shot(page, 'edit-04b-place-unlocated');
    await page.click('[data-testid="edit-save"]');
    await saved(page, id);
    const f = await item(layer, id);
    assert.ok(f.geometry, 'still served without a geometry');
    assert.ok(haversineM(pointOf(f), { lat: 29.5588, lng: 106.5768 }) < 0.05);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the history restores an earlier version, then the automatic placement, and the corrections panel shows the counts', async () => {
  await pickFeatures();
  const { id, layer } = target.properties;
  const automatic = target.geometry;
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    await select(page, id);
    await page.click('[data-testid="fp-tab-history"]');

    // "恢复此版本" on the newest earlier correction puts its geometry back as a new version.
    const older = (await versions(layer, id)).slice(1).find((v) => v.kind === 'put' && v.geometry);
    assert.ok(older, 'the earlier tests left no earlier correction to restore');
    const before = (await versions(layer, id)).length;
    await page.click(`[data-testid="history-item"][data-version="${older.version}"] [data-testid="history-restore"]`);
    await page.waitForSelector('[data-testid="history-note-input"]:focus');
    await page.keyboard.type('复核后采用此前的测绘位置');
    await page.click('[data-testid="history-confirm-submit"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="history-item"]').length === n, before + 1);
    const restored = await item(layer, id);
    assert.deepEqual(restored.geometry, older.geometry, 'the restored version\'s geometry is served');
    assert.equal(restored.properties.location.match, 'curated');

    await page.click('[data-testid="history-revert"]');
    await page.waitForSelector('[data-testid="history-note-input"]:focus');
    await page.keyboard.type('核实后自动定位可用');
    await page.click('[data-testid="history-confirm-submit"]');
    await page.waitForFunction((fid) => {
      const p = document.querySelector('#feature-panel');
      return p && p.dataset.fid === fid && document.querySelector('[data-testid="history-item"] .hv-kind-revert');
    }, id);
    const f = await item(layer, id);
    assert.notEqual(f.properties.location.match, 'curated');
    assert.deepEqual(f.geometry, automatic, 'the automatic placement is served again');
    const listed = await versions(layer, id);
    assert.equal(listed[0].kind, 'revert');
    await shot(page, 'edit-05-reverted');

    // The statistics panel shows what the server counts.
    await page.click('[data-testid="tab-layers"]');
    await page.click('#corrections-stats summary');
    await page.waitForSelector('[data-testid="corrections-stats-table"]');
    const stats = await call('GET', '/api/corrections/stats', { expect: 200 });
    const rows = await page.$$eval('[data-testid="corrections-stats-table"] tbody tr', (trs) => trs.map((tr) => tr.dataset.tier));
    assert.ok(rows.length > 0, 'no tier listed');
    assert.ok(JSON.stringify(stats).includes(rows[0]), 'the first tier shown is one the server names');
    await page.locator('#corrections-stats').scrollIntoViewIfNeeded();
    await shot(page, 'edit-06-stats');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a correction more than 1 km away or outside the district asks for confirmation and a reason before it is saved', async () => {
  await pickFeatures();
  const fc = await call('GET', '/api/collections/projects/items?limit=1000', { expect: 200 });
  const other2 = fc.features.find((f) => f.geometry && f.geometry.type === 'Point' && f.properties.id !== target.properties.id
    && f.properties.location.match !== 'curated');
  assert.ok(other2, 'a second located project');
  const { id, layer } = other2.properties;
  const base = pointOf(other2);
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    await startEditing(page, id);
    const typeAndSave = async (at) => {
      await page.fill('[data-testid="edit-coords"]', `${at.lat}, ${at.lng}`);
      await page.press('[data-testid="edit-coords"]', 'Enter');
      await fillForm(page, { uncertainty: 50, source: '现场核查（e2e 测试）', note: '按现场核查修正' });
      await page.click('[data-testid="edit-save"]');
    };
    // About 2.2 km north: across the Jialing river, out of the district. Asked, then withdrawn.
    await typeAndSave({ lat: Number((base.lat + 0.02).toFixed(6)), lng: Number(base.lng.toFixed(6)) });
    const guard = page.locator('[data-testid="edit-guard"]');
    await guard.waitFor();
    assert.match(await guard.innerText(), /距自动定位约 2\.\d km/);
    assert.match(await guard.innerText(), /区外/);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'edit-confirm-reason', 'the reason box takes the focus');
    await shot(page, 'edit-07-guard');
    await page.click('[data-testid="edit-guard-back"]');
    await page.waitForSelector('[data-testid="edit-guard"]', { state: 'detached' });
    assert.deepEqual((await item(layer, id)).geometry, other2.geometry, 'nothing was saved before a confirmation');

    // About 1.5 km west along the peninsula: inside the district, but far from the automatic place.
    const far = { lat: Number((base.lat - 0.004).toFixed(6)), lng: Number((base.lng - 0.0155).toFixed(6)) };
    await typeAndSave(far);
    await guard.waitFor();
    assert.match(await guard.innerText(), /距自动定位约 1\.\d km/);
    assert.doesNotMatch(await guard.innerText(), /区外/);
    // No reason: still not saved.
    await page.click('[data-testid="edit-confirm-save"]');
    await page.waitForSelector('#edit-err-guard');
    assert.deepEqual((await item(layer, id)).geometry, other2.geometry);
    await page.fill('[data-testid="edit-confirm-reason"]', '项目实际在大坪，报告按所属片区列入');
    await page.click('[data-testid="edit-confirm-save"]');
    await saved(page, id);
    assert.ok(haversineM(pointOf(await item(layer, id)), far) < 0.05, 'saved where it was typed after the confirmation');
    const [latest] = await versions(layer, id);
    assert.match(latest.note, /项目实际在大坪/, 'the reason is kept with the correction');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
