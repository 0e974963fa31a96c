//! The context under the planned layers: the basemap (OSM in WGS-84, Amap in GCJ-02, or none),
//! the district outline with a mask outside it, river names when there are no tiles, and the
//! rail stations. Switching to a basemap of another datum keeps the same ground under the view
//! and the pin, and re-requests every overlay in the new datum (the server converts).
//! Installs `app.setBasemap`, `app.loadDistrict`, `app.loadStations`.

import { $, $$, toast } from './dom.js';
import { html } from './html.js';

/** The basemaps: tile URL and the datum the tiles are drawn in. */
export const BASEMAPS = {
  osm: {
    crs: 'wgs84',
    url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    options: { maxZoom: 19, maxNativeZoom: 19, attribution: '' },
  },
  amap: {
    crs: 'gcj02',
    url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
    options: { subdomains: '1234', maxZoom: 19, maxNativeZoom: 18, attribution: '底图 © 高德地图' },
  },
  none: { crs: 'wgs84', url: null },
};

const STATION_LABELS = { subway: '地铁站', train: '铁路站', monorail: '单轨站' };

function polygonsOf(g) {
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

/** Installs the basemap and context layers on `app`. */
export function installContext(app) {
  const { L } = window;
  const { map, groups, state, api } = app;
  let tileLayer = null;
  let tileStats = { ok: 0, failed: 0 };
  let districtFeatures = [];
  let maskLayer = null;

  function styleMask() {
    if (!maskLayer) return;
    const none = state.basemap === 'none' || map.getContainer().classList.contains('tiles-failed');
    maskLayer.setStyle({ fillOpacity: none ? 0.7 : 0.22 });
  }

  function setBasemap(name, { keepView = true } = {}) {
    if (!BASEMAPS[name]) name = 'osm';
    const prev = state.basemap;
    const prevCrs = state.crs;
    const next = BASEMAPS[name];
    state.basemap = name;
    $$('[data-basemap]').forEach((b) => {
      b.setAttribute('aria-checked', String(b.dataset.basemap === name));
      b.classList.toggle('on', b.dataset.basemap === name);
    });
    if (tileLayer) { map.removeLayer(tileLayer); tileLayer = null; }
    tileStats = { ok: 0, failed: 0 };
    map.getContainer().classList.remove('tiles-failed');
    map.getContainer().classList.toggle('basemap-none', name === 'none');
    if (next.url) {
      tileLayer = L.tileLayer(next.url, { ...next.options, crossOrigin: false });
      tileLayer.on('tileload', () => {
        tileStats.ok += 1;
        if (map.getContainer().classList.contains('tiles-failed')) {
          map.getContainer().classList.remove('tiles-failed');
          styleMask();
        }
      });
      tileLayer.on('tileerror', () => {
        tileStats.failed += 1;
        if (tileStats.failed === 3 && tileStats.ok === 0) {
          map.getContainer().classList.add('tiles-failed');
          styleMask();
          toast('底图瓦片无法加载（可能处于离线环境）。区界、站点与规划图层不受影响。', 'warn', 6000);
        }
      });
      tileLayer.addTo(map);
    }
    if (name === 'none') groups.rivers.addTo(map); else map.removeLayer(groups.rivers);
    styleMask();

    if (next.crs !== prevCrs) {
      state.crs = next.crs;
      app.updateDatumBadge();
      if (keepView && map._loaded) {
        // Keep the same ground under the view and the pin: move them by the datum shift.
        const c = map.getCenter();
        const w = app.toWgs(c.lat, c.lng, prevCrs);
        map.setView(app.toCrs(w.lat, w.lng, state.crs), map.getZoom(), { animate: false });
        if (state.pin) {
          const pw = app.toWgs(state.pin.lat, state.pin.lng, prevCrs);
          state.pin = app.toCrs(pw.lat, pw.lng, state.crs);
        }
      }
      if (map._loaded) reloadForDatum();
    }
    if (prev !== name) app.writeHash();
  }

  function reloadForDatum() {
    loadDistrict().then(loadStations);
    app.refreshLayers();
    if (state.pin) app.queryNear(state.pin);
    app.drawHighlights();
  }

  async function loadDistrict() {
    const crs = state.crs;
    try {
      const fc = await api.getJSON('/api/collections/district/items', { limit: 100, crs });
      if (crs !== state.crs) return;
      districtFeatures = fc.features.filter((f) => f.geometry);
      groups.district.clearLayers();
      // Outside-the-district mask: a world rectangle with the district's rings as holes.
      const holes = [];
      for (const f of districtFeatures) {
        for (const p of polygonsOf(f.geometry)) holes.push(p[0].map(([lon, lat]) => [lat, lon]));
      }
      const world = [[-85, -180], [85, -180], [85, 180], [-85, 180]];
      maskLayer = L.polygon([world, ...holes], {
        pane: 'pm-mask', stroke: false, fillColor: '#d6d1c4', fillOpacity: 0.22, interactive: false,
        className: 'pm-mask',
      }).addTo(groups.district);
      styleMask();
      // A white casing under the outline keeps it legible over any basemap.
      L.geoJSON(districtFeatures, {
        pane: 'pm-mask', interactive: false,
        style: { color: '#ffffff', weight: 6, opacity: 0.7, fill: false },
      }).addTo(groups.district);
      const outline = L.geoJSON(districtFeatures, {
        pane: 'pm-mask', interactive: false,
        style: { color: '#343a40', weight: 2, opacity: 0.9, fill: false, className: 'pm-district' },
      }).addTo(groups.district);
      app.districtBounds = outline.getBounds();
      if (!state.initialViewSet) {
        state.initialViewSet = true;
        map.fitBounds(app.districtBounds, { padding: [8, 8], animate: false });
      }
      drawRiverLabels();
    } catch (err) {
      app.reportError('加载区界', err);
    }
  }

  // In "no basemap" mode the peninsula reads better with its two rivers named. The labels sit
  // in the water just outside the boundary; they are only shown without tiles.
  function drawRiverLabels() {
    groups.rivers.clearLayers();
    const labels = [['嘉陵江', 29.5772, 106.5445], ['长江', 29.5382, 106.5655]];
    for (const [name, lat, lng] of labels) {
      L.marker(app.toCrs(lat, lng, state.crs), {
        pane: 'pm-mask', interactive: false, keyboard: false,
        icon: L.divIcon({ className: 'pm-river', html: String(html`<span>${name}</span>`), iconSize: null }),
      }).addTo(groups.rivers);
    }
  }

  // Even-odd ray casting over every ring of the district: lon/lat are fine for a test of
  // inside-ness at this scale.
  function insideDistrict(lon, lat) {
    let inside = false;
    for (const f of districtFeatures) {
      for (const poly of polygonsOf(f.geometry)) {
        for (const ring of poly) {
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
            const [xi, yi] = ring[i];
            const [xj, yj] = ring[j];
            if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
          }
        }
      }
    }
    return inside;
  }

  async function loadStations() {
    const crs = state.crs;
    try {
      const fc = await api.getJSON('/api/collections/stations/items', { limit: 10000, crs });
      if (crs !== state.crs) return;
      groups.stations.clearLayers();
      // Kept for search: a station is a known place even when the report does not name it.
      app.stationFeatures = fc.features.filter((f) => f.geometry && f.geometry.type === 'Point');
      let inDistrict = districtFeatures.length ? 0 : null;
      for (const f of fc.features) {
        if (!f.geometry || f.geometry.type !== 'Point') continue;
        const [lon, lat] = f.geometry.coordinates;
        const kind = f.properties.station || 'subway';
        const name = f.properties.name || '';
        // Stations outside the district are kept as context but drawn fainter.
        const inside = districtFeatures.length ? insideDistrict(lon, lat) : true;
        const m = L.circleMarker([lat, lon], {
          pane: 'pm-stations', radius: kind === 'train' ? 4.5 : 3.5, weight: 1.5,
          color: kind === 'train' ? '#343a40' : '#5c6670', fillColor: '#ffffff', fillOpacity: 1,
          opacity: inside ? 1 : 0.45,
          className: `pm-station pm-station-${kind}${inside ? '' : ' pm-station-outside'}`,
        });
        // A station is context, not a planned item: clicking it asks "what is planned near this
        // station" like any other click on the map.
        m.bindTooltip(String(html`${name}<small>${STATION_LABELS[kind] || '站点'}</small>`), {
          permanent: true, direction: 'right', offset: [5, 0], className: 'pm-label pm-label-station',
          pane: 'pm-labels',
        });
        if (!inside) m.getTooltip().options.className += ' pm-label-outside';
        m.addTo(groups.stations);
        if (inDistrict !== null && inside) inDistrict += 1;
      }
      $('#station-count').textContent = inDistrict ? `区内 ${inDistrict} 座` : '';
      app.declutterLabels();
    } catch (err) {
      app.reportError('加载轨道站点', err);
    }
  }

  Object.assign(app, { setBasemap, loadDistrict, loadStations });
}
