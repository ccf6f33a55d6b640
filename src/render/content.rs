//! One page of the display list → its content stream.
//!
//! One `match` over display items, written straight into bytes. The writer
//! remembers the colour, line width and font it last set and sets them again
//! only when they change, keeps consecutive text runs in one text object
//! (each moved to with `Td` from the last), writes glyph codes as their
//! bytes and positions to a hundredth of a point: short streams compress to
//! less and compress faster.
//!
//! Every drawing is marked: text that belongs to a structure node as a
//! marked-content sequence with an `/MCID` (the node of each is returned,
//! for the structure tree), everything else (rules, boxes, page furniture)
//! as an `/Artifact`. Consecutive items of one node or of furniture share a
//! sequence; a text object never spans two.

use super::embed::Subset;
use crate::fonts::Face;
use crate::layout::display::{Item, Node, Page, Stroke, Tag, TextRun};
use std::sync::Arc;

/// Graphics state the stream has set, to skip repeating it.
#[derive(Default)]
struct State {
    /// In a text object, with the start of the last line placed.
    text: Option<(f32, f32)>,
    font: Option<(Face, f32)>,
    fill: Option<f32>,
    stroke: Option<Stroke>,
}

/// The marked-content sequence an item is drawn in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    None,
    Artifact,
    /// A node's text; `true` when it repeats it (`Tag::Again`).
    Node(u32, bool),
    /// A run that copies as other text (an added hyphen, a Devanagari
    /// cluster) or reads in another language (a Greek name), item `.1`: a
    /// sequence of its own carrying the `/ActualText` or `/Lang`, since
    /// poppler's structure reader loses the rest of a sequence after one
    /// nested in it.
    Actual(u32, usize),
}

/// The language a run is read in, when it is not its node's (its
/// section's or the document's).
fn own_language(t: &TextRun, n: u32, tree: &[Node], language: &str) -> Option<&'static str> {
    let lang = t.lang?;
    let around = crate::layout::display::language_at(tree, n, language);
    (crate::locale::primary(around) != lang).then_some(lang)
}

/// All that the content stream of a page takes from the document around
/// it, apart from its subsets' glyph codes: how each item is marked (its
/// node's role, what a run copies as, the language it is read in) and
/// which picture each draws. Worked out before any byte is written, so a
/// batch can tell a page it has drawn before (`render::reuse`): the same
/// items with the same looks, in subsets whose codes are glyph ids, are
/// the same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Looks(Vec<Look>);

/// How one item is drawn, as far as the document around the page decides.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Look {
    mark: Mark,
    /// The role of the node a `Mark::Node` sequence belongs to.
    role: &'static str,
    /// For a `Mark::Actual` sequence: what the run copies as, and the
    /// language it is read in when not its node's.
    copies: Copies,
    lang: Option<&'static str>,
    /// A picture's number among the document's (`/Im{n}`).
    image: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Copies {
    /// Its glyphs.
    Glyphs,
    /// Its `actual` text (a hyphen added at a break).
    Actual,
    /// Its whole text (a cluster whose glyphs would copy as other text).
    Text,
}

/// The [`Looks`] of `page`; `subsets` holds the subset of every face the
/// page sets text in, `images` the document's pictures, `language` the
/// document's.
pub fn looks(
    page: &Page,
    subsets: &[Arc<Subset>],
    images: &[Arc<crate::images::Image>],
    tree: &[Node],
    language: &str,
) -> Looks {
    let role = |n: u32| tree[n as usize].role.name();
    let looks = page.items.iter().enumerate().map(|(i, item)| {
        let mut look = Look {
            mark: Mark::Artifact,
            role: "",
            copies: Copies::Glyphs,
            lang: None,
            image: None,
        };
        match item {
            // Fields and links draw nothing: no sequence, no end of one.
            Item::Field(_) | Item::Link { .. } | Item::Uri { .. } => look.mark = Mark::None,
            Item::Text(t) => match t.tag {
                Tag::Node(n) if (n as usize) < tree.len() => {
                    look.copies = if t.actual.is_some() {
                        Copies::Actual
                    } else if shaped_actual(t, subsets).is_some() {
                        Copies::Text
                    } else {
                        Copies::Glyphs
                    };
                    look.lang = own_language(t, n, tree, language);
                    if look.copies != Copies::Glyphs || look.lang.is_some() {
                        look.mark = Mark::Actual(n, i);
                    } else {
                        look.mark = Mark::Node(n, false);
                        look.role = role(n);
                    }
                }
                Tag::Again(n) if (n as usize) < tree.len() => {
                    look.mark = Mark::Node(n, true);
                    look.role = role(n);
                }
                _ => {}
            },
            Item::Modules {
                tag: Tag::Node(n), ..
            } if (*n as usize) < tree.len() => {
                look.mark = Mark::Node(*n, false);
                look.role = role(*n);
            }
            Item::Image { tag, image, .. } => {
                if let Tag::Node(n) = *tag {
                    if (n as usize) < tree.len() {
                        look.mark = Mark::Node(n, false);
                        look.role = role(n);
                    }
                }
                look.image = images
                    .iter()
                    .position(|i| Arc::ptr_eq(i, image))
                    .map(|n| n as u32);
            }
            _ => {}
        }
        look
    });
    Looks(looks.collect())
}

/// The uncompressed content stream of `page`, drawn as `looks` says;
/// `subsets` holds the subset of every face the page sets text in.
/// `mcids` gets the node of each marked sequence, in order (its index is
/// the sequence's `/MCID`).
pub fn page(
    page: &Page,
    looks: &Looks,
    subsets: &[Arc<Subset>],
    mcids: &mut Vec<(u32, bool)>,
) -> Vec<u8> {
    let mut c = Ops(Vec::with_capacity(page.items.len() * 40));
    let mut st = State::default();
    let h = page.height;
    let mut codes = Vec::new();
    // The open sequence, and whether it holds text: text sequences begin
    // and end inside a text object (so one text object runs on across
    // them), drawings' outside one.
    let mut open = (Mark::None, false);
    for (item, look) in page.items.iter().zip(&looks.0) {
        let is_text = matches!(item, Item::Text(_));
        let mark = look.mark;
        if mark == Mark::None {
            continue;
        }
        if (mark, is_text) != open {
            if open.0 != Mark::None {
                c.op(b"EMC");
            }
            if !is_text && st.text.take().is_some() {
                c.op(b"ET");
            }
            if is_text && st.text.is_none() {
                c.op(b"BT");
                st.text = Some((0.0, 0.0));
            }
            match mark {
                Mark::Node(n, again) => {
                    c.0.push(b'/');
                    c.0.extend_from_slice(look.role.as_bytes());
                    c.0.extend_from_slice(b"<</MCID ");
                    c.int(mcids.len() as u64);
                    c.op(b">>BDC");
                    mcids.push((n, again));
                }
                Mark::Actual(n, _) => {
                    c.0.extend_from_slice(b"/Span<</MCID ");
                    c.int(mcids.len() as u64);
                    if let Item::Text(t) = item {
                        let copied = match look.copies {
                            Copies::Actual => t.actual.as_deref(),
                            Copies::Text => Some(&*t.text),
                            Copies::Glyphs => None,
                        };
                        if let Some(a) = copied {
                            actual_text(&mut c, a);
                        }
                        if let Some(l) = look.lang {
                            c.0.extend_from_slice(b"/Lang");
                            super::file::text_string(&mut c.0, l);
                        }
                    }
                    c.op(b">>BDC");
                    mcids.push((n, false));
                }
                _ => c.op(b"/Artifact BMC"),
            }
            open = (mark, is_text);
        }
        match item {
            Item::Text(t) => {
                // Where the sequence already carries the ActualText, the
                // run is not wrapped again.
                let wrap = !matches!(mark, Mark::Actual(..));
                text(&mut c, &mut st, t, h, subsets, &mut codes, wrap)
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                gray,
            } => {
                let s = Stroke {
                    width: *width,
                    gray: *gray,
                };
                stroke(&mut c, &mut st, s);
                c.nums(&[*x1, h - y1]);
                c.op(b"m");
                c.nums(&[*x2, h - y2]);
                c.op(b"l S");
            }
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                stroke: s,
                fill: f,
            } => {
                if let Some(s) = s {
                    stroke(&mut c, &mut st, *s);
                }
                if let Some(g) = f {
                    fill(&mut c, &mut st, *g);
                }
                c.nums(&[*x, h - y - rh, *w, *rh]);
                c.op(b"re");
                c.op(match (s.is_some(), f.is_some()) {
                    (true, true) => b"B",
                    (false, true) => b"f",
                    _ => b"S",
                });
            }
            Item::Circle {
                cx,
                cy,
                r: rad,
                stroke: s,
            } => {
                stroke(&mut c, &mut st, *s);
                circle(&mut c, *cx, h - cy, *rad);
            }
            Item::Leader { x1, x2, y } => {
                // Round-capped zero-length dashes print as dots. Inside q/Q,
                // so the state remembered outside still holds after it.
                c.op(b"q 1.1 w 0.35 G 1 J [0 3.6] 0 d");
                c.nums(&[*x1, h - y]);
                c.op(b"m");
                c.nums(&[*x2, h - y]);
                c.op(b"l S Q");
            }
            // Written as annotations by the document writer.
            Item::Modules {
                x,
                y,
                module,
                n,
                dark,
                ..
            } => {
                // Each row's runs of dark modules as one rectangle, all
                // filled at once, black.
                fill(&mut c, &mut st, 0.0);
                let n = *n as usize;
                for row in 0..n {
                    let mut col = 0;
                    while col < n {
                        if !dark[row * n + col] {
                            col += 1;
                            continue;
                        }
                        let start = col;
                        while col < n && dark[row * n + col] {
                            col += 1;
                        }
                        let top = y + module * row as f32;
                        c.nums(&[
                            x + module * start as f32,
                            h - top - module,
                            module * (col - start) as f32,
                            *module,
                        ]);
                        c.op(b"re");
                    }
                }
                c.op(b"f");
            }
            Item::Image { x, y, w, h: ih, .. } => {
                if let Some(n) = look.image {
                    c.op(b"q");
                    c.nums(&[*w, 0.0, 0.0, *ih, *x, h - y - ih]);
                    c.op(b"cm");
                    c.0.extend_from_slice(b"/Im");
                    c.int(n as u64);
                    c.op(b" Do Q");
                }
            }
            Item::Field(_) | Item::Link { .. } | Item::Uri { .. } => {}
        }
    }
    if open.0 != Mark::None {
        c.op(b"EMC");
    }
    if st.text.is_some() {
        c.op(b"ET");
    }
    c.0
}

/// A content stream being written.
struct Ops(Vec<u8>);

impl Ops {
    /// An operator (or several), ending the line.
    fn op(&mut self, op: &[u8]) {
        self.0.extend_from_slice(op);
        self.0.push(b'\n');
    }

    /// Operands, each followed by a space.
    fn nums(&mut self, vs: &[f32]) {
        for &v in vs {
            self.num(v);
            self.0.push(b' ');
        }
    }

    /// A number to a hundredth, without trailing zeros: far finer than
    /// print, and short.
    fn num(&mut self, v: f32) {
        super::file::num(&mut self.0, v);
    }

    fn int(&mut self, n: u64) {
        super::file::int(&mut self.0, n);
    }

    /// Two-byte glyph codes as a literal string: the bytes themselves, with
    /// `(`, `)` and `\` escaped, and CR and LF written as `\r` and `\n`
    /// so that no reader can take them for a line end. Half the bytes of a
    /// hex string, so a page's text costs half the time to compress.
    fn glyphs(&mut self, codes: &[u8]) {
        self.0.reserve(codes.len() + 2);
        self.0.push(b'(');
        // Most codes need no escape: the runs between those that do are
        // copied whole, not a byte at a time.
        let mut rest = codes;
        while let Some(i) = rest
            .iter()
            .position(|b| matches!(b, b'(' | b')' | b'\\' | b'\r' | b'\n'))
        {
            self.0.extend_from_slice(&rest[..i]);
            match rest[i] {
                b'\r' => self.0.extend_from_slice(b"\\r"),
                b'\n' => self.0.extend_from_slice(b"\\n"),
                b => self.0.extend_from_slice(&[b'\\', b]),
            }
            rest = &rest[i + 1..];
        }
        self.0.extend_from_slice(rest);
        self.0.push(b')');
    }
}

fn text(
    c: &mut Ops,
    st: &mut State,
    t: &TextRun,
    page_h: f32,
    subsets: &[Arc<Subset>],
    codes: &mut Vec<u8>,
    wrap_actual: bool,
) {
    let subset = subsets
        .iter()
        .find(|s| s.face() == t.face)
        .expect("every face set on the page has a subset");
    // Td moves from the start of the last line (the origin after BT), so
    // rounded positions are rounded the same way as absolute ones.
    let (x, y) = (round(t.x), round(page_h - t.y));
    let (lx, ly) = st.text.unwrap_or_else(|| {
        c.op(b"BT");
        (0.0, 0.0)
    });
    st.text = Some((x, y));
    if st.font != Some((t.face, t.size)) {
        c.0.push(b'/');
        c.0.extend_from_slice(t.face.resource_name().as_bytes());
        c.0.push(b' ');
        c.nums(&[t.size]);
        c.op(b"Tf");
        st.font = Some((t.face, t.size));
    }
    fill(c, st, t.gray);
    c.nums(&[x - lx, y - ly]);
    c.op(b"Td");
    if !t.glyphs.is_empty() {
        shaped(c, t, subset, codes);
        return;
    }
    if let (Some(actual), true) = (&t.actual, wrap_actual) {
        // Marked content may sit inside a text object; readers copy the
        // ActualText in place of the glyphs.
        c.0.extend_from_slice(b"/Span<<");
        actual_text(c, actual);
        c.op(b">>BDC");
        codes.clear();
        subset.encode(&t.text, codes);
        c.glyphs(codes);
        c.op(b"Tj EMC");
        return;
    }
    if t.kerns.is_empty() {
        codes.clear();
        subset.encode(&t.text, codes);
        c.glyphs(codes);
        c.op(b"Tj");
        return;
    }
    c.0.push(b'[');
    let mut from = 0;
    for &(at, kern) in t.kerns.iter() {
        let at = at as usize;
        if at > from {
            codes.clear();
            subset.encode(&t.text[from..at], codes);
            c.glyphs(codes);
        }
        // TJ numbers are subtracted from the pen position.
        c.num(-kern);
        from = at;
    }
    codes.clear();
    subset.encode(&t.text[from..], codes);
    c.glyphs(codes);
    c.op(b"]TJ");
}

/// A shaped run: its glyphs in `TJ` arrays, each moved from where the
/// font's own advance leaves it to where the shaper put it, and raised
/// with `Ts` where a mark sits above or below the line.
///
/// A right-to-left run's glyphs are drawn in reading order, right to left,
/// each moved to its place: what follows the content stream (a screen
/// reader reading the structure tree, poppler's `-struct-text`) reads the
/// words as written, and position-sorting extractors (pdftotext) are
/// unaffected. (`/ReversedChars`, typst's way, is not read by poppler.)
fn shaped(c: &mut Ops, t: &TextRun, subset: &Subset, codes: &mut Vec<u8>) {
    // Each glyph's place, in thousandths of an em from the run's start.
    let mut pen = 0.0f32;
    let mut placed: Vec<(u16, f32, f32)> = t
        .glyphs
        .iter()
        .map(|g| {
            let at = (g.id, pen + g.dx, g.dy);
            pen += g.advance;
            at
        })
        .collect();
    if t.rtl {
        placed.reverse();
    }
    let m = crate::fonts::metrics(t.face);
    // Where the PDF's pen is, and the rise set.
    let (mut at, mut rise) = (0.0f32, 0.0f32);
    let mut open = false;
    let close = |c: &mut Ops, codes: &mut Vec<u8>, open: &mut bool| {
        if *open {
            c.glyphs(codes);
            codes.clear();
            c.op(b"]TJ");
            *open = false;
        }
    };
    for &(id, x, dy) in &placed {
        if dy != rise {
            close(c, codes, &mut open);
            rise = dy;
            c.nums(&[rise * t.size / 1000.0]);
            c.op(b"Ts");
        }
        if !open {
            c.0.push(b'[');
            codes.clear();
            open = true;
        }
        let move_by = x - at;
        if move_by.abs() >= 0.5 {
            c.glyphs(codes);
            codes.clear();
            // TJ numbers are subtracted from the pen position.
            c.num(super::file::round(-move_by));
            at += super::file::round(move_by);
        }
        codes.extend_from_slice(&subset.code(id));
        at += m.glyph_advance(id);
    }
    close(c, codes, &mut open);
    if rise != 0.0 {
        c.nums(&[0.0]);
        c.op(b"Ts");
    }
}

/// What copying a shaped run gives when its glyphs would copy otherwise:
/// a left-to-right run with a cluster whose glyphs' ToUnicode texts do
/// not spell it (a Devanagari vowel drawn before its consonant, a
/// conjunct). Right-to-left runs have none: drawn in reading order they
/// read right through the structure tree, and pdftotext, which reorders
/// right-to-left text by position, turned an `/ActualText` round whole
/// (tried). What is left: pdftotext copies an Arabic lam-alef ligature's
/// two letters swapped ("كال" for "كلا"), as it does typst's.
fn shaped_actual<'a>(t: &'a TextRun, subsets: &[Arc<Subset>]) -> Option<&'a str> {
    if t.glyphs.is_empty() || t.rtl {
        return None;
    }
    let subset = subsets.iter().find(|s| s.face() == t.face)?;
    let mut i = 0;
    while i < t.glyphs.len() {
        let range = t.glyphs[i].text;
        let mut copied = String::new();
        while i < t.glyphs.len() && t.glyphs[i].text == range {
            copied.push_str(subset.unicode(t.glyphs[i].id).unwrap_or(""));
            i += 1;
        }
        if copied != t.text[range.0 as usize..range.1 as usize] {
            return Some(&t.text);
        }
    }
    None
}

/// `/ActualText <FEFF…>`: the text as UTF-16BE hex.
fn actual_text(c: &mut Ops, actual: &str) {
    c.0.extend_from_slice(b"/ActualText");
    super::file::text_string(&mut c.0, actual);
}

fn round(v: f32) -> f32 {
    super::file::round(v * 100.0) / 100.0
}

fn fill(c: &mut Ops, st: &mut State, gray: f32) {
    if st.fill != Some(gray) {
        c.nums(&[gray]);
        c.op(b"g");
        st.fill = Some(gray);
    }
}

fn stroke(c: &mut Ops, st: &mut State, s: Stroke) {
    let old = st.stroke;
    if old.map(|o| o.width) != Some(s.width) {
        c.nums(&[s.width]);
        c.op(b"w");
    }
    if old.map(|o| o.gray) != Some(s.gray) {
        c.nums(&[s.gray]);
        c.op(b"G");
    }
    st.stroke = Some(s);
}

/// A circle as four cubic Béziers (PDF coordinates), stroked.
fn circle(c: &mut Ops, cx: f32, cy: f32, r: f32) {
    let k = 0.552_284_8 * r;
    c.nums(&[cx + r, cy]);
    c.op(b"m");
    c.nums(&[cx + r, cy + k, cx + k, cy + r, cx, cy + r]);
    c.op(b"c");
    c.nums(&[cx - k, cy + r, cx - r, cy + k, cx - r, cy]);
    c.op(b"c");
    c.nums(&[cx - r, cy - k, cx - k, cy - r, cx, cy - r]);
    c.op(b"c");
    c.nums(&[cx + k, cy - r, cx + r, cy - k, cx + r, cy]);
    c.op(b"c h S");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_to_a_hundredth() {
        let mut c = Ops(Vec::new());
        c.nums(&[72.0, 684.4799, -0.5, 0.004, -16.8, 1e6]);
        assert_eq!(c.0, b"72 684.48 -0.5 0 -16.8 1000000 ");
    }

    #[test]
    fn glyph_codes_read_back_as_written_whatever_their_bytes() {
        // Every byte value, as high and as low byte of a code, and the
        // ones a literal string must escape side by side.
        let mut codes: Vec<u8> = (0..=255u8).flat_map(|b| [b, 255 - b]).collect();
        codes.extend_from_slice(b"\\()\r\n\r\n)(\\");
        let mut c = Ops(Vec::new());
        c.glyphs(&codes);
        c.op(b" Tj");
        let body = &c.0[..c.0.len() - 1];
        assert!(!body.contains(&b'\r') && !body.contains(&b'\n'));
        let ops = lopdf::content::Content::decode(&c.0).unwrap().operations;
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].operator, "Tj");
        assert_eq!(ops[0].operands[0].as_str().unwrap(), &codes[..]);
    }
}
