//! Blocks → slices: how each block type looks.
//!
//! Every block becomes a run of [`Slice`]s at most a line or a row tall, with
//! keep links that encode the quality bar: a heading stays with what follows,
//! a prompt with its first two writing lines, a list item with itself, and no
//! paragraph leaves a single line alone at a page's foot or head.

use super::display::{Field, FieldKind, Item, Stroke};
use super::flow::{Kind, Slice};
use super::text::{self, Line, Missing, Style};
use crate::model::{Block, PromptLines, Scale, Table, Text};

/// Writing-line spacing: 9.5 mm, roomy enough for handwriting.
pub const WRITING_LINE: f32 = 9.5 * 72.0 / 25.4;
/// Checkbox side: 4.5 mm.
pub const CHECKBOX: f32 = 4.5 * 72.0 / 25.4;
const RULE_GRAY: f32 = 0.55;
const RULE_WIDTH: f32 = 0.6;

pub struct Ctx {
    /// Body column width.
    pub width: f32,
    pub body: Style,
    pub missing: Missing,
    /// Texts shortened to fit a page header or footer (for warnings).
    pub overflow: Vec<String>,
    /// With `--fillable`: the prefix of field names (the worksheet's slug),
    /// and how many answer spaces of each kind have been named.
    pub fields: Option<(String, std::collections::BTreeMap<&'static str, u32>)>,
}

impl Ctx {
    pub fn new(width: f32, size: f32) -> Ctx {
        Ctx {
            width,
            body: Style {
                size,
                bold: false,
                italic: false,
                gray: 0.0,
                leading: 1.4,
            },
            missing: Missing::new(),
            overflow: Vec::new(),
            fields: None,
        }
    }

    pub fn style(&self, size: f32, bold: bool, italic: bool, gray: f32) -> Style {
        Style {
            size,
            bold,
            italic,
            gray,
            leading: self.body.leading,
        }
    }

    pub fn set(&mut self, t: &Text, style: &Style, width: f32) -> Vec<Line> {
        text::set(t, style, width, &mut self.missing)
    }

    pub fn label(&mut self, s: &str, style: &Style) -> Line {
        text::label(s, style, &mut self.missing)
    }

    /// Text as one slice per line, indented by `indent`, with widow and
    /// orphan links.
    pub fn paragraph(&mut self, t: &Text, style: &Style, indent: f32, space: f32) -> Vec<Slice> {
        let lines = self.set(t, style, self.width - indent);
        let n = lines.len();
        let (lh, base) = (style.line_height(), style.baseline());
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut s = Slice::new(lh, l.placed(indent, base).map(Item::Text).collect());
                s.keep_with_next = n >= 2 && (i == 0 || i + 2 == n);
                if i == 0 {
                    s.space_before = space;
                }
                s
            })
            .collect()
    }

    /// The next field name of a kind (`slug.prompt-3`), when fillable.
    fn field_name(&mut self, kind: &'static str) -> Option<String> {
        let (prefix, counts) = self.fields.as_mut()?;
        let n = counts.entry(kind).or_insert(0);
        *n += 1;
        Some(format!("{prefix}.{kind}-{n}"))
    }

    /// Lays out one block.
    pub fn block(&mut self, b: &Block) -> Vec<Slice> {
        let body = self.body;
        let size = body.size;
        match b {
            Block::Heading(t) => {
                let style = self.style(size * 1.3, true, false, 0.0);
                let mut s = self.paragraph(t, &style, 0.0, size * 1.4);
                s.iter_mut().for_each(|x| x.keep_with_next = true);
                if let Some(last) = s.last_mut() {
                    last.height += size * 0.2;
                }
                s
            }
            Block::Paragraph(t) => {
                let mut s = self.paragraph(t, &body, 0.0, size * 0.7);
                // A lead-in ("You might say:") stays with what it introduces.
                if t.plain().ends_with(':') {
                    if let Some(last) = s.last_mut() {
                        last.keep_with_next = true;
                    }
                }
                s
            }
            Block::Bullets(items) => self.list(items, |_| "•".into()),
            Block::Numbered(items) => self.list(items, |i| format!("{}.", i + 1)),
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
                lines,
            } => self.partners(text, tip, labels, *lines),
            Block::Signature(labels) => self.signature(labels),
            Block::Spacer(h) => vec![Slice::new(*h, Vec::new())],
            Block::Divider => {
                let y = size * 0.8;
                let mut s = Slice::new(y * 2.0, vec![hline(0.0, self.width, y, 0.75, 0.6)]);
                s.space_before = size * 0.3;
                vec![s]
            }
            Block::PageBreak => vec![Slice::page_break()],
        }
    }

    fn list(&mut self, items: &[Text], marker: impl Fn(usize) -> String) -> Vec<Slice> {
        let body = self.body;
        let indent = body.size * 1.6;
        let mut out = Vec::new();
        for (i, t) in items.iter().enumerate() {
            let mut s = self.paragraph(
                t,
                &body,
                indent,
                body.size * if i == 0 { 0.6 } else { 0.25 },
            );
            chain(&mut s, false);
            let m = self.label(&marker(i), &body);
            if let Some(first) = s.first_mut() {
                let x = indent - body.size * 0.6 - m.width;
                first
                    .items
                    .extend(m.placed(x, body.baseline()).map(Item::Text));
            }
            out.extend(s);
        }
        out
    }

    fn script(&mut self, intro: Option<&Text>, lines: &[Text]) -> Vec<Slice> {
        let size = self.body.size;
        let mut out = Vec::new();
        if let Some(t) = intro {
            let mut s = self.paragraph(t, &self.body.clone(), 0.0, size * 0.7);
            chain(&mut s, true);
            out.extend(s);
        }
        let style = self.style(size, false, true, 0.1);
        let indent = size * 1.6;
        for (i, t) in lines.iter().enumerate() {
            let mut quoted = t.clone();
            if let Some(f) = quoted.first_mut() {
                f.text.insert(0, '“');
            }
            if let Some(l) = quoted.last_mut() {
                l.text.push('”');
            }
            let space = if i == 0 && intro.is_none() {
                size * 0.7
            } else {
                size * 0.35
            };
            let mut s = self.paragraph(&quoted, &style, indent, space);
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
        out
    }

    fn callout(&mut self, title: Option<&Text>, t: &Text) -> Vec<Slice> {
        let size = self.body.size;
        let pad = size * 0.8;
        let inner = self.width - 2.0 * pad;
        let mut lines: Vec<(Line, Style)> = Vec::new();
        if let Some(tt) = title {
            let st = self.style(size, true, false, 0.0);
            lines.extend(self.set(tt, &st, inner).into_iter().map(|l| (l, st)));
        }
        let body = self.body;
        lines.extend(self.set(t, &body, inner).into_iter().map(|l| (l, body)));
        let n = lines.len();
        let mut out = Vec::new();
        for (i, (l, st)) in lines.iter().enumerate() {
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
            items.extend(l.placed(pad, top + st.baseline()).map(Item::Text));
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

    fn prompt(&mut self, t: &Text, tip: &str, lines: PromptLines) -> Vec<Slice> {
        let body = self.body;
        let mut out = self.paragraph(t, &body, 0.0, body.size * 0.9);
        chain(&mut out, !matches!(lines, PromptLines::Count(0)));
        let width = self.width;
        let name = self.field_name("prompt");
        let tip = tip.to_owned();
        match lines {
            PromptLines::Count(n) => {
                for i in 0..n {
                    let mut s = writing_line(width);
                    s.keep_with_next = keep_line(i, n);
                    if let Some(name) = &name {
                        s.items
                            .push(text_field(name, &tip, 0.0, 0.0, width, WRITING_LINE, true));
                    }
                    out.push(s);
                }
            }
            PromptLines::Fill => out.push(fill_lines(width, name.map(|n| (n, tip)))),
        }
        out
    }

    fn checklist(&mut self, items: &[Text], tips: &[String]) -> Vec<Slice> {
        let body = self.body;
        let indent = CHECKBOX + body.size * 0.8;
        let mut out = Vec::new();
        let name = self.field_name("checklist");
        for (i, t) in items.iter().enumerate() {
            let mut s = self.paragraph(
                t,
                &body,
                indent,
                body.size * if i == 0 { 0.7 } else { 0.45 },
            );
            chain(&mut s, false);
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
                    })));
                }
            }
            out.extend(s);
        }
        out
    }

    fn scale(&mut self, sc: &Scale) -> Vec<Slice> {
        let body = self.body;
        let size = body.size;
        let mut out = self.paragraph(&sc.label, &body, 0.0, size * 0.9);
        chain(&mut out, true);
        // Validation keeps a scale to 21 points; the sum is done in i64 so
        // no input can wrap it.
        let count = (i64::from(sc.to) - i64::from(sc.from) + 1).clamp(1, 64) as usize;
        let r = 10.5_f32;
        let step = ((self.width - 2.0 * r) / (count.max(2) - 1) as f32).min(r * 4.4);
        let num_style = self.style(size - 1.0, false, false, 0.0);
        let cy = size * 0.5 + r;
        let mut items = Vec::new();
        let name = self.field_name("scale");
        let tip = sc.tip.clone();
        for k in 0..count {
            let cx = r + 1.0 + step * k as f32;
            if let Some(name) = &name {
                items.push(Item::Field(Box::new(Field {
                    x: cx - r,
                    y: cy - r,
                    w: 2.0 * r,
                    h: 2.0 * r,
                    name: name.clone(),
                    kind: FieldKind::Radio {
                        value: (i64::from(sc.from) + k as i64).to_string(),
                    },
                    tooltip: tip.clone(),
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
            let n = self.label(&(i64::from(sc.from) + k as i64).to_string(), &num_style);
            let base = cy + num_style.size * 0.35;
            items.extend(n.placed(cx - n.width / 2.0, base).map(Item::Text));
        }
        let label_style = self.style(11.0_f32.max(size - 1.0), false, true, 0.2);
        let ly = cy + r + 4.0 + label_style.baseline();
        let right_edge = r + 1.0 + step * (count - 1) as f32 + r;
        let mut height = cy + r + 4.0;
        // Each end label gets half the scale's width and wraps within it,
        // so long labels neither overlap nor cross the margin.
        let half = (right_edge / 2.0 - 6.0).max(40.0);
        for (text, left) in [(&sc.low, true), (&sc.high, false)] {
            let Some(text) = text else { continue };
            let lines = self.set(text, &label_style, half);
            for (i, l) in lines.iter().enumerate() {
                let x = if left {
                    0.0
                } else {
                    (right_edge - l.width).max(0.0)
                };
                let y = ly + label_style.line_height() * i as f32;
                items.extend(l.placed(x, y).map(Item::Text));
                height = height.max(y + label_style.line_height() - label_style.baseline());
            }
        }
        out.push(Slice::new(height, items));
        out
    }

    fn table(&mut self, t: &Table) -> Vec<Slice> {
        let size = self.body.size;
        let pad = size * 0.45;
        let xs: Vec<f32> = std::iter::once(0.0)
            .chain(t.widths.iter().scan(0.0, |acc, w| {
                *acc += w * self.width;
                Some(*acc)
            }))
            .collect();
        let head_style = self.style(size, true, false, 0.0);
        let cell_style = self.body;
        let mut out = Vec::new();
        let mut header = self.row(&t.columns, &xs, &head_style, pad, 0.0, Some(0.88));
        header.space_before = size * 0.9;
        header.keep_with_next = true;
        out.push(header);
        let n = t.rows.len();
        let name = self.field_name("table");
        for (i, cells) in t.rows.iter().enumerate() {
            let mut row = self.row(cells, &xs, &cell_style, pad, WRITING_LINE, None);
            if let Some(name) = &name {
                // One text field per empty cell, named by row and column.
                for (j, _) in cells.iter().enumerate().filter(|(_, c)| c.is_empty()) {
                    let tip = format!("{}, row {}", t.tips[j], i + 1);
                    let (x, w) = (xs[j] + 1.0, xs[j + 1] - xs[j] - 2.0);
                    let f = format!("{name}.r{}c{}", i + 1, j + 1);
                    row.items.push(text_field(
                        &f,
                        &tip,
                        x,
                        1.0,
                        w,
                        row.height - 2.0,
                        row.height > WRITING_LINE * 1.5,
                    ));
                }
            }
            row.kind = Kind::Row { back: i + 1 };
            // At least two rows on each page the table spans.
            row.keep_with_next = n >= 2 && (i == 0 || i + 2 == n);
            out.push(row);
        }
        out
    }

    fn row(
        &mut self,
        cells: &[Text],
        xs: &[f32],
        style: &Style,
        pad: f32,
        min_h: f32,
        fill: Option<f32>,
    ) -> Slice {
        let mut items = Vec::new();
        let mut h = min_h;
        let mut texts = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            let w = xs[i + 1] - xs[i] - 2.0 * pad;
            let lines = self.set(c, style, w);
            h = h.max(lines.len() as f32 * style.line_height() + 2.0 * pad * 0.6);
            texts.push(lines);
        }
        if let Some(g) = fill {
            items.push(Item::Rect {
                x: 0.0,
                y: 0.0,
                w: self.width,
                h,
                stroke: None,
                fill: Some(g),
            });
        }
        for (i, lines) in texts.iter().enumerate() {
            for (k, l) in lines.iter().enumerate() {
                let base = pad * 0.6 + style.line_height() * k as f32 + style.baseline();
                items.extend(l.placed(xs[i] + pad, base).map(Item::Text));
            }
        }
        let grid = 0.35;
        items.push(hline(0.0, self.width, 0.0, RULE_WIDTH, grid));
        items.push(hline(0.0, self.width, h, RULE_WIDTH, grid));
        for x in xs {
            items.push(Item::Line {
                x1: *x,
                y1: 0.0,
                x2: *x,
                y2: h,
                width: RULE_WIDTH,
                gray: grid,
            });
        }
        Slice::new(h, items)
    }

    fn partners(&mut self, t: &Text, tip: &str, labels: &[Text; 2], lines: u32) -> Vec<Slice> {
        let body = self.body;
        let mut out = self.paragraph(t, &body, 0.0, body.size * 0.9);
        chain(&mut out, true);
        let gutter = body.size * 2.0;
        let col = (self.width - gutter) / 2.0;
        let head = self.style(body.size, true, false, 0.0);
        // The column headings wrap within their column, line by line.
        let set: Vec<Vec<Line>> = labels.iter().map(|n| self.set(n, &head, col)).collect();
        let rows = set.iter().map(Vec::len).max().unwrap_or(0).max(1);
        for r in 0..rows {
            let top = if r == 0 { body.size * 0.5 } else { 0.0 };
            let mut items = Vec::new();
            for (i, lines) in set.iter().enumerate() {
                if let Some(l) = lines.get(r) {
                    let x = i as f32 * (col + gutter);
                    items.extend(l.placed(x, top + head.baseline()).map(Item::Text));
                }
            }
            let mut heads = Slice::new(top + head.line_height(), items);
            heads.keep_with_next = r + 1 < rows || lines > 0;
            out.push(heads);
        }
        let name = self.field_name("partners");
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
                    let tip = format!("{tip} ({})", labels[k].plain());
                    let f = format!("{name}.{}", ["a", "b"][k]);
                    s.items
                        .push(text_field(&f, &tip, x, 0.0, col, WRITING_LINE, true));
                }
            }
            s.keep_with_next = keep_line(i, lines);
            out.push(s);
        }
        out
    }

    fn signature(&mut self, labels: &[Text]) -> Vec<Slice> {
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
        let mut label_lines = 0;
        let name = self.field_name("signature");
        for (k, (l, w)) in labels.iter().zip(&weights).enumerate() {
            let width = avail * w / total;
            items.push(hline(x, x + width, line_y, 0.8, 0.0));
            if let Some(name) = &name {
                let f = format!("{name}.{}", k + 1);
                let h = size * 1.8;
                items.push(text_field(&f, &l.plain(), x, line_y - h, width, h, false));
            }
            let lines = self.set(l, &style, width);
            for (i, t) in lines.iter().enumerate() {
                let y = line_y + 3.0 + style.baseline() + style.line_height() * i as f32;
                items.extend(t.placed(x, y).map(Item::Text));
            }
            label_lines = label_lines.max(lines.len());
            x += width + gutter;
        }
        let mut s = Slice::new(
            line_y + 3.0 + style.line_height() * label_lines.max(1) as f32,
            items,
        );
        s.space_before = size * 0.9;
        vec![s]
    }
}

/// Keep links for `n` writing lines: a short answer space stays whole; a
/// long one splits, but never leaves fewer than two lines on either page.
fn keep_line(i: u32, n: u32) -> bool {
    if n <= 6 {
        i + 1 < n
    } else {
        i == 0 || i + 2 >= n && i + 1 < n
    }
}

/// Writing lines over the rest of the page (at least three), with a form
/// field (name, tooltip) over them when fillable.
pub fn fill_lines(width: f32, field: Option<(String, String)>) -> Slice {
    Slice {
        kind: Kind::Fill {
            spacing: WRITING_LINE,
            x0: 0.0,
            x1: width,
            field,
        },
        ..Slice::new(WRITING_LINE * 3.0, Vec::new())
    }
}

fn writing_line(width: f32) -> Slice {
    Slice::new(
        WRITING_LINE,
        vec![hline(0.0, width, WRITING_LINE, RULE_WIDTH, RULE_GRAY)],
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

/// Links every slice to the next, so a short unit stays on one page; the
/// last slice links to whatever follows only if `onward`.
fn chain(slices: &mut [Slice], onward: bool) {
    let n = slices.len();
    for (i, s) in slices.iter_mut().enumerate() {
        s.keep_with_next = i + 1 < n || onward;
    }
}

/// A text field over an answer space.
fn text_field(name: &str, tip: &str, x: f32, y: f32, w: f32, h: f32, multiline: bool) -> Item {
    Item::Field(Box::new(Field {
        x,
        y,
        w,
        h,
        name: name.to_owned(),
        kind: FieldKind::Text { multiline },
        tooltip: tip.to_owned(),
    }))
}
