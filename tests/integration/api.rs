//! The HTTP API over the in-process app (`tower::ServiceExt::oneshot`), plus one test over a
//! real socket on port 0.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use geo::{Distance, Haversine, Point};
use planmap::api::app;
use serde_json::Value;
use tower::ServiceExt;

/// Sends a GET through the in-process app: status and raw body.
async fn get_raw(uri: &str) -> (StatusCode, axum::body::Bytes) {
    get_raw_from(common::state(), uri).await
}

/// Sends a GET to the app over the fixture atlas: status and JSON body.
async fn fixture_get(uri: &str) -> (StatusCode, Value) {
    let (status, bytes) = get_raw_from(common::fixture_state(), uri).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Sends a GET through the app over `state`: status and raw body.
async fn get_raw_from(state: planmap::api::AppState, uri: &str) -> (StatusCode, axum::body::Bytes) {
    let (status, _, bytes) = common::send_get(state, uri).await;
    (status, bytes)
}

/// Sends a GET: status and JSON body (null when the body is not JSON).
async fn get(uri: &str) -> (StatusCode, Value) {
    let (status, bytes) = get_raw(uri).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn health_reports_what_the_loaded_atlas_holds() {
    let (status, body) = get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    let atlas = common::atlas();
    assert_eq!(body["reports"], atlas.reports.len());
    assert_eq!(body["features"], atlas.features.len());
    assert_eq!(
        body["unlocated"],
        atlas
            .features
            .iter()
            .filter(|f| f.geometry.is_none())
            .count()
    );
    let counts: Vec<(String, u64, u64)> = body["collections"]
        .as_array()
        .expect("collections")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_string(),
                c["items"].as_u64().expect("items"),
                c["located"].as_u64().expect("located"),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64)> = atlas
        .collections
        .iter()
        .map(|c| (c.id.clone(), c.items.len() as u64, c.index.len() as u64))
        .collect();
    assert_eq!(counts, expected);
    // A different atlas gives a different answer: health reads the state it serves.
    let (_, fixture) = fixture_get("/health").await;
    assert_eq!(fixture["reports"], 1);
    assert_ne!(fixture["features"], body["features"]);
}

/// Rounds every number in a JSON value to 1e-6, so snapshots do not hang on the last float
/// digit of a coordinate.
fn rounded(v: &Value) -> Value {
    match v {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => n
            .as_f64()
            .map_or(Value::Null, |x| serde_json::json!((x * 1e6).round() / 1e6)),
        Value::Array(a) => Value::Array(a.iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), rounded(v))).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn near_inside_the_fixture_zone_gives_the_zone_at_zero_metres_first() {
    // (106.572, 29.558) lies inside the 解放碑商圈 square and about 290 m west of 民族路's
    // first point, so a 100 m radius holds the zone alone.
    let (status, body) = fixture_get("/api/near?lon=106.572&lat=29.558&radius_m=100").await;
    assert_eq!(status, StatusCode::OK);
    let features = body["features"].as_array().expect("features");
    assert_eq!(features.len(), 1, "{body}");
    assert_eq!(features[0]["properties"]["name"], "解放碑商圈");
    assert_eq!(features[0]["properties"]["distance_m"], 0.0);
    // On 民族路's first point, the street is at 0 m and the zone (whose edge it lies on) too.
    let (_, on_street) = fixture_get("/api/near?lon=106.575&lat=29.556&radius_m=50").await;
    let names: Vec<&str> = on_street["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["name"].as_str())
        .collect();
    assert!(names.contains(&"民族路"), "{names:?}");
    assert!(
        !names.contains(&"国泰艺术中心"),
        "the point is ~330 m away: {names:?}"
    );
}

#[tokio::test]
async fn the_fixture_places_its_three_known_places_where_the_gazetteer_puts_them() {
    let atlas = common::fixture_atlas();
    let find = |name: &str| {
        atlas
            .features
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} is read from the fixture report"))
    };
    assert_eq!(find("解放碑商圈").layer, planmap::plan::Layer::Zones);
    assert_eq!(find("民族路").layer, planmap::plan::Layer::Streets);
    let project = find("国泰艺术中心");
    assert_eq!(project.layer, planmap::plan::Layer::Projects);
    assert_eq!(
        project.geometry,
        Some(geo::Geometry::Point(Point::new(106.5765, 29.5585)))
    );
    let (_, one) = fixture_get(&format!(
        "/api/collections/projects/items/{}",
        urlencode(&project.id)
    ))
    .await;
    assert_eq!(
        common::placement(&one)["coordinates"],
        serde_json::json!([106.5765, 29.5585])
    );
}

#[tokio::test]
async fn snapshot_of_the_fixture_collections_list() {
    let (status, body) = fixture_get("/api/collections").await;
    assert_eq!(status, StatusCode::OK);
    insta::assert_json_snapshot!(rounded(&body));
}

#[tokio::test]
async fn snapshot_of_a_fixture_near_answer() {
    let (status, body) =
        fixture_get("/api/near?lon=106.5765&lat=29.5585&radius_m=400&district_wide=full").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body["features"].as_array().expect("features").is_empty());
    insta::assert_json_snapshot!(rounded(&body));
}

#[tokio::test]
async fn snapshot_of_error_bodies() {
    let mut answers = serde_json::Map::new();
    for uri in [
        "/api/near?lon=106.5&lat=29.5&radius_m=-1",
        "/api/near?lat=29.5",
        "/api/collections/zones/items?bbox=1,2,3",
        "/api/collections/zones/items?status=done",
        "/api/collections/zones/items?colour=red",
        "/api/collections/nowhere/items",
        "/api/collections/zones/items/no-such-id",
        "/api/search?q=%20",
        "/api/report?id=nope",
        "/no/such/route",
    ] {
        let (status, body) = fixture_get(uri).await;
        assert!(status.is_client_error(), "{uri}: {status}");
        answers.insert(
            uri.into(),
            serde_json::json!({"status": status.as_u16(), "body": body}),
        );
    }
    insta::assert_json_snapshot!(Value::Object(answers));
}

#[tokio::test]
async fn the_vocabulary_route_serves_the_one_vocabulary_table() {
    let (status, bytes) = get_raw("/api/vocabulary").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&bytes[..], planmap::vocab::json().as_bytes());
    let v: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert!(v.is_object(), "{v}");
    let (status, _) = get("/api/vocabulary?colour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn snapshot_of_the_openapi_document() {
    let (status, doc) = fixture_get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    insta::assert_json_snapshot!(doc);
}

#[tokio::test]
async fn collections_list_the_three_layers_and_the_context_layers_with_counts() {
    let (status, body) = get("/api/collections").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["collections"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "zones", "streets", "projects", "district", "stations", "places"
        ]
    );
    for c in body["collections"].as_array().expect("list") {
        assert!(c["itemCount"].as_u64().is_some_and(|n| n > 0), "{c}");
        assert_eq!(
            c["extent"]["spatial"]["bbox"][0].as_array().map(Vec::len),
            Some(4)
        );
    }
}

#[tokio::test]
async fn each_layer_returns_located_features_as_geojson() {
    for layer in ["zones", "streets", "projects"] {
        let (status, body) = get(&format!("/api/collections/{layer}/items?limit=1000")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["type"], "FeatureCollection");
        let features = body["features"].as_array().expect("features");
        let located = features.iter().filter(|f| !f["geometry"].is_null()).count();
        assert!(located > 0, "{layer} has no located feature");
        assert_eq!(body["numberReturned"].as_u64(), Some(features.len() as u64));
        for f in features {
            assert_eq!(f["properties"]["layer"], layer);
            if f["geometry"].is_null() {
                assert_eq!(f["properties"]["location"]["match"], "unlocated");
            }
        }
    }
}

#[tokio::test]
async fn a_bbox_returns_only_what_lies_in_it() {
    // A box around 解放碑 and 较场口.
    let (_, all) = get("/api/collections/projects/items?limit=10000").await;
    let (status, boxed) =
        get("/api/collections/projects/items?bbox=106.568,29.553,106.582,29.566&limit=10000").await;
    assert_eq!(status, StatusCode::OK);
    let n_all = all["numberMatched"].as_u64().expect("count");
    let n_box = boxed["numberMatched"].as_u64().expect("count");
    assert!(n_box > 0 && n_box < n_all, "{n_box} of {n_all}");
    for f in boxed["features"].as_array().expect("features") {
        assert!(
            !f["geometry"].is_null(),
            "unlocated items have no place in a bbox answer"
        );
    }
}

#[tokio::test]
async fn paging_links_walk_the_whole_collection() {
    let (_, first) = get("/api/collections/zones/items?limit=5").await;
    let matched = first["numberMatched"].as_u64().expect("count");
    let next = first["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["rel"] == "next")
        .expect("a next link");
    assert_eq!(next["type"], "application/geo+json");
    let href = next["href"].as_str().expect("href");
    let path = href.trim_start_matches("http://127.0.0.1:8080");
    let (_, second) = get(path).await;
    assert_eq!(second["numberMatched"].as_u64(), Some(matched));
    let a: Vec<&str> = first["features"]
        .as_array()
        .expect("f")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    let b: Vec<&str> = second["features"]
        .as_array()
        .expect("f")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(a.iter().all(|id| !b.contains(id)), "pages overlap");
}

#[tokio::test]
async fn near_jiefangbei_is_sorted_by_distance_in_metres() {
    let (lon, lat) = (106.5770, 29.5590);
    let (status, body) = get(&format!("/api/near?lon={lon}&lat={lat}&radius_m=1000")).await;
    assert_eq!(status, StatusCode::OK);
    let features = body["features"].as_array().expect("features");
    assert!(!features.is_empty());
    let d: Vec<f64> = features
        .iter()
        .map(|f| f["properties"]["distance_m"].as_f64().expect("distance_m"))
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    assert!(d.iter().all(|x| *x >= 0.0));
    // A feature drawn beyond the radius is listed when its uncertainty may bring it within.
    assert!(features.iter().all(|f| {
        let min = f["properties"]["distance_range_m"][0].as_f64();
        min.is_some_and(|m| (0.0..=1000.0).contains(&m))
    }));
    // A point feature's distance is the Haversine distance to it.
    let point = features
        .iter()
        .find(|f| common::placement(f)["type"] == "Point")
        .expect("a point nearby");
    let c = &common::placement(point)["coordinates"];
    let expected = Haversine.distance(
        Point::new(lon, lat),
        Point::new(c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat")),
    );
    let got = point["properties"]["distance_m"]
        .as_f64()
        .expect("distance");
    assert!((expected - got).abs() < 0.2, "{expected} vs {got}");
    assert!(features.iter().any(|f| {
        f["properties"]["name"]
            .as_str()
            .is_some_and(|n| n.contains("解放碑"))
    }));
    assert!(
        !body["district_wide"]
            .as_array()
            .expect("district_wide")
            .is_empty()
    );
}

#[tokio::test]
async fn near_names_district_wide_items_briefly_and_links_each_whole_feature() {
    let near = "/api/near?lon=106.5770&lat=29.5570&radius_m=300";
    let (status, brief) = get(near).await;
    assert_eq!(status, StatusCode::OK);
    let (_, full) = get(&format!("{near}&district_wide=full")).await;
    let (_, none) = get(&format!("{near}&district_wide=none")).await;
    let brief = brief["district_wide"]
        .as_array()
        .expect("brief list")
        .clone();
    let full = full["district_wide"].as_array().expect("full list").clone();
    assert!(!brief.is_empty());
    assert_eq!(none["district_wide"], Value::Array(vec![]));
    let ids = |list: &[Value], at: &str| -> Vec<String> {
        list.iter()
            .map(|v| {
                v.pointer(at)
                    .and_then(Value::as_str)
                    .expect("id")
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(ids(&brief, "/id"), ids(&full, "/properties/id"));
    for (entry, whole) in brief.iter().zip(&full) {
        assert!(
            whole["geometry"].is_null(),
            "a district-wide item has a place"
        );
        for key in ["name", "layer", "kind", "theme", "section", "action"] {
            assert_eq!(entry[key], whole["properties"][key], "{key}");
        }
        let href = entry["href"].as_str().expect("href");
        let (status, mut fetched) = get(href).await;
        assert_eq!(status, StatusCode::OK, "{href}");
        // The single item adds its own links (self, collection), as OGC API Features asks.
        assert!(
            fetched
                .as_object_mut()
                .and_then(|o| o.remove("links"))
                .is_some()
        );
        assert_eq!(&fetched, whole, "{href}");
    }
}

#[tokio::test]
async fn search_finds_shibati_by_name_without_spaces() {
    let (status, body) = get("/api/search?q=%E5%8D%81%E5%85%AB%E6%A2%AF").await;
    assert_eq!(status, StatusCode::OK);
    let first = &body["results"][0];
    assert_eq!(first["name"], "十八梯");
    assert_eq!(first["matched"], "name");
    assert_eq!(first["center"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn gcj02_output_moves_features_by_the_datum_shift() {
    let (_, wgs) = get("/api/collections/projects/items?limit=10000").await;
    let (_, gcj) = get("/api/collections/projects/items?limit=10000&crs=gcj02").await;
    let pick = |v: &Value| {
        v["features"]
            .as_array()
            .expect("f")
            .iter()
            .find(|f| common::placement(f)["type"] == "Point")
            .map(|f| {
                let c = &common::placement(f)["coordinates"];
                Point::new(
                    c[0].as_f64().unwrap_or_default(),
                    c[1].as_f64().unwrap_or_default(),
                )
            })
    };
    let shift = Haversine.distance(pick(&wgs).expect("point"), pick(&gcj).expect("point"));
    assert!((400.0..560.0).contains(&shift), "shift {shift} m");
}

#[tokio::test]
async fn the_report_route_gives_sentences_with_offsets_and_feature_ids() {
    let (status, body) = get("/api/report").await;
    assert_eq!(status, StatusCode::OK);
    let text: Vec<char> = body["text"].as_str().expect("text").chars().collect();
    let sentences = body["sentences"].as_array().expect("sentences");
    assert!(sentences.len() > 100);
    let unresolved = body["unresolved"].as_array().expect("unresolved");
    assert!(!unresolved.is_empty());
    for u in unresolved {
        let (name, quote) = (
            u["name"].as_str().expect("name"),
            u["quote"].as_str().expect("quote"),
        );
        // A name met only in a heading is quoted by its passage's first sentence, noted.
        assert!(
            quote.contains(name) || u["quote_note"].is_string(),
            "{name}: {quote}"
        );
    }
    let with_features = sentences
        .iter()
        .filter(|s| !s["feature_ids"].as_array().expect("ids").is_empty())
        .count();
    assert!(with_features > 30, "{with_features}");
    for s in sentences {
        let (a, b) = (
            usize::try_from(s["start"].as_u64().expect("start")).expect("fits"),
            usize::try_from(s["end"].as_u64().expect("end")).expect("fits"),
        );
        assert!(a < b && b <= text.len());
    }
}

#[tokio::test]
async fn bad_parameters_get_a_json_400_naming_the_parameter() {
    for (uri, parameter) in [
        ("/api/collections/zones/items?bbox=1,2,3", "bbox"),
        (
            "/api/collections/zones/items?bbox=106.6,29.5,106.5,29.6",
            "bbox",
        ),
        ("/api/collections/zones/items?limit=0", "limit"),
        ("/api/collections/zones/items?colour=red", "colour"),
        ("/api/collections/zones/items?crs=epsg3857", "crs"),
        ("/api/near?lon=NaN&lat=29.5", "lon"),
        ("/api/near?lon=106.5&lat=29.5&radius_m=1e999", "radius_m"),
        ("/api/near?lon=106.5&lat=29.5&radius_m=20001", "radius_m"),
        ("/api/near?lat=29.5", "lon"),
        ("/api/search", "q"),
    ] {
        let (status, body) = get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["code"], "bad_parameter", "{uri}");
        assert_eq!(body["parameter"], parameter, "{uri}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn unknown_collections_and_features_are_404() {
    let (status, body) = get("/api/collections/parks/items").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
    let (status, _) = get("/api/collections/zones/items/yuzhong-2025/zones/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_feature_is_reachable_by_its_id() {
    let (_, body) = get("/api/collections/streets/items?limit=1").await;
    let id = body["features"][0]["id"].as_str().expect("id").to_string();
    let encoded: String = id.split('/').map(urlencode).collect::<Vec<_>>().join("/");
    let (status, f) = get(&format!("/api/collections/streets/items/{encoded}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f["id"], id);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_page_and_leaflet_are_served_from_the_binary() {
    for (uri, needle) in [("/", "<html"), ("/vendor/leaflet/leaflet.js", "Leaflet")] {
        let (status, bytes) = get_raw(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(String::from_utf8_lossy(&bytes).contains(needle), "{uri}");
    }
}

#[tokio::test]
async fn the_server_answers_over_a_real_socket_on_port_0() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = common::state();
    let server = tokio::spawn(planmap::api::serve(listener, state, async move {
        let _ = rx.await;
    }));
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    tx.send(()).expect("shutdown");
    server.await.expect("join").expect("served");
}

#[tokio::test]
async fn data_answers_carry_an_etag_and_a_repeat_gets_304() {
    let state = common::state();
    let uri = "/api/collections/zones/items?limit=5";
    let first = app(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).expect("req"))
        .await
        .expect("resp");
    let tag = first.headers().get("etag").expect("an ETag").clone();
    let again = app(state)
        .oneshot(
            Request::get(uri)
                .header("if-none-match", tag)
                .body(Body::empty())
                .expect("req"),
        )
        .await
        .expect("resp");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_its_parameters() {
    let (status, doc) = get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.0.3");
    // Paths are relative to the API base the document names, as OGC API clients expect.
    assert_eq!(doc["servers"][0]["url"], "http://127.0.0.1:8080/api");
    for path in [
        "/",
        "/conformance",
        "/collections",
        "/collections/{collectionId}/items",
        "/collections/{collectionId}/items/{featureId}",
        "/near",
        "/search",
        "/report",
        "/reports",
        "/reports/{reportId}",
        "/reports/{a}/compare/{b}",
        "/places/{placeId}",
        "/vocabulary",
        "/health",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
        // And each is served under the base (a path parameter filled with a real value).
        let concrete = path
            .replace("{collectionId}", "zones")
            .replace("{featureId}", "no-such-id")
            .replace("{reportId}", "yuzhong-2025")
            .replace("{a}", "yuzhong-2025")
            .replace("{b}", "yuzhong-2025")
            .replace("{placeId}", "no-such-place")
            .replace("/near", "/near?lon=106.57&lat=29.55")
            .replace("/search", "/search?q=%E5%8D%81%E5%85%AB%E6%A2%AF");
        let (status, _) = get(&format!("/api{concrete}")).await;
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert!(
            status == StatusCode::OK
                || status == StatusCode::NOT_FOUND && concrete.contains("no-such"),
            "{path}: {status}"
        );
    }
    let near: Vec<&str> = doc["paths"]["/near"]["get"]["parameters"]
        .as_array()
        .expect("params")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(
        near,
        [
            "lon",
            "lat",
            "radius_m",
            "limit",
            "layers",
            "district_wide",
            "crs",
            "report"
        ]
    );
}

#[tokio::test]
async fn a_limit_above_the_maximum_is_served_the_maximum() {
    let (status, body) = get("/api/collections/stations/items?limit=20000").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let returned = body["numberReturned"].as_u64().expect("numberReturned");
    assert!(returned > 0 && returned <= planmap::api::MAX_LIMIT as u64);
    let self_link = body["links"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["rel"] == "self"))
        .and_then(|l| l["href"].as_str())
        .expect("a self link");
    assert!(self_link.contains("limit=10000"), "{self_link}");
}

#[tokio::test]
async fn datetime_keeps_the_features_whose_report_year_meets_it() {
    let (_, all) = get("/api/collections/zones/items?limit=10000").await;
    let total = all["numberMatched"].as_u64().expect("numberMatched");
    assert!(total > 0);
    for (datetime, expected) in [
        ("2025-01-01/..", total),
        ("2025-06-01", total),
        ("../2024-12-31", 0),
        ("2026-01-01T00:00:00Z/..", 0),
        ("2024-12-31/2025-01-01", total),
    ] {
        let (status, body) = get(&format!(
            "/api/collections/zones/items?limit=10000&datetime={}",
            datetime.replace('+', "%2B")
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{datetime}: {body}");
        assert_eq!(body["numberMatched"], expected, "{datetime}");
        assert!(
            body["features"]
                .as_array()
                .expect("features")
                .iter()
                .all(|f| f["properties"]["year"] == 2025),
            "{datetime}"
        );
    }
    // Context layers have no time: kept whole.
    let (_, stations) = get("/api/collections/stations/items?datetime=../1990-01-01").await;
    assert!(stations["numberMatched"].as_u64().expect("n") > 0);
    let (status, body) = get("/api/collections/zones/items?datetime=2025-02-30").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "datetime");
}

/// One request through the app with these headers: status, headers and body as JSON (null
/// when not JSON).
async fn send_with(
    state: planmap::api::AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = app(state)
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("answered");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .expect("body");
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn self_href(body: &Value) -> String {
    body["links"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["rel"] == "self"))
        .and_then(|l| l["href"].as_str())
        .expect("a self link")
        .to_owned()
}

#[tokio::test]
async fn with_a_public_url_every_self_link_starts_with_it() {
    let base = "https://maps.example.org/planmap";
    let state = common::state()
        .with_links(planmap::api::LinkBase::public(base, false).expect("a valid URL"));
    for uri in [
        "/api",
        "/api/collections",
        "/api/collections/zones",
        "/api/collections/zones/items?limit=2",
    ] {
        let (status, _, body) =
            send_with(state.clone(), "GET", uri, &[("host", "10.0.0.7:8080")]).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(
            self_href(&body).starts_with(base),
            "{uri}: {}",
            self_href(&body)
        );
    }
    let (_, _, fc) = send_with(
        state.clone(),
        "GET",
        "/api/collections/zones/items?limit=1",
        &[],
    )
    .await;
    let id = fc["features"][0]["id"].as_str().expect("an id");
    let one = planmap::atlas::item_path("zones", id);
    let (_, _, f) = send_with(state.clone(), "GET", &one, &[]).await;
    assert!(self_href(&f).starts_with(base), "{}", self_href(&f));
    let (_, _, doc) = send_with(state, "GET", "/api/openapi.json", &[]).await;
    assert_eq!(doc["servers"][0]["url"], format!("{base}/api"));
}

/// Every `href` member anywhere in an answer.
fn hrefs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("href", Value::String(h)) => out.push(h.clone()),
                    _ => hrefs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| hrefs(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn with_a_public_url_the_report_place_and_near_links_start_with_it_and_lead_to_their_answers()
{
    let base = "https://maps.example.org/planmap";
    let state = common::state()
        .with_links(planmap::api::LinkBase::public(base, false).expect("a valid URL"));
    let host = [("host", "10.0.0.7:8080")];
    let (_, _, list) = send_with(state.clone(), "GET", "/api/reports", &host).await;
    let report = list["reports"][0]["id"]
        .as_str()
        .expect("a report")
        .to_owned();
    let (_, _, places) = send_with(
        state.clone(),
        "GET",
        "/api/collections/places/items?limit=1",
        &host,
    )
    .await;
    let place = places["features"][0]["id"]
        .as_str()
        .expect("a place")
        .to_owned();
    let place_path = format!(
        "/api/places/{}",
        percent_encoding::utf8_percent_encode(&place, percent_encoding::NON_ALPHANUMERIC)
    );
    let mut seen = 0;
    // (route, whether its answer has links: one report's text and structure has none)
    for (uri, linked) in [
        ("/api/reports".to_owned(), true),
        (format!("/api/reports/{report}"), false),
        (format!("/api/reports/{report}/compare/{report}"), true),
        (place_path, true),
        (
            "/api/near?lon=106.5770&lat=29.5570&radius_m=300".to_owned(),
            true,
        ),
    ] {
        let (status, _, body) = send_with(state.clone(), "GET", &uri, &host).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let mut found = Vec::new();
        hrefs(&body, &mut found);
        assert_eq!(!found.is_empty(), linked, "{uri}: {found:?}");
        for h in found {
            let path = h
                .strip_prefix(base)
                .unwrap_or_else(|| panic!("{uri}: {h} does not start with {base}"));
            // Behind the proxy the base stands for this server: the rest is a route of it.
            let (status, _, _) = send_with(state.clone(), "GET", path, &host).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {h}");
            seen += 1;
        }
    }
    assert!(seen >= 4, "{seen} links followed");
    // The HTML pages link the same way (their nav, the items, Leaflet and the map script).
    let (status, _, _) = send_with(state.clone(), "GET", "/api/collections?f=html", &host).await;
    assert_eq!(status, StatusCode::OK);
    let response = app(state)
        .oneshot(
            Request::get("/api/collections/zones/items?f=html&limit=2")
                .header("host", "10.0.0.7:8080")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answered");
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .expect("body");
    let html = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    let links: Vec<&str> = html
        .split(" href=\"")
        .skip(1)
        .chain(html.split(" src=\"").skip(1))
        .map(|rest| rest.split('"').next().unwrap_or_default())
        .collect();
    assert!(links.len() >= 6, "{links:?}");
    for l in links {
        assert!(l.starts_with(base), "{l}");
    }
}

#[tokio::test]
async fn forwarded_headers_are_believed_only_when_the_server_is_told_to() {
    let proxy = [
        ("host", "10.0.0.7:8080"),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "maps.example.org"),
        ("x-forwarded-prefix", "/planmap"),
    ];
    let (_, _, body) = send_with(common::state(), "GET", "/api/collections", &proxy).await;
    assert_eq!(self_href(&body), "http://10.0.0.7:8080/api/collections");
    let trusting = common::state().with_links(planmap::api::LinkBase {
        public_url: None,
        trust_forwarded: true,
    });
    let (_, _, body) = send_with(trusting, "GET", "/api/collections", &proxy).await;
    assert_eq!(
        self_href(&body),
        "https://maps.example.org/planmap/api/collections"
    );
    // A client cannot set the base itself through the internal header.
    let (_, _, body) = send_with(
        common::state(),
        "GET",
        "/api/collections",
        &[
            ("host", "a.example"),
            ("x-planmap-link-base", "https://evil.example"),
        ],
    )
    .await;
    assert_eq!(self_href(&body), "http://a.example/api/collections");
}

#[tokio::test]
async fn cors_exposes_the_datum_tag_and_links_and_allows_revalidation() {
    let (status, headers, _) = send_with(
        common::state(),
        "OPTIONS",
        "/api/collections/zones/items",
        &[
            ("origin", "https://qgis.example"),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "if-none-match"),
        ],
    )
    .await;
    assert!(status.is_success(), "{status}");
    let allowed = headers
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        allowed.contains("if-none-match") && allowed.contains("if-match"),
        "{allowed}"
    );
    let (_, headers, _) = send_with(
        common::state(),
        "GET",
        "/api/collections/zones/items?limit=1",
        &[("origin", "https://qgis.example")],
    )
    .await;
    let exposed = headers
        .get("access-control-expose-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_lowercase();
    for h in ["content-crs", "etag", "link"] {
        assert!(exposed.contains(h), "{h} in {exposed}");
    }
}

#[tokio::test]
async fn if_none_match_compares_weakly_and_405_is_the_json_error() {
    let uri = "/api/collections/zones/items?limit=3";
    let (status, headers, _) = send_with(common::state(), "GET", uri, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let tag = headers["etag"].to_str().expect("a tag").to_owned();
    assert!(tag.starts_with("W/"), "{tag}");
    let strong_form = tag.trim_start_matches("W/").to_owned();
    for sent in [tag.as_str(), strong_form.as_str()] {
        let (status, _, _) =
            send_with(common::state(), "GET", uri, &[("if-none-match", sent)]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{sent}");
    }
    let (status, headers, body) =
        send_with(common::state(), "DELETE", "/api/collections", &[]).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["code"], "method_not_allowed", "{body}");
    assert!(headers.contains_key("allow"), "{headers:?}");
}

#[tokio::test]
async fn places_is_a_collection_of_one_feature_per_place_linking_its_history() {
    let (status, list) = get("/api/collections").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list["collections"]
            .as_array()
            .expect("collections")
            .iter()
            .any(|c| c["id"] == "places"),
        "{list}"
    );
    let mut expected: Vec<String> = Vec::new();
    for layer in ["zones", "streets", "projects"] {
        let (_, fc) = get(&format!("/api/collections/{layer}/items?limit=10000")).await;
        for f in fc["features"].as_array().expect("features") {
            let place = f["properties"]["place"].as_str().expect("place").to_owned();
            if !expected.contains(&place) {
                expected.push(place);
            }
        }
    }
    let (status, places) = get("/api/collections/places/items?limit=10000").await;
    assert_eq!(status, StatusCode::OK, "{places}");
    let features = places["features"].as_array().expect("features");
    let mut served: Vec<String> = features
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .collect();
    served.sort();
    expected.sort();
    assert_eq!(served, expected);
    assert_eq!(places["numberMatched"], expected.len());
    let first = features
        .iter()
        .find(|f| !f["geometry"].is_null())
        .expect("a located place");
    assert_eq!(first["geometry"]["type"], "MultiPoint");
    assert_eq!(first["properties"]["first_year"], 2025);
    assert_eq!(first["properties"]["latest_year"], 2025);
    let href = first["properties"]["href"].as_str().expect("href");
    let path = href.trim_start_matches("http://127.0.0.1:8080");
    let (status, history) = get(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert_eq!(history["name"], first["properties"]["name"]);
    let one = format!(
        "/api/collections/places/items/{}",
        percent_encoding::utf8_percent_encode(
            first["id"].as_str().expect("id"),
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    let (status, f) = get(&one).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(f["id"], first["id"]);
}

/// A GET with headers, the body as text.
async fn get_text(uri: &str, headers: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut request = Request::get(uri).header("host", "127.0.0.1:8080");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = app(common::state())
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("answered");
    let status = response.status();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .expect("body");
    (status, media, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn a_browser_gets_readable_chinese_html_and_json_is_one_parameter_away() {
    let browser = [("accept", "text/html,application/xhtml+xml,*/*;q=0.8")];
    let (status, media, page) = get_text("/api/collections", &browser).await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/html"), "{media}");
    assert!(
        page.contains("<html lang=\"zh-CN\">") && page.contains("数据集"),
        "{page}"
    );
    assert!(
        page.contains("rel=\"alternate\" type=\"application/json\""),
        "{page}"
    );
    assert!(
        page.contains("/api/collections/zones/items?f=html"),
        "{page}"
    );
    // f=json wins over the browser's Accept; the JSON links to the HTML.
    let (_, media, json) = get_text("/api/collections?f=json", &browser).await;
    assert!(media.starts_with("application/json"), "{media}");
    let body: Value = serde_json::from_str(&json).expect("JSON");
    assert!(
        body["links"]
            .as_array()
            .expect("links")
            .iter()
            .any(|l| l["rel"] == "alternate" && l["type"] == "text/html"),
        "{body}"
    );
    // Items: a table and the features for the small Leaflet map, from our own scripts.
    let (status, media, page) = get_text("/api/collections/zones/items?f=html&limit=5", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/html"));
    assert!(page.contains("/vendor/leaflet/leaflet.js") && page.contains("/api/html/map.js"));
    let data = page
        .split("<script type=\"application/json\" id=\"features\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("a data block");
    let fc: Value = serde_json::from_str(data).expect("the data block is JSON");
    assert_eq!(fc["features"].as_array().map(Vec::len), Some(5));
    let (status, media, script) = get_text("/api/html/map.js", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/javascript") && script.contains("L.geoJSON"));
    // One item, and the landing page.
    let id = fc["features"][0]["id"].as_str().expect("id");
    let one = format!("{}?f=html", planmap::atlas::item_path("zones", id));
    let (status, _, page) = get_text(&one, &[]).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert!(page.contains("<th>quote</th>"), "{page}");
    let (status, _, page) = get_text("/api", &browser).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("planmap"));
    // The JSON client still gets JSON without asking.
    let (_, media, _) = get_text("/api/collections", &[("accept", "application/json")]).await;
    assert!(media.starts_with("application/json"), "{media}");
}
