//! Model text: styled runs parsed from inline markup, with where they came
//! from, and the public (name-free) wording of texts for places off the page.

use crate::diag::Pos;
use crate::placeholder::{pieces, substitute, Piece, Vars};
use std::ops::{Deref, DerefMut};

/// A stretch of text in one style.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Filled in from a placeholder (a client's name): set as written,
    /// never hyphenated and never made a link, which would copy it off the
    /// page.
    pub value: bool,
    /// A web address written in the text: it breaks only after its
    /// punctuation and is a link to itself.
    pub link: bool,
}

impl Span {
    /// Where a link span points: the address as written, with `https://`
    /// before a bare `www.` or domain and `mailto:` before an email
    /// address, and anything not plain ASCII percent-encoded (a PDF link is
    /// ASCII).
    pub fn uri(&self) -> Option<String> {
        self.link.then(|| {
            let t = &self.text;
            let scheme = if t.starts_with("http://") || t.starts_with("https://") {
                ""
            } else if t.contains('@') && !t.contains('/') {
                "mailto:"
            } else {
                "https://"
            };
            let mut uri = String::from(scheme);
            for b in self.text.bytes() {
                if b.is_ascii_graphic() {
                    uri.push(char::from(b));
                } else {
                    uri.push_str(&format!("%{b:02X}"));
                }
            }
            uri
        })
    }
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
        let mut b = Inline::new();
        b.bold = bold;
        b.literal(s);
        b.finish()
    }

    /// A placeholder's value set on its own (a name as a column heading),
    /// in one style: see [`Span::value`].
    pub fn value(s: &str, bold: bool) -> Text {
        let mut b = Inline::new();
        b.bold = bold;
        b.value(s);
        b.finish()
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

/// Builds model text from pieces: markup written in a spec, words the
/// tool supplies, and values filled into placeholders. Whitespace runs
/// collapse to one space across pieces, as in typeset prose.
#[derive(Default)]
pub struct Inline {
    spans: Vec<Span>,
    cur: String,
    bold: bool,
    italic: bool,
    value: bool,
    /// The last character pushed was a space (or nothing was pushed).
    space: bool,
}

impl Inline {
    pub fn new() -> Inline {
        Inline {
            space: true,
            ..Inline::default()
        }
    }

    /// `**bold**` and `*italic*` (nestable); `\*` is a literal asterisk.
    pub fn markup(&mut self, src: &str) -> &mut Self {
        self.set_value(false);
        let mut chars = src.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'*') => {
                    chars.next();
                    self.push('*');
                }
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    self.flush();
                    self.bold = !self.bold;
                }
                '*' => {
                    self.flush();
                    self.italic = !self.italic;
                }
                c => self.push(c),
            }
        }
        self
    }

    /// Words taken as they are, in the current style.
    pub fn literal(&mut self, s: &str) -> &mut Self {
        self.set_value(false);
        s.chars().for_each(|c| self.push(c));
        self
    }

    /// A placeholder's value: taken as it is, and marked as a value.
    pub fn value(&mut self, s: &str) -> &mut Self {
        self.set_value(true);
        s.chars().for_each(|c| self.push(c));
        self.set_value(false);
        self
    }

    fn set_value(&mut self, v: bool) {
        if self.value != v {
            self.flush();
            self.value = v;
        }
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            if !self.space {
                self.cur.push(' ');
            }
            self.space = true;
        } else if !c.is_control() {
            self.cur.push(c);
            self.space = false;
        }
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            let span = Span {
                text: std::mem::take(&mut self.cur),
                bold: self.bold,
                italic: self.italic,
                value: self.value,
                link: false,
            };
            if self.value {
                self.spans.push(span);
            } else {
                split_links(span, &mut self.spans);
            }
        }
    }

    pub fn finish(mut self) -> Text {
        self.flush();
        if let Some(last) = self.spans.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
            if last.text.is_empty() {
                self.spans.pop();
            }
        }
        Text {
            runs: self.spans,
            at: None,
        }
    }
}

/// Parses `**bold**` and `*italic*` (nestable); `\*` is a literal asterisk.
/// Whitespace runs collapse to one space, as in typeset prose.
pub fn inline(src: &str) -> Text {
    let mut b = Inline::new();
    b.markup(src);
    b.finish()
}

/// `s` with its placeholders filled from `vars`, each value a value span
/// (see [`Span::value`]); an undefined one becomes `blank` if given, else
/// stays as written. Returns the undefined names too.
pub fn fill(s: &str, vars: &Vars, blank: Option<&str>) -> (Text, Vec<String>) {
    let mut b = Inline::new();
    let mut missing = Vec::new();
    for piece in pieces(s) {
        match piece {
            Piece::Text(t) => {
                b.markup(t);
            }
            Piece::Placeholder { name, whole } => match vars.get(name) {
                Some(v) => {
                    b.value(v);
                }
                None => {
                    if !missing.iter().any(|m| m == name) {
                        missing.push(name.to_owned());
                    }
                    b.markup(blank.unwrap_or(whole));
                }
            },
        }
    }
    (b.finish(), missing)
}

/// Cuts the web addresses out of `span` into spans of their own.
fn split_links(mut span: Span, out: &mut Vec<Span>) {
    while let Some((a, b)) = find_link(&span.text) {
        let rest = span.text.split_off(b);
        let url = span.text.split_off(a);
        if !span.text.is_empty() {
            out.push(span.clone());
        }
        out.push(Span {
            text: url,
            link: true,
            ..span.clone()
        });
        span.text = rest;
    }
    if !span.text.is_empty() {
        out.push(span);
    }
}

/// The byte range of the first web address in `s`: a word that starts
/// with `http://`, `https://` or `www.`, a bare domain with a common
/// top-level domain (`988lifeline.org/chat`), or an email address; less
/// punctuation around it that belongs to the sentence.
fn find_link(s: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    for word in s.split_inclusive(char::is_whitespace) {
        let start = at;
        at += word.len();
        let word = word.trim_end();
        let lead = word.len()
            - word
                .trim_start_matches(['(', '[', '<', '"', '\'', '“', '‘'])
                .len();
        let mut url = &word[lead..];
        loop {
            let trimmed =
                url.trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '\'', '”', '’', '>', ']']);
            let trimmed = match trimmed.strip_suffix(')') {
                Some(t) if !t.contains('(') => t,
                _ => trimmed,
            };
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        if is_address(url) {
            return Some((start + lead, start + lead + url.len()));
        }
    }
    None
}

/// Top-level domains a bare address is recognised by.
const TLDS: [&str; 24] = [
    "org", "com", "net", "gov", "edu", "info", "io", "us", "uk", "ca", "au", "nz", "ie", "de",
    "es", "mx", "fr", "eu", "health", "care", "app", "dev", "co", "me",
];

fn is_address(w: &str) -> bool {
    for scheme in ["https://", "http://"] {
        if let Some(rest) = w.strip_prefix(scheme) {
            return rest.len() > 1;
        }
    }
    if let Some(rest) = w.strip_prefix("www.") {
        return rest.len() > 1;
    }
    // An email address, or a domain and an optional path.
    let host = match w.split_once('@') {
        Some((local, domain)) => {
            let ok = !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
            if !ok {
                return false;
            }
            domain
        }
        None => w.split_once('/').map_or(w, |(host, _)| host),
    };
    // Every word of every text comes here: no allocation on the way to
    // "not an address".
    let Some((names, tld)) = host.rsplit_once('.') else {
        return false;
    };
    TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld))
        && names
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
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
    fn web_and_email_addresses_become_link_spans() {
        let links = |s: &str| -> Vec<(String, String)> {
            inline(s)
                .iter()
                .filter_map(|r| r.uri().map(|u| (r.text.clone(), u)))
                .collect()
        };
        assert_eq!(
            links("Call 988 or visit 988lifeline.org/chat, or (www.example.org).")[..],
            [
                (
                    "988lifeline.org/chat".into(),
                    "https://988lifeline.org/chat".into()
                ),
                ("www.example.org".into(), "https://www.example.org".into())
            ]
        );
        assert_eq!(
            links("Write to help@clinic.org. See https://x.org/a?b=c&d=é.")[..],
            [
                ("help@clinic.org".into(), "mailto:help@clinic.org".into()),
                (
                    "https://x.org/a?b=c&d=é".into(),
                    "https://x.org/a?b=c&d=%C3%A9".into()
                )
            ]
        );
        for plain in [
            "e.g. U.S. Node.js notes.txt",
            "see https:// alone",
            "a.b",
            "@home",
            "x@y",
            ".org",
            "a..org",
            "x@.org",
            "x@a..org",
            "under_score.org",
            "no dots here at all",
        ] {
            assert!(links(plain).is_empty(), "{plain}: {:?}", links(plain));
        }
        // Top-level domains in any case; labels with hyphens and digits.
        for (text, link) in [
            ("CLINIC.ORG", "CLINIC.ORG"),
            ("see my-clinic2.Health/book.", "my-clinic2.Health/book"),
            ("Mail A.B@x-y.co.uk!", "A.B@x-y.co.uk"),
        ] {
            assert_eq!(
                links(text).first().map(|l| l.0.as_str()),
                Some(link),
                "{text}"
            );
        }
    }

    #[test]
    fn literal_words_keep_their_asterisks() {
        let t = Text::literal("A*B  C", true);
        assert_eq!(t.plain(), "A*B C");
        assert!(t.iter().all(|r| r.bold));
    }
}
