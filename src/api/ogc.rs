//! OGC API Features routes: landing page, conformance, collections, items and one item (Part
//! 1), `crs`/`bbox-crs` (Part 2), queryables and CQL2 `filter` (Part 3), `sortby` and
//! `properties`. Items are answered from the store's pre-rendered features, concatenated; only
//! a `properties` selection re-reads a page's features.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::params::Params;
use super::{
    ApiError, ApiPath, AppState, base_url, geojson_text_response, html, links, places, spec, time,
};
use crate::datum::{CRS84_URI, Crs};
use crate::plan::{CqlError, CqlFilter, Family, Filter, Layer, Queryable, SortKey, Status, round7};
use crate::store::{CollectionInfo, FeatureStore, FeatureText, ItemsQuery};

pub async fn landing(headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), spec::PAGES)?;
    let base = base_url(&headers);
    let body = json!({
        "title": "planmap",
        "description": "Planned zones, streets and projects read from district government work reports, placed on the map with their uncertainty.",
        "links": [
            {"href": format!("{base}/api"), "rel": "self", "type": "application/json", "title": "this document"},
            alternate(&format!("{base}/api")),
            {"href": format!("{base}/api/openapi.json"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "title": "the API definition"},
            {"href": format!("{base}/api/conformance"), "rel": "conformance", "type": "application/json", "title": "conformance classes"},
            {"href": format!("{base}/api/collections"), "rel": "data", "type": "application/json", "title": "collections"}
        ]
    });
    Ok(negotiated(&p, &headers, body, html::landing))
}

/// The `alternate` link to the HTML form of an answer (`f=html`).
fn alternate(href: &str) -> Value {
    json!({"href": html::with_format(href, "html"), "rel": "alternate", "type": "text/html", "title": "this page as HTML"})
}

/// A JSON answer, or its HTML form when the client asked for HTML; either varies by `Accept`.
fn negotiated(
    p: &Params,
    headers: &HeaderMap,
    body: Value,
    page: fn(&Value, &str) -> Response,
) -> Response {
    let mut r = if html::wanted(p, headers) {
        page(&body, &base_url(headers))
    } else {
        Json(body).into_response()
    };
    r.headers_mut().insert(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("accept"),
    );
    r
}

pub async fn conformance(RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    Params::parse(q.as_deref(), spec::META)?;
    Ok(Json(json!({"conformsTo": [
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
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
        "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
        "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions"
    ]})))
}

fn collection_json(c: &CollectionInfo<'_>, base: &str, store: &dyn FeatureStore) -> Value {
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
        // Every located feature of the collection has this type (a stand-in for a placement
        // of another type says so in `location.drawn`), so GIS clients type the layer once.
        "geometryType": geometry_type(c.id),
        "itemCount": c.item_count,
        "locatedCount": c.located_count,
        // Part 2: the standard systems offered; the vendor datums are documented in the
        // OpenAPI file instead, so a Part 2 client never picks a system without an EPSG code.
        "crs": Crs::STANDARD.iter().map(|c| c.uri()).collect::<Vec<_>>(),
        "storageCrs": CRS84_URI,
        "extent": extent(bbox, time::temporal_extent(store, c.id)),
        "links": [
            {"href": format!("{base}/api/collections/{}", c.id), "rel": "self", "type": "application/json"},
            {"href": format!("{base}/api/collections/{}/items", c.id), "rel": "items", "type": "application/geo+json"},
            {"href": format!("{base}/api/collections/{}/queryables", c.id), "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables", "type": "application/schema+json", "title": "the properties a filter may name"},
            {"href": format!("{base}/api/collections/{}/schema", c.id), "rel": "describedby", "type": "application/schema+json", "title": "the schema of its features"}
        ]
    })
}

/// A collection's extent: the box of its located features, and the years of its reports when
/// it has any (a planning layer whose reports state their year).
fn extent(bbox: Option<Vec<f64>>, temporal: Option<Value>) -> Value {
    let mut e = json!({"spatial": {"bbox": [bbox.unwrap_or_default()], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}});
    if let Some(t) = temporal {
        e["temporal"] = t;
    }
    e
}

pub async fn collections(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    let p = Params::parse(q.as_deref(), spec::PAGES)?;
    let base = base_url(&headers);
    let body = json!({
        "links": [
            {"href": format!("{base}/api/collections"), "rel": "self", "type": "application/json"},
            alternate(&format!("{base}/api/collections"))
        ],
        "collections": store.collections().iter().map(|c| collection_json(c, &base, &*store)).chain(std::iter::once(places::collection_json(&*store, &base))).collect::<Vec<_>>()
    });
    Ok(negotiated(&p, &headers, body, html::collections))
}

pub async fn collection(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    let p = Params::parse(q.as_deref(), spec::PAGES)?;
    let base = base_url(&headers);
    let mut body = if id == places::ID {
        places::collection_json(&*store, &base)
    } else {
        let c = store.collection(&id)?;
        collection_json(&c, &base, &*store)
    };
    if let Some(links) = body["links"].as_array_mut() {
        links.insert(1, alternate(&format!("{base}/api/collections/{id}")));
    }
    Ok(negotiated(&p, &headers, body, html::collection))
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
    if id == places::ID {
        return places_items(&s, &headers, q.as_deref());
    }
    store.collection(&id)?;
    let p = Params::parse(q.as_deref(), spec::ITEMS)?;
    let crs = p.crs()?;
    // Part 2 reads bbox in CRS84 unless bbox-crs says otherwise; the vendor datums keep their
    // old meaning (a bbox in the datum the page asked for), which no Part 2 client sends.
    let bbox_crs =
        p.crs_named("bbox-crs")?
            .unwrap_or(if crs.is_vendor() { crs } else { Crs::Wgs84 });
    let selection = properties(&p)?;
    let mut query = ItemsQuery {
        bbox: p.bbox(bbox_crs)?,
        filter: filter(&p),
        // Part 1: a limit above the maximum is served the maximum, not refused.
        limit: p
            .usize_in("limit", 1, usize::MAX, 100)?
            .min(s.limits.max_limit),
        offset: p.usize_in("offset", 0, usize::MAX / 2, 0)?,
        cql: cql(&p)?,
        sortby: sortby(&p)?,
        reports: p.reports(&store.report_ids())?,
    };
    // `datetime` narrows the report selection; when no report meets it, a planning layer has
    // nothing to show (an empty selection would mean every report).
    let mut nothing_dated = false;
    if let Some(ids) = time::datetime_reports(&p, &*store, &query.reports)? {
        nothing_dated = ids.is_empty() && Layer::parse(&id).is_some();
        query.reports = ids;
    }
    let mut page = store.items(&id, &query, crs)?;
    if nothing_dated {
        page.features.clear();
        page.number_matched = 0;
    }
    let (limit, offset) = (query.limit, query.offset);
    let base = base_url(&headers);
    let kept: Vec<&str> = spec::names(spec::ITEMS);
    let links = paging_links(&Paging {
        href: &format!("{base}/api/collections/{id}/items"),
        params: &p,
        kept: &kept,
        limit,
        offset,
        returned: page.features.len(),
        matched: page.number_matched,
    });
    // Which datum the coordinates are in (also in the Content-Crs header). GDAL ignores a
    // string here; RFC 7946 only retired the old object form.
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"crs\":{},\"numberMatched\":{},\"numberReturned\":{},\"links\":{},\"features\":{}}}",
        json!(crs.as_str()),
        page.number_matched,
        page.features.len(),
        Value::Array(links),
        match &selection {
            None => array(page.features.iter().copied()),
            Some(names) => select(page.features.iter().copied(), names),
        },
    );
    if html::wanted(&p, &headers) {
        let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        return Ok(html::items(&id, &value, &base_url(&headers)));
    }
    Ok(geojson_text_response(body, crs))
}

pub async fn item(
    State(s): State<AppState>,
    ApiPath((id, feature_id)): ApiPath<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    if id == places::ID {
        let p = Params::parse(q.as_deref(), spec::ITEM)?;
        let crs = p.crs()?;
        let mut body = places::features(&*store, &Params::default(), crs, &base_url(&headers))?
            .into_iter()
            .find(|f| f["id"] == feature_id.as_str())
            .ok_or_else(|| ApiError::not_found(format!("no place `{feature_id}`")))?;
        if let (Some(names), Some(props)) = (
            properties(&p)?,
            body.get_mut("properties").and_then(Value::as_object_mut),
        ) {
            props.retain(|k, _| names.iter().any(|n| n == k));
        }
        add_item_links(&mut body, &headers, &id, &feature_id);
        if html::wanted(&p, &headers) {
            return Ok(html::item(&body, &base_url(&headers)));
        }
        return Ok(geojson_text_response(body.to_string(), crs));
    }
    store.collection(&id)?;
    let p = Params::parse(q.as_deref(), spec::ITEM)?;
    let crs = p.crs()?;
    let selection = properties(&p)?;
    let feature = store.item(&id, &feature_id, crs)?;
    let mut body = only(feature, selection.as_deref());
    add_item_links(&mut body, &headers, &id, &feature_id);
    if html::wanted(&p, &headers) {
        return Ok(html::item(&body, &base_url(&headers)));
    }
    Ok(geojson_text_response(body.to_string(), crs))
}

/// What the links of a page of items are made from.
struct Paging<'a> {
    /// The items path, absolute.
    href: &'a str,
    /// The request's parameters.
    params: &'a Params,
    /// The parameters the links repeat (`limit` and `offset` are set for each link).
    kept: &'a [&'static str],
    limit: usize,
    offset: usize,
    /// Features on this page.
    returned: usize,
    /// Features over all pages.
    matched: usize,
}

/// The `self`, `alternate` (HTML), `next` and `prev` links of a page of items.
fn paging_links(pg: &Paging<'_>) -> Vec<Value> {
    let link = |off: usize, rel: &str| {
        let mut pairs: Vec<(String, String)> = pg
            .kept
            .iter()
            .filter(|k| **k != "offset" && **k != "limit")
            .filter_map(|k| pg.params.get(k).map(|v| ((*k).to_string(), v.to_string())))
            .collect();
        pairs.push(("limit".into(), pg.limit.to_string()));
        pairs.push(("offset".into(), off.to_string()));
        let qs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        json!({"href": format!("{}?{qs}", pg.href), "rel": rel, "type": "application/geo+json"})
    };
    let me = link(pg.offset, "self");
    let alt = alternate(me["href"].as_str().unwrap_or_default());
    let mut links = vec![me, alt];
    if pg.offset + pg.returned < pg.matched {
        links.push(link(pg.offset + pg.limit, "next"));
    }
    if pg.offset > 0 {
        links.push(link(pg.offset.saturating_sub(pg.limit), "prev"));
    }
    links
}

/// A page of the `places` collection.
fn places_items(s: &AppState, headers: &HeaderMap, q: Option<&str>) -> Result<Response, ApiError> {
    let store = s.store();
    let p = Params::parse(q, spec::PLACES)?;
    let crs = p.crs()?;
    let limit = p
        .usize_in("limit", 1, usize::MAX, 100)?
        .min(s.limits.max_limit);
    let offset = p.usize_in("offset", 0, usize::MAX / 2, 0)?;
    let base = base_url(headers);
    let all = places::features(&*store, &p, crs, &base)?;
    let page: Vec<Value> = all.iter().skip(offset).take(limit).cloned().collect();
    let links = paging_links(&Paging {
        href: &format!("{base}/api/collections/{}/items", places::ID),
        params: &p,
        kept: &spec::names(spec::PLACES),
        limit,
        offset,
        returned: page.len(),
        matched: all.len(),
    });
    let body = json!({
        "type": "FeatureCollection",
        "crs": crs.as_str(),
        "numberMatched": all.len(),
        "numberReturned": page.len(),
        "links": links,
        "features": page,
    });
    if html::wanted(&p, headers) {
        return Ok(html::items(places::ID, &body, &base));
    }
    Ok(geojson_text_response(body.to_string(), crs))
}

/// Part 1 asks a single feature to link itself and its collection; a correction's answer
/// (the feature as now served) carries the same links.
pub(super) fn add_item_links(body: &mut Value, headers: &HeaderMap, id: &str, feature_id: &str) {
    let base = base_url(headers);
    let me = links::href(&base, &crate::atlas::item_path(id, feature_id));
    body["links"] = json!([
        {"href": me, "rel": "self", "type": "application/geo+json"},
        alternate(&me),
        {"href": format!("{base}/api/collections/{id}"), "rel": "collection", "type": "application/json"}
    ]);
}

/// The queryables of a collection: every one for a planning layer; for a context layer only
/// those it has (id, name, layer, kind, geometry).
fn queryables_of(collection: &str) -> Vec<Queryable> {
    if Layer::parse(collection).is_some() {
        Queryable::ALL.to_vec()
    } else {
        vec![
            Queryable::Id,
            Queryable::Name,
            Queryable::Layer,
            Queryable::Kind,
            Queryable::Geometry,
        ]
    }
}

/// `GET /api/collections/{id}/queryables`: a JSON Schema (2020-12) of what `filter` and
/// `sortby` may name.
pub async fn queryables(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::META)?;
    let c = store.collection(&id)?;
    let base = base_url(&headers);
    let properties: serde_json::Map<String, Value> = queryables_of(&id)
        .into_iter()
        .map(|q| (q.as_str().to_string(), q.schema()))
        .collect();
    let body = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/api/collections/{id}/queryables"),
        "type": "object",
        "title": c.title,
        "description": "Properties a CQL2 filter (filter=, filter-lang=cql2-text|cql2-json) and sortby may name. Values are compared as written (Chinese text, case-sensitive unless CASEI); null values make a comparison unknown, so the feature is left out.",
        "properties": properties,
        "additionalProperties": false,
    });
    Ok(super::schema::schema_response(&body))
}

/// The CQL2 filter of an items request, if any, with its geometry literals read in
/// `filter-crs`.
fn cql(p: &Params) -> Result<Option<CqlFilter>, ApiError> {
    let Some(text) = p.get("filter") else {
        if p.get("filter-lang").is_some() || p.get("filter-crs").is_some() {
            return Err(ApiError::bad(
                "filter",
                "`filter-lang` and `filter-crs` need a `filter`",
            ));
        }
        return Ok(None);
    };
    let filter_crs = p.crs_named("filter-crs")?.unwrap_or(Crs::Wgs84);
    let to_wgs84 = move |a: f64, b: f64| filter_crs.to_wgs84(a, b);
    let parsed = match p.get("filter-lang").unwrap_or("cql2-text") {
        "cql2-json" => CqlFilter::parse_json(text, &to_wgs84),
        _ => CqlFilter::parse_text(text, &to_wgs84),
    };
    parsed.map(Some).map_err(|e| {
        if let CqlError::Unavailable(_) = e {
            return ApiError::Unavailable(e.to_string());
        }
        let message = match &e {
            CqlError::UnknownQueryable(name) => format!(
                "`{name}` is not a queryable of this collection; queryables: {}",
                Queryable::ALL.map(Queryable::as_str).join(", ")
            ),
            _ => e.to_string(),
        };
        ApiError::bad("filter", message)
    })
}

/// The `sortby` keys, empty when absent.
fn sortby(p: &Params) -> Result<Vec<SortKey>, ApiError> {
    let Some(text) = p.get("sortby") else {
        return Ok(Vec::new());
    };
    SortKey::parse_list(text).map_err(|name| {
        let sortable: Vec<&str> = Queryable::ALL
            .into_iter()
            .filter(|q| q.sortable())
            .map(Queryable::as_str)
            .collect();
        ApiError::bad(
            "sortby",
            format!(
                "`{name}` is not sortable; sort on {} (prefix - for descending)",
                sortable.join(", ")
            ),
        )
    })
}

/// Every property name a feature may carry: those of planned features (the data model in
/// ARCHITECTURE.md) and of context features. The conformance tests check every served
/// property is among them, so the list cannot silently fall behind the model.
pub const PROPERTY_NAMES: &[&str] = &[
    "id",
    "name",
    "layer",
    "kind",
    "report",
    "section",
    "theme",
    "mentions",
    "quote",
    "action",
    "targets",
    "location",
    "source",
    "station",
    "scope",
    "place",
    "kind_group",
    "aliases",
    "components",
    "quote_note",
    "mention_quotes",
    "segments",
    "length_m",
    "uncertainty_m",
    "match",
    "confidence",
    "status",
    "year",
];

/// The one GeoJSON geometry type of a collection's located features: a planning layer's
/// family (`plan::Family`), the district's multipolygon, the stations' points.
#[must_use]
pub fn geometry_type(collection: &str) -> &'static str {
    match Layer::parse(collection) {
        Some(layer) => Family::of_layer(layer).geojson_type(),
        None if collection == "district" => "MultiPolygon",
        None => "Point",
    }
}

/// The `properties` selection, if given.
fn properties(p: &Params) -> Result<Option<Vec<String>>, ApiError> {
    let Some(text) = p.get("properties") else {
        return Ok(None);
    };
    let names: Vec<String> = text.split(',').map(|n| n.trim().to_string()).collect();
    if let Some(bad) = names.iter().find(|n| !PROPERTY_NAMES.contains(&n.as_str())) {
        return Err(ApiError::bad(
            "properties",
            format!(
                "`{bad}` is not a property; properties: {}",
                PROPERTY_NAMES.join(", ")
            ),
        ));
    }
    Ok(Some(names))
}

/// One feature as a JSON value, with only the named properties when `names` is given.
fn only(feature: &FeatureText, names: Option<&[String]>) -> Value {
    let mut text = String::new();
    feature.write(&mut text);
    // The store rendered this text from typed values, so it parses; `Null` would only
    // show a bug, never a user's mistake.
    let mut v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if let (Some(names), Some(props)) = (
        names,
        v.get_mut("properties").and_then(Value::as_object_mut),
    ) {
        props.retain(|k, _| names.iter().any(|n| n == k));
    }
    v
}

/// Features with only the named properties, as a JSON array.
fn select<'a>(features: impl Iterator<Item = &'a FeatureText>, names: &[String]) -> String {
    Value::Array(features.map(|f| only(f, Some(names))).collect()).to_string()
}
