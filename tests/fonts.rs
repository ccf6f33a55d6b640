//! A practice's own fonts: a brand family named in the config and found in
//! its `fonts:` folders, and the folder options' mistakes.

use handouts::fonts::Face;
use handouts::layout::display::Item;
use handouts::spec::config::{self, Paper};
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let d =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-fonts-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("brand")).unwrap();
    d
}

const SHEET: &str = "title: Check-in\nblocks:\n  - heading: Tonight\n  - paragraph: Sit together, Zoë and Ζωή, for ten minutes.\n";

#[test]
fn a_brand_family_in_the_configs_folder_sets_the_text() {
    let dir = scratch("brand");
    // DejaVu Sans stands in for a practice's brand face: a regular and a
    // bold, no italic.
    for f in ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] {
        std::fs::copy(Path::new("fonts/dejavu").join(f), dir.join("brand").join(f)).unwrap();
    }
    std::fs::write(
        dir.join("handouts.yaml"),
        "font-family: DejaVu Sans\nfonts: [brand]\n",
    )
    .unwrap();
    std::fs::write(dir.join("sheet.yaml"), SHEET).unwrap();
    let cfg = config::load(&dir.join("handouts.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    let doc = handouts::compile(&dir.join("sheet.yaml"), &cfg, Paper::Letter)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .doc;
    let runs: Vec<_> = doc.pages[0]
        .items
        .iter()
        .filter_map(Item::as_text)
        .collect();
    let face_of = |needle: &str| runs.iter().find(|t| t.text.contains(needle)).unwrap().face;
    let body = face_of("Sit together");
    let heading = face_of("Tonight");
    assert!(matches!(body, Face::Found(_)), "{body:?}");
    assert_eq!(body.postscript_name(), "DejaVuSans");
    assert_eq!(heading.postscript_name(), "DejaVuSans-Bold");
    // Greek and the names are in the family too; nothing falls back.
    assert_eq!(face_of("Ζωή"), body);
    // The brand face is shaped (its kerning is in GPOS): its runs carry
    // glyphs.
    assert!(
        runs.iter()
            .find(|t| t.text.contains("Sit"))
            .unwrap()
            .glyphs
            .len()
            > 5
    );

    // The CLI builds it, and the PDF embeds the brand face, not Lato.
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["build", dir.join("sheet.yaml").to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lo = lopdf::Document::load(out.join("sheet.pdf")).unwrap();
    let fonts: Vec<String> = lo
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font"))
        .filter_map(|d| d.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    assert!(
        fonts.iter().any(|f| f.ends_with("+DejaVuSans")),
        "{fonts:?}"
    );
    assert!(!fonts.iter().any(|f| f.contains("Lato")), "{fonts:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unknown_family_or_folder_is_an_error_at_its_line() {
    let dir = scratch("unknown");
    std::fs::write(
        dir.join("handouts.yaml"),
        "practice: Riverside\nfont-family: Nonesuch Sans Pro\n",
    )
    .unwrap();
    let e = config::load(&dir.join("handouts.yaml")).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("Nonesuch Sans Pro") && msg.contains(":2:"),
        "{msg}"
    );
    assert!(msg.contains("fonts:"), "the hint says how: {msg}");

    std::fs::write(
        dir.join("handouts.yaml"),
        "fonts:\n  - brand\n  - missing\n",
    )
    .unwrap();
    let msg = config::load(&dir.join("handouts.yaml"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("missing") && msg.contains(":3:"), "{msg}");

    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["check", "--font-path"])
        .arg(dir.join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--font-path"));
    std::fs::remove_dir_all(&dir).ok();
}
