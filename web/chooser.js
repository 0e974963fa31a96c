//! Stacked places, on the map and from the keyboard. A click on a drawn point that shares its
//! spot with others (within a few pixels, stack.js) opens a chooser popup listing every one of
//! them (name, layer and kind, uncertainty) as buttons; the first takes the focus, Enter or a
//! click selects, Esc closes and gives the focus back. The feature panel of a stacked point
//! lists the others drawn at the same spot (within 20 m), so the keyboard path through the
//! lists reaches each of them too. Installs `app.chooseAt`, `app.renderStackNote`,
//! `app.stackedWith`.

import { html } from './html.js';
import { STACK_PX, stackAt } from './stack.js';
import { uncertaintyLabel } from './layers.js';

/** Within this many metres two points are "at the same spot" for the feature panel's note. */
const SAME_SPOT_M = 20;

/** Installs the stacked-places chooser on `app`. */
export function installChooser(app) {
  const { L } = window;
  const { map, state, vocab } = app;

  // Every drawn point feature with its position (current crs).
  function drawnPoints() {
    const out = [];
    for (const layer of vocab.layers) {
      if (!state.layers.has(layer)) continue;
      for (const [id, entry] of state.drawn[layer]) {
        const g = entry.feature.geometry;
        if (!g || g.type !== 'Point') continue;
        out.push({ id, feature: entry.feature, latlng: L.latLng(g.coordinates[1], g.coordinates[0]) });
      }
    }
    return out;
  }

  /** The drawn points within a few pixels of feature `id`'s point (itself included). */
  function stackOnScreen(id) {
    const points = drawnPoints();
    const self = points.find((p) => p.id === id);
    if (!self) return [];
    const px = (p) => map.latLngToContainerPoint(p.latlng);
    const at = px(self);
    const byId = new Map(points.map((p) => [p.id, p]));
    return stackAt(points.map((p) => ({ id: p.id, name: p.feature.properties.name, ...px(p) })), at, STACK_PX)
      .map((s) => byId.get(s.id));
  }

  /** The other drawn points within 20 m of feature `f` (for the feature panel). */
  function stackedWith(f) {
    if (!f || !f.geometry || f.geometry.type !== 'Point') return [];
    const id = f.properties.id;
    const self = drawnPoints().find((p) => p.id === id);
    if (!self) return [];
    return drawnPoints().filter((p) => p.id !== id && map.distance(p.latlng, self.latlng) <= SAME_SPOT_M)
      .sort((a, b) => a.feature.properties.name.localeCompare(b.feature.properties.name, 'zh-CN'));
  }

  function itemHtml(p) {
    const f = p.feature.properties;
    const u = uncertaintyLabel(f.location);
    return html`<li><button type="button" class="chooser-item" data-fid="${f.id}" data-testid="chooser-item">
      <b>${f.name}</b><small>${vocab.layerMeta(f.layer).title}${f.kind ? ` · ${f.kind}` : ''}${u ? ` · ${u}` : ''}</small></button></li>`;
  }

  /** A click on feature `id` at `latlng`: select it, or offer a chooser when others share its spot. */
  function chooseAt(id, latlng) {
    const stack = stackOnScreen(id);
    if (stack.length <= 1) {
      app.selectFeature(id, { fly: false, popupAt: latlng });
      return;
    }
    const returnFocus = document.activeElement;
    const popup = L.popup({ maxWidth: 300, className: 'pm-popup-wrap pm-chooser', autoPanPadding: [40, 40] })
      .setLatLng(stack[0].latlng)
      .setContent(String(html`<div class="chooser" role="dialog" aria-label="此处的要素" data-testid="chooser">
        <p class="chooser-head">此处有 ${stack.length} 个要素（位置相同或相近），请选择：</p>
        <ul class="chooser-list">${stack.map(itemHtml)}</ul></div>`))
      .openOn(map);
    const root = popup.getElement();
    if (!root) return;
    const close = root.querySelector('.leaflet-popup-close-button');
    if (close) { close.setAttribute('aria-label', '关闭'); close.title = '关闭'; }
    const buttons = Array.from(root.querySelectorAll('button[data-fid]'));
    root.addEventListener('click', (e) => {
      const b = e.target.closest('button[data-fid]');
      if (b) app.selectFeature(b.dataset.fid, { fly: false });
    });
    root.addEventListener('keydown', (e) => {
      const i = buttons.indexOf(document.activeElement);
      if (e.key === 'Escape') {
        map.closePopup(popup);
        if (returnFocus && returnFocus.focus) returnFocus.focus();
      } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && i >= 0) {
        e.preventDefault();
        buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length].focus();
      }
    });
    buttons[0].focus({ preventScroll: true });
  }

  /** In the feature panel: the other features drawn at the same spot, as buttons. */
  function renderStackNote(f) {
    const panel = document.querySelector('#feature-panel');
    if (!panel || !f) return;
    const old = panel.querySelector('.fp-stack');
    if (old) old.remove();
    const others = stackedWith(f);
    if (!others.length) return;
    const div = document.createElement('div');
    div.className = 'fp-stack';
    div.dataset.testid = 'stack-note';
    div.innerHTML = String(html`<p>同一位置还有 ${others.length} 个要素：</p><ul class="chooser-list">${others.map(itemHtml)}</ul>`);
    div.addEventListener('click', (e) => {
      const b = e.target.closest('button[data-fid]');
      if (b) app.selectFeature(b.dataset.fid, { fly: false });
    });
    const head = panel.querySelector('.fp-facts');
    panel.insertBefore(div, head ? head.nextSibling : null);
  }

  Object.assign(app, { chooseAt, renderStackNote, stackedWith });
}
