//! A server that listens before its map is ready: a replica whose database cannot be reached
//! yet (issue #22). It takes connections at once and answers every request `503` with a JSON
//! body saying why (`/health` and `/api/health`: `status: "starting"`, the database without
//! its password, the last reason and the number of attempts; any other route: the JSON
//! error `starting` with `Retry-After`), so a container orchestrator's health check and a load
//! balancer see a live process that is not ready, and an operator sees what it waits for.
//! Once the map is loaded ([`Gate::open`]) every request goes to the whole app.
//!
//! Input: a listener, a [`Gate`] that the start-up code updates while it retries, and a
//! shutdown future. Output: the served answers; nothing else changes.

use std::convert::Infallible;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tower::ServiceExt;

use super::{AppState, app};

/// How many seconds a client is told to wait before it asks again.
const RETRY_AFTER_S: &str = "5";

/// What the server waits for, and the app once it is ready. Cheap to clone (shared).
#[derive(Clone)]
pub struct Gate {
    inner: Arc<Inner>,
}

struct Inner {
    /// The whole app, set once the map is loaded.
    app: OnceLock<Router>,
    /// What is awaited: the database as logs may name it (no password).
    database: String,
    since: Instant,
    last: RwLock<Attempts>,
}

#[derive(Default)]
struct Attempts {
    count: u32,
    reason: String,
}

impl Gate {
    /// A closed gate waiting for `database` (named without its password).
    #[must_use]
    pub fn waiting_for(database: &str) -> Gate {
        Gate {
            inner: Arc::new(Inner {
                app: OnceLock::new(),
                database: database.to_owned(),
                since: Instant::now(),
                last: RwLock::new(Attempts {
                    count: 0,
                    reason: "connecting".to_owned(),
                }),
            }),
        }
    }

    /// Records a failed attempt and why, for `/health`.
    pub fn failed(&self, attempt: u32, reason: &str) {
        let mut last = self
            .inner
            .last
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        last.count = attempt;
        reason.clone_into(&mut last.reason);
    }

    /// Opens the gate: from now on every request is served by the whole app over `state`.
    pub fn open(&self, state: AppState) {
        let _ = self.inner.app.set(app(state));
    }

    /// Whether the gate is open.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.inner.app.get().is_some()
    }

    /// The answer to one request: the app's once open, else the 503 saying why.
    async fn answer(self, request: Request) -> Response {
        if let Some(app) = self.inner.app.get() {
            return match app.clone().oneshot(request).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
        }
        let (attempts, reason) = {
            let last = self
                .inner
                .last
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (last.count, last.reason.clone())
        };
        let waiting_s = self.inner.since.elapsed().as_secs();
        let path = request.uri().path();
        let body = if path == "/health" || path == "/api/health" {
            json!({
                "status": "starting",
                "ready": false,
                "store": {
                    "status": "unavailable",
                    "database": self.inner.database,
                    "reason": reason,
                    "attempts": attempts,
                    "waiting_s": waiting_s,
                },
                "message": format!(
                    "waiting for the database {}; the map is served once it answers",
                    self.inner.database
                ),
            })
        } else {
            json!({
                "code": "starting",
                "message": format!(
                    "the server is starting: waiting for the database {} ({reason}); try again shortly",
                    self.inner.database
                ),
                "parameter": null,
            })
        };
        let mut r = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_S));
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

/// Serves through `gate` on `listener` until `shutdown` resolves: 503 while it is closed, the
/// whole app once it is open (the client's address is kept, as [`super::serve`] keeps it).
///
/// # Errors
/// An I/O error of the listener.
pub async fn serve_gated(
    listener: tokio::net::TcpListener,
    gate: Gate,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = tower::service_fn(move |request: Request| {
        let gate = gate.clone();
        async move { Ok::<_, Infallible>(gate.answer(request).await) }
    });
    let router = Router::new().fallback_service(service);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    async fn get(gate: &Gate, uri: &str) -> (StatusCode, serde_json::Value) {
        let r = gate
            .clone()
            .answer(Request::get(uri).body(Body::empty()).expect("request"))
            .await;
        let status = r.status();
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 16)
            .await
            .expect("body");
        (status, serde_json::from_slice(&bytes).expect("JSON"))
    }

    #[tokio::test]
    async fn a_closed_gate_answers_503_saying_what_it_waits_for_and_why() {
        let gate = Gate::waiting_for("postgres://planmap@db:5432/planmap");
        gate.failed(3, "connection refused");
        let (status, health) = get(&gate, "/health").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(health["status"], "starting");
        assert_eq!(
            health["store"]["database"],
            "postgres://planmap@db:5432/planmap"
        );
        assert_eq!(health["store"]["attempts"], 3);
        assert_eq!(health["store"]["reason"], "connection refused");
        let (status, error) = get(&gate, "/api/collections").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(error["code"], "starting");
        assert!(!gate.is_open());
    }
}
