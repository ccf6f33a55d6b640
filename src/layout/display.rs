//! The display list: layout's output and the PDF writer's only input.
//!
//! Plain data, in points, with the origin at the **top-left** of the page and
//! y growing downwards (the writer flips it). Tests assert positions, page
//! breaks, margins and overlaps on this without parsing a PDF.

use crate::fonts::{self, Face};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// The stage name, written as the PDF subject.
    pub subject: String,
    pub author: String,
    pub language: String,
    /// How a link to a page is described to screen readers ("Go to page
    /// {page}"), in the document's language.
    pub page_link: String,
    pub pages: Vec<Page>,
    /// Bookmarks, in reading order.
    pub outline: Vec<OutlineEntry>,
    /// Client names or other filled-in values are on the pages: nothing
    /// derived from the pages (such as the file `/ID`) may leave them.
    pub personal: bool,
    /// The logical structure, in reading order (see [`Node`]).
    pub tree: Vec<Node>,
}

/// An element of the logical structure a screen reader follows. Nodes are
/// kept in reading order (a parent before its children, children in
/// order); text runs, links and fields name the node they belong to with a
/// [`Tag`]. A node nothing on any page belongs to is left out of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub role: Role,
    /// The node this one is in; `None` for the document's top level.
    pub parent: Option<u32>,
}

/// The language node `n` is read in: its section's (a worksheet in
/// another language), else the document's.
pub fn language_at<'a>(tree: &'a [Node], n: u32, document: &'a str) -> &'a str {
    let mut at = Some(n);
    while let Some(node) = at.and_then(|i| tree.get(i as usize)) {
        if let Role::Sect { lang: Some(l) } = &node.role {
            return l;
        }
        at = node.parent;
    }
    document
}

/// What a node is, in the terms of tagged PDF's standard structure types.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    Part,
    /// A worksheet, a cover; `lang` when it is not in the document's
    /// language (a Spanish worksheet in an English packet).
    Sect {
        lang: Option<String>,
    },
    H1,
    H2,
    P,
    /// A list; `numbered` says how its labels count.
    L {
        numbered: bool,
    },
    LI,
    Lbl,
    LBody,
    Table,
    THead,
    TBody,
    TR,
    /// A column's header cell.
    TH,
    TD,
    BlockQuote,
    /// A callout, set apart from the text around it: `Aside`, mapped to
    /// `Div` for PDF 1.7 readers (a `Note` is a footnote, which readers
    /// expect to answer a reference).
    Aside,
    TOC,
    TOCI,
    /// A link's text and its annotation.
    Link,
    /// A form field's widget.
    Form,
    /// A picture, with its description.
    Figure {
        alt: String,
    },
}

impl Role {
    /// The name a node's marked content is tagged with.
    pub fn name(&self) -> &'static str {
        match self {
            Role::Part => "Part",
            Role::Sect { .. } => "Sect",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::P => "P",
            Role::L { .. } => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Table => "Table",
            Role::THead => "THead",
            Role::TBody => "TBody",
            Role::TR => "TR",
            Role::TH => "TH",
            Role::TD => "TD",
            Role::BlockQuote => "BlockQuote",
            Role::Aside => "Aside",
            Role::TOC => "TOC",
            Role::TOCI => "TOCI",
            Role::Link => "Link",
            Role::Form => "Form",
            Role::Figure { .. } => "Figure",
        }
    }
}

/// Where a text run, link or field belongs in the structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tag {
    /// Not given a place yet: layout claims it for the node of the block
    /// it is in (`structure::Tree::claim`). None is left in a finished
    /// document; the writer would treat one as an artifact.
    #[default]
    Unset,
    /// Page furniture (running header, footer, page numbers): not read.
    Artifact,
    /// Part of a link's text, claimed into a `Link` node of its own.
    Link,
    Node(u32),
    /// The node's text again: a table's header row repeated on a page the
    /// table continues on, read as the head of that page's part of the
    /// table.
    Again(u32),
}

/// A bookmark: a title, the page it opens (0-based), and entries under it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub children: Vec<OutlineEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Page {
    /// The text of the page's runs, in the order drawn, for tests to look
    /// for a word in.
    #[cfg(test)]
    pub(crate) fn text(&self) -> String {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.text.as_ref()),
                _ => None,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextRun),
    /// A straight stroke.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        gray: f32,
    },
    /// A rectangle, stroked, filled or both.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        stroke: Option<Stroke>,
        fill: Option<f32>,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        stroke: Stroke,
    },
    /// A dotted leader from a contents entry to its page number.
    Leader {
        x1: f32,
        x2: f32,
        y: f32,
    },
    /// A form field over an answer space (with `--fillable`); it prints
    /// nothing of its own: the lines and boxes under it do.
    Field(Box<Field>),
    /// A clickable area that opens another page (0-based) of the document;
    /// it prints nothing.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        page: usize,
        tag: Tag,
    },
    /// A QR code's dark modules, black on the page: `n` × `n` squares of
    /// side `module` from (x, y), row by row; the quiet zone around them
    /// is the caller's to leave clear. Read as its `Figure` node.
    Modules {
        x: f32,
        y: f32,
        module: f32,
        n: u32,
        dark: std::sync::Arc<Vec<bool>>,
        tag: Tag,
    },
    /// A picture, drawn into the box (x, y, w, h); read as its `Figure`
    /// node, or not at all when decorative (an artifact).
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: std::sync::Arc<crate::images::Image>,
        tag: Tag,
    },
    /// A clickable area that opens a web address; it prints nothing.
    Uri {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        uri: String,
        tag: Tag,
    },
}

/// A fillable field: where it sits, its name, and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// Unique in the document (`worksheet-slug.prompt-3`); radio buttons of
    /// one group share it.
    pub name: String,
    pub kind: FieldKind,
    /// What a screen reader announces: the prompt's text.
    pub tooltip: String,
    /// The `Form` node of the widget.
    pub tag: Tag,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text {
        multiline: bool,
    },
    Check,
    /// One button of a radio group; `value` is its export value.
    Radio {
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub width: f32,
    /// 0 = black, 1 = white.
    pub gray: f32,
}

/// A run of text in one face, size and colour, on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub x: f32,
    /// The baseline.
    pub y: f32,
    pub face: Face,
    pub size: f32,
    pub gray: f32,
    /// Shared, like `kerns`: a batch copies the runs of the pages and
    /// texts it keeps into every row's document (about a thousand a row),
    /// and a copy is then a count, not an allocation.
    pub text: Arc<str>,
    /// Kerning before the character at each byte offset, in 1/1000 em.
    pub kerns: Arc<[(u32, f32)]>,
    /// Measured advance width of the whole run.
    pub width: f32,
    /// What copying the run gives, when that is not its text: a hyphen
    /// added at a line break copies as a soft hyphen, so the word copies
    /// whole.
    pub actual: Option<String>,
    pub tag: Tag,
    /// The glyphs the shaper chose, left to right as drawn, when the run
    /// was shaped (Arabic, Hebrew, Devanagari, marks); `text` is then in
    /// logical order and `kerns` empty. Empty for text set glyph for
    /// character (Latin, Greek, Cyrillic in the bundled faces): each
    /// character of `text` is its `cmap` glyph, kerned by `kerns`.
    pub glyphs: Vec<Shaped>,
    /// The shaped run reads right to left: its glyphs, listed as drawn,
    /// are in the reverse of reading order.
    pub rtl: bool,
    /// The language to read the run in, when its letters are all of a
    /// script one language here writes (a Greek, Hebrew or Korean name in
    /// English text): screen readers switch voice instead of spelling it.
    pub lang: Option<&'static str>,
    /// The run is a placeholder's value (a name). In a batch, the font
    /// subsets and pages that hold one are that row's alone, and are
    /// compressed for speed (`render::embed::Levels`).
    pub value: bool,
}

/// A positioned glyph: its id in the run's face, its advance and its
/// offset from the pen in thousandths of an em (y up), and the bytes of
/// the run's text its cluster stands for (every glyph of a cluster gives
/// the same range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shaped {
    pub id: u16,
    pub advance: f32,
    pub dx: f32,
    pub dy: f32,
    pub text: (u32, u32),
}

impl TextRun {
    /// The run's ink box: its advance width by the face's ascent and descent.
    pub fn bbox(&self) -> (f32, f32, f32, f32) {
        let m = fonts::metrics(self.face);
        (
            self.x,
            self.y - m.ascent() * self.size,
            self.x + self.width,
            self.y + m.descent() * self.size,
        )
    }
}

impl Item {
    /// The text run the item is, if it is one.
    pub fn as_text(&self) -> Option<&TextRun> {
        match self {
            Item::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The item's place in the structure, for those that have one: text,
    /// links and fields. Everything else is drawn as an artifact.
    pub fn tag_mut(&mut self) -> Option<&mut Tag> {
        match self {
            Item::Text(t) => Some(&mut t.tag),
            Item::Field(f) => Some(&mut f.tag),
            Item::Link { tag, .. }
            | Item::Uri { tag, .. }
            | Item::Modules { tag, .. }
            | Item::Image { tag, .. } => Some(tag),
            _ => None,
        }
    }

    /// Moves the item by (dx, dy).
    pub fn translate(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Text(t) => {
                t.x += dx;
                t.y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            Item::Rect { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Circle { cx, cy, .. } => {
                *cx += dx;
                *cy += dy;
            }
            Item::Leader { x1, x2, y } => {
                *x1 += dx;
                *x2 += dx;
                *y += dy;
            }
            Item::Link { x, y, .. }
            | Item::Uri { x, y, .. }
            | Item::Modules { x, y, .. }
            | Item::Image { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Field(f) => {
                f.x += dx;
                f.y += dy;
            }
        }
    }

    /// Mirrors the item's place left to right on a page `width` wide. What
    /// it draws is not turned: text reads as set, pictures and QR codes
    /// are not reversed.
    pub fn mirror(&mut self, width: f32) {
        let right = self.bounds().2;
        match self {
            Item::Line { x1, x2, .. } => {
                *x1 = width - *x1;
                *x2 = width - *x2;
            }
            Item::Circle { cx, .. } => *cx = width - *cx,
            Item::Leader { x1, x2, .. } => {
                (*x1, *x2) = (width - *x2, width - *x1);
            }
            Item::Rect { x, w, .. } => *x = width - *x - *w,
            Item::Text(t) => t.x = width - t.x - t.width,
            Item::Field(f) => f.x = width - f.x - f.w,
            Item::Link { x, w, .. } | Item::Uri { x, w, .. } | Item::Image { x, w, .. } => {
                *x = width - *x - *w
            }
            Item::Modules { x, .. } => *x = width - right,
        }
    }

    /// The area the item marks, as (left, top, right, bottom).
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        match self {
            Item::Text(t) => t.bbox(),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                ..
            } => {
                let h = width / 2.0;
                (
                    x1.min(*x2) - h,
                    y1.min(*y2) - h,
                    x1.max(*x2) + h,
                    y1.max(*y2) + h,
                )
            }
            Item::Rect {
                x, y, w, h, stroke, ..
            } => {
                let s = stroke.map_or(0.0, |s| s.width / 2.0);
                (x - s, y - s, x + w + s, y + h + s)
            }
            Item::Circle { cx, cy, r, stroke } => {
                let r = r + stroke.width / 2.0;
                (cx - r, cy - r, cx + r, cy + r)
            }
            Item::Leader { x1, x2, y } => (*x1, y - 0.5, *x2, y + 0.5),
            Item::Link { x, y, w, h, .. }
            | Item::Uri { x, y, w, h, .. }
            | Item::Image { x, y, w, h, .. } => (*x, *y, x + w, y + h),
            Item::Modules {
                x, y, module, n, ..
            } => {
                let side = module * *n as f32;
                (*x, *y, x + side, y + side)
            }
            Item::Field(f) => (f.x, f.y, f.x + f.w, f.y + f.h),
        }
    }
}
