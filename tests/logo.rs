//! The practice's logo (`logo:` in the config): over the title of every
//! handout's first page and on packet covers, a Figure named for the
//! practice, one XObject however many pages show it; a bad one is an
//! error at its line in the config.

use handouts::layout::display::{Document, Item, Role, Tag};
use handouts::model::Edition;
use handouts::packet::{Build, Packet};
use handouts::render::pdf::{write, WriteOptions};
use handouts::spec::config::{self, Paper};
use std::path::{Path, PathBuf};

/// A folder with a config naming `logo`, and a copy of a test picture.
fn project(logo: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("handouts-logo-{}", logo.replace(['/', '.'], "-")));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("tests/fixtures/images/rgba.png", dir.join("logo.png")).unwrap();
    std::fs::copy("worksheets/images/example-logo.svg", dir.join("logo.svg")).unwrap();
    std::fs::copy("tests/fixtures/images/text.svg", dir.join("bad.svg")).unwrap();
    std::fs::write(
        dir.join("handouts.yaml"),
        format!("practice: Riverside Couples Therapy\nlogo: {logo}\nlogo-width: 4cm\n"),
    )
    .unwrap();
    dir
}

/// A packet's client edition on Letter, with no values.
fn assemble(p: &Packet) -> Document {
    let b = Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex: false,
        vars: None,
        fillable: false,
    };
    p.assemble(&b).unwrap().0
}

/// How many XObjects of one subtype (`Image`, `Form`) a written PDF has.
fn count(lo: &lopdf::Document, subtype: &[u8]) -> usize {
    lo.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict
                .get(b"Subtype")
                .is_ok_and(|t| t.as_name().is_ok_and(|n| n == subtype))
        })
        .count()
}

fn images(doc: &Document, page: usize) -> Vec<(f32, f32, Tag)> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Image { y, h, tag, .. } => Some((*y, *h, *tag)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_logo_is_over_the_title_of_each_first_page_and_on_the_cover() {
    let dir = project("logo.png");
    let cfg = config::load(&dir.join("handouts.yaml")).unwrap();
    let doc = handouts::compile(
        Path::new("worksheets/attach/attach-3-pace-and-consent.yaml"),
        &cfg,
        Paper::Letter,
    )
    .unwrap()
    .doc;
    let first = images(&doc, 0);
    assert_eq!(first.len(), 1, "{first:?}");
    let (y, h, tag) = first[0];
    let title_y = doc.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Text(t) if t.size >= 22.0 => Some(t.y),
            _ => None,
        })
        .unwrap();
    assert!(y + h < title_y - 10.0, "the logo sits over the title");
    let Tag::Node(n) = tag else { panic!("{tag:?}") };
    assert_eq!(
        doc.tree[n as usize].role,
        Role::Figure {
            alt: "Riverside Couples Therapy logo".into()
        }
    );
    assert!((1..doc.pages.len()).all(|p| images(&doc, p).is_empty()));

    // A packet: on the cover and each worksheet's first page, one XObject.
    std::fs::write(
        dir.join("p.yaml"),
        format!(
            "title: Week one\ncover: {{title: Week one}}\nsections:\n  - title: All\n    worksheets:\n{}",
            (1..=4)
                .map(|i| {
                    let ws = std::fs::read_dir("worksheets/atone")
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                        .nth(i - 1)
                        .unwrap();
                    format!("      - {}\n", std::fs::canonicalize(ws).unwrap().display())
                })
                .collect::<String>()
        ),
    )
    .unwrap();
    let (p, _) = Packet::load(&dir.join("p.yaml"), cfg).unwrap();
    let doc = assemble(&p);
    assert_eq!(images(&doc, 0).len(), 1, "on the cover");
    let shown: usize = (0..doc.pages.len()).map(|i| images(&doc, i).len()).sum();
    assert_eq!(shown, 5, "cover and four first pages");
    let bytes = write(&doc, &WriteOptions::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(count(&lo, b"Image"), 2, "the logo and its mask, once");
}

#[test]
fn a_bad_logo_is_an_error_at_its_line_in_the_config() {
    for (logo, says) in [
        ("missing.png", "cannot read"),
        ("handouts.yaml", "not a PNG, JPEG or SVG"),
        ("bad.svg", "convert the text to outlines"),
    ] {
        let dir = project(logo);
        let err = config::load(&dir.join("handouts.yaml")).unwrap_err();
        let text = format!("{err:?}");
        assert!(text.contains(says), "{logo}: {text}");
        assert!(
            text.contains("Some((2,"),
            "{logo}: not at the logo's line: {text}"
        );
    }
}

#[test]
fn the_example_svg_logo_is_one_vector_drawing_on_every_first_page() {
    let dir = project("logo.svg");
    let cfg = config::load(&dir.join("handouts.yaml")).unwrap();
    let specs: Vec<PathBuf> = std::fs::read_dir("worksheets/attune")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    let lines: String = specs
        .iter()
        .map(|p| format!("      - {}\n", std::fs::canonicalize(p).unwrap().display()))
        .collect();
    std::fs::write(
        dir.join("p.yaml"),
        format!("title: Attune\ncover: {{title: Attune}}\nsections:\n  - title: All\n    worksheets:\n{lines}"),
    )
    .unwrap();
    let (p, _) = Packet::load(&dir.join("p.yaml"), cfg).unwrap();
    let doc = assemble(&p);
    let bytes = write(&doc, &WriteOptions::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(count(&lo, b"Form"), 1, "one drawing for the whole packet");
    let drawn = lo
        .get_pages()
        .values()
        .filter(|&&id| String::from_utf8_lossy(&lo.get_page_content(id)).contains("/Im0 Do"))
        .count();
    assert_eq!(drawn, specs.len() + 1, "the cover and each first page");
    // 240 × 160 px: 3:2, however wide it prints.
    let (_, h, _) = images(&doc, 0)[0];
    let w = doc.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Image { w, .. } => Some(*w),
            _ => None,
        })
        .unwrap();
    assert!((w / h - 1.5).abs() < 0.001, "{w}x{h}");
}
