//! A packet's pages: cover, contents, section dividers, duplex notes pages
//! and the worksheets, numbered as one document.
//!
//! Steps: lay out every worksheet copy (a copy the model marks reusable is
//! laid out once and its pages kept for the next build) → lay out the
//! cover and count its pages → count the contents pages (their length does
//! not depend on the numbers in them) → place dividers and duplex notes
//! pages → lay out the contents with the real page numbers and links →
//! number every page and add the outline.

use super::blocks::{fill_lines, hline};
use super::display::{Document, Item, Node, OutlineEntry, Role};
use super::flow::Slice;
use super::furniture::Header;
use super::layouter::{BodyPage, Layouter};
use super::text::Missing;
use crate::model::packet::{Copy, Packet};
use crate::model::{Edition, Setup, Text};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most pages of worksheets in one packet: a bound on memory and time for
/// packets written to be hostile (each worksheet has bounds of its own).
pub const MAX_PAGES: usize = 5_000;

/// Pages of reusable worksheet copies, kept across the builds of one
/// packet (a quarter of a batch's time): by the model's reuse key, whether
/// fillable, and the paper.
#[derive(Default)]
pub struct Kept(Mutex<HashMap<KeptKey, Arc<KeptPages>>>);

type KeptKey = ((usize, Edition), bool, [u32; 2]);

struct KeptPages {
    pages: Vec<BodyPage>,
    /// The copy's structure, and the number of its first node when it
    /// was laid out (its pages' tags count from there).
    nodes: Vec<Node>,
    from: usize,
    /// Characters no face has, with the text they are in (for warnings).
    missing: Missing,
}

impl Kept {
    fn get(&self, key: &KeptKey) -> Option<Arc<KeptPages>> {
        let map = self.0.lock().expect("no panics while holding the lock");
        map.get(key).cloned()
    }

    fn keep(&self, key: KeptKey, pages: KeptPages) {
        let mut map = self.0.lock().expect("no panics while holding the lock");
        map.insert(key, Arc::new(pages));
    }
}

/// A packet laid out, or why it cannot be.
pub enum Outcome {
    Laid {
        doc: Box<Document>,
        warnings: Vec<String>,
    },
    /// More than [`MAX_PAGES`] pages of worksheets.
    TooLong(usize),
}

/// Lays out the whole packet; `fillable` makes answer spaces form fields.
pub fn layout(p: &Packet, setup: &Setup, fillable: bool, kept: &Kept) -> Outcome {
    let mut l = Layouter::new(setup);
    let paper = [setup.width.to_bits(), setup.height.to_bits()];
    // Each copy's pages and structure nodes, section by section.
    let mut laid: Vec<Vec<Laid>> = Vec::new();
    let mut total = 0;
    for s in &p.sections {
        let mut pages = Vec::new();
        for c in &s.copies {
            // Stop laying out as soon as the packet is too long.
            if total > MAX_PAGES {
                return Outcome::TooLong(total);
            }
            let one = copy(&mut l, c, fillable, paper, kept);
            total += one.pages.len();
            pages.push(one);
        }
        laid.push(pages);
    }
    if total > MAX_PAGES {
        return Outcome::TooLong(total);
    }
    let doc = bind(&mut l, p, setup, laid);
    Outcome::Laid {
        warnings: l.warnings(p.personal),
        doc: Box::new(doc),
    }
}

/// A worksheet copy laid out: its pages, and its nodes in the layouter's
/// tree.
struct Laid {
    pages: Vec<BodyPage>,
    nodes: std::ops::Range<usize>,
}

fn copy(l: &mut Layouter, c: &Copy, fillable: bool, paper: [u32; 2], kept: &Kept) -> Laid {
    let key = c.reuse.map(|r| (r, fillable, paper));
    let from = l.ctx.tree.len();
    if let Some(k) = key.as_ref().and_then(|k| kept.get(k)) {
        merge_missing(&mut l.ctx.missing, &k.missing);
        let by = l.ctx.tree.graft(&k.nodes, k.from);
        let mut pages = k.pages.clone();
        pages.iter_mut().for_each(|p| p.shift(by));
        return Laid {
            pages,
            nodes: from..l.ctx.tree.len(),
        };
    }
    l.fields(fillable.then(|| c.slug.clone()));
    // A copy kept for later builds keeps its own missing characters too,
    // to warn about them again.
    let before = key.map(|_| std::mem::take(&mut l.ctx.missing));
    let pages = l.worksheet(&c.worksheet, &Header::of(&c.worksheet));
    l.fields(None);
    if let (Some(key), Some(before)) = (key, before) {
        let missing = std::mem::replace(&mut l.ctx.missing, before);
        merge_missing(&mut l.ctx.missing, &missing);
        kept.keep(
            key,
            KeptPages {
                pages: pages.clone(),
                missing,
                nodes: l.ctx.tree.since(from).to_vec(),
                from,
            },
        );
    }
    Laid {
        pages,
        nodes: from..l.ctx.tree.len(),
    }
}

/// Adds `more` to `missing`; the text a character was first seen in stays.
fn merge_missing(missing: &mut Missing, more: &Missing) {
    for (c, text) in more {
        missing.entry(*c).or_insert_with(|| text.clone());
    }
}

/// A line of the contents.
struct Entry<'a> {
    title: &'a Text,
    /// A section heading rather than a worksheet.
    section: bool,
    /// Has a page number (worksheets; sections with a divider page).
    numbered: bool,
}

/// Cover, contents, dividers and notes around the laid-out worksheets.
fn bind(l: &mut Layouter, p: &Packet, setup: &Setup, laid: Vec<Vec<Laid>>) -> Document {
    // The worksheets were laid out first; their structure goes in again,
    // in reading order, after the cover and the contents.
    let sheets = l.ctx.tree.take();
    let cover = cover(l, p);
    let mut tree = std::mem::take(&mut l.ctx.tree);
    let mut entries = Vec::new();
    for s in &p.sections {
        entries.push(Entry {
            title: &s.title,
            section: true,
            numbered: p.dividers,
        });
        for c in &s.copies {
            entries.push(Entry {
                title: &c.title,
                section: false,
                numbered: true,
            });
        }
    }
    let numbered = entries.iter().filter(|e| e.numbered).count();
    let contents_len = contents(l, &entries, &vec![0; numbered]).len();
    l.ctx.tree.truncate(0);

    let mut body: Vec<BodyPage> = Vec::new();
    let mut starts = Vec::new(); // first page of each numbered entry
    let mut outline = vec![OutlineEntry {
        title: l.words.contents.clone(),
        page: cover.len(),
        children: Vec::new(),
    }];
    // Every count is of pages as laid out: a cover with long values can
    // run to a second page, and the contents to several.
    let first_body = cover.len() + contents_len;
    let at = |body: &Vec<BodyPage>| first_body + body.len();
    for (s, pages) in p.sections.iter().zip(laid) {
        let mut section = OutlineEntry {
            title: s.bookmark.clone(),
            page: usize::MAX,
            children: Vec::new(),
        };
        l.ctx.tree.open(Role::Part);
        if p.dividers {
            if p.duplex && at(&body) % 2 == 1 {
                body.extend(notes(l));
            }
            section.page = at(&body);
            starts.push(at(&body));
            body.extend(divider(l, &s.title));
        }
        for (c, laid) in s.copies.iter().zip(pages) {
            if p.duplex && at(&body) % 2 == 1 {
                body.extend(notes(l));
            }
            let start = at(&body);
            starts.push(start);
            if section.page == usize::MAX {
                section.page = start;
            }
            section.children.push(OutlineEntry {
                title: c.bookmark.clone(),
                page: start,
                children: Vec::new(),
            });
            let by = l
                .ctx
                .tree
                .graft(&sheets[laid.nodes.clone()], laid.nodes.start);
            let mut pages = laid.pages;
            pages.iter_mut().for_each(|p| p.shift(by));
            body.extend(pages);
        }
        l.ctx.tree.close();
        outline.push(section);
    }
    let body_tree = l.ctx.tree.take();
    let cover_len = cover.len();
    let mut all = cover;
    all.extend(contents(l, &entries, &starts));
    assert_eq!(all.len(), first_body, "the contents' length is fixed");
    all.extend(body);
    // Cover, contents, body: each part's nodes after the last's.
    let contents_tree = l.ctx.tree.take();
    for (nodes, pages) in [
        (contents_tree, cover_len..first_body),
        (body_tree, first_body..all.len()),
    ] {
        let by = tree.graft(&nodes, 0);
        all[pages].iter_mut().for_each(|p| p.shift(by));
    }
    let pages = l.finish(all);
    Document {
        title: p.title.clone(),
        subject: setup.words.packet_subject.clone(),
        author: setup.author.clone(),
        language: setup.language.clone(),
        page_link: setup.words.go_to_page.clone(),
        pages,
        outline,
        personal: p.personal,
        tree: tree.take(),
    }
}

/// The cover: title, subtitle, the couple's lines, edition, practice.
fn cover(l: &mut Layouter, p: &Packet) -> Vec<BodyPage> {
    let c = &p.cover;
    let ctx = &mut l.ctx;
    let size = ctx.body.size;
    ctx.tree.open(Role::Sect { lang: None });
    let mut s = ctx.logo_slice();
    s.push(Slice::new(
        if s.is_empty() { 110.0 } else { 60.0 },
        Vec::new(),
    ));
    let title = ctx.style(30.0, true, false, 0.0);
    s.extend(ctx.tagged(Role::H1, |ctx| ctx.balanced(&c.title, &title, 0.0, 0.0)));
    if let Some(sub) = &c.subtitle {
        let st = ctx.style(16.0, false, true, 0.25);
        s.extend(ctx.tagged(Role::P, |ctx| ctx.balanced(sub, &st, 0.0, 6.0)));
    }
    s.push(Slice::new(
        30.0,
        vec![hline(0.0, ctx.width * 0.4, 16.0, 1.5, 0.0)],
    ));
    let line_style = ctx.style(16.0, false, false, 0.0);
    for line in &c.lines {
        s.extend(ctx.tagged(Role::P, |ctx| {
            ctx.balanced(line, &line_style, 0.0, size * 0.9)
        }));
    }
    if let Some(e) = &c.edition {
        let st = ctx.style(13.0, true, false, 0.0);
        s.extend(ctx.tagged(Role::P, |ctx| ctx.balanced(e, &st, 0.0, size * 3.0)));
    }
    if let Some(practice) = &c.practice {
        let st = ctx.style(13.0, false, false, 0.25);
        s.extend(ctx.tagged(Role::P, |ctx| ctx.balanced(practice, &st, 0.0, size * 3.0)));
    }
    ctx.tree.close();
    l.paginate(&s, None)
}

/// The contents: one line per section and worksheet, with a dotted leader
/// to its page number and a link to that page. `starts` holds the 0-based
/// page of each numbered entry, in order.
fn contents(l: &mut Layouter, entries: &[Entry], starts: &[usize]) -> Vec<BodyPage> {
    let ctx = &mut l.ctx;
    let size = ctx.body.size;
    let head = ctx.style(22.0, true, false, 0.0);
    let mut s = ctx.tagged(Role::H1, |ctx| {
        ctx.paragraph(&Text::literal(&l.words.contents, false), &head, 0.0, 0.0)
    });
    s.last_mut().expect("a line").height += size;
    let number_room = 36.0;
    let mut next = starts.iter();
    ctx.tree.open(Role::TOC);
    for e in entries {
        let (style, indent, space) = if e.section {
            (ctx.style(size + 1.0, true, false, 0.0), 0.0, size * 1.1)
        } else {
            (ctx.body, size * 1.2, size * 0.35)
        };
        let lines = ctx.set(e.title, &style, ctx.width - indent - number_room - 12.0);
        let lh = style.line_height();
        let base = style.baseline();
        let page = if e.numbered {
            next.next().copied()
        } else {
            None
        };
        let n = lines.len();
        // An entry with a page number is a link to it, text and number.
        ctx.tree.open(Role::TOCI);
        let node = ctx
            .tree
            .leaf(if page.is_some() { Role::Link } else { Role::P });
        ctx.tree.close();
        for (i, line) in lines.iter().enumerate() {
            let mut items: Vec<Item> = line.placed(indent, base).collect();
            if let (true, Some(p)) = (i + 1 == n, page) {
                let num = ctx.label_kept(&(p + 1).to_string(), &style);
                let nx = ctx.width - num.width;
                items.extend(num.placed(nx, base));
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
                    tag: Default::default(),
                });
            }
            ctx.tree.claim(&mut items, node);
            let mut slice = Slice::new(lh, items);
            slice.keep_with_next = i + 1 < n || e.section;
            if i == 0 {
                slice.space_before = space;
            }
            s.push(slice);
        }
    }
    ctx.tree.close();
    // No running head over the contents or a divider, as a book has none
    // over a chapter's opening: the page's own title says what it is (and
    // a head read once is prose to checkers, not furniture). The footer
    // stays.
    l.paginate(&s, Some(&Header::default()))
}

/// A section's divider page.
fn divider(l: &mut Layouter, section: &Text) -> Vec<BodyPage> {
    let ctx = &mut l.ctx;
    let mut s = vec![Slice::new(180.0, Vec::new())];
    let st = ctx.style(34.0, true, false, 0.0);
    s.extend(ctx.tagged(Role::H1, |ctx| ctx.paragraph(section, &st, 0.0, 0.0)));
    s.push(Slice::new(
        24.0,
        vec![hline(0.0, ctx.width * 0.3, 14.0, 1.5, 0.0)],
    ));
    l.paginate(&s, Some(&Header::default()))
}

/// A notes page with writing lines, for the spare left-hand page in duplex.
fn notes(l: &mut Layouter) -> Vec<BodyPage> {
    let ctx = &mut l.ctx;
    let st = ctx.style(ctx.body.size * 1.3, true, false, 0.0);
    // Set below the band where running heads go: the same words at the
    // top of page after page read to a checker as an untagged header.
    let mut s = vec![Slice::new(36.0, Vec::new())];
    s.extend(ctx.tagged(Role::H1, |ctx| {
        ctx.paragraph(&Text::literal(&l.words.notes, false), &st, 0.0, 0.0)
    }));
    s.iter_mut().for_each(|x| x.keep_with_next = true);
    s.push(fill_lines(ctx.width, ctx.line, None));
    let header = Header {
        left: l.words.notes.to_uppercase(),
        right: String::new(),
        personal: false,
    };
    l.paginate(&s, Some(&header))
}
