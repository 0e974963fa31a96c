//! The `datetime` of OGC API Features Part 1: an instant (`2025-03-01`,
//! `2025-03-01T08:00:00Z`) or an interval (`2025-01-01/2025-12-31`, open with `..` or nothing on
//! either side), matched against a planned feature's time, which is its report's year: the whole
//! calendar year the report plans.
//!
//! Input: the parameter's text. Output: an [`Interval`] of calendar days and whether a year
//! meets it. Times of day are read and checked, but a year is made of whole days, so only the
//! date decides.

use thiserror::Error;

/// Why a `datetime` value was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DatetimeError {
    /// Not an RFC 3339 date or date-time.
    #[error("`{0}` is not an RFC 3339 date (2025-03-01) or date-time (2025-03-01T08:00:00Z)")]
    NotADate(String),
    /// More than one `/`, or `../..`.
    #[error("`{0}` is not an instant or an interval start/end (`..` for an open end)")]
    NotAnInterval(String),
    /// The start is after the end.
    #[error("the interval `{0}` starts after it ends")]
    Reversed(String),
}

/// A calendar day (year, month, day).
type Day = (i32, u32, u32);

/// Calendar days from `start` to `end`, both included; `None` is an open end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// First day, or open.
    pub start: Option<Day>,
    /// Last day, or open.
    pub end: Option<Day>,
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// One RFC 3339 date or date-time, as its day. A time, when given, must be well formed
/// (`hh:mm:ss`, optional fraction, `Z` or `±hh:mm`); the offset does not move the day, as a
/// year is compared by whole days.
fn day(text: &str) -> Result<Day, DatetimeError> {
    let bad = || DatetimeError::NotADate(text.to_string());
    let (date, time) = match text.find(['T', 't']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    let d: u32 = d.parse().map_err(|_| bad())?;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(y) => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days_in_month {
        return Err(bad());
    }
    if let Some(time) = time {
        let clock = time
            .strip_suffix(['Z', 'z'])
            .or_else(|| {
                let i = time.rfind(['+', '-'])?;
                let offset = &time[i + 1..];
                (offset.len() == 5 && offset.as_bytes()[2] == b':').then_some(&time[..i])
            })
            .ok_or_else(bad)?;
        let whole = clock.split('.').next().unwrap_or_default();
        let hms: Vec<&str> = whole.split(':').collect();
        let ok = hms.len() == 3
            && hms
                .iter()
                .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            && hms[0] < "24"
            && hms[1] < "60"
            && hms[2] <= "60";
        if !ok {
            return Err(bad());
        }
    }
    Ok((y, m, d))
}

impl Interval {
    /// Parses a `datetime` value.
    ///
    /// # Errors
    /// [`DatetimeError`] for a malformed date, a malformed interval or a reversed one.
    pub fn parse(text: &str) -> Result<Interval, DatetimeError> {
        let text = text.trim();
        let open = |s: &str| s.is_empty() || s == "..";
        match text.split_once('/') {
            None => {
                let d = day(text)?;
                Ok(Interval {
                    start: Some(d),
                    end: Some(d),
                })
            }
            Some((a, b)) => {
                if b.contains('/') || (open(a) && open(b)) {
                    return Err(DatetimeError::NotAnInterval(text.to_string()));
                }
                let start = if open(a) { None } else { Some(day(a)?) };
                let end = if open(b) { None } else { Some(day(b)?) };
                if let (Some(s), Some(e)) = (start, end)
                    && s > e
                {
                    return Err(DatetimeError::Reversed(text.to_string()));
                }
                Ok(Interval { start, end })
            }
        }
    }

    /// Whether any day of the calendar `year` lies in the interval.
    #[must_use]
    pub fn meets_year(&self, year: i32) -> bool {
        self.start.is_none_or(|s| s <= (year, 12, 31)) && self.end.is_none_or(|e| e >= (year, 1, 1))
    }

    /// The first and last year the interval touches (open ends stay open).
    #[must_use]
    pub fn years(&self) -> (Option<i32>, Option<i32>) {
        (self.start.map(|d| d.0), self.end.map(|d| d.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_intervals_meet_the_years_they_touch() {
        let i = Interval::parse("2025-01-01/..").expect("open end");
        assert!(i.meets_year(2025) && i.meets_year(2026) && !i.meets_year(2024));
        let i = Interval::parse("../2024-12-31T23:59:59Z").expect("open start");
        assert!(i.meets_year(2024) && !i.meets_year(2025));
        let i = Interval::parse("2025-06-15").expect("instant");
        assert!(i.meets_year(2025) && !i.meets_year(2026));
        let i = Interval::parse("2024-12-31/2025-01-01").expect("across a new year");
        assert!(i.meets_year(2024) && i.meets_year(2025) && !i.meets_year(2026));
        let i = Interval::parse("/2025-02-28T08:00:00+08:00").expect("empty open start");
        assert!(i.meets_year(2025) && i.meets_year(1990));
    }

    #[test]
    fn malformed_values_are_refused_with_a_reason() {
        for bad in [
            "2025",
            "2025-13-01",
            "2025-02-29",
            "2025-01-01T25:00:00Z",
            "2025-01-01T10:00",
            "../..",
            "/",
            "2025-01-01/2025-01-02/2025-01-03",
            "十八梯",
        ] {
            assert!(Interval::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Interval::parse("2025-02-01/2025-01-01"),
            Err(DatetimeError::Reversed("2025-02-01/2025-01-01".into()))
        );
        assert!(Interval::parse("2024-02-29").is_ok());
    }
}
