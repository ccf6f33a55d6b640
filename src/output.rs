//! Writing output files: atomically, and only inside the output folder.
//!
//! A PDF is written to a temporary file beside its destination and renamed
//! into place, so a failure never leaves a truncated or stale-looking file.

use crate::diag::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `dir/name`, creating `dir` if needed. A `private`
/// file (one with client names in it) is readable by its owner only.
pub fn write_atomic(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    private: bool,
) -> Result<PathBuf, Diagnostic> {
    debug_assert!(!name.contains(['/', '\\']) && name != ".." && name != ".");
    if let Err(e) = std::fs::create_dir_all(dir) {
        return Err(
            Diagnostic::error(dir, format!("cannot create the output folder: {e}"))
                .hint("choose another folder with --out"),
        );
    }
    let dest = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = create(&tmp, private)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &dest)
    })();
    match result {
        Ok(()) => Ok(dest),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Diagnostic::error(
                &dest,
                format!("cannot write the PDF: {e}"),
            ))
        }
    }
}

#[cfg(unix)]
fn create(path: &Path, private: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    if private {
        o.mode(0o600);
    }
    o.open(path)
}

#[cfg(not(unix))]
fn create(path: &Path, _private: bool) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("handouts-out-{}", std::process::id()));
        let p = write_atomic(&dir, "a.pdf", b"%PDF-1.3", false).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"%PDF-1.3");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.pdf"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("handouts-priv-{}", std::process::id()));
        let p = write_atomic(&dir, "names.pdf", b"x", true).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_output_folder_that_is_a_file_is_an_error() {
        let f = std::env::temp_dir().join(format!("handouts-file-{}", std::process::id()));
        std::fs::write(&f, b"x").unwrap();
        let e = write_atomic(&f, "a.pdf", b"x", false).unwrap_err();
        assert!(e.message.contains("cannot create the output folder"));
        std::fs::remove_file(&f).unwrap();
    }
}
