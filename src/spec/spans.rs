//! Where each key and value of a spec is in its file, as the parser saw it.
//!
//! serde_yaml gives a position only with its own errors; the values it
//! hands to serde carry none. So the file is also read as parser events
//! (saphyr-parser, the maintained parser the alias guard already uses) and
//! every node's place is recorded under its path (`blocks.3.to`). Semantic
//! errors found later, in validation, name the path of what they are about
//! and point at the exact key or value: the second `signature:`, the `to:`
//! of a scale, the `widths:` of a table. Recording positions beside the
//! serde types, instead of moving every spec type to a spanned
//! deserializer, keeps serde derive and every serde_yaml message and hint
//! exactly as they were (docs/performance.md says more).

pub use crate::diag::Pos;
use saphyr_parser::{Event, Parser};
use std::collections::HashMap;

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
/// alias guard (`aliases::MAX_NODES`), which runs first.
const MAX_RECORDED: usize = 300_000;

enum Open {
    /// A sequence and the index of its next item.
    Seq(usize),
    /// A mapping; `Some(key)` while its value is awaited.
    Map(Option<(String, Pos)>),
}

impl Spans {
    /// Reads the first document of `src`. A file the parser cannot read
    /// gives what was recorded before the problem (serde_yaml reports the
    /// problem itself).
    pub fn read(src: &str) -> Spans {
        let mut nodes = HashMap::new();
        let mut path: Vec<String> = Vec::new();
        let mut open: Vec<(Open, Pos, Option<Pos>)> = Vec::new();
        for ev in Parser::new_from_str(src) {
            let Ok((ev, span)) = ev else { break };
            let here = Pos {
                line: span.start.line(),
                col: span.start.col() + 1,
            };
            let end = Pos {
                line: span.end.line(),
                col: span.end.col() + 1,
            };
            match ev {
                Event::DocumentEnd | Event::StreamEnd => break,
                Event::Scalar(v, ..) => {
                    if let Some((Open::Map(pending @ None), ..)) = open.last_mut() {
                        *pending = Some((v.into_owned(), here));
                        continue;
                    }
                    let key = enter(&mut open, &mut path);
                    record(&mut nodes, &path, key, here, end);
                    leave(&mut path, !open.is_empty());
                }
                Event::Alias(_) => {
                    let key = enter(&mut open, &mut path);
                    record(&mut nodes, &path, key, here, end);
                    leave(&mut path, !open.is_empty());
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    if let Some((Open::Map(pending @ None), ..)) = open.last_mut() {
                        // A list or mapping as a key: nothing refers to it.
                        *pending = Some(("?".into(), here));
                    }
                    let key = enter(&mut open, &mut path);
                    let kind = match ev {
                        Event::SequenceStart(..) => Open::Seq(0),
                        _ => Open::Map(None),
                    };
                    open.push((kind, here, key));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some((_, start, key)) = open.pop() else {
                        break;
                    };
                    record(&mut nodes, &path, key, start, end);
                    leave(&mut path, !open.is_empty());
                }
                _ => {}
            }
            if nodes.len() >= MAX_RECORDED {
                break;
            }
        }
        Spans { nodes }
    }

    /// The node at `path`, if the file has it.
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
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
        let n = self.get(path)?;
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

/// Takes the key a mapping was waiting for, or the next index of a
/// sequence, onto `path`; returns the key's position.
fn enter(open: &mut [(Open, Pos, Option<Pos>)], path: &mut Vec<String>) -> Option<Pos> {
    match open.last_mut() {
        Some((Open::Map(pending), ..)) => {
            let (k, at) = pending
                .take()
                .unwrap_or_else(|| ("?".into(), Pos::default()));
            path.push(k);
            Some(at)
        }
        Some((Open::Seq(next), ..)) => {
            path.push(next.to_string());
            *next += 1;
            None
        }
        None => None,
    }
}

fn leave(path: &mut Vec<String>, nested: bool) {
    if nested {
        path.pop();
    }
}

fn record(nodes: &mut HashMap<Box<str>, Node>, path: &[String], key: Option<Pos>, s: Pos, e: Pos) {
    nodes.entry(path.join(".").into()).or_insert(Node {
        key,
        start: s,
        end: e,
    });
}

/// The byte offset of a position, if it is in `src`.
fn byte_at(src: &str, p: Pos) -> Option<usize> {
    let line_start = if p.line <= 1 {
        0
    } else {
        src.match_indices('\n').nth(p.line - 2)?.0 + 1
    };
    let line = &src[line_start..];
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
        let s = Spans::read(src);
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
        let s = Spans::read(src);
        assert_eq!(s.within(src, "b", "{{x"), Some(Pos { line: 2, col: 9 }));
        assert_eq!(s.within(src, "b", "nowhere"), Some(Pos { line: 2, col: 4 }));
    }

    #[test]
    fn unreadable_text_records_what_came_before() {
        let s = Spans::read("a: 1\nb: [\n");
        assert!(s.get("a").is_some());
    }
}
