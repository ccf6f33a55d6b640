//! Every word the tool prints comes from the document's language: no
//! English reaches a Spanish build (page text, tooltips, alt text, subject,
//! bookmarks, link descriptions, file names); a practice's locale file is
//! checked key by key; the reading scale follows the language.

use handouts::layout::display::{Document, Item, OutlineEntry, Role};
use handouts::locale::{Words, KEYS};
use handouts::model::Edition;
use handouts::packet::{Build, Packet};
use handouts::spec::config::{self, Config, Paper};
use std::path::{Path, PathBuf};
use std::process::Command;

const ES: &str = "tests/fixtures/es";

/// The English locale's words, cut at their slots: "Page", "of" …
fn english_phrases() -> Vec<String> {
    let en = Words::english();
    let mut out = Vec::new();
    for (key, _) in KEYS {
        if key.starts_with("quote-") || *key == "large-print-suffix" {
            continue;
        }
        let text = en.get(key).unwrap();
        let mut rest = text;
        while !rest.is_empty() {
            let (piece, after) = match rest.find('{') {
                Some(i) => (
                    &rest[..i],
                    rest[i..].find('}').map_or("", |j| &rest[i + j + 1..]),
                ),
                None => (rest, ""),
            };
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            if piece.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
                out.push(piece.to_owned());
            }
            rest = after;
        }
    }
    assert!(out.iter().any(|p| p == "Page"), "{out:?}");
    assert!(out.iter().any(|p| p == "continued"), "{out:?}");
    out
}

/// Everything a reader, a screen reader or a file viewer is given.
fn strings(doc: &Document) -> Vec<String> {
    let link = Words::fill(&doc.page_link, &[("page", "3")]);
    let mut out = vec![doc.subject.clone(), link];
    for page in &doc.pages {
        for item in &page.items {
            match item {
                Item::Text(t) => out.push(t.text.to_string()),
                Item::Field(f) => out.push(f.tooltip.clone()),
                _ => {}
            }
        }
    }
    fn walk(o: &[OutlineEntry], out: &mut Vec<String>) {
        for e in o {
            out.push(e.title.clone());
            walk(&e.children, out);
        }
    }
    walk(&doc.outline, &mut out);
    for n in &doc.tree {
        if let Role::Figure { alt } = &n.role {
            out.push(alt.clone());
        }
    }
    // Runs of one line, joined: "Page" and "of" may be runs of their own.
    out.push(
        doc.pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.text.as_ref()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(""),
    );
    out
}

fn assert_no_english(what: &str, doc: &Document) {
    let phrases = english_phrases();
    for s in strings(doc) {
        // "CONTENTS" in a running header is English too.
        let s = s.to_lowercase();
        for p in &phrases {
            let p = p.to_lowercase();
            let hit = s.match_indices(p.as_str()).any(|(i, _)| {
                let before = s[..i].chars().last();
                let after = s[i + p.len()..].chars().next();
                !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
            });
            assert!(!hit, "{what}: English “{p}” in {s:?}");
        }
    }
    assert!(
        doc.language.starts_with("es"),
        "{what}: /Lang {}",
        doc.language
    );
}

fn es_config() -> Config {
    config::load(&Path::new(ES).join("handouts.yaml")).unwrap()
}

#[test]
fn a_spanish_worksheet_has_no_english_words_anywhere() {
    let cfg = es_config();
    for fillable in [false, true] {
        let opts = handouts::model::Options {
            fillable,
            ..Default::default()
        };
        let doc =
            handouts::compile_with(&Path::new(ES).join("todo.yaml"), &cfg, Paper::Letter, &opts)
                .unwrap()
                .doc;
        assert_no_english("todo.yaml", &doc);
        let text = strings(&doc).join("\n");
        for want in [
            "Página 1 de",
            "Para:",
            "Tiempo:",
            "(continuación)",
            "REPARACIÓN",
            "Ambos miembros de la pareja",
            "Código QR de",
        ] {
            assert!(text.contains(want), "{want} missing");
        }
        // Form fields' tooltips: a table cell's says its row.
        assert_eq!(text.contains("Fecha, fila 1"), fillable);
    }
}

#[test]
fn a_spanish_packet_has_no_english_words_in_any_edition() {
    let cfg = es_config();
    for (edition, fillable, duplex) in [
        (Edition::Client, false, true),
        (Edition::Facilitator, true, true),
        (Edition::Client, true, false),
    ] {
        let (p, _) = Packet::load(&Path::new(ES).join("paquete.yaml"), cfg.clone()).unwrap();
        let vars: handouts::placeholder::Vars = [("partner_a", "Ana"), ("partner_b", "Luis")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let b = Build {
            paper: Paper::Letter,
            edition,
            duplex,
            vars: Some(&vars),
            fillable,
        };
        let doc = p.assemble(&b).unwrap().0;
        assert_no_english(&format!("{edition:?}"), &doc);
        let text = strings(&doc).join("\n");
        for want in [
            "Contenido",
            "Copia para Ana (Persona A)",
            "Paquete para la sesión",
        ] {
            assert!(text.contains(want), "{want} missing");
        }
        if duplex {
            assert!(text.contains("Notas"), "a notes page");
        }
        if edition == Edition::Facilitator {
            assert!(text.contains("Edición para terapeutas"));
        }
    }
}

/// A temporary project: a config and the files it names.
fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-locale-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    dir
}

#[test]
fn a_practice_locale_file_overrides_words_and_gives_a_third_language() {
    let dir = project(
        "de",
        &[
            ("handouts.yaml", "language: de\nlocale: wörter.yaml\n"),
            (
                "wörter.yaml",
                "page-of: Seite {page} von {total}\ncontents: Inhalt\nfor: \"Für:\"\nrole-both: Beide\nlarge-print-suffix: -grossdruck\n",
            ),
            ("w.yaml", "title: Test\nfor: both\nblocks:\n  - paragraph: Hallo.\n"),
        ],
    );
    let cfg = config::load(&dir.join("handouts.yaml")).unwrap();
    assert_eq!(cfg.words.contents, "Inhalt");
    // Keys the file leaves out stay English, the fallback.
    assert_eq!(cfg.words.notes, "Notes");
    let doc = handouts::compile(&dir.join("w.yaml"), &cfg, Paper::Letter)
        .unwrap()
        .doc;
    assert_eq!(doc.language, "de");
    let text = strings(&doc).join("\n");
    assert!(text.contains("Seite 1 von 1"), "{text}");
    assert!(text.contains("Für:") && text.contains("Beide"), "{text}");
    // File names end in the practice's words.
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args([
            "build",
            dir.join("w.yaml").to_str().unwrap(),
            "--large-print",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("w-grossdruck.pdf").is_file());
}

#[test]
fn locale_file_mistakes_are_reported_at_their_line_with_a_fix() {
    for (words, says, line) in [
        (
            "contents: Inhalt\npage-off: Seite {page}\n",
            "did you mean `page-of`?",
            2,
        ),
        ("page-of: Seite {page}\n", "must keep `{total}`", 1),
        ("notes: Notizen {page}\n", "not filled in", 1),
        ("contents: [a, b]\n", "must be text", 1),
        ("large-print-suffix: ../../etc\n", "letters, digits", 1),
        ("contents: \"  \"\n", "is empty", 1),
    ] {
        let dir = project(
            "bad",
            &[
                ("handouts.yaml", "language: de\nlocale: w.yaml\n"),
                ("w.yaml", words),
            ],
        );
        let err = config::load(&dir.join("handouts.yaml")).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(says), "{words}: {shown}");
        assert!(
            shown.contains("w.yaml"),
            "reported in the locale file: {shown}"
        );
        assert_eq!(err.line_col.map(|(l, _)| l), Some(line), "{words}: {shown}");
    }
    // A locale file that is not there is the config's mistake, at its line.
    let dir = project(
        "none",
        &[("handouts.yaml", "practice: P\nlocale: missing.yaml\n")],
    );
    let err = config::load(&dir.join("handouts.yaml")).unwrap_err();
    assert!(err.to_string().contains("no locale file"), "{err}");
    assert_eq!(err.line_col.map(|(l, _)| l), Some(2));
    // So is a language that is not a language tag.
    let dir = project("tag", &[("handouts.yaml", "language: Spanish please\n")]);
    let err = config::load(&dir.join("handouts.yaml")).unwrap_err();
    assert!(err.to_string().contains("not a language tag"), "{err}");
}

#[test]
fn a_worksheet_may_set_its_own_language_under_an_english_config() {
    let dir = project(
        "mixed",
        &[(
            "w.yaml",
            "title: Hola\nlanguage: es\nstage: attach\nfor: hurt-partner\nblocks:\n  - prompt: ¿Qué sientes?\n    lines: 40\n",
        )],
    );
    let doc = handouts::compile(&dir.join("w.yaml"), &Config::default(), Paper::Letter)
        .unwrap()
        .doc;
    assert_no_english("w.yaml", &doc);
    let text = strings(&doc).join("\n");
    assert!(
        text.contains("APEGO") && text.contains("La persona que fue herida"),
        "{text}"
    );
    assert!(text.contains("988"), "the Spanish safety line");
}

#[test]
fn check_grades_spanish_on_its_own_scale() {
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["check", "--verbose", &format!("{ES}/todo.yaml")])
        .output()
        .unwrap();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("reading ease") && out.contains("Fernández-Huerta"),
        "{out}"
    );
    assert!(!out.contains("reading grade"), "{out}");
}

#[test]
fn a_roster_language_column_builds_each_couple_in_their_language() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-bilingual");
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args([
            "packet",
            "tests/fixtures/bilingual/packet.yaml",
            "--roster",
            "tests/fixtures/bilingual/roster.csv",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    // Rows 5 (fr: no words, no translation) and 6 (not a tag) fail alone,
    // named by number, their cells never repeated.
    assert!(
        err.contains("row 5:") && err.contains("no translation"),
        "{err}"
    );
    assert!(
        err.contains("row 6:") && err.contains("not hold a language tag"),
        "{err}"
    );
    assert!(!err.contains("fr") && !err.contains("not a tag!"), "{err}");
    for (file, lang, subject) in [
        ("Ann-Bo.pdf", "en", "Session packet"),
        ("Kim-Lee.pdf", "en-US", "Session packet"),
        ("Ana-Luis.pdf", "es", "Paquete para la sesión"),
        ("Marisol-Teo.pdf", "es-MX", "Paquete para la sesión"),
    ] {
        let lo = lopdf::Document::load(out.join(file)).unwrap();
        let catalog = lo.catalog().unwrap();
        let got = catalog.get(b"Lang").unwrap().as_str().unwrap();
        assert_eq!(got, lang.as_bytes(), "{file}");
        let info = lo.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = lo.get_dictionary(info).unwrap();
        let s = lopdf::decode_text_string(info.get(b"Subject").unwrap()).unwrap();
        assert_eq!(s, subject, "{file}");
    }
    assert!(!out.join("Jean-Luc.pdf").exists());
}

#[test]
fn a_worksheet_in_another_language_than_its_packet_is_read_in_its_own() {
    let dir = project(
        "lang",
        &[
            (
                "es.yaml",
                "title: Hola\nlanguage: es\nblocks:\n  - paragraph: Buenos días.\n",
            ),
            ("en.yaml", "title: Hello\nblocks:\n  - paragraph: Good morning.\n"),
            (
                "p.yaml",
                "title: Both\ncover: {title: Both}\nsections:\n  - title: All\n    worksheets: [en.yaml, es.yaml]\n",
            ),
        ],
    );
    let (p, _) = Packet::load(&dir.join("p.yaml"), Config::default()).unwrap();
    let b = Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex: false,
        vars: None,
        fillable: false,
    };
    let doc = p.assemble(&b).unwrap().0;
    assert_eq!(doc.language, "en-US");
    let langs: Vec<Option<String>> = doc
        .tree
        .iter()
        .filter_map(|n| match &n.role {
            Role::Sect { lang } => Some(lang.clone()),
            _ => None,
        })
        .collect();
    // The cover, the English sheet, the Spanish one.
    assert_eq!(langs, [None, None, Some("es".into())]);
    let bytes = handouts::render::pdf::write(&doc, &Default::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let tagged: Vec<Vec<u8>> = lo
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"S")
                .is_ok_and(|s| s.as_name().is_ok_and(|n| n == b"Sect"))
        })
        .filter_map(|d| {
            d.get(b"Lang")
                .ok()
                .and_then(|l| l.as_str().ok())
                .map(<[u8]>::to_vec)
        })
        .collect();
    assert_eq!(tagged.len(), 1, "one Sect with its /Lang");
    assert_eq!(
        String::from_utf16_lossy(
            &tagged[0][2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>()
        ),
        "es"
    );
}

#[test]
fn a_packets_translations_are_checked_when_it_is_loaded() {
    let dir = project(
        "tr",
        &[
            ("w.yaml", "title: W\nblocks:\n  - paragraph: Hi.\n"),
            (
                "p.yaml",
                "title: P\ntranslations:\n  es: missing.yaml\n  \"x y\": w.yaml\ncover: {title: P}\nsections:\n  - title: S\n    worksheets: [w.yaml]\n",
            ),
        ],
    );
    let errs = Packet::load(&dir.join("p.yaml"), Config::default())
        .err()
        .unwrap();
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(
        shown
            .iter()
            .any(|e| e.contains(":3:") && e.contains("not a packet file")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|e| e.contains(":4:") && e.contains("not a language tag")),
        "{shown:?}"
    );
}
