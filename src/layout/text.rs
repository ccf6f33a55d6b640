//! Setting text: styled spans → measured, kerned lines.
//!
//! Steps: pick a face per character (main family, else the fallback, else
//! a face found on the system, else report it missing) → measure advances
//! and kerning from the tables, or shape the stretches that need it
//! ([`super::shaping`]) → embedding levels where text runs right to left
//! ([`super::bidi`]) → choose the breaks ([`super::breaking`]: total-fit,
//! with hyphenation only where it helps) → cut each line into runs of one
//! face and direction, in visual order, with a hyphen added where a word
//! was broken and link areas over web addresses.

use super::breaking::{self, Cut, Measured};
use super::display::{Item, Shaped, Tag, TextRun};
use super::shaping::Glyph;
use crate::fonts::{self, Face};
use crate::model::{Span, Text};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Characters no bundled face has, each with the first text it appeared in.
pub type Missing = BTreeMap<char, String>;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub gray: f32,
    /// Line height as a multiple of the size.
    pub leading: f32,
    /// The patterns words may be hyphenated with.
    pub hyphens: Option<hypher::Lang>,
    /// Lines break only at spaces: the tokens of a heading or a column
    /// head ("(Y/N)", "check-in") stay whole unless one is wider than the
    /// measure.
    pub whole_words: bool,
    /// No italics (large print): italic styles are set upright, and
    /// emphasis in bold.
    pub upright: bool,
    /// The paragraph's direction: `Some(true)` right-to-left (its lines
    /// are placed mirrored, for a mirrored page), `Some(false)`
    /// left-to-right, `None` its first letter's.
    pub rtl: Option<bool>,
    /// The main family's regular, bold, italic and bold italic faces,
    /// when it is not the bundled one (a practice's brand family).
    pub family: Option<[Face; 4]>,
}

/// The hyphenation patterns for a BCP 47 language tag (`en-US` → English),
/// if we ship them.
pub fn hyphenation(language: &str) -> Option<hypher::Lang> {
    let code = language.get(..2)?.to_ascii_lowercase();
    let code: [u8; 2] = code.as_bytes().try_into().ok()?;
    let ok = language.len() == 2 || language[2..].starts_with(['-', '_']);
    ok.then(|| hypher::Lang::from_iso(code)).flatten()
}

impl Style {
    /// Body text at `size`: regular, black, 1.4 leading, left to right in
    /// Lato, not hyphenated.
    pub const fn plain(size: f32) -> Style {
        Style {
            size,
            bold: false,
            italic: false,
            gray: 0.0,
            leading: 1.4,
            hyphens: None,
            whole_words: false,
            upright: false,
            rtl: Some(false),
            family: None,
        }
    }

    /// The main family's face for a bold/italic combination.
    pub fn face(&self, bold: bool, italic: bool) -> Face {
        match self.family {
            Some(f) => f[usize::from(bold) + 2 * usize::from(italic)],
            None => Face::main(bold, italic),
        }
    }

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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<TextRun>,
    pub width: f32,
    /// Web addresses on the line: left and right edge, and the address.
    pub links: Vec<(f32, f32, String)>,
}

impl Line {
    /// The line's items moved to a line origin (left edge, baseline): its
    /// text runs, then a link area over each web address.
    pub fn placed(&self, x: f32, baseline: f32) -> impl Iterator<Item = Item> + '_ {
        let runs = self.runs.iter().map(move |r| {
            Item::Text(TextRun {
                x: r.x + x,
                y: r.y + baseline,
                ..r.clone()
            })
        });
        let size = self.runs.first().map_or(0.0, |r| r.size);
        let m = fonts::metrics(Face::Regular);
        let links = self.links.iter().map(move |(a, b, uri)| Item::Uri {
            x: x + a,
            y: baseline - m.ascent() * size,
            w: b - a,
            h: (m.ascent() + m.descent()) * size,
            uri: uri.clone(),
            tag: Tag::Link,
        });
        runs.chain(links)
    }
}

/// Sets `text` into lines no wider than `max_width`. Characters no face
/// has (bundled, in the font folders or on the system) are added to
/// `missing`.
pub fn set(text: &Text, style: &Style, max_width: f32, missing: &mut Missing) -> Vec<Line> {
    // Sized once (a character is at least a byte): growing them a
    // character at a time was 2 % of a cold handout.
    let bytes: usize = text.iter().map(|span| span.text.len()).sum();
    let mut s = String::with_capacity(bytes);
    let mut glyphs: Vec<Glyph> = Vec::with_capacity(bytes);
    // The glyph id of the last of `glyphs`, for kerning the next to it.
    let mut last_gid = 0;
    let mut complex = false;
    for (si, span) in text.iter().enumerate() {
        let (bold, italic) = if style.upright {
            (style.bold || span.bold || span.italic, false)
        } else {
            (style.bold || span.bold, style.italic || span.italic)
        };
        let face = style.face(bold, italic);
        // A brand family's kerning and ligatures are in its GPOS and
        // GSUB tables, which only the shaper reads.
        complex |= matches!(face, Face::Found(_));
        for ch in span.text.chars() {
            // A mark, joiner, space or punctuation after a letter of a
            // fallback face stays in that face where it can, so the shaper
            // sees the cluster, and the line the phrase, as one run.
            let prev = glyphs.last().map(|p| p.face).filter(|&p| {
                matches!(p, Face::Fallback | Face::FallbackBold | Face::Found(_))
                    && p != face
                    && (ch == ' ' || ch.is_ascii_punctuation() || super::shaping::complex(ch))
                    && fonts::metrics(p).covers(ch)
            });
            let face = prev
                .or_else(|| pick_face(face, bold, italic, ch))
                .unwrap_or_else(|| {
                    missing
                        .entry(ch)
                        .or_insert_with(|| crate::model::plain(text));
                    face.fallback()
                });
            let m = fonts::metrics(face);
            let (gid, adv) = m.glyph(ch);
            let kern = match glyphs.last() {
                Some(p) if p.face == face => m.glyph_kern(last_gid, gid),
                _ => 0.0,
            };
            last_gid = gid;
            complex |= super::shaping::complex(ch);
            glyphs.push(Glyph {
                ch,
                byte: s.len(),
                face,
                kern,
                adv,
                span: si,
                seg: Glyph::UNSHAPED,
                joined: false,
            });
            s.push(ch);
        }
    }
    if glyphs.is_empty() {
        return Vec::new();
    }
    let levels = super::bidi::levels(text, &glyphs, style.rtl);
    let shaped = if complex {
        super::shaping::shape(&s, &mut glyphs, levels.as_ref().map(|l| &l.0[..]))
    } else {
        Vec::new()
    };
    let m = Measured::new(text, s, glyphs, shaped, style.size / 1000.0);
    let mirror = style.rtl == Some(true);
    breaking::lines(&m, style.hyphens, style.whole_words, max_width)
        .into_iter()
        .map(|cut| match &levels {
            Some((lv, para)) if mirror || lv[cut.from..cut.to].iter().any(|l| l.is_rtl()) => {
                line_bidi(&m, cut, style, lv, *para)
            }
            _ => line(&m, cut, style),
        })
        .map(|l| if mirror { mirrored(l) } else { l })
        .collect()
}

/// A right-to-left paragraph's line, ready for a mirrored page: each run
/// at its mirror image in the line (the page's mirror puts it back), and
/// the runs in reading order, rightmost first, for screen readers.
fn mirrored(mut l: Line) -> Line {
    let w = l.width;
    for r in &mut l.runs {
        r.x = w - r.x - r.width;
    }
    l.runs.reverse();
    for link in &mut l.links {
        *link = (w - link.1, w - link.0, std::mem::take(&mut link.2));
    }
    l
}

/// A text's lines in as narrow a measure as keeps the number of lines it
/// has in `max_width`: a short text on two or three lines (a footer, a
/// cover line) gets lines of about even length instead of a full one and
/// a stray word. `set` sets the text in a given measure.
pub fn balanced(max_width: f32, mut set: impl FnMut(f32) -> Vec<Line>) -> Vec<Line> {
    let lines = set(max_width);
    let n = lines.len();
    if n < 2 {
        return lines;
    }
    let total: f32 = lines.iter().map(|l| l.width).sum();
    let (mut lo, mut hi) = (total / n as f32, max_width);
    let mut best = lines;
    // Half a point is finer than the eye can tell.
    while hi - lo > 0.5 {
        let mid = (lo + hi) / 2.0;
        let tried = set(mid);
        if tried.len() <= n {
            hi = mid;
            best = tried;
        } else {
            lo = mid;
        }
    }
    best
}

/// One line of `m`: runs of one face, the added hyphen, the link areas.
fn line(m: &Measured, cut: Cut, style: &Style) -> Line {
    let Cut {
        from: a,
        to: b,
        hyphen,
    } = cut;
    let origin = m.x[a] + m.glyphs[a].kern * m.scale;
    // A link's text is a run of its own, to be read as the link.
    let link = |g: usize| m.spans[m.glyphs[g].span].link;
    let tag = |g: usize| if link(g) { Tag::Link } else { Tag::Unset };
    let mut runs = Vec::new();
    let mut g = a;
    while g < b {
        let face = m.glyphs[g].face;
        let mut h = g + 1;
        while h < b
            && m.glyphs[h].face == face
            && link(h) == link(g)
            && m.glyphs[h].seg == m.glyphs[g].seg
            && !value_edge(m, h)
        {
            h += 1;
        }
        let from = m.glyphs[g].byte;
        let to = m.glyphs.get(h).map_or(m.s.len(), |n| n.byte);
        let kerns = kerns(m, g, h);
        runs.push(TextRun {
            value: m.spans[m.glyphs[g].span].value,
            glyphs: shaped(m, g, h),
            rtl: false,
            lang: super::shaping::language_of(&m.s[from..to]),
            x: m.x[g] + m.glyphs[g].kern * m.scale - origin,
            y: 0.0,
            face,
            size: style.size,
            gray: style.gray,
            text: m.s[from..to].into(),
            kerns: kerns.into(),
            width: m.width(g, h),
            actual: None,
            tag: tag(g),
        });
        g = h;
    }
    let mut width = m.width(a, b);
    // The space a line breaks at ends it, unmeasured and unseen: text
    // copied or read aloud from the page keeps its word boundaries where
    // one line ends and the next begins.
    if let (false, Some(last), Some(' ')) = (hyphen, runs.last_mut(), m.glyphs.get(b).map(|g| g.ch))
    {
        end_space(last);
    }
    if hyphen && b > a {
        let h = hyphen_run(m, b, width, style, tag(b - 1));
        width += h.width;
        runs.push(h);
    }
    let mut links = Vec::new();
    let mut g = a;
    while g < b {
        let span = &m.spans[m.glyphs[g].span];
        let mut h = g + 1;
        while h < b && m.glyphs[h].span == m.glyphs[g].span {
            h += 1;
        }
        if let Some(uri) = span.uri() {
            let left = m.x[g] + m.glyphs[g].kern * m.scale - origin;
            let right = left
                + m.width(g, h)
                + if h == b && hyphen {
                    width - m.width(a, b)
                } else {
                    0.0
                };
            links.push((left, right, uri));
        }
        g = h;
    }
    Line { runs, width, links }
}

/// Whether glyph `i` starts or ends a placeholder's value (a name): a
/// value is a run of its own, so it can be read in its own language.
fn value_edge(m: &Measured, i: usize) -> bool {
    let (a, b) = (m.glyphs[i - 1].span, m.glyphs[i].span);
    a != b && (m.spans[a].value || m.spans[b].value)
}

/// The space a line breaks at, added to its last run unmeasured: drawn
/// past the line's end, so it copies without moving anything.
fn end_space(last: &mut TextRun) {
    if !last.glyphs.is_empty() {
        let at = last.text.len() as u32;
        let space = Shaped {
            id: fonts::metrics(last.face).glyph_id(' '),
            advance: 0.0,
            dx: 0.0,
            dy: 0.0,
            text: (at, at + 1),
        };
        // Last in reading order: leftmost in a right-to-left run.
        if last.rtl {
            last.glyphs.insert(0, space);
        } else {
            last.glyphs.push(space);
        }
    }
    last.text = format!("{} ", last.text).into();
}

/// The shaper's glyphs for characters `a..b` (one segment's, or none),
/// with their clusters' text as byte ranges of the run's text.
fn shaped(m: &Measured, a: usize, b: usize) -> Vec<Shaped> {
    let seg = m.glyphs[a].seg;
    let Some(seg) = m.shaped.get(seg as usize) else {
        return Vec::new();
    };
    let from = m.glyphs[a].byte;
    let byte = |i: usize| m.glyphs.get(i).map_or(m.s.len(), |g| g.byte) - from;
    let mut starts: Vec<usize> = seg.glyphs.iter().map(|o| o.cluster).collect();
    starts.sort_unstable();
    starts.dedup();
    seg.glyphs
        .iter()
        .filter(|o| (a..b).contains(&o.cluster))
        .map(|o| {
            let next = starts
                .iter()
                .find(|&&c| c > o.cluster)
                .map_or(b, |&c| c.min(b));
            Shaped {
                id: o.id,
                advance: o.advance,
                dx: o.dx,
                dy: o.dy,
                text: (byte(o.cluster) as u32, byte(next) as u32),
            }
        })
        .collect()
}

/// The kerning inside a run of glyphs `a..b`, by byte offset in its text.
fn kerns(m: &Measured, a: usize, b: usize) -> Vec<(u32, f32)> {
    let from = m.glyphs[a].byte;
    m.glyphs[a + 1..b]
        .iter()
        .filter(|k| k.kern != 0.0)
        .map(|k| ((k.byte - from) as u32, k.kern))
        .collect()
}

/// The hyphen added where a word breaks before glyph `b`, at `x`: in the
/// face of the letter it follows, printed but copied as a soft hyphen, so
/// the word copies whole.
fn hyphen_run(m: &Measured, b: usize, x: f32, style: &Style, tag: Tag) -> TextRun {
    TextRun {
        x,
        y: 0.0,
        face: m.glyphs[b - 1].face,
        size: style.size,
        gray: style.gray,
        text: "-".into(),
        kerns: Arc::new([]),
        width: m.hyphen_before(b),
        actual: Some("\u{ad}".into()),
        tag,
        glyphs: Vec::new(),
        rtl: false,
        lang: None,
        value: false,
    }
}

/// A line with right-to-left text in it: runs in visual order (each of
/// one face, one direction, one link), a right-to-left run's letters drawn
/// in reverse with mirrored brackets (see [`super::bidi`] on extraction).
fn line_bidi(
    m: &Measured,
    cut: Cut,
    style: &Style,
    levels: &[unicode_bidi::Level],
    para: unicode_bidi::Level,
) -> Line {
    use super::bidi;
    let Cut {
        from: a,
        to: b,
        hyphen,
    } = cut;
    let link = |g: usize| m.spans[m.glyphs[g].span].link;
    let tag = |g: usize| if link(g) { Tag::Link } else { Tag::Unset };
    let order = bidi::visual(levels, para, a, b, |i| m.glyphs[i].ch == ' ');
    // Each run's share of the measured line: its glyphs and the kerning
    // before each (but the line's first), so the runs add up to exactly
    // the width the line was broken to fit.
    let share = |lo: usize, hi: usize| {
        let lead = if lo == a {
            m.glyphs[a].kern * m.scale
        } else {
            0.0
        };
        m.x[hi] - m.x[lo] - lead
    };
    let mut runs: Vec<TextRun> = Vec::new();
    let mut links: Vec<(f32, f32, String)> = Vec::new();
    let mut pen = 0.0;
    let mut k = 0;
    let mut logical_last = 0;
    while k < order.len() {
        let g0 = order[k];
        let rtl = levels[g0].is_rtl();
        let face = m.glyphs[g0].face;
        let mut j = k + 1;
        while j < order.len() {
            let (g, prev) = (order[j], order[j - 1]);
            let next = if rtl { g + 1 == prev } else { g == prev + 1 };
            if !next
                || levels[g].is_rtl() != rtl
                || m.glyphs[g].seg != m.glyphs[g0].seg
                || m.glyphs[g].face != face
                || link(g) != link(g0)
                || m.glyphs[g].span != m.glyphs[prev].span && link(g)
                || value_edge(m, g.max(prev))
            {
                break;
            }
            j += 1;
        }
        let (lo, hi) = if rtl {
            (order[j - 1], order[k] + 1)
        } else {
            (order[k], order[j - 1] + 1)
        };
        let from = m.glyphs[lo].byte;
        let to = m.glyphs.get(hi).map_or(m.s.len(), |n| n.byte);
        let logical = &m.s[from..to];
        let glyphs = shaped(m, lo, hi);
        // Shaped runs keep their text in logical order (the shaper drew
        // and mirrored it); a right-to-left run no face could shape is
        // drawn reversed, its brackets mirrored here.
        let (text, kerns) = if rtl && glyphs.is_empty() {
            (
                logical.chars().rev().map(bidi::mirrored).collect(),
                Vec::new(),
            )
        } else if rtl {
            (logical.to_owned(), Vec::new())
        } else {
            (logical.to_owned(), kerns(m, lo, hi))
        };
        let run = TextRun {
            x: pen,
            y: 0.0,
            face,
            size: style.size,
            gray: style.gray,
            text: text.into(),
            kerns: kerns.into(),
            width: share(lo, hi),
            actual: None,
            tag: tag(g0),
            rtl: rtl && !glyphs.is_empty(),
            lang: super::shaping::language_of(logical),
            glyphs,
            value: m.spans[m.glyphs[g0].span].value,
        };
        if let Some(uri) = m.spans[m.glyphs[g0].span].uri() {
            match links.last_mut() {
                Some(l) if l.1 == pen && l.2 == uri => l.1 = pen + run.width,
                _ => links.push((pen, pen + run.width, uri)),
            }
        }
        pen += run.width;
        if hi == b {
            logical_last = runs.len();
        }
        runs.push(run);
        k = j;
    }
    // The space the line breaks at, unmeasured (as in `line`), after the
    // line's last character in reading order (leftmost in Hebrew).
    if let (false, Some(last), Some(' ')) = (
        hyphen,
        runs.get_mut(logical_last),
        m.glyphs.get(b).map(|g| g.ch),
    ) {
        end_space(last);
    }
    let mut width = pen;
    if hyphen && b > a {
        let h = hyphen_run(m, b, width, style, tag(b - 1));
        width += h.width;
        runs.push(h);
    }
    Line { runs, width, links }
}

/// The face that has `ch`: the main one, else the bundled fallback, else
/// one found on the system or in the practice's font folders.
fn pick_face(face: Face, bold: bool, italic: bool, ch: char) -> Option<Face> {
    if ch.is_whitespace() || fonts::metrics(face).covers(ch) {
        return Some(face);
    }
    // A brand family falls back to Lato first: a Greek name in a family
    // with Latin letters alone.
    let face = Face::main(bold, italic);
    if fonts::metrics(face).covers(ch) {
        return Some(face);
    }
    let fb = face.fallback();
    if fonts::metrics(fb).covers(ch) {
        return Some(fb);
    }
    fonts::found::face_for(ch, fb == Face::FallbackBold)
}

/// Sets a short plain label on one line (no wrapping).
pub fn label(text: &str, style: &Style, missing: &mut Missing) -> Line {
    let span = Span {
        text: text.to_owned(),
        ..Span::default()
    };
    let text = Text {
        runs: vec![span],
        at: None,
    };
    set(&text, style, f32::INFINITY, missing)
        .into_iter()
        .next()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inline;

    const BODY: Style = Style {
        hyphens: Some(hypher::Lang::English),
        ..Style::plain(12.0)
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
            .map(|l| l.runs.iter().map(|r| r.text.as_ref()).collect())
            .collect();
        // Each line but the last keeps the space it breaks at, so text
        // copied or read from the page keeps its word boundaries.
        assert_eq!(words.concat(), crate::model::plain(&t));
        assert!(words[..words.len() - 1].iter().all(|w| w.ends_with(' ')));
    }

    /// A line's runs as drawn, left to right: (x, characters as drawn).
    /// A shaped run's glyphs are read back through its face's `cmap`, so
    /// a glyph drawn for a mirrored bracket reads as the bracket it shows.
    fn drawn(l: &Line) -> Vec<(f32, String)> {
        l.runs.iter().map(|r| (r.x, shown(r))).collect()
    }

    fn shown(r: &TextRun) -> String {
        if r.glyphs.is_empty() {
            return r.text.to_string();
        }
        let m = fonts::metrics(r.face);
        let candidates: Vec<char> = r
            .text
            .chars()
            .flat_map(|c| [c, super::super::bidi::mirrored(c)])
            .collect();
        r.glyphs
            .iter()
            .map(|g| {
                candidates
                    .iter()
                    .copied()
                    .find(|&c| m.glyph_id(c) == g.id)
                    .unwrap_or('?')
            })
            .collect()
    }

    fn shown_line(l: &Line) -> String {
        l.runs.iter().map(shown).collect()
    }

    /// The glyphs the shaper draws for `text`, left to right.
    fn glyphs_of(text: &str) -> Vec<u16> {
        let l = label(text, &BODY, &mut Missing::new());
        l.runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.id))
            .collect()
    }

    #[test]
    fn arabic_letters_join_in_their_four_forms() {
        let m = fonts::metrics(Face::Fallback);
        for letter in ['ب', 'ع', 'ه', 'س'] {
            let isolated = glyphs_of(&letter.to_string());
            assert_eq!(isolated, [m.glyph_id(letter)], "{letter}");
            // Three in a row, drawn right to left: final, medial, initial
            // from the left.
            let three = glyphs_of(&letter.to_string().repeat(3));
            assert_eq!(three.len(), 3);
            let (fin, med, init) = (three[0], three[1], three[2]);
            let forms = [isolated[0], init, med, fin];
            for i in 0..4 {
                for j in i + 1..4 {
                    assert_ne!(
                        forms[i], forms[j],
                        "{letter}: forms {i} and {j} are one glyph"
                    );
                }
            }
        }
        // A name joins: no letter of محمد is drawn in its isolated form
        // but the last, which does not join to the left.
        let name = glyphs_of("محمد");
        assert_eq!(name.len(), 4);
        assert_ne!(name[3], m.glyph_id('م'), "initial meem");
    }

    #[test]
    fn a_word_cut_to_fit_is_never_cut_inside_a_cluster() {
        // Beh with fatha, over and over: one word far wider than the line.
        let word = "بَ".repeat(30);
        let lines = set(&inline(&word), &BODY, 40.0, &mut Missing::new());
        assert!(lines.len() > 2);
        let mut copied = String::new();
        for l in &lines {
            for r in &l.runs {
                // Every character of the run is in some glyph's cluster.
                let mut covered = vec![false; r.text.len()];
                for g in &r.glyphs {
                    covered[g.text.0 as usize..g.text.1 as usize].fill(true);
                }
                assert!(covered.iter().all(|&c| c), "{r:?}");
                assert!(!r.text.starts_with('\u{64E}'), "a line starts with a mark");
                // No hyphen is added in Arabic.
                assert!(!r.glyphs.is_empty() || r.text.is_empty(), "{r:?}");
                copied.push_str(&r.text);
            }
        }
        assert_eq!(copied, word);
    }

    #[test]
    fn text_without_spaces_breaks_between_ideographs() {
        // Chinese has no spaces; UAX 14 allows a break between any two
        // ideographs (but not before the closing punctuation).
        let t = inline("我们每天晚上一起坐十分钟，轮流说说今天过得怎么样。");
        let lines = set(&t, &BODY, 60.0, &mut Missing::new());
        assert!(lines.len() > 2, "{}", lines.len());
        assert!(lines.iter().all(|l| l.width <= 60.0));
        let copied: String = lines
            .iter()
            .flat_map(|l| &l.runs)
            .map(|r| r.text.as_ref())
            .collect();
        assert_eq!(copied, crate::model::plain(&t));
        for l in &lines[1..] {
            let first = l.runs[0].text.chars().next().unwrap();
            assert!(!"，。".contains(first), "a line starts with {first}");
        }
    }

    #[test]
    fn lam_alef_is_one_glyph_that_copies_as_both_letters() {
        let l = label("لا", &BODY, &mut Missing::new());
        let r = &l.runs[0];
        assert_eq!(r.glyphs.len(), 1, "{:?}", r.glyphs);
        assert_eq!(r.glyphs[0].text, (0, r.text.len() as u32));
    }

    #[test]
    fn a_hebrew_name_in_english_text_is_drawn_right_to_left_in_its_place() {
        let mut b = crate::model::Inline::new();
        b.value("שרה").literal(" and ").value("David");
        let lines = set(&b.finish(), &BODY, 400.0, &mut Missing::new());
        let runs = drawn(&lines[0]);
        // The name first (its letters drawn reversed: ה ר ש from the
        // left), then the English words; positions rise left to right.
        assert_eq!(runs[0].1, "הרש");
        // Its text stays in logical order, for copying and reading aloud.
        assert_eq!(&*lines[0].runs[0].text, "שרה");
        let rest: String = runs[1..].iter().map(|r| r.1.as_str()).collect();
        assert_eq!(rest, " and David");
        assert!(runs.windows(2).all(|w| w[0].0 < w[1].0), "{runs:?}");
        // Widths still add up to the line's.
        let sum: f32 = lines[0].runs.iter().map(|r| r.width).sum();
        assert!((sum - lines[0].width).abs() < 0.01);
    }

    #[test]
    fn a_name_never_reorders_the_words_around_it() {
        // "David and שרה": an RTL name last, and an RTL name in the middle.
        for (a, b_, want) in [
            ("David", "שרה", "David and הרש"),
            ("שרה", "דוד", "הרש and דוד"),
        ] {
            let mut b = crate::model::Inline::new();
            b.value(a).literal(" and ").value(b_);
            let lines = set(&b.finish(), &BODY, 400.0, &mut Missing::new());
            assert_eq!(shown_line(&lines[0]), want);
        }
    }

    #[test]
    fn hebrew_sentences_reverse_with_brackets_mirrored() {
        let t = inline("שלום (עולם) hello");
        let lines = set(&t, &BODY, 400.0, &mut Missing::new());
        // Logical: שלום (עולם) — drawn from the left: (םלוע) םולש, with
        // the brackets turned to face the right way.
        assert_eq!(shown_line(&lines[0]), "(םלוע) םולש hello");
        // Each run's glyphs sit left to right, inside the run.
        for r in &lines[0].runs {
            let w: f32 = r.glyphs.iter().map(|g| g.advance).sum::<f32>() * r.size / 1000.0;
            assert!(r.glyphs.is_empty() || (w - r.width).abs() < 0.01, "{r:?}");
        }
    }

    #[test]
    fn left_to_right_text_is_set_as_before() {
        let t = inline("Ζωή and Zoë (at home)");
        let lines = set(&t, &BODY, 400.0, &mut Missing::new());
        assert!(lines[0].runs.iter().all(|r| r.actual.is_none()));
        let shown: String = lines[0].runs.iter().map(|r| r.text.as_ref()).collect();
        assert_eq!(shown, "Ζωή and Zoë (at home)");
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
        let l = label("Zoë שרה \u{10FFFD}", &BODY, &mut missing);
        let faces: Vec<Face> = l.runs.iter().map(|r| r.face).collect();
        assert_eq!(faces[0], Face::Regular);
        assert!(faces.contains(&Face::Fallback));
        assert_eq!(missing.keys().copied().collect::<Vec<_>>(), ['\u{10FFFD}']);
        assert_eq!(missing[&'\u{10FFFD}'], "Zoë שרה \u{10FFFD}");
    }
}
