//! Plain-text formatting of numbers, distances, sections and quotes for the page's Chinese UI.
//! Pure: strings in, strings out (no HTML; callers put the results through `html`).

/** A distance in metres as the near list shows it. */
export function fmtDistance(m) {
  if (m == null || Number.isNaN(m)) return '';
  if (m < 1) return '0 m（范围内）';
  if (m < 1000) return `${Math.round(m)} m`;
  return `${(m / 1000).toFixed(m < 10000 ? 2 : 1)} km`;
}

/** A search radius in metres: `500 m`, `1 km`. */
export function fmtRadius(m) {
  return m >= 1000 ? `${m / 1000} km` : `${m} m`;
}

/** A target's value: numbers grouped the Chinese way, anything else as written. */
export function fmtNumber(v) {
  if (typeof v !== 'number') return String(v ?? '');
  return v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

/** A section reference {part, number, title} as one label: `三、（三） 标题`. */
export function sectionLabel(sec) {
  if (!sec) return '';
  const head = [sec.part ? `${sec.part}、` : '', sec.number || ''].join('');
  return [head, sec.title || ''].filter(Boolean).join(' ');
}

/** At most `n` characters (code points), with an ellipsis when cut. */
export function truncate(s, n) {
  const chars = Array.from(s);
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
}

/** A quote cut to about `n` characters around the feature's name. */
export function quoteExcerpt(quote, name, n = 72) {
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

/** The layer named in a feature id `report/layer/slug`, if it is one of `layers`. */
export function layerOfId(id, layers) {
  const parts = String(id).split('/');
  return layers.includes(parts[1]) ? parts[1] : null;
}
