//! Stream compression for the PDF.

/// zlib-compresses `data` (`FlateDecode`). Level 9 for what is made once and
/// shared (font subsets), a middle level (5) for each page's content, the
/// fastest (1) for the object streams and cross-reference stream, which
/// are mostly the structure tree's small repetitive dictionaries and cost
/// a tenth of the time at 1 for 2% more bytes (docs/performance.md).
///
/// libdeflate compresses these small, whole-in-memory streams about twice
/// as fast as zlib (or zlib-rs) at the same level, to slightly fewer bytes;
/// compression was two fifths of a batch's time. Each thread keeps its
/// compressor: a new one allocates its tables again.
pub fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    use libdeflater::{CompressionLvl, Compressor};
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(u32, Compressor)>> = const { RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cs| {
        let mut cs = cs.borrow_mut();
        let i = match cs.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                let lvl = CompressionLvl::new(level as i32).unwrap_or_default();
                cs.push((level, Compressor::new(lvl)));
                cs.len() - 1
            }
        };
        let z = &mut cs[i].1;
        let mut out = vec![0; z.zlib_compress_bound(data.len())];
        let n = z
            .zlib_compress(data, &mut out)
            .expect("the bound is large enough");
        out.truncate(n);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::deflate;

    #[test]
    fn deflate_round_trips_and_reuses_cleanly() {
        let big: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i * 7919 % 251).to_le_bytes())
            .collect();
        for (data, level) in [
            (&b"short"[..], 6),
            (&big[..], 6),
            (&b""[..], 9),
            (&big[..], 9),
            (&b"again"[..], 6),
        ] {
            let z = deflate(data, level);
            let mut back = vec![0; data.len()];
            let n = libdeflater::Decompressor::new()
                .zlib_decompress(&z, &mut back)
                .unwrap();
            assert_eq!(&back[..n], data);
        }
    }
}
