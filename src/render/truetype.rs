//! Removes TrueType hinting from a subset font program, and the names a
//! PDF viewer never reads.
//!
//! Hinting (the `fpgm`, `prep` and `cvt ` tables and each glyph's
//! instructions) snaps outlines to a screen's pixel grid at small sizes. A
//! printed handout and a zoomed PDF viewer do not need it, and in a subset
//! of Lato it is about a third of the compressed font: the largest single
//! saving on the way to small files. Outlines, metrics and names are kept
//! byte for byte. A font this code cannot read is returned unchanged.

/// The font without hinting, or `None` when it is not a TrueType font this
/// code understands (the caller then keeps the original).
pub fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
    let n = usize::from(u16_at(font, 4)?);
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::with_capacity(n);
    for i in 0..n {
        let rec = font.get(12 + 16 * i..28 + 16 * i)?;
        let tag: [u8; 4] = rec[..4].try_into().ok()?;
        let (off, len) = (u32_at(rec, 8)? as usize, u32_at(rec, 12)? as usize);
        tables.push((tag, font.get(off..off.checked_add(len)?)?));
    }
    let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
    let head = table(b"head")?;
    let long_loca = u16_at(head, 50)? == 1;
    let glyphs = usize::from(u16_at(table(b"maxp")?, 4)?);
    let (glyf, loca) = (table(b"glyf")?, table(b"loca")?);
    let offset = |i: usize| -> Option<usize> {
        if long_loca {
            Some(u32_at(loca, 4 * i)? as usize)
        } else {
            Some(usize::from(u16_at(loca, 2 * i)?) * 2)
        }
    };

    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(loca.len());
    for g in 0..glyphs {
        push_offset(&mut new_loca, new_glyf.len(), long_loca)?;
        let data = glyf.get(offset(g)?..offset(g + 1)?)?;
        if !data.is_empty() {
            strip_glyph(data, &mut new_glyf)?;
            if new_glyf.len() % 2 == 1 {
                new_glyf.push(0);
            }
        }
    }
    push_offset(&mut new_loca, new_glyf.len(), long_loca)?;

    let mut kept: Vec<([u8; 4], Vec<u8>)> = tables
        .iter()
        .filter(|(tag, _)| !matches!(tag, b"fpgm" | b"prep" | b"cvt "))
        .map(|&(tag, data)| {
            let data = match &tag {
                b"glyf" => std::mem::take(&mut new_glyf),
                b"loca" => std::mem::take(&mut new_loca),
                b"name" => trim_names(data).unwrap_or_else(|| data.to_vec()),
                _ => data.to_vec(),
            };
            (tag, data)
        })
        .collect();
    kept.sort_by_key(|(tag, _)| *tag);
    Some(assemble(font.get(..4)?, &mut kept))
}

/// The `name` table with only the copyright notice, family, style and
/// PostScript name (IDs 0, 1, 2, 6): a viewer reads none of the rest
/// (trademark, designer, URLs, the licence text of ID 13), which would
/// otherwise be repeated in every face of every file.
fn trim_names(table: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(table, 2)?);
    let storage = usize::from(u16_at(table, 4)?);
    let mut records = Vec::new();
    let mut strings: Vec<u8> = Vec::new();
    for i in 0..count {
        let rec = table.get(6 + 12 * i..18 + 12 * i)?;
        if !matches!(u16_at(rec, 6)?, 0 | 1 | 2 | 6) {
            continue;
        }
        let (len, off) = (usize::from(u16_at(rec, 8)?), usize::from(u16_at(rec, 10)?));
        let text = table.get(storage + off..storage + off + len)?;
        records.extend_from_slice(&rec[..10]);
        records.extend_from_slice(&u16::try_from(strings.len()).ok()?.to_be_bytes());
        strings.extend_from_slice(text);
    }
    let kept = records.len() / 12;
    let mut out = Vec::with_capacity(6 + records.len() + strings.len());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&(kept as u16).to_be_bytes());
    out.extend_from_slice(&u16::try_from(6 + records.len()).ok()?.to_be_bytes());
    out.extend_from_slice(&records);
    out.extend_from_slice(&strings);
    Some(out)
}

/// Appends one glyph without its instructions.
fn strip_glyph(data: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let contours = u16_at(data, 0)? as i16;
    if contours >= 0 {
        // Header, contour end points, instruction length, instructions, rest.
        let at = 10 + 2 * contours as usize;
        let len = usize::from(u16_at(data, at)?);
        out.extend_from_slice(data.get(..at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(data.get(at + 2 + len..)?);
        return Some(());
    }
    // A composite: copy its components with "we have instructions"
    // cleared, and drop the instructions after the last one.
    const MORE: u16 = 0x0020;
    const INSTRUCTIONS: u16 = 0x0100;
    let mut at = 10;
    let start = out.len();
    out.extend_from_slice(data.get(..at)?);
    loop {
        let flags = u16_at(data, at)?;
        let len = component_len(flags);
        out.extend_from_slice(&(flags & !INSTRUCTIONS).to_be_bytes());
        out.extend_from_slice(data.get(at + 2..at + len)?);
        at += len;
        if flags & MORE == 0 {
            debug_assert_eq!(out.len() - start, at);
            return Some(());
        }
    }
}

/// Bytes of one composite component: flags, glyph, offsets, transform.
fn component_len(flags: u16) -> usize {
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    let args = if flags & WORDS != 0 { 4 } else { 2 };
    let transform = if flags & SCALE != 0 {
        2
    } else if flags & XY_SCALE != 0 {
        4
    } else if flags & TWO_BY_TWO != 0 {
        8
    } else {
        0
    };
    4 + args + transform
}

fn push_offset(loca: &mut Vec<u8>, offset: usize, long: bool) -> Option<()> {
    if long {
        loca.extend_from_slice(&u32::try_from(offset).ok()?.to_be_bytes());
    } else {
        loca.extend_from_slice(&u16::try_from(offset / 2).ok()?.to_be_bytes());
    }
    Some(())
}

/// Writes the table directory and tables, with checksums.
fn assemble(version: &[u8], tables: &mut [([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let power = 1u16 << (15 - n.leading_zeros() as u16);
    let mut out = Vec::with_capacity(
        12 + 16 * tables.len() + tables.iter().map(|t| t.1.len() + 3).sum::<usize>(),
    );
    out.extend_from_slice(version);
    for v in [
        n,
        power * 16,
        power.trailing_zeros() as u16,
        n * 16 - power * 16,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables.iter_mut() {
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (tag, data) in tables.iter() {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at.filter(|&at| out.len() >= at + 12) {
        let adjust = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// The sum of the big-endian words, the last one padded with zeros.
/// Whole words are read as words: copying each into a buffer, as one loop
/// for both did, was a `memcpy` call for every four bytes.
fn checksum(data: &[u8]) -> u32 {
    let words = data.chunks_exact(4);
    let rest = words.remainder();
    let sum = words.fold(0u32, |sum, w| {
        sum.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    });
    let mut last = [0u8; 4];
    last[..rest.len()].copy_from_slice(rest);
    sum.wrapping_add(u32::from_be_bytes(last))
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Face;

    /// Every bundled face, whole: outlines and advances unchanged, hinting
    /// gone, and the result smaller.
    #[test]
    fn stripped_fonts_keep_every_outline_and_advance() {
        for face in Face::ALL {
            let orig = face.bytes();
            let stripped = strip_hinting(orig).expect("a TrueType font");
            assert!(stripped.len() < orig.len(), "{face:?}");
            let a = ttf_parser::Face::parse(orig, 0).unwrap();
            let b = ttf_parser::Face::parse(&stripped, 0).expect("still a valid font");
            assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
            let tables = b.raw_face();
            for tag in [b"fpgm", b"prep", b"cvt "] {
                let tag = ttf_parser::Tag::from_bytes(tag);
                assert!(tables.table(tag).is_none(), "{face:?} keeps {tag}");
            }
            let names = |f: &ttf_parser::Face| -> Vec<(u16, Option<String>)> {
                let mut v: Vec<_> = f
                    .names()
                    .into_iter()
                    .filter(|n| matches!(n.name_id, 0 | 1 | 2 | 6))
                    .map(|n| (n.name_id, n.to_string()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(names(&a), names(&b), "{face:?}");
            assert!(names(&b).iter().any(|n| n.0 == 0 && n.1.is_some()));
            assert!(b.names().len() < a.names().len());
            for g in (0..a.number_of_glyphs()).step_by(7) {
                let g = ttf_parser::GlyphId(g);
                assert_eq!(a.glyph_hor_advance(g), b.glyph_hor_advance(g));
                let (mut pa, mut pb) = (Path::default(), Path::default());
                let ba = a.outline_glyph(g, &mut pa);
                let bb = b.outline_glyph(g, &mut pb);
                assert_eq!(ba, bb, "{face:?} glyph {g:?} bounds");
                assert_eq!(pa.0, pb.0, "{face:?} glyph {g:?} outline");
            }
        }
    }

    #[derive(Default)]
    struct Path(Vec<(char, f32, f32)>);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(('M', x, y));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(('L', x, y));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(('Q', x1, y1));
            self.0.push(('q', x, y));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(('C', x1, y1));
            self.0.push(('c', x2, y2));
            self.0.push(('C', x, y));
        }
        fn close(&mut self) {
            self.0.push(('Z', 0.0, 0.0));
        }
    }

    /// Word sums of every length against the format's definition, and a
    /// stripped font whose whole sum is the magic number `head` promises.
    #[test]
    fn checksums_are_the_formats() {
        let reference = |d: &[u8]| -> u32 {
            let mut padded = d.to_vec();
            padded.resize(d.len().next_multiple_of(4), 0);
            padded
                .chunks(4)
                .map(|c| u32::from_be_bytes(c.try_into().unwrap()))
                .fold(0u32, u32::wrapping_add)
        };
        let data: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(97) ^ 0xA5).collect();
        for n in 0..=data.len() {
            assert_eq!(checksum(&data[..n]), reference(&data[..n]), "{n} bytes");
        }
        let font = strip_hinting(Face::Regular.bytes()).unwrap();
        assert_eq!(reference(&font), 0xB1B0_AFBA);
    }

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        assert!(strip_hinting(b"").is_none());
        assert!(strip_hinting(&[0, 1, 0, 0, 0, 9, 0, 0]).is_none());
        let mut cut = Face::Regular.bytes().to_vec();
        cut.truncate(cut.len() / 2);
        assert!(strip_hinting(&cut).is_none());
    }
}
