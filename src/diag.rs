//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of printing; only
//! `main` prints them, as `path:line:col: error: message` (the contract in
//! DESIGN.md), followed by an indented hint when one helps.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Default for Pos {
    fn default() -> Pos {
        Pos { line: 1, col: 1 }
    }
}

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
    /// Whether the human format may print the source line. Not for rosters:
    /// their lines are client names, and names go on pages only.
    pub quote_source: bool,
}

impl Diagnostic {
    pub fn error(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_owned(),
            line_col: None,
            message: message.into(),
            hint: None,
            quote_source: true,
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

    /// Located at `pos`, if there is one.
    pub fn at_pos(mut self, pos: Option<Pos>) -> Self {
        if let Some(p) = pos {
            self.line_col = Some((p.line, p.col));
        }
        self
    }

    /// Never print the source line under this diagnostic (see `quote_source`).
    pub fn unquoted(mut self) -> Self {
        self.quote_source = false;
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
        // A file that is not a spec at all (a roster, a CSV named .yaml) is
        // one string or list: never repeat its text in the message.
        if msg.contains(", expected struct") {
            if let Some(rest) = msg.strip_prefix("invalid type: string \"") {
                if let Some((_, tail)) = rest.rsplit_once("\", expected struct") {
                    msg = format!("invalid type: string, expected struct{tail}");
                }
            }
        }
        // A quote never closed: the parser stops at the end of the file,
        // but the mistake is where the quote opens.
        if msg.contains("while scanning a quoted scalar") {
            if let Some((line, col)) = opened_at(&msg) {
                return Diagnostic::error(path, "this quote is never closed")
                    .hint("end the text with the same quote mark, or write long text after `>-` without quotes")
                    .at(line, col);
            }
        }
        let at = src.lines().nth(loc.line().saturating_sub(1)).unwrap_or("");
        let hint = yaml_hint(&msg, at.chars().nth(loc.column().saturating_sub(1)));
        let (msg, hint) = match in_clinicians_words(&msg, key_on(at)) {
            // The values are in the message now: a hint only to say which.
            Some(m) => (m, hint.filter(|h| h.starts_with("did you mean"))),
            None => (msg, hint),
        };
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

/// Where a parser's message says a thing began: "… at line L column C".
fn opened_at(msg: &str) -> Option<(usize, usize)> {
    let rest = msg.split(" at line ").nth(1)?;
    let (line, rest) = rest.split_once(" column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

/// The key a line of YAML sets (`for` in `for: both partners`, `checklist`
/// in `  - checklist: one thing`).
fn key_on(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = t.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(' ')).then_some(key)
}

/// serde's wording, said as a worksheet's author would want it; `None`
/// keeps serde's. A value is never repeated (it may be anything).
fn in_clinicians_words(msg: &str, key: Option<&str>) -> Option<String> {
    let key = key?;
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        match expected[..] {
            [] => {}
            [one] => return Some(format!("`{key}` must be `{one}`")),
            _ => return Some(format!("`{key}` must be one of: {}", expected.join(", "))),
        }
    }
    if msg.starts_with("invalid type: string") && msg.ends_with("expected a sequence") {
        return Some(format!(
            "`{key}` takes a list: put each item on its own line starting with `- `"
        ));
    }
    None
}

fn yaml_hint(msg: &str, found: Option<char>) -> Option<String> {
    if found == Some('\t') {
        return Some("indent with spaces, not tabs".into());
    }
    if let Some(rest) = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("unknown variant `"))
    {
        let name = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        if let Some(best) = did_you_mean(name, &expected) {
            return Some(format!("did you mean `{best}`?"));
        }
        if expected.is_empty() {
            return Some("this block takes no options".into());
        }
        let what = if msg.starts_with("unknown field") {
            "keys"
        } else {
            "values"
        };
        return Some(format!(
            "the {what} allowed here are {}",
            expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if msg.contains("did not find expected '-' indicator") {
        return Some("items of one list start with `- ` in the same column".into());
    }
    if msg.contains("expected struct WorksheetSpec") {
        return Some("a worksheet is a mapping: `title:` and `blocks:` at the left edge".into());
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        return Some(match name {
            "blocks" => "add `blocks:` followed by the list of blocks".into(),
            "title" => "add `title:` with the worksheet's title".into(),
            _ => format!("add `{name}:`"),
        });
    }
    if msg.contains("invalid type: map, expected a sequence") {
        return Some("this is a list: start each item on its own line with `- `".into());
    }
    if msg.contains("invalid type: sequence, expected a string") {
        return Some("write the text directly, without [ ] around it".into());
    }
    if msg.contains("did not find expected key") || msg.contains("mapping values are not allowed") {
        return Some("check the indentation, and put text that contains `: ` in quotes".into());
    }
    None
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The first line, the source line with a caret under the spot, a hint.
    #[default]
    Human,
    /// One line per diagnostic, for editors and CI.
    Short,
}

impl Diagnostic {
    /// The diagnostic as printed: `path:line:col: error: message`, then in
    /// the human format the offending source line (read from `src`) with a
    /// caret under the spot, and the hint. `color` adds ANSI colours.
    pub fn render(&self, format: Format, src: Option<&str>, color: bool) -> String {
        let paint = |code: &str, s: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_owned()
            }
        };
        let mut out = self.path.display().to_string();
        if let Some((l, c)) = self.line_col {
            out.push_str(&format!(":{l}:{c}"));
        }
        let kind = match self.severity {
            Severity::Error => paint("1;31", "error"),
            Severity::Warning => paint("1;33", "warning"),
        };
        out.push_str(&format!(": {kind}: {}", self.message));
        if format == Format::Short {
            if let Some(h) = &self.hint {
                out.push_str(&format!(" (hint: {h})"));
            }
            return out;
        }
        let src = src.filter(|_| self.quote_source);
        if let (Some((l, c)), Some(src)) = (self.line_col, src) {
            if let Some(line) = src.lines().nth(l.saturating_sub(1)) {
                let line = line.replace('\t', " ");
                let num = l.to_string();
                let pad = " ".repeat(num.len());
                let mut col = c.max(1) - 1;
                // Show a window of a very long line around the spot.
                let chars: Vec<char> = line.chars().collect();
                let from = col.saturating_sub(40);
                let line: String = if chars.len() > 100 {
                    let shown: String = chars[from.min(chars.len())..].iter().take(100).collect();
                    col = col - from + usize::from(from > 0);
                    if from > 0 {
                        format!("…{shown}")
                    } else {
                        shown
                    }
                } else {
                    line
                };
                let width = line
                    .chars()
                    .skip(col)
                    .take_while(|ch| !ch.is_whitespace() && *ch != ':' && *ch != ',')
                    .count()
                    .clamp(1, 60);
                let bar = paint("1;34", "|");
                out.push_str(&format!(
                    "\n{pad} {bar}\n{} {bar} {line}\n{pad} {bar} {}{}",
                    paint("1;34", &num),
                    " ".repeat(col),
                    paint("1;31", &"^".repeat(width))
                ));
            }
        }
        if let Some(h) = &self.hint {
            out.push_str(&format!(
                "\n{} = {}: {h}",
                " ".repeat(self.line_col.map_or(0, |(l, _)| l.to_string().len())),
                paint("1", "hint")
            ));
        }
        out
    }
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

/// What happened to a file, in words: never the system's error number
/// ("No such file or directory (os error 2)").
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "there is no such file or folder".into(),
        PermissionDenied => "permission denied (its owner can allow it)".into(),
        AlreadyExists => "it already exists".into(),
        StorageFull => "the disk is full".into(),
        ReadOnlyFilesystem => "the disk is read-only".into(),
        IsADirectory => "it is a folder, not a file".into(),
        NotADirectory => "part of the path is a file, not a folder".into(),
        InvalidFilename => "the name is not allowed here".into(),
        FileTooLarge => "it is too large".into(),
        kind => kind.to_string(),
    }
}

/// The closest candidate to a misspelt name, if it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let close = candidates
        .iter()
        .map(|c| (levenshtein(name, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < name.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    // "atonement" for "atone", "check" for "checklist".
    close.or_else(|| {
        candidates
            .iter()
            .find(|c| {
                c.len() >= 4 && name.len() >= 4 && (name.starts_with(**c) || c.starts_with(name))
            })
            .copied()
    })
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
    fn human_format_shows_the_line_and_a_caret() {
        let d = Diagnostic::error(Path::new("w.yaml"), "unknown field `lins`")
            .at(2, 3)
            .hint("did you mean `lines`?");
        let src = "- prompt: x\n  lins: 3\n";
        assert_eq!(
            d.render(Format::Human, Some(src), false),
            "w.yaml:2:3: error: unknown field `lins`\n  |\n2 |   lins: 3\n  |   ^^^^\n  = hint: did you mean `lines`?"
        );
        assert_eq!(
            d.render(Format::Short, Some(src), false),
            "w.yaml:2:3: error: unknown field `lins` (hint: did you mean `lines`?)"
        );
    }

    #[test]
    fn unknown_keys_get_the_nearest_name() {
        let e = serde_yaml::from_str::<crate::spec::WorksheetSpec>("title: x\nbloks: []\n")
            .unwrap_err();
        let d = Diagnostic::from_yaml(Path::new("w.yaml"), &e, "title: x\nbloks: []\n");
        assert_eq!(d.hint.as_deref(), Some("did you mean `blocks`?"));
    }

    #[test]
    fn prints_path_line_col_and_hint() {
        let d = Diagnostic::error(Path::new("w.yaml"), "bad")
            .at(3, 7)
            .hint("fix it");
        assert_eq!(d.to_string(), "w.yaml:3:7: error: bad\n  = hint: fix it");
    }
}
