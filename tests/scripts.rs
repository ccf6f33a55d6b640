//! Every client's name, printed right, in any script (issue 17), checked
//! in the written PDFs with poppler: names in Arabic, Hebrew, Hindi,
//! Chinese, Korean and Vietnamese on a cover and in a roster batch, set
//! from the bundled faces and the system's Noto fonts, copied back in
//! logical order; right-to-left worksheets extracted in reading order.
//!
//! Needs poppler and Debian's `fonts-noto-core` and `fonts-noto-cjk`
//! (`.ci/run` installs them): `cargo test --features pdf-tools`. A missing
//! font fails these tests; it does not skip them.
#![cfg(feature = "pdf-tools")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn handouts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .output()
        .expect("run handouts")
}

fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} (is it installed?): {e}"));
    assert!(
        o.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The page text, without the direction marks poppler wraps
/// right-to-left words in, and with runs of spaces made one.
fn text_of(pdf: &Path) -> String {
    let raw = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let clean: String = raw
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    clean.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn scratch(name: &str) -> PathBuf {
    let d =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-scripts-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Pairs of names, one pair per script (and Vietnamese with its stacked
/// marks, decomposed in the second name so the shaper places them).
const COUPLES: &[(&str, &str)] = &[
    ("فاطمة الزهراء", "محمد"),
    ("שרה", "דוד"),
    ("प्रिया", "क्षितिज"),
    ("王小明", "李华"),
    ("김민준", "이서연"),
    ("Nguyễn Thị Ánh", "Tra\u{0302}\u{0300}n Văn Đức"),
];

const COVER: &str = "title: Names
cover:
  title: Rebuilding Trust
  lines:
    - \"{{partner_a}} and {{partner_b}}\"
sections:
  - title: One
    worksheets: [sheet.yaml]
";

const SHEET: &str = "title: Check-in
blocks:
  - paragraph: \"{{partner_a}}, {{partner_b}}: sit together for ten minutes.\"
";

/// The cover packet in `dir`, built for one couple into `out`.
fn cover(dir: &Path, a: &str, b: &str, out: &Path) -> Output {
    handouts(&[
        "packet",
        dir.join("packet.yaml").to_str().unwrap(),
        "--set",
        &format!("partner_a={a}"),
        "--set",
        &format!("partner_b={b}"),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn a_cover_prints_every_name_and_copies_it_in_logical_order() {
    let dir = scratch("cover");
    std::fs::write(dir.join("packet.yaml"), COVER).unwrap();
    std::fs::write(dir.join("sheet.yaml"), SHEET).unwrap();
    for (i, (a, b)) in COUPLES.iter().enumerate() {
        let out = dir.join(format!("out{i}"));
        let o = cover(&dir, a, b, &out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{a}/{b}: {err}");
        // Every letter had a face: no warning of missing characters.
        assert!(!err.contains("no font"), "{a}/{b}: {err}");
        let pdf = out.join("packet.pdf");
        let text = text_of(&pdf);
        let nfc = |s: &str| s.replace("Tra\u{0302}\u{0300}n", "Trần");
        for name in [a, b] {
            assert!(
                nfc(&text).contains(&nfc(name)) || text.contains(name),
                "{name} not copied back whole: {text}"
            );
        }
    }
}

#[test]
fn chinese_korean_and_hindi_names_are_set_from_the_systems_noto_faces() {
    let dir = scratch("faces");
    std::fs::write(dir.join("packet.yaml"), COVER).unwrap();
    std::fs::write(dir.join("sheet.yaml"), SHEET).unwrap();
    for (a, b, face) in [
        ("王小明", "李华", "NotoSansCJKsc"),
        ("김민준", "이서연", "NotoSansCJKkr"),
        ("प्रिया", "क्षितिज", "NotoSansDevanagari"),
    ] {
        let out = dir.join(face);
        let o = cover(&dir, a, b, &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let fonts = tool("pdffonts", &[out.join("packet.pdf").to_str().unwrap()]);
        let line = fonts.lines().find(|l| l.contains(face)).unwrap_or_else(|| {
            panic!("{face} not embedded (install fonts-noto-core and fonts-noto-cjk):\n{fonts}")
        });
        // Embedded, subset, with a ToUnicode map.
        assert!(line.contains("yes yes yes"), "{line}");
    }
}

#[test]
fn a_roster_of_names_in_six_scripts_builds_each_couples_packet() {
    let dir = scratch("roster");
    std::fs::write(dir.join("packet.yaml"), COVER).unwrap();
    std::fs::write(dir.join("sheet.yaml"), SHEET).unwrap();
    let mut csv = String::from("partner_a,partner_b,session_date\n");
    for (i, (a, b)) in COUPLES.iter().enumerate() {
        csv.push_str(&format!("{a},{b},2026-06-{:02}\n", i + 1));
    }
    std::fs::write(dir.join("roster.csv"), &csv).unwrap();
    let out = dir.join("out");
    let o = handouts(&[
        "packet",
        dir.join("packet.yaml").to_str().unwrap(),
        "--roster",
        dir.join("roster.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    for (a, b) in COUPLES {
        assert!(
            !err.contains(a) && !err.contains(b),
            "a name printed: {err}"
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), COUPLES.len());
    // Each file is named with the couple's names spelt in full: a virama
    // or a decomposed mark is part of its letter, not a separator.
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    for (i, want) in [
        "2026-06-01-فاطمة-الزهراء-محمد.pdf",
        "2026-06-02-שרה-דוד.pdf",
        "2026-06-03-प्रिया-क्षितिज.pdf",
        "2026-06-04-王小明-李华.pdf",
        "2026-06-05-김민준-이서연.pdf",
        "2026-06-06-Nguyễn-Thị-Ánh-Trần-Văn-Đức.pdf",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(&names[i], want);
    }
    let texts: Vec<String> = files.iter().map(|f| text_of(f)).collect();
    for (a, _) in COUPLES.iter().take(5) {
        // Each couple's names are in exactly one file: their own.
        let holders = texts.iter().filter(|t| t.contains(a)).count();
        assert_eq!(holders, 1, "{a}");
    }
}

/// The Hebrew and Arabic fixture worksheets, built; their PDFs.
fn rtl_pdf(name: &str) -> PathBuf {
    let dir = scratch(name);
    let spec = Path::new("tests/fixtures/rtl").join(format!("{name}.yaml"));
    let o = handouts(&[
        "build",
        spec.to_str().unwrap(),
        "--set",
        "partner_a=Sam",
        "--set",
        "partner_b=Alex",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir.join(format!("{name}.pdf"))
}

/// Words of a spec's title, as written (logical order).
fn title_of(name: &str) -> String {
    let src = std::fs::read_to_string(format!("tests/fixtures/rtl/{name}.yaml")).unwrap();
    src.lines()
        .find_map(|l| l.strip_prefix("title:"))
        .unwrap()
        .trim()
        .trim_matches('"')
        .to_owned()
}

#[test]
fn right_to_left_worksheets_copy_in_reading_order() {
    for name in ["he-checkin", "ar-checkin"] {
        let pdf = rtl_pdf(name);
        let text = text_of(&pdf);
        let title = title_of(name);
        assert!(text.contains(&title), "{name}: {title:?} not in {text}");
        // The structure tree, which screen readers follow, holds every
        // bullet as written: the content stream draws right-to-left glyphs
        // in reading order.
        let tree = tool("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]);
        let src = std::fs::read_to_string(format!("tests/fixtures/rtl/{name}.yaml")).unwrap();
        let bullets: Vec<&str> = src
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("- bullets:"))
            .skip(1)
            .take_while(|l| l.trim_start().starts_with("- ") && !l.contains(':'))
            .map(|l| l.trim_start().trim_start_matches("- ").trim())
            .collect();
        assert_eq!(bullets.len(), 3, "{name}");
        // (Compared without spaces: poppler puts one between runs.)
        let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        for b in bullets {
            assert!(
                squeeze(&tree).contains(&squeeze(b)),
                "{name}: {b:?} not in the tree:\n{tree}"
            );
        }
    }
}

#[test]
fn a_devanagari_conjunct_is_one_glyph_and_its_vowel_is_drawn_first() {
    use handouts::layout::text::{label, Missing, Style};
    let style = Style::plain(12.0);
    let mut missing = Missing::new();
    // क्ष: ka, virama, ssa: one conjunct glyph.
    let l = label("क्ष", &style, &mut missing);
    assert!(missing.is_empty(), "{missing:?}");
    let glyphs: Vec<_> = l.runs.iter().flat_map(|r| r.glyphs.iter()).collect();
    assert_eq!(glyphs.len(), 1, "{glyphs:?}");
    // कि: the vowel sign i is drawn before (left of) its consonant, and
    // both glyphs stand for the whole cluster's text.
    let l = label("कि", &style, &mut missing);
    let r = &l.runs[0];
    assert_eq!(r.glyphs.len(), 2, "{:?}", r.glyphs);
    assert!(r.glyphs.iter().all(|g| g.text == (0, r.text.len() as u32)));
    let m = handouts::fonts::metrics(r.face);
    assert_eq!(
        r.glyphs[1].id,
        m.glyph_id('क'),
        "the consonant is drawn second"
    );
}
