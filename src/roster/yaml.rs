//! YAML rosters: a list of flat mappings, read as parser events
//! (saphyr-parser), not through serde, so every value is the text written:
//! `0503` keeps its zero, `1.10` its digits. A row that is not a flat
//! mapping of text fails alone. An empty value is an empty cell; `~` and
//! `null` are the text written, like every other value (a client may be
//! Null).
//!
//! The text is held whole (YAML cannot be split at line breaks); rows are
//! made one at a time as they are asked for.

use super::row::{bad_cell, row_error, Count, Entry, MAX_COLUMNS};
use crate::diag::Diagnostic;
use crate::placeholder::Vars;
use saphyr_parser::{Event, Parser, StrInput};
use std::path::Path;

/// The rows of a YAML roster.
pub struct YamlRows<'a> {
    events: Events<'a>,
    count: Count,
    done: bool,
}

impl<'a> YamlRows<'a> {
    /// Reads up to the first row; a file that is not a list fails whole.
    pub fn open(path: &'a Path, src: &'a str) -> Result<YamlRows<'a>, Diagnostic> {
        crate::spec::aliases::check_brackets(path, src).map_err(Diagnostic::unquoted)?;
        let mut events = Events {
            parser: Parser::new_from_str(src),
            path,
        };
        let (first, line) = loop {
            match events.next()? {
                (Event::StreamStart | Event::DocumentStart(_), _) => continue,
                e => break e,
            }
        };
        let done =
            match first {
                Event::StreamEnd => true,
                Event::SequenceStart(..) => false,
                _ => return Err(Diagnostic::error(path, "a YAML roster is a list of rows")
                    .at(line, 1)
                    .hint(
                        "one `- partner_a: …` mapping per couple, its keys the placeholder names",
                    )),
            };
        Ok(YamlRows {
            events,
            count: Count { total: 0 },
            done,
        })
    }

    fn row(&mut self) -> Result<Option<Entry>, Diagnostic> {
        let path = self.events.path;
        let (ev, line) = self.events.next()?;
        if let Event::SequenceEnd = ev {
            return self.trailer().map(|()| None);
        }
        let number = self.count.next(path)?;
        let values = match ev {
            Event::MappingStart(..) => self.mapping()?,
            Event::Alias(_) => Err("a YAML alias (`*name`), not a mapping of column: value"),
            Event::Scalar(..) => Err("a single value, not a mapping of column: value"),
            _ => {
                self.events.skip_node_after_start()?;
                Err("a list, not a mapping of column: value")
            }
        };
        Ok(Some(Entry {
            number,
            line,
            values: values.map_err(|m| {
                row_error(path, number, line, m)
                    .hint("each row is `- partner_a: …` with one key per column")
            }),
        }))
    }

    /// After the list: nothing but the end.
    fn trailer(&mut self) -> Result<(), Diagnostic> {
        loop {
            match self.events.next()? {
                (Event::DocumentEnd, _) => continue,
                (Event::StreamEnd, _) => return Ok(()),
                (_, line) => {
                    return Err(Diagnostic::error(
                        self.events.path,
                        "a roster is one YAML document",
                    )
                    .at(line, 1)
                    .hint("remove the `---` and what follows, or put it in another file"))
                }
            }
        }
    }

    /// One row's mapping (after its start): its values, or its problem.
    fn mapping(&mut self) -> Result<Result<Vars, &'static str>, Diagnostic> {
        let events = &mut self.events;
        let mut problem = None;
        let mut vars = Vars::new();
        let mut keys = 0;
        loop {
            let key = match events.next()?.0 {
                Event::MappingEnd => {
                    vars.retain(|_, v| !v.is_empty());
                    return Ok(problem.map_or(Ok(vars), Err));
                }
                Event::Scalar(k, ..) => Some(k.trim().to_owned()),
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    events.skip_node_after_start()?;
                    None
                }
                _ => None,
            };
            let (value, _) = events.next()?;
            let text = match value {
                Event::Scalar(v, ..) => Ok(v),
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
            keys += 1;
            if keys > MAX_COLUMNS {
                return Err(Diagnostic::error(
                    events.path,
                    format!("the roster has more than {MAX_COLUMNS} columns"),
                ));
            }
            if vars.contains_key(&key) {
                problem.get_or_insert("a column appears twice in this row");
                continue;
            }
            match text {
                Ok(t) => match bad_cell(t.trim()) {
                    Some(m) => {
                        problem.get_or_insert(m);
                    }
                    // An empty value is kept until the end so that a
                    // repeat of its key is still seen.
                    None => {
                        vars.insert(key, t.trim().to_owned());
                    }
                },
                Err(m) => {
                    problem.get_or_insert(m);
                }
            }
        }
    }
}

impl Iterator for YamlRows<'_> {
    /// A row, or a problem of the whole file, after which there are no
    /// more rows.
    type Item = Result<Entry, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let step = self.row();
        if !matches!(step, Ok(Some(_))) {
            self.done = true;
        }
        step.transpose()
    }
}

/// Parser events with their 1-based line; a syntax error is located.
struct Events<'a> {
    parser: Parser<'a, StrInput<'a>>,
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
