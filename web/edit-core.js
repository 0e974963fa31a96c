//! The pure rules of correcting a placement on the page, kept apart from Leaflet so node tests
//! check them: reading the form (uncertainty in metres, the required source and reason),
//! reading typed coordinates ("29.5590, 106.5770", latitude first as on a Chinese map's
//! status bar, or with 纬度/经度 words), turning an edited geometry drawn in the basemap's datum
//! into the WGS-84 GeoJSON the server stores, and the sentences of the history and statistics.
//!
//! Units: degrees (WGS-84 unless a `crs` is named), metres. Nothing here invents a coordinate:
//! a value that does not parse is an error naming the field, never a guess.

import { fmtNumber } from './format.js';

/** The largest uncertainty a correction may claim, in metres (the server's limit). */
export const MAX_UNCERTAINTY_M = 50000;
/** The longest source or reason the server accepts, in characters. */
export const MAX_TEXT_CHARS = 2000;
/** Decimal places kept for WGS-84 degrees: 1e-7° is about 1 cm, below any placement's error. */
export const DEGREE_DECIMALS = 7;

/**
 * Reads the correction form. `fields` holds the raw strings `uncertainty`, `source`, `note`.
 * Gives `{ok: true, value: {uncertainty_m, source, note}}` or `{ok: false, errors: {field: text}}`
 * with one Chinese sentence per bad field.
 */
export function readCorrectionForm(fields) {
  const errors = {};
  const rawU = String(fields.uncertainty ?? '').trim().replace(/[，,]/g, '');
  const u = rawU === '' ? NaN : Number(rawU);
  if (rawU === '') errors.uncertainty = '请填写位置误差（米）。';
  else if (!Number.isFinite(u) || u < 0) errors.uncertainty = '位置误差须为不小于 0 的数字（米）。';
  else if (u > MAX_UNCERTAINTY_M) errors.uncertainty = `位置误差不能超过 ${fmtNumber(MAX_UNCERTAINTY_M)} 米。`;
  const source = String(fields.source ?? '').trim();
  const note = String(fields.note ?? '').trim();
  if (!source) errors.source = '请填写来源：位置依据的图件、文件或实地核查。';
  else if (Array.from(source).length > MAX_TEXT_CHARS) errors.source = `来源不能超过 ${MAX_TEXT_CHARS} 字。`;
  if (!note) errors.note = '请填写说明：为什么修正这个位置。';
  else if (Array.from(note).length > MAX_TEXT_CHARS) errors.note = `说明不能超过 ${MAX_TEXT_CHARS} 字。`;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { uncertainty_m: u, source, note } };
}

const NUMBER = '[-+]?\\d+(?:\\.\\d+)?';

/**
 * Reads a typed position. Accepted: "29.5590, 106.5770" (latitude, longitude: the order a
 * Chinese map shows), "纬度 29.559 经度 106.577" in either order, and "106.577 E 29.559 N".
 * Gives `{ok: true, lat, lng}` or `{ok: false, error}`; a pair that cannot be a latitude and a
 * longitude is refused rather than swapped by guess.
 */
export function parseLatLng(text) {
  const s = String(text ?? '').trim();
  if (!s) return { ok: false, error: '请输入坐标，如 29.5590, 106.5770（纬度, 经度）。' };
  const named = (re) => { const m = re.exec(s); return m ? Number(m[1]) : null; };
  let lat = named(new RegExp(`纬度\\s*[:：]?\\s*(${NUMBER})`)) ?? named(new RegExp(`(${NUMBER})\\s*°?\\s*[Nn]\\b`));
  let lng = named(new RegExp(`经度\\s*[:：]?\\s*(${NUMBER})`)) ?? named(new RegExp(`(${NUMBER})\\s*°?\\s*[Ee]\\b`));
  if (lat === null || lng === null) {
    const nums = s.match(new RegExp(NUMBER, 'g')) || [];
    if (nums.length !== 2 || !/^\s*[-+]?\d+(?:\.\d+)?\s*[,，\s]\s*[-+]?\d+(?:\.\d+)?\s*$/.test(s)) {
      return { ok: false, error: '无法识别坐标：请写成“纬度, 经度”，如 29.5590, 106.5770。' };
    }
    [lat, lng] = nums.map(Number);
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) return { ok: false, error: `纬度 ${lat} 不在 −90 至 90 之间（请先写纬度，再写经度）。` };
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) return { ok: false, error: `经度 ${lng} 不在 −180 至 180 之间。` };
  return { ok: true, lat, lng };
}

/** `v` rounded to `DEGREE_DECIMALS` places. */
export function roundDegree(v) {
  const f = 10 ** DEGREE_DECIMALS;
  return Math.round(v * f) / f;
}

function mapPositions(coords, depth, fn) {
  if (depth === 0) return fn(coords);
  return coords.map((c) => mapPositions(c, depth - 1, fn));
}

const DEPTH = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** Polygon rings with their last position repeating the first (Leaflet's do; a guard). */
function closeRings(geometry) {
  const close = (ring) => {
    if (!ring.length) return ring;
    const [a, b] = [ring[0], ring[ring.length - 1]];
    return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, [a[0], a[1]]];
  };
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(close) };
  if (geometry.type === 'MultiPolygon') return { ...geometry, coordinates: geometry.coordinates.map((p) => p.map(close)) };
  return geometry;
}

/**
 * A GeoJSON geometry drawn in `crs` as WGS-84 for the server: `toWgs(lat, lng, crs)` converts one
 * position (datum.js), every position is rounded to `DEGREE_DECIMALS`, rings are closed.
 * Throws on a type the editor does not draw (a collection).
 */
export function geometryToWgs(geometry, crs, toWgs) {
  const depth = DEPTH[geometry && geometry.type];
  if (depth === undefined) throw new Error(`无法保存这种几何：${geometry && geometry.type}`);
  const coordinates = mapPositions(geometry.coordinates, depth, ([lng, lat]) => {
    const w = crs === 'wgs84' ? { lat, lng } : toWgs(lat, lng, crs);
    return [roundDegree(w.lng), roundDegree(w.lat)];
  });
  return closeRings({ type: geometry.type, coordinates });
}

/** How a feature of `layer` is drawn when it has no geometry yet: 'Point', 'LineString' or 'Polygon'. */
export function defaultShape(layer, geometry) {
  if (geometry) {
    if (geometry.type.includes('Polygon')) return 'Polygon';
    if (geometry.type.includes('LineString')) return 'LineString';
    return 'Point';
  }
  if (layer === 'zones') return 'Polygon';
  if (layer === 'streets') return 'LineString';
  return 'Point';
}

/** The first position of a geometry as `{lat, lng}` (the point itself for a point), or null. */
export function firstPosition(geometry) {
  if (!geometry) return null;
  let c = geometry.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) [c] = c;
  return Array.isArray(c) && c.length >= 2 ? { lat: c[1], lng: c[0] } : null;
}

/** Words for a kind of version ("put" or "revert"). */
export function versionKindLabel(kind) {
  if (kind === 'revert') return '恢复自动定位';
  if (kind === 'put') return '人工修正';
  return kind || '修改';
}

/** A server time (RFC 3339) as "2026-12-02 07:15" in the reader's local time; the raw text if it does not parse. */
export function fmtTime(at, timeZone) {
  const d = new Date(at);
  if (!at || Number.isNaN(d.getTime())) return String(at || '');
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The sentence shown when someone else saved first: who, when, which version. */
export function conflictSentence(latest) {
  if (!latest) return '他人已先保存了此要素的位置，你的修改尚未保存。请查看最新版本后再决定是否重试。';
  const who = latest.editor ? `${latest.editor}` : '他人';
  return `他人已先保存：${who} 于 ${fmtTime(latest.at)} 保存了第 ${latest.version} 版（${versionKindLabel(latest.kind)}）。你的修改尚未保存；请查看他的版本，再决定是否在其基础上重试。`;
}

/**
 * The rows of the statistics panel from `GET /api/corrections/stats`: the tiers as an array
 * (`{tiers: [{match, …}]}` or a bare array) or as an object keyed by tier. Each row:
 * `{tier, features, corrected, measured, share, median_m, p90_m}`, share in 0..1 (null without
 * features), measured null when the server does not say.
 */
export function statsRows(body) {
  let tiers = body && (body.tiers || body.by_match || body.per_match);
  if (!tiers && Array.isArray(body)) tiers = body;
  let list;
  if (Array.isArray(tiers)) list = tiers.map((t) => ({ tier: t.match ?? t.tier ?? t.name, ...t }));
  else if (tiers && typeof tiers === 'object') list = Object.entries(tiers).map(([tier, t]) => ({ tier, ...t }));
  else list = [];
  return list.map((t) => {
    const features = Number(t.features) || 0;
    const corrected = Number(t.corrected) || 0;
    // Corrected features the server could measure (an unlocated one has no automatic place).
    const measured = t.measured === undefined ? null : Number(t.measured) || 0;
    const num = (v) => (v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));
    return {
      tier: String(t.tier), features, corrected, measured, share: features ? corrected / features : null, median_m: num(t.median_m), p90_m: num(t.p90_m),
    };
  });
}

/** Beyond this many metres from the automatic placement a correction asks for confirmation. */
export const FAR_M = 1000;

function positions(geometry) {
  const out = [];
  const visit = (c) => { if (typeof c[0] === 'number') out.push(c); else c.forEach(visit); };
  if (!geometry) return out;
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => visit(g.coordinates));
  else visit(geometry.coordinates);
  return out;
}

/** The mean of a geometry's positions, [lon, lat]; null without any. */
export function meanPosition(geometry) {
  const ps = positions(geometry);
  if (!ps.length) return null;
  return [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length];
}

/** Great-circle distance in metres between two [lon, lat] positions (Haversine). */
export function distanceM(a, b) {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * rad) / 2) ** 2
    + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

// Even-odd ray casting over every ring of the district's (Multi)Polygons: lon/lat are fine for
// a test of which side of the boundary a point lies at this size.
function insidePolygons(p, polygons) {
  let inside = false;
  for (const g of polygons) {
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const rings of polys) {
      for (const ring of rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
          const [xi, yi] = ring[i];
          const [xj, yj] = ring[j];
          if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
    }
  }
  return inside;
}

/**
 * Why a correction needs a second look before it is saved, as Chinese sentences: more than
 * 1 km (FAR_M) from the `reference` placement (the automatic one; mean positions compared), or
 * any vertex outside the district (`district`: its WGS-84 polygon geometries; skipped when
 * empty). Every geometry is WGS-84. `referenceLabel` names the reference ("自动定位").
 */
export function placementWarnings(geometry, reference, district, referenceLabel = '自动定位') {
  const out = [];
  const here = meanPosition(geometry);
  const there = meanPosition(reference);
  if (here && there) {
    const d = distanceM(here, there);
    if (d > FAR_M) out.push(`新位置距${referenceLabel}约 ${(d / 1000).toFixed(1)} km（超过 ${FAR_M / 1000} km）。`);
  }
  if (district && district.length) {
    const outside = positions(geometry).filter((p) => !insidePolygons(p, district)).length;
    if (outside) out.push(`新位置有 ${outside} 个点在区外（渝中区界之外）。`);
  }
  return out;
}
