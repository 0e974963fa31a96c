//! The OpenAPI 3.0 document, written from the parameter tables of [`super`]: paths, their
//! parameters and answers, the near answer's schema, the correction and report routes.

use serde_json::{Map, Value, json};

use super::{
    COLLECTIONS, ITEM, ITEMS, Kind, META, NEAR, PAGES, PLACEMENT_DELETE, PLACEMENT_PUT, Param,
    REPORT, REPORTS, REPORTS_LIST, SEARCH,
};
use crate::api::{Limits, MAX_LIMIT};
fn schema(kind: Kind, default: Option<&str>) -> Value {
    let mut s = match kind {
        Kind::Number(min, max) => json!({"type": "number", "minimum": min, "maximum": max}),
        Kind::Integer(min, max) => json!({"type": "integer", "minimum": min, "maximum": max}),
        Kind::Text(max) => json!({"type": "string", "minLength": 1, "maxLength": max}),
        Kind::OneOf(values) => json!({"type": "string", "enum": values}),
        Kind::BBox => {
            json!({"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4})
        }
        Kind::ListOf(values) => {
            json!({"type": "array", "items": {"type": "string", "enum": values}})
        }
        Kind::Status => json!({"type": "string", "enum": kind.vocabulary()}),
        Kind::Layers => {
            json!({"type": "array", "items": {"type": "string", "enum": kind.vocabulary()}})
        }
    };
    if let Some(d) = default {
        s["default"] = match kind {
            Kind::Number(..) => d.parse::<f64>().map_or(Value::Null, |x| json!(x)),
            Kind::Integer(..) => d.parse::<u64>().map_or(Value::Null, |x| json!(x)),
            _ => json!(d),
        };
    }
    s
}

fn parameters(params: &[Param]) -> Vec<Value> {
    params
        .iter()
        .map(|p| {
            let mut v = json!({
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": p.description,
                "schema": schema(p.kind, p.default),
            });
            if matches!(p.kind, Kind::BBox | Kind::ListOf(_) | Kind::Layers) {
                v["style"] = json!("form");
                v["explode"] = json!(false);
            }
            v
        })
        .collect()
}

fn path_param(name: &str, description: &str, values: Option<&[&str]>) -> Value {
    let schema = values.map_or_else(
        || json!({"type": "string"}),
        |v| json!({"type": "string", "enum": v}),
    );
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": schema})
}

fn responses(ok: &str, media: &str, not_found: bool) -> Value {
    let error = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut r = json!({
        "200": {"description": ok, "content": {media: {"schema": {"type": "object"}}}},
        "400": {"description": "A query parameter is malformed, out of range or unknown", "content": error["content"]},
    });
    if media == "application/geo+json" {
        r["200"]["headers"] = json!({"Content-Crs": {
            "description": "The coordinate system of the answer's coordinates, as <uri> (OGC API Features Part 2); urn:planmap:crs:gcj02|bd09 for the vendor datums",
            "schema": {"type": "string"}
        }});
    }
    if not_found {
        r["404"] = json!({"description": "No such collection, feature or report", "content": error["content"]});
    }
    r["414"] = json!({"description": "The request URI is longer than the server accepts", "content": error["content"]});
    r["503"] = json!({"description": "Overloaded or timed out; retry shortly", "content": error["content"]});
    r
}

/// The near answer: features whose nearest possible position (`d − u`) is within the radius,
/// each with its distance, the distance widened by its uncertainty and whether it is inside
/// for certain (`d + u ≤ radius`) or only possibly.
fn near_answer_schema() -> Value {
    let metres = json!({"type": "number", "minimum": 0});
    json!({
        "type": "object",
        "required": ["type", "features", "district_wide"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "crs": {"type": "string"},
            "center": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
            "radius_m": metres,
            "numberReturned": {"type": "integer"},
            "features": {"type": "array", "items": {
                "type": "object",
                "properties": {"properties": {
                    "type": "object",
                    "required": ["distance_m", "distance_range_m", "inside"],
                    "properties": {
                        "distance_m": {"description": "metres from the point to the drawn geometry (0 inside an area); nearest first, ties at 0 m smallest area first, then by name", "type": "number", "minimum": 0},
                        "distance_range_m": {"description": "[max(0, d − uncertainty_m), d + uncertainty_m]", "type": "array", "items": metres, "minItems": 2, "maxItems": 2},
                        "inside": {"description": "certain when d + uncertainty_m ≤ radius_m, possible when d − uncertainty_m ≤ radius_m < d + uncertainty_m", "type": "string", "enum": ["certain", "possible"]},
                        "scope": {"description": "district on items that apply to the whole district", "type": "string", "enum": ["district"]},
                    },
                }},
            }},
            "district_wide": {"type": "array", "items": {"type": "object"}},
        },
    })
}

/// The routes of several reports: the list, one report, a comparison, one place.
fn reports_paths(paths: &mut Map<String, Value>) {
    let get = |id: &str, summary: &str, params: Vec<Value>| json!({"get": {"operationId": id, "summary": summary, "parameters": params, "responses": responses(id, "application/json", true)}});
    let with = |path: Vec<Value>| {
        let mut v = path;
        v.extend(parameters(REPORTS));
        v
    };
    let report = |name: &str| path_param(name, "a report id (see /api/reports)", None);
    paths.insert(
        "/api/reports".into(),
        get(
            "reports",
            "Every loaded report in time order: id, title, district, year, kind, counts; and the newest. With removed=true: the uploads taken out, with who uploaded each and when, and who took it out, when and why",
            parameters(REPORTS_LIST),
        ),
    );
    paths.insert(
        "/api/reports/{reportId}".into(),
        get(
            "reportById",
            "One report: text, sections, sentences with offsets and feature ids, unresolved items",
            with(vec![report("reportId")]),
        ),
    );
    paths.insert(
        "/api/reports/{a}/compare/{b}".into(),
        get(
            "compare",
            "Places new in b, dropped since a, and continued (verb, status and targets in each)",
            with(vec![report("a"), report("b")]),
        ),
    );
    paths.insert(
        "/api/places/{placeId}".into(),
        get(
            "place",
            "One place across reports and its commitments in time order: report, year, verb, status, targets, quote, feature id",
            with(vec![path_param(
                "placeId",
                "a place id (a feature's `place` property)",
                None,
            )]),
        ),
    );
}

/// The OpenAPI 3.0 document of the API, with the maxima of the running server's limits.
#[must_use]
pub fn openapi(limits: &Limits, api_base: &str) -> Value {
    let mut doc = document();
    // The tables give the default maxima; a server configured otherwise says so.
    if let Some(paths) = doc["paths"].as_object_mut() {
        for path in paths.values_mut() {
            // `get_mut`, not indexing: indexing a missing key would insert a null `get` into
            // write-only paths and make the document invalid.
            // A route that takes `f=html` answers HTML too.
            let html = path["get"]["parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p["name"] == "f" && p["schema"]["enum"].to_string().contains("html"))
            });
            if html
                && let Some(content) = path
                    .get_mut("get")
                    .and_then(|g| g.pointer_mut("/responses/200/content"))
                    .and_then(Value::as_object_mut)
            {
                content.insert("text/html".into(), json!({"schema": {"type": "string"}}));
            }
            if let Some(params) = path
                .get_mut("get")
                .and_then(|g| g.get_mut("parameters"))
                .and_then(Value::as_array_mut)
            {
                for p in params {
                    match p["name"].as_str() {
                        Some("limit") if p["schema"]["maximum"] == json!(MAX_LIMIT) => {
                            p["schema"]["maximum"] = json!(limits.max_limit);
                        }
                        Some("radius_m") => p["schema"]["maximum"] = json!(limits.max_radius_m),
                        _ => {}
                    }
                }
            }
        }
    }
    // Paths are relative to the API base (`servers`), where OGC API clients look for them
    // (`/collections/{collectionId}/items`); `/health` is served at `/api/health` too.
    if let Some(Value::Object(paths)) = doc.get_mut("paths").map(Value::take) {
        let relative: Map<String, Value> = paths
            .into_iter()
            .map(|(path, item)| {
                let relative = match path.strip_prefix("/api") {
                    Some("") => "/".to_string(),
                    Some(rest) => rest.to_string(),
                    None => path,
                };
                (relative, item)
            })
            .collect();
        doc["paths"] = Value::Object(relative);
    }
    doc["servers"] = json!([{"url": api_base, "description": "the API of this server"}]);
    doc
}

#[expect(
    clippy::too_many_lines,
    reason = "one JSON literal of every path; split, the document would be read in pieces"
)]
fn document() -> Value {
    let get = |id: &str, summary: &str, params: Vec<Value>, resp: Value| json!({"get": {"operationId": id, "summary": summary, "parameters": params, "responses": resp}});
    let collection = path_param(
        "collectionId",
        "zones, streets, projects, district or stations",
        Some(COLLECTIONS),
    );
    let mut items_params = vec![collection.clone()];
    items_params.extend(parameters(ITEMS));
    let mut item_params = vec![
        collection.clone(),
        path_param("featureId", "the feature's id", None),
    ];
    item_params.extend(parameters(ITEM));
    let mut queryables_params = vec![collection.clone()];
    queryables_params.extend(parameters(META));
    let mut coll_params = vec![collection];
    coll_params.extend(parameters(PAGES));
    let mut paths = Map::new();
    paths.insert("/health".into(), get("health", "200 with what is loaded: reports, features, unlocated features, per collection its items and located items, and `change`, the number of the newest change served (also in X-Planmap-Change): poll it to notice corrections, verdicts and uploads", vec![], json!({
        "200": {"description": "loaded; `status: degraded` and `store.status: unavailable` (with the reason) while the data store cannot be reached: reads go on, writes get 503", "content": {"application/json": {"schema": {"type": "object", "required": ["status", "store", "change", "reports", "features", "unlocated", "collections"], "properties": {"status": {"type": "string", "enum": ["ok", "degraded"]}, "store": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok", "unavailable"]}, "reason": {"type": "string"}}}}}}}},
        "503": {"description": "not ready: a replica started before its database answers (`--database`); it retries and serves the map once it does, every other route answering 503 meanwhile", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"type": "object", "required": ["status", "ready", "store"], "properties": {"status": {"type": "string", "enum": ["starting"]}, "ready": {"type": "boolean"}, "store": {"type": "object", "description": "the database without its password, the last reason, the attempts so far and the seconds waited", "properties": {"status": {"type": "string"}, "database": {"type": "string"}, "reason": {"type": "string"}, "attempts": {"type": "integer"}, "waiting_s": {"type": "integer"}}}}}}}}
    })));
    paths.insert(
        "/api".into(),
        get(
            "landing",
            "OGC API landing page",
            parameters(PAGES),
            responses("links", "application/json", false),
        ),
    );
    paths.insert(
        "/api/conformance".into(),
        get(
            "conformance",
            "Conformance classes",
            parameters(META),
            responses("conformsTo", "application/json", false),
        ),
    );
    paths.insert(
        "/api/collections".into(),
        get(
            "collections",
            "The planning layers and context layers",
            parameters(PAGES),
            responses("collections", "application/json", false),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}".into(),
        get(
            "collection",
            "One collection",
            coll_params,
            responses("collection", "application/json", true),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}/items".into(),
        get(
            "items",
            "Features of a collection",
            items_params,
            responses("FeatureCollection", "application/geo+json", true),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}/items/{featureId}".into(),
        get(
            "item",
            "One feature",
            item_params,
            responses("Feature", "application/geo+json", true),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}/queryables".into(),
        get(
            "queryables",
            "The properties a filter (CQL2) and sortby may name, as a JSON Schema (OGC API Features Part 3)",
            queryables_params.clone(),
            responses("JSON Schema", "application/schema+json", true),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}/schema".into(),
        get(
            "schema",
            "The JSON Schema of the collection's features (OGC API Features Part 5): one type per property, x-ogc-role for the id and the primary geometry, whose format names the collection's geometry type",
            queryables_params,
            responses("JSON Schema", "application/schema+json", true),
        ),
    );
    let mut near = get(
        "near",
        "What is planned near a point, by distance in metres",
        parameters(NEAR),
        responses(
            "features with distance_m, distance_range_m and inside, and district_wide",
            "application/geo+json",
            false,
        ),
    );
    near["get"]["responses"]["200"]["content"]["application/geo+json"]["schema"] =
        near_answer_schema();
    paths.insert("/api/near".into(), near);
    paths.insert(
        "/api/search".into(),
        get(
            "search",
            "Names, aliases and quotes",
            parameters(SEARCH),
            responses("results", "application/json", false),
        ),
    );
    paths.insert(
        "/api/report".into(),
        get(
            "report",
            "The report: text, sections, sentences with offsets and feature ids",
            parameters(REPORT),
            responses("report", "application/json", true),
        ),
    );
    reports_paths(&mut paths);
    paths.insert(
        "/api/vocabulary".into(),
        get(
            "vocabulary",
            "The vocabulary the parser and the page share: generic terms (通名) → kind → layer, statuses, themes",
            parameters(META),
            responses("vocabulary", "application/json", false),
        ),
    );
    corrections_paths(&mut paths);
    super::living::living_paths(&mut paths, &parameters);
    paths.insert("/api/openapi.json".into(), get("openapi", "This document", vec![], json!({"200": {"description": "OpenAPI 3.0", "content": {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}}}})));
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "planmap API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Planned zones, streets and projects read from district government work reports (OGC API Features Part 1: core, GeoJSON, OAS 3.0; Part 2: crs and bbox-crs; Part 3: queryables and CQL2 filter; sortby and properties), plus near, search and report routes. Errors are JSON {code, message, parameter}. Vendor extension: crs=gcj02|bd09 (urn:planmap:crs:gcj02|bd09) gives coordinates in the Chinese basemap datums GCJ-02 and BD-09, which have no EPSG code; answers then say so in Content-Crs with the urn, never an EPSG URI."
        },
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An editor's token from `planmap token add NAME`"}}, "schemas": {"Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "parameter": {"type": "string", "nullable": true}}
        }}}
    })
}

/// The correction routes of issue #13: writes with a bearer token, public history and stats.
fn corrections_paths(paths: &mut Map<String, Value>) {
    let error = |description: &str| json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let collection = path_param(
        "collectionId",
        "zones, streets or projects",
        Some(&["zones", "streets", "projects"]),
    );
    let feature = path_param("featureId", "the feature's id", None);
    let bearer = json!([{"bearer": []}]);
    let if_match = json!({"name": "If-Match", "in": "header", "required": false, "description": "The placement version last seen, as its ETag (\"v3\"); a stale one gets 412. Without it the write is unconditional.", "schema": {"type": "string"}});
    let feature_answer = json!({"description": "The feature as now served (as GET item), with ETag: \"v<N>\", the placement version", "headers": {"ETag": {"schema": {"type": "string"}}}, "content": {"application/geo+json": {"schema": {"type": "object"}}}});
    let write_errors = |extra: &[(&str, &str)]| {
        let mut r = json!({
            "200": feature_answer.clone(),
            "400": error("Malformed JSON, an unknown field, a non-finite or out-of-range coordinate, a ring not closed or crossing itself, an empty source or note, a bad If-Match; `parameter` names it"),
            "401": error("No bearer token, or an unknown or revoked one"),
            "404": error("No such feature"),
            "412": error("If-Match is stale: someone else saved first; the answer's ETag is the current version"),
            "413": error("The body is larger than the server accepts (256 KiB by default)"),
            "429": error("Too many failed token checks from this address (10 a minute); see Retry-After"),
            "503": error("The data folder cannot be written (read-only, full); reads keep working"),
        });
        for (code, description) in extra {
            r[*code] = error(description);
        }
        r
    };
    let mut put_params = vec![collection.clone(), feature.clone(), if_match.clone()];
    put_params.extend(parameters(PLACEMENT_PUT));
    let mut delete_params = vec![collection.clone(), feature.clone(), if_match];
    delete_params.extend(parameters(PLACEMENT_DELETE));
    paths.insert(
        "/api/collections/{collectionId}/items/{featureId}/placement".into(),
        json!({
            "put": {
                "operationId": "putPlacement",
                "summary": "Place a feature (an editor's correction): served at once, kept as a version; the feature's id and place never change, and the same place named the same way in other reports is placed there too (match `curated`)",
                "security": bearer,
                "parameters": put_params,
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["geometry", "uncertainty_m", "source", "note"],
                    "properties": {
                        "geometry": {"type": "object", "description": "GeoJSON Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon, lon/lat in the `crs` given (WGS-84 by default); rings closed as written"},
                        "uncertainty_m": {"type": "number", "minimum": 0, "maximum": 50000, "description": "Radius in metres that covers the doubt"},
                        "source": {"type": "string", "maxLength": 2000, "description": "What the placement was read from"},
                        "note": {"type": "string", "maxLength": 2000, "description": "Why; a geometry more than 1 km outside the district boundary is accepted only when the note contains 区外 or \"outside\""}
                    }
                }}}},
                "responses": write_errors(&[("422", "The geometry lies more than 1 km outside the district boundary (no vertex within 1 km, not touching it) and the note does not say why (区外 or \"outside\")")]),
            },
            "delete": {
                "operationId": "deletePlacement",
                "summary": "Back to the automatic placement, recorded as a version; a note (body {\"note\"} or ?note=) is required",
                "security": bearer,
                "parameters": delete_params,
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"note": {"type": "string"}}}}}},
                "responses": write_errors(&[("409", "The feature has no correction to remove")]),
            }
        }),
    );
    let mut history_params = vec![collection, feature];
    history_params.extend(parameters(ITEM));
    paths.insert(
        "/api/collections/{collectionId}/items/{featureId}/placements".into(),
        json!({"get": {
            "operationId": "placements",
            "summary": "Every version of a feature's placement, newest first: {feature_id, version, versions: [{version, kind: put|revert, geometry, uncertainty_m, source, note, editor, at, replaced}]}; ETag \"v<N>\" is the current version (v0: never corrected)",
            "parameters": history_params,
            "responses": {"200": {"description": "the versions", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": error("A bad parameter"), "404": error("No such feature")}
        }}),
    );
    paths.insert(
        "/api/corrections/stats".into(),
        json!({"get": {
            "operationId": "correctionStats",
            "summary": "How good automatic placement is: per automatic match tier, features, corrected, measured, and median_m and p90_m (nearest rank) of the Haversine distance in metres between the centroids of the automatic and the corrected geometry",
            "parameters": parameters(META),
            "responses": {"200": {"description": "{distance, tiers: [{match, features, corrected, measured, median_m, p90_m}]}", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": error("A bad parameter")}
        }}),
    );
    paths.insert(
        "/api/whoami".into(),
        json!({"get": {
            "operationId": "whoami",
            "summary": "The account behind the bearer token: {name, role}",
            "security": bearer,
            "responses": {"200": {"description": "{name, role}", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": error("No, unknown or revoked token"), "429": error("Too many failed token checks; see Retry-After")}
        }}),
    );
}
