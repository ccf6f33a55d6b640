//! Choosing where lines break: total-fit over the whole paragraph.
//!
//! First-fit fills each line as full as it can and leaves whatever is left
//! to the next, which strands one short word on a last line ("fast.") and
//! leaves a narrow column with one long line and one half-empty one. Here
//! every way of breaking is weighed at once (Knuth and Plass, as TeX and
//! typst do, in its ragged-right form): a line costs the square of the room
//! it leaves, a hyphen costs a little and two in a row more, and a last line
//! of one word costs a lot. A last line's room is free.
//!
//! Break opportunities are Unicode's (UAX #14), except inside a web address,
//! which breaks only after `/` `.` `?` `&` `-` (never letter from letter).
//! Hyphenation (`hypher`, TeX's patterns) is tried only when the plain
//! breaks leave a ragged line or a word wider than the line, and never in
//! a placeholder's value (a name) or a web address. A heading or column
//! head (`whole_words`) breaks only at spaces, and is hyphenated only when
//! a word is wider than its column, so "Situation" in a narrow column
//! becomes "Situa-tion", not "Situati-on". A word that still cannot fit is
//! cut where it must be, with a hyphen when the cut falls between letters.

use super::shaping::{Glyph, Segment};
use crate::model::Span;
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// A text measured glyph by glyph, ready to be broken into lines.
pub struct Measured<'a> {
    pub spans: &'a [Span],
    /// The shaped segments glyphs' `seg` point to.
    pub shaped: Vec<Segment>,
    pub s: String,
    pub glyphs: Vec<Glyph>,
    /// Pen position before glyph i's kerning, from the text start; one more
    /// entry than glyphs.
    pub x: Vec<f32>,
    pub scale: f32,
}

impl<'a> Measured<'a> {
    pub fn new(
        spans: &'a [Span],
        s: String,
        glyphs: Vec<Glyph>,
        shaped: Vec<Segment>,
        scale: f32,
    ) -> Self {
        let mut x = Vec::with_capacity(glyphs.len() + 1);
        let mut pen = 0.0;
        for g in &glyphs {
            x.push(pen);
            pen += (g.kern + g.adv) * scale;
        }
        x.push(pen);
        Measured {
            spans,
            shaped,
            s,
            glyphs,
            x,
            scale,
        }
    }

    /// The width of glyphs `a..b` set on a line of their own.
    pub fn width(&self, a: usize, b: usize) -> f32 {
        if b <= a {
            return 0.0;
        }
        self.x[b] - self.x[a] - self.glyphs[a].kern * self.scale
    }

    /// The width of the hyphen a break before glyph `at` adds: in the
    /// face of the glyph it follows, as it is printed.
    pub fn hyphen_before(&self, at: usize) -> f32 {
        let face = self.glyphs[at.max(1) - 1].face;
        crate::fonts::metrics(face).advance('-') * self.scale
    }
}

/// One line: glyphs `from..to`, and whether it ends in an added hyphen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cut {
    pub from: usize,
    pub to: usize,
    pub hyphen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A hard break (or the end of the text): the line must end here.
    Mandatory,
    /// After a space or punctuation: nothing is added.
    Normal,
    /// Inside a word: a hyphen is added.
    Hyphen,
}

#[derive(Debug, Clone, Copy)]
struct Break {
    /// The glyph the next line starts with.
    at: usize,
    /// Where this line's content ends (trailing spaces dropped).
    end: usize,
    kind: Kind,
}

/// Costs, in units of a line left entirely empty (which costs 100).
const EMPTY_LINE: f64 = 100.0;
const PER_LINE: f64 = 1.0;
const HYPHEN: f64 = 10.0;
const HYPHENS_IN_A_ROW: f64 = 40.0;
const RUNT: f64 = 150.0;
const OVERFULL: f64 = 1e7;
/// A line leaving this share of the measure empty counts as ragged enough
/// to try hyphenation.
const RAGGED: f32 = 0.3;
/// Words shorter than this are never hyphenated.
const MIN_HYPHENATED: usize = 6;

/// The lines of `m` in a measure of `max` points.
pub fn lines(m: &Measured, lang: Option<hypher::Lang>, whole_words: bool, max: f32) -> Vec<Cut> {
    let mut breaks = opportunities(m);
    // A head keeps every break aside, for a token wider than its column.
    let mut inside = None;
    if whole_words {
        inside = Some(breaks.clone());
        let g = &m.glyphs;
        breaks.retain(|b| b.kind == Kind::Mandatory || b.at > 0 && g[b.at - 1].ch.is_whitespace());
    }
    // Most labels and headings fit on one line: nothing to weigh.
    let hard = breaks
        .iter()
        .rev()
        .skip(1)
        .any(|b| b.kind == Kind::Mandatory);
    if let (false, Some(end)) = (hard, breaks.last().map(|b| b.end)) {
        if m.width(0, end) <= max {
            return vec![Cut {
                from: 0,
                to: end,
                hyphen: false,
            }];
        }
    }
    let too_wide = |breaks: &[Break]| {
        let mut from = 0;
        breaks.iter().any(|b| {
            let wide = m.width(from, b.end) > max;
            from = b.at;
            wide
        })
    };
    // A head's token wider than its column may break inside after all,
    // where Unicode allows ("Featherstonehaugh-/Wolfeschlegelsteinhausen"),
    // before it is hyphenated or cut.
    if let Some(all) = inside.filter(|_| too_wide(&breaks)) {
        breaks = all;
    }
    let mut hyphenated = false;
    if let Some(lang) = lang {
        if too_wide(&breaks) {
            breaks = with_hyphens(m, &breaks, lang);
            hyphenated = true;
        }
    }
    let cuts = fit(m, &forced(m, &breaks, max), max);
    if hyphenated || lang.is_none() || whole_words || !ragged(m, &cuts, max) {
        return cuts;
    }
    let breaks = with_hyphens(m, &breaks, lang.expect("checked above"));
    fit(m, &forced(m, &breaks, max), max)
}

/// Whether some line but the last leaves much of the measure empty.
fn ragged(m: &Measured, cuts: &[Cut], max: f32) -> bool {
    cuts.iter()
        .rev()
        .skip(1)
        .any(|c| m.width(c.from, c.to) < max * (1.0 - RAGGED))
}

/// Unicode's break opportunities, with web addresses' own.
fn opportunities(m: &Measured) -> Vec<Break> {
    let g = &m.glyphs;
    let link = |i: usize| m.spans[g[i].span].link;
    let any_link = m.spans.iter().any(|s| s.link);
    // Where each span's address may first break: past its scheme's `//`
    // (bytes of `m.s`, which holds the spans one after another).
    let mut start = 0;
    let past_scheme: Vec<usize> = m
        .spans
        .iter()
        .map(|s| {
            let at = start + s.text.find("://").map_or(0, |i| i + 3);
            start += s.text.len();
            at
        })
        .collect();
    let mut out = Vec::new();
    let mut gi = 0;
    let add = |at: usize, kind: Kind, out: &mut Vec<Break>| {
        let mut end = at;
        while end > 0 && g[end - 1].ch.is_whitespace() {
            end -= 1;
        }
        out.push(Break { at, end, kind });
    };
    for (byte, op) in linebreaks(&m.s) {
        while gi < g.len() && g[gi].byte < byte {
            gi += 1;
        }
        let inside_link =
            gi > 0 && gi < g.len() && link(gi - 1) && link(gi) && g[gi - 1].span == g[gi].span;
        let inside_cluster = gi < g.len() && g[gi].joined;
        if (inside_link || inside_cluster) && op != BreakOpportunity::Mandatory {
            continue;
        }
        // Web-address breaks that come before this one.
        let kind = match op {
            BreakOpportunity::Mandatory => Kind::Mandatory,
            BreakOpportunity::Allowed => Kind::Normal,
        };
        let from = out.last().map_or(0, |b: &Break| b.at);
        for i in (from.max(1)..gi).filter(|_| any_link) {
            if url_break(m, i, &past_scheme) {
                add(i, Kind::Normal, &mut out);
            }
        }
        add(
            gi,
            if gi == g.len() { Kind::Mandatory } else { kind },
            &mut out,
        );
    }
    out
}

/// Whether a web address may break before glyph `i`: after `/` `.` `?` `&`
/// `-`, past the scheme's `//`, and not between two of the same mark.
fn url_break(m: &Measured, i: usize, past_scheme: &[usize]) -> bool {
    let g = &m.glyphs;
    let (prev, next) = (&g[i - 1], &g[i]);
    if prev.span != next.span || !m.spans[prev.span].link {
        return false;
    }
    if !"/.?&-".contains(prev.ch) || next.ch == prev.ch {
        return false;
    }
    prev.byte + 1 > past_scheme[prev.span]
}

/// `breaks` with hyphenation points added inside long words.
fn with_hyphens(m: &Measured, breaks: &[Break], lang: hypher::Lang) -> Vec<Break> {
    let g = &m.glyphs;
    let allowed = |i: usize| {
        let span = &m.spans[g[i].span];
        g[i].ch.is_alphabetic() && !span.value && !span.link
    };
    let mut points = Vec::new();
    let mut i = 0;
    let mut word = String::new();
    while i < g.len() {
        if !allowed(i) {
            i += 1;
            continue;
        }
        let start = i;
        word.clear();
        while i < g.len() && allowed(i) {
            word.push(g[i].ch);
            i += 1;
        }
        // Letters glued to a digit, a name or an address ("x2y", "Zoë's")
        // are left whole: the patterns know words, not codes.
        let glued = start > 0 && g[start - 1].ch.is_alphanumeric()
            || i < g.len() && g[i].ch.is_alphanumeric();
        if i - start < MIN_HYPHENATED || glued {
            continue;
        }
        let mut at = start;
        let syllables: Vec<usize> = hypher::hyphenate(&word, lang)
            .map(|s| s.chars().count())
            .collect();
        for n in &syllables[..syllables.len().saturating_sub(1)] {
            at += n;
            points.push(Break {
                at,
                end: at,
                kind: Kind::Hyphen,
            });
        }
    }
    merge(breaks, points)
}

/// `breaks` with `added` merged in, by position.
fn merge(breaks: &[Break], mut added: Vec<Break>) -> Vec<Break> {
    added.extend_from_slice(breaks);
    // At one position a break of the text wins over a hyphen.
    added.sort_by_key(|b| (b.at, b.kind == Kind::Hyphen));
    added.dedup_by_key(|b| b.at);
    added
}

/// `breaks` with cuts added inside any stretch still wider than the line.
fn forced(m: &Measured, breaks: &[Break], max: f32) -> Vec<Break> {
    let g = &m.glyphs;
    let mut out = Vec::with_capacity(breaks.len());
    let mut from = 0;
    for b in breaks {
        let extra = if b.kind == Kind::Hyphen {
            m.hyphen_before(b.at)
        } else {
            0.0
        };
        while m.width(from, b.end) + extra > max && b.end > from + 1 {
            let mut cut = from + 1;
            while cut + 1 < b.end && m.width(from, cut + 1) + m.hyphen_before(cut + 1) <= max {
                cut += 1;
            }
            // In a web address, after its last mark that fits (the
            // scheme's `//` included), not between two letters.
            if m.spans[g[cut].span].link {
                if let Some(p) = (from + 2..=cut)
                    .rev()
                    .find(|&p| "/.?&=-_:".contains(g[p - 1].ch))
                {
                    cut = p;
                }
            }
            // Never inside a cluster (a letter and its marks, a conjunct).
            while cut > from + 1 && g[cut].joined {
                cut -= 1;
            }
            // A hyphen only in the scripts that hyphenate (Latin, Greek,
            // Cyrillic, Armenian): not in Hebrew, Arabic, Indic or CJK.
            let hyphenates = |c: char| c.is_alphabetic() && c < '\u{590}';
            let letters = hyphenates(g[cut - 1].ch) && hyphenates(g[cut].ch);
            let kind = if letters && !m.spans[g[cut].span].link {
                Kind::Hyphen
            } else {
                Kind::Normal
            };
            out.push(Break {
                at: cut,
                end: cut,
                kind,
            });
            from = cut;
        }
        out.push(*b);
        from = b.at;
    }
    out
}

/// The cheapest set of lines through `breaks` (see the module header).
fn fit(m: &Measured, breaks: &[Break], max: f32) -> Vec<Cut> {
    let n = breaks.len();
    // best[j]: cost of the best lines ending at break j - 1 (0 = the
    // start), and the node the last of them starts at.
    let mut best: Vec<(f64, usize)> = vec![(f64::INFINITY, 0); n + 1];
    best[0] = (0.0, 0);
    let start = |i: usize| if i == 0 { 0 } else { breaks[i - 1].at };
    let kind = |i: usize| {
        if i == 0 {
            Kind::Mandatory
        } else {
            breaks[i - 1].kind
        }
    };
    for j in 1..=n {
        let b = breaks[j - 1];
        let last = b.kind == Kind::Mandatory;
        let extra = if b.kind == Kind::Hyphen {
            m.hyphen_before(b.at)
        } else {
            0.0
        };
        // Whether the line from node i to j holds one word (no space-break
        // between them).
        let mut one_word = true;
        for i in (0..j).rev() {
            if i + 1 < j && breaks[i].kind == Kind::Normal {
                one_word = false;
            }
            let w = m.width(start(i), b.end) + extra;
            if w > max && i + 1 < j {
                break;
            }
            let mut cost = PER_LINE;
            if w > max {
                cost += OVERFULL;
            } else if !last {
                let room = f64::from((max - w) / max);
                cost += EMPTY_LINE * room * room;
            }
            if b.kind == Kind::Hyphen {
                cost += HYPHEN;
                if kind(i) == Kind::Hyphen {
                    cost += HYPHENS_IN_A_ROW;
                }
            }
            if last && one_word && kind(i) != Kind::Mandatory {
                // And when a runt cannot be helped, the longer the better
                // ("Incomprehen-/sibility", not "Incomprehensibil-/ity").
                let room = f64::from((max - w).max(0.0) / max);
                cost += RUNT + EMPTY_LINE * room * room;
            }
            let total = best[i].0 + cost;
            if total < best[j].0 {
                best[j] = (total, i);
            }
            if kind(i) == Kind::Mandatory {
                break;
            }
        }
    }
    let mut cuts = Vec::new();
    let mut j = n;
    while j > 0 {
        let i = best[j].1;
        let b = breaks[j - 1];
        cuts.push(Cut {
            from: start(i),
            to: b.end,
            hyphen: b.kind == Kind::Hyphen,
        });
        j = i;
    }
    cuts.reverse();
    // Empty lines (a text of only spaces between hard breaks) are dropped.
    cuts.retain(|c| c.to > c.from);
    cuts
}
