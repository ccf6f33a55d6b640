//! `packet --shard K/N`: shards of a roster are disjoint, together
//! complete, and name and write every file exactly as one run would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn handouts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .env("HANDOUTS_NO_SYSTEM_FONTS", "1")
        .output()
        .expect("run handouts")
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect()
        })
        .unwrap_or_default()
}

/// A folder of its own for each test: the tests of this file run at once,
/// and one that shared another's folder removed it under the other's feet.
fn setup(test: &str) -> PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-shard-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sheet.yaml"),
        "title: Check-in\nblocks:\n  - paragraph: \"{{partner_a}} and {{partner_b}}, sit together.\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("packet.yaml"),
        "title: Check-in\ncover:\n  title: Check-in\n  lines: [\"{{partner_a}} and {{partner_b}}\"]\nsections:\n  - title: One\n    worksheets: [sheet.yaml]\n",
    )
    .unwrap();
    // Eleven rows: the same couple three times (their files take -2, -3
    // in roster order, whichever shard builds them), one row missing a
    // name, one with a field too many.
    std::fs::write(
        dir.join("roster.csv"),
        "partner_a,partner_b,session_date\n\
         Ana,Ben,2026-06-01\n\
         Cleo,Dev,2026-06-01\n\
         Ana,Ben,2026-06-01\n\
         Eli,,2026-06-02\n\
         Fay,Gus,2026-06-02\n\
         Ana,Ben,2026-06-01\n\
         Hal,Ivy,2026-06-03,extra\n\
         Jo,Kai,2026-06-03\n\
         Lu,Max,2026-06-04\n\
         Ned,Oz,2026-06-04\n\
         Pia,Quin,2026-06-05\n",
    )
    .unwrap();
    dir
}

fn run(dir: &Path, out: &str, shard: Option<&str>) -> Output {
    let out = dir.join(out);
    let mut args = vec![
        "packet".to_owned(),
        dir.join("packet.yaml").to_string_lossy().into_owned(),
        "--roster".into(),
        dir.join("roster.csv").to_string_lossy().into_owned(),
        "--out".into(),
        out.to_string_lossy().into_owned(),
    ];
    if let Some(s) = shard {
        args.extend(["--shard".into(), s.into()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    handouts(&args)
}

#[test]
fn shards_are_disjoint_complete_and_named_as_one_run() {
    let dir = setup("split");
    let whole = run(&dir, "all", None);
    assert_eq!(whole.status.code(), Some(1), "two rows fail");
    let all = files(&dir.join("all"));
    assert_eq!(all.len(), 9);
    assert!(
        all.contains_key("2026-06-01-Ana-Ben-3.pdf"),
        "{:?}",
        all.keys()
    );

    for n in [1, 3, 4, 11, 20] {
        let mut union = BTreeMap::new();
        let mut failures = Vec::new();
        for k in 1..=n {
            let out = format!("n{n}-k{k}");
            let o = run(&dir, &out, Some(&format!("{k}/{n}")));
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            for row in ["row 4:", "row 7:"] {
                if err.contains(row) {
                    failures.push(row);
                }
            }
            for (name, bytes) in files(&dir.join(&out)) {
                assert!(
                    union.insert(name.clone(), bytes).is_none(),
                    "{name} built by two shards of {n}"
                );
            }
        }
        // Together, exactly the one run's files, byte for byte.
        assert_eq!(
            union.keys().collect::<BTreeSet<_>>(),
            all.keys().collect::<BTreeSet<_>>(),
            "{n} shards"
        );
        assert!(union == all, "{n} shards: a file differs from one run's");
        // Each failing row is reported once, by its own shard.
        failures.sort_unstable();
        assert_eq!(failures, ["row 4:", "row 7:"], "{n} shards");
    }
    // Rows K, K+N, …: shard 2 of 3 gets rows 2, 5, 8 and 11.
    let o = run(&dir, "k2", Some("2/3"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names: Vec<String> = files(&dir.join("k2")).into_keys().collect();
    assert_eq!(
        names,
        [
            "2026-06-01-Cleo-Dev.pdf",
            "2026-06-02-Fay-Gus.pdf",
            "2026-06-03-Jo-Kai.pdf",
            "2026-06-05-Pia-Quin.pdf"
        ]
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("of 4 packets (shard 2/3)"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let dir = setup("bad");
    for bad in ["0/3", "4/3", "3", "a/b", "1/0", "1/-3", "1/1000001"] {
        let o = run(&dir, "bad", Some(bad));
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("K/N"), "{bad}");
    }
    // A shard of what? Only a roster is split.
    let o = handouts(&[
        "packet",
        dir.join("packet.yaml").to_str().unwrap(),
        "--shard",
        "1/2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.join("bad").exists());
}

/// File names that one case-blind file system (Windows, macOS) would take
/// for one file, and names Windows keeps for devices: one run and its
/// shards give every row a file of its own there, under the same names.
#[test]
fn names_stay_apart_where_case_is_ignored_and_are_never_devices() {
    let dir = setup("fold");
    std::fs::write(
        dir.join("packet.yaml"),
        "title: Check-in\noutput: \"{{partner_a}}\"\ncover:\n  title: Check-in\n  lines: [\"{{partner_a}} and {{partner_b}}\"]\nsections:\n  - title: One\n    worksheets: [sheet.yaml]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("roster.csv"),
        "partner_a,partner_b\nSam,Ana\nſam,Ana\nSAM,Ana\nσοφιας,Ana\nσοφιασ,Ana\nCon,Ana\nnul,Ana\nCom3,Ana\nAna\u{3164},Ben\nAna,Ben\nWeiß,Ana\nWEIẞ,Ana\nA\u{3164}\u{301},Ana\n\u{C1},Ana\n",
    )
    .unwrap();
    let whole = run(&dir, "all", None);
    assert!(
        whole.status.success(),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let all = files(&dir.join("all"));
    assert_eq!(all.len(), 14, "{:?}", all.keys());
    // Folded as macOS and casefolding Linux fold (lower case), as NTFS
    // folds (upper case), and composed as macOS compares, no two names
    // meet.
    let nfc = |n: &str| -> String {
        // Hangul fillers and accents, the only decompositions here.
        n.replace("A\u{301}", "\u{C1}")
    };
    for fold in [
        |n: &str| n.to_lowercase(),
        |n: &str| n.to_uppercase(),
        |n: &str| n.to_uppercase().to_lowercase(),
    ] {
        let folded: BTreeSet<String> = all.keys().map(|n| fold(&nfc(n))).collect();
        assert_eq!(folded.len(), all.len(), "{:?}", all.keys());
    }
    for name in all.keys() {
        let stem = name.split('.').next().unwrap().to_ascii_uppercase();
        let device = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
            || (stem.len() == 4
                && (stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.ends_with(|c: char| c.is_ascii_digit()));
        assert!(!device, "{name}");
    }
    assert!(
        all.contains_key("Con_.pdf") && all.contains_key("Ana-2.pdf"),
        "{:?}",
        all.keys()
    );
    // And two shards name them exactly so.
    let mut union = BTreeMap::new();
    for k in 1..=2 {
        let out = format!("k{k}");
        assert!(run(&dir, &out, Some(&format!("{k}/2"))).status.success());
        union.extend(files(&dir.join(&out)));
    }
    assert!(union == all);
    std::fs::remove_dir_all(&dir).ok();
}
