//! Packets: cover + contents + worksheets, numbered as one document.
//!
//! Steps: load every worksheet spec once ([`Packet::load`]) → for each set
//! of placeholder values, validate and lay out each worksheet with one
//! [`Layouter`] (a worksheet with no placeholders only for the first set:
//! its pages are kept and reused) → count the contents pages → place
//! dividers and duplex notes pages → lay out the contents with the real page numbers and links →
//! number every page and add the outline ([`Packet::assemble`]).

mod pages;

use crate::diag::Diagnostic;
use crate::layout::display::{Document, OutlineEntry};
use crate::layout::text::Missing;
use crate::layout::{BodyPage, Header, Layouter};
use crate::model::{self, Edition, Options, Vars};
use crate::spec::config::{Config, Paper};
use crate::spec::packet::{self as raw, PacketSpec};
use crate::spec::{self, Stage, WorksheetSpec};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A packet spec with its worksheets read and parsed, ready to be laid out
/// for any number of value sets.
pub struct Packet {
    pub path: PathBuf,
    src: String,
    pub spec: PacketSpec,
    pub cfg: Config,
    entries: Vec<Loaded>,
    /// Laid-out worksheets that use no placeholders: the same for every
    /// row of a roster, so laid out once (a quarter of a batch's time).
    fixed: Mutex<HashMap<FixedKey, Arc<Fixed>>>,
}

/// Adds `more` to `missing`; the text a character was first seen in stays.
fn merge_missing(missing: &mut Missing, more: &Missing) {
    for (c, text) in more {
        missing.entry(*c).or_insert_with(|| text.clone());
    }
}

/// Worksheet file, paper, edition, fillable: what a fixed worksheet's
/// layout depends on. A worksheet used twice in a packet is laid out once.
type FixedKey = (PathBuf, Paper, Edition, bool);

struct Fixed {
    title: String,
    public_title: String,
    pages: Vec<BodyPage>,
    /// Characters no face has, with the text they are in (for warnings).
    missing: Missing,
}

struct Loaded {
    section: usize,
    path: PathBuf,
    src: String,
    spec: WorksheetSpec,
    per_partner: bool,
    facilitator_only: bool,
    /// Uses no `{{placeholders}}`.
    fixed: bool,
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

/// One worksheet copy as placed in the packet.
struct Placed {
    section: usize,
    /// For the contents page.
    title: String,
    /// For the bookmarks: no values, only role words (see `model::public_text`).
    public_title: String,
    pages: Vec<BodyPage>,
}

/// Most bytes of worksheet specs one packet reads (a worksheet named
/// twice counts twice): a bound on memory for hostile packets.
const MAX_SOURCE_BYTES: usize = 16 << 20;

/// Most pages of worksheets in one packet: a bound on memory and time for
/// packets written to be hostile (each worksheet has bounds of its own).
const MAX_PAGES: usize = 5_000;

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

    /// [`Packet::load`] on text already read; worksheets are found
    /// relative to `path`.
    pub fn from_source(
        path: &Path,
        src: String,
        cfg: Config,
    ) -> Result<(Packet, Vec<Diagnostic>), Vec<Diagnostic>> {
        let spec = raw::parse(path, &src).map_err(|d| vec![d])?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut errs = Vec::new();
        let mut warnings = Vec::new();
        let mut entries = Vec::new();
        let mut latest: Option<(Stage, String)> = None;
        let mut read = 0;
        for (si, section) in spec.sections.iter().enumerate() {
            for r in &section.worksheets {
                let wpath = dir.join(&r.worksheet);
                let located = |d: Diagnostic| match spec::find_line(&src, &r.worksheet) {
                    Some((l, c)) => d.at(l, c),
                    None => d,
                };
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
                let wsrc = match spec::read_source(&wpath) {
                    Ok(s) if read + s.len() > MAX_SOURCE_BYTES => {
                        errs.push(located(
                            Diagnostic::error(
                                path,
                                format!(
                                    "the packet's worksheets come to more than {} MiB of text",
                                    MAX_SOURCE_BYTES >> 20
                                ),
                            )
                            .hint("split it into several packets"),
                        ));
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
                entries.push(Loaded {
                    section: si,
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
                entries,
                fixed: Mutex::default(),
            },
            warnings,
        ))
    }

    /// The laid-out pages of a fixed worksheet, if an earlier row made them.
    fn fixed_layout(&self, key: &FixedKey) -> Option<Arc<Fixed>> {
        let map = self.fixed.lock().expect("no panics while holding the lock");
        map.get(key).cloned()
    }

    /// Whether a build fills in values (names, dates): its file is then
    /// its owner's only.
    pub fn personal(&self, b: &Build) -> bool {
        !self.spec.defaults.is_empty() || b.vars.is_some_and(|v| !v.is_empty())
    }

    /// The file-name pattern for roster batches.
    pub fn output_pattern(&self) -> &str {
        self.spec.output.as_deref().unwrap_or(DEFAULT_PATTERN)
    }

    /// Every placeholder the packet's texts use (its own and its
    /// worksheets'), for checking a roster's rows before building.
    pub fn placeholders(&self) -> Vec<String> {
        let own = self.spec.printed_texts();
        let mut names: Vec<String> = self
            .entries
            .iter()
            .map(|e| e.src.as_str())
            .chain(own.map(String::as_str))
            .flat_map(model::placeholders)
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Lays out the whole packet for one set of values.
    pub fn assemble(&self, b: &Build) -> Result<(Document, Vec<String>), Vec<Diagnostic>> {
        let cfg = &self.cfg;
        let mut vars = self.spec.defaults.clone();
        if let Some(v) = b.vars {
            vars.extend(v.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let mut l = Layouter::new(&model::Setup::new(cfg, b.paper));
        let mut placed = Vec::new();
        let mut errs = Vec::new();
        for e in &self.entries {
            if e.facilitator_only && b.edition == Edition::Client {
                continue;
            }
            // Stop laying out as soon as the packet is too long.
            if placed.iter().map(|p: &Placed| p.pages.len()).sum::<usize>() > MAX_PAGES {
                break;
            }
            let key = (e.path.clone(), b.paper, b.edition, b.fillable);
            let cached = e.fixed && !e.per_partner;
            if let Some(f) = cached.then(|| self.fixed_layout(&key)).flatten() {
                merge_missing(&mut l.ctx.missing, &f.missing);
                placed.push(Placed {
                    section: e.section,
                    title: f.title.clone(),
                    public_title: f.public_title.clone(),
                    pages: f.pages.clone(),
                });
                continue;
            }
            let roles = [
                ("partner_a", &cfg.roles.partner_a),
                ("partner_b", &cfg.roles.partner_b),
            ];
            let copies: Vec<Option<(&str, &String)>> = if e.per_partner {
                roles.iter().map(|r| Some((r.0, r.1))).collect()
            } else {
                vec![None]
            };
            for copy in copies {
                let mut v = vars.clone();
                if let Some((key, role)) = copy {
                    let name = vars.get(key).cloned().unwrap_or_else(|| role.clone());
                    v.insert("partner".into(), name);
                    v.insert("partner_role".into(), role.clone());
                }
                let opts = Options {
                    edition: b.edition,
                    vars: Some(&v),
                    fillable: b.fillable,
                };
                match model::validate(&e.spec, cfg, &e.path, &e.src, &opts) {
                    Ok(mut ws) => {
                        let mut title = ws.title.plain();
                        let mut public_title = ws.public_title.clone();
                        if let Some((key, role)) = copy {
                            // Names go on the page, never into the outline.
                            let name = &v["partner"];
                            ws.subtitle = Some(model::Text::literal(
                                &if vars.contains_key(key) {
                                    format!("Copy for {name} ({role})")
                                } else {
                                    format!("Copy for {role}")
                                },
                                false,
                            ));
                            title = format!("{title} — {role}");
                            public_title = format!("{public_title} — {role}");
                        }
                        let stem = e
                            .path
                            .file_stem()
                            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                        let slug = match copy {
                            Some((key, _)) => format!("{stem}.{}", key.replace('_', "-")),
                            None => stem,
                        };
                        l.fields(b.fillable.then_some(slug));
                        // A worksheet kept for later rows keeps its own
                        // missing characters too, to warn about them again.
                        // Only a worksheet in which no value was filled is
                        // kept: the raw-text test for `{{` is a first guess,
                        // and a YAML escape (`\x7B{name}}`) can hide one.
                        let keep = cached && !ws.personal;
                        let before = keep.then(|| std::mem::take(&mut l.ctx.missing));
                        let pages = l.worksheet(&ws, &Header::of(&ws));
                        l.fields(None);
                        if let Some(before) = before {
                            let missing = std::mem::replace(&mut l.ctx.missing, before);
                            merge_missing(&mut l.ctx.missing, &missing);
                            let f = Fixed {
                                title: title.clone(),
                                public_title: public_title.clone(),
                                pages: pages.clone(),
                                missing,
                            };
                            self.fixed
                                .lock()
                                .expect("no panics while holding the lock")
                                .insert(key.clone(), Arc::new(f));
                        }
                        placed.push(Placed {
                            section: e.section,
                            title,
                            public_title,
                            pages,
                        });
                    }
                    Err(ds) => errs.extend(ds),
                }
            }
        }
        if b.vars.is_some() {
            // With values given, the packet's own placeholders must all be filled.
            for line in self.spec.printed_texts() {
                let (filled, missing) = model::substitute(line, &vars, None);
                if filled.chars().count() > model::MAX_TEXT {
                    let mut d = Diagnostic::error(
                        &self.path,
                        format!(
                            "with its placeholders filled, this text is longer than {} characters",
                            model::MAX_TEXT
                        ),
                    )
                    .hint("give a shorter value");
                    if let Some((l, c)) = spec::find_line(&self.src, line) {
                        d = d.at(l, c);
                    }
                    errs.push(d);
                }
                for name in missing {
                    let mut d = Diagnostic::error(
                        &self.path,
                        format!("undefined placeholder `{{{{{name}}}}}` in the packet"),
                    )
                    .hint(format!(
                        "give it a value: `--set {name}=…`, a packet default, or a roster column"
                    ));
                    if let Some((l, c)) = spec::find_line(&self.src, &format!("{{{{{name}")) {
                        d = d.at(l, c);
                    }
                    errs.push(d);
                }
            }
        }
        let pages: usize = placed.iter().map(|p| p.pages.len()).sum();
        if pages > MAX_PAGES {
            errs.push(
                Diagnostic::error(
                    &self.path,
                    format!(
                        "the packet's worksheets come to {pages} pages; the most is {MAX_PAGES}"
                    ),
                )
                .hint("split it into several packets"),
            );
        }
        if !errs.is_empty() {
            errs.dedup();
            return Err(errs);
        }
        let doc = self.bind(&mut l, b, &vars, placed);
        Ok((doc, l.warnings(self.personal(b))))
    }

    /// Cover, contents, dividers and notes around the placed worksheets.
    fn bind(&self, l: &mut Layouter, b: &Build, vars: &Vars, placed: Vec<Placed>) -> Document {
        let spec = &self.spec;
        let cover = pages::cover(l, spec, vars, &self.cfg.practice, b.edition);
        // Section titles as printed (values filled; role words where a
        // blank packet has none) and as bookmarked (never a value).
        let public = model::public_vars(&self.cfg, vars);
        let printed: Vec<String> = spec
            .sections
            .iter()
            .map(|s| match model::substitute(&s.title, vars, None) {
                (t, missing) if missing.is_empty() => t,
                _ => model::substitute(&s.title, &public, Some("")).0,
            })
            .collect();
        let sections: Vec<&str> = printed.iter().map(String::as_str).collect();
        let bookmarks: Vec<String> = spec
            .sections
            .iter()
            .map(|s| model::public_text(&s.title, &public))
            .collect();
        let entries: Vec<pages::ContentsEntry> =
            contents_entries(&sections, &placed, spec.dividers);
        // The contents' length does not depend on the numbers in it.
        let contents_len = pages::contents(l, &spec.title, &entries, &vec![0; entries.len()]).len();

        let duplex = b.duplex || spec.duplex;
        let mut body: Vec<BodyPage> = Vec::new();
        let mut starts = Vec::new(); // first page of each contents entry
                                     // A cover with long values can run to a second page: count it.
        let mut outline = vec![OutlineEntry {
            title: "Contents".into(),
            page: cover.len(),
            children: Vec::new(),
        }];
        let first_body = cover.len() + contents_len;
        let mut section_seen = None;
        let notes = |l: &mut Layouter| pages::notes(l);
        for p in placed {
            let at = |body: &Vec<BodyPage>| first_body + body.len();
            if section_seen != Some(p.section) {
                section_seen = Some(p.section);
                if spec.dividers {
                    if duplex && at(&body) % 2 == 1 {
                        body.extend(notes(l));
                    }
                    starts.push(at(&body));
                    outline.push(OutlineEntry {
                        title: bookmarks[p.section].clone(),
                        page: at(&body),
                        children: Vec::new(),
                    });
                    body.extend(pages::divider(l, sections[p.section], &spec.title));
                } else {
                    outline.push(OutlineEntry {
                        title: bookmarks[p.section].clone(),
                        page: usize::MAX,
                        children: Vec::new(),
                    });
                }
            }
            if duplex && at(&body) % 2 == 1 {
                body.extend(notes(l));
            }
            let start = at(&body);
            starts.push(start);
            let section = outline.last_mut().expect("a section entry");
            if section.page == usize::MAX {
                section.page = start;
            }
            section.children.push(OutlineEntry {
                title: p.public_title,
                page: start,
                children: Vec::new(),
            });
            body.extend(p.pages);
        }

        let mut all = cover;
        all.extend(pages::contents(l, &spec.title, &entries, &starts));
        debug_assert_eq!(all.len(), first_body);
        all.extend(body);
        let pages = l.finish(all);
        Document {
            title: spec.title.clone(),
            subject: "Session packet".into(),
            author: self.cfg.practice.clone(),
            language: self.cfg.language.clone(),
            pages,
            outline,
            personal: self.personal(b),
        }
    }
}

/// Contents lines in order: sections (when they have divider pages, they
/// get a page number too) and worksheets.
fn contents_entries(
    sections: &[&str],
    placed: &[Placed],
    dividers: bool,
) -> Vec<pages::ContentsEntry> {
    let mut out = Vec::new();
    let mut last = None;
    for p in placed {
        if last != Some(p.section) {
            last = Some(p.section);
            out.push(pages::ContentsEntry {
                title: sections[p.section].to_owned(),
                section: true,
                numbered: dividers,
            });
        }
        out.push(pages::ContentsEntry {
            title: p.title.clone(),
            section: false,
            numbered: true,
        });
    }
    out
}

/// Loads `path` as a packet with the config that governs it.
pub fn load_with_config(path: &Path) -> Result<(Packet, Vec<Diagnostic>), Vec<Diagnostic>> {
    let cfg = match crate::spec::config::find(path) {
        Some(c) => crate::spec::config::load(&c).map_err(|d| vec![d])?,
        None => Config::default(),
    };
    Packet::load(path, cfg)
}
