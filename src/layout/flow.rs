//! Pagination: a column of slices → pages.
//!
//! Blocks are laid out into [`Slice`]s: unbreakable horizontal strips no
//! taller than a line or a row. Keep rules are links between slices: a slice
//! marked `keep_with_next` must share a page with the slice after it, so a
//! chain of linked slices (a heading and the first lines of what follows, a
//! prompt and its first writing lines, a list item's lines) moves to the next
//! page whole when it does not fit. A chain taller than a page is broken
//! where it must be. One pass, no backtracking: linear in the slice count.

use super::display::Item;

/// Items the layouter's `finish` adds to a page: header, rules, page
/// number, practice and safety line. Pages are made with room for them,
/// so adding them does not copy the whole page into a larger allocation.
pub const FURNITURE_ROOM: usize = 16;

/// Items a page is started with room for: most pages of text hold a few
/// dozen runs, rules and marks (45 in the middle of the bundled packets,
/// 77 at the 90th percentile), then the furniture; grown from nothing, a
/// page was reallocated and copied half a dozen times.
const PAGE_ROOM: usize = 64 + FURNITURE_ROOM;

#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    pub height: f32,
    /// Space above the slice, dropped at the top of a page.
    pub space_before: f32,
    /// Items relative to the slice's top-left corner on the body's left edge.
    pub items: Vec<Item>,
    pub keep_with_next: bool,
    /// Space or a rule between blocks (a spacer, a divider): dropped where
    /// it would begin a page or does not fit at the foot of one, since an
    /// empty band or a lone rule at a page's top reads as a mistake.
    pub droppable: bool,
    /// This slice opens a unit of this many slices (itself included) that
    /// moves to the next page whole when it does not fit here but fits on
    /// a page: a prompt with all its writing lines. 0 or 1: no unit.
    pub unit: usize,
    /// A writing line the sheet's last page can do without: the last
    /// lines of a long answer space. When they are all that would go over
    /// to a page of their own at the end of the sheet, as many as must
    /// are left out, so no last page holds only a few stray rules.
    pub trim: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Normal,
    /// Starts a new page.
    PageBreak,
    /// Ruled writing lines that take the rest of the page (at least
    /// `height`); with a field (name, tooltip) over them when fillable.
    Fill {
        spacing: f32,
        x0: f32,
        x1: f32,
        field: Option<(String, String, super::display::Tag)>,
    },
    /// A table row; the slice `back` places before it is the table's header,
    /// repeated at the top of each page the table continues on.
    Row {
        back: usize,
    },
    /// Not placed where it stands: only repeated, by the `Row` slices after
    /// it, at the top of the pages they continue on (a prompt's question,
    /// in small type, over writing lines carried to the next page).
    Repeat,
}

impl Slice {
    pub fn new(height: f32, items: Vec<Item>) -> Slice {
        Slice {
            height,
            space_before: 0.0,
            items,
            keep_with_next: false,
            droppable: false,
            unit: 0,
            trim: false,
            kind: Kind::Normal,
        }
    }

    pub fn page_break() -> Slice {
        Slice {
            kind: Kind::PageBreak,
            ..Slice::new(0.0, Vec::new())
        }
    }
}

/// Distributes slices over pages whose body is `body_height` tall. Returns
/// each page's items, relative to the body's top-left corner.
pub fn paginate(slices: &[Slice], body_height: f32) -> Vec<Vec<Item>> {
    let mut p = Paginator {
        slices,
        body: body_height,
        pages: vec![Vec::with_capacity(PAGE_ROOM)],
        y: 0.0,
    };
    let mut i = 0;
    while i < slices.len() {
        if slices[i].kind == Kind::PageBreak {
            if p.y > 0.0 {
                p.new_page(None);
            }
            i += 1;
            continue;
        }
        // A rule or space between blocks whose next block goes on to the
        // next page would only end this one with a stray rule: dropped.
        if slices[i].droppable && !slices[i].keep_with_next && i + 1 < slices.len() {
            let next = p.lead(i + 1);
            if p.y + extent(&slices[i]) + next > p.body + 0.01 && next <= p.body {
                i += 1;
                continue;
            }
        }
        if slices[i].trim && p.y > 0.0 {
            if let Some(next) = p.trim(i) {
                i = next;
                continue;
            }
        }
        // A unit that fits on a page but not here starts the next page.
        let unit = slices[i].unit.min(slices.len() - i);
        if unit > 1 && p.y > 0.0 {
            let rest: f32 = slices[i + 1..i + unit].iter().map(extent).sum();
            let whole = slices[i].height + rest;
            if p.y + slices[i].space_before + whole > p.body && whole <= p.body {
                p.new_page(Some(i));
            }
        }
        let mut j = i;
        let mut chain = slices[i].height;
        while slices[j].keep_with_next
            && j + 1 < slices.len()
            && slices[j + 1].kind != Kind::PageBreak
        {
            j += 1;
            chain += extent(&slices[j]);
        }
        if p.y > 0.0 && p.y + slices[i].space_before + chain > p.body && chain <= p.body {
            p.new_page(Some(i));
        }
        for k in i..=j {
            p.place(k);
        }
        i = j + 1;
    }
    p.pages
}

/// The room a slice takes after the one before it (none for a `Repeat`).
fn extent(s: &Slice) -> f32 {
    if s.kind == Kind::Repeat {
        0.0
    } else {
        s.space_before + s.height
    }
}

struct Paginator<'a> {
    slices: &'a [Slice],
    body: f32,
    pages: Vec<Vec<Item>>,
    y: f32,
}

impl Paginator<'_> {
    /// Starts a page; `next` is the slice about to go on it, so a continued
    /// table gets its header back.
    fn new_page(&mut self, next: Option<usize>) {
        self.pages.push(Vec::with_capacity(PAGE_ROOM));
        self.y = 0.0;
        if let Some(n) = next {
            if let Kind::Row { back } = self.slices[n].kind {
                let header = n - back;
                let repeat = self.slices[header].kind != Kind::Repeat;
                self.put(header, self.slices[header].height, repeat);
            }
        }
    }

    /// The room the content starting at `i` needs on a page to start
    /// there: a whole unit, or a chain of kept slices.
    fn lead(&self, i: usize) -> f32 {
        let s = self.slices;
        if s[i].kind == Kind::PageBreak {
            return f32::INFINITY;
        }
        let unit = s[i].unit.min(s.len() - i);
        let whole: f32 = s[i..i + unit.max(1)].iter().map(extent).sum();
        if unit > 1 && whole <= self.body {
            return whole;
        }
        let mut j = i;
        let mut chain = extent(&s[i]);
        while s[j].keep_with_next && j + 1 < s.len() && s[j + 1].kind != Kind::PageBreak {
            j += 1;
            chain += extent(&s[j]);
        }
        chain
    }

    /// At `i`, the first of a run of trimmable lines: when the run and
    /// everything after it (the rest of the sheet) do not fit on this page
    /// but the rest fits without some of the lines, places the lines that
    /// fit and returns the slice after the run.
    fn trim(&mut self, i: usize) -> Option<usize> {
        let s = self.slices;
        let j = (i..s.len())
            .find(|&j| !(s[j].trim || s[j].kind == Kind::Repeat))
            .unwrap_or(s.len());
        let plain = |s: &Slice| matches!(s.kind, Kind::Normal | Kind::Repeat);
        if !s[j..].iter().all(plain) {
            return None;
        }
        let tail: f32 = s[j..].iter().map(extent).sum();
        let lines: f32 = s[i..j].iter().map(extent).sum();
        if self.y + lines + tail <= self.body + 0.01 || self.y + tail > self.body + 0.01 {
            return None;
        }
        let mut room = self.body - self.y - tail;
        for (k, line) in s.iter().enumerate().take(j).skip(i) {
            room -= extent(line);
            if room < -0.01 {
                break;
            }
            self.place(k);
        }
        Some(j)
    }

    fn place(&mut self, k: usize) {
        let s = &self.slices[k];
        if s.kind == Kind::Repeat {
            return;
        }
        let gap = if self.y > 0.0 { s.space_before } else { 0.0 };
        if s.droppable && (self.y == 0.0 || self.y + gap + s.height > self.body + 0.01) {
            return;
        }
        if self.y > 0.0 && self.y + gap + s.height > self.body + 0.01 {
            self.new_page(Some(k));
        }
        let gap = if self.y > 0.0 { s.space_before } else { 0.0 };
        self.y += gap;
        match &s.kind {
            Kind::Fill {
                spacing,
                x0,
                x1,
                field,
            } => {
                let (spacing, x0, x1) = (*spacing, *x0, *x1);
                // Leave room for what follows on this page, if it fits.
                let tail: f32 = self.slices[k + 1..]
                    .iter()
                    .take_while(|s| s.kind != Kind::PageBreak)
                    .map(extent)
                    .sum();
                let room = self.body - self.y;
                let room = if room - tail >= s.height {
                    room - tail
                } else {
                    room
                };
                let n = (room / spacing).floor().max(1.0) as usize;
                let page = self.pages.last_mut().expect("a page");
                for line in 1..=n {
                    let y = self.y + spacing * line as f32;
                    page.push(Item::Line {
                        x1: x0,
                        y1: y,
                        x2: x1,
                        y2: y,
                        width: 0.6,
                        gray: 0.55,
                    });
                }
                if let Some((name, tip, tag)) = field {
                    page.push(Item::Field(Box::new(crate::layout::display::Field {
                        x: x0,
                        y: self.y,
                        w: x1 - x0,
                        h: spacing * n as f32,
                        name: name.clone(),
                        kind: crate::layout::display::FieldKind::Text { multiline: true },
                        tooltip: tip.clone(),
                        tag: *tag,
                    })));
                }
                self.y += spacing * n as f32;
            }
            _ => self.put(k, s.height, false),
        }
    }

    /// Places slice `k`; `again` for a table's header repeated on a page
    /// the table continues on, whose text is marked as a repeat (the
    /// writer makes it the head of that page's part of the table). A
    /// `Repeat` slice, a question marked "continued", is read as itself.
    fn put(&mut self, k: usize, height: f32, again: bool) {
        let y = self.y;
        let page = self.pages.last_mut().expect("a page");
        let from = page.len();
        page.extend(self.slices[k].items.iter().cloned().map(|mut it| {
            it.translate(0.0, y);
            it
        }));
        if again {
            super::structure::again(&mut page[from..]);
        }
        self.y += height;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(tag: f32, h: f32) -> Slice {
        Slice::new(
            h,
            vec![Item::Line {
                x1: tag,
                y1: 0.0,
                x2: tag,
                y2: h,
                width: 1.0,
                gray: 0.0,
            }],
        )
    }

    fn tags(pages: &[Vec<Item>]) -> Vec<Vec<f32>> {
        pages
            .iter()
            .map(|p| {
                p.iter()
                    .map(|i| match i {
                        Item::Line { x1, .. } => *x1,
                        _ => -1.0,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_chain_that_does_not_fit_moves_whole() {
        let mut s = vec![marker(0.0, 60.0), marker(1.0, 20.0), marker(2.0, 20.0)];
        s[1].keep_with_next = true;
        assert_eq!(tags(&paginate(&s, 90.0)), [vec![0.0], vec![1.0, 2.0]]);
    }

    #[test]
    fn a_chain_longer_than_a_page_breaks_where_it_must() {
        let mut s: Vec<Slice> = (0..5).map(|i| marker(i as f32, 30.0)).collect();
        s.iter_mut().for_each(|x| x.keep_with_next = true);
        assert_eq!(
            tags(&paginate(&s, 70.0)),
            [vec![0.0, 1.0], vec![2.0, 3.0], vec![4.0]]
        );
    }

    #[test]
    fn table_header_repeats_on_continued_pages() {
        let mut s = vec![marker(9.0, 20.0)];
        s[0].keep_with_next = true;
        for i in 0..4 {
            let mut r = marker(i as f32, 30.0);
            r.kind = Kind::Row { back: i + 1 };
            s.push(r);
        }
        assert_eq!(
            tags(&paginate(&s, 85.0)),
            [vec![9.0, 0.0, 1.0], vec![9.0, 2.0, 3.0]]
        );
    }

    #[test]
    fn fill_lines_take_the_page_but_leave_room_for_what_follows() {
        let mut s = vec![marker(0.0, 10.0)];
        s.push(Slice {
            kind: Kind::Fill {
                spacing: 10.0,
                x0: 5.0,
                x1: 6.0,
                field: None,
            },
            ..Slice::new(20.0, Vec::new())
        });
        s.push(marker(7.0, 15.0));
        let pages = paginate(&s, 100.0);
        assert_eq!(pages.len(), 1);
        assert_eq!(
            tags(&pages)[0],
            [0.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 7.0]
        );
    }

    #[test]
    fn spacers_and_rules_never_begin_a_page() {
        let mut s = vec![marker(0.0, 60.0), marker(1.0, 20.0), marker(2.0, 20.0)];
        s[1].droppable = true;
        // The rule does not fit under the first slice: it is dropped, not
        // carried to the top of the next page.
        assert_eq!(tags(&paginate(&s, 70.0)), [vec![0.0], vec![2.0]]);
        // After a page break it would begin the page: dropped too.
        let mut s = vec![
            marker(0.0, 10.0),
            Slice::page_break(),
            marker(1.0, 5.0),
            marker(2.0, 5.0),
        ];
        s[2].droppable = true;
        assert_eq!(tags(&paginate(&s, 70.0)), [vec![0.0], vec![2.0]]);
        // Where it fits, it stays.
        let mut s = vec![marker(0.0, 10.0), marker(1.0, 20.0), marker(2.0, 5.0)];
        s[1].droppable = true;
        assert_eq!(tags(&paginate(&s, 70.0)), [vec![0.0, 1.0, 2.0]]);
    }

    #[test]
    fn a_rule_whose_next_block_moves_on_is_dropped_not_left_at_the_foot() {
        let mut s = vec![marker(0.0, 60.0), marker(1.0, 5.0), marker(2.0, 30.0)];
        s[1].droppable = true;
        // The rule fits under the first slice, but what follows it does not.
        assert_eq!(tags(&paginate(&s, 80.0)), [vec![0.0], vec![2.0]]);
        // The same for a unit (a prompt and its lines) that moves whole.
        let mut s = vec![
            marker(0.0, 60.0),
            marker(1.0, 5.0),
            marker(2.0, 15.0),
            marker(3.0, 15.0),
        ];
        s[1].droppable = true;
        s[2].unit = 2;
        assert_eq!(tags(&paginate(&s, 80.0)), [vec![0.0], vec![2.0, 3.0]]);
        // When the next block fits too, the rule stays between them.
        let mut s = vec![marker(0.0, 40.0), marker(1.0, 5.0), marker(2.0, 30.0)];
        s[1].droppable = true;
        assert_eq!(tags(&paginate(&s, 80.0)), [vec![0.0, 1.0, 2.0]]);
    }

    #[test]
    fn space_before_is_dropped_at_the_top_of_a_page() {
        let mut s = vec![marker(0.0, 50.0), marker(1.0, 30.0)];
        s[1].space_before = 30.0;
        let pages = paginate(&s, 90.0);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1][0].bounds().1, -0.5);
    }
}
