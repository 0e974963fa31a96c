//! "上传报告" (editors): a `.txt` file (UTF-8) or pasted text, with its title, year, kind and an
//! optional id, published with `POST /api/reports`; the page then shows what the server read
//! (counts per layer, located and unlocated, the unlocated places by name, a few sentences with
//! their names marked), lists the report in the picker at once, and offers "查看此报告" and
//! "撤回" (`DELETE /api/reports/{id}` with a reason). The server has no read-without-storing
//! route, so the review follows publishing and withdrawal is the way back.
//! Installs `app.renderUpload`.

import { $, askReason, toast } from './dom.js';
import { html } from './html.js';
import { describeWriteError } from './edit-api.js';
import { highlightNames } from './marks.js';
import { decodeReport, fromFileName } from './feeding.js';

/** Installs the upload box (in the layers tab, under the report picker) on `app`. */
export function installUpload(app) {
  const { vocab, api } = app;
  let review = null; // {report, unlocated, samples} after a publish

  function formHtml() {
    return html`
      <form class="upload-form" data-testid="upload-form" novalidate>
        <label>报告文件（.txt，UTF-8）<input type="file" id="upload-file" data-testid="upload-file" accept=".txt,text/plain"></label>
        <label>或粘贴正文<textarea id="upload-text" data-testid="upload-text" rows="4" placeholder="粘贴报告全文"></textarea></label>
        <div class="field-row">
          <label>标题<input id="upload-title" data-testid="upload-title" maxlength="200" placeholder="如 2027年渝中区政府工作报告"></label>
          <label class="narrow">年份<input id="upload-year" data-testid="upload-year" type="number" min="1949" max="2100" inputmode="numeric"></label>
        </div>
        <div class="field-row">
          <label>类型<input id="upload-kind" data-testid="upload-kind" maxlength="40" value="工作报告"></label>
          <label>编号（可空）<input id="upload-id" data-testid="upload-id" maxlength="80" placeholder="如 yuzhong-2027"></label>
        </div>
        <label>说明<input id="upload-note" data-testid="upload-note" maxlength="500" placeholder="如 区政府公开的全文"></label>
        <p class="fp-edit-msg" data-testid="upload-msg" role="alert"></p>
        <button type="submit" class="btn btn-primary" data-testid="upload-submit">读取并发布</button>
      </form>`;
  }

  function reviewHtml() {
    const r = review.report;
    const c = r.counts || {};
    return html`
      <div class="upload-review" data-testid="upload-review" data-report="${r.id}">
        <p><b>已发布「${r.title || r.id}」</b>${r.year ? `（${r.year}年）` : ''}，编号 <code>${r.id}</code>。</p>
        <p data-testid="upload-counts">读出 <b>${c.features ?? 0}</b> 项：${vocab.layers.map((l, i) => html`${i ? '、' : ''}${vocab.layerMeta(l).title} ${c[l] ?? 0}`)}；已定位 ${c.located ?? 0}，未定位 ${c.unlocated ?? 0}。</p>
        ${review.unlocated.length ? html`<p class="small">未定位：${review.unlocated.map((f, i) => html`${i ? '、' : ''}<span data-testid="upload-unlocated">${f.properties.name}</span>`)}</p>` : ''}
        ${review.samples.length ? html`<p class="small muted">读到的句子（地名加底色）：</p><ul class="plain-list upload-samples">${review.samples.map((f) => html`<li><blockquote class="small">${highlightNames(f.properties.quote, f.properties.name, null)}</blockquote></li>`)}</ul>` : ''}
        <div class="btn-row">
          <button type="button" class="btn" data-act="show" data-testid="upload-show">查看此报告</button>
          <button type="button" class="btn btn-quiet" data-act="withdraw" data-testid="upload-withdraw">撤回发布</button>
          <button type="button" class="btn btn-quiet" data-act="again">再上传一份</button>
        </div>
      </div>`;
  }

  function render() {
    const box = $('#upload');
    if (!box) return;
    box.hidden = !app.session;
    const body = box.querySelector('.upload-body');
    body.innerHTML = String(review ? reviewHtml() : formHtml());
    if (review) wireReview(body); else wireForm(body);
  }

  function setMsg(body, text) {
    const msg = body.querySelector('[data-testid="upload-msg"]');
    msg.textContent = text;
    msg.className = `fp-edit-msg ${text ? 'msg-error' : ''}`;
  }

  function wireForm(body) {
    const file = body.querySelector('#upload-file');
    file.addEventListener('change', async () => {
      const f = file.files && file.files[0];
      if (!f) return;
      const r = decodeReport(new Uint8Array(await f.arrayBuffer()));
      if (!r.ok) { setMsg(body, r.error); return; }
      setMsg(body, '');
      body.querySelector('#upload-text').value = r.text;
      const hint = fromFileName(f.name);
      if (hint.id && !body.querySelector('#upload-id').value) body.querySelector('#upload-id').value = hint.id;
      if (hint.year && !body.querySelector('#upload-year').value) body.querySelector('#upload-year').value = String(hint.year);
    });
    body.querySelector('form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const val = (id) => body.querySelector(id).value.trim();
      const text = body.querySelector('#upload-text').value;
      if (!text.trim()) { setMsg(body, '请选择 .txt 文件或粘贴报告正文。'); return; }
      const year = val('#upload-year') ? Number(val('#upload-year')) : undefined;
      const submit = body.querySelector('[data-testid="upload-submit"]');
      submit.disabled = true;
      submit.textContent = '读取中…';
      try {
        const { report, change } = await app.edit.postReport({
          text, title: val('#upload-title'), year, kind: val('#upload-kind'), id: val('#upload-id'), note: val('#upload-note') || '上传报告',
        });
        await showReview(report, change);
      } catch (err) {
        console.warn('planmap: upload refused', err.message);
        submit.disabled = false;
        submit.textContent = '读取并发布';
        setMsg(body, describeWriteError('发布报告', err));
      }
    });
  }

  async function showReview(report, change) {
    // The picker lists it at once; then what was read, from the server's own answers.
    await app.followChanges(change);
    const perLayer = await Promise.all(vocab.layers.map((l) => api.fetchAllPages(`/api/collections/${l}/items`, { limit: 10000, report: report.id })
      .then((fc) => fc.features).catch(() => [])));
    const all = perLayer.flat();
    review = {
      report,
      unlocated: all.filter((f) => !f.geometry && f.properties.scope !== 'district'),
      samples: all.filter((f) => f.properties.quote).slice(0, 3),
    };
    render();
    toast(`已发布「${report.title || report.id}」，已列入报告选择。`, 'info', 5000);
  }

  function wireReview(body) {
    const act = (name, fn) => body.querySelector(`[data-act="${name}"]`).addEventListener('click', fn);
    act('show', () => app.setReports([review.report.id]));
    act('again', () => { review = null; render(); });
    act('withdraw', () => askReason(body.querySelector('.btn-row'), 'afterend',
      { className: 'upload-withdraw', placeholder: '撤回理由（必填）', button: '确认撤回', testid: 'upload-withdraw' }, async (note) => {
        const { id } = review.report;
        try {
          const { change } = await app.edit.deleteReport(id, note);
          review = null;
          render();
          await app.followChanges(change);
          toast(`已撤回报告 ${id}（记录保留在历史中）。`, 'info', 5000);
        } catch (err) {
          toast(describeWriteError('撤回报告', err), 'error', 8000);
        }
      }));
  }

  app.onSessionChange(render);
  app.renderUpload = render;
}
