//! Datum conversion for the view: WGS-84 ⇄ GCJ-02 ⇄ BD-09, the same published formulas as the
//! server's `src/datum.rs` (checked against vectors it writes: web/tests/fixtures/datum-vectors.json).
//!
//! The server converts every overlay; the page needs the shift only to keep the view and the
//! click pin on the same ground when the basemap's datum changes, and to store the permalink
//! in WGS-84. Inputs and outputs are degrees; `toCrs`/`toWgs` take and give `{lat, lng}`,
//! the lower-level functions `[lon, lat]` as in GeoJSON. Points outside China's rough bounding
//! box are returned unchanged, as the formulas (and the server) do.

const A = 6378245.0; // semi-major axis of the Krasovsky 1940 ellipsoid, metres
const EE = 0.006693421622965943; // its first eccentricity squared
const X_PI = (Math.PI * 3000.0) / 180.0;

/** Whether the GCJ-02 shift applies (the same box as the server). */
export function inChina(lon, lat) {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function transformLat(x, y) {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320.0 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLon(x, y) {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** WGS-84 → GCJ-02, closed form. */
export function wgs84ToGcj02(lon, lat) {
  if (!inChina(lon, lat)) return [lon, lat];
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  const magic = 1.0 - EE * Math.sin(radLat) * Math.sin(radLat);
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1.0 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** GCJ-02 → WGS-84: the forward transform iterated until the error is below 1e-9°. */
export function gcj02ToWgs84(lon, lat) {
  if (!inChina(lon, lat)) return [lon, lat];
  let wLon = lon;
  let wLat = lat;
  for (let i = 0; i < 30; i += 1) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
    const eLon = gLon - lon;
    const eLat = gLat - lat;
    wLon -= eLon;
    wLat -= eLat;
    if (Math.abs(eLon) < 1e-9 && Math.abs(eLat) < 1e-9) break;
  }
  return [wLon, wLat];
}

/** GCJ-02 → BD-09, closed form. */
export function gcj02ToBd09(lon, lat) {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** BD-09 → GCJ-02, the published closed-form approximation (well under a metre). */
export function bd09ToGcj02(lon, lat) {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

/** WGS-84 `lat, lng` into `crs` ('wgs84' | 'gcj02' | 'bd09'), as `{lat, lng}`. */
export function toCrs(lat, lng, crs) {
  if (crs === 'gcj02') {
    const [x, y] = wgs84ToGcj02(lng, lat);
    return { lat: y, lng: x };
  }
  if (crs === 'bd09') {
    const [x, y] = gcj02ToBd09(...wgs84ToGcj02(lng, lat));
    return { lat: y, lng: x };
  }
  return { lat, lng };
}

/** `lat, lng` given in `crs` back to WGS-84, as `{lat, lng}`. */
export function toWgs(lat, lng, crs) {
  if (crs === 'gcj02') {
    const [x, y] = gcj02ToWgs84(lng, lat);
    return { lat: y, lng: x };
  }
  if (crs === 'bd09') {
    const [x, y] = gcj02ToWgs84(...bd09ToGcj02(lng, lat));
    return { lat: y, lng: x };
  }
  return { lat, lng };
}
