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

use super::file::{File, Refs};
use crate::layout::display::{Node, Role};
use pdf_writer::types::{ListNumbering, StructRole, TableHeaderScope};
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Name, Ref, TextStr};

/// What the pages and annotations marked, collected while writing them.
#[derive(Default)]
pub struct Marks {
    /// Each page's marked sequences: the node of each `/MCID`.
    pub pages: Vec<Vec<u32>>,
    /// Annotations in a node: (annotation, page, node).
    annots: Vec<(Ref, usize, u32)>,
}

impl Marks {
    /// The `/StructParent` key of an annotation on `page` belonging to
    /// `node`; keys after the pages' own.
    pub fn annotation(&mut self, annot: Ref, page: usize, node: u32, pages: usize) -> i32 {
        self.annots.push((annot, page, node));
        (pages + self.annots.len() - 1) as i32
    }
}

/// The standard role of a node; `None` for `Aside`, written by name and
/// mapped to `Div` in the role map.
fn struct_role(role: &Role) -> Option<StructRole> {
    Some(match role {
        Role::Aside => return None,
        Role::Part => StructRole::Part,
        Role::Sect => StructRole::Sect,
        Role::H1 => StructRole::H1,
        Role::H2 => StructRole::H2,
        Role::P => StructRole::P,
        Role::L { .. } => StructRole::L,
        Role::LI => StructRole::LI,
        Role::Lbl => StructRole::Lbl,
        Role::LBody => StructRole::LBody,
        Role::Table => StructRole::Table,
        Role::THead => StructRole::THead,
        Role::TBody => StructRole::TBody,
        Role::TR => StructRole::TR,
        Role::TH => StructRole::TH,
        Role::TD => StructRole::TD,
        Role::BlockQuote => StructRole::BlockQuote,
        Role::TOC => StructRole::TOC,
        Role::TOCI => StructRole::TOCI,
        Role::Link => StructRole::Link,
        Role::Form => StructRole::Form,
        Role::Figure { .. } => StructRole::Figure,
    })
}

/// A child of a structure element.
#[derive(Clone, Copy)]
enum Kid {
    /// Marked content: page, MCID.
    Mcr(usize, i32),
    /// An annotation on a page.
    Objr(usize, Ref),
    Node(u32),
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
    let n = tree.len();
    // Each node's own content, with the order it is printed in.
    // (page, then MCID; a page's annotations after its text).
    let mut own: Vec<Vec<(u64, Kid)>> = vec![Vec::new(); n];
    for (page, mcids) in marks.pages.iter().enumerate() {
        for (mcid, &node) in mcids.iter().enumerate() {
            let seq = ((page as u64) << 32) + mcid as u64;
            own[node as usize].push((seq, Kid::Mcr(page, mcid as i32)));
        }
    }
    for (k, &(annot, page, node)) in marks.annots.iter().enumerate() {
        let seq = ((page as u64) << 32) + (1 << 31) + k as u64;
        own[node as usize].push((seq, Kid::Objr(page, annot)));
    }
    own.iter_mut().for_each(|o| o.sort_by_key(|k| k.0));

    // Children come after their parent: one pass from the end finds what
    // holds anything and where each node is first printed.
    let mut first: Vec<u64> = own
        .iter()
        .map(|o| o.iter().map(|k| k.0).min().unwrap_or(u64::MAX))
        .collect();
    let mut keep: Vec<bool> = (0..n)
        .map(|i| !own[i].is_empty() || matches!(tree[i].role, Role::TD | Role::TH))
        .collect();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut top = Vec::new();
    for i in (0..n).rev() {
        let Some(p) = tree[i].parent.map(|p| p as usize).filter(|&p| p < i) else {
            if keep[i] {
                top.push(i as u32);
            }
            continue;
        };
        if keep[i] {
            keep[p] = true;
            first[p] = first[p].min(first[i]);
            children[p].push(i as u32);
        }
    }
    top.reverse();
    children.iter_mut().for_each(|c| c.reverse());

    let root = refs.next();
    let document = refs.next();
    let ids: Vec<Option<Ref>> = keep.iter().map(|&k| k.then(|| refs.next())).collect();

    for i in (0..n).filter(|&i| keep[i]) {
        let id = ids[i].expect("kept");
        let parent = tree[i]
            .parent
            .and_then(|p| ids[p as usize])
            .unwrap_or(document);
        let mut kids: Vec<(u64, Kid)> = children[i]
            .iter()
            .map(|&c| (first[c as usize], Kid::Node(c)))
            .collect();
        if !own[i].is_empty() {
            kids.extend(own[i].iter().copied());
            kids.sort_by_key(|k| k.0);
        }
        // The page the element begins on goes on it (checkers look for
        // a table's or a list's page there), and its MCIDs on that page
        // are written as plain numbers.
        let home = (first[i] != u64::MAX).then_some((first[i] >> 32) as usize);
        file.object(id, |c| {
            let mut e = c.struct_element(id);
            match struct_role(&tree[i].role) {
                Some(role) => e.kind(role),
                None => e.custom_kind(Name(tree[i].role.name().as_bytes())),
            };
            e.parent(parent);
            if let Some(p) = home {
                e.page(pages[p]);
            }
            if let Role::Figure { alt } = &tree[i].role {
                e.alt(TextStr(alt));
            }
            match &tree[i].role {
                Role::L { numbered } => {
                    let numbering = if *numbered {
                        ListNumbering::Decimal
                    } else {
                        ListNumbering::Disc
                    };
                    e.attributes().push().list().list_numbering(numbering);
                }
                Role::TH => {
                    e.attributes()
                        .push()
                        .table()
                        .scope(TableHeaderScope::Column);
                }
                _ => {}
            }
            let mut k = e.children();
            for (_, kid) in kids {
                match kid {
                    Kid::Node(c) => {
                        k.struct_element(ids[c as usize].expect("kept"));
                    }
                    Kid::Mcr(p, mcid) if Some(p) == home => {
                        k.marked_content_id(mcid);
                    }
                    Kid::Mcr(p, mcid) => {
                        k.marked_content_ref()
                            .marked_content_id(mcid)
                            .page(pages[p]);
                    }
                    Kid::Objr(p, annot) => {
                        k.object_ref().object(annot).page(pages[p]);
                    }
                }
            }
        });
    }

    file.object(document, |c| {
        let mut e = c.struct_element(document);
        e.kind(StructRole::Document).parent(root);
        let mut k = e.children();
        for &t in &top {
            k.struct_element(ids[t as usize].expect("kept"));
        }
    });

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
        for (page, mcids) in marks.pages.iter().enumerate() {
            if mcids.is_empty() {
                continue;
            }
            nums.item(page as i32);
            nums.push()
                .array()
                .items(mcids.iter().map(|&m| ids[m as usize].expect("kept")));
        }
        for (k, &(_, _, node)) in marks.annots.iter().enumerate() {
            nums.item((pages.len() + k) as i32);
            nums.item(ids[node as usize].expect("kept"));
        }
    });
    (root, next_key)
}
