//! Golden display-list dumps: each fixture's layout, as stable text, must
//! match `tests/golden/<name>.txt`. After an intended layout change, run
//! `UPDATE=1 cargo test --test golden` and review the diff before committing.

use handouts::layout::dump::dump;
use handouts::spec::config::{Config, Paper};
use std::path::Path;

fn check(name: &str, spec: &Path) {
    let doc = handouts::compile(spec, &Config::default(), Paper::Letter)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .doc;
    let got = dump(&doc);
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
