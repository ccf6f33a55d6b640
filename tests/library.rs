//! The bundled worksheet library: complete, readable, within length, and in
//! its own words.

use handouts::spec::config::{self, Paper};
use handouts::spec::{parse_worksheet, read_source, Stage};
use std::path::{Path, PathBuf};

fn specs_in(folder: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new("worksheets").join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    v
}

const STAGES: [(&str, Stage, usize); 4] = [
    ("overview", Stage::Overview, 1),
    ("atone", Stage::Atone, 4),
    ("attune", Stage::Attune, 4),
    ("attach", Stage::Attach, 4),
];

fn library() -> Vec<(PathBuf, Stage)> {
    STAGES
        .iter()
        .flat_map(|(f, s, _)| specs_in(f).into_iter().map(move |p| (p, *s)))
        .collect()
}

#[test]
fn every_stage_has_its_worksheets_with_audience_time_source_and_licence() {
    for (folder, _, min) in STAGES {
        assert!(
            specs_in(folder).len() >= min,
            "{folder} has fewer than {min} worksheets"
        );
    }
    for (path, stage) in library() {
        let src = read_source(&path).unwrap();
        let spec = parse_worksheet(&path, &src).unwrap();
        let name = path.display();
        assert_eq!(
            spec.stage,
            Some(stage),
            "{name}: stage does not match its folder"
        );
        assert!(
            spec.audience.is_some(),
            "{name}: says nothing of who fills it in"
        );
        assert!(
            spec.time.is_some(),
            "{name}: says nothing of how long it takes"
        );
        assert!(
            spec.source
                .as_deref()
                .is_some_and(|s| s.contains("Gottman")),
            "{name}: source"
        );
        assert!(
            spec.license
                .as_deref()
                .is_some_and(|s| s.contains("CC BY 4.0")),
            "{name}: licence"
        );
        // What to do when it brings up more than the reader can hold.
        let lower = src
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            [
                "too much",
                "too heavy",
                "gets heavy",
                "take a break",
                "time-out",
                "pause",
                "stop"
            ]
            .iter()
            .any(|w| lower.contains(w)),
            "{name}: no word on what to do if it gets to be too much"
        );
    }
}

#[test]
fn the_overview_names_the_model_and_rules_out_violence() {
    let src = std::fs::read_to_string(&specs_in("overview")[0]).unwrap();
    assert!(src.contains("John and Julie Gottman"));
    assert!(src.to_lowercase().contains("violence"));
}

#[test]
fn reading_grade_is_8_or_below() {
    let cfg = config::load(Path::new("worksheets/handouts.yaml")).unwrap();
    for (path, _) in library() {
        let src = read_source(&path).unwrap();
        let spec = parse_worksheet(&path, &src).unwrap();
        let ws = handouts::model::validate(&spec, &cfg, &path, &src, &Default::default()).unwrap();
        let grade = handouts::readability::counts(&ws).grade();
        eprintln!("{}: grade {grade:.1}", path.display());
        assert!(
            grade <= 8.0,
            "{}: Flesch–Kincaid grade {grade:.1}",
            path.display()
        );
    }
}

#[test]
fn one_to_three_pages_each() {
    let cfg = config::load(Path::new("worksheets/handouts.yaml")).unwrap();
    for (path, _) in library() {
        for paper in [Paper::Letter, Paper::A4] {
            let n = handouts::compile(&path, &cfg, paper)
                .unwrap()
                .doc
                .pages
                .len();
            assert!((1..=3).contains(&n), "{}: {n} pages", path.display());
        }
    }
}

#[test]
fn role_words_do_not_assume_gender_marriage_or_blame() {
    for (path, _) in library() {
        let src = std::fs::read_to_string(&path).unwrap().to_lowercase();
        let words: Vec<&str> = src.split(|c: char| !c.is_alphabetic()).collect();
        for bad in [
            "husband", "wife", "spouse", "cheater", "cheating", "victim", "he", "she",
        ] {
            assert!(!words.contains(&bad), "{}: uses `{bad}`", path.display());
        }
    }
}

/// The article's eight-word runs, hashed: the article stays out of the
/// repository, its fingerprint does not, so this check needs no `shared/`.
const FINGERPRINT: &str = "tests/data/seed-8grams.txt";

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('’', "'"))
        .collect()
}

/// FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn eight_grams(text: &str) -> std::collections::BTreeSet<u64> {
    words(text).windows(8).map(|g| fnv(&g.join(" "))).collect()
}

/// No run of eight words from the source article appears in a worksheet.
#[test]
fn no_eight_word_run_from_the_source_article() {
    let stored = || -> std::collections::BTreeSet<u64> {
        std::fs::read_to_string(FINGERPRINT)
            .expect("the article's fingerprint is in the repository")
            .lines()
            .map(|l| u64::from_str_radix(l, 16).unwrap())
            .collect()
    };
    // Where the article is at hand (CI, developer machines), the
    // fingerprint must be the article's; UPDATE=1 rewrites it.
    if let Some(dir) = ["../shared/seed", "../../shared/seed"]
        .iter()
        .map(Path::new)
        .find(|d| d.is_dir())
    {
        let mut grams = std::collections::BTreeSet::new();
        for e in std::fs::read_dir(dir).unwrap() {
            grams.extend(eight_grams(
                &std::fs::read_to_string(e.unwrap().path()).unwrap(),
            ));
        }
        if std::env::var_os("UPDATE").is_some() {
            let text: String = grams.iter().map(|g| format!("{g:016x}\n")).collect();
            std::fs::write(FINGERPRINT, text).unwrap();
        } else {
            assert_eq!(
                grams,
                stored(),
                "{FINGERPRINT} is stale: rerun with UPDATE=1"
            );
        }
    }
    let stored = stored();
    assert!(
        stored.len() > 300,
        "the fingerprint is too small to mean anything"
    );
    for (path, _) in library() {
        let w = words(&std::fs::read_to_string(&path).unwrap());
        for g in w.windows(8) {
            let g = g.join(" ");
            assert!(
                !stored.contains(&fnv(&g)),
                "{}: copies “{g}”",
                path.display()
            );
        }
    }
}
