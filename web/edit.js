//! Correcting a feature's placement on the map ("修正位置"), for a signed-in editor.
//!
//! A point is moved by dragging its pin, by clicking the map, or by typing its coordinates
//! (WGS-84, latitude first); a line or polygon is edited vertex by vertex or redrawn with
//! Leaflet-Geoman (served from npm at /vendor/geoman/); an unlocated item is placed the same way
//! ("在地图上标出"). The editor gives the uncertainty in metres, the source (来源) and the reason
//! (说明), both required, and saves with `If-Match` of the version loaded when editing began: when
//! someone else saved first the server answers 412 and the page says so, shows their version
//! and lets the editor reload and retry; every other refusal is shown as a Chinese sentence.
//! Guard rails: a placement more than 1 km from the automatic one (or from the current one, when
//! it was corrected before) or with a vertex outside the district is not sent until the editor
//! confirms it and writes why; the reason is saved with the correction's 说明.
//!
//! The geometry is drawn in the basemap's datum and converted to WGS-84 before it is sent.
//! Installs `app.startEdit`, `app.cancelEdit`, `app.decorateDetail` (the feature panel's hook),
//! `app.afterPlacementChange`, `app.mapClickTaken` (map clicks belong to the editor while editing).

import { $, $$, toast } from './dom.js';
import { html } from './html.js';
import { layerOfId } from './format.js';
import { currentVersion, describeWriteError, WriteError } from './edit-api.js';
import {
  conflictSentence, defaultShape, firstPosition, fmtTime, geometryToWgs, parseLatLng, placementWarnings, readCorrectionForm, roundDegree,
} from './edit-core.js';

const EDIT_COLOR = '#d9480f';
const EDIT_STYLE = { color: EDIT_COLOR, weight: 4, opacity: 1, fillColor: EDIT_COLOR, fillOpacity: 0.12, dashArray: null };
const THEIRS_STYLE = { color: '#495057', weight: 3, opacity: 0.9, dashArray: '4 6', fill: false, interactive: false };
const SHAPE_WORDS = { Point: '点', LineString: '线', Polygon: '面' };
const GEOMAN_SHAPE = { LineString: 'Line', Polygon: 'Polygon' };

/** Installs the placement editor on `app`. */
export function installEdit(app) {
  const { L } = window;
  const { map, state, vocab } = app;
  const group = L.layerGroup().addTo(map);
  map.createPane('pm-edit').style.zIndex = '470';
  let editing = null;

  if (map.pm) {
    map.pm.setLang('zh');
    map.pm.setGlobalOptions({
      allowSelfIntersection: false, snappable: false, pathOptions: EDIT_STYLE,
      templineStyle: { color: EDIT_COLOR }, hintlineStyle: { color: EDIT_COLOR, dashArray: '5 5' },
    });
  }

  function layerOf(id) {
    const f = app.catalog.get(id);
    return (f && f.properties.layer) || layerOfId(id, vocab.layers);
  }

  // ------------------------------------------------------------ geometry on the map

  function clearShapes() {
    if (map.pm) map.pm.disableDraw();
    if (editing && editing.shape && editing.shape.pm) editing.shape.pm.disable();
    if (editing && editing.shape) map.removeLayer(editing.shape);
    group.clearLayers();
    if (editing) { editing.shape = null; editing.marker = null; editing.halo = null; editing.theirs = null; }
  }

  function markOriginal(on) {
    const entry = editing && vocab.layers.map((l) => state.drawn[l].get(editing.id)).find(Boolean);
    if (!entry) return;
    entry.layer.eachLayer((l) => {
      const el = l.getElement && l.getElement();
      if (el) el.classList.toggle('pm-being-edited', on);
    });
    if (entry.halo && entry.halo.getElement()) entry.halo.getElement().classList.toggle('pm-being-edited', on);
  }

  function updateHalo() {
    if (!editing || !editing.marker) return;
    const u = Number(editing.values.uncertainty);
    if (editing.halo) { group.removeLayer(editing.halo); editing.halo = null; }
    if (Number.isFinite(u) && u > 0) {
      editing.halo = L.circle(editing.marker.getLatLng(), {
        pane: 'pm-edit', radius: u, interactive: false, color: EDIT_COLOR, weight: 1, dashArray: '3 4', fillOpacity: 0.06,
      }).addTo(group);
    }
  }

  function coordsText(latlng) {
    const w = app.toWgs(latlng.lat, latlng.lng, state.crs);
    return `${roundDegree(w.lat).toFixed(6)}, ${roundDegree(w.lng).toFixed(6)}`;
  }

  function placeMarker(latlng) {
    if (!editing.marker) {
      editing.marker = L.marker(latlng, {
        draggable: true, autoPan: true, keyboard: true, title: '拖动以移动位置', alt: '修正位置的标记',
        icon: L.divIcon({ className: 'pm-edit-pin', iconSize: [22, 22], iconAnchor: [11, 11] }),
        zIndexOffset: 1000,
      }).addTo(group);
      const el = editing.marker.getElement();
      if (el) el.dataset.testid = 'edit-marker';
      editing.marker.on('drag', () => { if (editing.halo) editing.halo.setLatLng(editing.marker.getLatLng()); });
      editing.marker.on('dragend', () => onMoved());
    } else {
      editing.marker.setLatLng(latlng);
    }
    onMoved();
  }

  function onMoved() {
    editing.changed = true;
    const input = $('[data-testid="edit-coords"]');
    if (input && editing.marker) input.value = coordsText(editing.marker.getLatLng());
    updateHalo();
    setMessage('');
  }

  function editPath(layer) {
    editing.shape = layer;
    layer.options.pane = 'pm-edit';
    if (!map.hasLayer(layer)) layer.addTo(map);
    layer.setStyle(EDIT_STYLE);
    if (layer.pm) {
      layer.pm.enable({ allowSelfIntersection: false, draggable: false });
      layer.on('pm:edit', () => { editing.changed = true; setMessage(''); });
    }
  }

  function showGeometry(geometry) {
    if (editing.kind === 'Point') {
      const p = firstPosition(geometry);
      if (p) placeMarker(L.latLng(p.lat, p.lng));
      editing.changed = false;
      return;
    }
    let path = null;
    L.geoJSON(geometry, { style: EDIT_STYLE }).eachLayer((l) => { if (!path && l.getLatLngs) path = l; });
    // A street or zone known only as a point: the editor draws its line or polygon anew.
    if (path && (editing.kind === 'Polygon') === (path instanceof L.Polygon)) editPath(path);
  }

  function startDrawing() {
    if (!map.pm) { setMessage('编辑插件未加载，无法绘制。', 'error'); return; }
    if (editing.shape) { editing.shape.pm.disable(); map.removeLayer(editing.shape); editing.shape = null; }
    editing.drawing = true;
    map.pm.enableDraw(GEOMAN_SHAPE[editing.kind], { pathOptions: EDIT_STYLE, finishOn: null, continueDrawing: false });
    map.once('pm:create', (e) => {
      editing.drawing = false;
      editPath(e.layer);
      editing.changed = true;
      editing.message = null;
      renderForm();
    });
    setMessage(editing.kind === 'Polygon'
      ? '在地图上依次点击各顶点，点击第一个顶点闭合面。'
      : '在地图上依次点击各点，再次点击最后一点结束。', 'info');
  }

  function currentGeometry() {
    if (editing.kind === 'Point') {
      if (!editing.marker) return null;
      const ll = editing.marker.getLatLng();
      return geometryToWgs({ type: 'Point', coordinates: [ll.lng, ll.lat] }, state.crs, app.toWgs);
    }
    if (!editing.shape) return null;
    return geometryToWgs(editing.shape.toGeoJSON(15).geometry, state.crs, app.toWgs);
  }

  function showTheirs(geometry) {
    if (editing.theirs) group.removeLayer(editing.theirs);
    editing.theirs = null;
    if (!geometry) return;
    editing.theirs = L.geoJSON(geometry, {
      pane: 'pm-edit', style: THEIRS_STYLE,
      pointToLayer: (_f, ll) => L.circleMarker(ll, { ...THEIRS_STYLE, radius: 9 }),
      coordsToLatLng: (c) => app.toCrs(c[1], c[0], state.crs),
    }).addTo(group);
  }

  // ------------------------------------------------------------ the form

  function setMessage(text, kind = 'error') {
    if (!editing) return;
    editing.message = text ? { text, kind } : null;
    const el = $('[data-testid="edit-message"]');
    if (!el) return;
    el.textContent = text;
    el.className = `fp-edit-msg ${text ? `msg-${kind}` : ''}`;
  }

  function formHtml() {
    const e = editing;
    const err = e.errors || {};
    const invalid = (k) => (err[k] ? html`aria-invalid="true" aria-describedby="edit-err-${k}"` : '');
    const errText = (k) => (err[k] ? html`<span class="field-err" id="edit-err-${k}">${err[k]}</span>` : '');
    const isPoint = e.kind === 'Point';
    const located = !!(isPoint ? e.marker : e.shape);
    const instructions = isPoint
      ? (located ? '拖动橙色标记，或在地图上点击新位置，或输入坐标。' : '在地图上点击以标出位置，或输入坐标。')
      : (located ? `拖动顶点修改${SHAPE_WORDS[e.kind]}，或重新绘制。` : `点击“绘制${SHAPE_WORDS[e.kind]}”，在地图上标出位置。`);
    const latest = e.conflict;
    return html`
      <form class="fp-edit" data-testid="edit-form" aria-labelledby="edit-title" novalidate>
        <h3 id="edit-title">修正位置 <small class="muted">基于第 ${e.version} 版${e.version === 0 ? '（自动定位）' : ''}</small></h3>
        ${latest ? html`
        <div class="fp-conflict" role="alert" data-testid="edit-conflict">
          <p><b>${conflictSentence(latest)}</b></p>
          ${latest.source || latest.note ? html`<p class="small">他的来源：${latest.source || '—'}；说明：${latest.note || '—'}</p>` : ''}
          <p class="small">灰色虚线为他保存的位置，橙色为你尚未保存的修改。</p>
          <div class="btn-row">
            <button type="button" class="btn btn-primary" data-act="reload-retry" data-testid="edit-reload-retry">载入最新版本并重试</button>
            <button type="button" class="btn btn-quiet" data-act="cancel">放弃我的修改</button>
          </div>
        </div>` : ''}
        <p class="hint">${instructions}</p>
        <div class="field">
          <label for="edit-kind">几何类型</label>
          <select id="edit-kind" data-testid="edit-kind">
            ${['Point', 'LineString', 'Polygon'].map((k) => html`<option value="${k}" ${k === e.kind ? 'selected' : ''}>${SHAPE_WORDS[k]}</option>`)}
          </select>
        </div>
        ${isPoint ? html`
        <div class="field">
          <label for="edit-coords">坐标（纬度, 经度，WGS-84）</label>
          <div class="field-row">
            <input id="edit-coords" data-testid="edit-coords" inputmode="decimal" autocomplete="off" spellcheck="false"
                   placeholder="如 29.559000, 106.577000" value="${e.marker ? coordsText(e.marker.getLatLng()) : ''}">
            <button type="button" class="btn" data-act="apply-coords" data-testid="edit-apply-coords">定位</button>
          </div>
        </div>` : html`
        <div class="btn-row">
          <button type="button" class="btn" data-act="draw" data-testid="edit-draw">${located ? '重新绘制' : '绘制'}${SHAPE_WORDS[e.kind]}</button>
        </div>`}
        <div class="field">
          <label for="edit-uncertainty">位置误差（米，必填）</label>
          <input id="edit-uncertainty" data-testid="edit-uncertainty" type="number" min="0" max="50000" step="1" inputmode="numeric"
                 placeholder="如 30" value="${e.values.uncertainty}" ${invalid('uncertainty')}>
          ${errText('uncertainty')}
        </div>
        <div class="field">
          <label for="edit-source">来源（必填）</label>
          <input id="edit-source" data-testid="edit-source" autocomplete="off" maxlength="2000"
                 placeholder="位置依据：如 控规图则、征收公告附图、实地核查" value="${e.values.source}" ${invalid('source')}>
          ${errText('source')}
        </div>
        <div class="field">
          <label for="edit-note">说明（必填）</label>
          <textarea id="edit-note" data-testid="edit-note" rows="2" maxlength="2000"
                    placeholder="为什么修正：如 自动定位落在片区中心，项目实际在路口东侧" ${invalid('note')}>${e.values.note}</textarea>
          ${errText('note')}
        </div>
        ${e.guard ? html`
        <div class="fp-guard" role="alert" data-testid="edit-guard">
          <p><b>请确认这个位置：</b></p>
          <ul>${e.guard.warnings.map((w) => html`<li>${w}</li>`)}</ul>
          <label for="edit-confirm-reason">确认理由（必填，随修正记录保存）</label>
          <textarea id="edit-confirm-reason" data-testid="edit-confirm-reason" rows="2" maxlength="500"
                    placeholder="如 项目用地确在江北嘴，报告列入渝中区工作" ${e.guard.error ? html`aria-invalid="true" aria-describedby="edit-err-guard"` : ''}>${e.guard.reason}</textarea>
          ${e.guard.error ? html`<span class="field-err" id="edit-err-guard">${e.guard.error}</span>` : ''}
          <div class="btn-row">
            <button type="button" class="btn btn-primary" data-act="confirm-save" data-testid="edit-confirm-save">确认并保存</button>
            <button type="button" class="btn btn-quiet" data-act="guard-back" data-testid="edit-guard-back">返回修改</button>
          </div>
        </div>` : ''}
        <p class="fp-edit-msg ${e.message ? `msg-${e.message.kind}` : ''}" data-testid="edit-message" role="alert">${e.message ? e.message.text : ''}</p>
        <div class="btn-row">
          <button type="submit" class="btn btn-primary" data-testid="edit-save" ${e.saving ? 'disabled' : ''}>${e.saving ? '保存中…' : '保存修正'}</button>
          <button type="button" class="btn btn-quiet" data-act="cancel" data-testid="edit-cancel">取消</button>
        </div>
      </form>`;
  }

  function renderForm(focusSel) {
    const slot = $('#feature-panel .fp-edit-slot');
    if (!slot || !editing) return;
    slot.innerHTML = String(formHtml());
    const form = slot.querySelector('form');
    const bind = (sel, key) => {
      const el = form.querySelector(sel);
      el.addEventListener('input', () => {
        editing.values[key] = el.value;
        if (key === 'uncertainty') updateHalo();
        // A field the editor is fixing no longer shows the old complaint.
        if (editing.errors[key]) {
          delete editing.errors[key];
          el.removeAttribute('aria-invalid');
          el.removeAttribute('aria-describedby');
          const msg = form.querySelector(`#edit-err-${key}`);
          if (msg) msg.remove();
        }
      });
    };
    bind('#edit-uncertainty', 'uncertainty');
    bind('#edit-source', 'source');
    bind('#edit-note', 'note');
    form.querySelector('#edit-kind').addEventListener('change', (ev) => changeKind(ev.target.value));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); save(); });
    form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); cancelEdit(); } });
    $$('[data-act="cancel"]', form).forEach((b) => b.addEventListener('click', () => cancelEdit()));
    const act = (name, fn) => { const b = form.querySelector(`[data-act="${name}"]`); if (b) b.addEventListener('click', fn); };
    act('draw', startDrawing);
    act('reload-retry', reloadAndRetry);
    act('apply-coords', applyCoords);
    act('confirm-save', confirmGuard);
    act('guard-back', () => { editing.guard = null; renderForm('[data-testid="edit-save"]'); });
    const coords = form.querySelector('#edit-coords');
    if (coords) coords.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); applyCoords(); } });
    if (focusSel) { const el = form.querySelector(focusSel); if (el) el.focus(); }
  }

  function applyCoords() {
    const r = parseLatLng($('#edit-coords').value);
    if (!r.ok) { setMessage(r.error); $('#edit-coords').focus(); return; }
    const ll = app.toCrs(r.lat, r.lng, state.crs);
    placeMarker(ll);
    map.setView(ll, Math.max(map.getZoom(), 16));
    renderForm('#edit-coords');
  }

  function changeKind(kind) {
    clearShapes();
    editing.kind = kind;
    editing.changed = true;
    if (editing.feature.geometry && defaultShape(editing.layer, editing.feature.geometry) === kind) {
      showGeometry(projected(editing.feature.geometry));
    }
    renderForm('#edit-kind');
  }

  /** A WGS-84 geometry in the datum the map draws. */
  function projected(geometry) {
    if (state.crs === 'wgs84' || !geometry) return geometry;
    let out = null;
    L.geoJSON(geometry, { coordsToLatLng: (c) => app.toCrs(c[1], c[0], state.crs) }).eachLayer((l) => { if (!out) out = l.toGeoJSON(15).geometry; });
    return out;
  }

  // ------------------------------------------------------------ lifecycle

  async function loadBase(id, layer) {
    // Versions first: if someone saves between the two reads the version is the older one, and
    // the save is refused with 412 rather than overwriting what the editor never saw.
    const versions = await app.edit.placements(layer, id);
    const feature = await app.edit.feature(layer, id);
    return { versions, feature };
  }

  async function startEdit(id) {
    if (!app.requireSignIn('修正位置需先登录编辑账号。')) return;
    if (editing) cancelEdit({ quiet: true });
    const layer = layerOf(id);
    if (!layer) { toast(`未知要素 ${id}`, 'error'); return; }
    let base;
    try {
      base = await loadBase(id, layer);
    } catch (err) {
      toast(describeWriteError('载入要素的版本', err), 'error', 8000);
      return;
    }
    if (state.selected !== id) await app.selectFeature(id, { fly: false, popup: false });
    map.closePopup();
    editing = {
      id, layer, feature: base.feature, version: currentVersion(base.versions), kind: defaultShape(layer, base.feature.geometry),
      values: { uncertainty: '', source: '', note: '' }, errors: {}, message: null, conflict: null, guard: null, confirmed: null,
      shape: null, marker: null, halo: null, theirs: null, changed: false, saving: false, drawing: false,
    };
    document.body.dataset.editing = id;
    map.getContainer().classList.add('pm-editing');
    markOriginal(true);
    if (base.feature.geometry) showGeometry(projected(base.feature.geometry));
    app.showTab('detail');
    app.revealSide();
    $('#feature-panel').scrollTop = 0;
    const pane = $('#feature-panel').closest('.pane, .panes');
    if (pane) pane.scrollTop = 0;
    renderForm(base.feature.geometry ? '#edit-uncertainty' : (editing.kind === 'Point' ? '#edit-coords' : '[data-act="draw"]'));
    if (!base.feature.geometry && editing.kind !== 'Point') startDrawing();
  }

  function cancelEdit({ quiet = false } = {}) {
    if (!editing) return;
    markOriginal(false);
    clearShapes();
    editing = null;
    delete document.body.dataset.editing;
    map.getContainer().classList.remove('pm-editing');
    const slot = $('#feature-panel .fp-edit-slot');
    if (slot) slot.innerHTML = '';
    const btn = $('#feature-panel [data-testid="edit-start"]');
    if (btn && !quiet) btn.focus();
  }

  let districtCache = null;
  /** The district's polygons in WGS-84 (fetched once); [] when they cannot be read. */
  async function districtWgs() {
    if (districtCache) return districtCache;
    try {
      const fc = await app.api.getJSON('/api/collections/district/items', { limit: 100, crs: 'wgs84' });
      districtCache = fc.features.map((f) => f.geometry).filter(Boolean);
    } catch (err) {
      console.warn('planmap: the district outline could not be read; the outside-the-district check is skipped.', err);
      return [];
    }
    return districtCache;
  }

  function confirmGuard() {
    const g = editing && editing.guard;
    if (!g) return;
    const el = $('#edit-confirm-reason');
    g.reason = el ? el.value.trim() : '';
    if (!g.reason) {
      g.error = '请写明为什么这样放置（必填）。';
      renderForm('#edit-confirm-reason');
      return;
    }
    editing.confirmed = { key: g.key, warnings: g.warnings, reason: g.reason };
    editing.guard = null;
    save();
  }

  function readForm() {
    const r = readCorrectionForm(editing.values);
    editing.errors = r.ok ? {} : r.errors;
    return r;
  }

  async function save() {
    if (!editing || editing.saving) return;
    const r = readForm();
    let geometry = null;
    try { geometry = currentGeometry(); } catch (err) { setMessage(String(err.message || err)); return; }
    if (!r.ok || !geometry) {
      editing.message = { text: !geometry ? '请先在地图上标出位置。' : '请补全标红的内容。', kind: 'error' };
      const first = !r.ok ? `#edit-${Object.keys(r.errors)[0]}` : (editing.kind === 'Point' ? '#edit-coords' : '[data-act="draw"]');
      renderForm(first);
      return;
    }
    // Guard rails: far from the automatic placement, or outside the district, asks first.
    const key = JSON.stringify(geometry);
    if (!editing.confirmed || editing.confirmed.key !== key) {
      editing.confirmed = null;
      const curated = editing.feature.properties.location && editing.feature.properties.location.match === 'curated';
      const warnings = placementWarnings(geometry, editing.feature.geometry, await districtWgs(), curated ? '当前位置' : '自动定位');
      if (!editing) return;
      if (warnings.length) {
        editing.guard = { key, warnings, reason: '', error: '' };
        renderForm('#edit-confirm-reason');
        return;
      }
    }
    const value = { ...r.value };
    if (editing.confirmed) value.note = `${value.note}（已确认：${editing.confirmed.warnings.join('')}理由：${editing.confirmed.reason}）`;
    editing.saving = true;
    editing.message = null;
    renderForm();
    const { id, layer } = editing;
    try {
      const { feature, version } = await app.edit.putPlacement(layer, id, { geometry, ...value }, editing.version);
      await afterPlacementChange(id, feature, `已保存「${feature.properties.name}」的位置修正${version != null ? `（第 ${version} 版）` : ''}。`);
    } catch (err) {
      if (!editing) return;
      editing.saving = false;
      await onSaveError(err);
    }
  }

  async function onSaveError(err) {
    if (err instanceof WriteError && err.status === 412) {
      let versions = [];
      try { versions = await app.edit.placements(editing.layer, editing.id); } catch (_) { /* the message stands alone */ }
      editing.conflict = versions[0] || { version: '?' };
      editing.message = null;
      showTheirs(versions[0] && versions[0].geometry);
      renderForm('[data-act="reload-retry"]');
      return;
    }
    if (err instanceof WriteError && err.status === 401) {
      app.signOut();
      editing.message = { text: describeWriteError('保存', err), kind: 'error' };
      renderForm();
      return;
    }
    editing.message = { text: describeWriteError('保存', err), kind: 'error' };
    renderForm('[data-testid="edit-save"]');
    toast(editing.message.text, 'error', 8000);
  }

  async function reloadAndRetry() {
    if (!editing) return;
    try {
      const base = await loadBase(editing.id, editing.layer);
      editing.version = currentVersion(base.versions);
      editing.feature = base.feature;
      showTheirs(base.feature.geometry);
      editing.conflict = null;
      editing.message = {
        text: `已载入最新的第 ${editing.version} 版（灰色虚线）。你的修改仍在地图上（橙色）；确认仍要以你的为准，再点“保存修正”。`,
        kind: 'info',
      };
      renderForm('[data-testid="edit-save"]');
    } catch (err) {
      setMessage(describeWriteError('载入最新版本', err));
    }
  }

  /** After a save, a restore or a revert: the served feature replaces every cached copy, the
   * layers are fetched again, the panel shows the new state. `feature` is WGS-84. */
  async function afterPlacementChange(id, feature, message) {
    cancelEdit({ quiet: true });
    for (const cache of Object.values(app.featureCache)) cache.delete(id);
    app.catalog.set(id, feature);
    app.remember([feature], 'wgs84');
    app.refreshLayers();
    await app.selectFeature(id, { fly: !!feature.geometry, popup: false, scrollReport: false });
    if (app.refreshCorrectionsStats) app.refreshCorrectionsStats();
    toast(message, 'info', 5000);
    const btn = $('#feature-panel [data-testid="edit-start"]');
    if (btn) btn.focus();
  }

  // ------------------------------------------------------------ hooks

  /** Map clicks belong to the editor while editing: a point moves there, drawing adds vertices. */
  function mapClickTaken(e) {
    if (!editing) return false;
    if (editing.kind === 'Point' && !editing.drawing) {
      placeMarker(e.latlng);
      renderForm();
    }
    return true;
  }

  /** The feature panel's hook: edit button, correction facts, the editing slot, history tab. */
  function decorateDetail(panel, f) {
    if (!f) { if (editing) cancelEdit({ quiet: true }); return; }
    const p = f.properties;
    const loc = p.location || {};
    if (editing && editing.id !== p.id) cancelEdit({ quiet: true });
    if (loc.match === 'curated' && (loc.editor || loc.at)) {
      const facts = panel.querySelector('.fp-facts');
      if (facts) facts.insertAdjacentHTML('beforeend', String(html`<dt>人工修正</dt><dd data-testid="curated-by">${loc.editor || '—'} · ${fmtTime(loc.at)}</dd>`));
    }
    const actions = panel.querySelector('.fp-actions');
    if (actions && app.session) {
      actions.insertAdjacentHTML('afterbegin', String(html`<button type="button" class="btn btn-edit" data-testid="edit-start">${f.geometry ? '修正位置' : '在地图上标出'}</button>`));
      actions.querySelector('[data-testid="edit-start"]').addEventListener('click', () => startEdit(p.id));
    }
    // The form goes on top, under the name, where the editor sees it beside the map.
    const head = panel.querySelector('.fp-head');
    if (head) head.insertAdjacentHTML('afterend', String(html`<div class="fp-edit-slot"></div>`));
    if (app.installHistoryTab) app.installHistoryTab(panel, f);
    if (editing && editing.id === p.id) renderForm();
  }

  // Items listed without a place offer "在地图上标出" to a signed-in editor.
  function decorateUnlocated() {
    for (const sel of ['#unlocated-list', '#near-dw-list']) {
      const list = $(sel);
      if (!list) continue;
      for (const li of list.querySelectorAll('li[data-fid]')) {
        const btn = li.querySelector('.btn-place');
        if (!app.session) { if (btn) btn.remove(); continue; }
        if (btn) continue;
        li.insertAdjacentHTML('beforeend', String(html`<button type="button" class="btn btn-small btn-place" data-testid="place-on-map" title="在地图上为「${li.querySelector('.fi-name') ? li.querySelector('.fi-name').textContent : ''}」标出位置">在地图上标出</button>`));
        const b = li.querySelector('.btn-place');
        b.addEventListener('click', (ev) => { ev.stopPropagation(); startEdit(li.dataset.fid); });
        b.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') ev.stopPropagation(); });
      }
    }
  }
  for (const sel of ['#unlocated-list', '#near-dw-list']) {
    const list = $(sel);
    if (list) new MutationObserver(decorateUnlocated).observe(list, { childList: true });
  }
  app.onSessionChange(() => {
    decorateUnlocated();
    if (!app.session && editing) cancelEdit({ quiet: true });
    // The panel's buttons depend on who is signed in.
    if (state.selected) {
      const f = app.featureCache[state.crs].get(state.selected);
      if (f) app.renderDetail(f);
    }
  });
  // Features drawn anew (after a move or a save) lose the "being edited" dimming: put it back.
  map.on('layeradd', () => { if (editing) markOriginal(true); });

  Object.assign(app, { startEdit, cancelEdit, decorateDetail, afterPlacementChange, mapClickTaken, editingId: () => (editing ? editing.id : null) });
}
