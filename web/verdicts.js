//! Planners' verdicts on readings (editors): in the feature panel "不是地名" with a reason takes
//! a wrong reading out of every report (`PUT /api/lexicon/{name}` with `not_place`); in the
//! reading pane, words selected offer "添加为地名" with a layer (and a kind), which makes the
//! reader find them in every report (`place`, unlocated until someone places it). The layers
//! tab lists the verdicts with who, when and why, each with "撤销" (DELETE, with a reason). After
//! each write the page follows the change at once (`app.followChanges`).
//! Installs `app.decorateVerdicts`, `app.renderVerdicts`.

import { $, askReason, toast } from './dom.js';
import { html } from './html.js';
import { describeWriteError } from './edit-api.js';
import { fmtTime } from './edit-core.js';
import { selectionName, verdictRows } from './feeding.js';

/** Installs the verdict actions and list on `app`. */
export function installVerdicts(app) {
  const { vocab } = app;
  let selected = null; // {name} chosen in the reading pane

  async function afterWrite(change, message) {
    toast(message, 'info', 5000);
    await app.followChanges(change);
  }

  // ------------------------------------------------------------ 不是地名 (feature panel)
  function decorateVerdicts(f) {
    const panel = $('#feature-panel');
    if (!panel || !f || !app.session) return;
    const actions = panel.querySelector('.fp-actions');
    if (!actions || actions.querySelector('[data-testid="verdict-not-place"]')) return;
    const name = f.properties.name;
    actions.insertAdjacentHTML('beforeend', String(html`<button type="button" class="btn btn-quiet" data-testid="verdict-not-place" title="「${name}」不是地名：从所有报告中去掉这一读法">不是地名</button>`));
    actions.querySelector('[data-testid="verdict-not-place"]').addEventListener('click', () => {
      if (panel.querySelector('.fp-verdict')) return;
      const form = document.createElement('form');
      form.className = 'fp-verdict';
      form.dataset.testid = 'verdict-form';
      form.innerHTML = String(html`
        <p><b>「${name}」不是地名</b>：所有报告中不再把它读作地名（可在“地名判定”中撤销）。</p>
        <label for="verdict-note">理由（必填）</label>
        <textarea id="verdict-note" data-testid="verdict-note" rows="2" maxlength="500" placeholder="如 这是句中的一般说法，不指具体地点"></textarea>
        <p class="fp-edit-msg" data-testid="verdict-msg" role="alert"></p>
        <div class="btn-row">
          <button type="submit" class="btn btn-primary" data-testid="verdict-submit">确认</button>
          <button type="button" class="btn btn-quiet" data-act="cancel">取消</button>
        </div>`);
      actions.insertAdjacentElement('afterend', form);
      const note = form.querySelector('#verdict-note');
      note.focus();
      form.querySelector('[data-act="cancel"]').addEventListener('click', () => form.remove());
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const msg = form.querySelector('[data-testid="verdict-msg"]');
        if (!note.value.trim()) { msg.textContent = '请写明理由。'; msg.className = 'fp-edit-msg msg-error'; note.focus(); return; }
        try {
          const { change } = await app.edit.putVerdict(name, { verdict: 'not_place', note: note.value.trim() });
          app.clearSelection();
          await afterWrite(change, `已判定「${name}」不是地名，所有报告中不再标出。`);
        } catch (err) {
          console.warn('planmap: verdict refused', err.message);
          msg.textContent = describeWriteError('提交判定', err);
          msg.className = 'fp-edit-msg msg-error';
        }
      });
    });
  }

  // ------------------------------------------------------------ 添加为地名 (reading pane)
  function readerSelection() {
    const sel = window.getSelection();
    const body = $('#reader-body');
    if (!sel || sel.isCollapsed || !body || !body.contains(sel.anchorNode) || !body.contains(sel.focusNode)) return null;
    return sel.toString();
  }

  function renderAddBar() {
    const bar = $('#reader-add');
    if (!bar) return;
    if (!app.session || !selected) { bar.hidden = true; bar.innerHTML = ''; return; }
    bar.hidden = false;
    bar.innerHTML = String(html`
      <form class="reader-add-form" data-testid="add-place-form">
        <span>已选中「<b data-testid="add-place-name">${selected.name}</b>」</span>
        <label>图层<select id="add-place-layer" data-testid="add-place-layer">${vocab.layers.map((l) => html`<option value="${l}">${vocab.layerMeta(l).title}</option>`)}</select></label>
        <label>类型<input id="add-place-kind" data-testid="add-place-kind" maxlength="20" placeholder="如 街、片区（可空）"></label>
        <label class="grow">理由<input id="add-place-note" data-testid="add-place-note" maxlength="500" placeholder="必填：如 报告点名的老街巷"></label>
        <button type="submit" class="btn btn-primary btn-small" data-testid="add-place-submit">添加为地名</button>
        <button type="button" class="btn btn-quiet btn-small" data-act="cancel">取消</button>
        <span class="fp-edit-msg" data-testid="add-place-msg" role="alert"></span>
      </form>`);
    const form = bar.querySelector('form');
    form.querySelector('[data-act="cancel"]').addEventListener('click', () => { selected = null; renderAddBar(); });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const msg = form.querySelector('[data-testid="add-place-msg"]');
      const note = form.querySelector('#add-place-note').value.trim();
      if (!note) { msg.textContent = '请写明理由。'; msg.className = 'fp-edit-msg msg-error'; form.querySelector('#add-place-note').focus(); return; }
      const { name } = selected;
      try {
        const { change } = await app.edit.putVerdict(name, {
          verdict: 'place', layer: form.querySelector('#add-place-layer').value, kind: form.querySelector('#add-place-kind').value.trim(), note,
        });
        selected = null;
        renderAddBar();
        await afterWrite(change, `已添加地名「${name}」：所有报告中都会读出它（尚未定位，可在地图上标出）。`);
      } catch (err) {
        console.warn('planmap: verdict refused', err.message);
        msg.textContent = describeWriteError('添加地名', err);
        msg.className = 'fp-edit-msg msg-error';
      }
    });
  }

  function onReaderSelect() {
    if (!app.session) return;
    const text = readerSelection();
    if (text === null) return;
    const r = selectionName(text);
    if (!r.ok) return;
    selected = { name: r.name };
    renderAddBar();
  }

  // ------------------------------------------------------------ 地名判定 list (layers tab)
  async function renderVerdicts() {
    const box = $('#verdicts');
    if (!box) return;
    let rows = [];
    try {
      rows = verdictRows(await app.edit.lexicon());
    } catch (err) {
      box.querySelector('.vd-body').innerHTML = String(html`<p class="msg-error">${describeWriteError('加载地名判定', err)}</p>`);
      return;
    }
    box.querySelector('.vd-count').textContent = String(rows.length);
    box.querySelector('.vd-body').innerHTML = String(rows.length ? html`<ul class="plain-list vd-list">${rows.map((v) => html`
      <li class="vd" data-testid="verdict-item" data-name="${v.name}">
        <div class="vd-head"><b>${v.name}</b><span class="badge vd-${v.verdict}">${v.label}</span>
          ${v.layer ? html`<span class="muted small">${vocab.layerMeta(v.layer).title}${v.kind ? ` · ${v.kind}` : ''}</span>` : ''}</div>
        <div class="muted small">${v.editor || '—'} · ${fmtTime(v.at)} · ${v.note || ''}</div>
        ${app.session ? html`<button type="button" class="btn btn-small btn-quiet" data-undo="${v.name}" data-testid="verdict-undo">撤销</button>` : ''}
      </li>`)}</ul>` : html`<p class="empty">还没有地名判定。</p>`);
  }

  function wire() {
    const body = $('#reader-body');
    if (body) {
      body.addEventListener('mouseup', () => setTimeout(onReaderSelect, 0));
      body.addEventListener('keyup', (e) => { if (e.shiftKey) onReaderSelect(); });
    }
    const box = $('#verdicts');
    if (box) {
      box.addEventListener('toggle', () => { if (box.open) renderVerdicts(); });
      box.addEventListener('click', (e) => {
        const b = e.target.closest('button[data-undo]');
        if (!b) return;
        askReason(b.closest('li'), 'beforeend',
          { className: 'vd-undo', placeholder: '撤销理由（必填）', button: '确认撤销', testid: 'verdict-undo' }, async (note) => {
            try {
              const { change } = await app.edit.deleteVerdict(b.dataset.undo, note);
              await afterWrite(change, `已撤销对「${b.dataset.undo}」的判定。`);
            } catch (err) {
              toast(describeWriteError('撤销判定', err), 'error', 8000);
            }
          });
      });
    }
    app.onSessionChange(() => { selected = null; renderAddBar(); if (box && box.open) renderVerdicts(); });
  }

  wire();
  Object.assign(app, { decorateVerdicts, renderVerdicts });
}
