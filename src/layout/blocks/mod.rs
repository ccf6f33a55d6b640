//! Blocks → slices: how each block type looks.
//!
//! Every block becomes a run of [`Slice`]s, each at most a line of text, a
//! writing line or a part of a table row tall, so that no slice is ever
//! taller than half a page and pagination can always place it inside the
//! body. The files hold the families: `prose` (lists, scripts, callouts),
//! `answers` (prompts, checklists, scales, partners, signatures), `table`.
//!
//! # Keeping things together
//! Pagination (`flow`) knows one rule: a slice with `keep_with_next` shares
//! a page with the slice after it, so a linked run moves to the next page
//! whole when it does not fit (and is broken where it must be when it is
//! longer than a page). Blocks set the links with these helpers:
//! - [`Ctx::paragraph`] links a paragraph's first line to its second and
//!   its second-to-last to its last: no widow or orphan lines. Use it for
//!   any running text.
//! - [`chain`] links every slice of a short unit (a list item, a label and
//!   its circles); `onward` also links its last slice to what follows, for
//!   things that introduce the next (a heading, a prompt's question).
//! - `keep_item` links list items and table rows so that at least two
//!   stay on each side of a break: no item alone at a page's top or foot.
//! - [`keep_line`] links writing lines: a short answer space stays whole, a
//!   long one may split but leaves at least two lines on each page.
//! - `Kind::Row { back }` marks a table row; `back` counts back to the
//!   table's header slice, which pagination repeats at the top of every
//!   page the table continues on.
//!
//! A new block type lays its text out with `paragraph` or line by line,
//! links what must stay together with `chain`, and its writing lines with
//! `keep_line`; a slice taller than a few lines is a bug.

mod answers;
mod ctx;
mod figures;
mod prose;
mod table;

pub use ctx::{fill_lines, hline, Ctx, CHECKBOX, LARGE_CHECKBOX, LARGE_WRITING_LINE, WRITING_LINE};

use crate::layout::display::Role;
use crate::layout::flow::Slice;
use crate::model::{Block, PromptLines};

impl Ctx {
    /// Lays out a worksheet's blocks, each with what it follows in view: a
    /// divider right under writing lines would read as one more line, so
    /// it keeps a gap of one and a half line spacings from them.
    pub fn blocks(&mut self, blocks: &[Block]) -> Vec<Slice> {
        let mut out = Vec::new();
        let mut after_lines = false;
        for b in blocks {
            let mut s = self.block(b);
            if let (Block::Divider, true, Some(first)) = (b, after_lines, s.first_mut()) {
                first.space_before = 1.5 * self.line - self.body.size * 0.8;
            }
            // A signature row stays with what it signs: a page never opens
            // with signature lines alone.
            if let Block::Signature { .. } = b {
                for prev in out.iter_mut().rev() {
                    let slice: &mut Slice = prev;
                    slice.keep_with_next = true;
                    if !slice.droppable {
                        break;
                    }
                }
            }
            after_lines = match b {
                Block::Prompt { lines, .. } => *lines != PromptLines::Count(0),
                Block::Partners { lines, .. } => *lines > 0,
                _ => false,
            };
            out.extend(s);
        }
        out
    }

    /// Lays out one block.
    pub fn block(&mut self, b: &Block) -> Vec<Slice> {
        let body = self.body;
        let size = body.size;
        match b {
            Block::Heading(t) => self.tagged(Role::H2, |ctx| {
                let style = ctx.style(size * 1.3, true, false, 0.0);
                let mut s = ctx.paragraph(t, &style, 0.0, size * 1.4);
                s.iter_mut().for_each(|x| x.keep_with_next = true);
                if let Some(last) = s.last_mut() {
                    last.height += size * 0.2;
                }
                s
            }),
            Block::Paragraph(t) => {
                let mut s = self.tagged(Role::P, |ctx| ctx.paragraph(t, &body, 0.0, size * 0.7));
                // A lead-in ("You might say:") stays with what it introduces.
                if t.plain().ends_with(':') {
                    if let Some(last) = s.last_mut() {
                        last.keep_with_next = true;
                    }
                }
                s
            }
            Block::Bullets(items) => self.list(items, false, |_| "•".into()),
            Block::Numbered(items) => self.list(items, true, |i| format!("{}.", i + 1)),
            Block::Script { intro, lines } => self.script(intro.as_ref(), lines),
            Block::Callout { title, text } => self.callout(title.as_ref(), text),
            Block::Prompt { text, tip, lines } => self.prompt(text, tip, *lines),
            Block::Checklist { items, tips } => self.checklist(items, tips),
            Block::Scale(s) => self.scale(s),
            Block::Table(t) => self.table(t),
            Block::Partners {
                text,
                tip,
                labels,
                roles,
                lines,
            } => self.partners(text, tip, labels, roles, *lines),
            Block::Signature { labels, tips } => self.signature(labels, tips),
            Block::Image {
                image,
                alt,
                width,
                caption,
            } => self.image(image, alt.as_deref(), *width, caption.as_ref()),
            Block::Qr {
                uri,
                address,
                caption,
            } => self.qr(uri, address, caption.as_ref()),
            // A spacer at most ends the page.
            Block::Spacer(h) => {
                let mut s = Slice::new(h.min(self.height), Vec::new());
                s.droppable = true;
                vec![s]
            }
            Block::Facilitator(inner) => self.facilitator(inner),
            Block::Divider => {
                let y = size * 0.8;
                let mut s = Slice::new(y * 2.0, vec![hline(0.0, self.width, y, 0.75, 0.6)]);
                s.space_before = size * 0.3;
                s.droppable = true;
                vec![s]
            }
            Block::PageBreak => vec![Slice::page_break()],
        }
    }
}
