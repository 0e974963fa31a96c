// End-to-end test of the page with several reports loaded (the seed and the 2024/2026 test
// texts, `planmap serve --seeds DIR`): compare as a planner reads it, stacked places, counts and
// titles that follow the selection, print, search across reports, readability at district zoom.
//
//   PLANMAP_URL=http://127.0.0.1:8081 node --test web/tests/e2e-reports.mjs
//
// Every expectation is read from the server's own answers (/api/reports, the compare route,
// /api/search); the only names written here are the ones the bar names (十八梯).
// Screenshots and printed PDFs go to web/test-output/ for a person to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OUT, api, launchBrowser, openPage as open, settle, shot } from './browser.mjs';

let browser;
let reports;

before(async () => {
  browser = await launchBrowser();
  reports = await api('/api/reports');
  assert.ok(reports.reports.length >= 3, `the server must load three reports (--seeds); it has ${reports.reports.length}`);
});

after(async () => {
  if (browser) await browser.close();
});

const openPage = (hash, size) => open(browser, hash, size);
const byYear = (y) => reports.reports.find((r) => r.year === y);

/** The text a person sees in the page (hidden elements left out). */
const visibleText = (page) => page.evaluate(() => document.body.innerText);

test('a compare permalink lists new, continued and dropped places by name with what changed', async () => {
  const a = byYear(2024).id;
  const b = byYear(2026).id;
  const answer = await api(`/api/reports/${a}/compare/${b}`);
  const { page, context, errors } = await openPage(`#r=${b}&cmp=${a},${b}`);
  try {
    await page.waitForSelector('[data-testid="compare-row"]');
    const text = await visibleText(page);
    // Bar: the names of continued places, 十八梯 among them, are in the page's text.
    assert.ok(answer.continued.some((p) => p.name.includes('十八梯')), 'the compare answer continues 十八梯');
    for (const kind of ['new', 'continued', 'dropped']) {
      const rows = await page.$$eval(`[data-testid="compare-list-${kind}"] [data-testid="compare-row"]`, (els) => els.map((e) => ({
        place: e.dataset.place, text: e.innerText, unlocated: !!e.querySelector('[data-testid="compare-unlocated"]'),
      })));
      assert.equal(rows.length, answer[kind].length, `${kind}: one row per place`);
      for (const p of answer[kind]) {
        assert.ok(text.includes(p.name), `${kind} place ${p.name} is named in the page`);
        const r = rows.find((x) => x.place === p.place);
        assert.ok(r, `${kind} row of ${p.name}`);
        const c = p.commitment || p.b;
        assert.equal(r.unlocated, !c.located, `${p.name} is marked unlocated exactly when it has no geometry`);
      }
    }
    // What changed: the verbs of both years and each changed target's old → new value.
    for (const p of answer.continued) {
      const rowText = await page.locator(`[data-testid="compare-list-continued"] [data-place="${p.place}"]`).innerText();
      if (p.verb_changed) assert.ok(rowText.includes(p.a.verb) && rowText.includes(p.b.verb), `${p.name}: ${p.change} shown`);
      if (p.targets_changed) {
        for (const t of p.b.targets) assert.ok(rowText.includes(t.metric), `${p.name}: target ${t.metric} shown`);
        assert.match(rowText, /→/, `${p.name}: old → new`);
      }
    }
    // The map's legend counts what it cannot draw, per kind.
    const legend = await page.locator('[data-testid="compare-map-legend"]').innerText();
    const undrawn = answer.new.filter((p) => !p.commitment.located).length;
    if (undrawn) assert.match(legend, new RegExp(`新增 ${undrawn}`), 'the legend says how many new places it cannot draw');
    // Shapes drawn in compare colours carry their kind.
    const kinds = await page.$$eval('.pm-feat.pm-cmp', (els) => Array.from(new Set(els.map((e) => e.getAttribute('class').match(/pm-cmp-(\w+)/)[1]))));
    assert.ok(kinds.includes('continued'), 'continued places are drawn as continued');
    await shot(page, 'r01-compare');
    // Clicking a name selects its feature.
    const first = answer.continued[0];
    await page.click(`[data-testid="compare-list-continued"] [data-place="${first.place}"] button[data-fid]`);
    await settle(page);
    assert.equal(await page.locator('[data-testid="feature-panel"]').getAttribute('data-fid'), first.b.feature);
    // The permalink keeps the comparison; reloading it restores the lists.
    assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), new RegExp(`cmp=${a},${b}`));
    await page.reload();
    await page.waitForSelector('[data-testid="compare-row"]', { state: 'attached' });
    // The link reopens the tab it was on (the selected feature's); the lists are one tab away.
    await page.click('[data-testid="tab-layers"]');
    await page.waitForSelector('[data-testid="compare-row"]');
    assert.equal(await page.locator('[data-testid="compare-row"]').count(), answer.new.length + answer.continued.length + answer.dropped.length);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('places drawn at one spot can each be chosen, by mouse and by keyboard', async () => {
  const seed = byYear(2025).id;
  // The largest stack of projects the server places at one point (read from its answer).
  const fc = await api(`/api/collections/projects/items?limit=10000&report=${seed}`);
  const spots = new Map();
  for (const f of fc.features) {
    if (!f.geometry || f.geometry.type !== 'Point') continue;
    const key = f.geometry.coordinates.map((c) => c.toFixed(5)).join(',');
    spots.set(key, [...(spots.get(key) || []), f]);
  }
  const stack = [...spots.values()].sort((x, y) => y.length - x.length)[0];
  assert.ok(stack && stack.length >= 2, 'the seed has projects placed at one point');
  const [lng, lat] = stack[0].geometry.coordinates;
  const { page, context, errors } = await openPage(`#r=${seed}&map=17/${lat}/${lng}`);
  try {
    const ids = stack.map((f) => f.properties.id).sort();
    const at = await page.evaluate(([la, ln]) => {
      const { map } = window.planmap;
      const box = map.getContainer().getBoundingClientRect();
      const p = map.latLngToContainerPoint([la, ln]);
      return { x: box.left + p.x, y: box.top + p.y };
    }, [lat, lng]);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('[data-testid="chooser"]');
    const listed = await page.$$eval('[data-testid="chooser"] [data-testid="chooser-item"]', (bs) => bs.map((b) => b.dataset.fid));
    assert.deepEqual([...listed].sort(), ids, 'the chooser lists every place at the spot');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'chooser-item', 'the chooser takes the focus');
    await shot(page, 'r02-stacked-chooser');
    // Keyboard: down to the second entry, Enter selects it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal(await page.locator('[data-testid="feature-panel"]').getAttribute('data-fid'), listed[1]);
    // The panel lists the others at the same spot, so each one is reachable from the panel too.
    const others = await page.$$eval('[data-testid="stack-note"] button[data-fid]', (bs) => bs.map((b) => b.dataset.fid));
    assert.deepEqual([...others].sort(), ids.filter((id) => id !== listed[1]));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('counts, titles, the footer and export names follow the selected report', async () => {
  const r = byYear(2026);
  const { page, context, errors } = await openPage(`#r=${r.id}`);
  try {
    for (const layer of ['zones', 'streets', 'projects']) {
      const text = await page.locator(`[data-testid="layer-count-${layer}"]`).innerText();
      assert.match(text, new RegExp(`共 ${r.counts[layer]}(\\D|$)`), `${layer}: the card counts ${r.id}'s ${r.counts[layer]}, not every report's`);
    }
    // The stage legend adds up to the same count.
    const legendSum = await page.$$eval('[data-kind-legend="zones"] li .muted', (els) => els.reduce((n, e) => n + Number(e.textContent), 0));
    assert.equal(legendSum, r.counts.zones);
    const year = String(r.year);
    assert.match(await page.locator('[data-testid="report-title"]').innerText(), new RegExp(year));
    assert.match(await page.title(), new RegExp(year));
    assert.match(await page.locator('[data-testid="reader-which"]').innerText(), new RegExp(year));
    assert.equal(await page.locator('[data-testid="print-reports"]').textContent(), r.title.includes(year) ? r.title : `${r.title}（${year}年）`);
    const [full] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
    assert.match(full.suggestedFilename(), new RegExp(`^planmap-${r.id}-wgs84-\\d{8}\\.csv$`));
    // The near export names its point and radius, so it never takes the full export's name.
    const located = await page.evaluate(() => window.planmap.allFeatures().find((f) => f.geometry && f.geometry.type === 'Point'));
    await page.evaluate(([lng, lat]) => window.planmap.queryNear(lat, lng), located.geometry.coordinates);
    await settle(page);
    await page.click('[data-testid="tab-near"]');
    const [near] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="near-export"]')]);
    assert.match(near.suggestedFilename(), new RegExp(`^planmap-${r.id}-near-\\d+\\.\\d{5}N\\d+\\.\\d{5}E-500m-wgs84-\\d{8}\\.csv$`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('printed, the page names the report shown and the date, shows no controls, and fits the near circle', async () => {
  const r = byYear(2026);
  const { page, context, errors } = await openPage(`#r=${r.id}`);
  try {
    await page.emulateMedia({ media: 'print' });
    await settle(page);
    const text = await visibleText(page);
    // Bar: the printed text names 2026 and not the seed's 2025 report.
    assert.match(text, new RegExp(String(r.year)));
    assert.ok(!text.includes('2025年政府工作报告'), 'the printed page names a report that is not shown');
    assert.match(text, /打印于 \d{4}年\d{1,2}月\d{1,2}日/, 'the header has the date printed');
    for (const sel of ['[data-testid="report-list"]', '[data-testid="compare-go"]', '[data-testid="search-input"]', '[data-testid="export-csv"]', '.leaflet-control-zoom']) {
      assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is printed`);
    }
    assert.ok(await page.locator('[data-testid="uncertainty-legend"]').isVisible(), 'the legend is printed');
    await page.pdf({ path: `${OUT}r04-print-${r.year}-portrait.pdf`, format: 'A4', printBackground: true });
    await page.pdf({ path: `${OUT}r04-print-${r.year}-landscape.pdf`, format: 'A4', landscape: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    await settle(page);

    // A near question: the printed map holds the whole circle and the page lists the answer.
    const located = await page.evaluate(() => window.planmap.allFeatures().find((f) => f.geometry && f.geometry.type === 'Point'));
    await page.evaluate(([lng, lat]) => window.planmap.queryNear(lat, lng), located.geometry.coordinates);
    await page.click('[data-testid="tab-near"]');
    await settle(page);
    await page.emulateMedia({ media: 'print' });
    await settle(page);
    const fits = await page.evaluate(() => {
      const { map, state } = window.planmap;
      const circle = window.L.latLng(state.pin).toBounds(state.radius_m * 2);
      return map.getBounds().contains(circle);
    });
    assert.ok(fits, 'the printed map cuts the near circle');
    assert.ok(await page.locator('[data-testid="near-list"]').isVisible(), 'the near list is printed');
    assert.match(await page.locator('[data-testid="print-subject"]').innerText(), /周边 500 m/);
    await page.pdf({ path: `${OUT}r04-print-near-portrait.pdf`, format: 'A4', printBackground: true });
    await page.pdf({ path: `${OUT}r04-print-near-landscape.pdf`, format: 'A4', landscape: true, printBackground: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('with every report selected, a search names each place once with the years that name it, and the focus goes to its panel', async () => {
  const { page, context, errors } = await openPage('#r=all');
  try {
    const api1 = await api(`/api/search?q=${encodeURIComponent('十八梯')}&limit=100`);
    const perPlace = new Map();
    for (const r of api1.results) {
      const f = await api(`/api/collections/${r.layer}/items/${encodeURIComponent(r.id)}`);
      const place = f.properties.place;
      perPlace.set(place, [...(perPlace.get(place) || []), reports.reports.find((x) => x.id === f.properties.report).year]);
    }
    assert.ok([...perPlace.values()].some((ys) => ys.length > 1), 'some place named 十八梯 is in several reports');
    await page.fill('[data-testid="search-input"]', '十八梯');
    await page.waitForSelector('[data-testid="search-result"][data-fid]');
    await settle(page);
    const shown = await page.$$eval('[data-testid="search-result"][data-fid]', (lis) => lis.map((li) => ({
      fid: li.dataset.fid, years: (li.querySelector('[data-testid="search-years"]') || {}).textContent || '',
    })));
    assert.equal(shown.length, Math.min(perPlace.size, 10), 'one suggestion per place');
    // Bar: the years are shown, each place with every year that names it.
    for (const s of shown) {
      const f = await api(`/api/collections/${s.fid.split('/')[1]}/items/${encodeURIComponent(s.fid)}`);
      const years = [...perPlace.get(f.properties.place)].sort();
      assert.equal(s.years, years.map((y) => `${y}年`).join(' · '), `${f.properties.name}: the years that name it`);
      assert.equal(f.properties.report, reports.reports.find((x) => x.year === years[years.length - 1]).id, 'the suggestion opens the latest report naming it');
    }
    await shot(page, 'r05-search-years');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'feature-name', 'the focus goes to the feature panel');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('at district zoom the map reads: stations outside the district off, a lighter wash when bands crowd, titles on one line', async () => {
  const { page, context, errors } = await openPage('#r=all');
  try {
    await page.click('[data-testid="fit-district"]');
    await settle(page);
    const visibleOutside = () => page.$$eval('.pm-station-outside', (els) => els.filter((e) => getComputedStyle(e).display !== 'none').length);
    const outside = await page.locator('.pm-station-outside').count();
    assert.ok(outside > 0, 'the server serves stations outside the district');
    assert.equal(await visibleOutside(), 0, 'stations outside the district are drawn by default');
    await page.check('[data-testid="layer-toggle-stations-outside"]');
    assert.equal(await visibleOutside(), outside, 'the toggle shows them');
    await page.uncheck('[data-testid="layer-toggle-stations-outside"]');
    // Many bands in view: the wash is lighter than with a few.
    const wash = () => page.evaluate(() => ({
      n: Number(window.planmap.map.getContainer().dataset.bands),
      o: Number(window.planmap.map.getPane('pm-band').style.opacity),
    }));
    const crowded = await wash();
    const zoomedIn = await page.evaluate(() => {
      const { map, state } = window.planmap;
      const e = Array.from(state.drawn.zones.values()).find((x) => x.band);
      map.setView(e.layer.getBounds().getCenter(), 18, { animate: false });
      return true;
    });
    assert.ok(zoomedIn);
    await settle(page);
    const few = await wash();
    assert.ok(crowded.n > few.n, `more bands at district zoom (${crowded.n}) than zoomed in (${few.n})`);
    assert.ok(crowded.o < few.o, `the crowded wash (${crowded.o}) is lighter than the sparse one (${few.o})`);
    // Pane titles keep to one line beside the report choice.
    const heights = await page.$$eval('.pane-title', (els) => els.filter((e) => e.offsetParent).map((e) => [e.textContent, e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight) || 20]));
    for (const [t, h, lh] of heights) assert.ok(h < lh * 1.6, `${t} wraps (${h}px)`);
    await shot(page, 'r07-district-zoom');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
