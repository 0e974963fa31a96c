//! Reading any planning text (issue #11): recall and precision of the planned places read from
//! the development corpus (`tests/fixtures/corpus/`, texts we wrote with gold lists) and from
//! the seed, through the whole pipeline (gazetteer names and the grammar together).

use crate::common;

use std::path::Path;

use planmap::atlas::{Atlas, NamedFile, report_id};
use planmap::plan::Layer;
use planmap::report::gold::{GoldPlace, Score, read_gold, score};

/// The corpus texts of a folder with their gold lists, as (report id, text file, gold TSV).
fn corpus(dir: &str) -> Vec<(String, NamedFile, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    common::folder(dir, "txt")
        .into_iter()
        .map(|f| {
            let gold_path = root.join(f.name.replace(".txt", ".gold.tsv"));
            let gold = std::fs::read_to_string(&gold_path)
                .unwrap_or_else(|e| panic!("{}: {e}", gold_path.display()));
            (report_id(&f.name), f, gold)
        })
        .collect()
}

/// Scores every text of a corpus folder read in one atlas, per text and in total; with the
/// atlas they were read in.
fn score_corpus_in_atlas(dir: &str) -> (Vec<(String, Score)>, Score, Atlas) {
    let texts = corpus(dir);
    assert!(!texts.is_empty(), "{dir} has no texts");
    let files: Vec<NamedFile> = texts.iter().map(|(_, f, _)| f.clone()).collect();
    let atlas = Atlas::build(&common::folder("geodata", "geojson"), &files).expect("builds");
    let mut total = score([], &[]);
    let mut per_text = Vec::new();
    for (id, _, gold) in &texts {
        let gold = read_gold(gold).unwrap_or_else(|e| panic!("{id}: {e}"));
        let report = atlas
            .reports
            .iter()
            .find(|r| &r.id == id)
            .unwrap_or_else(|| panic!("{id} was read"));
        let s = score(report.items.iter().map(|i| i.name.as_str()), &gold);
        total.add(&s);
        per_text.push((id.clone(), s));
    }
    (per_text, total, atlas)
}

/// The names a gold file lists on its `# outside the district:` line (and the `#   `
/// lines continuing it): places wholly outside 渝中区 that a text names. A bracketed remark
/// after a name (`南岸区 (对岸)`, `三峡广场 (a failed lot …)`) is not part of it.
fn outside_names(gold_tsv: &str) -> Vec<String> {
    let mut listed = String::new();
    let mut inside = false;
    for line in gold_tsv.lines() {
        if let Some(rest) = line.strip_prefix("# outside the district:") {
            inside = true;
            listed.push_str(rest);
        } else if inside && line.starts_with("#   ") {
            listed.push_str(&line[1..]);
        } else {
            inside = false;
        }
        listed.push(',');
    }
    // Drop bracketed remarks, which may run over a continuation line.
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in listed.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split([',', ';', '，', '；', '、'])
        .map(|n| n.trim().trim_end_matches(['.', '。']).trim())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// The `(report, name)` of every feature read from a corpus folder that carries a name its
/// gold lists as outside the district and is nevertheless placed inside the district boundary.
fn outside_placed_inside(dir: &str, atlas: &Atlas) -> Vec<(String, String)> {
    use geo::Intersects;
    let mut out = Vec::new();
    for (id, _, gold) in corpus(dir) {
        let outside = outside_names(&gold);
        for f in atlas.features.iter().filter(|f| f.report == id) {
            let named = |n: &String| f.name == *n || f.report_aliases.contains(n);
            let Some(name) = outside.iter().find(|n| named(n)) else {
                continue;
            };
            if f.geometry
                .as_ref()
                .is_some_and(|g| g.intersects(&atlas.boundary))
            {
                out.push((id.clone(), name.clone()));
            }
        }
    }
    out
}

/// The first text of each batch, in the order they were written (`corpus/README.md`,
/// `holdout/README.md`): a batch's totals show how the reader meets text unlike what it was
/// tuned on.
const DEV_BATCHES: &[u32] = &[
    1, 23, 33, 45, 59, 73, 87, 101, 115, 154, 160, 176, 188, 206, 226,
];
const HELD_OUT_BATCHES: &[u32] = &[1, 11, 21, 61, 76, 91];

/// Totals per batch, as `(first text, last text, score)`.
fn per_batch(per_text: &[(String, Score)], firsts: &[u32]) -> Vec<(u32, u32, Score)> {
    let number = |id: &str| -> u32 {
        id.split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let mut out: Vec<(u32, u32, Score)> = Vec::new();
    for (id, s) in per_text {
        let n = number(id);
        let Some(&first) = firsts.iter().rev().find(|&&f| f <= n) else {
            continue;
        };
        if let Some((_, last, total)) = out.iter_mut().find(|(f, _, _)| *f == first) {
            total.add(s);
            *last = (*last).max(n);
        } else {
            let mut total = score([], &[]);
            total.add(s);
            out.push((first, n, total));
        }
    }
    out.sort_by_key(|(f, _, _)| *f);
    out
}

/// The totals of the batches before the one that starts at text `first`, and of that batch.
fn split_at_batch(per_text: &[(String, Score)], firsts: &[u32], first: u32) -> (Score, Score) {
    let mut before = score([], &[]);
    let mut batch = score([], &[]);
    for (f, _, s) in per_batch(per_text, firsts) {
        if f < first {
            before.add(&s);
        } else if f == first {
            batch.add(&s);
        }
    }
    (before, batch)
}

/// One line of totals.
fn totals_line(label: &str, s: &Score) -> String {
    format!(
        "{label}: recall {}/{} = {:.1}%, precision {}/{} = {:.1}%",
        s.found,
        s.gold,
        s.recall() * 100.0,
        s.right,
        s.read,
        s.precision() * 100.0
    )
}

#[test]
fn the_development_corpus_is_read_with_95_percent_recall_and_precision() {
    let dir = "tests/fixtures/corpus";
    let (per_text, total, atlas) = score_corpus_in_atlas(dir);
    assert!(
        per_text.len() >= 15,
        "the corpus has {} texts",
        per_text.len()
    );
    for (id, s) in &per_text {
        println!(
            "{id}: recall {:.1}% precision {:.1}%\n  missed: {:?}\n  extra: {:?}",
            s.recall() * 100.0,
            s.precision() * 100.0,
            s.missed,
            s.extra
        );
    }
    for (first, last, s) in per_batch(&per_text, DEV_BATCHES) {
        println!("{}", totals_line(&format!("dev {first}–{last}"), &s));
    }
    println!("TOTAL\n{total}");
    let misplaced = outside_placed_inside(dir, &atlas);
    println!("outside the district but placed inside: {misplaced:?}");
    // Batches 1–8 (texts 1–114), tuned on for several sessions: 95% recall and precision.
    // Batch 9 (115–153, issue #24's traps), first measured at 86.8% recall and 72.6%
    // precision, now 96.1% / 95.7%: 95% and 95%. Batch 10 (154–159, the classes of the
    // decision stage in new words), first measured at 91.2% / 89.9%: 93% and 93%.
    // Batch 11 (160–175, written before the reader met them), first measured at 92.9% recall
    // and 83.7% precision, now 97.0% / 97.1%: 96% and 96%.
    let (tuned, ninth) = split_at_batch(&per_text, DEV_BATCHES, 115);
    let (_, tenth) = split_at_batch(&per_text, DEV_BATCHES, 154);
    let (_, eleventh) = split_at_batch(&per_text, DEV_BATCHES, 160);
    assert!(ninth.gold > 0, "the ninth batch is missing");
    assert!(tenth.gold > 0, "the tenth batch is missing");
    assert!(eleventh.gold > 0, "the eleventh batch is missing");
    assert!(
        tuned.recall() >= 0.95 && tuned.precision() >= 0.95,
        "texts 1–114 below the bar (95% recall and precision):\n{tuned}"
    );
    assert!(
        ninth.recall() >= 0.95 && ninth.precision() >= 0.95,
        "texts 115–153 below 95% recall or precision:\n{ninth}"
    );
    assert!(
        tenth.recall() >= 0.93 && tenth.precision() >= 0.93,
        "texts 154–159 below 93% recall or precision:\n{tenth}"
    );
    assert!(
        eleventh.recall() >= 0.96 && eleventh.precision() >= 0.96,
        "texts 160–175 below 96% recall or precision:\n{eleventh}"
    );
    // Batch 12 (176–205), held-out batches 4 and 5 retired to development on 2026-12-08 at
    // 90.5% / 83.0% (176–187) and 90.7% / 80.3% (188–205). Issue #24's fourth round fixed
    // classes of their errors (other districts' sections and labels, clause words in front of
    // names, page and forum debris, quoted slogans, lines naming a station, dashed routes,
    // historic-area kinds, pinyin): now 94.9% / 96.8% (176–187) and 96.1% / 93.7% (188–205),
    // guarded there.
    let (_, twelfth_a) = split_at_batch(&per_text, DEV_BATCHES, 176);
    let (_, twelfth_b) = split_at_batch(&per_text, DEV_BATCHES, 188);
    assert!(
        twelfth_a.recall() >= 0.949 && twelfth_a.precision() >= 0.968,
        "texts 176–187 fell below 94.9% recall or 96.8% precision:\n{twelfth_a}"
    );
    assert!(
        twelfth_b.recall() >= 0.961 && twelfth_b.precision() >= 0.937,
        "texts 188–205 fell below 96.1% recall or 93.7% precision:\n{twelfth_b}"
    );
    // Batch 13 (206–225, informal web genres: threads, comments, notes, listings, chats),
    // written before the reader met them, first measured at 89.5% recall and 70.7% precision
    // (90.4% / 73.4% with batch 12's rules), now 91.3% / 89.6% after the classes of social
    // pages, speech, likeness and descriptions: guarded at 91% and 89%.
    let (_, thirteenth) = split_at_batch(&per_text, DEV_BATCHES, 206);
    assert!(
        thirteenth.recall() >= 0.91 && thirteenth.precision() >= 0.89,
        "texts 206–225 fell below where they stand:\n{thirteenth}"
    );
    // Batch 14 (226–237, mixed genres), written at the end of the fourth round, first
    // measured at 93.8% recall and 88.4% precision: not tuned on yet, guarded there.
    let (_, fourteenth) = split_at_batch(&per_text, DEV_BATCHES, 226);
    assert!(
        fourteenth.recall() >= 0.937 && fourteenth.precision() >= 0.883,
        "texts 226–237 fell below where they were first measured:\n{fourteenth}"
    );
}

/// The held-out texts nobody tunes against (`tests/fixtures/holdout/`, each batch written after
/// the reader it measures): only totals are printed, never names. Issue #11's bar on unseen
/// text, recall ≥ 85% and precision ≥ 90%, holds on batches 1–3 (texts 1–30). The fourth and
/// fifth batches (issue #24's traps) were retired to the development corpus on 2026-12-08
/// (`holdout/README.md`) and replaced by batch 6 (61–75, formal genres) and batch 7 (76–90,
/// informal web genres), written by two helpers who never ran the reader. First measured on
/// the reader before that session's tuning: 90.0% / 86.5% and 93.3% / 74.6%; after it (tuned
/// on retired 176–205 and on dev 206–225, never on these): 90.0% / 87.2% and 94.2% / 80.0%,
/// guarded there against falling back (issue #24's bar is 90% / 90%, not met on either).
/// Batch 8 (91–102, mixed genres), written at the end of that session and measured once on
/// the reader after it: 91.7% / 79.6%, guarded there. No
/// feature a gold list names as outside the district may be placed inside it (issue #24's bar).
#[test]
fn held_out_texts_are_read_with_85_percent_recall_and_90_percent_precision() {
    let dir = "tests/fixtures/holdout";
    let (per_text, total, atlas) = score_corpus_in_atlas(dir);
    assert!(
        per_text.len() >= 8,
        "the held-out set has {} texts",
        per_text.len()
    );
    println!(
        "{}",
        totals_line(&format!("held out, {} texts", per_text.len()), &total)
    );
    // Totals per batch only, never a text's name or result.
    for (first, last, s) in per_batch(&per_text, HELD_OUT_BATCHES) {
        println!("{}", totals_line(&format!("held out {first}–{last}"), &s));
    }
    let (_, first_three) = split_at_batch(&per_text, &[1, 31], 1);
    assert!(
        first_three.recall() >= 0.85,
        "held-out 1–30 recall below 85%"
    );
    assert!(
        first_three.precision() >= 0.90,
        "held-out 1–30 precision below 90%"
    );
    let (_, sixth) = split_at_batch(&per_text, HELD_OUT_BATCHES, 61);
    let (_, seventh) = split_at_batch(&per_text, HELD_OUT_BATCHES, 76);
    assert!(
        sixth.gold > 0 && seventh.gold > 0,
        "a held-out batch is missing"
    );
    assert!(
        sixth.recall() >= 0.90 && sixth.precision() >= 0.872,
        "held-out 61–75 fell below where it stood after the fourth round"
    );
    assert!(
        seventh.recall() >= 0.942 && seventh.precision() >= 0.80,
        "held-out 76–90 fell below where it stood after the fourth round"
    );
    let (_, eighth) = split_at_batch(&per_text, HELD_OUT_BATCHES, 91);
    assert!(
        eighth.recall() >= 0.917 && eighth.precision() >= 0.795,
        "held-out 91–102 fell below where it was first measured"
    );
    let misplaced = outside_placed_inside(dir, &atlas);
    println!("held out: {} outside names placed inside", misplaced.len());
    assert!(
        misplaced.is_empty(),
        "{} held-out features named as outside the district are placed inside it",
        misplaced.len()
    );
    assert!(total.recall() >= 0.85, "held-out recall below 85%");
}

/// The seed's own gold list (`tests/fixtures/gold-yuzhong-2025.json`) as gold places.
fn seed_gold() -> Vec<GoldPlace> {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/gold-yuzhong-2025.json")).expect("json");
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| GoldPlace {
            name: i["name"].as_str().unwrap_or_default().to_string(),
            layer: Layer::parse(i["layer"].as_str().unwrap_or_default()).expect("layer"),
            kind: i["kind"].as_str().unwrap_or_default().to_string(),
            accept: i["accept"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// The seed's reading scored against a gold list.
fn seed_score(gold: &[GoldPlace]) -> Score {
    let atlas = common::atlas();
    let report = atlas
        .reports
        .iter()
        .find(|r| r.id == "yuzhong-2025")
        .expect("the seed is read");
    score(report.items.iter().map(|i| i.name.as_str()), gold)
}

/// A second gold list of the seed, made by another annotator without our list or any parser
/// output (`tests/fixtures/seed-independent.gold.tsv`): issue #24's bar is 93% recall.
#[test]
fn the_seed_is_read_with_93_percent_recall_against_the_independent_gold() {
    let gold = read_gold(include_str!("../fixtures/seed-independent.gold.tsv")).expect("gold");
    let s = seed_score(&gold);
    println!("seed, independent gold\n{s}");
    assert!(s.gold >= 90, "{} gold places", s.gold);
    assert!(s.recall() >= 0.93, "below 93% recall:\n{s}");
}

#[test]
fn the_seed_keeps_at_least_104_of_its_106_gold_places() {
    let s = seed_score(&seed_gold());
    println!("seed\n{s}");
    assert_eq!(s.gold, 106);
    assert!(s.found >= 104, "the seed's recall dropped:\n{s}");
}

/// One row of `tests/fixtures/targets-yuzhong-2025.tsv`.
struct GoldTarget {
    sentence: usize,
    metric: String,
    value: f64,
    unit: String,
    /// `district`, or the owning places, 、-separated.
    owner: String,
}

fn gold_targets() -> Vec<GoldTarget> {
    include_str!("../fixtures/targets-yuzhong-2025.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("sentence\t") && !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert!(c.len() >= 6, "bad gold row: {l}");
            GoldTarget {
                sentence: c[0].parse().expect("sentence index"),
                metric: c[2].to_string(),
                value: c[3].parse().expect("value"),
                unit: c[4].to_string(),
                owner: c[5].to_string(),
            }
        })
        .collect()
}

/// An owner as the features it names: `["district"]`, or the sorted ids of the features
/// carrying those names (so 城市中心主轴 and 朝天门—解放碑—通远门, one place, compare equal).
fn owner_ids(atlas: &Atlas, report: &str, owner: &str, places: &[String]) -> Vec<String> {
    if owner == "district" {
        return vec!["district".to_string()];
    }
    let mut ids = atlas.features_named(report, places);
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn the_seeds_targets_go_to_their_owners_with_95_percent_precision() {
    let atlas = common::atlas();
    let report = atlas
        .reports
        .iter()
        .find(|r| r.id == "yuzhong-2025")
        .expect("the seed");
    let gold = gold_targets();
    assert!(gold.len() > 100, "the gold table lists every target");
    let mut used = vec![false; gold.len()];
    let (mut matched, mut right, mut to_places, mut right_places, mut same_metric) =
        (0, 0, 0, 0, 0);
    let mut wrong = Vec::new();
    let mut metric_misses = Vec::new();
    for t in &report.targets {
        let Some(g) = (0..gold.len()).find(|&i| {
            !used[i]
                && gold[i].sentence == t.sentence_id
                && (gold[i].value - t.target.value).abs() < 1e-9
                && gold[i].unit == t.target.unit
        }) else {
            wrong.push(format!("not in the gold table: {:?}", t.target.text));
            continue;
        };
        used[g] = true;
        matched += 1;
        let got = owner_ids(&atlas, &report.id, t.owner, &t.places);
        let gold_places: Vec<String> = gold[g].owner.split('、').map(str::to_string).collect();
        let want_owner = if gold[g].owner == "district" {
            "district"
        } else {
            "place"
        };
        let want = owner_ids(&atlas, &report.id, want_owner, &gold_places);
        if t.owner == "place" {
            to_places += 1;
        }
        if got == want {
            right += 1;
            if t.owner == "place" {
                right_places += 1;
            }
        } else {
            wrong.push(format!(
                "s{} {} {}{}: read {got:?}, gold {want:?}",
                t.sentence_id, t.target.metric, t.target.value, t.target.unit
            ));
        }
        // The same noun phrase, or one that holds it (医疗保险参保率 for 参保率); a shorter one
        // (企业 for 示范企业) has lost what is counted.
        let (m, gm) = (&t.target.metric, &gold[g].metric);
        if m.contains(gm.as_str()) {
            same_metric += 1;
        } else {
            metric_misses.push(format!("{} (gold {})", t.target.metric, gold[g].metric));
        }
    }
    let read = report.targets.len();
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "targets: {read} read, {} in the gold table; owner right for {right}/{read} = {:.1}% (precision), {right}/{} = {:.1}% (recall); given to places {to_places}, right {right_places}",
        gold.len(),
        pct(right, read),
        gold.len(),
        pct(right, gold.len()),
    );
    println!(
        "metric names as the gold writes them: {same_metric}/{matched} = {:.1}%",
        pct(same_metric, matched)
    );
    println!("owner misses ({}): {wrong:#?}", wrong.len());
    println!(
        "metric differences ({}): {metric_misses:#?}",
        metric_misses.len()
    );
    assert!(
        pct(same_metric, matched) >= 90.0,
        "metric names: {metric_misses:#?}"
    );
    assert!(
        pct(right, read) >= 95.0,
        "attribution precision {:.1}% < 95%: {wrong:#?}",
        pct(right, read)
    );
}

#[test]
fn no_place_carries_a_district_aggregate_and_metric_names_are_clean() {
    let atlas = common::atlas();
    let retail = |name: &str| {
        let f = atlas
            .features
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} is planned"));
        f.targets
            .iter()
            .any(|t| t.metric.contains("社会消费品零售总额"))
    };
    assert!(!retail("地王广场"));
    assert!(!retail("十字金街"));
    for f in &atlas.features {
        for t in &f.targets {
            assert!(
                !planmap::report::binding::is_district_metric(&t.metric),
                "{} carries the district's {}",
                f.name,
                t.metric
            );
        }
    }
    for r in &atlas.reports {
        for t in &r.targets {
            let m = &t.target.metric;
            assert!(
                !m.is_empty() && !m.contains(['“', '”', '"', '，', '；', '、']),
                "metric {m:?} of {:?}",
                t.target.text
            );
        }
        let district: Vec<&str> = r
            .targets
            .iter()
            .filter(|t| t.owner == "district")
            .map(|t| t.target.metric.as_str())
            .collect();
        if r.id == "yuzhong-2025" {
            assert!(district.contains(&"社会消费品零售总额"), "{district:?}");
        }
    }
}

#[test]
fn the_seeds_items_have_the_kind_and_theme_a_reader_gives_them_95_percent_of_the_time() {
    let atlas = common::atlas();
    let seed: Vec<&planmap::plan::PlannedFeature> = atlas
        .features
        .iter()
        .filter(|f| f.report == "yuzhong-2025")
        .map(AsRef::as_ref)
        .collect();
    let (mut total, mut agree) = (0, 0);
    let mut misses = Vec::new();
    for line in include_str!("../fixtures/kinds-yuzhong-2025.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name\t") && !l.is_empty())
    {
        let c: Vec<&str> = line.split('\t').collect();
        let (name, kinds, themes) = (c[0], c[1], c[2]);
        // The feature itself, or the one it is another name or a component of.
        let found = seed.iter().find_map(|f| {
            if f.name == name || f.report_aliases.iter().any(|a| a == name) {
                Some((f.kind.clone(), f.theme.clone()))
            } else {
                f.components
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| (p.kind.clone(), f.theme.clone()))
            }
        });
        total += 1;
        let Some((kind, theme)) = found else {
            misses.push(format!("{name}: not read"));
            continue;
        };
        let kind_ok = kinds.split('|').any(|k| k == kind);
        let theme_ok = themes.split('|').any(|t| t == theme);
        if kind_ok && theme_ok {
            agree += 1;
        } else {
            misses.push(format!(
                "{name}: read {kind}/{theme}, expected {kinds}/{themes}"
            ));
        }
    }
    assert!(total >= 40, "the table holds {total} items");
    let pct = 100.0 * f64::from(agree) / f64::from(total);
    println!("kind and theme: {agree}/{total} = {pct:.1}%; misses: {misses:#?}");
    assert!(pct >= 95.0, "{pct:.1}% < 95%: {misses:#?}");
}

#[test]
fn served_kinds_fall_in_at_most_fifteen_display_groups() {
    let atlas = common::atlas();
    let mut kinds: Vec<&str> = atlas.features.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut groups: Vec<&str> = atlas
        .features
        .iter()
        .map(|f| f.kind_group.as_str())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    println!(
        "{} kinds in {} groups: {groups:?}",
        kinds.len(),
        groups.len()
    );
    assert!(groups.len() <= 15, "{groups:?}");
    for f in &atlas.features {
        assert_eq!(
            f.kind_group,
            planmap::vocab::kind_group(&f.kind),
            "{}",
            f.name
        );
    }
}

#[test]
fn outside_names_come_from_the_outside_line_and_its_continuations_without_remarks() {
    let gold = "name\tlayer\tkind\taccept\n\
                # outside the district: 南岸区 (对岸), 南坪西路, 三峡广场 (a failed\n\
                #   lot in 沙坪坝区); 江北区.\n\
                # not items: 渝中区城市管理局.\n\
                解放碑\tzones\tcommercial_district\t\n";
    assert_eq!(
        outside_names(gold),
        ["南岸区", "南坪西路", "三峡广场", "江北区"]
    );
}
