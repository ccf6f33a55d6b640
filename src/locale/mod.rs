//! Every word the tool prints itself (page numbers, "Contents", "For:",
//! stage and role names, the default safety line, alt text), per language.
//!
//! English, Spanish, Hebrew and Arabic are built in (`en.yaml` and the
//! rest, read by `build.rs` into tables in the binary). A config's
//! `language` (BCP 47: `es`, `es-MX` and `es-419` all take `es`) picks
//! one; a practice's own locale file overrides any word, and gives another
//! language without code. Words in braces are filled in by the tool, so an
//! override must keep the ones its key has.

use crate::diag::{did_you_mean, Diagnostic};
use std::path::Path;
use std::sync::{Arc, OnceLock};

macro_rules! words {
    ($($field:ident = $key:literal [$($slot:literal),*],)*) => {
        /// The words of one language.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Words {
            /// The language they are for (a BCP 47 tag).
            pub language: String,
            $(pub $field: String,)*
        }

        /// Every key a locale file may set, with the slots its text fills.
        pub const KEYS: &[(&str, &[&str])] = &[$(($key, &[$($slot),*]),)*];

        impl Words {
            fn slot(&mut self, key: &str) -> Option<&mut String> {
                match key {
                    $($key => Some(&mut self.$field),)*
                    _ => None,
                }
            }

            /// The text of `key`, if it is one.
            pub fn get(&self, key: &str) -> Option<&str> {
                match key {
                    $($key => Some(&self.$field),)*
                    _ => None,
                }
            }

            fn empty(language: &str) -> Words {
                Words { language: language.to_owned(), $($field: String::new(),)* }
            }
        }
    };
}

words! {
    page_of = "page-of" ["page", "total"],
    contents = "contents" [],
    notes = "notes" [],
    for_label = "for" [],
    time_label = "time" [],
    continued = "continued" ["question"],
    copy_for = "copy-for" ["name", "role"],
    copy_for_role = "copy-for-role" ["role"],
    facilitator_edition = "facilitator-edition" [],
    facilitator_only = "facilitator-only" [],
    packet_subject = "packet-subject" [],
    stage_overview = "stage-overview" [],
    stage_atone = "stage-atone" [],
    stage_attune = "stage-attune" [],
    stage_attach = "stage-attach" [],
    role_both = "role-both" [],
    role_hurt_partner = "role-hurt-partner" [],
    role_involved_partner = "role-involved-partner" [],
    role_therapist = "role-therapist" [],
    role_partner_a = "role-partner-a" [],
    role_partner_b = "role-partner-b" [],
    safety_line = "safety-line" [],
    logo_alt = "logo-alt" ["practice"],
    logo_alt_unnamed = "logo-alt-unnamed" [],
    qr_alt = "qr-alt" ["address"],
    go_to_page = "go-to-page" ["page"],
    table_cell = "table-cell" ["column", "row"],
    large_print_suffix = "large-print-suffix" [],
    quote_open = "quote-open" [],
    quote_close = "quote-close" [],
}

/// Built-in languages: primary subtag and its words, `(key, text)` sorted
/// by key. `build.rs` reads them out of `en.yaml`, `es.yaml`, `he.yaml`
/// and `ar.yaml` (`flat.rs`): parsing the YAML at start-up was 2.7 % of a
/// cold handout's instructions.
const BUILT_IN: &[(&str, &[(&str, &str)])] = &include!(concat!(env!("OUT_DIR"), "/words.rs"));

/// A language tag's shape: letters, digits and hyphens, starting with a
/// two- or three-letter language (`es`, `es-419`, `zh-Hant-TW`).
pub fn check_language(tag: &str) -> Result<(), String> {
    let mut parts = tag.split(['-', '_']);
    let first = parts.next().unwrap_or_default();
    let ok = (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!("`{tag}` is not a language tag"))
    }
}

/// Whether a language is written right to left: `Some(true)` for Arabic,
/// Hebrew, Persian, Urdu, Yiddish and the rest written in their scripts
/// (or any tag naming such a script, `ku-Arab`); `None` for a tag that
/// names no language (`und`, `mul`), whose paragraphs take the direction
/// of their first letter; `Some(false)` for the rest.
pub fn right_to_left(tag: &str) -> Option<bool> {
    const RTL: &[&str] = &[
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi",
    ];
    const RTL_SCRIPTS: &[&str] = &["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"];
    let first = primary(tag);
    if matches!(first.as_str(), "und" | "mul" | "zxx" | "") {
        return None;
    }
    let script = tag
        .split(['-', '_'])
        .skip(1)
        .find(|p| p.len() == 4)
        .map(str::to_ascii_lowercase);
    Some(match script {
        Some(s) => RTL_SCRIPTS.contains(&s.as_str()),
        None => RTL.contains(&first.as_str()),
    })
}

/// The primary language subtag of a BCP 47 tag, lowercased (`es-MX` → `es`).
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

impl Words {
    /// The built-in words for `language`, if there are any.
    pub fn built_in(language: &str) -> Option<Arc<Words>> {
        // Each language's words made when first asked for: a handout
        // needs one.
        static PARSED: [OnceLock<Arc<Words>>; BUILT_IN.len()] =
            [const { OnceLock::new() }; BUILT_IN.len()];
        let code = primary(language);
        let i = BUILT_IN.iter().position(|(c, _)| *c == code)?;
        let w = PARSED[i].get_or_init(|| {
            let (code, pairs) = BUILT_IN[i];
            let mut w = Words::empty(code);
            w.apply_pairs(pairs).expect("built-in locales are complete");
            Arc::new(w)
        });
        let mut w = (**w).clone();
        w.language = language.to_owned();
        Some(Arc::new(w))
    }

    /// English: the words when nothing else is known.
    pub fn english() -> Arc<Words> {
        Words::built_in("en-US").expect("English is built in")
    }

    /// `language`'s built-in words, or English for a language without any
    /// (a locale file then gives the rest).
    pub fn for_language(language: &str) -> Arc<Words> {
        Words::built_in(language).unwrap_or_else(|| {
            let mut w = (*Words::english()).clone();
            w.language = language.to_owned();
            Arc::new(w)
        })
    }

    /// Sets every key of a built-in language (pairs sorted by key); all
    /// must be present.
    fn apply_pairs(&mut self, pairs: &[(&str, &str)]) -> Result<(), String> {
        for (key, _) in KEYS {
            let i = pairs
                .binary_search_by(|(k, _)| k.cmp(key))
                .map_err(|_| format!("missing `{key}`"))?;
            *self.slot(key).expect("a known key") = pairs[i].1.to_owned();
        }
        Ok(())
    }

    /// The words of a practice's locale file at `path` laid over these:
    /// every key checked against the known ones (with a did-you-mean),
    /// every text against the slots its key fills.
    pub fn overridden(&self, path: &Path) -> Result<Words, Diagnostic> {
        let src = crate::spec::source::read_source(path)?;
        let spans = crate::spec::spans::Spans::read(path, &src)?;
        let mut out = self.clone();
        if src.trim().is_empty() {
            return Ok(out);
        }
        let map: serde_yaml::Mapping =
            serde_yaml::from_str(&src).map_err(|e| Diagnostic::from_yaml(path, &e, &src))?;
        let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        for (k, v) in &map {
            let Some(key) = k.as_str() else {
                return Err(Diagnostic::error(path, "a locale file maps words to texts")
                    .hint("write `key: text`, one per line, e.g. `contents: Inhalt`"));
            };
            let Some((_, slots)) = KEYS.iter().find(|(n, _)| *n == key) else {
                let d =
                    Diagnostic::error(path, format!("unknown word `{key}`")).at_pos(spans.key(key));
                return Err(match did_you_mean(key, &names) {
                    Some(m) => d.hint(format!("did you mean `{m}`?")),
                    None => d.hint("docs/spec.md lists every word under \"Languages\""),
                });
            };
            let Some(text) = v.as_str() else {
                return Err(Diagnostic::error(path, format!("`{key}` must be text"))
                    .at_pos(spans.value(key)));
            };
            check_slots(key, text, slots).map_err(|m| {
                Diagnostic::error(path, m)
                    .hint(format!(
                        "`{key}` fills in {}",
                        if slots.is_empty() {
                            "nothing".to_owned()
                        } else {
                            slots
                                .iter()
                                .map(|s| format!("{{{s}}}"))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        }
                    ))
                    .at_pos(spans.value(key))
            })?;
            *out.slot(key).expect("a known key") = text.to_owned();
        }
        Ok(out)
    }

    /// `template` with each `{slot}` replaced, in one pass over the
    /// template: a value is never read for slots itself, so a column
    /// heading that says `{row}` stays as it is written (replacing slot by
    /// slot filled it), and "Page {page} of {total}" is one string
    /// written once, not a new one for each slot.
    pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let slot = values.iter().find(|(slot, _)| {
                after
                    .strip_prefix(slot)
                    .is_some_and(|tail| tail.starts_with('}'))
            });
            match slot {
                Some((slot, value)) => {
                    out.push_str(value);
                    rest = &after[slot.len() + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The name of a stage by its id (`atone`).
    pub fn stage<'a>(&'a self, id: &'a str) -> &'a str {
        match id {
            "overview" => &self.stage_overview,
            "atone" => &self.stage_atone,
            "attune" => &self.stage_attune,
            "attach" => &self.stage_attach,
            _ => id,
        }
    }

    /// `text` in this language's quotation marks.
    pub fn quoted(&self, text: &str) -> String {
        format!("{}{text}{}", self.quote_open, self.quote_close)
    }
}

/// A text must keep each slot its key fills (a page number left out would
/// print "Page of"), and name no other (it would print as it is).
fn check_slots(key: &str, text: &str, slots: &[&str]) -> Result<(), String> {
    for s in slots {
        if !text.contains(&format!("{{{s}}}")) {
            return Err(format!("`{key}` must keep `{{{s}}}`"));
        }
    }
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !slots.contains(&name) {
            return Err(format!("`{key}` has `{{{name}}}`, which is not filled in"));
        }
        rest = &after[close + 1..];
    }
    if text.trim().is_empty() && !key.starts_with("quote-") {
        return Err(format!("`{key}` is empty"));
    }
    // It ends file names: nothing that could leave the output folder.
    if key == "large-print-suffix"
        && !text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "`{key}` ends file names: use letters, digits, `-` and `_` only"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_know_their_direction() {
        for (tag, rtl) in [
            ("he", Some(true)),
            ("ar-EG", Some(true)),
            ("fa", Some(true)),
            ("ku-Arab", Some(true)),
            ("az-Arab-IR", Some(true)),
            ("en-US", Some(false)),
            ("zh-Hant-TW", Some(false)),
            ("pa-Guru", Some(false)),
            ("und", None),
        ] {
            assert_eq!(right_to_left(tag), rtl, "{tag}");
        }
    }

    include!("flat.rs");

    /// Each built-in file, as `build.rs` compiled it in and as the YAML
    /// says: `(code, source)`.
    const SOURCES: &[(&str, &str)] = &[
        ("en", include_str!("en.yaml")),
        ("es", include_str!("es.yaml")),
        ("he", include_str!("he.yaml")),
        ("ar", include_str!("ar.yaml")),
    ];

    #[test]
    fn built_in_words_are_their_files() {
        let codes: Vec<&str> = BUILT_IN.iter().map(|(c, _)| *c).collect();
        let files: Vec<&str> = SOURCES.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, files);
        for ((code, pairs), (_, src)) in BUILT_IN.iter().zip(SOURCES) {
            let map: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(src).unwrap();
            let compiled: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(compiled, map.into_iter().collect::<Vec<_>>(), "{code}");
        }
    }

    #[test]
    fn built_in_locales_are_complete_and_keep_their_slots() {
        for (code, src) in SOURCES {
            let pairs: Vec<(String, String)> = flat_map(src).unwrap().into_iter().collect();
            let pairs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let mut w = Words::empty(code);
            w.apply_pairs(&pairs).unwrap();
            for (key, slots) in KEYS {
                let text = w.slot(key).unwrap().clone();
                check_slots(key, &text, slots).unwrap_or_else(|e| panic!("{code}: {e}"));
            }
            // No key a file has is unknown (a typo in a built-in file),
            // and each reads as serde_yaml reads it.
            let map: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(src).unwrap();
            assert_eq!(flat_map(src).unwrap(), map, "{code}");
            for k in map.keys() {
                assert!(KEYS.iter().any(|(n, _)| n == k), "{code}: {k}");
            }
        }
    }

    #[test]
    fn only_a_flat_map_of_texts_is_read_as_built_in_words() {
        let map = flat_map("a: one\nb: \"two: {x}\"\n'c': >-\n  three\n  four\n").unwrap();
        assert_eq!(map["a"], "one");
        assert_eq!(map["b"], "two: {x}");
        assert_eq!(map["c"], "three four");
        for bad in [
            "a: [1, 2]",
            "a:\n  b: c",
            "- a",
            "a: &x b\nc: *x",
            "a: \"open",
        ] {
            assert!(flat_map(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tags_fall_back_to_their_primary_language() {
        for tag in ["es", "es-ES", "es-MX", "es-419", "ES_us"] {
            assert_eq!(Words::built_in(tag).unwrap().contents, "Contenido", "{tag}");
        }
        assert_eq!(Words::built_in("en-GB").unwrap().contents, "Contents");
        assert!(Words::built_in("fr").is_none());
        assert_eq!(Words::for_language("fr").contents, "Contents");
        assert_eq!(Words::for_language("fr").language, "fr");
    }

    #[test]
    fn slots_are_kept_and_no_others_named() {
        assert!(check_slots("page-of", "Seite {page} von {total}", &["page", "total"]).is_ok());
        assert!(check_slots("page-of", "Seite {page}", &["page", "total"]).is_err());
        assert!(check_slots("contents", "Inhalt {x}", &[]).is_err());
        assert!(check_slots("contents", " ", &[]).is_err());
    }

    #[test]
    fn slots_are_filled_once_and_values_are_never_read_for_slots() {
        let fill = Words::fill;
        assert_eq!(
            fill("Page {page} of {total}", &[("page", "3"), ("total", "12")]),
            "Page 3 of 12"
        );
        // The order of the values does not matter; a slot may come twice.
        assert_eq!(fill("{b}{a}{b}", &[("a", "1"), ("b", "2")]), "212");
        // A value holding a later slot's name is printed as it is.
        let tip = fill(
            "{column}, row {row}",
            &[("column", "Week {row}"), ("row", "2")],
        );
        assert_eq!(tip, "Week {row}, row 2");
        assert_eq!(fill("{x}", &[("x", "{x}")]), "{x}");
        // Braces that name no slot, doubled or left open, stay.
        assert_eq!(
            fill("{{page}} {pag} {page", &[("page", "7")]),
            "{7} {pag} {page"
        );
        assert_eq!(fill("}{", &[("page", "7")]), "}{");
        assert_eq!(
            fill("Seite {page} – „{x}“", &[("page", "é")]),
            "Seite é – „{x}“"
        );
        assert_eq!(fill("", &[("page", "7")]), "");
        // A slot that is a prefix of another is not taken for it.
        assert_eq!(
            fill("{pages} {page}", &[("page", "1"), ("pages", "9")]),
            "9 1"
        );
    }
}
