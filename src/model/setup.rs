//! The page setup every document is laid out on.

use super::text::{inline, Text};
use crate::spec::config::{Config, Paper};

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
    /// A brand family's regular, bold, italic and bold italic faces;
    /// `None` for the bundled Lato.
    pub family: Option<[crate::fonts::Face; 4]>,
    /// The large-print edition: the same text reflowed at 18 pt, with no
    /// italics, roomier writing lines and bigger check boxes.
    pub large_print: bool,
    /// The practice's logo, over every handout's title and on covers.
    pub logo: Option<Logo>,
    /// The tool's words in the document's language.
    pub words: std::sync::Arc<crate::locale::Words>,
}

/// A logo: the picture, how wide it prints, and its alt text (the
/// practice's name).
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub image: std::sync::Arc<crate::images::Image>,
    pub width: f32,
    pub alt: String,
}

/// How wide a logo prints unless the config says: 3 cm.
const LOGO_WIDTH: f32 = 3.0 * 72.0 / 2.54;

/// Body size of the large-print edition: what large-print guidance (APH,
/// RNIB) asks for at the least.
pub const LARGE_PRINT_SIZE: f32 = 18.0;

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
            font_size: if cfg.large_print {
                cfg.font_size.max(LARGE_PRINT_SIZE)
            } else {
                cfg.font_size
            },
            footer,
            safety_line: inline(&cfg.safety_line),
            author: cfg.practice.clone(),
            language: cfg.language.clone(),
            // Checked when the config was read; found once per process.
            family: (!crate::spec::config::FAMILIES.contains(&cfg.font_family.as_str()))
                .then(|| crate::fonts::found::family(&cfg.font_family))
                .flatten(),
            large_print: cfg.large_print,
            // Read (and checked) when the config was loaded; cached.
            logo: cfg.logo.as_deref().and_then(|p| {
                let image = crate::images::load(p).ok()?;
                let w = &cfg.words;
                // "<practice> logo", in the document's language.
                let alt = if cfg.practice.is_empty() {
                    w.logo_alt_unnamed.clone()
                } else {
                    crate::locale::Words::fill(&w.logo_alt, &[("practice", &cfg.practice)])
                };
                Some(Logo {
                    image,
                    width: cfg.logo_width.map_or(LOGO_WIDTH, |l| l.0),
                    alt,
                })
            }),
            words: cfg.words.clone(),
        }
    }
}
