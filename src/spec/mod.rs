//! Worksheet specs and the project config, as written in YAML.
//!
//! This layer mirrors the files exactly and rejects unknown keys; `model`
//! turns it into the validated document model that layout reads.

pub mod blocks;
pub mod config;
pub mod packet;
pub mod schema;
pub mod units;

use crate::diag::Diagnostic;
use serde::Deserialize;
use std::path::Path;

pub use blocks::{Block, Entry, Only};

/// Largest spec file accepted; far beyond any real worksheet.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WorksheetSpec {
    pub title: String,
    pub subtitle: Option<String>,
    pub stage: Option<Stage>,
    /// Who fills the worksheet in.
    #[serde(rename = "for")]
    pub audience: Option<Audience>,
    /// Roughly how long it takes, e.g. "20 minutes".
    pub time: Option<String>,
    /// Where the content comes from (shown in small print at the end).
    pub source: Option<String>,
    /// Licence of the worksheet text.
    pub license: Option<String>,
    /// `only: facilitator`: the whole worksheet is left out of client editions.
    pub only: Option<Only>,
    pub blocks: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Overview,
    Atone,
    Attune,
    Attach,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Overview => "Overview",
            Stage::Atone => "Atone",
            Stage::Attune => "Attune",
            Stage::Attach => "Attach",
        }
    }
}

/// Role keys; their wording comes from the config's `roles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    Both,
    HurtPartner,
    InvolvedPartner,
    Therapist,
}

/// Reads a file as UTF-8 text, refusing what cannot be a spec.
pub fn read_source(path: &Path) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(path, format!("cannot read file: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            format!(
                "file is {} bytes; a spec may be at most {} bytes",
                meta.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(path, format!("cannot read file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Diagnostic::error(path, "file is not valid UTF-8 text")
            .at(line, col)
            .hint("save the file as UTF-8")
    })
}

fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = prefix.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// Parses a worksheet spec from its text.
pub fn parse_worksheet(path: &Path, src: &str) -> Result<WorksheetSpec, Diagnostic> {
    if src.trim().is_empty() {
        return Err(Diagnostic::error(path, "file is empty")
            .at(1, 1)
            .hint("a worksheet needs at least `title:` and `blocks:`"));
    }
    if let Some(pos) = src.find('\0') {
        let (l, c) = line_col(&src.as_bytes()[..pos]);
        return Err(Diagnostic::error(path, "file contains a NUL character").at(l, c));
    }
    serde_yaml::from_str(src).map_err(|e| Diagnostic::from_yaml(path, &e, src))
}

/// The 1-based line of the first occurrence of `needle`, to point semantic
/// errors (found after parsing, when serde_yaml's positions are gone) at the
/// value they are about.
pub fn find_line(src: &str, needle: &str) -> Option<(usize, usize)> {
    let first = needle.lines().next().unwrap_or(needle).trim();
    if first.is_empty() {
        return None;
    }
    src.find(first).map(|pos| line_col(&src.as_bytes()[..pos]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_yaml_is_located() {
        let d = parse_worksheet(Path::new("w.yaml"), "title: x\nblocks:\n\t- heading: y\n")
            .unwrap_err();
        assert_eq!(d.line_col.map(|l| l.0), Some(3));
        assert!(d.hint.unwrap().contains("tabs"));
    }

    #[test]
    fn unknown_top_level_key_names_the_allowed_ones() {
        let d =
            parse_worksheet(Path::new("w.yaml"), "title: x\ntitel: y\nblocks: []\n").unwrap_err();
        assert!(d.message.contains("unknown field `titel`"), "{}", d.message);
        assert_eq!(d.line_col.map(|l| l.0), Some(2));
    }
}
