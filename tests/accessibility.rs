//! Accessibility, checked with tools a client's clinic would trust: two
//! independent PDF/UA-1 checkers from PyPI (`pdfua`, `outloud`) and
//! poppler's `pdfinfo -struct-text`, over every bundled worksheet and
//! packet, fillable and not.
//!
//! Opt-in with the other tools: `cargo test --features pdf-tools`.
//! `.ci/run` installs the checkers in a virtualenv and puts it on `PATH`;
//! a missing checker fails the test rather than skipping it.
#![cfg(feature = "pdf-tools")]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn run(tool: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} (is it installed and on PATH?): {e}"));
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn handouts(args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Every bundled worksheet and packet, plain and fillable, and the
/// hostile fixtures, built once.
fn pdfs() -> &'static Vec<PathBuf> {
    static PDFS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PDFS.get_or_init(|| {
        let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-ua");
        let _ = std::fs::remove_dir_all(&out);
        let kinds = [
            ("plain", &[][..]),
            ("fillable", &["--fillable"][..]),
            ("large", &["--large-print", "--fillable"][..]),
        ];
        for (dir, extra) in kinds {
            let dir = out.join(dir);
            let d = dir.to_str().unwrap();
            let mut args = vec!["build", "worksheets", "--out", d];
            args.extend(extra);
            handouts(&args);
            for spec in [
                "tests/fixtures/typesetting.yaml",
                "tests/fixtures/nasty.yaml",
                "tests/fixtures/pictures.yaml",
                "tests/fixtures/es/todo.yaml",
                // Right-to-left, mirrored, with shaped Arabic.
                "tests/fixtures/rtl/he-checkin.yaml",
                "tests/fixtures/rtl/ar-checkin.yaml",
            ] {
                let mut args = vec!["build", spec, "--out", d];
                args.extend(extra);
                args.extend(["--set", "partner_a=Zoë", "--set", "partner_b=Ζωή"]);
                handouts(&args);
            }
            let mut args = vec![
                "packet",
                "worksheets/packets/intensive.yaml",
                "--duplex",
                "--out",
                d,
                "--set",
                "partner_a=Zoë",
                "--set",
                "partner_b=Наталья",
                "--set",
                "session_date=3 May",
            ];
            args.extend(extra);
            handouts(&args);
        }
        let mut v: Vec<PathBuf> = ["plain", "fillable", "large"]
            .iter()
            .flat_map(|d| std::fs::read_dir(out.join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        v.sort();
        assert!(v.len() >= 60, "{v:?}");
        v
    })
}

fn p(x: &Path) -> &str {
    x.to_str().unwrap()
}

#[test]
fn pdfua_reports_nothing() {
    for pdf in pdfs() {
        let (code, out, err) = run("pdfua", &["check", p(pdf)]);
        assert_eq!(code, Some(0), "{}:\n{out}{err}", pdf.display());
    }
}

#[test]
fn outloud_reports_no_error_and_no_warning() {
    let json = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-outloud.json");
    let _ = std::fs::remove_file(&json);
    let mut args = vec!["--json", p(&json), "--fail-on", "never", "-q"];
    args.extend(pdfs().iter().map(|x| p(x)));
    let (code, out, err) = run("outloud", &args);
    assert_eq!(code, Some(0), "{out}{err}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len(), pdfs().len());
    let mut problems = Vec::new();
    for r in results {
        assert!(r["error"].is_null(), "{r}");
        let findings = r["findings"].as_array().unwrap();
        // The pages with a fill-in table: one whose cells are mostly empty.
        let fill_in: Vec<&serde_json::Value> = findings
            .iter()
            .filter(|f| f["rule"] == "TBL-012")
            .map(|f| &f["page"])
            .collect();
        for f in findings {
            let severity = f["severity"].as_str().unwrap();
            let rule = f["rule"].as_str().unwrap();
            // Kept, as the issue allows: outloud's semantic warnings on
            // empty fill-in tables, whose empty cells are where the client
            // writes. "Most cells are empty" (TBL-012), and on the same
            // page "a grid no table covers" (TBL-014), which outloud judges
            // by the table's text, and a fill-in table's text is its top.
            let fill_in_grid = rule == "TBL-014" && fill_in.contains(&&f["page"]);
            if severity == "info" || rule == "TBL-012" || fill_in_grid {
                continue;
            }
            problems.push(format!("{} {rule} {}", r["path"], f["message"]));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Words as compared: lower case, letters and digits only.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace())
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn the_words_on_every_page_are_in_the_structure_tree() {
    for pdf in pdfs() {
        let (code, tree, err) = run("pdfinfo", &["-struct-text", p(pdf)]);
        assert_eq!(code, Some(0), "{err}");
        // The quoted text of each element, one after the other.
        let text: String = tree
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                l.strip_prefix('"').and_then(|l| l.strip_suffix('"'))
            })
            .collect::<Vec<_>>()
            .join(" ");
        let tagged: HashSet<String> = words(&text.replace('\u{ad}', "")).into_iter().collect();
        let (_, info, _) = run("pdfinfo", &[p(pdf)]);
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let mut body_words = 0;
        for page in 1..=pages {
            // The body: below the running header, above the footer (which
            // is taller in large print, the safety line on up to four lines).
            let n = page.to_string();
            let args = [
                "-f",
                &n,
                "-l",
                &n,
                "-x",
                "0",
                "-y",
                "70",
                "-W",
                "700",
                "-H",
                "580",
                p(pdf),
                "-",
            ];
            let (_, body, _) = run("pdftotext", &args);
            // Right-to-left pages are compared letter by letter: pdftotext
            // joins words where the direction changes ("15دقيقة") and
            // swaps a lam-alef ligature's letters (as it does typst's),
            // where the tree has them as written. (That the tree reads in
            // order is tests/scripts.rs's to check.)
            if body.chars().any(|c| ('\u{590}'..'\u{900}').contains(&c)) {
                let count = |t: &str| {
                    let mut m = std::collections::HashMap::<char, usize>::new();
                    for c in t.chars().filter(|c| c.is_alphanumeric()) {
                        *m.entry(c).or_default() += 1;
                    }
                    m
                };
                let (in_tree, on_page) = (count(&text), count(&body));
                let short: usize = on_page
                    .iter()
                    .map(|(c, n)| n.saturating_sub(in_tree.get(c).copied().unwrap_or(0)))
                    .sum();
                let total: usize = on_page.values().sum();
                body_words += total;
                assert!(
                    short * 100 <= total,
                    "{} page {page}: {short} of {total} letters not in the tree",
                    pdf.display()
                );
                continue;
            }
            let on_page = words(&body);
            // A table's header repeated on a page it continues on is an
            // artifact: its words are in the tree where the table began.
            let missing: Vec<&String> = on_page.iter().filter(|w| !tagged.contains(*w)).collect();
            body_words += on_page.len();
            // More than 99% of the page's words are read out.
            assert!(
                missing.len() * 100 <= on_page.len(),
                "{} page {page}: {} of {} words not in the tree: {missing:?}",
                pdf.display(),
                missing.len(),
                on_page.len()
            );
        }
        assert!(body_words > 0, "{}", pdf.display());
    }
}
