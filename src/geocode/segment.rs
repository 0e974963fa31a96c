//! Drawing a street segment (长滨路菜园坝至储奇门段): the part of the street's own line between
//! its two ends' projections onto it.
//!
//! Inputs: a placed street feature, the [`Segment`]s its report states, and the items already
//! placed by name (the ends are items of their own). Output: the feature's geometry cut to the
//! segments (a LineString, or a MultiLineString for several segments of one street), its
//! uncertainty grown by the ends', and one [`StreetSegment`] per segment saying whether it is
//! drawn and, if not, why. Nothing is invented: every position drawn lies on the street's line
//! (its vertices, or points interpolated between two of them at an end's projection).
//!
//! An end's point is where it stands: a point place itself; for an area the street runs
//! through, the point of the street inside it nearest its anchor, with the doubt grown by the
//! length of street inside it ("菜园坝" may mean anywhere along that run); for an area the
//! street misses, its anchor, with the doubt grown by its extent; for a line (a cross street),
//! its point nearest the street. An end is accepted only when its projection onto the street
//! lies within the end's doubt (its own uncertainty plus that growth) plus the street's own
//! uncertainty; the drawn segment's uncertainty is the street's plus the larger doubt of its
//! ends. Projections
//! are taken in a local equirectangular frame (longitudes scaled by the cosine of the street's
//! latitude), so "nearest" means nearest on the ground; distances reported are Haversine metres.

use std::collections::HashMap;

use geo::{
    BooleanOps, ClosestPoint, Coord, Distance, Euclidean, Geometry, Haversine, InterpolateLine,
    Length, LineLocatePoint, LineString, MultiLineString, MultiPolygon, Point,
};

use super::anchor_of;
use crate::plan::{Location, PlannedFeature, StreetSegment};
use crate::report::Report;
use crate::report::segments::Segment;

/// Below this many metres apart the two ends project to one point: there is no stretch.
const MIN_STRETCH_M: f64 = 1.0;

/// A segment's ends as placed: the point that stands for each, and how far it may be off.
#[derive(Debug, Clone, Copy)]
struct End {
    point: Point<f64>,
    doubt_m: f64,
}

/// A local frame in which a degree of longitude is as long as one of latitude.
#[derive(Debug, Clone, Copy)]
struct Frame {
    lon_scale: f64,
}

impl Frame {
    fn new(street: &LineString<f64>) -> Frame {
        let lat = street.0.first().map_or(0.0, |c| c.y);
        Frame {
            lon_scale: lat.to_radians().cos(),
        }
    }
    fn to_local(self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: c.x * self.lon_scale,
            y: c.y,
        }
    }
    fn to_lon_lat(self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: c.x / self.lon_scale,
            y: c.y,
        }
    }
    fn line(self, l: &LineString<f64>) -> LineString<f64> {
        l.0.iter().map(|c| self.to_local(*c)).collect()
    }
}

/// The stretch of `line` (local frame) between two fractions of its length, `a < b`.
fn substring(line: &LineString<f64>, a: f64, b: f64) -> Option<LineString<f64>> {
    let start = Euclidean.point_at_ratio_from_start(line, a)?;
    let end = Euclidean.point_at_ratio_from_start(line, b)?;
    let total = Euclidean.length(line);
    let mut coords = vec![start.0];
    let mut walked = 0.0;
    for l in line.lines() {
        walked += Euclidean.length(&l);
        let at = walked / total;
        if at > a && at < b {
            coords.push(l.end);
        }
    }
    coords.push(end.0);
    coords.dedup();
    (coords.len() >= 2).then(|| LineString::new(coords))
}

/// The end's point on `street` (lon/lat): its projection and the Haversine distance to it,
/// and the fraction of the street's length where it lies.
fn project(street: &LineString<f64>, end: End) -> Option<(f64, f64)> {
    let frame = Frame::new(street);
    let local = frame.line(street);
    let p = Point(frame.to_local(end.point.0));
    let fraction = local.line_locate_point(&p)?;
    let on = Euclidean.point_at_ratio_from_start(&local, fraction)?;
    let distance_m = Haversine.distance(end.point, Point(frame.to_lon_lat(on.0)));
    Some((fraction, distance_m))
}

/// Where a placed end stands, seen from the street: its anchor, or for a line its point
/// nearest the street; and its doubt in metres.
fn end_of(street: &LineString<f64>, geometry: &Geometry<f64>, location: &Location) -> Option<End> {
    let (anchor, radius_m) = anchor_of(geometry)?;
    let own = location.uncertainty_m.unwrap_or(0.0);
    // An area's end: on the street inside it, else its anchor doubted by its radius.
    let area_or_anchor = |area: &MultiPolygon<f64>| {
        area_end(street, area).map_or(
            End {
                point: anchor,
                doubt_m: own + radius_m,
            },
            |(point, along_m)| End {
                point,
                doubt_m: own + along_m,
            },
        )
    };
    let end = match geometry {
        Geometry::Polygon(area) => area_or_anchor(&MultiPolygon::new(vec![area.clone()])),
        Geometry::MultiPolygon(area) => area_or_anchor(area),
        Geometry::LineString(_) | Geometry::MultiLineString(_) => {
            let frame = Frame::new(street);
            let local = frame.line(street);
            let cross: Geometry<f64> = geo::MapCoords::map_coords(geometry, |c| frame.to_local(c));
            // The cross street's point nearest the street: from each street vertex, the
            // nearest point of the cross street, and keep the one closest to the street.
            let nearest = local
                .0
                .iter()
                .filter_map(|v| match cross.closest_point(&Point(*v)) {
                    geo::Closest::Intersection(p) | geo::Closest::SinglePoint(p) => Some(p),
                    geo::Closest::Indeterminate => None,
                })
                .min_by(|a, b| {
                    let d = |p: &Point<f64>| match local.closest_point(p) {
                        geo::Closest::Intersection(q) | geo::Closest::SinglePoint(q) => {
                            Euclidean.distance(*p, q)
                        }
                        geo::Closest::Indeterminate => f64::INFINITY,
                    };
                    d(a).total_cmp(&d(b))
                })?;
            End {
                point: Point(frame.to_lon_lat(nearest.0)),
                doubt_m: own,
            }
        }
        _ => End {
            point: anchor,
            doubt_m: own,
        },
    };
    Some(end)
}

/// An area end the street runs through: the point of the street inside the area nearest the
/// area's anchor, and how far along the street inside the area the stretch may start instead
/// (the largest distance from that point to the ends of the street's runs inside the area),
/// in metres. `None` when the street does not enter the area.
fn area_end(street: &LineString<f64>, area: &MultiPolygon<f64>) -> Option<(Point<f64>, f64)> {
    let inside = area.clip(&MultiLineString::new(vec![street.clone()]), false);
    let (anchor, _) = anchor_of(&Geometry::MultiPolygon(area.clone()))?;
    let frame = Frame::new(street);
    let local: MultiLineString<f64> = inside.0.iter().map(|l| frame.line(l)).collect();
    let point = match local.closest_point(&Point(frame.to_local(anchor.0))) {
        geo::Closest::Intersection(p) | geo::Closest::SinglePoint(p) => {
            Point(frame.to_lon_lat(p.0))
        }
        geo::Closest::Indeterminate => return None,
    };
    let along_m = inside
        .0
        .iter()
        .flat_map(|l| l.0.first().into_iter().chain(l.0.last()))
        .map(|c| Haversine.distance(point, Point(*c)))
        .fold(0.0, f64::max);
    Some((point, along_m))
}

/// One segment cut from one line of the street, or why not.
struct Cut {
    line: LineString<f64>,
    /// Largest doubt of the two ends, metres.
    doubt_m: f64,
    /// Sum of the ends' distances to the street, to choose among a street's lines.
    off_m: f64,
}

/// Cuts one line of the street between the ends of `segment`, or says why it cannot.
fn cut_line(
    street: &LineString<f64>,
    street_doubt_m: f64,
    segment: &Segment,
    from: End,
    to: End,
) -> Result<Cut, String> {
    let (fa, da) = project(street, from).ok_or("该路的线无法投影")?;
    let (fb, db) = project(street, to).ok_or("该路的线无法投影")?;
    for (name, d, end) in [(&segment.from, da, from), (&segment.to, db, to)] {
        let reach_m = end.doubt_m + street_doubt_m;
        if d > reach_m {
            return Err(format!(
                "{name}距该路约{d:.0}米，超出两者合计{reach_m:.0}米的不确定范围，不能作为该段端点"
            ));
        }
    }
    let (a, b) = if fa <= fb { (fa, fb) } else { (fb, fa) };
    let frame = Frame::new(street);
    let local = frame.line(street);
    let piece = substring(&local, a, b).ok_or("两端投影到该路同一处")?;
    let line: LineString<f64> = piece.0.iter().map(|c| frame.to_lon_lat(*c)).collect();
    if Haversine.length(&line) < MIN_STRETCH_M {
        return Err("两端投影到该路同一处".into());
    }
    Ok(Cut {
        line,
        doubt_m: from.doubt_m.max(to.doubt_m),
        off_m: da + db,
    })
}

/// The lines of a street's geometry, or `None` when it is not drawn as a line.
fn lines_of(geometry: &Geometry<f64>) -> Option<Vec<LineString<f64>>> {
    match geometry {
        Geometry::LineString(l) => Some(vec![l.clone()]),
        Geometry::MultiLineString(ml) => Some(ml.0.clone()),
        _ => None,
    }
}

/// Cuts a placed street feature to the segments its report states (see the module doc).
/// When a segment cannot be drawn the feature keeps its whole geometry; each segment says why.
pub(super) fn cut_street(
    feature: &mut PlannedFeature,
    segments: &[Segment],
    report: &Report,
    resolved: &HashMap<String, (Geometry<f64>, Location)>,
) {
    let lines = feature.geometry.as_ref().map(lines_of);
    let cuts: Vec<Result<Cut, String>> = segments
        .iter()
        .map(|segment| match &lines {
            None => Err("该路本身未定位，无法截取该段".to_string()),
            Some(None) => Err("该路未以线定位，画出的是其整体位置".to_string()),
            Some(Some(lines)) => cut(
                lines,
                feature.location.uncertainty_m.unwrap_or(0.0),
                segment,
                resolved,
            ),
        })
        .collect();
    // All or nothing: a stretch we cannot cut lies somewhere on the street, so while one is
    // missing the whole street is drawn (never less than the report plans), and each segment
    // says why.
    let all_cut = cuts.iter().all(Result::is_ok);
    let undrawn: Vec<String> = segments
        .iter()
        .zip(&cuts)
        .filter(|(_, c)| c.is_err())
        .map(|(s, _)| format!("{}至{}段", s.from, s.to))
        .collect();
    let mut served = Vec::with_capacity(segments.len());
    let mut pieces: Vec<LineString<f64>> = Vec::new();
    let mut doubt_m: f64 = 0.0;
    for (segment, c) in segments.iter().zip(cuts) {
        let reason = match c {
            Ok(c) if all_cut => {
                doubt_m = doubt_m.max(c.doubt_m);
                pieces.push(c.line);
                None
            }
            Ok(_) => Some(format!(
                "同一条路的{}无法截取，画出整条路",
                undrawn.join("、")
            )),
            // Only a street drawn as a line is drawn "whole"; otherwise the reason says it all.
            Err(why) if !matches!(lines, Some(Some(_))) => Some(why),
            Err(why) => Some(format!("{why}；画出整条路")),
        };
        served.push(StreetSegment {
            from: segment.from.clone(),
            to: segment.to.clone(),
            sentence_id: segment.sentence_id,
            quote: report
                .sentences
                .get(segment.sentence_id)
                .map(|s| s.text.clone())
                .unwrap_or_default(),
            drawn: reason.is_none(),
            reason,
        });
    }
    if !pieces.is_empty() {
        feature.geometry = Some(if pieces.len() == 1 {
            Geometry::LineString(pieces.remove(0))
        } else {
            Geometry::MultiLineString(MultiLineString::new(pieces))
        });
        feature.location.uncertainty_m = feature
            .location
            .uncertainty_m
            .map(|u| (u + doubt_m).round());
    }
    feature.segments = served;
}

/// One segment cut from the street line its ends lie nearest.
fn cut(
    lines: &[LineString<f64>],
    street_doubt_m: f64,
    segment: &Segment,
    resolved: &HashMap<String, (Geometry<f64>, Location)>,
) -> Result<Cut, String> {
    let placed = |name: &str| resolved.get(name).ok_or(format!("{name}未定位"));
    let (from_g, from_loc) = placed(&segment.from)?;
    let (to_g, to_loc) = placed(&segment.to)?;
    let mut best: Option<Cut> = None;
    let mut why = String::from("该路没有可截取的线");
    for line in lines {
        let ends = end_of(line, from_g, from_loc).zip(end_of(line, to_g, to_loc));
        let Some((from, to)) = ends else {
            continue;
        };
        match cut_line(line, street_doubt_m, segment, from, to) {
            Ok(c) if best.as_ref().is_none_or(|b| c.off_m < b.off_m) => best = Some(c),
            Ok(_) => {}
            Err(e) => why = e,
        }
    }
    best.ok_or(why)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::MatchType;

    /// A street running east along 29.55° N from 106.54° to 106.58° E, about 3.9 km.
    fn street() -> LineString<f64> {
        LineString::from(vec![(106.54, 29.55), (106.56, 29.55), (106.58, 29.55)])
    }

    fn placed(u: f64) -> Location {
        Location {
            match_type: MatchType::Anchor,
            source: "test".into(),
            uncertainty_m: Some(u),
            confidence: 0.8,
            editor: None,
            at: None,
        }
    }

    fn segment() -> Segment {
        Segment {
            from: "甲".into(),
            to: "乙".into(),
            sentence_id: 0,
        }
    }

    fn point(lon: f64, lat: f64) -> Geometry<f64> {
        Geometry::Point(Point::new(lon, lat))
    }

    fn resolved(a: Geometry<f64>, b: Geometry<f64>) -> HashMap<String, (Geometry<f64>, Location)> {
        HashMap::from([
            ("甲".to_string(), (a, placed(100.0))),
            ("乙".to_string(), (b, placed(100.0))),
        ])
    }

    /// A lon/lat rectangle as an area.
    fn square(west: f64, south: f64, east: f64, north: f64) -> Geometry<f64> {
        Geometry::Polygon(geo::Polygon::new(
            LineString::from(vec![
                (west, south),
                (east, south),
                (east, north),
                (west, north),
                (west, south),
            ]),
            vec![],
        ))
    }

    #[test]
    fn the_segment_runs_between_the_ends_projections_through_the_street_vertices() {
        let r = resolved(point(106.55, 29.5503), point(106.57, 29.5497));
        let c = cut(&[street()], 0.0, &segment(), &r).expect("drawn");
        let coords: Vec<(f64, f64)> = c.line.0.iter().map(|c| (c.x, c.y)).collect();
        assert_eq!(coords.len(), 3, "{coords:?}");
        assert!((coords[0].0 - 106.55).abs() < 1e-9 && (coords[0].1 - 29.55).abs() < 1e-9);
        assert_eq!(coords[1], (106.56, 29.55));
        assert!((coords[2].0 - 106.57).abs() < 1e-9 && (coords[2].1 - 29.55).abs() < 1e-9);
        assert!((c.doubt_m - 100.0).abs() < 1e-9);
    }

    #[test]
    fn ends_written_in_the_opposite_direction_cut_the_same_stretch() {
        let a = cut(
            &[street()],
            0.0,
            &segment(),
            &resolved(point(106.55, 29.55), point(106.57, 29.55)),
        )
        .expect("drawn");
        let b = cut(
            &[street()],
            0.0,
            &segment(),
            &resolved(point(106.57, 29.55), point(106.55, 29.55)),
        )
        .expect("drawn");
        assert_eq!(a.line, b.line);
    }

    #[test]
    fn an_end_farther_from_the_street_than_its_doubt_is_refused_with_the_distance() {
        // 0.01° of latitude is about 1.1 km: far beyond a 100 m doubt.
        let r = resolved(point(106.55, 29.56), point(106.57, 29.55));
        let why = cut(&[street()], 0.0, &segment(), &r)
            .err()
            .expect("refused");
        assert!(
            why.starts_with("甲距该路约1112米，超出两者合计100米"),
            "{why}"
        );
    }

    #[test]
    fn the_streets_own_uncertainty_widens_how_far_an_end_may_lie() {
        // 0.002° of latitude is about 220 m: beyond the end's 100 m, within 100 m + 150 m.
        let r = resolved(point(106.55, 29.552), point(106.57, 29.55));
        assert!(cut(&[street()], 0.0, &segment(), &r).is_err());
        assert!(cut(&[street()], 150.0, &segment(), &r).is_ok());
    }

    #[test]
    fn an_end_not_placed_is_named_as_the_reason() {
        let r = HashMap::from([("甲".to_string(), (point(106.55, 29.55), placed(100.0)))]);
        let why = cut(&[street()], 0.0, &segment(), &r)
            .err()
            .expect("refused");
        assert_eq!(why, "乙未定位");
    }

    #[test]
    fn an_area_the_street_misses_may_lie_as_far_from_it_as_the_area_is_wide() {
        // A square about 330 m across whose centre is 200 m north of the street.
        let square = square(106.5483, 29.5503, 106.5517, 29.5533);
        let r = resolved(square, point(106.57, 29.55));
        let c = cut(&[street()], 0.0, &segment(), &r).expect("drawn");
        assert!(c.doubt_m > 200.0, "{}", c.doubt_m);
    }

    #[test]
    fn an_area_the_street_runs_through_stands_on_the_street_doubted_by_the_run_inside_it() {
        // A square from 106.545 to 106.555 E (about 970 m) straddling the street.
        let square = square(106.545, 29.545, 106.555, 29.556);
        let r = resolved(square, point(106.57, 29.55));
        let c = cut(&[street()], 0.0, &segment(), &r).expect("drawn");
        // The end stands on the street under the square's anchor (its centre, 106.55) and may
        // lie anywhere of the ~970 m of street inside it: about 485 m either way, plus 100 m.
        assert!((c.line.0[0].x - 106.55).abs() < 1e-6, "{:?}", c.line.0[0]);
        assert!((c.line.0[0].y - 29.55).abs() < 1e-9, "{:?}", c.line.0[0]);
        assert!((c.doubt_m - 585.0).abs() < 5.0, "{}", c.doubt_m);
    }

    #[test]
    fn a_cross_street_end_stands_where_it_meets_the_street() {
        let cross = Geometry::LineString(LineString::from(vec![(106.55, 29.54), (106.55, 29.56)]));
        let r = resolved(cross, point(106.57, 29.55));
        let c = cut(&[street()], 0.0, &segment(), &r).expect("drawn");
        assert!((c.line.0[0].x - 106.55).abs() < 1e-9, "{:?}", c.line.0[0]);
    }

    #[test]
    fn two_ends_at_one_point_are_no_stretch() {
        let r = resolved(point(106.55, 29.55), point(106.55, 29.5501));
        assert!(cut(&[street()], 0.0, &segment(), &r).is_err());
    }
}
