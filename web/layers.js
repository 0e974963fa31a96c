//! The planned layers (zones, streets, projects): fetched by bbox and filter as the map moves,
//! drawn with their honest uncertainty, with name labels placed greedily so they do not overlap.
//!
//! Uncertainty: exact placements are solid, anything approximate dashed; every placed geometry
//! carries its `location.uncertainty_m` (u) on the map and in its label ("±N m"): a point a halo
//! of radius u (a circle in metres), a line or polygon a translucent band u wide on each side of
//! its outline. The band is drawn on the page as a wide stroke whose width is 2u converted to
//! pixels at the current zoom and latitude (re-set on every zoom), not as a buffered polygon
//! from the server: it costs nothing to serve, follows the drawn geometry in any datum, and a
//! stroke centred on the outline is exactly "the line widened by u" (for a polygon, its outline
//! blurred by u inwards and outwards: where the edge may really be).
//!
//! Colour: by stage (谋划 / 启动 / 在建 / 完工, from the action's status) by default, by kind when
//! `state.colorBy` is 'kind'. Map shapes are kept out of the tab order: the lists are their
//! keyboard path. Features without geometry are listed from the catalogue (panel-layers.js).
//! Installs `app.refreshLayers`, `app.refreshLayer`, `app.declutterLabels`,
//! `app.updateLabelVisibility`, `app.featureLatLng`, `app.shownFeatures`, `app.featureColor`,
//! `app.updateBands`.

import { html } from './html.js';
import { filterParams, passes } from './filters.js';
import { latestByPlace } from './reports.js';
import { COMPARE_COLORS } from './compare.js';
import { fmtNumber } from './format.js';

/** Pixels per metre at `zoom` and latitude `lat` (Web Mercator, 256 px tiles). */
export function pixelsPerMetre(zoom, lat) {
  return (256 * 2 ** zoom) / (40075016.686 * Math.cos((lat * Math.PI) / 180));
}

/**
 * The opacity of the band pane for `n` uncertainty bands and halos in view: the pane's wash is
 * one even tint whatever overlaps (see map.js), but with many in view the tint covers most of
 * the district and hides the outlines; it gets lighter as they multiply (0.14 up to 6, then by
 * 1/√n, never under 0.05).
 */
export function bandOpacity(n) {
  if (n <= 6) return 0.14;
  return Math.max(0.05, 0.14 * Math.sqrt(6 / n));
}

/** "±N m" for an uncertainty in metres; '' when there is none. */
export function uncertaintyLabel(loc) {
  return loc && loc.uncertainty_m ? `±${fmtNumber(loc.uncertainty_m)} m` : '';
}

/** Installs the planned layers on `app`. */
export function installLayers(app) {
  const { L } = window;
  const { map, groups, state, vocab, api } = app;
  const layerAborts = {};

  function bboxParam() {
    const b = map.getBounds().pad(0.3);
    const r = (v) => v.toFixed(6);
    return [r(b.getWest()), r(b.getSouth()), r(b.getEast()), r(b.getNorth())].join(',');
  }

  function refreshLayers() {
    state.layerGeneration += 1;
    vocab.layers.forEach((l) => refreshLayer(l, state.layerGeneration));
  }

  async function refreshLayer(layer, generation) {
    if (layerAborts[layer]) layerAborts[layer].abort();
    if (!state.layers.has(layer)) {
      clearLayer(layer);
      app.updateLayerCounts();
      return;
    }
    const ctrl = new AbortController();
    layerAborts[layer] = ctrl;
    const crs = state.crs;
    const query = { bbox: bboxParam(), limit: 1000, crs, ...filterParams(state.filters) };
    if (app.reportParam()) query.report = app.reportParam();
    state.lastItemsQuery[layer] = query;
    try {
      const fc = await api.fetchAllPages(`/api/collections/${layer}/items`, query, ctrl.signal);
      if (generation !== state.layerGeneration || crs !== state.crs) return;
      app.remember(fc.features, crs);
      // The same place in several selected reports is drawn once, with its latest commitment.
      const shown = latestByPlace(fc.features.filter((f) => passes(state.filters, f.properties)), app.reportOrder());
      drawLayer(layer, shown);
      app.updateLayerCounts();
      app.updateUnlocatedList();
    } catch (err) {
      app.reportError(`加载${vocab.layerMeta(layer).title}`, err);
    }
  }

  function clearLayer(layer) {
    groups[layer].clearLayers();
    for (const entry of state.drawn[layer].values()) {
      if (entry.halo) groups.halos.removeLayer(entry.halo);
      if (entry.band) groups.halos.removeLayer(entry.band);
    }
    state.drawn[layer].clear();
    state.unlocated[layer] = [];
    app.updateUnlocatedList();
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
    updateBands();
  }

  function featureColor(layer, props) {
    // Comparing two reports: every shape, band and halo in the colour of its kind of change.
    const compared = app.compareClass ? app.compareClass(props.place) : null;
    if (compared) return COMPARE_COLORS[compared];
    if (state.colorBy === 'kind') return vocab.kindColor(layer, props.kind);
    return vocab.stageColor(props.action && props.action.status);
  }

  // The band's stroke: 2u metres wide in pixels at this zoom, at least a hairline.
  function bandWeight(u, lat) {
    return Math.max(1, 2 * u * pixelsPerMetre(map.getZoom(), lat));
  }

  function updateBands() {
    const view = map.getBounds();
    let inView = 0;
    for (const layer of vocab.layers) {
      for (const entry of state.drawn[layer].values()) {
        if (entry.band) entry.band.setStyle({ weight: bandWeight(entry.u, entry.lat) });
        if ((entry.band || entry.halo) && view.intersects(entry.layer.getBounds())) inView += 1;
      }
    }
    // Many overlapping bands at district zoom: a lighter wash keeps the outlines readable.
    const o = bandOpacity(inView);
    map.getPane('pm-band').style.opacity = String(o);
    map.getPane('pm-halo').style.opacity = String(Math.min(1, o / 0.14));
    map.getContainer().dataset.bands = String(inView);
  }

  function featureStyle(layer, props, geometryType) {
    const color = featureColor(layer, props);
    const exact = props.location && props.location.match === 'exact';
    const compared = app.compareClass ? app.compareClass(props.place) : null;
    const cls = `pm-feat pm-${layer}${exact ? ' pm-exact' : ' pm-approx'}${compared ? ` pm-cmp pm-cmp-${compared}` : ''}`;
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
    const color = featureColor(layer, p);
    const pane = `pm-${layer}`;
    const u = (p.location && p.location.uncertainty_m) || 0;
    const interactiveSelect = layer !== 'zones';
    let halo = null;
    let band = null;
    let bandLat = 0;

    const gj = L.geoJSON(f, {
      pane,
      style: (ft) => featureStyle(layer, p, ft.geometry.type),
      pointToLayer: (_f, latlng) => {
        if (u > 0) {
          halo = L.circle(latlng, {
            pane: 'pm-halo', radius: u, interactive: false,
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

    if (u > 0 && !f.geometry.type.includes('Point')) {
      // The band: the outline widened by u on each side (see the module doc).
      bandLat = gj.getBounds().getCenter().lat;
      band = L.geoJSON(f, {
        pane: 'pm-band', interactive: false,
        style: {
          color, weight: bandWeight(u, bandLat), opacity: 1, fill: false,
          lineCap: 'round', lineJoin: 'round', className: `pm-band pm-band-${layer}`,
        },
      });
    }

    gj.eachLayer((l) => {
      l.on('add', () => {
        const elt = l.getElement && l.getElement();
        if (elt && elt.classList.contains('pm-feat')) {
          elt.setAttribute('data-fid', p.id);
          elt.setAttribute('data-layer', layer);
          // Shapes stay out of the tab order; the lists are their keyboard path.
          elt.setAttribute('tabindex', '-1');
          elt.setAttribute('focusable', 'false');
        }
      });
    });

    const status = p.action ? (vocab.stageLabel(p.action.status) || p.action.verb) : '';
    const ulabel = uncertaintyLabel(p.location);
    const how = p.location && p.location.match === 'exact' ? '来源几何' : '示意位置';
    gj.bindTooltip(String(html`<b>${p.name}</b><small>${p.kind || ''}${status ? html` · ${status}` : ''}${ulabel ? html` · ${how} ${ulabel}` : ''}</small>`), {
      sticky: layer !== 'projects', direction: 'top', offset: layer === 'projects' ? [0, -8] : [0, -4],
      className: 'pm-tip', opacity: 1,
    });
    if (interactiveSelect) {
      gj.on('click', (e) => {
        L.DomEvent.stop(e);
        // Several places drawn at one spot: a chooser lists them (chooser.js).
        app.chooseAt(p.id, e.latlng);
      });
    }
    gj.addTo(groups[layer]);
    if (halo) halo.addTo(groups.halos);
    if (band) band.addTo(groups.halos);

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
      }).setLatLng(anchor).setContent(String(html`${p.name}${ulabel ? html`<small class="pm-u">${ulabel}</small>` : ''}`)).addTo(groups[layer]);
    }

    state.drawn[layer].set(p.id, { feature: f, layer: gj, halo, band, u, lat: bandLat });
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

  // Greedy label placement: zones first, then streets, projects, stations; a label that would
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
    for (const layer of vocab.layers) {
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

  /** The features drawn on active layers that intersect the view (what an export writes). */
  function shownFeatures() {
    const view = map.getBounds();
    const out = [];
    for (const layer of vocab.layers) {
      if (!state.layers.has(layer)) continue;
      for (const { feature, layer: l } of state.drawn[layer].values()) {
        if (view.intersects(l.getBounds())) out.push(feature);
      }
    }
    return out;
  }

  Object.assign(app, {
    refreshLayers, refreshLayer, declutterLabels, updateLabelVisibility, featureLatLng, shownFeatures,
    featureColor, updateBands,
  });
}
