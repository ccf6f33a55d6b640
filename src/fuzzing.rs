//! Fuzz targets, shared by `cargo fuzz` (`fuzz/`) and the replay of the
//! kept corpus and crashers in `tests/fuzz.rs`.
//!
//! Each takes raw bytes, runs a whole path of the pipeline, and panics only
//! when a promise breaks: a crash, a PDF that is not whole, a roster row
//! that reaches no packet or two, or a row's packet built with values that
//! are not its own.

use crate::batch::plan;
use crate::model::{Edition, Vars};
use crate::packet::{Build, Packet};
use crate::render::pdf::{self, WriteOptions};
use crate::roster::Roster;
use crate::spec::config::{Config, Paper};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository, so targets find the bundled library from any folder.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the PDF for one input in four: subsetting a font for each new set
/// of characters dominates a run, and the writer's branches are few, so
/// writing every time would make the fuzzer four times slower for little.
fn write_whole(doc: &crate::layout::display::Document, data: &[u8]) {
    if !data.len().is_multiple_of(4) {
        return;
    }
    let bytes = pdf::write(
        doc,
        &WriteOptions {
            date: Some(0),
            ..Default::default()
        },
    );
    let end = bytes.trim_ascii_end();
    assert!(bytes.starts_with(b"%PDF-") && end.ends_with(b"%%EOF"));
}

fn vars() -> Vars {
    [
        ("partner_a", "Zoë"),
        ("partner_b", "Ζωή"),
        ("session_date", "3 May 2026"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// Worksheet spec → model → layout → PDF.
pub fn worksheet(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let path = root().join("worksheets/demo/fuzz.yaml");
    let cfg = Config::default();
    let v = vars();
    let opts = crate::model::Options {
        edition: Edition::Facilitator,
        vars: Some(&v),
        fillable: data.len().is_multiple_of(2),
    };
    if let Ok(c) = crate::compile::compile_str_with(&path, src, &cfg, Paper::Letter, &opts) {
        write_whole(&c.doc, data);
    }
}

/// Packet spec (its worksheets from the bundled library) → packet → PDF.
pub fn packet(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let path = root().join("worksheets/packets/fuzz.yaml");
    // Packets of a few worksheets cover every packet path; a whole library
    // per run would make the fuzzer a hundred times slower.
    let Ok(spec) = crate::spec::packet::parse(&path, src) else {
        return;
    };
    if spec
        .sections
        .iter()
        .map(|s| s.worksheets.len())
        .sum::<usize>()
        > 3
    {
        return;
    }
    let Ok((p, _)) = Packet::from_source(&path, src.to_owned(), Config::default()) else {
        return;
    };
    let v = vars();
    let b = Build {
        paper: Paper::A4,
        edition: Edition::Client,
        duplex: data.len().is_multiple_of(2),
        vars: Some(&v),
        fillable: false,
    };
    if let Ok((doc, _)) = p.assemble(&b) {
        write_whole(&doc, data);
    }
}

fn roster_packet() -> &'static Packet {
    static P: OnceLock<Packet> = OnceLock::new();
    P.get_or_init(|| {
        let path: PathBuf = root().join("worksheets/packets/fuzz-roster.yaml");
        let src = "title: P\ncover:\n  title: For {{partner_a}}\n  lines: [\"{{partner_a}} and {{partner_b}}\"]\ndefaults: {session_date: Spring}\noutput: \"{{partner_a}}-{{partner_b}}-{{session_date}}\"\nsections:\n  - title: S\n    worksheets: [../overview/overview-road-back-to-trust.yaml]\n";
        Packet::from_source(&path, src.to_owned(), Config::default())
            .expect("the fuzz packet loads")
            .0
    })
}

/// Roster (CSV or YAML, by the first byte) → rows → jobs → first packet.
pub fn roster(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(src) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(r) = Roster::parse(Path::new("fuzz.csv"), src, first % 2 == 1) else {
        return;
    };
    let p = roster_packet();
    let (jobs, diags) = plan(p, &r, &Vars::new(), None);
    // Every row is built once or reported, never both, never twice, and
    // carries its own values.
    let own: Vec<(usize, Vars)> = r
        .rows()
        .expect("read once already")
        .filter_map(|e| e.ok().and_then(|e| Some((e.number, e.values.ok()?))))
        .collect();
    let mut seen = HashSet::new();
    for j in &jobs {
        assert!(seen.insert(j.number), "row {} planned twice", j.number);
        let (_, values) = own
            .iter()
            .find(|(n, _)| *n == j.number)
            .expect("a job is a readable row");
        for (k, v) in values {
            assert_eq!(j.vars.get(k), Some(v), "row {} lost its `{k}`", j.number);
        }
    }
    let mut names = HashSet::new();
    assert!(jobs.iter().all(|j| names.insert(j.name.to_lowercase())));
    assert_eq!(
        jobs.len() + diags.len(),
        r.total,
        "a row was dropped silently"
    );
    if let Some(j) = jobs.first() {
        let b = Build {
            paper: Paper::Letter,
            edition: Edition::Client,
            duplex: false,
            vars: Some(&j.vars),
            fillable: false,
        };
        if let Ok((doc, _)) = p.assemble(&b) {
            write_whole(&doc, data);
        }
    }
}
