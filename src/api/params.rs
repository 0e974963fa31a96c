//! Query-string parsing and validation, in one place for every route.
//!
//! Input: the raw query string. Output: typed values or an [`ApiError`] naming the parameter.
//! Unknown parameters are refused (an OGC API rule), so a typo never silently changes an
//! answer. Numbers must be finite and in range; `bbox` is `minLon,minLat,maxLon,maxLat`.

use super::error::ApiError;
use super::spec::{Kind, Param};
use crate::datum::Crs;
use crate::spatial::{BBox, BBoxError};

/// Longest value accepted for any parameter, in chars.
pub const MAX_VALUE_CHARS: usize = 200;

/// Parsed query parameters of one request.
#[derive(Debug, Default)]
pub struct Params {
    /// (name, value) in the order given; a handful per request, so a list beats hashing.
    values: Vec<(String, String)>,
}

impl Params {
    /// Parses a raw query string and checks every value against its declared [`Param`]: unknown
    /// parameters, repeated ones, empty values, overlong values, invalid UTF-8 and values of
    /// the wrong type or outside their declared range or set are refused here, in one place.
    ///
    /// # Errors
    /// A 400 naming the offending parameter.
    pub fn parse(raw: Option<&str>, allowed: &[Param]) -> Result<Params, ApiError> {
        let mut values: Vec<(String, String)> = Vec::new();
        // application/x-www-form-urlencoded, decoded once: `&` between pairs, the first `=`
        // between name and value, `+` for a space.
        for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = decode(k).ok_or_else(|| not_utf8("query"))?;
            let v = decode(v).ok_or_else(|| not_utf8(&k))?;
            let Some(spec) = allowed.iter().find(|p| p.name == k) else {
                let names: Vec<&str> = allowed.iter().map(|p| p.name).collect();
                return Err(ApiError::bad(
                    &k,
                    format!("unknown parameter `{k}`; allowed: {}", names.join(", ")),
                ));
            };
            // A filter may be long (a polygon); every other value stays short.
            let cap = match spec.kind {
                Kind::Text(max) => max.max(MAX_VALUE_CHARS),
                _ => MAX_VALUE_CHARS,
            };
            if v.chars().count() > cap {
                return Err(ApiError::bad(
                    &k,
                    format!("value longer than {cap} characters"),
                ));
            }
            check_value(spec, &v)?;
            if values.iter().any(|(name, _)| *name == k) {
                return Err(ApiError::bad(
                    &k,
                    format!("parameter `{k}` given more than once"),
                ));
            }
            values.push((k, v));
        }
        for p in allowed.iter().filter(|p| p.required) {
            if !values.iter().any(|(name, _)| name == p.name) {
                return Err(ApiError::bad(p.name, format!("`{}` is required", p.name)));
            }
        }
        Ok(Params { values })
    }

    /// The raw value, if given and not empty.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A finite number in `min..=max`, or `default` when absent.
    ///
    /// # Errors
    /// A 400 when it is not a finite number in range.
    pub fn f64_in(
        &self,
        name: &str,
        min: f64,
        max: f64,
        default: Option<f64>,
    ) -> Result<f64, ApiError> {
        let Some(v) = self.get(name) else {
            return default.ok_or_else(|| ApiError::bad(name, format!("`{name}` is required")));
        };
        let x: f64 = v
            .trim()
            .parse()
            .map_err(|_| ApiError::bad(name, format!("`{name}` must be a number, got `{v}`")))?;
        if !x.is_finite() || x < min || x > max {
            return Err(ApiError::bad(
                name,
                format!("`{name}` must be between {min} and {max}, got `{v}`"),
            ));
        }
        Ok(x)
    }

    /// A whole number in `min..=max`, or `default` when absent.
    ///
    /// # Errors
    /// A 400 when it is not a whole number in range.
    pub fn usize_in(
        &self,
        name: &str,
        min: usize,
        max: usize,
        default: usize,
    ) -> Result<usize, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        let n: usize = v.trim().parse().map_err(|_| {
            ApiError::bad(name, format!("`{name}` must be a whole number, got `{v}`"))
        })?;
        if n < min || n > max {
            return Err(ApiError::bad(
                name,
                format!("`{name}` must be between {min} and {max}, got {n}"),
            ));
        }
        Ok(n)
    }

    /// The `crs` parameter (default CRS84).
    ///
    /// # Errors
    /// A 400 naming `crs` and the value for an unknown system.
    pub fn crs(&self) -> Result<Crs, ApiError> {
        Ok(self.crs_named("crs")?.unwrap_or_default())
    }

    /// A coordinate system parameter (`crs`, `bbox-crs`, `filter-crs`), if given: an OGC/EPSG
    /// URI or a vendor name.
    ///
    /// # Errors
    /// A 400 naming the parameter and the URI when the system is not supported.
    pub fn crs_named(&self, name: &str) -> Result<Option<Crs>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => Crs::parse(v).map(Some).ok_or_else(|| {
                ApiError::bad(
                    name,
                    format!(
                        "`{name}` `{v}` is not supported; use one of {}",
                        super::spec::CRS_VALUES.join(", ")
                    ),
                )
            }),
        }
    }

    /// The `bbox` parameter, given in `bbox_crs` (axis order and units of that system),
    /// returned in WGS-84 lon/lat.
    ///
    /// # Errors
    /// A 400 unless it is four finite numbers with min ≤ max whose corners lie in the
    /// world once converted.
    pub fn bbox(&self, bbox_crs: Crs) -> Result<Option<BBox>, ApiError> {
        let Some(v) = self.get("bbox") else {
            return Ok(None);
        };
        let [a0, a1, b0, b1] = four_numbers(v)?;
        // The datum shift varies slowly and the other systems are monotonic in each axis;
        // converting the corners keeps the box to within centimetres at district scale.
        let (a_lon, a_lat) = bbox_crs.to_wgs84(a0, a1);
        let (b_lon, b_lat) = bbox_crs.to_wgs84(b0, b1);
        // One check of ranges for boxes, whatever system the box came in.
        let b = BBox::from_corners(
            a_lon.min(b_lon),
            a_lat.min(b_lat),
            a_lon.max(b_lon),
            a_lat.max(b_lat),
        )
        .map_err(|e| ApiError::bad("bbox", e.to_string()))?;
        Ok(Some(b))
    }
}

/// Four comma-separated finite numbers, each minimum ≤ its maximum (the axis meaning depends
/// on `bbox-crs`, so ranges are checked once the box is in WGS-84).
fn four_numbers(v: &str) -> Result<[f64; 4], ApiError> {
    let n = crate::spatial::four_numbers(v).map_err(|e| match e {
        BBoxError::NotFour(_) => ApiError::bad(
            "bbox",
            format!(
                "`{v}` must be minLon,minLat,maxLon,maxLat (four numbers; minLat,minLon,maxLat,maxLon with bbox-crs EPSG:4326)"
            ),
        ),
        other => ApiError::bad("bbox", other.to_string()),
    })?;
    if n[0] > n[2] || n[1] > n[3] {
        return Err(ApiError::bad(
            "bbox",
            "bbox minimum exceeds maximum (order is minimum of each axis, then maximum)",
        ));
    }
    Ok(n)
}

impl Params {
    /// The `report` selection: comma-separated report ids, checked against the loaded ones;
    /// absent or `all` selects every report (an empty list).
    ///
    /// # Errors
    /// A 400 naming the first id that is not a loaded report, and the ids that are.
    pub fn reports(&self, known: &[&str]) -> Result<Vec<String>, ApiError> {
        let Some(v) = self.get("report") else {
            return Ok(Vec::new());
        };
        if v.trim() == "all" {
            return Ok(Vec::new());
        }
        let mut ids: Vec<String> = Vec::new();
        for id in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !known.contains(&id) {
                return Err(ApiError::bad(
                    "report",
                    format!(
                        "no report `{id}`; loaded: {} (see /api/reports)",
                        known.join(", ")
                    ),
                ));
            }
            if !ids.iter().any(|x| x == id) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }
}

/// Checks one value against its declaration (ranges that depend on the server's limits are
/// checked again by the handler with the live limit).
fn check_value(p: &Param, v: &str) -> Result<(), ApiError> {
    let name = p.name;
    if v.is_empty() {
        return Err(ApiError::bad(
            name,
            format!("`{name}` is empty; leave it out instead"),
        ));
    }
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
    match p.kind {
        Kind::Number(min, max) => match number(v) {
            Some(x) if (min..=max).contains(&x) => Ok(()),
            _ => Err(ApiError::bad(
                name,
                format!("`{name}` must be a number from {min} to {max}, got `{v}`"),
            )),
        },
        Kind::Integer(min, max) => match v.trim().parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(()),
            _ => Err(ApiError::bad(
                name,
                format!("`{name}` must be a whole number from {min} to {max}, got `{v}`"),
            )),
        },
        Kind::Text(max) => {
            if v.chars().count() > max {
                Err(ApiError::bad(
                    name,
                    format!("`{name}` is longer than {max} characters"),
                ))
            } else {
                Ok(())
            }
        }
        Kind::OneOf(allowed) => one_of(name, v, allowed),
        Kind::BBox => four_numbers(v).map(|_| ()),
        Kind::Status => one_of(name, v, &p.kind.vocabulary().unwrap_or_default()),
        Kind::Layers => list_of(name, v, &p.kind.vocabulary().unwrap_or_default()),
        Kind::ListOf(allowed) => list_of(name, v, allowed),
    }
}

fn one_of(name: &str, v: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(ApiError::bad(
            name,
            format!("`{name}` must be one of {}, got `{v}`", allowed.join(", ")),
        ))
    }
}

fn list_of(name: &str, v: &str, allowed: &[&str]) -> Result<(), ApiError> {
    for item in v.split(',') {
        if !allowed.contains(&item.trim()) {
            return Err(ApiError::bad(
                name,
                format!(
                    "`{name}` items must be among {}, got `{item}`",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// One form-encoded name or value: `+` is a space, percent-escapes are bytes. `None` when the
/// bytes are not UTF-8: refused by name rather than silently replaced.
fn decode(part: &str) -> Option<String> {
    let spaced = if part.contains('+') {
        std::borrow::Cow::Owned(part.replace('+', " "))
    } else {
        std::borrow::Cow::Borrowed(part)
    };
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

fn not_utf8(parameter: &str) -> ApiError {
    ApiError::bad(
        parameter,
        "the value is not valid UTF-8 once percent-decoded",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::spec;

    #[test]
    fn values_are_checked_against_their_declaration() {
        for (q, parameter) in [
            ("f=xml", "f"),
            ("crs=epsg3857", "crs"),
            ("crs=http://www.opengis.net/def/crs/EPSG/0/4490", "crs"),
            ("bbox-crs=EPSG:4326", "bbox-crs"),
            ("limit=abc", "limit"),
            ("theme=", "theme"),
            ("status=done", "status"),
        ] {
            let e = Params::parse(Some(q), spec::ITEMS).expect_err(q);
            assert!(
                matches!(e, ApiError::BadParameter { parameter: ref p, .. } if p == parameter),
                "{q}: {e:?}"
            );
        }
        let e =
            Params::parse(Some("lon=1&lat=2&layers=zones,parks"), spec::NEAR).expect_err("parks");
        assert!(matches!(e, ApiError::BadParameter { ref parameter, .. } if parameter == "layers"));
    }

    #[test]
    fn unknown_parameters_are_refused_by_name() {
        let e = Params::parse(Some("limit=5&colour=red"), spec::SEARCH).expect_err("refused");
        assert_eq!(
            e,
            ApiError::bad(
                "colour",
                "unknown parameter `colour`; allowed: q, limit, crs, report"
            )
        );
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        for v in ["NaN", "inf", "1e999", "-inf"] {
            let e =
                Params::parse(Some(&format!("lon=1&lat=2&radius_m={v}")), spec::NEAR).expect_err(v);
            assert!(
                matches!(e, ApiError::BadParameter { ref parameter, .. } if parameter == "radius_m"),
                "{v}"
            );
        }
    }

    #[test]
    fn invalid_utf8_in_a_value_is_refused_by_name() {
        let e = Params::parse(Some("q=%FF%FE"), spec::SEARCH).expect_err("refused");
        assert!(
            matches!(e, ApiError::BadParameter { ref parameter, .. } if parameter == "q"),
            "{e:?}"
        );
        assert!(Params::parse(Some("q=%E5%8D%81"), spec::SEARCH).is_ok());
    }

    #[test]
    fn a_reversed_bbox_is_refused_when_the_query_is_read() {
        let e = Params::parse(Some("bbox=106.6,29.5,106.5,29.6"), spec::ITEMS)
            .expect_err("a reversed box is refused");
        assert!(matches!(e, ApiError::BadParameter { ref parameter, .. } if parameter == "bbox"));
        let p = Params::parse(Some("bbox=106.5,29.5,106.6,29.6"), spec::ITEMS).expect("parses");
        assert!(p.bbox(Crs::Wgs84).expect("a box").is_some());
    }

    #[test]
    fn a_bbox_in_epsg_4326_is_read_latitude_first_and_one_in_3857_in_metres() {
        let p = Params::parse(Some("bbox=29.5,106.5,29.6,106.6"), spec::ITEMS).expect("parses");
        let b = p.bbox(Crs::Epsg4326).expect("valid").expect("a box");
        assert_eq!(
            (b.min_lon, b.min_lat, b.max_lon, b.max_lat),
            (106.5, 29.5, 106.6, 29.6)
        );
        let (x0, y0) = crate::datum::wgs84_to_web_mercator(106.5, 29.5);
        let (x1, y1) = crate::datum::wgs84_to_web_mercator(106.6, 29.6);
        let q = format!("bbox={x0},{y0},{x1},{y1}");
        let p = Params::parse(Some(&q), spec::ITEMS).expect("parses");
        let b = p.bbox(Crs::WebMercator).expect("valid").expect("a box");
        assert!(
            (b.min_lon - 106.5).abs() < 1e-9 && (b.max_lat - 29.6).abs() < 1e-9,
            "{b:?}"
        );
        // Read as CRS84, the same numbers are latitudes beyond 90°.
        let p = Params::parse(Some("bbox=29.5,106.5,29.6,106.6"), spec::ITEMS).expect("parses");
        assert!(p.bbox(Crs::Wgs84).is_err());
    }

    #[test]
    fn the_crs_values_the_api_declares_are_exactly_those_the_datum_parses() {
        let mut declared: Vec<&str> = spec::CRS_VALUES.to_vec();
        let mut parsed: Vec<&str> = Crs::ALL
            .iter()
            .flat_map(|c| [c.as_str(), c.uri()])
            .collect();
        declared.sort_unstable();
        parsed.sort_unstable();
        parsed.dedup();
        assert_eq!(declared, parsed);
    }
}
