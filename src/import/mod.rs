//! The offline path: an OpenStreetMap extract (`.osm.pbf`) → gazetteer entries with sourced
//! geometry (`planmap gazetteer import-osm FILE.osm.pbf [--bbox minLon,minLat,maxLon,maxLat]`).
//!
//! Input: the bytes of an `.osm.pbf` file as any `impl Read + Send` (this module opens no
//! file), the label to name it by in `source` strings and errors, and an optional bounding box
//! `minLon,minLat,maxLon,maxLat` in WGS-84 degrees. Output: a GeoJSON `FeatureCollection` string
//! in the entry format of `geodata/README.md` (one Feature per line, ready to be saved as
//! `geodata/osm-import-<name>.geojson`) and an [`ImportSummary`] of what was kept and skipped.
//!
//! What is kept, each entry with `match = "exact"`, `source` starting `OSM node/…` or
//! `OSM way/…` plus "© OpenStreetMap contributors, ODbL":
//!
//! | OSM | entry | geometry | layer | `uncertainty_m` |
//! |---|---|---|---|---|
//! | named `highway=*` ways | one per name, kind 路/街/巷/立交/… from the name's end | `LineString` if the ways chain into one line, else `MultiLineString` | streets | 10 (one way), 25 (merged) |
//! | named `railway=rail\|subway\|monorail\|light_rail` ways | one per name, kind 轨道线 | as roads | streets | as roads |
//! | named `railway=station\|halt`, `public_transport=station` | kind 站, named as the station file's loader names them (大坪 + alias 大坪站) | Point | projects | 10 |
//! | named `place=*` below city level (not `city`, `county`, `province` …) | kind from the value (片区, 社区, 村 …) | Point, or Polygon for a closed way | zones | 10 |
//! | named `leisure=park`, `natural=water`, `waterway=riverbank`, `landuse=*` | 公园, 水体, … | Polygon for a closed way, else Point | zones | 10 |
//! | named `amenity`, `shop`, `tourism`, `historic`, `leisure`, `office`, `building` | kind from the tag (学校, 医院, 楼宇 …) | Point, or Polygon for a closed way not tagged `area=no` | projects | 10 |
//!
//! Names are the `name` tag (else `name:zh`), normalised with [`crate::gazetteer::normalise_name`];
//! aliases are `name:zh`, `alt_name`, `old_name` and `short_name` (split at `;`) when they
//! differ from the name. Coordinates are WGS-84 lon/lat rounded to 7 decimals (1 cm);
//! polygon outer rings are closed and counter-clockwise. Every entry is marked
//! `outside_district: true`: an extract is cut by a rectangle, not by the district boundary,
//! so the atlas keeps the entries that touch the district and leaves the rest out of the
//! planning layers instead of refusing the file.
//!
//! The bounding box keeps a node inside it and a way with at least one node inside it; ways
//! are kept whole, not clipped. Without a box everything in the file is kept.
//!
//! **Skipped:** relations. Multipolygon parks, lakes and river banks (in Chongqing the two
//! rivers are multipolygons) and route relations are not assembled, because a single pass
//! over a stream cannot know which unnamed ways a later relation will need; they are counted
//! in [`ImportSummary::skipped_relations`]. Roads still come in through their ways. Also
//! skipped and counted: features with no name, and named ways whose nodes are missing from
//! the extract (a way cut by the extract's edge keeps the runs of nodes it has, as separate
//! lines; an area missing any node is skipped rather than drawn with a wrong outline).
//!
//! **Cost:** one sequential pass. Every node's position is kept in a
//! `HashMap<i64, [i32; 2]>` (id → decimicrodegrees) so ways can be resolved whatever the
//! order of the file: about 20–40 bytes per node, e.g. 20–40 MB for a district extract of
//! a million nodes and around 1 GB for the 25 million nodes of a whole-province file, so cut
//! large files first (`osmium extract --bbox`). Candidate ways are buffered with their node
//! ids (8 bytes per reference). Merging the ways of one name costs O(n) per part with an
//! endpoint index.
//!
//! **Bad input:** anything that is not a complete `.osm.pbf` (garbage, JSON, an empty file, a
//! file cut inside a block, a file whose header requires features this reader lacks) gives
//! [`ImportError::Osm`] naming the file. A file cut exactly between two blocks cannot be
//! told from a shorter complete file; the PBF format has no end marker.

//!
//! # Layout
//! One stage per file, in the order the data flows: `pbf` reads the file (positions and
//! candidates), `classify` decides category, kind and names from the tags, `lines` merges
//! the ways of one name, `geometry` builds shapes from positions, `entries` assembles and
//! counts the entries, `write` serialises them.

mod classify;
mod entries;
mod geometry;
mod lines;
mod pbf;
mod write;

use std::fmt;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use thiserror::Error;

pub use geometry::{Position, parse_bbox};
pub use lines::merge_lines;

use geometry::Bbox;

/// The attribution every imported `source` ends with (`ODbL` 1.0 requires it).
pub const ATTRIBUTION: &str = "© OpenStreetMap contributors, ODbL";

/// Why an import failed; names the input.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The input is not a complete, readable `.osm.pbf`, or the options are invalid.
    #[error("{file}: {message}")]
    Osm {
        /// The input's label (usually its file name).
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// What to import and how to name the input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// Keep only features inside `minLon,minLat,maxLon,maxLat` (WGS-84 degrees); `None`
    /// keeps the whole file.
    pub bbox: Option<[f64; 4]>,
    /// The input's name (usually its file name), used in `source` strings and errors.
    pub file_label: String,
}

/// How many entries of each kind an import wrote, and how many features it left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Road entries (one per name, merged from its `highway` ways).
    pub roads: usize,
    /// `place=*` entries.
    pub places: usize,
    /// Points of interest and named buildings.
    pub pois: usize,
    /// Parks, water and land-use areas.
    pub areas: usize,
    /// Railway and metro line entries (one per name).
    pub railways: usize,
    /// Station entries.
    pub stations: usize,
    /// Features of a kept kind inside the box but without a name.
    pub skipped_unnamed: usize,
    /// Named ways (inside the box, when one is given) left out because too few of their
    /// nodes are in the file to draw them.
    pub skipped_incomplete: usize,
    /// Named relations of a kept kind (multipolygons, routes) in the whole file: not imported.
    pub skipped_relations: usize,
}

impl ImportSummary {
    /// Entries written: everything but the skipped counts.
    #[must_use]
    pub fn entries(&self) -> usize {
        self.roads + self.places + self.pois + self.areas + self.railways + self.stations
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} entries: {} roads, {} railways, {} stations, {} places, {} areas, {} POIs; \
             skipped {} unnamed, {} incomplete ways, {} relations",
            self.entries(),
            self.roads,
            self.railways,
            self.stations,
            self.places,
            self.areas,
            self.pois,
            self.skipped_unnamed,
            self.skipped_incomplete,
            self.skipped_relations
        )
    }
}

/// Reads an `.osm.pbf`, keeps the named features (inside `options.bbox` when given) and
/// returns them as a GeoJSON `FeatureCollection` in the gazetteer entry format of
/// `geodata/README.md`, plus counts. See the module docs for what is kept and skipped.
///
/// # Errors
/// [`ImportError::Osm`] naming `options.file_label` when the input is not a complete,
/// readable `.osm.pbf` or the box is invalid. Never panics on bad input.
pub fn import_osm<R: Read + Send>(
    reader: R,
    options: &ImportOptions,
) -> Result<(String, ImportSummary), ImportError> {
    let file = options.file_label.as_str();
    let osm_error = |message: String| ImportError::Osm {
        file: file.to_string(),
        message,
    };
    let bbox = options.bbox.map(Bbox::new).transpose().map_err(osm_error)?;
    // osmpbf does unchecked integer arithmetic on coordinates and delta codes, which panics
    // on crafted input in debug builds; a bad file must come back as an error, not a crash.
    let extract = catch_unwind(AssertUnwindSafe(|| {
        pbf::read_extract(reader, bbox.as_ref())
    }))
    .map_err(|_| osm_error("malformed .osm.pbf: the PBF decoder gave up on its data".into()))?
    .map_err(osm_error)?;
    let (entries, summary) = entries::build_entries(extract, bbox.as_ref(), file);
    Ok((write::feature_collection(&entries), summary))
}
