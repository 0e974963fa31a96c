//! Where links point: the base URL (scheme, host, path prefix) every absolute link of an answer
//! starts with. A deployment behind a proxy sets it (`--public-url`); otherwise it is read from
//! the request: the `Host` header as given (`http://`), or, only when the server is told to
//! trust its proxy, the `Forwarded` / `X-Forwarded-Proto|Host|Prefix` headers.
//!
//! Input: the configured [`LinkBase`] and each request's headers. Output: the base, put on the
//! request by the [`base_header`] middleware (any value a client sent in that header is
//! dropped first) and read by every handler through `api::base_url`; then one rule for every
//! link an answer carries: the base and the API path ([`href`]), also for the paths the store
//! renders into its answers (`/api/reports/…`, `/api/collections/…/items/…`: [`rebase_hrefs`]).

use axum::http::{HeaderMap, HeaderValue};

/// The internal request header the middleware writes the base into.
pub const BASE_HEADER: &str = "x-planmap-link-base";

/// How the base of links is found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkBase {
    /// The public URL every link starts with, without a trailing `/`; `None`: from the request.
    pub public_url: Option<String>,
    /// Whether `Forwarded` and `X-Forwarded-*` headers are believed (only behind a proxy that
    /// sets them).
    pub trust_forwarded: bool,
}

/// Why a public URL was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the public URL `{0}` must be http:// or https:// with a host, and no query or fragment")]
pub struct BadPublicUrl(pub String);

impl LinkBase {
    /// A base from a configured public URL (`https://maps.example.org/planmap`).
    ///
    /// # Errors
    /// [`BadPublicUrl`] unless it is an http(s) URL with a host and no query or fragment.
    pub fn public(url: &str, trust_forwarded: bool) -> Result<LinkBase, BadPublicUrl> {
        let bad = || BadPublicUrl(url.to_string());
        let trimmed = url.trim().trim_end_matches('/');
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty()
            || !host_is_plain(host)
            || rest.contains(['?', '#', ' ', '"', '<', '>', '\\'])
        {
            return Err(bad());
        }
        Ok(LinkBase {
            public_url: Some(trimmed.to_string()),
            trust_forwarded,
        })
    }

    /// The base of this request's links.
    #[must_use]
    pub fn of(&self, headers: &HeaderMap) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let host_header = text("host").filter(|h| host_is_plain(h));
        if self.trust_forwarded {
            let forwarded = text("forwarded").map(forwarded_pairs).unwrap_or_default();
            let pick = |key: &str| {
                forwarded
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v.clone())
            };
            let proto = pick("proto")
                .or_else(|| text("x-forwarded-proto").map(first_of_list))
                .filter(|p| p == "http" || p == "https")
                .unwrap_or_else(|| "http".into());
            let host = pick("host")
                .or_else(|| text("x-forwarded-host").map(first_of_list))
                .filter(|h| host_is_plain(h))
                .or_else(|| host_header.map(str::to_string))
                .unwrap_or_else(|| DEFAULT_HOST.into());
            let prefix = text("x-forwarded-prefix")
                .map(|p| p.trim().trim_end_matches('/').to_string())
                .filter(|p| {
                    p.starts_with('/')
                        && p.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "/-._~".contains(c))
                })
                .unwrap_or_default();
            return format!("{proto}://{host}{prefix}");
        }
        format!("http://{}", host_header.unwrap_or(DEFAULT_HOST))
    }
}

/// A link to an API path (`/api/…`, `/vendor/…`) for a request whose links start at `base`:
/// the one rule every link the API emits follows, whether the base is a `--public-url`, a
/// trusted proxy's or the request's own host.
#[must_use]
pub fn href(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

/// Compact JSON text (as `serde_json` writes it: no spaces) with the value of every `"href"`
/// member that is an API path (`"/…"`) made a link by [`href`], appended to `out`. The store
/// renders its answers once for every request, so it writes paths; the request's base is
/// put in here.
///
/// Exact on such text: an unescaped quote followed by `href":` opens a member named `href`
/// (a string's closing quote is followed by `:`, `,`, `}` or `]`, never a letter), and a quote
/// inside a string is always escaped, so a name or quote that merely contains the words is
/// left as it is.
pub fn push_rebased(out: &mut String, json: &str, base: &str) {
    const KEY: &str = "\"href\":\"/";
    let mut rest = json;
    while let Some(at) = rest.find(KEY) {
        let escaped = rest.as_bytes()[..at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count()
            % 2
            == 1;
        // Up to the value's opening quote; the path's `/` follows the base.
        let value_at = at + KEY.len() - 1;
        out.push_str(&rest[..value_at]);
        if !escaped {
            out.push_str(base);
        }
        rest = &rest[value_at..];
    }
    out.push_str(rest);
}

/// [`push_rebased`] into a new string.
#[must_use]
pub fn rebase_hrefs(json: &str, base: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    push_rebased(&mut out, json, base);
    out
}

/// The host named when a request names none usable.
const DEFAULT_HOST: &str = "127.0.0.1:8080";

/// A host (and port) of letters, digits and `.-:[]` only, so it cannot break out of a link.
fn host_is_plain(h: &str) -> bool {
    !h.is_empty()
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
}

/// The first value of a comma-separated header (the proxy nearest the client).
fn first_of_list(v: &str) -> String {
    v.split(',').next().unwrap_or_default().trim().to_string()
}

/// The `key=value` pairs of the first element of a `Forwarded` header (RFC 7239).
fn forwarded_pairs(v: &str) -> Vec<(String, String)> {
    v.split(',')
        .next()
        .unwrap_or_default()
        .split(';')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        })
        .collect()
}

/// Middleware: drops any base header a client sent and writes this request's base.
pub async fn base_header(
    axum::extract::State(base): axum::extract::State<std::sync::Arc<LinkBase>>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let value = base.of(request.headers());
    let headers = request.headers_mut();
    headers.remove(BASE_HEADER);
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(BASE_HEADER, v);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_when_trusted_and_a_public_url_wins() {
        let h = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "maps.example.org"),
            ("x-forwarded-prefix", "/planmap/"),
        ]);
        assert_eq!(LinkBase::default().of(&h), "http://127.0.0.1:8080");
        let trusting = LinkBase {
            public_url: None,
            trust_forwarded: true,
        };
        assert_eq!(trusting.of(&h), "https://maps.example.org/planmap");
        let rfc = headers(&[
            ("host", "10.0.0.2"),
            (
                "forwarded",
                "for=1.2.3.4;proto=https;host=\"geo.example.cn\", for=5.6.7.8",
            ),
        ]);
        assert_eq!(trusting.of(&rfc), "https://geo.example.cn");
        let public = LinkBase::public("https://maps.example.org/planmap/", false).expect("valid");
        assert_eq!(public.of(&h), "https://maps.example.org/planmap");
        // A hostile host never reaches a link.
        let evil = headers(&[("host", "x\"><script>")]);
        assert_eq!(LinkBase::default().of(&evil), "http://127.0.0.1:8080");
    }

    #[test]
    fn every_href_path_is_rebased_and_nothing_else() {
        let base = "https://maps.example.org/planmap";
        let value = serde_json::json!({
            "href": "/api/reports/a",
            "name": "\"href\":\"/api/x",
            "list": [{"href": "/api/places/p", "quote": "a\\"}, {"href": "https://elsewhere/x"}],
            "x\"href": "/not/a/link",
        });
        let text = value.to_string();
        let rebased: serde_json::Value =
            serde_json::from_str(&rebase_hrefs(&text, base)).expect("still JSON");
        let mut expected = value.clone();
        expected["href"] = "https://maps.example.org/planmap/api/reports/a".into();
        expected["list"][0]["href"] = "https://maps.example.org/planmap/api/places/p".into();
        assert_eq!(rebased, expected);
        assert_eq!(href(base, "/api/near"), format!("{base}/api/near"));
    }

    #[test]
    fn only_http_urls_with_a_host_are_public_urls() {
        for bad in [
            "maps.example.org",
            "ftp://x",
            "https://",
            "https://a/b?c",
            "https://a/b#c",
            "https://a b",
        ] {
            assert!(LinkBase::public(bad, false).is_err(), "{bad}");
        }
        assert!(LinkBase::public("http://[::1]:8080", false).is_ok());
    }
}
