//! Distances widened by a placement's uncertainty: a feature drawn at `d` metres from a point
//! but known only to ±`u` metres may lie anywhere from `max(0, d − u)` to `d + u` away, so a
//! near radius holds it for certain, possibly, or not at all.
//!
//! Inputs and outputs in metres.

/// Whether a feature lies inside a near radius for sure or only possibly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inside {
    /// Even the farthest the feature may be, `d + u`, is within the radius.
    Certain,
    /// Its nearest possible position, `d − u`, is within the radius but `d + u` is not.
    Possible,
}

impl Inside {
    /// The name served in near answers.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Inside::Certain => "certain",
            Inside::Possible => "possible",
        }
    }
}

/// The distance range `[max(0, d − u), d + u]` of a feature at `distance_m` whose position is
/// known to `uncertainty_m`, and whether it lies within `radius_m`; `None` when even its
/// nearest possible position is beyond the radius.
#[must_use]
pub fn classify(distance_m: f64, uncertainty_m: f64, radius_m: f64) -> Option<([f64; 2], Inside)> {
    let u = uncertainty_m.max(0.0);
    let range = [(distance_m - u).max(0.0), distance_m + u];
    if range[0] > radius_m {
        return None;
    }
    let inside = if range[1] <= radius_m {
        Inside::Certain
    } else {
        Inside::Possible
    };
    Some((range, inside))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_widens_the_distance_by_the_uncertainty() {
        assert_eq!(
            classify(220.0, 100.0, 500.0),
            Some(([120.0, 320.0], Inside::Certain))
        );
        assert_eq!(
            classify(220.0, 1500.0, 500.0),
            Some(([0.0, 1720.0], Inside::Possible))
        );
        assert_eq!(
            classify(900.0, 450.0, 500.0),
            Some(([450.0, 1350.0], Inside::Possible))
        );
        assert_eq!(classify(900.0, 300.0, 500.0), None);
        // On the edge: d + u = radius is certain, d − u = radius is possible.
        assert_eq!(
            classify(400.0, 100.0, 500.0).map(|c| c.1),
            Some(Inside::Certain)
        );
        assert_eq!(
            classify(600.0, 100.0, 500.0).map(|c| c.1),
            Some(Inside::Possible)
        );
    }
}
