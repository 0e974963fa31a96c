//! One geometry family per planning collection, as GIS clients need it: QGIS types a layer
//! from its first features and hides the rest, and a GeoPackage layer holds one type. Zones are
//! served as multipolygons, streets as multilinestrings and projects as multipoints.
//!
//! Input: a feature's WGS-84 placement (any type) and its uncertainty in metres. Output: the
//! geometry served in the collection's family and how it was drawn ([`Drawn`]), so a GIS user
//! and the page tell a surveyed outline from a drawn stand-in. Nothing is invented: a point in
//! the polygon family is served as its uncertainty disc (the area the place lies in), a point in
//! the line family as that disc's outline, an area in the line family as its outline, a line in
//! the point family as its own vertices, an area in the point family as one point inside it.
//! The true placement stays what near measures from and what the page draws and edits.

use geo::{
    Destination, Geometry, Haversine, InteriorPoint, LineString, MultiLineString, MultiPoint,
    MultiPolygon, Point, Polygon,
};
use serde::Serialize;

use super::Layer;

/// The geometry family a collection serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Family {
    /// Areas (`MultiPolygon`).
    Polygon,
    /// Lines (`MultiLineString`).
    Line,
    /// Points (`MultiPoint`).
    Point,
}

impl Family {
    /// The family of a planning layer.
    #[must_use]
    pub fn of_layer(layer: Layer) -> Family {
        match layer {
            Layer::Zones => Family::Polygon,
            Layer::Streets => Family::Line,
            Layer::Projects => Family::Point,
        }
    }

    /// The GeoJSON type every located feature of the family is served as.
    #[must_use]
    pub fn geojson_type(self) -> &'static str {
        match self {
            Family::Polygon => "MultiPolygon",
            Family::Line => "MultiLineString",
            Family::Point => "MultiPoint",
        }
    }

    /// The OGC API Features Part 5 `format` of the primary geometry.
    #[must_use]
    pub fn schema_format(self) -> &'static str {
        match self {
            Family::Polygon => "geometry-multipolygon",
            Family::Line => "geometry-multilinestring",
            Family::Point => "geometry-multipoint",
        }
    }
}

/// How a served geometry stands for the placement, when it is not the placement itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Drawn {
    /// A point's uncertainty disc (polygon family), or its outline (line family).
    Disc,
    /// An area's outline (line family).
    Outline,
    /// A line's own vertices (point family).
    Vertices,
    /// One point inside an area (point family).
    InteriorPoint,
}

/// Vertices of an uncertainty disc: a 64-gon is within 0.12 % of the circle's radius.
const DISC_VERTICES: u32 = 64;

/// The uncertainty disc around a point: every vertex `radius_m` away on the sphere.
fn disc(center: Point<f64>, radius_m: f64) -> Polygon<f64> {
    let mut ring: Vec<geo::Coord<f64>> = (0..DISC_VERTICES)
        .map(|k| {
            let bearing = f64::from(k) * 360.0 / f64::from(DISC_VERTICES);
            Haversine.destination(center, bearing, radius_m).0
        })
        .collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    Polygon::new(LineString::new(ring), Vec::new())
}

/// The simple parts of a geometry: its points, lines and areas.
#[derive(Default)]
struct Parts {
    points: Vec<Point<f64>>,
    lines: Vec<LineString<f64>>,
    areas: Vec<Polygon<f64>>,
}

fn collect(g: &Geometry<f64>, parts: &mut Parts) {
    match g {
        Geometry::Point(p) => parts.points.push(*p),
        Geometry::MultiPoint(m) => parts.points.extend(m.iter().copied()),
        Geometry::Line(l) => parts.lines.push(LineString::from(vec![l.start, l.end])),
        Geometry::LineString(l) => parts.lines.push(l.clone()),
        Geometry::MultiLineString(m) => parts.lines.extend(m.iter().cloned()),
        Geometry::Polygon(p) => parts.areas.push(p.clone()),
        Geometry::MultiPolygon(m) => parts.areas.extend(m.iter().cloned()),
        Geometry::Rect(r) => parts.areas.push(r.to_polygon()),
        Geometry::Triangle(t) => parts.areas.push(t.to_polygon()),
        Geometry::GeometryCollection(c) => {
            for member in c {
                collect(member, parts);
            }
        }
    }
}

/// Which kinds of simple part a placement holds.
#[derive(Debug, Clone, Copy, Default)]
struct Kinds {
    points: bool,
    lines: bool,
    areas: bool,
}

impl Kinds {
    fn add(&mut self, g: &Geometry<f64>) {
        let nonempty = |n: usize| n > 0;
        match g {
            Geometry::Point(_) => self.points = true,
            Geometry::MultiPoint(m) => self.points |= nonempty(m.0.len()),
            Geometry::Line(_) | Geometry::LineString(_) => self.lines = true,
            Geometry::MultiLineString(m) => self.lines |= nonempty(m.0.len()),
            Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => self.areas = true,
            Geometry::MultiPolygon(m) => self.areas |= nonempty(m.0.len()),
            Geometry::GeometryCollection(c) => {
                for member in c {
                    self.add(member);
                }
            }
        }
    }
}

/// How a placement is drawn in `family` (what [`in_family`] answers second), without
/// building the served geometry: the properties of every feature carry it, and a disc costs
/// 64 great-circle destinations.
#[must_use]
pub fn drawn(family: Family, placement: &Geometry<f64>) -> Option<Drawn> {
    let mut kinds = Kinds::default();
    kinds.add(placement);
    drawn_of(family, kinds)
}

/// The first stand-in a family needs for the kinds of part present, in the order
/// [`in_family`] adds them.
fn drawn_of(family: Family, kinds: Kinds) -> Option<Drawn> {
    match family {
        Family::Polygon => (kinds.points || kinds.lines).then_some(Drawn::Disc),
        Family::Line => {
            if kinds.areas {
                Some(Drawn::Outline)
            } else {
                kinds.points.then_some(Drawn::Disc)
            }
        }
        Family::Point => {
            if kinds.lines {
                Some(Drawn::Vertices)
            } else {
                kinds.areas.then_some(Drawn::InteriorPoint)
            }
        }
    }
}

/// A placement as served in `family`, and how it was drawn when it is not the placement
/// itself (`None`: the same positions, only written as the family's multi-type).
///
/// `uncertainty_m` is the placement's radius of doubt; a disc needs it, so a point with no
/// positive finite uncertainty in the polygon or line family keeps a disc of 1 m rather than
/// vanishing (placed features always carry one).
#[must_use]
pub fn in_family(
    family: Family,
    placement: &Geometry<f64>,
    uncertainty_m: Option<f64>,
) -> (Geometry<f64>, Option<Drawn>) {
    let mut parts = Parts::default();
    collect(placement, &mut parts);
    let radius = uncertainty_m
        .filter(|u| u.is_finite() && *u > 0.0)
        .unwrap_or(1.0);
    let served = match family {
        Family::Polygon => {
            let mut polygons = parts.areas;
            if !parts.points.is_empty() {
                polygons.extend(parts.points.iter().map(|p| disc(*p, radius)));
            }
            if !parts.lines.is_empty() {
                // A line in an area layer: the discs of its vertices would misdraw it, and a
                // buffer needs a planar projection; none is placed so today, so each vertex's
                // disc stands for it and says so.
                polygons.extend(
                    parts
                        .lines
                        .iter()
                        .flat_map(|l| l.points().map(|p| disc(p, radius)).collect::<Vec<_>>()),
                );
            }
            Geometry::MultiPolygon(MultiPolygon::new(polygons))
        }
        Family::Line => {
            let mut lines = parts.lines;
            if !parts.areas.is_empty() {
                for area in &parts.areas {
                    lines.push(area.exterior().clone());
                    lines.extend(area.interiors().iter().cloned());
                }
            }
            if !parts.points.is_empty() {
                lines.extend(
                    parts
                        .points
                        .iter()
                        .map(|p| disc(*p, radius).exterior().clone()),
                );
            }
            Geometry::MultiLineString(MultiLineString::new(lines))
        }
        Family::Point => {
            let mut points = parts.points;
            if !parts.lines.is_empty() {
                for line in &parts.lines {
                    for p in line.points() {
                        if !points.contains(&p) {
                            points.push(p);
                        }
                    }
                }
            }
            if !parts.areas.is_empty() {
                points.extend(parts.areas.iter().filter_map(InteriorPoint::interior_point));
            }
            Geometry::MultiPoint(MultiPoint::new(points))
        }
    };
    (served, drawn(family, placement))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Distance};

    fn square() -> Polygon<f64> {
        Polygon::new(
            LineString::from(vec![
                (106.57, 29.55),
                (106.58, 29.55),
                (106.58, 29.56),
                (106.57, 29.56),
                (106.57, 29.55),
            ]),
            Vec::new(),
        )
    }

    #[test]
    fn each_stand_in_is_named_by_the_first_kind_of_part_its_family_cannot_hold() {
        use Drawn::{Disc, InteriorPoint, Outline, Vertices};
        let line = LineString::from(vec![(106.57, 29.55), (106.58, 29.56)]);
        let point = Point::new(106.5765, 29.5585);
        let p = Geometry::Point(point);
        let l = Geometry::LineString(line.clone());
        let a = Geometry::Polygon(square());
        let empty = Geometry::MultiPoint(MultiPoint::new(Vec::new()));
        let mixed = |parts: Vec<Geometry<f64>>| {
            Geometry::GeometryCollection(geo::GeometryCollection::new_from(parts))
        };
        let area_and_point = mixed(vec![p.clone(), a.clone()]);
        let all = mixed(vec![l.clone(), a.clone(), p.clone()]);
        let table = [
            (Family::Polygon, &p, Some(Disc)),
            (Family::Polygon, &l, Some(Disc)),
            (Family::Polygon, &a, None),
            (Family::Polygon, &area_and_point, Some(Disc)),
            (Family::Polygon, &empty, None),
            (Family::Line, &p, Some(Disc)),
            (Family::Line, &l, None),
            (Family::Line, &a, Some(Outline)),
            (Family::Line, &area_and_point, Some(Outline)),
            (Family::Point, &p, None),
            (Family::Point, &l, Some(Vertices)),
            (Family::Point, &a, Some(InteriorPoint)),
            (Family::Point, &all, Some(Vertices)),
            (Family::Point, &area_and_point, Some(InteriorPoint)),
        ];
        for (family, g, want) in table {
            assert_eq!(drawn(family, g), want, "{family:?} {g:?}");
            assert_eq!(in_family(family, g, Some(30.0)).1, want, "{family:?} {g:?}");
        }
        // The multi-geometry forms and a line with the family that holds it need no stand-in.
        let multi = Geometry::MultiLineString(MultiLineString::new(vec![line]));
        assert_eq!(drawn(Family::Line, &multi), None);
    }

    #[test]
    fn a_zone_placed_at_a_point_is_served_as_its_uncertainty_disc() {
        let centre = Point::new(106.5765, 29.5585);
        let (served, drawn) = in_family(Family::Polygon, &Geometry::Point(centre), Some(250.0));
        assert_eq!(drawn, Some(Drawn::Disc));
        let Geometry::MultiPolygon(m) = served else {
            panic!("{served:?}")
        };
        assert_eq!(m.0.len(), 1);
        assert!(m.0[0].contains(&centre));
        for c in m.0[0].exterior().points() {
            let d = Haversine.distance(centre, c);
            assert!((d - 250.0).abs() < 0.5, "{d}");
        }
    }

    #[test]
    fn placements_already_in_the_family_keep_their_positions_as_a_multi_type() {
        let (served, drawn) = in_family(Family::Polygon, &Geometry::Polygon(square()), Some(300.0));
        assert_eq!(drawn, None);
        assert_eq!(
            served,
            Geometry::MultiPolygon(MultiPolygon::new(vec![square()]))
        );
        let line = LineString::from(vec![(106.57, 29.55), (106.58, 29.56)]);
        let (served, drawn) = in_family(Family::Line, &Geometry::LineString(line.clone()), None);
        assert_eq!(drawn, None);
        assert_eq!(
            served,
            Geometry::MultiLineString(MultiLineString::new(vec![line]))
        );
    }

    #[test]
    fn other_types_become_the_family_from_their_own_positions() {
        // An area in the street layer: its outline.
        let (served, drawn) = in_family(Family::Line, &Geometry::Polygon(square()), Some(350.0));
        assert_eq!(drawn, Some(Drawn::Outline));
        assert_eq!(
            served,
            Geometry::MultiLineString(MultiLineString::new(vec![square().exterior().clone()]))
        );
        // A line in the project layer: its own vertices, nothing in between.
        let line = LineString::from(vec![(106.57, 29.55), (106.58, 29.56), (106.57, 29.55)]);
        let (served, drawn) = in_family(Family::Point, &Geometry::LineString(line), Some(300.0));
        assert_eq!(drawn, Some(Drawn::Vertices));
        assert_eq!(
            served,
            Geometry::MultiPoint(MultiPoint::new(vec![
                Point::new(106.57, 29.55),
                Point::new(106.58, 29.56)
            ]))
        );
        // An area in the project layer: one point inside it.
        let (served, drawn) = in_family(Family::Point, &Geometry::Polygon(square()), Some(300.0));
        assert_eq!(drawn, Some(Drawn::InteriorPoint));
        let Geometry::MultiPoint(m) = served else {
            panic!()
        };
        assert!(square().contains(&m.0[0]));
    }
}
