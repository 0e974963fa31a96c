//! The coordinate systems a client may ask for, and the conversions between them: WGS-84 (what
//! we store) as OGC CRS84 (lon,lat) or EPSG:4326 (lat,lon), Web Mercator (EPSG:3857, metres),
//! and the Chinese datums GCJ-02 (Amap, Tencent) and BD-09 (Baidu).
//!
//! Inputs and outputs are degrees, except Web Mercator which is metres east and north of
//! (0°, 0°) on a sphere of the WGS-84 semi-major axis (the formulas of EPSG:1024, "Popular
//! Visualisation Pseudo-Mercator", written here from the projection's definition). GCJ-02 is the published closed-form
//! obfuscation of WGS-84 (about 480 m in Yuzhong); its inverse has no closed form, so
//! [`gcj02_to_wgs84`] iterates the forward transform until the error is below 1e-9° (≈ 0.1 mm).
//! BD-09 is one further closed-form rotation/offset of GCJ-02. Points outside China's rough
//! bounding box are returned unchanged, as the published formulas do.

use std::f64::consts::PI;

/// Semi-major axis of the Krasovsky 1940 ellipsoid the GCJ-02 formulas use, metres.
const A: f64 = 6_378_245.0;
/// First eccentricity squared of that ellipsoid.
const EE: f64 = 0.006_693_421_622_965_943;
/// The constant of the BD-09 transform: π × 3000 / 180.
const X_PI: f64 = PI * 3000.0 / 180.0;

/// Radius of the sphere of Web Mercator: the WGS-84 semi-major axis, metres.
const MERCATOR_R: f64 = 6_378_137.0;
/// The latitude at which Web Mercator's square world ends (y = ±π·R), degrees.
pub const MERCATOR_MAX_LAT: f64 = 85.051_128_779_806_59;

/// The OGC URI of WGS-84 longitude/latitude, the default of every route.
pub const CRS84_URI: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// A coordinate reference system a client may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Crs {
    /// WGS-84 longitude/latitude (OGC CRS84, lon,lat as in RFC 7946). What we store.
    #[default]
    Wgs84,
    /// GCJ-02, the datum of Amap, Tencent and other Chinese web maps (lon,lat; no EPSG code).
    Gcj02,
    /// BD-09, Baidu's datum (lon,lat; no EPSG code).
    Bd09,
    /// WGS-84 as EPSG:4326 defines it: latitude first, then longitude, degrees.
    Epsg4326,
    /// Web Mercator, EPSG:3857: easting, northing in metres.
    WebMercator,
}

impl Crs {
    /// Every supported system (the first three are the original vendor names' order, which
    /// the rendered copies of the store follow).
    pub const ALL: [Crs; 5] = [
        Crs::Wgs84,
        Crs::Gcj02,
        Crs::Bd09,
        Crs::Epsg4326,
        Crs::WebMercator,
    ];

    /// The systems with an OGC or EPSG URI, as collections list them (`crs`).
    pub const STANDARD: [Crs; 3] = [Crs::Wgs84, Crs::Epsg4326, Crs::WebMercator];

    /// The short name: `wgs84`, `gcj02` and `bd09` are the vendor names the `crs` parameter
    /// has always taken (and the page still sends); the EPSG systems have only their URI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
            Crs::Epsg4326 | Crs::WebMercator => self.uri(),
        }
    }

    /// The URI `Content-Crs` names: OGC/EPSG for the standard systems, a `urn:planmap:` name
    /// for the Chinese datums, which have no EPSG code and must not claim one.
    #[must_use]
    pub fn uri(self) -> &'static str {
        match self {
            Crs::Wgs84 => CRS84_URI,
            Crs::Gcj02 => "urn:planmap:crs:gcj02",
            Crs::Bd09 => "urn:planmap:crs:bd09",
            Crs::Epsg4326 => "http://www.opengis.net/def/crs/EPSG/0/4326",
            Crs::WebMercator => "http://www.opengis.net/def/crs/EPSG/0/3857",
        }
    }

    /// Parses a `crs`, `bbox-crs` or `filter-crs` value: a URI or a short name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Crs> {
        Crs::ALL
            .into_iter()
            .find(|c| c.as_str() == s || c.uri() == s)
    }

    /// Whether this is a Chinese datum given as lon/lat (GCJ-02, BD-09).
    #[must_use]
    pub fn is_vendor(self) -> bool {
        matches!(self, Crs::Gcj02 | Crs::Bd09)
    }

    /// Converts a WGS-84 lon/lat into this system's two coordinates, in its axis order
    /// (lat,lon for EPSG:4326, metres for Web Mercator).
    #[must_use]
    pub fn from_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 => (lon, lat),
            Crs::Epsg4326 => (lat, lon),
            Crs::WebMercator => wgs84_to_web_mercator(lon, lat),
            Crs::Gcj02 | Crs::Bd09 => self.lonlat_from_wgs84(lon, lat),
        }
    }

    /// Converts this system's two coordinates, in its axis order, into a WGS-84 lon/lat.
    #[must_use]
    pub fn to_wgs84(self, a: f64, b: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 => (a, b),
            Crs::Epsg4326 => (b, a),
            Crs::WebMercator => web_mercator_to_wgs84(a, b),
            Crs::Gcj02 | Crs::Bd09 => self.lonlat_to_wgs84(a, b),
        }
    }

    /// The datum shift only: a WGS-84 lon/lat into lon/lat of this system's datum (identity
    /// for the three WGS-84 systems). For parameters named `lon` and `lat`, whose order is
    /// fixed by their names.
    #[must_use]
    pub fn lonlat_from_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Gcj02 => wgs84_to_gcj02(lon, lat),
            Crs::Bd09 => {
                let (lon, lat) = wgs84_to_gcj02(lon, lat);
                gcj02_to_bd09(lon, lat)
            }
            Crs::Wgs84 | Crs::Epsg4326 | Crs::WebMercator => (lon, lat),
        }
    }

    /// The inverse of [`Crs::lonlat_from_wgs84`].
    #[must_use]
    pub fn lonlat_to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Gcj02 => gcj02_to_wgs84(lon, lat),
            Crs::Bd09 => {
                let (lon, lat) = bd09_to_gcj02(lon, lat);
                gcj02_to_wgs84(lon, lat)
            }
            Crs::Wgs84 | Crs::Epsg4326 | Crs::WebMercator => (lon, lat),
        }
    }
}

/// WGS-84 lon/lat (degrees) → Web Mercator easting/northing (metres). Latitudes beyond
/// ±[`MERCATOR_MAX_LAT`] are clamped there, where the projection's square world ends.
#[must_use]
pub fn wgs84_to_web_mercator(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-MERCATOR_MAX_LAT, MERCATOR_MAX_LAT);
    let x = MERCATOR_R * lon.to_radians();
    let y = MERCATOR_R * (PI / 4.0 + lat.to_radians() / 2.0).tan().ln();
    (x, y)
}

/// Web Mercator easting/northing (metres) → WGS-84 lon/lat (degrees), closed form.
#[must_use]
pub fn web_mercator_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    let lon = (x / MERCATOR_R).to_degrees();
    let lat = (2.0 * (y / MERCATOR_R).exp().atan() - PI / 2.0).to_degrees();
    (lon, lat)
}

/// Whether the GCJ-02 shift applies: the rough bounding box of China the formulas use.
#[must_use]
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// WGS-84 → GCJ-02, closed form. Degrees in, degrees out.
#[must_use]
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let mut d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let mut d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    (lon + d_lon, lat + d_lat)
}

/// GCJ-02 → WGS-84 by fixed-point iteration of the forward transform (converges to below
/// 1e-9° in a handful of steps because the shift varies slowly).
#[must_use]
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (mut w_lon, mut w_lat) = (lon, lat);
    for _ in 0..30 {
        let (g_lon, g_lat) = wgs84_to_gcj02(w_lon, w_lat);
        let (e_lon, e_lat) = (g_lon - lon, g_lat - lat);
        w_lon -= e_lon;
        w_lat -= e_lat;
        if e_lon.abs() < 1e-9 && e_lat.abs() < 1e-9 {
            break;
        }
    }
    (w_lon, w_lat)
}

/// GCJ-02 → BD-09, closed form.
#[must_use]
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.000_02 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000_003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// BD-09 → GCJ-02, the published closed-form approximation (error well under 1 m).
#[must_use]
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon - 0.0065;
    let y = lat - 0.006;
    let z = (x * x + y * y).sqrt() - 0.000_02 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000_003 * (x * X_PI).cos();
    (z * theta.cos(), z * theta.sin())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Haversine, Point};
    use proptest::prelude::*;

    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
    }

    #[test]
    fn gcj02_shifts_yuzhong_by_about_480_metres() {
        // 较场口 OSM station, WGS-84.
        let wgs = (106.570_771_9, 29.556_686_9);
        let gcj = wgs84_to_gcj02(wgs.0, wgs.1);
        let shift = metres(wgs, gcj);
        assert!((400.0..560.0).contains(&shift), "shift {shift} m");
        assert!(
            gcj.0 > wgs.0 && gcj.1 < wgs.1,
            "east and south, as PROVENANCE.md measures"
        );
    }

    #[test]
    fn points_outside_china_are_left_unchanged() {
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85));
        assert_eq!(gcj02_to_wgs84(-74.0, 40.7), (-74.0, 40.7));
    }

    #[test]
    fn web_mercator_matches_the_published_values_of_epsg_3857() {
        // The world's edge, one degree of longitude at the equator, and 45°N: the values
        // PROJ gives for +proj=merc +a=6378137 +b=6378137.
        let edge = wgs84_to_web_mercator(180.0, 0.0);
        assert!((edge.0 - 20_037_508.342_789_244).abs() < 1e-6, "{edge:?}");
        assert!(edge.1.abs() < 1e-6);
        let one = wgs84_to_web_mercator(1.0, 0.0);
        assert!((one.0 - 111_319.490_793_273_57).abs() < 1e-6, "{one:?}");
        let north = wgs84_to_web_mercator(0.0, 45.0);
        assert!((north.1 - 5_621_521.486_192_066).abs() < 1e-4, "{north:?}");
        let top = wgs84_to_web_mercator(0.0, MERCATOR_MAX_LAT);
        assert!((top.1 - 20_037_508.342_789_244).abs() < 1e-3, "{top:?}");
        let (lon, lat) = web_mercator_to_wgs84(-20_037_508.342_789_244, 5_621_521.486_192_066);
        assert!(
            (lon + 180.0).abs() < 1e-9 && (lat - 45.0).abs() < 1e-9,
            "{lon},{lat}"
        );
    }

    #[test]
    fn epsg_4326_puts_latitude_first_and_crs84_longitude_first() {
        assert_eq!(Crs::Epsg4326.from_wgs84(106.57, 29.55), (29.55, 106.57));
        assert_eq!(Crs::Wgs84.from_wgs84(106.57, 29.55), (106.57, 29.55));
        assert_eq!(Crs::Epsg4326.to_wgs84(29.55, 106.57), (106.57, 29.55));
    }

    #[test]
    fn uris_and_short_names_parse_and_vendor_datums_claim_no_epsg_code() {
        for crs in Crs::ALL {
            assert_eq!(Crs::parse(crs.uri()), Some(crs));
            assert_eq!(Crs::parse(crs.as_str()), Some(crs));
        }
        assert_eq!(Crs::parse(CRS84_URI), Some(Crs::Wgs84));
        assert_eq!(
            Crs::parse("http://www.opengis.net/def/crs/EPSG/0/4490"),
            None
        );
        assert!(!Crs::Gcj02.uri().contains("EPSG") && !Crs::Bd09.uri().contains("EPSG"));
    }

    proptest! {
        #[test]
        fn every_crs_round_trips_within_half_a_metre(lon in 73.0f64..135.0, lat in 18.0f64..53.0) {
            for crs in Crs::ALL {
                let (x, y) = crs.from_wgs84(lon, lat);
                let (a, b) = crs.lonlat_to_wgs84(crs.lonlat_from_wgs84(lon, lat).0, crs.lonlat_from_wgs84(lon, lat).1);
                prop_assert!(metres((lon, lat), (a, b)) < 0.5, "{crs:?} lon/lat {lon},{lat}");
                let back = crs.to_wgs84(x, y);
                prop_assert!(metres((lon, lat), back) < 0.5, "{crs:?} {lon},{lat} -> {back:?}");
            }
        }
    }
}
