//! Packets on the display list: contents numbers and links, outline,
//! duplex, editions, per-partner copies, personalisation.

use handouts::layout::display::{Document, Item, OutlineEntry, TextRun};
use handouts::model::{Edition, Vars};
use handouts::packet::{load_with_config, Build};
use handouts::spec::config::Paper;
use std::path::Path;

const INTENSIVE: &str = "worksheets/packets/intensive.yaml";

fn build(path: &str, edition: Edition, duplex: bool, vars: Option<&Vars>) -> Document {
    let (p, _) = load_with_config(Path::new(path)).unwrap_or_else(|e| panic!("{e:?}"));
    let b = Build {
        paper: Paper::Letter,
        edition,
        duplex,
        vars,
        fillable: false,
    };
    p.assemble(&b).unwrap_or_else(|e| panic!("{e:?}")).0
}

fn texts(items: &[Item]) -> impl Iterator<Item = &TextRun> {
    items.iter().filter_map(|i| match i {
        Item::Text(t) => Some(t),
        _ => None,
    })
}

fn worksheets(doc: &Document) -> Vec<&OutlineEntry> {
    doc.outline.iter().flat_map(|s| &s.children).collect()
}

fn couple() -> Vars {
    [
        ("partner_a", "Zoë"),
        ("partner_b", "Ζωή"),
        ("session_date", "3 May 2026"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[test]
fn contents_numbers_and_links_match_where_worksheets_start() {
    let doc = build(INTENSIVE, Edition::Client, false, None);
    let ws = worksheets(&doc);
    assert_eq!(ws.len(), 15, "14 worksheets, one of them in two copies");
    let contents = &doc.pages[1].items;
    for entry in &ws {
        // The worksheet's title block opens its first page.
        let first = &doc.pages[entry.page];
        let title = entry.title.split(" — ").next().unwrap();
        assert!(
            texts(&first.items).any(|t| t.size >= 22.0 && title.starts_with(t.text.trim())),
            "{} does not start on page {}",
            entry.title,
            entry.page + 1
        );
        // The contents line shows that page number and links to it.
        let line = texts(contents)
            .find(|t| t.text.trim_end() == entry.title)
            .unwrap_or_else(|| panic!("{} not in contents", entry.title));
        let number = (entry.page + 1).to_string();
        assert!(
            texts(contents).any(|t| *t.text == number && (t.y - line.y).abs() < 0.1),
            "{title}: no page number {number} on its contents line"
        );
        assert!(contents
            .iter()
            .any(|i| matches!(i, Item::Link { page, y, h, .. }
            if *page == entry.page && *y <= line.y && line.y <= y + h)));
    }
    // Continuous numbering in every footer.
    let total = doc.pages.len();
    for (i, p) in doc.pages.iter().enumerate().skip(1) {
        let want = format!("Page {} of {total}", i + 1);
        assert!(
            texts(&p.items).any(|t| *t.text == want),
            "page {} footer",
            i + 1
        );
    }
}

#[test]
fn the_outline_has_a_section_entry_over_its_worksheets() {
    let doc = build(INTENSIVE, Edition::Client, false, None);
    let titles: Vec<&str> = doc.outline.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Contents", "Overview", "Atone", "Attune", "Attach"]
    );
    assert_eq!(doc.outline[2].children.len(), 4);
}

#[test]
fn duplex_starts_every_worksheet_on_a_right_hand_page_with_notes_between() {
    let doc = build(INTENSIVE, Edition::Client, true, None);
    for e in worksheets(&doc) {
        assert_eq!(e.page % 2, 0, "{} starts on page {}", e.title, e.page + 1);
    }
    let notes = doc
        .pages
        .iter()
        .filter(|p| texts(&p.items).any(|t| &*t.text == "Notes"))
        .collect::<Vec<_>>();
    assert!(!notes.is_empty());
    for p in notes {
        let lines = p
            .items
            .iter()
            .filter(|i| matches!(i, Item::Line { .. }))
            .count();
        assert!(lines > 10, "a notes page has writing lines");
    }
}

#[test]
fn editions_leave_out_or_include_facilitator_notes() {
    let has = |doc: &Document, s: &str| {
        doc.pages
            .iter()
            .any(|p| texts(&p.items).any(|t| t.text.contains(s)))
    };
    let client = build(INTENSIVE, Edition::Client, false, None);
    let facilitator = build(INTENSIVE, Edition::Facilitator, false, None);
    assert!(!has(&client, "For the therapist"));
    assert!(has(&facilitator, "For the therapist"));
    assert!(has(&facilitator, "Facilitator edition"));
    assert!(!has(&client, "Facilitator edition"));
}

#[test]
fn personal_values_fill_the_cover_and_partner_copies_but_not_the_outline() {
    let vars = couple();
    let doc = build(INTENSIVE, Edition::Client, false, Some(&vars));
    let cover: Vec<&str> = texts(&doc.pages[0].items)
        .map(|t| t.text.as_ref())
        .collect();
    assert!(cover.concat().contains("Zoë and Ζωή"), "{cover:?}");
    let all: String = doc
        .pages
        .iter()
        .flat_map(|p| texts(&p.items))
        .map(|t| t.text.as_ref())
        .collect();
    assert!(all.contains("Copy for Zoë (Partner A)") && all.contains("Copy for Ζωή (Partner B)"));
    fn walk(e: &OutlineEntry, out: &mut Vec<String>) {
        out.push(e.title.clone());
        e.children.iter().for_each(|c| walk(c, out));
    }
    let mut marks = Vec::new();
    doc.outline.iter().for_each(|e| walk(e, &mut marks));
    assert!(
        marks
            .iter()
            .all(|m| !m.contains("Zoë") && !m.contains("Ζωή")),
        "{marks:?}"
    );
    assert!(!doc.title.contains("Zoë"));
}

#[test]
fn a_blank_packet_has_lines_to_write_names_on() {
    let doc = build(INTENSIVE, Edition::Client, false, None);
    let cover: String = texts(&doc.pages[0].items)
        .map(|t| t.text.as_ref())
        .collect();
    assert!(cover.contains("____ and ____"), "{cover}");
}

#[test]
fn a_missing_value_is_an_error_naming_the_placeholder() {
    let (p, _) = load_with_config(Path::new(INTENSIVE)).unwrap();
    let mut vars = couple();
    vars.remove("session_date");
    let err = p
        .assemble(&Build {
            paper: Paper::Letter,
            edition: Edition::Client,
            duplex: false,
            vars: Some(&vars),
            fillable: false,
        })
        .unwrap_err();
    assert!(
        err.iter()
            .any(|d| d.message.contains("`{{session_date}}`") && d.line_col.is_some()),
        "{err:?}"
    );
}

#[test]
fn out_of_order_stages_get_a_warning() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-order");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let here = std::env::current_dir().unwrap();
    let w = |f: &str| here.join("worksheets").join(f).display().to_string();
    let spec = dir.join("backwards.yaml");
    std::fs::write(
        &spec,
        format!(
            "title: Backwards\ncover: {{title: B}}\nsections:\n  - title: All\n    worksheets:\n      - {}\n      - {}\n",
            w("attach/attach-1-rituals-of-connection.yaml"),
            w("atone/atone-1-owning-what-happened.yaml")
        ),
    )
    .unwrap();
    let (_, warnings) = load_with_config(&spec).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("Atone") && warnings[0].message.contains("Attach"));
}

#[test]
fn every_bundled_packet_stays_inside_the_margins() {
    for f in std::fs::read_dir("worksheets/packets").unwrap() {
        let path = f.unwrap().path();
        let doc = build(path.to_str().unwrap(), Edition::Facilitator, true, None);
        for (n, page) in doc.pages.iter().enumerate() {
            for item in &page.items {
                let (l, t, r, b) = item.bounds();
                assert!(
                    l >= 35.99 && t >= 35.99 && r <= page.width - 35.99 && b <= page.height - 35.99,
                    "{} page {}: {item:?}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}

/// Worksheets without placeholders are laid out once per loaded packet and
/// reused for every row: each row must still be exactly what a packet
/// loaded afresh for it gives, whatever rows, editions and options came
/// before.
#[test]
fn reused_layouts_give_the_same_documents_as_fresh_ones() {
    let (shared, _) = load_with_config(Path::new(INTENSIVE)).unwrap();
    let other: Vars = [
        ("partner_a", "Sam"),
        ("partner_b", "Наталья"),
        ("session_date", "4 May"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let couple = couple();
    for (vars, edition, fillable) in [
        (Some(&couple), Edition::Client, false),
        (Some(&other), Edition::Client, false),
        (None, Edition::Client, false),
        (Some(&couple), Edition::Facilitator, false),
        (Some(&other), Edition::Client, true),
        (Some(&couple), Edition::Client, false),
    ] {
        let b = Build {
            paper: Paper::Letter,
            edition,
            duplex: false,
            vars,
            fillable,
        };
        let (fresh, _) = load_with_config(Path::new(INTENSIVE)).unwrap();
        let want = fresh.assemble(&b).unwrap();
        let got = shared.assemble(&b).unwrap();
        assert!(got.0 == want.0, "{edition:?} fillable={fillable} differs");
        assert_eq!(got.1, want.1);
    }
}

#[test]
fn placeholders_fill_the_cover_title_subtitle_and_section_titles() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-coverph");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let here = std::env::current_dir().unwrap();
    let ws = here.join("worksheets/atone/atone-1-owning-what-happened.yaml");
    let p = dir.join("p.yaml");
    std::fs::write(
        &p,
        format!(
            "title: Ours\ncover:\n  title: For {{{{partner_a}}}}\n  subtitle: With {{{{partner_b}}}}\ndividers: true\nsections:\n  - title: About {{{{partner_b}}}}\n    worksheets: [{}]\n",
            ws.display()
        ),
    )
    .unwrap();
    let (packet, _) = load_with_config(&p).unwrap();
    let vars = couple();
    let b = Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex: false,
        vars: Some(&vars),
        fillable: false,
    };
    let doc = packet.assemble(&b).unwrap().0;
    let page = |i: usize| -> String {
        texts(&doc.pages[i].items)
            .map(|t| t.text.as_ref())
            .collect()
    };
    assert!(
        page(0).contains("For Zoë") && page(0).contains("With Ζωή"),
        "{}",
        page(0)
    );
    assert!(page(1).contains("About Ζωή"), "contents: {}", page(1));
    assert!(page(2).contains("About Ζωή"), "divider: {}", page(2));
    // The bookmark says the role, never the name.
    assert_eq!(doc.outline[1].title, "About Partner B");
    // A blank packet gets lines to write on, never `{{`.
    let blank = packet.assemble(&Build { vars: None, ..b }).unwrap().0;
    let cover: String = texts(&blank.pages[0].items)
        .map(|t| t.text.as_ref())
        .collect();
    assert!(
        cover.contains("For ____") && !cover.contains("{{"),
        "{cover}"
    );
}

/// A cover with long values runs onto a second page; contents numbers,
/// links, bookmarks and duplex blanks all count it.
#[test]
fn a_long_cover_is_counted_in_every_page_number() {
    let (p, _) = load_with_config(Path::new(INTENSIVE)).unwrap();
    let mut vars = couple();
    let long = "Maximiliana Wilhelmina Featherstonehaugh ".repeat(60);
    vars.insert("partner_a".into(), long);
    for duplex in [false, true] {
        let b = Build {
            paper: Paper::Letter,
            edition: Edition::Client,
            duplex,
            vars: Some(&vars),
            fillable: false,
        };
        let doc = p.assemble(&b).unwrap_or_else(|e| panic!("{e:?}")).0;
        let contents = doc.outline[0].page;
        assert!(contents >= 2, "the cover should take two pages here");
        assert!(
            texts(&doc.pages[contents].items).any(|t| &*t.text == "Contents"),
            "the Contents bookmark opens page {}",
            contents + 1
        );
        for entry in worksheets(&doc) {
            let first = &doc.pages[entry.page];
            let title = entry.title.split(" — ").next().unwrap();
            assert!(
                texts(&first.items).any(|t| t.size >= 22.0 && title.starts_with(t.text.trim())),
                "{} does not start on page {} (duplex {duplex})",
                entry.title,
                entry.page + 1
            );
            if duplex {
                assert_eq!(entry.page % 2, 0, "{} on a left-hand page", entry.title);
            }
        }
        // Contents links point where the bookmarks do.
        let links: Vec<usize> = doc.pages[contents..]
            .iter()
            .take(2)
            .flat_map(|pg| &pg.items)
            .filter_map(|i| match i {
                Item::Link { page, .. } => Some(*page),
                _ => None,
            })
            .collect();
        for entry in worksheets(&doc) {
            assert!(
                links.contains(&entry.page),
                "no contents link to page {}",
                entry.page + 1
            );
        }
    }
}

/// A worksheet whose placeholder is hidden from a raw-text scan by a YAML
/// escape is still filled per row, never laid out once and reused.
#[test]
fn an_escaped_placeholder_is_filled_for_each_row_not_reused() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-escaped");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("w.yaml"),
        "title: Letter\nblocks:\n  - paragraph: \"Dear \\x7B{partner_a}}, welcome.\"\n",
    )
    .unwrap();
    let p = dir.join("p.yaml");
    std::fs::write(
        &p,
        "title: P\ncover: {title: C}\nsections:\n  - title: S\n    worksheets: [w.yaml]\n",
    )
    .unwrap();
    let (packet, _) = load_with_config(&p).unwrap();
    for name in ["Wilhelmina", "Bartholomew", "Wilhelmina"] {
        let vars: Vars = [("partner_a".to_owned(), name.to_owned())].into();
        let b = Build {
            paper: Paper::Letter,
            edition: Edition::Client,
            duplex: false,
            vars: Some(&vars),
            fillable: false,
        };
        let doc = packet.assemble(&b).unwrap_or_else(|e| panic!("{e:?}")).0;
        let all: String = doc
            .pages
            .iter()
            .flat_map(|pg| texts(&pg.items))
            .map(|t| t.text.as_ref())
            .collect();
        assert!(all.contains(&format!("Dear {name}")), "{name}: {all}");
        for other in ["Wilhelmina", "Bartholomew"] {
            if other != name {
                assert!(!all.contains(other), "{other} in {name}'s packet");
            }
        }
    }
}

#[test]
fn a_per_partner_copy_keeps_its_subtitle_and_says_whose_it_is_beneath() {
    let vars = couple();
    let doc = build(INTENSIVE, Edition::Client, false, Some(&vars));
    let copies: Vec<&OutlineEntry> = worksheets(&doc)
        .into_iter()
        .filter(|e| e.title.contains(" — "))
        .collect();
    assert_eq!(copies.len(), 2);
    for (entry, name) in copies.iter().zip(["Zoë", "Ζωή"]) {
        let runs: Vec<&TextRun> = texts(&doc.pages[entry.page].items).collect();
        let subtitle = runs
            .iter()
            .find(|t| &*t.text == "Attune · worksheet 1")
            .expect("the worksheet's own subtitle");
        // (The name is a run of its own, read in its own language.)
        let copy = runs
            .iter()
            .find(|t| {
                let line: String = runs
                    .iter()
                    .filter(|r| r.y == t.y)
                    .map(|r| r.text.as_ref())
                    .collect();
                t.text.starts_with("Copy for") && line.starts_with(&format!("Copy for {name}"))
            })
            .expect("the copy line");
        assert!(copy.y > subtitle.y, "the copy line is under the subtitle");
    }
}

/// `partners` columns are headed by the couple's names when the packet has
/// them, and by the role words in a blank packet; the fields' tooltips
/// never hold a name, and nor does anything off the page.
#[test]
fn partners_columns_are_headed_by_the_couples_names() {
    let couple = couple();
    let named = build(INTENSIVE, Edition::Client, false, Some(&couple));
    let blank = build(INTENSIVE, Edition::Client, false, None);
    // The partners' headings sit in pairs on one baseline, bold, half a
    // column apart: collect the pairs.
    let heads = |doc: &Document| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for page in &doc.pages {
            let bold: Vec<&TextRun> = texts(&page.items)
                .filter(|t| {
                    t.face == handouts::fonts::Face::Bold
                        || t.face == handouts::fonts::Face::FallbackBold
                })
                .collect();
            for a in &bold {
                for b in &bold {
                    if (a.y - b.y).abs() < 0.01 && b.x - a.x > 200.0 && a.x < 80.0 {
                        out.push((a.text.to_string(), b.text.to_string()));
                    }
                }
            }
        }
        out
    };
    let count = |heads: &[(String, String)], a: &str, b: &str| {
        heads.iter().filter(|h| h.0 == a && h.1 == b).count()
    };
    let (named_heads, blank_heads) = (heads(&named), heads(&blank));
    let roles = count(&blank_heads, "Partner A", "Partner B");
    assert!(roles >= 10, "{blank_heads:?}");
    assert_eq!(count(&blank_heads, "Zoë", "Ζωή"), 0);
    assert_eq!(count(&named_heads, "Zoë", "Ζωή"), roles, "{named_heads:?}");
    assert_eq!(
        count(&named_heads, "Partner A", "Partner B"),
        0,
        "{named_heads:?}"
    );
    // No tooltip, bookmark or metadata holds a name.
    for page in &named.pages {
        for item in &page.items {
            if let Item::Field(f) = item {
                assert!(
                    !f.tooltip.contains("Zoë") && !f.tooltip.contains("Ζωή"),
                    "{}",
                    f.tooltip
                );
            }
        }
    }
    let mut titles = vec![named.title.clone(), named.subject.clone()];
    fn walk(e: &[OutlineEntry], out: &mut Vec<String>) {
        for x in e {
            out.push(x.title.clone());
            walk(&x.children, out);
        }
    }
    walk(&named.outline, &mut titles);
    assert!(
        titles
            .iter()
            .all(|t| !t.contains("Zoë") && !t.contains("Ζωή")),
        "{titles:?}"
    );
}
