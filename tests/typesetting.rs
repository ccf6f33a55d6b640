//! Typesetting rules on the display list (issue 13), each on input built to
//! break it.

use handouts::layout::display::{Document, Item};
use handouts::spec::config::{Config, Paper};
use std::path::Path;

fn compile(src: &str, paper: Paper) -> Document {
    handouts::compile_str(Path::new("w.yaml"), src, &Config::default(), paper)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .doc
}

/// The body's items: everything between the header's and footer's
/// hairlines (0.5pt rules), which are themselves left out.
fn body(page: &handouts::layout::display::Page) -> Vec<&Item> {
    let rules: Vec<f32> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Line { y1, y2, width, .. } if y1 == y2 && *width == 0.5 => Some(*y1),
            _ => None,
        })
        .collect();
    let (top, bottom) = (
        rules.iter().cloned().fold(f32::MAX, f32::min),
        rules.iter().cloned().fold(f32::MIN, f32::max),
    );
    page.items
        .iter()
        .filter(|i| {
            let (_, t, _, b) = i.bounds();
            t > top + 1.0 && b < bottom - 1.0
        })
        .collect()
}

#[test]
fn no_page_begins_with_a_spacer_gap_or_a_lone_divider() {
    let mut src = String::from("title: Gaps\nblocks:\n");
    for i in 0..40 {
        src.push_str(&format!(
            "  - paragraph: Paragraph {i} runs on for a while so that the blocks fall at many different heights down the page.\n  - divider\n  - spacer: {}mm\n",
            5 + i % 7 * 4
        ));
    }
    for paper in [Paper::Letter, Paper::A4] {
        let doc = compile(&src, paper);
        assert!(doc.pages.len() >= 4, "{} pages", doc.pages.len());
        for (n, page) in doc.pages.iter().enumerate().skip(1) {
            let items = body(page);
            let first = items
                .iter()
                .min_by(|a, b| a.bounds().1.total_cmp(&b.bounds().1))
                .expect("a page with a body");
            assert!(
                !matches!(first, Item::Line { width, .. } if *width == 0.75),
                "{paper:?} page {} begins with a divider",
                n + 1
            );
            // The body starts 72pt down (0.5in margin + header band).
            assert!(
                first.bounds().1 < 72.0 + 14.0,
                "{paper:?} page {} begins with an empty band: {first:?}",
                n + 1
            );
        }
    }
}
