//! Fillable handouts: fields over every answer space, named, typed and
//! printable, with the printed page unchanged.

use handouts::layout::display::{Document, FieldKind, Item, Tag};
use handouts::model::{Edition, Options};
use handouts::packet::{load_with_config, Build};
use handouts::spec::config::{Config, Paper};
use std::collections::HashSet;
use std::path::Path;

fn demo(fillable: bool) -> Document {
    let opts = Options {
        fillable,
        ..Options::default()
    };
    handouts::compile_with(
        Path::new("worksheets/demo/every-block.yaml"),
        &Config::default(),
        Paper::Letter,
        &opts,
    )
    .unwrap()
    .doc
}

fn without_fields(doc: &Document) -> Vec<Vec<Item>> {
    doc.pages
        .iter()
        .map(|p| {
            p.items
                .iter()
                .filter(|i| !matches!(i, Item::Field(_)))
                .cloned()
                .map(|mut i| {
                    // Fields add `Form` nodes, so node numbers move; what
                    // prints does not.
                    if let Some(tag) = i.tag_mut() {
                        *tag = Tag::Unset;
                    }
                    i
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_printed_page_is_the_same_with_or_without_fields() {
    let (plain, form) = (demo(false), demo(true));
    assert_eq!(without_fields(&plain), without_fields(&form));
    assert!(form
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .any(|i| matches!(i, Item::Field(_))));
}

#[test]
fn every_answer_space_gets_a_field_of_the_right_kind() {
    let doc = demo(true);
    let fields: Vec<_> = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Field(f) => Some(f),
            _ => None,
        })
        .collect();
    let kind = |prefix: &str| {
        fields
            .iter()
            .filter(|f| f.name.starts_with(prefix))
            .map(|f| f.kind.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kind("every-block.prompt-1"),
        [FieldKind::Text { multiline: true }]
    );
    assert_eq!(kind("every-block.checklist-1.").len(), 3);
    assert!(kind("every-block.checklist-1.")
        .iter()
        .all(|k| *k == FieldKind::Check));
    assert_eq!(
        kind("every-block.scale-1").len(),
        11,
        "one radio button per number"
    );
    // Six rows × three columns, less the one pre-filled cells.
    assert_eq!(kind("every-block.table-1.").len(), 6 * 3 - 2);
    assert_eq!(kind("every-block.partners-1.").len(), 2);
    assert_eq!(kind("every-block.signature-1.").len(), 3);
    // The multi-line prompt field covers its four ruled lines, less half a
    // line so a filler that centres one line of text sets it on a rule.
    let prompt = fields
        .iter()
        .find(|f| f.name == "every-block.prompt-1")
        .unwrap();
    assert!((prompt.h - 3.5 * handouts::layout::blocks::WRITING_LINE).abs() < 0.1);
    let names: HashSet<_> = fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldKind::Radio { .. }))
        .map(|f| &f.name)
        .collect();
    let non_radio = fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldKind::Radio { .. }))
        .count();
    assert_eq!(names.len(), non_radio, "field names are unique");
}

#[test]
fn the_pdf_has_an_acroform_with_printable_named_fields() {
    let bytes = handouts::render::pdf::write(&demo(true), &Default::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let catalog = lo.catalog().unwrap();
    let form = lo
        .get_dictionary(catalog.get(b"AcroForm").unwrap().as_reference().unwrap())
        .unwrap();
    let fields = form.get(b"Fields").unwrap().as_array().unwrap();
    assert_eq!(fields.len(), 1 + 3 + 16 + 1 + 2 + 3 + 1);
    for f in fields {
        let d = lo.get_dictionary(f.as_reference().unwrap()).unwrap();
        assert!(d.has(b"T") && d.has(b"TU") && d.has(b"FT"));
        let widgets: Vec<&lopdf::Dictionary> = match d.get(b"Kids") {
            Ok(kids) => kids
                .as_array()
                .unwrap()
                .iter()
                .map(|k| lo.get_dictionary(k.as_reference().unwrap()).unwrap())
                .collect(),
            Err(_) => vec![d],
        };
        for w in widgets {
            assert_eq!(w.get(b"F").unwrap().as_i64().unwrap(), 4, "printable");
            assert!(w.has(b"AP"), "appearance stream");
        }
    }
}

/// Buttons of one size share their looks (one stream for "on", one for
/// "off"), each keeping its own state; every text field has a stream of
/// its own, since a viewer may write what is typed into it.
#[test]
fn buttons_share_their_looks_and_text_fields_do_not() {
    let bytes = handouts::render::pdf::write(&demo(true), &Default::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let reference = |o: &lopdf::Object| o.as_reference().unwrap();
    let (mut text_streams, mut buttons) = (Vec::new(), Vec::new());
    for (_, o) in lo.objects.iter() {
        let Ok(w) = o.as_dict() else { continue };
        if w.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(&b"Widget"[..]) {
            continue;
        }
        let normal = w.get(b"AP").unwrap().as_dict().unwrap().get(b"N").unwrap();
        let rect: Vec<f32> = w
            .get(b"Rect")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_float().unwrap())
            .collect();
        let size = (
            ((rect[2] - rect[0]) * 100.0).round() as i64,
            ((rect[3] - rect[1]) * 100.0).round() as i64,
        );
        match normal.as_dict() {
            // A button: its states, and its own state, off to begin with.
            Ok(states) => {
                assert_eq!(w.get(b"AS").unwrap().as_name().unwrap(), b"Off");
                let mut refs: Vec<(Vec<u8>, lopdf::ObjectId)> = states
                    .iter()
                    .map(|(k, v)| (k.clone(), reference(v)))
                    .collect();
                refs.sort();
                buttons.push((size, refs));
            }
            Err(_) => text_streams.push(reference(normal)),
        }
    }
    assert!(text_streams.len() > 3 && buttons.len() > 10);
    let distinct: HashSet<_> = text_streams.iter().collect();
    assert_eq!(
        distinct.len(),
        text_streams.len(),
        "a text field's stream is its own"
    );
    // Buttons of a size draw the same, so they point at the same streams;
    // buttons of another size do not.
    let on =
        |r: &[(Vec<u8>, lopdf::ObjectId)]| r.iter().find(|(k, _)| k != b"Off").map(|(_, id)| *id);
    let off =
        |r: &[(Vec<u8>, lopdf::ObjectId)]| r.iter().find(|(k, _)| k == b"Off").map(|(_, id)| *id);
    for (size, refs) in &buttons {
        for (other, theirs) in &buttons {
            assert_eq!(
                size == other,
                off(refs) == off(theirs),
                "{size:?} {other:?}"
            );
            if size == other {
                assert_eq!(on(refs).is_some(), on(theirs).is_some());
            }
        }
    }
    let looks: HashSet<lopdf::ObjectId> = buttons
        .iter()
        .flat_map(|(_, r)| r.iter().map(|(_, id)| *id))
        .collect();
    let sizes: HashSet<_> = buttons.iter().map(|(s, _)| *s).collect();
    assert!(
        looks.len() <= 3 * sizes.len(),
        "{} looks for {} sizes",
        looks.len(),
        sizes.len()
    );
}

#[test]
fn field_names_stay_unique_across_a_packet_with_repeated_worksheets() {
    let (p, _) = load_with_config(Path::new("worksheets/packets/intensive.yaml")).unwrap();
    let (doc, _) = p
        .assemble(&Build {
            paper: Paper::Letter,
            edition: Edition::Client,
            duplex: true,
            vars: None,
            fillable: true,
        })
        .unwrap();
    let mut seen = HashSet::new();
    for f in doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Field(f) if !matches!(f.kind, FieldKind::Radio { .. }) => Some(f),
            _ => None,
        })
    {
        assert!(seen.insert(f.name.clone()), "{} twice", f.name);
    }
    assert!(seen
        .iter()
        .any(|n| n.starts_with("attune-1-daily-check-in.partner-a.")));
    assert!(seen
        .iter()
        .any(|n| n.starts_with("attune-1-daily-check-in.partner-b.")));
}

/// A cell's tooltip names its column and row. The heading goes in as it
/// is written: text in it that looks like the tooltip's own slots stays
/// (it was once filled with the row number), and a heading holding a
/// placeholder names the placeholder, never the client's value.
#[test]
fn cell_tooltips_keep_their_heading_as_written_and_no_name() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fillable-tooltips");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("log.yaml");
    std::fs::write(
        &spec,
        "title: Log\nblocks:\n  - table: [\"Week {row}\", \"{column} {{partner_a}} noticed\"]\n    blank-rows: 2\n",
    )
    .unwrap();
    let vars: handouts::model::Vars = [("partner_a".to_owned(), "Zelda".to_owned())].into();
    let opts = Options {
        fillable: true,
        vars: Some(&vars),
        ..Options::default()
    };
    let doc = handouts::compile_with(&spec, &Config::default(), Paper::Letter, &opts)
        .unwrap()
        .doc;
    let tips: Vec<String> = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Field(f) => Some(f.tooltip.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(tips.len(), 4, "{tips:?}");
    assert_eq!(tips[0], "Week {row}, row 1");
    assert!(
        tips[1].starts_with("{column} ") && tips[1].ends_with(" noticed, row 1"),
        "{tips:?}"
    );
    assert_eq!(tips[2], "Week {row}, row 2");
    assert!(tips.iter().all(|t| !t.contains("Zelda")), "{tips:?}");
}
