//! Where each key and value of a spec is in its file, as the parser saw it.
//!
//! serde_yaml gives a position only with its own errors; the values it
//! hands to serde carry none. So the file is also read as parser events
//! (saphyr-parser, in the same pass as the alias guard) and every node's
//! place is recorded under its path (`blocks.3.to`). Semantic
//! errors found later, in validation, name the path of what they are about
//! and point at the exact key or value: the second `signature:`, the `to:`
//! of a scale, the `widths:` of a table. Recording positions beside the
//! serde types, instead of moving every spec type to a spanned
//! deserializer, keeps serde derive and every serde_yaml message and hint
//! exactly as they were (docs/performance.md says more).

use crate::diag::Diagnostic;
pub use crate::diag::Pos;
use saphyr_parser::{Event, Span};
use std::collections::HashMap;
use std::path::Path;

/// A node: where its key is (for mapping values), and where its value
/// starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub key: Option<Pos>,
    pub start: Pos,
    pub end: Pos,
}

/// The places of a spec's nodes by path: keys and sequence indices joined
/// with `.` (`sections.0.worksheets.2`, `blocks.4.signature`). The root
/// is the empty path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spans {
    nodes: HashMap<Box<str>, Node>,
}

/// Most nodes recorded: far beyond a real spec, and bounded anyway by the
/// alias guard (`aliases::MAX_NODES`), which runs in the same pass.
const MAX_RECORDED: usize = 300_000;

enum Open {
    /// A sequence and the index of its next item.
    Seq(usize),
    /// A mapping; `Some(key)` while its value is awaited.
    Map(Option<(String, Pos)>),
    /// A list or mapping written as a key (`? [a, b]: …`): nothing refers
    /// to what is inside; its mapping awaits the value once it closes.
    Key(u32),
}

/// Records node positions from parser events, one at a time, so the alias
/// guard's pass over the file fills it as it goes.
#[derive(Default)]
pub struct Recorder {
    nodes: HashMap<Box<str>, Node>,
    /// The current path, and where each of its segments starts.
    path: String,
    marks: Vec<usize>,
    /// Open lists and mappings: what they are, where they start, and the
    /// position of the key they are the value of.
    open: Vec<(Open, Pos, Option<Pos>)>,
    done: bool,
}

impl Recorder {
    /// Takes one event; after the first document the rest are ignored.
    pub fn event(&mut self, ev: &Event, span: &Span) {
        if self.done {
            return;
        }
        let here = Pos {
            line: span.start.line(),
            col: span.start.col() + 1,
        };
        let end = Pos {
            line: span.end.line(),
            col: span.end.col() + 1,
        };
        match ev {
            Event::DocumentEnd | Event::StreamEnd => self.done = true,
            Event::Scalar(..) | Event::Alias(_)
                if matches!(self.open.last(), Some((Open::Key(_), ..))) => {}
            Event::Scalar(v, ..) => {
                if let Some((Open::Map(pending @ None), ..)) = self.open.last_mut() {
                    *pending = Some((v.to_string(), here));
                    return;
                }
                let key = self.enter();
                self.record(key, here, end);
                self.leave();
            }
            Event::Alias(_) => {
                if let Some((Open::Map(pending @ None), ..)) = self.open.last_mut() {
                    // An alias as a key (`*k: v`).
                    *pending = Some(("?".into(), here));
                    return;
                }
                let key = self.enter();
                self.record(key, here, end);
                self.leave();
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                match self.open.last_mut() {
                    Some((Open::Key(depth), ..)) => {
                        *depth += 1;
                        return;
                    }
                    Some((Open::Map(None), ..)) => {
                        self.open.push((Open::Key(0), here, None));
                        return;
                    }
                    _ => {}
                }
                let key = self.enter();
                let kind = match ev {
                    Event::SequenceStart(..) => Open::Seq(0),
                    _ => Open::Map(None),
                };
                self.open.push((kind, here, key));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((Open::Key(depth), ..)) = self.open.last_mut() {
                    if *depth > 0 {
                        *depth -= 1;
                        return;
                    }
                    self.open.pop();
                    if let Some((Open::Map(pending), ..)) = self.open.last_mut() {
                        *pending = Some(("?".into(), here));
                    }
                    return;
                }
                let Some((_, start, key)) = self.open.pop() else {
                    self.done = true;
                    return;
                };
                self.record(key, start, end);
                self.leave();
            }
            _ => {}
        }
        if self.nodes.len() >= MAX_RECORDED {
            self.done = true;
        }
    }

    pub fn finish(self) -> Spans {
        Spans { nodes: self.nodes }
    }

    /// Takes the key a mapping was waiting for, or the next index of a
    /// sequence, onto the path; returns the key's position.
    fn enter(&mut self) -> Option<Pos> {
        let (seg, key) = match self.open.last_mut() {
            Some((Open::Map(pending), ..)) => {
                let (k, at) = pending
                    .take()
                    .unwrap_or_else(|| ("?".into(), Pos::default()));
                (k, Some(at))
            }
            Some((Open::Seq(next), ..)) => {
                *next += 1;
                ((*next - 1).to_string(), None)
            }
            Some((Open::Key(_), ..)) | None => return None,
        };
        self.marks.push(self.path.len());
        if self.marks.len() > 1 {
            self.path.push('.');
        }
        self.path.push_str(&seg);
        key
    }

    /// Back to the parent's path once a node is recorded.
    fn leave(&mut self) {
        if let Some(m) = self.marks.pop() {
            self.path.truncate(m);
        }
    }

    fn record(&mut self, key: Option<Pos>, start: Pos, end: Pos) {
        if !self.nodes.contains_key(self.path.as_str()) {
            let node = Node { key, start, end };
            self.nodes.insert(self.path.as_str().into(), node);
        }
    }
}

impl Spans {
    /// Reads the first document of `src`, with the alias guard's limits
    /// checked in the same pass (see [`super::aliases::check`]). A file the
    /// parser cannot read gives what was recorded before the problem
    /// (serde_yaml then reports the problem in its own words).
    pub fn read(path: &Path, src: &str) -> Result<Spans, Diagnostic> {
        let mut r = Recorder::default();
        super::aliases::check_with(path, src, |ev, span| r.event(ev, span))?;
        Ok(r.finish())
    }

    /// The node at exactly `path`, if the file has it.
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// The node at `path`, or else its nearest ancestor the file has: a
    /// block given by an alias (`- *rating`) has no nodes of its own under
    /// it, and an error in it points at the alias.
    pub fn nearest(&self, mut path: &str) -> Option<&Node> {
        loop {
            if let Some(n) = self.nodes.get(path) {
                return Some(n);
            }
            path = path.rsplit_once('.')?.0;
        }
    }

    /// Where the key at `path` is written (`to:` of `blocks.2.to`); for a
    /// list item, where the item starts.
    pub fn key(&self, path: &str) -> Option<Pos> {
        self.get(path).map(|n| n.key.unwrap_or(n.start))
    }

    /// Where the value at `path` starts.
    pub fn value(&self, path: &str) -> Option<Pos> {
        self.get(path).map(|n| n.start)
    }

    /// Where `needle` is within the value at `path` (a placeholder inside a
    /// text), or where the value starts if the text as written does not
    /// hold it verbatim (escapes, folded lines).
    pub fn within(&self, src: &str, path: &str, needle: &str) -> Option<Pos> {
        let n = self.nearest(path)?;
        let (Some(a), Some(b)) = (byte_at(src, n.start), byte_at(src, n.end)) else {
            return Some(n.start);
        };
        let found = src
            .get(a..b.max(a))
            .and_then(|s| s.find(needle.lines().next().unwrap_or("")))
            .filter(|_| !needle.is_empty());
        Some(match found {
            Some(i) => pos_of(src, a + i),
            None => n.start,
        })
    }
}

/// The byte offset of a position, if it is in `src`.
fn byte_at(src: &str, p: Pos) -> Option<usize> {
    let line_start = if p.line <= 1 {
        0
    } else {
        src.match_indices('\n').nth(p.line - 2)?.0 + 1
    };
    // A column past the end of its line stays on that line.
    let line = &src[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let col = line
        .char_indices()
        .nth(p.col - 1)
        .map_or(line.len(), |(i, _)| i);
    Some(line_start + col)
}

fn pos_of(src: &str, byte: usize) -> Pos {
    let (line, col) = crate::input::line_col(&src.as_bytes()[..byte]);
    Pos { line, col }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_found_by_path() {
        let src = "title: T\nblocks:\n  - signature: [a]\n  - scale: How?\n    from: 0\n    to: 40\n  - signature: [a, b, c, d, e]\n";
        let s = Spans::read(Path::new("w.yaml"), src).unwrap();
        assert_eq!(s.key("title"), Some(Pos { line: 1, col: 1 }));
        assert_eq!(s.value("title"), Some(Pos { line: 1, col: 8 }));
        assert_eq!(s.key("blocks.1.to"), Some(Pos { line: 6, col: 5 }));
        assert_eq!(s.key("blocks.2.signature"), Some(Pos { line: 7, col: 5 }));
        assert_eq!(
            s.value("blocks.2.signature.4"),
            Some(Pos { line: 7, col: 29 })
        );
        assert_eq!(s.key("blocks.2"), Some(Pos { line: 7, col: 5 }));
    }

    #[test]
    fn a_needle_is_found_inside_its_value_only() {
        let src = "a: \"{{x}} here\"\nb: \"and {{x}} there\"\n";
        let s = Spans::read(Path::new("w.yaml"), src).unwrap();
        assert_eq!(s.within(src, "b", "{{x"), Some(Pos { line: 2, col: 9 }));
        assert_eq!(s.within(src, "b", "nowhere"), Some(Pos { line: 2, col: 4 }));
    }

    #[test]
    fn keys_that_are_aliases_or_lists_do_not_shift_later_paths() {
        let src = "k: &k name\nm:\n  *k : 1\n  ? [a, {b: c}]\n  : 2\n  after: 3\n";
        let s = Spans::read(Path::new("w.yaml"), src).unwrap();
        assert_eq!(s.key("m.after"), Some(Pos { line: 6, col: 3 }));
        assert_eq!(s.value("m.after"), Some(Pos { line: 6, col: 10 }));
    }

    #[test]
    fn a_path_under_an_alias_points_at_the_alias() {
        let src = "a: &b {to: 40}\nblocks:\n  - *b\n";
        let s = Spans::read(Path::new("w.yaml"), src).unwrap();
        assert_eq!(
            s.nearest("blocks.0.to").map(|n| n.start),
            Some(Pos { line: 3, col: 5 })
        );
        assert!(s.key("blocks.0.to").is_none());
    }

    #[test]
    fn unreadable_text_records_what_came_before() {
        let s = Spans::read(Path::new("w.yaml"), "a: 1\nb: [\n").unwrap();
        assert!(s.get("a").is_some());
    }
}
