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
