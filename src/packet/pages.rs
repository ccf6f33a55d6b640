//! The pages a packet adds around its worksheets: cover, contents, section
//! dividers and duplex notes pages.

use crate::layout::blocks::{fill_lines, hline};
use crate::layout::display::Item;
use crate::layout::flow::Slice;
use crate::layout::{BodyPage, Header, Layouter};
use crate::model::{self, inline, Edition, Vars};
use crate::spec::packet::PacketSpec;

/// What a blank to write a name on looks like on an unfilled cover.
const WRITE_IN: &str = "__________________";

pub struct ContentsEntry {
    pub title: String,
    /// A section heading rather than a worksheet.
    pub section: bool,
    /// Has a page number (worksheets; sections with a divider page).
    pub numbered: bool,
}

/// The cover: title, subtitle, the couple's lines (blanks to fill in when
/// the packet is built without values), edition, practice.
pub fn cover(
    l: &mut Layouter,
    spec: &PacketSpec,
    vars: &Vars,
    practice: &str,
    edition: Edition,
) -> Vec<BodyPage> {
    let ctx = &mut l.ctx;
    let size = ctx.body.size;
    let mut s = vec![Slice::new(110.0, Vec::new())];
    // Without values (a packet to fill in by hand) a blank to write on.
    let fill = |t: &str| inline(&model::substitute(t, vars, Some(WRITE_IN)).0);
    let title = ctx.style(30.0, true, false, 0.0);
    s.extend(ctx.paragraph(&fill(&spec.cover.title), &title, 0.0, 0.0));
    if let Some(sub) = &spec.cover.subtitle {
        let st = ctx.style(16.0, false, true, 0.25);
        s.extend(ctx.paragraph(&fill(sub), &st, 0.0, 6.0));
    }
    s.push(Slice::new(
        30.0,
        vec![hline(0.0, ctx.width * 0.4, 16.0, 1.5, 0.0)],
    ));
    let line_style = ctx.style(16.0, false, false, 0.0);
    for line in &spec.cover.lines {
        s.extend(ctx.paragraph(&fill(line), &line_style, 0.0, size * 0.9));
    }
    if edition == Edition::Facilitator {
        let st = ctx.style(13.0, true, false, 0.0);
        s.extend(ctx.paragraph(
            &inline("Facilitator edition — includes session notes for the therapist"),
            &st,
            0.0,
            size * 3.0,
        ));
    }
    if !practice.is_empty() {
        let st = ctx.style(13.0, false, false, 0.25);
        s.extend(ctx.paragraph(&inline(practice), &st, 0.0, size * 3.0));
    }
    l.paginate(&s, None)
}

/// The contents: one line per section and worksheet, with a dotted leader
/// to its page number and a link to that page. `starts` holds the 0-based
/// page of each numbered entry, in order.
pub fn contents(
    l: &mut Layouter,
    title: &str,
    entries: &[ContentsEntry],
    starts: &[usize],
) -> Vec<BodyPage> {
    let ctx = &mut l.ctx;
    let size = ctx.body.size;
    let head = ctx.style(22.0, true, false, 0.0);
    let mut s = ctx.paragraph(&inline("Contents"), &head, 0.0, 0.0);
    s.last_mut().expect("a line").height += size;
    let number_room = 36.0;
    let mut next = starts.iter();
    for e in entries {
        let (style, indent, space) = if e.section {
            (ctx.style(size + 1.0, true, false, 0.0), 0.0, size * 1.1)
        } else {
            (ctx.body, size * 1.2, size * 0.35)
        };
        let lines = ctx.set(
            &inline(&e.title),
            &style,
            ctx.width - indent - number_room - 12.0,
        );
        let lh = style.line_height();
        let base = style.baseline();
        let page = if e.numbered {
            next.next().copied()
        } else {
            None
        };
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let mut items: Vec<Item> = line.placed(indent, base).map(Item::Text).collect();
            if let (true, Some(p)) = (i + 1 == n, page) {
                let num = ctx.label(&(p + 1).to_string(), &style);
                let nx = ctx.width - num.width;
                items.extend(num.placed(nx, base).map(Item::Text));
                let from = indent + line.width + 6.0;
                if nx - 6.0 > from {
                    items.push(Item::Leader {
                        x1: from,
                        x2: nx - 6.0,
                        y: base,
                    });
                }
            }
            if let Some(p) = page {
                items.push(Item::Link {
                    x: 0.0,
                    y: 0.0,
                    w: ctx.width,
                    h: lh,
                    page: p,
                });
            }
            let mut slice = Slice::new(lh, items);
            slice.keep_with_next = i + 1 < n || e.section;
            if i == 0 {
                slice.space_before = space;
            }
            s.push(slice);
        }
    }
    let header = Header {
        left: "CONTENTS".into(),
        right: title.to_owned(),
    };
    l.paginate(&s, Some(&header))
}

/// A section's divider page.
pub fn divider(l: &mut Layouter, section: &str, packet: &str) -> Vec<BodyPage> {
    let ctx = &mut l.ctx;
    let mut s = vec![Slice::new(180.0, Vec::new())];
    let st = ctx.style(34.0, true, false, 0.0);
    s.extend(ctx.paragraph(&inline(section), &st, 0.0, 0.0));
    s.push(Slice::new(
        24.0,
        vec![hline(0.0, ctx.width * 0.3, 14.0, 1.5, 0.0)],
    ));
    let header = Header {
        left: section.to_uppercase(),
        right: packet.to_owned(),
    };
    l.paginate(&s, Some(&header))
}

/// A notes page with writing lines, for the spare left-hand page in duplex.
pub fn notes(l: &mut Layouter) -> Vec<BodyPage> {
    let ctx = &mut l.ctx;
    let st = ctx.style(ctx.body.size * 1.3, true, false, 0.0);
    let mut s = ctx.paragraph(&inline("Notes"), &st, 0.0, 0.0);
    s.iter_mut().for_each(|x| x.keep_with_next = true);
    s.push(fill_lines(ctx.width, None));
    let header = Header {
        left: "NOTES".into(),
        right: String::new(),
    };
    l.paginate(&s, Some(&header))
}
