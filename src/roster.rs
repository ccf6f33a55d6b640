//! Rosters: one couple per row, read exactly as written, or an error.
//!
//! A roster is CSV with a header row, or a YAML list of flat mappings. The
//! rule that matters most is that a row is exactly one couple: a row that
//! cannot be read that way fails alone, by number, and never lends or
//! borrows values from its neighbours. So:
//! - CSV is read a line at a time. A value never spans lines, so an
//!   unclosed quote is that row's error, not a merge of the rows after it
//!   (the `csv` crate reads on to the end of the file, which is how three
//!   couples once shared a cover). Every row has exactly the header's
//!   number of fields; the header's names are unique and not empty.
//! - YAML is read as parser events (saphyr-parser), not through serde, so
//!   every value is the text written: `0503` keeps its zero, `1.10` its
//!   digits. A row that is not a flat mapping of text fails alone.
//!   An empty value, `~` or `null` is an empty cell.
//!
//! Diagnostics name the row and column but never quote a value: the values
//! are client names, and messages are not pages.
//!
//! The cells of a whole roster live in one string, so a million rows cost
//! their text plus a few words each.

use crate::diag::Diagnostic;
use crate::model::Vars;
use saphyr_parser::{Event, Parser};
use std::path::{Path, PathBuf};

/// Largest roster read (far beyond any real one; specs have a smaller one).
pub const MAX_BYTES: u64 = 50 << 20;
/// Most rows in one roster.
pub const MAX_ROWS: usize = 1_000_000;
/// Most columns (placeholder names) in one roster.
pub const MAX_COLUMNS: usize = 1_000;

/// A roster read and split into rows.
pub struct Roster {
    pub path: PathBuf,
    /// Column names, in order of first appearance.
    pub columns: Vec<String>,
    index: std::collections::HashMap<String, u32>,
    /// Every cell's text, back to back.
    text: String,
    /// (column, start, end) of each row's non-empty cells, row after row.
    cells: Vec<(u32, u32, u32)>,
    rows: Vec<Row>,
    /// Rows that could not be read, each reported alone.
    pub problems: Vec<Diagnostic>,
    /// The data row number of each problem, in step with `problems`.
    pub problem_rows: Vec<usize>,
    /// Data rows in the file, read or not.
    pub total: usize,
}

type Reader = fn(&mut Roster, &str) -> Result<(), Diagnostic>;

/// One readable row.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// 1-based data row (the CSV header is not counted).
    pub number: usize,
    /// 1-based line in the file.
    pub line: usize,
    first: u32,
    count: u32,
}

impl Roster {
    /// Reads a `.csv` or `.yaml` roster. Problems of the whole file (not
    /// text, no header, duplicate columns, too large) are the error; a bad
    /// row is kept in [`Roster::problems`] and the rest are read.
    pub fn read(path: &Path) -> Result<Roster, Diagnostic> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        let yaml = match ext.as_str() {
            "csv" => false,
            "yaml" | "yml" => true,
            _ => {
                return Err(
                    Diagnostic::error(path, "a roster must be a .csv or .yaml file")
                        .hint("CSV with a header row, e.g. `partner_a,partner_b,session_date`"),
                )
            }
        };
        let src = crate::input::read_text(path, MAX_BYTES, "roster")?;
        Roster::parse(path, &src, yaml)
    }

    /// A roster from text already read; `yaml` picks the format, `path`
    /// names it in messages.
    pub fn parse(path: &Path, src: &str, yaml: bool) -> Result<Roster, Diagnostic> {
        let kind: Reader = if yaml { read_yaml } else { read_csv };
        let mut r = Roster {
            path: path.to_owned(),
            columns: Vec::new(),
            index: Default::default(),
            text: String::new(),
            cells: Vec::new(),
            rows: Vec::new(),
            problems: Vec::new(),
            problem_rows: Vec::new(),
            total: 0,
        };
        kind(&mut r, src)?;
        if r.total == 0 {
            return Err(
                Diagnostic::error(path, "the roster has no rows").hint("add one row per couple")
            );
        }
        Ok(r)
    }

    /// The rows that were read, in file order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// A row's values by column name; empty cells are left out.
    pub fn vars(&self, row: &Row) -> Vars {
        let cells = &self.cells[row.first as usize..(row.first + row.count) as usize];
        cells
            .iter()
            .map(|&(c, s, e)| {
                (
                    self.columns[c as usize].clone(),
                    self.text[s as usize..e as usize].to_owned(),
                )
            })
            .collect()
    }

    /// An error about row `number` at `line` (never quoting the row).
    pub fn row_error(&self, number: usize, line: usize, msg: impl std::fmt::Display) -> Diagnostic {
        Diagnostic::error(&self.path, format!("row {number}: {msg}"))
            .at(line, 1)
            .unquoted()
    }

    fn column(&mut self, name: &str) -> Result<u32, Diagnostic> {
        if let Some(&i) = self.index.get(name) {
            return Ok(i);
        }
        if self.columns.len() >= MAX_COLUMNS {
            return Err(Diagnostic::error(
                &self.path,
                format!("the roster has more than {MAX_COLUMNS} columns"),
            ));
        }
        self.columns.push(name.to_owned());
        let i = (self.columns.len() - 1) as u32;
        self.index.insert(name.to_owned(), i);
        Ok(i)
    }

    /// Starts a row; its cells follow with [`Roster::cell`].
    fn start_row(&mut self, line: usize) -> Result<Row, Diagnostic> {
        self.total += 1;
        if self.total > MAX_ROWS {
            return Err(Diagnostic::error(
                &self.path,
                format!("the roster has more than {MAX_ROWS} rows; split it into several files"),
            ));
        }
        Ok(Row {
            number: self.total,
            line,
            first: self.cells.len() as u32,
            count: 0,
        })
    }

    fn cell(&mut self, row: &mut Row, column: u32, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let start = self.text.len() as u32;
        self.text.push_str(value);
        self.cells.push((column, start, self.text.len() as u32));
        row.count += 1;
    }

    /// Keeps a row, or drops its cells and reports it.
    fn finish_row(&mut self, row: Row, problem: Option<Diagnostic>) {
        match problem {
            None => self.rows.push(row),
            Some(d) => {
                self.cells.truncate(row.first as usize);
                self.problems.push(d);
                self.problem_rows.push(row.number);
            }
        }
    }
}

/// A problem with one cell: its text never goes into the message.
fn bad_cell(value: &str) -> Option<&'static str> {
    if value.contains(['\n', '\r']) {
        Some("the value runs over more than one line")
    } else if value.chars().any(|c| c.is_control() && c != '\t') {
        Some("the value holds a control character")
    } else {
        None
    }
}

fn read_csv(r: &mut Roster, src: &str) -> Result<(), Diagnostic> {
    let mut lines = src.split('\n').enumerate().map(|(i, l)| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        (i + 1, l)
    });
    let path = r.path.clone();
    let (_, header) = lines
        .by_ref()
        .find(|(_, l)| !l.trim().is_empty())
        .ok_or_else(|| {
            Diagnostic::error(&path, "the roster is empty")
                .hint("the first line names the columns: `partner_a,partner_b,session_date`")
        })?;
    let header_line = src[..src.find(header).unwrap_or(0)].matches('\n').count() + 1;
    let names = split_fields(header).map_err(|(col, msg)| {
        Diagnostic::error(&path, format!("the header row: {msg}")).at(header_line, col)
    })?;
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(Diagnostic::error(
                &path,
                format!("column {} of the header has no name", i + 1),
            )
            .at(header_line, 1)
            .hint("name every column, e.g. `partner_a,partner_b,session_date`"));
        }
        if let Some(&j) = r.index.get(name.as_str()) {
            // The name is not repeated: in a roster without its header row
            // it would be a client's name.
            return Err(Diagnostic::error(
                &path,
                format!(
                    "columns {} and {} of the header have the same name",
                    j + 1,
                    i + 1
                ),
            )
            .at(header_line, 1)
            .unquoted()
            .hint("each column needs its own name; is the header row missing?"));
        }
        r.column(name)?;
    }
    let width = names.len();
    for (line_no, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields = split_fields(line);
        // A row of empty cells (a spreadsheet's trailing `,,`) is no couple.
        if matches!(&fields, Ok(f) if f.iter().all(String::is_empty)) {
            continue;
        }
        let mut row = r.start_row(line_no)?;
        let problem = match fields {
            Err((col, msg)) => Some(
                r.row_error(row.number, line_no, msg)
                    .at(line_no, col)
                    .hint("a value cannot span lines; close the quote on the same line"),
            ),
            Ok(f) if f.len() != width => Some(
                r.row_error(
                    row.number,
                    line_no,
                    format!("{} fields, but the header has {width}", f.len()),
                )
                .hint(if f.len() > width {
                    "put a value that holds a comma in double quotes: \"Smith, Jr.\""
                } else {
                    "give every column a value, or leave it empty between commas"
                }),
            ),
            Ok(f) => {
                let bad = f
                    .iter()
                    .enumerate()
                    .find_map(|(c, v)| bad_cell(v).map(|m| (c, m)));
                match bad {
                    Some((c, msg)) => Some(r.row_error(
                        row.number,
                        line_no,
                        format!("column `{}`: {msg}", names[c]),
                    )),
                    None => {
                        for (c, v) in f.iter().enumerate() {
                            r.cell(&mut row, c as u32, v);
                        }
                        None
                    }
                }
            }
        };
        r.finish_row(row, problem);
    }
    Ok(())
}

/// Splits one CSV line into trimmed fields (RFC 4180 quoting, `""` for a
/// quote inside quotes). Errors give the 1-based column and the message.
fn split_fields(line: &str) -> Result<Vec<String>, (usize, String)> {
    let mut fields = Vec::new();
    let mut chars = line.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| *c == ' ' || *c == '\t').is_some() {}
        let mut field = String::new();
        if let Some((open, _)) = chars.next_if(|(_, c)| *c == '"') {
            loop {
                match chars.next() {
                    None => {
                        let col = line[..open].chars().count() + 1;
                        return Err((
                            col,
                            format!(
                                "the quote opened in field {} is not closed",
                                fields.len() + 1
                            ),
                        ));
                    }
                    Some((_, '"')) if chars.next_if(|(_, c)| *c == '"').is_some() => {
                        field.push('"')
                    }
                    Some((_, '"')) => break,
                    Some((_, c)) => field.push(c),
                }
            }
            while chars.next_if(|(_, c)| *c == ' ' || *c == '\t').is_some() {}
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some((_, ',')) => fields.push(field),
                Some((at, _)) => {
                    let col = line[..at].chars().count() + 1;
                    return Err((
                        col,
                        format!("text after the closing quote of field {}", fields.len() + 1),
                    ));
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field.trim_end().to_owned());
                        return Ok(fields);
                    }
                    Some((_, ',')) => break,
                    // A quote inside an unquoted value is most likely the
                    // end of a quoted value that began on an earlier line:
                    // taking it as text would make a row of leftovers.
                    Some((at, '"')) => {
                        let col = line[..at].chars().count() + 1;
                        return Err((
                            col,
                            format!(
                                "a quote inside field {}, which does not start with one",
                                fields.len() + 1
                            ),
                        ));
                    }
                    Some((_, c)) => field.push(c),
                }
            }
            fields.push(field.trim_end().to_owned());
        }
    }
}

fn read_yaml(r: &mut Roster, src: &str) -> Result<(), Diagnostic> {
    let path = r.path.clone();
    crate::spec::aliases::check_brackets(&path, src).map_err(Diagnostic::unquoted)?;
    let mut events = Events {
        parser: Parser::new_from_str(src),
        path: &path,
    };
    let not_a_list = |line| {
        Diagnostic::error(&path, "a YAML roster is a list of rows")
            .at(line, 1)
            .hint("one `- partner_a: …` mapping per couple, its keys the placeholder names")
    };
    let (first, line) = loop {
        match events.next()? {
            (Event::StreamStart | Event::DocumentStart(_), _) => continue,
            e => break e,
        }
    };
    match first {
        Event::StreamEnd => return Ok(()),
        Event::SequenceStart(..) => {}
        _ => return Err(not_a_list(line)),
    }
    loop {
        let (ev, line) = events.next()?;
        let mut row = match ev {
            Event::SequenceEnd => break,
            _ => r.start_row(line)?,
        };
        let problem = match ev {
            Event::MappingStart(..) => yaml_row(r, &mut events, &mut row)?,
            Event::Alias(_) => Some("a YAML alias (`*name`), not a mapping of column: value"),
            Event::Scalar(..) => Some("a single value, not a mapping of column: value"),
            _ => {
                events.skip_node_after_start()?;
                Some("a list, not a mapping of column: value")
            }
        };
        let d = problem.map(|m| {
            r.row_error(row.number, line, m)
                .hint("each row is `- partner_a: …` with one key per column")
        });
        r.finish_row(row, d);
    }
    loop {
        match events.next()? {
            (Event::DocumentEnd, _) => continue,
            (Event::StreamEnd, _) => return Ok(()),
            (_, line) => {
                return Err(Diagnostic::error(&path, "a roster is one YAML document")
                    .at(line, 1)
                    .hint("remove the `---` and what follows, or put it in another file"))
            }
        }
    }
}

/// Reads one row's mapping (after its start); returns its problem, if any.
fn yaml_row(
    r: &mut Roster,
    events: &mut Events,
    row: &mut Row,
) -> Result<Option<&'static str>, Diagnostic> {
    let mut problem = None;
    let mut seen: Vec<u32> = Vec::new();
    loop {
        let key = match events.next()?.0 {
            Event::MappingEnd => return Ok(problem),
            Event::Scalar(k, ..) => Some(k.trim().to_owned()),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                events.skip_node_after_start()?;
                None
            }
            _ => None,
        };
        let (value, _) = events.next()?;
        let text = match value {
            // Only nothing at all is an empty cell: `~` and `null` are the
            // text written, like every other value (a client may be Null).
            Event::Scalar(v, ..) => Ok(v.into_owned()),
            Event::Alias(_) => Err("a value is a YAML alias (`*name`); write the text itself"),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                events.skip_node_after_start()?;
                Err("a value is a list or mapping; each value is one piece of text")
            }
            _ => Err("a value is missing"),
        };
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            problem.get_or_insert("a column name is empty or not text");
            continue;
        };
        let col = r.column(&key)?;
        if seen.contains(&col) {
            problem.get_or_insert("a column appears twice in this row");
            continue;
        }
        seen.push(col);
        match text {
            Ok(t) => match bad_cell(t.trim()) {
                Some(m) => {
                    problem.get_or_insert(m);
                }
                None => r.cell(row, col, &t),
            },
            Err(m) => {
                problem.get_or_insert(m);
            }
        }
    }
}

/// Parser events with their 1-based line; a syntax error is located.
struct Events<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    path: &'a Path,
}

impl<'a> Events<'a> {
    fn next(&mut self) -> Result<(Event<'a>, usize), Diagnostic> {
        match self.parser.next_event() {
            Some(Ok((e, span))) => Ok((e, span.start.line())),
            Some(Err(e)) => Err(Diagnostic::error(self.path, format!("YAML: {}", e.info()))
                .at(e.marker().line(), e.marker().col() + 1)
                .unquoted()),
            None => Err(Diagnostic::error(self.path, "the YAML ends early")),
        }
    }

    /// Skips the rest of a node whose start event was just read.
    fn skip_node_after_start(&mut self) -> Result<(), Diagnostic> {
        let mut depth = 1;
        while depth > 0 {
            match self.next()?.0 {
                Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
                Event::SequenceEnd | Event::MappingEnd => depth -= 1,
                Event::StreamEnd => return Ok(()),
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(name: &str, text: &str) -> Result<Roster, Diagnostic> {
        let dir = std::env::temp_dir().join(format!("handouts-roster-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let r = Roster::read(&p);
        std::fs::remove_file(&p).unwrap();
        r
    }

    fn values(r: &Roster) -> Vec<Vec<(String, String)>> {
        r.rows()
            .iter()
            .map(|row| r.vars(row).into_iter().collect())
            .collect()
    }

    #[test]
    fn fields_split_with_quotes_and_escapes() {
        assert_eq!(
            split_fields(r#"a, "b, c" ,"say ""hi""",,"#).unwrap(),
            ["a", "b, c", "say \"hi\"", "", ""]
        );
        // A stray quote could end a value begun on the line above.
        let e = split_fields("Lee\",Bo,May").unwrap_err();
        assert_eq!(e.0, 4);
        assert!(e.1.contains("does not start with one"), "{}", e.1);
        assert_eq!(split_fields(r#"a,"open"#).unwrap_err().0, 3);
        assert!(split_fields(r#""a"b,c"#)
            .unwrap_err()
            .1
            .contains("after the closing quote"));
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
    fn field_counts_are_strict() {
        let r = roster("n.csv", "a,b,c\n1,2,3\nSmith, Jr.,x,y\n1,2\n").unwrap();
        assert_eq!(r.rows().len(), 1);
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
        assert_eq!(r.rows().len(), 2);
    }
}
