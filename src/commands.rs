//! Whole runs of `build` and `check`: find the specs, compile each, report.
//!
//! A problem in one spec never stops the others: every spec is tried, every
//! diagnostic is reported, and the exit status says whether any failed
//! (the ripgrep habit). Nothing is written for a spec that failed.

use crate::diag::Diagnostic;
use crate::model::{Edition, Vars};
use crate::packet::{Build, Packet};
use crate::render::pdf::{self, WriteOptions};
use crate::spec::config::{self, Config, Paper};
use crate::spec::packet::looks_like_packet;
use crate::{batch, compile, compile_with, output};
use std::collections::{BTreeMap, HashMap};
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
}

/// `handouts build`: one PDF per worksheet spec.
pub fn build(opts: &BuildOptions) -> Report {
    let mut report = Report::default();
    let specs = discover(&opts.paths, &mut report.diagnostics);
    let mut configs = Configs::default();
    let mut stems: HashMap<String, PathBuf> = HashMap::new();
    for path in specs {
        let Some(cfg) = configs.get(&path, &mut report.diagnostics) else {
            continue;
        };
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
        if is_packet(&path) {
            let b = Build {
                paper,
                edition: opts.edition,
                duplex: false,
                vars: None,
                fillable: opts.fillable || cfg.fillable,
            };
            match build_packet(&path, cfg, &b, opts.date) {
                Ok((bytes, pages, warnings)) => {
                    report.diagnostics.extend(warnings);
                    match output::write_atomic(&opts.out, &format!("{stem}.pdf"), &bytes, false) {
                        Ok(p) => report.written.push((p, pages)),
                        Err(d) => report.diagnostics.push(d),
                    }
                }
                Err(ds) => report.diagnostics.extend(ds),
            }
            continue;
        }
        let copts = crate::model::Options {
            edition: opts.edition,
            vars: Some(&opts.sets),
            fillable: opts.fillable || cfg.fillable,
        };
        match compile_with(&path, &cfg, paper, &copts) {
            Ok(c) => {
                report.diagnostics.extend(c.warnings);
                let bytes = pdf::write(&c.doc, &WriteOptions { date: opts.date });
                match output::write_atomic(&opts.out, &format!("{stem}.pdf"), &bytes, false) {
                    Ok(p) => report.written.push((p, c.doc.pages.len())),
                    Err(d) => report.diagnostics.push(d),
                }
            }
            Err(ds) => report.diagnostics.extend(ds),
        }
    }
    report
}

/// `handouts check`: everything `build` does except writing. Also checks
/// rosters (`.csv`) and config files named on the command line.
pub fn check(paths: &[PathBuf]) -> Report {
    let mut report = Report::default();
    let specs = discover(paths, &mut report.diagnostics);
    let mut configs = Configs::default();
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
            match batch::read_roster(&path) {
                Ok(rows) => {
                    report.ok += 1;
                    report.details.push(format!(
                        "{}: roster of {} rows",
                        path.display(),
                        rows.len()
                    ));
                }
                Err(d) => report.diagnostics.push(d),
            }
            continue;
        }
        let Some(cfg) = configs.get(&path, &mut report.diagnostics) else {
            continue;
        };
        if is_packet(&path) {
            let b = Build {
                paper: cfg.paper,
                edition: Edition::Facilitator,
                duplex: false,
                vars: None,
                fillable: false,
            };
            match Packet::load(&path, cfg).and_then(|(p, w)| p.assemble(&b).map(|_| w)) {
                Ok(w) => {
                    report.diagnostics.extend(w);
                    report.ok += 1;
                }
                Err(ds) => report.diagnostics.extend(ds),
            }
            continue;
        }
        match compile(&path, &cfg, cfg.paper) {
            Ok(c) => {
                report.diagnostics.extend(c.warnings);
                report.ok += 1;
                report.details.push(format!(
                    "{}: reading grade {:.1}, {} pages",
                    path.display(),
                    c.grade,
                    c.doc.pages.len()
                ));
                if c.grade > cfg.reading_grade {
                    report.diagnostics.push(
                        Diagnostic::warning(
                            &path,
                            format!(
                                "reading grade {:.1} is above the target of {}",
                                c.grade, cfg.reading_grade
                            ),
                        )
                        .hint("use shorter sentences and everyday words"),
                    );
                }
            }
            Err(ds) => report.diagnostics.extend(ds),
        }
    }
    report
}

fn is_packet(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|s| looks_like_packet(&s))
}

/// One packet, laid out and written to bytes: (bytes, pages, warnings).
fn build_packet(
    path: &Path,
    cfg: Config,
    b: &Build,
    date: Option<i64>,
) -> Result<(Vec<u8>, usize, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (packet, mut warnings) = Packet::load(path, cfg)?;
    let (doc, missing) = packet.assemble(b)?;
    warnings.extend(missing.into_iter().map(|m| Diagnostic::warning(path, m)));
    Ok((
        pdf::write(&doc, &WriteOptions { date }),
        doc.pages.len(),
        warnings,
    ))
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
}

/// `handouts packet`: one packet, or one per roster row.
pub fn packet(opts: &PacketOptions) -> Report {
    let mut report = Report::default();
    let mut configs = Configs::default();
    let Some(cfg) = configs.get(&opts.packet, &mut report.diagnostics) else {
        return report;
    };
    if !opts.packet.is_file() {
        report
            .diagnostics
            .push(Diagnostic::error(&opts.packet, "no such file"));
        return report;
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
    let Some(roster) = &opts.roster else {
        let b = Build {
            paper,
            edition: opts.edition,
            duplex: opts.duplex,
            vars: (!opts.sets.is_empty()).then_some(&opts.sets),
            fillable: opts.fillable || cfg.fillable,
        };
        match build_packet(&opts.packet, cfg, &b, opts.date) {
            Ok((bytes, pages, warnings)) => {
                report.diagnostics.extend(warnings);
                let name = format!("{stem}{edition_suffix}.pdf");
                // Values from --set are likely names: keep the file private.
                match output::write_atomic(&opts.out, &name, &bytes, !opts.sets.is_empty()) {
                    Ok(p) => report.written.push((p, pages)),
                    Err(d) => report.diagnostics.push(d),
                }
            }
            Err(ds) => report.diagnostics.extend(ds),
        }
        return report;
    };
    let rows = match batch::read_roster(roster) {
        Ok(r) => r,
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let fillable = opts.fillable || cfg.fillable;
    let (p, warnings) = match Packet::load(&opts.packet, cfg) {
        Ok(x) => x,
        Err(ds) => {
            report.diagnostics.extend(ds);
            return report;
        }
    };
    report.diagnostics.extend(warnings);
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
        roster,
        rows: &rows,
        sets: &opts.sets,
        build: b,
        out: &opts.out,
        date: opts.date,
        progress: opts.progress,
    });
    report.summary = Some(format!(
        "built {} of {} packets into {} in {:.1} s{}",
        outcome.written.len(),
        rows.len(),
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
