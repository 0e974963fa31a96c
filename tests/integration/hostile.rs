//! Malformed and hostile requests: every one gets a 4xx JSON error (or a correct 200), never a
//! 5xx or a hang, and the server still answers /health afterwards — in-process, and over a real
//! socket against the built binary, whose death would take every user's map with it.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use planmap::api::{AppState, app};
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;

const ROUTES: &[&str] = &[
    "/api/collections/zones/items",
    "/api/collections/projects/items",
    "/api/near",
    "/api/search",
    "/api/report",
    "/api/collections",
    "/api",
];

const NAMES: &[&str] = &[
    "bbox",
    "limit",
    "offset",
    "crs",
    "lon",
    "lat",
    "radius_m",
    "q",
    "layers",
    "theme",
    "status",
    "section",
    "id",
    "f",
    "x",
    "LIMIT",
    "bbox[]",
    "%FF",
    "",
    "filter",
    "filter-lang",
    "sortby",
    "properties",
    "datetime",
    "report",
];

const VALUES: &[&str] = &[
    "NaN",
    "inf",
    "-inf",
    "1e999",
    "-1",
    "0",
    "18446744073709551616",
    "99999999999",
    "106.57",
    "29.55",
    "1,2,3",
    "1,2,3,4,5",
    "106.6,29.6,106.5,29.5",
    "-200,0,0,0",
    "%FF%FE",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "wgs84",
    "gcj02",
    "epsg:4326",
    "zones,parks",
    "十八梯",
    "%E5%8D%81",
    "",
    "+",
    "%",
    "%G1",
    "\u{0}",
    "cql2-json",
    "name,,,name",
    "-name,+name,--name",
    "2025-01-01/..",
    "../..",
    "2025-13-45",
];

fn request(route: &str, pairs: &[(usize, usize)], long: usize) -> String {
    let mut q: Vec<String> = pairs
        .iter()
        .map(|&(n, v)| format!("{}={}", NAMES[n], VALUES[v]))
        .collect();
    if long > 0 {
        q.push(format!("q={}", "梯".repeat(long)));
    }
    format!("{route}?{}", q.join("&"))
}

async fn send(state: &AppState, uri: &str) -> Option<(StatusCode, Value)> {
    let req = Request::get(uri).body(Body::empty()).ok()?;
    let resp = app(state.clone()).oneshot(req).await.expect("infallible");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Some((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    #[test]
    fn malformed_queries_get_4xx_json_naming_a_parameter_never_5xx(
        route in 0..ROUTES.len(),
        pairs in proptest::collection::vec((0..NAMES.len(), 0..VALUES.len()), 0..5),
        long in prop_oneof![Just(0usize), 1usize..300],
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let state = common::state();
        let uri = request(ROUTES[route], &pairs, long);
        // A URI the HTTP library itself refuses never reaches the server.
        if let Some((status, body)) = rt.block_on(send(&state, &uri)) {
            prop_assert!(!status.is_server_error(), "{uri} -> {status}");
            if status.is_client_error() {
                prop_assert!(body["code"].is_string() && body["message"].is_string(), "{uri} -> {body}");
            } else {
                prop_assert_eq!(status, StatusCode::OK, "{}", uri);
            }
        }
    }

    #[test]
    fn hostile_feature_ids_are_404_or_400_not_a_file(id in "[a-z%./\\\\0-9\u{4e00}-\u{4e20}-]{0,60}") {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let state = common::state();
        for base in ["/api/collections/zones/items/", "/vendor/leaflet/", "/"] {
            let uri = format!("{base}{id}");
            if let Some((status, _)) = rt.block_on(send(&state, &uri)) {
                prop_assert!(!status.is_server_error(), "{uri} -> {status}");
                if status == StatusCode::OK {
                    // Only embedded files: never anything from outside the page or Leaflet.
                    prop_assert!(!uri.contains(".."), "{uri} served");
                }
            }
        }
    }
}

#[tokio::test]
async fn the_server_still_answers_health_after_the_storm() {
    let state = common::state();
    for (i, v) in VALUES.iter().enumerate() {
        let _ = send(
            &state,
            &format!("/api/near?lon={v}&lat={}", VALUES[(i + 3) % VALUES.len()]),
        )
        .await;
    }
    let (status, _) = send(&state, "/health").await.expect("valid uri");
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_overlong_uri_gets_414() {
    let state = common::state();
    let uri = format!("/api/search?q={}", "a".repeat(20_000));
    let (status, body) = send(&state, &uri).await.expect("valid uri");
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert_eq!(body["code"], "uri_too_long");
}

#[tokio::test]
async fn pages_carry_a_content_security_policy() {
    let state = common::state();
    let resp = app(state)
        .oneshot(Request::get("/").body(Body::empty()).expect("req"))
        .await
        .expect("resp");
    let csp = resp
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("tile.openstreetmap.org"),
        "{csp}"
    );
    assert_eq!(
        resp.headers()
            .get("x-content-type-options")
            .map(axum::http::HeaderValue::as_bytes),
        Some(&b"nosniff"[..])
    );
}

/// `n` nested parentheses around a comparison, as cql2-text.
fn nested_text(n: usize) -> String {
    format!("{}name='a'{}", "(".repeat(n), ")".repeat(n))
}

/// `n` nested `not`s around a comparison, as cql2-json.
fn nested_json(n: usize) -> String {
    format!(
        "{}{{\"op\":\"=\",\"args\":[{{\"property\":\"name\"}},\"a\"]}}{}",
        "{\"op\":\"not\",\"args\":[".repeat(n),
        "]}".repeat(n)
    )
}

/// Percent-encodes a query value.
fn enc(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Requests that once crashed or could crash a server: nesting the parser recurses on, long
/// chains, lists and values at and past every cap.
fn battery() -> Vec<String> {
    let items = "/api/collections/zones/items";
    let mut uris = vec![
        format!("{items}?filter={}", enc(&nested_text(400))),
        format!(
            "{items}?filter-lang=cql2-json&filter={}",
            enc(&format!("{}1{}", "[".repeat(400), "]".repeat(400)))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!("{}name='a'", "NOT ".repeat(240)))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!("uncertainty_m={}1", "-".repeat(990)))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!("name{}", "=a".repeat(495)))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!("uncertainty_m={}", "1+".repeat(495)))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!("name IN ({})", vec!["'a'"; 240].join(",")))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!("{}name='a'", "name='a' AND ".repeat(70)))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!("{}name='a'", "name='a' OR ".repeat(75)))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!(
                "S_INTERSECTS(geometry,GEOMETRYCOLLECTION({}POINT(1 1){}))",
                "GEOMETRYCOLLECTION(".repeat(60),
                ")".repeat(60)
            ))
        ),
        format!(
            "{items}?filter={}",
            enc(&format!(
                "S_INTERSECTS(geometry,POLYGON(({})))",
                vec!["106.5 29.5"; 60].join(",")
            ))
        ),
        format!("{items}?sortby={}", enc(&vec!["-name"; 33].join(","))),
        format!("{items}?properties={}", enc(&vec!["name"; 40].join(","))),
        format!("{items}?limit=20000&offset=1099511627776"),
        format!("{items}?datetime={}", enc(&"2025-01-01/".repeat(18))),
        format!(
            "/api/near?lon=106.57&lat=29.55&radius_m=20000&limit=10000&layers={}",
            enc(&vec!["zones"; 30].join(","))
        ),
        format!("/api/search?q={}", enc(&"(".repeat(200))),
    ];
    for n in [31, 32, 33, 64, 128] {
        uris.push(format!("{items}?filter={}", enc(&nested_text(n))));
        uris.push(format!(
            "{items}?filter-lang=cql2-json&filter={}",
            enc(&nested_json(n / 2))
        ));
    }
    uris
}

/// The filters of issue #23's bar, each within the 1000-character cap: 400 nested
/// parentheses in cql2-text; 400 nested arrays and 40 nested `not`s in cql2-json.
fn deep_filters() -> [(&'static str, String); 3] {
    [
        ("cql2-text", nested_text(400)),
        (
            "cql2-json",
            format!("{}1{}", "[".repeat(400), "]".repeat(400)),
        ),
        ("cql2-json", nested_json(40)),
    ]
}

#[tokio::test]
async fn a_filter_of_400_nested_parentheses_is_a_400_naming_filter_in_text_and_json() {
    let state = common::state();
    for (lang, filter) in deep_filters() {
        let uri = format!(
            "/api/collections/zones/items?filter-lang={lang}&filter={}",
            enc(&filter)
        );
        let (status, body) = send(&state, &uri).await.expect("valid uri");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{lang}: {body}");
        assert_eq!(body["parameter"], "filter", "{lang}: {body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("levels deep"),
            "{lang}: {body}"
        );
    }
    let (status, _) = send(&state, "/health").await.expect("valid uri");
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_hostile_battery_gets_no_5xx_and_every_refusal_is_json() {
    let state = common::state();
    let mut failures = Vec::new();
    for uri in battery() {
        let Some((status, body)) = send(&state, &uri).await else {
            failures.push(format!("{uri}: not a valid request"));
            continue;
        };
        if status.is_server_error() || (status.is_client_error() && !body["code"].is_string()) {
            failures.push(format!("{uri} -> {status} {body}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let (status, _) = send(&state, "/health").await.expect("valid uri");
    assert_eq!(status, StatusCode::OK);
}

/// The built binary serving on a free port, killed when dropped.
struct LiveServer {
    child: std::process::Child,
    port: u16,
    _data: tempfile::TempDir,
}

impl LiveServer {
    fn start() -> LiveServer {
        LiveServer::start_with(&[])
    }

    /// The binary serving with these extra `serve` arguments.
    fn start_with(extra: &[&str]) -> LiveServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let data = tempfile::tempdir().expect("a temp dir");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_planmap"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--data")
            .arg(data.path())
            .args(extra)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starts");
        let server = LiveServer {
            child,
            port,
            _data: data,
        };
        for _ in 0..400 {
            if server
                .get("/health")
                .is_some_and(|(status, _)| status == 200)
            {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the server did not come up");
    }

    /// One GET over a fresh connection: the status and body, `None` when the connection
    /// failed (the process is gone, or not yet listening).
    fn get(&self, uri: &str) -> Option<(u16, String)> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .ok()?;
        stream
            .write_all(
                format!("GET {uri} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).ok()?;
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.get(9..12)?.parse().ok()?;
        let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
        Some((status, body))
    }
}

impl Drop for LiveServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_real_server_answers_400_to_deep_filters_and_stays_up_for_health() {
    let mut server = LiveServer::start();
    for (lang, filter) in deep_filters() {
        let uri = format!(
            "/api/collections/zones/items?filter-lang={lang}&filter={}",
            enc(&filter)
        );
        let (status, body) = server.get(&uri).expect("the server answers");
        assert_eq!(status, 400, "{lang}: {body}");
        assert!(body.contains("\"parameter\":\"filter\""), "{lang}: {body}");
    }
    let mut failures = Vec::new();
    for uri in battery() {
        match server.get(&uri) {
            Some((status, _)) if status < 500 => {}
            other => failures.push(format!("{uri} -> {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(server.get("/health").map(|(s, _)| s), Some(200));
    assert!(
        server.child.try_wait().expect("status").is_none(),
        "the process is still running"
    );
}

#[tokio::test]
async fn deeply_nested_write_bodies_are_refused_as_400_not_a_crash() {
    use planmap::store::placement::{PlacementStore, Role};
    let dir = tempfile::tempdir().expect("temp dir");
    let store = std::sync::Arc::new(
        planmap::store::gpkg::GeoPackageStore::open(dir.path()).expect("store"),
    );
    let token = store.add_token("li.ming", Role::Editor).expect("token");
    let state = crate::corrections::state_over(
        &store,
        &common::fixture_files(),
        planmap::api::Limits::default(),
    );
    let (_, _, fc) = common::get_json(state.clone(), "/api/collections/projects/items").await;
    let id = fc["features"][0]["id"].as_str().expect("an id").to_owned();
    let path = format!(
        "/api/collections/projects/items/{}/placement",
        id.split('/').map(enc).collect::<Vec<_>>().join("/")
    );
    let deep = |n: usize| format!("{}[106.57,29.55]{}", "[".repeat(n), "]".repeat(n));
    for geometry in [
        format!("{{\"type\":\"Polygon\",\"coordinates\":{}}}", deep(100_000)),
        format!(
            "{{\"type\":\"MultiPolygon\",\"coordinates\":{}}}",
            deep(120)
        ),
        format!(
            "{{\"type\":\"GeometryCollection\",\"geometries\":{}}}",
            deep(120)
        ),
        format!("{{\"type\":{}}}", deep(1000)),
    ] {
        let body = format!(
            "{{\"geometry\":{geometry},\"uncertainty_m\":25,\"source\":\"测试\",\"note\":\"测试\"}}"
        );
        let mut request = Request::put(&path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("request");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                40000,
            ))));
        let response = app(state.clone()).oneshot(request).await.expect("answered");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["code"].is_string(), "{body}");
    }
    let (status, _) = send(&state, "/health").await.expect("valid uri");
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn the_binary_bases_its_links_on_the_public_url_it_is_given() {
    let server = LiveServer::start_with(&["--public-url", "https://maps.example.org/planmap"]);
    let (status, body) = server
        .get("/api/collections/zones/items?limit=1")
        .expect("the server answers");
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&body).expect("JSON");
    let self_link = body["links"][0]["href"].as_str().expect("a link");
    assert!(
        self_link.starts_with("https://maps.example.org/planmap/api/collections/zones/items?"),
        "{self_link}"
    );
}
