//! Shaping: the glyphs a face draws for a stretch of text, where they are
//! not one glyph per character. Arabic letters join (each takes its
//! isolated, initial, medial or final form), marks sit on their letters,
//! Devanagari consonants form conjuncts and vowels move before them.
//! `harfrust` (HarfBuzz's Rust port) does the work.
//!
//! Text the bundled faces set glyph for character (Latin, Greek,
//! Cyrillic without combining marks) never comes here: its glyphs and
//! kerning are read from tables, as fast as before shaping existed
//! (docs/performance.md). A stretch is shaped whole when any character in
//! it needs it, or its face is not a bundled one: one face, one direction,
//! one script.

use crate::fonts::{self, Face};
use unicode_bidi::Level;

/// A character of a text, measured.
pub struct Glyph {
    pub ch: char,
    pub byte: usize,
    pub face: Face,
    /// Kerning against the previous glyph, 1/1000 em.
    pub kern: f32,
    /// Advance, 1/1000 em.
    pub adv: f32,
    /// The span the glyph is in.
    pub span: usize,
    /// The shaped segment the character is in, or [`Glyph::UNSHAPED`].
    pub seg: u32,
    /// The character belongs to the cluster of the one before it (a mark,
    /// the rest of a conjunct): no line may break before it.
    pub joined: bool,
}

impl Glyph {
    pub const UNSHAPED: u32 = u32::MAX;
}

/// Whether `ch` needs the shaper: combining marks, joining and Indic
/// scripts, joiners and variation selectors. The common punctuation of
/// Latin text (dashes, quotes, U+2000–U+206F) does not.
pub fn complex(ch: char) -> bool {
    let u = ch as u32;
    u >= 0x300
        && matches!(u,
            0x0300..=0x036F // combining diacritical marks
            | 0x0483..=0x0489 // Cyrillic combining marks
            | 0x0590..=0x1CFF // Hebrew to Vedic: RTL, Indic, SE Asian, Jamo
            | 0x1DC0..=0x1DFF // combining marks supplement
            | 0x200C..=0x200D // joiners
            | 0x20D0..=0x20FF // combining marks for symbols
            | 0xA8E0..=0xABFF // Devanagari extended, more Indic and SE Asian
            | 0xD7B0..=0xD7FF // Hangul Jamo extended
            | 0xFB1D..=0xFDFF // Hebrew and Arabic presentation forms
            | 0xFE00..=0xFE0F // variation selectors
            | 0xFE20..=0xFE2F // half marks
            | 0xFE70..=0xFEFF // Arabic presentation forms
            | 0x10000.. // historic scripts, emoji sequences
        )
}

/// A shaped stretch of a text: its face's glyphs, left to right as drawn.
pub struct Segment {
    pub glyphs: Vec<Out>,
}

/// One glyph: id, advance and offset (thousandths of an em, y up), and
/// the character its cluster starts at.
#[derive(Clone, Copy)]
pub struct Out {
    pub id: u16,
    pub advance: f32,
    pub dx: f32,
    pub dy: f32,
    pub cluster: usize,
}

/// Shapes the stretches of `glyphs` that need it. Each character of a
/// shaped stretch gets its cluster's advance (the first character of a
/// cluster carries it, the rest none) and no kerning, and is marked with
/// its segment's number (`Glyph::seg`).
pub fn shape(s: &str, glyphs: &mut [Glyph], levels: Option<&[Level]>) -> Vec<Segment> {
    let level = |i: usize| levels.map_or(Level::ltr(), |l| l[i]);
    let mut out = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        let face = glyphs[i].face;
        let mut script = strong_script(glyphs[i].ch);
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].face == face && level(j) == level(i) {
            let sc = strong_script(glyphs[j].ch);
            match (script, sc) {
                (Some(a), Some(b)) if a != b => break,
                (None, Some(_)) => script = sc,
                _ => {}
            }
            j += 1;
        }
        // A found face (a brand family's) keeps its kerning and ligatures
        // in GPOS and GSUB, which only the shaper reads.
        if matches!(face, Face::Found(_)) || glyphs[i..j].iter().any(|g| complex(g.ch)) {
            if let Some(seg) = shape_one(s, glyphs, i, j, face, level(i).is_rtl()) {
                for g in &mut glyphs[i..j] {
                    g.seg = out.len() as u32;
                    g.kern = 0.0;
                    g.adv = 0.0;
                    g.joined = true;
                }
                for o in &seg.glyphs {
                    glyphs[o.cluster].adv += o.advance;
                    glyphs[o.cluster].joined = false;
                }
                out.push(seg);
            }
        }
        i = j;
    }
    out
}

/// The language a text's letters say it is in, when they are all of one
/// script that one language writes: Greek, Hebrew, Armenian, Georgian,
/// Thai, Korean, Japanese kana. Latin, Cyrillic, Arabic, Han and
/// Devanagari letters say nothing (many languages write them).
pub fn language_of(text: &str) -> Option<&'static str> {
    // Below Greek (lead byte 0xCD), no letter says anything: Latin text
    // is passed over without decoding.
    if !text.bytes().any(|b| b >= 0xCD) {
        return None;
    }
    let mut lang = None;
    for ch in text.chars().filter(|c| c.is_alphabetic()) {
        let this = match ch as u32 {
            0x0370..=0x03FF | 0x1F00..=0x1FFF => "el",
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => "he",
            0x0530..=0x058F => "hy",
            0x10A0..=0x10FF => "ka",
            0x0E00..=0x0E7F => "th",
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => "ko",
            0x3040..=0x30FF => "ja",
            _ => return None,
        };
        match lang {
            Some(l) if l != this => return None,
            _ => lang = Some(this),
        }
    }
    lang
}

/// The script of a letter; `None` for spaces, digits, punctuation and
/// marks, which go with the letters around them.
fn strong_script(ch: char) -> Option<harfrust::Script> {
    let sc = harfrust::unicode::script(ch as u32);
    (sc != harfrust::Script::COMMON && sc != harfrust::Script::INHERITED).then_some(sc)
}

fn shape_one(
    s: &str,
    glyphs: &[Glyph],
    from: usize,
    to: usize,
    face: Face,
    rtl: bool,
) -> Option<Segment> {
    let m = fonts::metrics(face);
    let font = m.shaper()?;
    let start = glyphs[from].byte;
    let end = glyphs.get(to).map_or(s.len(), |g| g.byte);
    let mut buf = harfrust::Buffer::new();
    buf.push_str(&s[start..end]);
    buf.set_direction(if rtl {
        harfrust::Direction::RightToLeft
    } else {
        harfrust::Direction::LeftToRight
    });
    buf.guess_segment_properties();
    let shaper = harfrust::ShaperFont::new(font);
    harfrust::shape(&shaper, &mut buf, harfrust::ShapeOptions::new()).ok()?;
    let scale = m.scale();
    let chars = &glyphs[from..to];
    let out = buf
        .glyph_infos()
        .iter()
        .zip(buf.glyph_positions())
        .map(|(info, pos)| {
            let byte = start + info.cluster as usize;
            // The character the cluster starts at.
            let k = chars.partition_point(|g| g.byte <= byte).max(1) - 1;
            let id = u16::try_from(info.glyph_id).unwrap_or(0);
            let advance = pos.x_advance as f32 * scale;
            // A glyph the shaper did not move keeps its advance as the PDF
            // prints it (whole thousandths, as in the table path), so the
            // writer need not correct the pen after every glyph.
            let nominal = m.glyph_advance(id);
            let advance = if (advance - nominal).abs() < 1.0 {
                nominal
            } else {
                advance
            };
            Out {
                id,
                advance,
                dx: pos.x_offset as f32 * scale,
                dy: pos.y_offset as f32 * scale,
                cluster: from + k,
            }
        })
        .collect();
    Some(Segment { glyphs: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_names_script_says_its_language_only_when_one_language_writes_it() {
        assert_eq!(language_of("Ζωή "), Some("el"));
        assert_eq!(language_of("שרה"), Some("he"));
        assert_eq!(language_of("김민준"), Some("ko"));
        for t in [
            "Zoë",
            "Наталья",
            "محمد",
            "王小明",
            "प्रिया",
            "Ζωή Zoë",
            "1, 2",
        ] {
            assert_eq!(language_of(t), None, "{t}");
        }
    }

    #[test]
    fn latin_and_its_punctuation_take_the_fast_path() {
        let plain = "Zoë Ángel Ζωή Наталья Łukasz Nguyễn — “quoted” … ½ €";
        assert!(!plain.chars().any(complex));
        for ch in ['\u{301}', 'ש', 'م', 'क', 'ก', '\u{200D}', '😀'] {
            assert!(complex(ch), "{ch:?}");
        }
    }
}
