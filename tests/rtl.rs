//! Right-to-left worksheets, on the display list: a Hebrew or Arabic
//! worksheet is laid out mirrored (text against the right margin; bullets,
//! numbers, boxes, scale and first table column on the right; header and
//! footer mirrored), its lines in visual order, its text in logical order.

use handouts::compile_str;
use handouts::layout::display::{Document, Item, TextRun};
use handouts::spec::config::{Config, Paper};
use std::path::Path;

/// Letter paper's body area: 54 pt from each side.
const LEFT: f32 = 54.0;
const RIGHT: f32 = 612.0 - 54.0;

fn doc(yaml: &str) -> Document {
    match compile_str(
        Path::new("rtl.yaml"),
        yaml,
        &Config::default(),
        Paper::Letter,
    ) {
        Ok(c) => c.doc,
        Err(e) => panic!("{e:?}"),
    }
}

fn texts(items: &[Item]) -> impl Iterator<Item = &TextRun> {
    items.iter().filter_map(Item::as_text)
}

/// The runs on the baseline of the first run whose text contains `needle`.
fn line_of<'a>(d: &'a Document, needle: &str) -> Vec<&'a TextRun> {
    let items = &d.pages[0].items;
    let y = texts(items)
        .find(|t| t.text.contains(needle))
        .unwrap_or_else(|| panic!("no run holds {needle:?}"))
        .y;
    let mut runs: Vec<&TextRun> = texts(items).filter(|t| (t.y - y).abs() < 0.01).collect();
    runs.sort_by(|a, b| a.x.total_cmp(&b.x));
    runs
}

fn right_edge(runs: &[&TextRun]) -> f32 {
    runs.iter().map(|r| r.x + r.width).fold(f32::MIN, f32::max)
}

fn left_edge(runs: &[&TextRun]) -> f32 {
    runs.iter().map(|r| r.x).fold(f32::MAX, f32::min)
}

const HEBREW: &str = "title: בדיקה יומית
language: he
subtitle: דף קצר לשיחה של ערב
blocks:
  - heading: איך עבר היום
  - paragraph: כל ערב אנחנו עושים (check-in) של 10 דקות יחד.
  - bullets:
      - שבו יחד בשקט.
      - הקשיבו בלי לתקן.
  - numbered:
      - מה היה קשה היום?
      - מה עזר לך?
  - checklist:
      - דיברנו היום
      - הקשבנו
  - scale: כמה בטוח היה לדבר?
    from: 1
    to: 5
    low: בכלל לא
    high: מאוד
  - table: [יום, מה עשיתי, איך הגבת]
    blank-rows: 1
";

#[test]
fn a_hebrew_worksheet_sets_its_text_against_the_right_margin() {
    let d = doc(HEBREW);
    for needle in ["בדיקה", "איך עבר", "כל ערב"] {
        let runs = line_of(&d, needle);
        assert!(
            (right_edge(&runs) - RIGHT).abs() < 0.6,
            "{needle}: ends at {}",
            right_edge(&runs)
        );
        assert!(
            left_edge(&runs) > LEFT + 50.0,
            "{needle} is not ragged left"
        );
    }
    // The title's rule starts at the right margin.
    let rules: Vec<(f32, f32)> = d.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Line { x1, x2, y1, y2, .. } if y1 == y2 => Some((x1.min(*x2), x1.max(*x2))),
            _ => None,
        })
        .collect();
    assert!(
        rules.iter().any(|&(_, r)| (r - RIGHT).abs() < 0.6),
        "{rules:?}"
    );
}

#[test]
fn a_mixed_line_reads_right_to_left_with_the_english_word_whole() {
    let d = doc(HEBREW);
    let runs = line_of(&d, "כל ערב");
    let english = runs
        .iter()
        .find(|r| r.text.contains("check"))
        .expect("the English word's run");
    // Logical order in the text, left to right in its own run.
    assert_eq!(&*english.text, "check-in");
    let first = runs.iter().find(|r| r.text.contains("כל")).unwrap();
    let last = runs.iter().find(|r| r.text.contains("יחד")).unwrap();
    // The first word is rightmost, the last leftmost, the English word
    // between them; the number sits in the line too.
    assert!(first.x > english.x && english.x > last.x, "{runs:?}");
    assert!(runs.iter().any(|r| r.text.contains("10")));
    // Right-to-left runs keep their text in logical order, their glyphs
    // drawn right to left.
    assert!(first.text.starts_with("כל") && !first.glyphs.is_empty());
    // Content order is reading order: the first word is drawn first.
    let items = &d.pages[0].items;
    let pos = |t: &TextRun| {
        items
            .iter()
            .position(|i| matches!(i, Item::Text(r) if r == t))
    };
    assert!(pos(first) < pos(english) && pos(english) < pos(last));
}

#[test]
fn markers_boxes_and_scales_sit_on_the_right() {
    let d = doc(HEBREW);
    let items = &d.pages[0].items;
    // A bullet is right of its item's text.
    let item = line_of(&d, "שבו");
    let bullet = item.iter().find(|r| r.text.trim() == "•").expect("bullet");
    let words: Vec<&TextRun> = item
        .iter()
        .copied()
        .filter(|r| r.text.trim() != "•")
        .collect();
    assert!(bullet.x > right_edge(&words), "{item:?}");
    // A number too, drawn as a right-to-left reader reads it (".1").
    let numbered = line_of(&d, "מה היה");
    let one = numbered.iter().find(|r| r.text.contains('1')).unwrap();
    let dot = numbered.iter().find(|r| r.text.trim() == ".").unwrap();
    assert!(one.x > dot.x, "{numbered:?}");
    let words: Vec<&TextRun> = numbered
        .iter()
        .copied()
        .filter(|r| r.text.contains('מ'))
        .collect();
    assert!(one.x > right_edge(&words));
    // Check boxes: right of their text, against the margin.
    let checked = line_of(&d, "דיברנו");
    let boxes: Vec<(f32, f32)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Rect { x, y, w, h, .. } if (w - h).abs() < 0.01 && *w < 20.0 => Some((*x, *y)),
            _ => None,
        })
        .collect();
    assert!(!boxes.is_empty());
    assert!(
        boxes.iter().all(|&(x, _)| x > right_edge(&checked)),
        "{boxes:?}"
    );
    // The scale runs from the right: 1 rightmost, 5 leftmost.
    let scale = |n: &str| {
        texts(items)
            .filter(|t| t.text.trim() == n)
            .map(|t| t.x)
            .fold(f32::MIN, f32::max)
    };
    assert!(scale("1") > scale("3") && scale("3") > scale("5"));
}

#[test]
fn a_table_reads_from_the_right() {
    let d = doc(HEBREW);
    let x = |w: &str| {
        line_of(&d, w)
            .iter()
            .find(|r| r.text.contains(w))
            .unwrap()
            .x
    };
    assert!(x("יום") > x("מה עשיתי") && x("מה עשיתי") > x("איך הגבת"));
}

#[test]
fn header_and_footer_are_mirrored_in_a_right_to_left_document() {
    let he = doc(HEBREW);
    let en = doc("title: Daily check-in\nblocks:\n  - paragraph: Sit together.\n");
    // The footer's page-number line: the lowest-but-one line of text
    // holding a digit (the safety line is under it).
    let page_number = |d: &Document| {
        let items = &d.pages[0].items;
        let y = texts(items)
            .filter(|t| t.y > 650.0 && t.text.chars().any(|c| c.is_ascii_digit()))
            .map(|t| t.y)
            .fold(f32::MAX, f32::min);
        let runs: Vec<&TextRun> = texts(items).filter(|t| (t.y - y).abs() < 0.01).collect();
        (left_edge(&runs), right_edge(&runs))
    };
    // English: page number against the left margin under the rule; Hebrew:
    // against the right (or the reverse, whichever side English uses).
    let (el, er) = page_number(&en);
    let (hl, hr) = page_number(&he);
    let en_left = (el - LEFT).abs() < 0.6;
    let he_right = (hr - RIGHT).abs() < 0.6;
    assert_eq!(en_left, he_right, "en {el}–{er}, he {hl}–{hr}");
    assert!(en_left || (er - RIGHT).abs() < 0.6);
}

/// A blank packet from `spec`, beside the Hebrew worksheet (`he.yaml`)
/// and an English one (`en.yaml`).
fn packet(name: &str, spec: &str) -> Document {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-rtl-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("he.yaml"), HEBREW).unwrap();
    std::fs::write(
        dir.join("en.yaml"),
        "title: Daily check-in\nblocks:\n  - paragraph: Sit together for ten minutes.\n",
    )
    .unwrap();
    std::fs::write(dir.join("packet.yaml"), spec).unwrap();
    let (packet, _) = handouts::packet::load_with_config(&dir.join("packet.yaml")).unwrap();
    let b = handouts::packet::Build {
        paper: Paper::Letter,
        edition: handouts::model::Edition::Client,
        duplex: false,
        vars: None,
        fillable: false,
    };
    let d = packet.assemble(&b).unwrap_or_else(|e| panic!("{e:?}")).0;
    std::fs::remove_dir_all(&dir).ok();
    d
}

#[test]
fn a_hebrew_worksheet_in_an_english_packet_is_mirrored_alone() {
    let d = packet(
        "both",
        "title: Both\ncover: {title: Both}\nsections:\n  - title: All\n    worksheets: [en.yaml, he.yaml]\n",
    );
    let find = |needle: &str| {
        d.pages
            .iter()
            .flat_map(|p| texts(&p.items))
            .find(|t| t.text.contains(needle))
            .unwrap()
    };
    let en = find("Sit together");
    let he = find("כל ערב");
    assert!((en.x - LEFT).abs() < 0.6);
    assert!(he.x + he.width > RIGHT - 120.0, "{he:?}");
}

#[test]
fn a_hebrew_packets_cover_and_contents_are_mirrored_too() {
    let d = packet(
        "he",
        "title: בונים אמון מחדש\nlanguage: he\ncover:\n  title: בונים אמון מחדש\nsections:\n  - title: התכווננות\n    worksheets: [he.yaml, he.yaml]\n",
    );
    // The cover's title ends at the right margin.
    let cover: Vec<&TextRun> = texts(&d.pages[0].items)
        .filter(|t| t.text.contains("אמון"))
        .collect();
    assert!((right_edge(&cover) - RIGHT).abs() < 0.6, "{cover:?}");
    // A contents entry: its title on the right, its page number on the
    // left, the leader between.
    let entry = texts(&d.pages[1].items)
        .find(|t| t.text.contains("בדיקה"))
        .expect("a contents entry");
    let number = texts(&d.pages[1].items)
        .filter(|t| (t.y - entry.y).abs() < 0.01 && t.text.trim().parse::<u32>().is_ok())
        .map(|t| t.x)
        .next()
        .expect("its page number");
    // (Indented under its section's title, from the right.)
    let end = entry.x + entry.width;
    assert!(end < RIGHT && end > RIGHT - 30.0, "{entry:?}");
    assert!(number < entry.x && number < LEFT + 200.0);
}

#[test]
fn a_hebrew_worksheets_text_fields_start_at_the_right() {
    use handouts::model::Options;
    use handouts::render::pdf::{write, WriteOptions};
    let quadding = |yaml: &str| -> Vec<i64> {
        let opts = Options {
            fillable: true,
            ..Options::default()
        };
        let doc = handouts::compile_str_with(
            Path::new("f.yaml"),
            yaml,
            &Config::default(),
            Paper::Letter,
            &opts,
        )
        .unwrap_or_else(|e| panic!("{e:?}"))
        .doc;
        let lo = lopdf::Document::load_mem(&write(&doc, &WriteOptions::default())).unwrap();
        lo.objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"FT").and_then(|t| t.as_name()).ok() == Some(b"Tx"))
            .map(|d| d.get(b"Q").and_then(|q| q.as_i64()).unwrap_or(0))
            .collect()
    };
    let he =
        quadding("title: שיחה\nlanguage: he\nblocks:\n  - prompt: מה עזר לך היום?\n    lines: 2\n");
    assert!(!he.is_empty() && he.iter().all(|&q| q == 2), "{he:?}");
    let en = quadding("title: Talk\nblocks:\n  - prompt: What helped today?\n    lines: 2\n");
    assert!(!en.is_empty() && en.iter().all(|&q| q == 0), "{en:?}");
}
