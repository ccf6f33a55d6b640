//! The validated document model: what layout reads.
//!
//! `validate` turns a [`WorksheetSpec`] into a [`Worksheet`]: inline markup
//! parsed into styled spans, counts defaulted, roles worded from the config,
//! and every semantic problem collected as a located diagnostic.

use crate::diag::Diagnostic;
use crate::spec::blocks::{self as raw, Lines};
use crate::spec::config::Config;
use crate::spec::{find_line, Stage, WorksheetSpec};

pub use crate::placeholder::{check_placeholders, placeholders, substitute, BadPlaceholder, Vars};
use std::path::Path;

/// A stretch of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// Inline-styled text.
pub type Text = Vec<Span>;

#[derive(Debug, Clone, PartialEq)]
pub struct Worksheet {
    /// As printed on the page, placeholders filled.
    pub title: String,
    /// The title for places off the page (PDF metadata, bookmarks): each
    /// placeholder is its role word or dropped, never a value.
    pub public_title: String,
    /// Some placeholder was filled with a value (a client's name, a date).
    pub personal: bool,
    pub subtitle: Option<String>,
    pub stage: Option<Stage>,
    /// "For: …" and "Time: …" shown under the title.
    pub audience: Option<String>,
    pub time: Option<String>,
    pub source: Option<String>,
    pub license: Option<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(Text),
    Paragraph(Text),
    Bullets(Vec<Text>),
    Numbered(Vec<Text>),
    Script {
        intro: Option<Text>,
        lines: Vec<Text>,
    },
    Callout {
        title: Option<Text>,
        text: Text,
    },
    Prompt {
        text: Text,
        /// The form field's tooltip: public text, like `public_title`.
        tip: String,
        lines: PromptLines,
    },
    Checklist {
        items: Vec<Text>,
        /// Each item's tooltip (public text).
        tips: Vec<String>,
    },
    Scale(Scale),
    Table(Table),
    Partners {
        text: Text,
        /// The fields' tooltip (public text).
        tip: String,
        labels: [String; 2],
        lines: u32,
    },
    Signature(Vec<String>),
    Spacer(f32),
    Divider,
    PageBreak,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PromptLines {
    Count(u32),
    Fill,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub label: Text,
    /// The radio group's tooltip (public text).
    pub tip: String,
    pub from: i32,
    pub to: i32,
    pub low: Option<String>,
    pub high: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    /// Column headings for tooltips (public text).
    pub tips: Vec<String>,
    /// Fractions of the table width, summing to 1.
    pub widths: Vec<f32>,
    /// Every row, pre-filled ones first; empty strings are blank cells.
    pub rows: Vec<Vec<Text>>,
}

const DEFAULT_PROMPT_LINES: u32 = 4;
const DEFAULT_PARTNER_LINES: u32 = 5;
const DEFAULT_TABLE_ROWS: u32 = 5;
const MAX_SCALE_POINTS: i32 = 21;
const MAX_COLUMNS: usize = 8;
/// Most items in one list, checklist or script.
const MAX_ITEMS: usize = 100;
/// Most rows in one table, pre-filled and blank together.
const MAX_ROWS: usize = 200;
/// Longest single text, in characters, after placeholders are filled.
pub const MAX_TEXT: usize = 10_000;
/// Most blocks in one worksheet.
const MAX_BLOCKS: usize = 1_000;
/// Most characters in one worksheet after placeholders are filled.
const MAX_DOCUMENT_TEXT: usize = 400_000;

/// Which copy is being printed: a client's, or the facilitator's with the
/// blocks and worksheets marked `only: facilitator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Edition {
    #[default]
    Client,
    Facilitator,
}

/// What a validation run knows beyond the spec.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    pub edition: Edition,
    pub vars: Option<&'a Vars>,
    /// Lay answer spaces out as form fields too (carried on to layout).
    pub fillable: bool,
}

/// Checks a parsed spec and builds the model, or reports every problem.
pub fn validate(
    spec: &WorksheetSpec,
    cfg: &Config,
    path: &Path,
    src: &str,
    opts: &Options,
) -> Result<Worksheet, Vec<Diagnostic>> {
    let empty = Vars::new();
    let vars = opts.vars.unwrap_or(&empty);
    let mut v = Validator {
        path,
        src,
        vars,
        public: public_vars(cfg, vars),
        personal: false,
        total: 0,
        errs: Vec::new(),
    };
    if spec.title.trim().is_empty() {
        v.err(
            "title:",
            "the title is empty".into(),
            "give the worksheet a title",
        );
    }
    if spec.blocks.len() > MAX_BLOCKS {
        v.err(
            "blocks:",
            format!(
                "the worksheet has {} blocks; the most is {MAX_BLOCKS}",
                spec.blocks.len()
            ),
            "split it into several worksheets",
        );
        return Err(v.errs);
    }
    let mut blocks = Vec::with_capacity(spec.blocks.len());
    for entry in &spec.blocks {
        if entry.only.is_some() && opts.edition == Edition::Client {
            continue;
        }
        blocks.push(v.block(&entry.block, cfg));
    }
    let title = v.string(spec.title.trim());
    let public_title = v.public(spec.title.trim());
    let subtitle = spec.subtitle.as_deref().map(|s| v.string(s));
    let time = spec.time.as_deref().map(|s| v.string(s));
    let source = spec.source.as_deref().map(|s| v.string(s));
    let license = spec.license.as_deref().map(|s| v.string(s));
    if v.total > MAX_DOCUMENT_TEXT {
        v.err(
            "blocks:",
            format!(
                "the worksheet's text is {} characters long with its placeholders filled; the most is {MAX_DOCUMENT_TEXT}",
                v.total
            ),
            "split it into several worksheets, or give shorter values",
        );
    }
    if !v.errs.is_empty() {
        return Err(v.errs);
    }
    Ok(Worksheet {
        title,
        public_title,
        personal: v.personal,
        subtitle,
        stage: spec.stage,
        audience: spec.audience.map(|a| cfg.roles.label(a).to_owned()),
        time,
        source,
        license,
        blocks,
    })
}

/// The values placeholders take off the page: each partner's role word from
/// the config (`{{partner}}` in a per-partner copy is that copy's role);
/// every other placeholder is dropped.
pub fn public_vars(cfg: &Config, vars: &Vars) -> Vars {
    let roles = [&cfg.roles.partner_a, &cfg.roles.partner_b];
    let mut public = Vars::new();
    public.insert("partner_a".into(), cfg.roles.partner_a.clone());
    public.insert("partner_b".into(), cfg.roles.partner_b.clone());
    if let Some(role) = vars.get("partner_role").filter(|r| roles.contains(r)) {
        public.insert("partner".into(), role.clone());
        public.insert("partner_role".into(), role.clone());
    }
    public
}

/// `s` as it may appear off the page: placeholders worded by [`public_vars`]
/// or dropped, markup removed, spaces tidied.
pub fn public_text(s: &str, public: &Vars) -> String {
    let (filled, _) = substitute(s, public, Some(""));
    plain(&inline(&filled))
}

struct Validator<'a> {
    path: &'a Path,
    src: &'a str,
    vars: &'a Vars,
    public: Vars,
    /// A placeholder was filled from `vars`.
    personal: bool,
    /// Characters of text so far, placeholders filled.
    total: usize,
    errs: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn err(&mut self, needle: &str, msg: String, hint: &str) {
        let mut d = Diagnostic::error(self.path, msg);
        if let Some((l, c)) = find_line(self.src, needle) {
            d = d.at(l, c);
        }
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.errs.push(d);
    }

    /// Text with placeholders filled in; a malformed or undefined one is an
    /// error, and so is text too long once filled.
    fn string(&mut self, s: &str) -> String {
        if let Err(bad) = check_placeholders(s) {
            self.err(&s[bad.at..], bad.message, bad.hint);
            return String::new();
        }
        let (out, missing) = substitute(s, self.vars, None);
        for name in missing {
            let reported = self
                .errs
                .iter()
                .any(|d| d.message.contains(&format!("`{{{{{name}}}}}`")));
            if !reported {
                self.err(
                    &format!("{{{{{name}"),
                    format!("undefined placeholder `{{{{{name}}}}}`"),
                    &format!(
                        "give it a value: `--set {name}=…`, a packet default, or a roster column"
                    ),
                );
            }
        }
        // Any placeholder at all (the check above passed, so each is whole)
        // was filled with a value: even a value that reads like the
        // placeholder itself makes the text personal.
        if s.contains("{{") {
            self.personal = true;
        }
        let n = out.chars().count();
        self.total += n;
        if n > MAX_TEXT {
            self.err(
                s,
                format!("this text is {n} characters long with its placeholders filled; the most is {MAX_TEXT}"),
                "split it into several paragraphs, or give a shorter value",
            );
            return String::new();
        }
        out
    }

    /// `s` for tooltips and metadata: see [`public_text`].
    fn public(&self, s: &str) -> String {
        public_text(s, &self.public)
    }

    fn text(&mut self, s: &str) -> Text {
        inline(&self.string(s))
    }

    fn texts(&mut self, items: &[String]) -> Vec<Text> {
        if items.len() > MAX_ITEMS {
            self.err(
                &items[0],
                format!(
                    "this list has {} items; the most is {MAX_ITEMS}",
                    items.len()
                ),
                "split it into several lists",
            );
            return Vec::new();
        }
        items.iter().map(|s| self.text(s)).collect()
    }

    fn block(&mut self, b: &raw::Block, cfg: &Config) -> Block {
        match b {
            raw::Block::Heading(h) => Block::Heading(self.text(&h.heading)),
            raw::Block::Paragraph(p) => Block::Paragraph(self.text(&p.paragraph)),
            raw::Block::Bullets(l) => Block::Bullets(self.texts(&l.bullets)),
            raw::Block::Numbered(l) => Block::Numbered(self.texts(&l.numbered)),
            raw::Block::Script(s) => Block::Script {
                intro: s.intro.as_deref().map(|t| self.text(t)),
                lines: self.texts(&s.script.0),
            },
            raw::Block::Callout(c) => Block::Callout {
                title: c.title.as_deref().map(|t| self.text(t)),
                text: self.text(&c.callout),
            },
            raw::Block::Prompt(p) => Block::Prompt {
                text: self.text(&p.prompt),
                tip: self.public(&p.prompt),
                lines: match p.lines {
                    Lines::Default => PromptLines::Count(DEFAULT_PROMPT_LINES),
                    Lines::Count(n) => PromptLines::Count(n),
                    Lines::Fill => PromptLines::Fill,
                },
            },
            raw::Block::Checklist(c) => Block::Checklist {
                items: self.texts(&c.checklist),
                tips: c.checklist.iter().map(|t| self.public(t)).collect(),
            },
            raw::Block::Scale(s) => {
                if s.to <= s.from {
                    self.err(
                        &s.scale,
                        format!(
                            "scale runs from {} to {}; `to` must be larger",
                            s.from, s.to
                        ),
                        "for a 0–10 scale write `from: 0` and `to: 10`",
                    );
                } else if i64::from(s.to) - i64::from(s.from) >= i64::from(MAX_SCALE_POINTS) {
                    self.err(
                        &s.scale,
                        format!(
                            "scale has {} points; at most {MAX_SCALE_POINTS} fit across a page",
                            i64::from(s.to) - i64::from(s.from) + 1
                        ),
                        "",
                    );
                }
                Block::Scale(Scale {
                    label: self.text(&s.scale),
                    tip: self.public(&s.scale),
                    from: s.from,
                    to: s.to,
                    low: s.low.as_deref().map(|t| self.string(t)),
                    high: s.high.as_deref().map(|t| self.string(t)),
                })
            }
            raw::Block::Table(t) => self.table(t),
            raw::Block::Partners(p) => Block::Partners {
                text: self.text(&p.partners),
                tip: self.public(&p.partners),
                labels: [cfg.roles.partner_a.clone(), cfg.roles.partner_b.clone()],
                lines: p.lines.0.unwrap_or(DEFAULT_PARTNER_LINES),
            },
            raw::Block::Signature(s) => {
                if s.signature.is_empty() || s.signature.len() > 4 {
                    self.err(
                        "signature:",
                        format!(
                            "a signature row has 1 to 4 lines, found {}",
                            s.signature.len()
                        ),
                        "",
                    );
                }
                Block::Signature(s.signature.iter().map(|l| self.string(l)).collect())
            }
            raw::Block::Spacer(s) => Block::Spacer(s.spacer.0),
            raw::Block::Divider => Block::Divider,
            raw::Block::PageBreak => Block::PageBreak,
        }
    }

    fn table(&mut self, t: &raw::Table) -> Block {
        let cols = t.table.len();
        let needle = t.table.first().map(String::as_str).unwrap_or("table:");
        if cols == 0 || cols > MAX_COLUMNS {
            self.err(
                needle,
                format!("a table has 1 to {MAX_COLUMNS} columns, found {cols}"),
                "list the column headings: `table: [Date, What happened]`",
            );
        }
        let widths = match &t.widths {
            Some(w) if w.len() != cols => {
                self.err(
                    needle,
                    format!("`widths` has {} numbers for {} columns", w.len(), cols),
                    "give one relative width per column, e.g. `widths: [1, 3]`",
                );
                vec![1.0; cols]
            }
            Some(w) if w.iter().any(|x| !x.is_finite() || *x <= 0.0) => {
                self.err(needle, "every width must be a positive number".into(), "");
                vec![1.0; cols]
            }
            Some(w) => w.clone(),
            None => vec![1.0; cols],
        };
        let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
        let mut rows = Vec::new();
        for (i, r) in t.rows.iter().enumerate() {
            if r.len() > cols {
                self.err(
                    r.first().map(String::as_str).unwrap_or(needle),
                    format!(
                        "row {} has {} cells but the table has {} columns",
                        i + 1,
                        r.len(),
                        cols
                    ),
                    "",
                );
            }
            let mut row: Vec<Text> = r.iter().take(cols).map(|s| self.text(s)).collect();
            row.resize(cols, Vec::new());
            rows.push(row);
        }
        let blank = t.blank_rows.0.unwrap_or(if t.rows.is_empty() {
            DEFAULT_TABLE_ROWS
        } else {
            0
        });
        if t.rows.len() + blank as usize > MAX_ROWS {
            self.err(
                needle,
                format!(
                    "this table has {} rows; the most is {MAX_ROWS}",
                    t.rows.len() + blank as usize
                ),
                "split it into several tables",
            );
            rows.clear();
        } else {
            for _ in 0..blank {
                rows.push(vec![Vec::new(); cols]);
            }
        }
        Block::Table(Table {
            columns: t.table.iter().map(|c| self.string(c)).collect(),
            tips: t.table.iter().map(|c| self.public(c)).collect(),
            widths: widths.iter().map(|w| w / total).collect(),
            rows,
        })
    }
}

/// Parses `**bold**` and `*italic*` (nestable); `\*` is a literal asterisk.
/// Whitespace runs collapse to one space, as in typeset prose.
pub fn inline(src: &str) -> Text {
    let mut spans: Text = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut cur = String::new();
    let mut chars = src.chars().peekable();
    let mut last_space = true;
    let flush = |cur: &mut String, spans: &mut Text, bold, italic| {
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
    spans
}

/// The plain characters of styled text.
pub fn plain(text: &Text) -> String {
    text.iter().map(|s| s.text.as_str()).collect()
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
}
