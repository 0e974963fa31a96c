//! The targets table (指标): every numeric target of the report, per theme, with its owner —
//! 全区 for a district-level target (an aggregate such as 社会消费品零售总额, or a number no
//! place is bound to), else the places the sentence binds it to. Rows come from the report
//! answer's `targets` (`/api/report`), so district targets are listed even though no feature
//! carries them; a place row shows when one of its places passes the map's filters and layers.
//! Installs `app.renderTargets`.

import { $ } from './dom.js';
import { html, join } from './html.js';
import { fmtNumber } from './format.js';
import { passes } from './filters.js';

/** Installs the targets table on `app`. */
export function installTargetsPanel(app) {
  const { state, vocab, catalog } = app;

  /** The theme of a sentence: its section's. */
  function sentenceTheme(report, sentenceId) {
    const s = report.sentences[sentenceId];
    const section = s ? report.sections[s.section_id] : null;
    return (section && section.theme) || '综合';
  }

  function renderTargets() {
    const box = $('#targets-table');
    const report = state.report;
    if (!catalog.size) return;
    if (!report || !report.targets) {
      box.innerHTML = String(html`<p class="empty">报告未能载入，无法列出指标。</p>`);
      return;
    }
    const byTheme = new Map();
    for (const t of report.targets) {
      const places = (t.feature_ids || []).map((id) => catalog.get(id)).filter(Boolean).map((f) => f.properties);
      const district = t.owner === 'district';
      if (!district && !places.some((p) => passes(state.filters, p) && state.layers.has(p.layer))) continue;
      const theme = sentenceTheme(report, t.sentence_id);
      if (state.filters.theme && state.filters.theme !== theme) continue;
      if (!byTheme.has(theme)) byTheme.set(theme, []);
      byTheme.get(theme).push({ t, places, district });
    }
    if (!byTheme.size) {
      box.innerHTML = String(html`<p class="empty">当前图层与筛选条件下没有量化指标。</p>`);
      return;
    }
    const order = report.sections.map((s) => s.theme);
    const rank = (t) => { const i = order.indexOf(t); return i < 0 ? 99 : i; };
    const themes = Array.from(byTheme.keys()).sort((a, b) => rank(a) - rank(b));
    box.innerHTML = String(html`${themes.map((theme) => {
      const rows = byTheme.get(theme);
      return html`
        <div class="tgroup">
          <h3 class="group-head" style="--c:${vocab.themeColor(theme)}"><span class="dot"></span>${theme}<span class="muted">${rows.length} 项指标</span></h3>
          <table class="targets wide"><thead><tr><th>指标</th><th>目标值</th><th>归属</th></tr></thead><tbody>
          ${rows.map(({ t, places, district }) => html`<tr title="${t.text}" data-sentence="${t.sentence_id}"><td>${t.metric}</td><td class="num"><b>${fmtNumber(t.value)}</b> ${t.unit}</td>
            <td>${district ? html`<span class="muted">全区</span>` : join(places.map((p) => html`<button type="button" class="link" data-fid="${p.id}">${p.name}</button>`), '、')}</td></tr>`)}
          </tbody></table>
        </div>`;
    })}`);
  }

  Object.assign(app, { renderTargets });
}
