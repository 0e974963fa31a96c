//! Who may write: bearer tokens of editors, checked against the placement store, and a small
//! in-memory brake on addresses that keep presenting bad tokens.
//!
//! Input: the `Authorization: Bearer <token>` header and the client's address. Output: the
//! verified [`Editor`], or a JSON 401 (no, unknown or revoked token), 429 with `Retry-After`
//! (more than [`MAX_FAILURES`] failures from one address within [`FAILURE_WINDOW`]) or 503
//! (the store cannot be read). Tokens are never logged: the trace layer records method and
//! path only, and nothing here formats the header.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{HeaderMap, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::corrections::{EditError, Editing, store_error};
use crate::store::placement::{Editor, PlacementStore};

/// Failed token checks one address may make within [`FAILURE_WINDOW`] before it is refused
/// with 429 until the window ends.
pub const MAX_FAILURES: u32 = 10;

/// The window over which failures are counted.
pub const FAILURE_WINDOW: Duration = Duration::from_mins(1);

/// Addresses beyond which old windows are swept, so a scan from many addresses cannot grow
/// the table without bound.
const SWEEP_AT: usize = 4096;

/// Failed token checks per client address, in fixed windows from the first failure.
#[derive(Debug, Default)]
pub struct FailureGuard {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl FailureGuard {
    /// `Err(seconds)` to wait when `ip` has failed [`MAX_FAILURES`] times in its window.
    ///
    /// # Errors
    /// The whole seconds until the window ends (at least 1), for `Retry-After`.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match windows.get(&ip) {
            Some((start, n)) if *n >= MAX_FAILURES && start.elapsed() < FAILURE_WINDOW => {
                let left = FAILURE_WINDOW.saturating_sub(start.elapsed());
                Err(left.as_secs().max(1) + u64::from(left.subsec_nanos() > 0))
            }
            _ => Ok(()),
        }
    }

    /// Counts one failure of `ip`.
    pub fn fail(&self, ip: IpAddr) {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, (start, _)| start.elapsed() < FAILURE_WINDOW);
        }
        let w = windows.entry(ip).or_insert((Instant::now(), 0));
        if w.0.elapsed() >= FAILURE_WINDOW {
            *w = (Instant::now(), 0);
        }
        w.1 += 1;
    }
}

/// The client's address, from the connection (`serve` records it); requests made in-process
/// without one share the unspecified address.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

/// The bearer secret of the request, if it sent one.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.trim().split_once(' ')?;
    let secret = secret.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !secret.is_empty()).then(|| secret.to_owned())
}

/// Verifies the request's bearer token: the editor, or the error to answer.
///
/// # Errors
/// 429 for an address over its failures, 401 for no, unknown or revoked token, 503 when the
/// store cannot be read.
pub async fn authenticate(
    editing: &Arc<Editing>,
    ip: IpAddr,
    headers: &HeaderMap,
) -> Result<Editor, EditError> {
    // A request without a token guesses nothing: it is told to authenticate (401) and not
    // counted, so only presented secrets count towards the 429.
    let Some(secret) = bearer(headers) else {
        return Err(EditError::unauthorized(
            "this needs an editor's token: send Authorization: Bearer <token>",
        ));
    };
    if let Err(seconds) = editing.failures.check(ip) {
        return Err(EditError::too_many_failures(seconds));
    }
    let store: Arc<dyn PlacementStore> = Arc::clone(&editing.placements) as Arc<dyn PlacementStore>;
    let verified = tokio::task::spawn_blocking(move || store.verify_token(&secret))
        .await
        .map_err(|e| EditError::internal(&format!("token check panicked: {e}")))?;
    if let Some(editor) = verified.map_err(|e| store_error(&e))? {
        Ok(editor)
    } else {
        editing.failures.fail(ip);
        Err(EditError::unauthorized(
            "the token is unknown or revoked; ask for a new one (planmap token add)",
        ))
    }
}

/// `GET /api/whoami`: the account behind the bearer token, `{name, role}`, so the page's
/// sign-in can check a token before any edit.
pub async fn whoami(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Response {
    let Some(editing) = s.editing.clone() else {
        return EditError::not_editable().into_response();
    };
    match authenticate(&editing, ip, &headers).await {
        Ok(editor) => {
            let mut r =
                Json(json!({"name": editor.name, "role": editor.role.as_str()})).into_response();
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            r
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_its_tenth_failure_in_a_minute() {
        let guard = FailureGuard::default();
        let ip = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7));
        for _ in 0..MAX_FAILURES - 1 {
            guard.fail(ip);
        }
        assert!(guard.check(ip).is_ok());
        guard.fail(ip);
        let wait = guard.check(ip).expect_err("refused");
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(guard.check(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 8))).is_ok());
    }

    #[test]
    fn only_a_bearer_scheme_with_a_secret_is_read_as_a_token() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, "Basic abc".parse().expect("header"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, "Bearer  ".parse().expect("header"));
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            "bearer s3cret".parse().expect("header"),
        );
        assert_eq!(bearer(&h).as_deref(), Some("s3cret"));
    }
}
