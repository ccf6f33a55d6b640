//! Bounds on what a YAML file may make the parser do, checked as events
//! before serde sees the file: how far aliases expand, and how deep lists
//! and mappings nest.
//!
//! serde_yaml limits how often aliases are followed, not how much they
//! copy: nested anchors (`&a [*b, *b, …]`) double at every level, so a
//! 13 KB file once expanded to 52,000 pages and 1.4 GB. Here the file is
//! read as parser events (saphyr-parser) and the size of every anchored node
//! is added up each time an alias repeats it; past the limits the file is
//! refused at the alias that crosses them, before anything is built.

use crate::diag::Diagnostic;
use saphyr_parser::{Event, Parser, Span};
use std::collections::HashMap;
use std::path::Path;

/// Most nodes (scalars, lists, mappings) a spec may hold once expanded.
pub const MAX_NODES: u64 = 250_000;
/// Most bytes of scalar text a spec may hold once expanded.
pub const MAX_TEXT_BYTES: u64 = 4 << 20;

/// Deepest nesting of lists and mappings. Real specs use four or five
/// levels; the YAML scanner's work grows with the square of the depth, so
/// `[[[[…` a megabyte deep would run for an hour.
pub const MAX_DEPTH: usize = 32;

#[derive(Clone, Copy, Default)]
struct Size {
    nodes: u64,
    bytes: u64,
}

impl Size {
    fn add(&mut self, o: Size) {
        self.nodes = self.nodes.saturating_add(o.nodes);
        self.bytes = self.bytes.saturating_add(o.bytes);
    }
}

/// Refuses a file whose aliases expand past [`MAX_NODES`] or
/// [`MAX_TEXT_BYTES`].
pub fn check(path: &Path, src: &str) -> Result<(), Diagnostic> {
    check_with(path, src, |_, _| {})
}

/// [`check`], handing every event to `also` as it goes (the spans
/// recorder reads the file in the same pass).
pub fn check_with(
    path: &Path,
    src: &str,
    mut also: impl FnMut(&Event, &Span),
) -> Result<(), Diagnostic> {
    let mut anchors: HashMap<usize, Size> = HashMap::new();
    // Open lists and mappings: their anchor and size so far.
    let mut open: Vec<(usize, Size)> = Vec::new();
    let mut total = Size::default();
    for ev in Parser::new_from_str(src) {
        let (ev, span) = match ev {
            Ok(e) => e,
            Err(e) => return unreadable(path, src, &e),
        };
        also(&ev, &span);
        let (size, anchor) = match ev {
            Event::Scalar(v, _, anchor, _) => (
                Size {
                    nodes: 1,
                    bytes: v.len() as u64,
                },
                anchor,
            ),
            Event::Alias(id) => (anchors.get(&id).copied().unwrap_or_default(), 0),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(Diagnostic::error(
                        path,
                        format!("lists and mappings are nested more than {MAX_DEPTH} deep"),
                    )
                    .at(span.start.line(), span.start.col() + 1)
                    .hint("a worksheet needs only a few levels: blocks, their options, lists"));
                }
                open.push((anchor, Size { nodes: 1, bytes: 0 }));
                total.add(Size { nodes: 1, bytes: 0 });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, size) = open.pop().unwrap_or_default();
                if anchor != 0 {
                    anchors.insert(anchor, size);
                }
                if let Some(parent) = open.last_mut() {
                    parent.1.add(size);
                }
                continue;
            }
            _ => continue,
        };
        if anchor != 0 {
            anchors.insert(anchor, size);
        }
        if let Some(parent) = open.last_mut() {
            parent.1.add(size);
        }
        total.add(size);
        if total.nodes > MAX_NODES || total.bytes > MAX_TEXT_BYTES {
            let what = if total.nodes > MAX_NODES {
                format!("more than {MAX_NODES} values")
            } else {
                format!("more than {} MiB of text", MAX_TEXT_BYTES >> 20)
            };
            return Err(Diagnostic::error(
                path,
                format!("with its aliases (`*name`) repeated, this file would hold {what}"),
            )
            .at(span.start.line(), span.start.col() + 1)
            .hint("write the text out instead of repeating anchors inside anchors"));
        }
    }
    Ok(())
}

/// saphyr could not read the file. If the file has no anchors there is
/// nothing to expand, and serde_yaml reports the problem in its own words;
/// otherwise there is no safe way to read it.
fn unreadable(path: &Path, src: &str, e: &saphyr_parser::ScanError) -> Result<(), Diagnostic> {
    check_brackets(path, src)?;
    let has_anchor = src
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'&' && !w[1].is_ascii_whitespace());
    if !has_anchor {
        return Ok(());
    }
    Err(
        Diagnostic::error(path, format!("cannot read this YAML: {}", e.info()))
            .at(e.marker().line(), e.marker().col() + 1),
    )
}

/// Refuses `[`/`{` nested deeper than [`MAX_DEPTH`], counted on the bytes
/// before any parser runs: libyaml takes time with the square of that
/// depth, and a parser may hold every bracket before it reports one.
/// (Brackets in quotes count too, which no real spec or roster comes near.)
pub fn check_brackets(path: &Path, src: &str) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    for (i, b) in src.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            let (l, c) = crate::input::line_col(&src.as_bytes()[..i]);
            return Err(Diagnostic::error(
                path,
                format!("lists and mappings are nested more than {MAX_DEPTH} deep"),
            )
            .at(l, c)
            .hint("a worksheet needs only a few levels: blocks, their options, lists"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bomb(levels: usize) -> String {
        let mut s = String::from("a0: &a0 [\"xxxxxxxxxx\"]\n");
        for i in 1..=levels {
            let j = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}]\n"
            ));
        }
        s
    }

    #[test]
    fn nested_anchors_are_refused_at_the_alias_that_crosses_the_limit() {
        let e = check(Path::new("b.yaml"), &bomb(9)).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
        let line = e.line_col.unwrap().0;
        assert!((5..=10).contains(&line), "line {line}");
    }

    #[test]
    fn deep_nesting_is_refused_early_even_where_it_never_closes() {
        for src in [
            format!("title: T\nblocks: {}\n", "[".repeat(100_000)),
            format!("title: T\nblocks: {}x{}\n", "[".repeat(40), "]".repeat(40)),
            format!(
                "title: T\nblocks:\n{}",
                (0..40)
                    .map(|i| format!("{}- \n", "  ".repeat(i)))
                    .collect::<String>()
            ),
        ] {
            let e = check(Path::new("d.yaml"), &src).unwrap_err();
            assert!(e.message.contains("nested more than"), "{}", e.message);
        }
    }

    #[test]
    fn modest_aliases_and_plain_files_pass() {
        assert!(check(Path::new("a.yaml"), &bomb(3)).is_ok());
        let lib = std::fs::read_to_string("worksheets/demo/every-block.yaml").unwrap();
        assert!(check(Path::new("d.yaml"), &lib).is_ok());
        // Broken YAML without anchors is left to serde_yaml's messages.
        assert!(check(Path::new("x.yaml"), "title: [\nAna & Bo").is_ok());
    }
}
