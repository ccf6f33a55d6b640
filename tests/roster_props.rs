//! Property: any roster row reaches exactly one packet, with exactly its own
//! values, whatever the names hold (commas, quotes, other scripts, spaces)
//! and whether the roster is CSV or YAML.

use handouts::batch::plan;
use handouts::layout::display::Item;
use handouts::model::{Edition, Vars};
use handouts::packet::{Build, Packet};
use handouts::roster::Roster;
use handouts::spec::config::{Config, Paper};
use proptest::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn packet() -> &'static Packet {
    static P: OnceLock<Packet> = OnceLock::new();
    P.get_or_init(|| {
        let dir: PathBuf =
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-props");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("w.yaml"),
            "title: Notes\nblocks:\n  - prompt: What do you want {{partner_b}} to know?\n    lines: 1\n",
        )
        .unwrap();
        let p = dir.join("p.yaml");
        let src = "title: P\ncover:\n  title: Our packet\n  lines: [\"{{partner_a}} and {{partner_b}}\", \"{{session_date}}\"]\ndefaults: {session_date: Spring}\nsections:\n  - title: S\n    worksheets: [w.yaml]\n";
        Packet::from_source(&p, src.to_owned(), Config::default())
            .unwrap_or_else(|e| panic!("{e:?}"))
            .0
    })
}

/// A name: letters of several scripts, spaces, commas, quotes, dashes.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿΑ-ωА-я王李 ,'\"-]{1,16}".prop_filter("not blank", |s| !s.trim().is_empty())
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn yaml_field(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn roster(rows: &[(String, String, Option<String>)], yaml: bool) -> Roster {
    let mut text = String::new();
    if !yaml {
        text.push_str("partner_a,partner_b,session_date\n");
    }
    for (a, b, d) in rows {
        if yaml {
            text.push_str(&format!(
                "- {{partner_a: {}, partner_b: {}, session_date: {}}}\n",
                yaml_field(a),
                yaml_field(b),
                d.as_deref().map_or(String::new(), yaml_field)
            ));
        } else {
            text.push_str(&format!(
                "{},{},{}\n",
                csv_field(a),
                csv_field(b),
                d.as_deref().map_or(String::new(), csv_field)
            ));
        }
    }
    Roster::parse(Path::new("r"), &text, yaml).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_row_reaches_one_packet_with_its_own_values(
        rows in prop::collection::vec((name(), name(), prop::option::of(name())), 1..12),
        yaml in any::<bool>(),
    ) {
        let p = packet();
        let r = roster(&rows, yaml);
        prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
        let (jobs, diags) = plan(p, &r, &Vars::new(), None);
        prop_assert!(diags.is_empty(), "{diags:?}");
        prop_assert_eq!(jobs.len(), rows.len());
        let mut files = HashSet::new();
        for (i, job) in jobs.iter().enumerate() {
            prop_assert_eq!(job.number, i + 1);
            let name = &job.name;
            prop_assert!(files.insert(name.to_lowercase()), "two rows share {name}");
            let (a, b, d) = &rows[i];
            let want: Vars = [
                ("partner_a", a.trim()),
                ("partner_b", b.trim()),
                ("session_date", d.as_deref().map_or("Spring", str::trim)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
            prop_assert_eq!(&job.vars, &want);
        }
        // The first row's cover carries its own names and no other row's.
        let vars = &jobs[0].vars;
        let b = Build { paper: Paper::Letter, edition: Edition::Client, duplex: false, vars: Some(vars), fillable: false };
        let (doc, _) = p.assemble(&b).unwrap();
        let cover: String = doc.pages[0].items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t.text.as_ref()),
            _ => None,
        }).collect();
        let cover = squeeze(&cover);
        let own = squeeze(&format!("{} and {}", rows[0].0.trim(), rows[0].1.trim()));
        prop_assert!(cover.contains(&own), "{cover} lacks {own}");
        let expected = squeeze(&format!("Our packet{} and {}{}", rows[0].0, rows[0].1, vars["session_date"]));
        for (a, _, _) in &rows[1..] {
            let other = squeeze(a.trim());
            if !expected.contains(&other) {
                prop_assert!(!cover.contains(&other), "another row's {other} on the cover");
            }
        }
    }
}

/// A roster is read twice: once to check the file, then row by row as the
/// batch builds. A file edited in place between the two (the same inode,
/// rewritten) is not read as it now is: its first changed block stops the
/// rows, so no couple's packet can carry a name from the new text.
#[test]
fn a_roster_edited_in_place_between_passes_stops_the_rows() {
    let p = packet();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-edited");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.csv");
    std::fs::write(
        &path,
        "partner_a,partner_b,session_date\nAna,Bo,May\nCy,Di,June\nEd,Flo,July\n",
    )
    .unwrap();
    let r = Roster::read(&path).unwrap();
    assert_eq!(r.total, 3);
    // Rows moved, one unreadable, one more than was counted.
    std::fs::write(
        &path,
        "partner_a,partner_b,session_date\nEd,Flo,July\n\"Gus,Hal,Aug\nAna,Bo,May\nIvy,Jo,Sept\n",
    )
    .unwrap();
    let (jobs, diags) = plan(p, &r, &Vars::new(), None);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(jobs.is_empty(), "{jobs:?}");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0]
            .message
            .contains("changed while the batch was reading it"),
        "{}",
        diags[0].message
    );
    for name in ["Ed", "Gus", "Ivy"] {
        assert!(!diags[0].message.contains(name));
    }
}

/// The same, for a long roster changed far into the file (a row's second
/// name rewritten in place, the line's length kept): the rows before the
/// change are built with exactly their own values, none at or after it.
#[test]
fn a_long_roster_changed_in_place_builds_only_the_rows_before_the_change() {
    use std::io::{Seek, SeekFrom, Write};
    let p = packet();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-edited-long");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.csv");
    let mut text = String::from("partner_a,partner_b,session_date\n");
    for i in 0..20_000 {
        text.push_str(&format!("Ana{i:05},Bo{i:05},May\n"));
    }
    std::fs::write(&path, &text).unwrap();
    let r = Roster::read(&path).unwrap();
    assert_eq!(r.total, 20_000);
    // Row 15,000's second name, rewritten where it stands.
    let at = text.find("Bo14999,").unwrap();
    let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.seek(SeekFrom::Start(at as u64)).unwrap();
    f.write_all(b"Zed9999").unwrap();
    drop(f);
    let (jobs, diags) = plan(p, &r, &Vars::new(), None);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0]
        .message
        .contains("changed while the batch was reading it"));
    assert!(!jobs.is_empty() && jobs.len() < 15_000, "{}", jobs.len());
    for (k, j) in jobs.iter().enumerate() {
        assert_eq!(j.number, k + 1);
        assert_eq!(j.vars["partner_a"], format!("Ana{k:05}"));
        assert_eq!(j.vars["partner_b"], format!("Bo{k:05}"));
        assert_eq!(j.name, format!("May-Ana{k:05}-Bo{k:05}.pdf"));
    }
}
