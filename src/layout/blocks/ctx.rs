//! The layout context blocks are set in, and the slice helpers every
//! block type uses (see the module header of `blocks` for the keep rules).

use crate::layout::display::{Field, FieldKind, Item, Role, Tag};
use crate::layout::flow::{Kind, Slice};
use crate::layout::structure::Tree;
use crate::layout::text::{self, Line, Missing, Style};
use crate::model::Text;

/// Writing-line spacing: 9.5 mm, roomy enough for handwriting.
pub const WRITING_LINE: f32 = 9.5 * 72.0 / 25.4;
/// Checkbox side: 4.5 mm.
pub const CHECKBOX: f32 = 4.5 * 72.0 / 25.4;
/// The large-print edition's: 12.5 mm between writing lines (large
/// handwriting needs 12 at the least) and 6.5 mm boxes (6 at the least).
pub const LARGE_WRITING_LINE: f32 = 12.5 * 72.0 / 25.4;
pub const LARGE_CHECKBOX: f32 = 6.5 * 72.0 / 25.4;
pub(super) const RULE_GRAY: f32 = 0.55;
pub(super) const RULE_WIDTH: f32 = 0.6;

pub struct Ctx {
    /// Body column width.
    pub width: f32,
    /// Body height: no slice may be taller.
    pub height: f32,
    pub body: Style,
    /// Writing-line spacing and check-box side.
    pub line: f32,
    pub checkbox: f32,
    /// Size of the small print: page furniture, a question repeated over
    /// continued lines, the source line.
    pub small: f32,
    pub missing: Missing,
    /// Texts shortened to fit a page header or footer (for warnings).
    pub overflow: Vec<String>,
    /// With `--fillable`: the prefix of field names (the worksheet's slug),
    /// and how many answer spaces of each kind have been named.
    pub fields: Option<(String, std::collections::BTreeMap<&'static str, u32>)>,
    /// The structure of what has been laid out so far.
    pub tree: Tree,
    /// The practice's logo, over titles and on covers.
    pub logo: Option<crate::model::Logo>,
    /// The tool's words in the language being set (a worksheet's own).
    pub words: std::sync::Arc<crate::locale::Words>,
}

impl Ctx {
    /// `large`: the large-print edition's measures and no italics.
    pub fn new(width: f32, height: f32, size: f32, large: bool) -> Ctx {
        Ctx {
            width,
            height,
            body: Style {
                upright: large,
                ..Style::plain(size)
            },
            line: if large {
                LARGE_WRITING_LINE
            } else {
                WRITING_LINE
            },
            checkbox: if large { LARGE_CHECKBOX } else { CHECKBOX },
            small: if large { 14.0 } else { 9.0 },
            missing: Missing::new(),
            overflow: Vec::new(),
            fields: None,
            tree: Tree::default(),
            logo: None,
            words: crate::locale::Words::english(),
        }
    }

    /// Lays out `f` inside a new structure node of `role`: whatever it
    /// lays out that no node inside claimed belongs to this one.
    pub fn tagged(&mut self, role: Role, f: impl FnOnce(&mut Ctx) -> Vec<Slice>) -> Vec<Slice> {
        let node = self.tree.open(role);
        let mut out = f(self);
        self.tree.close();
        for s in &mut out {
            self.tree.claim(&mut s.items, node);
        }
        out
    }

    /// The size of secondary text (a scale's numbers and end labels, the
    /// labels under signature lines, the title block's "For:" line): a
    /// point under the body, but never under 11 pt, nor under the body in
    /// large print, where every word read is at least 18 pt.
    pub fn minor(&self) -> f32 {
        if self.body.upright {
            self.body.size
        } else {
            11.0_f32.max(self.body.size - 1.0)
        }
    }

    /// A `Form` node for a field about to be laid out, when fillable.
    pub(super) fn form_node(&mut self) -> Tag {
        match self.fields {
            Some(_) => Tag::Node(self.tree.leaf(Role::Form)),
            None => Tag::Unset,
        }
    }

    /// A style for text in the body's language. Bold styles set headings,
    /// titles and column heads, whose lines break only at spaces and whose
    /// words are hyphenated only when one is wider than the column.
    pub fn style(&self, size: f32, bold: bool, italic: bool, gray: f32) -> Style {
        Style {
            size,
            bold,
            italic,
            gray,
            leading: self.body.leading,
            hyphens: self.body.hyphens,
            whole_words: bold,
            upright: self.body.upright,
            rtl: self.body.rtl,
            family: self.body.family,
        }
    }

    pub fn set(&mut self, t: &Text, style: &Style, width: f32) -> Vec<Line> {
        crate::layout::kept_text::set_kept(t, style, width, &mut self.missing, |m| {
            text::set(t, style, width, m)
        })
    }

    pub fn label(&mut self, s: &str, style: &Style) -> Line {
        text::label(s, style, &mut self.missing)
    }

    /// [`Ctx::label`] for text that never holds a placeholder's value (a
    /// page number, the stage, the practice): kept for the process like
    /// any set text (`kept_text`), as running heads repeat on every page
    /// and every row.
    pub fn label_kept(&mut self, s: &str, style: &Style) -> Line {
        let runs = vec![crate::model::Span {
            text: s.to_owned(),
            ..Default::default()
        }];
        let t = Text { runs, at: None };
        crate::layout::kept_text::set_kept(&t.runs, style, f32::INFINITY, &mut self.missing, |m| {
            text::set(&t, style, f32::INFINITY, m)
        })
        .into_iter()
        .next()
        .unwrap_or_default()
    }

    /// Text as one slice per line, indented by `indent`, with widow and
    /// orphan links.
    pub fn paragraph(&mut self, t: &Text, style: &Style, indent: f32, space: f32) -> Vec<Slice> {
        let lines = self.set(t, style, self.width - indent);
        slices(&lines, style, indent, space)
    }

    /// A short text as [`Ctx::paragraph`], its lines balanced (see
    /// [`text::balanced`]).
    pub fn balanced(&mut self, t: &Text, style: &Style, indent: f32, space: f32) -> Vec<Slice> {
        let lines = self.balanced_lines(t, style, self.width - indent);
        slices(&lines, style, indent, space)
    }

    /// `t` set balanced in at most `width` (see [`text::balanced`]); each
    /// measure tried is set through the kept texts, so the same footer is
    /// balanced once per thread, not once per document.
    pub fn balanced_lines(&mut self, t: &Text, style: &Style, width: f32) -> Vec<Line> {
        text::balanced(width, |w| self.set(t, style, w))
    }

    /// The next field name of a kind (`slug.prompt-3`), when fillable.
    pub(super) fn field_name(&mut self, kind: &'static str) -> Option<String> {
        let (prefix, counts) = self.fields.as_mut()?;
        let n = counts.entry(kind).or_insert(0);
        *n += 1;
        Some(format!("{prefix}.{kind}-{n}"))
    }
}

/// Set lines as one slice each, indented by `indent`, with widow and
/// orphan links.
fn slices(lines: &[Line], style: &Style, indent: f32, space: f32) -> Vec<Slice> {
    let n = lines.len();
    let (lh, base) = (style.line_height(), style.baseline());
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut s = Slice::new(lh, l.placed(indent, base).collect());
            s.keep_with_next = n >= 2 && (i == 0 || i + 2 == n);
            if i == 0 {
                s.space_before = space;
            }
            s
        })
        .collect()
}

/// Writing lines `spacing` apart over the rest of the page (at least
/// three), with a form field (name, tooltip) over them when fillable.
pub fn fill_lines(width: f32, spacing: f32, field: Option<(String, String, Tag)>) -> Slice {
    Slice {
        kind: Kind::Fill {
            spacing,
            x0: 0.0,
            x1: width,
            field,
        },
        ..Slice::new(spacing * 3.0, Vec::new())
    }
}

/// Keep links for `n` writing lines: a short answer space stays whole; a
/// long one splits, but never leaves fewer than three lines on either page.
pub(super) fn keep_line(i: u32, n: u32) -> bool {
    if n <= 6 {
        i + 1 < n
    } else {
        i < 2 || i + 3 >= n && i + 1 < n
    }
}

/// Keep links for item `i` of `n` (list items, table rows): at least two
/// items on each side of a break, so no item is left alone on a page.
pub(super) fn keep_item(i: usize, n: usize) -> bool {
    n >= 2 && (i == 0 || i + 2 == n)
}

pub(super) fn writing_line(width: f32, spacing: f32) -> Slice {
    Slice::new(
        spacing,
        vec![hline(0.0, width, spacing, RULE_WIDTH, RULE_GRAY)],
    )
}

pub fn hline(x1: f32, x2: f32, y: f32, width: f32, gray: f32) -> Item {
    Item::Line {
        x1,
        y1: y,
        x2,
        y2: y,
        width,
        gray,
    }
}

/// Most rows of side-by-side columns set as one slice.
const SIDE_BY_SIDE_ROWS: usize = 6;

/// Columns of lines set side by side (a scale's end labels, the partners'
/// column heads, the labels under signature lines): `cols[c][r]` is column
/// `c`'s items for row `r`, relative to the row's baseline origin at its
/// top. Up to six rows are one slice, drawn column by column, so each
/// column's text is read and drawn whole before the next; more are a
/// slice a row, linked, so that they carry on to the next page instead of
/// running past the foot. `top` is extra space above the first row.
pub(super) fn side_by_side(cols: Vec<Vec<Vec<Item>>>, row_h: f32, top: f32) -> Vec<Slice> {
    let rows = cols.iter().map(Vec::len).max().unwrap_or(0);
    if rows <= SIDE_BY_SIDE_ROWS {
        let mut items = Vec::new();
        for col in cols {
            for (r, row) in col.into_iter().enumerate() {
                let dy = top + row_h * r as f32;
                items.extend(row.into_iter().map(|mut it| {
                    it.translate(0.0, dy);
                    it
                }));
            }
        }
        return vec![Slice::new(top + row_h * rows.max(1) as f32, items)];
    }
    let mut out: Vec<Slice> = (0..rows)
        .map(|r| {
            let dy = if r == 0 { top } else { 0.0 };
            let mut items = Vec::new();
            for col in &cols {
                if let Some(row) = col.get(r) {
                    items.extend(row.iter().cloned().map(|mut it| {
                        it.translate(0.0, dy);
                        it
                    }));
                }
            }
            Slice::new(dy + row_h, items)
        })
        .collect();
    chain(&mut out, false);
    out
}

/// Links every slice to the next, so a short unit stays on one page; the
/// last slice links to whatever follows only if `onward`.
pub(super) fn chain(slices: &mut [Slice], onward: bool) {
    let n = slices.len();
    for (i, s) in slices.iter_mut().enumerate() {
        s.keep_with_next = i + 1 < n || onward;
    }
}

/// A text field over an answer space, in the `Form` node `tag`.
#[allow(clippy::too_many_arguments)]
pub(super) fn text_field(
    name: &str,
    tip: &str,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    multiline: bool,
    tag: Tag,
) -> Item {
    Item::Field(Box::new(Field {
        x,
        y,
        w,
        h,
        name: name.to_owned(),
        kind: FieldKind::Text { multiline },
        tooltip: tip.to_owned(),
        tag,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_answer_spaces_split_with_three_lines_each_side() {
        for n in 1..80 {
            // A break may come after line i when it is not linked onward.
            for i in (0..n).filter(|&i| !keep_line(i, n) && i + 1 < n) {
                assert!(n > 6, "{n} lines split after {i}");
                assert!(i + 1 >= 3 && n - (i + 1) >= 3, "{n} lines split after {i}");
            }
        }
        for n in 2..40 {
            for i in (0..n).filter(|&i| !keep_item(i, n) && i + 1 < n) {
                assert!(i + 1 >= 2 && n - (i + 1) >= 2, "{n} items split after {i}");
            }
        }
    }
}
