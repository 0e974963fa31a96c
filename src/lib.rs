//! planmap turns a Chinese district government work report into a planning map: it reads the
//! report, finds every zone, street and project it plans (with the sentence that says so and
//! its numeric targets), places each on the map with an honest uncertainty, indexes them in an
//! R-tree and serves map layers, bounding-box queries and "what is planned near here".
//!
//! # Layout
//! Data flows one way: `report` and `gazetteer` feed `geocode`, which `atlas` assembles with the
//! `spatial` index; `api` serves the atlas.
//! - [`report`]: text → sections, sentences, planned items, actions, targets (no geo).
//! - [`gazetteer`]: place names → places with source and `uncertainty_m`.
//! - [`import`]: offline, an OpenStreetMap extract → gazetteer entries.
//! - [`geocode`]: planned items × gazetteer → [`plan::PlannedFeature`]s with match type.
//! - [`plan`]: the shared feature model and its GeoJSON form; queryables, sortby and CQL2 filters.
//! - [`vocab`]: the one vocabulary table (kinds → layers, verbs → statuses, themes).
//! - [`text`]: normalisation, slugs and CJK helpers every reader of names shares.
//! - [`spatial`]: the rstar index; bbox and near queries, distances in metres.
//! - [`chunked`]: a list in shared chunks, so the list after a change shares what it did not
//!   touch.
//! - [`datum`]: the coordinate systems served: CRS84, EPSG:4326, EPSG:3857, GCJ-02, BD-09.
//! - [`atlas`]: everything served; each change makes the next atlas from this one, sharing
//!   what it did not touch.
//! - [`defaults`]: the default geodata and reports embedded in the binary.
//! - [`document`]: report files (`.docx`, PDF with a text layer) as text.
//! - [`api`]: the HTTP server; the only module that knows the web framework.
//! - [`listing`]: what was read from each report, for curators (`planmap parse`).
//! - [`stats`]: how much of the map is sourced (`planmap stats`).
//! - [`bench`](mod@bench): the R-tree against brute force (`planmap bench`) and the shared query walks.
//! - [`bench_reports`]: the server with many reports, measured as the page meets it
//!   (`planmap bench --reports N`).
//! - [`store`]: planners' corrections and editor accounts, kept durably (GeoPackage).

pub mod api;
pub mod atlas;
pub mod bench;
pub mod bench_living;
pub mod bench_reports;
pub mod chunked;
pub mod datum;
pub mod defaults;
pub mod document;
pub mod gazetteer;
pub mod geocode;
pub mod import;
pub mod listing;
pub mod plan;
pub mod report;
pub mod spatial;
pub mod stats;
pub mod store;
pub mod text;
pub mod vocab;

pub use atlas::Atlas;
