//! The bundled font faces and their metrics.
//!
//! Every face the PDF embeds is compiled into the binary from `fonts/`, and the
//! same bytes are measured here with fontdue, so a width computed by layout is
//! the width the printer draws. The main family is Lato (OFL, with a legacy
//! `kern` table that fontdue reads); DejaVu Sans is the fallback for characters
//! Lato lacks (Armenian, Georgian, Hebrew, symbols, …).
//!
//! Parsing a face costs milliseconds, so each face is parsed at most once per
//! process, and only when some text actually needs it.

use std::sync::OnceLock;

/// One embeddable face. The order is the order of PDF resource names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
    Fallback,
    FallbackBold,
}

impl Face {
    pub const ALL: [Face; 6] = [
        Face::Regular,
        Face::Bold,
        Face::Italic,
        Face::BoldItalic,
        Face::Fallback,
        Face::FallbackBold,
    ];

    /// The main-family face for a bold/italic combination.
    pub fn main(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    /// The fallback face for a main face. DejaVu's obliques are not shipped:
    /// a Greek name inside italic text is set upright rather than missing.
    pub fn fallback(self) -> Face {
        match self {
            Face::Bold | Face::BoldItalic | Face::FallbackBold => Face::FallbackBold,
            _ => Face::Fallback,
        }
    }

    pub fn is_bold(self) -> bool {
        matches!(self, Face::Bold | Face::BoldItalic | Face::FallbackBold)
    }

    /// PostScript name written to the PDF (`/BaseFont`).
    pub fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "Lato-Regular",
            Face::Bold => "Lato-Bold",
            Face::Italic => "Lato-Italic",
            Face::BoldItalic => "Lato-BoldItalic",
            Face::Fallback => "DejaVuSans",
            Face::FallbackBold => "DejaVuSans-Bold",
        }
    }

    /// Stable PDF resource name. printpdf also uses it as the subset tag, so
    /// it is six capitals (`XXXXXX+Lato-Regular`).
    pub fn resource_name(self) -> &'static str {
        match self {
            Face::Regular => "HNDTAA",
            Face::Bold => "HNDTAB",
            Face::Italic => "HNDTAC",
            Face::BoldItalic => "HNDTAD",
            Face::Fallback => "HNDTAE",
            Face::FallbackBold => "HNDTAF",
        }
    }

    /// The font program, as shipped in `fonts/`.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../fonts/lato/Lato-Regular.ttf"),
            Face::Bold => include_bytes!("../fonts/lato/Lato-Bold.ttf"),
            Face::Italic => include_bytes!("../fonts/lato/Lato-Italic.ttf"),
            Face::BoldItalic => include_bytes!("../fonts/lato/Lato-BoldItalic.ttf"),
            Face::Fallback => include_bytes!("../fonts/dejavu/DejaVuSans.ttf"),
            Face::FallbackBold => include_bytes!("../fonts/dejavu/DejaVuSans-Bold.ttf"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Per-face metrics, parsed lazily and shared by every thread.
pub struct Metrics {
    font: fontdue::Font,
    ascent: f32,
    descent: f32,
}

static FACES: [OnceLock<Metrics>; 6] = [
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
];

/// The metrics of a face, parsing it on first use.
pub fn metrics(face: Face) -> &'static Metrics {
    FACES[face.index()].get_or_init(|| {
        let settings = fontdue::FontSettings {
            // Outlines are never rasterised; a small scale keeps parsing cheap.
            scale: 12.0,
            ..fontdue::FontSettings::default()
        };
        let font = fontdue::Font::from_bytes(face.bytes(), settings)
            .unwrap_or_else(|e| panic!("bundled font {face:?} is corrupt: {e}"));
        let lm = font
            .horizontal_line_metrics(1.0)
            .expect("bundled fonts have horizontal metrics");
        Metrics {
            ascent: lm.ascent,
            descent: -lm.descent,
            font,
        }
    })
}

impl Metrics {
    /// Whether the face has a real glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.font.lookup_glyph_index(c) != 0
    }

    /// Advance of `c` in thousandths of an em, truncated exactly as the PDF
    /// writer truncates `/W` widths, so measured and printed positions agree.
    pub fn advance(&self, c: char) -> f32 {
        let gid = self.font.lookup_glyph_index(c);
        self.font.metrics_indexed(gid, 1000.0).advance_width.floor()
    }

    /// Kerning between two characters in thousandths of an em (negative pulls
    /// them together); 0 when the `kern` table has no pair.
    pub fn kern(&self, left: char, right: char) -> f32 {
        self.font
            .horizontal_kern(left, right, 1000.0)
            .map_or(0.0, f32::round)
    }

    /// Ascent above the baseline, per point of font size.
    pub fn ascent(&self) -> f32 {
        self.ascent
    }

    /// Descent below the baseline (positive), per point of font size.
    pub fn descent(&self) -> f32 {
        self.descent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerned_pairs_are_narrower_than_their_advances() {
        let m = metrics(Face::Regular);
        for (a, b) in [('A', 'V'), ('T', 'o')] {
            let sum = m.advance(a) + m.advance(b);
            let kerned = sum + m.kern(a, b);
            assert!(kerned < sum - 10.0, "{a}{b}: {kerned} vs {sum}");
        }
    }

    #[test]
    fn main_family_covers_greek_and_cyrillic_fallback_covers_hebrew() {
        let m = metrics(Face::Regular);
        assert!("Ζωή Наталья Zoë Đặng".chars().all(|c| m.covers(c)));
        assert!(!m.covers('ש'));
        assert!(metrics(Face::Fallback).covers('ש'));
    }
}
