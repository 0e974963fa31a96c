//! Geometry of imported entries: positions in decimicrodegrees (10⁻⁷ degree, about 1 cm, the
//! precision of the output), the box an import keeps, and the shapes built from node positions
//! (counter-clockwise polygons, area centroids, the point halfway along a line), returned as
//! `geojson::Geometry` in WGS-84 lon/lat degrees.

/// A WGS-84 position `[lon, lat]` in decimicrodegrees (10⁻⁷ degree, about 1 cm): the
/// precision of the output, and exact for comparing shared way endpoints.
pub type Position = [i32; 2];

/// The box to keep, in WGS-84 degrees.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bbox {
    min_lon: f64,
    min_lat: f64,
    max_lon: f64,
    max_lat: f64,
}

impl Bbox {
    /// A box from `[minLon, minLat, maxLon, maxLat]`; an error message when it is not a box on
    /// the globe.
    pub(super) fn new([min_lon, min_lat, max_lon, max_lat]: [f64; 4]) -> Result<Bbox, String> {
        let on_globe = (-180.0..=180.0).contains(&min_lon)
            && (-180.0..=180.0).contains(&max_lon)
            && (-90.0..=90.0).contains(&min_lat)
            && (-90.0..=90.0).contains(&max_lat);
        if !(on_globe && min_lon <= max_lon && min_lat <= max_lat) {
            return Err(format!(
                "bbox {min_lon},{min_lat},{max_lon},{max_lat} is not a WGS-84 box \
                 minLon,minLat,maxLon,maxLat"
            ));
        }
        Ok(Bbox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        })
    }

    /// Whether `p` lies inside the box or on its edge.
    pub(super) fn contains(&self, p: Position) -> bool {
        let (lon, lat) = degrees(p);
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }
}

/// Parses `minLon,minLat,maxLon,maxLat` (WGS-84 degrees), as the `--bbox` flag takes it.
///
/// # Errors
/// Not four numbers, or not a box on the globe (min above max, latitude beyond ±90°,
/// longitude beyond ±180°), with a message saying which.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("bbox `{text}`: {e}; expected minLon,minLat,maxLon,maxLat"))?;
    let bbox: [f64; 4] = numbers
        .try_into()
        .map_err(|_| format!("bbox `{text}`: expected four numbers minLon,minLat,maxLon,maxLat"))?;
    Bbox::new(bbox)?;
    Ok(bbox)
}

/// A position in WGS-84 degrees `(lon, lat)`.
pub(super) fn degrees([lon, lat]: Position) -> (f64, f64) {
    (f64::from(lon) / 1e7, f64::from(lat) / 1e7)
}

/// Nanodegrees (as osmpbf gives them) → decimicrodegrees, rounded; `None` off the globe.
pub(super) fn position(nano_lon: i64, nano_lat: i64) -> Option<Position> {
    let round = |nano: i64| nano.checked_add(50).map(|n| n.div_euclid(100));
    let lon = i32::try_from(round(nano_lon)?).ok()?;
    let lat = i32::try_from(round(nano_lat)?).ok()?;
    ((-1_800_000_000..=1_800_000_000).contains(&lon) && (-900_000_000..=900_000_000).contains(&lat))
        .then_some([lon, lat])
}

/// Twice the signed area of a ring in decimicrodegrees² (positive: counter-clockwise).
pub(super) fn doubled_area(ring: &[Position]) -> i128 {
    ring.windows(2)
        .map(|w| {
            i128::from(w[0][0]) * i128::from(w[1][1]) - i128::from(w[1][0]) * i128::from(w[0][1])
        })
        .sum()
}

/// A closed ring → Polygon with a counter-clockwise ring; `None` for a degenerate ring.
pub(super) fn polygon(ring: &[Position]) -> Option<geojson::Geometry> {
    let mut ring: Vec<Position> = ring.to_vec();
    ring.dedup();
    if ring.len() < 4 || ring.first() != ring.last() {
        return None;
    }
    match doubled_area(&ring) {
        0 => return None,
        a if a < 0 => ring.reverse(),
        _ => {}
    }
    Some(geojson::Geometry::new_polygon([coordinates(&ring)]))
}

/// One line as a LineString, several as a MultiLineString.
pub(super) fn lines(lines: &[Vec<Position>]) -> geojson::Geometry {
    match lines {
        [line] => geojson::Geometry::new_line_string(coordinates(line)),
        _ => geojson::Geometry::new_multi_line_string(lines.iter().map(|l| coordinates(l))),
    }
}

/// A Point.
pub(super) fn point(p: Position) -> geojson::Geometry {
    geojson::Geometry::new_point(coordinate(p))
}

fn coordinate(p: Position) -> [f64; 2] {
    let (lon, lat) = degrees(p);
    [lon, lat]
}

fn coordinates(line: &[Position]) -> Vec<[f64; 2]> {
    line.iter().map(|p| coordinate(*p)).collect()
}

/// Area centroid of a closed ring (vertex mean for a degenerate one), rounded to 10⁻⁷°.
pub(super) fn centroid(ring: &[Position]) -> Position {
    let Some(&origin) = ring.first() else {
        return [0, 0];
    };
    // Relative to the first vertex, so the products stay small and exact in f64.
    let rel: Vec<(f64, f64)> = ring
        .iter()
        .map(|p| (f64::from(p[0] - origin[0]), f64::from(p[1] - origin[1])))
        .collect();
    let (mut a2, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for w in rel.windows(2) {
        let cross = w[0].0 * w[1].1 - w[1].0 * w[0].1;
        a2 += cross;
        cx += (w[0].0 + w[1].0) * cross;
        cy += (w[0].1 + w[1].1) * cross;
    }
    let (dx, dy) = if a2.abs() > f64::EPSILON {
        (cx / (3.0 * a2), cy / (3.0 * a2))
    } else {
        let (sx, sy, n) = rel.iter().fold((0.0, 0.0, 0.0), |(sx, sy, n), p| {
            (sx + p.0, sy + p.1, n + 1.0)
        });
        (sx / n, sy / n)
    };
    offset(origin, dx, dy)
}

/// The point halfway along a line, by length (longitude scaled by cos latitude).
pub(super) fn halfway(line: &[Position]) -> Position {
    let Some(&first) = line.first() else {
        return [0, 0];
    };
    let scale = degrees(first).1.to_radians().cos();
    let length = |a: Position, b: Position| {
        let dx = f64::from(b[0] - a[0]) * scale;
        let dy = f64::from(b[1] - a[1]);
        dx.hypot(dy)
    };
    let total: f64 = line.windows(2).map(|w| length(w[0], w[1])).sum();
    let mut left = total / 2.0;
    for w in line.windows(2) {
        let l = length(w[0], w[1]);
        if l > 0.0 && left <= l {
            let t = left / l;
            let dx = f64::from(w[1][0] - w[0][0]) * t;
            let dy = f64::from(w[1][1] - w[0][1]) * t;
            return offset(w[0], dx, dy);
        }
        left -= l;
    }
    first
}

/// `origin` moved by a (small) offset in decimicrodegrees, rounded.
#[expect(
    clippy::cast_possible_truncation,
    reason = "offsets within one way or ring are far below i32::MAX decimicrodegrees, and \
              `as` saturates anyway"
)]
fn offset(origin: Position, dx: f64, dy: f64) -> Position {
    let round = |base: i32, d: f64| base.saturating_add(d.round() as i32);
    [round(origin[0], dx), round(origin[1], dy)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(points: &[(i32, i32)]) -> Vec<Position> {
        points.iter().map(|&(x, y)| [x, y]).collect()
    }

    #[test]
    fn a_clockwise_ring_becomes_a_counter_clockwise_polygon() {
        let cw = line(&[(0, 0), (0, 10), (10, 10), (10, 0), (0, 0)]);
        assert!(doubled_area(&cw) < 0);
        let geometry = polygon(&cw).expect("a polygon");
        let geojson::GeometryValue::Polygon { coordinates } = geometry.value else {
            panic!("expected a Polygon, got {}", geometry.value.type_name());
        };
        #[expect(
            clippy::cast_possible_truncation,
            reason = "Chongqing coordinates × 1e7 fit an i32 with room to spare"
        )]
        let ring: Vec<Position> = coordinates[0]
            .iter()
            .map(|c| [(c[0] * 1e7).round(), (c[1] * 1e7).round()].map(|v| v as i32))
            .collect();
        assert!(doubled_area(&ring) > 0);
        assert_eq!(ring.first(), ring.last());
    }

    #[test]
    fn halfway_and_centroid_fall_where_expected() {
        assert_eq!(halfway(&line(&[(0, 0), (0, 10), (0, 30)])), [0, 15]);
        assert_eq!(
            centroid(&line(&[(0, 0), (20, 0), (20, 20), (0, 20), (0, 0)])),
            [10, 10]
        );
    }

    #[test]
    fn a_bbox_must_be_four_numbers_min_before_max() {
        assert_eq!(
            parse_bbox("106.5,29.5,106.6,29.6"),
            Ok([106.5, 29.5, 106.6, 29.6])
        );
        assert!(parse_bbox("106.6,29.5,106.5,29.6").is_err());
        assert!(parse_bbox("106.5,29.5,106.6").is_err());
        assert!(parse_bbox("a,b,c,d").is_err());
    }
}
