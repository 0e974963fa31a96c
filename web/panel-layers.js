//! The layers panel: one toggle per planned layer with its symbol and counts (drawn in view,
//! district-wide, total in the report), a legend of kinds with counts from the catalogue, the
//! district-wide (unlocated) list, and the theme / section / status filters.
//! Installs `app.buildLayerList`, `app.syncLayerToggles`, `app.updateLayerCounts`,
//! `app.updateKindLegend`, `app.updateUnlocatedList`, `app.buildFilterOptions`,
//! `app.onFiltersChanged`.

import { $, $$ } from './dom.js';
import { html } from './html.js';
import { truncate } from './format.js';
import { FILTER_KEYS } from './filters.js';
import { listItem } from './cards.js';

/** Installs the layers panel on `app`. */
export function installLayersPanel(app) {
  const { state, vocab, catalog } = app;

  function buildLayerList() {
    const ul = $('#layer-list');
    ul.innerHTML = String(html`${vocab.layers.map((layer) => {
      const meta = vocab.layerMeta(layer);
      return html`
      <li class="layer-item" data-layer="${layer}">
        <label class="layer-head">
          <input type="checkbox" data-testid="layer-toggle-${layer}" data-layer-toggle="${layer}" ${state.layers.has(layer) ? 'checked' : ''}>
          <span class="sym sym-${meta.symbol}" style="--c:${meta.color}"></span>
          <span class="layer-title">${meta.title}<small>${meta.note}</small></span>
          <span class="layer-count" data-testid="layer-count-${layer}" data-layer-count="${layer}">–</span>
        </label>
        <ul class="kind-legend" data-kind-legend="${layer}"></ul>
      </li>`;
    })}`);
    $$('[data-layer-toggle]', ul).forEach((cb) => cb.addEventListener('change', () => {
      const layer = cb.dataset.layerToggle;
      if (cb.checked) state.layers.add(layer); else state.layers.delete(layer);
      cb.closest('.layer-item').classList.toggle('off', !cb.checked);
      state.layerGeneration += 1;
      app.refreshLayer(layer, state.layerGeneration);
      app.writeHash();
      if (state.pin) app.queryNear(state.pin);
    }));
    syncLayerToggles();
  }

  function syncLayerToggles() {
    $$('[data-layer-toggle]').forEach((cb) => {
      cb.checked = state.layers.has(cb.dataset.layerToggle);
      cb.closest('.layer-item').classList.toggle('off', !cb.checked);
    });
  }

  function updateLayerCounts() {
    for (const layer of vocab.layers) {
      const el = $(`[data-layer-count="${layer}"]`);
      if (!el) continue;
      const total = state.collections[layer] ? state.collections[layer].itemCount : null;
      if (!state.layers.has(layer)) {
        el.innerHTML = String(total != null ? html`<span class="muted">共 ${total}</span>` : '');
        el.dataset.drawn = '0';
        continue;
      }
      const drawn = state.drawn[layer].size;
      const unloc = state.unlocated[layer].length;
      el.dataset.drawn = String(drawn);
      el.title = `图上 ${drawn} 项（当前范围与筛选），全区性 ${unloc} 项${total != null ? `，报告共 ${total} 项` : ''}`;
      el.innerHTML = String(html`<b>${drawn}</b><span class="muted">图上</span>${total != null ? html`<small>共 ${total}${unloc ? ` · 全区性 ${unloc}` : ''}</small>` : ''}`);
    }
  }

  function updateKindLegend() {
    for (const layer of vocab.layers) {
      const ul = $(`[data-kind-legend="${layer}"]`);
      if (!ul) continue;
      const counts = new Map();
      for (const f of catalog.values()) {
        if (f.properties.layer !== layer) continue;
        const k = f.properties.kind || '其他';
        counts.set(k, (counts.get(k) || 0) + 1);
      }
      const { symbol } = vocab.layerMeta(layer);
      const rows = Array.from(counts.entries())
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
        .map(([k, n]) => html`<li><span class="sym sym-${symbol} sym-small" style="--c:${vocab.kindColor(layer, k)}"></span>${vocab.kindLabel(k)}<span class="muted">${n}</span></li>`);
      ul.innerHTML = String(html`${rows}`);
    }
  }

  function updateUnlocatedList() {
    const items = vocab.layers.flatMap((l) => (state.layers.has(l) ? state.unlocated[l] : []));
    $('#unlocated-count').textContent = String(items.length);
    $('#unlocated-list').innerHTML = String(items.length
      ? html`${items.map((f) => listItem(f, { vocab, names: app.names, compact: true }))}`
      : html`<li class="empty">当前无全区性事项</li>`);
  }

  function fillSelect(sel, allLabel, options, value) {
    const el = $(sel);
    const opts = [['', allLabel], ...options];
    // A value from a permalink that the data does not (yet) list is kept rather than dropped.
    if (value && !options.some(([v]) => v === value)) opts.push([value, value]);
    el.innerHTML = String(html`${opts.map(([v, label]) => html`<option value="${v}">${label}</option>`)}`);
    el.value = value || '';
  }

  function markActiveFilters() {
    for (const k of FILTER_KEYS) $(`#filter-${k}`).classList.toggle('active', !!state.filters[k]);
  }

  function buildFilterOptions() {
    const themes = [];
    const seen = new Set();
    const addTheme = (t) => { if (t && !seen.has(t)) { seen.add(t); themes.push(t); } };
    if (state.report) state.report.sections.forEach((s) => addTheme(s.theme));
    for (const f of catalog.values()) addTheme(f.properties.theme);
    fillSelect('#filter-theme', '全部主题', themes.map((t) => [t, t]), state.filters.theme);

    const sections = state.report ? state.report.sections.filter((s) => s.number) : [];
    fillSelect('#filter-section', '全部章节', sections.map((s) => [s.number, `${s.part ? `${s.part}、` : ''}${s.number}${truncate(s.title || '', 16)}`]), state.filters.section);
    fillSelect('#filter-status', '全部状态', vocab.statusOrder.map((s) => [s, vocab.statusLabel(s)]), state.filters.status);
    markActiveFilters();
  }

  function onFiltersChanged() {
    markActiveFilters();
    app.refreshLayers();
    app.renderNear();
    app.renderTargets();
    app.writeHash();
  }

  Object.assign(app, {
    buildLayerList, syncLayerToggles, updateLayerCounts, updateKindLegend, updateUnlocatedList,
    buildFilterOptions, onFiltersChanged,
  });
}
