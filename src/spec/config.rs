//! The project config, `handouts.yaml` at the worksheet root.
//!
//! It holds what a practice sets once: its name, the footer, the safety line,
//! paper, type size and the wording of the partners' roles. Every key is
//! optional; a missing file means the defaults below.

use super::worksheet::Audience;
use crate::diag::Diagnostic;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "handouts.yaml";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Practice name, printed in every footer.
    pub practice: String,
    /// An extra line in the footer (a website, a copyright).
    pub footer_note: Option<String>,
    /// Printed at the foot of every page.
    pub safety_line: String,
    pub paper: Paper,
    /// Body text size in points (11 or more).
    pub font_size: f32,
    /// The bundled family to set text in.
    pub font_family: String,
    /// Document language, written to the PDF for screen readers.
    pub language: String,
    /// Highest Flesch–Kincaid grade `check` accepts without a warning.
    pub reading_grade: f32,
    /// Build fillable PDFs by default (as `--fillable`).
    pub fillable: bool,
    /// Build the large-print edition by default (as `--large-print`).
    pub large_print: bool,
    /// The practice's logo (PNG, JPEG or SVG), relative to the config file:
    /// printed over the title of every handout and on packet covers.
    pub logo: Option<PathBuf>,
    /// How wide the logo prints (default 3cm).
    pub logo_width: Option<super::units::Length>,
    pub roles: Roles,
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

impl Default for Roles {
    fn default() -> Self {
        Roles {
            both: "Both partners".into(),
            hurt_partner: "The partner who was hurt".into(),
            involved_partner: "The partner who caused the hurt".into(),
            therapist: "The therapist".into(),
            partner_a: "Partner A".into(),
            partner_b: "Partner B".into(),
        }
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
            paper: Paper::Letter,
            font_size: 12.0,
            font_family: "Lato".into(),
            language: "en-US".into(),
            reading_grade: 8.0,
            fillable: false,
            large_print: false,
            logo: None,
            logo_width: None,
            roles: Roles::default(),
        }
    }
}

/// Longest practice name or footer note, in characters: one footer line.
const MAX_FURNITURE: usize = 120;
/// Longest safety line: three footer lines at most.
const MAX_SAFETY_LINE: usize = 300;
/// Longest role word ("Partner A", "The partner who was hurt").
const MAX_ROLE: usize = 60;

/// Bundled families a config may name.
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
    if !(11.0..=24.0).contains(&cfg.font_size) {
        return Err(Diagnostic::error(
            path,
            format!("font-size {} is out of range", cfg.font_size),
        )
        .hint("body text must be 11pt or larger for print (and at most 24pt)")
        .at_pos(spans.value("font-size")));
    }
    if !FAMILIES.contains(&cfg.font_family.as_str()) {
        return Err(
            Diagnostic::error(path, format!("unknown font-family `{}`", cfg.font_family))
                .hint(format!("bundled families: {}", FAMILIES.join(", ")))
                .at_pos(spans.value("font-family")),
        );
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
