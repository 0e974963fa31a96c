// layers.js: the pure helpers behind the uncertainty bands and their labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandOpacity, pixelsPerMetre, uncertaintyLabel } from '../../layers.js';

test('a band of 2u metres is as many pixels as Web Mercator gives at that zoom and latitude', () => {
  // At the equator, zoom 0: one 256 px tile spans the Earth's circumference.
  assert.ok(Math.abs(pixelsPerMetre(0, 0) - 256 / 40075016.686) < 1e-15);
  // Each zoom level doubles it; at 29.56° N a metre is 1/cos(lat) times wider on screen.
  assert.ok(Math.abs(pixelsPerMetre(16, 0) / pixelsPerMetre(15, 0) - 2) < 1e-12);
  const k = pixelsPerMetre(16, 29.56) / pixelsPerMetre(16, 0);
  assert.ok(Math.abs(k - 1 / Math.cos((29.56 * Math.PI) / 180)) < 1e-12);
  // ±300 m at zoom 16 over Yuzhong is a band about 290 px wide.
  assert.ok(Math.abs(2 * 300 * pixelsPerMetre(16, 29.56) - 289) < 2);
});

test('the uncertainty label reads ±N m, and nothing without an uncertainty', () => {
  assert.equal(uncertaintyLabel({ uncertainty_m: 300 }), '±300 m');
  assert.equal(uncertaintyLabel({ uncertainty_m: 1549 }), '±1,549 m');
  assert.equal(uncertaintyLabel({ uncertainty_m: null }), '');
  assert.equal(uncertaintyLabel(null), '');
});

test('the uncertainty wash gets lighter as more bands overlap in view, within bounds', () => {
  assert.equal(bandOpacity(0), 0.14);
  assert.equal(bandOpacity(6), 0.14);
  assert.ok(bandOpacity(24) < bandOpacity(12) && bandOpacity(12) < bandOpacity(6));
  assert.ok(Math.abs(bandOpacity(24) - 0.07) < 1e-12);
  assert.equal(bandOpacity(10000), 0.05);
});
