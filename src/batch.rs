//! Roster batches: one personalised packet per roster row.
//!
//! The roster has been read through once already ([`Roster::read`]), so
//! a file that cannot be a roster fails before anything is built. Then it
//! is read again as a pipeline: this thread reads a row, checks it and
//! names its file ([`Planner`]: values from the packet's defaults, then the
//! row, then `--set`; a placeholder with no value is that row's error),
//! and hands it to workers on every core through a short queue; each
//! packet is written as soon as it is made. So memory stays flat however
//! long the roster. A bad row is reported with its number and never stops
//! the others, and a row's values reach its own packet only: each job
//! carries its row's values and its file name, and nothing is shared
//! between jobs but the packet's placeholder-free layouts.

use crate::diag::{did_you_mean, Diagnostic};
use crate::model::{self, Vars};
use crate::output;
use crate::packet::{Build, Packet};
use crate::render::pdf::{self, Codes, WriteOptions};
use crate::roster::row::{row_error, Entry};
use crate::roster::{Roster, SHOWN};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Longest file name made from a roster row, in bytes: file systems allow
/// 255, and a `-N` suffix for a repeated name and `.pdf` must fit too.
const MAX_NAME_BYTES: usize = 200;

/// A file name from text that may hold anything a roster can: no path
/// separators, no `..`, no control characters, never hidden or empty.
///
/// Letters and digits are kept with the marks that belong to them, so a
/// name keeps its spelling in any script: प्रिया's virama, Thai tone marks,
/// a decomposed "ễ" (composed first, NFC). A mark with no letter before it
/// becomes a separator; marks and letters that draw nothing (variation
/// selectors, the grapheme joiner, Hangul fillers) are dropped, so a name
/// with one of them names the file the name without it names. ZWJ and
/// ZWNJ are kept only between kept characters (Persian and Indic names
/// use them).
pub fn safe_file_name(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    // What draws nothing goes before composing: a letter, a filler and
    // an accent compose to the letter with its accent, as typed without.
    let mut chars = s.chars().filter(|&c| !is_invisible(c)).nfc().peekable();
    while let Some(c) = chars.next() {
        let after_kept = !out.is_empty() && !out.ends_with('-');
        let joins = |n: Option<&char>| n.is_some_and(|&n| kept_alone(n) || is_drawn_mark(n));
        if is_joiner(c) && after_kept && joins(chars.peek()) {
            out.push(c);
        } else if is_joiner(c) {
            // Draws nothing, so it separates nothing either.
        } else if kept_alone(c) || (after_kept && is_drawn_mark(c)) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut trimmed = out.trim_matches('-');
    if trimmed.len() > MAX_NAME_BYTES {
        let mut cut = MAX_NAME_BYTES;
        while cut > 0 && (!trimmed.is_char_boundary(cut) || !cluster_boundary(trimmed, cut)) {
            cut -= 1;
        }
        trimmed = trimmed[..cut].trim_end_matches('-');
    }
    if trimmed.is_empty() {
        "packet".to_owned()
    } else if is_device_name(trimmed) {
        // `Con.pdf` on Windows (or a share it serves) is the console, not
        // a file: the packet would be gone and the batch call it written.
        format!("{trimmed}_")
    } else {
        trimmed.to_owned()
    }
}

/// Names Windows keeps for devices, in any case and with any extension
/// (`nul.pdf` too): CON, PRN, AUX, NUL, COM0-9 and LPT0-9, superscript
/// digits included.
fn is_device_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => ["COM", "LPT"].iter().any(|p| {
            upper.strip_prefix(p).is_some_and(|rest| {
                let mut cs = rest.chars();
                matches!(
                    (cs.next(), cs.next()),
                    (Some('0'..='9' | '\u{B9}' | '\u{B2}' | '\u{B3}'), None)
                )
            })
        }),
    }
}

/// Whether a name may be cut at byte `at` without leaving a letter apart
/// from its marks, or half a conjunct (a consonant whose virama joins it
/// to the next).
fn cluster_boundary(s: &str, at: usize) -> bool {
    use unicode_normalization::char::canonical_combining_class;
    const VIRAMA: u8 = 9;
    let next = s[at..].chars().next();
    let before = s[..at].chars().next_back();
    !next.is_some_and(|c| is_drawn_mark(c) || is_joiner(c))
        && !before.is_some_and(|c| is_joiner(c) || canonical_combining_class(c) == VIRAMA)
}

fn kept_alone(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Letters and marks that draw nothing: variation selectors, the
/// combining grapheme joiner, Mongolian free variation selectors, the
/// Hangul fillers and Khmer's inherent vowels (Unicode's default-ignorable
/// code points that count as letters or marks; the others are neither, and
/// become `-` like any symbol). `Ana` and `Ana` with one of them look the
/// same, and name one file.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFA0}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

fn is_drawn_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c) && !is_invisible(c)
}

/// What a batch did.
#[derive(Default)]
pub struct Outcome {
    /// Packets written (only counted: a million paths would be memory
    /// for nothing).
    pub written: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub failed_rows: usize,
    /// Rows laid out without error (written, or only checked).
    pub built: usize,
    /// The roster could not be read to its end (changed in place since it
    /// was checked, or unreadable); the rows before were built.
    pub stopped: bool,
}

/// One roster batch to run.
pub struct Batch<'a> {
    pub packet: &'a Packet,
    pub roster: &'a Roster,
    /// `--set` values; they override row values.
    pub sets: &'a Vars,
    pub build: Build<'a>,
    pub out: &'a Path,
    pub date: Option<i64>,
    pub progress: bool,
    /// Lay out every row but write nothing (`check --roster`).
    pub dry_run: bool,
    /// Build only this shard's rows (`--shard K/N`).
    pub shard: Option<Shard>,
}

/// The progress bar on a terminal: rows built per second, and the time
/// left at that rate.
const PROGRESS: &str = "{bar:40} {pos}/{len} packets  {rate}  {eta} left";

/// Progress bars being drawn on stderr (a terminal): batches run by this
/// process now that show one.
static DRAWING: AtomicUsize = AtomicUsize::new(0);

/// Lines held back from the panic hook until the bar can print them.
static HELD: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// For the panic hook: while a batch's progress bar is on the terminal,
/// keeps `line` to be printed above the bar once the row that panicked is
/// caught, and says so; `false` when no bar is drawn (print it then). A
/// line written under the bar is wiped by its next draw (two lines of it
/// on a narrow terminal), and indicatif draws nothing from a panicking
/// thread, so the hook cannot print through the bar itself.
pub fn hold_above_progress(line: String) -> bool {
    if DRAWING.load(Ordering::Relaxed) == 0 {
        return false;
    }
    HELD.lock().unwrap_or_else(|e| e.into_inner()).push(line);
    true
}

/// The lines held so far, taken.
fn take_held() -> Vec<String> {
    std::mem::take(&mut *HELD.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Prints the held lines above the bar, from a thread no longer
/// panicking.
fn print_held(bar: &indicatif::ProgressBar) {
    for line in take_held() {
        bar.println(line);
    }
}

/// Marks the bar drawn until the batch ends, however it ends.
struct Drawn;

impl Drawn {
    fn show() -> Drawn {
        DRAWING.fetch_add(1, Ordering::Relaxed);
        Drawn
    }
}

impl Drop for Drawn {
    fn drop(&mut self) {
        DRAWING.fetch_sub(1, Ordering::Relaxed);
        // A bug met outside a row (the batch is unwinding): what the hook
        // held is printed as it is, on a line of its own.
        for line in take_held() {
            eprintln!("\r\x1b[2K{line}");
        }
    }
}

fn progress_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(PROGRESS)
        .expect("a valid template")
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} rows/s", s.per_sec());
            },
        )
}

/// One of `n` disjoint parts of a roster: data rows `k`, `k + n`,
/// `k + 2n`, … (1-based), so every part gets a fair share of any stretch
/// of the roster. Files are named as one run over the whole roster would
/// name them (a repeated name's `-2` counts rows of every shard), and a
/// row that fails is reported by its own shard alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, at most `n`.
    pub k: usize,
    pub n: usize,
}

impl Shard {
    /// Most shards a roster may be split into.
    pub const MOST: usize = 100_000;

    /// `K/N`, as written on the command line.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not K/N (a shard number from 1 to N, e.g. 2/8)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if n == 0 || k == 0 || k > n || n > Self::MOST {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether data row `number` (1-based) is this shard's.
    pub fn owns(&self, number: usize) -> bool {
        number >= 1 && (number - 1) % self.n == self.k - 1
    }
}

/// A row ready to build: every value it needs, and its own file name.
#[derive(Debug)]
pub struct Job {
    /// 1-based data row.
    pub number: usize,
    /// The packet's defaults, then the row's own cells, then `--set`.
    pub vars: Vars,
    /// The file name, from the packet's `output` pattern, kept apart from
    /// every earlier row's.
    pub name: String,
}

fn base_name(pattern: &str, vars: &Vars) -> String {
    safe_file_name(&model::substitute(pattern, vars, None).0)
}

fn file_name(base: &str, suffix: u32) -> String {
    match suffix {
        0 => format!("{base}.pdf"),
        n => format!("{base}-{n}.pdf"),
    }
}

/// The roster column that picks a row's language.
pub const LANGUAGE: &str = "language";

/// The values a row's packet is built with: packet defaults, then the
/// row's own cells, then `--set`.
pub fn row_vars(packet: &Packet, row: &Vars, sets: &Vars) -> Vars {
    let mut vars = packet.spec.defaults.clone();
    vars.extend(row.iter().map(|(k, v)| (k.clone(), v.clone())));
    vars.extend(sets.iter().map(|(k, v)| (k.clone(), v.clone())));
    vars
}

/// Checks rows as they are read and names their files: a row that cannot
/// be built is reported (by number and column, never by value). With a
/// shard, every row is still named (a repeated name's suffix counts the
/// rows of every shard) but only the shard's rows are built and reported.
/// What it keeps grows by a hash per row, for the names taken.
pub struct Planner<'a> {
    packet: &'a Packet,
    sets: &'a Vars,
    shard: Option<Shard>,
    path: &'a Path,
    pattern: String,
    needed: BTreeSet<String>,
    columns: Vec<String>,
    /// The hint for each set of missing placeholders, worked out once.
    hints: HashMap<String, String>,
    /// File names taken, by a hash of their lowercase form: two names that
    /// differ only in case are one file on some file systems.
    taken: HashSet<u64>,
    /// For a name met more than once, the last suffix it was given: the
    /// next copy starts looking there, so a roster of one name repeated
    /// is not quadratic. (Every suffix below it is taken, and stays so.)
    repeats: HashMap<u64, u32>,
}

impl<'a> Planner<'a> {
    pub fn new(
        packet: &'a Packet,
        roster: &'a Roster,
        sets: &'a Vars,
        shard: Option<Shard>,
    ) -> Self {
        let pattern = packet.output_pattern().into_owned();
        let mut needed: BTreeSet<String> = packet.placeholders().into_iter().collect();
        needed.extend(model::placeholders(&pattern));
        needed.retain(|n| n != "partner" && n != "partner_role");
        Planner {
            packet,
            sets,
            shard,
            path: &roster.path,
            pattern,
            needed,
            columns: roster.columns.clone(),
            hints: HashMap::new(),
            taken: HashSet::new(),
            repeats: HashMap::new(),
        }
    }

    fn ours(&self, number: usize) -> bool {
        self.shard.is_none_or(|s| s.owns(number))
    }

    /// The next row read: a job to build, a problem to report, or nothing
    /// (another shard's row).
    pub fn step(&mut self, entry: Entry) -> Option<Result<Job, Diagnostic>> {
        let number = entry.number;
        let own = match entry.values {
            Ok(v) => v,
            Err(d) => return self.ours(number).then_some(Err(d)),
        };
        let vars = row_vars(self.packet, &own, self.sets);
        drop(own);
        let missing: Vec<&String> = self
            .needed
            .iter()
            .filter(|n| !vars.contains_key(*n))
            .collect();
        if !missing.is_empty() {
            if !self.ours(number) {
                return None;
            }
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let columns: Vec<&str> = self.columns.iter().map(String::as_str).collect();
            let hint = self
                .hints
                .entry(list.clone())
                .or_insert_with(|| {
                    match missing
                        .iter()
                        .find(|m| !columns.contains(&m.as_str()))
                        .and_then(|m| did_you_mean(m, &columns).map(|c| (m, c)))
                    {
                        Some((m, c)) => {
                            format!("the roster has no column `{m}`: did you mean `{c}`?")
                        }
                        None => {
                            "fill in the empty cell, or give the packet a default for it".into()
                        }
                    }
                })
                .clone();
            return Some(Err(row_error(
                self.path,
                number,
                entry.line,
                format!("no value for {list}"),
            )
            .hint(hint)));
        }
        let base = base_name(&self.pattern, &vars);
        let base_key = name_key(&base);
        let mut suffix = self.repeats.get(&base_key).copied().unwrap_or(0);
        while !self.taken.insert(name_key(&file_name(&base, suffix))) {
            suffix = suffix.max(1) + 1;
        }
        if suffix > 0 {
            self.repeats.insert(base_key, suffix);
        }
        self.ours(number).then(|| {
            Ok(Job {
                number,
                name: file_name(&base, suffix),
                vars,
            })
        })
    }
}

/// Every row of a roster planned at once: the jobs, and the problems in
/// file order. For tests and checks; a batch plans as it reads.
pub fn plan(
    packet: &Packet,
    roster: &Roster,
    sets: &Vars,
    shard: Option<Shard>,
) -> (Vec<Job>, Vec<Diagnostic>) {
    let mut planner = Planner::new(packet, roster, sets, shard);
    let (mut jobs, mut diags) = (Vec::new(), Vec::new());
    let rows = match roster.rows() {
        Ok(rows) => rows,
        Err(d) => return (jobs, vec![d]),
    };
    for entry in rows {
        match entry.map(|e| planner.step(e)) {
            Ok(None) => {}
            Ok(Some(Ok(job))) => jobs.push(job),
            Ok(Some(Err(d))) | Err(d) => diags.push(d),
        }
    }
    (jobs, diags)
}

/// What two file names share when a file system that ignores case would
/// take them for one file. Lower case, as macOS and casefolding Linux
/// compare (`Weiß` and `WEIẞ`); then upper, as NTFS compares (`ſam` and
/// `Sam`, long s; `σοφιασ` and `σοφιας`, final sigma; the micro sign and
/// mu), and lower again. Folding more than a file system does costs a
/// `-2` at most (`ß` and `ss`); folding less loses a packet.
fn name_key(name: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.to_lowercase()
        .to_uppercase()
        .to_lowercase()
        .hash(&mut h);
    h.finish()
}

/// What the workers tell the batch as rows finish, kept as they come so
/// that nothing grows with the rows that succeed: counts, each distinct
/// warning once with the rows that had it ([`Rows`]), and the rows that
/// failed, with why.
#[derive(Default)]
struct Tally {
    built: usize,
    written: usize,
    warned: Vec<(String, Rows)>,
    /// (row number, diagnostics), sorted at the end: the first
    /// [`SHOWN`] rows to fail.
    failed: Vec<(usize, Vec<Diagnostic>)>,
    /// Rows that failed to build, listed or not.
    failed_count: usize,
}

/// The row numbers a message is said for: the first few (which the
/// message lists) and how many in all.
#[derive(Default)]
struct Rows {
    first: Vec<usize>,
    count: usize,
}

impl Rows {
    fn add(&mut self, number: usize) {
        self.count += 1;
        let at = self.first.partition_point(|&n| n < number);
        if at < Rows::SHOWN {
            self.first.insert(at, number);
            self.first.truncate(Rows::SHOWN);
        }
    }

    const SHOWN: usize = 10;
}

/// Builds one packet per row into `out`.
/// Each packet of a batch allocates a few hundred kilobytes and frees
/// them. glibc's allocator hands freed memory at the top of a thread's
/// heap back to the system once it passes its trim threshold (128 KiB at
/// first), so every packet faulted its pages in again: a third of a
/// batch's time went to the kernel. glibc raises that threshold to twice
/// the size of the largest block it has had to map on its own and then
/// freed; one such block (4 MiB, never touched, so never in memory) lets
/// the workers keep their heaps between packets. Other allocators ignore
/// it.
fn keep_freed_memory() {
    drop(std::hint::black_box(Vec::<u8>::with_capacity(4 << 20)));
}

/// Debug builds only, for the tests: `HANDOUTS_FAIL_ROWS=2,5` makes
/// those rows panic before they are laid out, `HANDOUTS_FAIL_ROWS_LATE`
/// once their PDF is made (what a worker keeps between rows updated by
/// then), each with the row's values in its message, which must never
/// be printed.
#[cfg(debug_assertions)]
fn fail_point(var: &str, number: usize, vars: &Vars) {
    let rows = std::env::var(var).unwrap_or_default();
    if rows.split(',').any(|n| n.trim().parse() == Ok(number)) {
        panic!("row {number}: {vars:?}");
    }
}

#[cfg(not(debug_assertions))]
fn fail_point(_: &str, _: usize, _: &Vars) {}

/// A row's write error, told by the folder and the row (added by the
/// caller), never by the file: its name is made of the couple's names,
/// and names go on pages only.
fn write_error(e: &std::io::Error, out: &Path) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::IsADirectory {
        Diagnostic::error(out, "a folder in this folder has the name of the row's PDF")
            .hint("the file is named by the packet's `output`: move the folder, or choose another one with --out")
    } else {
        Diagnostic::error(
            out,
            format!(
                "cannot write the row's PDF in this folder: {}",
                crate::diag::io_reason(e)
            ),
        )
    }
}

/// A packet in a language of its own, loaded once for the batch.
type Language = Arc<Result<Packet, Vec<Diagnostic>>>;

/// Most languages' packets a batch holds at once.
const MOST_LANGUAGES: usize = 32;

/// A job on its way to a worker, with the packet in its row's language.
struct Work {
    job: Job,
    language: Option<Language>,
}

/// Runs a batch as a pipeline: this thread reads and plans the rows in
/// order and hands each job to the workers through a short queue, so at
/// any time only a few rows are in memory, however long the roster.
pub fn run(batch: &Batch) -> Outcome {
    let Batch {
        packet,
        roster,
        sets,
        build,
        out,
        date,
        progress,
        dry_run,
        shard,
    } = *batch;
    keep_freed_memory();
    let rows_ours = match shard {
        Some(s) => (1..=roster.total).filter(|&r| s.owns(r)).count(),
        None => roster.total,
    };
    let bar = if progress {
        indicatif::ProgressBar::new(rows_ours as u64).with_style(progress_style())
    } else {
        indicatif::ProgressBar::hidden()
    };
    let drawn = progress.then(Drawn::show);
    let tally: Mutex<Tally> = Mutex::default();
    // Twice the cores: each packet ends in an fsync that blocks its thread
    // while the disk works, and another thread can use the core meanwhile.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get() * 2)
        .min(rows_ours.max(1));
    // Enough queued jobs that no worker waits on the reader, few enough to
    // hold nothing that grows with the roster.
    let (queue, jobs) = std::sync::mpsc::sync_channel::<Work>(threads * 2);
    // Shared by the workers alone: if every worker ended (a panic), the
    // queue closes and the reader stops instead of waiting for ever.
    let jobs = Arc::new(Mutex::new(jobs));
    let mut planned: Vec<Diagnostic> = Vec::new();
    let mut row_errors = 0usize;
    let mut stopped = false;
    std::thread::scope(|s| {
        let (tally, bar) = (&tally, &bar);
        for _ in 0..threads {
            let jobs = Arc::clone(&jobs);
            s.spawn(move || loop {
                let next = jobs
                    .lock()
                    .expect("no panics while holding the lock")
                    .recv();
                let Ok(Work { job, language }) = next else {
                    break;
                };
                let number = job.number;
                let b = Build {
                    vars: Some(&job.vars),
                    ..build
                };
                let this = match language.as_deref() {
                    Some(Ok(p)) => Ok(p),
                    Some(Err(ds)) => Err(ds.clone()),
                    None => Ok(packet),
                };
                // A row that meets a bug fails alone: the worker goes on to
                // the next row (a worker lost per such row would stop the
                // batch after a few), with what it keeps between rows
                // dropped, in case the bug left it half made.
                let row = std::panic::AssertUnwindSafe(|| {
                    fail_point("HANDOUTS_FAIL_ROWS", number, &job.vars);
                    this.and_then(|p| p.assemble(&b))
                        .and_then(|(doc, warnings)| {
                            if dry_run {
                                return Ok((false, warnings));
                            }
                            let opts = WriteOptions {
                                date,
                                codes: Codes::Stable,
                            };
                            let bytes = pdf::write(&doc, &opts);
                            fail_point("HANDOUTS_FAIL_ROWS_LATE", number, &job.vars);
                            output::write_file(out, &job.name, &bytes, true)
                                .map(|_| (true, warnings))
                                .map_err(|e| vec![write_error(&e, out)])
                        })
                });
                let result = std::panic::catch_unwind(row).unwrap_or_else(|_| {
                    crate::render::forget_kept();
                    crate::layout::forget_kept();
                    print_held(bar);
                    Err(vec![Diagnostic::error(
                        &roster.path,
                        "handouts met a bug building this row's packet; the other rows are built",
                    )
                    .hint(
                        "please report it with the packet and its worksheets (not the roster)",
                    )])
                });
                drop(job);
                let result = result.map_err(|ds| -> Vec<Diagnostic> {
                    ds.into_iter()
                        .map(|mut d| {
                            d.message = format!("row {number}: {}", d.message);
                            d
                        })
                        .collect()
                });
                let mut t = tally.lock().expect("no panics while holding the lock");
                match result {
                    Ok((written, warnings)) => {
                        t.built += 1;
                        t.written += usize::from(written);
                        for w in warnings {
                            match t.warned.iter_mut().find(|(m, _)| *m == w) {
                                Some((_, rows)) => rows.add(number),
                                None => {
                                    let mut rows = Rows::default();
                                    rows.add(number);
                                    t.warned.push((w, rows));
                                }
                            }
                        }
                    }
                    Err(ds) => {
                        t.failed_count += 1;
                        if t.failed.len() < SHOWN {
                            t.failed.push((number, ds));
                        }
                    }
                }
                drop(t);
                bar.inc(1);
            });
        }
        drop(jobs);
        let mut planner = Planner::new(packet, roster, sets, shard);
        // A `language` column builds each couple's packet in their
        // language: each language's packet loaded once, when first met.
        let mut languages: HashMap<String, Language> = HashMap::new();
        let rows = match roster.rows() {
            Ok(rows) => rows,
            Err(d) => {
                planned.push(d);
                stopped = true;
                return;
            }
        };
        // The last data row read, to tell a roster that ended early.
        let (mut read, mut closed) = (0, false);
        for entry in rows {
            if let Ok(e) = &entry {
                read = e.number;
            }
            let job = match entry.map(|e| planner.step(e)) {
                Ok(None) => continue,
                Ok(Some(Ok(job))) => job,
                Ok(Some(Err(d))) => {
                    row_errors += 1;
                    if row_errors <= SHOWN {
                        planned.push(d);
                    }
                    bar.inc(1);
                    continue;
                }
                // The file was changed in place since it was checked, or
                // can no longer be read: the rows so far stand.
                Err(d) => {
                    planned.push(d);
                    stopped = true;
                    break;
                }
            };
            let language = job
                .vars
                .get(LANGUAGE)
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .map(|lang| {
                    // Tags are easy to vary (`es-a1`, `es-a2`, …): past a
                    // few dozen packets held, the store starts again.
                    if languages.len() >= MOST_LANGUAGES && !languages.contains_key(lang) {
                        languages.clear();
                    }
                    languages
                        .entry(lang.to_owned())
                        .or_insert_with(|| Arc::new(packet.in_language(lang)))
                        .clone()
                });
            if queue.send(Work { job, language }).is_err() {
                closed = true;
                break;
            }
        }
        // The second reading checks its bytes against the first, so the
        // counts agree; were they ever not to, the batch says so rather
        // than report every row built.
        if !stopped && !closed && read != roster.total {
            planned.push(Diagnostic::error(
                &roster.path,
                format!(
                    "the roster was changed while the batch was reading it: {read} of {} rows read",
                    roster.total
                ),
            ));
            stopped = true;
        }
        drop(queue);
    });
    drop(drawn);
    bar.finish_and_clear();
    let mut t = tally.into_inner().expect("threads are done");
    let mut outcome = Outcome {
        built: t.built,
        written: t.written,
        failed_rows: row_errors + t.failed_count,
        stopped,
        diagnostics: planned,
    };
    t.failed.sort_by_key(|(number, _)| *number);
    outcome
        .diagnostics
        .extend(t.failed.into_iter().flat_map(|(_, ds)| ds));
    let more = row_errors.saturating_sub(SHOWN) + t.failed_count.saturating_sub(SHOWN);
    if more > 0 {
        outcome.diagnostics.push(Diagnostic::error(
            &roster.path,
            format!("{more} more rows failed (the first {SHOWN} of each kind are listed)"),
        ));
    }
    // A warning many rows share (a character the worksheets lack) is said
    // once, with the first rows and how many more, in the order of the
    // first row that had each.
    t.warned
        .sort_by_key(|(_, rows)| rows.first.first().copied());
    for (message, rows) in t.warned {
        outcome.diagnostics.push(Diagnostic::warning(
            &packet.path,
            format!("{}: {message}", rows_list(&rows)),
        ));
    }
    outcome
}

/// "row 3", "rows 3 and 7", "rows 1, 2, … 10 and 245 more": by number
/// only, never by what is in them.
fn rows_list(rows: &Rows) -> String {
    let list = |r: &[usize]| {
        r.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (&rows.first[..], rows.count) {
        ([one], 1) => format!("row {one}"),
        (shown, n) if n == shown.len() => {
            let (last, rest) = shown.split_last().expect("two or more");
            format!("rows {} and {last}", list(rest))
        }
        (shown, n) => format!("rows {} and {} more", list(shown), n - shown.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_template_is_valid() {
        let bar = indicatif::ProgressBar::hidden().with_style(progress_style());
        bar.inc(1);
    }

    #[test]
    fn rows_are_listed_by_number_with_the_rest_counted() {
        let rows = |ns: &[usize]| {
            let mut r = Rows::default();
            for &n in ns {
                r.add(n);
            }
            r
        };
        assert_eq!(rows_list(&rows(&[3])), "row 3");
        assert_eq!(rows_list(&rows(&[7, 3])), "rows 3 and 7");
        assert_eq!(rows_list(&rows(&[5, 1, 2])), "rows 1, 2 and 5");
        // Rows finish in any order; the first ten are the lowest.
        let many: Vec<usize> = (1..=25).rev().collect();
        assert_eq!(
            rows_list(&rows(&many)),
            "rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 15 more"
        );
    }

    #[test]
    fn file_names_cannot_escape_or_hide() {
        assert_eq!(safe_file_name("../../x"), "x");
        assert_eq!(safe_file_name("2026-05-01-Zoë-Ζωή"), "2026-05-01-Zoë-Ζωή");
        assert_eq!(safe_file_name("a/b\\c\u{0}d"), "a-b-c-d");
        assert_eq!(safe_file_name(".hidden"), "hidden");
        assert_eq!(safe_file_name("///"), "packet");
        assert_eq!(safe_file_name("Ana & José"), "Ana-José");
    }

    #[test]
    fn file_names_keep_each_letter_with_its_marks() {
        // Virama and nukta (Devanagari), tone marks (Thai), points (Hebrew).
        assert_eq!(safe_file_name("प्रिया क्षितिज"), "प्रिया-क्षितिज");
        assert_eq!(safe_file_name("ก่อ"), "ก่อ");
        assert_eq!(safe_file_name("שָׂרָה"), "שָׂרָה");
        // Decomposed input names the file its composed spelling names.
        assert_eq!(safe_file_name("Tra\u{0302}\u{0300}n"), "Trần");
        assert_eq!(safe_file_name("Zoe\u{0308}"), safe_file_name("Zoë"));
        // A mark with no letter is a separator like any other symbol.
        assert_eq!(safe_file_name("\u{0301}Ana \u{0301}Li"), "Ana-Li");
        // Marks that draw nothing cannot make two look-alike files.
        assert_eq!(safe_file_name("Ana\u{FE0F}"), "Ana");
        assert_eq!(safe_file_name("A\u{034F}na"), "Ana");
        // Nor can letters that draw nothing (Hangul fillers), anywhere.
        assert_eq!(safe_file_name("Ana\u{3164}"), "Ana");
        assert_eq!(safe_file_name("\u{115F}\u{1160}A\u{FFA0}na"), "Ana");
        assert_eq!(safe_file_name("\u{3164}"), "packet");
        assert_eq!(safe_file_name("ក\u{17B4}"), "ក");
        assert_eq!(safe_file_name("Ana\u{200D}\u{3164}"), "Ana");
        // Dropped before composing: these compose as typed without them.
        assert_eq!(safe_file_name("A\u{3164}\u{0301}"), "\u{C1}");
        assert_eq!(safe_file_name("A\u{FE0F}\u{0301}na"), "\u{C1}na");
        assert_eq!(safe_file_name("\u{1100}\u{1160}\u{1161}"), "\u{AC00}");
        // Joiners between letters stay (Persian); anywhere else they go.
        assert_eq!(safe_file_name("می\u{200C}خواهم"), "می\u{200C}خواهم");
        assert_eq!(safe_file_name("\u{200D}Ana\u{200C} \u{200D}"), "Ana");
        assert_eq!(safe_file_name("Ana\u{200D}/Li"), "Ana-Li");
        // Direction overrides never reach a file name.
        assert_eq!(safe_file_name("\u{202E}fdp.exe"), "fdp-exe");
    }

    #[test]
    fn windows_device_names_are_never_file_names() {
        for name in [
            "CON",
            "con",
            "Nul",
            "aux",
            "PRN",
            "COM1",
            "com9",
            "LPT0",
            "Lpt\u{B9}",
        ] {
            assert_eq!(safe_file_name(name), format!("{name}_"), "{name}");
        }
        // Trailing dots and spaces, which Windows ignores, are gone first.
        assert_eq!(safe_file_name("AUX. "), "AUX_");
        // Only the whole name: these are files like any other.
        for name in [
            "Con-Ann",
            "Connor",
            "COM10",
            "LPT",
            "2026-05-01-Con",
            "NUL_",
        ] {
            assert_eq!(safe_file_name(name), name, "{name}");
        }
    }

    #[test]
    fn names_one_file_where_case_is_ignored_share_a_key() {
        let same = [
            ("Zoë", "ZOË"),
            ("ſam", "Sam"),
            ("σοφιασ", "ΣΟΦΙΑΣ"),
            ("σοφιασ", "σοφιας"),
            ("\u{B5}", "\u{3BC}"),
            ("ıvan", "Ivan"),
            ("straße", "STRASSE"),
            ("Weiß", "WEIẞ"),
            ("WEIẞ", "weiss"),
        ];
        for (a, b) in same {
            assert_eq!(name_key(a), name_key(b), "{a} {b}");
        }
        assert_ne!(name_key("Ana"), name_key("Anna"));
    }

    #[test]
    fn a_long_name_is_never_cut_between_a_letter_and_its_marks() {
        // "प्र" is one conjunct: letter, virama, letter, three bytes each.
        for pad in 0..6 {
            let name = safe_file_name(&format!("{}{}", "a".repeat(pad), "प्र".repeat(40)));
            assert!(name.len() <= MAX_NAME_BYTES);
            let last = name.chars().last().unwrap();
            assert_eq!(
                last,
                'र',
                "pad {pad}: ends {:?}",
                name.chars().rev().take(3).collect::<String>()
            );
        }
    }

    #[test]
    fn long_names_are_cut_to_bytes_on_a_character_boundary() {
        let name = safe_file_name(&"王小明-".repeat(100));
        assert!(name.len() <= MAX_NAME_BYTES, "{}", name.len());
        assert!(name.starts_with("王小明") && !name.ends_with('-'));
    }
}
