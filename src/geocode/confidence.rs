//! What a planner is told about how a feature was placed: a `confidence` computed from the
//! evidence, and the `location.source` written in Chinese.
//!
//! Input: the [`Location`] the placer wrote (tier, uncertainty in metres and a curator's source
//! note in English that names every anchor with its file). Output: the served [`Location`], the
//! same tier and uncertainty with a Chinese source sentence and a confidence in 0–1. The
//! curator's note stays in the gazetteer and in `planmap parse` for curators; planners read the
//! served form.
//!
//! # The confidence formula
//!
//! `confidence = clamp(base(tier) + evidence − knowledge_only, 0, 1) × (1 − min(u, 2000) / 4000)`
//!
//! - `base`: exact 0.90, alias 0.85, anchor 0.55, part of 0.35, unlocated 0 (how directly the
//!   geometry is the place's own);
//! - `evidence`: +0.04 per OpenStreetMap point or line named as an anchor (at most 3 counted),
//!   +0.02 per reference-only bus stop (at most 3): more independent anchors, less doubt;
//! - `knowledge_only`: −0.10 when an approximate placement names no sourced anchor at all;
//! - `u` is `uncertainty_m`: a 300 m placement keeps 92.5% of its score, 2 km or more half.
//!
//! The result is rounded to two decimals.

use crate::plan::{Location, MatchType};

/// What a source note says about the anchors a placement rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// OpenStreetMap stations or lines named as anchors.
    pub osm: usize,
    /// Bus stops from the reference-only list named as anchors.
    pub reference_stops: usize,
    /// Names of the anchors, in the order the note gives them, without repeats.
    pub anchors: Vec<String>,
}

const OSM_FILES: [&str; 2] = ["osm-rail-stations.geojson", "osm-metro-lines-2016.geojson"];
const REFERENCE_FILE: &str = "reference-bus-stops-2022.geojson";

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The place name written just before byte `at` of `note`: the token before it when it holds
/// Chinese (`李子坝(李子坝正街)站`), else the last run of Chinese characters a little before it
/// (`重庆 (railway station)` gives `重庆`).
fn name_before(note: &str, at: usize) -> Option<String> {
    let before = note[..at].trim_end().trim_end_matches('(').trim_end();
    let token = before
        .rsplit([' ', ';', ',', ':', '；', '，', '：'])
        .next()
        .unwrap_or("");
    if token.chars().any(is_cjk) {
        return Some(token.trim_matches(|c: char| !is_cjk(c)).to_string());
    }
    let tail: String = before.chars().rev().take(48).collect();
    let run: String = tail
        .chars()
        .skip_while(|c| !is_cjk(*c))
        .take_while(|c| is_cjk(*c))
        .collect();
    (!run.is_empty()).then(|| run.chars().rev().collect())
}

/// Reads the anchors a curator's note names (each written `NAME (FILE, …)`).
#[must_use]
pub fn evidence(note: &str) -> Evidence {
    let mut e = Evidence::default();
    let mut seen = std::collections::HashSet::new();
    // (byte position, name): sorted at the end so the names come out in the note's order.
    let mut found: Vec<(usize, String)> = Vec::new();
    for (file, is_osm) in OSM_FILES
        .iter()
        .map(|f| (*f, true))
        .chain([(REFERENCE_FILE, false)])
    {
        for (at, _) in note.match_indices(file) {
            let Some(name) = name_before(note, at) else {
                continue;
            };
            // One anchor repeated in a long note (a shared core point) counts once.
            if !seen.insert(name.clone()) {
                continue;
            }
            if is_osm {
                e.osm += 1;
            } else {
                e.reference_stops += 1;
            }
            found.push((at, name));
        }
    }
    found.sort();
    e.anchors = found.into_iter().map(|(_, name)| name).collect();
    e
}

/// The confidence formula of the module doc.
#[must_use]
pub fn confidence(tier: MatchType, e: &Evidence, uncertainty_m: Option<f64>) -> f64 {
    let base = match tier {
        // A planner placed it on purpose: the strongest evidence we have, but still a
        // drawing with a stated uncertainty, which the factor below applies.
        MatchType::Curated => 0.95,
        MatchType::Exact => 0.90,
        MatchType::Alias => 0.85,
        MatchType::Anchor => 0.55,
        MatchType::PartOf => 0.35,
        MatchType::Unlocated => return 0.0,
    };
    #[expect(clippy::cast_precision_loss, reason = "counts of at most 3")]
    let evidence = 0.04 * e.osm.min(3) as f64 + 0.02 * e.reference_stops.min(3) as f64;
    let approximate = matches!(tier, MatchType::Anchor | MatchType::PartOf);
    let knowledge_only = if approximate && e.osm + e.reference_stops == 0 {
        0.10
    } else {
        0.0
    };
    let u = uncertainty_m.unwrap_or(0.0).clamp(0.0, 2000.0);
    let score = (base + evidence - knowledge_only).clamp(0.0, 1.0) * (1.0 - u / 4000.0);
    (score * 100.0).round() / 100.0
}

/// The anchors as a short Chinese list (at most four, then 等).
fn anchor_list(e: &Evidence) -> String {
    let names: Vec<&str> = e.anchors.iter().map(String::as_str).take(4).collect();
    let more = if e.anchors.len() > 4 { "等" } else { "" };
    format!("{}{more}", names.join("、"))
}

/// What the anchors are, in Chinese: "3处 OpenStreetMap 轨道站点或线路、2处公交站名（仅作参考）".
fn anchor_kinds(e: &Evidence) -> String {
    let mut parts = Vec::new();
    if e.osm > 0 {
        parts.push(format!("{}处 OpenStreetMap 轨道站点或线路", e.osm));
    }
    if e.reference_stops > 0 {
        parts.push(format!("{}处公交站名（仅作参考）", e.reference_stops));
    }
    parts.join("、")
}

/// A curated (anchor) placement described for planners.
fn curated_zh(note: &str) -> String {
    let e = evidence(note);
    if e.anchors.is_empty() {
        return "人工整理的地名表：依据公开描述与城市常识绘出的示意位置".into();
    }
    format!(
        "人工整理的地名表：依据{}绘出的示意位置（参考：{}）",
        anchor_kinds(&e),
        anchor_list(&e)
    )
}

/// A planner's correction: the planner's own source text (written by planners for planners, so
/// kept as written); for a place placed through the same name corrected in another report
/// (`gazetteer::curated` writes that note in English), a Chinese sentence naming who and where.
fn curated_by_planner_zh(location: &Location) -> String {
    let note = location.source.as_str();
    if let Some((source, rest)) = note.split_once(" (planner correction by ") {
        let mut parts = rest.trim_end_matches(')').split(", ");
        let editor = parts.next().unwrap_or(rest);
        let on = parts
            .last()
            .and_then(|p| p.strip_prefix("on "))
            .unwrap_or("");
        return format!("规划人员修正：{source}（{editor} 在同名地点 {on} 上标定）");
    }
    // Placed here by a planner: `editor` and `at` are fields of their own, and the source is
    // the planner's words, served as written.
    note.to_owned()
}

/// The Chinese source sentence for a location as the placer wrote it.
#[must_use]
pub fn source_zh(location: &Location) -> String {
    let note = location.source.as_str();
    match location.match_type {
        MatchType::Unlocated => "地名表中尚无此地，暂未定位，列入待补充清单".into(),
        MatchType::Curated => curated_by_planner_zh(location),
        MatchType::Exact | MatchType::Alias => {
            let station = note
                .split('"')
                .nth(1)
                .filter(|_| note.starts_with("OpenStreetMap station"));
            match station {
                Some(name) => {
                    format!("OpenStreetMap 车站点位「{name}」（© OpenStreetMap 贡献者，ODbL）")
                }
                None if note.contains("OpenStreetMap") || note.contains("osm") => {
                    "OpenStreetMap 要素（© OpenStreetMap 贡献者，ODbL）".into()
                }
                None => curated_zh(note),
            }
        }
        MatchType::PartOf => {
            let rest = note.strip_prefix("part of ").unwrap_or(note);
            let (host, host_note) = rest.split_once(": ").unwrap_or((rest, ""));
            // `NAME (gazetteer-id)`: the id is a file key, not for planners.
            let host = host.split(" (").next().unwrap_or(host);
            let host_loc = Location {
                match_type: if host_note.starts_with("OpenStreetMap station") {
                    MatchType::Exact
                } else {
                    MatchType::Anchor
                },
                source: host_note.to_string(),
                uncertainty_m: None,
                confidence: 0.0,
                editor: None,
                at: None,
            };
            format!(
                "取所属地点「{host}」的位置；该地点：{}",
                source_zh(&host_loc)
            )
        }
        MatchType::Anchor => {
            if let Some(places) = note.strip_prefix("line through the gazetteer places it joins: ")
            {
                let names: Vec<&str> = places
                    .split(" — ")
                    .map(|p| p.split(" (").next().unwrap_or(p))
                    .collect();
                return format!(
                    "连接所经地点的示意线：{}（各点取自人工整理的地名表）",
                    names.join("—")
                );
            }
            curated_zh(note)
        }
    }
}

/// The location as served to planners: Chinese source, confidence from the evidence.
#[must_use]
pub fn served_location(location: &Location) -> Location {
    let e = evidence(&location.source);
    Location {
        match_type: location.match_type,
        source: source_zh(location),
        uncertainty_m: location.uncertainty_m,
        confidence: confidence(location.match_type, &e, location.uncertainty_m),
        editor: location.editor.clone(),
        at: location.at.clone(),
    }
}

/// True when a served source reads as Chinese for planners: it holds Chinese characters and
/// names no data file.
#[must_use]
pub fn reads_as_chinese(source: &str) -> bool {
    const FILE_ENDINGS: [&str; 5] = [".geojson", ".json", ".pbf", ".csv", ".txt"];
    source.chars().any(is_cjk) && !FILE_ENDINGS.iter().any(|x| source.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(m: MatchType, source: &str, u: Option<f64>) -> Location {
        Location {
            match_type: m,
            source: source.into(),
            uncertainty_m: u,
            confidence: 0.0,
            editor: None,
            at: None,
        }
    }

    #[test]
    fn a_correction_shared_by_name_says_in_chinese_who_placed_it_and_where() {
        let l = loc(
            MatchType::Curated,
            "区规划局地形图 (planner correction by li.ming, 2026-12-01T08:00:00Z, on a-2026/zones/储奇门街区)",
            Some(50.0),
        );
        let s = source_zh(&l);
        assert_eq!(
            s,
            "规划人员修正：区规划局地形图（li.ming 在同名地点 a-2026/zones/储奇门街区 上标定）"
        );
        assert!(reads_as_chinese(&s));
        assert!(confidence(MatchType::Curated, &Evidence::default(), Some(50.0)) > 0.9);
    }

    const CURATED: &str = "block drawn between 较场口 (osm-rail-stations.geojson, 106.57,29.55), \
        和平路站 (reference-bus-stops-2022.geojson, reference only, 106.56,29.55) and \
        重庆 (railway station) (osm-rail-stations.geojson, 106.54,29.55); again 较场口 \
        (osm-rail-stations.geojson, 106.57,29.55)";

    #[test]
    fn evidence_counts_each_named_anchor_once_by_its_source() {
        let e = evidence(CURATED);
        assert_eq!(e.osm, 2, "{e:?}");
        assert_eq!(e.reference_stops, 1);
        assert_eq!(e.anchors, ["较场口", "和平路站", "重庆"]);
    }

    #[test]
    fn confidence_grows_with_sourced_anchors_and_falls_with_uncertainty() {
        let none = Evidence::default();
        let some = evidence(CURATED);
        let anchor = |e: &Evidence, u| confidence(MatchType::Anchor, e, Some(u));
        assert!(anchor(&some, 300.0) > anchor(&none, 300.0));
        assert!(anchor(&some, 300.0) > anchor(&some, 1500.0));
        // 0.55 + 2×0.04 + 0.02 = 0.65, × (1 − 300/4000) = 0.60125
        assert!((anchor(&some, 300.0) - 0.60).abs() < 1e-9);
        // Knowledge only: 0.55 − 0.10 = 0.45, × 0.925
        assert!((anchor(&none, 300.0) - 0.42).abs() < 1e-9);
        let exact = confidence(MatchType::Exact, &none, Some(50.0));
        assert!(exact > anchor(&some, 300.0));
        assert!(exact > confidence(MatchType::PartOf, &some, Some(300.0)));
        assert!((confidence(MatchType::Unlocated, &some, None)).abs() < f64::EPSILON);
    }

    #[test]
    fn a_station_source_is_written_in_chinese_with_its_licence() {
        let s = source_zh(&loc(
            MatchType::Exact,
            "OpenStreetMap station \"重医\" (1 point: subway), osm-rail-stations.geojson; © OpenStreetMap contributors, ODbL",
            Some(50.0),
        ));
        assert_eq!(
            s,
            "OpenStreetMap 车站点位「重医」（© OpenStreetMap 贡献者，ODbL）"
        );
        assert!(reads_as_chinese(&s));
    }

    #[test]
    fn a_curated_source_names_its_anchors_and_no_file() {
        let s = source_zh(&loc(MatchType::Anchor, CURATED, Some(300.0)));
        assert!(s.starts_with("人工整理的地名表"), "{s}");
        assert!(s.contains("较场口、和平路站、重庆"), "{s}");
        assert!(reads_as_chinese(&s), "{s}");
        assert!(!s.contains("reference only"), "{s}");
    }

    #[test]
    fn a_part_of_source_names_its_host_without_the_gazetteer_id() {
        let s = source_zh(&loc(
            MatchType::PartOf,
            &format!("part of 印制贰厂 (yinzhi-erchang): {CURATED}"),
            Some(250.0),
        ));
        assert!(s.starts_with("取所属地点「印制贰厂」的位置"), "{s}");
        assert!(!s.contains("yinzhi"), "{s}");
        assert!(reads_as_chinese(&s), "{s}");
    }

    #[test]
    fn a_join_names_the_places_it_runs_through() {
        let s = source_zh(&loc(
            MatchType::Anchor,
            "line through the gazetteer places it joins: 大田湾 (datianwan) — 文化宫 (wenhuagong)",
            Some(300.0),
        ));
        assert_eq!(
            s,
            "连接所经地点的示意线：大田湾—文化宫（各点取自人工整理的地名表）"
        );
    }

    #[test]
    fn an_english_note_with_a_file_name_does_not_read_as_chinese() {
        assert!(!reads_as_chinese(CURATED));
        assert!(!reads_as_chinese("reference only"));
    }
}
