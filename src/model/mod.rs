//! The validated document model: what layout reads, and all it reads.
//!
//! Validation ([`validate`] for a worksheet, [`packet::packet`] for a
//! packet) turns
//! spec types into these: every printed string is [`Text`] (markup parsed
//! into styled runs, placeholders filled, with its place in the spec),
//! counts defaulted, roles worded from the config, and every semantic
//! problem collected as a diagnostic located by the parser's spans. Nothing
//! here refers to a spec type, so layout and render never see one.

pub mod packet;
mod text;
mod worksheet;

pub use crate::placeholder::{check_placeholders, placeholders, substitute, BadPlaceholder, Vars};
pub use text::{inline, plain, public_text, Span, Text};
pub use worksheet::{public_vars, validate, MAX_TEXT};

use crate::spec::config::{Config, Paper};

#[derive(Debug, Clone, PartialEq)]
pub struct Worksheet {
    /// As printed on the page, placeholders filled.
    pub title: Text,
    /// The title for places off the page (PDF metadata, bookmarks): each
    /// placeholder is its role word or dropped, never a value.
    pub public_title: String,
    /// Some placeholder was filled with a value (a client's name, a date).
    pub personal: bool,
    pub subtitle: Option<Text>,
    /// The stage's name ("Atone"), for the running header and metadata.
    pub stage: Option<String>,
    /// "For: …" and "Time: …" shown under the title.
    pub audience: Option<Text>,
    pub time: Option<Text>,
    pub source: Option<Text>,
    pub license: Option<Text>,
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
        labels: [Text; 2],
        lines: u32,
    },
    Signature(Vec<Text>),
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
    pub low: Option<Text>,
    pub high: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Text>,
    /// Column headings for tooltips (public text).
    pub tips: Vec<String>,
    /// Fractions of the table width, summing to 1.
    pub widths: Vec<f32>,
    /// Every row, pre-filled ones first; empty texts are blank cells.
    pub rows: Vec<Vec<Text>>,
}

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

/// The page every document is set on: paper, type size and the practice's
/// furniture, taken from the config once.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    /// Paper width and height in points.
    pub width: f32,
    pub height: f32,
    /// Body text size in points.
    pub font_size: f32,
    /// The footer's left side: the practice's name and footer note.
    pub footer: String,
    /// Printed at the foot of every page.
    pub safety_line: Text,
    /// The practice, as the PDF's author.
    pub author: String,
    /// Document language for screen readers.
    pub language: String,
}

impl Setup {
    pub fn new(cfg: &Config, paper: Paper) -> Setup {
        let (width, height) = paper.size();
        let mut footer = cfg.practice.clone();
        if let Some(n) = &cfg.footer_note {
            if !footer.is_empty() {
                footer.push_str("  ·  ");
            }
            footer.push_str(n);
        }
        Setup {
            width,
            height,
            font_size: cfg.font_size,
            footer,
            safety_line: inline(&cfg.safety_line),
            author: cfg.practice.clone(),
            language: cfg.language.clone(),
        }
    }
}
