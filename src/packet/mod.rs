//! Packets: reading a packet spec and its worksheets once, then building
//! it for any number of value sets.
//!
//! Each build runs the pipeline: [`model::packet::packet`] validates the
//! packet for one set of values (worksheets that take none are validated
//! once and shared), then [`layout::packet::layout`] lays it out (their
//! pages are laid out once and shared too).

use crate::diag::Diagnostic;
use crate::layout::display::Document;
use crate::layout::packet::{self as laid, Kept, Outcome};
use crate::model::packet::{self as validated, Input, Part, Validated};
use crate::model::{self, Edition, Setup, Vars};
use crate::spec::config::{Config, Paper};
use crate::spec::packet::{self as raw, PacketSpec};
use crate::spec::{self, Stage};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A packet spec with its worksheets read and parsed, ready to be built
/// for any number of value sets.
pub struct Packet {
    pub path: PathBuf,
    src: String,
    pub spec: PacketSpec,
    pub cfg: Config,
    parts: Vec<Part>,
    /// Worksheets that take no values, validated once.
    validated: Validated,
    /// Their pages, laid out once.
    kept: Kept,
}

/// How to build one packet.
#[derive(Debug, Clone, Copy)]
pub struct Build<'a> {
    pub paper: Paper,
    pub edition: Edition,
    pub duplex: bool,
    /// Placeholder values; `None` builds a blank packet to fill in by hand.
    pub vars: Option<&'a Vars>,
    /// Answer spaces become form fields.
    pub fillable: bool,
}

/// Most bytes of worksheet specs one packet reads (a worksheet named
/// twice counts twice): a bound on memory for hostile packets.
const MAX_SOURCE_BYTES: usize = 16 << 20;

/// File names of roster packets when the packet sets no `output:`.
pub const DEFAULT_PATTERN: &str = "{{session_date}}-{{partner_a}}-{{partner_b}}";

const STAGE_ORDER: [Stage; 4] = [Stage::Overview, Stage::Atone, Stage::Attune, Stage::Attach];

impl Packet {
    /// Reads the packet spec and every worksheet it names. Also returns
    /// warnings (worksheets out of stage order).
    pub fn load(path: &Path, cfg: Config) -> Result<(Packet, Vec<Diagnostic>), Vec<Diagnostic>> {
        let src = spec::read_source(path).map_err(|d| vec![d])?;
        Packet::from_source(path, src, cfg)
    }

    /// This packet for a roster row in `language`: its translation if it
    /// names one for the language (`es` for `es-MX` too), else itself with
    /// the tool's words in that language. An error if neither has words
    /// for it, so a couple never gets a packet in a language they did not
    /// ask for.
    pub fn in_language(&self, language: &str) -> Result<Packet, Vec<Diagnostic>> {
        // A roster's cells are never repeated in messages: it says which
        // column, the caller which row.
        crate::locale::check_language(language).map_err(|_| {
            vec![Diagnostic::error(
                &self.path,
                "the `language` column does not hold a language tag",
            )
            .hint("write a BCP 47 tag such as `en`, `es` or `es-MX`, or leave it empty")]
        })?;
        let primary = crate::locale::primary(language);
        let translation = self
            .spec
            .translations
            .iter()
            .find(|(k, _)| k.as_str() == language)
            .or_else(|| {
                self.spec
                    .translations
                    .iter()
                    .find(|(k, _)| crate::locale::primary(k) == primary)
            });
        let known = primary == crate::locale::primary(&self.cfg.language)
            || crate::locale::Words::built_in(language).is_some();
        let (path, src) = match translation {
            Some((_, rel)) => {
                let path = self.path.parent().unwrap_or(Path::new(".")).join(rel);
                let src = spec::read_source(&path).map_err(|d| vec![d])?;
                (path, src)
            }
            None if known => (self.path.clone(), self.src.clone()),
            None => {
                return Err(vec![Diagnostic::error(
                    &self.path,
                    "the packet has no translation for the row's language, and there are no words for it",
                )
                .hint("add it under `translations:` in the packet, or a locale file to the config")])
            }
        };
        let mut cfg = self.cfg.in_language(language);
        cfg.large_print = self.cfg.large_print;
        Packet::from_source(&path, src, cfg).map(|(p, _)| p)
    }

    /// [`Packet::load`] on text already read; worksheets are found
    /// relative to `path`.
    pub fn from_source(
        path: &Path,
        src: String,
        cfg: Config,
    ) -> Result<(Packet, Vec<Diagnostic>), Vec<Diagnostic>> {
        let spec = raw::parse(path, &src).map_err(|d| vec![d])?;
        let cfg = match spec.language.as_deref().map(str::trim) {
            Some(lang) => {
                crate::locale::check_language(lang).map_err(|e| {
                    vec![Diagnostic::error(path, e)
                        .hint("a BCP 47 language tag, such as `en`, `es` or `es-MX`")
                        .at_pos(spec.spans.value("language"))]
                })?;
                cfg.in_language(lang)
            }
            None => cfg,
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut errs = Vec::new();
        // Translations are read when a roster row asks for one; a wrong
        // path or tag is this file's mistake, reported now.
        for (lang, rel) in &spec.translations {
            let at = spec.spans.value(&format!("translations.{lang}"));
            if let Err(e) = crate::locale::check_language(lang) {
                errs.push(
                    Diagnostic::error(path, e)
                        .at_pos(spec.spans.key(&format!("translations.{lang}"))),
                );
            } else if !spec::is_yaml(&dir.join(rel)) || !dir.join(rel).is_file() {
                errs.push(
                    Diagnostic::error(
                        path,
                        format!("the `{lang}` translation, `{rel}`, is not a packet file"),
                    )
                    .hint("give the path of a packet spec, relative to this packet")
                    .at_pos(at),
                );
            }
        }
        let mut warnings = Vec::new();
        let mut entries = Vec::new();
        let mut latest: Option<(Stage, String)> = None;
        let mut read = 0;
        // The first part read from each file: a worksheet named twice is
        // validated and laid out once.
        let mut first: HashMap<PathBuf, usize> = HashMap::new();
        for (si, section) in spec.sections.iter().enumerate() {
            for (wi, r) in section.worksheets.iter().enumerate() {
                let wpath = dir.join(&r.worksheet);
                let at = spec.spans.value(&format!("sections.{si}.worksheets.{wi}"));
                let at = spec
                    .spans
                    .value(&format!("sections.{si}.worksheets.{wi}.worksheet"))
                    .or(at);
                let located = |d: Diagnostic| d.at_pos(at);
                if !spec::is_yaml(&wpath) {
                    errs.push(located(
                        Diagnostic::error(
                            path,
                            format!("`{}` is not a worksheet spec (a .yaml file)", r.worksheet),
                        )
                        .hint("list worksheet specs, relative to the packet file"),
                    ));
                    continue;
                }
                let too_much = || {
                    Diagnostic::error(
                        path,
                        format!(
                            "the packet's worksheets come to more than {} MiB of text",
                            MAX_SOURCE_BYTES >> 20
                        ),
                    )
                    .hint("split it into several packets")
                };
                // A file named again is read and parsed once; its text
                // still counts again towards the packet's limit.
                let (wsrc, wspec) = if let Some(&j) = first.get(&wpath) {
                    let p: &Part = &entries[j];
                    if read + p.src.len() > MAX_SOURCE_BYTES {
                        errs.push(located(too_much()));
                        return Err(errs);
                    }
                    read += p.src.len();
                    (p.src.clone(), p.spec.clone())
                } else {
                    let wsrc = match spec::read_source(&wpath) {
                        Ok(s) if read + s.len() > MAX_SOURCE_BYTES => {
                            errs.push(located(too_much()));
                            return Err(errs);
                        }
                        Ok(s) => {
                            read += s.len();
                            s
                        }
                        Err(d) => {
                            errs.push(located(Diagnostic::error(
                                path,
                                format!("cannot use worksheet `{}`: {}", r.worksheet, d.message),
                            )));
                            continue;
                        }
                    };
                    // Something else entirely (a roster, a config) is refused
                    // without quoting a line of it.
                    if !spec::looks_like_worksheet(&wsrc) {
                        errs.push(located(
                            Diagnostic::error(
                                path,
                                format!("`{}` is not a worksheet spec", r.worksheet),
                            )
                            .hint("a worksheet has `title:` and `blocks:` at the left edge"),
                        ));
                        continue;
                    }
                    let wspec = match spec::parse_worksheet(&wpath, &wsrc) {
                        Ok(s) => s,
                        Err(d) => {
                            errs.push(d);
                            continue;
                        }
                    };
                    (Arc::from(wsrc), Arc::new(wspec))
                };
                if let Some(stage) = wspec.stage {
                    let rank = |s: Stage| STAGE_ORDER.iter().position(|x| *x == s);
                    if let Some((before, name)) = &latest {
                        if rank(stage) < rank(*before) {
                            warnings.push(located(Diagnostic::warning(
                                path,
                                format!(
                                    "`{}` ({}) comes after `{name}` ({}); the stages build on each other: Atone, then Attune, then Attach",
                                    r.worksheet,
                                    stage.label(),
                                    before.label()
                                ),
                            )));
                        }
                    }
                    if latest.as_ref().is_none_or(|(b, _)| rank(stage) >= rank(*b)) {
                        latest = Some((stage, r.worksheet.clone()));
                    }
                }
                let source = *first.entry(wpath.clone()).or_insert(entries.len());
                entries.push(Part {
                    section: si,
                    source,
                    fixed: model::placeholders(&wsrc).is_empty(),
                    path: wpath,
                    src: wsrc,
                    facilitator_only: r.only.is_some() || wspec.only.is_some(),
                    spec: wspec,
                    per_partner: r.per_partner,
                });
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok((
            Packet {
                path: path.to_owned(),
                src,
                spec,
                cfg,
                parts: entries,
                validated: Validated::default(),
                kept: Kept::default(),
            },
            warnings,
        ))
    }

    /// The file-name pattern for roster batches; a large-print edition's
    /// names say so.
    pub fn output_pattern(&self) -> std::borrow::Cow<'_, str> {
        let pattern = self.spec.output.as_deref().unwrap_or(DEFAULT_PATTERN);
        if self.cfg.large_print {
            format!("{pattern}{}", self.cfg.words.large_print_suffix).into()
        } else {
            pattern.into()
        }
    }

    /// Every placeholder the packet's texts use (its own and its
    /// worksheets'), for checking a roster's rows before building.
    pub fn placeholders(&self) -> Vec<String> {
        let own = self.spec.printed_texts();
        let mut names: Vec<String> = self
            .parts
            .iter()
            .map(|e| &*e.src)
            .chain(own.map(String::as_str))
            .flat_map(model::placeholders)
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Builds the whole packet for one set of values: the document and
    /// layout's warnings.
    pub fn assemble(&self, b: &Build) -> Result<(Document, Vec<String>), Vec<Diagnostic>> {
        let input = Input {
            path: &self.path,
            src: &self.src,
            spec: &self.spec,
            parts: &self.parts,
            cfg: &self.cfg,
            edition: b.edition,
            vars: b.vars,
            duplex: b.duplex,
        };
        let packet = validated::packet(&input, &self.validated)?;
        let setup = Setup::new(&self.cfg, b.paper);
        match laid::layout(&packet, &setup, b.fillable, &self.kept) {
            Outcome::Laid { doc, warnings } => Ok((*doc, warnings)),
            Outcome::TooLong(pages) => Err(vec![Diagnostic::error(
                &self.path,
                format!(
                    "the packet's worksheets come to {pages} pages; the most is {}",
                    laid::MAX_PAGES
                ),
            )
            .hint("split it into several packets")]),
        }
    }
}

/// Loads `path` as a packet with the config that governs it.
pub fn load_with_config(path: &Path) -> Result<(Packet, Vec<Diagnostic>), Vec<Diagnostic>> {
    let cfg = match crate::spec::config::find(path) {
        Some(c) => crate::spec::config::load(&c).map_err(|d| vec![d])?,
        None => Config::default(),
    };
    Packet::load(path, cfg)
}
