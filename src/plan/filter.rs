//! What planners ask of a list of features, as functions of the typed model: the items filters
//! (`theme`, `section`, `status`, `q`), the search ranking and the brief reference near's
//! district-wide list gives.
//!
//! Inputs: a [`PlannedFeature`] (or a context feature's name and aliases) and the request's
//! terms, already normalised by the caller. Outputs: yes/no, a rank, or a serialisable
//! reference. No I/O, no JSON digging: renaming a property cannot silently break a filter.

use serde::Serialize;

use super::{Action, Layer, PlannedFeature, SectionRef, Status};

/// The items filters of `/api/collections/{id}/items`; every given term must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The feature's theme, exactly (产业, 文旅 …).
    pub theme: Option<String>,
    /// The section's number as written (`（三）`) or its title, exactly.
    pub section: Option<String>,
    /// The status of the planning verb.
    pub status: Option<Status>,
    /// Text contained in the name, an alias or the quote.
    pub q: Option<String>,
}

impl Filter {
    /// Whether no term is given (every feature passes).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.theme.is_none() && self.section.is_none() && self.status.is_none() && self.q.is_none()
    }

    /// Whether a planned feature passes every given term.
    #[must_use]
    pub fn matches(&self, f: &PlannedFeature) -> bool {
        if let Some(theme) = &self.theme
            && f.theme != *theme
        {
            return false;
        }
        if let Some(section) = &self.section
            && f.section.number.as_deref() != Some(section.as_str())
            && f.section.title.as_deref() != Some(section.as_str())
        {
            return false;
        }
        if let Some(status) = self.status
            && f.status() != Some(status)
        {
            return false;
        }
        if let Some(q) = &self.q
            && !(f.name.contains(q.as_str())
                || f.aliases.iter().any(|a| a.contains(q.as_str()))
                || f.quote.contains(q.as_str()))
        {
            return false;
        }
        true
    }

    /// Whether a context feature (the district, a station), which has no theme, section or
    /// status, passes: only when no such term is given and `q` (if any) is in its names.
    #[must_use]
    pub fn matches_context(&self, name: &str, aliases: &[String]) -> bool {
        if self.theme.is_some() || self.section.is_some() || self.status.is_some() {
            return false;
        }
        self.q
            .as_deref()
            .is_none_or(|q| name.contains(q) || aliases.iter().any(|a| a.contains(q)))
    }
}

/// Which text a search query was found in; ranks in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchMatch {
    /// The name is the query.
    NameExact,
    /// The name starts with the query.
    NamePrefix,
    /// The name contains the query.
    Name,
    /// An alias contains the query.
    Alias,
    /// The quote contains the query.
    Quote,
}

impl SearchMatch {
    /// What the search answer's `matched` says: `name`, `alias` or `quote`.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            SearchMatch::NameExact | SearchMatch::NamePrefix | SearchMatch::Name => "name",
            SearchMatch::Alias => "alias",
            SearchMatch::Quote => "quote",
        }
    }
}

/// How well a feature's texts match a (normalised, non-empty) search query, best first;
/// `None` when the query is in none of them. Shorter names rank first within a rank; the
/// caller sorts by `(SearchMatch, name length)`.
#[must_use]
pub fn search_match(
    name: &str,
    aliases: &[String],
    quote: &str,
    query: &str,
) -> Option<SearchMatch> {
    if name == query {
        Some(SearchMatch::NameExact)
    } else if name.starts_with(query) {
        Some(SearchMatch::NamePrefix)
    } else if name.contains(query) {
        Some(SearchMatch::Name)
    } else if aliases.iter().any(|a| a.contains(query)) {
        Some(SearchMatch::Alias)
    } else if !quote.is_empty() && quote.contains(query) {
        Some(SearchMatch::Quote)
    } else {
        None
    }
}

/// A reference to a planned feature: what a list needs to show and filter it, and the path of
/// the whole feature (near's `district_wide` in its brief form).
#[derive(Debug, Clone, Serialize)]
pub struct Brief<'a> {
    /// Feature id.
    pub id: &'a str,
    /// Its layer.
    pub layer: Layer,
    /// Its name.
    pub name: &'a str,
    /// Its kind.
    pub kind: &'a str,
    /// Its theme.
    pub theme: &'a str,
    /// Its section.
    pub section: &'a SectionRef,
    /// The planning verb and status.
    pub action: Option<&'a Action>,
    /// Path of the whole feature (percent-encoded by the caller).
    pub href: String,
}

impl PlannedFeature {
    /// The brief reference to this feature, pointing at `href`.
    #[must_use]
    pub fn brief(&self, href: String) -> Brief<'_> {
        Brief {
            id: &self.id,
            layer: self.layer,
            name: &self.name,
            kind: &self.kind,
            theme: &self.theme,
            section: &self.section,
            action: self.action.as_ref(),
            href,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use std::sync::Arc;

    use crate::plan::{Location, MatchType, Reading};

    fn feature(name: &str, theme: &str, status: Option<Status>, quote: &str) -> PlannedFeature {
        PlannedFeature {
            reading: Arc::new(Reading {
                id: format!("r/zones/{name}"),
                name: name.into(),
                aliases: Vec::new(),
                layer: Layer::Zones,
                kind: "片区".into(),
                kind_group: "片区".into(),
                report_aliases: Vec::new(),
                components: Vec::new(),
                segments: Vec::new(),
                report: "r".into(),
                section_id: 0,
                section: SectionRef {
                    part: Some("二".into()),
                    number: Some("（三）".into()),
                    title: Some("推动城市更新".into()),
                },
                theme: theme.into(),
                mentions: Vec::new(),
                quote: quote.into(),
                quote_note: None,
                mention_quotes: Vec::new(),
                action: status.map(|status| Action {
                    verb: "推进".into(),
                    status,
                }),
                targets: Vec::new(),
                place: String::new(),
            }),
            location: Location {
                match_type: MatchType::Unlocated,
                source: "test".into(),
                uncertainty_m: None,
                confidence: 0.0,
                editor: None,
                at: None,
            },
            geometry: None,
        }
    }

    #[test]
    fn a_section_filter_matches_the_number_or_the_title_and_nothing_else() {
        let f = feature("化龙桥片区", "城市更新", None, "推进化龙桥片区更新。");
        let by = |s: &str| Filter {
            section: Some(s.into()),
            ..Filter::default()
        };
        assert!(by("（三）").matches(&f));
        assert!(by("推动城市更新").matches(&f));
        assert!(!by("三").matches(&f));
        assert!(!by("二").matches(&f), "the part is not the section");
    }

    #[test]
    fn context_features_pass_only_name_filters() {
        let aliases = vec!["渝中".to_string()];
        let q = Filter {
            q: Some("渝中".into()),
            ..Filter::default()
        };
        assert!(q.matches_context("渝中区", &aliases));
        let theme = Filter {
            theme: Some("产业".into()),
            ..Filter::default()
        };
        assert!(!theme.matches_context("渝中区", &aliases));
        assert!(Filter::default().matches_context("较场口", &[]));
    }

    #[test]
    fn search_ranks_the_exact_name_before_prefixes_aliases_and_quotes() {
        let none: Vec<String> = Vec::new();
        let alias = vec!["十八梯传统风貌区".to_string()];
        assert_eq!(
            search_match("十八梯", &none, "", "十八梯"),
            Some(SearchMatch::NameExact)
        );
        assert_eq!(
            search_match("十八梯步道", &none, "", "十八梯"),
            Some(SearchMatch::NamePrefix)
        );
        assert_eq!(
            search_match("新十八梯", &none, "", "十八梯"),
            Some(SearchMatch::Name)
        );
        assert_eq!(
            search_match("某地", &alias, "", "风貌区"),
            Some(SearchMatch::Alias)
        );
        assert_eq!(
            search_match("某地", &none, "打造十八梯", "十八梯"),
            Some(SearchMatch::Quote)
        );
        assert_eq!(search_match("某地", &none, "", "十八梯"), None);
        assert!(SearchMatch::NameExact < SearchMatch::Quote);
        assert_eq!(SearchMatch::NamePrefix.field(), "name");
    }

    #[test]
    fn a_brief_reference_carries_what_a_list_shows_and_the_path() {
        let f = feature(
            "化龙桥片区",
            "城市更新",
            Some(Status::Starting),
            "启动化龙桥片区。",
        );
        let v = serde_json::to_value(f.brief("/x".into())).expect("serialises");
        assert_eq!(v["id"], "r/zones/化龙桥片区");
        assert_eq!(v["layer"], "zones");
        assert_eq!(v["section"]["number"], "（三）");
        assert_eq!(v["action"]["status"], "starting");
        assert_eq!(v["href"], "/x");
        assert!(v.get("quote").is_none(), "brief leaves the quote out");
    }

    #[derive(Deserialize)]
    struct Cases {
        cases: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        filter: CaseFilter,
        feature: CaseFeature,
        expected: bool,
    }

    #[derive(Deserialize)]
    struct CaseFilter {
        theme: Option<String>,
        section: Option<String>,
        status: Option<String>,
        q: Option<String>,
    }

    #[derive(Deserialize)]
    struct CaseFeature {
        name: String,
        #[serde(default)]
        aliases: Vec<String>,
        theme: String,
        #[serde(default)]
        section: SectionRef,
        action: Option<CaseAction>,
        quote: String,
        kind: String,
        layer: Layer,
    }

    #[derive(Deserialize)]
    struct CaseAction {
        status: Status,
    }

    #[test]
    fn the_filter_cases_shared_with_the_page_hold() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/web/tests/fixtures/filter-cases.json"
        );
        let text = std::fs::read_to_string(path).expect("the shared filter cases exist");
        let cases: Cases = serde_json::from_str(&text).expect("the shared filter cases parse");
        assert!(cases.cases.len() >= 10, "a handful of cases at least");
        let mut expected_false = 0;
        for case in cases.cases {
            let c = case.feature;
            let mut f = feature(&c.name, &c.theme, c.action.map(|a| a.status), &c.quote);
            f.aliases = c.aliases;
            f.section = c.section;
            f.kind = c.kind;
            f.layer = c.layer;
            let status = case.filter.status.as_deref().map(|s| {
                Status::parse(s).unwrap_or_else(|| panic!("{}: unknown status {s}", case.name))
            });
            let filter = Filter {
                theme: case.filter.theme,
                section: case.filter.section,
                status,
                q: case.filter.q,
            };
            assert_eq!(filter.matches(&f), case.expected, "case `{}`", case.name);
            expected_false += usize::from(!case.expected);
        }
        assert!(expected_false > 0, "some cases must exclude a feature");
    }
}
