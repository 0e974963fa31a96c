//! Several reports on the page: the report selector (one, several or all; the newest by
//! default), the compare mode (two reports, places coloured new / continued / dropped; the
//! lists are panel-compare.js), and a place's timeline in the feature panel (every report that
//! commits to it, in time order: year, verb and status, targets, quote).
//! Installs `app.reportParam`, `app.reportOrder`, `app.compareClass`, `app.buildReportPicker`,
//! `app.buildReaderChoice`, `app.setReports`, `app.setCompare`, `app.fitCompare`, `app.renderTimeline`. The page's reloading on a new
//! selection is `app.onReportsChanged` (main.js).

import { $ } from './dom.js';
import { html } from './html.js';
import { fmtNumber } from './format.js';
import { compareClasses, reportLabel, reportOrder, reportParam } from './reports.js';

/** Installs the report selector, compare mode and timeline on `app`. */
export function installReports(app) {
  const { state, api, vocab } = app;
  let classes = new Map();
  const places = new Map(); // place id -> /api/places answer

  app.reportParam = () => reportParam(state.selectedReports, state.reportList);
  app.reportOrder = () => reportOrder(state.reportList);
  app.compareClass = (place) => (state.compare && place ? classes.get(place) || null : null);

  function reports() {
    return (state.reportList && state.reportList.reports) || [];
  }

  function buildReportPicker() {
    const box = $('#report-picker');
    if (!box) return;
    const list = reports();
    const options = (selected) => list.map((r) => html`<option value="${r.id}" ${r.id === selected ? 'selected' : ''}>${reportLabel(r)} · ${r.id}</option>`);
    const n = list.length;
    const a = state.compare ? state.compare.a : (n > 1 ? list[n - 2].id : (list[0] || {}).id);
    const b = state.compare ? state.compare.b : (list[n - 1] || {}).id;
    box.innerHTML = String(html`
      <ul class="report-list" data-testid="report-list">
        ${list.map((r) => html`<li><label title="${r.title}">
          <input type="checkbox" data-report="${r.id}" ${state.selectedReports.includes(r.id) ? 'checked' : ''}>
          <span class="report-year">${reportLabel(r)}</span>
          <span class="report-title">${r.title}</span>
          <span class="muted small">${fmtNumber(r.counts.features)} 项</span>
        </label></li>`)}
      </ul>
      <div class="report-actions">
        <button type="button" class="btn btn-quiet" data-reports="newest" data-testid="reports-newest">最新</button>
        <button type="button" class="btn btn-quiet" data-reports="all" data-testid="reports-all">全部</button>
      </div>
      ${n > 1 ? html`<div class="compare-box">
        <div class="compare-pick">
          <select id="compare-a" aria-label="对比：较早的报告">${options(a)}</select>
          <span aria-hidden="true">→</span>
          <select id="compare-b" aria-label="对比：较新的报告">${options(b)}</select>
        </div>
        <button type="button" class="btn" id="compare-go" data-testid="compare-go">对比两份报告</button>
        ${state.compare ? html`<button type="button" class="btn btn-quiet" id="compare-off" data-testid="compare-off">退出对比</button>` : ''}
        <div id="compare-summary" class="compare-summary" data-testid="compare-summary"></div>
      </div>` : ''}`);
    box.querySelectorAll('input[data-report]').forEach((input) => input.addEventListener('change', () => {
      const ids = Array.from(box.querySelectorAll('input[data-report]:checked')).map((i) => i.dataset.report);
      setReports(ids.length ? ids : [input.dataset.report]);
    }));
    box.querySelectorAll('[data-reports]').forEach((btn) => btn.addEventListener('click', () => {
      const order = app.reportOrder();
      setReports(btn.dataset.reports === 'all' ? order.slice() : order.slice(-1));
    }));
    if (app.renderCompare) app.renderCompare();
    const go = $('#compare-go');
    if (go) go.addEventListener('click', () => setCompare($('#compare-a').value, $('#compare-b').value));
    const off = $('#compare-off');
    if (off) off.addEventListener('click', () => setCompare(null));
  }

  function targetText(targets) {
    return (targets || []).map((t) => `${t.metric} ${fmtNumber(t.value)}${t.unit}`).join('，') || '—';
  }

  /** Selects reports (ids) and reloads what depends on them (unless `reload` is false). */
  function setReports(ids, { reload = true } = {}) {
    const order = app.reportOrder();
    state.selectedReports = order.filter((id) => ids.includes(id));
    if (state.compare && !(state.selectedReports.length === 2
      && state.selectedReports.includes(state.compare.a) && state.selectedReports.includes(state.compare.b))) {
      state.compare = null;
      classes = new Map();
    }
    buildReportPicker();
    return reload ? app.onReportsChanged() : null;
  }

  /** Compares report `a` with `b` (null: leaves compare mode). */
  async function setCompare(a, b, { reload = true } = {}) {
    if (!a || !b || a === b) {
      if (a && a === b) app.reportError('对比', new Error('请选择两份不同的报告'));
      state.compare = null;
      classes = new Map();
      buildReportPicker();
      return reload ? app.onReportsChanged() : null;
    }
    try {
      const answer = await api.getJSON(`/api/reports/${encodeURIComponent(a)}/compare/${encodeURIComponent(b)}`);
      state.compare = { a, b, answer };
      classes = compareClasses(answer);
      const done = await setReports([a, b], { reload });
      // Asked for on the page (not restored from a link with its own view): show the places.
      if (reload) fitCompare();
      return done;
    } catch (err) {
      app.reportError('对比报告', err);
      return null;
    }
  }

  /** Flies to the located places of the comparison (its new, continued and dropped ones). */
  function fitCompare() {
    const answer = state.compare && state.compare.answer;
    if (!answer) return;
    const ids = [...(answer.new || []).map((p) => p.commitment.feature), ...(answer.dropped || []).map((p) => p.commitment.feature),
      ...(answer.continued || []).map((p) => p.b.feature)];
    app.flyToFeatures(ids.map((id) => app.catalog.get(id)).filter((f) => f && f.geometry));
  }

  async function renderTimeline(f) {
    const panel = $('#feature-panel');
    if (!f || !panel || !f.properties.place) return;
    const place = f.properties.place;
    const fid = f.properties.id;
    let answer = places.get(place);
    if (!answer) {
      try {
        answer = await api.getJSON(`/api/places/${encodeURIComponent(place)}`);
        places.set(place, answer);
      } catch (err) {
        app.reportError('加载历年承诺', err);
        return;
      }
    }
    if (panel.dataset.fid !== fid) return; // another feature was selected meanwhile
    const old = panel.querySelector('.fp-timeline');
    if (old) old.remove();
    const byId = new Map(reports().map((r) => [r.id, r]));
    const section = document.createElement('section');
    section.className = 'fp-timeline';
    section.dataset.testid = 'timeline';
    const items = answer.commitments || [];
    section.innerHTML = String(html`
      <h3>历年承诺 <span class="muted small">${items.length} 份报告提及</span></h3>
      <ol class="timeline">
        ${items.map((c) => html`<li class="${c.feature === fid ? 'current' : ''}">
          <div class="tl-head">
            <button type="button" class="link" data-fid="${c.feature}">${byId.has(c.report) ? reportLabel(byId.get(c.report)) : c.report}</button>
            ${c.verb ? html`<span class="badge">${c.verb}${c.status ? html` · ${vocab.statusLabel(c.status) || c.status}` : ''}</span>` : html`<span class="muted small">未写明动作</span>`}
          </div>
          ${c.targets && c.targets.length ? html`<div class="tl-targets small">${targetText(c.targets)}</div>` : ''}
          <blockquote class="tl-quote small">${c.quote}</blockquote>
        </li>`)}
      </ol>`);
    section.addEventListener('click', (e) => {
      const btn = e.target.closest('button[data-fid]');
      if (btn && btn.dataset.fid !== fid) app.selectFeature(btn.dataset.fid, { fly: true });
    });
    const actions = panel.querySelector('.fp-actions');
    panel.insertBefore(section, actions || null);
  }

  /** The reading pane's choice of report, shown when several are selected. */
  function buildReaderChoice() {
    const sel = $('#reader-report');
    if (!sel) return;
    const byId = new Map(reports().map((r) => [r.id, r]));
    const ids = state.selectedReports;
    sel.hidden = ids.length < 2;
    sel.innerHTML = String(html`${ids.map((id) => html`<option value="${id}" ${id === state.readingReport ? 'selected' : ''}>${byId.has(id) ? reportLabel(byId.get(id)) : id}</option>`)}`);
    if (!sel.dataset.wired) {
      sel.dataset.wired = 'true';
      sel.addEventListener('change', () => app.readReport(sel.value));
    }
  }

  /** Forgets the places' commitments fetched so far (after a change on the server). */
  const forgetPlaces = () => places.clear();

  Object.assign(app, { buildReportPicker, buildReaderChoice, setReports, setCompare, fitCompare, renderTimeline, forgetPlaces });
}
