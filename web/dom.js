//! Small DOM helpers shared by the page's modules: selectors, the toast, and the idle tracker
//! that counts outstanding requests, debounce timers and map moves so that tests (and the
//! loading indicator, `body[data-loading]`) know when the page has settled; and the one-line
//! "why" form that editors fill before a withdrawal or an undo (built from elements, no HTML).

/** The first element matching `sel`. */
export const $ = (sel, root = document) => root.querySelector(sel);
/** Every element matching `sel`, as an array. */
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

let toastTimer = null;
/**
 * A short message in a bar under the header: kind is 'info', 'warn' or 'error'. The bar takes
 * its own place in the page (it never covers the map or a list); a resize event lets the map
 * fit the space that is left.
 */
export function toast(msg, kind = 'info', ms = 3500) {
  const t = $('#toast');
  t.textContent = msg;
  t.className = `toast toast-${kind}`;
  const wasHidden = t.hidden;
  t.hidden = false;
  if (wasHidden) window.dispatchEvent(new Event('resize'));
  if (toastTimer) clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    t.hidden = true;
    window.dispatchEvent(new Event('resize'));
  }, ms);
}

/** The idle tracker. */
export function createIdle() {
  const idle = {
    pending: 0,
    moving: false, // a pan, zoom or fly is in progress
    pendingTimers: new Set(),
    waiters: [],
    start() { this.pending += 1; document.body.dataset.loading = 'true'; },
    done() { this.pending -= 1; this.check(); },
    busy() { return this.pending > 0 || this.pendingTimers.size > 0 || this.moving; },
    check() {
      if (this.busy()) return;
      document.body.dataset.loading = 'false';
      // A settled page may start new work in the same tick (a moveend after a fly): wait a
      // moment before resolving.
      setTimeout(() => {
        if (this.busy()) return;
        const w = this.waiters.splice(0);
        w.forEach((r) => r());
      }, 50);
    },
    wait() {
      return new Promise((resolve) => { this.waiters.push(resolve); this.check(); });
    },
    /** `fn` debounced by `ms`; a pending call counts as work not yet done. */
    debounce(fn, ms) {
      let t = null;
      const wrapped = (...args) => {
        if (t) clearTimeout(t);
        idle.pendingTimers.add(wrapped);
        t = setTimeout(() => {
          t = null;
          idle.pendingTimers.delete(wrapped);
          fn(...args);
          idle.check();
        }, ms);
      };
      return wrapped;
    },
  };
  return idle;
}

/**
 * A one-line "why" form placed `where` (`afterend`, `beforeend` …) of `anchor`: an input that
 * must not be empty and a submit button; `onReason(text)` gets the trimmed reason. The test ids
 * are `<testid>-note` and `<testid>-submit`. Nothing is added when `anchor`'s parent already
 * holds a form of `className`; returns the form (or null then).
 */
export function askReason(anchor, where, { className, placeholder, button, testid }, onReason) {
  const home = where === 'beforeend' ? anchor : anchor.parentElement;
  if (home && home.querySelector(`:scope > form.${className}`)) return null;
  const form = document.createElement('form');
  form.className = `reason-form ${className}`;
  const input = document.createElement('input');
  input.maxLength = 500;
  input.placeholder = placeholder;
  input.dataset.testid = `${testid}-note`;
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'btn btn-small btn-primary';
  submit.dataset.testid = `${testid}-submit`;
  submit.textContent = button;
  form.append(input, submit);
  anchor.insertAdjacentElement(where, form);
  input.focus();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) { input.focus(); return; }
    onReason(text);
  });
  return form;
}
