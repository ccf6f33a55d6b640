//! The model boundary on hostile input (issue 12): markup never leaks as
//! asterisks, nothing is drawn outside the text area however long a text
//! is, and a packet is numbered from the pages its parts really take.

use handouts::layout::display::{Document, Item, OutlineEntry, Page, TextRun};
use handouts::model::{Edition, Vars};
use handouts::packet::{Build, Packet};
use handouts::spec::config::{Config, Paper};
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let d =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-boundary-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn texts(items: &[Item]) -> impl Iterator<Item = &TextRun> {
    items.iter().filter_map(|i| match i {
        Item::Text(t) => Some(t),
        _ => None,
    })
}

fn compile(src: &str, cfg: &Config, paper: Paper) -> Document {
    handouts::compile_str(Path::new("w.yaml"), src, cfg, paper)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .doc
}

/// Words of `n` characters or so, for texts that wrap over many lines.
fn words(n: usize) -> String {
    let w = [
        "trust",
        "repair",
        "listening",
        "honesty",
        "together",
        "slowly",
    ];
    let mut s = String::new();
    let mut i = 0;
    while s.len() < n {
        s.push_str(w[i % w.len()]);
        s.push(' ');
        i += 1;
    }
    s.trim_end().to_owned()
}

/// Side margin of the body column, in points.
const SIDE: f32 = 54.0;

/// Every page: nothing crosses the half-inch margin, the body stays in its
/// column, and nothing of the body reaches the header's or the footer's
/// hairline (the two 0.5pt rules of a page with furniture).
fn assert_inside(doc: &Document, what: &str) {
    for (n, page) in doc.pages.iter().enumerate() {
        let Page {
            width,
            height,
            items,
        } = page;
        let rules: Vec<f32> = items
            .iter()
            .filter_map(|i| match i {
                Item::Line {
                    y1,
                    y2,
                    width: w,
                    x1,
                    x2,
                    ..
                } if y1 == y2 && *w == 0.5 && (x2 - x1 - (width - 2.0 * SIDE)).abs() < 0.1 => {
                    Some(*y1)
                }
                _ => None,
            })
            .collect();
        let (top, bottom) = match rules.as_slice() {
            [a, b] => (a.min(*b), a.max(*b)),
            _ => (36.0, height - 36.0),
        };
        for item in items {
            let (l, t, r, b) = item.bounds();
            let furniture = (b <= top + 0.01 || t >= bottom - 0.01)
                && matches!(item, Item::Text(run) if run.size <= 9.0)
                || matches!(item, Item::Line { width: w, .. } if *w == 0.5);
            assert!(
                l >= 35.99 && t >= 35.99 && r <= width - 35.99 && b <= height - 35.99,
                "{what} page {}: {item:?} crosses the margin",
                n + 1
            );
            if furniture {
                continue;
            }
            assert!(
                t >= top - 1.0 && b <= bottom + 1.0,
                "{what} page {}: {item:?} runs into the header or footer ({top}..{bottom})",
                n + 1
            );
            assert!(
                l >= SIDE - 1.0 && r <= width - SIDE + 1.0,
                "{what} page {}: {item:?} leaves the body column",
                n + 1
            );
        }
    }
}

#[test]
fn title_markup_is_styled_never_printed_as_asterisks() {
    let src = "title: Owning **What** *Happened*\nstage: atone\nblocks:\n  - heading: A **bold** step\n  - paragraph: Text.\n";
    let doc = compile(src, &Config::default(), Paper::Letter);
    assert_eq!(doc.title, "Owning What Happened");
    let all: Vec<&TextRun> = doc.pages.iter().flat_map(|p| texts(&p.items)).collect();
    assert!(all.iter().all(|t| !t.text.contains('*')), "{all:?}");
    // The running header holds the title's words in the header's style.
    let header: String = all
        .iter()
        .filter(|t| t.size <= 9.0 && t.y < 60.0)
        .map(|t| t.text.as_ref())
        .collect();
    assert!(header.contains("Owning What Happened"), "{header}");
    // The title itself keeps its styling as runs.
    assert!(all
        .iter()
        .any(|t| t.text.contains("What") && t.size >= 22.0));
}

#[test]
fn packet_contents_and_bookmarks_show_title_words_not_markup() {
    let dir = scratch("markup");
    std::fs::write(
        dir.join("w.yaml"),
        "title: Owning **What** Happened\nblocks:\n  - paragraph: x\n",
    )
    .unwrap();
    let src = "title: The *Weekend*\ncover: {title: \"The **Weekend**\"}\ndividers: true\nsections:\n  - title: \"*Atone*\"\n    worksheets: [w.yaml]\n";
    let path = dir.join("p.yaml");
    let (p, _) = Packet::from_source(&path, src.into(), Config::default()).unwrap();
    let doc = blank(&p, false);
    fn walk(e: &OutlineEntry, out: &mut Vec<String>) {
        out.push(e.title.clone());
        e.children.iter().for_each(|c| walk(c, out));
    }
    let mut marks = Vec::new();
    doc.outline.iter().for_each(|e| walk(e, &mut marks));
    assert_eq!(marks, ["Contents", "Atone", "Owning What Happened"]);
    assert_eq!(doc.title, "The Weekend");
    for page in &doc.pages {
        assert!(texts(&page.items).all(|t| !t.text.contains('*')));
    }
}

fn blank(p: &Packet, duplex: bool) -> Document {
    let b = Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex,
        vars: None,
        fillable: false,
    };
    p.assemble(&b).unwrap_or_else(|e| panic!("{e:?}")).0
}

/// A worksheet whose every text is far longer than a page can hold in
/// one piece.
fn hostile() -> String {
    let long = words(6000);
    let word = "x".repeat(3000);
    format!(
        "title: \"{t}\"\nsubtitle: \"{t}\"\ntime: \"{t}\"\nsource: \"{long}\"\nblocks:
  - heading: \"{long}\"
  - table: [When, \"{head}\"]
    widths: [1, 19]
    rows:
      - [\"{long}\", short]
      - [\"{word}\", \"{long}\"]
    blank-rows: 3
  - table: [\"{long}\", Two]
    rows: [[a, b], [c, d], [e, f]]
  - scale: \"{long}\"
    from: -999
    to: -979
    low: \"{long}\"
    high: \"{long}\"
  - signature: [\"{long}\", \"{long}\", Date, \"{word}\"]
  - spacer: 1000pt
  - callout: \"{long}\"
    title: \"{long}\"
  - partners: \"{long}\"
  - checklist: [\"{long}\", \"{word}\"]
  - script: [\"{long}\"]
    intro: \"{long}\"
  - numbered: [\"{word}\", \"{long}\"]
  - prompt: \"{long}\"
    lines: fill
",
        t = words(600),
        head = words(3000),
    )
}

#[test]
fn nothing_is_drawn_outside_the_text_area_however_long_the_text() {
    let src = hostile();
    let mut big = Config {
        font_size: 24.0,
        ..Config::default()
    };
    big.roles.partner_a = "The partner who was hurt by what happened, in full".into();
    big.roles.partner_b = "W".repeat(60);
    big.practice = words(120);
    big.footer_note = Some(words(120));
    big.safety_line = words(300);
    for (cfg, name) in [(Config::default(), "12pt"), (big, "24pt")] {
        for paper in [Paper::Letter, Paper::A4] {
            let doc = compile(&src, &cfg, paper);
            assert!(doc.pages.len() > 5, "the hostile worksheet is long");
            assert_inside(&doc, &format!("{name} {paper:?}"));
        }
    }
}

#[test]
fn a_long_cover_is_numbered_right_with_and_without_duplex() {
    let dir = scratch("cover");
    for i in 0..3 {
        std::fs::write(
            dir.join(format!("w{i}.yaml")),
            format!("title: Sheet {i}\nblocks:\n  - prompt: What now?\n    lines: 30\n"),
        )
        .unwrap();
    }
    let lines: Vec<String> = (0..70)
        .map(|i| format!("    - Line {i} of the cover"))
        .collect();
    let src = format!(
        "title: Long cover\ncover:\n  title: A cover\n  lines:\n{}\ndividers: true\nsections:\n  - title: One\n    worksheets: [w0.yaml, w1.yaml]\n  - title: Two\n    worksheets: [w2.yaml]\n",
        lines.join("\n")
    );
    let path = dir.join("p.yaml");
    let (p, _) = Packet::from_source(&path, src, Config::default()).unwrap();
    for duplex in [false, true] {
        let doc = blank(&p, duplex);
        assert_inside(&doc, &format!("duplex {duplex}"));
        let contents = doc.outline[0].page;
        assert!(contents >= 2, "70 lines take more than one cover page");
        assert!(texts(&doc.pages[contents].items).any(|t| &*t.text == "Contents"));
        let total = doc.pages.len();
        let links: Vec<usize> = doc.pages[contents]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Link { page, .. } => Some(*page),
                _ => None,
            })
            .collect();
        for section in &doc.outline[1..] {
            // A divider page opens each section.
            let first = &doc.pages[section.page];
            assert!(
                texts(&first.items).any(|t| t.size >= 30.0 && *t.text == section.title),
                "{} is not on page {}",
                section.title,
                section.page + 1
            );
            for ws in &section.children {
                let page = &doc.pages[ws.page];
                assert!(
                    texts(&page.items).any(|t| t.size >= 22.0 && *t.text == ws.title),
                    "{} is not on page {} (duplex {duplex})",
                    ws.title,
                    ws.page + 1
                );
                if duplex {
                    assert_eq!(ws.page % 2, 0, "{} on a left-hand page", ws.title);
                }
                // The contents line links there and prints that number.
                assert!(links.contains(&ws.page), "no link to page {}", ws.page + 1);
                let number = (ws.page + 1).to_string();
                assert!(texts(&doc.pages[contents].items).any(|t| *t.text == number));
                // Its footer says where it is in the whole document.
                let footer = format!("Page {} of {total}", ws.page + 1);
                assert!(texts(&page.items).any(|t| *t.text == footer), "{footer}");
            }
        }
    }
}

#[test]
fn config_texts_printed_on_every_page_are_bounded() {
    let dir = scratch("config");
    let cfg = dir.join("handouts.yaml");
    std::fs::write(
        &cfg,
        format!("practice: ok\nsafety-line: \"{}\"\n", words(2000)),
    )
    .unwrap();
    let e = handouts::spec::config::load(&cfg).unwrap_err();
    assert!(e.message.contains("safety-line"), "{}", e.message);
    assert_eq!(e.line_col.map(|l| l.0), Some(2));
    std::fs::write(
        &cfg,
        format!("roles:\n  partner-a: \"{}\"\n", "A".repeat(61)),
    )
    .unwrap();
    let e = handouts::spec::config::load(&cfg).unwrap_err();
    assert_eq!(e.line_col, Some((2, 14)), "{}", e.message);
}

#[test]
fn values_filled_into_a_cover_are_bounded_and_located() {
    let dir = scratch("values");
    std::fs::write(dir.join("w.yaml"), "title: W\nblocks: [divider]\n").unwrap();
    let src = "title: P\ncover:\n  title: C\n  lines:\n    - Plain\n    - \"For {{partner_a}}\"\nsections: [{title: S, worksheets: [w.yaml]}]\n";
    let (p, _) = Packet::from_source(&dir.join("p.yaml"), src.into(), Config::default()).unwrap();
    let vars: Vars = [("partner_b".to_owned(), "B".to_owned())].into();
    let b = Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex: false,
        vars: Some(&vars),
        fillable: false,
    };
    let Err(errs) = p.assemble(&b) else {
        panic!("partner_a has no value")
    };
    assert_eq!(errs[0].line_col, Some((6, 12)), "{errs:?}");
}

#[test]
fn signature_tooltips_hold_role_words_not_names() {
    let src = "title: T\nblocks:\n  - signature: [\"{{partner_a}}\", \"{{partner_b}}\", Date]\n";
    let vars: Vars = [("partner_a", "Zoë Quill"), ("partner_b", "Sam Ink")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let opts = handouts::model::Options {
        vars: Some(&vars),
        fillable: true,
        ..Default::default()
    };
    let doc = handouts::compile_str_with(
        Path::new("w.yaml"),
        src,
        &Config::default(),
        Paper::Letter,
        &opts,
    )
    .unwrap()
    .doc;
    let tips: Vec<&str> = doc.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Field(f) => Some(f.tooltip.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(tips, ["Partner A", "Partner B", "Date"]);
    // The names are on the page.
    assert!(texts(&doc.pages[0].items).any(|t| t.text.contains("Zoë Quill")));
}
