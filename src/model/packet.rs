//! Packet validation: a packet spec and its worksheets, with one set of
//! placeholder values, become a [`Packet`]: the cover, the sections and
//! every worksheet copy as printed (per-partner copies made here), each
//! with the public wording its bookmark uses. Layout numbers and binds it.

use super::text::{fill, inline, public_text, Inline, Span, Text};
use super::validate::{public_vars, validate, MAX_TEXT};
use super::worksheet::{Edition, Options, Worksheet};
use crate::diag::Diagnostic;
use crate::locale::Words;
use crate::placeholder::{substitute, Vars};
use crate::spec::config::Config;
use crate::spec::packet::PacketSpec;
use crate::spec::WorksheetSpec;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a blank to write a name on looks like on an unfilled cover.
const WRITE_IN: &str = "__________________";

/// A packet as printed for one set of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Packet {
    /// The PDF's title: the spec refuses placeholders in it.
    pub title: String,
    /// Some value was filled in: the file is its owner's only.
    pub personal: bool,
    pub cover: Cover,
    pub sections: Vec<Section>,
    /// A divider page before each section.
    pub dividers: bool,
    /// Every worksheet starts on a right-hand page.
    pub duplex: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    pub title: Text,
    pub subtitle: Option<Text>,
    /// The couple's lines: names, date, therapist (blanks when unfilled).
    pub lines: Vec<Text>,
    /// A note that this is the facilitator's edition.
    pub edition: Option<Text>,
    pub practice: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: Text,
    /// For the outline: role words, never a value.
    pub bookmark: String,
    pub copies: Vec<Copy>,
}

/// One worksheet copy as placed in the packet.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    pub worksheet: Arc<Worksheet>,
    /// Its contents line: the title, and the partner's role for a
    /// per-partner copy.
    pub title: Text,
    /// Its bookmark (public text).
    pub bookmark: String,
    /// The prefix of its form fields' names (the file stem, and the
    /// partner's key for a per-partner copy).
    pub slug: String,
    /// The same for every set of values: layout may keep its pages for the
    /// next build under this key.
    pub reuse: Option<(usize, Edition)>,
}

/// A worksheet the packet names, read and parsed.
pub struct Part {
    pub section: usize,
    /// The first part read from the same file (its own index if none):
    /// parts that share it share their validation and layout.
    pub source: usize,
    pub path: PathBuf,
    /// Shared by every part read from the same file.
    pub src: Arc<str>,
    pub spec: Arc<WorksheetSpec>,
    pub per_partner: bool,
    pub facilitator_only: bool,
    /// Its text uses no `{{placeholders}}`, so it is validated once; the
    /// partners' names are put into its `partners` heads afterwards
    /// (`Worksheet::named`).
    pub fixed: bool,
}

/// Worksheets validated once and used for every build: those that take
/// no values, by source file ([`Part::source`]) and edition.
#[derive(Default)]
pub struct Validated(Mutex<HashMap<(usize, Edition), Arc<Worksheet>>>);

impl Validated {
    fn get(&self, key: (usize, Edition)) -> Option<Arc<Worksheet>> {
        let map = self.0.lock().expect("no panics while holding the lock");
        map.get(&key).cloned()
    }

    fn keep(&self, key: (usize, Edition), ws: Arc<Worksheet>) {
        let mut map = self.0.lock().expect("no panics while holding the lock");
        map.insert(key, ws);
    }
}

/// Everything one validation of a packet reads.
pub struct Input<'a> {
    pub path: &'a Path,
    pub src: &'a str,
    pub spec: &'a PacketSpec,
    pub parts: &'a [Part],
    pub cfg: &'a Config,
    pub edition: Edition,
    /// `None` builds a blank packet to fill in by hand.
    pub vars: Option<&'a Vars>,
    /// Start every worksheet on a right-hand page, whatever the spec says.
    pub duplex: bool,
}

/// Validates a packet for one set of values: every worksheet copy, the
/// cover and the section titles, placeholders filled.
pub fn packet(input: &Input, done: &Validated) -> Result<Packet, Vec<Diagnostic>> {
    let Input { spec, cfg, .. } = *input;
    let mut vars = spec.defaults.clone();
    if let Some(v) = input.vars {
        vars.extend(v.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let personal = !spec.defaults.is_empty() || input.vars.is_some_and(|v| !v.is_empty());
    let public = public_vars(cfg, &vars);
    let mut errs = Vec::new();
    let mut texts = Texts {
        input,
        vars: &vars,
        errs: &mut errs,
    };
    let cover = Cover {
        title: texts.cover("cover.title", &spec.cover.title),
        subtitle: spec
            .cover
            .subtitle
            .as_deref()
            .map(|s| texts.cover("cover.subtitle", s)),
        lines: (spec.cover.lines.iter().enumerate())
            .map(|(i, l)| texts.cover(&format!("cover.lines.{i}"), l))
            .collect(),
        edition: (input.edition == Edition::Facilitator)
            .then(|| Text::literal(&cfg.words.facilitator_edition, true)),
        practice: (!cfg.practice.is_empty()).then(|| Text::literal(&cfg.practice, false)),
    };
    let mut sections: Vec<Section> = (spec.sections.iter().enumerate())
        .map(|(i, s)| Section {
            title: texts.section(&format!("sections.{i}.title"), &s.title, &public),
            bookmark: public_text(&s.title, &public),
            copies: Vec::new(),
        })
        .collect();
    for part in input.parts {
        if part.facilitator_only && input.edition == Edition::Client {
            continue;
        }
        match copies(input, part, &vars, done) {
            Ok(c) => sections[part.section].copies.extend(c),
            Err(ds) => errs.extend(ds),
        }
    }
    if !errs.is_empty() {
        errs.dedup();
        return Err(errs);
    }
    sections.retain(|s| !s.copies.is_empty());
    Ok(Packet {
        // Markup is for the page: the PDF title and running headers get
        // the words (placeholders are refused in it when parsing).
        title: inline(&spec.title).plain(),
        personal,
        cover,
        sections,
        dividers: spec.dividers,
        duplex: spec.duplex || input.duplex,
    })
}

/// The copies of one worksheet: one, or one for each partner.
fn copies(
    input: &Input,
    part: &Part,
    vars: &Vars,
    done: &Validated,
) -> Result<Vec<Copy>, Vec<Diagnostic>> {
    let cfg = input.cfg;
    let stem = part
        .path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let key = (part.source, input.edition);
    let reusable = part.fixed && !part.per_partner;
    if let Some(ws) = reusable.then(|| done.get(key)).flatten() {
        // Named partners' columns make it this couple's own copy.
        let named = ws.named(vars).map(Arc::new);
        return Ok(vec![Copy {
            title: ws.title.clone(),
            bookmark: ws.public_title.clone(),
            reuse: named.is_none().then_some(key),
            worksheet: named.unwrap_or(ws),
            slug: stem,
        }]);
    }
    let roles = [
        ("partner_a", &cfg.roles.partner_a),
        ("partner_b", &cfg.roles.partner_b),
    ];
    let each: Vec<Option<(&str, &String)>> = if part.per_partner {
        roles.iter().map(|r| Some((r.0, r.1))).collect()
    } else {
        vec![None]
    };
    let mut out = Vec::new();
    // Each copy is checked, so both partners' problems are reported.
    let mut errs = Vec::new();
    for copy in each {
        let mut v = vars.clone();
        if let Some((key, role)) = copy {
            let name = vars.get(key).cloned().unwrap_or_else(|| role.clone());
            v.insert("partner".into(), name);
            v.insert("partner_role".into(), role.clone());
        }
        let opts = Options {
            edition: input.edition,
            vars: Some(&v),
            fillable: false,
        };
        let mut ws = match validate(&part.spec, cfg, &part.path, &part.src, &opts) {
            Ok(ws) => ws,
            Err(ds) => {
                errs.extend(ds);
                continue;
            }
        };
        let mut title = ws.title.clone();
        let mut bookmark = ws.public_title.clone();
        let mut slug = stem.clone();
        if let Some((key, role)) = copy {
            // Names go on the page, never into the outline.
            let name = &v["partner"];
            let mut line = Inline::new();
            // "Copy for {name} ({role})": the name is a value, the rest
            // the worksheet's language's words.
            let w = &ws.words;
            let (template, has_name) = if vars.contains_key(key) {
                (&w.copy_for, true)
            } else {
                (&w.copy_for_role, false)
            };
            let filled = Words::fill(template, &[("role", role)]);
            match filled.split_once("{name}") {
                Some((before, after)) if has_name => {
                    line.literal(before).value(name).literal(after);
                }
                _ => {
                    line.literal(&filled);
                }
            }
            ws.copy = Some(line.finish());
            title.push(Span {
                text: format!(" — {role}"),
                ..Span::default()
            });
            bookmark = format!("{bookmark} — {role}");
            slug = format!("{stem}.{}", key.replace('_', "-"));
        }
        // Only a worksheet in which no value was filled is kept: the
        // raw-text test for `{{` is a first guess, and a YAML escape
        // (`\x7B{name}}`) can hide one.
        let keep = reusable && !ws.personal;
        let ws = Arc::new(ws);
        if keep {
            done.keep(key, ws.clone());
        }
        let (ws, keep) = match ws.named(&v) {
            Some(named) => (Arc::new(named), false),
            None => (ws, keep),
        };
        out.push(Copy {
            worksheet: ws,
            title,
            bookmark,
            slug,
            reuse: keep.then_some(key),
        });
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(out)
}

/// The packet's own printed texts, filled and checked.
struct Texts<'a, 'b> {
    input: &'a Input<'a>,
    vars: &'a Vars,
    errs: &'b mut Vec<Diagnostic>,
}

impl Texts<'_, '_> {
    /// A cover text: values filled; in a blank packet, a line to write on.
    fn cover(&mut self, key: &str, s: &str) -> Text {
        if self.input.vars.is_none() {
            let at = self.input.spec.spans.value(key);
            return fill(s, self.vars, Some(WRITE_IN)).0.located(at);
        }
        self.filled(key, s)
    }

    /// A section title: values filled; in a blank packet, role words.
    fn section(&mut self, key: &str, s: &str, public: &Vars) -> Text {
        if self.input.vars.is_none() {
            let at = self.input.spec.spans.value(key);
            let (filled, missing) = fill(s, self.vars, None);
            if missing.is_empty() {
                return filled.located(at);
            }
            return inline(&substitute(s, public, Some("")).0).located(at);
        }
        self.filled(key, s)
    }

    /// `s` with every placeholder filled: an undefined one, or a text too
    /// long once filled, is an error at the key.
    fn filled(&mut self, key: &str, s: &str) -> Text {
        let (path, src, spans) = (self.input.path, self.input.src, &self.input.spec.spans);
        let (filled, missing) = fill(s, self.vars, None);
        if filled.plain().chars().count() > MAX_TEXT {
            self.errs.push(
                Diagnostic::error(
                    path,
                    format!(
                        "with its placeholders filled, this text is longer than {MAX_TEXT} characters"
                    ),
                )
                .hint("give a shorter value")
                .at_pos(spans.value(key)),
            );
        }
        for name in missing {
            self.errs.push(
                Diagnostic::error(
                    path,
                    format!("undefined placeholder `{{{{{name}}}}}` in the packet"),
                )
                .hint(format!(
                    "give it a value: `--set {name}=…`, a packet default, or a roster column"
                ))
                .at_pos(spans.within(src, key, &format!("{{{{{name}"))),
            );
        }
        filled.located(spans.value(key))
    }
}
