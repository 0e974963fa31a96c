//! The spatial index: an R-tree (rstar) over feature envelopes, with bbox and near queries whose
//! distances are true metres on the sphere.
//!
//! Input: WGS-84 geometries (lon/lat degrees), each with the caller's index. Output: indices,
//! and for `near` the distance in metres to each geometry (0 when the point is inside a
//! polygon or on a line), sorted ascending.
//!
//! Costs: [`SpatialIndex::new`] bulk-loads in O(n log n) and finds equal geometries by sorting
//! their hashes (O(n log n), 16 bytes per feature while building, 8 kept). A query walks the
//! tree for envelopes that meet the search box in O(log n + k), then measures each distinct
//! shape among the k candidates exactly once (Haversine distance to the closest point of the
//! geometry, O(vertices)). rstar's own
//! distances would be squared degrees, which are not metres and not even isotropic at 29.5°N,
//! so the tree only proposes candidates. Before measuring, a candidate whose envelope is
//! provably farther than the radius (a spherical lower bound, a few float operations) is
//! dropped: the exact measure is most of a near query's cost, and the square search box
//! proposes features in its corners that the circle does not reach.

mod bbox;
mod range;
mod replace;

use bbox::bbox_of;
pub use bbox::{BBox, BBoxError, four_numbers};
pub use range::{Inside, classify};

use geo::{
    BoundingRect, Closest, Contains, CoordsIter, Distance, Geometry, Haversine,
    HaversineClosestPoint, Intersects, Line, LineString, Point, Rect,
};
use rstar::{AABB, Envelope, RTree, RTreeObject};

/// Metres per degree of latitude, a lower bound (the ellipsoid's minimum is 110 574 m), so the
/// search box is never too small.
const M_PER_DEG_LAT_MIN: f64 = 110_000.0;

/// Earth radius for lower bounds, metres: a little under the GRS80 mean radius geo's
/// Haversine uses, so a bound computed with it never exceeds the true Haversine distance.
const R_LOWER_BOUND_M: f64 = 6_371_000.0;

/// The query point, with what every lower bound needs computed once.
#[derive(Debug, Clone, Copy)]
struct Probe {
    p: Point<f64>,
    cos_lat: f64,
}

impl Probe {
    fn new(p: Point<f64>) -> Probe {
        Probe {
            p,
            cos_lat: p.y().to_radians().cos().max(0.0),
        }
    }

    /// A lower bound, in metres, of the Haversine distance from the probe to any point of
    /// the great-circle arcs between vertices that lie in the box `lower`..`upper` (degrees),
    /// where `cos_far` is at most the cosine of every latitude in the box.
    ///
    /// From the haversine formula, hav(d/R) = hav(Δφ) + cos φp·cos φq·hav(Δλ), and each term
    /// is at least its value at the box's nearest latitude and longitude and least cosine;
    /// sin x ≥ x − x³/6 and asin z ≥ z keep it free of trigonometry (it runs once per
    /// candidate and per segment, where the exact measure costs a dozen trigonometric calls).
    /// An arc can bow poleward out of its vertices' box, by about L²·sin φ/(8R·cos³ φ) for an
    /// arc of length L ≤ the box's diagonal; the bound subtracts ten times L²/R plus a metre,
    /// which covers latitudes up to ~75°. Returns 0 (no pruning) across the antimeridian.
    fn lower_bound_m(&self, lower: [f64; 2], upper: [f64; 2], cos_far: f64) -> f64 {
        let ([lon1, lat1], [lon2, lat2]) = (lower, upper);
        let (lon, lat) = (self.p.x(), self.p.y());
        if (lon - lon1).abs() > 180.0 || (lon2 - lon).abs() > 180.0 {
            return 0.0;
        }
        let half_d_lat = (lat1 - lat).max(lat - lat2).max(0.0).to_radians() / 2.0;
        let half_d_lon = (lon1 - lon).max(lon - lon2).max(0.0).to_radians() / 2.0;
        if half_d_lat == 0.0 && half_d_lon == 0.0 {
            return 0.0;
        }
        let sin_lb = |x: f64| (x - x * x * x / 6.0).max(0.0);
        let h = sin_lb(half_d_lat).powi(2) + self.cos_lat * cos_far * sin_lb(half_d_lon).powi(2);
        let diagonal_rad_sq =
            (lat2 - lat1).to_radians().powi(2) + (lon2 - lon1).to_radians().powi(2);
        let bow_m = 1.0 + 10.0 * R_LOWER_BOUND_M * diagonal_rad_sq;
        (2.0 * R_LOWER_BOUND_M * h.sqrt() - bow_m).max(0.0)
    }

    /// [`Probe::lower_bound_m`] for a tree entry's envelope.
    fn entry_bound_m(&self, entry: &Entry) -> f64 {
        self.lower_bound_m(
            entry.envelope.lower(),
            entry.envelope.upper(),
            entry.cos_far,
        )
    }

    /// [`Probe::lower_bound_m`] for one segment.
    fn line_bound_m(&self, line: Line<f64>, cos_far: f64) -> f64 {
        let (a, b) = (line.start, line.end);
        self.lower_bound_m(
            [a.x.min(b.x), a.y.min(b.y)],
            [a.x.max(b.x), a.y.max(b.y)],
            cos_far,
        )
    }
}

/// The least cosine of the latitudes between `lat1` and `lat2` (degrees): cos is concave on
/// −90°..90°, so it is at an end.
fn cos_far(lat1: f64, lat2: f64) -> f64 {
    lat1.to_radians()
        .cos()
        .min(lat2.to_radians().cos())
        .max(0.0)
}

/// One entry of the tree: a geometry's envelope and the caller's index.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    index: usize,
    envelope: AABB<[f64; 2]>,
    /// The least cosine of the envelope's latitudes, for lower bounds without trigonometry.
    cos_far: f64,
}

impl Entry {
    fn new(index: usize, r: Rect<f64>) -> Entry {
        Entry {
            index,
            envelope: AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
            cos_far: cos_far(r.min().y, r.max().y),
        }
    }
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// The geometries of an index by position, `None` for an unlocated item: shared (`Arc`) and
/// in shared chunks, so the index after a change copies neither shapes nor pointers to them.
type Geometries = crate::chunked::Chunked<Option<std::sync::Arc<Geometry<f64>>>>;

/// An R-tree over geometries, read-only once built; [`SpatialIndex::with_replaced`] makes
/// the next one from it, sharing every unchanged geometry and the tree itself: the entries a
/// change moved are masked in the shared tree (`stale`) and kept in a short list beside it
/// (`moved`), until there are enough of them to build one tree again (`spatial::replace`).
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    /// The tree as built last, shared by the indexes changes made from it.
    tree: std::sync::Arc<RTree<Entry>>,
    /// By index: whether its entry in `tree` no longer answers (it moved, or is no longer
    /// located); empty when none is.
    stale: Vec<bool>,
    /// The entries of the geometries moved since `tree` was built: at most a quarter of the
    /// entries, scanned whole by a query (a flat list copies without a tree's nodes).
    moved: Vec<Entry>,
    /// Entries answering: those of `tree` not stale, and `moved`.
    live: usize,
    /// The box of the entries answering.
    extent: Option<BBox>,
    /// Shared (`Arc`) so the index made after a change copies pointers, not shapes.
    geometries: Geometries,
    /// For each geometry, the first index with an identical one: features placed as part of a
    /// zone share its shape (a third of the district's located features), and near measures a
    /// shape once per query.
    same_as: Vec<usize>,
}

/// For each geometry, the first index holding an equal geometry (itself when none earlier).
/// Sorting (hash, index) pairs keeps this to one flat allocation at a million features.
fn first_equal(geometries: &Geometries) -> Vec<usize> {
    use std::hash::{Hash, Hasher};
    let mut keyed: Vec<(u64, usize)> = geometries
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let g = g.as_ref()?;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::mem::discriminant(g.as_ref()).hash(&mut h);
            for c in g.coords_iter() {
                (c.x.to_bits(), c.y.to_bits()).hash(&mut h);
            }
            Some((h.finish(), i))
        })
        .collect();
    keyed.sort_unstable();
    let mut same_as: Vec<usize> = (0..geometries.len()).collect();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        // Equal hashes are confirmed with `==`: a collision costs a comparison, never a merge.
        for (k, &(_, i)) in run.iter().enumerate() {
            if let Some(&(_, first)) = run[..k]
                .iter()
                .find(|&&(_, j)| same_as[j] == j && geometries[j] == geometries[i])
            {
                same_as[i] = first;
            }
        }
    }
    same_as
}

/// Distance in metres from a point to a geometry: 0 inside a polygon or on it, otherwise the
/// Haversine distance to its closest point, as geo's `HaversineClosestPoint` finds it.
///
/// Lines and polygons are measured segment by segment with geo's closest point on each, like
/// geo does, but a segment whose lower bound is no nearer than the best found so far is not
/// measured: the answer is the same minimum, and the cost falls to about one exact measure per
/// geometry instead of one per segment.
#[must_use]
pub fn distance_m(geometry: &Geometry<f64>, p: Point<f64>) -> f64 {
    let cos_far = geometry
        .bounding_rect()
        .map_or(0.0, |r| cos_far(r.min().y, r.max().y));
    measure_m(geometry, &Probe::new(p), cos_far)
}

/// [`distance_m`] with the probe and the geometry's least latitude cosine already known (near
/// has them from the query and the tree entry).
fn measure_m(geometry: &Geometry<f64>, probe: &Probe, cos_far: f64) -> f64 {
    let p = probe.p;
    let nearest = match geometry {
        Geometry::LineString(ls) if ls.0.len() >= 2 => {
            nearest_segment_m(|| ls.lines(), probe, cos_far)
        }
        Geometry::Polygon(poly) if poly.exterior().0.len() >= 3 => {
            // Inside or on the boundary (one ring walk; `contains` would be a second).
            if poly.intersects(&p) {
                return 0.0;
            }
            let lines = || {
                poly.exterior()
                    .lines()
                    .chain(poly.interiors().iter().flat_map(LineString::lines))
            };
            nearest_segment_m(lines, probe, cos_far)
        }
        _ => None,
    };
    nearest.unwrap_or_else(|| geo_distance_m(geometry, p))
}

/// The least Haversine distance from the probe to the segments `lines()` yields, measuring the
/// one with the least bound first and then only those whose bound is under the best so far;
/// `None` when geo cannot tell a segment's closest point (then the caller asks geo for the
/// whole). The second pass recomputes bounds rather than storing them: a bound is a dozen
/// float operations, less than an allocation per geometry.
fn nearest_segment_m<I>(lines: impl Fn() -> I, probe: &Probe, cos_far: f64) -> Option<f64>
where
    I: Iterator<Item = Line<f64>>,
{
    let p = probe.p;
    let exact = |line: Line<f64>| match line.haversine_closest_point(&p) {
        Closest::Intersection(_) => Some(0.0),
        Closest::SinglePoint(q) => Some(Haversine.distance(q, p)),
        Closest::Indeterminate => None,
    };
    let (first, _) = lines()
        .enumerate()
        .map(|(i, l)| (i, probe.line_bound_m(l, cos_far)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let mut best = exact(lines().nth(first)?)?;
    for (i, line) in lines().enumerate() {
        if best == 0.0 {
            break;
        }
        if i != first && probe.line_bound_m(line, cos_far) < best {
            best = best.min(exact(line)?);
        }
    }
    Some(best)
}

/// [`distance_m`] by geo alone, measuring every segment: the fallback for other geometry
/// types and the reference the pruned measure is tested against.
fn geo_distance_m(geometry: &Geometry<f64>, p: Point<f64>) -> f64 {
    let inside = match geometry {
        Geometry::Polygon(poly) => poly.contains(&p) || poly.intersects(&p),
        Geometry::MultiPolygon(mp) => mp.contains(&p) || mp.intersects(&p),
        _ => false,
    };
    if inside {
        return 0.0;
    }
    match geometry.haversine_closest_point(&p) {
        Closest::Intersection(_) => 0.0,
        Closest::SinglePoint(q) => Haversine.distance(p, q),
        // Several equally close points: any vertex distance bounds it; take the nearest vertex.
        Closest::Indeterminate => geometry
            .coords_iter()
            .map(|c| Haversine.distance(p, Point::from(c)))
            .fold(f64::INFINITY, f64::min),
    }
}

impl SpatialIndex {
    /// Bulk-loads the index. `None` geometries (unlocated items) are kept out of the tree but
    /// keep their index, so callers can use one numbering for everything.
    #[must_use]
    pub fn new(geometries: Vec<Option<Geometry<f64>>>) -> SpatialIndex {
        let geometries: Geometries = geometries
            .into_iter()
            .map(|g| g.map(std::sync::Arc::new))
            .collect();
        let entries = geometries
            .iter()
            .enumerate()
            .filter_map(|(index, g)| Some(Entry::new(index, g.as_ref()?.bounding_rect()?)))
            .collect();
        SpatialIndex::built(entries, first_equal(&geometries), geometries)
    }

    /// The index with one tree of these entries and nothing moved.
    fn built(entries: Vec<Entry>, same_as: Vec<usize>, geometries: Geometries) -> SpatialIndex {
        let tree = RTree::bulk_load(entries);
        let extent = (tree.size() > 0).then(|| bbox_of(&tree.root().envelope()));
        SpatialIndex {
            live: tree.size(),
            tree: std::sync::Arc::new(tree),
            stale: Vec::new(),
            moved: Vec::new(),
            extent,
            same_as,
            geometries,
        }
    }

    /// Whether `index`'s entry in the shared tree no longer answers.
    fn is_stale(&self, index: usize) -> bool {
        self.stale.get(index).copied().unwrap_or(false)
    }

    /// The entries answering that meet `envelope`.
    fn meeting<'a>(&'a self, envelope: &AABB<[f64; 2]>) -> impl Iterator<Item = &'a Entry> {
        self.tree
            .locate_in_envelope_intersecting(envelope)
            .filter(|e| !self.is_stale(e.index))
            .chain(
                self.moved
                    .iter()
                    .filter(|e| e.envelope.intersects(envelope)),
            )
    }

    /// The box of every indexed geometry, `None` when nothing is located.
    #[must_use]
    pub fn extent(&self) -> Option<BBox> {
        self.extent
    }

    /// Number of geometries indexed (located ones).
    #[must_use]
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when nothing is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Indices of geometries that intersect the box, ascending.
    #[must_use]
    pub fn within_bbox(&self, bbox: BBox) -> Vec<usize> {
        let rect = bbox.rect();
        let envelope =
            AABB::from_corners([bbox.min_lon, bbox.min_lat], [bbox.max_lon, bbox.max_lat]);
        let mut out: Vec<usize> = self
            .meeting(&envelope)
            .filter(|e| {
                self.geometries[e.index]
                    .as_ref()
                    .is_some_and(|g| g.intersects(&rect))
            })
            .map(|e| e.index)
            .collect();
        out.sort_unstable();
        out
    }

    /// Geometries within `radius_m` metres of (`lon`, `lat`), nearest first, as
    /// `(index, distance_m)`; ties keep index order. `keep` filters candidates before they
    /// are measured; at most `limit` are returned.
    #[must_use]
    pub fn near(
        &self,
        lon: f64,
        lat: f64,
        radius_m: f64,
        limit: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f64)> {
        let p = Point::new(lon, lat);
        let probe = Probe::new(p);
        let d_lat = radius_m / M_PER_DEG_LAT_MIN;
        // The widest a degree of longitude gets inside the box is at its pole-ward edge.
        let edge_lat = (lat.abs() + d_lat).min(89.0).to_radians();
        let d_lon = (radius_m / (M_PER_DEG_LAT_MIN * edge_lat.cos())).min(360.0);
        let envelope = AABB::from_corners([lon - d_lon, lat - d_lat], [lon + d_lon, lat + d_lat]);
        // Grouped by shape so each shape is measured once.
        let mut candidates: Vec<&Entry> = self
            .meeting(&envelope)
            .filter(|e| keep(e.index) && probe.entry_bound_m(e) <= radius_m)
            .collect();
        candidates.sort_unstable_by_key(|e| (self.same_as[e.index], e.index));
        let mut out: Vec<(usize, f64)> = Vec::with_capacity(candidates.len());
        let mut measured: Option<(usize, f64)> = None;
        for entry in candidates {
            let (shape, index) = (self.same_as[entry.index], entry.index);
            let d = match measured {
                Some((s, d)) if s == shape => d,
                _ => {
                    let Some(g) = self.geometries[shape].as_ref() else {
                        continue;
                    };
                    let d = measure_m(g, &probe, entry.cos_far);
                    measured = Some((shape, d));
                    d
                }
            };
            if d <= radius_m {
                out.push((index, d));
            }
        }
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        out.truncate(limit);
        out
    }

    /// The same answer as [`SpatialIndex::near`] by measuring every geometry: the reference
    /// the index is tested and benchmarked against.
    #[must_use]
    pub fn near_brute_force(
        &self,
        lon: f64,
        lat: f64,
        radius_m: f64,
        limit: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f64)> {
        let p = Point::new(lon, lat);
        let mut out: Vec<(usize, f64)> = self
            .geometries
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .filter_map(|(i, g)| {
                let d = distance_m(g.as_ref()?, p);
                (d <= radius_m).then_some((i, d))
            })
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        out.truncate(limit);
        out
    }

    /// The same answer as [`SpatialIndex::within_bbox`] by testing every geometry.
    #[must_use]
    pub fn within_bbox_brute_force(&self, bbox: BBox) -> Vec<usize> {
        let rect = bbox.rect();
        self.geometries
            .iter()
            .enumerate()
            .filter(|(_, g)| g.as_ref().is_some_and(|g| g.intersects(&rect)))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Deterministic synthetic geometries over central Chongqing (points, short lines and small
/// squares), for benchmarks and property tests: the same `n` and `seed` give the same data.
#[must_use]
pub fn synthetic(n: usize, seed: u64) -> Vec<Option<Geometry<f64>>> {
    // SplitMix64: tiny, well distributed, and stable across versions, unlike an RNG crate.
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    };
    (0..n)
        .map(|i| {
            let lon = 106.40 + next() * 0.25;
            let lat = 29.45 + next() * 0.20;
            let size = 0.000_2 + next() * 0.002;
            Some(match i % 3 {
                0 => Geometry::Point(Point::new(lon, lat)),
                1 => Geometry::LineString(geo::LineString::from(vec![
                    (lon, lat),
                    (lon + size, lat + size * (next() - 0.5)),
                    (lon + 2.0 * size, lat + size),
                ])),
                _ => Geometry::Polygon(geo::Polygon::new(
                    geo::LineString::from(vec![
                        (lon, lat),
                        (lon + size, lat),
                        (lon + size, lat + size),
                        (lon, lat + size),
                        (lon, lat),
                    ]),
                    vec![],
                )),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_index_with_replaced_geometries_answers_as_one_built_from_them() {
        let mut geometries = synthetic(400, 7);
        let old = SpatialIndex::new(geometries.clone());
        let mut changed = Vec::new();
        for (k, i) in (0..400).step_by(37).enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "k is small")]
            let g = (k % 3 != 0).then(|| {
                Geometry::Point(Point::new(
                    106.50 + k as f64 * 0.004,
                    29.53 + k as f64 * 0.002,
                ))
            });
            geometries[i].clone_from(&g);
            changed.push((i, g));
        }
        let replaced = old.with_replaced(changed);
        let fresh = SpatialIndex::new(geometries);
        assert_eq!(replaced.len(), fresh.len());
        assert_eq!(replaced.extent(), fresh.extent());
        for (lon, lat) in [(106.52, 29.54), (106.55, 29.56), (106.58, 29.55)] {
            let all = |_: usize| true;
            assert_eq!(
                replaced.near(lon, lat, 2000.0, 1000, &all),
                fresh.near(lon, lat, 2000.0, 1000, &all)
            );
            let b = BBox::from_corners(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01).unwrap();
            assert_eq!(replaced.within_bbox(b), fresh.within_bbox(b));
        }
    }

    #[test]
    fn an_index_changed_many_times_answers_as_one_built_from_its_geometries() {
        // Thirty changes of up to 25 entries each: the moved entries pass the share at which
        // one tree is built again several times, and each index answers as a fresh one.
        let mut geometries = synthetic(300, 11);
        let mut index = SpatialIndex::new(geometries.clone());
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % m
        };
        for round in 0..30 {
            let mut changed = Vec::new();
            for _ in 0..=next(25) {
                let i = usize::try_from(next(300)).unwrap_or(0);
                #[expect(clippy::cast_precision_loss, reason = "small integers")]
                let g = (next(5) != 0).then(|| {
                    Geometry::Point(Point::new(
                        106.50 + next(1000) as f64 * 0.0001,
                        29.52 + next(1000) as f64 * 0.00006,
                    ))
                });
                geometries[i].clone_from(&g);
                changed.push((i, g));
            }
            index = index.with_replaced(changed);
            let fresh = SpatialIndex::new(geometries.clone());
            assert_eq!(index.len(), fresh.len(), "round {round}");
            assert_eq!(index.extent(), fresh.extent(), "round {round}");
            for (lon, lat) in [(106.52, 29.54), (106.55, 29.55), (106.58, 29.56)] {
                let all = |_: usize| true;
                assert_eq!(
                    index.near(lon, lat, 1500.0, 1000, &all),
                    fresh.near(lon, lat, 1500.0, 1000, &all),
                    "round {round}"
                );
                let b = BBox::from_corners(lon - 0.02, lat - 0.01, lon + 0.02, lat + 0.01).unwrap();
                assert_eq!(index.within_bbox(b), fresh.within_bbox(b), "round {round}");
            }
        }
    }

    #[test]
    fn a_point_inside_a_polygon_is_zero_metres_away() {
        let g = synthetic(3, 7).pop().flatten().expect("a polygon");
        let Geometry::Polygon(poly) = &g else {
            panic!("third is a polygon")
        };
        let c = poly.exterior().0[0];
        let inside = Point::new(c.x + 0.000_05, c.y + 0.000_05);
        assert!(distance_m(&g, inside).abs() < f64::EPSILON);
    }

    #[test]
    fn near_returns_the_point_itself_first_at_zero_metres() {
        let data = synthetic(2_000, 1);
        let Some(Geometry::Point(p)) = data[0].clone() else {
            panic!("first is a point")
        };
        let index = SpatialIndex::new(data);
        let hits = index.near(p.x(), p.y(), 300.0, 10, &|_| true);
        assert_eq!(hits.first().map(|h| h.1), Some(0.0));
    }

    fn entry_of(g: &Geometry<f64>) -> Entry {
        Entry::new(0, g.bounding_rect().expect("a geometry with points"))
    }

    #[test]
    fn the_lower_bound_holds_where_a_long_arc_bows_out_of_its_envelope() {
        // An east-west arc at 60°N bows ~1.5 km north of its endpoints' latitude; a point just
        // north of its middle is nearer the arc than the envelope suggests.
        let line = Geometry::LineString(LineString::from(vec![(10.0, 60.0), (12.0, 60.0)]));
        for north in [0.001, 0.01, 0.02, 0.05] {
            let p = Point::new(11.0, 60.0 + north);
            let exact = distance_m(&line, p);
            let bound = Probe::new(p).entry_bound_m(&entry_of(&line));
            assert!(bound <= exact, "{north}: {bound} > {exact}");
        }
    }

    #[test]
    fn the_lower_bound_prunes_what_is_far() {
        let g = Geometry::Point(Point::new(106.57, 29.55));
        let far = Point::new(106.60, 29.58);
        let bound = Probe::new(far).entry_bound_m(&entry_of(&g));
        assert!(bound > 4_000.0 && bound <= distance_m(&g, far), "{bound}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn the_lower_bound_never_exceeds_the_exact_distance(
            lon in 106.0f64..107.0, lat in 29.0f64..30.0, seed in 0u64..1_000
        ) {
            let p = Point::new(lon, lat);
            for g in synthetic(200, seed).into_iter().flatten() {
                prop_assert!(Probe::new(p).entry_bound_m(&entry_of(&g)) <= distance_m(&g, p));
            }
        }

        #[test]
        fn pruned_distances_equal_geo_measuring_every_segment(
            lon in 106.38f64..106.67, lat in 29.43f64..29.67, seed in 0u64..1_000
        ) {
            let p = Point::new(lon, lat);
            for g in synthetic(300, seed).into_iter().flatten() {
                prop_assert_eq!(distance_m(&g, p).to_bits(), geo_distance_m(&g, p).to_bits());
            }
        }

        #[test]
        fn near_agrees_with_a_brute_force_scan(
            lon in 106.38f64..106.67, lat in 29.43f64..29.67, radius_m in 1.0f64..3_000.0,
            limit in 1usize..50, share_shapes in any::<bool>()
        ) {
            let mut data = synthetic(3_000, 42);
            if share_shapes {
                // Like part_of features, which take their zone's shape: every third repeats
                // one, and one is unlocated.
                for i in (2..data.len()).step_by(3) {
                    data[i] = data[i / 3].clone();
                }
                data[1] = None;
            }
            let index = SpatialIndex::new(data);
            let keep = |i: usize| !i.is_multiple_of(5);
            prop_assert_eq!(
                index.near(lon, lat, radius_m, limit, &keep),
                index.near_brute_force(lon, lat, radius_m, limit, &keep)
            );
        }

        #[test]
        fn bbox_agrees_with_a_brute_force_scan(
            lon in 106.38f64..106.67, lat in 29.43f64..29.67, w in 0.0f64..0.05, h in 0.0f64..0.05
        ) {
            let index = SpatialIndex::new(synthetic(3_000, 43));
            let bbox = BBox { min_lon: lon, min_lat: lat, max_lon: lon + w, max_lat: lat + h };
            prop_assert_eq!(index.within_bbox(bbox), index.within_bbox_brute_force(bbox));
        }
    }
}
