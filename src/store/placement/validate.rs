//! The boundary checks every placement store shares, so each refuses the same input with the
//! same [`StoreError`]: required text fields (not blank, at most [`MAX_TEXT_CHARS`]
//! characters), the uncertainty radius (finite, `0..=MAX_UNCERTAINTY_M` metres) and the
//! geometry (WGS-84 lon/lat degrees in range, rings closed with four positions or more, geo's
//! OGC validity rules).
//!
//! Input: a [`Correction`], a text field, or a request's ring positions before conversion.
//! Output: `Ok`, or the first problem found, named.

use geo::{Coord, Geometry, LineString, Validation};

use super::{Correction, StoreError};

/// The longest source, note or name a store accepts, in characters; longer text is a client
/// error, not something to keep silently truncated.
pub const MAX_TEXT_CHARS: usize = 2000;

/// The largest uncertainty radius a correction may claim, in metres. A "correction" vaguer
/// than 50 km says nothing about a place inside one district.
pub const MAX_UNCERTAINTY_M: f64 = 50_000.0;

/// Checks a correction at the store boundary, so every store refuses the same input.
///
/// Rules: feature id, name, source, note and editor are not blank and at most
/// [`MAX_TEXT_CHARS`]; uncertainty is finite and within `0..=MAX_UNCERTAINTY_M`; the geometry is
/// not empty, every coordinate is finite with longitude in −180..=180 and latitude in −90..=90,
/// every polygon ring is closed with at least four positions, and geo's OGC validity rules hold
/// (no self-intersecting ring, holes inside the shell).
///
/// # Errors
/// The first problem found, as [`StoreError::EmptyText`], [`StoreError::TextTooLong`],
/// [`StoreError::InvalidUncertainty`] or [`StoreError::InvalidGeometry`].
pub fn validate_correction(c: &Correction) -> Result<(), StoreError> {
    let id = c.feature_id.as_str();
    check_text(id, "feature_id", id)?;
    check_text(id, "name", &c.name)?;
    check_text(id, "source", &c.source)?;
    check_text(id, "note", &c.note)?;
    check_text(id, "editor", &c.editor)?;
    if !c.uncertainty_m.is_finite() || !(0.0..=MAX_UNCERTAINTY_M).contains(&c.uncertainty_m) {
        return Err(StoreError::InvalidUncertainty {
            feature_id: id.to_owned(),
            value: c.uncertainty_m,
        });
    }
    check_geometry(&c.geometry).map_err(|problem| StoreError::InvalidGeometry {
        feature_id: id.to_owned(),
        problem,
    })
}

/// Checks one required text field: not blank, not longer than [`MAX_TEXT_CHARS`].
///
/// # Errors
/// [`StoreError::EmptyText`] or [`StoreError::TextTooLong`] naming `field`.
pub fn check_text(feature_id: &str, field: &'static str, text: &str) -> Result<(), StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::EmptyText {
            feature_id: feature_id.to_owned(),
            field,
        });
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(StoreError::TextTooLong {
            feature_id: feature_id.to_owned(),
            field,
        });
    }
    Ok(())
}

/// Checks one polygon ring as the request gave it (GeoJSON positions `[lon, lat]`): closed
/// (first position equals the last) and at least four positions.
///
/// The HTTP layer must call this on every ring *before* converting to `geo`, because
/// `geo::Polygon::new` closes open rings silently and [`validate_correction`] can then no
/// longer see that the planner's ring was open.
///
/// # Errors
/// A sentence naming the problem.
pub fn check_ring_positions<'a>(ring: impl IntoIterator<Item = &'a [f64]>) -> Result<(), String> {
    let ring: Vec<&[f64]> = ring.into_iter().collect();
    if ring.first() != ring.last() {
        return Err("a polygon ring is not closed: its first and last positions differ".to_owned());
    }
    if ring.len() < 4 {
        return Err(format!(
            "a polygon ring has {} positions; it needs at least four (the last repeating the first)",
            ring.len()
        ));
    }
    Ok(())
}

/// Checks a WGS-84 geometry; the error is a sentence naming the problem.
fn check_geometry(geometry: &Geometry<f64>) -> Result<(), String> {
    let mut coords = 0usize;
    let mut bad: Option<String> = None;
    visit_coords(geometry, &mut |c: Coord<f64>| {
        coords += 1;
        if bad.is_some() {
            return;
        }
        if !c.x.is_finite() || !c.y.is_finite() {
            bad = Some(format!(
                "coordinate ({}, {}) is not a finite number",
                c.x, c.y
            ));
        } else if !(-180.0..=180.0).contains(&c.x) {
            bad = Some(format!("longitude {} is outside -180..180", c.x));
        } else if !(-90.0..=90.0).contains(&c.y) {
            bad = Some(format!("latitude {} is outside -90..90", c.y));
        }
    });
    if let Some(problem) = bad {
        return Err(problem);
    }
    if coords == 0 {
        return Err("geometry is empty".to_owned());
    }
    check_rings(geometry)?;
    // geo's OGC simple-feature rules: self-intersecting rings, holes outside the shell,
    // lines with fewer than two distinct points. The first one is enough to act on.
    if let Some(problem) = geometry.validation_errors().first() {
        return Err(problem.to_string());
    }
    Ok(())
}

/// Rings must be closed and have at least four positions. `geo::Polygon::new` closes rings
/// itself, so this guards polygons assembled any other way (and documents the rule).
fn check_rings(geometry: &Geometry<f64>) -> Result<(), String> {
    let check = |ring: &LineString<f64>, what: &str| -> Result<(), String> {
        if !ring.is_closed() {
            return Err(format!(
                "{what} is not closed: its first and last positions differ"
            ));
        }
        if ring.0.len() < 4 {
            return Err(format!("{what} has fewer than four positions"));
        }
        Ok(())
    };
    let polygon = |p: &geo::Polygon<f64>| -> Result<(), String> {
        check(p.exterior(), "the outer ring")?;
        p.interiors()
            .iter()
            .enumerate()
            .try_for_each(|(i, r)| check(r, &format!("hole {}", i + 1)))
    };
    match geometry {
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(mp) => mp.0.iter().try_for_each(polygon),
        Geometry::GeometryCollection(gc) => gc.0.iter().try_for_each(check_rings),
        _ => Ok(()),
    }
}

/// Calls `f` on every coordinate of a geometry.
fn visit_coords(geometry: &Geometry<f64>, f: &mut dyn FnMut(Coord<f64>)) {
    use geo::CoordsIter;
    for c in geometry.coords_iter() {
        f(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Layer;
    use geo::{line_string, point, polygon};

    fn correction(geometry: Geometry<f64>) -> Correction {
        Correction {
            feature_id: "yuzhong-2024/streets/jiefangbei".to_owned(),
            layer: Layer::Streets,
            name: "解放碑步行街".to_owned(),
            geometry,
            uncertainty_m: 30.0,
            source: "区规划局 1:2000 地形图".to_owned(),
            note: "按现场踏勘修正".to_owned(),
            editor: "li.ming".to_owned(),
        }
    }

    fn problem(c: &Correction) -> String {
        match validate_correction(c) {
            Err(StoreError::InvalidGeometry { problem, .. }) => problem,
            other => panic!("expected an invalid geometry, got {other:?}"),
        }
    }

    #[test]
    fn a_point_on_jiefangbei_is_accepted() {
        let c = correction(point!(x: 106.5776, y: 29.5573).into());
        assert!(validate_correction(&c).is_ok());
    }

    #[test]
    fn a_non_finite_coordinate_is_refused_by_name() {
        let c = correction(point!(x: f64::NAN, y: 29.5573).into());
        assert!(problem(&c).contains("not a finite number"));
    }

    #[test]
    fn a_latitude_beyond_the_pole_is_refused() {
        let c = correction(point!(x: 106.5776, y: 95.0).into());
        assert!(problem(&c).contains("latitude 95"));
    }

    #[test]
    fn a_longitude_beyond_the_antimeridian_is_refused() {
        let c = correction(line_string![(x: 106.57, y: 29.55), (x: 186.58, y: 29.56)].into());
        assert!(problem(&c).contains("longitude 186.58"));
    }

    #[test]
    fn a_bow_tie_ring_is_refused_as_self_intersecting() {
        let bow_tie = polygon![
            (x: 106.570, y: 29.550),
            (x: 106.580, y: 29.560),
            (x: 106.580, y: 29.550),
            (x: 106.570, y: 29.560),
        ];
        assert!(problem(&correction(bow_tie.into())).contains("self-intersection"));
    }

    #[test]
    fn a_ring_given_open_in_the_request_is_refused() {
        let open: [&[f64]; 3] = [&[106.57, 29.55], &[106.58, 29.55], &[106.58, 29.56]];
        let err = check_ring_positions(open).unwrap_err();
        assert!(err.contains("not closed"), "{err}");
        let closed: [&[f64]; 4] = [
            &[106.57, 29.55],
            &[106.58, 29.55],
            &[106.58, 29.56],
            &[106.57, 29.55],
        ];
        assert!(check_ring_positions(closed).is_ok());
    }

    #[test]
    fn a_ring_of_three_positions_is_refused() {
        let short: [&[f64]; 3] = [&[106.57, 29.55], &[106.58, 29.55], &[106.57, 29.55]];
        assert!(check_ring_positions(short).unwrap_err().contains("four"));
    }

    #[test]
    fn an_empty_source_is_refused_by_field_name() {
        let mut c = correction(point!(x: 106.5776, y: 29.5573).into());
        c.source = "   ".to_owned();
        assert!(matches!(
            validate_correction(&c),
            Err(StoreError::EmptyText {
                field: "source",
                ..
            })
        ));
    }

    #[test]
    fn an_empty_note_is_refused_by_field_name() {
        let mut c = correction(point!(x: 106.5776, y: 29.5573).into());
        c.note = String::new();
        assert!(matches!(
            validate_correction(&c),
            Err(StoreError::EmptyText { field: "note", .. })
        ));
    }

    #[test]
    fn a_negative_or_infinite_uncertainty_is_refused() {
        for value in [-1.0, f64::INFINITY, MAX_UNCERTAINTY_M + 1.0] {
            let mut c = correction(point!(x: 106.5776, y: 29.5573).into());
            c.uncertainty_m = value;
            assert!(matches!(
                validate_correction(&c),
                Err(StoreError::InvalidUncertainty { .. })
            ));
        }
    }

    #[test]
    fn an_empty_geometry_is_refused() {
        let c = correction(Geometry::MultiPoint(geo::MultiPoint(vec![])));
        assert_eq!(problem(&c), "geometry is empty");
    }
}
