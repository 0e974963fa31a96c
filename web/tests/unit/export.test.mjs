// export.js: GeoJSON and CSV text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvText, geojsonText, bboxCenter, exportName, wkt, CSV_HEADER } from '../../export.js';

const street = {
  type: 'Feature',
  geometry: { type: 'LineString', coordinates: [[106.570, 29.550], [106.580, 29.556]] },
  properties: {
    id: 'yuzhong-2025/streets/长滨路', name: '长滨路', layer: 'streets', kind: '路', theme: '城市更新',
    section: { part: '二', number: '（七）', title: '聚焦扮靓整体大美形象' },
    action: { verb: '研究', status: 'planned' },
    targets: [{ metric: '慢行道', value: 3.5, unit: '公里', text: '慢行道3.5公里' }],
    location: { match: 'exact', uncertainty_m: 0, confidence: 0.95, source: 'OSM way, "长滨路"' },
    quote: '研究长滨路沿江一线的慢行改造，把江边还给市民。',
  },
};
const unlocated = {
  type: 'Feature', geometry: null,
  properties: { id: 'r/zones/全区', name: '全区', layer: 'zones', location: { match: 'unlocated' }, quote: '全区推进。' },
};

test('a CSV cell is quoted only when it has to be, with quotes doubled', () => {
  assert.equal(csvCell('解放碑'), '解放碑');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(0), '0');
});

test('the bbox centre of a line is the middle of its extent; no geometry gives none', () => {
  const [lon, lat] = bboxCenter(street.geometry);
  assert.ok(Math.abs(lon - 106.575) < 1e-12 && Math.abs(lat - 29.553) < 1e-12);
  assert.equal(bboxCenter(null), null);
  assert.deepEqual(bboxCenter({ type: 'MultiPolygon', coordinates: [[[[1, 2], [3, 2], [3, 6], [1, 2]]]] }), [2, 4]);
});

test('the CSV has a BOM, Chinese headers and one CRLF row per feature with Chinese labels', () => {
  const text = csvText([street, unlocated], 'gcj02');
  assert.ok(text.startsWith('\ufeff'));
  const lines = text.slice(1).split('\r\n');
  assert.equal(lines[0], CSV_HEADER.join(','));
  assert.ok(CSV_HEADER.every((h) => /[\u4e00-\u9fff]/.test(h) || h === 'WKT'), 'every header is Chinese');
  assert.equal(lines.length, 4); // header, two rows, the empty string after the last CRLF
  assert.equal(lines[3], '');
  const row = lines[1];
  assert.ok(row.startsWith('yuzhong-2025/streets/长滨路,长滨路,街巷与线路,路,城市更新,二、（七） 聚焦扮靓整体大美形象,研究,谋划,慢行道 3.5公里,精确（来源几何）,0,0.95,"OSM way, ""长滨路""",,,,线,"LINESTRING (106.5700000 29.5500000, 106.5800000 29.5560000)",106.5750000,29.5530000,GCJ-02,'), row);
  assert.ok(row.endsWith(',研究长滨路沿江一线的慢行改造，把江边还给市民。'));
  assert.ok(!/planned|exact/.test(row), row);
  assert.ok(lines[2].includes(',未定位,') && lines[2].includes(',,,GCJ-02,'), lines[2]);
});

test('near rows carry the distance, its range and whether the radius holds them', () => {
  const near = { ...street, properties: { ...street.properties, distance_m: 120.5, distance_range_m: [0, 420.5], inside: 'possible' } };
  const row = csvText([near], 'wgs84').split('\r\n')[1];
  assert.ok(row.includes(',120.5,0–420.5,可能在内,'), row);
});

test('WKT writes every geometry type in lon lat order', () => {
  assert.equal(wkt({ type: 'Point', coordinates: [106.5, 29.5] }), 'POINT (106.5000000 29.5000000)');
  assert.equal(wkt({ type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 4], [1, 2]]] }), 'POLYGON ((1.0000000 2.0000000, 3.0000000 2.0000000, 3.0000000 4.0000000, 1.0000000 2.0000000))');
  assert.equal(wkt({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }), 'MULTIPOINT ((1.0000000 2.0000000), (3.0000000 4.0000000))');
  assert.equal(wkt(null), '');
});

test('the GeoJSON names its datum in a foreign member and keeps the features as they are', () => {
  const fc = JSON.parse(geojsonText([street], 'wgs84'));
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(fc.planmap_crs, 'wgs84');
  assert.deepEqual(fc.features, [street]);
});

test('the export file name carries the report, the datum and the local date', () => {
  assert.equal(exportName('yuzhong-2025', 'gcj02', 'csv', new Date(2025, 0, 5)), 'planmap-yuzhong-2025-gcj02-20250105.csv');
  assert.equal(exportName(null, 'wgs84', 'geojson', new Date(2025, 11, 31)), 'planmap-report-wgs84-20251231.geojson');
});

test('export names follow the selection, and a near list names its point and radius', () => {
  const day = new Date(2026, 11, 7);
  assert.equal(exportName(['yuzhong-2024', 'yuzhong-2026'], 'wgs84', 'csv', day), 'planmap-yuzhong-2024+yuzhong-2026-wgs84-20261207.csv');
  assert.equal(exportName(['yuzhong-2024', 'yuzhong-2026'], 'wgs84', 'csv', day, { compare: { a: 'yuzhong-2024', b: 'yuzhong-2026' } }),
    'planmap-yuzhong-2024-vs-yuzhong-2026-wgs84-20261207.csv');
  const near = { lon: 106.577, lat: 29.559, radius_m: 500 };
  const name = exportName(['yuzhong-2026'], 'gcj02', 'geojson', day, { near });
  assert.equal(name, 'planmap-yuzhong-2026-near-29.55900N106.57700E-500m-gcj02-20261207.geojson');
  assert.notEqual(name, exportName(['yuzhong-2026'], 'gcj02', 'geojson', day), 'the near export is not named like the full one');
});
