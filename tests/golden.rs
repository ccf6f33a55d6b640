//! Golden display-list dumps: each fixture's layout, as stable text, must
//! match `tests/golden/<name>.txt`. After an intended layout change, run
//! `UPDATE=1 cargo test --test golden` and review the diff before committing.

use handouts::layout::display::Document;
use handouts::layout::dump::dump;
use handouts::model::{Edition, Vars};
use handouts::packet::{Build, Packet};
use handouts::spec::config::{Config, Paper};
use std::path::Path;

fn check(name: &str, spec: &Path) {
    let doc = handouts::compile(spec, &Config::default(), Paper::Letter)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .doc;
    compare(name, &doc);
}

fn compare(name: &str, doc: &Document) {
    let got = dump(doc);
    let golden = Path::new("tests/golden").join(format!("{name}.txt"));
    if std::env::var_os("UPDATE").is_some() {
        std::fs::write(&golden, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&golden)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE=1", golden.display()));
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(g, w)| g != w)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{name}: layout changed at line {}:\n  want: {}\n  got:  {}\n(UPDATE=1 to bless)",
            first + 1,
            want.lines().nth(first).unwrap_or("<end>"),
            got.lines().nth(first).unwrap_or("<end>")
        );
    }
}

#[test]
fn minimal() {
    check("minimal", Path::new("tests/fixtures/minimal.yaml"));
}

#[test]
fn table_and_scale() {
    check(
        "table-and-scale",
        Path::new("tests/fixtures/table-and-scale.yaml"),
    );
}

#[test]
fn every_block() {
    check("every-block", Path::new("worksheets/demo/every-block.yaml"));
}

/// A packet: cover with names, contents, dividers, a per-partner copy and,
/// built for duplex, the notes pages between.
#[test]
fn packet() {
    let path = Path::new("tests/fixtures/packet/packet.yaml");
    let src = std::fs::read_to_string(path).unwrap();
    let (p, _) = Packet::from_source(path, src, Config::default()).unwrap();
    let vars: Vars = [
        ("partner_a", "Zoë"),
        ("partner_b", "Sam"),
        ("session_date", "3 May 2026"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let b = Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex: true,
        vars: Some(&vars),
        fillable: false,
    };
    let doc = p.assemble(&b).unwrap_or_else(|e| panic!("{e:?}")).0;
    compare("packet", &doc);
}

#[test]
fn typesetting() {
    check("typesetting", Path::new("tests/fixtures/typesetting.yaml"));
}
