//! Property tests: no text, however broken, makes parse → validate → layout
//! panic. The coverage-guided fuzzers are `cargo fuzz run worksheet|packet|
//! roster` (fuzz/, libFuzzer; docs/fuzzing.md): their minimised corpora
//! are kept in `tests/fuzz/corpus/TARGET/` and anything they found in
//! `tests/fuzz/crashers/TARGET/`, and both are replayed here.

use handouts::spec::config::{Config, Paper};
use proptest::prelude::*;
use std::path::Path;

fn compile(src: &str) {
    let _ = handouts::compile_str(
        Path::new("fuzz.yaml"),
        src,
        &Config::default(),
        Paper::Letter,
    );
}

/// Text built from the pieces YAML specs are made of, in any order.
fn yamlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("title: T\n".to_owned()),
        Just("blocks:\n".to_owned()),
        Just("  - ".to_owned()),
        Just("    ".to_owned()),
        Just("\n".to_owned()),
        Just(": ".to_owned()),
        Just("prompt".to_owned()),
        Just("lines: ".to_owned()),
        Just("table: [a, b]".to_owned()),
        Just("scale: s".to_owned()),
        Just("{{x}}".to_owned()),
        Just("**".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("- page-break\n".to_owned()),
        "[a-z]{1,12}",
        "[0-9-]{1,4}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_yamlish_text(src in yamlish()) {
        compile(&src);
    }

    #[test]
    fn never_panics_on_a_mutated_worksheet(at in 0usize..4000, cut in 0usize..200, insert in ".{0,20}") {
        let base = std::fs::read_to_string("worksheets/demo/every-block.yaml").unwrap();
        let mut chars: Vec<char> = base.chars().collect();
        let at = at.min(chars.len());
        let end = (at + cut).min(chars.len());
        chars.splice(at..end, insert.chars());
        compile(&chars.into_iter().collect::<String>());
    }
}

/// Every file kept for a target, corpus and crashers. A missing folder is
/// a failure: a replay of nothing proves nothing.
fn kept(target: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for kind in ["corpus", "crashers"] {
        let dir = format!("tests/fuzz/{kind}/{target}");
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir} must exist: {e}"));
        for f in entries {
            out.push(std::fs::read(f.unwrap().path()).unwrap());
        }
    }
    assert!(out.len() >= 100, "{target}: only {} kept inputs", out.len());
    out
}

#[test]
fn the_worksheet_corpus_and_crashers_replay() {
    kept("worksheet")
        .iter()
        .for_each(|d| handouts::fuzzing::worksheet(d));
}

#[test]
fn the_packet_corpus_and_crashers_replay() {
    kept("packet")
        .iter()
        .for_each(|d| handouts::fuzzing::packet(d));
}

#[test]
fn the_roster_corpus_and_crashers_replay() {
    kept("roster")
        .iter()
        .for_each(|d| handouts::fuzzing::roster(d));
}
