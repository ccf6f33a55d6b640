//! Broken and hostile input: each case gets exit status 1, located
//! diagnostics of which the first is pinned here, and no output file. The corpus is
//! `tests/bad/*.yaml` (plus a few cases made at run time).

use std::path::{Path, PathBuf};
use std::process::Command;

/// (case, expected diagnostic after the file name), one per corpus file.
const CASES: &[(&str, &str)] = &[
    (
        "absurd-lines",
        ":4:12: error: 100000 is too many; the most a block can have is 200",
    ),
    (
        "absurd-rows",
        ":4:17: error: 5000 is too many; the most a block can have is 200",
    ),
    (
        "alias-bomb",
        ":6:11: error: with its aliases (`*name`) repeated, this file would hold more than 250000 values (hint: write the text out instead of repeating anchors inside anchors)",
    ),
    (
        "alias-text-bomb",
        ":468:16: error: with its aliases (`*name`) repeated, this file would hold more than 4 MiB of text (hint: write the text out instead of repeating anchors inside anchors)",
    ),
    (
        "document-too-long",
        ":2:1: error: the worksheet's text is 540001 characters long with its placeholders filled; the most is 400000 (hint: split it into several worksheets, or give shorter values)",
    ),
    (
        "empty-placeholder",
        ":4:22: error: `{{}}` is an empty placeholder (hint: put a name between the braces, e.g. `{{partner_a}}`)",
    ),
    (
        "nested-placeholder",
        ":4:19: error: placeholders cannot be nested or hold braces (hint: write a placeholder as `{{partner_a}}`)",
    ),
    (
        "quadratic-brackets",
        ":48:41: error: lists and mappings are nested more than 32 deep (hint: a worksheet needs only a few levels: blocks, their options, lists)",
    ),
    (
        "signature-second",
        ":5:5: error: a signature row has 1 to 4 lines, found 5",
    ),
    (
        "scale-to-40",
        ":5:5: error: scale has 41 points; at most 21 fit across a page",
    ),
    (
        "table-widths-three",
        ":4:5: error: `widths` has 3 numbers for 2 columns (hint: give one relative width per column, e.g. `widths: [1, 3]`)",
    ),
    (
        "table-narrow-column",
        ":4:14: error: a column this narrow cannot hold a word; each is at least 1/20 of the table (hint: make the widths closer, e.g. `widths: [1, 3]`)",
    ),
    (
        "scale-big-numbers",
        ":5:9: error: scale numbers run from -999 to 999, found 1000000 to 1000010 (hint: each number is printed in its circle: keep them short)",
    ),
    (
        "scale-overflow",
        ":5:5: error: scale has 4294967296 points; at most 21 fit across a page",
    ),
    (
        "unclosed-placeholder",
        ":3:25: error: `{{` opens a placeholder that is not closed with `}}` (hint: write a placeholder as `{{partner_a}}`)",
    ),
    (
        "bad-indent",
        ":4:4: error: did not find expected '-' indicator, while parsing a block collection at line 3 column 3 (hint: items of one list start with `- ` in the same column)",
    ),
    (
        "bad-only",
        ":4:11: error: `only` must be `facilitator`",
    ),
    (
        "bad-spacer",
        ":3:13: error: unknown unit `furlongs` in `3 furlongs`; use pt, mm, cm or in",
    ),
    (
        "binary",
        ":1:1: error: file is not valid UTF-8 text (hint: save the file as UTF-8)",
    ),
    (
        "deep-nesting",
        ":2:41: error: lists and mappings are nested more than 32 deep (hint: a worksheet needs only a few levels: blocks, their options, lists)",
    ),
    (
        "divider-with-options",
        ":3:5: error: `divider` takes no options; write it as a bare `- divider`",
    ),
    (
        "duplicate-key",
        ":1:1: error: duplicate field `title`",
    ),
    (
        "duplicate-option",
        ":3:5: error: duplicate field `lines`",
    ),
    (
        "empty-title",
        ":1:8: error: the title is empty (hint: give the worksheet a title)",
    ),
    (
        "empty",
        ":1:1: error: file is empty (hint: a worksheet needs at least `title:` and `blocks:`)",
    ),
    (
        "huge-spacer",
        ":3:13: error: `40in` is out of range (0 to 1000pt)",
    ),
    (
        "list-for-text",
        ":1:8: error: invalid type: sequence, expected a string (hint: write the text directly, without [ ] around it)",
    ),
    (
        "long-list",
        ":3:5: error: this list has 150 items; the most is 100 (hint: split it into several lists)",
    ),
    (
        "mapping-for-list",
        ":3:3: error: invalid type: map, expected a sequence (hint: this is a list: start each item on its own line with `- `)",
    ),
    (
        "missing-blocks",
        ":1:1: error: missing field `blocks` (hint: add `blocks:` followed by the list of blocks)",
    ),
    (
        "missing-title",
        ":1:1: error: missing field `title` (hint: add `title:` with the worksheet's title)",
    ),
    (
        "negative-lines",
        ":4:12: error: expected a whole number of 0 or more, found -3",
    ),
    (
        "not-a-mapping",
        ":1:1: error: invalid type: sequence, expected struct WorksheetSpec (hint: a worksheet is a mapping: `title:` and `blocks:` at the left edge)",
    ),
    (
        "nul-character",
        ":1:9: error: file contains a NUL character",
    ),
    (
        "option-before-type",
        ":3:5: error: unknown block `lines`; a block starts with its type, one of: heading, paragraph, bullets, numbered, script, callout, prompt, checklist, scale, table, partners, signature, image, qr, spacer, divider, page-break",
    ),
    (
        "scale-equal-ends",
        ":5:5: error: scale runs from 5 to 5; `to` must be larger (hint: for a 0–10 scale write `from: 0` and `to: 10`)",
    ),
    (
        "signature-too-many",
        ":3:5: error: a signature row has 1 to 4 lines, found 5",
    ),
    (
        "tab-indent",
        ":3:1: error: found character that cannot start any token, while scanning for the next token (hint: indent with spaces, not tabs)",
    ),
    (
        "table-wide-row",
        ":5:19: error: row 1 has 3 cells but the table has 2 columns",
    ),
    (
        "table-widths",
        ":4:5: error: `widths` has 3 numbers for 2 columns (hint: give one relative width per column, e.g. `widths: [1, 3]`)",
    ),
    (
        "too-many-rows",
        ":5:5: error: this table has 201 rows; the most is 200 (hint: split it into several tables)",
    ),
    (
        "undefined-placeholder",
        ":3:25: error: undefined placeholder `{{partner_c}}` (hint: give it a value: `--set partner_c=…`, a packet default, or a roster column)",
    ),
    (
        "unknown-block",
        ":3:5: error: unknown block `chekclist`; did you mean `checklist`?",
    ),
    (
        "unknown-key",
        ":2:1: error: unknown field `titel`, expected one of `title`, `subtitle`, `language`, `stage`, `for`, `time`, `source`, `license`, `only`, `blocks` (hint: did you mean `title`?)",
    ),
    (
        "unknown-option",
        ":4:5: error: unknown field `lins`, expected `prompt` or `lines` (hint: did you mean `lines`?)",
    ),
    (
        "unknown-role",
        ":2:6: error: `for` must be one of: both, hurt-partner, involved-partner, therapist",
    ),
    (
        "unknown-stage",
        ":2:8: error: `stage` must be one of: overview, atone, attune, attach (hint: did you mean `atone`?)",
    ),
    (
        "unclosed-quote",
        ":2:11: error: this quote is never closed (hint: end the text with the same quote mark, or write long text after `>-` without quotes)",
    ),
    (
        "text-for-list",
        ":4:16: error: `checklist` takes a list: put each item on its own line starting with `- `",
    ),
    (
        "whitespace-only",
        ":1:1: error: file is empty (hint: a worksheet needs at least `title:` and `blocks:`)",
    ),
    (
        "wrong-type-lines",
        ":4:12: error: expected a whole number of lines or `fill`, found `many`",
    ),
];

fn handouts(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .output()
        .expect("run handouts")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-bad-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn expect_one(path: &Path, want: &str) {
    let o = handouts(&["check", "--format", "short", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", path.display());
    let err = String::from_utf8_lossy(&o.stderr);
    let mut lines = err.lines();
    assert_eq!(
        lines.next(),
        Some(format!("{}{want}", path.display()).as_str())
    );
    let last = err.lines().last().unwrap_or("");
    assert!(
        last.ends_with(" error") || last.ends_with(" errors"),
        "{err}"
    );
    // Building it writes nothing, not even the output folder.
    let out = scratch(path.file_stem().unwrap().to_str().unwrap());
    let o = handouts(&[
        "build",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "{} left output behind", path.display());
}

#[test]
fn every_corpus_file_has_a_pinned_diagnostic() {
    let mut files: Vec<String> = std::fs::read_dir("tests/bad")
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    files.sort();
    let mut pinned: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    pinned.sort();
    assert_eq!(files, pinned);
    assert!(CASES.len() >= 25);
}

#[test]
fn corpus() {
    for (name, want) in CASES {
        expect_one(&Path::new("tests/bad").join(format!("{name}.yaml")), want);
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let dir = scratch("big");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("big.yaml");
    std::fs::write(
        &p,
        format!("title: T\nblocks: []\n# {}\n", "x".repeat(1_100_000)),
    )
    .unwrap();
    let o = handouts(&["check", "--format", "short", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a spec may be at most 1048576 bytes"));
}

#[test]
fn a_packet_naming_a_missing_worksheet_is_located() {
    let dir = scratch("packet");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("p.yaml");
    std::fs::write(&p, "title: P\ncover: {title: C}\nsections:\n  - title: S\n    worksheets:\n      - nowhere.yaml\n").unwrap();
    let o = handouts(&[
        "packet",
        p.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("p.yaml:6:9: error: cannot use worksheet `nowhere.yaml`"),
        "{err}"
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn a_directory_given_as_a_spec_with_nothing_in_it_is_an_error() {
    let dir = scratch("emptydir");
    std::fs::create_dir_all(&dir).unwrap();
    let o = handouts(&["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no worksheet specs"));
}
