//! Export of the features shown: GeoJSON (RFC 7946 plus a `planmap_crs` foreign member, since
//! RFC 7946 has no crs member) and CSV (one row per feature, its bounding-box centre as lon/lat,
//! UTF-8 with a BOM so spreadsheet programs read the Chinese text). Coordinates are in the
//! datum the features were fetched in (`crs`); the file name says which. Pure: text out.

import { sectionLabel } from './format.js';

/** The CSV columns, in order. */
export const CSV_HEADER = ['id', 'name', 'layer', 'kind', 'theme', 'section', 'verb', 'status', 'targets',
  'match', 'uncertainty_m', 'confidence', 'source', 'geometry_type', 'lon', 'lat', 'crs', 'quote'];

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
    return [
      p.id, p.name, p.layer, p.kind, p.theme, sectionLabel(p.section),
      p.action ? p.action.verb : '', p.action ? p.action.status : '',
      (p.targets || []).map((t) => `${t.metric}=${t.value}${t.unit}`).join('; '),
      loc.match, loc.uncertainty_m, loc.confidence, loc.source, f.geometry ? f.geometry.type : '',
      c ? c[0].toFixed(7) : '', c ? c[1].toFixed(7) : '', crs, p.quote,
    ].map(csvCell).join(',');
  });
  return `\ufeff${CSV_HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`;
}

/** `planmap-<report>-<crs>-<yyyymmdd>.<ext>` for a local date. */
export function exportName(reportId, crs, ext, date = new Date()) {
  const stamp = `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
  return `planmap-${reportId || 'report'}-${crs}-${stamp}.${ext}`;
}
