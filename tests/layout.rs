//! Layout rules checked on the display list of every bundled worksheet and
//! of fixtures built to stress one rule each.

use handouts::layout::display::{Document, Item, TextRun};
use handouts::spec::config::{self, Config, Paper};
use handouts::{compile, compile_str};
use std::path::{Path, PathBuf};

fn bundled() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if !p.ends_with("packets") && !p.ends_with("paquetes") {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "yaml")
                && p.file_name().unwrap() != "handouts.yaml"
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new("worksheets"), &mut out);
    out.sort();
    out
}

fn bundled_config() -> Config {
    config::load(Path::new("worksheets/handouts.yaml")).unwrap()
}

fn build(path: &Path, paper: Paper) -> Document {
    // Each spec with the config that governs it (the Spanish library's own).
    let cfg = config::find(path).map_or_else(bundled_config, |c| config::load(&c).unwrap());
    match compile(path, &cfg, paper) {
        Ok(c) => c.doc,
        Err(e) => panic!("{}: {e:?}", path.display()),
    }
}

fn fixture(yaml: &str) -> Document {
    match compile_str(
        Path::new("fixture.yaml"),
        yaml,
        &Config::default(),
        Paper::Letter,
    ) {
        Ok(c) => c.doc,
        Err(e) => panic!("{e:?}"),
    }
}

fn texts(items: &[Item]) -> impl Iterator<Item = &TextRun> {
    items.iter().filter_map(|i| match i {
        Item::Text(t) => Some(t),
        _ => None,
    })
}

/// Half an inch: the printer-safe margin nothing may cross.
const MARGIN: f32 = 36.0;

#[test]
fn nothing_is_drawn_outside_the_margins() {
    for path in bundled() {
        for paper in [Paper::Letter, Paper::A4] {
            let doc = build(&path, paper);
            for (n, page) in doc.pages.iter().enumerate() {
                for item in &page.items {
                    let (l, t, r, b) = item.bounds();
                    assert!(
                        l >= MARGIN - 0.01
                            && t >= MARGIN - 0.01
                            && r <= page.width - MARGIN + 0.01
                            && b <= page.height - MARGIN + 0.01,
                        "{} page {}: {item:?} crosses the margin",
                        path.display(),
                        n + 1
                    );
                }
            }
        }
    }
}

#[test]
fn no_two_text_runs_overlap() {
    for path in bundled() {
        let doc = build(&path, Paper::Letter);
        for (n, page) in doc.pages.iter().enumerate() {
            let runs: Vec<_> = texts(&page.items).collect();
            for (i, a) in runs.iter().enumerate() {
                for b in &runs[i + 1..] {
                    // Runs overlap when they share horizontal extent and
                    // their baselines are closer than a line of the smaller.
                    let across = a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5;
                    let overlap = across && (a.y - b.y).abs() < a.size.min(b.size) * 0.9;
                    assert!(
                        !overlap,
                        "{} page {}: {:?} overlaps {:?}",
                        path.display(),
                        n + 1,
                        a.text,
                        b.text
                    );
                }
            }
        }
    }
}

#[test]
fn body_text_is_at_least_11pt() {
    for path in bundled() {
        let doc = build(&path, Paper::Letter);
        for page in &doc.pages {
            // Header and footer furniture sit outside the body area.
            // Small print (header, footer, source line) is set in grey;
            // everything a client reads or writes beside is 11pt or more.
            for t in texts(&page.items).filter(|t| t.gray < 0.3) {
                assert!(
                    t.size >= 11.0,
                    "{}: {:?} is {}pt",
                    path.display(),
                    t.text,
                    t.size
                );
            }
        }
    }
}

#[test]
fn the_demo_uses_every_block_and_spans_four_pages() {
    let path = Path::new("worksheets/demo/every-block.yaml");
    let src = std::fs::read_to_string(path).unwrap();
    for block in handouts::spec::blocks::BLOCK_TYPES {
        assert!(
            src.contains(&format!("- {block}")),
            "the demo does not use `{block}`"
        );
    }
    let doc = build(path, Paper::Letter);
    assert_eq!(doc.pages.len(), 4);
    let footer = format!("Page 4 of {}", doc.pages.len());
    assert!(texts(&doc.pages[3].items).any(|t| *t.text == footer));
}

#[test]
fn a4_pages_are_a4() {
    let doc = build(Path::new("worksheets/demo/every-block.yaml"), Paper::A4);
    assert!(doc
        .pages
        .iter()
        .all(|p| (p.width - 595.276).abs() < 0.01 && (p.height - 841.89).abs() < 0.01));
}

/// Lines of body text: runs grouped by baseline.
fn line_ys(items: &[Item], pred: impl Fn(&TextRun) -> bool) -> Vec<f32> {
    let mut ys: Vec<f32> = texts(items).filter(|t| pred(t)).map(|t| t.y).collect();
    ys.sort_by(f32::total_cmp);
    ys.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    ys
}

#[test]
fn a_paragraph_never_leaves_a_single_line_on_a_page() {
    let para = "lorem ".repeat(120);
    for gap in (0..640).step_by(7) {
        let doc = fixture(&format!(
            "title: T\nblocks:\n  - spacer: {gap}pt\n  - paragraph: {para}\n"
        ));
        let counts: Vec<usize> = doc
            .pages
            .iter()
            .map(|p| line_ys(&p.items, |t| t.text.contains("lorem")).len())
            .filter(|&n| n > 0)
            .collect();
        assert!(
            counts.iter().all(|&n| n >= 2),
            "gap {gap}: lines per page {counts:?}"
        );
    }
}

#[test]
fn headings_and_prompts_keep_with_what_follows() {
    for gap in (300..620).step_by(6) {
        let doc = fixture(&format!(
            "title: T\nblocks:\n  - spacer: {gap}pt\n  - heading: Zebra heading\n  - prompt: Quokka prompt\n    lines: 3\n"
        ));
        for page in &doc.pages {
            let has = |w: &str| texts(&page.items).any(|t| t.text.contains(w));
            let lines = page
                .items
                .iter()
                .filter(|i| matches!(i, Item::Line { y1, y2, .. } if y1 == y2 && *y1 > 100.0 && *y1 < page.height - 100.0))
                .count();
            if has("Zebra") {
                assert!(has("Quokka"), "gap {gap}: heading left alone");
            }
            if has("Quokka") {
                assert!(lines >= 2, "gap {gap}: prompt without its writing lines");
            }
        }
    }
}

#[test]
fn a_long_table_repeats_its_header_on_every_page() {
    let doc = fixture("title: T\nblocks:\n  - table: [Wombat, Column two]\n    blank-rows: 60\n");
    assert!(doc.pages.len() >= 3);
    for (n, page) in doc.pages.iter().enumerate() {
        assert!(
            texts(&page.items).any(|t| &*t.text == "Wombat"),
            "page {} has no header",
            n + 1
        );
    }
}

#[test]
fn list_items_are_not_split_across_pages() {
    let item = "kiwi ".repeat(50);
    for gap in (400..620).step_by(5) {
        let doc = fixture(&format!(
            "title: T\nblocks:\n  - spacer: {gap}pt\n  - bullets:\n      - {item}\n      - {item}\n"
        ));
        let per_page: Vec<usize> = doc
            .pages
            .iter()
            .map(|p| line_ys(&p.items, |t| t.text.contains("kiwi")).len())
            .collect();
        // Pages hold whole items only.
        let whole = per_page.iter().sum::<usize>() / 2;
        assert!(whole >= 2);
        assert!(
            per_page.iter().all(|n| n % whole == 0),
            "gap {gap}: {per_page:?}"
        );
    }
}

#[test]
fn a_missing_glyph_is_a_warning_that_quotes_the_text() {
    let c = compile_str(
        Path::new("w.yaml"),
        "title: T\nblocks:\n  - paragraph: Hello \u{10FFFD} there\n",
        &Config::default(),
        Paper::Letter,
    )
    .unwrap();
    assert_eq!(c.warnings.len(), 1);
    let w = c.warnings[0].to_string();
    assert!(
        w.contains("U+10FFFD") && w.contains("Hello \u{10FFFD} there"),
        "{w}"
    );
}

#[test]
fn fallback_font_sets_scripts_the_main_family_lacks() {
    let doc = fixture("title: T\nblocks:\n  - paragraph: שרה and Անի and Zoë\n");
    let faces: Vec<_> = texts(&doc.pages[0].items)
        // Hebrew is shaped: its text stays in logical order, its glyphs
        // are drawn right to left.
        .filter(|t| t.text.contains("שרה") || t.text.contains("Zoë"))
        .map(|t| t.face)
        .collect();
    assert!(faces.contains(&handouts::fonts::Face::Fallback));
    assert!(faces.contains(&handouts::fonts::Face::Regular));
}

#[test]
fn a_long_title_is_shortened_in_the_header_not_overflowed() {
    let title = "A very long worksheet title that goes on and on about many things ".repeat(2);
    let doc = fixture(&format!(
        "title: {title}\nstage: attune\nblocks:\n  - paragraph: x\n"
    ));
    let page = &doc.pages[0];
    let header: Vec<_> = texts(&page.items).filter(|t| t.y < 60.0).collect();
    assert!(header.iter().any(|t| t.text.ends_with('…')), "{header:?}");
    for t in header {
        assert!(t.x >= 36.0 && t.x + t.width <= page.width - 36.0);
    }
}

#[test]
fn facilitator_only_blocks_are_marked_in_the_facilitators_edition() {
    let src = "title: T\nblocks:\n  - paragraph: For both.\n  - callout: Watch for blame.\n    title: For the therapist\n    only: facilitator\n  - paragraph: After.\n";
    for (edition, marked) in [
        (handouts::model::Edition::Facilitator, true),
        (handouts::model::Edition::Client, false),
    ] {
        let opts = handouts::model::Options {
            edition,
            ..Default::default()
        };
        let doc = handouts::compile_str_with(
            Path::new("f.yaml"),
            src,
            &Config::default(),
            Paper::Letter,
            &opts,
        )
        .unwrap()
        .doc;
        let page = &doc.pages[0];
        let label = texts(&page.items).find(|t| t.text.contains("For the facilitator only"));
        assert_eq!(label.is_some(), marked, "{edition:?}");
        // A rule down the left margin, outside the text, beside the block.
        let rules: Vec<(f32, f32)> = page
            .items
            .iter()
            .filter_map(|i| match i {
                handouts::layout::display::Item::Line { x1, x2, y1, y2, .. }
                    if x1 == x2 && *x1 < 54.0 && *x1 > 36.0 =>
                {
                    Some((*y1, *y2))
                }
                _ => None,
            })
            .collect();
        let rule = (!rules.is_empty()).then(|| {
            let top = rules.iter().map(|r| r.0).fold(f32::MAX, f32::min);
            let bottom = rules.iter().map(|r| r.1).fold(f32::MIN, f32::max);
            (top, bottom)
        });
        assert_eq!(rule.is_some(), marked, "{edition:?}");
        if let (Some((top, bottom)), Some(label)) = (rule, label) {
            let blame = texts(&page.items)
                .find(|t| t.text.contains("blame"))
                .unwrap();
            assert!(top <= label.y - 5.0 && bottom >= blame.y, "{top}..{bottom}");
            let after = texts(&page.items)
                .find(|t| t.text.contains("After"))
                .unwrap();
            assert!(page.items.iter().filter(|i| matches!(i, handouts::layout::display::Item::Line { x1, x2, .. } if x1 == x2 && *x1 < 54.0)).all(|i| match i {
                handouts::layout::display::Item::Line { y1, .. } => *y1 < after.y - 10.0,
                _ => true,
            }), "the rule stops before the next block");
        }
    }
}
