//! CSV rosters, read a line at a time from any reader, so a roster of any
//! length is held one row at a time.
//!
//! A value never spans lines, so an unclosed quote is that row's error, not
//! a merge of the rows after it (the `csv` crate reads on to the end of the
//! file, which is how three couples once shared a cover). Every row has
//! exactly the header's number of fields; the header's names are unique
//! and not empty.

use super::blocks::is_change;
use super::row::{bad_cell, row_error, Count, Entry, MAX_COLUMNS};
use crate::diag::Diagnostic;
use crate::placeholder::Vars;
use std::io::{BufRead, Read};
use std::path::Path;

/// Longest line read, in bytes: far beyond any row of names, and a bound
/// on what a file without line breaks can make us hold.
pub const MAX_LINE: usize = 1 << 20;

/// The data rows of a CSV roster, after its header.
pub struct CsvRows<'a> {
    path: &'a Path,
    lines: Lines<'a>,
    names: Vec<String>,
    count: Count,
    done: bool,
}

/// Lines as text, numbered from 1, each bounded; a byte-order mark at the
/// start is dropped and a `\r` before the break too.
struct Lines<'a> {
    reader: Box<dyn BufRead + 'a>,
    path: &'a Path,
    number: usize,
    /// Bytes read so far, and the most there may be.
    read: u64,
    limit: u64,
    buf: Vec<u8>,
}

impl Lines<'_> {
    fn next(&mut self) -> Result<Option<(usize, String)>, Diagnostic> {
        self.buf.clear();
        let n = (&mut self.reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| {
                if is_change(&e) {
                    return Diagnostic::error(
                        self.path,
                        format!(
                            "the roster was changed while the batch was reading it; \
                             rows from line {} on were not built",
                            self.number + 1
                        ),
                    )
                    .hint("run the batch again once the roster is saved: the packets already written are right for the roster as it was");
                }
                Diagnostic::error(
                    self.path,
                    format!("cannot read file: {}", crate::diag::io_reason(&e)),
                )
            })?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(Diagnostic::error(
                self.path,
                format!("a roster may be at most {} bytes", self.limit),
            ));
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        } else if self.buf.len() > MAX_LINE {
            return Err(Diagnostic::error(
                self.path,
                format!("line {} is longer than {MAX_LINE} bytes", self.number),
            )
            .hint("is this a CSV file? each couple is one line"));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        let start = if self.number == 1 && self.buf.starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        match std::str::from_utf8(&self.buf[start..]) {
            Ok(s) => Ok(Some((self.number, s.to_owned()))),
            Err(e) => {
                let valid = &self.buf[start..start + e.valid_up_to()];
                let col = String::from_utf8_lossy(valid).chars().count() + 1;
                Err(Diagnostic::error(self.path, "file is not valid UTF-8 text")
                    .at(self.number, col)
                    .hint("save the file as UTF-8 (in a spreadsheet: “CSV UTF-8”)"))
            }
        }
    }
}

impl<'a> CsvRows<'a> {
    /// Reads the header; problems with it fail the whole file. At most
    /// `limit` bytes are read in all.
    pub fn open(
        path: &'a Path,
        reader: Box<dyn BufRead + 'a>,
        limit: u64,
    ) -> Result<CsvRows<'a>, Diagnostic> {
        let mut lines = Lines {
            reader,
            path,
            number: 0,
            read: 0,
            limit,
            buf: Vec::new(),
        };
        let (header_line, header) = loop {
            match lines.next()? {
                None => {
                    return Err(Diagnostic::error(path, "the roster is empty").hint(
                        "the first line names the columns: `partner_a,partner_b,session_date`",
                    ))
                }
                Some((_, l)) if l.trim().is_empty() => continue,
                Some(l) => break l,
            }
        };
        if header.contains('\r') {
            // "CSV (Macintosh)" from a spreadsheet ends lines in CR alone:
            // read as one line, it would be a header of every row.
            return Err(Diagnostic::error(
                path,
                "the lines of this file end in a carriage return alone (an old Mac format)",
            )
            .at(header_line, 1)
            .hint("save the file as “CSV UTF-8”, with one couple per line"));
        }
        let names = split_fields(&header).map_err(|(col, msg)| {
            Diagnostic::error(path, format!("the header row: {msg}")).at(header_line, col)
        })?;
        if names.len() > MAX_COLUMNS {
            return Err(Diagnostic::error(
                path,
                format!("the roster has more than {MAX_COLUMNS} columns"),
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(Diagnostic::error(
                    path,
                    format!("column {} of the header has no name", i + 1),
                )
                .at(header_line, 1)
                .hint("name every column, e.g. `partner_a,partner_b,session_date`"));
            }
            if let Some(j) = names[..i].iter().position(|n| n == name) {
                // The name is not repeated: in a roster without its header
                // row it would be a client's name.
                return Err(Diagnostic::error(
                    path,
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
        }
        Ok(CsvRows {
            path,
            lines,
            names,
            count: Count { total: 0 },
            done: false,
        })
    }

    /// The header's column names, in order.
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    fn entry(
        &self,
        number: usize,
        line_no: usize,
        fields: Result<Vec<String>, (usize, String)>,
    ) -> Entry {
        let width = self.names.len();
        let error = |msg| row_error(self.path, number, line_no, msg);
        let values = match fields {
            Err((col, msg)) => Err(error(msg)
                .at(line_no, col)
                .hint("a value cannot span lines; close the quote on the same line")),
            Ok(f) if f.len() != width => Err(error(format!(
                "{} fields, but the header has {width}",
                f.len()
            ))
            .hint(if f.len() > width {
                "put a value that holds a comma in double quotes: \"Smith, Jr.\""
            } else {
                "give every column a value, or leave it empty between commas"
            })),
            Ok(f) => match f
                .iter()
                .enumerate()
                .find_map(|(c, v)| bad_cell(v).map(|m| (c, m)))
            {
                Some((c, msg)) => Err(error(format!("column `{}`: {msg}", self.names[c]))),
                None => Ok(self
                    .names
                    .iter()
                    .zip(f)
                    .map(|(n, v)| (n, v.trim().to_owned()))
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(n, v)| (n.clone(), v))
                    .collect::<Vars>()),
            },
        };
        Entry {
            number,
            line: line_no,
            values,
        }
    }
}

impl Iterator for CsvRows<'_> {
    /// A row, or a problem of the whole file, after which there are no
    /// more rows.
    type Item = Result<Entry, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let step = self.lines.next().and_then(|line| match line {
                None => Ok(None),
                Some((_, l)) if l.trim().is_empty() => Ok(Some(None)),
                Some((line_no, l)) => {
                    let fields = split_fields(&l);
                    // A row of empty cells (a spreadsheet's trailing `,,`)
                    // is no couple.
                    if matches!(&fields, Ok(f) if f.iter().all(String::is_empty)) {
                        return Ok(Some(None));
                    }
                    let number = self.count.next(self.path)?;
                    Ok(Some(Some(self.entry(number, line_no, fields))))
                }
            });
            match step {
                Ok(Some(Some(entry))) => return Some(Ok(entry)),
                Ok(Some(None)) => continue,
                Ok(None) => self.done = true,
                Err(d) => {
                    self.done = true;
                    return Some(Err(d));
                }
            }
        }
        None
    }
}

/// Splits one CSV line into trimmed fields (RFC 4180 quoting, `""` for a
/// quote inside quotes). Errors give the 1-based column and the message.
pub fn split_fields(line: &str) -> Result<Vec<String>, (usize, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
