//! The write routes of planners' corrections (issue #13) and their public reads.
//!
//! - `PUT /api/collections/{layer}/items/{featureId}/placement`: a planner's placement
//!   (`{geometry, uncertainty_m, source, note}`, GeoJSON in WGS-84 lon/lat or the `crs` given);
//! - `DELETE …/placement`: back to the automatic placement (`note` in the body or the query);
//! - `GET …/placements`: every version, newest first;
//! - `GET /api/corrections/stats`: per automatic match tier, how far corrections moved it.
//!
//! Inputs: the request, the [`Editing`] part of [`AppState`] (placement store, rebuild
//! function, district boundary). Outputs: the feature as now served with `ETag: "v<N>"` (the
//! placement version), or JSON errors `{code, message, parameter}`. Writes are serialised
//! (one at a time: store write, rebuild, swap), run on the blocking pool, and served at once.
//! Distances are metres; coordinates are stored in WGS-84.

use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use geo::{CoordsIter, Geometry, Intersects, MapCoords, Point};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{ClientIp, authenticate};
pub(super) use super::editing::{Editing, blocking, body_bytes, body_up_to, json_body, write};
use super::params::Params;
pub use super::write_error::{EditError, store_error};
use super::write_error::{etag, if_match};
use super::{ApiPath, AppState, geojson_text_response, spec};
use crate::datum::Crs;
use crate::plan::{Layer, geometry_json};
use crate::store::placement::{Change, Correction, Version, check_ring_positions};

/// How far outside the district boundary a correction may lie without a note saying why, in
/// metres: the boundary is a drawn approximation, and a riverside place may sit just beyond it.
pub const DISTRICT_BUFFER_M: f64 = 1000.0;

/// The planning layer of a path, or a 400: only planned features take corrections.
fn planning_layer(collection: &str) -> Result<Layer, EditError> {
    Layer::parse(collection).ok_or_else(|| {
        EditError::bad(
            "collectionId",
            format!("`{collection}` takes no corrections; only zones, streets and projects do"),
        )
    })
}

/// The served feature's GeoJSON, parsed (writes are rare, so parsing it is no cost).
fn served_feature(
    state: &AppState,
    collection: &str,
    feature_id: &str,
    crs: Crs,
) -> Result<(String, Value), EditError> {
    let mut text = String::new();
    state
        .store()
        .item(collection, feature_id, crs)?
        .write(&mut text);
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| EditError::internal(&format!("served feature is not JSON: {e}")))?;
    Ok((text, value))
}

/// The feature as now served, with its placement version.
fn feature_answer(text: String, crs: Crs, version: Version) -> Response {
    let mut r = geojson_text_response(text, crs);
    r.headers_mut().insert(header::ETAG, etag(version));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The body of a PUT.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PutBody {
    geometry: Value,
    uncertainty_m: f64,
    source: String,
    note: String,
}

/// The optional body of a DELETE.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteBody {
    note: Option<String>,
}

/// Reads a GeoJSON geometry as the request gave it: rings checked closed *before* geo (which
/// closes them silently), then converted to WGS-84 from `crs`.
fn read_geometry(value: &Value, crs: Crs) -> Result<Geometry<f64>, EditError> {
    let bad = |m: String| EditError::bad("geometry", m);
    let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
    let rings: Vec<&Value> = match kind {
        "Polygon" => value["coordinates"]
            .as_array()
            .into_iter()
            .flatten()
            .collect(),
        "MultiPolygon" => value["coordinates"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .collect(),
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" => Vec::new(),
        other => {
            return Err(bad(format!(
                "geometry type {other:?} is not accepted: use Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon"
            )));
        }
    };
    for ring in rings {
        let positions: Vec<Vec<f64>> = ring
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                p.as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| n.as_f64().unwrap_or(f64::NAN))
                    .collect()
            })
            .collect();
        check_ring_positions(positions.iter().map(Vec::as_slice)).map_err(bad)?;
    }
    let parsed: geojson::Geometry = serde_json::from_value(value.clone())
        .map_err(|e| bad(format!("not a GeoJSON geometry: {e}")))?;
    let geometry = Geometry::<f64>::try_from(&parsed)
        .map_err(|e| bad(format!("not a usable geometry: {e}")))?;
    Ok(match crs {
        Crs::Wgs84 => geometry,
        _ => geometry.map_coords(|c| {
            let (x, y) = crs.to_wgs84(c.x, c.y);
            geo::Coord { x, y }
        }),
    })
}

/// Whether a geometry lies outside the district: it does not touch the boundary and none of
/// its vertices is within [`DISTRICT_BUFFER_M`] of it.
fn outside_district(boundary: &Geometry<f64>, geometry: &Geometry<f64>) -> bool {
    if boundary.intersects(geometry) {
        return false;
    }
    !geometry
        .coords_iter()
        .any(|c| crate::spatial::distance_m(boundary, Point::from(c)) <= DISTRICT_BUFFER_M)
}

/// Whether a note explains a placement outside the district: it says 区外 or "outside".
#[must_use]
pub fn note_explains_outside(note: &str) -> bool {
    note.contains("区外") || note.to_lowercase().contains("outside")
}

/// GET on an item path: `…/placements` is the history, anything else the feature itself.
pub async fn get_item_or_history(
    State(s): State<AppState>,
    ApiPath((collection, rest)): ApiPath<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    if let Some(feature_id) = rest.strip_suffix("/placements") {
        return history(s, collection, feature_id.to_owned(), q)
            .await
            .unwrap_or_else(IntoResponse::into_response);
    }
    // Taken as a value: the item route's own handler, unchanged.
    let item = super::ogc::item;
    item(State(s), ApiPath((collection, rest)), headers, RawQuery(q))
        .await
        .into_response()
}

/// `OPTIONS` on an item path (not a CORS preflight, which the CORS layer answers): the
/// methods this very path takes, as documented: `…/placement` is written, the item and its
/// `…/placements` history are read.
pub async fn options(ApiPath((_, rest)): ApiPath<(String, String)>) -> Response {
    let allow = if rest.ends_with("/placement") {
        "PUT, DELETE"
    } else {
        "GET, HEAD"
    };
    (
        StatusCode::NO_CONTENT,
        [(header::ALLOW, HeaderValue::from_static(allow))],
    )
        .into_response()
}

/// The feature id of a `…/placement` path, or 405 for a write to another item path.
fn placement_target(rest: &str) -> Result<String, EditError> {
    rest.strip_suffix("/placement")
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            EditError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "writes go to …/items/{featureId}/placement",
            )
        })
}

/// `PUT …/placement`: saves a planner's placement and answers the feature as now served.
pub async fn put_placement(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath((collection, rest)): ApiPath<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    with_allow(
        put(s, ip, collection, rest, q, headers, body)
            .await
            .unwrap_or_else(IntoResponse::into_response),
    )
}

/// A 405 says which methods the path does take (RFC 9110): an item or its history is read
/// only; writes go to `…/placement`.
fn with_allow(mut r: Response) -> Response {
    if r.status() == StatusCode::METHOD_NOT_ALLOWED {
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    r
}

async fn put(
    s: AppState,
    ip: std::net::IpAddr,
    collection: String,
    rest: String,
    q: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EditError> {
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    let feature_id = placement_target(&rest)?;
    let layer = planning_layer(&collection)?;
    let crs = Params::parse(q.as_deref(), spec::PLACEMENT_PUT)?.crs()?;
    let editor = authenticate(&editing, ip, &headers).await?;
    let expected = if_match(&headers)?;
    let bytes = body_bytes(&s, &headers, body).await?;
    let request: PutBody = json_body(&bytes)?;
    let geometry = read_geometry(&request.geometry, crs)?;
    let (_, served) = served_feature(&s, &collection, &feature_id, Crs::Wgs84)?;
    let name = served["properties"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let correction = Correction {
        feature_id: feature_id.clone(),
        layer,
        name,
        geometry,
        uncertainty_m: request.uncertainty_m,
        source: request.source,
        note: request.note,
        editor: editor.name,
    };
    crate::store::placement::validate_correction(&correction).map_err(|e| store_error(&e))?;
    if outside_district(&editing.boundary, &correction.geometry)
        && !note_explains_outside(&correction.note)
    {
        return Err(EditError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "outside_district",
            format!(
                "the geometry lies more than {DISTRICT_BUFFER_M} m outside the district boundary; if that is right, say why in the note (it must contain 区外 or \"outside\")"
            ),
        )
        .on("geometry"));
    }
    let state = s.clone();
    let version =
        blocking(move || write(&state, &editing, |store| store.put(&correction, expected))).await?;
    let (_, mut feature) = served_feature(&s, &collection, &feature_id, crs)?;
    super::ogc::add_item_links(&mut feature, &headers, &collection, &feature_id);
    Ok(feature_answer(feature.to_string(), crs, version))
}

/// `DELETE …/placement`: back to the automatic placement, recorded as a version.
pub async fn delete_placement(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath((collection, rest)): ApiPath<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    with_allow(
        delete(s, ip, collection, rest, q, headers, body)
            .await
            .unwrap_or_else(IntoResponse::into_response),
    )
}

async fn delete(
    s: AppState,
    ip: std::net::IpAddr,
    collection: String,
    rest: String,
    q: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EditError> {
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    let feature_id = placement_target(&rest)?;
    planning_layer(&collection)?;
    let params = Params::parse(q.as_deref(), spec::PLACEMENT_DELETE)?;
    let crs = params.crs()?;
    let editor = authenticate(&editing, ip, &headers).await?;
    let expected = if_match(&headers)?;
    let bytes = body_bytes(&s, &headers, body).await?;
    let request: DeleteBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        DeleteBody::default()
    } else {
        json_body(&bytes)?
    };
    let note = match (request.note, params.get("note")) {
        (Some(n), _) => n,
        (None, Some(n)) => n.to_owned(),
        (None, None) => {
            return Err(EditError::bad(
                "note",
                "say why the correction is removed: `note` in the JSON body or ?note=",
            ));
        }
    };
    served_feature(&s, &collection, &feature_id, Crs::Wgs84)?;
    let state = s.clone();
    let id = feature_id.clone();
    let version = blocking(move || {
        write(&state, &editing, |store| {
            store.revert(&id, &editor.name, &note, expected)
        })
    })
    .await?;
    let (_, mut feature) = served_feature(&s, &collection, &feature_id, crs)?;
    super::ogc::add_item_links(&mut feature, &headers, &collection, &feature_id);
    Ok(feature_answer(feature.to_string(), crs, version))
}

/// `GET …/placements`: every version of a feature's placement, newest first.
async fn history(
    s: AppState,
    collection: String,
    feature_id: String,
    q: Option<String>,
) -> Result<Response, EditError> {
    let crs = Params::parse(q.as_deref(), spec::ITEM)?.crs()?;
    served_feature(&s, &collection, &feature_id, Crs::Wgs84)?;
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    let id = feature_id.clone();
    let (version, versions) = blocking(move || {
        let store = &editing.placements;
        let version = store.version(&id).map_err(|e| store_error(&e))?;
        Ok((version, store.history(&id).map_err(|e| store_error(&e))?))
    })
    .await?;
    let to_crs = |lon, lat| crs.from_wgs84(lon, lat);
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({
                "version": v.version.0,
                "kind": match v.change { Change::Placed => "put", Change::Reverted => "revert" },
                "geometry": v.geometry.as_ref().map(|g| geometry_json(g, &to_crs)),
                "uncertainty_m": v.uncertainty_m,
                "source": v.source,
                "note": v.note,
                "editor": v.editor,
                "at": v.at,
                "replaced": v.replaced.map(|r| r.0),
            })
        })
        .collect();
    let body = json!({
        "feature_id": feature_id,
        "collection": collection,
        "version": version.0,
        "crs": crs.as_str(),
        "versions": versions,
    });
    let mut r = Json(body).into_response();
    r.headers_mut().insert(header::ETAG, etag(version));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(r)
}

/// `GET /api/corrections/stats`: per automatic match tier, features, corrected, and the
/// median and 90th-percentile distance between automatic and corrected placement.
pub async fn stats(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    if let Err(e) = Params::parse(q.as_deref(), spec::META) {
        return e.into_response();
    }
    let Some(editing) = s.editing.clone() else {
        return EditError::not_editable().into_response();
    };
    let tiers = editing
        .live
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .stats();
    let mut r = Json(json!({
        "distance": "metres, Haversine, between the centroids of the automatic and the corrected geometry; features placed unlocated count as corrected but not measured",
        "tiers": tiers,
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Turns a plain-text 413 of the body-limit layer into the API's JSON error.
pub async fn json_payload_too_large(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return EditError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the body is larger than this server accepts",
        )
        .on("body")
        .into_response();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::editing::field_of;

    #[test]
    fn the_field_a_serde_error_names_is_the_parameter() {
        assert_eq!(
            field_of("unknown field `colour`, expected one of"),
            "colour"
        );
        assert_eq!(field_of("missing field `note` at line 1"), "note");
        assert_eq!(field_of("expected value at line 1 column 2"), "body");
    }

    #[test]
    fn a_note_explains_an_outside_placement_in_chinese_or_english() {
        assert!(note_explains_outside("码头在区外对岸"));
        assert!(note_explains_outside(
            "Lies OUTSIDE the boundary: the ferry pier"
        ));
        assert!(!note_explains_outside("按现场踏勘修正"));
    }

    #[test]
    fn an_open_ring_is_refused_before_geo_closes_it() {
        let open = json!({"type": "Polygon", "coordinates": [[[106.57, 29.55], [106.58, 29.55], [106.58, 29.56], [106.57, 29.56]]]});
        let e = read_geometry(&open, Crs::Wgs84).expect_err("refused");
        assert!(format!("{e:?}").contains("not closed"), "{e:?}");
    }
}
