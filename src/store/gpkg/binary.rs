//! GeoPackage binary geometry: the `GP` header (version, flags, SRS id, envelope) followed by
//! ISO well-known binary (WKB), as GeoPackage 1.3 §2.1.3 defines it.
//!
//! Inputs: a `geo::Geometry<f64>` in WGS-84 longitude/latitude degrees. Outputs: the blob
//! stored in the `geom` column (little-endian, with an `[minx, maxx, miny, maxy]` envelope so
//! readers can filter without parsing WKB), and back. Only 2-D geometries are written; `Line`,
//! `Rect` and `Triangle` are written as the `LineString` or `Polygon` they are. Decoding never
//! panics: a malformed blob is an `Err` with what was wrong.

use geo::{
    BoundingRect, Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint,
    MultiPolygon, Point, Polygon,
};

/// The SRS id of EPSG:4326 in `gpkg_spatial_ref_sys`.
pub const WGS84_SRS_ID: i32 = 4326;

/// Flags byte: little-endian header (bit 0), envelope kind 1 = `[minx, maxx, miny, maxy]`
/// (bits 1–3); not empty, standard (not extended) GeoPackage binary.
const FLAGS_LE_ENVELOPE_XY: u8 = 0b0000_0011;

/// WKB geometry type codes (ISO, 2-D).
const WKB_POINT: u32 = 1;
const WKB_LINESTRING: u32 = 2;
const WKB_POLYGON: u32 = 3;
const WKB_MULTIPOINT: u32 = 4;
const WKB_MULTILINESTRING: u32 = 5;
const WKB_MULTIPOLYGON: u32 = 6;
const WKB_COLLECTION: u32 = 7;

/// Deepest geometry-collection nesting accepted when decoding, so a hostile blob cannot
/// exhaust the stack.
const MAX_DEPTH: usize = 8;

/// Encodes a geometry as a GeoPackage binary blob in EPSG:4326.
#[must_use]
pub fn encode(geometry: &Geometry<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"GP");
    out.push(0); // GeoPackage binary version 1
    out.push(FLAGS_LE_ENVELOPE_XY);
    out.extend_from_slice(&WGS84_SRS_ID.to_le_bytes());
    let rect = geometry.bounding_rect();
    let (min, max) = rect.map_or(
        (
            Coord {
                x: f64::NAN,
                y: f64::NAN,
            },
            Coord {
                x: f64::NAN,
                y: f64::NAN,
            },
        ),
        |r| (r.min(), r.max()),
    );
    for v in [min.x, max.x, min.y, max.y] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    write_wkb(&mut out, geometry);
    out
}

/// Decodes a GeoPackage binary blob (either byte order, any envelope kind) into a geometry.
///
/// # Errors
/// A description of the first problem: bad magic, unsupported flags, truncated or unknown WKB.
pub fn decode(blob: &[u8]) -> Result<Geometry<f64>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("geometry blob does not start with the GeoPackage magic 'GP'".to_owned());
    }
    let flags = blob[3];
    if flags & 0b0010_0000 != 0 {
        return Err("extended GeoPackage geometry is not supported".to_owned());
    }
    if flags & 0b0001_0000 != 0 {
        return Err("empty geometry".to_owned());
    }
    let envelope_doubles = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 4,
        2 | 3 => 6,
        4 => 8,
        other => return Err(format!("unknown envelope indicator {other}")),
    };
    let wkb_start = 8 + envelope_doubles * 8;
    let wkb = blob
        .get(wkb_start..)
        .ok_or_else(|| "geometry blob shorter than its header".to_owned())?;
    decode_wkb(wkb)
}

/// Encodes a geometry as plain ISO WKB (little-endian, 2-D), as PostGIS's `ST_GeomFromWKB`
/// reads it: the exact `f64`s, no decimal text in between.
#[must_use]
pub fn encode_wkb(geometry: &Geometry<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(48);
    write_wkb(&mut out, geometry);
    out
}

/// Decodes plain WKB (either byte order), as PostGIS's `ST_AsBinary` writes it.
///
/// # Errors
/// A description of the first problem: truncated or unknown WKB, bytes after the geometry.
pub fn decode_wkb(wkb: &[u8]) -> Result<Geometry<f64>, String> {
    let mut reader = Reader { bytes: wkb, pos: 0 };
    let geometry = reader.geometry(0)?;
    if reader.pos != wkb.len() {
        return Err(format!(
            "{} bytes after the geometry",
            wkb.len() - reader.pos
        ));
    }
    Ok(geometry)
}

fn write_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn write_len(out: &mut Vec<u8>, len: usize) {
    // Counts beyond u32 cannot occur for geometries that fit in memory as WKB parts.
    write_u32(out, u32::try_from(len).unwrap_or(u32::MAX));
}

fn write_header(out: &mut Vec<u8>, kind: u32) {
    out.push(1); // little-endian WKB
    write_u32(out, kind);
}

fn write_coords(out: &mut Vec<u8>, line: &LineString<f64>) {
    write_len(out, line.0.len());
    for c in &line.0 {
        out.extend_from_slice(&c.x.to_le_bytes());
        out.extend_from_slice(&c.y.to_le_bytes());
    }
}

fn write_polygon_body(out: &mut Vec<u8>, p: &Polygon<f64>) {
    write_len(out, 1 + p.interiors().len());
    write_coords(out, p.exterior());
    for ring in p.interiors() {
        write_coords(out, ring);
    }
}

fn write_wkb(out: &mut Vec<u8>, geometry: &Geometry<f64>) {
    match geometry {
        Geometry::Point(p) => {
            write_header(out, WKB_POINT);
            out.extend_from_slice(&p.x().to_le_bytes());
            out.extend_from_slice(&p.y().to_le_bytes());
        }
        Geometry::Line(l) => write_wkb(out, &Geometry::LineString(LineString::from(*l))),
        Geometry::LineString(l) => {
            write_header(out, WKB_LINESTRING);
            write_coords(out, l);
        }
        Geometry::Polygon(p) => {
            write_header(out, WKB_POLYGON);
            write_polygon_body(out, p);
        }
        Geometry::Rect(r) => write_wkb(out, &Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => write_wkb(out, &Geometry::Polygon(t.to_polygon())),
        Geometry::MultiPoint(mp) => {
            write_header(out, WKB_MULTIPOINT);
            write_len(out, mp.0.len());
            for p in &mp.0 {
                write_wkb(out, &Geometry::Point(*p));
            }
        }
        Geometry::MultiLineString(ml) => {
            write_header(out, WKB_MULTILINESTRING);
            write_len(out, ml.0.len());
            for l in &ml.0 {
                write_header(out, WKB_LINESTRING);
                write_coords(out, l);
            }
        }
        Geometry::MultiPolygon(mp) => {
            write_header(out, WKB_MULTIPOLYGON);
            write_len(out, mp.0.len());
            for p in &mp.0 {
                write_header(out, WKB_POLYGON);
                write_polygon_body(out, p);
            }
        }
        Geometry::GeometryCollection(gc) => {
            write_header(out, WKB_COLLECTION);
            write_len(out, gc.0.len());
            for g in &gc.0 {
                write_wkb(out, g);
            }
        }
    }
}

/// A cursor over WKB bytes; every read checks the length first.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let end = self.pos + N;
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| format!("WKB truncated at byte {}", self.pos))?;
        self.pos = end;
        let mut a = [0u8; N];
        a.copy_from_slice(slice);
        Ok(a)
    }

    fn u32(&mut self, little: bool) -> Result<u32, String> {
        let b = self.take::<4>()?;
        Ok(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self, little: bool) -> Result<f64, String> {
        let b = self.take::<8>()?;
        Ok(if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// A count, bounded by the bytes left so a corrupt count cannot allocate gigabytes.
    fn count(&mut self, little: bool, min_bytes_each: usize) -> Result<usize, String> {
        let n = self.u32(little)? as usize;
        let left = self.bytes.len() - self.pos;
        if n.saturating_mul(min_bytes_each) > left {
            return Err(format!("WKB count {n} exceeds the bytes left ({left})"));
        }
        Ok(n)
    }

    fn coord(&mut self, little: bool) -> Result<Coord<f64>, String> {
        Ok(Coord {
            x: self.f64(little)?,
            y: self.f64(little)?,
        })
    }

    fn line(&mut self, little: bool) -> Result<LineString<f64>, String> {
        let n = self.count(little, 16)?;
        (0..n)
            .map(|_| self.coord(little))
            .collect::<Result<Vec<_>, _>>()
            .map(LineString)
    }

    fn polygon(&mut self, little: bool) -> Result<Polygon<f64>, String> {
        let rings = self.count(little, 4)?;
        if rings == 0 {
            return Err("WKB polygon without rings".to_owned());
        }
        let exterior = self.line(little)?;
        let interiors = (1..rings)
            .map(|_| self.line(little))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Polygon::new(exterior, interiors))
    }

    /// Reads a byte-order byte and a type code.
    fn header(&mut self) -> Result<(bool, u32), String> {
        let [order] = self.take::<1>()?;
        let little = match order {
            0 => false,
            1 => true,
            other => return Err(format!("WKB byte order {other} is neither 0 nor 1")),
        };
        Ok((little, self.u32(little)?))
    }

    fn expect(&mut self, want: u32) -> Result<bool, String> {
        let (little, kind) = self.header()?;
        if kind == want {
            Ok(little)
        } else {
            Err(format!(
                "WKB part of type {kind} where type {want} was expected"
            ))
        }
    }

    fn geometry(&mut self, depth: usize) -> Result<Geometry<f64>, String> {
        if depth > MAX_DEPTH {
            return Err("geometry collections nested too deeply".to_owned());
        }
        let (little, kind) = self.header()?;
        Ok(match kind {
            WKB_POINT => Geometry::Point(Point(self.coord(little)?)),
            WKB_LINESTRING => Geometry::LineString(self.line(little)?),
            WKB_POLYGON => Geometry::Polygon(self.polygon(little)?),
            WKB_MULTIPOINT => {
                let n = self.count(little, 21)?;
                let points = (0..n)
                    .map(|_| {
                        let l = self.expect(WKB_POINT)?;
                        self.coord(l).map(Point)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Geometry::MultiPoint(MultiPoint(points))
            }
            WKB_MULTILINESTRING => {
                let n = self.count(little, 9)?;
                let lines = (0..n)
                    .map(|_| {
                        let l = self.expect(WKB_LINESTRING)?;
                        self.line(l)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Geometry::MultiLineString(MultiLineString(lines))
            }
            WKB_MULTIPOLYGON => {
                let n = self.count(little, 9)?;
                let polygons = (0..n)
                    .map(|_| {
                        let l = self.expect(WKB_POLYGON)?;
                        self.polygon(l)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Geometry::MultiPolygon(MultiPolygon(polygons))
            }
            WKB_COLLECTION => {
                let n = self.count(little, 5)?;
                let parts = (0..n)
                    .map(|_| self.geometry(depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Geometry::GeometryCollection(GeometryCollection(parts))
            }
            other => {
                return Err(format!(
                    "WKB geometry type {other} is not supported (2-D only)"
                ));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, point, polygon};

    fn chaotianmen_square() -> Polygon<f64> {
        polygon![
            (x: 106.5860, y: 29.5640),
            (x: 106.5880, y: 29.5640),
            (x: 106.5880, y: 29.5660),
            (x: 106.5860, y: 29.5660),
        ]
    }

    #[test]
    fn every_geometry_kind_survives_a_round_trip() {
        let shapes: Vec<Geometry<f64>> = vec![
            point!(x: 106.5776, y: 29.5573).into(),
            line_string![(x: 106.570, y: 29.552), (x: 106.575, y: 29.556)].into(),
            chaotianmen_square().into(),
            MultiPoint(vec![
                point!(x: 106.57, y: 29.55),
                point!(x: 106.58, y: 29.56),
            ])
            .into(),
            MultiLineString(vec![
                line_string![(x: 106.57, y: 29.55), (x: 106.58, y: 29.56)],
            ])
            .into(),
            MultiPolygon(vec![chaotianmen_square()]).into(),
            Geometry::GeometryCollection(GeometryCollection(vec![
                point!(x: 106.57, y: 29.55).into(),
            ])),
        ];
        for shape in shapes {
            assert_eq!(decode(&encode(&shape)), Ok(shape.clone()), "{shape:?}");
        }
    }

    #[test]
    fn the_header_carries_magic_srs_and_envelope() {
        let blob = encode(&chaotianmen_square().into());
        assert_eq!(&blob[..4], &[b'G', b'P', 0, 0b11]);
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4326);
        let min_x = f64::from_le_bytes(blob[8..16].try_into().unwrap());
        let max_y = f64::from_le_bytes(blob[32..40].try_into().unwrap());
        assert_eq!((min_x, max_y), (106.5860, 29.5660));
        // WKB starts right after the 4-double envelope: little-endian polygon.
        assert_eq!(&blob[40..45], &[1, 3, 0, 0, 0]);
    }

    #[test]
    fn a_truncated_blob_is_an_error_not_a_panic() {
        let blob = encode(&chaotianmen_square().into());
        for cut in 0..blob.len() {
            assert!(decode(&blob[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn a_huge_count_is_refused_before_allocating() {
        let mut blob = encode(&line_string![(x: 1.0, y: 2.0), (x: 3.0, y: 4.0)].into());
        let at = 40 + 5;
        blob[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&blob).unwrap_err().contains("exceeds"));
    }
}
