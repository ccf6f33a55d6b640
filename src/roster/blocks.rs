//! A CSV roster read twice from one open file, the same both times.
//!
//! The first reading checks and counts the rows; the second, as the batch
//! builds, reads them again. A file changed in place meanwhile (a
//! spreadsheet or script writing over the file it opened, an append) would
//! be read half old, half new, and a line that straddles the change could
//! join one couple's first name to another couple's second: the worst
//! mistake a packet can carry. So the first reading notes a hash of each
//! block of the file, and the second checks each block before handing out
//! any of its bytes. A changed block stops the batch there, and every row
//! built before it came from checked bytes. (Saving a new file over the old
//! name changes nothing: both readings are of the file opened first.)

use std::cell::RefCell;
use std::collections::hash_map::RandomState;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufRead, Read};

/// Bytes hashed at a time, and read at a time.
const BLOCK: usize = 64 << 10;

/// The hashes of a file's blocks as the first reading found them, the
/// last (short, perhaps empty) block's included, so a file that grew or
/// shrank differs too. The key is drawn afresh for each process: an edit
/// cannot be made to match a block it replaces.
#[derive(Default)]
pub struct Noted {
    hashes: Vec<u64>,
    key: RandomState,
}

/// The error a changed block reads as; [`is_change`] tells it apart.
#[derive(Debug)]
struct Changed;

impl std::fmt::Display for Changed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the file changed while it was being read")
    }
}

impl std::error::Error for Changed {}

/// Whether a read failed because the file is no longer what the first
/// reading found.
pub fn is_change(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Changed>())
}

/// What a reading does with each block: note its hash, or check it.
pub enum Mode<'a> {
    Note(&'a RefCell<Noted>),
    Check(&'a Noted),
}

/// Reads `file` from its start a block at a time, at positions of its own
/// (another reader of the same file does not move it).
pub struct Blocks<'a> {
    file: &'a File,
    mode: Mode<'a>,
    buf: Vec<u8>,
    pos: usize,
    /// Blocks read so far.
    index: usize,
    /// The last block has been read (it was short).
    done: bool,
}

impl<'a> Blocks<'a> {
    pub fn new(file: &'a File, mode: Mode<'a>) -> Self {
        Blocks {
            file,
            mode,
            buf: Vec::new(),
            pos: 0,
            index: 0,
            done: false,
        }
    }

    fn next_block(&mut self) -> std::io::Result<()> {
        self.buf.resize(BLOCK, 0);
        let at = (self.index * BLOCK) as u64;
        let mut filled = 0;
        while filled < BLOCK {
            match read_at(self.file, &mut self.buf[filled..], at + filled as u64) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.buf.truncate(filled);
        self.pos = 0;
        self.done = filled < BLOCK;
        match &self.mode {
            Mode::Note(noted) => {
                let mut noted = noted.borrow_mut();
                let h = noted.key.hash_one(&self.buf[..]);
                noted.hashes.push(h);
            }
            Mode::Check(noted) => {
                let h = noted.key.hash_one(&self.buf[..]);
                if noted.hashes.get(self.index) != Some(&h) {
                    self.buf.clear();
                    self.done = true;
                    return Err(std::io::Error::other(Changed));
                }
            }
        }
        self.index += 1;
        Ok(())
    }
}

fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, at);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, at);
}

impl Read for Blocks<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let have = self.fill_buf()?;
            let n = have.len().min(out.len());
            out[..n].copy_from_slice(&have[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Blocks<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos == self.buf.len() && !self.done {
            self.next_block()?;
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, Write};

    fn all(r: &mut impl Read) -> std::io::Result<Vec<u8>> {
        let mut v = Vec::new();
        r.read_to_end(&mut v).map(|_| v)
    }

    #[test]
    fn a_file_read_again_unchanged_passes_and_any_change_is_caught() {
        let mut file = tempfile::tempfile().unwrap();
        let text: Vec<u8> = (0..BLOCK * 2 + 100)
            .map(|i| b'a' + (i % 26) as u8)
            .collect();
        file.write_all(&text).unwrap();
        let noted = RefCell::new(Noted::default());
        assert_eq!(
            all(&mut Blocks::new(&file, Mode::Note(&noted))).unwrap(),
            text
        );
        let noted = noted.into_inner();
        assert_eq!(
            all(&mut Blocks::new(&file, Mode::Check(&noted))).unwrap(),
            text
        );

        // One byte changed in the second block: the first block's bytes
        // are handed out, none of the second's.
        file.seek(std::io::SeekFrom::Start(BLOCK as u64 + 7))
            .unwrap();
        file.write_all(b"Z").unwrap();
        let mut r = Blocks::new(&file, Mode::Check(&noted));
        let mut first = vec![0; BLOCK];
        r.read_exact(&mut first).unwrap();
        assert_eq!(first, text[..BLOCK]);
        let e = r.read(&mut [0; 16]).unwrap_err();
        assert!(is_change(&e), "{e}");
        file.seek(std::io::SeekFrom::Start(BLOCK as u64 + 7))
            .unwrap();
        file.write_all(&text[BLOCK + 7..BLOCK + 8]).unwrap();
        assert!(all(&mut Blocks::new(&file, Mode::Check(&noted))).is_ok());

        // Grown (even by a whole block) or cut short: caught at the end.
        file.seek(std::io::SeekFrom::End(0)).unwrap();
        file.write_all(&vec![b'x'; BLOCK]).unwrap();
        assert!(is_change(
            &all(&mut Blocks::new(&file, Mode::Check(&noted))).unwrap_err()
        ));
        file.set_len((BLOCK * 2) as u64).unwrap();
        assert!(is_change(
            &all(&mut Blocks::new(&file, Mode::Check(&noted))).unwrap_err()
        ));
    }

    #[test]
    fn a_file_of_whole_blocks_and_an_empty_file_read_back() {
        for len in [0, BLOCK, BLOCK * 2] {
            let mut file = tempfile::tempfile().unwrap();
            file.write_all(&vec![b'q'; len]).unwrap();
            let noted = RefCell::new(Noted::default());
            assert_eq!(
                all(&mut Blocks::new(&file, Mode::Note(&noted)))
                    .unwrap()
                    .len(),
                len
            );
            let noted = noted.into_inner();
            assert_eq!(
                all(&mut Blocks::new(&file, Mode::Check(&noted)))
                    .unwrap()
                    .len(),
                len
            );
        }
    }
}
