//! The worksheet model: blocks with their meaning, every printed string as
//! [`Text`].

use super::text::Text;
use crate::placeholder::Vars;

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
    /// Whose copy this is, under the subtitle ("Copy for Zoë (Partner A)"),
    /// for a per-partner copy in a packet.
    pub copy: Option<Text>,
    /// The stage's name ("Atone"), for the running header and metadata.
    pub stage: Option<String>,
    /// Its language (BCP 47) and the tool's words in it ("For:", "(continued)").
    pub language: String,
    pub words: std::sync::Arc<crate::locale::Words>,
    /// "For: …" and "Time: …" shown under the title.
    pub audience: Option<Text>,
    pub time: Option<Text>,
    pub source: Option<Text>,
    pub license: Option<Text>,
    pub blocks: Vec<Block>,
}

impl Worksheet {
    /// This worksheet with its `partners` columns headed by the partners'
    /// names, when `vars` has both and it has such a block. Applied after
    /// validation, so a worksheet validated once serves every couple.
    pub fn named(&self, vars: &Vars) -> Option<Worksheet> {
        let has = self
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Partners { .. }));
        let names =
            ["partner_a", "partner_b"].map(|k| vars.get(k).filter(|n| !n.trim().is_empty()));
        let [Some(a), Some(b)] = names else {
            return None;
        };
        if !has {
            return None;
        }
        let mut ws = self.clone();
        for block in &mut ws.blocks {
            if let Block::Partners { labels, .. } = block {
                *labels = [Text::value(a, true), Text::value(b, true)];
            }
        }
        ws.personal = true;
        Some(ws)
    }
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
        /// Column headings (the config's role words).
        labels: [Text; 2],
        /// The role words, for the fields' tooltips (never a name).
        roles: [String; 2],
        lines: u32,
    },
    Signature {
        labels: Vec<Text>,
        /// Each line's field tooltip (public text).
        tips: Vec<String>,
    },
    /// A picture: the file, ready to embed; its alt text (`None`:
    /// decorative); its width; a caption.
    Image {
        image: std::sync::Arc<crate::images::Image>,
        alt: Option<String>,
        width: ImageWidth,
        caption: Option<Text>,
    },
    /// A QR code: what it encodes (and links to), the address as printed
    /// under it, and a caption.
    Qr {
        uri: String,
        address: String,
        caption: Option<Text>,
    },
    Spacer(f32),
    Divider,
    PageBreak,
    /// A block marked `only: facilitator`, in the facilitator's edition:
    /// marked on the page so it is never handed to a client unnoticed.
    Facilitator(Box<Block>),
}

impl Block {
    /// The prose a client reads in this block (not labels, headings of
    /// columns or answer spaces), for the reading level.
    pub fn prose(&self) -> Vec<&Text> {
        match self {
            Block::Heading(t) | Block::Paragraph(t) => vec![t],
            Block::Bullets(items) | Block::Numbered(items) | Block::Checklist { items, .. } => {
                items.iter().collect()
            }
            Block::Script { intro, lines } => intro.iter().chain(lines).collect(),
            Block::Callout { title, text } => title.iter().chain([text]).collect(),
            Block::Prompt { text, .. } | Block::Partners { text, .. } => vec![text],
            Block::Scale(s) => vec![&s.label],
            Block::Table(t) => t.rows.iter().flatten().collect(),
            Block::Qr { caption, .. } | Block::Image { caption, .. } => caption.iter().collect(),
            Block::Signature { .. } | Block::Spacer(_) | Block::Divider | Block::PageBreak => {
                Vec::new()
            }
            // Read by the therapist, not the client.
            Block::Facilitator(_) => Vec::new(),
        }
    }
}

/// How wide a picture is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ImageWidth {
    /// Its pixels at 150 dpi, never wider than the text.
    Natural,
    Points(f32),
    /// A share of the text width, 0 to 1.
    Share(f32),
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
    /// Writing lines per row: the least height of every row.
    pub row_lines: u32,
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
