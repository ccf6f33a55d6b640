//! Reading input files: regular files only, bounded before anything grows.
//!
//! Specs, configs and rosters come from people we cannot vet (a packet may
//! name `../../etc/passwd`, a path may be a FIFO or `/dev/zero`), so every
//! read here opens without blocking, checks what the path really is on the
//! opened handle (no swap between check and read), and never reads more
//! than its limit plus one byte.

use crate::diag::Diagnostic;
use std::io::Read;
use std::path::Path;

/// The regular file at `path`, opened, if it holds at most `limit` bytes;
/// `what` names the kind of file in messages ("spec", "roster").
pub fn open_file(path: &Path, limit: u64, what: &str) -> Result<std::fs::File, Diagnostic> {
    let file = open(path).map_err(|e| cannot_read(path, &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(path, &e))?;
    if meta.is_dir() {
        return Err(Diagnostic::error(path, "this is a folder, not a file"));
    }
    if !meta.is_file() {
        return Err(Diagnostic::error(
            path,
            "not a regular file (a device, FIFO or socket); only ordinary files are read",
        ));
    }
    if meta.len() > limit {
        return Err(too_big(path, meta.len(), limit, what));
    }
    Ok(file)
}

fn cannot_read(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        format!("cannot read file: {}", crate::diag::io_reason(e)),
    )
}

fn too_big(path: &Path, n: u64, limit: u64, what: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        format!("file is {n} bytes; a {what} may be at most {limit} bytes"),
    )
}

/// The bytes of the regular file at `path`, at most `limit` of them; `what`
/// names the kind of file in messages ("spec", "roster").
pub fn read_bytes(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Diagnostic> {
    let file = open_file(path, limit, what)?;
    let len = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, &e))?;
    // The file may have grown since it was measured.
    if bytes.len() as u64 > limit {
        return Err(too_big(path, bytes.len() as u64, limit, what));
    }
    Ok(bytes)
}

/// [`read_bytes`] as UTF-8 text; a byte-order mark is dropped.
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String, Diagnostic> {
    let bytes = read_bytes(path, limit, what)?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Diagnostic::error(path, "file is not valid UTF-8 text")
            .at(line, col)
            .hint(if what == "roster" {
                "save the file as UTF-8 (in a spreadsheet: “CSV UTF-8”)"
            } else {
                "save the file as UTF-8"
            })
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// 1-based line and column (in characters) of the end of `prefix`.
pub fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let last = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&prefix[last..]).chars().count() + 1;
    (line, col)
}

#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so opening a FIFO returns at once and is then refused.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn devices_folders_and_large_files_are_refused() {
        let e = read_bytes(Path::new("/dev/zero"), 1 << 20, "spec").unwrap_err();
        assert!(e.message.contains("not a regular file"), "{}", e.message);
        let e = read_bytes(Path::new("src"), 1 << 20, "spec").unwrap_err();
        assert!(e.message.contains("folder"), "{}", e.message);
        let e = read_bytes(Path::new("Cargo.lock"), 100, "spec").unwrap_err();
        assert!(
            e.message.contains("a spec may be at most 100 bytes"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_bad_utf8_located() {
        let dir = std::env::temp_dir().join(format!("handouts-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("bom.csv");
        std::fs::write(&p, "\u{feff}a,b\n").unwrap();
        assert_eq!(read_text(&p, 100, "roster").unwrap(), "a,b\n");
        std::fs::write(&p, b"ok\nZo\xeb\n").unwrap();
        let e = read_text(&p, 100, "roster").unwrap_err();
        assert_eq!(e.line_col, Some((2, 3)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
