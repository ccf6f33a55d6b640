//! Pages and structure trees a roster batch has written before.
//!
//! Most pages of a packet are the same in every row's file: the worksheets
//! that do not print the names. Their compressed bytes were already made
//! once (`deflate::deflate_shared`), but every row still drew each page's
//! content stream to find them, a quarter of a row's instructions. Here
//! each worker keeps, for each page number, the last page it drew there,
//! and hands back that page's bytes when the next row's page is the same:
//! the same display items, the same [`Looks`] (marks, roles, languages,
//! pictures) and glyph codes that are the glyphs' own ids in both rows'
//! subsets. That is everything `content::page` reads, so the bytes are the
//! ones it would write; a page that differs in any of it is drawn afresh.
//! Pages are compared whole, never by a hash.
//!
//! Kept by page number: a row whose names push the worksheets a page on
//! draws them afresh (their compressed bytes are still found by
//! `deflate_shared`).
//!
//! The structure tree likewise: its dictionaries follow the layout's
//! shape, not the names, and were written for every row only to be found
//! to be the bytes compressed before. A worker keeps the last few trees
//! it wrote with all each was written from (the nodes, what the pages and
//! annotations marked, the pages' and its own first object numbers), and
//! writes the same dictionaries again when all of that is the same.
//!
//! What is kept lives in the worker's memory only, until it is replaced or
//! the batch ends: a kept cover holds a couple's names until two later
//! rows replace it, and nothing kept is written anywhere else.

use super::content::{self, Looks};
use super::embed::Subset;
use super::file::{File, Recording, Refs};
use super::tags::{self, Marks};
use crate::deflate::deflate_shared;
use crate::fonts::{self, Face};
use crate::layout::display::{Item, Node, Page};
use pdf_writer::Ref;
use std::cell::RefCell;
use std::sync::Arc;

/// The first pages of a packet are kept; one further on is drawn every
/// time. A page kept is its display list, a few kilobytes to a few dozen.
const PAGES: usize = 64;

/// A compressed content stream and the nodes of its marked sequences.
pub type Drawn = (Arc<[u8]>, Vec<(u32, bool)>);

struct Kept {
    page: Page,
    looks: Looks,
    level: u32,
    /// The glyphs each face sets on the page, sorted: in a subset whose
    /// codes for them are their ids, the codes written.
    glyphs: Vec<(Face, Vec<u16>)>,
    drawn: Drawn,
}

#[derive(Default)]
struct Slot {
    kept: Option<Kept>,
    /// Rows in succession that drew another page here. At two, the page
    /// kept is replaced (the packet's pages have moved on), so a page that
    /// changes in every row (a cover with names) is copied only every
    /// other row.
    misses: u8,
}

/// A structure tree written, with all it was written from.
struct KeptTree {
    first: Ref,
    tree: Vec<Node>,
    marks: Marks,
    pages: Vec<Ref>,
    objects: Recording,
    next: Ref,
    written: (Ref, i32),
}

thread_local! {
    static SLOTS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    /// The trees last written, the last met first.
    static TREES: RefCell<Vec<KeptTree>> = const { RefCell::new(Vec::new()) };
}

/// Drops this thread's store ([`super::forget_kept`]).
pub fn forget() {
    SLOTS.with_borrow_mut(|slots| slots.clear());
    TREES.with_borrow_mut(|trees| trees.clear());
}

/// Trees kept: a roster's names mark a few shapes of tree (a name read in
/// another language is a sequence of its own), which rows take in turn.
const TREES_KEPT: usize = 4;
/// A tree of more bytes than this (a packet of hundreds of pages) is not
/// kept: the memory a batch takes stays small whatever its packets.
const TREE_BYTES: usize = 1 << 20;

#[cfg(test)]
thread_local! {
    static HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Page number `at` of a batch file, drawn as `looks` says and compressed
/// at `level`: the bytes and marked sequences of the same page drawn
/// before in this worker, or drawn now.
pub fn page(at: usize, page: &Page, looks: Looks, subsets: &[Arc<Subset>], level: u32) -> Drawn {
    let codes_are_ids = |glyphs: &[(Face, Vec<u16>)]| {
        glyphs.iter().all(|(face, ids)| {
            subsets
                .iter()
                .any(|s| s.face() == *face && s.codes_are_ids(ids))
        })
    };
    if at < PAGES {
        let hit = SLOTS.with_borrow_mut(|slots| {
            let slot = slots.get_mut(at)?;
            let kept = slot.kept.as_ref()?;
            let same = kept.level == level
                && kept.looks == looks
                && kept.page == *page
                && codes_are_ids(&kept.glyphs);
            if !same {
                return None;
            }
            slot.misses = 0;
            Some((Arc::clone(&kept.drawn.0), kept.drawn.1.clone()))
        });
        if let Some(drawn) = hit {
            #[cfg(test)]
            HITS.set(HITS.get() + 1);
            return drawn;
        }
    }
    let mut mcids = Vec::new();
    let raw = content::page(page, &looks, subsets, &mut mcids);
    let data = deflate_shared(&raw, level);
    if at < PAGES {
        SLOTS.with_borrow_mut(|slots| {
            if slots.len() <= at {
                slots.resize_with(at + 1, Slot::default);
            }
            let slot = &mut slots[at];
            slot.misses = slot.misses.saturating_add(1);
            if slot.kept.is_some() && slot.misses < 2 {
                return;
            }
            // Only a page whose codes were ids is kept: its bytes then
            // hold for any row whose subsets have the same glyphs.
            let glyphs = glyphs(page);
            if codes_are_ids(&glyphs) {
                slot.kept = Some(Kept {
                    page: page.clone(),
                    looks,
                    level,
                    glyphs,
                    drawn: (Arc::clone(&data), mcids.clone()),
                });
                slot.misses = 0;
            }
        });
    }
    (data, mcids)
}

/// `tags::write` for a batch file: the structure tree's dictionaries,
/// written again from those this worker wrote last when they were written
/// from the same nodes, marks, pages and first object number.
pub fn tree(
    file: &mut File,
    refs: &mut Refs,
    tree: &[Node],
    marks: &Marks,
    pages: &[Ref],
) -> (Ref, i32) {
    let first = refs.0;
    let hit = TREES.with_borrow_mut(|kept| {
        let i = kept.iter().position(|k| {
            k.first == first && k.pages == pages && k.marks == *marks && k.tree == tree
        })?;
        let k = kept.remove(i);
        file.replay(&k.objects);
        refs.0 = k.next;
        let written = k.written;
        kept.insert(0, k);
        Some(written)
    });
    if let Some(written) = hit {
        #[cfg(test)]
        HITS.set(HITS.get() + 1);
        return written;
    }
    file.record();
    let written = tags::write(file, refs, tree, marks, pages);
    let objects = file.recorded();
    if objects.len() > TREE_BYTES {
        return written;
    }
    TREES.with_borrow_mut(|kept| {
        kept.truncate(TREES_KEPT - 1);
        kept.insert(
            0,
            KeptTree {
                first,
                tree: tree.to_vec(),
                marks: marks.clone(),
                pages: pages.to_vec(),
                objects,
                next: refs.0,
                written,
            },
        );
    });
    written
}

/// The glyphs each face sets on `page`, as `content::page` encodes them:
/// a shaped run's own, else each character's.
fn glyphs(page: &Page) -> Vec<(Face, Vec<u16>)> {
    let mut out: Vec<(Face, Vec<u16>)> = Vec::new();
    for item in &page.items {
        let Item::Text(t) = item else { continue };
        let i = match out.iter().position(|(f, _)| *f == t.face) {
            Some(i) => i,
            None => {
                out.push((t.face, Vec::new()));
                out.len() - 1
            }
        };
        let ids = &mut out[i].1;
        if t.glyphs.is_empty() {
            let m = fonts::metrics(t.face);
            ids.extend(t.text.chars().map(|c| m.glyph_id(c)));
        } else {
            ids.extend(t.glyphs.iter().map(|g| g.id));
        }
    }
    for (_, ids) in &mut out {
        ids.sort_unstable();
        ids.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deflate::deflate;
    use crate::layout::display::{Document, Node, Role};
    use crate::render::embed::{self, Codes, Usage};
    use crate::spec::config::{Config, Paper};
    use std::path::Path;

    fn document() -> Document {
        let src = "title: Slow breathing\nblocks:\n  - paragraph: \"Breathe in for four, out for six. Notice where the body softens.\"\n  - checklist: [\"I tried it\", \"It helped\"]\n";
        crate::compile_str(Path::new("w.yaml"), src, &Config::default(), Paper::Letter)
            .unwrap()
            .doc
    }

    /// The subsets a file of `doc` would have, with `extra` set in the
    /// regular face too (a row's names) and `drop` left out of it.
    fn subsets(doc: &Document, extra: &str, drop: Option<char>, codes: Codes) -> Vec<Arc<Subset>> {
        let mut usage = Usage::new();
        for item in doc.pages.iter().flat_map(|p| &p.items) {
            match item {
                Item::Text(t) if t.glyphs.is_empty() => {
                    let text: String = t.text.chars().filter(|&c| Some(c) != drop).collect();
                    usage.add(t.face, &text);
                }
                Item::Text(t) => usage.add_shaped(t),
                _ => {}
            }
        }
        usage.add(Face::Regular, extra);
        usage
            .faces()
            .into_iter()
            .map(|(face, chars, shaped, _)| embed::subset(face, &chars, &shaped, codes, false))
            .collect()
    }

    /// `tree` with its first paragraph made a heading.
    fn retold(tree: &[Node]) -> Vec<Node> {
        let mut retold = tree.to_vec();
        let n = retold
            .iter()
            .position(|n| n.role == Role::P)
            .expect("a paragraph");
        retold[n].role = Role::H2;
        retold
    }

    /// The page drawn afresh, as `content::page` and `deflate` make it.
    fn fresh(page: &Page, looks: &Looks, subsets: &[Arc<Subset>]) -> (Vec<u8>, Vec<(u32, bool)>) {
        let mut mcids = Vec::new();
        let raw = content::page(page, looks, subsets, &mut mcids);
        (deflate(&raw, 9), mcids)
    }

    #[test]
    fn a_page_is_reused_only_where_it_would_be_drawn_the_same() {
        let doc = document();
        let page = &doc.pages[0];
        let looks = |subsets: &[Arc<Subset>], tree: &[Node]| {
            content::looks(page, subsets, &[], tree, &doc.language)
        };
        // A slot of this test's own: the tests of this file may share a
        // thread.
        let at = 7;
        /// What is tried, the subsets and tree of the file, and whether
        /// the page kept is handed back.
        type Try<'a> = (&'a str, Vec<Arc<Subset>>, Vec<Node>, bool);
        let mut tries: Vec<Try> = Vec::new();
        let stable = subsets(&doc, "", None, Codes::Stable);
        tries.push(("first drawing", stable.clone(), doc.tree.clone(), false));
        tries.push(("the same again", stable.clone(), doc.tree.clone(), true));
        // A row whose names add letters: the page's codes are still ids.
        let named = subsets(&doc, "Zoë Ζωή Đặng", None, Codes::Stable);
        tries.push(("names add letters", named.clone(), doc.tree.clone(), true));
        // Codes that follow the subset: never the page kept.
        let compact = subsets(&doc, "", None, Codes::Compact);
        tries.push(("compact codes", compact, doc.tree.clone(), false));
        // A subset without a letter the page sets: its code is .notdef's.
        let lacking = subsets(&doc, "", Some('B'), Codes::Stable);
        tries.push(("a letter missing", lacking, doc.tree.clone(), false));
        tries.push(("back again", named.clone(), doc.tree.clone(), true));
        // Another role for a node the page marks.
        let retold = retold(&doc.tree);
        tries.push(("another role", named.clone(), retold, false));
        for (what, subsets, tree, reused) in tries {
            let looks = looks(&subsets, &tree);
            let before = HITS.get();
            let (data, mcids) = super::page(at, page, looks.clone(), &subsets, 9);
            assert_eq!(HITS.get() - before, usize::from(reused), "{what}: reused");
            let (want, want_mcids) = fresh(page, &looks, &subsets);
            assert!(*data == want[..], "{what}: the bytes differ");
            assert_eq!(mcids, want_mcids, "{what}: marked sequences");
        }
    }

    #[test]
    fn a_page_missed_twice_running_is_replaced() {
        let doc = document();
        let subsets = subsets(&doc, "", None, Codes::Stable);
        let looks = |p: &Page| content::looks(p, &subsets, &[], &doc.tree, &doc.language);
        let at = 11;
        let shifted = |dx: f32| {
            let mut p = doc.pages[0].clone();
            if let Some(Item::Text(t)) = p.items.iter_mut().find(|i| matches!(i, Item::Text(_))) {
                t.x += dx;
            }
            p
        };
        let (first, other, moved) = (&doc.pages[0], shifted(2.0), shifted(1.0));
        let before = HITS.get();
        let mut hits = Vec::new();
        for p in [first, &other, &moved, &moved, &moved, first, &moved] {
            super::page(at, p, looks(p), &subsets, 9);
            hits.push(HITS.get() - before);
        }
        // The first page is kept; two misses running (other, moved) put
        // moved in its place, met twice; the first page once between
        // does not displace it.
        assert_eq!(hits, [0, 0, 0, 1, 2, 2, 3]);
    }

    #[test]
    fn a_tree_is_written_again_only_from_the_same_nodes_marks_and_numbers() {
        let doc = document();
        let subsets = subsets(&doc, "", None, Codes::Stable);
        let mut marks = Marks::default();
        for p in &doc.pages {
            let looks = content::looks(p, &subsets, &[], &doc.tree, &doc.language);
            marks.pages.push(fresh(p, &looks, &subsets).1);
        }
        let pages: Vec<Ref> = (0..doc.pages.len() as i32)
            .map(|i| Ref::new(2 + i))
            .collect();
        let moved: Vec<Ref> = pages.iter().map(|r| Ref::new(r.get() + 1)).collect();
        // The whole file each way gives, its next number, and what the
        // writer returned.
        let write = |reuse: bool, first: i32, tree: &[Node], marks: &Marks, pages: &[Ref]| {
            let mut file = File::new(1024, 1, true);
            let mut refs = Refs(Ref::new(first));
            let written = if reuse {
                super::tree(&mut file, &mut refs, tree, marks, pages)
            } else {
                tags::write(&mut file, &mut refs, tree, marks, pages)
            };
            let next = refs.0;
            (
                file.finish(next, Ref::new(1), Ref::new(1), b"id"),
                next,
                written,
            )
        };
        let mut more = marks.clone();
        more.pages[0].push((0, false));
        let retold = retold(&doc.tree);
        /// What is tried, the first number, the nodes, the marks, the
        /// pages, and whether the tree kept is written again.
        type Try<'a> = (&'a str, i32, &'a [Node], &'a Marks, &'a [Ref], bool);
        // Each change alone, then the first tree again: still kept.
        let tries: [Try; 9] = [
            ("first", 10, &doc.tree, &marks, &pages, false),
            ("the same again", 10, &doc.tree, &marks, &pages, true),
            ("other numbers", 40, &doc.tree, &marks, &pages, false),
            ("back again", 10, &doc.tree, &marks, &pages, true),
            ("other pages", 10, &doc.tree, &marks, &moved, false),
            ("and back", 10, &doc.tree, &marks, &pages, true),
            ("a sequence more", 10, &doc.tree, &more, &pages, false),
            ("and back once more", 10, &doc.tree, &marks, &pages, true),
            ("another role", 10, &retold, &marks, &pages, false),
        ];
        for &(what, first, tree, marks, pages, reused) in &tries {
            let before = HITS.get();
            let got = write(true, first, tree, marks, pages);
            assert_eq!(HITS.get() - before, usize::from(reused), "{what}: reused");
            let want = write(false, first, tree, marks, pages);
            assert!(got.0 == want.0, "{what}: the bytes differ");
            assert_eq!((got.1, got.2), (want.1, want.2), "{what}");
        }
        // Met last, then four others written: no longer kept.
        write(true, 10, &doc.tree, &marks, &pages);
        let before = HITS.get();
        for first in 100..100 + TREES_KEPT as i32 {
            write(true, first, &doc.tree, &marks, &pages);
        }
        let got = write(true, 10, &doc.tree, &marks, &pages);
        assert_eq!(HITS.get(), before);
        assert!(got.0 == write(false, 10, &doc.tree, &marks, &pages).0);
    }
}
