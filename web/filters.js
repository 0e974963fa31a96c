//! Filter semantics of the planned layers, the same as the server's items route (src/api,
//! `passes`) so that every list on the page agrees with the map: `theme` equals the feature's
//! theme; `section` equals its section's number as written (（三）) or its title; `status`
//! equals its action's status; `q` is a substring (as written: no trimming, no case or
//! script folding) of its name, an alias or its quote. An absent or empty value is no filter.
//! web/tests/fixtures/filter-cases.json holds the cases both sides are tested against.
//!
//! Input: a filter object and a feature's properties. Output: booleans and query parameters.

/** The filter keys the page keeps in its state and its permalink (q is the server's too). */
export const FILTER_KEYS = ['theme', 'section', 'status'];

/** Whether a feature's properties pass `filter` ({theme?, section?, status?, q?}). */
export function passes(filter, props) {
  const f = filter || {};
  const p = props || {};
  if (f.theme && p.theme !== f.theme) return false;
  if (f.section) {
    const s = p.section || {};
    if (s.number !== f.section && s.title !== f.section) return false;
  }
  if (f.status && !(p.action && p.action.status === f.status)) return false;
  if (f.q) {
    const inName = typeof p.name === 'string' && p.name.includes(f.q);
    const inAlias = (p.aliases || []).some((a) => typeof a === 'string' && a.includes(f.q));
    const inQuote = typeof p.quote === 'string' && p.quote.includes(f.q);
    if (!(inName || inAlias || inQuote)) return false;
  }
  return true;
}

/** The query parameters that ask the server for the same filter (empty values left out:
 * the server refuses them). */
export function filterParams(filter) {
  const out = {};
  for (const k of [...FILTER_KEYS, 'q']) if (filter && filter[k]) out[k] = filter[k];
  return out;
}

/** Whether any filter is set. */
export function isFiltered(filter) {
  return Object.keys(filterParams(filter)).length > 0;
}
