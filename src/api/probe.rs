//! Answers of the app measured in-process, without a socket: what `planmap bench --reports`
//! counts as the bytes a page or a client receives. Input: an [`AppState`] and a request URI
//! (path and query); output: the status, the body as sent (gzip when asked, as the page's
//! browser asks) and its length. Runs the whole router, middleware included.

use axum::body::Body;
use axum::http::{Request, header};
use tower::ServiceExt;

use super::{AppState, app};

/// One answer as the client receives it.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// HTTP status code.
    pub status: u16,
    /// The body as sent (compressed when `gzip` was asked and the server compressed it).
    pub body: Vec<u8>,
}

/// Largest body read, bytes: far above any answer of the API.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// Sends `GET uri` through the app; `gzip` adds `Accept-Encoding: gzip` as browsers send.
/// A request the router cannot even build or read is answered as status 0 with no body.
pub async fn fetch(state: AppState, uri: &str, gzip: bool) -> Fetched {
    let mut request = Request::get(uri).header(header::HOST, "127.0.0.1:8080");
    if gzip {
        request = request.header(header::ACCEPT_ENCODING, "gzip");
    }
    let Ok(request) = request.body(Body::empty()) else {
        return Fetched {
            status: 0,
            body: Vec::new(),
        };
    };
    answer(app(state), request).await
}

/// Runs one request through the whole router: its answer as the client reads it.
async fn answer(router: axum::Router, request: Request<Body>) -> Fetched {
    // The router's error type is `Infallible`: every failure is an answer.
    let response = router
        .oneshot(request)
        .await
        .unwrap_or_else(|never| match never {});
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), MAX_BODY)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    Fetched { status, body }
}

/// The app built once, as a server builds it, so timed requests (the writes `planmap bench
/// --reports` times) measure the request and not the making of the router.
#[derive(Clone)]
pub struct Probe {
    router: axum::Router,
}

impl Probe {
    /// The whole app, middleware included, over `state`.
    #[must_use]
    pub fn new(state: AppState) -> Probe {
        Probe { router: app(state) }
    }

    /// Sends `method uri` with an optional editor token and JSON body through the app, as a
    /// client on the loopback address would.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> Fetched {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let Ok(mut request) = request.body(body.map_or_else(Body::empty, Body::from)) else {
            return Fetched {
                status: 0,
                body: Vec::new(),
            };
        };
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                40000,
            ))));
        answer(self.router.clone(), request).await
    }
}
