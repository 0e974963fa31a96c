// edit-core.js: the correction form, typed coordinates, geometry to WGS-84, statistics rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toWgs, toCrs } from '../../datum.js';
import {
  conflictSentence, defaultShape, firstPosition, fmtTime, geometryToWgs, parseLatLng, readCorrectionForm, roundDegree, statsRows,
} from '../../edit-core.js';

test('a complete form gives the numbers and trimmed texts the server expects', () => {
  const r = readCorrectionForm({ uncertainty: ' 1,200 ', source: ' 渝中区控规图则 ', note: '原位置在长江中' });
  assert.deepEqual(r, { ok: true, value: { uncertainty_m: 1200, source: '渝中区控规图则', note: '原位置在长江中' } });
});

test('the source and the reason are required, and each missing field is named', () => {
  const r = readCorrectionForm({ uncertainty: '30', source: '   ', note: '' });
  assert.equal(r.ok, false);
  assert.deepEqual(Object.keys(r.errors).sort(), ['note', 'source']);
  assert.match(r.errors.source, /来源/);
  assert.match(r.errors.note, /说明/);
});

test('an uncertainty that is blank, negative, not a number or beyond 50 km is refused', () => {
  for (const u of ['', '-5', '三十', '50001', 'NaN']) {
    const r = readCorrectionForm({ uncertainty: u, source: '实地核查', note: '核实' });
    assert.equal(r.ok, false, u);
    assert.ok(r.errors.uncertainty, u);
  }
  assert.equal(readCorrectionForm({ uncertainty: '0', source: 's', note: 'n' }).ok, true, '0 m: a surveyed position');
  assert.equal(readCorrectionForm({ uncertainty: '50000', source: 's', note: 'n' }).ok, true);
});

test('texts longer than the server keeps are refused before sending', () => {
  const r = readCorrectionForm({ uncertainty: '10', source: '图'.repeat(2001), note: 'n' });
  assert.equal(r.ok, false);
  assert.match(r.errors.source, /2000/);
});

test('coordinates are read latitude first, with Chinese or ASCII commas, or by name in any order', () => {
  assert.deepEqual(parseLatLng('29.5590, 106.5770'), { ok: true, lat: 29.559, lng: 106.577 });
  assert.deepEqual(parseLatLng('29.5590，106.5770'), { ok: true, lat: 29.559, lng: 106.577 });
  assert.deepEqual(parseLatLng('29.5590 106.5770'), { ok: true, lat: 29.559, lng: 106.577 });
  assert.deepEqual(parseLatLng('经度 106.5770 纬度 29.5590'), { ok: true, lat: 29.559, lng: 106.577 });
  assert.deepEqual(parseLatLng('106.577E, 29.559N'), { ok: true, lat: 29.559, lng: 106.577 });
});

test('a longitude typed first is refused, not swapped by guess; so is text that is not a pair', () => {
  const swapped = parseLatLng('106.5770, 29.5590');
  assert.equal(swapped.ok, false);
  assert.match(swapped.error, /纬度 106.577/);
  for (const bad of ['', '解放碑', '29.5', '29.5, 106.5, 3', '29.5;106.5x']) assert.equal(parseLatLng(bad).ok, false, bad);
});

test('a point drawn on the Amap basemap is sent in WGS-84, rounded to 1e-7 degrees', () => {
  const wgs = { lat: 29.5583, lng: 106.5771 };
  const gcj = toCrs(wgs.lat, wgs.lng, 'gcj02');
  assert.ok(Math.abs(gcj.lng - wgs.lng) > 0.002, 'GCJ-02 is shifted by hundreds of metres here');
  const g = geometryToWgs({ type: 'Point', coordinates: [gcj.lng, gcj.lat] }, 'gcj02', toWgs);
  assert.equal(g.type, 'Point');
  assert.ok(Math.abs(g.coordinates[0] - wgs.lng) < 1e-5 && Math.abs(g.coordinates[1] - wgs.lat) < 1e-5, JSON.stringify(g));
  assert.equal(g.coordinates[0], roundDegree(g.coordinates[0]));
});

test('WGS-84 geometry passes through rounded, and an open polygon ring is closed', () => {
  const line = geometryToWgs({ type: 'LineString', coordinates: [[106.575000001, 29.556], [106.582, 29.56000004]] }, 'wgs84', toWgs);
  assert.deepEqual(line, { type: 'LineString', coordinates: [[106.575, 29.556], [106.582, 29.56]] });
  const poly = geometryToWgs({ type: 'Polygon', coordinates: [[[106.57, 29.555], [106.58, 29.555], [106.58, 29.562], [106.57, 29.562]]] }, 'wgs84', toWgs);
  const ring = poly.coordinates[0];
  assert.equal(ring.length, 5);
  assert.deepEqual(ring[0], ring[4]);
  assert.throws(() => geometryToWgs({ type: 'GeometryCollection', geometries: [] }, 'wgs84', toWgs), /GeometryCollection/);
});

test('the shape to draw follows the geometry, or the layer when there is none', () => {
  assert.equal(defaultShape('streets', { type: 'MultiLineString' }), 'LineString');
  assert.equal(defaultShape('zones', { type: 'Point' }), 'Point', 'a zone known only by a point is edited as a point');
  assert.equal(defaultShape('zones', null), 'Polygon');
  assert.equal(defaultShape('streets', null), 'LineString');
  assert.equal(defaultShape('projects', null), 'Point');
  assert.deepEqual(firstPosition({ type: 'Polygon', coordinates: [[[106.57, 29.555], [106.58, 29.555]]] }), { lat: 29.555, lng: 106.57 });
  assert.equal(firstPosition(null), null);
});

test('the conflict sentence says who saved which version when, in Chinese', () => {
  const s = conflictSentence({ version: 5, kind: 'put', editor: '李工', at: '2026-12-02T07:15:00Z' });
  assert.match(s, /^他人已先保存/);
  assert.match(s, /李工/);
  assert.match(s, /第 5 版/);
  assert.match(conflictSentence(null), /^他人已先保存/);
  assert.equal(fmtTime('2026-12-02T07:15:09Z', 'UTC'), '2026-12-02 07:15');
  assert.equal(fmtTime('2026-12-02T07:15:09Z', 'Asia/Shanghai'), '2026-12-02 15:15');
  assert.equal(fmtTime('not a time'), 'not a time');
});

test('statistics rows come from an array or an object of tiers, with the share corrected', () => {
  const fromArray = statsRows({ tiers: [{ match: 'anchor', features: 40, corrected: 4, measured: 4, median_m: 310.4, p90_m: 820 }, { match: 'unlocated', features: 10, corrected: 2, measured: 0, median_m: null, p90_m: null }] });
  assert.deepEqual(fromArray[0], { tier: 'anchor', features: 40, corrected: 4, measured: 4, share: 0.1, median_m: 310.4, p90_m: 820 });
  assert.deepEqual(fromArray[1], { tier: 'unlocated', features: 10, corrected: 2, measured: 0, share: 0.2, median_m: null, p90_m: null });
  const fromObject = statsRows({ tiers: { alias: { features: 0, corrected: 0 } } });
  assert.deepEqual(fromObject, [{ tier: 'alias', features: 0, corrected: 0, measured: null, share: null, median_m: null, p90_m: null }]);
  assert.deepEqual(statsRows(null), []);
});

test('the statistics table escapes what the server names and says when a correction was not measured', async () => {
  const { statsTable } = await import('../../corrections-stats.js');
  const out = String(statsTable(statsRows({ tiers: [
    { match: '<b>x</b>', features: 3, corrected: 1, measured: 1, median_m: 12.4, p90_m: 12.4 },
    { match: 'unlocated', features: 5, corrected: 2, measured: 0, median_m: null, p90_m: null },
  ] })));
  assert.ok(!out.includes('<b>x</b>') && out.includes('&lt;b&gt;x&lt;/b&gt;'), 'a tier name is escaped');
  assert.match(out, /12 m/);
  assert.match(out, /未定位/);
  assert.match(out, /2 项无自动位置可比/);
  assert.match(out, /<tfoot>.*合计.*8.*3/s);
});

test('a correction far from the automatic placement or outside the district asks for a second look', async () => {
  const { placementWarnings, distanceM, FAR_M } = await import('../../edit-core.js');
  // A square "district" around central Yuzhong (our own test shape, not the real outline).
  const district = [{ type: 'Polygon', coordinates: [[[106.50, 29.53], [106.60, 29.53], [106.60, 29.58], [106.50, 29.58], [106.50, 29.53]]] }];
  const auto = { type: 'Point', coordinates: [106.5770, 29.5590] };
  const near = { type: 'Point', coordinates: [106.5800, 29.5600] };
  const far = { type: 'Point', coordinates: [106.5470, 29.5500] };
  const out = { type: 'Point', coordinates: [106.6200, 29.5590] };
  assert.ok(distanceM(auto.coordinates, near.coordinates) < FAR_M);
  assert.deepEqual(placementWarnings(near, auto, district), []);
  const w = placementWarnings(far, auto, district);
  assert.equal(w.length, 1);
  assert.match(w[0], /距自动定位约 3\.\d km/);
  const w2 = placementWarnings(out, auto, district);
  assert.equal(w2.length, 2, 'more than 1 km away and outside');
  assert.match(w2[1], /渝中区界之外/);
  // A line with one vertex outside counts that vertex; no reference: only the district check.
  const line = { type: 'LineString', coordinates: [[106.58, 29.55], [106.61, 29.55]] };
  assert.deepEqual(placementWarnings(line, null, district), ['新位置有 1 个点在区外（渝中区界之外）。']);
  assert.deepEqual(placementWarnings(out, auto, []).length, 1, 'without a district only the distance is checked');
});
