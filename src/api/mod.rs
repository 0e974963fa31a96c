//! The HTTP API (axum): OGC API Features collections, near, search, report, the web page.
//! The only module that knows axum and tower.
//!
//! Input: a read-only [`Atlas`] in [`AppState`]. Output: a [`Router`] from [`app`], and
//! [`serve`] which runs it on a given listener until a given shutdown future resolves, so
//! tests run the real server on port 0. Coordinates are WGS-84 lon/lat unless the request
//! says `crs=gcj02|bd09`; distances are metres.

mod error;
mod params;
mod render;
pub mod spec;
mod web;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use geo::{Centroid, InteriorPoint};
use serde_json::{Value, json};
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
use params::Params;
use render::DistrictWide;

use crate::atlas::{Atlas, Collection, Item};
use crate::datum::Crs;
use crate::plan::{Layer, round7};

/// Shared state of every handler: the atlas, read-only, so no locks.
#[derive(Clone)]
pub struct AppState {
    /// Everything served.
    pub atlas: Arc<Atlas>,
    /// What one request may ask for and take.
    pub limits: Limits,
    /// The atlas's features, serialised once.
    rendered: Arc<render::Rendered>,
}

impl AppState {
    /// State with the default limits.
    #[must_use]
    pub fn new(atlas: Arc<Atlas>) -> AppState {
        AppState::with_limits(atlas, Limits::default())
    }

    /// State with the given limits. Renders every feature once (milliseconds for a district).
    #[must_use]
    pub fn with_limits(atlas: Arc<Atlas>, limits: Limits) -> AppState {
        let rendered = Arc::new(render::Rendered::new(&atlas));
        AppState {
            atlas,
            limits,
            rendered,
        }
    }
}

/// Largest `limit` for items, by default.
pub const MAX_LIMIT: usize = 10_000;
/// Largest `radius_m` for near, by default.
pub const MAX_RADIUS_M: f64 = 20_000.0;

/// Limits on what one request may ask for and take; the server answers beyond them with
/// 400 (a parameter), 413 (a body), 414 (a URI), 431 (headers, from hyper), 503 (overload or
/// timeout), never a hang.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest `limit` of items and near.
    pub max_limit: usize,
    /// Largest `radius_m` of near, metres.
    pub max_radius_m: f64,
    /// Longest time a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Requests handled at once; more are answered 503 at once rather than queued.
    pub max_concurrent: usize,
    /// Longest request URI (path and query), bytes.
    pub max_uri_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_limit: MAX_LIMIT,
            max_radius_m: MAX_RADIUS_M,
            request_timeout: Duration::from_secs(10),
            max_concurrent: 512,
            max_uri_bytes: 16 * 1024,
        }
    }
}

/// Builds the router with its middleware.
pub fn app(state: AppState) -> Router {
    let limits = state.limits;
    Router::new()
        .route("/health", get(health))
        .route("/api", get(landing))
        .route("/api/", get(landing))
        .route("/api/conformance", get(conformance))
        .route("/api/collections", get(collections))
        .route("/api/collections/{id}", get(collection))
        .route("/api/collections/{id}/items", get(items))
        .route("/api/collections/{id}/items/{*feature_id}", get(item))
        .route("/api/near", get(near))
        .route("/api/search", get(search))
        .route("/api/report", get(report))
        .route("/api/openapi.json", get(openapi))
        .merge(web::routes())
        .fallback(|| async { ApiError::not_found("no such route") })
        .with_state(state)
        .layer(axum::middleware::from_fn(etag))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
        .layer(
            CorsLayer::new()
                .allow_methods([axum::http::Method::GET])
                .allow_origin(tower_http::cors::Any),
        )
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024))
        .layer(axum::middleware::from_fn_with_state(limits, uri_limit))
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(limits.max_concurrent),
        )
        .layer(TraceLayer::new_for_http())
}

/// Answers a request the concurrency cap sheds.
async fn overloaded(_: tower::BoxError) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, HeaderValue::from_static("1"))],
        Json(json!({"code": "overloaded", "message": "too many requests at once; retry shortly", "parameter": null})),
    )
        .into_response()
}

/// Refuses URIs longer than the limit with 414, before any parsing.
async fn uri_limit(
    State(limits): State<Limits>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let len = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if len > limits.max_uri_bytes {
        return (
            StatusCode::URI_TOO_LONG,
            Json(json!({"code": "uri_too_long", "message": format!("the request URI is {len} bytes; at most {} are accepted", limits.max_uri_bytes), "parameter": null})),
        )
            .into_response();
    }
    next.run(request).await
}

/// The page's Content-Security-Policy: our own scripts and styles (Leaflet sets inline styles),
/// images from ourselves and the tile hosts of the basemaps it offers, nothing else.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://tile.openstreetmap.org https://*.tile.openstreetmap.org https://*.is.autonavi.com; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// Security headers on every answer: no sniffing, no framing, and a CSP that allows only our
/// own scripts and styles (Leaflet sets inline styles) and images from the tile hosts.
async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}

/// Serves the app on `listener` until `shutdown` resolves, finishing in-flight requests.
///
/// # Errors
/// An I/O error of the listener.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// FNV-1a, 64 bit: a stable, dependency-free hash for ETags (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Largest body the ETag layer buffers; answers are far smaller (the whole seed is ~1 MB).
const ETAG_MAX_BODY: usize = 64 << 20;

/// Adds a weak ETag to every 200 answer and answers 304 when the client already has it. Weak,
/// because compression may change the bytes while the representation stays the same.
async fn etag(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    // Near and search answer a point or a phrase: too varied to revalidate usefully, and
    // hashing them would cost on the hottest route.
    let path = request.uri().path();
    let tagged =
        !(path.starts_with("/api/near") || path.starts_with("/api/search") || path == "/health");
    let response = next.run(request).await;
    if !tagged {
        return response;
    }
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ETAG_MAX_BODY).await else {
        return ApiError::Internal("answer too large to tag".into()).into_response();
    };
    let tag = format!("W/\"{:016x}\"", fnv1a(&bytes));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

async fn health() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

/// The base URL of the request (scheme and host), for absolute links that GIS clients follow.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

async fn landing(headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
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

async fn conformance(RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    Params::parse(q.as_deref(), spec::META)?;
    Ok(Json(json!({"conformsTo": [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
    ]})))
}

fn collection_json(c: &Collection, base: &str) -> Value {
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
        "itemCount": c.items.len(),
        "locatedCount": c.index.len(),
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "extent": {"spatial": {"bbox": [bbox.unwrap_or_default()], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
        "links": [
            {"href": format!("{base}/api/collections/{}", c.id), "rel": "self", "type": "application/json"},
            {"href": format!("{base}/api/collections/{}/items", c.id), "rel": "items", "type": "application/geo+json"}
        ]
    })
}

async fn collections(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    Params::parse(q.as_deref(), spec::META)?;
    let base = base_url(&headers);
    Ok(Json(json!({
        "links": [{"href": format!("{base}/api/collections"), "rel": "self", "type": "application/json"}],
        "collections": s.atlas.collections.iter().map(|c| collection_json(c, &base)).collect::<Vec<_>>()
    })))
}

fn find_collection<'a>(atlas: &'a Atlas, id: &str) -> Result<&'a Collection, ApiError> {
    atlas
        .collection(id)
        .ok_or_else(|| ApiError::not_found(format!("no collection `{id}`; see /api/collections")))
}

/// The position of a collection in the atlas (the rendered features' numbering).
fn collection_index(atlas: &Atlas, id: &str) -> Result<usize, ApiError> {
    atlas
        .collections
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| ApiError::not_found(format!("no collection `{id}`; see /api/collections")))
}

async fn collection(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    Params::parse(q.as_deref(), spec::META)?;
    let c = find_collection(&s.atlas, &id)?;
    Ok(Json(collection_json(c, &base_url(&headers))))
}

/// A JSON answer with the media type and the datum header (`Content-Crs` names CRS84 for
/// WGS-84; GCJ-02 and BD-09 have no OGC URI, so their names are used), for a body already
/// serialised.
fn geojson_text_response(body: String, crs: Crs) -> Response {
    let content_crs = match crs {
        Crs::Wgs84 => "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>",
        Crs::Gcj02 => "<urn:planmap:crs:gcj02>",
        Crs::Bd09 => "<urn:planmap:crs:bd09>",
    };
    let mut r = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/geo+json"),
        )],
        body,
    )
        .into_response();
    r.headers_mut()
        .insert("content-crs", HeaderValue::from_static(content_crs));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// Whether an item passes the `theme`, `section`, `status` and `q` filters.
fn passes(item: &Item, p: &Params) -> bool {
    let prop = |k: &str| item.properties.get(k);
    if let Some(theme) = p.get("theme")
        && prop("theme").and_then(Value::as_str) != Some(theme)
    {
        return false;
    }
    if let Some(section) = p.get("section") {
        let s = prop("section");
        let number = s.and_then(|s| s.get("number")).and_then(Value::as_str);
        let title = s.and_then(|s| s.get("title")).and_then(Value::as_str);
        if number != Some(section) && title != Some(section) {
            return false;
        }
    }
    if let Some(status) = p.get("status") {
        let st = prop("action")
            .and_then(|a| a.get("status"))
            .and_then(Value::as_str);
        if st != Some(status) {
            return false;
        }
    }
    if let Some(q) = p.get("q") {
        let quote = prop("quote").and_then(Value::as_str).unwrap_or("");
        if !(item.name.contains(q)
            || item.aliases.iter().any(|a| a.contains(q))
            || quote.contains(q))
        {
            return false;
        }
    }
    true
}

async fn items(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let c = find_collection(&s.atlas, &id)?;
    let p = Params::parse(q.as_deref(), spec::ITEMS)?;
    let crs = p.crs()?;
    let limit = p.usize_in("limit", 1, s.limits.max_limit, 100)?;
    let offset = p.usize_in("offset", 0, usize::MAX / 2, 0)?;
    let bbox = p.bbox(crs)?;
    let ci = collection_index(&s.atlas, &id)?;
    let candidates: Vec<usize> = match bbox {
        Some(b) => c.index.within_bbox(b),
        None => (0..c.items.len()).collect(),
    };
    let matched: Vec<usize> = candidates
        .into_iter()
        .filter(|&i| passes(&c.items[i], &p))
        .collect();
    let page: Vec<usize> = matched.iter().skip(offset).take(limit).copied().collect();
    let base = base_url(&headers);
    let link = |off: usize, rel: &str| {
        let mut query: Vec<(String, String)> = spec::names(spec::ITEMS)
            .iter()
            .filter(|k| **k != "offset" && **k != "limit")
            .filter_map(|k| p.get(k).map(|v| ((*k).to_string(), v.to_string())))
            .collect();
        query.push(("limit".into(), limit.to_string()));
        query.push(("offset".into(), off.to_string()));
        let qs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&query)
            .finish();
        json!({"href": format!("{base}/api/collections/{id}/items?{qs}"), "rel": rel, "type": "application/geo+json"})
    };
    let mut links = vec![link(offset, "self")];
    if offset + page.len() < matched.len() {
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
        matched.len(),
        page.len(),
        Value::Array(links),
        render::array(page.iter().map(|&i| s.rendered.get(crs, ci, i))),
    );
    Ok(geojson_text_response(body, crs))
}

async fn item(
    State(s): State<AppState>,
    ApiPath((id, feature_id)): ApiPath<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let c = find_collection(&s.atlas, &id)?;
    let p = Params::parse(q.as_deref(), spec::ITEM)?;
    let crs = p.crs()?;
    let index = c
        .items
        .iter()
        .position(|i| i.id == feature_id)
        .ok_or_else(|| ApiError::not_found(format!("no feature `{feature_id}` in `{id}`")))?;
    let mut body = String::new();
    s.rendered
        .get(crs, collection_index(&s.atlas, &id)?, index)
        .write(&mut body);
    Ok(geojson_text_response(body, crs))
}

async fn near(State(s): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
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
    let form = p
        .get("district_wide")
        .and_then(DistrictWide::parse)
        .unwrap_or(DistrictWide::Brief);
    let (w_lon, w_lat) = crs.to_wgs84(lon, lat);
    // (distance, collection, item)
    let mut hits: Vec<(f64, usize, usize)> = Vec::new();
    let mut collections = Vec::with_capacity(layers.len());
    for layer in &layers {
        let ci = collection_index(&s.atlas, layer.as_str())?;
        collections.push(ci);
        for (i, d) in s.atlas.collections[ci]
            .index
            .near(w_lon, w_lat, radius_m, limit, &|_| true)
        {
            hits.push((d, ci, i));
        }
    }
    let atlas = &s.atlas;
    hits.sort_by(|a, b| {
        a.0.total_cmp(&b.0).then_with(|| {
            atlas.collections[a.1].items[a.2]
                .id
                .cmp(&atlas.collections[b.1].items[b.2].id)
        })
    });
    hits.truncate(limit);
    // One buffer, sized once: near is the hottest route and its answers are tens of KB.
    let capacity = 256
        + hits
            .iter()
            .map(|&(_, ci, i)| s.rendered.get(crs, ci, i).len_with("distance_m"))
            .sum::<usize>()
        + collections
            .iter()
            .map(|&ci| s.rendered.unlocated(crs, ci, form).len() + 1)
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
    body.push_str(&hits.len().to_string());
    body.push_str(",\"features\":[");
    for (n, &(d, ci, i)) in hits.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        s.rendered
            .get(crs, ci, i)
            .write_with(&mut body, "distance_m", (d * 10.0).round() / 10.0);
    }
    body.push_str("],\"district_wide\":[");
    let mut first = true;
    for &ci in &collections {
        let unlocated = s.rendered.unlocated(crs, ci, form);
        if !unlocated.is_empty() {
            if !first {
                body.push(',');
            }
            first = false;
            body.push_str(unlocated);
        }
    }
    body.push_str("]}");
    Ok(geojson_text_response(body, crs))
}

async fn search(State(s): State<AppState>, RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref(), spec::SEARCH)?;
    let crs = p.crs()?;
    let limit = p.usize_in("limit", 1, 100, 10)?;
    let query = p
        .get("q")
        .ok_or_else(|| ApiError::bad("q", "`q` is required"))?;
    // Search in the same normal form as the reports, so Traditional input and full-width
    // digits find the same names.
    let query = crate::gazetteer::normalise_name(query.trim());
    if query.is_empty() {
        return Err(ApiError::bad("q", "`q` is empty"));
    }
    let mut results: Vec<(u8, usize, Value)> = Vec::new();
    for layer in Layer::ALL {
        let Some(c) = s.atlas.collection(layer.as_str()) else {
            continue;
        };
        for item in &c.items {
            let (rank, matched) = if item.name == query {
                (0, "name")
            } else if item.name.starts_with(&query) {
                (1, "name")
            } else if item.name.contains(&query) {
                (2, "name")
            } else if item.aliases.iter().any(|a| a.contains(&query)) {
                (3, "alias")
            } else if item
                .properties
                .get("quote")
                .and_then(Value::as_str)
                .is_some_and(|t| t.contains(&query))
            {
                (4, "quote")
            } else {
                continue;
            };
            let center = item
                .geometry
                .as_ref()
                .and_then(|g| g.interior_point().or_else(|| g.centroid()))
                .map(|pt| {
                    let (lon, lat) = crs.from_wgs84(pt.x(), pt.y());
                    json!([round7(lon), round7(lat)])
                });
            results.push((
                rank,
                item.name.chars().count(),
                json!({
                    "id": item.id,
                    "name": item.name,
                    "layer": layer.as_str(),
                    "kind": item.properties.get("kind"),
                    "matched": matched,
                    "center": center,
                }),
            ));
        }
    }
    results.sort_by_key(|a| (a.0, a.1));
    results.truncate(limit);
    Ok(Json(
        json!({"crs": crs.as_str(), "results": results.into_iter().map(|r| r.2).collect::<Vec<_>>()}),
    ))
}

async fn report(State(s): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), spec::REPORT)?;
    let report = match p.get("id") {
        None => s.atlas.reports.first(),
        Some(id) => s.atlas.reports.iter().find(|r| r.id == id),
    }
    .ok_or_else(|| ApiError::not_found("no such report"))?;
    let by_sentence = s.atlas.sentence_features(report);
    let sentences: Vec<Value> = report
        .sentences
        .iter()
        .map(|st| {
            json!({
                "id": st.id,
                "section_id": st.section_id,
                "start": st.start,
                "end": st.end,
                "feature_ids": by_sentence.get(&st.id).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let body = json!({
        "id": report.id,
        "title": report.title,
        "text": report.text,
        "reports": s.atlas.reports.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        "sections": report.sections,
        "sentences": sentences,
        // Every item the gazetteer could not place, with the sentence that names it, so a
        // curator can add it; the page lists these as district-wide.
        "unresolved": s.atlas.features.iter()
            .filter(|f| f.report == report.id && f.geometry.is_none())
            .map(|f| json!({
                "id": f.id,
                "name": f.name,
                "layer": f.layer,
                "kind": f.kind,
                "sentence_id": f.mentions.first().map(|m| m.sentence_id),
                "quote": f.quote,
            }))
            .collect::<Vec<_>>(),
    });
    let mut r = Json(body).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(r)
}

async fn openapi(State(s): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/vnd.oai.openapi+json;version=3.0"),
        )],
        spec::openapi(&s.limits).to_string(),
    )
        .into_response()
}

/// A path extractor whose rejection (an id that is not UTF-8 once decoded, say) is our JSON
/// 400 naming the path, not the framework's plain-text one.
pub struct ApiPath<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| ApiPath(t))
            .map_err(|e| ApiError::bad("path", e.body_text()))
    }
}
