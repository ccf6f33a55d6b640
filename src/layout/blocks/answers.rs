//! Answer spaces: prompts, checklists, scales, partners' columns and
//! signature rows, each with its form fields when the file is fillable.
//! Every slice is a line of text or of writing space, so a long label
//! continues on the next page instead of running past the foot.

use super::ctx::{chain, fill_lines, hline, keep_item, keep_line, side_by_side, text_field};
use super::ctx::{writing_line, Ctx};
use super::ctx::{RULE_GRAY, RULE_WIDTH};
use crate::layout::display::{Field, FieldKind, Item, Role, Stroke};
use crate::layout::flow::{Kind, Slice};
use crate::layout::text::Line;
use crate::model::{PromptLines, Scale, Text};

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
                    let mut s = writing_line(width, self.line);
                    s.keep_with_next = keep_line(i, n);
                    s.trim = i + trim >= n;
                    s.kind = Kind::Row {
                        back: out.len() + 1 - back,
                    };
                    if let Some(name) = &name {
                        let f = text_field(name, &tip, 0.0, 0.0, width, self.line, true, form);
                        s.items.push(f);
                    }
                    out.push(s);
                }
            }
            PromptLines::Fill => {
                let field = name.map(|n| (n, tip, form));
                out.push(fill_lines(width, self.line, field));
            }
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
        // Small print, like the page furniture (a little larger).
        let style = self.style(self.small + 1.0, false, true, 0.3);
        let text = crate::locale::Words::fill(&self.words.continued, &[("question", &short)]);
        let text = Text::literal(&text, false);
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
        let checkbox = self.checkbox;
        let indent = checkbox + body.size * 0.8;
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
                let y = body.baseline() - body.size * 0.36 - checkbox / 2.0;
                first.items.push(Item::Rect {
                    x: 1.0,
                    y,
                    w: checkbox,
                    h: checkbox,
                    stroke: Some(Stroke {
                        width: 0.9,
                        gray: 0.0,
                    }),
                    fill: None,
                });
                first.height = first.height.max(y + checkbox + 1.0);
                if let Some(name) = &name {
                    first.items.push(Item::Field(Box::new(Field {
                        x: 1.0,
                        y,
                        w: checkbox,
                        h: checkbox,
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
        // The numbers a point under the body (the body's own size in
        // large print), and smaller still if the column is crowded.
        let n = if self.body.upright { size } else { size - 1.0 };
        let mut num_style = self.style(n, false, false, 0.0);
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
        // The numbers are drawn after all the circles: one sequence of text
        // to read, not one between every two circles.
        let mut numbers_text = Vec::new();
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
            numbers_text.extend(placed);
        }
        items.extend(numbers_text);
        let label_style = self.style(self.minor(), false, true, 0.2);
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
        // The end labels, the low one read first.
        let base = label_style.baseline();
        let low: Vec<Vec<Item>> = (low.iter())
            .map(|l| {
                let mut items: Vec<Item> = l.placed(0.0, base).collect();
                self.tree.claim(&mut items, ends[0]);
                items
            })
            .collect();
        let high: Vec<Vec<Item>> = (high.iter())
            .map(|l| {
                let x = (right_edge - l.width).max(0.0);
                let mut items: Vec<Item> = l.placed(x, base).collect();
                self.tree.claim(&mut items, ends[1]);
                items
            })
            .collect();
        if rows > 0 {
            out.extend(side_by_side(
                vec![low, high],
                label_style.line_height(),
                0.0,
            ));
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
        let first_head = out.len();
        let cols: Vec<Vec<Vec<Item>>> = (set.iter().enumerate())
            .map(|(i, ls)| {
                let x = i as f32 * (col + gutter);
                ls.iter()
                    .map(|l| {
                        let mut items: Vec<Item> = l.placed(x, head.baseline()).collect();
                        self.tree.claim(&mut items, nodes[i].0);
                        items
                    })
                    .collect()
            })
            .collect();
        let mut heads = side_by_side(cols, head.line_height(), body.size * 0.5);
        if let Some(last) = heads.last_mut() {
            last.keep_with_next = lines > 0;
        }
        out.extend(heads);
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
            let y = self.line;
            let mut s = Slice::new(
                self.line,
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
                    let field = text_field(&f, &tip, x, 0.0, col, self.line, true, form);
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
        let style = self.style(self.minor(), false, false, 0.25);
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
        // The labels under the lines, each read whole before the next.
        let cols: Vec<Vec<Vec<Item>>> = (set.iter())
            .map(|(x, lines, label)| {
                lines
                    .iter()
                    .map(|t| {
                        let mut items: Vec<Item> = t.placed(*x, style.baseline()).collect();
                        self.tree.claim(&mut items, *label);
                        items
                    })
                    .collect()
            })
            .collect();
        out.extend(side_by_side(cols, style.line_height(), 0.0));
        chain(&mut out, false);
        out
    }
}
