//! Property tests: no text, however broken, makes parse → validate → layout
//! panic. The long fuzz run is `cargo run --release --example fuzz -- 20`;
//! inputs it finds are kept in `tests/fuzz/crashers/` and replayed here.

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

#[test]
fn saved_crashers_no_longer_crash() {
    let Ok(dir) = std::fs::read_dir("tests/fuzz/crashers") else {
        return;
    };
    for f in dir {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        compile(&String::from_utf8_lossy(&bytes));
    }
}
