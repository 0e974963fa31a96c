//! `GET /api/near`: what is planned around a point, by true distance in metres, each feature
//! with its distance widened by its uncertainty (`distance_range_m`) and whether the radius
//! holds it for certain or only possibly (`inside`), plus the district-wide items. The hottest route: the answer is one buffer of pre-rendered features.
//! The district-wide brief references link their features from the request's base
//! (`links::push_rebased`, the rule of every link).

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

use super::params::Params;
use super::{ApiError, AppState, base_url, geojson_text_response, links, spec};
use crate::plan::{Layer, round7};
use crate::store::{DistrictWide, NearQuery};

pub async fn near(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    let p = Params::parse(q.as_deref(), spec::NEAR)?;
    let crs = p.crs()?;
    let lon = p.f64_in("lon", -180.0, 180.0, None)?;
    let lat = p.f64_in("lat", -90.0, 90.0, None)?;
    let radius_m = p.f64_in("radius_m", 0.0, s.limits.max_radius_m, Some(500.0))?;
    let limit = p.usize_in("limit", 1, s.limits.max_limit, 100)?;
    // Both were checked against their declared sets in `Params::parse`.
    let layers: Vec<Layer> = match p.get("layers") {
        None => Layer::ALL.to_vec(),
        Some(v) => v
            .split(',')
            .filter_map(|l| Layer::parse(l.trim()))
            .collect(),
    };
    let district_wide = p
        .get("district_wide")
        .and_then(DistrictWide::parse)
        .unwrap_or(DistrictWide::Brief);
    let reports = p.reports(&store.report_ids())?;
    // `lon` and `lat` are named, so their order never follows the crs's axis order; only a
    // vendor datum shifts them.
    let (w_lon, w_lat) = crs.lonlat_to_wgs84(lon, lat);
    let answer = store.near(
        &NearQuery {
            lon: w_lon,
            lat: w_lat,
            radius_m,
            limit,
            layers,
            district_wide,
            reports,
        },
        crs,
    );
    let base = base_url(&headers);
    // One buffer, sized once: near answers are tens of KB; each brief (some 200 bytes) gains
    // the base in its link.
    let capacity = 256
        + answer
            .hits
            .iter()
            .map(|h| h.feature.len_with("distance_m") + 96)
            .sum::<usize>()
        + answer
            .district_wide
            .iter()
            .map(|d| d.len() + 1 + (d.len() / 200 + 1) * base.len())
            .sum::<usize>();
    let mut body = String::with_capacity(capacity);
    // The crs names are plain ASCII, so they need no escaping.
    body.push_str("{\"type\":\"FeatureCollection\",\"crs\":\"");
    body.push_str(crs.as_str());
    body.push_str("\",\"center\":");
    body.push_str(&json!([round7(lon), round7(lat)]).to_string());
    body.push_str(",\"radius_m\":");
    body.push_str(&json!(radius_m).to_string());
    body.push_str(",\"numberReturned\":");
    body.push_str(&answer.hits.len().to_string());
    body.push_str(",\"features\":[");
    for (n, h) in answer.hits.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        h.feature
            .write_near(&mut body, h.distance_m, h.distance_range_m, h.inside);
    }
    body.push_str("],\"district_wide\":[");
    let mut first = true;
    for list in answer.district_wide.iter().filter(|l| !l.is_empty()) {
        if !first {
            body.push(',');
        }
        first = false;
        links::push_rebased(&mut body, list, &base);
    }
    body.push_str("]}");
    Ok(geojson_text_response(body, crs))
}
