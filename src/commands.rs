//! Whole runs of `build` and `check`: find the specs, compile each, report.
//!
//! A problem in one spec never stops the others: every spec is tried, every
//! diagnostic is reported, and the exit status says whether any failed
//! (the ripgrep habit). Nothing is written for a spec that failed.

use crate::diag::Diagnostic;
use crate::render::pdf::{self, WriteOptions};
use crate::spec::config::{self, Config, Paper};
use crate::{compile, output};
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
        match compile(&path, &cfg, paper) {
            Ok(c) => {
                report.diagnostics.extend(c.warnings);
                let bytes = pdf::write(&c.doc, &WriteOptions { date: opts.date });
                match output::write_atomic(&opts.out, &format!("{stem}.pdf"), &bytes) {
                    Ok(p) => report.written.push((p, c.doc.pages.len())),
                    Err(d) => report.diagnostics.push(d),
                }
            }
            Err(ds) => report.diagnostics.extend(ds),
        }
    }
    report
}

/// `handouts check`: everything `build` does except writing.
pub fn check(paths: &[PathBuf]) -> Report {
    let mut report = Report::default();
    let specs = discover(paths, &mut report.diagnostics);
    let mut configs = Configs::default();
    for path in specs {
        let Some(cfg) = configs.get(&path, &mut report.diagnostics) else {
            continue;
        };
        match compile(&path, &cfg, cfg.paper) {
            Ok(c) => {
                report.diagnostics.extend(c.warnings);
                report.ok += 1;
            }
            Err(ds) => report.diagnostics.extend(ds),
        }
    }
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
            // Packet specs are built by `handouts packet`, not as worksheets.
            if name != "packets" {
                walk(&p, out, depth + 1);
            }
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && name != config::FILE_NAME {
            out.push(p);
        }
    }
}
