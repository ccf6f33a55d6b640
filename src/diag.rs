//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of printing; only
//! `main` prints them, as `path:line:col: error: message` (the contract in
//! DESIGN.md), followed by an indented hint when one helps.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub line_col: Option<(usize, usize)>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_owned(),
            line_col: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line_col = Some((line, col));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A YAML parse or type error, located where serde_yaml found it.
    pub fn from_yaml(path: &Path, err: &serde_yaml::Error, src: &str) -> Self {
        let text = err.to_string();
        let Some(loc) = err.location() else {
            return Diagnostic::error(path, text);
        };
        // serde_yaml appends " at line L column C" and may prefix a field
        // path ("blocks[2]: "); line:col already says where, so keep only
        // the message itself.
        let suffix = format!(" at line {} column {}", loc.line(), loc.column());
        let mut msg = text.replacen(&suffix, "", 1);
        if let Some((prefix, rest)) = msg.split_once(": ") {
            if !prefix.contains(' ') {
                msg = rest.to_owned();
            }
        }
        let at = src.lines().nth(loc.line().saturating_sub(1)).unwrap_or("");
        let hint = yaml_hint(&msg, at.chars().nth(loc.column().saturating_sub(1)));
        let d = Diagnostic::error(path, msg).at(loc.line(), loc.column());
        match hint {
            Some(h) => d.hint(h),
            None => d,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn yaml_hint(msg: &str, found: Option<char>) -> Option<String> {
    if found == Some('\t') {
        return Some("indent with spaces, not tabs".into());
    }
    if msg.contains("did not find expected key") || msg.contains("mapping values are not allowed") {
        return Some("check the indentation, and put text that contains `: ` in quotes".into());
    }
    None
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((l, c)) = self.line_col {
            write!(f, ":{l}:{c}")?;
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = hint: {h}")?;
        }
        Ok(())
    }
}

/// The closest candidate to a misspelt name, if it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (levenshtein(name, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let c = ["checklist", "callout", "heading"];
        assert_eq!(did_you_mean("chekclist", &c), Some("checklist"));
        assert_eq!(did_you_mean("headnig", &c), Some("heading"));
        assert_eq!(did_you_mean("zebra", &c), None);
    }

    #[test]
    fn prints_path_line_col_and_hint() {
        let d = Diagnostic::error(Path::new("w.yaml"), "bad")
            .at(3, 7)
            .hint("fix it");
        assert_eq!(d.to_string(), "w.yaml:3:7: error: bad\n  = hint: fix it");
    }
}
