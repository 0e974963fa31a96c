//! Fuzzes `planmap::report::parse` with arbitrary bytes.
//!
//! The bytes are read as UTF-8 when they are valid (used directly) and through
//! `String::from_utf8_lossy` otherwise (for valid UTF-8 the two are the same string, so each
//! input is parsed once per lexicon). Each input is parsed with an empty lexicon and with a
//! small lexicon of real names, and the documented invariants of the `Report` are checked:
//! char offsets stay inside the normalised text, a mention's offsets spell its item's name,
//! sentences and sections are in bounds, and the normalised text maps back into the raw text.
#![no_main]

use std::collections::HashSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use planmap::report::{Lexicon, LexiconTerm, Report, parse};

/// A few real names from the default gazetteer, including a join (朝天门—解放碑) and two names
/// that overlap (解放碑 inside 朝天门—解放碑).
static SMALL: LazyLock<Lexicon> = LazyLock::new(|| {
    let term = |text: &str, key: &str, kind: &str| LexiconTerm {
        text: text.into(),
        key: key.into(),
        kind: kind.into(),
    };
    Lexicon::new(vec![
        term("十八梯", "shibati", "风貌区"),
        term("解放碑", "jiefangbei", "商务区"),
        term("化龙桥", "hualongqiao", "商务区"),
        term("大坪", "daping", "站"),
        term("朝天门—解放碑", "jiefangbei-chaotianmen", "片区"),
    ])
});

static EMPTY: LazyLock<Lexicon> = LazyLock::new(Lexicon::default);

fn check(raw: &str, lexicon: &Lexicon) {
    let r: Report = parse("fuzz", raw, lexicon);
    let chars: Vec<char> = r.text.chars().collect();
    let len = chars.len();
    let raw_len = raw.chars().count();

    // The map back to the raw text: one origin per normalised char, each inside the raw text.
    assert_eq!(
        r.normalized.text, r.text,
        "Report::text is the normalised text"
    );
    assert_eq!(
        r.normalized.origin.len(),
        len,
        "one origin per normalised char"
    );
    for (i, &o) in r.normalized.origin.iter().enumerate() {
        assert!(
            o < raw_len,
            "origin[{i}] = {o} past the raw text ({raw_len} chars)"
        );
    }
    let _ = r.normalized.original_offset(len);

    // Sections.
    assert!(
        !r.sections.is_empty(),
        "the lead-in section is always there"
    );
    for (i, s) in r.sections.iter().enumerate() {
        assert_eq!(s.id, i, "section ids are indexes");
        assert!(
            s.start <= s.end && s.end <= len,
            "section {i}: {}..{} in {len} chars",
            s.start,
            s.end
        );
    }

    // Sentences: in bounds, in order, not overlapping, and their text is their span.
    let mut prev_end = 0;
    for (i, s) in r.sentences.iter().enumerate() {
        assert_eq!(s.id, i, "sentence ids are indexes");
        assert!(
            s.start <= s.end && s.end <= len,
            "sentence {i}: {}..{} in {len} chars",
            s.start,
            s.end
        );
        assert!(s.start >= prev_end, "sentence {i} overlaps the one before");
        prev_end = s.end;
        assert!(
            s.section_id < r.sections.len(),
            "sentence {i} in section {} of {}",
            s.section_id,
            r.sections.len()
        );
        let span: String = chars[s.start..s.end].iter().collect();
        assert_eq!(span, s.text, "sentence {i}'s text is its span");
    }

    // Items: one per distinct name; every mention spells the name, inside its sentence.
    let mut names = HashSet::new();
    for item in &r.items {
        assert!(
            names.insert(item.name.as_str()),
            "two items named {:?}",
            item.name
        );
        assert!(!item.mentions.is_empty(), "{:?} has no mention", item.name);
        assert!(item.sentence_id < r.sentences.len());
        assert!(item.section_id < r.sections.len());
        for (k, m) in item.mentions.iter().enumerate() {
            if k > 0 {
                assert!(
                    item.mentions[k - 1].start <= m.start,
                    "mentions of {:?} are in text order",
                    item.name
                );
            }
            assert!(
                m.start < m.end && m.end <= len,
                "mention of {:?}: {}..{} in {len} chars",
                item.name,
                m.start,
                m.end
            );
            let words: String = chars[m.start..m.end].iter().collect();
            assert_eq!(
                words, item.name,
                "mention {}..{} spells its item",
                m.start, m.end
            );
            let s = r
                .sentences
                .get(m.sentence_id)
                .expect("a mention's sentence exists");
            assert!(
                s.start <= m.start && m.end <= s.end,
                "mention of {:?} {}..{} outside its sentence {}..{}",
                item.name,
                m.start,
                m.end,
                s.start,
                s.end
            );
        }
        let _ = r.normalized.original_offset(item.mentions[0].start);
    }
}

fuzz_target!(|data: &[u8]| {
    let lossy;
    let raw: &str = match std::str::from_utf8(data) {
        Ok(s) => s,
        Err(_) => {
            lossy = String::from_utf8_lossy(data);
            &lossy
        }
    };
    check(raw, &EMPTY);
    check(raw, &SMALL);
});
