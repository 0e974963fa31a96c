//! planmap's integration tests, as one test binary (one link instead of one per file).
//!
//! Tiers, as in STYLE.md: a tiny fixture atlas built in code for exact assertions
//! (`common::fixture_atlas`), the real seed and geodata through the whole pipeline, the HTTP
//! app in-process and over a real socket, and the built binary for start-up faults. Reading is
//! judged on our own dev corpus and on held-out texts in `tests/fixtures/`.

#![allow(
    clippy::unwrap_used,
    reason = "a test that meets the unexpected panics; that is how it fails"
)]

mod api;
mod cli_store;
mod common;
mod conformance;
mod corrections;
mod crash;
mod datum_vectors;
mod hostile;
mod living;
mod near;
mod osm_import;
mod page_assets;
mod pg;
mod pg_replicas;
mod pg_store;
mod pipeline;
mod placement_store;
mod reading;
mod report;
mod reports;
mod segments;
mod startup;
mod store_contract;
mod uploads;
