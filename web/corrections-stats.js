//! "自动定位有多准": the panel of `GET /api/corrections/stats`. Per match tier of the automatic
//! placement: how many features it placed, how many planners corrected (and what share), and the
//! median and 90th-percentile distance in metres between the automatic and the corrected
//! placement. Loaded when the panel is opened and again after each correction.
//! Installs `app.refreshCorrectionsStats` (renders into `#corrections-stats`).

import { $ } from './dom.js';
import { html } from './html.js';
import { fmtNumber } from './format.js';
import { MATCH_LABELS } from './cards.js';
import { describeWriteError } from './edit-api.js';
import { statsRows } from './edit-core.js';

const TIER_WORDS = { curated: '人工修正' };

function metres(v) {
  return v == null ? html`<span class="muted">—</span>` : `${fmtNumber(Math.round(v))} m`;
}

/** The table of the statistics, as `Html`. */
export function statsTable(rows) {
  if (!rows.length) return html`<p class="empty">服务器尚无统计。</p>`;
  const total = rows.reduce((a, r) => ({ features: a.features + r.features, corrected: a.corrected + r.corrected }), { features: 0, corrected: 0 });
  return html`
    <table class="cs-table" data-testid="corrections-stats-table">
      <thead><tr><th scope="col">定位方式</th><th scope="col">要素</th><th scope="col">已修正</th><th scope="col" title="修正移动距离的中位数">中位</th><th scope="col" title="修正移动距离的 90% 分位数">P90</th></tr></thead>
      <tbody>${rows.map((r) => html`
        <tr data-tier="${r.tier}">
          <th scope="row">${MATCH_LABELS[r.tier] || TIER_WORDS[r.tier] || r.tier}</th>
          <td>${fmtNumber(r.features)}</td>
          <td>${fmtNumber(r.corrected)}${r.share != null && r.corrected ? html`<small class="muted">${(r.share * 100).toFixed(r.share < 0.1 ? 1 : 0)}%</small>` : ''}${r.measured != null && r.corrected > r.measured ? html`<small class="muted">${fmtNumber(r.corrected - r.measured)} 项无自动位置可比</small>` : ''}</td>
          <td>${metres(r.median_m)}</td>
          <td>${metres(r.p90_m)}</td>
        </tr>`)}</tbody>
      <tfoot><tr><th scope="row">合计</th><td>${fmtNumber(total.features)}</td><td>${fmtNumber(total.corrected)}</td><td></td><td></td></tr></tfoot>
    </table>`;
}

/** Installs the statistics panel on `app`. */
export function installCorrectionsStats(app) {
  const root = $('#corrections-stats');
  const body = root && root.querySelector('.cs-body');
  let loaded = false;

  async function refresh() {
    if (!body || !root.open) { loaded = false; return; }
    loaded = true;
    try {
      const rows = statsRows(await app.edit.stats());
      body.innerHTML = String(html`
        ${statsTable(rows)}
        <p class="hint">中位 / P90：规划人员修正后的位置与自动定位之间的距离（两者几何中心之间），只计已修正且原有自动位置的要素。</p>`);
    } catch (err) {
      body.innerHTML = String(html`<p class="hv-msg msg-error" role="alert">${describeWriteError('加载定位统计', err)}</p>`);
    }
  }

  if (root) root.addEventListener('toggle', () => { if (root.open && !loaded) refresh(); });
  app.refreshCorrectionsStats = refresh;
}
