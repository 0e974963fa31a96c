//! Compare mode's lists and map legend: the places new, continued and dropped between two
//! reports, by name, each with its commitment in each report and what changed (compare.js
//! reads the answer); a click or Enter on a name selects its feature (an unlocated one opens
//! its panel and says so). The map gets a legend of the three colours with how many of each
//! it cannot draw. Installs `app.renderCompare`.

import { $ } from './dom.js';
import { html } from './html.js';
import { fmtNumber } from './format.js';
import { COMPARE_KINDS, COMPARE_LABELS, compareLists, targetValue, undrawnSentence } from './compare.js';

/** Installs the compare lists and the map's compare legend on `app`. */
export function installComparePanel(app) {
  const { L } = window;
  const { state, vocab, map } = app;

  const Legend = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd() {
      const div = L.DomUtil.create('div', 'pm-compare-legend');
      div.dataset.testid = 'compare-map-legend';
      L.DomEvent.disableClickPropagation(div);
      return div;
    },
  });
  let legend = null;

  const yearOf = (r) => (r && r.year != null ? `${r.year}年` : (r && r.id) || '');
  const targetsText = (c) => ((c && c.targets) || []).map((t) => `${t.metric} ${targetValue(t, fmtNumber)}`).join('，');

  function commitmentLine(label, c) {
    if (!c) return '';
    const status = c.status ? vocab.stageLabel(c.status) || c.status : '';
    const targets = targetsText(c);
    return html`<div class="cmp-c"><span class="cmp-year">${label}</span>
      ${c.verb ? html`<span class="badge">${c.verb}${status && status !== c.verb ? html` · ${status}` : ''}</span>` : html`<span class="muted">未写明动作</span>`}
      ${targets ? html`<span class="cmp-targets">${targets}</span>` : ''}</div>`;
  }

  function changeLine(r) {
    if (!r.changed) return r.kind === 'continued' ? html`<div class="cmp-change muted">动作与指标未变</div>` : '';
    const parts = [];
    if (r.verbChanged || r.statusChanged) {
      const side = (c) => `${c.verb || '—'}${c.status ? `（${vocab.stageLabel(c.status) || c.status}）` : ''}`;
      parts.push(html`<span>动作 ${side(r.a)} → <b>${side(r.b)}</b></span>`);
    }
    for (const t of r.targets) {
      parts.push(html`<span>${t.metric} ${t.from ? targetValue(t.from, fmtNumber) : '未提'} → <b>${t.to ? targetValue(t.to, fmtNumber) : '未再提'}</b></span>`);
    }
    return html`<div class="cmp-change" data-testid="compare-change">变化：${parts.map((p, i) => html`${i ? '；' : ''}${p}`)}</div>`;
  }

  function rowHtml(r, model) {
    const meta = vocab.layerMeta(r.layer);
    return html`<li class="cmp-row cmp-${r.kind}" data-testid="compare-row" data-kind="${r.kind}" data-place="${r.place}">
      <div class="cmp-head">
        <span class="cmp-swatch" aria-hidden="true"></span>
        ${r.feature ? html`<button type="button" class="link cmp-name" data-fid="${r.feature}">${r.name}</button>` : html`<b>${r.name}</b>`}
        <span class="muted small">${meta.title}${r.kind_label ? ` · ${r.kind_label}` : ''}</span>
        ${r.located ? '' : html`<span class="badge badge-unlocated" data-testid="compare-unlocated" title="地名表中尚无此地的位置，图上不绘制">未定位</span>`}
      </div>
      ${commitmentLine(yearOf(model.a), r.a)}
      ${commitmentLine(yearOf(model.b), r.b)}
      ${changeLine(r)}
    </li>`;
  }

  function renderLegend(model) {
    if (!model) {
      if (legend) { legend.remove(); legend = null; }
      return;
    }
    if (!legend) legend = new Legend().addTo(map);
    const c = model.lists;
    legend.getContainer().innerHTML = String(html`
      <div class="pcl-title">${yearOf(model.a)} → ${yearOf(model.b)}</div>
      ${COMPARE_KINDS.map((k) => html`<div class="pcl-row cmp-${k}"><span class="cmp-swatch"></span>${COMPARE_LABELS[k]} <b>${c[k].length}</b>${model.undrawn[k] ? html`<span class="muted">（${model.undrawn[k]} 项未绘）</span>` : ''}</div>`)}
      <div class="pcl-note" data-testid="compare-undrawn">${undrawnSentence(model.undrawn)}</div>`);
  }

  /** Renders the lists into #compare-summary and the map legend (both empty outside compare). */
  function renderCompare() {
    const box = $('#compare-summary');
    const answer = state.compare && state.compare.answer;
    const model = answer ? compareLists(answer) : null;
    renderLegend(model);
    if (!box) return;
    if (!model) { box.innerHTML = ''; return; }
    box.innerHTML = String(html`
      <h3 class="cmp-title" data-testid="compare-title">${yearOf(model.a)}与${yearOf(model.b)}报告对比</h3>
      <p class="compare-legend">${COMPARE_KINDS.map((k) => html`<a class="cmp-key cmp-${k}" href="#cmp-list-${k}" data-jump="${k}">${COMPARE_LABELS[k]} <b>${model.lists[k].length}</b></a>`)}</p>
      <p class="hint">${undrawnSentence(model.undrawn)}。</p>
      ${COMPARE_KINDS.map((k) => html`<section class="cmp-list" id="cmp-list-${k}" data-testid="compare-list-${k}">
        <h4>${COMPARE_LABELS[k]}（${model.lists[k].length}）<span class="muted small">${k === 'new' ? `仅${yearOf(model.b)}提及` : k === 'dropped' ? `${yearOf(model.a)}提及、${yearOf(model.b)}未再提及` : '两年均提及'}</span></h4>
        ${model.lists[k].length ? html`<ul class="plain-list">${model.lists[k].map((r) => rowHtml(r, model))}</ul>` : html`<p class="empty">无</p>`}
      </section>`)}`);
  }

  function wire() {
    const box = $('#report-picker');
    if (!box || box.dataset.compareWired) return;
    box.dataset.compareWired = 'true';
    box.addEventListener('click', (e) => {
      const jump = e.target.closest('[data-jump]');
      if (jump) {
        e.preventDefault();
        const target = document.getElementById(`cmp-list-${jump.dataset.jump}`);
        if (target) target.scrollIntoView({ behavior: 'smooth', block: 'start' });
        return;
      }
      const btn = e.target.closest('#compare-summary button[data-fid]');
      if (!btn) return;
      app.selectFeature(btn.dataset.fid, { fly: true });
      app.revealMap();
    });
  }

  app.renderCompare = () => { wire(); renderCompare(); };
}
