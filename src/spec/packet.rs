//! Packet specs: a cover, then worksheets in order, grouped in sections.
//!
//! ```yaml
//! title: Weekend Intensive            # also the PDF title: no client names here
//! cover:
//!   title: Rebuilding Trust
//!   subtitle: A weekend intensive
//!   lines: ["{{partner_a}} and {{partner_b}}", "{{session_date}}"]
//! defaults: {therapist: Your therapist}
//! output: "{{session_date}}-{{partner_a}}-{{partner_b}}"
//! dividers: true
//! sections:
//!   - title: Atone
//!     worksheets:
//!       - ../atone/atone-1-owning-what-happened.yaml
//!       - worksheet: ../atone/atone-2-questions-i-need-answered.yaml
//!         per-partner: true
//! ```

use super::blocks::Only;
use crate::diag::Diagnostic;
use crate::placeholder;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PacketSpec {
    /// Also the PDF's title, so it holds no placeholders (no client names).
    pub title: String,
    /// The packet's language (BCP 47) when it is not the config's: its
    /// cover, contents and page furniture, and each worksheet that does not
    /// name its own.
    pub language: Option<String>,
    /// The same packet in other languages (language → packet file,
    /// relative to this one), for a roster's `language` column.
    #[serde(default)]
    pub translations: BTreeMap<String, String>,
    pub cover: Cover,
    /// Placeholder values used when neither `--set` nor the roster gives one.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// File-name pattern for roster batches, from placeholders.
    pub output: Option<String>,
    /// A divider page before each section.
    #[serde(default)]
    pub dividers: bool,
    /// Start every worksheet on a right-hand page (also `--duplex`).
    #[serde(default)]
    pub duplex: bool,
    pub sections: Vec<Section>,
    /// Where each key and value is in the file.
    #[serde(skip)]
    pub spans: super::spans::Spans,
}

impl PacketSpec {
    /// The packet's own texts that are printed and may hold placeholders:
    /// cover title, subtitle and lines, and section titles.
    pub fn printed_texts(&self) -> impl Iterator<Item = &String> {
        let c = &self.cover;
        std::iter::once(&c.title)
            .chain(&c.subtitle)
            .chain(&c.lines)
            .chain(self.sections.iter().map(|s| &s.title))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cover {
    pub title: String,
    pub subtitle: Option<String>,
    /// Personal lines: names, date, therapist.
    #[serde(default)]
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Section {
    pub title: String,
    pub worksheets: Vec<WorksheetRef>,
}

/// A worksheet in a packet: `- path.yaml` (relative to the packet file), or
/// `- worksheet: path.yaml` with options.
#[derive(Debug, Clone, PartialEq)]
pub struct WorksheetRef {
    pub worksheet: String,
    /// One copy for each partner, each headed with that partner's name.
    pub per_partner: bool,
    pub only: Option<Only>,
}

/// The mapping form of a [`WorksheetRef`], exactly as written.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "WorksheetOptions")]
pub(crate) struct WorksheetOptions {
    worksheet: String,
    /// One copy for each partner, each headed with that partner's name.
    #[serde(default)]
    per_partner: bool,
    only: Option<Only>,
}

impl<'de> Deserialize<'de> for WorksheetRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WorksheetRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a worksheet path, or `worksheet: path` with options")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WorksheetRef, E> {
                Ok(WorksheetRef {
                    worksheet: v.to_owned(),
                    per_partner: false,
                    only: None,
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<WorksheetRef, A::Error> {
                let o = WorksheetOptions::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(WorksheetRef {
                    worksheet: o.worksheet,
                    per_partner: o.per_partner,
                    only: o.only,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Most worksheet copies in one packet (a per-partner worksheet is two).
pub const MAX_WORKSHEETS: usize = 500;

/// Parses a packet spec and checks what can be checked without the
/// worksheets it names.
pub fn parse(path: &Path, src: &str) -> Result<PacketSpec, Diagnostic> {
    if src.trim().is_empty() {
        return Err(Diagnostic::error(path, "file is empty")
            .at(1, 1)
            .hint("a packet needs `title:`, `cover:` and `sections:`"));
    }
    let spans = super::spans::Spans::read(path, src)?;
    let mut spec: PacketSpec =
        serde_yaml::from_str(src).map_err(|e| Diagnostic::from_yaml(path, &e, src))?;
    spec.spans = spans;
    let c = &spec.cover;
    let keyed = [
        ("title".to_owned(), &spec.title),
        ("cover.title".into(), &c.title),
    ]
    .into_iter()
    .chain(c.subtitle.iter().map(|t| ("cover.subtitle".into(), t)))
    .chain(
        c.lines
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("cover.lines.{i}"), t)),
    )
    .chain(
        (spec.sections.iter().enumerate()).map(|(i, s)| (format!("sections.{i}.title"), &s.title)),
    )
    .chain(spec.output.iter().map(|t| ("output".into(), t)));
    for (key, t) in keyed {
        if let Err(bad) = placeholder::check_placeholders(t) {
            return Err(Diagnostic::error(path, bad.message)
                .hint(bad.hint)
                .at_pos(spec.spans.within(src, &key, &t[bad.at..])));
        }
    }
    if !placeholder::placeholders(&spec.title).is_empty() {
        return Err(Diagnostic::error(
            path,
            "the packet title goes into the PDF's metadata, so it cannot hold placeholders",
        )
        .hint("put names and dates on the cover (`cover: lines:`)")
        .at_pos(spec.spans.key("title")));
    }
    let count: usize = spec
        .sections
        .iter()
        .flat_map(|s| &s.worksheets)
        .map(|w| if w.per_partner { 2 } else { 1 })
        .sum();
    if count > MAX_WORKSHEETS {
        let d = Diagnostic::error(
            path,
            format!("the packet has {count} worksheet copies; the most is {MAX_WORKSHEETS}"),
        )
        .hint("split it into several packets");
        return Err(d.at_pos(spec.spans.key("sections")));
    }
    if spec.sections.iter().all(|s| s.worksheets.is_empty()) {
        return Err(Diagnostic::error(path, "the packet has no worksheets")
            .hint("list them under `sections: - worksheets:`"));
    }
    Ok(spec)
}

/// Whether a YAML file is a packet spec rather than a worksheet: packets
/// have `sections:` and `cover:` at the top level.
pub fn looks_like_packet(src: &str) -> bool {
    src.lines().any(|l| l.starts_with("sections:")) && src.lines().any(|l| l.starts_with("cover:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worksheets_are_paths_or_mappings() {
        let p = parse(
            Path::new("p.yaml"),
            "title: P\ncover: {title: C}\nsections:\n  - title: S\n    worksheets:\n      - a.yaml\n      - worksheet: b.yaml\n        per-partner: true\n",
        )
        .unwrap();
        let w = &p.sections[0].worksheets;
        assert_eq!(w[0].worksheet, "a.yaml");
        assert!(!w[0].per_partner);
        assert!(w[1].per_partner);
    }

    #[test]
    fn malformed_placeholders_are_errors_at_their_own_line() {
        let e = parse(
            Path::new("p.yaml"),
            "title: P\ncover:\n  title: C\n  lines:\n    - \"{{partner_a}}\"\n    - \"For {{partner_b\"\nsections: [{title: S, worksheets: [a.yaml]}]\n",
        )
        .unwrap_err();
        assert!(e.message.contains("not closed"), "{}", e.message);
        assert_eq!(e.line_col, Some((6, 12)));
    }

    #[test]
    fn names_never_go_into_the_title() {
        let e = parse(
            Path::new("p.yaml"),
            "title: For {{partner_a}}\ncover: {title: C}\nsections: [{title: S, worksheets: [a.yaml]}]\n",
        )
        .unwrap_err();
        assert!(e.message.contains("metadata"), "{}", e.message);
        assert_eq!(e.line_col, Some((1, 1)));
    }
}
