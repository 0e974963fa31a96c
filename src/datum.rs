//! Datum conversion between WGS-84 (what we store), GCJ-02 (Chinese web maps such as Amap)
//! and BD-09 (Baidu).
//!
//! Inputs and outputs are longitude/latitude in degrees. GCJ-02 is the published closed-form
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

/// A coordinate reference system a client may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Crs {
    /// WGS-84 longitude/latitude (EPSG:4326 axis order lon,lat as in RFC 7946). What we store.
    #[default]
    Wgs84,
    /// GCJ-02, the datum of Amap, Tencent and other Chinese web maps.
    Gcj02,
    /// BD-09, Baidu's datum.
    Bd09,
}

impl Crs {
    /// Every supported system.
    pub const ALL: [Crs; 3] = [Crs::Wgs84, Crs::Gcj02, Crs::Bd09];

    /// The name used in the `crs` query parameter.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        }
    }

    /// Parses the `crs` query parameter.
    #[must_use]
    pub fn parse(s: &str) -> Option<Crs> {
        Crs::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Converts a WGS-84 lon/lat into this system.
    #[must_use]
    pub fn from_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 => (lon, lat),
            Crs::Gcj02 => wgs84_to_gcj02(lon, lat),
            Crs::Bd09 => {
                let (lon, lat) = wgs84_to_gcj02(lon, lat);
                gcj02_to_bd09(lon, lat)
            }
        }
    }

    /// Converts a lon/lat given in this system into WGS-84.
    #[must_use]
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 => (lon, lat),
            Crs::Gcj02 => gcj02_to_wgs84(lon, lat),
            Crs::Bd09 => {
                let (lon, lat) = bd09_to_gcj02(lon, lat);
                gcj02_to_wgs84(lon, lat)
            }
        }
    }
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

    proptest! {
        #[test]
        fn every_crs_round_trips_within_half_a_metre(lon in 73.0f64..135.0, lat in 18.0f64..53.0) {
            for crs in Crs::ALL {
                let (x, y) = crs.from_wgs84(lon, lat);
                let back = crs.to_wgs84(x, y);
                prop_assert!(metres((lon, lat), back) < 0.5, "{crs:?} {lon},{lat} -> {back:?}");
            }
        }
    }
}
