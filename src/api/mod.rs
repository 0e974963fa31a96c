//! The HTTP API (axum): OGC API Features collections, near, search, report, vocabulary,
//! health and the web page, one file per route family, plus middleware. The only module that
//! knows axum and tower.
//!
//! Input: a [`FeatureStore`] in [`AppState`]; the API depends on the store trait and on
//! `plan`, never on how the store holds its data. Output: a [`Router`] from [`app`], and
//! [`serve`] which runs it on a given listener until a given shutdown future resolves, so
//! tests run the real server on port 0. Coordinates are WGS-84 lon/lat unless the request
//! says `crs=gcj02|bd09`; distances are metres.

mod auth;
mod corrections;
mod editing;
mod error;
mod health;
mod html;
mod links;
mod living;
mod middleware;
mod near;
mod ogc;
mod params;
mod places;
pub mod probe;
mod report;
mod reports;
mod schema;
mod search;
pub mod spec;
mod starting;
mod time;
mod upload;
mod vocabulary;
mod web;
mod write_error;

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use links::{BadPublicUrl, LinkBase};
pub use starting::{Gate, serve_gated};

use crate::datum::Crs;
use crate::store::{FeatureStore, StoreError};

/// Shared state of every handler: the served store, swappable whole.
///
/// A request takes a snapshot of the store once ([`AppState::store`]) and answers from it, so
/// a correction that swaps in a rebuilt store ([`AppState::swap`]) never shows a request half
/// of the old data and half of the new. The lock is held only to clone an `Arc`.
#[derive(Clone)]
pub struct AppState {
    store: Arc<RwLock<Arc<dyn FeatureStore>>>,
    /// What one request may ask for and take.
    pub limits: Limits,
    /// The placement store and rebuild of the correction routes; `None` serves read-only.
    editing: Option<Arc<corrections::Editing>>,
    /// The number of the newest change the served store holds (0 before any), for
    /// `/health` and the `X-Planmap-Change` header: a page polls it to notice changes.
    change: Arc<std::sync::atomic::AtomicU64>,
    /// Where links point (`--public-url`, trusted proxy headers, else the request's host).
    links: Arc<LinkBase>,
}

impl AppState {
    /// State serving any store (the in-memory `atlas::AtlasStore`, or another implementation of
    /// the trait): `api` knows only the trait.
    #[must_use]
    pub fn from_store(store: Arc<dyn FeatureStore>, limits: Limits) -> AppState {
        AppState {
            store: Arc::new(RwLock::new(store)),
            limits,
            editing: None,
            change: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            links: Arc::new(LinkBase::default()),
        }
    }

    /// The number of the newest change served (0 before any).
    #[must_use]
    pub fn change(&self) -> u64 {
        self.change.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Records the newest change served.
    fn set_change(&self, n: u64) {
        self.change
            .fetch_max(n, std::sync::atomic::Ordering::AcqRel);
    }

    /// The same state with links based as `links` says.
    #[must_use]
    pub fn with_links(mut self, links: LinkBase) -> AppState {
        self.links = Arc::new(links);
        self
    }

    /// The store as it is now; hold it for the whole request.
    #[must_use]
    pub fn store(&self) -> Arc<dyn FeatureStore> {
        // A poisoned lock only means a writer panicked between two whole stores: the Arc
        // inside is still a complete store, so serve it.
        match self.store.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the served store whole; requests already running finish on the old one. The
    /// old one is let go on a background thread: freeing a city's rendered atlas takes about
    /// a millisecond, which the write that replaced it should not wait for.
    pub fn swap(&self, store: Arc<dyn FeatureStore>) {
        let old = match self.store.write() {
            Ok(mut g) => std::mem::replace(&mut *g, store),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), store),
        };
        let_go(old);
    }
}

/// Drops `value` on the one background thread kept for that (started on first use); on the
/// caller's thread if that thread cannot be started or has gone.
fn let_go(value: Arc<dyn FeatureStore>) {
    type Parcel = Arc<dyn FeatureStore>;
    static REAPER: std::sync::OnceLock<Option<std::sync::mpsc::Sender<Parcel>>> =
        std::sync::OnceLock::new();
    let reaper = REAPER.get_or_init(|| {
        let (send, receive) = std::sync::mpsc::channel::<Parcel>();
        std::thread::Builder::new()
            .name("planmap-reaper".into())
            .spawn(move || {
                for parcel in receive {
                    drop(parcel);
                }
            })
            .ok()
            .map(|_| send)
    });
    if let Some(Err(std::sync::mpsc::SendError(value))) = reaper.as_ref().map(|r| r.send(value)) {
        drop(value);
    }
}

/// The response header that carries the number of the newest change served (`/health`,
/// `/api/reports` and every write answer): a page compares it with the one it last saw.
pub const CHANGE_HEADER: &str = "x-planmap-change";

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
    /// Largest request body (the correction and verdict routes), bytes; larger gets 413.
    pub max_body_bytes: usize,
    /// Largest uploaded report text (`POST /api/reports`), bytes; larger gets 413.
    pub max_report_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_limit: MAX_LIMIT,
            max_radius_m: MAX_RADIUS_M,
            request_timeout: Duration::from_secs(10),
            max_concurrent: 512,
            max_uri_bytes: 16 * 1024,
            max_body_bytes: 256 * 1024,
            max_report_bytes: crate::store::changes::DEFAULT_MAX_REPORT_BYTES,
        }
    }
}

/// Builds the router with its middleware.
pub fn app(state: AppState) -> Router {
    let limits = state.limits;
    let link_base = Arc::clone(&state.links);
    let routes = Router::new()
        .route("/health", get(health::health))
        .route("/api/health", get(health::health))
        .route("/api", get(ogc::landing))
        .route("/api/", get(ogc::landing))
        .route("/api/conformance", get(ogc::conformance))
        .route("/api/collections", get(ogc::collections))
        .route("/api/collections/{id}", get(ogc::collection))
        .route("/api/collections/{id}/items", get(ogc::items))
        .route(
            "/api/collections/{id}/items/{*feature_id}",
            get(corrections::get_item_or_history)
                .put(corrections::put_placement)
                .delete(corrections::delete_placement)
                .options(corrections::options),
        )
        .route("/api/collections/{id}/queryables", get(ogc::queryables))
        .route("/api/collections/{id}/schema", get(schema::schema))
        .route("/api/near", get(near::near))
        .route("/api/search", get(search::search))
        .route("/api/report", get(report::report))
        .route("/api/vocabulary", get(vocabulary::vocabulary))
        .route(
            "/api/reports",
            get(reports::reports).post(upload::post_report),
        )
        .route(
            "/api/reports/{id}",
            get(reports::report).delete(living::delete_report),
        )
        .route("/api/lexicon", get(living::lexicon))
        .route(
            "/api/lexicon/{name}",
            axum::routing::put(living::put_verdict).delete(living::delete_verdict),
        )
        .route("/api/reports/{a}/compare/{b}", get(reports::compare))
        .route("/api/places/{*place_id}", get(reports::place))
        .route("/api/openapi.json", get(openapi))
        .route("/api/html/map.js", get(html::map_js))
        .route("/api/corrections/stats", get(corrections::stats))
        .route("/api/whoami", get(auth::whoami))
        .merge(web::routes())
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            link_base,
            links::base_header,
        ));
    layered(routes, limits)
}

/// The middleware of every route, around any router: a handler's panic becomes one logged 500
/// JSON answer (never the end of the process), then ETags, security headers, compression,
/// CORS, the time and size limits and the overload guard.
fn layered(routes: Router, limits: Limits) -> Router {
    routes
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            middleware::panic_response,
        ))
        .layer(axum::middleware::from_fn(middleware::etag))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(CompressionLayer::new())
        .layer(
            CorsLayer::new()
                .allow_methods([
                    axum::http::Method::GET,
                    axum::http::Method::POST,
                    axum::http::Method::PUT,
                    axum::http::Method::DELETE,
                ])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::IF_MATCH,
                    header::IF_NONE_MATCH,
                    header::CONTENT_TYPE,
                ])
                // A browser client reads the datum (Part 2), revalidates, pages and follows changes.
                .expose_headers([
                    header::ETAG,
                    header::LINK,
                    header::LOCATION,
                    HeaderName::from_static("content-crs"),
                    header::HeaderName::from_static(CHANGE_HEADER),
                ])
                .allow_origin(tower_http::cors::Any),
        )
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        // The report upload takes the larger body (its text, escaped as JSON: up to six bytes
        // a byte for control characters, in practice a few percent more); every other write
        // route checks its own, smaller limit.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            limits
                .max_body_bytes
                .max(limits.max_report_bytes.saturating_mul(2))
                .max(16 * 1024),
        ))
        .layer(axum::middleware::from_fn(
            corrections::json_payload_too_large,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            middleware::uri_limit,
        ))
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(
                    middleware::overloaded,
                ))
                .load_shed()
                .concurrency_limit(limits.max_concurrent),
        )
        .layer(TraceLayer::new_for_http())
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
    // The client's address is kept for the failed-token brake of the write routes.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::UnknownCollection(_)
            | StoreError::UnknownFeature { .. }
            | StoreError::UnknownReport(_)
            | StoreError::UnknownPlace(_) => ApiError::not_found(e.to_string()),
            StoreError::EmptyQuery => ApiError::bad("q", "`q` is empty"),
        }
    }
}

/// The base URL of the request's links (scheme, host and any path prefix), as the
/// [`links::base_header`] middleware found it; the `Host` header as given when it did not run.
fn base_url(headers: &HeaderMap) -> String {
    headers
        .get(links::BASE_HEADER)
        .and_then(|h| h.to_str().ok())
        .map_or_else(|| LinkBase::default().of(headers), str::to_string)
}

/// A JSON answer with the media type and the datum header (`Content-Crs: <uri>`, angle
/// brackets as OGC API Features Part 2 writes it: the OGC/EPSG URI of a standard system, a
/// `urn:planmap:` name for GCJ-02 and BD-09, which have no EPSG code), for a body already
/// serialised.
fn geojson_text_response(body: String, crs: Crs) -> Response {
    let content_crs = HeaderValue::from_str(&format!("<{}>", crs.uri())).unwrap_or_else(|_| {
        HeaderValue::from_static("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>")
    });
    let mut r = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/geo+json"),
        )],
        body,
    )
        .into_response();
    r.headers_mut().insert("content-crs", content_crs);
    // Revalidated every time (the weak ETag makes that a 304): a planner's correction
    // changes features while serving, and a cached copy would hide it.
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    r
}

async fn openapi(
    axum::extract::State(s): axum::extract::State<AppState>,
    headers: HeaderMap,
) -> Response {
    let api_base = format!("{}/api", base_url(&headers));
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/vnd.oai.openapi+json;version=3.0"),
        )],
        spec::openapi(&s.limits, &api_base).to_string(),
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

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_is_one_500_in_json_and_the_router_goes_on() {
        let routes = axum::Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    let empty: Vec<&str> = Vec::new();
                    // An index past the end: the kind of bug a handler may hide.
                    empty[usize::from(empty.is_empty())]
                }),
            )
            .route("/fine", axum::routing::get(|| async { "fine" }));
        let app = super::layered(routes, super::Limits::default());
        let response = app
            .clone()
            .oneshot(Request::get("/boom").body(Body::empty()).expect("request"))
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        assert_eq!(body["code"], "internal");
        let response = app
            .oneshot(Request::get("/fine").body(Body::empty()).expect("request"))
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
    }
}
