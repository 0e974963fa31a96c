//! Which planned items apply to the whole district, and the area near uses to order the
//! features a point lies in (smallest first).
//!
//! A district-wide item is one that is district-wide by nature: a policy or a programme for
//! the whole district (全区、全域), or a thing along both rivers (两江): Yuzhong is a peninsula
//! between the Yangtze and the Jialing, so the district's side of "the two rivers" is its whole
//! shore. A place we failed to locate (a single building, a park) is not district-wide: it is
//! listed as unlocated (the page's 未定位 list), never appended to every near answer.
//!
//! Units: areas in square metres (geodesic).

use geo::{GeodesicArea, Geometry};

use crate::plan::PlannedFeature;

/// Words in an item's name that make it district-wide by nature.
const DISTRICT_WORDS: [&str; 3] = ["全区", "全域", "两江"];

/// Kinds that name policies and programmes rather than places.
const PROGRAMME_KINDS: [&str; 5] = ["政策", "行动", "计划", "工程", "机制"];

/// True when the item applies to the whole district (served as `scope: "district"`).
#[must_use]
pub fn is_district_wide(f: &PlannedFeature) -> bool {
    DISTRICT_WORDS.iter().any(|w| f.name.contains(w)) || PROGRAMME_KINDS.contains(&f.kind.as_str())
}

/// The geodesic area of a geometry in square metres; 0 for points and lines.
#[must_use]
pub fn area_m2(g: &Geometry<f64>) -> f64 {
    match g {
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) | Geometry::Rect(_) => {
            g.geodesic_area_unsigned()
        }
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_of_about_100_m_has_about_10000_square_metres() {
        let d_lat = 100.0 / 111_320.0;
        let d_lon = d_lat / 29.55_f64.to_radians().cos();
        let ring = geo::LineString::from(vec![
            (106.5, 29.55),
            (106.5 + d_lon, 29.55),
            (106.5 + d_lon, 29.55 + d_lat),
            (106.5, 29.55 + d_lat),
        ]);
        let a = area_m2(&Geometry::Polygon(geo::Polygon::new(ring, vec![])));
        assert!((a - 10_000.0).abs() < 200.0, "{a}");
        assert!(area_m2(&Geometry::Point(geo::Point::new(106.5, 29.55))).abs() < f64::EPSILON);
    }
}
