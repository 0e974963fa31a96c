//! The spatial index: an R-tree (rstar) over feature envelopes, with bbox and near queries whose
//! distances are true metres on the sphere.
//!
//! Input: WGS-84 geometries (lon/lat degrees), each with the caller's index. Output: indices,
//! and for `near` the distance in metres to each geometry (0 when the point is inside a
//! polygon or on a line), sorted ascending.
//!
//! Costs: [`SpatialIndex::new`] bulk-loads in O(n log n). A query walks the tree for envelopes
//! that meet the search box in O(log n + k), then measures each of the k candidates exactly
//! (Haversine distance to the closest point of the geometry, O(vertices)). rstar's own
//! distances would be squared degrees, which are not metres and not even isotropic at 29.5°N,
//! so the tree only proposes candidates.

use geo::{
    BoundingRect, Closest, Contains, Coord, CoordsIter, Distance, Geometry, Haversine,
    HaversineClosestPoint, Intersects, Point, Rect,
};
use rstar::{AABB, RTree, RTreeObject};

/// Metres per degree of latitude, a lower bound (the ellipsoid's minimum is 110 574 m), so the
/// search box is never too small.
const M_PER_DEG_LAT_MIN: f64 = 110_000.0;

/// One entry of the tree: a geometry's envelope and the caller's index.
#[derive(Debug, Clone)]
struct Entry {
    index: usize,
    envelope: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// A bounding box in WGS-84 degrees: `minLon,minLat,maxLon,maxLat`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    /// West edge, degrees.
    pub min_lon: f64,
    /// South edge, degrees.
    pub min_lat: f64,
    /// East edge, degrees.
    pub max_lon: f64,
    /// North edge, degrees.
    pub max_lat: f64,
}

impl BBox {
    fn rect(self) -> Rect<f64> {
        Rect::new(
            Coord {
                x: self.min_lon,
                y: self.min_lat,
            },
            Coord {
                x: self.max_lon,
                y: self.max_lat,
            },
        )
    }
}

/// An R-tree over geometries, read-only once built.
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    tree: RTree<Entry>,
    geometries: Vec<Option<Geometry<f64>>>,
}

/// Distance in metres from a point to a geometry: 0 inside a polygon or on it, otherwise the
/// Haversine distance to its closest point.
#[must_use]
pub fn distance_m(geometry: &Geometry<f64>, p: Point<f64>) -> f64 {
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
        let entries = geometries
            .iter()
            .enumerate()
            .filter_map(|(index, g)| {
                let r = g.as_ref()?.bounding_rect()?;
                Some(Entry {
                    index,
                    envelope: AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                })
            })
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(entries),
            geometries,
        }
    }

    /// Number of geometries indexed (located ones).
    #[must_use]
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Indices of geometries that intersect the box, ascending.
    #[must_use]
    pub fn within_bbox(&self, bbox: BBox) -> Vec<usize> {
        let rect = bbox.rect();
        let envelope =
            AABB::from_corners([bbox.min_lon, bbox.min_lat], [bbox.max_lon, bbox.max_lat]);
        let mut out: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
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
        let d_lat = radius_m / M_PER_DEG_LAT_MIN;
        // The widest a degree of longitude gets inside the box is at its pole-ward edge.
        let edge_lat = (lat.abs() + d_lat).min(89.0).to_radians();
        let d_lon = (radius_m / (M_PER_DEG_LAT_MIN * edge_lat.cos())).min(360.0);
        let envelope = AABB::from_corners([lon - d_lon, lat - d_lat], [lon + d_lon, lat + d_lat]);
        let mut out: Vec<(usize, f64)> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .filter(|e| keep(e.index))
            .filter_map(|e| {
                let g = self.geometries[e.index].as_ref()?;
                let d = distance_m(g, p);
                (d <= radius_m).then_some((e.index, d))
            })
            .collect();
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
        #[allow(clippy::cast_precision_loss)]
        let unit = (z ^ (z >> 31)) as f64 / u64::MAX as f64;
        unit
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

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn near_agrees_with_a_brute_force_scan(
            lon in 106.38f64..106.67, lat in 29.43f64..29.67, radius_m in 1.0f64..3_000.0, limit in 1usize..50
        ) {
            let index = SpatialIndex::new(synthetic(3_000, 42));
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
