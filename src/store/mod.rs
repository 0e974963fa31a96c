//! The store traits the API depends on, and durable state beside the read-only atlas.
//!
//! - [`feature`]: the [`FeatureStore`] trait, the read model the API serves from (the
//!   in-memory atlas implements it), with its query and answer types.
//! - [`placement`]: the [`placement::PlacementStore`] trait, its types and the shared input
//!   checks; storage-agnostic so a PostgreSQL implementation can follow.
//! - [`changes`]: the [`changes::ChangeStore`] trait: uploaded reports, planners' verdicts
//!   on readings and the change log every write appends to (issue #21).
//! - [`gpkg`]: the embedded default, one GeoPackage file in the data folder.
//! - [`postgres`]: PostgreSQL + PostGIS for several servers on one database (issue #22).
//! - [`snapshot`]: a whole store as values, to copy it between engines and checksum the copy.
//! - [`secret`]: editor secrets and their hashes, shared by both stores.
//! - [`unavailable`]: the stand-in when the data folder cannot be opened (writes answer 503).
//! - [`corrected`]: what a rebuild after a correction returns, and the correction statistics.

pub mod changes;
pub mod corrected;
pub mod feature;
pub mod gpkg;
pub mod placement;
pub mod postgres;
pub mod secret;
pub mod snapshot;
pub mod unavailable;

pub use feature::{
    CollectionCount, CollectionInfo, DistrictWide, FeatureStore, FeatureText, Head, HealthInfo,
    ItemsPage, ItemsQuery, NearAnswer, NearHit, NearQuery, SearchHit, StoreError,
};
