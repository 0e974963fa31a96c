//! The search box: suggestions from `/api/search` over names, aliases and quotes as the user
//! types (after the IME finishes composing Chinese), keyboard navigation, and choosing a result
//! selects the feature. Installs `app.wireSearch`.

import { $, $$ } from './dom.js';
import { html } from './html.js';
import { highlightQuery } from './marks.js';

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

  function renderSearch(q) {
    const ul = $('#search-results');
    if (!results.length) {
      ul.innerHTML = String(html`<li class="empty">没有找到“${q}”</li>`);
    } else {
      ul.innerHTML = String(html`${results.map((r, i) => {
        const meta = vocab.layerMeta(r.layer);
        return html`
        <li role="option" data-testid="search-result" data-fid="${r.id}" data-index="${i}" class="${i === active ? 'active' : ''}" aria-selected="${String(i === active)}">
          <span class="sym sym-${meta.symbol} sym-small" style="--c:${vocab.kindColor(r.layer, r.kind)}"></span>
          <span class="sr-name">${highlightQuery(r.name, q)}</span>
          <span class="sr-meta">${meta.title} · ${r.kind || ''}${r.center ? '' : ' · 全区性'}</span>
          <span class="sr-match">${MATCHED[r.matched] || r.matched || ''}</span>
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
      const body = await api.getJSON('/api/search', { q, limit: 10, report: app.reportParam() }, ctrl.signal);
      if ($('#search').value.trim() !== q) return;
      results = body.results || [];
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
    app.selectFeature(r.id, { fly: true });
    app.revealSide();
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
