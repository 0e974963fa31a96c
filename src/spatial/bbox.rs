//! Bounding boxes in WGS-84 degrees: parsed from the `bbox` parameter (`minLon,minLat,maxLon,maxLat`),
//! checked (order, ranges, finite numbers) and used by the index's box queries.
//!
//! Input: the parameter's text or four numbers. Output: a [`BBox`], or a [`BBoxError`] naming
//! what is wrong. Units: degrees.

use geo::{Coord, Rect};
use rstar::AABB;

/// The box of an envelope.
pub(super) fn bbox_of(e: &AABB<[f64; 2]>) -> BBox {
    BBox {
        min_lon: e.lower()[0],
        min_lat: e.lower()[1],
        max_lon: e.upper()[0],
        max_lat: e.upper()[1],
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

/// Why a `minLon,minLat,maxLon,maxLat` text is not a box.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BBoxError {
    /// Not four comma-separated parts.
    #[error("`{0}` must be minLon,minLat,maxLon,maxLat (four numbers)")]
    NotFour(String),
    /// A part is not a finite number.
    #[error("bbox value `{0}` is not a finite number")]
    NotANumber(String),
    /// A longitude outside -180..180 or a latitude outside -90..90.
    #[error("bbox longitudes must lie in -180..180 and latitudes in -90..90")]
    OutOfRange,
    /// A minimum exceeds its maximum.
    #[error("bbox minimum exceeds maximum (order is minLon,minLat,maxLon,maxLat)")]
    Reversed,
}

/// Four comma-separated finite numbers (a box's corners in whatever system it is given).
///
/// # Errors
/// Not four parts, or a part that is not a finite number.
pub fn four_numbers(text: &str) -> Result<[f64; 4], BBoxError> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != 4 {
        return Err(BBoxError::NotFour(text.to_string()));
    }
    let mut n = [0.0f64; 4];
    for (slot, p) in n.iter_mut().zip(&parts) {
        *slot = p
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| BBoxError::NotANumber((*p).to_string()))?;
    }
    Ok(n)
}

impl BBox {
    /// Reads `minLon,minLat,maxLon,maxLat` in degrees, the one parser of boxes for the API and
    /// the command line: four finite numbers, longitudes in -180..180, latitudes in -90..90,
    /// minimum ≤ maximum.
    ///
    /// # Errors
    /// Which of those rules the text breaks.
    pub fn parse(text: &str) -> Result<BBox, BBoxError> {
        let [min_lon, min_lat, max_lon, max_lat] = four_numbers(text)?;
        BBox::from_corners(min_lon, min_lat, max_lon, max_lat)
    }

    /// A box from its corners in degrees: longitudes in -180..180, latitudes in -90..90,
    /// minimum ≤ maximum.
    ///
    /// # Errors
    /// A corner out of range, or a minimum above its maximum.
    pub fn from_corners(
        min_lon: f64,
        min_lat: f64,
        max_lon: f64,
        max_lat: f64,
    ) -> Result<BBox, BBoxError> {
        let lon = -180.0..=180.0;
        let lat = -90.0..=90.0;
        if !(lon.contains(&min_lon)
            && lon.contains(&max_lon)
            && lat.contains(&min_lat)
            && lat.contains(&max_lat))
        {
            return Err(BBoxError::OutOfRange);
        }
        if min_lon > max_lon || min_lat > max_lat {
            return Err(BBoxError::Reversed);
        }
        Ok(BBox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        })
    }

    /// Whether a WGS-84 point lies in the box (edges included).
    #[must_use]
    pub fn contains(self, lon: f64, lat: f64) -> bool {
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }

    pub(super) fn rect(self) -> Rect<f64> {
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
