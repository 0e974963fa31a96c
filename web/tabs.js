//! Tabs and layout: the side panel's tabs, and where the reading pane lives (a third column on
//! wide screens, a tab of the side panel otherwise; on a phone the panel is under the map).
//! Installs `app.showTab`, `app.showReader`, `app.revealSide`, `app.revealMap`, `app.readerInSide`,
//! `app.placeReader`, `app.wideQuery`.

import { $, $$ } from './dom.js';

/** Installs tabs and layout on `app`. */
export function installTabs(app) {
  const { state } = app;
  const wideQuery = window.matchMedia('(min-width: 1360px)');

  function readerInSide() {
    return !wideQuery.matches;
  }

  function showTab(name) {
    if (name === 'report' && wideQuery.matches) {
      if (state.pendingScroll != null) app.scrollToMention(state.pendingScroll);
      return;
    }
    state.tab = name;
    $$('[data-tab]').forEach((b) => {
      b.classList.toggle('on', b.dataset.tab === name);
      b.setAttribute('aria-selected', String(b.dataset.tab === name));
    });
    $$('#panes > .pane').forEach((p) => p.classList.toggle('on', p.dataset.pane === name));
    if (app.writeHash) app.writeHash();
    if (name === 'report' && state.pendingScroll != null) setTimeout(() => app.scrollToMention(state.pendingScroll), 0);
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
    setTimeout(() => app.map.invalidateSize(), 0);
  }

  // On a phone the panel is under the map: bring it into view when the user asks for details.
  function revealSide() {
    if (window.matchMedia('(max-width: 759px)').matches) $('#side').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  // On a phone the map is above the panel: acting in a panel (choosing an item, a sentence)
  // brings the map into view so the result is seen, not 2,000 px away.
  function revealMap() {
    if (window.matchMedia('(max-width: 759px)').matches) app.map.getContainer().scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function showReader() {
    if (readerInSide()) { showTab('report'); revealSide(); } else if (state.pendingScroll != null) app.scrollToMention(state.pendingScroll);
  }

  Object.assign(app, { showTab, showReader, revealSide, revealMap, readerInSide, placeReader, wideQuery });
}
