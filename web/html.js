//! The one HTML escaping helper of the page. Every piece of HTML built from data goes through
//! the `html` tagged template: interpolated values are escaped unless they are already HTML
//! made by `html` (or `raw`, for the few constant fragments such as an SVG icon); arrays are
//! joined, `null`, `undefined` and `false` render as nothing.
//!
//! Input: template literals and values. Output: `Html` objects; `String(h)` (or `${h}` in a
//! plain template) is the markup, ready for `innerHTML`.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML text and in quoted attribute values. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Markup that is already safe: made by `html`, or a constant passed to `raw`. */
export class Html {
  constructor(markup) { this.markup = markup; }

  toString() { return this.markup; }
}

/** Marks constant markup (never data) as safe. */
export function raw(markup) {
  return new Html(String(markup));
}

function render(value) {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return esc(value);
}

/** Tagged template: `html\`<b>${name}</b>\`` escapes `name`; nested `html` is kept as is. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Joins pieces with a separator, escaping every piece that is not `Html`. */
export function join(pieces, separator) {
  return new Html(pieces.map(render).join(render(separator)));
}
