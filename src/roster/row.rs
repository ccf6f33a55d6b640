//! What both roster formats yield: one entry per data row, in file order,
//! holding the row's values or why it cannot be read.

use crate::diag::Diagnostic;
use crate::placeholder::Vars;
use std::path::Path;

/// Most rows in one roster.
pub const MAX_ROWS: usize = 1_000_000;
/// Most columns (placeholder names) in one roster.
pub const MAX_COLUMNS: usize = 1_000;

/// One data row as read.
#[derive(Debug)]
pub struct Entry {
    /// 1-based data row (the CSV header is not counted).
    pub number: usize,
    /// 1-based line in the file.
    pub line: usize,
    /// The row's values by column (empty cells left out), or why the row
    /// cannot be read; a bad row never lends values to another.
    pub values: Result<Vars, Diagnostic>,
}

/// Numbers rows as they are read, and stops a roster that has too many.
pub struct Count {
    pub total: usize,
}

impl Count {
    pub fn next(&mut self, path: &Path) -> Result<usize, Diagnostic> {
        self.total += 1;
        if self.total > MAX_ROWS {
            return Err(Diagnostic::error(
                path,
                format!("the roster has more than {MAX_ROWS} rows; split it into several files"),
            ));
        }
        Ok(self.total)
    }
}

/// An error about row `number` at `line` (never quoting the row).
pub fn row_error(
    path: &Path,
    number: usize,
    line: usize,
    msg: impl std::fmt::Display,
) -> Diagnostic {
    Diagnostic::error(path, format!("row {number}: {msg}"))
        .at(line, 1)
        .unquoted()
}

/// A problem with one cell: its text never goes into the message.
pub fn bad_cell(value: &str) -> Option<&'static str> {
    if value.contains(['\n', '\r']) {
        Some("the value runs over more than one line")
    } else if value.chars().any(|c| c.is_control() && c != '\t') {
        Some("the value holds a control character")
    } else {
        None
    }
}
