//! The properties a client may filter and sort on (OGC API Features Part 3 "queryables"), as a
//! typed list, and how each is read from a planned or context feature; plus the sort order of
//! `sortby`.
//!
//! Inputs: a [`PlannedFeature`] or [`ContextFeature`] and a [`Queryable`]. Outputs: the
//! feature's values of it ([`Scalar`]s: none when null, several for a list such as `metric`),
//! its JSON Schema for `/queryables`, and orderings. Units: `uncertainty_m` is metres;
//! geometries are WGS-84 lon/lat. No I/O; renaming a property here is seen by every caller.

use std::cmp::Ordering;

use geo::Geometry;
use serde_json::{Value, json};

use super::{ContextFeature, ContextKind, PlannedFeature, Status};

/// A property a filter or `sortby` may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queryable {
    /// Feature id.
    Id,
    /// The name as the report writes it.
    Name,
    /// `zones`, `streets` or `projects` (`district`, `stations` for context features).
    Layer,
    /// The finer type from the head word.
    Kind,
    /// The planning theme.
    Theme,
    /// The section's number as written, `（三）`.
    Section,
    /// The section's heading.
    SectionTitle,
    /// The status of the planning verb.
    Status,
    /// The match type of the location (`exact`, `alias`, `part_of`, `anchor`, `unlocated`).
    Match,
    /// The location's uncertainty radius, metres.
    UncertaintyM,
    /// Length in metres of what is drawn, for a line (a street, or only its planned segments).
    LengthM,
    /// Report id.
    Report,
    /// The metric names of the feature's targets: a list.
    Metric,
    /// The geometry.
    Geometry,
}

/// One value of a queryable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// Text.
    Text(&'a str),
    /// A number.
    Number(f64),
}

impl Queryable {
    /// Every queryable, in the order `/queryables` lists them.
    pub const ALL: [Queryable; 14] = [
        Queryable::Id,
        Queryable::Name,
        Queryable::Layer,
        Queryable::Kind,
        Queryable::Theme,
        Queryable::Section,
        Queryable::SectionTitle,
        Queryable::Status,
        Queryable::Match,
        Queryable::UncertaintyM,
        Queryable::LengthM,
        Queryable::Report,
        Queryable::Metric,
        Queryable::Geometry,
    ];

    /// Its name in a filter, `sortby` and `/queryables`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Queryable::Id => "id",
            Queryable::Name => "name",
            Queryable::Layer => "layer",
            Queryable::Kind => "kind",
            Queryable::Theme => "theme",
            Queryable::Section => "section",
            Queryable::SectionTitle => "section_title",
            Queryable::Status => "status",
            Queryable::Match => "match",
            Queryable::UncertaintyM => "uncertainty_m",
            Queryable::LengthM => "length_m",
            Queryable::Report => "report",
            Queryable::Metric => "metric",
            Queryable::Geometry => "geometry",
        }
    }

    /// The queryable of a name, exactly as `/queryables` writes it.
    #[must_use]
    pub fn parse(name: &str) -> Option<Queryable> {
        Queryable::ALL.into_iter().find(|q| q.as_str() == name)
    }

    /// Whether `sortby` may name it (a list or a geometry has no order).
    #[must_use]
    pub fn sortable(self) -> bool {
        !matches!(self, Queryable::Metric | Queryable::Geometry)
    }

    /// Its JSON Schema in `/queryables`.
    #[must_use]
    pub fn schema(self) -> Value {
        let text = |title: &str, description: &str| json!({"title": title, "description": description, "type": "string"});
        match self {
            Queryable::Id => text("id", "Stable feature id, <report>/<layer>/<slug>"),
            Queryable::Name => text("name", "The name as the report writes it (Chinese)"),
            Queryable::Layer => {
                json!({"title": "layer", "type": "string", "enum": ["zones", "streets", "projects", "district", "stations"]})
            }
            Queryable::Kind => text(
                "kind",
                "Finer type from the name's head word (商圈, 园区, 路, 楼宇 …); for stations the OSM station tag",
            ),
            Queryable::Theme => text(
                "theme",
                "Planning theme (产业, 开放, 改革, 文旅, 生态, 城市更新, 治理, 民生, 综合)",
            ),
            Queryable::Section => text(
                "section",
                "The section's number as the report writes it, e.g. （三）",
            ),
            Queryable::SectionTitle => text("section_title", "The section's heading"),
            Queryable::Status => json!({
                "title": "status", "type": "string",
                "description": "Status of the planning verb; null when the sentence has no planning verb",
                "enum": Status::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            }),
            Queryable::Match => json!({
                "title": "match", "type": "string",
                "description": "How the feature was placed: location.match (exact, alias, part_of, anchor, unlocated …)",
            }),
            Queryable::UncertaintyM => json!({
                "title": "uncertainty_m", "type": "number", "minimum": 0,
                "description": "Radius in metres that covers the doubt about the position; null when unlocated",
                "x-ogc-unit": "m",
            }),
            Queryable::LengthM => json!({
                "title": "length_m", "type": "number", "minimum": 0,
                "description": "Length in metres (Haversine) of the drawn line: the whole street, or only the segments the report plans (see the segments property); null for points, areas and unlocated features",
                "x-ogc-unit": "m",
            }),
            Queryable::Report => text("report", "Report id (see /api/report)"),
            Queryable::Metric => json!({
                "title": "metric", "type": "array", "items": {"type": "string"},
                "description": "Metric names of the feature's numeric targets (新增停车位 …). A comparison, IN or LIKE on this list holds when it holds for at least one of its names; IS NULL holds when the feature has no target",
            }),
            Queryable::Geometry => json!({
                "title": "geometry",
                "description": "The feature's geometry (WGS-84); null when unlocated",
                "format": "geometry-any",
                "x-ogc-role": "primary-geometry",
            }),
        }
    }
}

/// A feature whose queryables can be read: planned features and context features.
pub trait Queryables {
    /// The values of `q`: none for null, one for a plain property, any number for a list.
    /// `Geometry` gives no scalar; see [`Queryables::geometry`].
    fn values(&self, q: Queryable) -> Vec<Scalar<'_>>;

    /// The WGS-84 geometry, `None` when unlocated.
    fn geometry(&self) -> Option<&Geometry<f64>>;
}

fn text(v: Option<&str>) -> Vec<Scalar<'_>> {
    v.map(Scalar::Text).into_iter().collect()
}

impl Queryables for PlannedFeature {
    fn values(&self, q: Queryable) -> Vec<Scalar<'_>> {
        match q {
            Queryable::Id => text(Some(&self.id)),
            Queryable::Name => text(Some(&self.name)),
            Queryable::Layer => text(Some(self.layer.as_str())),
            Queryable::Kind => text(Some(&self.kind)),
            Queryable::Theme => text(Some(&self.theme)),
            Queryable::Section => text(self.section.number.as_deref()),
            Queryable::SectionTitle => text(self.section.title.as_deref()),
            Queryable::Status => text(self.status().map(Status::as_str)),
            Queryable::Match => text(Some(self.location.match_type.as_str())),
            Queryable::UncertaintyM => self
                .location
                .uncertainty_m
                .map(Scalar::Number)
                .into_iter()
                .collect(),
            Queryable::LengthM => self.length_m().map(Scalar::Number).into_iter().collect(),
            Queryable::Report => text(Some(&self.report)),
            Queryable::Metric => self
                .targets
                .iter()
                .map(|t| Scalar::Text(t.metric.as_str()))
                .collect(),
            Queryable::Geometry => Vec::new(),
        }
    }

    fn geometry(&self) -> Option<&Geometry<f64>> {
        self.geometry.as_ref()
    }
}

impl Queryables for ContextFeature {
    fn values(&self, q: Queryable) -> Vec<Scalar<'_>> {
        match q {
            Queryable::Id => text(Some(&self.id)),
            Queryable::Name => text(Some(&self.name)),
            Queryable::Layer => text(Some(match self.kind {
                ContextKind::District => "district",
                ContextKind::Station { .. } => "stations",
            })),
            Queryable::Kind => match &self.kind {
                ContextKind::District => text(Some("district")),
                ContextKind::Station { station } => text(station.as_deref()),
            },
            // A context feature is not planned: it has no theme, section, status, match,
            // report or targets, so those are null (and a comparison with them never holds).
            _ => Vec::new(),
        }
    }

    fn geometry(&self) -> Option<&Geometry<f64>> {
        Some(&self.geometry)
    }
}

/// One key of `sortby`: a sortable queryable, ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    /// What to sort on.
    pub queryable: Queryable,
    /// Largest first.
    pub descending: bool,
}

impl SortKey {
    /// Reads `sortby`: comma-separated names, each optionally prefixed by `+` (ascending, the
    /// default) or `-` (descending). A space is read as `+`, since an unescaped `+` in a query
    /// string decodes to one.
    ///
    /// # Errors
    /// The name that is not a sortable queryable.
    pub fn parse_list(text: &str) -> Result<Vec<SortKey>, String> {
        text.split(',')
            .map(|part| {
                let part = part.trim_end();
                let (descending, name) = match part.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (
                        false,
                        part.strip_prefix('+')
                            .unwrap_or(part)
                            .trim_start_matches(' '),
                    ),
                };
                match Queryable::parse(name) {
                    Some(q) if q.sortable() => Ok(SortKey {
                        queryable: q,
                        descending,
                    }),
                    _ => Err(name.to_string()),
                }
            })
            .collect()
    }
}

fn compare_scalar(a: Scalar<'_>, b: Scalar<'_>) -> Ordering {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) => x.total_cmp(&y),
        (Scalar::Text(x), Scalar::Text(y)) => x.cmp(y),
        (Scalar::Number(_), Scalar::Text(_)) => Ordering::Less,
        (Scalar::Text(_), Scalar::Number(_)) => Ordering::Greater,
    }
}

/// The order of two features under `keys`: each key in turn; a null sorts after every value
/// when ascending and before them when descending (as PostgreSQL does). Equal under every
/// key is `Equal`, so a stable sort keeps the collection's own order for ties.
pub fn compare_by(a: &dyn Queryables, b: &dyn Queryables, keys: &[SortKey]) -> Ordering {
    for key in keys {
        let (va, vb) = (a.values(key.queryable), b.values(key.queryable));
        let ord = match (va.first(), vb.first()) {
            (Some(x), Some(y)) => compare_scalar(*x, *y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let ord = if key.descending { ord.reverse() } else { ord };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sortby_reads_signs_and_refuses_unknown_or_unsortable_names() {
        let keys = SortKey::parse_list("-uncertainty_m,name, kind,+theme").expect("parses");
        assert_eq!(
            keys,
            vec![
                SortKey {
                    queryable: Queryable::UncertaintyM,
                    descending: true
                },
                SortKey {
                    queryable: Queryable::Name,
                    descending: false
                },
                SortKey {
                    queryable: Queryable::Kind,
                    descending: false
                },
                SortKey {
                    queryable: Queryable::Theme,
                    descending: false
                },
            ]
        );
        assert_eq!(SortKey::parse_list("height"), Err("height".to_string()));
        assert_eq!(
            SortKey::parse_list("name,geometry"),
            Err("geometry".to_string())
        );
    }

    #[test]
    fn every_queryable_name_reads_back() {
        for q in Queryable::ALL {
            assert_eq!(Queryable::parse(q.as_str()), Some(q));
            assert!(q.schema().is_object());
        }
    }
}
