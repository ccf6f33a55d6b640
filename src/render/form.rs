//! Fillable form fields, added to the written document with lopdf.
//!
//! printpdf has no form support, so fields are added after it has written
//! the pages: each display-list [`Field`] becomes a widget annotation on its
//! page, with appearance streams for every state (viewers and pypdf need
//! them), the Print flag, a tooltip (`/TU`) for screen readers, and a
//! stable name. The printed page is unchanged: lines, boxes and circles stay
//! in the page content; empty fields draw nothing over them.

use crate::layout::display::{Document, Field, FieldKind, Item};
use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream, StringFormat};
use std::collections::BTreeMap;

/// Annotation flag: print the field.
const PRINT: i64 = 4;
/// Text field flag: multi-line.
const MULTILINE: i64 = 1 << 12;
/// Button field flags: radio, and no toggling off by a second click.
const RADIO: i64 = (1 << 15) | (1 << 14);

/// Adds every field of `doc` to `lo`; does nothing when there are none.
pub fn add_fields(lo: &mut lopdf::Document, doc: &Document, pdf_text: fn(&str) -> Vec<u8>) {
    let per_page: Vec<Vec<&Field>> = doc
        .pages
        .iter()
        .map(|p| {
            p.items
                .iter()
                .filter_map(|i| match i {
                    Item::Field(f) => Some(&**f),
                    _ => None,
                })
                .collect()
        })
        .collect();
    if per_page.iter().all(Vec::is_empty) {
        return;
    }
    let helv = lo.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let dr = dictionary! { "Font" => dictionary! { "Helv" => helv } };
    let text = |s: &str| Object::String(pdf_text(s), StringFormat::Literal);
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let mut fields: Vec<ObjectId> = Vec::new();
    for (i, list) in per_page.iter().enumerate() {
        let (Some(&page), Some(p)) = (pages.get(i), doc.pages.get(i)) else {
            continue;
        };
        let mut widgets = Vec::new();
        let mut radios: BTreeMap<&str, (ObjectId, Vec<ObjectId>, &str)> = BTreeMap::new();
        for f in list {
            let rect = vec![
                f.x.into(),
                (p.height - f.y - f.h).into(),
                (f.x + f.w).into(),
                (p.height - f.y).into(),
            ];
            let mut w = dictionary! {
                "Type" => "Annot",
                "Subtype" => "Widget",
                "Rect" => rect,
                "F" => PRINT,
                "P" => page,
            };
            match &f.kind {
                FieldKind::Text { multiline } => {
                    let ap = appearance(lo, f.w, f.h, b"/Tx BMC EMC".to_vec(), Some(&dr));
                    w.set("FT", "Tx");
                    w.set("T", text(&f.name));
                    w.set("TU", text(&f.tooltip));
                    w.set("V", text(""));
                    w.set("DA", text("/Helv 11 Tf 0 g"));
                    if *multiline {
                        w.set("Ff", MULTILINE);
                    }
                    w.set("MK", Dictionary::new());
                    w.set("AP", dictionary! { "N" => ap });
                    let id = lo.add_object(w);
                    widgets.push(id);
                    fields.push(id);
                }
                FieldKind::Check => {
                    let on = appearance(lo, f.w, f.h, check_mark(f.w, f.h), None);
                    let off = appearance(lo, f.w, f.h, Vec::new(), None);
                    w.set("FT", "Btn");
                    w.set("T", text(&f.name));
                    w.set("TU", text(&f.tooltip));
                    w.set("V", Object::Name(b"Off".to_vec()));
                    w.set("AS", Object::Name(b"Off".to_vec()));
                    w.set("MK", dictionary! { "CA" => text("4") });
                    w.set(
                        "AP",
                        dictionary! { "N" => dictionary! { "Yes" => on, "Off" => off } },
                    );
                    let id = lo.add_object(w);
                    widgets.push(id);
                    fields.push(id);
                }
                FieldKind::Radio { value } => {
                    let group = radios
                        .entry(f.name.as_str())
                        .or_insert_with(|| (lo.new_object_id(), Vec::new(), f.tooltip.as_str()));
                    let on = appearance(lo, f.w, f.h, ring(f.w, f.h), None);
                    let off = appearance(lo, f.w, f.h, Vec::new(), None);
                    w.set("Parent", group.0);
                    w.set("AS", Object::Name(b"Off".to_vec()));
                    w.set("MK", dictionary! { "CA" => text("l") });
                    let mut n = Dictionary::new();
                    n.set(value.as_bytes().to_vec(), on);
                    n.set("Off", off);
                    w.set("AP", dictionary! { "N" => n });
                    let id = lo.add_object(w);
                    group.1.push(id);
                    widgets.push(id);
                }
            }
        }
        for (name, (id, kids, tip)) in radios {
            let parent = dictionary! {
                "FT" => "Btn",
                "Ff" => RADIO,
                "T" => text(name),
                "TU" => text(tip),
                "V" => Object::Name(b"Off".to_vec()),
                "Kids" => kids.into_iter().map(Object::Reference).collect::<Vec<_>>(),
            };
            lo.objects.insert(id, Object::Dictionary(parent));
            fields.push(id);
        }
        add_annots(lo, page, widgets);
    }
    let form = dictionary! {
        "Fields" => fields.into_iter().map(Object::Reference).collect::<Vec<_>>(),
        "DR" => dr,
        "DA" => text("/Helv 0 Tf 0 g"),
    };
    let form = lo.add_object(form);
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("AcroForm", form);
    }
}

/// A form XObject of `w` × `h` drawing `content`.
fn appearance(
    lo: &mut lopdf::Document,
    w: f32,
    h: f32,
    content: Vec<u8>,
    res: Option<&Dictionary>,
) -> ObjectId {
    let mut d = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Form",
        "BBox" => vec![0.into(), 0.into(), w.into(), h.into()],
    };
    if let Some(r) = res {
        d.set("Resources", r.clone());
    }
    lo.add_object(Stream::new(d, content))
}

/// A vector check mark (not ZapfDingbats, which poppler may not have).
fn check_mark(w: f32, h: f32) -> Vec<u8> {
    format!(
        "q 0 G 1.4 w 1 J 1 j {:.2} {:.2} m {:.2} {:.2} l {:.2} {:.2} l S Q",
        w * 0.2,
        h * 0.52,
        w * 0.42,
        h * 0.25,
        w * 0.82,
        h * 0.8
    )
    .into_bytes()
}

/// A heavy ring just inside a scale circle: "this one".
fn ring(w: f32, h: f32) -> Vec<u8> {
    let (cx, cy, r) = (w / 2.0, h / 2.0, w.min(h) / 2.0 - 1.6);
    let k = 0.552_284_8 * r;
    format!(
        "q 0 G 2.2 w {x0:.2} {cy:.2} m {x0:.2} {a:.2} {b:.2} {y1:.2} {cx:.2} {y1:.2} c \
         {c:.2} {y1:.2} {x1:.2} {a:.2} {x1:.2} {cy:.2} c {x1:.2} {d:.2} {c:.2} {y0:.2} {cx:.2} {y0:.2} c \
         {b:.2} {y0:.2} {x0:.2} {d:.2} {x0:.2} {cy:.2} c S Q",
        x0 = cx - r,
        x1 = cx + r,
        y0 = cy - r,
        y1 = cy + r,
        a = cy + k,
        d = cy - k,
        b = cx - k,
        c = cx + k,
    )
    .into_bytes()
}

/// Appends widget references to a page's `/Annots`, wherever it keeps them.
fn add_annots(lo: &mut lopdf::Document, page: ObjectId, widgets: Vec<ObjectId>) {
    if widgets.is_empty() {
        return;
    }
    let refs: Vec<Object> = widgets.into_iter().map(Object::Reference).collect();
    let existing = lo
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Annots").ok().cloned());
    let merged = match existing {
        Some(Object::Array(mut a)) => {
            a.extend(refs);
            a
        }
        Some(Object::Reference(id)) => {
            let mut a = lo
                .get_object(id)
                .ok()
                .and_then(|o| o.as_array().ok().cloned())
                .unwrap_or_default();
            a.extend(refs);
            a
        }
        _ => refs,
    };
    if let Ok(d) = lo.get_dictionary_mut(page) {
        d.set("Annots", merged);
    }
}
