//! The large-print edition on the display list: the same text reflowed,
//! not scaled. Body text 18 pt, headings larger and bold, no italics,
//! line spacing 1.3 or more, writing lines at least 12 mm apart, check
//! boxes at least 6 mm, the same margins; and its file name says so.

use handouts::fonts::Face;
use handouts::layout::display::{Document, Item, Role, Tag, TextRun};
use handouts::model::Options;
use handouts::spec::config::{Config, Paper};
use std::path::{Path, PathBuf};
use std::process::Command;

const MM: f32 = 72.0 / 25.4;

fn specs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = ["worksheets/atone", "worksheets/attach", "worksheets/attune"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.push("worksheets/demo/every-block.yaml".into());
    v.push("tests/fixtures/typesetting.yaml".into());
    v.sort();
    v
}

fn build(spec: &Path, large: bool, fillable: bool) -> Document {
    let cfg = Config {
        large_print: large,
        ..Config::default()
    };
    let opts = Options {
        fillable,
        ..Options::default()
    };
    handouts::compile_with(spec, &cfg, Paper::Letter, &opts)
        .unwrap_or_else(|e| panic!("{}: {e:?}", spec.display()))
        .doc
}

fn texts(doc: &Document) -> impl Iterator<Item = &TextRun> {
    doc.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
}

/// Page furniture and the source line: the small print, not the body.
fn small_print(t: &TextRun, page_h: f32) -> bool {
    t.y < 72.0 || t.y > page_h - 110.0 || t.size < 15.0 && t.gray > 0.2
}

#[test]
fn text_is_18_point_upright_and_headings_larger_and_bold() {
    for spec in specs() {
        let doc = build(&spec, true, false);
        let h = doc.pages[0].height;
        let mut heads = 0;
        for t in texts(&doc) {
            assert!(
                !matches!(t.face, Face::Italic | Face::BoldItalic),
                "{}: italic {:?}",
                spec.display(),
                t.text
            );
            if small_print(t, h) {
                assert!(
                    t.size >= 14.0,
                    "{}: {:?} at {}",
                    spec.display(),
                    t.text,
                    t.size
                );
                continue;
            }
            assert!(
                t.size >= 18.0,
                "{}: {:?} at {}",
                spec.display(),
                t.text,
                t.size
            );
            let role = match t.tag {
                Tag::Node(n) => doc.tree[n as usize].role.clone(),
                _ => continue,
            };
            if matches!(role, Role::H1 | Role::H2) {
                assert!(t.size > 18.0, "{}: {:?}", spec.display(), t.text);
                heads += 1;
                assert_eq!(t.face, Face::Bold, "{}: {:?}", spec.display(), t.text);
            }
        }
        assert!(heads > 0, "{}", spec.display());
    }
}

#[test]
fn lines_are_spaced_at_least_1_3_and_the_margins_are_the_standard_ones() {
    for spec in specs() {
        let (large, standard) = (build(&spec, true, false), build(&spec, false, false));
        let bounds = |d: &Document| {
            d.pages
                .iter()
                .flat_map(|p| &p.items)
                .map(Item::bounds)
                .fold((f32::MAX, f32::MAX, f32::MIN, f32::MIN), |a, b| {
                    (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))
                })
        };
        let (l, s) = (bounds(&large), bounds(&standard));
        // Reflowed into the same text area: never past the standard
        // edition's margins (0.5 in at the least).
        assert!(
            l.0 >= s.0.min(54.0) - 0.5 && l.2 <= s.2.max(558.0) + 0.5,
            "{l:?} {s:?}"
        );
        assert!(l.1 >= 36.0 - 0.5 && l.3 <= 792.0 - 36.0 + 0.5, "{l:?}");
        assert!(
            large.pages.len() > standard.pages.len(),
            "{}",
            spec.display()
        );
        // Baselines of consecutive body lines at one left edge are at
        // least 1.3 sizes apart.
        for p in &large.pages {
            let mut lines: Vec<&TextRun> = Vec::new();
            for it in &p.items {
                if let Item::Text(t) = it {
                    if t.size == 18.0 && !lines.iter().any(|l| (l.y - t.y).abs() < 0.5) {
                        lines.push(t);
                    }
                }
            }
            lines.sort_by(|a, b| a.y.total_cmp(&b.y));
            for w in lines.windows(2) {
                let gap = w[1].y - w[0].y;
                assert!(gap >= 1.3 * 18.0 - 0.01, "{}: {gap}", spec.display());
            }
        }
    }
}

#[test]
fn writing_lines_are_12_mm_apart_and_boxes_6_mm() {
    let doc = build(Path::new("worksheets/demo/every-block.yaml"), true, true);
    let mut boxes = 0;
    let mut gaps = 0;
    for p in &doc.pages {
        // Full-width writing rules, top to bottom.
        let mut rules: Vec<f32> = p
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    gray,
                    ..
                } if y1 == y2 && x2 - x1 > 400.0 && (*gray - 0.55).abs() < 0.01 => Some(*y1),
                _ => None,
            })
            .collect();
        rules.sort_by(f32::total_cmp);
        for w in rules.windows(2) {
            let gap = w[1] - w[0];
            if gap < 60.0 {
                assert!(
                    gap >= 12.0 * MM - 0.01,
                    "writing lines {:.1} mm apart",
                    gap / MM
                );
                gaps += 1;
            }
        }
        for it in &p.items {
            if let Item::Rect {
                w,
                h,
                stroke: Some(_),
                fill: None,
                ..
            } = it
            {
                if (w - h).abs() < 0.01 && *w < 40.0 {
                    assert!(*w >= 6.0 * MM - 0.01, "a {:.1} mm box", w / MM);
                    boxes += 1;
                }
            }
            if let Item::Field(f) = it {
                assert!(f.h >= 6.0 * MM - 0.01 || f.w >= 6.0 * MM, "{f:?}");
            }
        }
    }
    assert!(gaps >= 3 && boxes >= 3, "{gaps} gaps, {boxes} boxes");
}

#[test]
fn the_file_name_says_large_print() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-lp");
    let _ = std::fs::remove_dir_all(&out);
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let o = out.to_str().unwrap();
    let said = run(&["build", "worksheets/atone", "--large-print", "--out", o]);
    run(&[
        "packet",
        "worksheets/packets/atone.yaml",
        "--large-print",
        "--out",
        o,
    ]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    assert!(
        names.iter().all(|n| n.ends_with("-large-print.pdf")),
        "{names:?}"
    );
    assert!(
        names.contains(&"atone-large-print.pdf".to_owned()),
        "{names:?}"
    );
    assert!(said.contains("-large-print.pdf"), "{said}");
    let _ = std::fs::remove_dir_all(&out);
}
