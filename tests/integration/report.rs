//! The report reader on the real seed: Traditional characters, robustness, and a snapshot of
//! what was read for a curator to review.

use crate::common;

use planmap::atlas::{Atlas, NamedFile};
use planmap::report::{Lexicon, parse};
use proptest::prelude::*;

const SEED: &str = include_str!("../../seeds/yuzhong-2025.txt");

fn atlas_of(text: &str) -> Atlas {
    Atlas::build(
        &common::folder("geodata", "geojson"),
        &[NamedFile {
            name: "yuzhong-2025.txt".into(),
            bytes: text.as_bytes().to_vec(),
        }],
    )
    .expect("builds")
}

#[test]
fn the_report_in_traditional_characters_yields_the_same_items() {
    // Char by char with character_converter's table, keeping only the standard forms a
    // Traditional repost uses (區, 發, 設 …): that table also offers archaic variants (㝡 for
    // 最, 亱 for 夜) that no published text uses, so a form is kept only where the standard
    // T→S table (OpenCC's, the one the reader uses) maps it back to the same simplified char.
    let t2s = ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
        .expect("OpenCC t2s loads");
    let traditional: String = SEED
        .chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            let t = character_converter::simplified_to_traditional(c.encode_utf8(&mut buf))
                .into_owned();
            let mut chars = t.chars();
            match (chars.next(), chars.next()) {
                (Some(tc), None) if t2s.convert(&t) == c.to_string() => tc,
                _ => c,
            }
        })
        .collect();
    let changed = SEED
        .chars()
        .zip(traditional.chars())
        .filter(|(a, b)| a != b)
        .count();
    assert!(
        changed > 2_000,
        "only {changed} chars differ: not a Traditional text"
    );
    let simplified = atlas_of(SEED);
    let converted = atlas_of(&traditional);
    let read = |atlas: &Atlas| -> Vec<(String, &'static str, &'static str)> {
        atlas
            .features
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    f.layer.as_str(),
                    f.location.match_type.as_str(),
                )
            })
            .collect()
    };
    assert_eq!(read(&simplified), read(&converted));
}

#[test]
fn what_the_seed_says_is_read_as_reviewed() {
    let atlas = common::atlas();
    let lines: Vec<String> = atlas
        .features
        .iter()
        .map(|f| {
            let action = f.action.as_ref().map_or("-".to_string(), |a| {
                format!("{}/{}", a.verb, a.status.as_str())
            });
            let targets: Vec<String> = f
                .targets
                .iter()
                .map(|t| format!("{}={}{}", t.metric, t.value, t.unit))
                .collect();
            let also: Vec<String> = f
                .report_aliases
                .iter()
                .map(|a| format!("={a}"))
                .chain(f.components.iter().map(|c| format!("+{}", c.name)))
                .collect();
            format!(
                "{} | {} | {} | {} | {} | {} | {} | {} | {}",
                f.layer.as_str(),
                f.kind,
                f.name,
                f.section.number.as_deref().unwrap_or("-"),
                f.theme,
                f.location.match_type.as_str(),
                action,
                targets.join("; "),
                also.join(" ")
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn the_parser_never_panics_and_offsets_stay_in_bounds(text in "\\PC{0,400}") {
        let r = parse("p", &text, &Lexicon::default());
        let n = r.text.chars().count();
        for s in &r.sentences {
            prop_assert!(s.start <= s.end && s.end <= n);
        }
        for item in &r.items {
            for m in &item.mentions {
                prop_assert!(m.start < m.end && m.end <= n);
            }
        }
    }

    #[test]
    fn the_parser_survives_report_like_text_cut_anywhere(start in 0usize..11_000, len in 0usize..2_000) {
        let chars: Vec<char> = SEED.chars().collect();
        let a = start.min(chars.len());
        let b = (a + len).min(chars.len());
        let piece: String = chars[a..b].iter().collect();
        let r = parse("p", &piece, &Lexicon::default());
        prop_assert!(r.text.chars().count() <= piece.chars().count() + 1);
    }
}
