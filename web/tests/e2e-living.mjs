// End-to-end test of feeding the map from the page (editors, issue #21): previewing a report
// (pasted, or a PDF the server reads), publishing and withdrawing it, "不是地名" on a feature,
// "添加为地名" from words selected in the reading pane, and the page following a change made
// elsewhere without a reload.
//
//   PLANMAP_URL=… PLANMAP_TOKEN=… node --test web/tests/e2e-living.mjs   (.ci/e2e-edit runs it)
//
// Expectations are read from the server's answers; the uploaded report is a text we wrote for
// this test. Every verdict and upload the test makes is undone before it ends.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { BASE, api, launchBrowser, openPage as open, settle, shot } from './browser.mjs';

const TOKEN = process.env.PLANMAP_TOKEN || '';
let browser;

before(async () => {
  assert.ok(TOKEN, 'PLANMAP_TOKEN is not set: run .ci/e2e-edit');
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

const openPage = (hash = '') => open(browser, hash, { width: 1400, height: 900 });

async function signIn(page) {
  await page.click('[data-testid="signin-open"]');
  await page.fill('[data-testid="signin-token"]', TOKEN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="signin-who"]');
  await settle(page);
}

/** A write straight to the API with the editor's token (what another planner would do). */
async function write(method, path, body) {
  const res = await fetch(`${BASE}${path}`, {
    method, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text);
}

const searchNames = async (q) => (await api(`/api/search?q=${encodeURIComponent(q)}&limit=100`)).results.map((r) => r.name);

// Our own short report, for this test only.
const TEXT = [
  '渝中区2031年政府工作报告（测试稿）',
  '一、2031年主要任务',
  '（一）推进城市更新。加快十八梯传统风貌区后续建设，启动山城巷三期改造，新增停车位300个。',
  '（二）提升城市功能。推进解放碑步行街品质提升，新增消费场景10个。',
  '（三）补齐民生短板。新建鹅公岩小学综合楼，新增学位600个。',
].join('\n');

/** The server's dry run of an upload (what the page's preview must show). */
async function dryRun(body) {
  const res = await fetch(`${BASE}/api/reports?dry_run=true`, {
    method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  return res.json();
}

test('an editor previews a report before publishing it, publishes it, finds it in the picker at once, and withdraws it', async () => {
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    await page.click('[data-testid="upload"] summary');
    await page.fill('[data-testid="upload-text"]', TEXT);
    await page.fill('[data-testid="upload-title"]', '渝中区2031年政府工作报告（测试稿）');
    await page.fill('[data-testid="upload-year"]', '2031');
    await page.fill('[data-testid="upload-id"]', 'e2e-upload-2031');
    await page.click('[data-testid="upload-preview"]');
    await page.waitForSelector('[data-testid="upload-preview-pane"]');
    await settle(page);
    // The preview is the server's dry run: nothing is published yet.
    const expected = await dryRun({ id: 'e2e-upload-2031', text: TEXT, title: '渝中区2031年政府工作报告（测试稿）', year: 2031, kind: '工作报告', note: '上传报告' });
    assert.ok(!(await api('/api/reports')).reports.some((r) => r.id === 'e2e-upload-2031'), 'a preview publishes nothing');
    const counts = await page.locator('[data-testid="upload-preview-counts"]').innerText();
    assert.match(counts, new RegExp(`将读出 ${expected.summary.counts.features} 项`));
    assert.match(counts, new RegExp(`未定位 ${expected.summary.counts.unlocated}`));
    const shown = await page.locator('[data-testid="upload-preview-unlocated"]').evaluateAll((els) => els.map((e) => e.dataset.name));
    assert.ok(shown.length > 0, 'this text names a place the gazetteer does not know');
    assert.deepEqual(shown, expected.unlocated.map((f) => f.name), 'every unlocated place, with its sentence');
    assert.ok(await page.locator('[data-testid="upload-preview-sentence"] mark').count() > 0, 'names are marked in the sentences');
    assert.equal(await page.locator('[data-testid="report-list"] input[data-report="e2e-upload-2031"]').count(), 0);
    await shot(page, 'living-01-upload-preview');

    await page.click('[data-testid="upload-publish"]');
    await page.waitForSelector('[data-testid="upload-review"]');
    await settle(page);
    const listed = (await api('/api/reports')).reports.find((r) => r.id === 'e2e-upload-2031');
    assert.ok(listed, 'the upload is listed by the server');
    assert.deepEqual(listed, expected.summary, 'published as previewed');
    const published = await page.locator('[data-testid="upload-counts"]').innerText();
    assert.match(published, new RegExp(`读出 ${listed.counts.features} 项`));
    assert.equal(await page.locator('[data-testid="report-list"] input[data-report="e2e-upload-2031"]').count(), 1, 'the picker lists it without a reload');
    await shot(page, 'living-01-upload-review');
    await page.click('[data-testid="upload-show"]');
    await settle(page);
    assert.deepEqual(await page.evaluate(() => window.planmap.state.selectedReports), ['e2e-upload-2031']);
    assert.match(await page.locator('[data-testid="report-title"]').innerText(), /2031/);

    await page.click('[data-testid="upload-withdraw"]');
    await page.fill('[data-testid="upload-withdraw-note"]', '测试完毕，撤回');
    await page.click('[data-testid="upload-withdraw-submit"]');
    await page.waitForSelector('[data-testid="report-list"] input[data-report="e2e-upload-2031"]', { state: 'detached' });
    await settle(page);
    assert.ok(!(await api('/api/reports')).reports.some((r) => r.id === 'e2e-upload-2031'), 'withdrawn on the server');
    assert.ok(!(await page.evaluate(() => window.planmap.state.selectedReports)).includes('e2e-upload-2031'));
    const removed = (await api('/api/reports?removed=true')).removed.find((r) => r.id === 'e2e-upload-2031');
    assert.equal(removed.removed.note, '测试完毕，撤回', 'listed among the removed uploads with why');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a PDF chosen on the page is read by the server and previewed; cancel publishes nothing', async () => {
  const pdf = fileURLToPath(new URL('../../tests/fixtures/uploads/report-2028.pdf', import.meta.url));
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    await page.click('[data-testid="upload"] summary');
    await page.setInputFiles('[data-testid="upload-file"]', pdf);
    await page.waitForSelector('[data-testid="upload-file-chosen"]:not([hidden])');
    assert.equal(await page.inputValue('[data-testid="upload-id"]'), 'report-2028', 'the id from the file name');
    assert.equal(await page.inputValue('[data-testid="upload-year"]'), '2028');
    await page.click('[data-testid="upload-preview"]');
    await page.waitForSelector('[data-testid="upload-preview-pane"]');
    await settle(page);
    const sentences = await page.locator('[data-testid="upload-preview-sentence"]').allInnerTexts();
    assert.ok(sentences.some((t) => t.includes('开工建设长滨路慢行通道')), `the PDF's sentence, read whole: ${sentences.join(' | ')}`);
    await shot(page, 'living-01b-pdf-preview');
    await page.click('[data-testid="upload-cancel"]');
    await page.waitForSelector('[data-testid="upload-form"]');
    assert.equal(await page.inputValue('[data-testid="upload-id"]'), 'report-2028', 'cancel keeps what was entered');
    assert.ok(!(await api('/api/reports')).reports.some((r) => r.id === 'report-2028'), 'nothing published');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('"不是地名" takes a reading out of every report, is listed with who and why, and can be undone', async () => {
  const fc = await api('/api/collections/projects/items?limit=1000');
  const f = fc.features.find((x) => x.geometry && x.properties.location.match !== 'curated');
  const { name, id } = f.properties;
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    await page.evaluate((fid) => window.planmap.selectFeature(fid, { fly: false, popup: false }), id);
    await settle(page);
    await page.click('[data-testid="verdict-not-place"]');
    await page.fill('[data-testid="verdict-note"]', '测试：此处不当作地名');
    await page.click('[data-testid="verdict-submit"]');
    await page.waitForFunction((n) => !Array.from(window.planmap.catalog.values()).some((x) => x.properties.name === n), name);
    await settle(page);
    assert.ok(!(await searchNames(name)).includes(name), `the server still finds ${name}`);
    await page.click('[data-testid="tab-layers"]');
    await page.click('[data-testid="verdicts"] summary');
    const item = page.locator(`[data-testid="verdict-item"][data-name="${name}"]`);
    await item.waitFor();
    assert.match(await item.innerText(), /不是地名/);
    assert.match(await item.innerText(), /此处不当作地名/);
    await shot(page, 'living-02-not-place');
    await item.locator('[data-testid="verdict-undo"]').click();
    await page.fill('[data-testid="verdict-undo-note"]', '测试完毕，撤销');
    await page.click('[data-testid="verdict-undo-submit"]');
    await page.waitForFunction((n) => Array.from(window.planmap.catalog.values()).some((x) => x.properties.name === n), name);
    assert.ok((await searchNames(name)).includes(name), 'back after the undo');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('words selected in the reading pane are added as a place of a layer; a change made elsewhere shows on the next view change', async () => {
  const word = '中新互联互通项目运营中心';
  const report = await api('/api/report');
  assert.ok(report.text.includes(word), `the seed names ${word}`);
  assert.ok(!(await searchNames(word)).includes(word), `${word} is already read as a place`);
  const { page, context, errors } = await openPage();
  try {
    await signIn(page);
    // Select the word in the reading pane as a reader would (a range over its characters).
    await page.evaluate((w) => {
      const body = document.querySelector('#reader-body');
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent.indexOf(w);
        if (i < 0) continue;
        n.parentElement.scrollIntoView({ block: 'center' });
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + w.length);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(r);
        body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        return;
      }
      throw new Error(`no ${w} in the reading pane`);
    }, word);
    await page.waitForSelector('[data-testid="add-place-form"]');
    assert.equal(await page.locator('[data-testid="add-place-name"]').innerText(), word);
    await page.selectOption('[data-testid="add-place-layer"]', 'projects');
    await page.fill('[data-testid="add-place-note"]', '测试：报告要设的运营中心');
    await shot(page, 'living-03-add-place');
    await page.click('[data-testid="add-place-submit"]');
    await page.waitForFunction((w) => Array.from(window.planmap.catalog.values()).some((x) => x.properties.name === w), word);
    assert.ok((await searchNames(word)).includes(word), 'the server reads it now');
    const added = await page.evaluate((w) => Array.from(window.planmap.catalog.values()).find((x) => x.properties.name === w).properties.layer, word);
    assert.equal(added, 'projects');

    // Someone else withdraws it through the API; the page follows on its next view change.
    await write('DELETE', `/api/lexicon/${encodeURIComponent(word)}`, { note: '测试完毕（另一位编辑）' });
    await page.evaluate(() => window.planmap.map.panBy([40, 0], { animate: false }));
    await page.waitForFunction((w) => !Array.from(window.planmap.catalog.values()).some((x) => x.properties.name === w), word, { timeout: 15000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
