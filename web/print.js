//! Printing what the view shows (A4, portrait or landscape: the printer dialog chooses; the
//! stylesheet's print rules lay out both). Before printing, the page writes a header (the
//! selected reports' title and year, what the view is, the date printed), chooses the list to
//! print (the selected feature with its sentence, the near list, or the compare lists), and
//! fits the map to what is shown: the near circle, the selected feature, or every drawn feature
//! of the selection, else the district. After printing the map goes back to the view it had.
//! Pure helpers (`printDate`, `printList`) are exported for the unit tests. Installs
//! `app.preparePrint`, `app.endPrint`.

import { $ } from './dom.js';
import { html } from './html.js';
import { fmtRadius } from './format.js';

/** A date as printed in the header: `2026年12月7日`. */
export function printDate(date) {
  return `${date.getFullYear()}年${date.getMonth() + 1}月${date.getDate()}日`;
}

/**
 * Which list the printed page carries, from what the view shows: `detail` (a selected feature
 * on the detail tab, or selected with nothing else to list), `near` (a near answer), `compare`
 * (a comparison), or `` (legend only). The open tab wins when it has something to show.
 */
export function printList({ tab, selected, near, compare }) {
  if (tab === 'detail' && selected) return 'detail';
  if (tab === 'near' && near) return 'near';
  if (compare) return 'compare';
  if (near) return 'near';
  if (selected) return 'detail';
  return '';
}

/** Installs print preparation on `app`. */
export function installPrint(app) {
  const { L } = window;
  const { map, state } = app;
  let saved = null; // the view before printing

  function subject(list) {
    if (list === 'near' && state.pin) {
      const w = app.toWgs(state.pin.lat, state.pin.lng, state.crs);
      return `周边 ${fmtRadius(state.radius_m)}：北纬 ${w.lat.toFixed(5)}°，东经 ${w.lng.toFixed(5)}°`;
    }
    if (list === 'detail' && state.selected) {
      const f = app.catalog.get(state.selected) || app.featureCache[state.crs].get(state.selected);
      return f ? `要素：${f.properties.name}` : '';
    }
    if (list === 'compare') return '两份报告对比：新增、延续、未再提及';
    return '图层与图例';
  }

  // The bounds the printed map shows (current crs), or null for the district.
  function printBounds(list) {
    if (list === 'near' && state.pin) return L.latLng(state.pin).toBounds(state.radius_m * 2.2);
    if (list === 'detail' && state.selected) {
      const f = app.featureCache[state.crs].get(state.selected);
      const b = f ? app.geometryBounds([f]) : null;
      if (b) return b.getNorthEast().distanceTo(b.getSouthWest()) < 200 ? b.getCenter().toBounds(600) : b;
    }
    const drawn = [];
    for (const layer of app.vocab.layers) {
      if (!state.layers.has(layer)) continue;
      for (const e of state.drawn[layer].values()) drawn.push(e.feature);
    }
    return app.geometryBounds(drawn) || app.districtBounds;
  }

  /** Writes the header, picks the list, fits the map for the printed page. */
  function preparePrint() {
    const list = printList({ tab: state.tab, selected: state.selected, near: state.near, compare: state.compare });
    const body = document.body;
    body.classList.add('printing');
    for (const k of ['detail', 'near', 'compare']) body.classList.toggle(`print-${k}`, list === k);
    const head = $('#print-head');
    if (head) {
      head.innerHTML = String(html`<div class="ph-title">渝中区规划一张图 · ${$('#report-title').textContent}</div>
        <div class="ph-meta"><span data-testid="print-subject">${subject(list)}</span><span>打印于 ${printDate(new Date())}</span></div>`);
    }
    if (!saved) saved = { center: map.getCenter(), zoom: map.getZoom() };
    map.invalidateSize({ animate: false, pan: false });
    const b = printBounds(list);
    if (b && b.isValid()) map.fitBounds(b, { padding: [16, 16], animate: false, maxZoom: 17 });
    return list;
  }

  function endPrint() {
    document.body.classList.remove('printing', 'print-detail', 'print-near', 'print-compare');
    map.invalidateSize({ animate: false, pan: false });
    if (saved) map.setView(saved.center, saved.zoom, { animate: false });
    saved = null;
  }

  window.addEventListener('beforeprint', preparePrint);
  window.addEventListener('afterprint', endPrint);
  // Print media without the print events (a PDF printed by a headless browser, emulated media):
  // the same preparation when the media query turns on, the same ending when it turns off.
  const mq = window.matchMedia('print');
  mq.addEventListener('change', (e) => (e.matches ? preparePrint() : endPrint()));

  Object.assign(app, { preparePrint, endPrint });
}
