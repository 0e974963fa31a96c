// What the browser suites (e2e.mjs, e2e-reports.mjs, e2e-edit.mjs) share: the server's address, the folder
// for screenshots, a headless Chromium, a page opened with other origins blocked and waited
// until it has settled, a JSON GET that must succeed, and distances in metres.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { withPlacements } from '../api.js';

export const BASE = (process.env.PLANMAP_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const OUT = fileURLToPath(new URL('../test-output/', import.meta.url));
mkdirSync(OUT, { recursive: true });

/** Checks the server is healthy, then starts headless Chromium (CHROMIUM_PATH or Debian's). */
export async function launchBrowser() {
  const health = await fetch(`${BASE}/health`);
  assert.equal(health.status, 200, `server at ${BASE} is not healthy`);
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits until the page has no request or redraw pending. */
export async function settle(page) {
  await page.evaluate(() => window.planmap.idle());
}

/** Waits until the page says it is ready (after a load or reload), then until it settles. */
export async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30000 });
  await settle(page);
}

/**
 * A fresh page (new context: empty sessionStorage) on `hash`, with other origins blocked,
 * waited until the page is ready and has settled; page errors are collected.
 */
export async function openPage(browser, hash = '', { width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const origin = new URL(BASE).origin;
  await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()));
  await page.goto(`${BASE}/${hash}`);
  await ready(page);
  return { page, context, errors };
}

/** GET `path` on the server, asserting a 200; the JSON body. */
export async function api(path) {
  const res = await fetch(`${BASE}${path}`);
  assert.equal(res.status, 200, `GET ${path} → ${res.status}`);
  // The placements, as the page reads them (a stand-in of the collection's geometry family
  // carries the placement beside it).
  return withPlacements(await res.json());
}

/** A screenshot in web/test-output/ for a person to look at. */
export async function shot(page, name) {
  await page.screenshot({ path: `${OUT}${name}.png` });
}

/** Great-circle distance in metres between two {lat, lng} points (Haversine). */
export function haversineM(a, b) {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
