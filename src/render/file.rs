//! The PDF file around the objects: header, compressed object streams
//! holding every dictionary, the streams, and a cross-reference stream.
//!
//! pdf-writer writes each object; this module decides where it goes. A
//! handout has some forty small dictionaries (pages, fonts, annotations,
//! bookmarks) that would each cost a plain-text body and a 20-byte xref line;
//! packed into a Flate-compressed object stream (PDF 1.5; one per 2,000
//! objects) they take a third of that. Streams cannot go into an object stream, so they are
//! written at the top level as usual.
//!
//! A batch's files share most of their dictionaries byte for byte (the
//! pages, the structure tree: nothing in them follows the names), so there
//! the writer starts a new object stream at each [`File::section`], and
//! those expected to repeat go through the shared store: a section that
//! does repeat from file to file is compressed once.

use crate::deflate::{deflate, deflate_shared};
use pdf_writer::{Chunk, Filter, Finish, Name, Ref, Str};

/// Compact serialisation: no indentation or line breaks inside objects.
pub(super) const SETTINGS: pdf_writer::Settings = pdf_writer::Settings { pretty: false };

/// Hands out object numbers in order.
pub(super) struct Refs(pub(super) Ref);

impl Refs {
    pub(super) fn next(&mut self) -> Ref {
        self.0.bump()
    }

    /// `n` consecutive numbers; returns the first.
    pub(super) fn block(&mut self, n: i32) -> Ref {
        let first = self.0;
        self.0 = Ref::new(first.get() + n);
        first
    }
}

/// Where an object ended up.
#[derive(Clone, Copy)]
enum Place {
    /// A top-level object at this byte offset.
    At(usize),
    /// The `index`-th object of object stream `pack`.
    Packed { pack: usize, index: u16 },
}

/// One object stream being filled: `number offset` pairs, and the bodies
/// they index.
struct Pack {
    index: Vec<u8>,
    bodies: Vec<u8>,
    count: u16,
    /// Looked up in the shared store (a section expected to repeat).
    shared: bool,
}

impl Pack {
    /// Started at the size of a small section's objects (a batch file's
    /// are 1-20 KB), not grown to it from nothing a row at a time.
    fn new(shared: bool) -> Pack {
        Pack {
            index: Vec::with_capacity(512),
            bodies: Vec::with_capacity(4096),
            count: 0,
            shared,
        }
    }
}

/// Objects per object stream: a viewer decompresses a whole stream to read
/// one object of it, and the cross-reference index is 16 bits.
const PER_PACK: u16 = 2000;

/// A PDF file being written.
pub struct File {
    out: Vec<u8>,
    places: Vec<(i32, Place)>,
    packs: Vec<Pack>,
    /// The compression level of object streams and the cross-reference
    /// stream.
    level: u32,
    /// Whether object streams are split at sections and looked up in the
    /// shared store (a batch's files).
    share: bool,
    /// Whether the current section is expected to repeat.
    shared: bool,
    /// The packed objects written since [`File::record`]: numbers, and
    /// each body's end in `bodies` (for `render::reuse`).
    recording: Option<Recording>,
}

/// Packed objects as written, to write again in the same order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recording {
    ids: Vec<(i32, usize)>,
    bodies: Vec<u8>,
}

impl Recording {
    /// The bytes of the objects' bodies.
    pub fn len(&self) -> usize {
        self.bodies.len()
    }
}

impl File {
    pub fn new(capacity: usize, level: u32, share: bool) -> File {
        let mut out = Vec::with_capacity(capacity);
        out.extend_from_slice(b"%PDF-1.7\n%\x80\x80\x80\x80\n");
        File {
            out,
            places: Vec::new(),
            packs: Vec::new(),
            level,
            share,
            shared: true,
            recording: None,
        }
    }

    /// Starts keeping a copy of every packed object written, until
    /// [`File::recorded`].
    pub fn record(&mut self) {
        self.recording = Some(Recording::default());
    }

    /// The packed objects written since [`File::record`].
    pub fn recorded(&mut self) -> Recording {
        self.recording.take().unwrap_or_default()
    }

    /// Writes recorded objects again, in their order: the same calls to
    /// [`File::raw`] that made them.
    pub fn replay(&mut self, r: &Recording) {
        let mut from = 0;
        for &(id, to) in &r.ids {
            self.raw(Ref::new(id), &r.bodies[from..to]);
            from = to;
        }
    }

    /// Ends the current object stream when streams are shared, so the
    /// dictionaries that follow (a run the caller expects to repeat from
    /// file to file, or one that never does) are compressed apart from
    /// those before. A document alone keeps one stream: fewer, larger
    /// streams compress better and cost fewer headers.
    ///
    /// `shared` says whether the section is expected to repeat: only those
    /// go through the shared store. One that follows the names (the
    /// fonts') is compressed on its own, as the store keeps what it sees
    /// twice, and rows whose names happen to share their letters would
    /// fill it for nothing.
    pub fn section(&mut self, shared: bool) {
        self.shared = shared;
        if !self.share {
            return;
        }
        match self.packs.last_mut() {
            Some(p) if p.count == 0 => p.shared = shared,
            Some(_) => self.packs.push(Pack::new(shared)),
            None => {}
        }
    }

    /// Writes the dictionary (or other non-stream object) `id` that
    /// `write` puts into the chunk it is given; it is packed.
    pub fn object(&mut self, id: Ref, write: impl FnOnce(&mut Chunk)) {
        let mut c = Chunk::with_settings_and_capacity(SETTINGS, 256);
        write(&mut c);
        self.raw(id, body_of(c.as_bytes(), id));
    }

    /// Packs the dictionary `id` written as bytes by the caller (the
    /// structure tree's elements: thousands in a packet, where building
    /// each through a chunk cost more than all the rest of the tree).
    pub fn raw(&mut self, id: Ref, body: &[u8]) {
        if let Some(r) = &mut self.recording {
            r.bodies.extend_from_slice(body);
            r.ids.push((id.get(), r.bodies.len()));
        }
        if self.packs.last().is_none_or(|p| p.count == PER_PACK) {
            self.packs.push(Pack::new(self.shared));
        }
        let pack = self.packs.len() - 1;
        let p = &mut self.packs[pack];
        int(&mut p.index, id.get() as u64);
        p.index.push(b' ');
        int(&mut p.index, p.bodies.len() as u64);
        p.index.push(b' ');
        p.bodies.extend_from_slice(body);
        p.bodies.push(b'\n');
        self.places.push((
            id.get(),
            Place::Packed {
                pack,
                index: p.count,
            },
        ));
        p.count += 1;
    }

    /// Writes the stream object `id` that `write` puts into the chunk;
    /// `len` is its data's length, so the chunk is made at its size once
    /// (grown from a few hundred bytes, a batch row's streams cost 3 % of
    /// its instructions in reallocation).
    pub fn stream(&mut self, id: Ref, len: usize, write: impl FnOnce(&mut Chunk)) {
        let mut c = Chunk::with_settings_and_capacity(SETTINGS, len + 256);
        write(&mut c);
        self.places.push((id.get(), Place::At(self.out.len())));
        self.out.extend_from_slice(c.as_bytes());
    }

    /// Writes, at the top level, objects `first..first + count` that
    /// another writer serialised in that order (an SVG's drawing).
    pub fn objects(&mut self, bytes: &[u8], first: i32, count: i32) {
        let base = self.out.len();
        let mut from = 0;
        for id in first..first + count {
            // A header follows the previous object's `endobj`: a pattern
            // that compressed stream data all but never holds.
            let head = format!("{id} 0 obj\n");
            let at = find_object(&bytes[from..], head.as_bytes())
                .map(|i| from + i)
                .expect("a converted drawing holds the objects it numbers");
            self.places.push((id, Place::At(base + at)));
            from = at + head.len();
        }
        self.out.extend_from_slice(bytes);
    }

    /// Every object's bytes so far (for a content hash).
    pub fn bytes(&self) -> Vec<&[u8]> {
        let mut parts = vec![&self.out[..]];
        parts.extend(self.packs.iter().map(|p| &p.bodies[..]));
        parts
    }

    /// Writes the object streams, then the cross-reference stream (which
    /// carries the trailer: root, info, file id) and the end. `next` is
    /// the first unused object number.
    pub fn finish(mut self, next: Ref, root: Ref, info: Ref, id: &[u8]) -> Vec<u8> {
        let mut next = next;
        let mut pack_ids = Vec::with_capacity(self.packs.len());
        for p in std::mem::take(&mut self.packs) {
            // Only a last section can be empty, and nothing points into
            // it; its place in `pack_ids` keeps the others' indices.
            if p.count == 0 {
                pack_ids.push(None);
                continue;
            }
            let objstm = next.bump();
            pack_ids.push(Some(objstm));
            let first = p.index.len();
            let mut data = p.index;
            data.extend_from_slice(&p.bodies);
            // The store compares whole contents on a hit: a section
            // differing in one byte is compressed afresh.
            let data: std::sync::Arc<[u8]> = if self.share && p.shared {
                deflate_shared(&data, self.level)
            } else {
                deflate(&data, self.level).into()
            };
            self.stream(objstm, data.len(), |c| {
                let mut s = c.stream(objstm, &data);
                s.filter(Filter::FlateDecode);
                s.pair(Name(b"Type"), Name(b"ObjStm"));
                s.pair(Name(b"N"), i32::from(p.count));
                s.pair(Name(b"First"), first as i32);
            });
        }

        let xref = next.bump();
        let xref_at = self.out.len();
        self.places.push((xref.get(), Place::At(xref_at)));
        let size = self.places.iter().map(|p| p.0).max().unwrap_or(0) + 1;
        let mut by_number = vec![None; size as usize];
        for &(num, place) in &self.places {
            by_number[num as usize] = Some(place);
        }
        // Entries of 1 + w + 2 bytes: type, offset or object stream number
        // (in as few bytes as the largest needs: 3 below 16 MB, where 4
        // cost a byte an object), generation or index.
        let entries: Vec<(u8, u32, u16)> = by_number
            .into_iter()
            .map(|place| match place {
                None => (0u8, 0u32, 0xFFFFu16),
                Some(Place::At(off)) => {
                    let off = u32::try_from(off).expect("a PDF under 4 GiB");
                    (1, off, 0)
                }
                Some(Place::Packed { pack, index }) => {
                    let stream = pack_ids[pack].expect("a stream that holds an object is written");
                    (2, stream.get() as u32, index)
                }
            })
            .collect();
        let w = width(entries.iter().map(|e| e.1).max().unwrap_or(0));
        let mut table = Vec::with_capacity(entries.len() * (w + 3));
        for (kind, a, b) in entries {
            table.push(kind);
            table.extend_from_slice(&a.to_be_bytes()[4 - w..]);
            table.extend_from_slice(&b.to_be_bytes());
        }
        let table = deflate(&table, self.level);
        let mut c = Chunk::with_settings_and_capacity(SETTINGS, table.len() + 256);
        {
            let mut s = c.stream(xref, &table);
            s.filter(Filter::FlateDecode);
            s.pair(Name(b"Type"), Name(b"XRef"));
            s.pair(Name(b"Size"), size);
            s.insert(Name(b"W")).array().items([1, w as i32, 2]);
            s.pair(Name(b"Root"), root);
            s.pair(Name(b"Info"), info);
            s.insert(Name(b"ID")).array().items([Str(id), Str(id)]);
            s.finish();
        }
        self.out.extend_from_slice(c.as_bytes());
        self.out
            .extend_from_slice(format!("startxref\n{xref_at}\n%%EOF").as_bytes());
        self.out
    }
}

/// Bytes a cross-reference field needs to hold `largest`: at least one.
fn width(largest: u32) -> usize {
    (4 - largest.leading_zeros() as usize / 8).max(1)
}

/// Appends `n` in decimal.
pub(super) fn int(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends ` N 0 R`, for dictionaries written as bytes.
pub(super) fn reference(out: &mut Vec<u8>, r: Ref) {
    out.push(b' ');
    int(out, r.get() as u64);
    out.extend_from_slice(b" 0 R");
}

/// Appends `v` to a hundredth, without trailing zeros: far finer than
/// print, and short.
pub(super) fn num(out: &mut Vec<u8>, v: f32) {
    let hundredths = round(v * 100.0) as i64;
    if hundredths < 0 {
        out.push(b'-');
    }
    let a = hundredths.unsigned_abs();
    int(out, a / 100);
    let frac = a % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// `x.round()` (halves away from zero), the same bits for every `f32`,
/// without a call: x86-64's baseline has no rounding instruction, so
/// `f32::round` is the C library's `roundf`, and every coordinate of every
/// page went through it (1.4 % of a batch). Truncating to an integer is
/// one instruction, and the fraction it leaves is exact.
pub(super) fn round(x: f32) -> f32 {
    // From 2^23 up every f32 is whole, the infinities too.
    if x.is_nan() || x.abs() >= 8_388_608.0 {
        return x;
    }
    // `copysign` keeps the sign of a zero (`-0.3` rounds to `-0.0`).
    let whole = (x as i32 as f32).copysign(x);
    let frac = x - whole;
    if frac >= 0.5 {
        whole + 1.0
    } else if frac <= -0.5 {
        whole - 1.0
    } else {
        whole
    }
}

/// Appends `s` as a PDF text string: UTF-16BE with its byte-order mark,
/// in hex (nothing to escape).
pub(super) fn text_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(b"<FEFF");
    for unit in s.encode_utf16() {
        for shift in [12, 8, 4, 0] {
            out.push(HEX[usize::from((unit >> shift) & 15)]);
        }
    }
    out.push(b'>');
}

/// Where `head` starts a line (at the start, or after an `endobj`).
fn find_object(bytes: &[u8], head: &[u8]) -> Option<usize> {
    if bytes.starts_with(head) {
        return Some(0);
    }
    let mut needle = b"endobj\n\n".to_vec();
    needle.extend_from_slice(head);
    bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + needle.len() - head.len())
}

/// The object's body: a one-object chunk without `N 0 obj` and `endobj`.
pub(super) fn body_of(chunk: &[u8], id: Ref) -> &[u8] {
    let mut number = itoa::Buffer::new();
    let body = chunk
        .strip_prefix(number.format(id.get()).as_bytes())
        .and_then(|rest| rest.strip_prefix(b" 0 obj\n"))
        .expect("a chunk holding the one object it was given");
    let end = body
        .windows(8)
        .rposition(|w| w == b"\nendobj\n")
        .expect("an object ends with endobj");
    &body[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integers in decimal, and numbers to a hundredth without trailing
    /// zeros, as `format!` would round them.
    #[test]
    fn numbers_are_written_as_decimals() {
        for n in [
            0,
            7,
            10,
            99,
            100,
            4_096,
            1_000_000,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            int(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
        for (v, text) in [
            (0.0, "0"),
            (12.5, "12.5"),
            (-3.25, "-3.25"),
            (595.276, "595.28"),
            (0.004, "0"),
            (-0.004, "0"),
            (1.1, "1.1"),
            (841.89, "841.89"),
        ] {
            let mut out = Vec::new();
            num(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), text, "{v}");
        }
    }

    /// `round` is `f32::round` bit for bit: the halves, both zeros, the
    /// edge of the whole numbers (2^23), NaN and the infinities, and a few
    /// million bit patterns spread over the whole range.
    #[test]
    fn round_is_the_standard_rounding() {
        let same = |x: f32| {
            let (ours, std) = (round(x), x.round());
            assert!(
                ours.to_bits() == std.to_bits() || (ours.is_nan() && std.is_nan()),
                "{x:e} ({:#x}): {ours:e} against {std:e}",
                x.to_bits()
            );
        };
        for x in [
            0.0,
            0.5,
            1.5,
            2.5,
            0.499_999_97,
            0.500_000_06,
            8_388_607.5,
            8_388_608.0,
            8_388_609.0,
            4_194_303.5,
            f32::MAX,
            f32::MIN_POSITIVE,
            1e-45,
            f32::EPSILON,
            f32::INFINITY,
            f32::NAN,
        ] {
            same(x);
            same(-x);
        }
        for h in -100_000..100_000 {
            same(h as f32 / 100.0 * 100.0);
            same(h as f32 / 2.0);
            same((h as f32 + 0.5) * 100.0 / 100.0);
        }
        // Every 977th bit pattern (a prime step reaches every exponent and
        // sign, and a spread of fractions in each).
        for bits in (0..=u32::MAX).step_by(977) {
            same(f32::from_bits(bits));
        }
    }

    #[test]
    fn bodies_are_cut_exactly() {
        let mut c = Chunk::with_settings_and_capacity(SETTINGS, 64);
        c.indirect(Ref::new(12)).primitive(Str(b"a\nendobj\n b"));
        // pdf-writer escapes the line breaks; the cut is at the real end.
        assert_eq!(body_of(c.as_bytes(), Ref::new(12)), br"(a\nendobj\n b)");
    }

    /// Sections split object streams only where streams are shared, and
    /// never leave one empty.
    #[test]
    fn sections_split_object_streams_in_a_batch_only() {
        for (share, streams) in [(false, 1), (true, 2)] {
            let mut f = File::new(1024, 1, share);
            f.section(true);
            f.object(Ref::new(1), |c| {
                c.indirect(Ref::new(1)).primitive(1);
            });
            f.section(true);
            f.section(false);
            f.object(Ref::new(2), |c| {
                c.indirect(Ref::new(2)).primitive(2);
            });
            f.section(true);
            let bytes = f.finish(Ref::new(3), Ref::new(1), Ref::new(2), b"id");
            let n = bytes.windows(11).filter(|w| w == b"/Type/ObjSt").count();
            assert_eq!(n, streams, "share: {share}");
        }
    }

    #[test]
    fn a_field_is_as_wide_as_its_largest_value() {
        let cases = [
            (0, 1),
            (255, 1),
            (256, 2),
            (65_535, 2),
            (65_536, 3),
            ((1 << 24) - 1, 3),
            (1 << 24, 4),
            (u32::MAX, 4),
        ];
        for (largest, bytes) in cases {
            assert_eq!(width(largest), bytes, "{largest}");
        }
    }

    /// The cross-reference stream's offsets take as many bytes as the
    /// largest needs, and a reader finds every object at each width: one
    /// after 16 MB of stream needs the fourth byte.
    #[test]
    fn offsets_are_as_wide_as_the_largest_and_read_back() {
        for (big, width) in [(10, 1), (300, 2), (100_000, 3), (17 << 20, 4)] {
            let mut f = File::new(1024, 1, false);
            let data = vec![b'x'; big];
            f.stream(Ref::new(1), data.len(), |c| {
                c.stream(Ref::new(1), &data);
            });
            f.stream(Ref::new(2), 1, |c| {
                c.stream(Ref::new(2), b"y");
            });
            f.object(Ref::new(3), |c| {
                c.indirect(Ref::new(3)).primitive(33);
            });
            f.object(Ref::new(4), |c| {
                c.indirect(Ref::new(4))
                    .dict()
                    .pair(Name(b"Type"), Name(b"Catalog"));
            });
            let bytes = f.finish(Ref::new(5), Ref::new(4), Ref::new(3), b"id");
            let xref = bytes.windows(3).rposition(|w| w == b"/W[").unwrap();
            let w = format!("/W[1 {width} 2]");
            assert_eq!(&bytes[xref..][..w.len()], w.as_bytes());
            let doc = lopdf::Document::load_mem(&bytes).expect("a PDF a reader can load");
            assert_eq!(doc.get_object((3, 0)).unwrap().as_i64().unwrap(), 33);
            let far = doc.get_object((2, 0)).unwrap().as_stream().unwrap();
            assert_eq!(far.content, b"y");
            assert_eq!(
                doc.get_object((1, 0))
                    .unwrap()
                    .as_stream()
                    .unwrap()
                    .content
                    .len(),
                big
            );
        }
    }
}
