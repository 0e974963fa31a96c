//! Selecting and highlighting features: fetching a feature by id (cached per datum), flying to
//! it, the yellow glow under the selected feature and a sentence's features, and the popup.
//! Installs `app.remember`, `app.getFeature`, `app.geometryBounds`, `app.flyToFeatures`,
//! `app.drawHighlights`, `app.highlightedIds`, `app.selectFeature`, `app.clearSelection`.

import { $$, toast } from './dom.js';
import { html } from './html.js';
import { fmtNumber, layerOfId } from './format.js';
import { statusBadge } from './cards.js';

/** Installs selection and highlighting on `app`. */
export function installSelection(app) {
  const { L } = window;
  const { map, groups, state, vocab, api, catalog, featureCache } = app;
  let highlightToken = 0;
  let selectToken = 0;

  function remember(features, crs) {
    const cache = featureCache[crs];
    for (const f of features || []) {
      const id = f.properties && f.properties.id;
      if (id) cache.set(id, f);
    }
  }

  async function getFeature(id) {
    const crs = state.crs;
    const cached = featureCache[crs].get(id);
    if (cached) return cached;
    const layer = layerOfId(id, vocab.layers) || (catalog.get(id) && catalog.get(id).properties.layer);
    if (!layer) throw new Error(`未知要素 ${id}`);
    try {
      const f = await api.getJSON(`/api/collections/${layer}/items/${encodeURIComponent(id)}`, { crs });
      remember([f], crs);
      return f;
    } catch (err) {
      // Fall back to the whole layer: the district's layers are small.
      const fc = await api.fetchAllPages(`/api/collections/${layer}/items`, { limit: 10000, crs });
      remember(fc.features, crs);
      const f = featureCache[crs].get(id);
      if (!f) throw err;
      return f;
    }
  }

  function geometryBounds(features) {
    let b = null;
    for (const f of features) {
      if (!f || !f.geometry) continue;
      const fb = L.geoJSON(f).getBounds();
      if (!fb.isValid()) continue;
      b = b ? b.extend(fb) : L.latLngBounds(fb.getSouthWest(), fb.getNorthEast());
    }
    return b;
  }

  function flyToFeatures(features) {
    const b = geometryBounds(features);
    if (!b) return;
    const tiny = b.getNorthEast().distanceTo(b.getSouthWest()) < 50;
    if (tiny) map.flyTo(b.getCenter(), Math.max(map.getZoom(), 16), { duration: 0.8 });
    else map.flyToBounds(b, { padding: [48, 48], maxZoom: 16.5, duration: 0.8 });
  }

  async function drawHighlights() {
    const token = ++highlightToken;
    const ids = new Set(state.highlighted);
    if (state.selected) ids.add(state.selected);
    const crs = state.crs;
    const features = [];
    for (const id of ids) {
      try {
        const f = await getFeature(id);
        if (f) features.push(f);
      } catch (err) { /* an unknown id in a sentence: nothing to draw */ }
    }
    if (token !== highlightToken || crs !== state.crs) return features;
    groups.highlight.clearLayers();
    for (const f of features) {
      if (!f.geometry) continue;
      const cls = `pm-highlight${f.properties.id === state.selected ? ' pm-selected' : ''}`;
      L.geoJSON(f, {
        pane: 'pm-glow', interactive: false,
        style: (ft) => (ft.geometry.type.includes('Point')
          ? { stroke: true, color: '#e67700', weight: 2, opacity: 1, fill: true, fillColor: '#ffe066', fillOpacity: 0.85, className: cls }
          : { color: '#fcc419', weight: ft.geometry.type.includes('Polygon') ? 9 : 13, opacity: 0.9, fill: false, lineCap: 'round', lineJoin: 'round', className: cls }),
        pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 14 }),
        onEachFeature: (_f, l) => l.on('add', () => {
          const elt = l.getElement && l.getElement();
          if (elt) elt.setAttribute('data-fid', f.properties.id);
        }),
      }).addTo(groups.highlight);
    }
    return features;
  }

  function highlightedIds() {
    return $$('.pm-highlight[data-fid]').map((e) => e.getAttribute('data-fid'))
      .filter((v, i, a) => a.indexOf(v) === i);
  }

  function openPopup(f, at) {
    const p = f.properties;
    let latlng = at;
    if (!latlng) {
      const b = geometryBounds([f]);
      if (!b) return;
      latlng = f.geometry.type === 'Point' ? L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]) : b.getCenter();
    }
    const target = (p.targets || [])[0];
    const meta = vocab.layerMeta(p.layer);
    const content = html`
      <div class="pm-popup">
        <div class="pp-kind" style="--c:${vocab.kindColor(p.layer, p.kind)}">${meta.title} · ${p.kind || ''}</div>
        <div class="pp-name">${p.name}</div>
        ${p.action ? html`<div class="pp-status">${statusBadge(p.action, vocab)}</div>` : ''}
        ${target ? html`<div class="pp-target">${target.metric} <b>${fmtNumber(target.value)}</b> ${target.unit}</div>` : ''}
        <button type="button" class="pp-more" data-testid="popup-more">查看详情与原文</button>
      </div>`;
    const popup = L.popup({ maxWidth: 260, autoPanPadding: [40, 40], className: 'pm-popup-wrap' })
      .setLatLng(latlng).setContent(String(content)).openOn(map);
    // Leaflet names its close button in English; ours is named in Chinese like every control.
    const close = popup.getElement() && popup.getElement().querySelector('.leaflet-popup-close-button');
    if (close) {
      close.setAttribute('aria-label', '关闭弹窗');
      close.title = '关闭';
    }
    const btn = popup.getElement() && popup.getElement().querySelector('.pp-more');
    if (btn) btn.addEventListener('click', () => { app.showTab('detail'); app.revealSide(); });
  }

  async function selectFeature(id, { fly = true, popupAt = null, popup = true, scrollReport = true, tab = true } = {}) {
    const token = ++selectToken;
    let f;
    try {
      f = await getFeature(id);
    } catch (err) {
      app.reportError('加载要素', err);
      return null;
    }
    if (token !== selectToken) return f;
    state.selected = id;
    app.writeHash();
    app.renderDetail(f);
    if (tab) app.showTab('detail');
    drawHighlights();
    if (f.geometry) {
      if (fly) flyToFeatures([f]);
      if (popup) openPopup(f, popupAt); else map.closePopup();
    } else {
      map.closePopup();
      toast(f.properties.scope === 'district'
        ? `「${f.properties.name}」是全区性事项，适用于整个渝中区。`
        : `「${f.properties.name}」尚未定位：地名表中还没有它的位置，原文见详情。`, 'info');
    }
    app.markReaderSelection(id, scrollReport);
    return f;
  }

  function clearSelection() {
    state.selected = null;
    map.closePopup();
    app.renderDetail(null);
    app.markReaderSelection(null, false);
    drawHighlights();
    app.writeHash();
  }

  Object.assign(app, {
    remember, getFeature, geometryBounds, flyToFeatures, drawHighlights, highlightedIds,
    selectFeature, clearSelection,
  });
}
