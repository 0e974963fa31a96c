//! Durable state beside the read-only atlas: planners' corrections and editor accounts.
//!
//! - [`placement`]: the [`placement::PlacementStore`] trait, its types and the shared input
//!   checks; storage-agnostic so a PostgreSQL implementation can follow.
//! - [`gpkg`]: the embedded default, one GeoPackage file in the data folder.

pub mod gpkg;
pub mod placement;
