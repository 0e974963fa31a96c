//! The sign-in box in the header: an editor pastes the bearer token `planmap token add NAME`
//! printed; the page checks it with `GET /api/whoami`, keeps it in sessionStorage (this browser
//! tab only, gone when the tab closes) and says who is signed in, with a sign-out button.
//! Reading the map needs no sign-in; only corrections do.
//!
//! Installs `app.edit` (the correction API client bound to the stored token), `app.session`
//! (`{name, role}` or null), `app.onSessionChange(fn)` and `app.requireSignIn(reason)`.

import { $, toast } from './dom.js';
import { html } from './html.js';
import { createEditApi, createTokenStore, describeWriteError, WriteError } from './edit-api.js';

const ROLE_LABELS = { editor: '编辑' };

/** Installs the sign-in box on `app` (into `#signin`). */
export function installSignIn(app) {
  const root = $('#signin');
  const store = createTokenStore(window.sessionStorage);
  const listeners = [];
  app.session = null;
  app.edit = createEditApi({
    origin: location.origin,
    token: () => store.get(),
    onStart: () => app.idle.start(),
    onDone: () => app.idle.done(),
  });

  function setSession(who) {
    app.session = who;
    document.body.classList.toggle('signed-in', !!who);
    document.body.dataset.signedIn = who ? 'true' : 'false';
    render();
    listeners.forEach((fn) => fn(who));
  }

  function render(message = '', open = false) {
    if (!root) return;
    const who = app.session;
    if (who) {
      root.innerHTML = String(html`
        <span class="signin-who" data-testid="signin-who" title="令牌只保存在本标签页，关闭标签页即失效">
          <span class="signin-dot" aria-hidden="true"></span>已登录：<b>${who.name}</b>（${ROLE_LABELS[who.role] || who.role}）</span>
        <button type="button" class="btn btn-quiet" data-testid="signout">退出</button>`);
      root.querySelector('[data-testid="signout"]').addEventListener('click', signOut);
      return;
    }
    root.innerHTML = String(html`
      <button type="button" class="btn" data-testid="signin-open" aria-expanded="${open ? 'true' : 'false'}" aria-controls="signin-form">编辑登录</button>
      <form id="signin-form" class="signin-pop" data-testid="signin-form" ${open ? '' : 'hidden'}>
        <label for="signin-token">编辑令牌</label>
        <input id="signin-token" type="password" data-testid="signin-token" autocomplete="off" spellcheck="false"
               placeholder="粘贴 planmap token add 给出的令牌" required>
        <div class="signin-row">
          <button type="submit" class="btn btn-primary" data-testid="signin-submit">登录</button>
          <button type="button" class="btn btn-quiet" data-act="cancel">取消</button>
        </div>
        <p class="signin-msg" data-testid="signin-msg" role="alert">${message}</p>
        <p class="hint">浏览地图无需登录；登录后可修正要素位置。令牌只保存在本标签页，关闭即失效。</p>
      </form>`);
    const openBtn = root.querySelector('[data-testid="signin-open"]');
    const form = root.querySelector('form');
    const input = form.querySelector('input');
    const setOpen = (on) => {
      form.hidden = !on;
      openBtn.setAttribute('aria-expanded', String(on));
      if (on) input.focus(); else openBtn.focus();
    };
    openBtn.addEventListener('click', () => setOpen(form.hidden));
    form.querySelector('[data-act="cancel"]').addEventListener('click', () => setOpen(false));
    form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); } });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      signIn(input.value.trim());
    });
    if (open) input.focus();
  }

  async function signIn(token) {
    if (!token) { render('请粘贴编辑令牌。', true); return; }
    try {
      const who = await app.edit.whoami(token);
      store.set(token);
      setSession(who);
      toast(`已登录：${who.name}`, 'info');
    } catch (err) {
      const msg = err instanceof WriteError && err.status === 401
        ? '令牌无效或已撤销，请核对后重试。'
        : describeWriteError('登录', err);
      render(msg, true);
    }
  }

  function signOut() {
    store.clear();
    setSession(null);
    toast('已退出编辑登录；浏览不受影响。', 'info');
    const btn = root && root.querySelector('[data-testid="signin-open"]');
    if (btn) btn.focus();
  }

  /** Opens the sign-in box with `reason` when nobody is signed in; true when someone is. */
  function requireSignIn(reason) {
    if (app.session) return true;
    render(reason || '请先登录编辑账号。', true);
    return false;
  }

  /** Checks a token kept from earlier in this tab; a refused one is forgotten. */
  async function restore() {
    const token = store.get();
    if (!token) { setSession(null); return; }
    try {
      setSession(await app.edit.whoami(token));
    } catch (err) {
      if (err instanceof WriteError && err.status === 401) {
        store.clear();
        setSession(null);
        toast('此前的编辑令牌已失效，请重新登录。', 'warn', 6000);
      } else {
        setSession(null);
        app.reportError('核对编辑登录', err);
      }
    }
  }

  Object.assign(app, {
    onSessionChange: (fn) => listeners.push(fn),
    requireSignIn,
    signOut,
    restoreSession: restore,
  });
  render();
}
