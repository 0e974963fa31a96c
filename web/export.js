//! Export: GeoJSON (RFC 7946 plus a `planmap_crs` foreign member, since RFC 7946 has no crs
//! member) and CSV for planners (Chinese headers and labels, one row per feature, unlocated
//! items with empty geometry, the geometry as WKT and its bounding-box centre as lon/lat, near's
//! distance columns when the rows come from a near list; UTF-8 with a BOM so spreadsheet
//! programs read the Chinese text). Coordinates are in the
//! datum the features were fetched in (`crs`); the file name says which. Pure: text out.

import { sectionLabel } from './format.js';

/** The CSV columns, in order. */
export const CSV_HEADER = ['编号', '名称', '图层', '类型', '主题', '报告章节', '报告用词', '实施阶段', '量化指标',
  '定位方式', '误差半径（米）', '可信度', '定位依据', '距离（米）', '距离范围（米）', '是否在查询范围内',
  '几何类型', 'WKT', '经度', '纬度', '坐标系', '原文'];

/** Chinese labels of the values the API writes in English. */
export const LABELS = {
  layer: { zones: '规划片区', streets: '街巷与线路', projects: '重点项目' },
  status: { planned: '谋划', starting: '启动', resuming: '复工', under_construction: '在建', completing: '完工' },
  match: { exact: '精确（来源几何）', alias: '别名匹配', anchor: '按锚点推定', part_of: '按所属地点', unlocated: '未定位' },
  inside: { certain: '确定在内', possible: '可能在内' },
  geometry: {
    Point: '点', MultiPoint: '多点', LineString: '线', MultiLineString: '多线', Polygon: '面', MultiPolygon: '多面',
  },
  crs: { wgs84: 'WGS-84', gcj02: 'GCJ-02', bd09: 'BD-09' },
};

const label = (table, v) => (v == null ? '' : table[v] || v);

function wktCoords(c) {
  return `${c[0].toFixed(7)} ${c[1].toFixed(7)}`;
}
const wktLine = (cs) => `(${cs.map(wktCoords).join(', ')})`;
const wktPolygon = (rings) => `(${rings.map(wktLine).join(', ')})`;

/** A GeoJSON geometry as WKT (OGC Simple Features); '' without geometry. */
export function wkt(g) {
  if (!g) return '';
  switch (g.type) {
    case 'Point': return `POINT (${wktCoords(g.coordinates)})`;
    case 'MultiPoint': return `MULTIPOINT (${g.coordinates.map((c) => `(${wktCoords(c)})`).join(', ')})`;
    case 'LineString': return `LINESTRING ${wktLine(g.coordinates)}`;
    case 'MultiLineString': return `MULTILINESTRING (${g.coordinates.map(wktLine).join(', ')})`;
    case 'Polygon': return `POLYGON ${wktPolygon(g.coordinates)}`;
    case 'MultiPolygon': return `MULTIPOLYGON (${g.coordinates.map(wktPolygon).join(', ')})`;
    case 'GeometryCollection': return `GEOMETRYCOLLECTION (${g.geometries.map(wkt).join(', ')})`;
    default: return '';
  }
}

/** A CSV cell, quoted when it holds a quote, a comma or a line break. */
export function csvCell(v) {
  const s = v == null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The centre of a GeoJSON geometry's bounding box as [lon, lat]; null without coordinates. */
export function bboxCenter(geometry) {
  if (!geometry) return null;
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]);
    } else c.forEach(visit);
  };
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => visit(g.coordinates));
  else visit(geometry.coordinates);
  if (!Number.isFinite(minX)) return null;
  return [(minX + maxX) / 2, (minY + maxY) / 2];
}

/** The GeoJSON file's text. */
export function geojsonText(features, crs) {
  return JSON.stringify({ type: 'FeatureCollection', planmap_crs: crs, features }, null, 1);
}

/** The CSV file's text (BOM, CRLF line ends). */
export function csvText(features, crs) {
  const rows = features.map((f) => {
    const p = f.properties;
    const c = bboxCenter(f.geometry);
    const loc = p.location || {};
    const range = p.distance_range_m;
    return [
      p.id, p.name, label(LABELS.layer, p.layer), p.kind, p.theme, sectionLabel(p.section),
      p.action ? p.action.verb : '', p.action ? label(LABELS.status, p.action.status) : '',
      (p.targets || []).map((t) => `${t.metric} ${t.value}${t.unit}`).join('；'),
      label(LABELS.match, loc.match), loc.uncertainty_m, loc.confidence, loc.source,
      p.distance_m, range ? `${range[0]}–${range[1]}` : '', label(LABELS.inside, p.inside),
      f.geometry ? label(LABELS.geometry, f.geometry.type) : '', wkt(f.geometry),
      c ? c[0].toFixed(7) : '', c ? c[1].toFixed(7) : '', label(LABELS.crs, crs), p.quote,
    ].map(csvCell).join(',');
  });
  return `\ufeff${CSV_HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`;
}

/**
 * The file name of an export, for a local date:
 * `planmap-<reports>-<crs>-<yyyymmdd>.<ext>` for everything shown, and
 * `planmap-<reports>-near-<lat>N<lon>E-<radius>m-<crs>-<yyyymmdd>.<ext>` for a near list (the
 * point in WGS-84, 5 decimals, ~1 m). `reports` is a report id, a list of ids (joined with
 * `+`; `compare` gives `a-vs-b`), or null.
 */
export function exportName(reports, crs, ext, date = new Date(), { near = null, compare = null } = {}) {
  const stamp = `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
  const ids = (Array.isArray(reports) ? reports : [reports]).filter(Boolean);
  const which = compare ? `${compare.a}-vs-${compare.b}` : (ids.join('+') || 'report');
  const where = near ? `-near-${near.lat.toFixed(5)}N${near.lon.toFixed(5)}E-${Math.round(near.radius_m)}m` : '';
  return `planmap-${which}${where}-${crs}-${stamp}.${ext}`;
}
