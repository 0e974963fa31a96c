//! The abstract tests of OGC API Features Part 1 (core, GeoJSON, OAS 3.0) and Part 2 (crs),
//! as the OGC's executable test suite states them, written for our suite, plus checks of
//! Part 3 (queryables, CQL2 filter) and sortby/properties. They run against the in-process app
//! over the real seed and geodata; `.ci/e2e` runs GDAL against the built binary.

use crate::common;

use axum::http::{HeaderMap, StatusCode};
use geo::{BoundingRect, Geometry, Intersects};
use serde_json::Value;

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const EPSG4326: &str = "http://www.opengis.net/def/crs/EPSG/0/4326";
const EPSG3857: &str = "http://www.opengis.net/def/crs/EPSG/0/3857";
const HOST: &str = "http://127.0.0.1:8080";

/// A GET through the app over the real seed: status, headers, JSON body (null if not JSON).
async fn get(uri: &str) -> (StatusCode, HeaderMap, Value) {
    common::get_json(common::state(), uri).await
}

/// The path and query of an absolute link this server wrote.
fn path_of(href: &str) -> &str {
    href.strip_prefix(HOST).unwrap_or(href)
}

fn enc(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn media(headers: &HeaderMap) -> &str {
    headers
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
}

fn ids(body: &Value) -> Vec<String> {
    body["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_string())
        .collect()
}

/// Every position of a GeoJSON geometry, as written.
fn positions(g: &Value, out: &mut Vec<(f64, f64)>) {
    match g {
        Value::Array(a) if a.len() >= 2 && a[0].is_number() => {
            out.push((a[0].as_f64().expect("x"), a[1].as_f64().expect("y")));
        }
        Value::Array(a) => a.iter().for_each(|v| positions(v, out)),
        Value::Object(o) => {
            if let Some(c) = o.get("coordinates") {
                positions(c, out);
            }
            if let Some(Value::Array(gs)) = o.get("geometries") {
                for v in gs {
                    positions(v, out);
                }
            }
        }
        _ => {}
    }
}

fn geometry(f: &Value) -> Option<Geometry<f64>> {
    if f["geometry"].is_null() {
        return None;
    }
    let g: geojson::Geometry =
        serde_json::from_value(common::placement(f).clone()).expect("GeoJSON");
    Some(Geometry::try_from(g).expect("a geo geometry"))
}

/// Every feature of a collection, following `next` links; also checks each page's counts.
async fn follow_all(first: &str) -> (usize, Vec<Value>) {
    let mut features = Vec::new();
    let mut uri = first.to_string();
    let mut matched = None;
    for _ in 0..1000 {
        let (status, headers, body) = get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert_eq!(media(&headers), "application/geo+json");
        let page = body["features"].as_array().expect("features");
        assert_eq!(body["numberReturned"].as_u64(), Some(page.len() as u64));
        let m = usize::try_from(body["numberMatched"].as_u64().expect("numberMatched"))
            .expect("a count");
        assert_eq!(
            *matched.get_or_insert(m),
            m,
            "numberMatched changed between pages"
        );
        features.extend(page.iter().cloned());
        match body["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["rel"] == "next")
        {
            Some(next) => uri = path_of(next["href"].as_str().expect("href")).to_string(),
            None => return (m, features),
        }
    }
    panic!("next links never end from {first}");
}

#[tokio::test]
async fn the_landing_page_links_self_service_desc_conformance_and_data() {
    let (status, headers, body) = get("/api").await;
    assert_eq!(status, StatusCode::OK);
    assert!(media(&headers).starts_with("application/json"));
    let links = body["links"].as_array().expect("links");
    for rel in ["self", "service-desc", "conformance", "data"] {
        let link = links
            .iter()
            .find(|l| l["rel"] == rel)
            .unwrap_or_else(|| panic!("no {rel} link"));
        assert!(link["type"].is_string(), "{rel} link without a type");
        let (status, _, _) = get(path_of(link["href"].as_str().expect("href"))).await;
        assert_eq!(status, StatusCode::OK, "{rel} link does not resolve");
    }
}

#[tokio::test]
async fn the_openapi_document_is_served_with_its_media_type_and_is_structurally_valid() {
    let (status, headers, doc) = get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        media(&headers),
        "application/vnd.oai.openapi+json;version=3.0"
    );
    assert!(doc["openapi"].as_str().expect("openapi").starts_with("3.0"));
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/",
        "/conformance",
        "/collections",
        "/collections/{collectionId}",
        "/collections/{collectionId}/items",
        "/collections/{collectionId}/items/{featureId}",
        "/collections/{collectionId}/queryables",
    ] {
        let op = &paths[path]["get"];
        assert!(op["responses"]["200"].is_object(), "{path} has no 200");
        for p in op["parameters"].as_array().expect("parameters") {
            let place = p["in"].as_str().expect("in");
            assert!(["query", "path"].contains(&place));
            assert!(p["name"].is_string() && p["schema"].is_object(), "{p}");
            if place == "path" {
                assert!(path.contains(&format!("{{{}}}", p["name"].as_str().expect("name"))));
                assert_eq!(p["required"], true);
            }
        }
    }
    // Every $ref resolves inside the document.
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"").skip(1) {
        let target = r.split('"').next().expect("ref");
        let pointer = target.strip_prefix('#').expect("a local ref");
        assert!(doc.pointer(pointer).is_some(), "unresolved {target}");
    }
}

#[tokio::test]
async fn conformance_declares_parts_1_2_and_3() {
    let (status, _, body) = get("/api/conformance").await;
    assert_eq!(status, StatusCode::OK);
    let classes: Vec<&str> = body["conformsTo"]
        .as_array()
        .expect("conformsTo")
        .iter()
        .map(|c| c.as_str().expect("a URI"))
        .collect();
    for class in [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    ] {
        assert!(classes.contains(&class), "missing {class}");
    }
}

#[tokio::test]
async fn collections_list_their_extent_crs_and_storage_crs_and_resolve_one_by_one() {
    let (status, _, body) = get("/api/collections").await;
    assert_eq!(status, StatusCode::OK);
    let collections = body["collections"].as_array().expect("collections");
    assert!(!collections.is_empty());
    for c in collections {
        let id = c["id"].as_str().expect("id");
        assert!(
            c["links"]
                .as_array()
                .expect("links")
                .iter()
                .any(|l| l["rel"] == "items")
        );
        let bbox = c["extent"]["spatial"]["bbox"][0].as_array().expect("bbox");
        assert_eq!(bbox.len(), 4, "{id}");
        let crs: Vec<&str> = c["crs"]
            .as_array()
            .expect("crs")
            .iter()
            .map(|v| v.as_str().expect("uri"))
            .collect();
        for uri in [CRS84, EPSG4326, EPSG3857] {
            assert!(crs.contains(&uri), "{id} does not list {uri}");
        }
        assert!(
            crs.iter()
                .all(|u| !u.contains("gcj") && !u.contains("bd09"))
        );
        assert_eq!(c["storageCrs"], CRS84);
        let (status, _, one) = get(&format!("/api/collections/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(one["id"], id);
        assert_eq!(one["storageCrs"], CRS84);
    }
}

#[tokio::test]
async fn items_honour_limit_and_number_matched_equals_the_count_reached_by_next_links() {
    for collection in ["zones", "streets", "projects", "stations"] {
        let (status, _, first) = get(&format!("/api/collections/{collection}/items?limit=7")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(first["features"].as_array().expect("features").len() <= 7);
        assert_eq!(first["type"], "FeatureCollection");
        let (matched, all) =
            follow_all(&format!("/api/collections/{collection}/items?limit=7")).await;
        assert_eq!(matched, all.len(), "{collection}");
        let mut seen: Vec<&str> = all.iter().map(|f| f["id"].as_str().expect("id")).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), all.len(), "{collection}: a feature came twice");
        for f in &all {
            assert_eq!(f["type"], "Feature");
            assert!(f["geometry"].is_object() || f["geometry"].is_null());
            assert!(f["properties"].is_object());
        }
    }
}

#[tokio::test]
async fn every_feature_returned_for_a_bbox_really_intersects_it_and_none_is_missed() {
    let bbox = (106.565, 29.55, 106.585, 29.565);
    let rect = geo::Rect::new((bbox.0, bbox.1), (bbox.2, bbox.3));
    for collection in ["zones", "streets", "projects"] {
        let q = format!(
            "/api/collections/{collection}/items?limit=13&bbox={},{},{},{}",
            bbox.0, bbox.1, bbox.2, bbox.3
        );
        let (matched, inside) = follow_all(&q).await;
        for f in &inside {
            let g = geometry(f).expect("a feature in a bbox is located");
            assert!(g.intersects(&rect), "{} does not meet the box", f["id"]);
        }
        let (_, all) =
            follow_all(&format!("/api/collections/{collection}/items?limit=10000")).await;
        let expected = all
            .iter()
            .filter(|f| geometry(f).is_some_and(|g| g.intersects(&rect)))
            .count();
        assert_eq!(matched, expected, "{collection}");
    }
}

#[tokio::test]
async fn a_single_item_is_the_feature_of_the_list_and_an_unknown_one_is_404() {
    let (_, _, list) = get("/api/collections/projects/items?limit=3").await;
    for f in list["features"].as_array().expect("features") {
        let id = f["id"].as_str().expect("id");
        let (status, headers, one) =
            get(&format!("/api/collections/projects/items/{}", enc(id))).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(media(&headers), "application/geo+json");
        let mut one = one;
        let links = one
            .as_object_mut()
            .and_then(|o| o.remove("links"))
            .expect("a feature has links");
        for rel in ["self", "collection"] {
            let link = links
                .as_array()
                .expect("links")
                .iter()
                .find(|l| l["rel"] == rel)
                .unwrap_or_else(|| panic!("no {rel} link"));
            let (status, _, _) = get(path_of(link["href"].as_str().expect("href"))).await;
            assert_eq!(
                status,
                StatusCode::OK,
                "{rel} link of {id} does not resolve"
            );
        }
        assert_eq!(&one, f);
    }
    let (status, _, _) = get("/api/collections/projects/items/no-such-feature").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_parameters_and_unsupported_crs_uris_are_400_naming_them() {
    let (status, _, body) = get("/api/collections/zones/items?colour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "colour");
    for param in ["crs", "bbox-crs"] {
        let uri = "http://www.opengis.net/def/crs/EPSG/0/4490";
        let (status, _, body) = get(&format!(
            "/api/collections/zones/items?{param}={}",
            enc(uri)
        ))
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{param}");
        assert_eq!(body["parameter"], param);
        assert!(
            body["message"].as_str().expect("message").contains(uri),
            "{body}"
        );
    }
}

#[tokio::test]
async fn crs84_is_the_default_and_epsg_4326_swaps_the_axes_with_content_crs_saying_so() {
    let base = "/api/collections/stations/items?limit=20";
    let (_, headers, plain) = get(base).await;
    assert_eq!(headers["content-crs"], format!("<{CRS84}>").as_str());
    let (_, headers, crs84) = get(&format!("{base}&crs={}", enc(CRS84))).await;
    assert_eq!(headers["content-crs"], format!("<{CRS84}>").as_str());
    assert_eq!(ids(&plain), ids(&crs84));
    let (_, headers, lat_first) = get(&format!("{base}&crs={}", enc(EPSG4326))).await;
    assert_eq!(headers["content-crs"], format!("<{EPSG4326}>").as_str());
    let (_, headers, mercator) = get(&format!("{base}&crs={}", enc(EPSG3857))).await;
    assert_eq!(headers["content-crs"], format!("<{EPSG3857}>").as_str());
    let features = crs84["features"].as_array().expect("features");
    assert!(!features.is_empty());
    for (i, f) in features.iter().enumerate() {
        let (mut a, mut b, mut m) = (Vec::new(), Vec::new(), Vec::new());
        positions(&f["geometry"], &mut a);
        positions(&lat_first["features"][i]["geometry"], &mut b);
        positions(&mercator["features"][i]["geometry"], &mut m);
        assert_eq!(a.len(), b.len());
        for ((lon, lat), (y, x)) in a.iter().zip(&b) {
            assert_eq!((lon, lat), (x, y), "EPSG:4326 must be lat,lon");
            // Chongqing: longitudes near 106, latitudes near 29.
            assert!((100.0..110.0).contains(lon) && (25.0..35.0).contains(lat));
        }
        for ((lon, lat), (e, n)) in a.iter().zip(&m) {
            let (back_lon, back_lat) = planmap::datum::web_mercator_to_wgs84(*e, *n);
            assert!((back_lon - lon).abs() < 1e-6 && (back_lat - lat).abs() < 1e-6);
            assert!(*e > 11_000_000.0, "metres, not degrees: {e}");
        }
    }
    let id = features[0]["id"].as_str().expect("id");
    let (_, headers, one) = get(&format!(
        "/api/collections/stations/items/{}?crs={}",
        enc(id),
        enc(EPSG4326)
    ))
    .await;
    assert_eq!(headers["content-crs"], format!("<{EPSG4326}>").as_str());
    assert_eq!(one["geometry"], lat_first["features"][0]["geometry"]);
}

#[tokio::test]
async fn bbox_crs_reads_the_same_box_in_every_system_and_vendor_datums_claim_no_epsg_code() {
    let (w, s, e, n) = (106.56, 29.55, 106.59, 29.57);
    let (_, _, crs84) = get(&format!(
        "/api/collections/zones/items?bbox={w},{s},{e},{n}"
    ))
    .await;
    let (_, _, lat_first) = get(&format!(
        "/api/collections/zones/items?bbox={s},{w},{n},{e}&bbox-crs={}",
        enc(EPSG4326)
    ))
    .await;
    let (x0, y0) = planmap::datum::wgs84_to_web_mercator(w, s);
    let (x1, y1) = planmap::datum::wgs84_to_web_mercator(e, n);
    let (_, _, metres) = get(&format!(
        "/api/collections/zones/items?bbox={x0},{y0},{x1},{y1}&bbox-crs={}",
        enc(EPSG3857)
    ))
    .await;
    assert!(!ids(&crs84).is_empty());
    assert_eq!(ids(&crs84), ids(&lat_first));
    assert_eq!(ids(&crs84), ids(&metres));
    let (status, headers, _) = get("/api/collections/zones/items?crs=gcj02").await;
    assert_eq!(status, StatusCode::OK);
    let content_crs = headers["content-crs"].to_str().expect("ascii");
    assert!(
        content_crs.starts_with('<') && !content_crs.contains("EPSG"),
        "{content_crs}"
    );
}

#[tokio::test]
async fn queryables_are_a_json_schema_naming_every_filterable_property() {
    let (status, headers, schema) = get("/api/collections/projects/queryables").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(media(&headers), "application/schema+json");
    assert!(
        schema["$schema"]
            .as_str()
            .expect("$schema")
            .contains("json-schema.org")
    );
    assert_eq!(
        schema["$id"],
        format!("{HOST}/api/collections/projects/queryables")
    );
    assert_eq!(schema["type"], "object");
    for name in [
        "name",
        "kind",
        "theme",
        "section",
        "status",
        "match",
        "uncertainty_m",
        "report",
        "metric",
        "geometry",
    ] {
        assert!(
            schema["properties"][name].is_object(),
            "no queryable {name}"
        );
    }
    let (_, _, c) = get("/api/collections/projects").await;
    assert!(
        c["links"]
            .as_array()
            .expect("links")
            .iter()
            .any(|l| l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables"),
        "the collection links its queryables"
    );
}

#[tokio::test]
async fn a_filter_on_theme_gives_the_same_features_as_the_theme_parameter() {
    for collection in ["zones", "streets", "projects"] {
        let (_, _, simple) = get(&format!(
            "/api/collections/{collection}/items?limit=10000&theme={}",
            enc("产业")
        ))
        .await;
        let (status, _, cql) = get(&format!(
            "/api/collections/{collection}/items?limit=10000&filter={}",
            enc("theme='产业'")
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{cql}");
        assert_eq!(ids(&simple), ids(&cql), "{collection}");
        assert_eq!(simple["numberMatched"], cql["numberMatched"]);
        let json = r#"{"op":"=","args":[{"property":"theme"},"产业"]}"#;
        let (_, _, cql_json) = get(&format!(
            "/api/collections/{collection}/items?limit=10000&filter-lang=cql2-json&filter={}",
            enc(json)
        ))
        .await;
        assert_eq!(ids(&simple), ids(&cql_json), "{collection}");
    }
    let (_, _, any) = get("/api/collections/projects/items?limit=1").await;
    assert!(any["numberMatched"].as_u64().expect("n") > 0);
}

#[tokio::test]
async fn s_intersects_with_a_polygon_equals_a_brute_force_check_and_pages_like_any_list() {
    let ring = [
        (106.563, 29.552),
        (106.586, 29.549),
        (106.589, 29.566),
        (106.566, 29.568),
    ];
    let polygon = geo::Polygon::new(
        geo::LineString::from(
            ring.iter()
                .chain(std::iter::once(&ring[0]))
                .copied()
                .collect::<Vec<_>>(),
        ),
        vec![],
    );
    let wkt: Vec<String> = ring
        .iter()
        .chain(std::iter::once(&ring[0]))
        .map(|(x, y)| format!("{x} {y}"))
        .collect();
    let filter = format!("S_INTERSECTS(geometry, POLYGON(({})))", wkt.join(", "));
    for collection in ["zones", "streets", "projects", "stations"] {
        let (matched, hits) = follow_all(&format!(
            "/api/collections/{collection}/items?limit=5&filter={}",
            enc(&filter)
        ))
        .await;
        let (_, all) =
            follow_all(&format!("/api/collections/{collection}/items?limit=10000")).await;
        let expected: Vec<&str> = all
            .iter()
            .filter(|f| geometry(f).is_some_and(|g| g.intersects(&polygon)))
            .map(|f| f["id"].as_str().expect("id"))
            .collect();
        let got: Vec<&str> = hits.iter().map(|f| f["id"].as_str().expect("id")).collect();
        assert_eq!(got, expected, "{collection}");
        assert_eq!(matched, expected.len());
    }
    // S_WITHIN never gives more than S_INTERSECTS, and everything it gives lies in the box.
    let (_, _, within) = get(&format!(
        "/api/collections/projects/items?limit=10000&filter={}",
        enc(&filter.replace("S_INTERSECTS", "S_WITHIN"))
    ))
    .await;
    for f in within["features"].as_array().expect("features") {
        let r = geometry(f).expect("located").bounding_rect().expect("rect");
        assert!(
            r.min().x >= 106.563 - 1e-9 && r.max().x <= 106.589 + 1e-9,
            "{}",
            f["id"]
        );
    }
}

#[tokio::test]
async fn a_filter_combines_with_bbox_and_the_simple_filters() {
    let bbox = "106.56,29.55,106.59,29.57";
    let (_, _, both) = get(&format!(
        "/api/collections/projects/items?limit=10000&bbox={bbox}&filter={}",
        enc("uncertainty_m < 1000 OR match = 'exact'")
    ))
    .await;
    let (_, _, boxed) = get(&format!(
        "/api/collections/projects/items?limit=10000&bbox={bbox}"
    ))
    .await;
    let expected: Vec<String> = boxed["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| {
            let l = &f["properties"]["location"];
            l["uncertainty_m"].as_f64().is_some_and(|u| u < 1000.0) || l["match"] == "exact"
        })
        .map(|f| f["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids(&both), expected);
}

#[tokio::test]
async fn malformed_filters_and_unknown_queryables_are_400_pointing_at_the_filter() {
    for (filter, needle) in [
        ("theme = ", ""),
        ("height > 3", "height"),
        ("S_INTERSECTS(geometry, POLYGON((1 2, 3)))", ""),
    ] {
        let (status, _, body) = get(&format!(
            "/api/collections/projects/items?filter={}",
            enc(filter)
        ))
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{filter}: {body}");
        assert_eq!(body["parameter"], "filter");
        assert!(body["message"].as_str().expect("message").contains(needle));
    }
    let (status, _, body) =
        get("/api/collections/projects/items?filter-lang=cql2-json&filter=%7B%22op%22").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "filter");
}

#[tokio::test]
async fn sortby_orders_by_each_key_in_turn_and_refuses_unknown_properties() {
    let (status, _, body) =
        get("/api/collections/projects/items?limit=10000&sortby=-uncertainty_m,name").await;
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<(Option<f64>, String)> = body["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            (
                f["properties"]["location"]["uncertainty_m"].as_f64(),
                f["properties"]["name"].as_str().expect("name").to_string(),
            )
        })
        .collect();
    assert!(keys.len() > 1);
    for pair in keys.windows(2) {
        let ((ua, na), (ub, nb)) = (&pair[0], &pair[1]);
        match (ua, ub) {
            // Descending puts nulls first.
            (Some(_), None) => panic!("a null after a value: {pair:?}"),
            (Some(a), Some(b)) => {
                assert!(a.total_cmp(b).then_with(|| nb.cmp(na)).is_ge(), "{pair:?}");
            }
            (None, None) => assert!(na <= nb, "{pair:?}"),
            (None, Some(_)) => {}
        }
    }
    let (status, _, body) = get("/api/collections/projects/items?sortby=height").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "sortby");
    // The default order is the same on every request.
    let (_, _, a) = get("/api/collections/projects/items?limit=50").await;
    let (_, _, b) = get("/api/collections/projects/items?limit=50").await;
    assert_eq!(ids(&a), ids(&b));
}

#[tokio::test]
async fn properties_keeps_only_the_named_ones_and_every_served_property_can_be_named() {
    let (status, _, body) =
        get("/api/collections/projects/items?limit=5&properties=name,kind").await;
    assert_eq!(status, StatusCode::OK);
    for f in body["features"].as_array().expect("features") {
        let mut keys: Vec<&str> = f["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["kind", "name"]);
        assert!(f["id"].is_string());
    }
    let (status, _, body) = get("/api/collections/projects/items?properties=height").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "properties");
    // Every property any collection serves is accepted by name.
    for collection in ["zones", "streets", "projects", "district", "stations"] {
        let (_, _, all) = get(&format!("/api/collections/{collection}/items?limit=10000")).await;
        let mut names: Vec<String> = Vec::new();
        for f in all["features"].as_array().expect("features") {
            names.extend(f["properties"].as_object().expect("props").keys().cloned());
        }
        names.sort();
        names.dedup();
        let (status, _, body) = get(&format!(
            "/api/collections/{collection}/items?limit=1&properties={}",
            names.join(",")
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{collection}: {body}");
    }
}

#[tokio::test]
async fn every_located_feature_of_a_collection_has_the_geometry_type_its_metadata_declares() {
    let (_, _, list) = get("/api/collections").await;
    let mut stand_ins = 0;
    for c in list["collections"].as_array().expect("collections") {
        let id = c["id"].as_str().expect("id");
        let declared = c["geometryType"].as_str().expect("a declared type");
        let (status, _, fc) = get(&format!("/api/collections/{id}/items?limit=10000")).await;
        assert_eq!(status, StatusCode::OK);
        for f in fc["features"].as_array().expect("features") {
            if f["geometry"].is_null() {
                continue;
            }
            assert_eq!(f["geometry"]["type"], declared, "{id}: {}", f["id"]);
            let drawn = &f["properties"]["location"]["drawn"];
            if drawn.is_null() {
                continue;
            }
            // A stand-in says how it was drawn and keeps the placement beside it.
            stand_ins += 1;
            assert!(f["placement"].is_object(), "{id}: {}", f["id"]);
            if drawn == "disc" && id == "zones" {
                // The disc is centred on the point and as wide as its doubt.
                let centre = geometry(&serde_json::json!({"geometry": f["placement"]}))
                    .and_then(|g| match g {
                        Geometry::Point(p) => Some(p),
                        _ => None,
                    })
                    .expect("a point placement");
                let u = f["properties"]["uncertainty_m"].as_f64().expect("u");
                let ring = &f["geometry"]["coordinates"][0][0];
                let first = geo::Point::new(
                    ring[0][0].as_f64().expect("lon"),
                    ring[0][1].as_f64().expect("lat"),
                );
                let d = geo::Distance::distance(&geo::Haversine, centre, first);
                assert!((d - u).abs() < 1.0, "{}: {d} m vs {u} m", f["id"]);
            }
        }
    }
    assert!(stand_ins > 0, "the seed places some zones at points");
}

#[tokio::test]
async fn each_collection_links_a_schema_that_types_every_served_property() {
    let (_, _, list) = get("/api/collections").await;
    for c in list["collections"].as_array().expect("collections") {
        let id = c["id"].as_str().expect("id");
        let href = c["links"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["rel"] == "describedby"))
            .and_then(|l| l["href"].as_str())
            .expect("a describedby link");
        let (status, headers, schema) = get(path_of(href)).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(media(&headers), "application/schema+json");
        let props = schema["properties"].as_object().expect("properties");
        assert_eq!(props["id"]["x-ogc-role"], "id");
        assert_eq!(props["geometry"]["x-ogc-role"], "primary-geometry");
        let format = props["geometry"]["format"].as_str().expect("format");
        let declared = c["geometryType"].as_str().expect("type").to_lowercase();
        assert_eq!(format, format!("geometry-{declared}"), "{id}");
        let (_, _, fc) = get(&format!("/api/collections/{id}/items?limit=10000")).await;
        for f in fc["features"].as_array().expect("features") {
            for (name, value) in f["properties"].as_object().expect("properties") {
                let ty = props
                    .get(name)
                    .and_then(|p| p["type"].as_str())
                    .unwrap_or_else(|| panic!("{id}: `{name}` is not in the schema"));
                let ok = match value {
                    Value::Null => true,
                    Value::String(_) => ty == "string",
                    Value::Number(n) => ty == "number" || (ty == "integer" && n.is_i64()),
                    Value::Array(_) => ty == "array",
                    Value::Object(_) => ty == "object",
                    Value::Bool(_) => ty == "boolean",
                };
                assert!(ok, "{id}: `{name}` is {value}, declared {ty}");
            }
        }
    }
}
