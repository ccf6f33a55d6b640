//! The structure tree: the display list's nodes → `StructElem` objects, and
//! the `/ParentTree` that leads from marked content and annotations back
//! to them.
//!
//! The page writer marks each node's text with an `/MCID` and reports the
//! node of each (`content`); annotations are given a `/StructParent` key as
//! they are written ([`Marks::annotation`]). Nodes nothing was placed in
//! are left out (a question repeated only when its lines are carried
//! over, say), except table cells, which keep the grid regular when empty.
//! Children are written in the model's order; a node with text of its own
//! and nodes inside (a paragraph with links) interleaves them in the order
//! they are printed.
//!
//! A table that runs over pages is written as one `Table` per page, each
//! with its header row (the first page's as laid out, the others' from the
//! header the page repeats) and the rows that begin on that page: checkers
//! and readers look for a table on the page its grid is drawn on, and a
//! repeated header is then the head of its page's table, not stray text.

use super::file::{int, num, reference, text_string, File, Refs};
use crate::layout::display::{Node, Role};
use pdf_writer::types::StructRole;
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Name, Rect, Ref};

/// What the pages and annotations marked, collected while writing them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    /// Each page's marked sequences: the node of each `/MCID`, and
    /// whether it repeats the node's text (a table header on a page the
    /// table continues on).
    pub pages: Vec<Vec<(u32, bool)>>,
    /// Annotations in a node: (annotation, page, node).
    annots: Vec<(Ref, usize, u32)>,
    /// Where each picture is drawn: node, and its box in PDF space.
    pub boxes: Vec<(u32, Rect)>,
}

impl Marks {
    /// The `/StructParent` key of an annotation on `page` belonging to
    /// `node`; keys after the pages' own.
    pub fn annotation(&mut self, annot: Ref, page: usize, node: u32, pages: usize) -> i32 {
        self.annots.push((annot, page, node));
        (pages + self.annots.len() - 1) as i32
    }
}

/// A child of a structure element.
#[derive(Clone, Copy)]
enum Kid {
    /// Marked content: page, MCID.
    Mcr(usize, i32),
    /// An annotation on a page.
    Objr(usize, Ref),
    /// Another element (an index into the elements written).
    Elem(usize),
}

/// A structure element as it will be written.
struct Elem {
    role: Role,
    /// `None`: the `Document` element.
    parent: Option<usize>,
    /// Children, each with where it is first printed (page << 32, then
    /// order on the page).
    kids: Vec<(u64, Kid)>,
    first: u64,
    /// A picture's box on its page.
    bbox: Option<Rect>,
}

/// Where a node's own marked content or annotation comes in print order.
fn seq(page: usize, at: u64) -> u64 {
    ((page as u64) << 32) + at
}

/// Writes the structure tree; returns the `/StructTreeRoot` and the next
/// free `/StructParent` key.
pub fn write(
    file: &mut File,
    refs: &mut Refs,
    tree: &[Node],
    marks: &Marks,
    pages: &[Ref],
) -> (Ref, i32) {
    let mut elems = elements(tree, marks);
    split_tables(&mut elems, tree, marks);

    let root = refs.next();
    let document = refs.next();
    let ids: Vec<Ref> = elems.iter().map(|_| refs.next()).collect();
    // Which element claims each page's MCIDs, for the parent tree.
    let mut claims: Vec<Vec<Option<Ref>>> =
        marks.pages.iter().map(|m| vec![None; m.len()]).collect();
    let mut top = Vec::new();
    for (i, e) in elems.iter().enumerate() {
        if e.parent.is_none() {
            top.push(ids[i]);
        }
        for (_, k) in &e.kids {
            if let Kid::Mcr(p, m) = k {
                claims[*p][*m as usize] = Some(ids[i]);
            }
        }
    }
    let mut scratch = Vec::with_capacity(256);
    for (i, el) in elems.iter().enumerate() {
        let parent = el.parent.map_or(document, |p| ids[p]);
        write_elem(file, &mut scratch, el, ids[i], parent, &ids, pages);
    }
    file.object(document, |c| {
        let mut e = c.struct_element(document);
        e.kind(StructRole::Document).parent(root);
        let mut k = e.children();
        for &t in &top {
            k.struct_element(t);
        }
    });

    // An annotation's element: the one that holds its OBJR.
    let mut annot_elem: Vec<(Ref, Ref)> = Vec::new();
    for (i, e) in elems.iter().enumerate() {
        for (_, k) in &e.kids {
            if let Kid::Objr(_, a) = k {
                annot_elem.push((*a, ids[i]));
            }
        }
    }
    annot_elem.sort_unstable_by_key(|a| a.0);
    let elem_of = |a: Ref| {
        (annot_elem.binary_search_by_key(&a, |x| x.0)).map_or(document, |i| annot_elem[i].1)
    };
    let next_key = (pages.len() + marks.annots.len()) as i32;
    file.object(root, |c| {
        let mut r = c.indirect(root).start::<StructTreeRoot>();
        r.child(document);
        r.role_map().insert(Name(b"Aside"), StructRole::Div);
        r.parent_tree_next_key(next_key);
        // The parent tree written out by hand: a page's entry is an array
        // in place, where pdf-writer's number tree would need an object
        // for each.
        let mut nums = r.insert(Name(b"ParentTree")).dict();
        let mut nums = nums.insert(Name(b"Nums")).array();
        for (page, claimed) in claims.iter().enumerate() {
            if claimed.is_empty() {
                continue;
            }
            nums.item(page as i32);
            nums.push()
                .array()
                .items(claimed.iter().map(|c| c.unwrap_or(document)));
        }
        for (k, (annot, _, _)) in marks.annots.iter().enumerate() {
            nums.item((pages.len() + k) as i32);
            nums.item(elem_of(*annot));
        }
    });
    (root, next_key)
}

/// The nodes that hold anything, as elements in reading order, with their
/// own content; a repeated header's content is left for `split_tables`.
fn elements(tree: &[Node], marks: &Marks) -> Vec<Elem> {
    let n = tree.len();
    // Every node's own content, in one list sorted by node and then by
    // print order (a list a node, for a packet of thousands, was a fifth
    // of the tree's cost).
    let mut own: Vec<(u32, u64, Kid)> = Vec::new();
    for (page, mcids) in marks.pages.iter().enumerate() {
        for (mcid, &(node, again)) in mcids.iter().enumerate() {
            if !again {
                let kid = Kid::Mcr(page, mcid as i32);
                own.push((node, seq(page, mcid as u64), kid));
            }
        }
    }
    for (k, &(annot, page, node)) in marks.annots.iter().enumerate() {
        // A page's annotations after its text.
        own.push((
            node,
            seq(page, (1 << 31) + k as u64),
            Kid::Objr(page, annot),
        ));
    }
    own.sort_unstable_by_key(|o| (o.0, o.1));
    let mut own_at = vec![0usize; n + 1];
    for o in &own {
        own_at[o.0 as usize + 1] += 1;
    }
    for i in 0..n {
        own_at[i + 1] += own_at[i];
    }
    let own_of = |i: usize| &own[own_at[i]..own_at[i + 1]];

    // Children come after their parent: one pass from the end finds what
    // holds anything and where each node is first printed.
    let mut first: Vec<u64> = (0..n)
        .map(|i| own_of(i).first().map_or(u64::MAX, |o| o.1))
        .collect();
    let mut keep: Vec<bool> = (0..n)
        .map(|i| !own_of(i).is_empty() || matches!(tree[i].role, Role::TD | Role::TH))
        .collect();
    let parent_of = |i: usize| tree[i].parent.map(|p| p as usize).filter(|&p| p < i);
    for i in (0..n).rev() {
        if let (Some(p), true) = (parent_of(i), keep[i]) {
            keep[p] = true;
            first[p] = first[p].min(first[i]);
        }
    }
    // Elements in node order, which is reading order (parents first).
    let mut index = vec![usize::MAX; n];
    let mut elems: Vec<Elem> = Vec::new();
    for i in (0..n).filter(|&i| keep[i]) {
        index[i] = elems.len();
        let parent = parent_of(i).map(|p| index[p]);
        let bbox = (marks.boxes.iter())
            .find(|b| b.0 as usize == i)
            .map(|b| b.1);
        elems.push(Elem {
            role: tree[i].role.clone(),
            parent,
            kids: own_of(i).iter().map(|o| (o.1, o.2)).collect(),
            first: first[i],
            bbox,
        });
    }
    // Children join their parent's own content in print order when it
    // has any (a paragraph with links), else in reading order.
    let mut mixed = vec![false; elems.len()];
    for (e, m) in mixed.iter_mut().enumerate() {
        *m = !elems[e].kids.is_empty();
    }
    for e in 0..elems.len() {
        if let Some(p) = elems[e].parent {
            let first = elems[e].first;
            elems[p].kids.push((first, Kid::Elem(e)));
        }
    }
    for (e, m) in mixed.into_iter().enumerate() {
        if m {
            elems[e].kids.sort_by_key(|k| k.0);
        }
    }
    elems
}

/// One `Table` per page a table is drawn on (see the module header).
fn split_tables(elems: &mut Vec<Elem>, tree: &[Node], marks: &Marks) {
    // Repeated header text: node → (page, MCID)s.
    let mut again: std::collections::HashMap<u32, Vec<(usize, i32)>> = Default::default();
    for (page, mcids) in marks.pages.iter().enumerate() {
        for (mcid, &(node, rep)) in mcids.iter().enumerate() {
            if rep {
                again.entry(node).or_default().push((page, mcid as i32));
            }
        }
    }
    if again.is_empty() {
        return;
    }
    // The header cells of each table, in order, by the node they were
    // laid out as (the elements do not keep node numbers: match by
    // order, both are in reading order).
    let th_nodes: Vec<u32> = (0..tree.len() as u32)
        .filter(|&i| tree[i as usize].role == Role::TH)
        .collect();
    let th_elems: Vec<usize> = (0..elems.len())
        .filter(|&i| elems[i].role == Role::TH)
        .collect();
    debug_assert_eq!(th_nodes.len(), th_elems.len(), "TH cells are always kept");
    let node_of: std::collections::HashMap<usize, u32> = th_elems
        .iter()
        .copied()
        .zip(th_nodes.iter().copied())
        .collect();

    let tables: Vec<usize> = (0..elems.len())
        .filter(|&i| elems[i].role == Role::Table)
        .collect();
    for table in tables {
        let kid = |elems: &Vec<Elem>, role: Role| {
            elems[table].kids.iter().find_map(|(_, k)| match k {
                Kid::Elem(e) if elems[*e].role == role => Some(*e),
                _ => None,
            })
        };
        let (Some(head), Some(body)) = (kid(elems, Role::THead), kid(elems, Role::TBody)) else {
            continue;
        };
        // The header cells, and each page their text is repeated on.
        let cells: Vec<usize> = elems[head]
            .kids
            .iter()
            .filter_map(|(_, k)| match k {
                Kid::Elem(tr) => Some(*tr),
                _ => None,
            })
            .flat_map(|tr| {
                elems[tr]
                    .kids
                    .iter()
                    .filter_map(|(_, k)| match k {
                        Kid::Elem(c) => Some(*c),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut repeats: std::collections::BTreeMap<usize, Vec<(usize, i32)>> = Default::default();
        for &c in &cells {
            let Some(node) = node_of.get(&c) else {
                continue;
            };
            for &(page, mcid) in again.get(node).map_or(&[][..], |v| v) {
                repeats.entry(page).or_default().push((c, mcid));
            }
        }
        let mut after = table;
        for (page, texts) in repeats {
            let parent = elems[table].parent;
            let at = seq(page, 0);
            let new = |elems: &mut Vec<Elem>, role: Role, parent: Option<usize>| {
                elems.push(Elem {
                    role,
                    parent,
                    kids: Vec::new(),
                    first: at,
                    bbox: None,
                });
                elems.len() - 1
            };
            let t = new(elems, Role::Table, parent);
            let h = new(elems, Role::THead, Some(t));
            let tr = new(elems, Role::TR, Some(h));
            for &c in &cells {
                let th = new(elems, Role::TH, Some(tr));
                let mut kids: Vec<(u64, Kid)> = texts
                    .iter()
                    .filter(|(cell, _)| *cell == c)
                    .map(|&(_, m)| (seq(page, m as u64), Kid::Mcr(page, m)))
                    .collect();
                kids.sort_by_key(|k| k.0);
                elems[th].kids = kids;
                elems[tr].kids.push((at, Kid::Elem(th)));
            }
            elems[h].kids.push((at, Kid::Elem(tr)));
            let b = new(elems, Role::TBody, Some(t));
            // The rows that begin on this page move to its table.
            let (moved, stay): (Vec<_>, Vec<_>) = elems[body]
                .kids
                .iter()
                .copied()
                .partition(|(first, _)| (first >> 32) as usize == page);
            elems[body].kids = stay;
            for (_, k) in &moved {
                if let Kid::Elem(row) = k {
                    elems[*row].parent = Some(b);
                }
            }
            elems[b].kids = moved;
            elems[t].kids = vec![(at, Kid::Elem(h)), (at, Kid::Elem(b))];
            // Next to the table it continues, in its parent's children.
            match parent {
                Some(p) => {
                    let pos = elems[p]
                        .kids
                        .iter()
                        .position(|(_, k)| matches!(k, Kid::Elem(e) if *e == after))
                        .map_or(elems[p].kids.len(), |i| i + 1);
                    elems[p].kids.insert(pos, (at, Kid::Elem(t)));
                }
                None => {
                    // A table at the top level: written in element order.
                }
            }
            after = t;
        }
    }
}

/// Writes one element. Written as bytes, not through pdf-writer's
/// writers: a packet has thousands, and the writers' checks on every name
/// cost more than the rest of the tree. `/Type /StructElem` is optional
/// and left out. Role names are the standard ones (`Aside` is mapped in
/// the role map).
fn write_elem(
    file: &mut File,
    b: &mut Vec<u8>,
    el: &Elem,
    id: Ref,
    parent: Ref,
    ids: &[Ref],
    pages: &[Ref],
) {
    // The page the element begins on goes on an element with content of
    // its own (its MCIDs there are written as plain numbers) and on a
    // table (checkers look for a table on the page its grid is drawn on);
    // other groups go without, to keep the tree small.
    let own = el.kids.iter().any(|(_, k)| !matches!(k, Kid::Elem(_)));
    let home = (el.first != u64::MAX && (own || el.role == Role::Table))
        .then_some((el.first >> 32) as usize);
    b.clear();
    b.extend_from_slice(b"<</S/");
    b.extend_from_slice(el.role.name().as_bytes());
    b.extend_from_slice(b"/P");
    reference(b, parent);
    if let Some(p) = home {
        b.extend_from_slice(b"/Pg");
        reference(b, pages[p]);
    }
    match &el.role {
        Role::L { numbered } => {
            let n: &[u8] = if *numbered { b"Decimal" } else { b"Disc" };
            b.extend_from_slice(b"/A<</O/List/ListNumbering/");
            b.extend_from_slice(n);
            b.extend_from_slice(b">>");
        }
        Role::TH => b.extend_from_slice(b"/A<</O/Table/Scope/Column>>"),
        Role::Sect { lang: Some(lang) } => {
            b.extend_from_slice(b"/Lang");
            text_string(b, lang);
        }
        Role::Figure { alt } => {
            b.extend_from_slice(b"/Alt");
            text_string(b, alt);
        }
        _ => {}
    }
    if let Some(r) = el.bbox {
        b.extend_from_slice(b"/A<</O/Layout/BBox[");
        for (k, v) in [r.x1, r.y1, r.x2, r.y2].into_iter().enumerate() {
            if k > 0 {
                b.push(b' ');
            }
            num(b, v);
        }
        b.extend_from_slice(b"]>>");
    }
    b.extend_from_slice(b"/K[");
    for (k, (_, kid)) in el.kids.iter().enumerate() {
        if k > 0 {
            b.push(b' ');
        }
        match *kid {
            Kid::Elem(c) => {
                reference(b, ids[c]);
            }
            Kid::Mcr(p, mcid) if Some(p) == home => int(b, mcid as u64),
            Kid::Mcr(p, mcid) => {
                b.extend_from_slice(b"<</Type/MCR/Pg");
                reference(b, pages[p]);
                b.extend_from_slice(b"/MCID ");
                int(b, mcid as u64);
                b.extend_from_slice(b">>");
            }
            Kid::Objr(p, annot) => {
                b.extend_from_slice(b"<</Type/OBJR/Obj");
                reference(b, annot);
                b.extend_from_slice(b"/Pg");
                reference(b, pages[p]);
                b.extend_from_slice(b">>");
            }
        }
    }
    b.extend_from_slice(b"]>>");
    file.raw(id, b);
}
