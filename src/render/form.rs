//! Fillable form fields, written as widget annotations.
//!
//! Each display-list [`Field`] becomes a widget on its page, with appearance
//! streams for every state (viewers and pypdf need them), the Print flag, a
//! tooltip (`/TU`) for screen readers, and a stable name. The printed page
//! is unchanged: lines, boxes and circles stay in the page content; empty
//! fields draw nothing over them.

use super::file::{File, Refs};
use super::tags::Marks;
use crate::layout::display::{language_at, Document, Field, FieldKind, Item, Tag};
use pdf_writer::types::{AnnotationFlags, AnnotationType, FieldFlags, FieldType, Quadding};
use pdf_writer::writers::Annotation;
use pdf_writer::{Finish, Name, Rect, Ref, Str, TextStr};
use std::collections::{BTreeMap, HashMap};

/// What the document writer needs back: each page's widgets, and the
/// AcroForm dictionary for the catalog when there are any fields.
pub struct Fields {
    pub widgets: Vec<Vec<Ref>>,
    pub acro_form: Option<Ref>,
}

/// Writes every field of `doc`; `pages` are the pages' object numbers.
/// Each widget belongs to its field's `Form` node (`marks`).
pub fn write(
    file: &mut File,
    refs: &mut Refs,
    doc: &Document,
    pages: &[Ref],
    marks: &mut Marks,
) -> Fields {
    let mut out = Fields {
        widgets: vec![Vec::new(); doc.pages.len()],
        acro_form: None,
    };
    let has_fields = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .any(|i| matches!(i, Item::Field(_)));
    if !has_fields {
        return out;
    }
    let helv = refs.next();
    file.object(helv, |c| {
        c.type1_font(helv)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    });
    let mut fields: Vec<Ref> = Vec::new();
    let mut looks = Looks::default();
    for (i, p) in doc.pages.iter().enumerate() {
        let page = pages[i];
        // Radio groups: parent, kids, tooltip; written after their kids.
        let mut radios: BTreeMap<&str, (Ref, Vec<Ref>, &str)> = BTreeMap::new();
        for item in &p.items {
            let Item::Field(f) = item else { continue };
            let id = refs.next();
            out.widgets[i].push(id);
            let key = match f.tag {
                Tag::Node(n) => Some(marks.annotation(id, i, n, pages.len())),
                _ => None,
            };
            let rect = Rect::new(f.x, p.height - f.y - f.h, f.x + f.w, p.height - f.y);
            match &f.kind {
                FieldKind::Text { multiline } => {
                    let ap = appearance(file, refs, f, b"/Tx BMC EMC", Some(helv));
                    file.object(id, |c| {
                        let mut w = c.form_field(id);
                        w.field_type(FieldType::Text)
                            .partial_name(TextStr(&f.name))
                            .alternate_name(TextStr(&f.tooltip))
                            .text_value(TextStr(""))
                            .vartext_default_appearance(Str(b"/Helv 11 Tf 0 g"));
                        // What a client types in Hebrew or Arabic starts
                        // at the right, as the page's text does.
                        if right_to_left(doc, f.tag) {
                            w.vartext_quadding(Quadding::Right);
                        }
                        if *multiline {
                            w.field_flags(FieldFlags::MULTILINE);
                        }
                        let mut a = w.into_annotation();
                        widget(&mut a, rect, page, key);
                        a.insert(Name(b"MK")).dict();
                        a.appearance().normal().stream(ap);
                    });
                    fields.push(id);
                }
                FieldKind::Check => {
                    let on = looks.get(file, refs, f, Look::Check);
                    let off = looks.get(file, refs, f, Look::Off);
                    file.object(id, |c| {
                        let mut w = c.form_field(id);
                        w.field_type(FieldType::Button)
                            .partial_name(TextStr(&f.name))
                            .alternate_name(TextStr(&f.tooltip))
                            .pair(Name(b"V"), Name(b"Off"));
                        let mut a = w.into_annotation();
                        widget(&mut a, rect, page, key);
                        states(&mut a, "4", b"Yes", on, off);
                    });
                    fields.push(id);
                }
                FieldKind::Radio { value } => {
                    let on = looks.get(file, refs, f, Look::Ring);
                    let off = looks.get(file, refs, f, Look::Off);
                    let group = radios
                        .entry(f.name.as_str())
                        .or_insert_with(|| (refs.next(), Vec::new(), f.tooltip.as_str()));
                    group.1.push(id);
                    let parent = group.0;
                    file.object(id, |c| {
                        let mut a = c.annotation(id);
                        a.subtype(AnnotationType::Widget);
                        widget(&mut a, rect, page, key);
                        a.parent(parent);
                        states(&mut a, "l", value.as_bytes(), on, off);
                    });
                }
            }
        }
        for (name, (id, kids, tip)) in radios {
            file.object(id, |c| {
                c.form_field(id)
                    .field_type(FieldType::Button)
                    .field_flags(FieldFlags::RADIO | FieldFlags::NO_TOGGLE_TO_OFF)
                    .partial_name(TextStr(name))
                    .alternate_name(TextStr(tip))
                    .children(kids)
                    .pair(Name(b"V"), Name(b"Off"));
            });
            fields.push(id);
        }
    }
    let acro = refs.next();
    file.object(acro, |c| {
        let mut form = c.indirect(acro).dict();
        form.insert(Name(b"Fields")).array().items(fields);
        form.insert(Name(b"DR"))
            .dict()
            .insert(Name(b"Font"))
            .dict()
            .pair(Name(b"Helv"), helv);
        form.pair(Name(b"DA"), Str(b"/Helv 0 Tf 0 g"));
    });
    out.acro_form = Some(acro);
    out
}

/// What every widget has besides its type: a place, the Print flag, and
/// its page.
/// Whether a field is in right-to-left text: its worksheet's language,
/// else the document's.
fn right_to_left(doc: &Document, tag: Tag) -> bool {
    let language = match tag {
        Tag::Node(n) => language_at(&doc.tree, n, &doc.language),
        _ => &doc.language,
    };
    crate::locale::right_to_left(language) == Some(true)
}

fn widget(a: &mut Annotation, rect: Rect, page: Ref, key: Option<i32>) {
    a.rect(rect).flags(AnnotationFlags::PRINT).page(page);
    if let Some(key) = key {
        a.struct_parent(key);
    }
}

/// A button's two looks, `on` (named `on_name`) and `Off`, starting off;
/// `caption` is the ZapfDingbats character a viewer may draw instead.
fn states(a: &mut Annotation, caption: &str, on_name: &[u8], on: Ref, off: Ref) {
    a.appearance_state(Name(b"Off"));
    a.appearance_characteristics()
        .normal_caption(TextStr(caption));
    let mut ap = a.appearance();
    let mut states = ap.normal().streams();
    states.pair(Name(on_name), on);
    states.pair(Name(b"Off"), off);
    states.finish();
    ap.finish();
}

/// A button's drawing, on or off.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Look {
    Check,
    Ring,
    Off,
}

/// The buttons' appearance streams, one per look and size, shared by every
/// button that looks the same: the 53 check boxes and scale circles of
/// `bench/packet-12.yaml` had 106 streams, now four (the file 82 → 65 KB). A
/// button's state is its own `/AS`, never its stream, so a viewer that
/// redraws a stream redraws a look, not an answer. Text fields keep a
/// stream each: a viewer may rewrite a text field's stream with what was
/// typed in it.
#[derive(Default)]
struct Looks(HashMap<(Look, u32, u32), Ref>);

impl Looks {
    fn get(&mut self, file: &mut File, refs: &mut Refs, f: &Field, look: Look) -> Ref {
        *self
            .0
            .entry((look, f.w.to_bits(), f.h.to_bits()))
            .or_insert_with(|| {
                let content = match look {
                    Look::Check => check_mark(f.w, f.h),
                    Look::Ring => ring(f.w, f.h),
                    Look::Off => Vec::new(),
                };
                appearance(file, refs, f, &content, None)
            })
    }
}

/// A form XObject the size of `f` drawing `content`; returns its number.
fn appearance(
    file: &mut File,
    refs: &mut Refs,
    f: &Field,
    content: &[u8],
    helv: Option<Ref>,
) -> Ref {
    let id = refs.next();
    file.stream(id, content.len(), |c| {
        let mut x = c.form_xobject(id, content);
        x.bbox(Rect::new(0.0, 0.0, f.w, f.h));
        if let Some(helv) = helv {
            x.resources().fonts().pair(Name(b"Helv"), helv);
        }
    });
    id
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
