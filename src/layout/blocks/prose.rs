//! Prose blocks: lists, scripts and callouts (headings and paragraphs are
//! a paragraph each, in `mod.rs`). Their slices are lines of text.

use super::ctx::{chain, keep_item, Ctx};
use crate::layout::display::{Item, Role};
use crate::layout::flow::Slice;
use crate::layout::text::{Line, Style};
use crate::model::Text;

impl Ctx {
    pub(super) fn list(
        &mut self,
        items: &[Text],
        numbered: bool,
        marker: impl Fn(usize) -> String,
    ) -> Vec<Slice> {
        let body = self.body;
        let indent = body.size * 1.6;
        self.tagged(Role::L { numbered }, |ctx| {
            let mut out = Vec::new();
            for (i, t) in items.iter().enumerate() {
                ctx.tree.open(Role::LI);
                let label = ctx.tree.leaf(Role::Lbl);
                let space = body.size * if i == 0 { 0.6 } else { 0.25 };
                let mut s = ctx.tagged(Role::LBody, |ctx| ctx.paragraph(t, &body, indent, space));
                ctx.tree.close();
                chain(&mut s, keep_item(i, items.len()));
                let m = ctx.label(&marker(i), &body);
                if let Some(first) = s.first_mut() {
                    let x = indent - body.size * 0.6 - m.width;
                    // Drawn first, as it is read first.
                    let mut mark: Vec<Item> = m.placed(x, body.baseline()).collect();
                    ctx.tree.claim(&mut mark, label);
                    first.items.splice(0..0, mark);
                }
                out.extend(s);
            }
            out
        })
    }

    pub(super) fn script(&mut self, intro: Option<&Text>, lines: &[Text]) -> Vec<Slice> {
        let size = self.body.size;
        let mut out = Vec::new();
        if let Some(t) = intro {
            let body = self.body;
            let mut s = self.tagged(Role::P, |ctx| ctx.paragraph(t, &body, 0.0, size * 0.7));
            chain(&mut s, true);
            out.extend(s);
        }
        let style = self.style(size, false, true, 0.1);
        let indent = size * 1.6;
        self.tree.open(Role::BlockQuote);
        for (i, t) in lines.iter().enumerate() {
            let mut quoted = t.clone();
            if let Some(f) = quoted.first_mut() {
                f.text.insert_str(0, &self.words.quote_open);
            }
            if let Some(l) = quoted.last_mut() {
                l.text.push_str(&self.words.quote_close);
            }
            let space = if i == 0 && intro.is_none() {
                size * 0.7
            } else {
                size * 0.35
            };
            let mut s = self.tagged(Role::P, |ctx| ctx.paragraph(&quoted, &style, indent, space));
            // A handful of statements reads as one unit: keep it whole.
            chain(&mut s, lines.len() <= 6 && i + 1 < lines.len());
            for sl in &mut s {
                // A bar down the left edge sets the statements apart.
                let h = sl.height;
                sl.items.push(Item::Rect {
                    x: size * 0.4,
                    y: 0.0,
                    w: 2.5,
                    h,
                    stroke: None,
                    fill: Some(0.6),
                });
            }
            out.extend(s);
        }
        self.tree.close();
        out
    }

    /// A facilitator-only block in the facilitator's edition: a small
    /// label over it ("For the facilitator only — not for clients", read
    /// aloud too) and a rule down the left margin beside all of it, so a
    /// page with one is never handed to a client by mistake.
    pub(super) fn facilitator(&mut self, inner: &crate::model::Block) -> Vec<Slice> {
        let size = self.body.size;
        let style = self.style(self.small + 1.0, true, false, 0.35);
        let label = Text::literal(&self.words.facilitator_only.clone(), false);
        let mut out = self.tagged(Role::P, |ctx| {
            ctx.paragraph(&label, &style, 0.0, size * 0.7)
        });
        chain(&mut out, true);
        let mut body = self.block(inner);
        if let Some(first) = body.first_mut() {
            // The block's own space above goes above the label instead.
            first.space_before = size * 0.2;
        }
        out.extend(body);
        // In the margin, clear of the text: a rule the height of each slice.
        let x = -size * 0.9;
        for s in &mut out {
            s.items.push(Item::Line {
                x1: x,
                y1: 0.0,
                x2: x,
                y2: s.height,
                width: 2.0,
                gray: 0.45,
            });
        }
        out
    }

    pub(super) fn callout(&mut self, title: Option<&Text>, t: &Text) -> Vec<Slice> {
        let size = self.body.size;
        let pad = size * 0.8;
        let inner = self.width - 2.0 * pad;
        self.tree.open(Role::Aside);
        // Each line with the paragraph (title or text) it belongs to.
        let mut lines: Vec<(Line, Style, u32)> = Vec::new();
        if let Some(tt) = title {
            let st = self.style(size, true, false, 0.0);
            let p = self.tree.leaf(Role::P);
            lines.extend(self.set(tt, &st, inner).into_iter().map(|l| (l, st, p)));
        }
        let body = self.body;
        let p = self.tree.leaf(Role::P);
        lines.extend(self.set(t, &body, inner).into_iter().map(|l| (l, body, p)));
        self.tree.close();
        let n = lines.len();
        let mut out = Vec::new();
        for (i, (l, st, p)) in lines.iter().enumerate() {
            let top = if i == 0 { pad * 0.75 } else { 0.0 };
            let bottom = if i + 1 == n { pad * 0.75 } else { 0.0 };
            let h = top + st.line_height() + bottom;
            let mut items = vec![Item::Rect {
                x: 0.0,
                y: 0.0,
                w: self.width,
                h,
                stroke: None,
                fill: Some(0.93),
            }];
            items.push(Item::Rect {
                x: 0.0,
                y: 0.0,
                w: 3.0,
                h,
                stroke: None,
                fill: Some(0.35),
            });
            items.extend(l.placed(pad, top + st.baseline()));
            self.tree.claim(&mut items, *p);
            let mut s = Slice::new(h, items);
            s.keep_with_next = i + 1 < n;
            if i == 0 {
                s.space_before = size * 0.9;
            }
            out.push(s);
        }
        if let Some(last) = out.last_mut() {
            last.height += size * 0.3;
        }
        out
    }
}
