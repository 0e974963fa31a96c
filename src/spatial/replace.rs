//! A change to a few located features of an index: the index made after a correction.
//!
//! Input: the index and the changed entries (position, new WGS-84 geometry or `None` when no
//! longer located). Output: a new index sharing every unchanged shape. The tree of small
//! entries is copied, the changed entries are drained from it in one pass (a place corrected
//! in a hundred reports has a hundred entries with the same box, which removing them one by
//! one would search a hundred times each) and inserted again.

use std::collections::HashSet;
use std::sync::Arc;

use geo::{BoundingRect, Geometry};
use rstar::{AABB, Envelope, RTreeObject, SelectionFunction};

use super::{Entry, SpatialIndex};

/// Selects the entries at the given positions, looking only under boxes that meet one of
/// theirs.
struct Positions<'a> {
    wanted: &'a HashSet<usize>,
    /// The union of the wanted entries' boxes.
    area: AABB<[f64; 2]>,
}

impl SelectionFunction<Entry> for Positions<'_> {
    fn should_unpack_parent(&self, envelope: &AABB<[f64; 2]>) -> bool {
        envelope.intersects(&self.area)
    }

    fn should_unpack_leaf(&self, entry: &Entry) -> bool {
        self.wanted.contains(&entry.index)
    }
}

impl SpatialIndex {
    /// The index with the geometries at these indices replaced (`None`: no longer located),
    /// the rest shared: the tree is copied (small entries, no shapes) and the changed
    /// entries drained and inserted, so the cost is linear in the entries with a small
    /// constant, not in the shapes' coordinates. A changed geometry is its own shape for
    /// near's grouping (grouping only saves measures; answers are the same).
    #[must_use]
    pub fn with_replaced(&self, changed: Vec<(usize, Option<Geometry<f64>>)>) -> SpatialIndex {
        let mut tree = self.tree.clone();
        let mut geometries = self.geometries.clone();
        let mut same_as = self.same_as.clone();
        let changed: Vec<(usize, Option<Geometry<f64>>)> = changed
            .into_iter()
            .filter(|(i, _)| *i < geometries.len())
            .collect();
        let moved: HashSet<usize> = changed.iter().map(|(i, _)| *i).collect();
        let old_boxes: Vec<AABB<[f64; 2]>> = changed
            .iter()
            .filter_map(|(i, _)| geometries[*i].as_ref()?.bounding_rect())
            .map(|r| Entry::new(0, r).envelope())
            .collect();
        if let Some(area) = old_boxes.into_iter().reduce(|a, b| a.merged(&b)) {
            let drained = tree
                .drain_with_selection_function(Positions {
                    wanted: &moved,
                    area,
                })
                .count();
            debug_assert!(drained <= moved.len());
        }
        for (i, g) in changed {
            geometries[i] = g.map(Arc::new);
            if let Some(r) = geometries[i].as_ref().and_then(|g| g.bounding_rect()) {
                tree.insert(Entry::new(i, r));
            }
        }
        for (j, first) in same_as.iter_mut().enumerate() {
            if moved.contains(first) || moved.contains(&j) {
                *first = j;
            }
        }
        SpatialIndex {
            tree,
            geometries,
            same_as,
        }
    }
}
