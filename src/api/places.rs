//! The `places` collection: one feature per place across the selected reports, so a GIS user
//! sees the cross-year view. Each feature has the place's latest geometry (served in the point
//! family, as projects are: `location.drawn` says when it stands for an area or a line), its
//! latest name, layer and status, the first and latest year it is planned in, how many
//! commitments the reports make to it, and a link to `/api/places/{placeId}`.
//!
//! Input: the planning collections' served features (WGS-84) of the selected reports, in the
//! store's report order (oldest first). Output: GeoJSON features and the collection's metadata.
//! Built per request from the served features, so it always agrees with them.

use std::collections::HashMap;

use geo::{Geometry, MapCoords};
use serde_json::{Value, json};

use super::ApiError;
use super::params::Params;
use crate::datum::Crs;
use crate::plan::{Family, Layer, geometry_json, in_family, round7};
use crate::store::{FeatureStore, ItemsQuery};

/// The collection's id.
pub const ID: &str = "places";

/// The collection's title.
pub const TITLE: &str = "地点（跨年度）";

/// One place: the features of it, oldest report first.
struct Place {
    id: String,
    features: Vec<(usize, Value)>,
}

/// Every place of the selected reports (`reports`: ids, empty for all), in the order their
/// first feature is served.
fn places(store: &dyn FeatureStore, reports: &[String]) -> Result<Vec<Place>, ApiError> {
    let order: Vec<String> = store
        .report_ids()
        .iter()
        .map(|r| (*r).to_string())
        .collect();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Place> = Vec::new();
    for layer in Layer::ALL {
        let query = ItemsQuery {
            limit: 1 << 24,
            reports: reports.to_vec(),
            ..ItemsQuery::default()
        };
        let page = store.items(layer.as_str(), &query, Crs::Wgs84)?;
        for text in page.features {
            let mut s = String::new();
            text.write(&mut s);
            let Ok(f) = serde_json::from_str::<Value>(&s) else {
                continue;
            };
            let Some(place) = f["properties"]["place"].as_str().filter(|p| !p.is_empty()) else {
                continue;
            };
            let report = f["properties"]["report"].as_str().unwrap_or_default();
            let rank = order.iter().position(|r| r == report).unwrap_or(0);
            let k = *by_id.entry(place.to_string()).or_insert_with(|| {
                out.push(Place {
                    id: place.to_string(),
                    features: Vec::new(),
                });
                out.len() - 1
            });
            out[k].features.push((rank, f));
        }
    }
    for p in &mut out {
        p.features.sort_by_key(|(rank, _)| *rank);
    }
    Ok(out)
}

/// A GeoJSON geometry value as a geo geometry.
fn to_geo(v: &Value) -> Option<Geometry<f64>> {
    let g: geojson::Geometry = serde_json::from_value(v.clone()).ok()?;
    Geometry::try_from(g).ok()
}

/// One place as a GeoJSON feature in `crs`.
fn feature(p: &Place, crs: Crs, base: &str) -> Value {
    let (_, first) = &p.features[0];
    let (_, latest) = &p.features[p.features.len() - 1];
    // The placement itself: a stand-in of the latest feature's layer keeps it beside.
    let placement = latest
        .get("placement")
        .filter(|g| !g.is_null())
        .unwrap_or(&latest["geometry"]);
    let lp = &latest["properties"];
    let served = to_geo(placement)
        .map(|g| in_family(Family::Point, &g, lp["location"]["uncertainty_m"].as_f64()));
    let to = |g: &Geometry<f64>| {
        let moved = g.map_coords(|c| {
            let (x, y) = crs.from_wgs84(c.x, c.y);
            geo::Coord { x, y }
        });
        geometry_json(&moved, &|x, y| (x, y))
    };
    // The latest feature's own stand-in mark describes its layer's geometry, not this one.
    let mut location = lp["location"].clone();
    if let Some(l) = location.as_object_mut() {
        l.remove("drawn");
    }
    if let Some((_, Some(drawn))) = &served {
        location["drawn"] = json!(drawn);
    }
    let year = |f: &Value| f["properties"]["year"].clone();
    let commitments = p
        .features
        .iter()
        .filter(|(_, f)| !f["properties"]["action"].is_null())
        .count();
    let href = super::links::href(
        base,
        &format!(
            "/api/places/{}",
            percent_encoding::utf8_percent_encode(&p.id, percent_encoding::NON_ALPHANUMERIC)
        ),
    );
    let mut f = json!({
        "type": "Feature",
        "id": p.id,
        "geometry": served.as_ref().map_or(Value::Null, |(g, _)| to(g)),
        "properties": {
            "name": lp["name"],
            "layer": lp["layer"],
            "kind": lp["kind"],
            "first_year": year(first),
            "latest_year": year(latest),
            "latest_report": lp["report"],
            "status": lp["status"],
            "commitments": commitments,
            "reports": p.features.iter().filter_map(|(_, f)| f["properties"]["report"].as_str()).collect::<Vec<_>>(),
            "match": lp["match"],
            "uncertainty_m": lp["uncertainty_m"],
            "location": location,
            "href": href,
        },
        "links": [{"href": href, "rel": "describedby", "type": "application/json", "title": "the place across reports"}],
    });
    if let Some((g, Some(_))) = &served
        && let Some(original) = to_geo(placement)
        && *g != original
    {
        f["placement"] = to(&original);
    }
    f
}

/// The places of a request's report selection, as features in `crs`.
///
/// # Errors
/// A 400 naming `report` for an unknown report.
pub fn features(
    store: &dyn FeatureStore,
    p: &Params,
    crs: Crs,
    base: &str,
) -> Result<Vec<Value>, ApiError> {
    let reports = p.reports(&store.report_ids())?;
    Ok(places(store, &reports)?
        .iter()
        .map(|pl| feature(pl, crs, base))
        .collect())
}

/// The collection's metadata (counts and extent over every report).
#[must_use]
pub fn collection_json(store: &dyn FeatureStore, base: &str) -> Value {
    let all = features(store, &Params::default(), Crs::Wgs84, base).unwrap_or_default();
    let located: Vec<&Value> = all.iter().filter(|f| !f["geometry"].is_null()).collect();
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for f in &located {
        for c in f["geometry"]["coordinates"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let (Some(x), Some(y)) = (c[0].as_f64(), c[1].as_f64()) {
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
        }
    }
    let bbox: Vec<f64> = if located.is_empty() {
        Vec::new()
    } else {
        b.iter().map(|v| round7(*v)).collect()
    };
    json!({
        "id": ID,
        "title": TITLE,
        "description": "One feature per place across the selected reports: its latest geometry (a point; location.drawn says when it stands for an area or a line), name and status, the first and latest year it is planned in, how many commitments the reports make to it, and a link to /api/places/{placeId}.",
        "itemType": "feature",
        "itemCount": all.len(),
        "locatedCount": located.len(),
        "geometryType": Family::Point.geojson_type(),
        "crs": Crs::STANDARD.iter().map(|c| c.uri()).collect::<Vec<_>>(),
        "storageCrs": crate::datum::CRS84_URI,
        "extent": {"spatial": {"bbox": [bbox], "crs": crate::datum::CRS84_URI}},
        "links": [
            {"href": format!("{base}/api/collections/{ID}"), "rel": "self", "type": "application/json"},
            {"href": format!("{base}/api/collections/{ID}/items"), "rel": "items", "type": "application/geo+json"},
            {"href": format!("{base}/api/collections/{ID}/schema"), "rel": "describedby", "type": "application/schema+json", "title": "the schema of its features"}
        ]
    })
}
