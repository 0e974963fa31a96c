//! The feature panel's "修改历史" tab: every version of a feature's placement, newest first, with
//! who saved it, when, from what source and why (the 留痕 of a planning map), read from the
//! public `GET …/placements`. A signed-in editor can "恢复此版本" (put that version's geometry,
//! uncertainty and source back, with a reason) or "恢复自动定位" (DELETE); both send `If-Match`
//! of the newest version listed, so a stale history is refused with the same 412 message.
//! Installs `app.installHistoryTab(panel, feature)`.

import { $ } from './dom.js';
import { html } from './html.js';
import { fmtNumber } from './format.js';
import { currentVersion, describeWriteError, WriteError } from './edit-api.js';
import { conflictSentence, fmtTime, readCorrectionForm, versionKindLabel } from './edit-core.js';

/** Installs the history tab on `app`. */
export function installHistory(app) {
  let openFor = null; // the feature whose history tab is open, kept across panel re-renders
  let view = null; // {id, layer, versions, version, pending: {kind, version}|null, message}

  function versionItem(v, current, signedIn) {
    const isCurrent = v.version === current;
    const canRestore = signedIn && !isCurrent && v.kind !== 'revert' && v.geometry;
    return html`
      <li class="hv" data-version="${v.version}" data-testid="history-item">
        <div class="hv-head"><b>第 ${v.version} 版</b><span class="badge hv-kind-${v.kind}">${versionKindLabel(v.kind)}</span>
          ${isCurrent ? html`<span class="badge hv-current">当前</span>` : ''}<time class="muted" datetime="${v.at}">${fmtTime(v.at)}</time></div>
        <dl class="hv-facts">
          <dt>修改人</dt><dd data-testid="history-editor">${v.editor || '—'}</dd>
          ${v.kind !== 'revert' ? html`<dt>来源</dt><dd>${v.source || '—'}</dd>` : ''}
          <dt>说明</dt><dd data-testid="history-note">${v.note || '—'}</dd>
          ${v.kind !== 'revert' && v.uncertainty_m != null ? html`<dt>误差</dt><dd>约 ±${fmtNumber(v.uncertainty_m)} m</dd>` : ''}
          ${v.replaced != null ? html`<dt>取代</dt><dd>第 ${v.replaced} 版${v.replaced === 0 ? '（自动定位）' : ''}</dd>` : ''}
        </dl>
        ${canRestore ? html`<button type="button" class="btn btn-small" data-act="restore" data-version="${v.version}" data-testid="history-restore">恢复此版本</button>` : ''}
      </li>`;
  }

  function confirmForm(pending) {
    const what = pending.kind === 'revert' ? '恢复自动定位' : `恢复第 ${pending.version} 版`;
    return html`
      <form class="hv-confirm" data-testid="history-confirm" aria-label="${what}">
        <label for="hv-note">${what}：说明（必填）</label>
        <textarea id="hv-note" rows="2" maxlength="2000" data-testid="history-note-input" placeholder="为什么恢复：如 新位置经核实有误"></textarea>
        <div class="btn-row">
          <button type="submit" class="btn btn-primary" data-testid="history-confirm-submit">确认${what}</button>
          <button type="button" class="btn btn-quiet" data-act="cancel-confirm">取消</button>
        </div>
      </form>`;
  }

  function render(section) {
    if (!view) return;
    const signedIn = !!app.session;
    const corrected = view.versions.length && view.versions[0].kind !== 'revert';
    const msg = view.message;
    section.innerHTML = String(html`
      <h3>位置修改历史</h3>
      <p class="hint">每次修正与恢复都留有记录：谁、何时、依据什么、为什么。${signedIn ? '' : '登录编辑账号后可恢复旧版本。'}</p>
      ${msg ? html`<div class="hv-msg msg-${msg.kind}" role="alert" data-testid="history-message">${msg.text}
        ${msg.conflict ? html`<button type="button" class="btn btn-small" data-act="reload" data-testid="history-reload">载入最新历史</button>` : ''}</div>` : ''}
      ${signedIn && corrected ? html`<div class="btn-row"><button type="button" class="btn" data-act="revert" data-testid="history-revert">恢复自动定位</button></div>` : ''}
      ${view.pending ? confirmForm(view.pending) : ''}
      ${view.versions.length
    ? html`<ol class="hv-list" reversed>${view.versions.map((v) => versionItem(v, view.version, signedIn))}</ol>`
    : html`<p class="empty" data-testid="history-empty">尚无人工修正：当前为自动定位（第 0 版）。</p>`}`);
    section.querySelectorAll('[data-act="restore"]').forEach((b) => b.addEventListener('click', () => {
      view.pending = { kind: 'put', version: Number(b.dataset.version) };
      render(section);
    }));
    const on = (sel, fn) => { const el = section.querySelector(sel); if (el) el.addEventListener('click', fn); };
    on('[data-act="revert"]', () => { view.pending = { kind: 'revert' }; render(section); });
    on('[data-act="reload"]', () => load(section, view.id, view.layer));
    on('[data-act="cancel-confirm"]', () => { view.pending = null; render(section); });
    const form = section.querySelector('.hv-confirm');
    if (form) {
      form.addEventListener('submit', (e) => { e.preventDefault(); apply(section, form.querySelector('textarea').value); });
      form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { view.pending = null; render(section); } });
      form.querySelector('textarea').focus();
    }
  }

  async function load(section, id, layer) {
    section.innerHTML = String(html`<h3>位置修改历史</h3><p class="empty">加载中…</p>`);
    try {
      const versions = await app.edit.placements(layer, id);
      view = { id, layer, versions, version: currentVersion(versions), pending: null, message: null };
      render(section);
    } catch (err) {
      section.innerHTML = String(html`<h3>位置修改历史</h3><p class="hv-msg msg-error" role="alert">${describeWriteError('加载历史', err)}</p>`);
    }
  }

  async function apply(section, noteText) {
    const { pending, id, layer } = view;
    const note = readCorrectionForm({ uncertainty: '0', source: '-', note: noteText });
    if (!note.ok) { view.message = { kind: 'error', text: note.errors.note }; render(section); return; }
    try {
      let result;
      if (pending.kind === 'revert') {
        result = await app.edit.revertPlacement(layer, id, note.value.note, view.version);
      } else {
        const v = view.versions.find((x) => x.version === pending.version);
        result = await app.edit.putPlacement(layer, id, {
          geometry: v.geometry, uncertainty_m: v.uncertainty_m, source: v.source, note: note.value.note,
        }, view.version);
      }
      view = null;
      openFor = id;
      const what = pending.kind === 'revert' ? '已恢复自动定位' : `已恢复第 ${pending.version} 版`;
      await app.afterPlacementChange(id, result.feature, `${what}${result.version != null ? `（记为第 ${result.version} 版）` : ''}。`);
    } catch (err) {
      view.pending = null;
      if (err instanceof WriteError && err.status === 412) {
        let latest = null;
        try { latest = (await app.edit.placements(layer, id))[0] || null; } catch (_) { /* the sentence stands alone */ }
        view.message = { kind: 'error', conflict: true, text: `${conflictSentence(latest)}` };
      } else {
        if (err instanceof WriteError && err.status === 401) app.signOut();
        view.message = { kind: 'error', text: describeWriteError(pending.kind === 'revert' ? '恢复自动定位' : '恢复', err) };
      }
      render(section);
    }
  }

  function select(panel, tab) {
    const showHistory = tab === 'history';
    panel.classList.toggle('show-history', showHistory);
    panel.querySelectorAll('.fp-subtabs [role="tab"]').forEach((b) => {
      const on = b.dataset.sub === tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      b.classList.toggle('on', on);
    });
    panel.querySelector('.fp-history').hidden = !showHistory;
  }

  function installHistoryTab(panel, f) {
    const p = f.properties;
    const head = panel.querySelector('.fp-head');
    if (!head) return;
    head.insertAdjacentHTML('afterend', String(html`
      <div class="fp-subtabs" role="tablist" aria-label="要素信息">
        <button type="button" role="tab" data-sub="info" id="fp-tab-info" data-testid="fp-tab-info" aria-controls="feature-panel">概况</button>
        <button type="button" role="tab" data-sub="history" id="fp-tab-history" data-testid="fp-tab-history" aria-controls="fp-history">修改历史</button>
      </div>`));
    panel.insertAdjacentHTML('beforeend', String(html`<section class="fp-history" id="fp-history" data-testid="history" role="tabpanel" aria-labelledby="fp-tab-history" hidden></section>`));
    const section = panel.querySelector('.fp-history');
    const tabs = panel.querySelectorAll('.fp-subtabs [role="tab"]');
    tabs.forEach((b) => {
      b.addEventListener('click', () => {
        select(panel, b.dataset.sub);
        if (b.dataset.sub === 'history') { openFor = p.id; load(section, p.id, p.layer); } else openFor = null;
      });
      // Arrow keys move between the two tabs, as a tablist should.
      b.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        const other = Array.from(tabs).find((x) => x !== b);
        other.focus();
        other.click();
      });
    });
    if (openFor === p.id) {
      select(panel, 'history');
      load(section, p.id, p.layer);
    } else {
      openFor = null;
      select(panel, 'info');
    }
  }

  Object.assign(app, { installHistoryTab, historyElement: () => $('#fp-history') });
}
