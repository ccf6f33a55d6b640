//! Tables: a header row, then rows whose height fits their tallest cell.
//!
//! A row is one slice, or, when its text is taller than half a page, a
//! run of slices (parts of an eighth of a page) linked to stay together
//! where they can: a row is never drawn past the foot of the page, however
//! long its cells. The header is repeated on each page the table continues
//! on, unless it is itself too tall for that to leave room.

use super::ctx::{hline, keep_item, text_field, Ctx, RULE_GRAY, RULE_WIDTH};
use crate::layout::display::{Item, Role, Tag};
use crate::layout::flow::{Kind, Slice};
use crate::layout::text::{Line, Style};
use crate::model::{Table, Text};

/// Grey of the table's rules.
const GRID: f32 = 0.35;

impl Ctx {
    pub(super) fn table(&mut self, t: &Table) -> Vec<Slice> {
        let size = self.body.size;
        let pad = size * 0.45;
        let head_style = self.style(size, true, false, 0.0);
        let cell_style = self.body;
        let widths = self.column_widths(t, &head_style, pad);
        let xs: Vec<f32> = std::iter::once(0.0)
            .chain(widths.iter().scan(0.0, |acc, w| {
                *acc += w;
                Some(*acc)
            }))
            .collect();
        self.tree.open(Role::Table);
        self.tree.open(Role::THead);
        let heads = self.cells(Role::TH, t.columns.len(), &[]);
        self.tree.close();
        let mut out = self.row(&t.columns, &xs, &head_style, pad, 0.0, Some(0.88), &heads);
        out[0].space_before = size * 0.9;
        out.iter_mut().for_each(|s| s.keep_with_next = true);
        // Repeat the header on continued pages only if it is one short part.
        let repeat = out.len() == 1 && out[0].height <= self.height / 4.0;
        let n = t.rows.len();
        let name = self.field_name("table");
        self.tree.open(Role::TBody);
        for (i, cells) in t.rows.iter().enumerate() {
            let min_h = self.line * t.row_lines as f32;
            let blank: Vec<bool> = cells.iter().map(|c| c.is_empty()).collect();
            let nodes = self.cells(Role::TD, cells.len(), &blank);
            let mut parts = self.row(cells, &xs, &cell_style, pad, min_h, None, &nodes);
            if t.row_lines > 1 && parts.len() == 1 {
                // Rules to write on in each blank cell, as on a prompt.
                for (j, _) in cells.iter().enumerate().filter(|(_, c)| c.is_empty()) {
                    for k in 1..t.row_lines {
                        let y = self.line * k as f32;
                        let (a, b) = (xs[j] + pad, xs[j + 1] - pad);
                        parts[0].items.push(hline(a, b, y, RULE_WIDTH, RULE_GRAY));
                    }
                }
            }
            let last = parts.len() - 1;
            for (p, part) in parts.iter_mut().enumerate() {
                if let Some(name) = &name {
                    // One text field per empty cell, named by row and column.
                    for (j, _) in cells.iter().enumerate().filter(|(_, c)| c.is_empty()) {
                        let tip = crate::locale::Words::fill(
                            &self.words.table_cell,
                            &[("column", &t.tips[j]), ("row", &(i + 1).to_string())],
                        );
                        let (x, w) = (xs[j] + 1.0, xs[j + 1] - xs[j] - 2.0);
                        let f = format!("{name}.r{}c{}", i + 1, j + 1);
                        let h = part.height - 2.0;
                        let multiline = part.height > self.line * 1.5;
                        let form = nodes[j].1;
                        let field = text_field(&f, &tip, x, 1.0, w, h, multiline, form);
                        part.items.push(field);
                    }
                }
                if repeat {
                    part.kind = Kind::Row {
                        back: out.len() + p,
                    };
                }
                // At least two rows on each page the table spans; the parts
                // of one row stay together where they can.
                part.keep_with_next = p < last || keep_item(i, n);
            }
            out.extend(parts);
        }
        self.tree.close();
        self.tree.close();
        out
    }

    /// A row's structure: a `TR` of `n` cells of `role`, each with a
    /// `Form` inside when it is `blank` and the file is fillable.
    fn cells(&mut self, role: Role, n: usize, blank: &[bool]) -> Vec<(u32, Tag)> {
        self.tree.open(Role::TR);
        let cells = (0..n)
            .map(|j| {
                let cell = self.tree.open(role.clone());
                let form = match blank.get(j) {
                    Some(true) => self.form_node(),
                    _ => Tag::Unset,
                };
                self.tree.close();
                (cell, form)
            })
            .collect();
        self.tree.close();
        cells
    }

    /// Column widths from their content: no column narrower than its
    /// longest word, a short column (dates, "Y/N") as wide as its longest
    /// cell so it stays on one line, and the `widths` proportions sharing
    /// what is left.
    fn column_widths(&mut self, t: &Table, head: &Style, pad: f32) -> Vec<f32> {
        let total = self.width;
        let body = self.body;
        let n = t.widths.len();
        // Longest word and longest whole cell of each column, padded.
        let mut word = vec![0.0_f32; n];
        let mut whole = vec![0.0_f32; n];
        let rows = std::iter::once((&t.columns, head)).chain(t.rows.iter().map(|r| (r, &body)));
        for (cells, style) in rows {
            for (j, c) in cells.iter().enumerate().take(n) {
                let plain = c.plain();
                for w in plain.split_whitespace() {
                    word[j] = word[j].max(self.label(w, style).width + 2.0 * pad + 1.0);
                }
                if !plain.is_empty() {
                    whole[j] = whole[j].max(self.label(&plain, style).width + 2.0 * pad + 1.0);
                }
            }
        }
        let base: Vec<f32> = t.widths.iter().map(|f| f * total).collect();
        // What each column needs at least: its longest word, and all of a
        // short cell (up to a third of the table).
        // A word longer than half the table is broken anyway.
        let need: Vec<f32> = (0..n)
            .map(|j| {
                let short = if whole[j] <= total / 3.0 {
                    whole[j]
                } else {
                    0.0
                };
                word[j].min(total / 2.0).max(short)
            })
            .collect();
        if need.iter().sum::<f32>() >= total {
            // Not even the needs fit. Short cells (a date, "Y/N": at most
            // half again an even share) still get their one line, shortest
            // first, while together they take at most 60% of the table;
            // the others get room for a letter, and the rest in proportion
            // to their needs (their long words are hyphenated).
            let floor = 2.0 * pad + body.size * 1.2;
            let even = total / n as f32;
            let mut order: Vec<usize> = (0..n)
                .filter(|&j| whole[j] > 0.0 && whole[j] <= even * 1.5)
                .collect();
            order.sort_by(|&a, &b| whole[a].total_cmp(&whole[b]));
            let mut is_short = vec![false; n];
            let mut kept = 0.0;
            for j in order {
                if kept + whole[j] <= total * 0.6 {
                    kept += whole[j];
                    is_short[j] = true;
                }
            }
            let short = |j: usize| is_short[j];
            let others = (0..n).filter(|&j| !short(j));
            let sum: f32 = others.clone().map(|j| need[j]).sum();
            let rest = total - kept - floor * others.clone().count() as f32;
            if rest > 0.0 && sum > 0.0 {
                return (0..n)
                    .map(|j| {
                        if short(j) {
                            whole[j]
                        } else {
                            floor + need[j] / sum * rest
                        }
                    })
                    .collect();
            }
            let sum: f32 = need.iter().sum();
            let rest = (total - floor * n as f32).max(0.0);
            return need.iter().map(|w| floor + w / sum * rest).collect();
        }
        // Columns below their need get it; the others share the rest in
        // the `widths` proportions, and a column pushed below its need by
        // that is fixed too, until nothing changes.
        let mut fixed = vec![false; n];
        loop {
            let taken: f32 = (0..n).filter(|&j| fixed[j]).map(|j| need[j]).sum();
            let share: f32 = (0..n).filter(|&j| !fixed[j]).map(|j| base[j]).sum();
            let scale = if share > 0.0 {
                (total - taken) / share
            } else {
                0.0
            };
            let mut changed = false;
            for j in 0..n {
                if !fixed[j] && base[j] * scale < need[j] {
                    fixed[j] = true;
                    changed = true;
                }
            }
            if !changed {
                return (0..n)
                    .map(|j| if fixed[j] { need[j] } else { base[j] * scale })
                    .collect();
            }
        }
    }

    /// One row: a slice, or parts when it is taller than half the page;
    /// each cell's text is claimed for its node in `nodes`.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        cells: &[Text],
        xs: &[f32],
        style: &Style,
        pad: f32,
        min_h: f32,
        fill: Option<f32>,
        nodes: &[(u32, Tag)],
    ) -> Vec<Slice> {
        let lh = style.line_height();
        let inset = pad * 0.6;
        let set: Vec<Vec<Line>> = (cells.iter().enumerate())
            .map(|(i, c)| self.set(c, style, xs[i + 1] - xs[i] - 2.0 * pad))
            .collect();
        let lines = set.iter().map(Vec::len).max().unwrap_or(0);
        let whole = min_h.max(lines as f32 * lh + 2.0 * inset);
        if whole <= self.height / 2.0 {
            let ends = (true, true);
            let part = self.row_part(&set, 0..lines, xs, style, pad, whole, ends, fill, nodes);
            return vec![part];
        }
        // Parts of an eighth of a page, so a split row fills each page.
        let per = (((self.height / 8.0) / lh).floor() as usize).max(1);
        let count = lines.div_ceil(per);
        (0..count)
            .map(|k| {
                let range = k * per..((k + 1) * per).min(lines);
                let (first, last) = (k == 0, k + 1 == count);
                let h = range.len() as f32 * lh
                    + if first { inset } else { 0.0 }
                    + if last { inset } else { 0.0 };
                self.row_part(&set, range, xs, style, pad, h, (first, last), fill, nodes)
            })
            .collect()
    }

    /// The lines `range` of every cell, in a slice `h` tall with the grid
    /// drawn down its sides; `ends` says whether it opens and closes the row.
    #[allow(clippy::too_many_arguments)]
    fn row_part(
        &mut self,
        set: &[Vec<Line>],
        range: std::ops::Range<usize>,
        xs: &[f32],
        style: &Style,
        pad: f32,
        h: f32,
        ends: (bool, bool),
        fill: Option<f32>,
        nodes: &[(u32, Tag)],
    ) -> Slice {
        let lh = style.line_height();
        let top = if ends.0 { pad * 0.6 } else { 0.0 };
        let mut items = Vec::new();
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
        for (i, lines) in set.iter().enumerate() {
            let from = range.start.min(lines.len());
            let to = range.end.min(lines.len());
            for (k, l) in lines[from..to].iter().enumerate() {
                let base = top + lh * k as f32 + style.baseline();
                items.extend(l.placed(xs[i] + pad, base));
            }
            if let Some(&(cell, _)) = nodes.get(i) {
                self.tree.claim(&mut items, cell);
            }
        }
        if ends.0 {
            items.push(hline(0.0, self.width, 0.0, RULE_WIDTH, GRID));
        }
        if ends.1 {
            items.push(hline(0.0, self.width, h, RULE_WIDTH, GRID));
        }
        for x in xs {
            items.push(Item::Line {
                x1: *x,
                y1: 0.0,
                x2: *x,
                y2: h,
                width: RULE_WIDTH,
                gray: GRID,
            });
        }
        Slice::new(h, items)
    }
}
