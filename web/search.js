//! The search box: suggestions from `/api/search` over names, aliases and quotes as the user
//! types (after the IME finishes composing Chinese), plus the rail stations drawn on the map
//! (known places: when the report does not name one, the suggestion says 报告未提及);
//! one suggestion per place with the years of the reports that name it; keyboard navigation;
//! choosing a feature selects it and moves the focus to the feature panel, choosing a station
//! flies to it and asks what is planned around it. Installs `app.wireSearch`.

import { $, $$ } from './dom.js';
import { html } from './html.js';
import { highlightQuery } from './marks.js';
import { groupResults } from './reports.js';

const MATCHED = { name: '名称', alias: '别名', quote: '原文' };

/** Installs the search box on `app`. */
export function installSearch(app) {
  const { vocab, api } = app;
  let searchAbort = null;
  let results = [];
  let active = -1;

  function closeSearch() {
    $('#search-results').hidden = true;
    $('#search').setAttribute('aria-expanded', 'false');
  }

  // Stations whose name holds the query (without a trailing 站, which OSM names omit).
  function stationResults(q) {
    const key = q.replace(/站$/, '');
    if (!key || !app.stationFeatures) return [];
    const reportText = (app.state.report && app.state.report.text) || '';
    const seen = new Set();
    const out = [];
    for (const f of app.stationFeatures) {
      const name = f.properties.name || '';
      if (!name.includes(key) || seen.has(name)) continue;
      seen.add(name);
      out.push({ station: true, name, feature: f, inReport: reportText.includes(name) });
      if (out.length >= 4) break;
    }
    return out;
  }

  function renderSearch(q) {
    const ul = $('#search-results');
    if (!results.length) {
      ul.innerHTML = String(html`<li class="empty">没有找到“${q}”</li>`);
    } else {
      ul.innerHTML = String(html`${results.map((r, i) => {
        if (r.station) {
          return html`
        <li role="option" data-testid="search-result" data-station="${r.name}" data-index="${i}" class="${i === active ? 'active' : ''}" aria-selected="${String(i === active)}">
          <span class="sym sym-station sym-small"></span>
          <span class="sr-name">${highlightQuery(r.name, q)}</span>
          <span class="sr-meta">轨道站点</span>
          <span class="sr-match" data-testid="search-not-in-report">${r.inReport ? '地图站点' : '报告未提及'}</span>
        </li>`;
        }
        const meta = vocab.layerMeta(r.layer);
        return html`
        <li role="option" data-testid="search-result" data-fid="${r.id}" data-index="${i}" class="${i === active ? 'active' : ''}" aria-selected="${String(i === active)}">
          <span class="sym sym-${meta.symbol} sym-small" style="--c:${vocab.kindColor(r.layer, r.kind)}"></span>
          <span class="sr-name">${highlightQuery(r.name, q)}</span>
          <span class="sr-meta">${meta.title} · ${r.kind || ''}${r.center ? '' : ' · 未定位'}</span>
          <span class="sr-match">${MATCHED[r.matched] || r.matched || ''}</span>
          ${r.years && app.state.selectedReports.length > 1 ? html`<span class="sr-years" data-testid="search-years" title="提及此地的报告">${r.years.map((y) => (/^\d+$/.test(y) ? `${y}年` : y)).join(' · ')}</span>` : ''}
        </li>`;
      })}`);
    }
    ul.hidden = false;
    $('#search').setAttribute('aria-expanded', 'true');
  }

  const runSearch = app.idle.debounce(async (q) => {
    if (searchAbort) searchAbort.abort();
    if (!q) { closeSearch(); return; }
    const ctrl = new AbortController();
    searchAbort = ctrl;
    try {
      // More than are shown: the same place named by several reports is one suggestion.
      const body = await api.getJSON('/api/search', { q, limit: 40, report: app.reportParam() }, ctrl.signal);
      if ($('#search').value.trim() !== q) return;
      // Planned places first (one per place, with the years that name it); stations the report
      // plans nothing for follow as known places.
      const planned = groupResults(body.results || [], (id) => app.catalog.get(id), app.state.reportList).slice(0, 10);
      const names = new Set(planned.map((r) => r.name));
      results = [...planned, ...stationResults(q).filter((s) => !names.has(s.name))];
      active = results.length ? 0 : -1;
      renderSearch(q);
    } catch (err) {
      app.reportError('搜索', err);
    }
  }, 180);

  function choose(i) {
    const r = results[i];
    if (!r) return;
    closeSearch();
    $('#search').value = r.name;
    $('#search').blur();
    if (r.station) {
      const [lng, lat] = r.feature.geometry.coordinates;
      const at = window.L.latLng(lat, lng);
      app.map.flyTo(at, Math.max(app.map.getZoom(), 16), { duration: 0.8 });
      app.queryNear(at);
      app.showTab('near');
      return;
    }
    // The focus follows the choice: to the feature panel's heading, not the top of the page.
    Promise.resolve(app.selectFeature(r.id, { fly: true })).then(() => {
      app.revealSide();
      const name = document.querySelector('#feature-panel [data-testid="feature-name"]');
      if (name) {
        name.setAttribute('tabindex', '-1');
        name.focus({ preventScroll: false });
      }
    });
  }

  function wireSearch() {
    const input = $('#search');
    input.addEventListener('input', (e) => { if (!e.isComposing) runSearch(input.value.trim()); });
    input.addEventListener('compositionend', () => runSearch(input.value.trim()));
    input.addEventListener('keydown', (e) => {
      if (e.isComposing) return;
      const ul = $('#search-results');
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!results.length) return;
        e.preventDefault();
        active = (active + (e.key === 'ArrowDown' ? 1 : -1) + results.length) % results.length;
        $$('li[data-index]', ul).forEach((li) => {
          const on = Number(li.dataset.index) === active;
          li.classList.toggle('active', on);
          li.setAttribute('aria-selected', String(on));
        });
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (results.length && !ul.hidden) choose(Math.max(active, 0));
      } else if (e.key === 'Escape') {
        closeSearch();
      }
    });
    input.addEventListener('focus', () => { if (results.length && input.value.trim()) $('#search-results').hidden = false; });
    $('#search-results').addEventListener('mousedown', (e) => {
      const li = e.target.closest('li[data-index]');
      if (!li) return;
      e.preventDefault();
      choose(Number(li.dataset.index));
    });
    document.addEventListener('click', (e) => { if (!e.target.closest('.search')) closeSearch(); });
  }

  Object.assign(app, { wireSearch });
}
