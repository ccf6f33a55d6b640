//! Setting text: styled spans → measured, kerned lines.
//!
//! Steps: pick a face per character (main family, else the fallback, else
//! report it missing) → measure advances and kerning → find Unicode line-break
//! opportunities (UAX #14, via `unicode-linebreak`) → fill lines first-fit,
//! breaking a word longer than the line wherever it must → cut each line into
//! runs of one face.

use super::display::TextRun;
use crate::fonts::{self, Face};
use crate::model::{Span, Text};
use std::collections::BTreeMap;

/// Characters no bundled face has, each with the first text it appeared in.
pub type Missing = BTreeMap<char, String>;
use unicode_linebreak::{linebreaks, BreakOpportunity};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub gray: f32,
    /// Line height as a multiple of the size.
    pub leading: f32,
}

impl Style {
    pub fn line_height(&self) -> f32 {
        self.size * self.leading
    }

    /// Distance from the top of a line box to its baseline, centring the
    /// main face's ascent + descent in the line height.
    pub fn baseline(&self) -> f32 {
        let m = fonts::metrics(Face::Regular);
        let ink = (m.ascent() + m.descent()) * self.size;
        (self.line_height() - ink) / 2.0 + m.ascent() * self.size
    }
}

/// One set line: runs positioned from the line's left edge, baseline at y = 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub runs: Vec<TextRun>,
    pub width: f32,
}

impl Line {
    /// The runs moved to a line origin (left edge, baseline).
    pub fn placed(&self, x: f32, baseline: f32) -> impl Iterator<Item = TextRun> + '_ {
        self.runs.iter().map(move |r| TextRun {
            x: r.x + x,
            y: r.y + baseline,
            ..r.clone()
        })
    }
}

struct Glyph {
    ch: char,
    byte: usize,
    face: Face,
    /// Kerning against the previous glyph, 1/1000 em.
    kern: f32,
    /// Advance, 1/1000 em.
    adv: f32,
}

/// Sets `text` into lines no wider than `max_width`. Characters no bundled
/// face has are added to `missing`.
pub fn set(text: &Text, style: &Style, max_width: f32, missing: &mut Missing) -> Vec<Line> {
    let mut s = String::new();
    let mut glyphs: Vec<Glyph> = Vec::new();
    for span in text.iter() {
        let face = Face::main(style.bold || span.bold, style.italic || span.italic);
        for ch in span.text.chars() {
            let face = pick_face(face, ch).unwrap_or_else(|| {
                missing
                    .entry(ch)
                    .or_insert_with(|| crate::model::plain(text));
                face.fallback()
            });
            let kern = match glyphs.last() {
                Some(p) if p.face == face => fonts::metrics(face).kern(p.ch, ch),
                _ => 0.0,
            };
            glyphs.push(Glyph {
                ch,
                byte: s.len(),
                face,
                kern,
                adv: fonts::metrics(face).advance(ch),
            });
            s.push(ch);
        }
    }
    if glyphs.is_empty() {
        return Vec::new();
    }
    let scale = style.size / 1000.0;
    // x[i]: pen position before glyph i's kerning, from the text start.
    let mut x = Vec::with_capacity(glyphs.len() + 1);
    let mut pen = 0.0;
    for g in &glyphs {
        x.push(pen);
        pen += (g.kern + g.adv) * scale;
    }
    x.push(pen);
    let width = |a: usize, b: usize| x[b] - x[a] - glyphs[a].kern * scale;

    let mut breaks: Vec<(usize, bool)> = Vec::new(); // (glyph index, mandatory)
    let mut gi = 0;
    for (byte, op) in linebreaks(&s) {
        while gi < glyphs.len() && glyphs[gi].byte < byte {
            gi += 1;
        }
        breaks.push((gi, op == BreakOpportunity::Mandatory));
    }

    let mut ranges = Vec::new(); // glyph ranges of finished lines
    let mut start = 0; // first glyph of the current line
    let mut end = 0; // end of the current line's content (no trailing space)
    let mut seg_start = 0;
    for &(seg_end, mandatory) in &breaks {
        let mut content = seg_end;
        while content > seg_start && glyphs[content - 1].ch.is_whitespace() {
            content -= 1;
        }
        if end > start && width(start, content) > max_width {
            ranges.push((start, end));
            start = seg_start;
        }
        // A word longer than the line: cut it where it must be cut.
        while width(start, content) > max_width && content > start + 1 {
            let mut cut = start + 1;
            while cut < content && width(start, cut + 1) <= max_width {
                cut += 1;
            }
            ranges.push((start, cut));
            start = cut;
        }
        end = content;
        if mandatory && seg_end < glyphs.len() {
            ranges.push((start, end));
            start = seg_end;
            end = seg_end;
        }
        seg_start = seg_end;
    }
    if end > start {
        ranges.push((start, end));
    }
    // No runts: a last line of one word takes the word before it down,
    // when the two fit and the line above keeps a word of its own. (Model
    // text has no hard breaks: whitespace is collapsed when it is parsed.)
    let hard = breaks.iter().any(|&(g, m)| m && g < glyphs.len());
    if let [.., (ps, pe), (ls, le)] = ranges[..] {
        let starts = || breaks.iter().map(|&(g, _)| g);
        let one_word = !starts().any(|g| g > ls && g < le);
        let last_start = starts().rev().find(|&g| g > ps && g < pe.min(ls));
        if let (true, false, Some(w)) = (one_word, hard, last_start) {
            let mut keep = w;
            while keep > ps && glyphs[keep - 1].ch.is_whitespace() {
                keep -= 1;
            }
            if keep > ps && width(w, le) <= max_width {
                let n = ranges.len();
                ranges[n - 2] = (ps, keep);
                ranges[n - 1] = (w, le);
            }
        }
    }

    ranges
        .into_iter()
        .map(|(a, b)| {
            let origin = x[a] + glyphs[a].kern * scale;
            let mut runs = Vec::new();
            let mut g = a;
            while g < b {
                let face = glyphs[g].face;
                let mut h = g + 1;
                while h < b && glyphs[h].face == face {
                    h += 1;
                }
                let from = glyphs[g].byte;
                let to = glyphs.get(h).map_or(s.len(), |n| n.byte);
                let kerns = glyphs[g + 1..h]
                    .iter()
                    .filter(|k| k.kern != 0.0)
                    .map(|k| ((k.byte - from) as u32, k.kern))
                    .collect();
                runs.push(TextRun {
                    x: x[g] + glyphs[g].kern * scale - origin,
                    y: 0.0,
                    face,
                    size: style.size,
                    gray: style.gray,
                    text: s[from..to].to_owned(),
                    kerns,
                    width: width(g, h),
                });
                g = h;
            }
            Line {
                runs,
                width: width(a, b),
            }
        })
        .collect()
}

/// The face that has `ch`: the main one, else the fallback.
fn pick_face(face: Face, ch: char) -> Option<Face> {
    if ch.is_whitespace() || fonts::metrics(face).covers(ch) {
        return Some(face);
    }
    let fb = face.fallback();
    fonts::metrics(fb).covers(ch).then_some(fb)
}

/// Sets a short plain label on one line (no wrapping).
pub fn label(text: &str, style: &Style, missing: &mut Missing) -> Line {
    let span = Span {
        text: text.to_owned(),
        bold: false,
        italic: false,
    };
    let text = Text {
        runs: vec![span],
        at: None,
    };
    set(&text, style, f32::INFINITY, missing)
        .into_iter()
        .next()
        .unwrap_or(Line {
            runs: Vec::new(),
            width: 0.0,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inline;

    const BODY: Style = Style {
        size: 12.0,
        bold: false,
        italic: false,
        gray: 0.0,
        leading: 1.4,
    };

    #[test]
    fn lines_fit_and_keep_every_word() {
        let t =
            inline("When the hurt comes back, pause, breathe, and name what you feel right now.");
        let lines = set(&t, &BODY, 150.0, &mut Missing::new());
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.width <= 150.0));
        let words: Vec<String> = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect();
        assert_eq!(words.join(" "), crate::model::plain(&t));
    }

    #[test]
    fn long_urls_break_instead_of_overflowing() {
        let t =
            inline("See https://example.org/a-very-long-path/that-keeps-going/and-going/forever");
        let lines = set(&t, &BODY, 120.0, &mut Missing::new());
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| l.width <= 120.0), "{lines:?}");
    }

    #[test]
    fn kerning_is_applied_and_measured() {
        let l = label("AV", &BODY, &mut Missing::new());
        let m = fonts::metrics(Face::Regular);
        let unkerned = (m.advance('A') + m.advance('V')) * 12.0 / 1000.0;
        assert!(l.width < unkerned - 0.1, "{} vs {unkerned}", l.width);
        assert_eq!(l.runs[0].kerns.len(), 1);
    }

    #[test]
    fn uncovered_characters_fall_back_or_are_reported() {
        let mut missing = Missing::new();
        let l = label("Zoë שרה 𓀀", &BODY, &mut missing);
        let faces: Vec<Face> = l.runs.iter().map(|r| r.face).collect();
        assert_eq!(faces[0], Face::Regular);
        assert!(faces.contains(&Face::Fallback));
        assert_eq!(missing.keys().copied().collect::<Vec<_>>(), ['𓀀']);
        assert_eq!(missing[&'𓀀'], "Zoë שרה 𓀀");
    }
}
