//! The layers panel: one toggle per planned layer with its symbol and counts (drawn in view,
//! unlocated, total in the report), a legend by stage (the default colouring) or by kind with
//! counts from the catalogue, the lists of district-wide and unlocated items (from the whole
//! catalogue, not from what the map view fetched: nothing is hidden by panning), and the
//! theme / section / status filters.
//! Installs `app.buildLayerList`, `app.syncLayerToggles`, `app.updateLayerCounts`,
//! `app.updateKindLegend`, `app.updateUnlocatedList`, `app.buildFilterOptions`,
//! `app.onFiltersChanged`.

import { $, $$ } from './dom.js';
import { html } from './html.js';
import { truncate } from './format.js';
import { FILTER_KEYS, passes } from './filters.js';
import { listItem } from './cards.js';
import { latestByPlace } from './reports.js';

// The stages in the order work advances, then items with no stated stage.
const STAGE_ORDER = ['planned', 'starting', 'resuming', 'under_construction', 'completing', ''];

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

  // The catalogue of the selected reports, one entry per place (its latest commitment), as the
  // map draws it: every count and legend follows the selection, not every loaded report.
  function shownCatalog() {
    return latestByPlace(Array.from(catalog.values()), app.reportOrder());
  }

  function updateLayerCounts() {
    const shown = catalog.size ? shownCatalog() : null;
    for (const layer of vocab.layers) {
      const el = $(`[data-layer-count="${layer}"]`);
      if (!el) continue;
      const total = shown ? shown.filter((f) => f.properties.layer === layer).length : null;
      if (!state.layers.has(layer)) {
        el.innerHTML = String(total != null ? html`<span class="muted">共 ${total}</span>` : '');
        el.dataset.drawn = '0';
        continue;
      }
      const drawn = state.drawn[layer].size;
      const unloc = unlocatedOf(layer).length;
      el.dataset.drawn = String(drawn);
      el.title = `图上 ${drawn} 项（当前范围与筛选），未定位 ${unloc} 项${total != null ? `，所选报告共 ${total} 项` : ''}`;
      el.innerHTML = String(html`<b>${drawn}</b><span class="muted">图上</span>${total != null ? html`<small>共 ${total}${unloc ? ` · 未定位 ${unloc}` : ''}</small>` : ''}`);
    }
  }

  // Catalogue items of a layer without geometry that pass the filters.
  function unlocatedOf(layer) {
    const out = [];
    for (const f of shownCatalog()) {
      const p = f.properties;
      if (p.layer === layer && !f.geometry && passes(state.filters, p)) out.push(f);
    }
    return out;
  }

  function updateKindLegend() {
    const byStage = state.colorBy !== 'kind';
    for (const layer of vocab.layers) {
      const ul = $(`[data-kind-legend="${layer}"]`);
      if (!ul) continue;
      const counts = new Map();
      for (const f of shownCatalog()) {
        if (f.properties.layer !== layer) continue;
        const p = f.properties;
        const k = byStage ? ((p.action && p.action.status) || '') : (p.kind || '其他');
        counts.set(k, (counts.get(k) || 0) + 1);
      }
      const { symbol } = vocab.layerMeta(layer);
      const rows = byStage
        ? STAGE_ORDER.filter((st) => counts.has(st)).map((st) => html`<li data-stage="${st}"><span class="sym sym-${symbol} sym-small" style="--c:${vocab.stageColor(st)}"></span>${vocab.stageLabel(st)}<span class="muted">${counts.get(st)}</span></li>`)
        : Array.from(counts.entries())
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
          .map(([k, n]) => html`<li><span class="sym sym-${symbol} sym-small" style="--c:${vocab.kindColor(layer, k)}"></span>${vocab.kindLabel(k)}<span class="muted">${n}</span></li>`);
      ul.innerHTML = String(html`${rows}`);
    }
    $$('[data-color-by]').forEach((b) => {
      const on = b.dataset.colorBy === (byStage ? 'stage' : 'kind');
      b.classList.toggle('on', on);
      b.setAttribute('aria-checked', String(on));
    });
  }

  // Every catalogue item without a place, with its quote: those that apply to the whole
  // district first, then the places we could not locate. Filters and layer toggles apply.
  function updateUnlocatedList() {
    const items = vocab.layers.flatMap((l) => (state.layers.has(l) ? unlocatedOf(l) : []));
    const wide = items.filter((f) => f.properties.scope === 'district');
    const rest = items.filter((f) => f.properties.scope !== 'district');
    const item = (f) => listItem(f, { vocab, names: app.names });
    $('#unlocated-count').textContent = String(items.length);
    $('#unlocated-list').innerHTML = String(items.length
      ? html`${wide.length ? html`<li class="list-head">全区性事项（${wide.length}）</li>${wide.map(item)}` : ''}
        ${rest.length ? html`<li class="list-head">未定位事项（${rest.length}）：报告点名、但地名表中尚无位置</li>${rest.map(item)}` : ''}`
      : html`<li class="empty">${catalog.size ? '当前筛选下没有未定位事项' : '目录加载中…'}</li>`);
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
