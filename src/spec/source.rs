//! Reading a spec's text from disk.

use crate::diag::Diagnostic;
use std::path::Path;

/// Largest spec file accepted; far beyond any real worksheet.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads a file as UTF-8 text, refusing what cannot be a spec (not a
/// regular file, too large, not text).
pub fn read_source(path: &Path) -> Result<String, Diagnostic> {
    crate::input::read_text(path, MAX_FILE_BYTES, "spec")
}

/// Whether a path names a spec: only `.yaml` and `.yml` files are.
pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}
