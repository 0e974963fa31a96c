//! The whole pipeline on the real seed: report → gazetteer → geocode → atlas, checked against
//! the hand-made gold annotation in `tests/fixtures/`.

use crate::common;

use std::collections::HashSet;
use std::path::Path;

use geo::Intersects;
use planmap::atlas::Atlas;
use planmap::plan::{Layer, MatchType};
use serde_json::Value;

fn atlas() -> std::sync::Arc<Atlas> {
    common::atlas()
}

fn gold() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gold-yuzhong-2025.json");
    serde_json::from_slice(&std::fs::read(path).expect("gold file")).expect("gold is JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_seed_yields_located_features_in_all_three_layers() {
    let atlas = atlas();
    for layer in Layer::ALL {
        let located = atlas
            .features
            .iter()
            .filter(|f| f.layer == layer && f.geometry.is_some())
            .count();
        assert!(
            located >= 5,
            "{} has only {located} located features",
            layer.as_str()
        );
    }
}

#[test]
fn every_located_feature_lies_inside_the_district() {
    let atlas = atlas();
    assert!(atlas.features.iter().any(|f| f.geometry.is_some()));
    for f in &atlas.features {
        if let Some(g) = &f.geometry {
            assert!(
                atlas.boundary.intersects(g),
                "{} ({}) lies outside the district",
                f.name,
                f.id
            );
        }
    }
}

#[test]
fn every_unlocated_item_is_kept_with_its_quote() {
    let atlas = atlas();
    let unlocated: Vec<_> = atlas
        .features
        .iter()
        .filter(|f| f.location.match_type == MatchType::Unlocated)
        .collect();
    assert!(
        !unlocated.is_empty(),
        "the seed names places no gazetteer has"
    );
    for f in unlocated {
        assert!(f.geometry.is_none());
        assert!(f.location.uncertainty_m.is_none());
        // The quote names it (under one of its names), or is the first sentence of the
        // passage a heading naming it opens, and says so; every sentence naming it is kept.
        let named =
            f.quote.contains(&f.name) || f.report_aliases.iter().any(|a| f.quote.contains(a));
        assert!(
            !f.quote.is_empty() && (named || f.quote_note.is_some()),
            "{}: {}",
            f.name,
            f.quote
        );
        assert!(!f.mention_quotes.is_empty(), "{}", f.name);
        for q in &f.mention_quotes {
            assert!(q.quote.contains(&q.name), "{}: {q:?}", f.name);
        }
    }
}

#[test]
fn a_quote_is_never_a_bare_heading() {
    let atlas = atlas();
    for report in &atlas.reports {
        for f in atlas.features.iter().filter(|f| f.report == report.id) {
            let heading = report
                .sentences
                .iter()
                .any(|s| s.heading && s.text == f.quote);
            assert!(!heading, "{} is quoted by a heading: {}", f.name, f.quote);
        }
    }
    let hualongqiao = atlas
        .features
        .iter()
        .find(|f| f.name == "化龙桥国际商务区")
        .expect("化龙桥国际商务区");
    assert_ne!(hualongqiao.quote, "化龙桥国际商务区。");
}

#[test]
fn names_of_one_place_are_one_feature_and_parts_are_listed_under_their_whole() {
    let atlas = atlas();
    let named = |n: &str| {
        atlas
            .features
            .iter()
            .filter(|f| f.name == n || f.report_aliases.iter().any(|a| a == n))
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
    };
    // 解放碑 and 解放碑中央商务区: one feature, keeping the id of the first mention.
    let cbd = named("解放碑中央商务区");
    assert_eq!(cbd, named("解放碑"));
    assert_eq!(cbd, vec!["yuzhong-2025/zones/解放碑"]);
    assert_eq!(named("解放碑朝天门"), named("解放碑—朝天门片区"));
    assert_eq!(named("城市中心主轴"), named("朝天门—解放碑—通远门"));
    assert_eq!(named("城市中心主轴").len(), 1);
    let jiefangbei = atlas
        .features
        .iter()
        .find(|f| f.id == "yuzhong-2025/zones/解放碑")
        .expect("解放碑");
    let sentences: HashSet<usize> = jiefangbei.mentions.iter().map(|m| m.sentence_id).collect();
    assert!(sentences.len() >= 2, "all mentions kept: {sentences:?}");
    // A phase is not the place (山城巷二期 stays its own project).
    assert_ne!(named("山城巷二期"), named("山城巷"));
    // The five 中医药 items are one entry with four components.
    let tcm = atlas
        .features
        .iter()
        .find(|f| f.name == "西部中医药产业园")
        .expect("西部中医药产业园");
    let parts: Vec<&str> = tcm.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(parts, ["西部药材城", "医药城", "康养城", "药膳城"]);
    assert!(tcm.components.iter().all(|c| c.quote.contains(&c.name)));
}

#[test]
fn located_features_state_a_source_and_a_positive_uncertainty() {
    let atlas = atlas();
    let located: Vec<_> = atlas
        .features
        .iter()
        .filter(|f| f.geometry.is_some())
        .collect();
    assert!(located.len() > 50, "the seed places most of its items");
    for f in located {
        assert!(!f.location.source.is_empty(), "{}", f.name);
        assert!(
            f.location.uncertainty_m.is_some_and(|u| u > 0.0),
            "{}",
            f.name
        );
    }
}

#[test]
fn recall_against_the_gold_annotation_is_at_least_95_percent() {
    let atlas = atlas();
    // A name the report uses for a feature, or for a part listed under one.
    let names: HashSet<&str> = atlas
        .features
        .iter()
        .flat_map(|f| {
            std::iter::once(f.name.as_str())
                .chain(f.report_aliases.iter().map(String::as_str))
                .chain(f.components.iter().map(|c| c.name.as_str()))
        })
        .collect();
    let gold = gold();
    let items = gold["items"].as_array().expect("items");
    let missing: Vec<String> = items
        .iter()
        .filter(|item| {
            let mut accepted = strings(&item["accept"]);
            accepted.push(item["name"].as_str().unwrap_or_default().to_string());
            !accepted.iter().any(|a| names.contains(a.as_str()))
        })
        .map(|item| item["name"].as_str().unwrap_or_default().to_string())
        .collect();
    let recall = 1.0 - missing.len() as f64 / items.len() as f64;
    assert!(
        recall >= 0.95,
        "recall {recall:.3}; missing {}: {missing:?}",
        missing.len()
    );
}

#[test]
fn generic_words_are_never_features() {
    let atlas = atlas();
    let gold = gold();
    let generic: HashSet<String> = strings(&gold["not_places"]).into_iter().collect();
    let wrong: Vec<&str> = atlas
        .features
        .iter()
        .filter(|f| generic.contains(&f.name))
        .map(|f| f.name.as_str())
        .collect();
    assert!(wrong.is_empty(), "generic words taken as places: {wrong:?}");
}

#[test]
fn places_outside_the_district_are_never_placed_inside_it() {
    let atlas = atlas();
    let gold = gold();
    let outside: HashSet<String> = strings(&gold["outside_district"]).into_iter().collect();
    let placed: Vec<&str> = atlas
        .features
        .iter()
        .filter(|f| f.geometry.is_some() && outside.contains(&f.name))
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        placed.is_empty(),
        "outside places drawn in the district: {placed:?}"
    );
}

#[test]
fn mentions_point_at_the_exact_words_of_the_report() {
    let atlas = atlas();
    let report = &atlas.reports[0];
    let chars: Vec<char> = report.text.chars().collect();
    for f in &atlas.features {
        for m in &f.mentions {
            let words: String = chars[m.start..m.end].iter().collect();
            // A shared-suffix form (上下半城) is a mention of each name it stands for.
            let names_it = words == f.name
                || f.report_aliases.contains(&words)
                || f.components.iter().any(|c| c.name == words)
                || planmap::report::coordination::stands_for(&words).contains(&f.name);
            assert!(names_it, "{}: {words}", f.id);
            let s = &report.sentences[m.sentence_id];
            assert!(s.start <= m.start && m.end <= s.end);
        }
    }
}

#[test]
fn feature_ids_are_unique_and_stable_across_two_independent_builds() {
    let build = || {
        Atlas::build(
            &common::folder("geodata", "geojson"),
            &common::folder("seeds", "txt"),
        )
        .expect("the default data loads")
    };
    let a = build();
    let b = build();
    assert!(!a.features.is_empty());
    let ids: Vec<&str> = a.features.iter().map(|f| f.id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids");
    assert_eq!(
        ids,
        b.features.iter().map(|f| f.id.as_str()).collect::<Vec<_>>()
    );
}

/// Named OSM stations inside or touching the district, as (name, point): independent truth
/// for every place named after a station.
fn district_stations(atlas: &Atlas) -> Vec<(String, geo::Point<f64>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/osm-rail-stations.geojson");
    let v: Value = serde_json::from_slice(&std::fs::read(path).expect("stations")).expect("JSON");
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| {
            let name = f["properties"]["name"].as_str()?;
            let c = f["geometry"]["coordinates"].as_array()?;
            let p = geo::Point::new(c[0].as_f64()?, c[1].as_f64()?);
            atlas.boundary.intersects(&p).then(|| (name.to_string(), p))
        })
        .collect()
}

#[test]
fn places_named_after_a_station_lie_within_their_uncertainty_of_it() {
    // Truth: the OpenStreetMap station a place is named after (大坪商圈 → 大坪, 李子坝大公报片区
    // → 李子坝). The place may be larger than the station, but the station must lie within the
    // stated uncertainty of the drawn geometry, or the dot is not to be trusted.
    let atlas = atlas();
    let stations = district_stations(&atlas);
    let mut checked = Vec::new();
    for f in atlas.features.iter().filter(|f| f.geometry.is_some()) {
        let Some((station, p)) = stations
            .iter()
            // The station named after the city (重庆) names only 重庆站, not 重庆天地.
            .filter(|(name, _)| {
                let with_suffix = format!("{name}站");
                f.name.starts_with(&with_suffix)
                    || (name != "重庆" && f.name.starts_with(name.as_str()))
            })
            .max_by_key(|(name, _)| name.chars().count())
        else {
            continue;
        };
        let g = f.geometry.as_ref().expect("located");
        let d = planmap::spatial::distance_m(g, *p);
        let u = f.location.uncertainty_m.expect("located features state it");
        checked.push((f.name.clone(), station.clone(), d, u));
    }
    assert!(
        checked.len() >= 6,
        "too few station-named places to judge: {checked:?}"
    );
    let within = checked.iter().filter(|(_, _, d, u)| d <= u).count();
    let share = within as f64 / checked.len() as f64;
    assert!(
        share >= 0.85,
        "{within}/{} within their uncertainty: {checked:?}",
        checked.len()
    );
}

#[test]
fn station_entries_match_the_osm_file_exactly() {
    let atlas = atlas();
    let stations = district_stations(&atlas);
    let mut checked = 0;
    for f in atlas
        .features
        .iter()
        .filter(|f| f.location.match_type == MatchType::Exact)
    {
        let points: Vec<geo::Point<f64>> = match &f.geometry {
            Some(geo::Geometry::Point(p)) => vec![*p],
            Some(geo::Geometry::MultiPoint(mp)) => mp.0.clone(),
            _ => continue,
        };
        for p in points {
            checked += 1;
            assert!(
                stations.iter().any(|(_, s)| *s == p),
                "{} claims an exact station position that is not in the OSM file",
                f.name
            );
        }
    }
    assert!(
        checked > 0,
        "the seed has exact station placements to check"
    );
}

#[test]
fn the_axis_from_chaotianmen_to_tongyuanmen_is_on_the_streets_layer_as_the_gazetteer_says() {
    let atlas = atlas();
    let axis: Vec<_> = atlas
        .features
        .iter()
        .filter(|f| f.name.contains("朝天门—解放碑—通远门"))
        .collect();
    assert!(!axis.is_empty(), "the seed plans the axis");
    for f in axis {
        assert_eq!(f.layer, Layer::Streets, "{}", f.id);
        assert!(f.id.contains("/streets/"), "{}", f.id);
    }
}

#[tokio::test]
async fn the_report_route_lists_district_targets_and_place_targets_with_their_features() {
    let (status, _, body) = common::get_json(common::state(), "/api/report").await;
    assert_eq!(status, axum::http::StatusCode::OK);
    let targets = body["targets"].as_array().expect("targets");
    assert!(targets.len() > 100, "{}", targets.len());
    let retail: Vec<&Value> = targets
        .iter()
        .filter(|t| t["metric"] == "社会消费品零售总额")
        .collect();
    assert_eq!(retail.len(), 2);
    for t in &retail {
        assert_eq!(t["owner"], "district");
        assert!(t["feature_ids"].as_array().expect("ids").is_empty());
        assert!(t["sentence_id"].is_u64());
    }
    let base = targets
        .iter()
        .find(|t| t["owner"] == "place" && t["metric"] == "国际货代企业")
        .expect("the base's target");
    assert_eq!(base["places"][0], "西部陆海新通道物流贸易总部基地");
    assert_eq!(base["feature_ids"].as_array().map(Vec::len), Some(1));
}

/// The features of a text we wrote, read in an atlas with the real geodata.
fn features_of(text: &str) -> Vec<std::sync::Arc<planmap::plan::PlannedFeature>> {
    let file = planmap::atlas::NamedFile {
        name: "passage-2027.txt".into(),
        bytes: text.as_bytes().to_vec(),
    };
    let atlas = Atlas::build(&common::folder("geodata", "geojson"), &[file]).expect("builds");
    atlas.features.iter().cloned().collect()
}

#[test]
fn a_passage_opened_by_a_street_places_nothing_else_on_that_street() {
    // 鹅岭正街 is placed through the 鹅岭 station; 守备街 is in no gazetteer entry, so it
    // stays unlocated rather than being drawn on the street its passage opens with.
    let features = features_of(
        "一、城市更新\n（一）老街区。\n鹅岭正街。\n明年对守备街整治，新建步道500米。\n",
    );
    let by_name = |n: &str| {
        features.iter().find(|f| f.name == n).unwrap_or_else(|| {
            panic!(
                "{n} is read: {:?}",
                features.iter().map(|f| &f.name).collect::<Vec<_>>()
            )
        })
    };
    assert!(by_name("鹅岭正街").geometry.is_some());
    let lane = by_name("守备街");
    assert!(lane.geometry.is_none(), "{:?}", lane.location);
    assert_eq!(lane.location.match_type, MatchType::Unlocated);
}
