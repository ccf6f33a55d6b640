//! Answer spaces: prompts, checklists, scales, partners' columns and
//! signature rows, each with its form fields when the file is fillable.
//! Every slice is a line of text or of writing space, so a long label
//! continues on the next page instead of running past the foot.

use super::ctx::{chain, fill_lines, hline, keep_item, keep_line, text_field, writing_line, Ctx};
use super::ctx::{CHECKBOX, RULE_GRAY, RULE_WIDTH, WRITING_LINE};
use crate::layout::display::{Field, FieldKind, Item, Role, Stroke};
use crate::layout::flow::{Kind, Slice};
use crate::layout::text::Line;
use crate::model::{PromptLines, Scale, Text};

/// Size of the question repeated over continued writing lines: small
/// print, like the page furniture.
const CONTINUED_SIZE: f32 = 10.0;

impl Ctx {
    pub(super) fn prompt(&mut self, t: &Text, tip: &str, lines: PromptLines) -> Vec<Slice> {
        let body = self.body;
        let mut out = self.tagged(Role::P, |ctx| ctx.paragraph(t, &body, 0.0, body.size * 0.9));
        chain(&mut out, !matches!(lines, PromptLines::Count(0)));
        let width = self.width;
        let name = self.field_name("prompt");
        let form = self.form_node();
        let tip = tip.to_owned();
        match lines {
            PromptLines::Count(n) => {
                // The whole prompt moves on when it fits on a page.
                let unit = out.len() + 1 + n as usize;
                if let Some(first) = out.first_mut() {
                    first.unit = unit;
                }
                out.push(self.continued(t));
                let back = out.len();
                // Up to a third of a long answer space (at least three
                // lines) gives way rather than stand alone on a last page.
                let trim = if n > 6 { (n / 3).max(3) } else { 0 };
                for i in 0..n {
                    let mut s = writing_line(width);
                    s.keep_with_next = keep_line(i, n);
                    s.trim = i + trim >= n;
                    s.kind = Kind::Row {
                        back: out.len() + 1 - back,
                    };
                    if let Some(name) = &name {
                        let f = text_field(name, &tip, 0.0, 0.0, width, WRITING_LINE, true, form);
                        s.items.push(f);
                    }
                    out.push(s);
                }
            }
            PromptLines::Fill => out.push(fill_lines(width, name.map(|n| (n, tip, form)))),
        }
        out
    }

    /// The question again, in small type and marked as continued, for the
    /// top of a page its writing lines are carried on to.
    fn continued(&mut self, question: &Text) -> Slice {
        let plain = question.plain();
        let short = if plain.chars().count() > 90 {
            let cut: String = plain.chars().take(90).collect();
            let cut = cut
                .rsplit_once(' ')
                .map_or(cut.as_str(), |(a, _)| a)
                .to_owned();
            format!("{cut}…")
        } else {
            plain
        };
        let style = self.style(CONTINUED_SIZE, false, true, 0.3);
        let text = Text::literal(&format!("{short} (continued)"), false);
        let lines = self.set(&text, &style, self.width);
        let mut items = Vec::new();
        for (k, l) in lines.iter().enumerate() {
            let y = style.baseline() + style.line_height() * k as f32;
            items.extend(l.placed(0.0, y));
        }
        // Read where it is printed: a node of its own, left out of the
        // file when the lines are never carried over.
        let node = self.tree.leaf(Role::P);
        self.tree.claim(&mut items, node);
        let mut s = Slice::new(style.line_height() * lines.len() as f32, items);
        s.kind = Kind::Repeat;
        s.keep_with_next = true;
        s
    }

    pub(super) fn checklist(&mut self, items: &[Text], tips: &[String]) -> Vec<Slice> {
        let body = self.body;
        let indent = CHECKBOX + body.size * 0.8;
        let mut out = Vec::new();
        let name = self.field_name("checklist");
        self.tree.open(Role::L { numbered: false });
        for (i, t) in items.iter().enumerate() {
            self.tree.open(Role::LI);
            // The box, when it is a field, is the item's label.
            let form = match name {
                Some(_) => {
                    self.tree.open(Role::Lbl);
                    let form = self.form_node();
                    self.tree.close();
                    form
                }
                None => Default::default(),
            };
            let space = body.size * if i == 0 { 0.7 } else { 0.45 };
            let mut s = self.tagged(Role::LBody, |ctx| ctx.paragraph(t, &body, indent, space));
            self.tree.close();
            chain(&mut s, keep_item(i, items.len()));
            if let Some(first) = s.first_mut() {
                // Centre the box on the first line's x-height band.
                let y = body.baseline() - body.size * 0.36 - CHECKBOX / 2.0;
                first.items.push(Item::Rect {
                    x: 1.0,
                    y,
                    w: CHECKBOX,
                    h: CHECKBOX,
                    stroke: Some(Stroke {
                        width: 0.9,
                        gray: 0.0,
                    }),
                    fill: None,
                });
                first.height = first.height.max(y + CHECKBOX + 1.0);
                if let Some(name) = &name {
                    first.items.push(Item::Field(Box::new(Field {
                        x: 1.0,
                        y,
                        w: CHECKBOX,
                        h: CHECKBOX,
                        name: format!("{name}.{}", i + 1),
                        kind: FieldKind::Check,
                        tooltip: tips.get(i).cloned().unwrap_or_default(),
                        tag: form,
                    })));
                }
            }
            out.extend(s);
        }
        self.tree.close();
        out
    }

    pub(super) fn scale(&mut self, sc: &Scale) -> Vec<Slice> {
        let body = self.body;
        let size = body.size;
        let mut out = self.tagged(Role::P, |ctx| {
            ctx.paragraph(&sc.label, &body, 0.0, size * 0.9)
        });
        chain(&mut out, true);
        // The numbers are read as one paragraph, then each button.
        let numbers_node = self.tree.leaf(Role::P);
        // Validation keeps a scale to 21 points; the sum is done in i64 so
        // no input can wrap it.
        let count = (i64::from(sc.to) - i64::from(sc.from) + 1).clamp(1, 64) as usize;
        let numbers: Vec<String> = (0..count)
            .map(|k| (i64::from(sc.from) + k as i64).to_string())
            .collect();
        let mut num_style = self.style(size - 1.0, false, false, 0.0);
        let widest = (numbers.iter())
            .map(|n| self.label(n, &num_style).width)
            .fold(0.0, f32::max);
        // Circles grow with the type (large print) and the numbers in
        // them, but never past what fits across the column; numbers too
        // wide for the circle that fits are set smaller instead.
        let want = (size * 0.875).max(widest / 2.0 + 3.0).max(10.5);
        let fits = ((self.width - 2.0) / (2.0 * count as f32)).max(4.0);
        let r = want.min(fits);
        if widest / 2.0 + 3.0 > r {
            num_style.size *= ((2.0 * r - 6.0) / widest).clamp(0.3, 1.0);
        }
        // The first circle starts 1pt in; the last ends 1pt inside the column.
        let step = ((self.width - 2.0 * r - 2.0) / (count.max(2) - 1) as f32).min(r * 4.4);
        let cy = size * 0.5 + r;
        let mut items = Vec::new();
        let name = self.field_name("scale");
        let tip = sc.tip.clone();
        for (k, number) in numbers.iter().enumerate() {
            let cx = r + 1.0 + step * k as f32;
            if let Some(name) = &name {
                let tag = self.form_node();
                items.push(Item::Field(Box::new(Field {
                    x: cx - r,
                    y: cy - r,
                    w: 2.0 * r,
                    h: 2.0 * r,
                    name: name.clone(),
                    kind: FieldKind::Radio {
                        value: number.clone(),
                    },
                    tooltip: tip.clone(),
                    tag,
                })));
            }
            items.push(Item::Circle {
                cx,
                cy,
                r,
                stroke: Stroke {
                    width: 0.9,
                    gray: 0.0,
                },
            });
            let n = self.label(number, &num_style);
            let base = cy + num_style.size * 0.35;
            let mut placed: Vec<Item> = n.placed(cx - n.width / 2.0, base).collect();
            self.tree.claim(&mut placed, numbers_node);
            items.extend(placed);
        }
        let label_style = self.style(11.0_f32.max(size - 1.0), false, true, 0.2);
        let right_edge = r + 1.0 + step * (count - 1) as f32 + r;
        // Each end label gets half the scale's width and wraps within it,
        // so long labels neither overlap nor cross the margin.
        let half = (right_edge / 2.0 - 6.0).max(40.0);
        let low = sc.low.as_ref().map(|t| self.set(t, &label_style, half));
        let high = sc.high.as_ref().map(|t| self.set(t, &label_style, half));
        let (low, high) = (low.unwrap_or_default(), high.unwrap_or_default());
        let rows = low.len().max(high.len());
        let ends = [self.tree.leaf(Role::P), self.tree.leaf(Role::P)];
        let mut circles = Slice::new(cy + r + 4.0, items);
        circles.keep_with_next = rows > 0;
        out.push(circles);
        // The end labels, a line of each side to a slice: however long,
        // they continue on the next page rather than past the foot.
        for i in 0..rows {
            let mut items = Vec::new();
            if let Some(l) = low.get(i) {
                items.extend(l.placed(0.0, label_style.baseline()));
                self.tree.claim(&mut items, ends[0]);
            }
            if let Some(l) = high.get(i) {
                let x = (right_edge - l.width).max(0.0);
                items.extend(l.placed(x, label_style.baseline()));
                self.tree.claim(&mut items, ends[1]);
            }
            let mut s = Slice::new(label_style.line_height(), items);
            s.keep_with_next = i + 1 < rows;
            out.push(s);
        }
        out
    }

    pub(super) fn partners(
        &mut self,
        t: &Text,
        tip: &str,
        labels: &[Text; 2],
        roles: &[String; 2],
        lines: u32,
    ) -> Vec<Slice> {
        let body = self.body;
        let mut out = self.tagged(Role::P, |ctx| ctx.paragraph(t, &body, 0.0, body.size * 0.9));
        chain(&mut out, true);
        // Read partner A's column (heading, then field), then partner B's.
        let name = self.field_name("partners");
        let mut nodes = [(0, Default::default()); 2];
        for n in &mut nodes {
            *n = (self.tree.leaf(Role::P), self.form_node());
        }
        let gutter = body.size * 2.0;
        let col = (self.width - gutter) / 2.0;
        let head = self.style(body.size, true, false, 0.0);
        // The column headings wrap within their column, line by line.
        let set: Vec<Vec<Line>> = labels.iter().map(|n| self.set(n, &head, col)).collect();
        let rows = set.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let first_head = out.len();
        for r in 0..rows {
            let top = if r == 0 { body.size * 0.5 } else { 0.0 };
            let mut items = Vec::new();
            for (i, lines) in set.iter().enumerate() {
                if let Some(l) = lines.get(r) {
                    let x = i as f32 * (col + gutter);
                    items.extend(l.placed(x, top + head.baseline()));
                    self.tree.claim(&mut items, nodes[i].0);
                }
            }
            let mut heads = Slice::new(top + head.line_height(), items);
            heads.keep_with_next = r + 1 < rows || lines > 0;
            out.push(heads);
        }
        // Lines carried to the next page open with the question, marked
        // continued, and the column heads again: never bare rules.
        let mut again = self.continued(t);
        for h in &out[first_head..] {
            let y = again.height;
            let from = again.items.len();
            again.items.extend(h.items.iter().cloned().map(|mut it| {
                it.translate(0.0, y);
                it
            }));
            // The heads were read where they first stood.
            crate::layout::structure::artifacts(&mut again.items[from..]);
            again.height += h.height;
        }
        out.push(again);
        let back = out.len();
        // Up to a third of a long answer space gives way rather than stand
        // alone on a last page, as a prompt's does.
        let trim = if lines > 6 { (lines / 3).max(3) } else { 0 };
        let tip = tip.to_owned();
        for i in 0..lines {
            let y = WRITING_LINE;
            let mut s = Slice::new(
                WRITING_LINE,
                vec![
                    hline(0.0, col, y, RULE_WIDTH, RULE_GRAY),
                    hline(col + gutter, self.width, y, RULE_WIDTH, RULE_GRAY),
                ],
            );
            if let Some(name) = &name {
                for (k, x) in [(0, 0.0), (1, col + gutter)] {
                    let tip = format!("{tip} ({})", roles[k]);
                    let f = format!("{name}.{}", ["a", "b"][k]);
                    let form = nodes[k].1;
                    let field = text_field(&f, &tip, x, 0.0, col, WRITING_LINE, true, form);
                    s.items.push(field);
                }
            }
            s.keep_with_next = keep_line(i, lines);
            s.kind = Kind::Row {
                back: out.len() + 1 - back,
            };
            s.trim = i + trim >= lines;
            out.push(s);
        }
        // The whole block moves on when it fits on a page.
        let unit = out.len();
        if let Some(first) = out.first_mut() {
            first.unit = unit;
        }
        out
    }

    pub(super) fn signature(&mut self, labels: &[Text], tips: &[String]) -> Vec<Slice> {
        let size = self.body.size;
        let gutter = size * 1.5;
        // A date needs less room than a name.
        let weights: Vec<f32> = labels
            .iter()
            .map(|l| {
                if l.plain().to_lowercase().contains("date") {
                    0.6
                } else {
                    1.0
                }
            })
            .collect();
        let total: f32 = weights.iter().sum();
        let avail = self.width - gutter * (labels.len().max(1) - 1) as f32;
        let style = self.style(11.0_f32.max(size - 1.0), false, false, 0.25);
        let line_y = size * 2.6;
        let mut items = Vec::new();
        let mut x = 0.0;
        let mut set = Vec::new();
        let name = self.field_name("signature");
        for (k, (l, w)) in labels.iter().zip(&weights).enumerate() {
            let width = avail * w / total;
            items.push(hline(x, x + width, line_y, 0.8, 0.0));
            // Each label is read before the field it names.
            let label = self.tree.leaf(Role::P);
            if let Some(name) = &name {
                let f = format!("{name}.{}", k + 1);
                let h = size * 1.8;
                let tip = tips.get(k).map_or("", String::as_str);
                let form = self.form_node();
                items.push(text_field(&f, tip, x, line_y - h, width, h, false, form));
            }
            set.push((x, self.set(l, &style, width), label));
            x += width + gutter;
        }
        let mut out = vec![Slice::new(line_y + 3.0, items)];
        out[0].space_before = size * 0.9;
        // The labels under the lines, a line of each to a slice, linked.
        let rows = set
            .iter()
            .map(|(_, l, _)| l.len())
            .max()
            .unwrap_or(0)
            .max(1);
        for i in 0..rows {
            let mut items = Vec::new();
            for (x, lines, label) in &set {
                if let Some(t) = lines.get(i) {
                    items.extend(t.placed(*x, style.baseline()));
                    self.tree.claim(&mut items, *label);
                }
            }
            out.push(Slice::new(style.line_height(), items));
        }
        chain(&mut out, false);
        out
    }
}
