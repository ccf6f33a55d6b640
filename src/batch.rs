//! Roster batches: one personalised packet per roster row.
//!
//! The roster is read and checked first (missing columns, empty cells,
//! file names); then rows are laid out and written in parallel on every
//! core, each packet written as soon as it is made so memory stays flat.
//! A bad row is reported with its number and never stops the others.

use crate::diag::Diagnostic;
use crate::model::{self, Vars};
use crate::output;
use crate::packet::{Build, Packet};
use crate::render::pdf::{self, WriteOptions};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Most rows a roster may have.
pub const MAX_ROWS: usize = 100_000;

/// One roster row's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based data row (the header is not counted).
    pub number: usize,
    /// Line in the roster file, where known.
    pub line: Option<usize>,
    pub vars: Vars,
}

/// Reads a CSV (with a header row) or YAML (a list of mappings) roster.
pub fn read_roster(path: &Path) -> Result<Vec<Row>, Diagnostic> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let rows = match ext.as_str() {
        "csv" => read_csv(path)?,
        "yaml" | "yml" => read_yaml(path)?,
        _ => {
            return Err(
                Diagnostic::error(path, "a roster must be a .csv or .yaml file")
                    .hint("CSV with a header row, e.g. `partner_a,partner_b,session_date`"),
            )
        }
    };
    if rows.is_empty() {
        return Err(
            Diagnostic::error(path, "the roster has no rows").hint("add one row per couple")
        );
    }
    if rows.len() > MAX_ROWS {
        return Err(Diagnostic::error(
            path,
            format!(
                "the roster has {} rows; at most {MAX_ROWS} are built at once",
                rows.len()
            ),
        ));
    }
    Ok(rows)
}

fn read_csv(path: &Path) -> Result<Vec<Row>, Diagnostic> {
    let src = crate::spec::read_source(path)?;
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(src.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| Diagnostic::error(path, format!("cannot read the header row: {e}")).at(1, 1))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Diagnostic::error(path, format!("row {}: {e}", i + 1)).at(line, 1)
        })?;
        let vars = headers
            .iter()
            .zip(rec.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), v.to_owned()))
            .collect();
        rows.push(Row {
            number: i + 1,
            line: rec.position().map(|p| p.line() as usize),
            vars,
        });
    }
    Ok(rows)
}

fn read_yaml(path: &Path) -> Result<Vec<Row>, Diagnostic> {
    let src = crate::spec::read_source(path)?;
    let list: Vec<serde_yaml::Mapping> =
        serde_yaml::from_str(&src).map_err(|e| Diagnostic::from_yaml(path, &e, &src))?;
    let mut rows = Vec::new();
    for (i, map) in list.into_iter().enumerate() {
        let mut vars = Vars::new();
        for (k, v) in map {
            let key = scalar(&k).ok_or_else(|| {
                Diagnostic::error(path, format!("row {}: column names must be text", i + 1))
            })?;
            let value = scalar(&v).ok_or_else(|| {
                Diagnostic::error(
                    path,
                    format!("row {}: `{key}` must be a single value", i + 1),
                )
            })?;
            if !value.is_empty() {
                vars.insert(key, value);
            }
        }
        rows.push(Row {
            number: i + 1,
            line: None,
            vars,
        });
    }
    Ok(rows)
}

fn scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.trim().to_owned()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Null => Some(String::new()),
        _ => None,
    }
}

/// A file name from text that may hold anything a roster can: no path
/// separators, no `..`, no control characters, never hidden or empty.
pub fn safe_file_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_matches('-').chars().take(100).collect();
    let trimmed = trimmed.trim_end_matches('-');
    if trimmed.is_empty() {
        "packet".to_owned()
    } else {
        trimmed.to_owned()
    }
}

pub const DEFAULT_PATTERN: &str = "{{session_date}}-{{partner_a}}-{{partner_b}}";

/// What a batch did.
#[derive(Default)]
pub struct Outcome {
    pub written: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    pub failed_rows: usize,
}

/// One roster batch to run.
pub struct Batch<'a> {
    pub packet: &'a Packet,
    pub roster: &'a Path,
    pub rows: &'a [Row],
    /// `--set` values; they override row values.
    pub sets: &'a Vars,
    pub build: Build<'a>,
    pub out: &'a Path,
    pub date: Option<i64>,
    pub progress: bool,
}

/// A row's result: the file written, or why not.
type RowResult = (usize, Result<PathBuf, Vec<Diagnostic>>);

/// Builds one packet per row into `out`; packet defaults fill what neither
/// the row nor `--set` gives.
pub fn run(batch: &Batch) -> Outcome {
    let Batch {
        packet,
        roster,
        rows,
        sets,
        build,
        out,
        date,
        progress,
    } = *batch;
    let mut outcome = Outcome::default();
    let pattern = packet
        .spec
        .output
        .clone()
        .unwrap_or_else(|| DEFAULT_PATTERN.to_owned());
    let mut needed: BTreeSet<String> = packet.placeholders().into_iter().collect();
    needed.extend(model::placeholders(&pattern));
    needed.retain(|n| n != "partner" && n != "partner_role");

    // Check every row and name its file before building anything.
    let mut jobs: Vec<(usize, Vars, String)> = Vec::new();
    let mut names = HashSet::new();
    for row in rows {
        let mut vars = packet.spec.defaults.clone();
        vars.extend(row.vars.clone());
        vars.extend(sets.clone());
        let missing: Vec<&String> = needed.iter().filter(|n| !vars.contains_key(*n)).collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut d =
                Diagnostic::error(roster, format!("row {}: no value for {list}", row.number))
                    .hint("add the column to the roster, or fill in the empty cell");
            if let Some(l) = row.line {
                d = d.at(l, 1);
            }
            outcome.diagnostics.push(d);
            outcome.failed_rows += 1;
            continue;
        }
        let base = safe_file_name(&model::substitute(&pattern, &vars, None).0);
        let mut name = format!("{base}.pdf");
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}-{n}.pdf");
            n += 1;
        }
        jobs.push((row.number, vars, name));
    }

    let bar = if progress {
        indicatif::ProgressBar::new(jobs.len() as u64).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} packets  {eta} left")
                .expect("a valid template"),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<RowResult>> = Mutex::new(Vec::new());
    // Twice the cores: each packet ends in an fsync that blocks its thread
    // while the disk works, and another thread can use the core meanwhile.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get() * 2)
        .min(jobs.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((number, vars, name)) = jobs.get(i) else {
                    break;
                };
                let b = Build {
                    vars: Some(vars),
                    ..build
                };
                let result = packet.assemble(&b).and_then(|(doc, _)| {
                    let bytes = pdf::write(&doc, &WriteOptions { date });
                    output::write_atomic(out, name, &bytes, true).map_err(|d| vec![d])
                });
                let result = result.map_err(|ds| {
                    ds.into_iter()
                        .map(|mut d| {
                            d.message = format!("row {number}: {}", d.message);
                            d
                        })
                        .collect()
                });
                results
                    .lock()
                    .expect("no panics while holding the lock")
                    .push((i, result));
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    let mut results = results.into_inner().expect("threads are done");
    results.sort_by_key(|(i, _)| *i);
    for (_, r) in results {
        match r {
            Ok(p) => outcome.written.push(p),
            Err(ds) => {
                outcome.failed_rows += 1;
                outcome.diagnostics.extend(ds);
            }
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_escape_or_hide() {
        assert_eq!(safe_file_name("../../x"), "x");
        assert_eq!(safe_file_name("2026-05-01-Zoë-Ζωή"), "2026-05-01-Zoë-Ζωή");
        assert_eq!(safe_file_name("a/b\\c\u{0}d"), "a-b-c-d");
        assert_eq!(safe_file_name(".hidden"), "hidden");
        assert_eq!(safe_file_name("///"), "packet");
        assert_eq!(safe_file_name("Ana & José"), "Ana-José");
    }
}
