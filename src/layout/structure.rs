//! The logical structure, built beside the layout: a node is opened for
//! each thing the model holds (a worksheet, a heading, a list item, a
//! table cell) as it is laid out, and the text runs, links and fields laid
//! out inside it are claimed for it. Reading order is the model's order,
//! whatever order the page draws things in: both `partners` columns set
//! side by side read partner A's, then partner B's.

use super::display::{Item, Node, Role, Tag};

/// Nodes in reading order, and the ones open now (innermost last).
#[derive(Debug, Default, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
    open: Vec<u32>,
}

impl Tree {
    /// Opens a node inside the innermost open one; what is opened next
    /// goes inside it until [`Tree::close`].
    pub fn open(&mut self, role: Role) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            role,
            parent: self.open.last().copied(),
        });
        self.open.push(id);
        id
    }

    pub fn close(&mut self) {
        self.open.pop();
    }

    /// A node with nothing opened inside it.
    pub fn leaf(&mut self, role: Role) -> u32 {
        let id = self.open(role);
        self.close();
        id
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Forgets the nodes from `len` on (a layout done only to count its
    /// pages).
    pub fn truncate(&mut self, len: usize) {
        self.nodes.truncate(len);
        self.open.retain(|&n| (n as usize) < len);
    }

    /// The nodes from `from` on (a worksheet copy's, to keep for reuse).
    pub fn since(&self, from: usize) -> &[Node] {
        &self.nodes[from..]
    }

    /// Gives every unclaimed item of `items` to `node`. Runs of a link's
    /// text (and the link areas after them, in the same order) go to a
    /// `Link` node of their own inside it, one per link on a line.
    pub fn claim(&mut self, items: &mut [Item], node: u32) {
        let mut links: Vec<u32> = Vec::new();
        let mut in_link = false;
        let mut next_area = 0;
        for item in items.iter_mut() {
            let text = matches!(item, Item::Text(_));
            let Some(tag) = item.tag_mut() else {
                in_link = false;
                continue;
            };
            match *tag {
                Tag::Unset => {
                    *tag = Tag::Node(node);
                    in_link = false;
                }
                Tag::Link if text => {
                    if !in_link {
                        let id = self.nodes.len() as u32;
                        self.nodes.push(Node {
                            role: Role::Link,
                            parent: Some(node),
                        });
                        links.push(id);
                    }
                    in_link = true;
                    *tag = Tag::Node(*links.last().expect("a link"));
                }
                Tag::Link => {
                    // The link area of the next link whose text was seen.
                    let at = next_area.min(links.len().saturating_sub(1));
                    match links.get(at) {
                        Some(&l) => *tag = Tag::Node(l),
                        None => *tag = Tag::Node(node),
                    }
                    next_area += 1;
                    in_link = false;
                }
                _ => in_link = false,
            }
        }
    }

    /// Copies `nodes` (another layout's, whose top level had no parent) in
    /// under the innermost open node; returns what to add to the copied
    /// items' tags ([`shift`]).
    pub fn graft(&mut self, nodes: &[Node], from: usize) -> u32 {
        let base = self.nodes.len() as u32;
        let offset = base - from as u32;
        let top = self.open.last().copied();
        self.nodes.reserve(nodes.len());
        for n in nodes {
            let parent = match n.parent {
                Some(p) if p as usize >= from => Some(p + offset),
                _ => top,
            };
            self.nodes.push(Node {
                role: n.role.clone(),
                parent,
            });
        }
        offset
    }

    /// The finished structure.
    pub fn take(&mut self) -> Vec<Node> {
        self.open.clear();
        std::mem::take(&mut self.nodes)
    }
}

/// Moves every node tag of `items` on by `by` (items of a kept copy put
/// into a new tree by [`Tree::graft`]).
pub fn shift(items: &mut [Item], by: u32) {
    for item in items {
        if let Some(Tag::Node(n) | Tag::Again(n)) = item.tag_mut() {
            *n += by;
        }
    }
}

/// Marks the text of `items` as a repeat of what it was laid out as (a
/// table's header row on a page the table continues on).
pub fn again(items: &mut [Item]) {
    for item in items {
        if let Some(tag) = item.tag_mut() {
            if let Tag::Node(n) = *tag {
                *tag = Tag::Again(n);
            }
        }
    }
}

/// Marks the text of `items` as page furniture.
pub fn artifacts(items: &mut [Item]) {
    for item in items {
        if let Some(tag) = item.tag_mut() {
            *tag = Tag::Artifact;
        }
    }
}

/// Ends a text run with a space where the next run of the same node on
/// the same line stands apart from it (numbers in a row of circles, a
/// contents entry and its page number), so that the node's text, read
/// or copied, keeps them apart as words. The space is not measured and
/// prints nothing.
pub fn spaced(items: &mut [Item]) {
    let mut prev: Option<usize> = None;
    for i in 0..items.len() {
        let Item::Text(t) = &items[i] else { continue };
        if let Some(p) = prev {
            if let Item::Text(a) = &items[p] {
                let apart = a.tag == t.tag
                    && matches!(t.tag, Tag::Node(_))
                    && (a.y - t.y).abs() < 0.5
                    && (t.x - (a.x + a.width)).abs() > a.size * 0.1
                    && !a.text.ends_with(char::is_whitespace)
                    && !t.text.starts_with(char::is_whitespace);
                if apart {
                    if let Item::Text(a) = &mut items[p] {
                        a.text = format!("{} ", a.text).into();
                    }
                }
            }
        }
        prev = Some(i);
    }
}
