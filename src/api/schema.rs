//! `GET /api/collections/{id}/schema`: the JSON Schema of a collection's features (OGC API
//! Features Part 5), one type per property, with `x-ogc-role` for the id and the primary
//! geometry (whose `format` names the collection's one geometry family), linked from the
//! collection as `describedby`.
//!
//! Input: the collection id. Output: `application/schema+json`. The property list is the served
//! one: the conformance tests check every served property is described here.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::params::Params;
use super::{ApiError, ApiPath, AppState, base_url, spec};
use crate::plan::{Family, Layer, Status};

/// A property of a planned feature: its name, JSON type and description.
const PLANNED: &[(&str, &str, &str)] = &[
    ("name", "string", "The name as the report writes it"),
    ("layer", "string", "zones, streets or projects"),
    (
        "kind",
        "string",
        "Finer type from the name's generic part (商圈, 路, 大厦 …)",
    ),
    ("kind_group", "string", "Display group of the kind"),
    ("report", "string", "Id of the report that plans it"),
    (
        "year",
        "integer",
        "The year of its report, when the report states one (its time for `datetime`)",
    ),
    (
        "place",
        "string",
        "The place across reports (/api/places/{placeId})",
    ),
    (
        "section",
        "object",
        "The report's section: number as written and title",
    ),
    ("theme", "string", "Planning theme of the section"),
    (
        "quote",
        "string",
        "The first sentence that plans it, verbatim",
    ),
    (
        "quote_note",
        "string",
        "Why the quote is not the sentence naming it, when it is not",
    ),
    (
        "mentions",
        "array",
        "Where the report names it (char offsets)",
    ),
    ("mention_quotes", "array", "Every sentence naming it"),
    ("action", "object", "The planning verb and its status"),
    (
        "status",
        "string",
        "The planning verb's status, flat (also in action.status)",
    ),
    (
        "targets",
        "array",
        "Numeric targets of the planning sentence",
    ),
    (
        "location",
        "object",
        "How it was located: match, source, uncertainty_m, confidence, and drawn when the geometry is a stand-in (disc, outline, vertices, interior_point)",
    ),
    (
        "match",
        "string",
        "How it was located, flat: exact, alias, anchor, part_of, curated or unlocated",
    ),
    (
        "uncertainty_m",
        "number",
        "Radius in metres that covers the doubt about the position, flat",
    ),
    (
        "confidence",
        "number",
        "0–1: how sure the match of name to place is, flat",
    ),
    ("aliases", "array", "Other names the report uses for it"),
    ("components", "array", "Items placed with it as its parts"),
    (
        "segments",
        "array",
        "The stretches of a street the report plans",
    ),
    (
        "length_m",
        "number",
        "Length in metres of what is drawn, for a line placement; absent otherwise",
    ),
    (
        "scope",
        "string",
        "`district` for items that apply to the whole district",
    ),
];

/// A property of a context feature (district, stations).
const CONTEXT: &[(&str, &str, &str)] = &[
    ("name", "string", "Name"),
    (
        "source",
        "string",
        "Where the geometry comes from, with its licence",
    ),
    ("station", "string", "Kind of station (stations only)"),
];

/// A property of a place (the `places` collection).
const PLACES: &[(&str, &str, &str)] = &[
    ("name", "string", "Its latest name"),
    ("layer", "string", "The layer of its latest feature"),
    ("kind", "string", "The kind of its latest feature"),
    (
        "first_year",
        "integer",
        "The first year a selected report plans it in",
    ),
    (
        "latest_year",
        "integer",
        "The latest year a selected report plans it in",
    ),
    (
        "latest_report",
        "string",
        "Id of the latest report that plans it",
    ),
    ("status", "string", "The status of its latest commitment"),
    (
        "commitments",
        "integer",
        "How many of its features carry a planning verb",
    ),
    (
        "reports",
        "array",
        "Ids of the reports that name it, oldest first",
    ),
    ("match", "string", "How its latest geometry was located"),
    (
        "uncertainty_m",
        "number",
        "Radius in metres that covers the doubt about its latest position",
    ),
    (
        "location",
        "object",
        "How its latest geometry was located, and drawn when the point stands for an area or a line",
    ),
    (
        "href",
        "string",
        "The place across reports: /api/places/{placeId}",
    ),
];

/// The JSON Schema of a collection's features.
#[must_use]
pub fn schema_of(collection: &str, title: &str, base: &str) -> Value {
    let planned = Layer::parse(collection);
    let (format, table) = match planned {
        Some(layer) => (Family::of_layer(layer).schema_format(), PLANNED),
        None if collection == super::places::ID => (Family::Point.schema_format(), PLACES),
        None if collection == "district" => ("geometry-multipolygon", CONTEXT),
        None => ("geometry-point", CONTEXT),
    };
    let mut properties = Map::new();
    properties.insert(
        "id".into(),
        json!({"type": "string", "x-ogc-role": "id", "description": "Stable feature id"}),
    );
    properties.insert(
        "geometry".into(),
        json!({"x-ogc-role": "primary-geometry", "format": format, "description": "WGS-84 (CRS84) unless crs says otherwise; null for a place not located"}),
    );
    for (name, kind, description) in table {
        let mut p = json!({"type": kind, "description": description});
        let values: Option<Vec<&str>> = match *name {
            "status" => Some(Status::ALL.iter().map(|s| s.as_str()).collect()),
            "layer" => Some(Layer::ALL.iter().map(|l| l.as_str()).collect()),
            "match" => Some(vec![
                "exact",
                "alias",
                "anchor",
                "part_of",
                "curated",
                "unlocated",
            ]),
            _ => None,
        };
        if let Some(values) = values {
            p["enum"] = json!(values);
        }
        properties.insert((*name).to_string(), p);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/api/collections/{collection}/schema"),
        "type": "object",
        "title": title,
        "properties": properties,
    })
}

/// `GET /api/collections/{id}/schema`.
pub async fn schema(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::META)?;
    let title = if id == super::places::ID {
        super::places::TITLE
    } else {
        store.collection(&id)?.title
    };
    Ok(schema_response(&schema_of(&id, title, &base_url(&headers))))
}

/// A JSON Schema answer (`application/schema+json`): a schema or the queryables.
#[must_use]
pub fn schema_response(body: &Value) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/schema+json"),
        )],
        body.to_string(),
    )
        .into_response()
}
