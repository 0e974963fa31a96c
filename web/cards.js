//! HTML pieces that several panels share: status and match badges, a targets table, the
//! placement's source note, a street's planned segments, and a feature as a list item (near
//! list, district-wide lists).
//! Pure: features and the vocabulary in, `Html` out (everything through html.js).

import { html } from './html.js';
import { fmtDistance, fmtNumber, quoteExcerpt } from './format.js';
import { highlightNames } from './marks.js';

/** How a feature was located, in words. */
export const MATCH_LABELS = {
  exact: '精确：来源几何', alias: '别名匹配', part_of: '按所属区域定位', anchor: '按邻近锚点推定',
  unlocated: '未定位', curated: '人工修正',
};

/** The report's verb and its status, as a badge. */
export function statusBadge(action, vocab) {
  if (!action) return '';
  const label = vocab.statusLabel(action.status) || action.status || '';
  return html`<span class="badge status-${action.status}" title="报告用词：${action.verb}">${action.verb || ''}${label ? html` · ${label}` : ''}</span>`;
}

/** How the feature was located, as a badge. */
export function matchBadge(loc) {
  if (!loc) return '';
  return html`<span class="badge match-${loc.match}">${MATCH_LABELS[loc.match] || loc.match}</span>`;
}

/** A feature's targets as a two-column table. */
export function targetsTable(targets) {
  if (!targets || !targets.length) return '';
  return html`<table class="targets"><tbody>${targets.map((t) => html`
      <tr title="${t.text}"><th>${t.metric}</th><td><b>${fmtNumber(t.value)}</b> ${t.unit}</td></tr>`)}
      </tbody></table>`;
}

/** The server's explanation of a placement; a long one folds so the panel stays scannable. */
export function sourceNote(source) {
  if (!source) return '';
  const chars = Array.from(source);
  if (chars.length <= 80) return html`<div class="muted small">依据：${source}</div>`;
  return html`<details class="fp-source muted small"><summary>依据：${chars.slice(0, 48).join('')}…</summary>${source}</details>`;
}

/** The segments of a street that are drawn (the map shows only these stretches), else []. */
export function drawnSegments(p) {
  return (p.segments || []).filter((s) => s.drawn);
}

/** A segment in the report's words: `长滨路 菜园坝至储奇门段`. */
export function segmentName(name, s) {
  return `${name} ${s.from}至${s.to}段`;
}

/** A street's planned segments, each with whether it is drawn and, if not, why. */
export function segmentsList(p) {
  const segments = p.segments || [];
  if (!segments.length) return '';
  return html`<ul class="fp-segments">${segments.map((s) => html`
      <li data-testid="feature-segment">${segmentName(p.name, s)}${s.drawn
        ? html` <span class="muted small">（图上只画出此段）</span>`
        : html` <span class="muted small">（未单独画出：${s.reason || ''}）</span>`}</li>`)}</ul>`;
}

/** The symbol span of a layer/kind, in `color` when given (the map's colour by stage). */
export function symbol(vocab, layer, kind, color = null) {
  return html`<span class="sym sym-${vocab.layerMeta(layer).symbol} sym-small" style="--c:${color || vocab.kindColor(layer, kind)}"></span>`;
}

/** A near distance with its range widened by the uncertainty: `220 m（约 0–1.72 km）`. */
export function distanceWithRange(distance, range) {
  if (!range || range.length !== 2 || (range[0] === distance && range[1] === distance)) return fmtDistance(distance);
  return `${distance < 1 ? '0 m' : fmtDistance(distance)}（${fmtRangeM(range[0])}–${fmtDistance(range[1])}）`;
}

function fmtRangeM(m) {
  return m < 1 ? '0' : fmtDistance(m);
}

/** A feature as a list item; with `distance` it is a near item, `compact` drops quote and badges. */
export function listItem(f, { vocab, names, distance = null, compact = false, color = null }) {
  const p = f.properties;
  const targets = (p.targets || []).slice(0, 3).map((t) => html`<span class="tchip" title="${t.text}">${t.metric} <b>${fmtNumber(t.value)}</b>${t.unit}</span>`);
  const loc = p.location;
  const testid = distance != null ? html`data-testid="near-item" data-distance="${distance}"` : html`data-testid="feature-item"`;
  return html`
      <li class="feature-item${compact ? ' compact' : ''}" data-fid="${p.id}" ${testid} tabindex="0">
        <div class="fi-row">
          ${symbol(vocab, p.layer, p.kind, color)}
          <span class="fi-name">${p.name}</span>
          <span class="fi-kind">${p.kind || ''}</span>
          ${drawnSegments(p).length ? html`<span class="fi-seg badge" title="${drawnSegments(p).map((s) => segmentName(p.name, s)).join('、')}">段</span>` : ''}
          ${distance != null ? html`<span class="fi-dist" title="图上距离（按定位误差放宽后的范围）">${distanceWithRange(distance, p.distance_range_m)}</span>` : ''}
        </div>
        ${compact ? '' : html`<div class="fi-meta">${statusBadge(p.action, vocab)}${loc && loc.uncertainty_m ? html`<span class="badge match-${loc.match}" title="定位误差半径">±${fmtNumber(loc.uncertainty_m)} m</span>` : ''}${targets}</div>
        <p class="fi-quote">${highlightNames(quoteExcerpt(p.quote, p.name), p.name, names)}</p>`}
      </li>`;
}
