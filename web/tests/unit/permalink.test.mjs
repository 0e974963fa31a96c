// permalink.js: hash ⇄ state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, buildHash } from '../../permalink.js';

const KNOWN = { layers: ['zones', 'streets', 'projects'], basemaps: ['osm', 'amap', 'none'] };

test('a full hash reads back view, layers, basemap, filters and selection', () => {
  const s = parseHash('#map=15.25/29.55800/106.57000&layers=streets,projects&basemap=amap&theme=%E6%96%87%E6%97%85&section=%EF%BC%88%E5%85%AD%EF%BC%89&status=starting&sel=yuzhong-2025%2Fprojects%2Fx', KNOWN);
  assert.deepEqual(s, {
    view: { zoom: 15.25, lat: 29.558, lon: 106.57 },
    layers: ['streets', 'projects'],
    basemap: 'amap',
    theme: '文旅',
    section: '（六）',
    status: 'starting',
    sel: 'yuzhong-2025/projects/x',
  });
});

test('unknown layers and basemaps are dropped, a broken map part gives no view', () => {
  const s = parseHash('#map=15/abc/106&layers=zones,rivers&basemap=google', KNOWN);
  assert.deepEqual(s, { layers: ['zones'] });
  assert.deepEqual(parseHash('', KNOWN), {});
  assert.deepEqual(parseHash('#map=15/29.5', KNOWN), {});
});

test('an empty layers list means every layer off, not every layer on', () => {
  assert.deepEqual(parseHash('#layers=', KNOWN).layers, []);
});

test('buildHash rounds zoom to quarters and the centre to five decimals, and encodes filters', () => {
  const h = buildHash({
    zoom: 15.3, lat: 29.5581234, lon: 106.5700049, layers: ['zones', 'projects'], basemap: 'none',
    filters: { theme: '城市更新', section: '', status: 'planned' }, selected: 'r/zones/解放碑',
  });
  assert.equal(h, `#map=15.25/29.55812/106.57000&layers=zones,projects&basemap=none&theme=${encodeURIComponent('城市更新')}&status=planned&sel=${encodeURIComponent('r/zones/解放碑')}`);
});

test('a built hash parses back to the same state', () => {
  const state = {
    zoom: 16, lat: 29.55, lon: 106.58, layers: ['streets'], basemap: 'osm',
    filters: { theme: '产业', section: '（三）', status: '' }, selected: null,
  };
  const s = parseHash(buildHash(state), KNOWN);
  assert.deepEqual(s, { view: { zoom: 16, lat: 29.55, lon: 106.58 }, layers: ['streets'], basemap: 'osm', theme: '产业', section: '（三）' });
});

test('the near point, radius and tab come back from the hash, and broken ones are dropped', () => {
  const s = parseHash('#map=16/29.55900/106.57700&near=106.57712,29.55901,1000&tab=near&color=kind', KNOWN);
  assert.deepEqual(s.near, { lon: 106.57712, lat: 29.55901, radius_m: 1000 });
  assert.equal(s.tab, 'near');
  assert.equal(s.color, 'kind');
  assert.equal(parseHash('#near=106.5,29.5', KNOWN).near, undefined);
  assert.equal(parseHash('#near=106.5,29.5,-5', KNOWN).near, undefined);
  assert.equal(parseHash('#near=406.5,29.5,500', KNOWN).near, undefined);
  assert.equal(parseHash('#tab=secret', KNOWN).tab, undefined);
});

test('a near point and tab are written and read back; the defaults are not written', () => {
  const base = { zoom: 16, lat: 29.559, lon: 106.577, layers: ['zones'], basemap: 'osm', filters: {}, selected: null };
  const h = buildHash({ ...base, near: { lon: 106.5771234, lat: 29.5590123, radius_m: 500 }, tab: 'near' });
  assert.ok(h.endsWith('&near=106.57712,29.55901,500&tab=near'), h);
  assert.deepEqual(parseHash(h, KNOWN).near, { lon: 106.57712, lat: 29.55901, radius_m: 500 });
  assert.ok(!buildHash({ ...base, tab: 'layers', color: 'stage' }).includes('tab='));
  assert.ok(!buildHash({ ...base, tab: 'layers', color: 'stage' }).includes('color='));
});
