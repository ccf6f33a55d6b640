//! Model text: styled runs parsed from inline markup, with where they came
//! from, and the public (name-free) wording of texts for places off the page.

use crate::diag::Pos;
use crate::placeholder::{substitute, Vars};
use std::ops::{Deref, DerefMut};

/// A stretch of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// Inline-styled text as printed: markup already parsed into runs, so
/// nothing after validation ever sees an asterisk of markup. `at` is where
/// the text is written in its spec (none for words the tool supplies).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    pub runs: Vec<Span>,
    pub at: Option<Pos>,
}

impl Deref for Text {
    type Target = Vec<Span>;
    fn deref(&self) -> &Vec<Span> {
        &self.runs
    }
}

impl DerefMut for Text {
    fn deref_mut(&mut self) -> &mut Vec<Span> {
        &mut self.runs
    }
}

impl Text {
    /// Words the tool supplies (a label, a role word), in one style, taken
    /// as they are: no markup is read from them.
    pub fn literal(s: &str, bold: bool) -> Text {
        let mut t = inline(&s.replace('*', "\\*"));
        t.runs.iter_mut().for_each(|r| r.bold = bold);
        t
    }

    /// The plain characters.
    pub fn plain(&self) -> String {
        plain(self)
    }

    /// Placed at `at` in its spec.
    pub fn located(mut self, at: Option<Pos>) -> Text {
        self.at = at;
        self
    }
}

/// Parses `**bold**` and `*italic*` (nestable); `\*` is a literal asterisk.
/// Whitespace runs collapse to one space, as in typeset prose.
pub fn inline(src: &str) -> Text {
    let mut spans: Vec<Span> = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut cur = String::new();
    let mut chars = src.chars().peekable();
    let mut last_space = true;
    let flush = |cur: &mut String, spans: &mut Vec<Span>, bold, italic| {
        if !cur.is_empty() {
            spans.push(Span {
                text: std::mem::take(cur),
                bold,
                italic,
            });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                cur.push('*');
                chars.next();
                last_space = false;
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                flush(&mut cur, &mut spans, bold, italic);
                bold = !bold;
            }
            '*' => {
                flush(&mut cur, &mut spans, bold, italic);
                italic = !italic;
            }
            c if c.is_whitespace() => {
                if !last_space {
                    cur.push(' ');
                }
                last_space = true;
            }
            c if c.is_control() => {}
            c => {
                cur.push(c);
                last_space = false;
            }
        }
    }
    flush(&mut cur, &mut spans, bold, italic);
    if let Some(last) = spans.last_mut() {
        let trimmed = last.text.trim_end().len();
        last.text.truncate(trimmed);
        if last.text.is_empty() {
            spans.pop();
        }
    }
    Text {
        runs: spans,
        at: None,
    }
}

/// The plain characters of styled text.
pub fn plain(text: &[Span]) -> String {
    text.iter().map(|s| s.text.as_str()).collect()
}

/// `s` as it may appear off the page: placeholders worded by
/// `public_vars` or dropped, markup removed, spaces tidied.
pub fn public_text(s: &str, public: &Vars) -> String {
    let (filled, _) = substitute(s, public, Some(""));
    plain(&inline(&filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_becomes_styled_spans() {
        let t = inline("Read  this **before**\nyour *session*.");
        let styles: Vec<_> = t
            .iter()
            .map(|s| (s.text.as_str(), s.bold, s.italic))
            .collect();
        assert_eq!(
            styles,
            [
                ("Read this ", false, false),
                ("before", true, false),
                (" your ", false, false),
                ("session", false, true),
                (".", false, false)
            ]
        );
        assert_eq!(plain(&inline(r"5 \* 3 ")), "5 * 3");
    }

    #[test]
    fn literal_words_keep_their_asterisks() {
        let t = Text::literal("A*B  C", true);
        assert_eq!(t.plain(), "A*B C");
        assert!(t.iter().all(|r| r.bold));
    }
}
