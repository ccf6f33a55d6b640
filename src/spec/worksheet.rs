//! Worksheet specs as written, and parsing them with every problem found.

use super::blocks::{Entry, Only};
use super::spans;
use crate::diag::Diagnostic;
use crate::input::line_col;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WorksheetSpec {
    pub title: String,
    pub subtitle: Option<String>,
    /// The worksheet's language (BCP 47, e.g. `es` or `es-MX`), when it is
    /// not the project config's.
    pub language: Option<String>,
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
    /// Where each key and value is in the file, for validation's errors.
    #[serde(skip)]
    pub spans: spans::Spans,
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
    /// The English name, for messages; pages print the locale's.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Overview => "Overview",
            Stage::Atone => "Atone",
            Stage::Attune => "Attune",
            Stage::Attach => "Attach",
        }
    }

    /// The key in a locale (`atone`).
    pub fn id(self) -> &'static str {
        match self {
            Stage::Overview => "overview",
            Stage::Atone => "atone",
            Stage::Attune => "attune",
            Stage::Attach => "attach",
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

/// Whether YAML text is shaped like a worksheet: `title:` and `blocks:` at
/// the left edge.
pub fn looks_like_worksheet(src: &str) -> bool {
    src.lines().any(|l| l.starts_with("title:")) && src.lines().any(|l| l.starts_with("blocks:"))
}

/// Parses a worksheet spec from its text, stopping at the first problem.
pub fn parse_worksheet(path: &Path, src: &str) -> Result<WorksheetSpec, Diagnostic> {
    let (spec, mut errs) = parse_worksheet_all(path, src);
    match spec {
        Some(s) if errs.is_empty() => Ok(s),
        _ => Err(errs.remove(0)),
    }
}

/// Most problems reported from one file.
const MAX_PROBLEMS: usize = 20;

/// Parses a worksheet spec and reports every syntax and type problem, not
/// only the first: after each error, the block (or top-level entry) holding
/// it is blanked out, keeping the line count, and the text is parsed again.
/// Returns the spec that finally parsed (with broken blocks left out), so
/// semantic checks can run on the rest, and every problem found.
pub fn parse_worksheet_all(path: &Path, src: &str) -> (Option<WorksheetSpec>, Vec<Diagnostic>) {
    if src.trim().is_empty() {
        let d = Diagnostic::error(path, "file is empty")
            .at(1, 1)
            .hint("a worksheet needs at least `title:` and `blocks:`");
        return (None, vec![d]);
    }
    if let Some(pos) = src.find('\0') {
        let (l, c) = line_col(&src.as_bytes()[..pos]);
        return (
            None,
            vec![Diagnostic::error(path, "file contains a NUL character").at(l, c)],
        );
    }
    let spans = match spans::Spans::read(path, src) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let mut errs: Vec<Diagnostic> = Vec::new();
    let mut text = src.to_owned();
    loop {
        match serde_yaml::from_str::<WorksheetSpec>(&text) {
            Ok(mut spec) => {
                spec.spans = spans;
                return (Some(spec), errs);
            }
            Err(e) => {
                let d = Diagnostic::from_yaml(path, &e, src);
                let line = d.line_col.map(|(l, _)| l);
                // A missing field after blanking is an echo of an earlier problem.
                let echo = !errs.is_empty() && d.message.starts_with("missing field");
                // A document of the wrong kind altogether has nothing to recover.
                let whole = d.message.contains("expected struct");
                if !echo && !errs.contains(&d) {
                    errs.push(d);
                }
                let next = line.and_then(|l| blank_entry(&text, l));
                match next {
                    Some(t) if errs.len() < MAX_PROBLEMS && t != text && !echo && !whole => {
                        text = t
                    }
                    _ => return (None, errs),
                }
            }
        }
    }
}

/// `src` with the list item or top-level entry that holds `line` replaced
/// by `- divider` (or removed), keeping every other line where it was.
fn blank_entry(src: &str, line: usize) -> Option<String> {
    let mut lines: Vec<String> = src.lines().map(str::to_owned).collect();
    let i = line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let indent = |s: &str| s.len() - s.trim_start().len();
    let blank = |s: &str| s.trim().is_empty() || s.trim_start().starts_with('#');
    let blocks = lines.iter().position(|l| l.starts_with("blocks:"));
    let item_indent = blocks.and_then(|b| {
        lines[b + 1..]
            .iter()
            .find(|l| !blank(l))
            .filter(|l| l.trim_start().starts_with("- "))
            .map(|l| indent(l))
    });
    if let (Some(b), Some(ind)) = (blocks, item_indent) {
        if i > b && (indent(&lines[i]) >= ind || blank(&lines[i])) {
            let start = (b + 1..=i)
                .rev()
                .find(|&j| indent(&lines[j]) == ind && lines[j].trim_start().starts_with("- "))?;
            let end = (start + 1..lines.len())
                .find(|&k| !blank(&lines[k]) && indent(&lines[k]) <= ind)
                .unwrap_or(lines.len());
            lines[start] = format!("{}- divider", " ".repeat(ind));
            for l in &mut lines[start + 1..end] {
                l.clear();
            }
            return Some(lines.join("\n") + "\n");
        }
    }
    // A top-level entry: remove it and what is indented under it.
    let start = (0..=i)
        .rev()
        .find(|&j| !blank(&lines[j]) && indent(&lines[j]) == 0)?;
    let end = (start + 1..lines.len())
        .find(|&k| !blank(&lines[k]) && indent(&lines[k]) == 0)
        .unwrap_or(lines.len());
    for l in &mut lines[start..end] {
        l.clear();
    }
    Some(lines.join("\n") + "\n")
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
    fn every_broken_block_is_reported_in_one_pass() {
        let src = "title: T\nblocks:\n  - prompt: a\n    lins: 3\n  - heading: ok\n  - chekclist: [x]\n  - scale: s\n    from: x\ntitel: y\n";
        let (_, errs) = parse_worksheet_all(Path::new("w.yaml"), src);
        let lines: Vec<usize> = errs.iter().map(|d| d.line_col.unwrap().0).collect();
        assert_eq!(lines, [4, 6, 8, 9], "{errs:?}");
    }

    #[test]
    fn unknown_top_level_key_names_the_allowed_ones() {
        let d =
            parse_worksheet(Path::new("w.yaml"), "title: x\ntitel: y\nblocks: []\n").unwrap_err();
        assert!(d.message.contains("unknown field `titel`"), "{}", d.message);
        assert_eq!(d.line_col.map(|l| l.0), Some(2));
    }
}
