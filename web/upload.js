//! "上传报告" (editors): a `.txt` (UTF-8), `.docx` or PDF file with a text layer, or pasted
//! text, with its title, year, kind and an optional id. First "预览" asks the server what it
//! would serve (`POST /api/reports?dry_run=true`: nothing is stored) and shows it — counts per
//! layer, located and unlocated, the unlocated places with their sentences, the district-wide
//! items (counted as unlocated, never drawn), the sentences read with their names marked —
//! with "发布" and "取消". "发布" then publishes the same upload
//! (`POST /api/reports`), lists the report in the picker at once and offers "查看此报告" and
//! "撤回" (`DELETE /api/reports/{id}` with a reason). A `.txt` is decoded here and shown in the
//! text box; a `.docx` or PDF is sent as it is and read by the server.
//! Installs `app.renderUpload`.

import { $, askReason, toast } from './dom.js';
import { html } from './html.js';
import { describeWriteError } from './edit-api.js';
import { highlightNames } from './marks.js';
import { decodeReport, fileKind, fromFileName } from './feeding.js';

/** How many sentences the preview shows with their names marked. */
const PREVIEW_SENTENCES = 6;

/** Installs the upload box (in the layers tab, under the report picker) on `app`. */
export function installUpload(app) {
  const { vocab } = app;
  let form = {}; // the fields as last entered, kept across preview and cancel
  let file = null; // {name, kind, bytes, type} of a chosen .docx or PDF
  let preview = null; // the server's dry-run answer
  let review = null; // {report} after a publish

  function formHtml() {
    const v = (k, d = '') => (form[k] !== undefined ? form[k] : d);
    return html`
      <form class="upload-form" data-testid="upload-form" novalidate>
        <label>报告文件（.txt UTF-8、.docx 或带文字层的 PDF）<input type="file" id="upload-file" data-testid="upload-file" accept=".txt,.docx,.pdf,text/plain,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"></label>
        <p class="small muted" data-testid="upload-file-chosen" ${file ? '' : 'hidden'}>${file ? `已选择 ${file.name}：由服务器读取其文字。` : ''}</p>
        <label>或粘贴正文<textarea id="upload-text" data-testid="upload-text" rows="4" placeholder="粘贴报告全文" ${file ? 'disabled' : ''}>${file ? '' : v('text')}</textarea></label>
        <div class="field-row">
          <label>标题<input id="upload-title" data-testid="upload-title" maxlength="200" placeholder="如 2027年渝中区政府工作报告" value="${v('title')}"></label>
          <label class="narrow">年份<input id="upload-year" data-testid="upload-year" type="number" min="1949" max="2100" inputmode="numeric" value="${v('year')}"></label>
        </div>
        <div class="field-row">
          <label>类型<input id="upload-kind" data-testid="upload-kind" maxlength="40" value="${v('kind', '工作报告')}"></label>
          <label>编号（可空）<input id="upload-id" data-testid="upload-id" maxlength="80" placeholder="如 yuzhong-2027" value="${v('id')}"></label>
        </div>
        <label>说明<input id="upload-note" data-testid="upload-note" maxlength="500" placeholder="如 区政府公开的全文" value="${v('note')}"></label>
        <p class="fp-edit-msg" data-testid="upload-msg" role="alert"></p>
        <button type="submit" class="btn btn-primary" data-testid="upload-preview">读取并预览</button>
      </form>`;
  }

  function previewHtml() {
    const s = preview.summary || {};
    const c = s.counts || {};
    const layers = preview.layers || {};
    const sentences = sampleSentences(preview.features || []);
    return html`
      <div class="upload-preview" data-testid="upload-preview-pane">
        <p><b>预览（尚未发布）</b>「${s.title || s.id}」${s.year ? `（${s.year}年）` : ''}，编号 <code>${s.id}</code>。</p>
        <p data-testid="upload-preview-counts">将读出 <b>${c.features ?? 0}</b> 项：${vocab.layers.map((l, i) => html`${i ? '、' : ''}${vocab.layerMeta(l).title} ${(layers[l] || {}).features ?? 0}（已定位 ${(layers[l] || {}).located ?? 0}）`)}；已定位 ${c.located ?? 0}，未定位 ${c.unlocated ?? 0}。</p>
        ${preview.unlocated.length ? html`<p class="small">未定位的地名（发布后可在地图上标出）：</p>
          <ul class="plain-list upload-unlocated">${preview.unlocated.map((f) => html`<li data-testid="upload-preview-unlocated" data-name="${f.name}"><b>${f.name}</b><blockquote class="small">${highlightNames(f.quote, f.name, null)}</blockquote></li>`)}</ul>` : html`<p class="small">所有地名都已定位。</p>`}
        ${(preview.district_wide || []).length ? html`<p class="small" data-testid="upload-preview-district">全区性条目（适用于全区，不在地图上定位）：${preview.district_wide.map((f, i) => html`${i ? '、' : ''}${f.name}`)}</p>` : ''}
        ${sentences.length ? html`<p class="small muted">读到的句子（地名加底色）：</p><ul class="plain-list upload-samples">${sentences.map((x) => html`<li data-testid="upload-preview-sentence"><blockquote class="small">${highlightNames(x.sentence, null, x.re)}</blockquote></li>`)}</ul>` : ''}
        <p class="fp-edit-msg" data-testid="upload-msg" role="alert"></p>
        <div class="btn-row">
          <button type="button" class="btn btn-primary" data-act="publish" data-testid="upload-publish">发布</button>
          <button type="button" class="btn btn-quiet" data-act="cancel" data-testid="upload-cancel">取消</button>
        </div>
      </div>`;
  }

  function reviewHtml() {
    const r = review.report;
    const c = r.counts || {};
    return html`
      <div class="upload-review" data-testid="upload-review" data-report="${r.id}">
        <p><b>已发布「${r.title || r.id}」</b>${r.year ? `（${r.year}年）` : ''}，编号 <code>${r.id}</code>。</p>
        <p data-testid="upload-counts">读出 <b>${c.features ?? 0}</b> 项：${vocab.layers.map((l, i) => html`${i ? '、' : ''}${vocab.layerMeta(l).title} ${c[l] ?? 0}`)}；已定位 ${c.located ?? 0}，未定位 ${c.unlocated ?? 0}。</p>
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
    if (review) {
      body.innerHTML = String(reviewHtml());
      wireReview(body);
    } else if (preview) {
      body.innerHTML = String(previewHtml());
      wirePreview(body);
    } else {
      body.innerHTML = String(formHtml());
      wireForm(body);
    }
  }

  function setMsg(body, text) {
    const msg = body.querySelector('[data-testid="upload-msg"]');
    msg.textContent = text;
    msg.className = `fp-edit-msg ${text ? 'msg-error' : ''}`;
  }

  /** The fields of the form as entered. */
  function readForm(body) {
    const val = (id) => body.querySelector(id).value.trim();
    return {
      text: file ? '' : body.querySelector('#upload-text').value,
      title: val('#upload-title'),
      year: val('#upload-year'),
      kind: val('#upload-kind'),
      id: val('#upload-id'),
      note: val('#upload-note'),
    };
  }

  /** What goes to the server: the fields (year as a number, the default note) and the file. */
  function upload() {
    const fields = {
      text: file ? undefined : form.text,
      title: form.title,
      year: form.year ? Number(form.year) : undefined,
      kind: form.kind,
      id: form.id,
      note: form.note || '上传报告',
    };
    return { fields, file: file ? { bytes: file.bytes, type: file.type } : null };
  }

  function wireForm(body) {
    const input = body.querySelector('#upload-file');
    input.addEventListener('change', async () => {
      const f = input.files && input.files[0];
      if (!f) return;
      const kind = fileKind(f.name);
      if (!kind.kind) { setMsg(body, kind.error); return; }
      const bytes = new Uint8Array(await f.arrayBuffer());
      form = readForm(body);
      const hint = fromFileName(f.name);
      if (hint.id && !form.id) form.id = hint.id;
      if (hint.year && !form.year) form.year = String(hint.year);
      if (kind.kind === 'text') {
        const r = decodeReport(bytes);
        if (!r.ok) { setMsg(body, r.error); return; }
        file = null;
        form.text = r.text;
      } else {
        file = { name: f.name, kind: kind.kind, bytes, type: kind.type };
      }
      render();
    });
    body.querySelector('form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      form = readForm(body);
      if (!file && !form.text.trim()) { setMsg(body, '请选择 .txt、.docx 或 PDF 文件，或粘贴报告正文。'); return; }
      const submit = body.querySelector('[data-testid="upload-preview"]');
      submit.disabled = true;
      submit.textContent = '读取中…';
      try {
        const { fields, file: raw } = upload();
        preview = await app.edit.previewReport(fields, { file: raw });
        render();
      } catch (err) {
        console.warn('planmap: preview refused', err.message);
        submit.disabled = false;
        submit.textContent = '读取并预览';
        setMsg(body, describeWriteError('读取报告', err));
      }
    });
  }

  function wirePreview(body) {
    const act = (name, fn) => body.querySelector(`[data-act="${name}"]`).addEventListener('click', fn);
    act('cancel', () => { preview = null; render(); });
    act('publish', async () => {
      const button = body.querySelector('[data-testid="upload-publish"]');
      button.disabled = true;
      button.textContent = '发布中…';
      try {
        const { fields, file: raw } = upload();
        const { report, change } = await app.edit.postReport(fields, { file: raw });
        preview = null;
        file = null;
        form = {};
        review = { report };
        await app.followChanges(change);
        render();
        toast(`已发布「${report.title || report.id}」，已列入报告选择。`, 'info', 5000);
      } catch (err) {
        console.warn('planmap: upload refused', err.message);
        button.disabled = false;
        button.textContent = '发布';
        setMsg(body, describeWriteError('发布报告', err));
      }
    });
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

/** The first sentences read, each once, with a pattern of every name read in it (longest first). */
function sampleSentences(features) {
  const by = new Map();
  for (const f of features) {
    if (!f.sentence) continue;
    if (!by.has(f.sentence)) by.set(f.sentence, []);
    by.get(f.sentence).push(f.name);
  }
  const quote = (n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Array.from(by, ([sentence, names]) => ({
    sentence,
    re: new RegExp([...names].sort((a, b) => b.length - a.length).map(quote).join('|')),
  })).slice(0, PREVIEW_SENTENCES);
}
