//! Place names marked in text: every known name in a quote (longest first, so that
//! 朝天门—解放碑—通远门 wins over 解放碑), the feature's own name marked more strongly, and a
//! search query in a result's name. Pure; returns `Html` (see html.js).

import { html, esc, raw } from './html.js';

/** A regex matching any of `names`, longest first; null when there are none. */
export function nameRegex(names) {
  const unique = Array.from(new Set(names.filter(Boolean)));
  unique.sort((a, b) => b.length - a.length);
  if (!unique.length) return null;
  return new RegExp(unique.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

function markOwn(markup, own) {
  return markup.split(esc(own)).join(String(html`<mark class="own">${own}</mark>`));
}

/** `text` with every name `re` matches marked; `own` (the feature's name) as class "own". */
export function highlightNames(text, own, re) {
  const plain = String(text || '');
  const regex = re ? new RegExp(re.source, 'g') : null;
  if (own && (!regex || !plain.includes(own))) return raw(markOwn(esc(plain), own));
  if (!regex) return html`${plain}`;
  const parts = [];
  let last = 0;
  for (const m of plain.matchAll(regex)) {
    parts.push(plain.slice(last, m.index));
    parts.push(html`<mark class="${m[0] === own ? 'own' : 'place'}">${m[0]}</mark>`);
    last = m.index + m[0].length;
  }
  parts.push(plain.slice(last));
  let out = String(html`${parts}`);
  // A name contained in a longer one (解放碑 in 朝天门—解放碑—通远门) still gets its mark.
  if (own && !out.includes('class="own"')) out = markOwn(out, own);
  return raw(out);
}

/** A name with the first occurrence of the query in bold. */
export function highlightQuery(name, q) {
  const i = q ? name.indexOf(q) : -1;
  if (i < 0) return html`${name}`;
  return html`${name.slice(0, i)}<b>${q}</b>${name.slice(i + q.length)}`;
}
