//! Datum vectors shared with the web page: GCJ-02 and BD-09 of fixed WGS-84 points around
//! Chongqing (and two outside China, which every datum leaves unchanged), computed with
//! `planmap::datum` and compared with `web/tests/fixtures/datum-vectors.json`. The page's own
//! `datum.js` is checked against the same file by `node --test web/tests/unit/`, so the two
//! implementations cannot drift apart without a test failing.
//!
//! Units: longitude/latitude in degrees, `[lon, lat]` pairs as in GeoJSON.
//! `UPDATE_VECTORS=1 cargo test --test datum_vectors` (re)writes the file from the Rust code.

use planmap::datum::{Crs, bd09_to_gcj02, gcj02_to_bd09, gcj02_to_wgs84, wgs84_to_gcj02};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Where the vectors live: beside the page's other shared fixtures.
fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web/tests/fixtures/datum-vectors.json")
}

/// The WGS-84 points, with the place each one stands for (names only help a reader of the
/// file; the coordinates are rounded positions we chose, not surveyed ones).
const POINTS: &[(&str, f64, f64)] = &[
    ("解放碑", 106.5770, 29.5590),
    ("朝天门", 106.5855, 29.5660),
    ("十八梯", 106.5745, 29.5540),
    ("较场口", 106.5720, 29.5535),
    ("七星岗", 106.5600, 29.5560),
    ("两路口", 106.5480, 29.5520),
    ("上清寺", 106.5420, 29.5610),
    ("大坪", 106.5190, 29.5420),
    ("化龙桥", 106.5200, 29.5590),
    ("鹅岭", 106.5330, 29.5530),
    ("李子坝", 106.5330, 29.5660),
    ("大溪沟", 106.5500, 29.5680),
    ("菜园坝", 106.5500, 29.5440),
    ("长滨路中段", 106.5650, 29.5470),
    ("嘉陵江大桥北", 106.5420, 29.5750),
    ("江北嘴", 106.5800, 29.5730),
    ("南坪", 106.5700, 29.5300),
    ("沙坪坝", 106.4560, 29.5410),
    ("九龙坡", 106.5110, 29.5020),
    ("重庆北站", 106.5510, 29.6080),
    ("伦敦（中国境外，不变）", -0.1276, 51.5072),
    ("东京（中国境外，不变）", 139.6917, 35.6895),
];

fn pair(p: (f64, f64)) -> Value {
    json!([p.0, p.1])
}

/// The vectors as the Rust code computes them today.
fn computed() -> Value {
    let points: Vec<Value> = POINTS
        .iter()
        .map(|&(name, lon, lat)| {
            let gcj = wgs84_to_gcj02(lon, lat);
            let bd = Crs::Bd09.from_wgs84(lon, lat);
            json!({
                "name": name,
                "wgs84": pair((lon, lat)),
                "gcj02": pair(gcj),
                "bd09": pair(bd),
                "gcj02_to_wgs84": pair(gcj02_to_wgs84(gcj.0, gcj.1)),
                "bd09_to_gcj02": pair(bd09_to_gcj02(bd.0, bd.1)),
            })
        })
        .collect();
    json!({
        "note": "Written by tests/datum_vectors.rs with UPDATE_VECTORS=1 from planmap::datum. [lon, lat] in degrees.",
        "points": points,
    })
}

fn lon_lat(v: &Value, key: &str) -> (f64, f64) {
    let a = v[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not a pair"));
    let n = |i: usize| {
        a[i].as_f64()
            .unwrap_or_else(|| panic!("`{key}`[{i}] is not a number"))
    };
    (n(0), n(1))
}

#[test]
fn the_datum_vectors_file_holds_what_the_rust_datum_code_computes() {
    let want = computed();
    let path = vectors_path();
    if std::env::var("UPDATE_VECTORS").is_ok_and(|v| v == "1") {
        let text = serde_json::to_string_pretty(&want).expect("vectors serialise") + "\n";
        std::fs::write(&path, text).expect("write datum-vectors.json");
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_VECTORS=1", path.display()));
    let file: Value = serde_json::from_str(&text).expect("datum-vectors.json is JSON");
    let got = file["points"].as_array().expect("points array");
    let want = want["points"].as_array().expect("points array");
    assert_eq!(got.len(), want.len(), "number of points");
    for (g, w) in got.iter().zip(want) {
        for key in ["wgs84", "gcj02", "bd09", "gcj02_to_wgs84", "bd09_to_gcj02"] {
            let (a, b) = (lon_lat(g, key), lon_lat(w, key));
            assert!(
                (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
                "{} {key}: file {a:?}, code {b:?}",
                w["name"]
            );
        }
    }
}

#[test]
fn every_vector_around_chongqing_is_shifted_and_round_trips_within_a_millimetre() {
    let v = computed();
    let mut shifted = 0;
    for p in v["points"].as_array().expect("points") {
        let wgs = lon_lat(p, "wgs84");
        let gcj = lon_lat(p, "gcj02");
        let back = lon_lat(p, "gcj02_to_wgs84");
        // 1e-8° is about a millimetre at this latitude.
        assert!(
            (back.0 - wgs.0).abs() < 1e-8 && (back.1 - wgs.1).abs() < 1e-8,
            "{p}"
        );
        if (gcj.0 - wgs.0).abs() > 1e-4 {
            shifted += 1;
            // The BD-09 round trip is the published approximation: well under a metre.
            let bd_back = lon_lat(p, "bd09_to_gcj02");
            assert!(
                (bd_back.0 - gcj.0).abs() < 1e-5 && (bd_back.1 - gcj.1).abs() < 1e-5,
                "{p}"
            );
            assert_eq!(gcj02_to_bd09(gcj.0, gcj.1), lon_lat(p, "bd09"), "{p}");
        } else {
            assert_eq!(gcj, wgs, "a point outside China must stay where it is: {p}");
        }
    }
    assert_eq!(
        shifted, 20,
        "the twenty points around Chongqing are all shifted"
    );
}
