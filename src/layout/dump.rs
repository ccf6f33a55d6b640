//! A stable text form of the display list, for golden tests and debugging.
//!
//! One line per item, numbers rounded to 0.1 pt, so a diff of two dumps
//! reads as "what moved" rather than as PDF bytes.

use super::display::{Document, Item, Tag};
use std::fmt::Write;

/// Where an item belongs: `P#4` (its node's role and number), `artifact`,
/// or `UNSET` (a bug: nothing claimed it).
fn place(doc: &Document, tag: Tag) -> String {
    match tag {
        Tag::Node(n) => match doc.tree.get(n as usize) {
            Some(node) => format!("{}#{n}", node.role.name()),
            None => format!("MISSING#{n}"),
        },
        Tag::Again(n) => match doc.tree.get(n as usize) {
            Some(node) => format!("again {}#{n}", node.role.name()),
            None => format!("MISSING#{n}"),
        },
        Tag::Artifact => "artifact".into(),
        Tag::Unset | Tag::Link => "UNSET".into(),
    }
}

pub fn dump(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "document {:?} subject {:?}", doc.title, doc.subject);
    for (i, p) in doc.pages.iter().enumerate() {
        let _ = writeln!(out, "page {} {:.1}x{:.1}", i + 1, p.width, p.height);
        for it in &p.items {
            let _ = match it {
                Item::Text(t) => writeln!(
                    out,
                    "  text {:.1},{:.1} {:?} {:.1}pt w{:.1} {:?}{} {}",
                    t.x,
                    t.y,
                    t.face,
                    t.size,
                    t.width,
                    t.text,
                    t.actual
                        .as_ref()
                        .map(|a| format!(" copies as {a:?}"))
                        .unwrap_or_default(),
                    place(doc, t.tag)
                ),
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    ..
                } => writeln!(out, "  line {x1:.1},{y1:.1} {x2:.1},{y2:.1} w{width:.1}"),
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    stroke,
                    fill,
                } => writeln!(
                    out,
                    "  rect {x:.1},{y:.1} {w:.1}x{h:.1}{}{}",
                    if stroke.is_some() { " stroke" } else { "" },
                    fill.map(|g| format!(" fill{g:.2}")).unwrap_or_default()
                ),
                Item::Circle { cx, cy, r, .. } => {
                    writeln!(out, "  circle {cx:.1},{cy:.1} r{r:.1}")
                }
                Item::Leader { x1, x2, y } => writeln!(out, "  leader {x1:.1}-{x2:.1},{y:.1}"),
                Item::Image {
                    x,
                    y,
                    w,
                    h,
                    image,
                    tag,
                } => {
                    let at = place(doc, *tag);
                    let (iw, ih) = (image.width, image.height);
                    writeln!(
                        out,
                        "  image {x:.1},{y:.1} {w:.1}x{h:.1} of {iw}x{ih} px {at}"
                    )
                }
                Item::Modules {
                    x,
                    y,
                    module,
                    n,
                    tag,
                    ..
                } => {
                    let at = place(doc, *tag);
                    writeln!(out, "  qr {x:.1},{y:.1} {n}x{n} of {module:.2} {at}")
                }
                Item::Field(f) => writeln!(
                    out,
                    "  field {:?} {:?} {:.1},{:.1} {:.1}x{:.1} {}",
                    f.name,
                    f.kind,
                    f.x,
                    f.y,
                    f.w,
                    f.h,
                    place(doc, f.tag)
                ),
                Item::Uri {
                    x,
                    y,
                    w,
                    h,
                    uri,
                    tag,
                } => {
                    let at = place(doc, *tag);
                    writeln!(out, "  link {x:.1},{y:.1} {w:.1}x{h:.1} -> {uri} {at}")
                }
                Item::Link {
                    x,
                    y,
                    w,
                    h,
                    page,
                    tag,
                } => {
                    let at = place(doc, *tag);
                    writeln!(
                        out,
                        "  link {x:.1},{y:.1} {w:.1}x{h:.1} -> page {} {at}",
                        page + 1
                    )
                }
            };
        }
    }
    for e in &doc.outline {
        outline(&mut out, e, 0);
    }
    // The structure, indented under its parents, in reading order.
    for (i, n) in doc.tree.iter().enumerate() {
        let mut depth = 0;
        let mut up = n.parent;
        while let Some(p) = up {
            depth += 1;
            up = doc.tree.get(p as usize).and_then(|p| p.parent);
        }
        let _ = writeln!(out, "{:1$}node {2}#{i}", "", depth * 2, n.role.name());
    }
    out
}

fn outline(out: &mut String, e: &super::display::OutlineEntry, depth: usize) {
    let _ = writeln!(
        out,
        "{:1$}bookmark {2:?} -> page {3}",
        "",
        depth * 2,
        e.title,
        e.page + 1
    );
    for c in &e.children {
        outline(out, c, depth + 1);
    }
}
