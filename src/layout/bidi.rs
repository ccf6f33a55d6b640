//! Right-to-left text in its visual order: the Unicode Bidirectional
//! Algorithm (`unicode-bidi`) over a paragraph, then each line's glyphs
//! reordered for drawing, brackets mirrored.
//!
//! A paragraph's direction is its language's: a Hebrew or Arabic worksheet
//! is right-to-left, its lines set in visual order from the right and
//! their runs placed mirrored, so that the page, mirrored whole
//! ([`super::display::Item::mirror`]), puts them back in order against
//! the right margin. A paragraph in a language that does not say takes
//! the direction of its first strong letter. A placeholder's value (a
//! client's name) is an isolate, as if between FSI and PDI: it takes its
//! own direction from its first strong letter and never reorders the
//! words around it, so "שרה and David" prints the Hebrew name reading
//! right to left, in its place.
//!
//! Runs are placed left to right. A right-to-left run is shaped (the
//! shaper mirrors its brackets and lists its glyphs as drawn, left to
//! right), and the writer draws those glyphs in reading order, each moved
//! to its place, so the content stream reads as written. No `/ActualText`
//! is added: pdftotext reorders right-to-left text by position itself,
//! and turned an `/ActualText` round a second time (tried: "שרה" came
//! out "הרש"). Only a run no face could shape is drawn the old way, its
//! letters reversed and brackets mirrored here.

use super::shaping::Glyph;
use crate::model::Span;
use unicode_bidi::{BidiClass, BidiInfo, Level};

/// First strong isolate and pop directional isolate.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Whether `ch` can make any text right-to-left.
fn rtl_class(ch: char) -> bool {
    use BidiClass::*;
    // Below Hebrew, nothing is right-to-left: no table lookup for Latin,
    // Greek or Cyrillic text.
    ch >= '\u{590}' && matches!(unicode_bidi::bidi_class(ch), R | AL | RLE | RLO | RLI)
}

/// Embedding levels of each glyph, and the paragraph's; `None` when
/// nothing in a left-to-right paragraph is right-to-left (the fast path:
/// most handouts, every Latin-only batch). `rtl` is the paragraph's
/// direction: its language's, or `None` to take its first letter's.
pub fn levels(spans: &[Span], glyphs: &[Glyph], rtl: Option<bool>) -> Option<(Vec<Level>, Level)> {
    if rtl != Some(true) && !glyphs.iter().any(|g| rtl_class(g.ch)) {
        return None;
    }
    // The paragraph with each value isolated, and where each glyph is in it.
    let mut s = String::with_capacity(glyphs.len() + 8);
    let mut at = Vec::with_capacity(glyphs.len());
    let mut in_value = false;
    for g in glyphs {
        let value = spans[g.span].value;
        if value != in_value {
            s.push(if value { FSI } else { PDI });
            in_value = value;
        }
        at.push(s.len());
        s.push(g.ch);
    }
    if in_value {
        s.push(PDI);
    }
    let base = rtl.map(|r| if r { Level::rtl() } else { Level::ltr() });
    let info = BidiInfo::new(&s, base);
    let para = info.paragraphs.first().map_or(Level::ltr(), |p| p.level);
    Some((at.into_iter().map(|i| info.levels[i]).collect(), para))
}

/// The visual order of glyphs `a..b` (logical indices, left to right).
/// Trailing spaces take the paragraph's level `para` (rule L1).
pub fn visual(
    levels: &[Level],
    para: Level,
    a: usize,
    b: usize,
    is_space: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut line: Vec<Level> = levels[a..b].to_vec();
    for i in (0..line.len()).rev() {
        if !is_space(a + i) {
            break;
        }
        line[i] = para;
    }
    BidiInfo::reorder_visual(&line)
        .into_iter()
        .map(|i| a + i)
        .collect()
}

/// `ch` as drawn in a right-to-left run: "(" faces the other way.
pub fn mirrored(ch: char) -> char {
    unicode_bidi_mirroring::get_mirrored(ch).unwrap_or(ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_to_right_text_takes_the_fast_path() {
        assert!(!rtl_class('a') && !rtl_class('é') && !rtl_class('Ж') && !rtl_class('1'));
        assert!(rtl_class('ש') && rtl_class('م'));
    }

    #[test]
    fn brackets_mirror() {
        assert_eq!(mirrored('('), ')');
        assert_eq!(mirrored('«'), '»');
        assert_eq!(mirrored('a'), 'a');
    }
}
