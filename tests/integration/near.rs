//! Near answers with honest uncertainty, against a brute-force scan of the real atlas: every
//! feature whose nearest possible position is within the radius, and only those, with its
//! distance range and whether it is inside for certain; ties at 0 m smallest area first; the
//! district-wide part holds only district-wide items; served sources read as Chinese.

use std::collections::{BTreeMap, HashSet};

use axum::http::StatusCode;
use geo::{GeodesicArea, Geometry, Point};
use serde_json::Value;

use crate::common;

async fn get(uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = common::get_json(common::state(), uri).await;
    (status, body)
}

/// SplitMix64 in 0..1: fixed seeds give the same points on every run.
fn uniform(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        #[expect(clippy::cast_precision_loss, reason = "a uniform draw")]
        let x = (z ^ (z >> 31)) as f64 / u64::MAX as f64;
        x
    }
}

/// What near must answer at a point, measured feature by feature: id → (d, [d−u, d+u], inside).
fn brute_force(lon: f64, lat: f64, radius_m: f64) -> BTreeMap<String, (f64, [f64; 2], String)> {
    let atlas = common::atlas();
    let p = Point::new(lon, lat);
    atlas
        .features
        .iter()
        .filter_map(|f| {
            let d = planmap::spatial::distance_m(f.geometry.as_ref()?, p);
            let u = f.location.uncertainty_m.unwrap_or(0.0);
            let range = [(d - u).max(0.0), d + u];
            if range[0] > radius_m {
                return None;
            }
            let inside = if range[1] <= radius_m {
                "certain"
            } else {
                "possible"
            };
            Some((f.id.clone(), (d, range, inside.to_string())))
        })
        .collect()
}

#[tokio::test]
async fn near_agrees_with_a_brute_force_scan_widened_by_uncertainty() {
    let mut next = uniform(16);
    let mut possible_seen = 0;
    for n in 0..24 {
        // Over Yuzhong's peninsula, radii from the page's selector.
        let lon = 106.49 + next() * 0.10;
        let lat = 29.53 + next() * 0.04;
        let radius_m = [250.0, 500.0, 1000.0, 2000.0][n % 4];
        let (status, body) = get(&format!(
            "/api/near?lon={lon}&lat={lat}&radius_m={radius_m}&limit=10000&district_wide=none"
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let expected = brute_force(lon, lat, radius_m);
        let features = body["features"].as_array().expect("features");
        let got: BTreeMap<String, (f64, [f64; 2], String)> = features
            .iter()
            .map(|f| {
                let p = &f["properties"];
                let range = p["distance_range_m"].as_array().expect("range");
                (
                    p["id"].as_str().expect("id").to_string(),
                    (
                        p["distance_m"].as_f64().expect("distance_m"),
                        [
                            range[0].as_f64().expect("min"),
                            range[1].as_f64().expect("max"),
                        ],
                        p["inside"].as_str().expect("inside").to_string(),
                    ),
                )
            })
            .collect();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "at {lon},{lat} r={radius_m}"
        );
        for (id, (d, range, inside)) in &expected {
            let (gd, grange, ginside) = &got[id];
            assert!((gd - d).abs() <= 0.051, "{id}: {gd} vs {d}");
            assert!((grange[0] - range[0]).abs() <= 0.051, "{id}: {grange:?}");
            assert!((grange[1] - range[1]).abs() <= 0.051, "{id}: {grange:?}");
            assert_eq!(ginside, inside, "{id} at {lon},{lat} r={radius_m}");
            if inside == "possible" {
                possible_seen += 1;
            }
        }
        let d: Vec<f64> = features
            .iter()
            .map(|f| f["properties"]["distance_m"].as_f64().expect("d"))
            .collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    }
    assert!(possible_seen > 0, "no point met a feature only possibly");
}

#[tokio::test]
async fn near_ties_at_zero_metres_come_smallest_area_first_then_by_name() {
    // Inside the 解放碑 core, where several zones overlap.
    let (status, body) = get("/api/near?lon=106.5755&lat=29.5592&radius_m=250").await;
    assert_eq!(status, StatusCode::OK);
    let atlas = common::atlas();
    let area = |id: &str| {
        atlas
            .features
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| match f.geometry.as_ref()? {
                g @ (Geometry::Polygon(_) | Geometry::MultiPolygon(_)) => {
                    Some(g.geodesic_area_unsigned())
                }
                _ => Some(0.0),
            })
            .expect("a located feature")
    };
    let at_zero: Vec<(f64, String)> = body["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["distance_m"] == 0.0)
        .map(|f| {
            let p = &f["properties"];
            (
                area(p["id"].as_str().expect("id")),
                p["name"].as_str().expect("name").to_string(),
            )
        })
        .collect();
    let polygons = at_zero.iter().filter(|(a, _)| *a > 0.0).count();
    assert!(
        polygons >= 2,
        "the point lies in several zones: {at_zero:?}"
    );
    assert!(
        at_zero
            .windows(2)
            .all(|w| w[0].0.total_cmp(&w[1].0).then(w[0].1.cmp(&w[1].1)).is_le()),
        "{at_zero:?}"
    );
}

#[tokio::test]
async fn near_district_wide_part_holds_only_items_for_the_whole_district() {
    let (status, body) =
        get("/api/near?lon=106.5770&lat=29.5570&radius_m=300&district_wide=full").await;
    assert_eq!(status, StatusCode::OK);
    let list = body["district_wide"].as_array().expect("district_wide");
    assert!(!list.is_empty(), "the seed plans things along 两江");
    for f in list {
        assert_eq!(f["properties"]["scope"], "district", "{f}");
    }
    let names: HashSet<&str> = list
        .iter()
        .filter_map(|f| f["properties"]["name"].as_str())
        .collect();
    // A single building the gazetteer lacks is unlocated, not district-wide.
    assert!(!names.contains("民族大厦"), "{names:?}");
    assert!(!names.contains("区应急救援指挥中心"), "{names:?}");
}

#[tokio::test]
async fn every_unlocated_item_is_in_the_catalogue_with_its_quote() {
    let (_, health) = get("/health").await;
    let mut unlocated = 0;
    for layer in ["zones", "streets", "projects"] {
        let (status, body) = get(&format!("/api/collections/{layer}/items?limit=10000")).await;
        assert_eq!(status, StatusCode::OK);
        for f in body["features"].as_array().expect("features") {
            if f["geometry"].is_null() {
                unlocated += 1;
                let quote = f["properties"]["quote"].as_str().expect("quote");
                assert!(quote.chars().count() > 4, "{f}");
            }
        }
    }
    assert_eq!(Some(unlocated), health["unlocated"].as_u64());
    assert!(unlocated > 0);
}

#[tokio::test]
async fn served_location_sources_are_chinese_and_confidence_follows_the_evidence() {
    let mut sources = 0;
    let mut chinese = 0;
    let mut anchor_confidence = HashSet::new();
    for layer in ["zones", "streets", "projects"] {
        let (_, body) = get(&format!("/api/collections/{layer}/items?limit=10000")).await;
        for f in body["features"].as_array().expect("features") {
            let loc = &f["properties"]["location"];
            let source = loc["source"].as_str().expect("source");
            sources += 1;
            // Chinese characters, and no data file named.
            let cjk = source
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let file = [".geojson", ".json", ".pbf", ".csv", ".txt"]
                .iter()
                .any(|x| source.contains(x));
            if cjk && !file && !source.contains("reference only") {
                chinese += 1;
            }
            if loc["match"] == "anchor" {
                anchor_confidence.insert(loc["confidence"].to_string());
            }
        }
    }
    assert!(sources > 100);
    assert!(
        chinese * 100 >= sources * 95,
        "{chinese} of {sources} sources read as Chinese"
    );
    assert!(
        anchor_confidence.len() >= 3,
        "confidence is not a constant per tier: {anchor_confidence:?}"
    );
}
