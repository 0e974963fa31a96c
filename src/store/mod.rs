//! The store traits the API depends on, and durable state beside the read-only atlas.
//!
//! - [`feature`]: the [`FeatureStore`] trait, the read model the API serves from (the
//!   in-memory atlas implements it), with its query and answer types.
//! - [`placement`]: the [`placement::PlacementStore`] trait, its types and the shared input
//!   checks; storage-agnostic so a PostgreSQL implementation can follow.
//! - [`gpkg`]: the embedded default, one GeoPackage file in the data folder.

pub mod feature;
pub mod gpkg;
pub mod placement;

pub use feature::{
    CollectionCount, CollectionInfo, DistrictWide, FeatureStore, FeatureText, HealthInfo,
    ItemsPage, ItemsQuery, NearAnswer, NearHit, NearQuery, SearchHit, StoreError,
};
