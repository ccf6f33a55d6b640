//! A face and its metrics, read from the font's tables.

use super::tables;
use std::borrow::Cow;
use std::sync::OnceLock;

/// One embeddable face: a bundled one, or one found on the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
    Fallback,
    FallbackBold,
    /// The n-th face [`super::found`] opened in this process. The number depends
    /// on which text asked first, so nothing written uses it: files name
    /// and order found faces by their PostScript names.
    Found(u8),
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

    /// PostScript name written to the PDF (`/BaseFont`).
    pub fn postscript_name(self) -> &'static str {
        match self {
            Face::Found(_) => &metrics(self).names.0,
            Face::Regular => "Lato-Regular",
            Face::Bold => "Lato-Bold",
            Face::Italic => "Lato-Italic",
            Face::BoldItalic => "Lato-BoldItalic",
            Face::Fallback => "DejaVuSans",
            Face::FallbackBold => "DejaVuSans-Bold",
        }
    }

    /// Stable PDF resource name, the same in every page and document.
    pub fn resource_name(self) -> &'static str {
        match self {
            Face::Found(_) => &metrics(self).names.1,
            Face::Regular => "F1",
            Face::Bold => "F2",
            Face::Italic => "F3",
            Face::BoldItalic => "F4",
            Face::Fallback => "F5",
            Face::FallbackBold => "F6",
        }
    }

    /// Whether the face slants (the PDF font descriptor says so).
    pub fn is_italic(self) -> bool {
        match self {
            Face::Found(_) => metrics(self).face.is_italic(),
            _ => matches!(self, Face::Italic | Face::BoldItalic),
        }
    }

    /// The font program: as shipped in `fonts/`, or the file found.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Found(_) => metrics(self).bytes,
            Face::Regular => include_bytes!("../../fonts/lato/Lato-Regular.ttf"),
            Face::Bold => include_bytes!("../../fonts/lato/Lato-Bold.ttf"),
            Face::Italic => include_bytes!("../../fonts/lato/Lato-Italic.ttf"),
            Face::BoldItalic => include_bytes!("../../fonts/lato/Lato-BoldItalic.ttf"),
            Face::Fallback => include_bytes!("../../fonts/dejavu/DejaVuSans.ttf"),
            Face::FallbackBold => include_bytes!("../../fonts/dejavu/DejaVuSans-Bold.ttf"),
        }
    }

    /// Which font of a collection (`.ttc`) the face is.
    pub fn collection_index(self) -> u32 {
        metrics(self).index
    }

    /// Orders faces the same in every run: bundled ones first, found ones
    /// by name (their numbers depend on which text asked first).
    pub fn sort_key(self) -> (u8, &'static str) {
        match self {
            Face::Found(_) => (u8::MAX, self.postscript_name()),
            bundled => (bundled.index() as u8, ""),
        }
    }

    pub(super) fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
            Face::Fallback => 4,
            Face::FallbackBold => 5,
            Face::Found(n) => 6 + usize::from(n),
        }
    }
}

/// Per-face metrics, read lazily from the font's tables and shared by every
/// thread.
///
/// Metrics come straight from `hmtx`, `cmap`, `hhea`/`OS/2` and the legacy `kern`
/// table through ttf-parser, which reads a table only when asked: opening a
/// face costs microseconds, where fontdue parses every outline up front
/// (15–40 ms a face, most of a cold run). The numbers are the ones fontdue
/// reports for the same bytes; a test holds the two to each other.
pub struct Metrics {
    face: ttf_parser::Face<'static>,
    bytes: &'static [u8],
    index: u32,
    /// PostScript and resource names of a found face.
    names: (String, String),
    /// The face as the shaper reads it, made when text first needs shaping.
    shaper: OnceLock<Option<harfrust::Font>>,
    /// Glyph id and advance of every character below `tables::TABLE_END`
    /// (`tables::char_table`): layout asks for these for every character
    /// it sets, and a `cmap` search each time was most of layout's cost.
    /// Built into the binary for the bundled faces (`build.rs`), read when
    /// the face opens for the others.
    table: Cow<'static, [u8]>,
    /// Kerning pairs by left glyph, read once from the `kern` table: layout
    /// asks for every pair of characters it sets, and a binary search of the
    /// raw table each time was a tenth of a batch's time.
    kern: KernPairs,
    /// 1000 / units per em.
    scale: f32,
    ascent: f32,
    descent: f32,
}

/// The bundled faces, then the faces found: at most this many in a
/// process (a document needing more is set with characters missing).
const MOST_FACES: usize = 6 + MOST_FOUND as usize;

/// At most this many faces found on the system in a process.
pub(super) const MOST_FOUND: u8 = 58;

pub(super) static FACES: [OnceLock<Metrics>; MOST_FACES] = [const { OnceLock::new() }; MOST_FACES];

/// A bundled face's tables, made by `build.rs` with `tables`.
struct Prebuilt {
    chars: &'static [u8],
    kern: Option<Kern>,
}

struct Kern {
    class: &'static [u8],
    n: usize,
    matrix: &'static [u8],
    present: &'static [u8],
}

/// In [`Face::ALL`] order.
static PREBUILT: [Prebuilt; 6] = include!(concat!(env!("OUT_DIR"), "/prebuilt.rs"));

/// The metrics of a face, opening it on first use.
pub fn metrics(face: Face) -> &'static Metrics {
    FACES[face.index()].get_or_init(|| {
        let bytes = match face {
            Face::Found(_) => unreachable!("a found face is opened by `found` before use"),
            bundled => bundled.bytes(),
        };
        Metrics::open(
            bytes,
            0,
            (String::new(), String::new()),
            PREBUILT.get(face.index()),
        )
        .unwrap_or_else(|| panic!("bundled font {face:?} is corrupt"))
    })
}

impl Metrics {
    /// Reads a face's metrics; `None` when the data is not a font. The
    /// tables come from `prebuilt` when given (a bundled face).
    fn open(
        bytes: &'static [u8],
        index: u32,
        names: (String, String),
        prebuilt: Option<&'static Prebuilt>,
    ) -> Option<Metrics> {
        let f = ttf_parser::Face::parse(bytes, index).ok()?;
        let upem = f32::from(f.units_per_em());
        let (table, kern) = match prebuilt {
            Some(p) => (
                Cow::Borrowed(p.chars),
                KernPairs::prebuilt(&f, p.kern.as_ref()),
            ),
            None => (Cow::Owned(tables::char_table(&f)), KernPairs::read(&f)),
        };
        Some(Metrics {
            table,
            kern,
            scale: 1000.0 / upem,
            ascent: f32::from(f.ascender()) / upem,
            descent: -f32::from(f.descender()) / upem,
            face: f,
            bytes,
            index,
            names,
            shaper: OnceLock::new(),
        })
    }

    /// A found face's metrics: its tables are read now.
    pub(super) fn open_found(
        bytes: &'static [u8],
        index: u32,
        names: (String, String),
    ) -> Option<Metrics> {
        Metrics::open(bytes, index, names, None)
    }
}

/// Format-0 kerning pairs as a dense matrix over the glyphs that kern at
/// all (a few hundred in Lato): two lookups and an index instead of a
/// binary search (`tables::kern_matrix`). Later subtables, which no bundled
/// face has, and a first one too large for a matrix, are searched in place.
#[derive(Default)]
struct KernPairs {
    /// Row/column of each glyph id in `matrix` (`u16`s); `NONE` for glyphs
    /// that never kern.
    class: Cow<'static, [u8]>,
    n: usize,
    /// An `i16` for each pair of classes.
    matrix: Cow<'static, [u8]>,
    /// One bit per cell: whether the table lists that pair at all.
    present: Cow<'static, [u8]>,
    rest: Vec<ttf_parser::kern::Subtable<'static>>,
}

impl KernPairs {
    const NONE: u16 = u16::MAX;

    /// The subtables the matrix does not hold.
    fn rest(
        f: &ttf_parser::Face<'static>,
        matrix: bool,
    ) -> Vec<ttf_parser::kern::Subtable<'static>> {
        let Some(kern) = f.tables().kern else {
            return Vec::new();
        };
        let tables = kern
            .subtables
            .into_iter()
            .filter(|t| t.horizontal && !t.variable);
        tables.skip(usize::from(matrix)).collect()
    }

    fn read(f: &ttf_parser::Face<'static>) -> KernPairs {
        match tables::kern_matrix(f) {
            Some((class, n, matrix, present)) => KernPairs {
                class: Cow::Owned(class),
                n,
                matrix: Cow::Owned(matrix),
                present: Cow::Owned(present),
                rest: Self::rest(f, true),
            },
            None => KernPairs {
                rest: Self::rest(f, false),
                ..KernPairs::default()
            },
        }
    }

    fn prebuilt(f: &ttf_parser::Face<'static>, k: Option<&'static Kern>) -> KernPairs {
        match k {
            Some(k) => KernPairs {
                class: Cow::Borrowed(k.class),
                n: k.n,
                matrix: Cow::Borrowed(k.matrix),
                present: Cow::Borrowed(k.present),
                rest: Self::rest(f, true),
            },
            None => KernPairs {
                rest: Self::rest(f, false),
                ..KernPairs::default()
            },
        }
    }

    fn class(&self, g: u16) -> u16 {
        let i = 2 * usize::from(g);
        match self.class.get(i..i + 2) {
            Some(b) => u16::from_le_bytes([b[0], b[1]]),
            None => Self::NONE,
        }
    }

    fn get(&self, l: u16, r: u16) -> Option<i16> {
        let (cl, cr) = (self.class(l), self.class(r));
        if cl != Self::NONE && cr != Self::NONE {
            let cell = usize::from(cl) * self.n + usize::from(cr);
            // A pair listed with 0 still ends the search, as in the table.
            if self.present[cell / 8] & (1 << (cell % 8)) != 0 {
                return Some(i16::from_le_bytes([
                    self.matrix[2 * cell],
                    self.matrix[2 * cell + 1],
                ]));
            }
        }
        if self.rest.is_empty() {
            return None;
        }
        let (l, r) = (ttf_parser::GlyphId(l), ttf_parser::GlyphId(r));
        self.rest.iter().find_map(|t| t.glyphs_kerning(l, r))
    }
}

impl Metrics {
    /// The glyph id of `c`; 0 (`.notdef`) when the face lacks it.
    pub fn glyph_id(&self, c: char) -> u16 {
        match self.table_entry(c) {
            Some((gid, _)) => gid,
            None => self.face.glyph_index(c).map_or(0, |g| g.0),
        }
    }

    /// Glyph id and advance of `c` from the table, below `tables::TABLE_END`.
    fn table_entry(&self, c: char) -> Option<(u16, u16)> {
        let i = 4 * c as usize;
        let b = self.table.get(i..i + 4)?;
        Some((
            u16::from_le_bytes([b[0], b[1]]),
            u16::from_le_bytes([b[2], b[3]]),
        ))
    }

    /// Whether the face has a real glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.glyph_id(c) != 0
    }

    /// Advance of `c` in thousandths of an em, as the PDF prints it.
    pub fn advance(&self, c: char) -> f32 {
        match self.table_entry(c) {
            Some((_, adv)) => f32::from(adv),
            None => self.glyph_advance(self.glyph_id(c)),
        }
    }

    /// Advance of a glyph in thousandths of an em, as the PDF prints it.
    pub fn glyph_advance(&self, gid: u16) -> f32 {
        f32::from(tables::advance_units(&self.face, gid))
    }

    /// The parsed font, for the PDF font descriptor.
    pub fn font(&self) -> &ttf_parser::Face<'static> {
        &self.face
    }

    /// The face as the shaper reads it; `None` if it cannot.
    pub fn shaper(&self) -> Option<&harfrust::Font> {
        self.shaper
            .get_or_init(|| harfrust::Font::new(self.bytes, self.index))
            .as_ref()
    }

    /// Thousandths of an em per font unit.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Whether the outlines are CFF (PostScript), not TrueType: they are
    /// embedded differently.
    pub fn is_cff(&self) -> bool {
        self.face.tables().cff.is_some()
    }

    /// Kerning between two characters in thousandths of an em (negative pulls
    /// them together); 0 when the `kern` table has no pair.
    pub fn kern(&self, left: char, right: char) -> f32 {
        self.glyph_kern(self.glyph_id(left), self.glyph_id(right))
    }

    /// [`Metrics::kern`] between two glyphs.
    pub fn glyph_kern(&self, left: u16, right: u16) -> f32 {
        self.kern
            .get(left, right)
            .map_or(0.0, |k| (f32::from(k) * self.scale).round())
    }

    /// The glyph id and advance of `c` in one look-up: what layout asks of
    /// every character it sets ([`Metrics::glyph_id`], [`Metrics::advance`]).
    pub fn glyph(&self, c: char) -> (u16, f32) {
        match self.table_entry(c) {
            Some((gid, adv)) => (gid, f32::from(adv)),
            None => {
                let gid = self.glyph_id(c);
                (gid, self.glyph_advance(gid))
            }
        }
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

    /// The tables `build.rs` compiled in are the ones the face gives when
    /// read at run time, kerning included.
    #[test]
    fn prebuilt_tables_are_the_faces_own() {
        for face in Face::ALL {
            let p = &PREBUILT[face.index()];
            let f = ttf_parser::Face::parse(face.bytes(), 0).unwrap();
            assert_eq!(p.chars, &tables::char_table(&f)[..], "{face:?}");
            let read = KernPairs::read(&f);
            let built = KernPairs::prebuilt(&f, p.kern.as_ref());
            assert_eq!(read.class, built.class, "{face:?}");
            assert_eq!((read.n, &read.matrix), (built.n, &built.matrix), "{face:?}");
            assert_eq!(read.present, built.present, "{face:?}");
            assert_eq!(read.rest.len(), built.rest.len(), "{face:?}");
        }
        // Lato kerns through the matrix.
        assert!(PREBUILT[Face::Regular.index()]
            .kern
            .as_ref()
            .is_some_and(|k| k.n > 100));
    }

    #[test]
    fn kerned_pairs_are_narrower_than_their_advances() {
        let m = metrics(Face::Regular);
        for (a, b) in [('A', 'V'), ('T', 'o')] {
            let sum = m.advance(a) + m.advance(b);
            let kerned = sum + m.kern(a, b);
            assert!(kerned < sum - 10.0, "{a}{b}: {kerned} vs {sum}");
        }
    }

    /// The measured numbers are fontdue's for the same bytes: every
    /// character of the bundled worksheets, and every pair of them.
    #[test]
    fn metrics_agree_with_fontdue() {
        let mut text = String::new();
        for dir in [
            "worksheets/overview",
            "worksheets/atone",
            "worksheets/attune",
            "worksheets/attach",
        ] {
            for e in std::fs::read_dir(dir).unwrap() {
                text.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
            }
        }
        let mut chars: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
        chars.sort_unstable();
        chars.dedup();
        for face in [Face::Regular, Face::Bold, Face::Italic, Face::Fallback] {
            let ours = metrics(face);
            let font =
                fontdue::Font::from_bytes(face.bytes(), fontdue::FontSettings::default()).unwrap();
            let lm = font.horizontal_line_metrics(1.0).unwrap();
            assert!((ours.ascent() - lm.ascent).abs() < 1e-4);
            assert!((ours.descent() + lm.descent).abs() < 1e-4);
            for &c in &chars {
                assert_eq!(
                    ours.covers(c),
                    font.lookup_glyph_index(c) != 0,
                    "{face:?} {c:?}"
                );
                let theirs = font
                    .metrics_indexed(font.lookup_glyph_index(c), 1000.0)
                    .advance_width
                    .floor();
                assert_eq!(ours.advance(c), theirs, "{face:?} advance of {c:?}");
            }
            for &a in &chars {
                for &b in &chars {
                    let theirs = font.horizontal_kern(a, b, 1000.0).map_or(0.0, f32::round);
                    assert_eq!(ours.kern(a, b), theirs, "{face:?} kern {a:?}{b:?}");
                }
            }
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
