//! The project config, `handouts.yaml` at the worksheet root.
//!
//! It holds what a practice sets once: its name, the footer, the safety line,
//! paper, type size and the wording of the partners' roles. Every key is
//! optional; a missing file means the defaults below.

use super::worksheet::Audience;
use crate::diag::Diagnostic;
use crate::locale::Words;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const FILE_NAME: &str = "handouts.yaml";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Practice name, printed in every footer.
    pub practice: String,
    /// An extra line in the footer (a website, a copyright).
    pub footer_note: Option<String>,
    /// Printed at the foot of every page: the config's, or the language's.
    #[serde(skip, default = "default_safety_line")]
    pub safety_line: String,
    /// The safety line the config gives, if it gives one.
    #[serde(rename = "safety-line")]
    pub safety_given: Option<String>,
    pub paper: Paper,
    /// Body text size in points (11 or more).
    pub font_size: f32,
    /// The family to set text in: the bundled Lato, or a family in the
    /// practice's font folders or on the system (a brand face).
    pub font_family: String,
    /// Document language (BCP 47), written to the PDF for screen readers;
    /// it picks the words the tool prints and the hyphenation patterns.
    pub language: String,
    /// A file of the practice's own words for the tool's furniture
    /// (relative to the config file), over the language's.
    pub locale: Option<PathBuf>,
    /// Highest Flesch–Kincaid grade `check` accepts in English without a
    /// warning.
    pub reading_grade: f32,
    /// Lowest Fernández-Huerta reading ease `check` accepts in Spanish.
    pub reading_ease_es: f32,
    /// Build fillable PDFs by default (as `--fillable`).
    pub fillable: bool,
    /// Build the large-print edition by default (as `--large-print`).
    pub large_print: bool,
    /// The practice's logo (PNG, JPEG or SVG), relative to the config file:
    /// printed over the title of every handout and on packet covers.
    pub logo: Option<PathBuf>,
    /// How wide the logo prints (default 3cm).
    pub logo_width: Option<super::units::Length>,
    /// Folders of fonts (relative to the config file), looked in before
    /// the system's for characters the bundled faces lack.
    pub fonts: Vec<PathBuf>,
    /// How the worksheets name each role: the config's words where it
    /// gives them, the language's elsewhere.
    #[serde(skip)]
    pub roles: Roles,
    /// The role words the config gives.
    #[serde(rename = "roles")]
    pub roles_given: RoleWords,
    /// The words the tool prints, in the config's language.
    #[serde(skip, default = "Words::english")]
    pub words: Arc<Words>,
}

/// Role words as a config gives them: any may be left out.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RoleWords {
    pub both: Option<String>,
    pub hurt_partner: Option<String>,
    pub involved_partner: Option<String>,
    pub therapist: Option<String>,
    pub partner_a: Option<String>,
    pub partner_b: Option<String>,
}

fn default_safety_line() -> String {
    DEFAULT_SAFETY_LINE.to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    #[default]
    Letter,
    A4,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (595.276, 841.89),
        }
    }
}

/// How the worksheets name each role; a practice can use its own words.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Roles {
    pub both: String,
    pub hurt_partner: String,
    pub involved_partner: String,
    pub therapist: String,
    /// Column headings of side-by-side `partners` blocks.
    pub partner_a: String,
    pub partner_b: String,
}

impl Roles {
    pub fn label(&self, who: Audience) -> &str {
        match who {
            Audience::Both => &self.both,
            Audience::HurtPartner => &self.hurt_partner,
            Audience::InvolvedPartner => &self.involved_partner,
            Audience::Therapist => &self.therapist,
        }
    }
}

impl Roles {
    /// A language's role words, with the ones `given` in their place.
    pub fn from(words: &Words, given: &RoleWords) -> Roles {
        let pick = |g: &Option<String>, w: &String| g.clone().unwrap_or_else(|| w.clone());
        Roles {
            both: pick(&given.both, &words.role_both),
            hurt_partner: pick(&given.hurt_partner, &words.role_hurt_partner),
            involved_partner: pick(&given.involved_partner, &words.role_involved_partner),
            therapist: pick(&given.therapist, &words.role_therapist),
            partner_a: pick(&given.partner_a, &words.role_partner_a),
            partner_b: pick(&given.partner_b, &words.role_partner_b),
        }
    }
}

impl Default for Roles {
    fn default() -> Self {
        Roles::from(&Words::english(), &RoleWords::default())
    }
}

pub const DEFAULT_SAFETY_LINE: &str = "For use with a therapist, not in place of one. \
If you feel unsafe or in crisis, call or text 988 (US) or your local emergency number.";

impl Default for Config {
    fn default() -> Self {
        Config {
            practice: String::new(),
            footer_note: None,
            safety_line: DEFAULT_SAFETY_LINE.into(),
            safety_given: None,
            paper: Paper::Letter,
            font_size: 12.0,
            font_family: "Lato".into(),
            language: "en-US".into(),
            locale: None,
            reading_grade: 8.0,
            reading_ease_es: 70.0,
            fillable: false,
            large_print: false,
            logo: None,
            fonts: Vec::new(),
            logo_width: None,
            roles: Roles::default(),
            roles_given: RoleWords::default(),
            words: Words::english(),
        }
    }
}

impl Config {
    /// Takes `words` for everything the config does not say itself: the
    /// role names and the safety line.
    pub fn set_words(&mut self, words: Arc<Words>) {
        self.roles = Roles::from(&words, &self.roles_given);
        self.safety_line = self
            .safety_given
            .clone()
            .unwrap_or_else(|| words.safety_line.clone());
        self.words = words;
    }

    /// The same config in `language` (a packet's or a roster row's):
    /// that language's words, with the config's own where it is the
    /// config's language.
    pub fn in_language(&self, language: &str) -> Config {
        let mut c = self.clone();
        c.language = language.to_owned();
        if crate::locale::primary(language) != crate::locale::primary(&self.language) {
            // The config's words are in its own language: none carry over.
            c.roles_given = RoleWords::default();
            c.safety_given = None;
            c.set_words(Words::for_language(language));
        }
        c
    }
}

/// Longest practice name or footer note, in characters: one footer line.
const MAX_FURNITURE: usize = 120;
/// Longest safety line: three footer lines at most.
const MAX_SAFETY_LINE: usize = 300;
/// Longest role word ("Partner A", "The partner who was hurt").
const MAX_ROLE: usize = 60;

/// Bundled families a config may name (any other is looked for).
pub const FAMILIES: &[&str] = &["Lato"];

/// Finds the config governing `spec`: the nearest `handouts.yaml` in its
/// folder or any folder above it.
pub fn find(spec: &Path) -> Option<PathBuf> {
    let start = if spec.is_dir() { spec } else { spec.parent()? };
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = std::fs::canonicalize(start).ok()?;
    abs.ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Loads and checks a config file.
pub fn load(path: &Path) -> Result<Config, Diagnostic> {
    let src = super::source::read_source(path)?;
    if src.trim().is_empty() {
        return Ok(Config::default());
    }
    let spans = super::spans::Spans::read(path, &src)?;
    let mut cfg: Config =
        serde_yaml::from_str(&src).map_err(|e| Diagnostic::from_yaml(path, &e, &src))?;
    if let Some(logo) = &cfg.logo {
        // Relative to the config file; read now so a bad one is an error
        // here, at its line, and read once for the whole run.
        let full = path.parent().unwrap_or(Path::new("")).join(logo);
        if let Err(e) = crate::images::load(&full) {
            return Err(Diagnostic::error(path, e)
                .hint("give the path of a PNG, JPEG or SVG file, relative to this config")
                .at_pos(spans.value("logo")));
        }
        cfg.logo = Some(full);
    }
    for (i, dir) in cfg.fonts.iter_mut().enumerate() {
        let full = path.parent().unwrap_or(Path::new("")).join(&*dir);
        if !full.is_dir() {
            return Err(Diagnostic::error(
                path,
                format!("there is no font folder {}", full.display()),
            )
            .hint("list folders of .ttf, .otf or .ttc files, relative to this config")
            .at_pos(spans.value(&format!("fonts.{i}"))));
        }
        *dir = full;
    }
    if let Err(e) = crate::locale::check_language(&cfg.language) {
        return Err(Diagnostic::error(path, e)
            .hint("a BCP 47 language tag, such as `en-US`, `es` or `es-MX`")
            .at_pos(spans.value("language")));
    }
    let mut words = Words::for_language(&cfg.language);
    if let Some(file) = &cfg.locale {
        let full = path.parent().unwrap_or(Path::new("")).join(file);
        if !full.is_file() {
            return Err(Diagnostic::error(
                path,
                format!("there is no locale file {}", full.display()),
            )
            .hint("give the path of a file of words, relative to this config")
            .at_pos(spans.value("locale")));
        }
        // Its own mistakes are reported in it, at their lines.
        words = Arc::new(words.overridden(&full)?);
        cfg.locale = Some(full);
    }
    cfg.set_words(words);
    if !(11.0..=24.0).contains(&cfg.font_size) {
        return Err(Diagnostic::error(
            path,
            format!("font-size {} is out of range", cfg.font_size),
        )
        .hint("body text must be 11pt or larger for print (and at most 24pt)")
        .at_pos(spans.value("font-size")));
    }
    // The practice's folders are looked in from now on: for its brand
    // family, and for characters the bundled faces lack.
    crate::fonts::found::add_folders(&cfg.fonts);
    if !FAMILIES.contains(&cfg.font_family.as_str())
        && crate::fonts::found::family(&cfg.font_family).is_none()
    {
        return Err(Diagnostic::error(
            path,
            format!(
                "no font family `{}` in the font folders or on this system",
                cfg.font_family
            ),
        )
        .hint(format!(
            "bundled: {}; for your own, list a folder holding its .ttf or .otf files under `fonts:`",
            FAMILIES.join(", ")
        ))
        .at_pos(spans.value("font-family")));
    }
    // What goes in every page's furniture must leave the page its body.
    let r = &cfg.roles;
    let texts = [
        ("practice", &cfg.practice, MAX_FURNITURE),
        ("safety-line", &cfg.safety_line, MAX_SAFETY_LINE),
        ("roles.both", &r.both, MAX_ROLE),
        ("roles.hurt-partner", &r.hurt_partner, MAX_ROLE),
        ("roles.involved-partner", &r.involved_partner, MAX_ROLE),
        ("roles.therapist", &r.therapist, MAX_ROLE),
        ("roles.partner-a", &r.partner_a, MAX_ROLE),
        ("roles.partner-b", &r.partner_b, MAX_ROLE),
    ];
    let note = cfg
        .footer_note
        .iter()
        .map(|n| ("footer-note", n, MAX_FURNITURE));
    for (key, text, most) in texts.into_iter().chain(note) {
        let n = text.chars().count();
        if n > most {
            return Err(Diagnostic::error(
                path,
                format!("`{key}` is {n} characters long; the most is {most}"),
            )
            .hint("it is printed on every page (or as a heading): keep it short")
            .at_pos(spans.value(key)));
        }
    }
    Ok(cfg)
}
