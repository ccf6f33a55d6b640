//! `handouts` lays out YAML worksheet specs into print-ready PDF handouts.
//!
//! # Steps
//! 1. **Parse** (`spec`): YAML text → strict serde structs; syntax and type
//!    errors are located by line and column.
//! 2. **Validate** (`model`): spec → document model; inline markup parsed,
//!    semantic problems collected.
//! 3. **Lay out** (`layout`): model → display list of positioned text runs,
//!    lines, boxes and circles, page by page.
//! 4. **Render** (`render::pdf`): display list → PDF bytes.
//! 5. **Write** (`output`): atomically, inside the output folder only.
//!
//! Each step returns plain data and never reaches back; [`compile`] runs
//! steps 1–3, and `commands` drives whole runs for the command line.

pub mod batch;
pub mod commands;
pub mod diag;
pub mod fonts;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod layout;
pub mod model;
pub mod output;
pub mod packet;
pub mod placeholder;
pub mod readability;
pub mod render;
pub mod roster;
pub mod spec;

use diag::Diagnostic;
use layout::display::Document;
use spec::config::{Config, Paper};
use std::path::Path;

/// A worksheet laid out, with any warnings found on the way.
pub struct Compiled {
    pub doc: Document,
    pub warnings: Vec<Diagnostic>,
    /// Flesch–Kincaid grade of the worksheet's prose.
    pub grade: f32,
    /// The placeholders the spec uses.
    pub placeholders: Vec<String>,
}

/// Parses, validates and lays out the worksheet spec at `path` (client
/// edition, no placeholder values).
pub fn compile(path: &Path, cfg: &Config, paper: Paper) -> Result<Compiled, Vec<Diagnostic>> {
    compile_with(path, cfg, paper, &model::Options::default())
}

/// [`compile`] for an edition and placeholder values.
pub fn compile_with(
    path: &Path,
    cfg: &Config,
    paper: Paper,
    opts: &model::Options,
) -> Result<Compiled, Vec<Diagnostic>> {
    let src = spec::read_source(path).map_err(|d| vec![d])?;
    compile_str_with(path, &src, cfg, paper, opts)
}

/// [`compile`] on text already read; `path` names it in diagnostics.
pub fn compile_str(
    path: &Path,
    src: &str,
    cfg: &Config,
    paper: Paper,
) -> Result<Compiled, Vec<Diagnostic>> {
    compile_str_with(path, src, cfg, paper, &model::Options::default())
}

/// [`compile_with`] on text already read.
pub fn compile_str_with(
    path: &Path,
    src: &str,
    cfg: &Config,
    paper: Paper,
    opts: &model::Options,
) -> Result<Compiled, Vec<Diagnostic>> {
    let (parsed, mut errs) = spec::parse_worksheet_all(path, src);
    let ws = match (parsed, errs.is_empty()) {
        (Some(p), true) => model::validate(&p, cfg, path, src, opts)?,
        (Some(p), false) => {
            // Semantic problems in the blocks that did parse, in the same pass.
            if let Err(more) = model::validate(&p, cfg, path, src, opts) {
                errs.extend(more);
            }
            errs.sort_by_key(|d| d.line_col);
            return Err(errs);
        }
        (None, _) => return Err(errs),
    };
    let slug = path.file_stem().map_or_else(
        || "worksheet".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let setup = model::Setup::new(cfg, paper);
    let laid = layout::layout(&ws, &setup, opts.fillable.then_some(slug));
    Ok(Compiled {
        placeholders: model::placeholders(src),
        grade: readability::counts(&ws).grade(),
        doc: laid.doc,
        warnings: laid
            .warnings
            .into_iter()
            .map(|w| Diagnostic::warning(path, w))
            .collect(),
    })
}
