//! Whole runs of `build` and `check`: find the specs, compile each, report.
//!
//! A problem in one spec never stops the others: every spec is tried, every
//! diagnostic is reported, and the exit status says whether any failed
//! (the ripgrep habit). Nothing is written for a spec that failed.

use crate::compile::compile_with;
use crate::diag::{did_you_mean, Diagnostic};
use crate::model::{Edition, Vars};
use crate::packet::{Build, Packet};
use crate::render::pdf::{self, WriteOptions};
use crate::roster::Roster;
use crate::spec::config::{self, Config, Paper};
use crate::spec::packet::looks_like_packet;
use crate::{batch, output};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What a run produced, for `main` to print and turn into an exit status.
#[derive(Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Files written, with their page counts.
    pub written: Vec<(PathBuf, usize)>,
    /// Specs checked without error.
    pub ok: usize,
    /// A closing line for the user (counts, where files went).
    pub summary: Option<String>,
    /// Per-file details for `--verbose`.
    pub details: Vec<String>,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

#[derive(Clone)]
pub struct BuildOptions {
    pub paths: Vec<PathBuf>,
    pub out: PathBuf,
    /// Overrides the config's paper.
    pub paper: Option<Paper>,
    pub date: Option<i64>,
    pub edition: Edition,
    /// `--set` values for placeholders.
    pub sets: Vars,
    /// Answer spaces become form fields.
    pub fillable: bool,
    /// The large-print edition (as the config's `large-print`).
    pub large_print: bool,
}

/// The output folder, made ready on the first write: a run that writes
/// nothing leaves no folder behind.
struct Out<'a> {
    dir: &'a Path,
    ready: Option<bool>,
    /// The run made the folder: it is closed to others once a private
    /// file goes in, whatever the first file was.
    made: bool,
}

impl<'a> Out<'a> {
    fn new(dir: &'a Path) -> Self {
        Out {
            dir,
            ready: None,
            made: !dir.exists(),
        }
    }

    /// Writes `name`; a `private` file (and a folder made for it) is its
    /// owner's only.
    fn write(
        &mut self,
        name: &str,
        bytes: &[u8],
        private: bool,
        pages: usize,
        report: &mut Report,
    ) {
        let ready = *self
            .ready
            .get_or_insert_with(|| match output::prepare(self.dir, private) {
                Ok(()) => true,
                Err(d) => {
                    report.diagnostics.push(d);
                    false
                }
            });
        if !ready {
            return;
        }
        #[cfg(unix)]
        if private && self.made {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(self.dir, std::fs::Permissions::from_mode(0o700));
        }
        match output::write_atomic(self.dir, name, bytes, private) {
            Ok(p) => report.written.push((p, pages)),
            Err(d) => report.diagnostics.push(d),
        }
    }
}

/// `handouts build`: one PDF per worksheet spec.
pub fn build(opts: &BuildOptions) -> Report {
    let mut report = Report::default();
    let specs = discover(&opts.paths, &mut report.diagnostics);
    let mut configs = Configs::default();
    let mut stems: HashMap<String, PathBuf> = HashMap::new();
    let mut out = Out::new(&opts.out);
    let mut used = BTreeSet::new();
    let sets = (!opts.sets.is_empty()).then_some(&opts.sets);
    for path in specs {
        let Some(mut cfg) = configs.get(&path, &mut report.diagnostics) else {
            continue;
        };
        cfg.large_print |= opts.large_print;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(first) = stems.get(&stem) {
            report.diagnostics.push(
                Diagnostic::error(
                    &path,
                    format!("another spec, {}, also builds {stem}.pdf", first.display()),
                )
                .hint("give one of the files a different name"),
            );
            continue;
        }
        stems.insert(stem.clone(), path.clone());
        let paper = opts.paper.unwrap_or(cfg.paper);
        // Editions sit side by side in one folder: the facilitator's and
        // the large-print files are named so, as packets' are.
        let facilitator = match opts.edition {
            Edition::Client => "",
            Edition::Facilitator => "-facilitator",
        };
        let print = if cfg.large_print {
            cfg.words.large_print_suffix.as_str()
        } else {
            ""
        };
        let name = format!("{stem}{facilitator}{print}.pdf");
        match kind(&path) {
            Err(d) => report.diagnostics.push(d),
            Ok(Kind::List) => report.diagnostics.extend(list_errors(&path, &cfg)),
            Ok(Kind::Packet) => {
                let b = Build {
                    paper,
                    edition: opts.edition,
                    duplex: false,
                    vars: sets,
                    fillable: opts.fillable || cfg.fillable,
                };
                match build_packet(&path, cfg, &b, opts.date) {
                    Ok(built) => {
                        report.diagnostics.extend(built.warnings);
                        used.extend(built.placeholders);
                        out.write(
                            &name,
                            &built.bytes,
                            built.personal,
                            built.pages,
                            &mut report,
                        );
                    }
                    Err(ds) => report.diagnostics.extend(ds),
                }
            }
            Ok(Kind::Worksheet) => {
                let copts = crate::model::Options {
                    edition: opts.edition,
                    vars: sets,
                    fillable: opts.fillable || cfg.fillable,
                };
                match compile_with(&path, &cfg, paper, &copts) {
                    Ok(c) => {
                        report.diagnostics.extend(c.warnings);
                        used.extend(c.placeholders);
                        let bytes = pdf::write(
                            &c.doc,
                            &WriteOptions {
                                date: opts.date,
                                ..Default::default()
                            },
                        );
                        out.write(
                            &name,
                            &bytes,
                            sets.is_some(),
                            c.doc.pages.len(),
                            &mut report,
                        );
                    }
                    Err(ds) => {
                        // A spec with mistakes still names its placeholders:
                        // `--set clinet=…` is then "did you mean `client`?".
                        if let Ok(src) = crate::spec::read_source(&path) {
                            used.extend(crate::model::placeholders(&src));
                        }
                        report.diagnostics.extend(ds)
                    }
                }
            }
        }
    }
    warn_unused_sets(&opts.sets, &used, &mut report);
    report
}

/// What `check` takes besides paths.
#[derive(Default)]
pub struct CheckOptions {
    /// `--set` values for placeholders.
    pub sets: Vars,
    /// `--roster`: check every row against each packet named.
    pub roster: Option<PathBuf>,
}

/// `handouts check`: everything `build` does except writing. Also checks
/// rosters (`.csv`) and config files named on the command line, and with
/// `--roster`, every row of the roster against each packet.
pub fn check(paths: &[PathBuf], opts: &CheckOptions) -> Report {
    let mut report = Report::default();
    let specs = discover(paths, &mut report.diagnostics);
    let mut configs = Configs::default();
    let mut used = BTreeSet::new();
    let sets = (!opts.sets.is_empty()).then_some(&opts.sets);
    let mut packets = 0;
    for path in specs {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == config::FILE_NAME {
            match config::load(&path) {
                Ok(_) => report.ok += 1,
                Err(d) => report.diagnostics.push(d),
            }
            continue;
        }
        if name.ends_with(".csv") {
            match Roster::read(&path) {
                Ok(r) => {
                    report
                        .details
                        .push(format!("{}: roster of {} rows", path.display(), r.total));
                    if r.problems.is_empty() {
                        report.ok += 1;
                    }
                    let more = r.problem_count - r.problems.len();
                    report.diagnostics.extend(r.problems);
                    if more > 0 {
                        report.diagnostics.push(Diagnostic::error(
                            &path,
                            format!(
                                "{more} more rows cannot be read (the first {} are listed)",
                                crate::roster::SHOWN
                            ),
                        ));
                    }
                }
                Err(d) => report.diagnostics.push(d),
            }
            continue;
        }
        let Some(cfg) = configs.get(&path, &mut report.diagnostics) else {
            continue;
        };
        match kind(&path) {
            Err(d) => report.diagnostics.push(d),
            Ok(Kind::List) => report.diagnostics.extend(list_errors(&path, &cfg)),
            Ok(Kind::Packet) => {
                packets += 1;
                match Packet::load(&path, cfg) {
                    Ok((p, w)) => {
                        report.diagnostics.extend(w);
                        used.extend(p.placeholders());
                        check_packet(&p, opts, &mut report);
                    }
                    Err(ds) => report.diagnostics.extend(ds),
                }
            }
            Ok(Kind::Worksheet) => {
                let copts = crate::model::Options {
                    vars: sets,
                    ..Default::default()
                };
                match compile_with(&path, &cfg, cfg.paper, &copts) {
                    Ok(c) => {
                        let reading = c.reading();
                        report.diagnostics.extend(c.warnings);
                        used.extend(c.placeholders);
                        report.ok += 1;
                        use crate::readability::Reading;
                        let (level, low) = match reading {
                            Some(Reading::Grade(g)) => (
                                format!("reading grade {g:.1}"),
                                (g > cfg.reading_grade).then(|| {
                                    format!(
                                        "reading grade {g:.1} is above the target of {}",
                                        cfg.reading_grade
                                    )
                                }),
                            ),
                            Some(Reading::EaseEs(e)) => (
                                format!("reading ease {e:.0} (Fernández-Huerta)"),
                                (e < cfg.reading_ease_es).then(|| {
                                    format!(
                                        "reading ease {e:.0} (Fernández-Huerta) is below the target of {}",
                                        cfg.reading_ease_es
                                    )
                                }),
                            ),
                            None => ("no reading scale for its language".to_owned(), None),
                        };
                        let n = c.doc.pages.len();
                        report.details.push(format!(
                            "{}: {level}, {n} page{}",
                            path.display(),
                            if n == 1 { "" } else { "s" }
                        ));
                        if let Some(low) = low {
                            report.diagnostics.push(
                                Diagnostic::warning(&path, low)
                                    .hint("use shorter sentences and everyday words"),
                            );
                        }
                    }
                    Err(ds) => report.diagnostics.extend(ds),
                }
            }
        }
    }
    if let (Some(roster), 0) = (&opts.roster, packets) {
        report.diagnostics.push(
            Diagnostic::error(
                roster,
                "--roster checks rows against a packet, and none was named",
            )
            .hint("e.g. `handouts check worksheets/packets/intensive.yaml --roster couples.csv`"),
        );
    }
    warn_unused_sets(&opts.sets, &used, &mut report);
    report
}

/// Checks a packet (facilitator edition, so every worksheet is laid out),
/// or with `--roster` the packet for every row of the roster: values, file
/// names and layout, writing nothing.
fn check_packet(p: &Packet, opts: &CheckOptions, report: &mut Report) {
    let sets = (!opts.sets.is_empty()).then_some(&opts.sets);
    let b = Build {
        paper: p.cfg.paper,
        edition: Edition::Facilitator,
        duplex: false,
        vars: sets,
        fillable: false,
    };
    let Some(path) = &opts.roster else {
        match p.assemble(&b) {
            Ok(_) => report.ok += 1,
            Err(ds) => report.diagnostics.extend(ds),
        }
        return;
    };
    let roster = match Roster::read(path) {
        Ok(r) => r,
        Err(d) => return report.diagnostics.push(d),
    };
    let outcome = batch::run(&batch::Batch {
        packet: p,
        roster: &roster,
        sets: &opts.sets,
        build: Build { vars: None, ..b },
        out: Path::new(""),
        date: None,
        progress: false,
        dry_run: true,
        shard: None,
    });
    report.details.push(format!(
        "{}: {} of {} roster rows build",
        p.path.display(),
        outcome.built,
        roster.total
    ));
    if outcome.failed_rows == 0 && !outcome.stopped {
        report.ok += 1;
    }
    report.diagnostics.extend(outcome.diagnostics);
}

/// A `--set` key that no placeholder uses is likely a typo.
fn warn_unused_sets(sets: &Vars, used: &BTreeSet<String>, report: &mut Report) {
    let candidates: Vec<&str> = used.iter().map(String::as_str).collect();
    for key in sets.keys().filter(|k| !used.contains(*k)) {
        let mut d = Diagnostic::warning(
            Path::new("--set"),
            format!("nothing uses the placeholder `{key}`"),
        );
        d = match did_you_mean(key, &candidates) {
            Some(best) => d.hint(format!("did you mean `{best}`?")),
            None if candidates.is_empty() => d.hint("these specs have no placeholders"),
            None => d.hint(format!(
                "the placeholders used are {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        report.diagnostics.push(d);
    }
}

enum Kind {
    Worksheet,
    Packet,
    /// A list at the top level: a YAML roster, perhaps, named by mistake.
    /// It is still checked as a spec, but its lines (names) never quoted.
    List,
}

/// Whether a spec path is a worksheet or a packet. Only `.yaml` files are
/// specs: anything else (`../../etc/passwd`) is refused unread.
fn kind(path: &Path) -> Result<Kind, Diagnostic> {
    if !crate::spec::is_yaml(path) {
        return Err(Diagnostic::error(path, "not a spec: specs are .yaml files")
            .hint("name a worksheet or packet spec, or a folder of them"));
    }
    let src = crate::spec::read_source(path)?;
    let first = src
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---");
    Ok(if looks_like_packet(&src) {
        Kind::Packet
    } else if first.is_some_and(|l| l.starts_with('-') || l.starts_with('[')) {
        Kind::List
    } else {
        Kind::Worksheet
    })
}

/// What is wrong with a list-shaped file as a spec, without quoting it.
fn list_errors(path: &Path, cfg: &Config) -> Vec<Diagnostic> {
    let errs = match compile_with(path, cfg, cfg.paper, &Default::default()) {
        Ok(_) => Vec::new(),
        Err(ds) => ds,
    };
    errs.into_iter().map(Diagnostic::unquoted).collect()
}

/// One packet, laid out and written to bytes.
struct BuiltPacket {
    bytes: Vec<u8>,
    pages: usize,
    warnings: Vec<Diagnostic>,
    placeholders: Vec<String>,
    /// Values were filled in: the file is its owner's only.
    personal: bool,
}

fn build_packet(
    path: &Path,
    cfg: Config,
    b: &Build,
    date: Option<i64>,
) -> Result<BuiltPacket, Vec<Diagnostic>> {
    let (packet, mut warnings) = Packet::load(path, cfg)?;
    let (doc, missing) = packet.assemble(b)?;
    warnings.extend(missing.into_iter().map(|m| Diagnostic::warning(path, m)));
    Ok(BuiltPacket {
        bytes: pdf::write(
            &doc,
            &WriteOptions {
                date,
                ..Default::default()
            },
        ),
        pages: doc.pages.len(),
        warnings,
        placeholders: packet.placeholders(),
        personal: doc.personal,
    })
}

pub struct PacketOptions {
    pub packet: PathBuf,
    pub roster: Option<PathBuf>,
    /// `--set key=value` values.
    pub sets: Vars,
    pub out: PathBuf,
    pub paper: Option<Paper>,
    pub duplex: bool,
    pub edition: Edition,
    pub date: Option<i64>,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Answer spaces become form fields.
    pub fillable: bool,
    /// The large-print edition (as the config's `large-print`).
    pub large_print: bool,
    /// Build only this part of the roster (`--shard K/N`).
    pub shard: Option<crate::batch::Shard>,
}

/// `handouts packet`: one packet, or one per roster row.
pub fn packet(opts: &PacketOptions) -> Report {
    let mut report = Report::default();
    let mut configs = Configs::default();
    let Some(mut cfg) = configs.get(&opts.packet, &mut report.diagnostics) else {
        return report;
    };
    cfg.large_print |= opts.large_print;
    match kind(&opts.packet) {
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
        Ok(Kind::List) => {
            report.diagnostics.extend(list_errors(&opts.packet, &cfg));
            return report;
        }
        Ok(_) => {}
    }
    let paper = opts.paper.unwrap_or(cfg.paper);
    let stem = opts
        .packet
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "packet".into());
    let edition_suffix = match opts.edition {
        Edition::Client => "",
        Edition::Facilitator => "-facilitator",
    };
    let print_suffix = if cfg.large_print {
        cfg.words.large_print_suffix.clone()
    } else {
        String::new()
    };
    let fillable = opts.fillable || cfg.fillable;
    let Some(roster) = &opts.roster else {
        let b = Build {
            paper,
            edition: opts.edition,
            duplex: opts.duplex,
            vars: (!opts.sets.is_empty()).then_some(&opts.sets),
            fillable,
        };
        match build_packet(&opts.packet, cfg, &b, opts.date) {
            Ok(built) => {
                report.diagnostics.extend(built.warnings);
                let used = built.placeholders.iter().cloned().collect();
                warn_unused_sets(&opts.sets, &used, &mut report);
                let name = format!("{stem}{edition_suffix}{print_suffix}.pdf");
                Out::new(&opts.out).write(
                    &name,
                    &built.bytes,
                    built.personal,
                    built.pages,
                    &mut report,
                );
            }
            Err(ds) => report.diagnostics.extend(ds),
        }
        return report;
    };
    let roster = match Roster::read(roster) {
        Ok(r) => r,
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let (p, warnings) = match Packet::load(&opts.packet, cfg) {
        Ok(x) => x,
        Err(ds) => {
            report.diagnostics.extend(ds);
            return report;
        }
    };
    report.diagnostics.extend(warnings);
    let mut used: BTreeSet<String> = p.placeholders().into_iter().collect();
    used.extend(crate::model::placeholders(&p.output_pattern()));
    warn_unused_sets(&opts.sets, &used, &mut report);
    if let Err(d) = output::prepare(&opts.out, true) {
        report.diagnostics.push(d);
        return report;
    }
    let b = Build {
        paper,
        edition: opts.edition,
        duplex: opts.duplex,
        vars: None,
        fillable,
    };
    let start = std::time::Instant::now();
    let outcome = batch::run(&batch::Batch {
        packet: &p,
        roster: &roster,
        sets: &opts.sets,
        build: b,
        out: &opts.out,
        date: opts.date,
        progress: opts.progress,
        dry_run: false,
        shard: opts.shard,
    });
    // A shard's share of the roster: its rows, read or not.
    let (total, of_shard) = match opts.shard {
        Some(s) => (
            (1..=roster.total).filter(|&r| s.owns(r)).count(),
            format!(" (shard {}/{})", s.k, s.n),
        ),
        None => (roster.total, String::new()),
    };
    report.summary = Some(format!(
        "built {} of {} packets{of_shard} into {} in {:.1} s{}",
        outcome.written,
        total,
        opts.out.display(),
        start.elapsed().as_secs_f64(),
        match outcome.failed_rows {
            0 => String::new(),
            1 => "; 1 row failed".into(),
            n => format!("; {n} rows failed"),
        }
    ));
    report.diagnostics.extend(outcome.diagnostics);
    report
}

/// Each config file loaded once; a broken config is reported once.
#[derive(Default)]
struct Configs {
    loaded: BTreeMap<PathBuf, Option<Config>>,
}

impl Configs {
    fn get(&mut self, spec: &Path, diags: &mut Vec<Diagnostic>) -> Option<Config> {
        let Some(path) = config::find(spec) else {
            return Some(Config::default());
        };
        self.loaded
            .entry(path.clone())
            .or_insert_with(|| match config::load(&path) {
                Ok(c) => Some(c),
                Err(d) => {
                    diags.push(d);
                    None
                }
            })
            .clone()
    }
}

/// Expands folders into the worksheet specs inside them, sorted; files are
/// taken as given.
/// The specs `paths` name (folders walked), and whether each is a packet.
pub fn specs(paths: &[PathBuf]) -> Vec<(PathBuf, bool)> {
    discover(paths, &mut Vec::new())
        .into_iter()
        .map(|p| {
            let packet = matches!(kind(&p), Ok(Kind::Packet));
            (p, packet)
        })
        .collect()
}

fn discover(paths: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out, 0);
            if out.len() == before {
                diags.push(
                    Diagnostic::error(p, "no worksheet specs (.yaml) in this folder")
                        .hint("pass a folder of worksheets, or a .yaml file"),
                );
            }
        } else if p.exists() {
            out.push(p.clone());
        } else {
            diags.push(Diagnostic::error(p, "no such file or folder"));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, depth + 1);
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && name != config::FILE_NAME {
            out.push(p);
        }
    }
}

/// `handouts new`: a starting worksheet at `path` that builds as it is,
/// in the config's language, with the `$schema` line for editors. Never
/// overwrites a file.
pub fn new_worksheet(path: &Path, stage: &str, role: &str) -> Report {
    let mut report = Report::default();
    if !crate::spec::is_yaml(path) {
        report.diagnostics.push(
            Diagnostic::error(path, "a worksheet spec is a .yaml file")
                .hint("give a file name ending in .yaml"),
        );
        return report;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        report.diagnostics.push(
            Diagnostic::error(path, format!("there is no folder {}", dir.display()))
                .hint("make the folder first, or give a path in one that exists"),
        );
        return report;
    }
    let mut configs = Configs::default();
    let Some(cfg) = configs.get(path, &mut report.diagnostics) else {
        return report;
    };
    let template = match crate::locale::primary(&cfg.language).as_str() {
        "es" => include_str!("locale/new.es.yaml"),
        _ => include_str!("locale/new.en.yaml"),
    };
    // The schema the nearest project has, else one written beside the file.
    let abs = std::fs::canonicalize(&dir).unwrap_or(dir.clone());
    let schema = abs
        .ancestors()
        .enumerate()
        .find(|(_, a)| a.join("schema/handouts.schema.json").is_file())
        .map(|(up, _)| format!("{}schema/handouts.schema.json", "../".repeat(up)));
    let schema = match schema {
        Some(s) => s,
        None => {
            let file = dir.join("handouts.schema.json");
            if !file.exists() {
                if let Err(e) = std::fs::write(&file, crate::spec::schema::json()) {
                    report.diagnostics.push(Diagnostic::error(
                        &file,
                        format!("cannot write the schema: {}", crate::diag::io_reason(&e)),
                    ));
                    return report;
                }
            }
            "handouts.schema.json".to_owned()
        }
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let text = template
        .replace(
            "{schema}",
            &format!("yaml-language-server: $schema={schema}"),
        )
        .replace("{file}", &name)
        .replace("{stage_name}", cfg.words.stage(stage))
        .replace("{stage}", stage)
        .replace("{role}", role);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {
            report.summary = Some(format!(
                "wrote {}; build it with: handouts build {}",
                path.display(),
                path.display()
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            report.diagnostics.push(
                Diagnostic::error(path, "the file already exists; `new` never overwrites one")
                    .hint("give a new file name"),
            );
        }
        Err(e) => report.diagnostics.push(Diagnostic::error(
            path,
            format!("cannot write the file: {}", crate::diag::io_reason(&e)),
        )),
    }
    report
}
