//! OGC API Features Part 1 routes: landing page, conformance, collections, items and one item.
//! Items are answered from the store's pre-rendered features, concatenated.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use super::params::Params;
use super::{ApiError, ApiPath, AppState, base_url, geojson_text_response, spec};
use crate::plan::{Filter, Status, round7};
use crate::store::{CollectionInfo, FeatureText, ItemsQuery};

pub async fn landing(headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    Params::parse(q.as_deref(), spec::META)?;
    let base = base_url(&headers);
    Ok(Json(json!({
        "title": "planmap",
        "description": "Planned zones, streets and projects read from district government work reports, placed on the map with their uncertainty.",
        "links": [
            {"href": format!("{base}/api"), "rel": "self", "type": "application/json", "title": "this document"},
            {"href": format!("{base}/api/openapi.json"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "title": "the API definition"},
            {"href": format!("{base}/api/conformance"), "rel": "conformance", "type": "application/json", "title": "conformance classes"},
            {"href": format!("{base}/api/collections"), "rel": "data", "type": "application/json", "title": "collections"}
        ]
    })))
}

pub async fn conformance(RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    Params::parse(q.as_deref(), spec::META)?;
    Ok(Json(json!({"conformsTo": [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
    ]})))
}

fn collection_json(c: &CollectionInfo<'_>, base: &str) -> Value {
    let bbox = c.extent.map(|b| {
        vec![
            round7(b.min_lon),
            round7(b.min_lat),
            round7(b.max_lon),
            round7(b.max_lat),
        ]
    });
    json!({
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "itemCount": c.item_count,
        "locatedCount": c.located_count,
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "extent": {"spatial": {"bbox": [bbox.unwrap_or_default()], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
        "links": [
            {"href": format!("{base}/api/collections/{}", c.id), "rel": "self", "type": "application/json"},
            {"href": format!("{base}/api/collections/{}/items", c.id), "rel": "items", "type": "application/geo+json"}
        ]
    })
}

pub async fn collections(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::META)?;
    let base = base_url(&headers);
    Ok(Json(json!({
        "links": [{"href": format!("{base}/api/collections"), "rel": "self", "type": "application/json"}],
        "collections": store.collections().iter().map(|c| collection_json(c, &base)).collect::<Vec<_>>()
    })))
}

pub async fn collection(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::META)?;
    let c = store.collection(&id)?;
    Ok(Json(collection_json(&c, &base_url(&headers))))
}

/// The planners' filters of an items request (values already checked by `Params::parse`).
fn filter(p: &Params) -> Filter {
    Filter {
        theme: p.get("theme").map(str::to_string),
        section: p.get("section").map(str::to_string),
        status: p.get("status").and_then(Status::parse),
        q: p.get("q").map(str::to_string),
    }
}

/// Joins rendered features into a JSON array.
fn array<'a>(features: impl Iterator<Item = &'a FeatureText>) -> String {
    let mut out = String::from("[");
    for (n, f) in features.enumerate() {
        if n > 0 {
            out.push(',');
        }
        f.write(&mut out);
    }
    out.push(']');
    out
}

pub async fn items(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    store.collection(&id)?;
    let p = Params::parse(q.as_deref(), spec::ITEMS)?;
    let crs = p.crs()?;
    let query = ItemsQuery {
        bbox: p.bbox(crs)?,
        filter: filter(&p),
        limit: p.usize_in("limit", 1, s.limits.max_limit, 100)?,
        offset: p.usize_in("offset", 0, usize::MAX / 2, 0)?,
        reports: p.reports(&store.report_ids())?,
    };
    let page = store.items(&id, &query, crs)?;
    let (limit, offset) = (query.limit, query.offset);
    let base = base_url(&headers);
    let link = |off: usize, rel: &str| {
        let mut pairs: Vec<(String, String)> = spec::names(spec::ITEMS)
            .iter()
            .filter(|k| **k != "offset" && **k != "limit")
            .filter_map(|k| p.get(k).map(|v| ((*k).to_string(), v.to_string())))
            .collect();
        pairs.push(("limit".into(), limit.to_string()));
        pairs.push(("offset".into(), off.to_string()));
        let qs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        json!({"href": format!("{base}/api/collections/{id}/items?{qs}"), "rel": rel, "type": "application/geo+json"})
    };
    let mut links = vec![link(offset, "self")];
    if offset + page.features.len() < page.number_matched {
        links.push(link(offset + limit, "next"));
    }
    if offset > 0 {
        links.push(link(offset.saturating_sub(limit), "prev"));
    }
    // Which datum the coordinates are in (also in the Content-Crs header). GDAL ignores a
    // string here; RFC 7946 only retired the old object form.
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"crs\":{},\"numberMatched\":{},\"numberReturned\":{},\"links\":{},\"features\":{}}}",
        json!(crs.as_str()),
        page.number_matched,
        page.features.len(),
        Value::Array(links),
        array(page.features.iter().copied()),
    );
    Ok(geojson_text_response(body, crs))
}

pub async fn item(
    State(s): State<AppState>,
    ApiPath((id, feature_id)): ApiPath<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    store.collection(&id)?;
    let p = Params::parse(q.as_deref(), spec::ITEM)?;
    let crs = p.crs()?;
    let mut body = String::new();
    store.item(&id, &feature_id, crs)?.write(&mut body);
    Ok(geojson_text_response(body, crs))
}
