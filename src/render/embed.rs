//! Font embedding: each face a document sets, subset to the characters it
//! sets, as a CID-keyed TrueType font (Type0 over CIDFontType2, Identity-H)
//! with `/W` widths and a ToUnicode map so copied text is real text.
//!
//! Subsetting and compressing the font programs is most of the work of
//! writing a PDF, and the documents of a batch set nearly the same
//! characters (a roster changes a few names), so each subset is made once
//! per process for each (face, character set) and shared between documents
//! and threads. The subset depends only on that key, never on which
//! document asked first, so output stays byte-identical.

use super::file::File;
use crate::deflate::deflate;
use crate::fonts::{self, Face};
use crate::layout::display::TextRun;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Name, Rect, Ref, Str};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// What a document sets in each face: characters set glyph for
/// character, and the glyphs the shaper chose, each with the text it
/// stands for.
#[derive(Default)]
pub struct Usage {
    faces: Vec<(Face, FaceUse)>,
}

struct FaceUse {
    /// A placeholder's value (a name) is set in the face.
    values: bool,
    /// One bit per character of the Basic Multilingual Plane.
    bmp: Box<[u64; 1024]>,
    astral: Vec<char>,
    shaped: Vec<(u16, String)>,
}

/// What one face of a document needs: its characters in code-point order,
/// its shaped glyphs with their texts, sorted, and whether it sets a
/// placeholder's value.
pub type FaceNeeds = (Face, Vec<char>, Vec<(u16, String)>, bool);

impl Usage {
    pub fn new() -> Usage {
        Usage::default()
    }

    /// A text run, set glyph for character or shaped.
    pub fn add_run(&mut self, t: &TextRun) {
        if t.glyphs.is_empty() {
            self.add(t.face, &t.text);
        } else {
            self.add_shaped(t);
        }
        if t.value {
            self.of(t.face).values = true;
        }
    }

    fn of(&mut self, face: Face) -> &mut FaceUse {
        let i = match self.faces.iter().position(|(f, _)| *f == face) {
            Some(i) => i,
            None => {
                self.faces.push((
                    face,
                    FaceUse {
                        values: false,
                        bmp: Box::new([0; 1024]),
                        astral: Vec::new(),
                        shaped: Vec::new(),
                    },
                ));
                self.faces.len() - 1
            }
        };
        &mut self.faces[i].1
    }

    pub fn add(&mut self, face: Face, text: &str) {
        let u = self.of(face);
        for c in text.chars() {
            let n = c as usize;
            if n < 0x10000 {
                u.bmp[n >> 6] |= 1 << (n & 63);
            } else {
                u.astral.push(c);
            }
        }
    }

    /// A shaped run's glyphs, each with the text of its cluster.
    pub fn add_shaped(&mut self, run: &TextRun) {
        let u = self.of(run.face);
        for g in &run.glyphs {
            let text = &run.text[g.text.0 as usize..g.text.1 as usize];
            if !u.shaped.iter().any(|(id, t)| *id == g.id && t == text) {
                u.shaped.push((g.id, text.to_owned()));
            }
        }
    }

    /// The faces used, in the same order in every run.
    pub fn faces(&self) -> Vec<FaceNeeds> {
        let mut out: Vec<FaceNeeds> = self
            .faces
            .iter()
            .map(|(face, u)| {
                let mut chars: Vec<char> = Vec::new();
                for (w, &word) in u.bmp.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        let b = word.trailing_zeros() as usize;
                        word &= word - 1;
                        chars.extend(char::from_u32((w * 64 + b) as u32));
                    }
                }
                let mut astral = u.astral.clone();
                astral.sort_unstable();
                astral.dedup();
                chars.extend(astral);
                let mut shaped = u.shaped.clone();
                shaped.sort_unstable();
                (*face, chars, shaped, u.values)
            })
            .filter(|(_, c, s, _)| !c.is_empty() || !s.is_empty())
            .collect();
        out.sort_by_key(|n| n.0.sort_key());
        out
    }
}

/// How the glyphs of a subset are numbered in page content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Codes {
    /// The subset's own glyph ids (`/CIDToGIDMap /Identity`): the smallest
    /// file, for a document written alone.
    #[default]
    Compact,
    /// The face's glyph ids, with a `/CIDToGIDMap` to the subset's (a few
    /// hundred bytes a face). A page's bytes then do not depend on what
    /// else its file sets, so the worksheet pages of a roster batch are the
    /// same bytes in every row's file, however the names change the
    /// subset, and are compressed once (`deflate::deflate_shared`). CFF
    /// faces stay compact: their CIDs are the program's own.
    Stable,
}

/// How hard each kind of stream is compressed.
#[derive(Debug, Clone, Copy)]
pub struct Levels {
    pub pages: u32,
    pub fonts: u32,
    /// Pages and font subsets that hold a placeholder's value (a batch
    /// row's names): made for one row's file, not shared.
    pub own_pages: u32,
    pub own_fonts: u32,
    /// Object streams and the cross-reference stream.
    pub objects: u32,
}

impl Codes {
    /// The levels for a file written this way. A document written alone
    /// uses one level for everything: each level is a compressor of its
    /// own (a few hundred kilobytes allocated and faulted in), and in a
    /// cold build a second and a third compressor cost more than level 9
    /// saves; level 5 object streams are also smaller than level 1 ones.
    /// A batch's compressors last the whole batch: the fonts and pages
    /// every row shares are compressed at 9, once. What is a row's own is
    /// compressed for every row, so at 1, for speed: its object streams,
    /// the subsets that hold its names (2 % more bytes than at 9, in two
    /// fifths of the time) and the pages that show them. A batch file is
    /// 0.6 % larger for 15 % fewer instructions (docs/performance.md).
    pub fn levels(self) -> Levels {
        match self {
            Codes::Compact => Levels {
                pages: 5,
                fonts: 5,
                own_pages: 5,
                own_fonts: 5,
                objects: 5,
            },
            Codes::Stable => Levels {
                pages: 9,
                fonts: 9,
                own_pages: 1,
                own_fonts: 1,
                objects: 1,
            },
        }
    }
}

/// One face subset for one character set, ready to write into any document.
pub struct Subset {
    face: Face,
    /// The text each shaped glyph's ToUnicode entry gives (by original
    /// glyph id): a cluster that would copy as anything else is wrapped in
    /// `/ActualText` by the writer.
    unicode: HashMap<u16, String>,
    /// The subset's glyph id for each original glyph id; 0 where unused.
    cids: Vec<u16>,
    /// Whether a glyph's code (its CID) is its original glyph id
    /// ([`Codes::Stable`] in a TrueType face) or the subset's.
    gid_codes: bool,
    /// `XXXXXX+Name`: the tag is a hash of the characters, so different
    /// subsets of a face get different names (viewers that cache fonts by
    /// name across files do not mix them up).
    base_font: String,
    /// Advances in thousandths of an em, in runs of consecutive codes:
    /// the first code of each, then the advance of each.
    widths: Vec<(u16, Vec<f32>)>,
    /// The subset font program, the ToUnicode CMap and (for `gid_codes`)
    /// the CIDToGIDMap, all compressed.
    program: Vec<u8>,
    to_unicode: Vec<u8>,
    cid_to_gid: Option<Vec<u8>>,
}

impl Subset {
    pub fn face(&self) -> Face {
        self.face
    }

    /// Appends the two-byte codes of `text` (Identity-H: code = CID).
    pub fn encode(&self, text: &str, out: &mut Vec<u8>) {
        let m = fonts::metrics(self.face);
        out.reserve(2 * text.len());
        for c in text.chars() {
            out.extend_from_slice(&self.code(m.glyph_id(c)));
        }
    }

    /// The two-byte code of a glyph; .notdef's for one the face lacks.
    pub fn code(&self, gid: u16) -> [u8; 2] {
        let new = self.cids.get(usize::from(gid)).copied().unwrap_or(0);
        match (self.gid_codes, new) {
            (true, 0) => [0, 0],
            (true, _) => gid.to_be_bytes(),
            (false, _) => new.to_be_bytes(),
        }
    }

    /// Whether the code of each of `gids` is the glyph id itself: codes
    /// that are ids ([`Codes::Stable`], a TrueType face) of glyphs the
    /// subset holds (or .notdef). Codes that pass are the same in every
    /// subset of the face that passes, whatever else it holds.
    pub fn codes_are_ids(&self, gids: &[u16]) -> bool {
        self.gid_codes
            && gids
                .iter()
                .all(|&g| g == 0 || self.cids.get(usize::from(g)).is_some_and(|&c| c != 0))
    }

    /// What copying a shaped glyph gives.
    pub fn unicode(&self, gid: u16) -> Option<&str> {
        self.unicode.get(&gid).map(String::as_str)
    }

    /// Writes the font's objects; `font` is the Type0 font resources use,
    /// and the next [`Subset::objects`]` - 1` numbers after it are used for
    /// the rest.
    pub fn write(&self, file: &mut File, font: Ref) {
        let (cid, descriptor, program, cmap, map) = (
            Ref::new(font.get() + 1),
            Ref::new(font.get() + 2),
            Ref::new(font.get() + 3),
            Ref::new(font.get() + 4),
            Ref::new(font.get() + 5),
        );
        let name = Name(self.base_font.as_bytes());
        file.object(font, |c| {
            c.type0_font(font)
                .base_font(name)
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid)
                .to_unicode(cmap);
        });
        // CFF outlines (the Noto CJK faces) are a CIDFontType0 whose
        // program is the subset OpenType file; TrueType ones a CIDFontType2.
        let cff = fonts::metrics(self.face).is_cff();
        file.object(cid, |c| {
            let mut f = c.cid_font(cid);
            f.subtype(if cff {
                CidFontType::Type0
            } else {
                CidFontType::Type2
            })
            .base_font(name)
            .system_info(SYSTEM_INFO)
            .font_descriptor(descriptor);
            match (&self.cid_to_gid, cff) {
                (Some(_), _) => {
                    f.pair(Name(b"CIDToGIDMap"), map);
                }
                (None, false) => {
                    f.cid_to_gid_map_predefined(Name(b"Identity"));
                }
                (None, true) => {}
            }
            let mut w = f.widths();
            for (first, run) in &self.widths {
                w.consecutive(*first, run.iter().copied());
            }
        });
        let d = descriptor_of(self.face);
        file.object(descriptor, |c| {
            let mut fd = c.font_descriptor(descriptor);
            fd.name(name)
                .flags(d.flags)
                .bbox(d.bbox)
                .italic_angle(d.italic_angle)
                .ascent(d.ascent)
                .descent(d.descent)
                .cap_height(d.cap_height)
                .stem_v(d.stem_v);
            if cff {
                fd.font_file3(program);
            } else {
                fd.font_file2(program);
            }
        });
        file.stream(program, self.program.len(), |c| {
            let mut st = c.stream(program, &self.program);
            st.filter(Filter::FlateDecode);
            if cff {
                st.pair(Name(b"Subtype"), Name(b"OpenType"));
            }
        });
        file.stream(cmap, self.to_unicode.len(), |c| {
            c.cmap(cmap, &self.to_unicode).filter(Filter::FlateDecode);
        });
        if let Some(data) = &self.cid_to_gid {
            file.stream(map, data.len(), |c| {
                c.stream(map, data).filter(Filter::FlateDecode);
            });
        }
    }

    /// How many object numbers [`Subset::write`] uses.
    pub fn objects(&self) -> i32 {
        if self.cid_to_gid.is_some() {
            6
        } else {
            5
        }
    }
}

const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The subset of `face` for exactly `chars` and `shaped` glyphs, made on
/// first request; `values` when it sets a placeholder's value, which
/// decides how hard it is compressed ([`Levels`]).
pub fn subset(
    face: Face,
    chars: &[char],
    shaped: &[(u16, String)],
    codes: Codes,
    values: bool,
) -> Arc<Subset> {
    // Keyed by the level, not by `values`: a document written alone
    // compresses both alike, and then shares one subset.
    type Key = (Face, Vec<char>, Vec<(u16, String)>, Codes, u32);
    type Cache = Mutex<HashMap<Key, Arc<Subset>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    // A batch of distinct names makes many subsets of the face the names are
    // set in; past this many the cache starts again rather than growing.
    const MAX: usize = 256;
    let cache = CACHE.get_or_init(Default::default);
    let levels = codes.levels();
    let level = if values {
        levels.own_fonts
    } else {
        levels.fonts
    };
    let key = (face, chars.to_vec(), shaped.to_vec(), codes, level);
    if let Some(s) = cache.lock().expect("cache lock").get(&key) {
        return Arc::clone(s);
    }
    // Made outside the lock: two threads may both make it, identically.
    let made = Arc::new(make(face, chars, shaped, codes, level));
    let mut map = cache.lock().expect("cache lock");
    if map.len() >= MAX {
        map.clear();
    }
    Arc::clone(map.entry(key).or_insert(made))
}

fn make(face: Face, chars: &[char], shaped: &[(u16, String)], codes: Codes, level: u32) -> Subset {
    let m = fonts::metrics(face);
    // Each glyph with the text it copies as: a character set glyph for
    // character first, else the first text the shaper set it for.
    let mut gids: Vec<(u16, String)> = chars
        .iter()
        .map(|&c| (m.glyph_id(c), c.to_string()))
        .collect();
    let by_char: HashSet<u16> = gids.iter().map(|g| g.0).collect();
    let shaped_ids: HashSet<u16> = shaped.iter().map(|g| g.0).collect();
    // `shaped` is sorted: a glyph's first entry is the text it keeps.
    let mut seen = HashSet::new();
    gids.extend(
        shaped
            .iter()
            .filter(|(g, _)| !by_char.contains(g) && seen.insert(*g))
            .cloned(),
    );
    // Sorted glyph ids give CIDs in glyph order whatever the characters.
    gids.sort_unstable();
    let mut remapper = subsetter::GlyphRemapper::new();
    let glyphs = usize::from(m.font().number_of_glyphs());
    let mut cids = vec![0u16; glyphs];
    let gid_codes = codes == Codes::Stable && !m.is_cff();
    let mut unicode: Vec<(u16, &str)> = Vec::with_capacity(gids.len());
    // Code 0 is .notdef; the remapper hands out the next CID for each new
    // glyph, so a glyph's width is pushed when its CID is new.
    let mut widths = vec![(0, m.glyph_advance(0))];
    let mut fresh = 1;
    // Every shaped glyph's ToUnicode text, to tell when a cluster needs
    // an ActualText.
    let mut copies: HashMap<u16, String> = HashMap::new();
    let mut last = None;
    for (gid, text) in &gids {
        let gid = *gid;
        if last != Some(gid) && shaped_ids.contains(&gid) {
            copies.insert(gid, text.clone());
        }
        if usize::from(gid) >= glyphs {
            last = Some(gid);
            continue;
        }
        let cid = remapper.remap(gid);
        cids[usize::from(gid)] = cid;
        let code = if gid_codes { gid } else { cid };
        if cid == fresh {
            widths.push((code, m.glyph_advance(gid)));
            fresh += 1;
        }
        // A glyph shared by two characters (a space and a no-break space)
        // copies as the first of them.
        if gid != 0 && last != Some(gid) {
            unicode.push((code, text));
        }
        last = Some(gid);
    }
    let program = subsetter::subset(face.bytes(), face.collection_index(), &remapper)
        .unwrap_or_else(|e| panic!("font {face:?} cannot be subset: {e:?}"));
    let program = super::truetype::strip_hinting(&program).unwrap_or(program);
    let widths = width_runs(&widths);
    // Only up to the highest glyph used: a batch keeps up to `MAX`
    // subsets, and a CJK face has 65,000 glyphs.
    let top = gids
        .last()
        .map_or(0, |g| usize::from(g.0))
        .min(glyphs.saturating_sub(1));
    cids.truncate(top + 1);
    cids.shrink_to_fit();
    // Original glyph id → subset glyph id, two bytes each, up to the
    // highest glyph used (mostly zeros, which compress to little).
    let cid_to_gid = gid_codes.then(|| {
        let map: Vec<u8> = cids.iter().flat_map(|c| c.to_be_bytes()).collect();
        deflate(&map, level)
    });
    Subset {
        face,
        unicode: copies,
        cids,
        gid_codes,
        cid_to_gid,
        base_font: format!(
            "{}+{}",
            tag(face, chars, shaped, codes),
            face.postscript_name()
        ),
        widths,
        program: deflate(&program, level),
        to_unicode: deflate(&to_unicode(&unicode), level),
    }
}

/// `/W` runs: consecutive codes share one entry. (Filling a gap of one
/// or two codes with the unused glyphs' advances made files larger.)
fn width_runs(widths: &[(u16, f32)]) -> Vec<(u16, Vec<f32>)> {
    let mut runs: Vec<(u16, Vec<f32>)> = Vec::new();
    for &(code, w) in widths {
        match runs.last_mut() {
            Some((first, run)) if u32::from(*first) + run.len() as u32 == u32::from(code) => {
                run.push(w);
            }
            _ => runs.push((code, vec![w])),
        }
    }
    runs
}

/// A ToUnicode CMap for `(cid, character)` pairs in CID order. Runs where
/// both go up by one (a–z are usually consecutive glyphs) become one
/// `bfrange` line, the rest `bfchar` lines, in blocks of at most 100 as the
/// CMap format requires.
fn to_unicode(pairs: &[(u16, &str)]) -> Vec<u8> {
    let mut ranges: Vec<(u16, u16, char)> = Vec::new();
    let mut singles: Vec<(u16, &str)> = Vec::new();
    // One character, or none for a text of several (a ligature's).
    let one = |t: &str| {
        let mut cs = t.chars();
        cs.next().filter(|_| cs.next().is_none())
    };
    let mut i = 0;
    while i < pairs.len() {
        let (cid, text) = pairs[i];
        let Some(c) = one(text) else {
            singles.push((cid, text));
            i += 1;
            continue;
        };
        let mut j = i + 1;
        // A range may change only the last byte of the code and of a
        // one-unit (BMP) destination.
        while j < pairs.len()
            && u32::from(pairs[j].0) == u32::from(cid) + (j - i) as u32
            && one(pairs[j].1).is_some_and(|d| {
                d as u32 == c as u32 + (j - i) as u32 && d as u32 >> 8 == c as u32 >> 8
            })
            && pairs[j].0 >> 8 == cid >> 8
            && (c as u32) < 0x10000
        {
            j += 1;
        }
        if j - i > 1 {
            ranges.push((cid, pairs[j - 1].0, c));
        } else {
            singles.push((cid, text));
        }
        i = j;
    }
    let mut out = String::with_capacity(400 + 16 * pairs.len());
    out.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let utf16 = |t: &str| -> String { t.encode_utf16().map(|u| format!("{u:04X}")).collect() };
    for block in ranges.chunks(100) {
        out.push_str(&format!("{} beginbfrange\n", block.len()));
        for &(a, b, c) in block {
            out.push_str(&format!(
                "<{a:04X}> <{b:04X}> <{}>\n",
                utf16(&c.to_string())
            ));
        }
        out.push_str("endbfrange\n");
    }
    for block in singles.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", block.len()));
        for &(a, c) in block {
            out.push_str(&format!("<{a:04X}> <{}>\n", utf16(c)));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

/// Six capitals from a hash of the face, what it sets and how its glyphs
/// are numbered (a viewer that keeps fonts by name must not take one
/// numbering for the other).
fn tag(face: Face, chars: &[char], shaped: &[(u16, String)], codes: Codes) -> String {
    let (n, name) = face.sort_key();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(n) ^ ((codes as u64) << 40);
    let mut mix = |v: u64| h = (h ^ v).wrapping_mul(0x0100_0000_01b3);
    for b in name.bytes() {
        mix(u64::from(b));
    }
    for &c in chars {
        mix(u64::from(c));
    }
    for (gid, text) in shaped {
        mix(0x1_0000_0000 | u64::from(*gid));
        for c in text.chars() {
            mix(u64::from(c));
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 10)) % 26) as u8))
        .collect()
}

/// What the font descriptor says about a face, in thousandths of an em.
struct Descriptor {
    flags: FontFlags,
    bbox: Rect,
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    stem_v: f32,
}

fn descriptor_of(face: Face) -> Descriptor {
    let f = fonts::metrics(face).font();
    let s = 1000.0 / f32::from(f.units_per_em());
    let b = f.global_bounding_box();
    let mut flags = FontFlags::NON_SYMBOLIC;
    if face.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    Descriptor {
        flags,
        bbox: Rect::new(
            f32::from(b.x_min) * s,
            f32::from(b.y_min) * s,
            f32::from(b.x_max) * s,
            f32::from(b.y_max) * s,
        ),
        italic_angle: f.italic_angle(),
        ascent: f32::from(f.ascender()) * s,
        descent: f32::from(f.descender()) * s,
        cap_height: f
            .capital_height()
            .map_or(f32::from(f.ascender()), f32::from)
            * s,
        // The usual estimate from the weight class (there is no stem width
        // in a TrueType font).
        stem_v: 10.0 + 0.244 * (f32::from(f.weight().to_number()) - 50.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_lists_each_face_once_in_code_point_order() {
        let mut u = Usage::new();
        u.add(Face::Bold, "baa 😀");
        u.add(Face::Regular, "Zoë");
        u.add(Face::Bold, "ab");
        let faces = u.faces();
        assert_eq!(faces.len(), 2);
        assert_eq!(
            faces[0],
            (Face::Regular, vec!['Z', 'o', 'ë'], vec![], false)
        );
        assert_eq!(
            faces[1],
            (Face::Bold, vec![' ', 'a', 'b', '😀'], vec![], false)
        );
    }

    #[test]
    fn unicode_maps_use_ranges_for_runs_and_surrogates_past_the_bmp() {
        let pairs = [
            (1, "a"),
            (2, "b"),
            (3, "c"),
            (4, "é"),
            (5, "😀"),
            (6, "😁"),
            (7, "لا"),
        ];
        let cmap = String::from_utf8(to_unicode(&pairs)).unwrap();
        assert!(
            cmap.contains("1 beginbfrange\n<0001> <0003> <0061>\nendbfrange"),
            "{cmap}"
        );
        assert!(
            cmap.contains("4 beginbfchar\n<0004> <00E9>\n<0005> <D83DDE00>\n<0006> <D83DDE01>\n"),
            "{cmap}"
        );
        // A ligature's glyph copies as both its letters.
        assert!(cmap.contains("<0007> <06440627>\n"), "{cmap}");
    }

    #[test]
    fn a_subset_gives_each_glyph_a_cid_and_a_width() {
        let s = subset(
            Face::Regular,
            &[' ', 'A', 'V', 'é'],
            &[],
            Codes::Compact,
            false,
        );
        let mut codes = Vec::new();
        s.encode("AVé A", &mut codes);
        let cids: Vec<u16> = codes
            .chunks(2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .collect();
        assert_eq!(cids.len(), 5);
        let width = |code: u16| {
            s.widths
                .iter()
                .find(|(first, run)| (*first..*first + run.len() as u16).contains(&code))
                .map(|(first, run)| run[usize::from(code - first)])
        };
        assert!(cids.iter().all(|&c| c > 0 && width(c).is_some()));
        assert_eq!(cids[0], cids[4], "the same glyph, the same code");
        let m = fonts::metrics(Face::Regular);
        assert_eq!(width(cids[0]), Some(m.advance('A')));
        assert!(
            s.widths
                .windows(2)
                .all(|w| w[0].0 + (w[0].1.len() as u16) < w[1].0),
            "runs in order, apart"
        );
        assert!(s.base_font.ends_with("+Lato-Regular") && s.base_font.len() == 6 + 13);
        // The same key gives the same object back; another set another tag.
        assert!(Arc::ptr_eq(
            &s,
            &subset(
                Face::Regular,
                &[' ', 'A', 'V', 'é'],
                &[],
                Codes::Compact,
                false
            )
        ));
        assert_ne!(
            subset(Face::Regular, &['A'], &[], Codes::Compact, false).base_font,
            s.base_font
        );
    }

    /// A worksheet page's bytes must not follow the names elsewhere in its
    /// file: a glyph's code is the same in every subset of its face, and
    /// the map takes it to that subset's own glyph.
    #[test]
    fn codes_do_not_depend_on_what_else_a_subset_holds() {
        let small = subset(Face::Regular, &['a', 'z'], &[], Codes::Stable, false);
        let large = subset(
            Face::Regular,
            &['a', 'b', 'y', 'z', 'Ж', 'ö'],
            &[],
            Codes::Stable,
            true,
        );
        let codes = |s: &Subset| {
            let mut out = Vec::new();
            s.encode("az", &mut out);
            out
        };
        assert_eq!(codes(&small), codes(&large));
        let m = fonts::metrics(Face::Regular);
        for s in [&small, &large] {
            let map = s.cid_to_gid.as_ref().expect("TrueType faces have a map");
            let mut raw = vec![0; 2 * 65536];
            let n = libdeflater::Decompressor::new()
                .zlib_decompress(map, &mut raw)
                .unwrap();
            let at = |code: u16| {
                let i = 2 * usize::from(code);
                u16::from_be_bytes([raw[i], raw[i + 1]])
            };
            assert!(n / 2 > usize::from(m.glyph_id('z')));
            assert_eq!(at(m.glyph_id('a')), s.cids[usize::from(m.glyph_id('a'))]);
            assert_ne!(at(m.glyph_id('z')), 0);
            assert_eq!(at(m.glyph_id('q')), 0, "a glyph not in the subset");
        }
        // Their programs number the glyphs differently: the map is needed.
        assert_ne!(
            small.cids[usize::from(m.glyph_id('z'))],
            large.cids[usize::from(m.glyph_id('z'))]
        );
    }
}
