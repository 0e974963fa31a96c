//! "What is planned near here": a click drops a pin and draws the radius (250 m – 2 km); the
//! server's near answer comes in three parts: 此处位于 (the features whose drawn geometry holds
//! the point, smallest first), 确定在内 (within the radius even counting their uncertainty) and
//! 可能在内 (the radius holds only part of their distance range); each part is listed by distance
//! or grouped by theme with groups ordered by their nearest item. Items that apply to the whole
//! district are listed apart. The page's filters apply to the list as they do to the map.
//! Installs `app.queryNear`, `app.renderNear`, `app.setRadius`, `app.setNearMode`.

import { $, $$ } from './dom.js';
import { html } from './html.js';
import { fmtDistance, fmtRadius } from './format.js';
import { passes } from './filters.js';
import { listItem } from './cards.js';

const HINT = html`<p class="empty">在地图上任意位置点击，查看该点周边报告中规划的片区、街巷与项目。</p>`;

/** Installs the near panel on `app`. */
export function installNearPanel(app) {
  const { L } = window;
  const { groups, state, vocab, api, catalog } = app;
  let nearAbort = null;

  function setPin(latlng) {
    state.pin = L.latLng(latlng.lat, latlng.lng);
    groups.pin.clearLayers();
    L.circle(state.pin, {
      pane: 'pm-radius', radius: state.radius_m, interactive: false,
      color: '#212529', weight: 1.5, dashArray: '5 5', fillColor: '#339af0', fillOpacity: 0.06,
      className: 'pm-radius',
    }).addTo(groups.pin);
    L.marker(state.pin, { keyboard: false, interactive: false, alt: '查询点' }).addTo(groups.pin);
  }

  async function queryNear(latlng) {
    setPin(latlng);
    if (nearAbort) nearAbort.abort();
    const ctrl = new AbortController();
    nearAbort = ctrl;
    const crs = state.crs;
    const layers = vocab.layers.filter((l) => state.layers.has(l));
    $('#near-summary').innerHTML = String(html`<p class="empty">查询中…</p>`);
    if (!layers.length) {
      state.near = { features: [], district_wide: [], radius_m: state.radius_m, center: [latlng.lng, latlng.lat], noLayers: true };
      renderNear();
      return state.near;
    }
    try {
      const body = await api.getJSON('/api/near', {
        lon: latlng.lng.toFixed(7), lat: latlng.lat.toFixed(7), radius_m: state.radius_m, limit: 200,
        layers: layers.join(','), crs, report: app.reportParam(),
      }, ctrl.signal);
      if (crs !== state.crs) return null;
      app.remember(body.features, crs);
      state.near = body;
      renderNear();
      app.writeHash();
      return body;
    } catch (err) {
      app.reportError('周边查询', err);
      return null;
    }
  }

  // The API lists district-wide items as brief references (the same for every point); the
  // whole features, with quote and targets, come from the catalogue loaded at start-up.
  function districtWideFeature(entry) {
    if (entry.type === 'Feature') return entry;
    return catalog.get(entry.id) || { type: 'Feature', id: entry.id, geometry: null, properties: entry };
  }

  function item(f) {
    return listItem(f, { vocab, names: app.names, distance: f.properties.distance_m, color: app.featureColor(f.properties.layer, f.properties) });
  }

  // One part of the answer (此处位于, 确定在内 or 可能在内): by theme, groups ordered by their
  // nearest item, or one list by distance; the server's order is kept inside each.
  function section(key, title, hint, fs) {
    if (!fs.length) return '';
    let body;
    if (state.nearMode === 'distance' || key === 'here') {
      body = html`<ul class="feature-list" data-testid="near-group" data-theme="">${fs.map(item)}</ul>`;
    } else {
      const byTheme = new Map();
      for (const f of fs) {
        const t = f.properties.theme || '综合';
        if (!byTheme.has(t)) byTheme.set(t, []);
        byTheme.get(t).push(f);
      }
      body = html`${Array.from(byTheme.entries()).map(([t, group]) => html`
        <div class="near-group" data-testid="near-group" data-theme="${t}">
          <h4 class="group-head" style="--c:${vocab.themeColor(t)}"><span class="dot"></span>${t}<span class="muted">${group.length} 项 · 最近 ${fmtDistance(group[0].properties.distance_m)}</span></h4>
          <ul class="feature-list">${group.map(item)}</ul>
        </div>`)}`;
    }
    return html`<section class="near-part near-${key}" data-testid="near-${key}">
      <h3 class="near-part-head">${title}<span class="count">${fs.length}</span></h3>
      <p class="hint">${hint}</p>${body}</section>`;
  }

  function renderNear() {
    const body = state.near;
    const list = $('#near-list');
    const summary = $('#near-summary');
    const dwBox = $('#near-district-wide');
    const badge = $('#near-badge');
    if (!body) {
      list.innerHTML = '';
      dwBox.hidden = true;
      badge.hidden = true;
      return;
    }
    const all = body.features || [];
    const features = all.filter((f) => passes(state.filters, f.properties));
    const hidden = all.length - features.length;
    const dw = (body.district_wide || []).map(districtWideFeature).filter((f) => passes(state.filters, f.properties));
    const c = state.pin;
    const radius = fmtRadius(body.radius_m || state.radius_m);
    summary.innerHTML = String(body.noLayers
      ? html`<p class="empty">请先在“图层”中至少打开一个规划图层。</p>`
      : html`<p>查询点 <span class="mono">${c ? `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}` : ''}</span> 周边 <b>${radius}</b> 内规划 <b data-testid="near-count">${features.length}</b> 项${hidden ? html`<span class="muted">（另有 ${hidden} 项被筛选隐藏）</span>` : ''}
        <button type="button" class="link" id="near-export" data-testid="near-export" title="导出周边清单（CSV，中文表头，含距离范围与 WKT 列）">导出清单 CSV</button>
        <button type="button" class="link" id="near-export-geojson" data-testid="near-export-geojson" title="导出周边清单（GeoJSON）">GeoJSON</button>
        <button type="button" class="link" id="near-clear" data-testid="near-clear">清除</button></p>`);
    const clearBtn = $('#near-clear');
    if (clearBtn) clearBtn.addEventListener('click', clearNear);
    const exportBtn = $('#near-export');
    if (exportBtn) exportBtn.addEventListener('click', () => app.exportNear('csv'));
    const exportGeojson = $('#near-export-geojson');
    if (exportGeojson) exportGeojson.addEventListener('click', () => app.exportNear('geojson'));
    badge.hidden = false;
    badge.textContent = String(features.length);

    // The server orders by distance to the drawn geometry, ties at 0 m smallest area first.
    const here = features.filter((f) => f.properties.distance_m === 0);
    const rest = features.filter((f) => f.properties.distance_m !== 0);
    const certain = rest.filter((f) => f.properties.inside !== 'possible');
    const possible = rest.filter((f) => f.properties.inside === 'possible');
    if (!features.length) {
      list.innerHTML = String(body.noLayers ? '' : html`<p class="empty">${radius} 内没有报告规划的要素。可加大半径或另选位置。</p>`);
    } else {
      list.innerHTML = String(html`
        ${section('here', '此处位于', '所点位置落在这些要素的示意范围内（面积小的在前）。', here)}
        ${section('certain', '确定在内', `计入定位误差后仍在 ${radius} 内。`, certain)}
        ${section('possible', '可能在内', `图上位置与查询点的距离加减定位误差（±）跨过 ${radius}：可能在内，也可能在外。`, possible)}`);
    }
    dwBox.hidden = dw.length === 0;
    $('#near-dw-count').textContent = String(dw.length);
    $('#near-dw-list').innerHTML = String(html`${dw.map((f) => listItem(f, { vocab, names: app.names }))}`);
  }

  function clearNear() {
    state.near = null;
    state.pin = null;
    groups.pin.clearLayers();
    if (nearAbort) nearAbort.abort();
    $('#near-summary').innerHTML = String(HINT);
    renderNear();
    app.writeHash();
  }

  function setRadius(r, { query = true } = {}) {
    state.radius_m = r;
    $$('[data-radius]').forEach((b) => {
      b.classList.toggle('on', Number(b.dataset.radius) === r);
      b.setAttribute('aria-checked', String(Number(b.dataset.radius) === r));
    });
    if (query && state.pin) queryNear(state.pin);
  }

  function setNearMode(mode) {
    state.nearMode = mode;
    $$('[data-mode]').forEach((b) => {
      b.classList.toggle('on', b.dataset.mode === mode);
      b.setAttribute('aria-checked', String(b.dataset.mode === mode));
    });
    renderNear();
  }

  Object.assign(app, { queryNear, renderNear, setRadius, setNearMode });
}
