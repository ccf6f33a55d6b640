//! Rosters: one couple per row, read exactly as written, or an error.
//!
//! A roster is CSV with a header row ([`csv`]), or a YAML list of flat
//! mappings ([`yaml`]). The rule that matters most is that a row is
//! exactly one couple: a row that cannot be read that way fails alone, by
//! number, and never lends or borrows values from its neighbours.
//!
//! Diagnostics name the row and column but never quote a value: the values
//! are client names, and messages are not pages.
//!
//! A roster is read twice and never held: [`Roster::read`] reads it through
//! once to find what is wrong with the whole file and to count its rows,
//! keeping neither rows nor values, and [`Roster::rows`] reads it again, a
//! row at a time, for a batch to build as it goes. So a CSV roster of any
//! length costs one row of memory. Both passes read the file opened once,
//! so a spreadsheet saving a new file over it meanwhile changes nothing,
//! and the second checks that it reads the bytes the first read
//! ([`blocks`]): a file changed in place stops the batch where the change
//! is met, and no row is read across it. A YAML roster is held whole (its
//! text, never its rows): YAML cannot be split at line breaks, and YAML
//! rosters are the small ones.

pub mod blocks;
pub mod csv;
pub mod row;
pub mod yaml;

use crate::diag::Diagnostic;
use blocks::{Blocks, Mode, Noted};
use csv::CsvRows;
use row::{Entry, MAX_COLUMNS};
use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use yaml::YamlRows;

/// Largest YAML roster (held whole; far beyond any real one).
pub const MAX_BYTES: u64 = 50 << 20;
/// Largest CSV roster (read a row at a time): the most rows at a
/// kilobyte each.
pub const MAX_CSV_BYTES: u64 = 1 << 30;

/// Most unreadable rows a roster keeps a message for: a roster of a
/// million broken rows is reported by count past these, not held.
pub const SHOWN: usize = 1000;

/// A roster whose whole file has been checked: its columns, how many rows
/// it has, and its rows that cannot be read. Its rows are read again with
/// [`Roster::rows`].
pub struct Roster {
    pub path: PathBuf,
    /// Column names, in order of first appearance.
    pub columns: Vec<String>,
    /// Rows that could not be read, each reported alone: the first
    /// [`SHOWN`] of them.
    pub problems: Vec<Diagnostic>,
    /// How many rows could not be read, listed or not.
    pub problem_count: usize,
    /// Data rows in the file, read or not.
    pub total: usize,
    source: Source,
    /// What the first reading of a CSV file found, for the second to check.
    noted: Noted,
}

enum Source {
    /// A CSV file, open.
    Csv(std::fs::File),
    /// CSV text already in memory.
    CsvText(String),
    Yaml(String),
}

/// A roster's rows, read one at a time.
pub enum Rows<'a> {
    Csv(CsvRows<'a>),
    Yaml(Box<YamlRows<'a>>),
}

impl Iterator for Rows<'_> {
    /// A row, or a problem of the whole file, after which there are no
    /// more rows.
    type Item = Result<Entry, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Rows::Csv(r) => r.next(),
            Rows::Yaml(r) => r.next(),
        }
    }
}

impl Roster {
    /// Reads a `.csv` or `.yaml` roster through once. Problems of the whole
    /// file (not text, no header, duplicate columns, too large) are the
    /// error; a bad row is kept in [`Roster::problems`] and the rest are
    /// counted.
    pub fn read(path: &Path) -> Result<Roster, Diagnostic> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        let source = match ext.as_str() {
            "csv" => Source::Csv(crate::input::open_file(path, MAX_CSV_BYTES, "roster")?),
            "yaml" | "yml" => Source::Yaml(crate::input::read_text(path, MAX_BYTES, "roster")?),
            _ => {
                return Err(
                    Diagnostic::error(path, "a roster must be a .csv or .yaml file")
                        .hint("CSV with a header row, e.g. `partner_a,partner_b,session_date`"),
                )
            }
        };
        Roster::check(path, source)
    }

    /// A roster from text already read; `yaml` picks the format, `path`
    /// names it in messages.
    pub fn parse(path: &Path, src: &str, yaml: bool) -> Result<Roster, Diagnostic> {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src).to_owned();
        Roster::check(
            path,
            if yaml {
                Source::Yaml(src)
            } else {
                Source::CsvText(src)
            },
        )
    }

    /// The first pass: every row read and dropped, the file's problems kept.
    fn check(path: &Path, source: Source) -> Result<Roster, Diagnostic> {
        let mut r = Roster {
            path: path.to_owned(),
            columns: Vec::new(),
            problems: Vec::new(),
            problem_count: 0,
            total: 0,
            source,
            noted: Noted::default(),
        };
        let noted = RefCell::new(Noted::default());
        let mut rows = r.open_rows(Mode::Note(&noted))?;
        let mut columns = match &rows {
            Rows::Csv(c) => c.columns().to_vec(),
            Rows::Yaml(_) => Vec::new(),
        };
        // Looked up for every cell: a list would make a wide roster's
        // reading quadratic in its columns.
        let mut known: HashSet<String> = columns.iter().cloned().collect();
        let (mut problems, mut problem_count, mut total) = (Vec::new(), 0, 0);
        for entry in rows.by_ref() {
            let entry = entry?;
            total = entry.number;
            match entry.values {
                Ok(vars) => {
                    for k in vars.into_keys() {
                        if !known.contains(&k) {
                            if columns.len() >= MAX_COLUMNS {
                                return Err(Diagnostic::error(
                                    path,
                                    format!("the roster has more than {MAX_COLUMNS} columns"),
                                ));
                            }
                            known.insert(k.clone());
                            columns.push(k);
                        }
                    }
                }
                Err(d) => {
                    problem_count += 1;
                    if problems.len() < SHOWN {
                        problems.push(d);
                    }
                }
            }
        }
        drop(rows);
        r.noted = noted.into_inner();
        if total == 0 {
            return Err(
                Diagnostic::error(path, "the roster has no rows").hint("add one row per couple")
            );
        }
        r.columns = columns;
        r.problems = problems;
        r.problem_count = problem_count;
        r.total = total;
        Ok(r)
    }

    /// The rows from the start, one at a time, each with its values or its
    /// problem, as [`Roster::read`] found them; a CSV file changed in
    /// place since ends them with an error where the change is met.
    pub fn rows(&self) -> Result<Rows<'_>, Diagnostic> {
        self.open_rows(Mode::Check(&self.noted))
    }

    fn open_rows<'a>(&'a self, mode: Mode<'a>) -> Result<Rows<'a>, Diagnostic> {
        Ok(match &self.source {
            Source::Csv(file) => Rows::Csv(CsvRows::open(
                &self.path,
                Box::new(Blocks::new(file, mode)),
                MAX_CSV_BYTES,
            )?),
            Source::CsvText(text) => Rows::Csv(CsvRows::open(
                &self.path,
                Box::new(text.as_bytes()),
                MAX_CSV_BYTES,
            )?),
            Source::Yaml(text) => Rows::Yaml(Box::new(YamlRows::open(&self.path, text)?)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(name: &str, text: impl AsRef<[u8]>) -> Result<Roster, Diagnostic> {
        // Removed with the file when it drops; the roster keeps the file
        // it opened.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        Roster::read(&p)
    }

    fn values(r: &Roster) -> Vec<Vec<(String, String)>> {
        r.rows()
            .unwrap()
            .filter_map(|e| e.unwrap().values.ok())
            .map(|v| v.into_iter().collect())
            .collect()
    }

    #[test]
    fn an_unclosed_quote_fails_its_row_alone() {
        let r = roster("q.csv", "partner_a,partner_b\nAna,Bo\n\"Cy,Di\nEd,Flo\n").unwrap();
        assert_eq!(values(&r).len(), 2);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line_col, Some((3, 1)));
        assert!(
            r.problems[0].message.starts_with("row 2:"),
            "{}",
            r.problems[0].message
        );
        assert!(!r.problems[0].message.contains("Cy"));
    }

    #[test]
    fn many_broken_rows_are_counted_past_the_first_thousand() {
        let mut text = String::from("a,b\nAna,Bo\n");
        for _ in 0..1500 {
            text.push_str("only-one-field\n");
        }
        let r = roster("many.csv", text).unwrap();
        assert_eq!(
            (r.total, r.problem_count, r.problems.len()),
            (1501, 1500, SHOWN)
        );
        assert_eq!(values(&r).len(), 1);
    }

    #[test]
    fn field_counts_are_strict() {
        let r = roster("n.csv", "a,b,c\n1,2,3\nSmith, Jr.,x,y\n1,2\n").unwrap();
        assert_eq!(values(&r).len(), 1);
        let msgs: Vec<_> = r.problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "row 2: 4 fields, but the header has 3",
                "row 3: 2 fields, but the header has 3"
            ]
        );
    }

    #[test]
    fn header_problems_fail_the_file() {
        let e = roster("d.csv", "a,b,a\n1,2,3\n").err().unwrap();
        assert!(e.message.contains("columns 1 and 3"), "{}", e.message);
        assert!(!e.message.contains("`a`") && !e.quote_source);
        let e = roster("e.csv", "a,,c\n1,2,3\n").err().unwrap();
        assert!(e.message.contains("no name"), "{}", e.message);
    }

    #[test]
    fn bom_crlf_and_blank_rows_are_fine() {
        let r = roster(
            "b.csv",
            "\u{feff}partner_a,partner_b\r\nAna,Bo\r\n,\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            values(&r),
            [[
                ("partner_a".into(), "Ana".into()),
                ("partner_b".into(), "Bo".into())
            ]]
        );
        assert!(r.problems.is_empty());
    }

    #[test]
    fn yaml_values_are_the_text_written() {
        let r = roster(
            "r.yaml",
            "- {a: 0x1F, b: 1.10, c: 0503, d: yes, e: , f: null}\n- a: [x]\n- just text\n- {g: 1}\n",
        )
        .unwrap();
        let v = values(&r);
        assert_eq!(
            v[0],
            [
                ("a".to_owned(), "0x1F".to_owned()),
                ("b".into(), "1.10".into()),
                ("c".into(), "0503".into()),
                ("d".into(), "yes".into()),
                ("f".into(), "null".into())
            ]
        );
        assert_eq!(v.len(), 2, "the bad rows fail alone");
        let rows: Vec<_> = r
            .problems
            .iter()
            .map(|d| d.message.split(':').next().unwrap().to_owned())
            .collect();
        assert_eq!(rows, ["row 2", "row 3"]);
    }

    #[test]
    fn yaml_aliases_are_refused_per_row() {
        let r = roster("a.yaml", "- &x {a: Ana}\n- *x\n- {a: *y}\n- {a: Bo}\n");
        let r = match r {
            Ok(r) => r,
            // An unknown anchor may be a syntax error of the whole file.
            Err(e) => return assert!(e.message.contains("YAML")),
        };
        assert_eq!(values(&r).len(), 2);
    }

    #[test]
    fn text_that_is_not_utf8_fails_the_file_where_it_is() {
        let e = roster("u.csv", b"a,b\nAna,Bo\nZo\xeb,x\n").err().unwrap();
        assert_eq!(e.line_col, Some((3, 3)));
        assert!(e.message.contains("UTF-8"), "{}", e.message);
    }

    #[test]
    fn a_line_that_never_ends_is_refused_not_held() {
        let mut text = b"a,b\n".to_vec();
        text.resize(text.len() + csv::MAX_LINE + 10, b'x');
        let e = roster("long.csv", &text).err().unwrap();
        assert!(e.message.contains("line 2 is longer than"), "{}", e.message);
        let e = roster("head.csv", &text[4..]).err().unwrap();
        assert!(e.message.contains("line 1 is longer than"), "{}", e.message);
    }

    #[test]
    fn lines_ended_by_a_carriage_return_alone_are_named() {
        let e = roster("mac.csv", "a,b\rAna,Bo\rCy,Di\r").err().unwrap();
        assert!(e.message.contains("carriage return"), "{}", e.message);
        assert!(!e.message.contains("Ana"));
    }

    #[test]
    fn every_pass_reads_the_same_rows() {
        let r = roster("t.csv", "a,b\nAna,Bo\n\"Cy,Di\nEd,\n").unwrap();
        assert_eq!(values(&r), values(&r));
        assert_eq!((r.total, r.problems.len()), (3, 1));
        let numbers: Vec<usize> = r.rows().unwrap().map(|e| e.unwrap().number).collect();
        assert_eq!(numbers, [1, 2, 3]);
    }

    /// A spreadsheet saves by writing a new file and renaming it over the
    /// old one: a batch goes on reading the roster it checked.
    #[cfg(unix)]
    #[test]
    fn a_roster_saved_over_meanwhile_is_read_as_it_was_checked() {
        let dir = std::env::temp_dir().join(format!("handouts-resave-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("r.csv");
        std::fs::write(&p, "a,b\nAna,Bo\nCy,Di\n").unwrap();
        let r = Roster::read(&p).unwrap();
        let newer = dir.join("new.csv");
        std::fs::write(&newer, "a,b\nEve,Fay\n").unwrap();
        std::fs::rename(&newer, &p).unwrap();
        let v = values(&r);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1][0], ("a".into(), "Cy".into()));
    }
}
