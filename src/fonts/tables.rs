// The lookup tables layout reads for every character it sets: built here,
// from a parsed face, both by `build.rs` (for the bundled faces, whose
// tables are then compiled into the binary and cost a cold start nothing)
// and at run time (for faces found on the system). One implementation, so
// the two cannot disagree; a test in `face.rs` compares them anyway.
//
// This file is `include!`d by both, so it holds items only and names
// nothing of the crate. Tables are little-endian bytes: the same layout
// whether they come from `include_bytes!` or a `Vec`.

/// Characters below this (Latin, Latin-1, Latin Extended-A and -B) are
/// looked up in a table; the rest go to the font's `cmap`.
pub const TABLE_END: u32 = 0x250;

/// At most this many kerning glyphs in the dense matrix (2 MB).
pub const KERN_MAX: usize = 1024;

/// Advance of glyph `gid` in whole thousandths of an em: truncated, because
/// the PDF `/W` widths are written the same way and viewers place glyphs by
/// them, so measured and printed positions agree.
pub fn advance_units(f: &ttf_parser::Face, gid: u16) -> u16 {
    let units = f.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0);
    let scale = 1000.0 / f32::from(f.units_per_em());
    (f32::from(units) * scale).floor() as u16
}

/// Glyph id and advance of each character below [`TABLE_END`]: four bytes
/// each (`u16` glyph id, `u16` advance).
pub fn char_table(f: &ttf_parser::Face) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 * TABLE_END as usize);
    for u in 0..TABLE_END {
        let gid = char::from_u32(u)
            .and_then(|c| f.glyph_index(c))
            .map_or(0, |g| g.0);
        out.extend_from_slice(&gid.to_le_bytes());
        out.extend_from_slice(&advance_units(f, gid).to_le_bytes());
    }
    out
}

/// (class bytes, classes, matrix bytes, presence bits): see [`kern_matrix`].
pub type KernMatrix = (Vec<u8>, usize, Vec<u8>, Vec<u8>);

/// The first horizontal format-0 `kern` subtable as a dense matrix over
/// the glyphs that kern at all: (class of each glyph id as `u16`, `u16::MAX`
/// for none; the number of classes; an `i16` for each pair of classes; one
/// bit for each pair the table lists). `None` when there is no such
/// subtable, when it comes after another kind, or when it has too many
/// glyphs for a matrix: those are searched in place.
pub fn kern_matrix(f: &ttf_parser::Face) -> Option<KernMatrix> {
    const NONE: u16 = u16::MAX;
    let kern = f.tables().kern?;
    let first = kern
        .subtables
        .into_iter()
        .find(|t| t.horizontal && !t.variable)?;
    let ttf_parser::kern::Format::Format0(ref t) = first.format else {
        return None;
    };
    let glyphs = usize::from(f.number_of_glyphs());
    let mut class = vec![NONE; glyphs];
    let mut n = 0usize;
    for p in t.pairs {
        for g in [p.left().0, p.right().0] {
            if let Some(c) = class.get_mut(usize::from(g)) {
                if *c == NONE && n < KERN_MAX {
                    *c = n as u16;
                    n += 1;
                }
            }
        }
    }
    if n >= KERN_MAX {
        return None;
    }
    let mut matrix = vec![0u8; 2 * n * n];
    let mut present = vec![0u8; (n * n).div_ceil(8)];
    for p in t.pairs {
        let class_of = |g: ttf_parser::GlyphId| class.get(usize::from(g.0)).copied();
        let (Some(l), Some(r)) = (class_of(p.left()), class_of(p.right())) else {
            continue;
        };
        // The first pair listed wins, as in a search of the table.
        let cell = usize::from(l) * n + usize::from(r);
        if present[cell / 8] & (1 << (cell % 8)) == 0 {
            present[cell / 8] |= 1 << (cell % 8);
            matrix[2 * cell..2 * cell + 2].copy_from_slice(&p.value.to_le_bytes());
        }
    }
    let class: Vec<u8> = class.iter().flat_map(|c| c.to_le_bytes()).collect();
    Some((class, n, matrix, present))
}
