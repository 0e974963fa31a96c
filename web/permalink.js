//! The permalink: page state ⇄ URL hash
//! `#map=zoom/lat/lon&layers=…&basemap=osm|amap|none&theme=&section=&status=&sel=`
//! `&near=lon,lat,radius_m&tab=near&color=kind&r=&cmp=`
//! (`r`: the selected report ids, or `all`; `cmp`: two report ids compared, `a,b`).
//! The centre and the near point are always WGS-84 whatever the basemap (the caller converts).
//! Pure.

import { FILTER_KEYS } from './filters.js';

/** The side panel's tabs a link may open. */
export const TABS = ['layers', 'near', 'detail', 'targets', 'report'];
/** How features are coloured: by stage (the default, not written) or by kind. */
export const COLOR_MODES = ['stage', 'kind'];

/**
 * Reads a hash. `layers` and `basemaps` are the known names: unknown ones are dropped.
 * Returns only what the hash states: {view?: {zoom, lat, lon}, layers?, basemap?, theme?,
 * section?, status?, sel?}.
 */
export function parseHash(hash, { layers, basemaps }) {
  const out = {};
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const m = (params.get('map') || '').split('/').map(Number);
  if (m.length === 3 && m.every((v) => Number.isFinite(v))) out.view = { zoom: m[0], lat: m[1], lon: m[2] };
  if (params.has('layers')) out.layers = params.get('layers').split(',').filter((l) => layers.includes(l));
  if (params.has('basemap') && basemaps.includes(params.get('basemap'))) out.basemap = params.get('basemap');
  for (const k of FILTER_KEYS) if (params.has(k)) out[k] = params.get(k);
  if (params.has('sel')) out.sel = params.get('sel');
  const near = (params.get('near') || '').split(',').map(Number);
  if (near.length === 3 && near.every((v) => Number.isFinite(v)) && near[2] > 0
    && Math.abs(near[0]) <= 180 && Math.abs(near[1]) <= 90) {
    out.near = { lon: near[0], lat: near[1], radius_m: near[2] };
  }
  if (TABS.includes(params.get('tab'))) out.tab = params.get('tab');
  if (COLOR_MODES.includes(params.get('color'))) out.color = params.get('color');
  if (params.has('r')) out.r = params.get('r');
  if (params.has('cmp')) {
    const [a, b] = params.get('cmp').split(',');
    if (a && b) out.cmp = { a, b };
  }
  return out;
}

/**
 * Writes a hash from {zoom, lat, lon (WGS-84), layers (active, in order), basemap, filters,
 * selected, near ({lon, lat, radius_m} WGS-84, or null), tab, color, reports (the `r` value),
 * compare ({a, b})}. The zoom is rounded to the page's quarter steps, the centre and the near
 * point to 5 decimals (~1 m); the layers tab and colour by stage are the defaults and are not
 * written.
 */
export function buildHash({ zoom, lat, lon, layers, basemap, filters, selected, near = null, tab = null, color = null, reports, compare }) {
  const z = Math.round(zoom * 4) / 4;
  const parts = [
    `map=${z}/${lat.toFixed(5)}/${lon.toFixed(5)}`,
    `layers=${layers.join(',')}`,
    `basemap=${basemap}`,
  ];
  for (const k of FILTER_KEYS) if (filters && filters[k]) parts.push(`${k}=${encodeURIComponent(filters[k])}`);
  if (selected) parts.push(`sel=${encodeURIComponent(selected)}`);
  if (near) parts.push(`near=${near.lon.toFixed(5)},${near.lat.toFixed(5)},${Math.round(near.radius_m)}`);
  if (tab && tab !== 'layers' && TABS.includes(tab)) parts.push(`tab=${tab}`);
  if (color && color !== 'stage' && COLOR_MODES.includes(color)) parts.push(`color=${color}`);
  if (reports) parts.push(`r=${encodeURIComponent(reports).replace(/%2C/g, ',')}`);
  if (compare) parts.push(`cmp=${encodeURIComponent(compare.a)},${encodeURIComponent(compare.b)}`);
  return `#${parts.join('&')}`;
}
