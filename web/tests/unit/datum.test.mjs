// datum.js against the vectors the Rust datum code writes (tests/datum_vectors.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wgs84ToGcj02, gcj02ToWgs84, gcj02ToBd09, bd09ToGcj02, toCrs, toWgs, inChina } from '../../datum.js';
import { fixture } from './load.mjs';

const { points } = fixture('fixtures/datum-vectors.json');
const TOL = 1e-9; // degrees

/** Haversine distance in metres between two [lon, lat]. */
function metres(a, b) {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

function close(got, want, what) {
  assert.ok(Math.abs(got[0] - want[0]) < TOL && Math.abs(got[1] - want[1]) < TOL, `${what}: ${got} vs ${want}`);
}

test('the vectors hold about twenty points, most of them shifted', () => {
  assert.ok(points.length >= 20);
  assert.ok(points.filter((p) => metres(p.wgs84, p.gcj02) > 100).length >= 20);
});

for (const p of points) {
  test(`datum vectors agree with the server at ${p.name}`, () => {
    close(wgs84ToGcj02(...p.wgs84), p.gcj02, 'gcj02');
    close(gcj02ToBd09(...p.gcj02), p.bd09, 'bd09');
    close(gcj02ToWgs84(...p.gcj02), p.gcj02_to_wgs84, 'gcj02 → wgs84');
    close(bd09ToGcj02(...p.bd09), p.bd09_to_gcj02, 'bd09 → gcj02');
    assert.ok(metres(gcj02ToWgs84(...p.gcj02), p.wgs84) < 0.5, 'GCJ-02 round trip within half a metre');
    const back = toWgs(p.bd09[1], p.bd09[0], 'bd09');
    assert.ok(metres([back.lng, back.lat], p.wgs84) < 0.5, 'BD-09 round trip within half a metre');
  });
}

test('the GCJ-02 shift in Yuzhong is a few hundred metres, as Amap tiles show', () => {
  const jfb = points.find((p) => p.name === '解放碑');
  const d = metres(jfb.wgs84, jfb.gcj02);
  assert.ok(d > 300 && d < 700, `${d} m`);
});

test('points outside China are left where they are', () => {
  assert.equal(inChina(-0.1276, 51.5072), false);
  assert.deepEqual(wgs84ToGcj02(-0.1276, 51.5072), [-0.1276, 51.5072]);
  assert.deepEqual(toCrs(51.5072, -0.1276, 'gcj02'), { lat: 51.5072, lng: -0.1276 });
});

test('toCrs and toWgs take lat, lng and leave WGS-84 as it is', () => {
  assert.deepEqual(toCrs(29.559, 106.577, 'wgs84'), { lat: 29.559, lng: 106.577 });
  const g = toCrs(29.559, 106.577, 'gcj02');
  const [lon, lat] = wgs84ToGcj02(106.577, 29.559);
  assert.deepEqual(g, { lat, lng: lon });
  const w = toWgs(g.lat, g.lng, 'gcj02');
  assert.ok(metres([w.lng, w.lat], [106.577, 29.559]) < 0.01);
});
