//! planmap web page: the Yuzhong 2025 government work report as a planning map.
//!
//! Plain ES modules, no build step; Leaflet is the only library (a classic script served by
//! our own server from /vendor/leaflet/, global `L`). This module holds the page's state,
//! wires the modules together through one `app` context (each module installs its functions on
//! it, and calls the others' through it), owns the permalink and export actions, and starts
//! the page. Everything the e2e test needs is reachable through `window.planmap` and
//! `data-testid` attributes.
//!
//! Data flow: the vocabulary (`/api/vocabulary`) first, falling back to a built-in default when
//! the server does not serve it; the planned layers are fetched by bbox as the map moves
//! (debounced); the district outline and stations once per datum; the whole catalogue of
//! planned features of the selected reports (WGS-84), because the reading pane, the targets
//! table and the legend need every feature's mentions and targets, not only those in view.
//! Reports: the list (`/api/reports`) comes first; the selection (the newest by default, or
//! the permalink's `r=`) goes with every items, near and search request as `report=`, so the
//! page fetches one report's data however many are loaded.
//!
//! Datums: OSM and "no basemap" draw WGS-84; the Amap basemap is GCJ-02, so every overlay is
//! re-requested with crs=gcj02 and the server converts. The permalink always stores WGS-84.

import { $, $$, toast, createIdle } from './dom.js';
import { createApi, errorMessage } from './api.js';
import { createVocabulary } from './vocabulary.js';
import { toCrs, toWgs } from './datum.js';
import { nameRegex } from './marks.js';
import { FILTER_KEYS } from './filters.js';
import { parseHash, buildHash } from './permalink.js';
import { csvText, exportName, geojsonText } from './export.js';
import { installMap } from './map.js';
import { BASEMAPS, installContext } from './context.js';
import { installLayers } from './layers.js';
import { installLayersPanel } from './panel-layers.js';
import { installSelection } from './selection.js';
import { installDetailPanel } from './panel-detail.js';
import { installNearPanel } from './panel-near.js';
import { installTargetsPanel } from './panel-targets.js';
import { installReader } from './reader.js';
import { installSearch } from './search.js';
import { installTabs } from './tabs.js';
import { installReports } from './timeline.js';
import { installComparePanel } from './panel-compare.js';
import { installChooser } from './chooser.js';
import { installPrint } from './print.js';
import { installVerdicts } from './verdicts.js';
import { installUpload } from './upload.js';
import { parseSelection, reportsCited, selectionHash, selectionTitle, titleWithYear } from './reports.js';
import { installSignIn } from './signin.js';
import { installEdit } from './edit.js';
import { installHistory } from './history.js';
import { installCorrectionsStats } from './corrections-stats.js';

const DEFAULT_VIEW = { lat: 29.5545, lon: 106.5455, zoom: 14 };

/** The served vocabulary, or null (and a console note) when the server has none. */
async function loadVocabulary(api) {
  try {
    return await api.getJSON('/api/vocabulary');
  } catch (err) {
    console.warn('planmap: /api/vocabulary is not served; using the page\'s built-in default palette and labels.', err.message || err);
    return null;
  }
}

function newState(vocab) {
  return {
    basemap: 'osm',
    crs: 'wgs84',
    layers: new Set(vocab.layers),
    showStations: true,
    filters: { theme: '', section: '', status: '' },
    selected: null, // feature id
    highlighted: [], // feature ids highlighted from a sentence
    highlightedSentence: null,
    pin: null, // {lat, lng} in the current crs
    radius_m: 500,
    nearMode: 'theme',
    colorBy: 'stage', // or 'kind'
    near: null, // last /api/near answer
    tab: 'layers',
    collections: {},
    report: null,
    drawn: Object.fromEntries(vocab.layers.map((l) => [l, new Map()])), // id -> Leaflet layer
    unlocated: Object.fromEntries(vocab.layers.map((l) => [l, []])),
    lastItemsQuery: {}, // per layer: the query behind what is drawn (for tests and debugging)
    layerGeneration: 0,
    initialViewSet: false,
    pendingScroll: null, // a mention to scroll to once the reading pane is visible
    reportList: null, // the /api/reports answer
    selectedReports: [], // report ids, in time order
    compare: null, // {a, b, answer} in compare mode
    readingReport: null, // the report id the reading pane shows
  };
}

async function main() {
  const { L } = window;
  const idle = createIdle();
  // The server's change number as last seen; a larger one in any answer means something changed
  // (a report, a verdict, a correction): the page follows it (app.followChanges, below).
  let knownChange = null;
  let onServerChange = () => {};
  const api = createApi({
    origin: location.origin,
    onStart: () => idle.start(),
    onDone: () => idle.done(),
    onChange: (n) => {
      if (knownChange === null) knownChange = n;
      else if (n > knownChange) onServerChange(n);
    },
  });
  const vocab = createVocabulary(await loadVocabulary(api));
  const state = newState(vocab);
  const app = {
    idle,
    api,
    vocab,
    state,
    // Every feature seen, per crs: id -> GeoJSON feature. The catalogue (all planned
    // features, WGS-84) is separate because it answers "what exists", not "what is drawn".
    featureCache: { wgs84: new Map(), gcj02: new Map(), bd09: new Map() },
    catalog: new Map(),
    names: null, // regex of every catalogue name, for marking place names in text
    toCrs: (lat, lng, crs) => L.latLng(toCrs(lat, lng, crs)),
    toWgs: (lat, lng, crs) => L.latLng(toWgs(lat, lng, crs)),
    reportError(what, err) {
      if (err && err.name === 'AbortError') return;
      console.error(what, err);
      toast(errorMessage(what, err), 'error', 6000);
    },
  };
  installMap(app);
  installTabs(app);
  installContext(app);
  installLayers(app);
  installLayersPanel(app);
  installSelection(app);
  installDetailPanel(app);
  installNearPanel(app);
  installTargetsPanel(app);
  installReader(app);
  installSearch(app);
  installReports(app);
  installComparePanel(app);
  installChooser(app);
  installPrint(app);
  const renderDetailOnly = app.renderDetail;
  app.renderDetail = (f) => { renderDetailOnly(f); app.renderStackNote(f); app.renderTimeline(f); if (app.decorateVerdicts) app.decorateVerdicts(f); };
  // "Show in report" for a feature of another selected report reads that report first.
  const markInReader = app.markReaderSelection;
  app.markReaderSelection = async (id, ...rest) => {
    const f = app.catalog.get(id);
    const report = f && f.properties.report;
    if (report && report !== state.readingReport && state.selectedReports.includes(report)) await app.readReport(report);
    return markInReader(id, ...rest);
  };
  installSignIn(app);
  installHistory(app);
  installEdit(app);
  installCorrectionsStats(app);
  installVerdicts(app);
  installUpload(app);
  const { map } = app;

  // ------------------------------------------------------------ permalink
  let lastHash = '';

  function currentHash() {
    const c = map.getCenter();
    const w = toWgs(c.lat, c.lng, state.crs);
    const pin = state.pin ? toWgs(state.pin.lat, state.pin.lng, state.crs) : null;
    return buildHash({
      zoom: map.getZoom(), lat: w.lat, lon: w.lng,
      layers: vocab.layers.filter((l) => state.layers.has(l)),
      basemap: state.basemap, filters: state.filters, selected: state.selected,
      near: pin ? { lon: pin.lng, lat: pin.lat, radius_m: state.radius_m } : null,
      tab: state.tab, color: state.colorBy,
      reports: state.reportList ? selectionHash(state.selectedReports, state.reportList) : '',
      compare: state.compare ? { a: state.compare.a, b: state.compare.b } : null,
    });
  }

  app.writeHash = idle.debounce(() => {
    if (!map._loaded) return;
    const h = currentHash();
    if (h !== location.hash) history.replaceState(null, '', h);
    lastHash = h;
  }, 150);

  function applyHash(h, { initial = false } = {}) {
    const s = parseHash(h, { layers: vocab.layers, basemaps: Object.keys(BASEMAPS) });
    if (s.layers) {
      state.layers = new Set(s.layers);
      app.syncLayerToggles();
    }
    for (const k of FILTER_KEYS) state.filters[k] = s[k] || '';
    if (!initial) app.buildFilterOptions();
    const basemap = s.basemap || (initial ? 'osm' : state.basemap);
    if (initial) {
      state.basemap = basemap;
      state.crs = BASEMAPS[basemap].crs;
    }
    if (s.view) {
      const v = app.toCrs(s.view.lat, s.view.lon, BASEMAPS[basemap].crs);
      state.initialViewSet = true;
      if (!initial && basemap !== state.basemap) app.setBasemap(basemap, { keepView: false });
      map.setView(v, s.view.zoom, { animate: false });
    } else if (!initial && basemap !== state.basemap) {
      app.setBasemap(basemap);
    }
    if (s.color && s.color !== state.colorBy) {
      state.colorBy = s.color;
      if (!initial) app.updateKindLegend();
    }
    if (!initial) {
      app.onFiltersChanged();
      if (s.sel) app.selectFeature(s.sel, { fly: !s.view, popup: false, tab: !s.tab });
      else if (state.selected) app.clearSelection();
      applyNear(s);
    }
    return s;
  }

  // A link's near point (WGS-84) asks the same question again: pin, radius, list; and opens
  // the tab the link names (the near list when it names none).
  function applyNear(s) {
    if (s.near) {
      if (s.near.radius_m !== state.radius_m) state.radius_m = s.near.radius_m;
      app.setRadius(state.radius_m, { query: false });
      app.queryNear(app.toCrs(s.near.lat, s.near.lon, state.crs));
    }
    if (s.tab) app.showTab(s.tab);
    else if (s.near) app.showTab('near');
  }

  // ------------------------------------------------------------ export
  function download(filename, mime, text) {
    const blob = new Blob([text], { type: mime });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function exportFeatures(features, crs, ext, what, { near = false } = {}) {
    if (!features.length) { toast(`没有可导出的${what}。`, 'warn'); return; }
    // The name says which reports (or which comparison) and, for a near list, where and how far.
    const pin = near && state.pin ? toWgs(state.pin.lat, state.pin.lng, state.crs) : null;
    const reports = state.selectedReports.length ? state.selectedReports : [state.report ? state.report.id : null];
    const name = exportName(reports, crs, ext, new Date(), {
      near: pin ? { lat: pin.lat, lon: pin.lng, radius_m: state.radius_m } : null,
      compare: state.compare ? { a: state.compare.a, b: state.compare.b } : null,
    });
    const datum = crs === 'gcj02' ? 'GCJ-02' : 'WGS-84';
    if (ext === 'geojson') {
      download(name, 'application/geo+json', geojsonText(features, crs));
      toast(`已导出${what} ${features.length} 项（GeoJSON，${datum}）。`, 'info');
    } else {
      download(name, 'text/csv;charset=utf-8', csvText(features, crs));
      toast(`已导出${what} ${features.length} 行 CSV（${datum}，含未定位事项与 WKT 列）。`, 'info');
    }
  }

  /** Every feature of the report, unlocated included, in WGS-84 (the catalogue). */
  function allFeatures() {
    return Array.from(app.catalog.values());
  }

  /** The near list as shown: its features (with distances) then the district-wide items. */
  function nearFeatures() {
    if (!state.near) return [];
    const dw = (state.near.district_wide || []).map((e) => (e.type === 'Feature' ? e : app.catalog.get(e.id))).filter(Boolean);
    return [...(state.near.features || []), ...dw];
  }

  app.exportNear = (ext = 'csv') => exportFeatures(nearFeatures(), state.crs, ext, '周边清单', { near: true });

  function setColorBy(mode) {
    state.colorBy = mode === 'kind' ? 'kind' : 'stage';
    app.updateKindLegend();
    app.refreshLayers();
    app.renderNear();
    app.writeHash();
  }

  async function copyLink() {
    app.writeHash();
    await idle.wait();
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      toast('永久链接已复制，粘贴即可恢复当前视图。', 'info');
    } catch (_) {
      window.prompt('复制此链接：', url);
    }
  }

  // ------------------------------------------------------------ wiring
  function wire() {
    $$('[data-basemap]').forEach((b) => b.addEventListener('click', () => app.setBasemap(b.dataset.basemap)));
    $$('[data-tab]').forEach((b) => b.addEventListener('click', () => app.showTab(b.dataset.tab)));
    $$('[data-radius]').forEach((b) => b.addEventListener('click', () => app.setRadius(Number(b.dataset.radius))));
    $$('[data-mode]').forEach((b) => b.addEventListener('click', () => app.setNearMode(b.dataset.mode)));
    // Stations outside the district are context a planner of Yuzhong rarely needs: off by default.
    $('#toggle-stations-outside').addEventListener('change', (e) => {
      map.getContainer().classList.toggle('show-outside-stations', e.target.checked);
      app.declutterLabels();
    });
    $('#toggle-stations').addEventListener('change', (e) => {
      state.showStations = e.target.checked;
      if (state.showStations) app.groups.stations.addTo(map); else map.removeLayer(app.groups.stations);
    });
    for (const k of FILTER_KEYS) {
      $(`#filter-${k}`).addEventListener('change', (e) => { state.filters[k] = e.target.value; app.onFiltersChanged(); });
    }
    $('#filter-reset').addEventListener('click', () => {
      state.filters = { theme: '', section: '', status: '' };
      app.buildFilterOptions();
      app.onFiltersChanged();
    });
    $('#export-geojson').addEventListener('click', () => exportFeatures(allFeatures(), 'wgs84', 'geojson', '全部要素'));
    $('#export-csv').addEventListener('click', () => exportFeatures(allFeatures(), 'wgs84', 'csv', '全部要素'));
    $('#print-page').addEventListener('click', () => window.print());
    $$('[data-color-by]').forEach((b) => b.addEventListener('click', () => setColorBy(b.dataset.colorBy)));
    $('#copy-link').addEventListener('click', copyLink);

    // Any list item with a feature id selects that feature.
    const onListActivate = (e) => {
      const btn = e.target.closest('button.link[data-fid]');
      const item = btn || e.target.closest('.feature-item[data-fid]');
      if (!item) return;
      app.selectFeature(item.dataset.fid, { fly: true });
      // On a phone the map is above the panel: show what was chosen.
      app.revealMap();
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
      app.onSentenceClick(sent, e.target.closest('mark.mention[data-fid]'));
    });
    $('#reader-body').addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const sent = e.target.closest('.sent[tabindex]');
      if (!sent) return;
      e.preventDefault();
      app.onSentenceClick(sent, null);
    });
    $('#reader-toc').addEventListener('change', (e) => {
      const sec = document.getElementById(`rsec-${e.target.value}`);
      if (sec) sec.scrollIntoView({ behavior: 'smooth', block: 'start' });
      e.target.value = '';
    });
    app.wireSearch();

    // Map.
    map.on('click', (e) => {
      if (app.mapClickTaken && app.mapClickTaken(e)) return;
      app.queryNear(e.latlng);
      app.showTab('near');
    });
    // A view change asks the server's change number too (/health, never cached): answers
    // revalidated from the browser's cache keep the number they were stored with.
    const onMoveEnd = idle.debounce(() => {
      app.refreshLayers();
      api.getJSON('/health').catch(() => { /* the layers' own requests report errors */ });
    }, 300);
    map.on('moveend', () => { onMoveEnd(); app.writeHash(); });
    map.on('zoomend', app.updateLabelVisibility);
    map.on('zoomend', app.updateBands);
    map.on('moveend', app.updateBands);
    map.on('moveend', app.declutterLabels);

    window.addEventListener('hashchange', () => {
      if (location.hash === lastHash) return;
      lastHash = location.hash;
      applyHash(location.hash);
    });
    app.wideQuery.addEventListener('change', app.placeReader);
  }

  // ------------------------------------------------------------ start
  async function loadCollections() {
    try {
      const body = await api.getJSON('/api/collections');
      for (const c of body.collections || []) state.collections[c.id] = c;
      app.updateLayerCounts();
    } catch (err) {
      app.reportError('加载图层目录', err);
    }
  }

  async function loadReports() {
    try {
      state.reportList = await api.getJSON('/api/reports');
    } catch (err) {
      // An older server without the route: one report, no selection.
      console.warn('planmap: /api/reports is not served; showing every report together.', err.message || err);
      state.reportList = { reports: [], newest: null };
    }
  }

  async function loadReport() {
    // The reading pane shows one report (offsets are into its own text): the one chosen in
    // the pane when it is selected, else the newest selected.
    const id = state.selectedReports.includes(state.readingReport)
      ? state.readingReport
      : state.selectedReports[state.selectedReports.length - 1];
    state.readingReport = id || null;
    app.buildReaderChoice();
    try {
      state.report = await api.getJSON(id ? `/api/reports/${encodeURIComponent(id)}` : '/api/report');
    } catch (err) {
      app.reportError('加载报告原文', err);
    }
    app.updateTitles();
  }

  /** The header, the tab's title, the reading pane's title and the printed footer name the
   *  selected reports (or the comparison), never a report that is not shown. */
  app.updateTitles = () => {
    const list = state.reportList;
    const byId = new Map(((list && list.reports) || []).map((r) => [r.id, r]));
    const compare = state.compare ? { a: state.compare.a, b: state.compare.b } : null;
    const title = selectionTitle(state.selectedReports, list, compare) || (state.report && state.report.title) || '';
    $('#report-title').textContent = title;
    document.title = title ? `渝中区规划一张图 · ${title}` : '渝中区规划一张图';
    const reading = byId.get(state.readingReport) || (state.report ? { title: state.report.title, year: state.report.year } : null);
    $('#reader-which').textContent = reading ? titleWithYear(reading) : '';
    $('#print-reports').textContent = reportsCited(state.selectedReports, list) || (state.report && state.report.title) || '';
  };

  /** Shows another selected report in the reading pane. */
  app.readReport = async (id) => {
    state.readingReport = id;
    await loadReport();
    app.renderReport();
  };

  /** Reloads what depends on the report selection: catalogue, reading pane, layers, near. */
  app.onReportsChanged = async () => {
    app.catalog.clear();
    await Promise.all([loadReport(), loadCatalog()]);
    app.buildFilterOptions();
    app.updateLayerCounts();
    app.updateUnlocatedList();
    app.updateKindLegend();
    app.renderTargets();
    app.renderReport();
    app.refreshLayers();
    if (state.pin) await app.queryNear(state.pin);
    else app.renderNear();
    app.writeHash();
  };

  /**
   * Follows a change on the server (change number `n`): the report list, the catalogue, the
   * reading pane, the layers and the open feature are fetched again; a report that is gone
   * leaves the selection. The editor's own writes call it at once; others' changes are noticed
   * in the next answer (the next view change) and followed then.
   */
  app.followChanges = async (n = null) => {
    if (n !== null && knownChange !== null && n <= knownChange) return;
    if (n !== null) knownChange = n;
    await loadReports();
    const ids = app.reportOrder();
    const kept = state.selectedReports.filter((id) => ids.includes(id));
    state.selectedReports = kept.length ? kept : parseSelection('', state.reportList);
    if (state.compare && !(ids.includes(state.compare.a) && ids.includes(state.compare.b))) state.compare = null;
    for (const cache of Object.values(app.featureCache)) cache.clear();
    if (app.forgetPlaces) app.forgetPlaces();
    app.buildReportPicker();
    await app.onReportsChanged();
    if (app.renderVerdicts) app.renderVerdicts();
    if (state.selected && !app.editingId()) {
      if (app.catalog.has(state.selected)) await app.selectFeature(state.selected, { fly: false, popup: false, tab: false, scrollReport: false });
      else app.clearSelection();
    }
  };
  onServerChange = idle.debounce((n) => app.followChanges(n), 250);

  async function loadCatalog() {
    const perLayer = await Promise.all(vocab.layers.map(async (layer) => {
      try {
        return (await api.fetchAllPages(`/api/collections/${layer}/items`, { limit: 10000, crs: 'wgs84', report: app.reportParam() })).features;
      } catch (err) {
        app.reportError(`加载${vocab.layerMeta(layer).title}目录`, err);
        return [];
      }
    }));
    // Filled in layer order, not in the order the answers arrive, so that lists built from
    // the catalogue (targets table, legend) come out the same on every load.
    for (const features of perLayer) {
      for (const f of features) app.catalog.set(f.properties.id, f);
      app.remember(features, 'wgs84');
    }
    app.names = nameRegex(Array.from(app.catalog.values()).map((f) => f.properties.name));
    // A near answer that came first names its district-wide items briefly; now they have quotes.
    if (state.near) app.renderNear();
  }

  async function start() {
    app.buildLayerList();
    const initial = applyHash(location.hash, { initial: true });
    lastHash = location.hash;
    app.setRadius(state.radius_m);
    app.setNearMode(state.nearMode);
    const view = initial.view || DEFAULT_VIEW;
    map.setView(app.toCrs(view.lat, view.lon, state.crs), view.zoom, { animate: false });
    app.setBasemap(state.basemap, { keepView: false });
    app.updateDatumBadge();
    app.placeReader();
    app.showTab('layers');
    wire();
    app.updateLabelVisibility();
    const sessionReady = app.restoreSession();

    // The report list is small and comes first: every data request carries the selection.
    const reportsReady = loadReports().then(async () => {
      state.selectedReports = parseSelection(initial.r, state.reportList);
      if (initial.cmp) await app.setCompare(initial.cmp.a, initial.cmp.b, { reload: false });
      else app.buildReportPicker();
    });
    const catalogReady = reportsReady.then(() => Promise.all([loadReport(), loadCatalog()])).then(() => {
      app.buildFilterOptions();
      app.updateLayerCounts();
      app.updateKindLegend();
      app.updateUnlocatedList();
      app.renderTargets();
      app.renderReport();
      app.renderNear();
    });
    // The planned layers need only the selection; the outline, stations and counts come meanwhile.
    const contextReady = Promise.all([loadCollections(), app.loadDistrict().then(app.loadStations)]);
    await reportsReady;
    app.refreshLayers();
    await contextReady;
    await catalogReady;
    await sessionReady;
    // A compare link without a view of its own opens on the compared places.
    if (initial.cmp && !initial.view && !initial.sel && !initial.near) app.fitCompare();
    if (initial.sel) await app.selectFeature(initial.sel, { fly: !initial.view, popup: false, tab: !initial.tab && !initial.near });
    applyNear(initial);
    await idle.wait();
    app.writeHash();
    await idle.wait();
    document.body.dataset.ready = 'true';
  }

  // ------------------------------------------------------------ test and debug hooks
  window.planmap = {
    map,
    layers: app.groups,
    state,
    catalog: app.catalog,
    featureCache: app.featureCache,
    vocabulary: vocab,
    idle: () => idle.wait(),
    drawn: (layer) => Array.from(state.drawn[layer].keys()),
    drawnCount: (layer) => state.drawn[layer].size,
    featureLatLng: app.featureLatLng,
    highlightedIds: app.highlightedIds,
    shownFeatures: app.shownFeatures,
    allFeatures,
    nearFeatures,
    declutterLabels: app.declutterLabels,
    selectFeature: app.selectFeature,
    setBasemap: app.setBasemap,
    queryNear: (lat, lng) => app.queryNear(L.latLng(lat, lng)),
    toCrs: app.toCrs,
    toWgs: app.toWgs,
    change: () => knownChange,
    ready: null,
  };
  window.planmap.ready = start().catch((err) => app.reportError('初始化', err));
  return window.planmap.ready;
}

main();
