//! One worksheet through the pipeline: parse, validate, lay out.

use crate::diag::Diagnostic;
use crate::layout::display::Document;
use crate::spec::config::{Config, Paper};
use crate::{layout, model, readability, spec};
use std::path::Path;

/// A worksheet laid out, with any warnings found on the way.
pub struct Compiled {
    pub doc: Document,
    pub warnings: Vec<Diagnostic>,
    /// The worksheet as validated, for what only some commands ask of it
    /// (`check`'s reading level), so a build does not pay for it.
    pub worksheet: model::Worksheet,
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
    let ws = opts.vars.and_then(|v| ws.named(v)).unwrap_or(ws);
    let slug = path.file_stem().map_or_else(
        || "worksheet".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    // A worksheet alone is a document in its own language: the config in
    // that language (as a packet's is), so its furniture follows it.
    let own;
    let cfg = if ws.language == cfg.language {
        cfg
    } else {
        own = cfg.in_language(&ws.language);
        &own
    };
    let setup = model::Setup::new(cfg, paper);
    let laid = layout::layout(&ws, &setup, opts.fillable.then_some(slug));
    Ok(Compiled {
        placeholders: model::placeholders(src),
        doc: laid.doc,
        warnings: laid
            .warnings
            .into_iter()
            .map(|w| Diagnostic::warning(path, w))
            .collect(),
        worksheet: ws,
    })
}

impl Compiled {
    /// The reading level of the worksheet's prose, on its language's scale.
    pub fn reading(&self) -> Option<readability::Reading> {
        readability::Reading::of(&self.worksheet)
    }
}
