//! Time in the OGC API: a planned feature's time is its report's year (the calendar year the
//! report plans), so `datetime` selects reports and a collection's temporal extent spans the
//! years of the reports that have features in it. Context layers (district, stations) are
//! background of no report and have no time: `datetime` leaves them whole.
//!
//! Input: the store's report list (`FeatureStore::reports`, id, year and per-layer counts) and
//! the `datetime` parameter. Output: report ids, or the extent as RFC 3339 instants.

use serde_json::{Value, json};

use super::ApiError;
use super::params::Params;
use crate::plan::{Interval, Layer};
use crate::store::FeatureStore;

/// One loaded report's id, year (when stated) and how many features it has per collection.
struct Dated {
    id: String,
    year: Option<i32>,
    counts: Value,
}

fn dated(store: &dyn FeatureStore) -> Vec<Dated> {
    let list: Value = serde_json::from_str(store.reports()).unwrap_or(Value::Null);
    list["reports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            Some(Dated {
                id: r["id"].as_str()?.to_string(),
                year: r["year"].as_i64().and_then(|y| i32::try_from(y).ok()),
                counts: r["counts"].clone(),
            })
        })
        .collect()
}

/// The reports a request keeps once `datetime` is applied to its `report` selection
/// (`selected`, empty for all): `None` when `datetime` is absent (keep the selection as it
/// is), else the ids whose year meets the interval, possibly none. A report without a year
/// has no time and never meets one.
///
/// # Errors
/// A 400 naming `datetime` when it is not an RFC 3339 instant or interval.
pub fn datetime_reports(
    p: &Params,
    store: &dyn FeatureStore,
    selected: &[String],
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(text) = p.get("datetime") else {
        return Ok(None);
    };
    let interval = Interval::parse(text).map_err(|e| ApiError::bad("datetime", e.to_string()))?;
    Ok(Some(
        dated(store)
            .into_iter()
            .filter(|r| selected.is_empty() || selected.contains(&r.id))
            .filter(|r| r.year.is_some_and(|y| interval.meets_year(y)))
            .map(|r| r.id)
            .collect(),
    ))
}

/// A collection's `extent.temporal`: from the first day of the earliest year to the last of
/// the latest among the reports with features in it; `None` for a context layer or when no
/// such report states its year.
#[must_use]
pub fn temporal_extent(store: &dyn FeatureStore, collection: &str) -> Option<Value> {
    Layer::parse(collection)?;
    let years: Vec<i32> = dated(store)
        .into_iter()
        .filter(|r| r.counts[collection].as_u64().is_some_and(|n| n > 0))
        .filter_map(|r| r.year)
        .collect();
    let (first, last) = (years.iter().min()?, years.iter().max()?);
    Some(json!({
        "interval": [[format!("{first}-01-01T00:00:00Z"), format!("{last}-12-31T23:59:59Z")]],
        "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
    }))
}
