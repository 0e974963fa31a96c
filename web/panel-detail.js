//! The feature panel: name, layer and kind, theme, status and match badges, section, the
//! planning verb, how it was located and how uncertain, a street's planned segments and the
//! length drawn, its targets, the quote with place names
//! marked, its mentions in the report, and actions (zoom, near, show in report, close).
//! Installs `app.renderDetail`.

import { $ } from './dom.js';
import { html } from './html.js';
import { fmtDistance, fmtNumber, sectionLabel } from './format.js';
import { highlightNames } from './marks.js';
import { MATCH_LABELS, drawnSegments, matchBadge, segmentName, segmentsList, sourceNote, statusBadge, targetsTable } from './cards.js';

const EMPTY = html`<p class="empty">点击地图上的要素、列表中的条目或搜索结果，查看其在报告中的规划内容。</p>`;

function uncertaintyText(f, loc) {
  if (loc.match === 'unlocated' || !f.geometry) return html`<span class="muted">${f.properties.scope === 'district' ? '全区性事项，适用于整个渝中区' : '尚未定位（地名表中没有此地）'}</span>`;
  return loc.uncertainty_m ? `约 ±${fmtNumber(loc.uncertainty_m)} m` : '来源几何，误差可忽略';
}

/** Installs the feature panel on `app`. */
export function installDetailPanel(app) {
  const { vocab } = app;

  function renderDetail(f) {
    const panel = $('#feature-panel');
    if (!f) {
      panel.innerHTML = String(EMPTY);
      delete panel.dataset.fid;
      if (app.decorateDetail) app.decorateDetail(panel, null);
      return;
    }
    const p = f.properties;
    const loc = p.location || {};
    const mentions = p.mentions || [];
    const color = vocab.kindColor(p.layer, p.kind);
    const meta = vocab.layerMeta(p.layer);
    const section = sectionLabel(p.section);
    panel.dataset.fid = p.id;
    panel.innerHTML = String(html`
      <div class="fp-head" style="--c:${color}">
        <div class="fp-kind"><span class="sym sym-${meta.symbol} sym-small" style="--c:${color}"></span>${meta.title} · ${p.kind || ''}</div>
        <h2 class="fp-name" data-testid="feature-name">${p.name}</h2>
        ${drawnSegments(p).length ? html`<div class="fp-segment">${drawnSegments(p).map((s) => segmentName(p.name, s)).join('、')}</div>` : ''}
        <div class="fp-badges">
          ${p.theme ? html`<span class="badge theme" style="--c:${vocab.themeColor(p.theme)}">${p.theme}</span>` : ''}
          ${statusBadge(p.action, vocab)}
          ${matchBadge(loc)}
        </div>
      </div>
      <dl class="fp-facts">
        <dt>报告章节</dt><dd>${section || html`<span class="muted">—</span>`}</dd>
        <dt>规划动作</dt><dd>${p.action ? `${p.action.verb}（${vocab.statusLabel(p.action.status) || p.action.status}）` : html`<span class="muted">报告未写明</span>`}</dd>
        <dt>定位方式</dt><dd>${MATCH_LABELS[loc.match] || loc.match || '—'}${sourceNote(loc.source)}</dd>
        <dt>位置误差</dt><dd>${uncertaintyText(f, loc)}${loc.confidence != null ? html`<span class="muted small"> · 可信度 ${Math.round(loc.confidence * 100)}%</span>` : ''}</dd>
        ${p.segments && p.segments.length ? html`<dt>规划路段</dt><dd>${segmentsList(p)}</dd>` : ''}
        ${p.length_m ? html`<dt>图上长度</dt><dd>${fmtDistance(p.length_m)}</dd>` : ''}
      </dl>
      ${p.targets && p.targets.length ? html`<h3>量化指标</h3>${targetsTable(p.targets)}` : ''}
      <h3>报告原文</h3>
      <blockquote class="fp-quote" data-testid="feature-quote">${highlightNames(p.quote, p.name, app.names)}</blockquote>
      ${mentions.length ? html`<div class="fp-mentions">原文提及 ${mentions.length} 处：${mentions.map((m, i) => html`<button type="button" class="chip" data-goto-mention="${m.start}">第 ${i + 1} 处</button>`)}</div>` : ''}
      <div class="fp-actions">
        ${f.geometry ? html`<button type="button" class="btn" data-act="zoom">缩放至</button><button type="button" class="btn" data-act="near">查询周边</button>` : ''}
        <button type="button" class="btn" data-act="read" data-testid="show-in-report">在报告中定位</button>
        <button type="button" class="btn btn-quiet" data-act="clear">关闭</button>
      </div>`);
    panel.querySelectorAll('[data-goto-mention]').forEach((b) => b.addEventListener('click', () => {
      app.showReader();
      app.scrollToMention(Number(b.dataset.gotoMention));
    }));
    panel.querySelector('[data-act="read"]').addEventListener('click', () => {
      app.showReader();
      app.markReaderSelection(p.id, true);
    });
    panel.querySelector('[data-act="clear"]').addEventListener('click', app.clearSelection);
    const zoomBtn = panel.querySelector('[data-act="zoom"]');
    if (zoomBtn) zoomBtn.addEventListener('click', () => app.flyToFeatures([f]));
    const nearBtn = panel.querySelector('[data-act="near"]');
    if (nearBtn) nearBtn.addEventListener('click', () => {
      const b = app.geometryBounds([f]);
      if (b) { app.queryNear(b.getCenter()); app.showTab('near'); }
    });
    // Correcting the placement and its history (edit.js, history.js).
    if (app.decorateDetail) app.decorateDetail(panel, f);
  }

  Object.assign(app, { renderDetail });
}
