//! A change to a few located features of an index: the index made after a correction.
//!
//! Input: the index and the changed entries (position, new WGS-84 geometry or `None` when no
//! longer located). Output: a new index sharing every unchanged shape and the tree itself. A
//! place corrected in a hundred reports moves a hundred entries; copying a tree of thousands
//! to move them cost more than the rest of the correction, so the shared tree is left as it
//! is, the moved entries are masked in it and answered from a short list of their own, and
//! one tree is built again only when the moved entries grow past a share of the whole
//! ([`MOVED_SHARE`]): the cost of a change is linear in what it moved plus a flag per entry,
//! and a rebuild's cost is spread over the changes that made it necessary.

use std::sync::Arc;

use geo::{BoundingRect, Geometry};
use rstar::RTreeObject;

use super::{BBox, Entry, SpatialIndex, bbox_of};

/// One tree is built again when the moved entries pass this share of the entries answering
/// (or [`MOVED_FLOOR`], whichever is more): queries then look in two trees, the second small.
const MOVED_SHARE: usize = 4;
/// Moved entries always kept beside the shared tree, however small the index.
const MOVED_FLOOR: usize = 64;

impl SpatialIndex {
    /// The index with the geometries at these indices replaced (`None`: no longer located),
    /// the rest shared. A changed geometry is its own shape for near's grouping (grouping only
    /// saves measures; answers are the same).
    #[must_use]
    pub fn with_replaced(&self, changed: Vec<(usize, Option<Geometry<f64>>)>) -> SpatialIndex {
        let n = self.geometries.len();
        let changed: Vec<(usize, Option<Geometry<f64>>)> =
            changed.into_iter().filter(|(i, _)| *i < n).collect();
        let mut same_as = self.same_as.clone();
        let mut stale = if self.stale.is_empty() {
            vec![false; n]
        } else {
            self.stale.clone()
        };
        // The boxes of the entries that stop answering (the old geometries of the changed).
        let gone: Vec<geo::Rect<f64>> = changed
            .iter()
            .filter_map(|(i, _)| self.geometries[*i].as_ref()?.bounding_rect())
            .collect();
        let mut now_moved = vec![false; n];
        for (i, _) in &changed {
            now_moved[*i] = true;
        }
        // Entries of the shared tree that answered until now stop answering.
        let mut in_tree = self.live - self.moved.len();
        for (i, _) in &changed {
            if !stale[*i] && self.geometries[*i].is_some() {
                in_tree -= 1;
            }
            stale[*i] = true;
        }
        let mut moved: Vec<Entry> = self
            .moved
            .iter()
            .filter(|e| !now_moved[e.index])
            .cloned()
            .collect();
        // An index changed twice in one call takes its last geometry, and one entry.
        let mut last: Vec<(usize, Option<Arc<Geometry<f64>>>)> = changed
            .into_iter()
            .rev()
            .map(|(i, g)| (i, g.map(Arc::new)))
            .collect();
        // Stable: of equal indices the last change, first after the reversal, is kept.
        last.sort_by_key(|(i, _)| *i);
        last.dedup_by_key(|(i, _)| *i);
        for (i, g) in &last {
            if let Some(r) = g.as_ref().and_then(|g| g.bounding_rect()) {
                moved.push(Entry::new(*i, r));
            }
        }
        let geometries = crate::chunked::Chunked::derive(
            Some(&self.geometries),
            n,
            |i| !now_moved[i],
            |i| match last.binary_search_by_key(&i, |(j, _)| *j) {
                Ok(k) => last[k].1.clone(),
                Err(_) => self.geometries[i].clone(),
            },
        );
        for (j, first) in same_as.iter_mut().enumerate() {
            if now_moved[*first] || now_moved[j] {
                *first = j;
            }
        }
        let live = in_tree + moved.len();
        if moved.len() > MOVED_FLOOR.max(live / MOVED_SHARE) {
            let entries: Vec<Entry> = self
                .tree
                .iter()
                .filter(|e| !stale[e.index])
                .cloned()
                .chain(moved)
                .collect();
            return SpatialIndex::built(entries, same_as, geometries);
        }
        // The box grows by the moved entries; it can shrink only where an entry that stopped
        // answering touched its edge, and only then are the entries answering read again.
        let shrinks = self.extent.is_none_or(|x| {
            gone.iter().any(|r| {
                r.min().x <= x.min_lon
                    || r.min().y <= x.min_lat
                    || r.max().x >= x.max_lon
                    || r.max().y >= x.max_lat
            })
        });
        let answering: Box<dyn Iterator<Item = &Entry>> = if shrinks {
            Box::new(self.tree.iter().filter(|e| !stale[e.index]).chain(&moved))
        } else {
            Box::new(moved.iter())
        };
        let extent = answering
            .map(RTreeObject::envelope)
            .map(|e| bbox_of(&e))
            .chain(self.extent.filter(|_| !shrinks))
            .reduce(|a, b| BBox {
                min_lon: a.min_lon.min(b.min_lon),
                min_lat: a.min_lat.min(b.min_lat),
                max_lon: a.max_lon.max(b.max_lon),
                max_lat: a.max_lat.max(b.max_lat),
            });
        SpatialIndex {
            tree: Arc::clone(&self.tree),
            stale,
            moved,
            live,
            extent,
            geometries,
            same_as,
        }
    }
}
