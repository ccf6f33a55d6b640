//! Stream compression for the PDF.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// zlib-compresses `data` (`FlateDecode`) at the level the caller picks
/// (`render::embed::Codes::levels`): a document written alone uses 5 for
/// everything (one compressor to set up); a batch uses 9 for fonts and
/// pages (each distinct one compressed once, through [`deflate_shared`])
/// and 1 for object streams and the cross-reference stream, which are
/// mostly the structure tree's small repetitive dictionaries, cost a
/// tenth of the time at 1 for 2% more bytes, and are also shared where
/// they repeat (docs/performance.md).
///
/// libdeflate compresses these small, whole-in-memory streams about twice
/// as fast as zlib (or zlib-rs) at the same level, to slightly fewer bytes;
/// compression was two fifths of a batch's time. Each thread keeps its
/// compressor: a new one allocates its tables again.
///
/// The zlib wrapper (two header bytes, the Adler-32 checksum) is written
/// here around libdeflate's raw deflate, to the same bytes its
/// `zlib_compress` gives: its checksum first asks the processor what it
/// supports (`cpuid`), and on a virtual machine that traps to the host
/// (38 µs of a 4 ms handout, measured here). `adler2` needs no such
/// question and sums a handout's 46 KB in 6 µs.
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
        let mut out = vec![0; 2 + z.deflate_compress_bound(data.len()) + 4];
        out[..2].copy_from_slice(&zlib_header(level));
        let n = z
            .deflate_compress(data, &mut out[2..])
            .expect("the bound is large enough");
        out.truncate(2 + n);
        out.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
        out
    })
}

/// [`deflate`] of each stream, in order: on a second core too when there
/// are enough bytes for one to pay for itself (a packet of a few hundred
/// pages). Each thread has its own compressor, and each stream is
/// compressed alone, so the bytes are exactly [`deflate`]'s whichever
/// thread made them.
///
/// A second thread costs about 0.2-0.3 ms here (its stack, its malloc
/// arena, a compressor's tables faulted in): a handout's whole
/// compression is less than that, and stays on one thread
/// (docs/performance.md).
pub fn deflate_all(streams: &[&[u8]], level: u32) -> Vec<Vec<u8>> {
    /// Raw bytes below which a second thread costs more than it saves:
    /// about 4 ms of compression at level 5.
    const WORTH_A_THREAD: usize = 256 * 1024;
    let total: usize = streams.iter().map(|s| s.len()).sum();
    let threads = if total < WORTH_A_THREAD {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    let mut out: Vec<Option<Vec<u8>>> = vec![None; streams.len()];
    std::thread::scope(|scope| {
        // Every `threads`-th stream from its own start, so each gets its
        // share of long and short pages.
        let share = |from: usize| {
            (from..streams.len())
                .step_by(threads)
                .map(|i| (i, deflate(streams[i], level)))
                .collect::<Vec<_>>()
        };
        let helpers: Vec<_> = (1..threads)
            .map(|t| {
                let handle = std::thread::Builder::new()
                    .name("deflate".into())
                    .spawn_scoped(scope, move || share(t));
                (t, handle)
            })
            .collect();
        for (i, z) in share(0) {
            out[i] = Some(z);
        }
        for (t, handle) in helpers {
            // A thread that could not start, or ended in a panic: its
            // share is made here (and a panic comes again).
            let made = handle
                .ok()
                .and_then(|h| h.join().ok())
                .unwrap_or_else(|| share(t));
            for (i, z) in made {
                out[i] = Some(z);
            }
        }
    });
    out.into_iter()
        .map(|z| z.expect("every stream is in some thread's share"))
        .collect()
}

/// RFC 1950's header for a 32 KB window, with libdeflate's hint of the
/// level (0 fastest to 3 slowest) and the check bits that make it a
/// multiple of 31.
fn zlib_header(level: u32) -> [u8; 2] {
    let hint: u16 = match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 | 7 => 2,
        _ => 3,
    };
    let h = 0x7800 | hint << 6;
    (h | (31 - h % 31)).to_be_bytes()
}

/// [`deflate`], remembering what it made for content seen before: the
/// worksheet pages of a roster batch are the same bytes in every row's
/// file (glyph codes do not follow the names; `render::embed`), so each is
/// compressed once and its bytes reused. A stream is kept once it has been
/// asked for twice, so a page that changes with every row (a cover with
/// names) costs a hash and is never held. Hits compare the whole content,
/// never just its hash: a collision must not put one file's page in
/// another. The output is [`deflate`]'s, whichever thread or row asked
/// first.
pub fn deflate_shared(data: &[u8], level: u32) -> Arc<[u8]> {
    use std::hash::BuildHasher;
    /// Most bytes (content and compressed) kept; past it the store starts
    /// again, as does the list of hashes seen once past `SEEN`.
    const KEPT: usize = 32 << 20;
    const SEEN: usize = 1 << 16;
    type Kept = (u32, Box<[u8]>, Arc<[u8]>);
    #[derive(Default)]
    struct Store {
        seen: HashSet<u64>,
        /// Level, content and its compressed bytes, by hash.
        kept: HashMap<u64, Kept>,
        bytes: usize,
    }
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    // A hash seeded afresh for each process, so no roster can be written to
    // collide on purpose (and a collision only costs a comparison).
    // foldhash, not std's SipHash: every page of every row is hashed, and
    // SipHash was 2.7 % of a batch's instructions (foldhash is already
    // built, for harfrust's font reader).
    static KEYS: OnceLock<foldhash::quality::RandomState> = OnceLock::new();
    let key = KEYS.get_or_init(Default::default).hash_one((level, data));
    let store = STORE.get_or_init(Default::default);
    {
        let mut st = store.lock().expect("no panics while holding the lock");
        match st.kept.get(&key) {
            Some((l, raw, z)) if *l == level && **raw == *data => return Arc::clone(z),
            Some(_) => return deflate(data, level).into(),
            None => {}
        }
        if st.seen.len() >= SEEN {
            st.seen.clear();
        }
        if st.seen.insert(key) {
            drop(st);
            return deflate(data, level).into();
        }
    }
    let z: Arc<[u8]> = deflate(data, level).into();
    let mut st = store.lock().expect("no panics while holding the lock");
    if st.bytes + data.len() + z.len() > KEPT {
        st.kept.clear();
        st.bytes = 0;
    }
    if !st.kept.contains_key(&key) {
        st.bytes += data.len() + z.len();
        st.kept.insert(key, (level, data.into(), Arc::clone(&z)));
    }
    z
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

    #[test]
    fn the_wrapper_is_libdeflates_own_to_the_byte() {
        use libdeflater::{CompressionLvl, Compressor};
        let text: Vec<u8> = (0..30_000u32)
            .flat_map(|i| format!("{} ", i * 7919 % 1013).into_bytes())
            .collect();
        let noise: Vec<u8> = (0..70_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for data in [&b""[..], b"a", &text, &noise, &[0xff; 6000]] {
            for level in 0..=12 {
                let mut z = Compressor::new(CompressionLvl::new(level).unwrap());
                let mut want = vec![0; z.zlib_compress_bound(data.len())];
                let n = z.zlib_compress(data, &mut want).unwrap();
                assert_eq!(deflate(data, level as u32), &want[..n], "level {level}");
            }
        }
    }

    #[test]
    fn shared_streams_are_deflates_own_bytes_and_never_another_streams() {
        use super::deflate_shared;
        let pages: Vec<Vec<u8>> = (0..40u32)
            .map(|i| format!("BT /F1 12 Tf ({i}) Tj ET").repeat(50).into_bytes())
            .collect();
        // Each page asked for three times, interleaved: the second and
        // third answers come from the store.
        for _ in 0..3 {
            for p in &pages {
                assert_eq!(&*deflate_shared(p, 5), &deflate(p, 5)[..]);
            }
        }
        // The level is part of what is remembered.
        assert_eq!(&*deflate_shared(&pages[0], 9), &deflate(&pages[0], 9)[..]);
        assert_eq!(&*deflate_shared(&pages[0], 9), &deflate(&pages[0], 9)[..]);
    }

    /// Streams compressed together come back in order, each exactly as
    /// compressed alone: a few (one thread) and enough for a second thread.
    #[test]
    fn streams_compressed_together_are_each_as_alone() {
        for (n, size) in [(0, 0), (3, 2_000), (40, 20_000)] {
            let streams: Vec<Vec<u8>> = (0..n)
                .map(|i: usize| {
                    format!("BT ({i}) Tj ET q {} 0 0 1 0 0 cm Q ", i * 7)
                        .repeat(size / 30 + i)
                        .into_bytes()
                })
                .collect();
            let refs: Vec<&[u8]> = streams.iter().map(|s| &s[..]).collect();
            let together = super::deflate_all(&refs, 5);
            assert_eq!(together.len(), n);
            for (s, z) in streams.iter().zip(&together) {
                assert_eq!(*z, deflate(s, 5));
            }
        }
    }

    /// Threads asking at once, for the same pages and for their own, each
    /// get the bytes of exactly what they asked for.
    #[test]
    fn shared_streams_hold_under_threads() {
        use super::deflate_shared;
        let common: Vec<Vec<u8>> = (0..8u32)
            .map(|i| format!("q 1 0 0 1 {i} 0 cm Q ").repeat(300).into_bytes())
            .collect();
        std::thread::scope(|s| {
            for t in 0..4u32 {
                let common = &common;
                s.spawn(move || {
                    for round in 0..30u32 {
                        let own = format!("BT ({t}-{round}) Tj ET").repeat(40).into_bytes();
                        for data in common.iter().chain(std::iter::once(&own)) {
                            assert_eq!(&*deflate_shared(data, 9), &deflate(data, 9)[..]);
                        }
                    }
                });
            }
        });
    }
}
