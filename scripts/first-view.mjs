// The page's first view measured in Chromium against a running planmap server (issue #15):
// time to the first planned layer drawn, time until the page is ready, and the bytes it
// transferred (what the network carried, gzip included). A measurement script, not a test:
// it prints numbers and asserts nothing. Optionally drives the reports UI to check it works.
//
//   PLANMAP_URL=http://127.0.0.1:8080 node scripts/first-view.mjs [--runs 3] [--ui]
//
// With --ui it also opens a place's timeline and the compare mode of the two newest reports,
// printing what it saw. Requests to other origins (basemap tiles) are aborted, so only the
// page and the API are counted. Needs playwright-core (web/node_modules) and Chromium.

import { createRequire } from 'node:module';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const BASE = (process.env.PLANMAP_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const ui = args.includes('--ui');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});

async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const origin = new URL(BASE).origin;
  await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests += 1; });
  return { context, page, totals: () => ({ bytes, requests }) };
}

const results = [];
for (let i = 0; i < runs; i += 1) {
  const { context, page, totals } = await open();
  const t0 = Date.now();
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => Number(document.body.dataset.drawnZones || 0) > 0, null, { timeout: 60000, polling: 20 });
  const firstLayer = Date.now() - t0;
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60000 });
  await page.evaluate(() => window.planmap.idle());
  const ready = Date.now() - t0;
  const { bytes, requests } = totals();
  results.push({ firstLayer, ready, bytes, requests });
  console.log(`run ${i + 1}: first layer drawn ${firstLayer} ms, ready ${ready} ms, ${requests} requests, ${(bytes / 1e6).toFixed(2)} MB transferred`);
  if (ui && i === 0) {
    const title = await page.locator('#report-title').innerText();
    const reports = await page.locator('[data-testid="report-list"] input').count();
    console.log(`  title: ${title}; reports listed: ${reports}`);
    const fid = (await page.evaluate(() => window.planmap.drawn('projects')))[0];
    await page.evaluate((id) => window.planmap.selectFeature(id, { fly: false }), fid);
    await page.waitForSelector('[data-testid="timeline"] li', { timeout: 10000 });
    console.log(`  timeline of ${fid}: ${await page.locator('[data-testid="timeline"] li').count()} entries`);
    if (reports > 1) {
      await page.click('[data-testid="tab-layers"]');
      await page.click('[data-testid="compare-go"]');
      await page.waitForSelector('.compare-legend', { timeout: 20000 });
      await page.evaluate(() => window.planmap.idle());
      console.log(`  compare: ${(await page.locator('.compare-legend').innerText()).replace(/\s+/g, ' ')}; `
        + `coloured on the map: new ${await page.locator('#map .pm-cmp-new').count()}, `
        + `continued ${await page.locator('#map .pm-cmp-continued').count()}, dropped ${await page.locator('#map .pm-cmp-dropped').count()}`);
      console.log(`  permalink: ${decodeURIComponent(await page.evaluate(() => location.hash))}`);
    }
  }
  await context.close();
}
await browser.close();
const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(`median: first layer drawn ${median('firstLayer')} ms, ready ${median('ready')} ms, ${(median('bytes') / 1e6).toFixed(2)} MB`);
