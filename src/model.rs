//! The validated document model: what layout reads.
//!
//! `validate` turns a [`WorksheetSpec`] into a [`Worksheet`]: inline markup
//! parsed into styled spans, counts defaulted, roles worded from the config,
//! and every semantic problem collected as a located diagnostic.

use crate::diag::Diagnostic;
use crate::spec::blocks::{self as raw, Lines};
use crate::spec::config::Config;
use crate::spec::{find_line, Stage, WorksheetSpec};
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
    pub title: String,
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
        lines: PromptLines,
    },
    Checklist(Vec<Text>),
    Scale(Scale),
    Table(Table),
    Partners {
        text: Text,
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
    pub from: i32,
    pub to: i32,
    pub low: Option<String>,
    pub high: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
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

/// Checks a parsed spec and builds the model, or reports every problem.
pub fn validate(
    spec: &WorksheetSpec,
    cfg: &Config,
    path: &Path,
    src: &str,
) -> Result<Worksheet, Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let mut err = |needle: &str, msg: String, hint: &str| {
        let mut d = Diagnostic::error(path, msg);
        if let Some((l, c)) = find_line(src, needle) {
            d = d.at(l, c);
        }
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        errs.push(d);
    };
    if spec.title.trim().is_empty() {
        err(
            "title:",
            "the title is empty".into(),
            "give the worksheet a title",
        );
    }
    let mut blocks = Vec::with_capacity(spec.blocks.len());
    for b in &spec.blocks {
        blocks.push(match b {
            raw::Block::Heading(h) => Block::Heading(inline(&h.heading)),
            raw::Block::Paragraph(p) => Block::Paragraph(inline(&p.paragraph)),
            raw::Block::Bullets(l) => Block::Bullets(l.bullets.iter().map(|s| inline(s)).collect()),
            raw::Block::Numbered(l) => {
                Block::Numbered(l.numbered.iter().map(|s| inline(s)).collect())
            }
            raw::Block::Script(s) => Block::Script {
                intro: s.intro.as_deref().map(inline),
                lines: s.script.0.iter().map(|s| inline(s)).collect(),
            },
            raw::Block::Callout(c) => Block::Callout {
                title: c.title.as_deref().map(inline),
                text: inline(&c.callout),
            },
            raw::Block::Prompt(p) => Block::Prompt {
                text: inline(&p.prompt),
                lines: match p.lines {
                    Lines::Default => PromptLines::Count(DEFAULT_PROMPT_LINES),
                    Lines::Count(n) => PromptLines::Count(n),
                    Lines::Fill => PromptLines::Fill,
                },
            },
            raw::Block::Checklist(c) => {
                Block::Checklist(c.checklist.iter().map(|s| inline(s)).collect())
            }
            raw::Block::Scale(s) => {
                if s.to <= s.from {
                    err(
                        &s.scale,
                        format!(
                            "scale runs from {} to {}; `to` must be larger",
                            s.from, s.to
                        ),
                        "for a 0–10 scale write `from: 0` and `to: 10`",
                    );
                } else if s.to - s.from >= MAX_SCALE_POINTS {
                    err(
                        &s.scale,
                        format!(
                            "scale has {} points; at most {MAX_SCALE_POINTS} fit across a page",
                            s.to - s.from + 1
                        ),
                        "",
                    );
                }
                Block::Scale(Scale {
                    label: inline(&s.scale),
                    from: s.from,
                    to: s.to,
                    low: s.low.clone(),
                    high: s.high.clone(),
                })
            }
            raw::Block::Table(t) => table(t, &mut err),
            raw::Block::Partners(p) => Block::Partners {
                text: inline(&p.partners),
                labels: [cfg.roles.partner_a.clone(), cfg.roles.partner_b.clone()],
                lines: p.lines.0.unwrap_or(DEFAULT_PARTNER_LINES),
            },
            raw::Block::Signature(s) => {
                if s.signature.is_empty() || s.signature.len() > 4 {
                    err(
                        "signature:",
                        format!(
                            "a signature row has 1 to 4 lines, found {}",
                            s.signature.len()
                        ),
                        "",
                    );
                }
                Block::Signature(s.signature.clone())
            }
            raw::Block::Spacer(s) => Block::Spacer(s.spacer.0),
            raw::Block::Divider => Block::Divider,
            raw::Block::PageBreak => Block::PageBreak,
        });
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Worksheet {
        title: spec.title.trim().to_owned(),
        subtitle: spec.subtitle.clone(),
        stage: spec.stage,
        audience: spec.audience.map(|a| cfg.roles.label(a).to_owned()),
        time: spec.time.clone(),
        source: spec.source.clone(),
        license: spec.license.clone(),
        blocks,
    })
}

fn table(t: &raw::Table, err: &mut impl FnMut(&str, String, &str)) -> Block {
    let cols = t.table.len();
    let needle = t.table.first().map(String::as_str).unwrap_or("table:");
    if cols == 0 || cols > MAX_COLUMNS {
        err(
            needle,
            format!("a table has 1 to {MAX_COLUMNS} columns, found {cols}"),
            "list the column headings: `table: [Date, What happened]`",
        );
    }
    let widths = match &t.widths {
        Some(w) if w.len() != cols => {
            err(
                needle,
                format!("`widths` has {} numbers for {} columns", w.len(), cols),
                "give one relative width per column, e.g. `widths: [1, 3]`",
            );
            vec![1.0; cols]
        }
        Some(w) if w.iter().any(|x| !x.is_finite() || *x <= 0.0) => {
            err(needle, "every width must be a positive number".into(), "");
            vec![1.0; cols]
        }
        Some(w) => w.clone(),
        None => vec![1.0; cols],
    };
    let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
    let mut rows = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        if r.len() > cols {
            err(
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
        let mut row: Vec<Text> = r.iter().take(cols).map(|s| inline(s)).collect();
        row.resize(cols, Vec::new());
        rows.push(row);
    }
    let blank = t.blank_rows.0.unwrap_or(if t.rows.is_empty() {
        DEFAULT_TABLE_ROWS
    } else {
        0
    });
    for _ in 0..blank {
        rows.push(vec![Vec::new(); cols]);
    }
    Block::Table(Table {
        columns: t.table.clone(),
        widths: widths.iter().map(|w| w / total).collect(),
        rows,
    })
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
