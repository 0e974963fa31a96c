//! The targets table: the numeric targets of the report, per theme, one row per distinct target
//! of a sentence with the places planned in it; filtered like the map, only for active layers.
//! Installs `app.renderTargets`.

import { $ } from './dom.js';
import { html, join } from './html.js';
import { fmtNumber } from './format.js';
import { passes } from './filters.js';

/** Installs the targets table on `app`. */
export function installTargetsPanel(app) {
  const { state, vocab, catalog } = app;

  function renderTargets() {
    const box = $('#targets-table');
    if (!catalog.size) return;
    const byTheme = new Map();
    for (const f of catalog.values()) {
      const p = f.properties;
      if (!passes(state.filters, p) || !state.layers.has(p.layer)) continue;
      for (const t of p.targets || []) {
        const theme = p.theme || '综合';
        if (!byTheme.has(theme)) byTheme.set(theme, new Map());
        const key = `${t.metric}|${t.value}|${t.unit}|${t.text}`;
        const rows = byTheme.get(theme);
        if (!rows.has(key)) rows.set(key, { t, places: [] });
        rows.get(key).places.push(p);
      }
    }
    if (!byTheme.size) {
      box.innerHTML = String(html`<p class="empty">当前图层与筛选条件下没有量化指标。</p>`);
      return;
    }
    const order = state.report ? state.report.sections.map((s) => s.theme) : [];
    const rank = (t) => { const i = order.indexOf(t); return i < 0 ? 99 : i; };
    const themes = Array.from(byTheme.keys()).sort((a, b) => rank(a) - rank(b));
    box.innerHTML = String(html`${themes.map((theme) => {
      const rows = Array.from(byTheme.get(theme).values());
      return html`
        <div class="tgroup">
          <h3 class="group-head" style="--c:${vocab.themeColor(theme)}"><span class="dot"></span>${theme}<span class="muted">${rows.length} 项指标</span></h3>
          <table class="targets wide"><thead><tr><th>指标</th><th>目标值</th><th>相关地点</th></tr></thead><tbody>
          ${rows.map(({ t, places }) => html`<tr title="${t.text}"><td>${t.metric}</td><td class="num"><b>${fmtNumber(t.value)}</b> ${t.unit}</td>
            <td>${join(places.map((p) => html`<button type="button" class="link" data-fid="${p.id}">${p.name}</button>`), '、')}</td></tr>`)}
          </tbody></table>
        </div>`;
    })}`);
  }

  Object.assign(app, { renderTargets });
}
