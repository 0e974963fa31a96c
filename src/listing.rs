//! What was read from each report, for curators (`planmap parse`): its sections, one line per
//! planned feature (layer, kind, name, match, uncertainty, action, targets; below a street,
//! one line per planned segment, drawn or why not) and the features
//! not placed, with their quotes, so a curator knows which gazetteer entries to add. Input: a
//! built [`Atlas`]; output: one [`ReportListing`] per report, printed as a table (`Display`)
//! or as JSON ([`ReportListing::to_json`], coordinates WGS-84).

use std::fmt;

use crate::atlas::Atlas;
use crate::plan::PlannedFeature;
use crate::report::Report;

/// One report and the planned features read from it.
#[derive(Debug, Clone)]
pub struct ReportListing<'a> {
    /// The report.
    pub report: &'a Report,
    /// Its planned features, in the atlas's order.
    pub features: Vec<&'a PlannedFeature>,
}

/// One listing per report of the atlas, in the atlas's order.
#[must_use]
pub fn listings(atlas: &Atlas) -> Vec<ReportListing<'_>> {
    atlas
        .reports
        .iter()
        .map(|report| ReportListing {
            report,
            features: atlas
                .features
                .iter()
                .filter(|f| f.report == report.id)
                .map(AsRef::as_ref)
                .collect(),
        })
        .collect()
}

impl ReportListing<'_> {
    /// The features that could not be placed (geometry null).
    pub fn unresolved(&self) -> impl Iterator<Item = &PlannedFeature> {
        self.features
            .iter()
            .copied()
            .filter(|f| f.geometry.is_none())
    }

    /// `{id, title, sections, sentences (count), features (GeoJSON Features, WGS-84)}`.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        let features: Vec<serde_json::Value> = self
            .features
            .iter()
            .map(|f| f.to_geojson(&|lon, lat| (lon, lat)))
            .collect();
        serde_json::json!({
            "id": self.report.id,
            "title": self.report.title,
            "sections": self.report.sections,
            "sentences": self.report.sentences.len(),
            "features": features,
        })
    }
}

impl fmt::Display for ReportListing<'_> {
    /// The curator's table: a title line, the sections, one line per feature, the unresolved.
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = self.report;
        writeln!(
            out,
            "{} — {} ({} sentences)",
            report.id,
            report.title,
            report.sentences.len()
        )?;
        for s in &report.sections {
            writeln!(
                out,
                "section {} {} {} [{}]",
                s.id,
                s.number.as_deref().unwrap_or("-"),
                s.title.as_deref().unwrap_or("(untitled)"),
                s.theme
            )?;
        }
        for f in &self.features {
            let status = f.action.as_ref().map_or("-".to_string(), |a| {
                format!("{}:{}", a.verb, a.status.as_str())
            });
            let targets: Vec<String> = f
                .targets
                .iter()
                .map(|t| format!("{}={}{}", t.metric, t.value, t.unit))
                .collect();
            writeln!(
                out,
                "{:<9} {:<6} {:<24} {:<10} {:>6} {:<22} {}",
                f.layer.as_str(),
                f.kind,
                f.name,
                f.location.match_type.as_str(),
                f.location
                    .uncertainty_m
                    .map_or("-".into(), |u| format!("{u:.0}m")),
                status,
                targets.join("; ")
            )?;
            for seg in &f.segments {
                let drawn = seg
                    .reason
                    .as_deref()
                    .map_or_else(|| "drawn".to_string(), |why| format!("not drawn: {why}"));
                writeln!(out, "          段 {}至{}段 — {drawn}", seg.from, seg.to)?;
            }
        }
        writeln!(
            out,
            "\nunresolved ({}): not in the gazetteer; add an entry to geodata/ to place them",
            self.unresolved().count()
        )?;
        for f in self.unresolved() {
            writeln!(out, "  {} [{}] — {}", f.name, f.layer.as_str(), f.quote)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::NamedFile;

    fn seed_atlas() -> Atlas {
        Atlas::build(&crate::defaults::geodata(), &crate::defaults::seeds())
            .expect("the default data builds")
    }

    #[test]
    fn each_report_lists_its_own_features_and_every_unplaced_one_with_its_quote() {
        let atlas = seed_atlas();
        let listings = listings(&atlas);
        assert_eq!(listings.len(), atlas.reports.len());
        let listing = &listings[0];
        assert_eq!(listing.features.len(), atlas.features.len());
        let text = listing.to_string();
        let unresolved: Vec<&PlannedFeature> = listing.unresolved().collect();
        assert!(text.contains(&format!("\nunresolved ({}):", unresolved.len())));
        for f in unresolved {
            assert!(text.contains(&format!(
                "  {} [{}] — {}",
                f.name,
                f.layer.as_str(),
                f.quote
            )));
        }
        let json = listing.to_json();
        assert_eq!(json["id"], listing.report.id.as_str());
        assert_eq!(
            json["features"].as_array().map(Vec::len),
            Some(listing.features.len())
        );
    }

    #[test]
    fn two_reports_each_keep_only_the_features_read_from_them() {
        let seed = crate::defaults::seeds().remove(0);
        let short = NamedFile {
            name: "short.txt".into(),
            bytes: "加快推进解放碑步行街改造，启动十八梯二期建设。"
                .as_bytes()
                .to_vec(),
        };
        let atlas =
            Atlas::build(&crate::defaults::geodata(), &[seed, short]).expect("two reports build");
        let listings = listings(&atlas);
        assert_eq!(listings.len(), 2);
        for l in &listings {
            assert!(l.features.iter().all(|f| f.report == l.report.id));
        }
        assert_eq!(
            listings.iter().map(|l| l.features.len()).sum::<usize>(),
            atlas.features.len()
        );
        assert!(listings.iter().all(|l| !l.features.is_empty()));
    }
}
