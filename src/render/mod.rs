//! Renderers: display list → output bytes.

mod content;
mod embed;
mod file;
mod form;
pub mod pdf;
mod truetype;

/// zlib-compresses `data` (`FlateDecode`). Level 9 for what is made once and
/// shared (font subsets), a middle level for each page's content.
///
/// Each thread keeps its compressor and resets it between streams: a new
/// one allocates and clears a few hundred kilobytes of tables, which for a
/// dozen small streams a packet cost more than compressing them.
fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cs| {
        let mut cs = cs.borrow_mut();
        let i = match cs.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                cs.push((level, Compress::new(Compression::new(level), true)));
                cs.len() - 1
            }
        };
        let z = &mut cs[i].1;
        z.reset();
        let mut out = Vec::with_capacity(data.len() / 3 + 64);
        loop {
            let read = z.total_in() as usize;
            let status = z
                .compress_vec(&data[read..], &mut out, FlushCompress::Finish)
                .expect("deflating into memory cannot fail");
            if status == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// Compact serialisation: no indentation or line breaks inside objects.
const SETTINGS: pdf_writer::Settings = pdf_writer::Settings { pretty: false };

#[cfg(test)]
mod tests {
    use super::deflate;
    use std::io::Read;

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
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&z[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data);
        }
    }
}
