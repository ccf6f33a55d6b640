//! The PDFs themselves, checked with real tools: qpdf, poppler and mupdf.
//!
//! Opt-in, because it needs those tools installed:
//! `cargo test --features pdf-tools` (`.ci/run` installs them).
#![cfg(feature = "pdf-tools")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn run(tool: &str, args: &[&str]) -> (bool, String, String) {
    let o = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} (is it installed?): {e}"));
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every bundled worksheet, and a page of pictures of every kind (PNG,
/// JPEG, SVG drawings, a QR code).
fn build_into(out: &Path, extra: &[&str]) {
    for what in ["worksheets", "tests/fixtures/pictures.yaml"] {
        let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
            .args(["build", what, "--out", out.to_str().unwrap()])
            .args(extra)
            .env("SOURCE_DATE_EPOCH", "1795824000")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

/// Every bundled worksheet, built once for all tests.
fn built() -> &'static Vec<PathBuf> {
    static PDFS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PDFS.get_or_init(|| {
        let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools");
        let _ = std::fs::remove_dir_all(&out);
        build_into(&out, &[]);
        let mut v: Vec<PathBuf> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        assert!(v.len() >= 5, "{v:?}");
        v
    })
}

fn p(x: &Path) -> &str {
    x.to_str().unwrap()
}

#[test]
fn qpdf_finds_no_errors() {
    for pdf in built() {
        let (ok, out, err) = run("qpdf", &["--check", p(pdf)]);
        assert!(
            ok && out.contains("No syntax or stream encoding errors"),
            "{}: {out}{err}",
            pdf.display()
        );
        assert!(
            !out.contains("WARNING") && err.is_empty(),
            "{}: {out}{err}",
            pdf.display()
        );
    }
}

#[test]
fn mupdf_renders_without_warnings() {
    for pdf in built() {
        let (ok, _, err) = run(
            "mutool",
            &["draw", "-q", "-F", "txt", "-o", "/dev/null", p(pdf)],
        );
        // This Debian build says so for every PDF; it is not about ours.
        let real: Vec<&str> = err
            .lines()
            .filter(|l| !l.contains("ICC support is not available"))
            .collect();
        assert!(ok && real.is_empty(), "{}: {real:?}", pdf.display());
    }
}

#[test]
fn fonts_are_embedded_and_subset_with_unicode_maps() {
    for pdf in built() {
        let (ok, out, _) = run("pdffonts", &[p(pdf)]);
        assert!(ok);
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{}: no fonts", pdf.display());
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            // name type... encoding emb sub uni object-id generation
            assert_eq!(
                &cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "{}: {row}",
                pdf.display()
            );
            assert!(
                cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
                "subset tag: {row}"
            );
        }
    }
}

#[test]
fn text_round_trips_with_real_unicode() {
    let demo = built()
        .iter()
        .find(|p| p.ends_with("every-block.pdf"))
        .unwrap();
    let (ok, text, _) = run("pdftotext", &[p(demo), "-"]);
    assert!(ok);
    for want in [
        "Every Block, One Worksheet",
        "“curly quotes”",
        "dashes —",
        "Zoë",
        "Ζωή",
        "Наталья",
        "Page 1 of",
    ] {
        assert!(text.contains(want), "pdftotext lost {want:?}");
    }
    for pdf in built() {
        let (_, text, _) = run("pdftotext", &[p(pdf), "-"]);
        // The English library's, or the Spanish one's (worksheets/es/).
        assert!(
            text.contains("For use with a therapist")
                || text.contains("Para usar con su terapeuta"),
            "{}: no safety line",
            pdf.display()
        );
    }
}

#[test]
fn metadata_has_title_subject_and_language_but_no_pdfx_claim() {
    for pdf in built() {
        let (_, info, _) = run("pdfinfo", &[p(pdf)]);
        assert!(info.contains("Title:"), "{info}");
        assert!(!info.contains("PDF subtype"), "{}: {info}", pdf.display());
        let (_, qdf, _) = run("qpdf", &["--qdf", "--object-streams=disable", p(pdf), "-"]);
        assert!(
            qdf.contains("/Lang (en-US)") || qdf.contains("/Lang (es-US)"),
            "{}: no /Lang",
            pdf.display()
        );
    }
    let atone = built()
        .iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("atone")
        })
        .expect("an atone worksheet");
    let (_, info, _) = run("pdfinfo", &[p(atone)]);
    let subject = info.lines().find_map(|l| l.strip_prefix("Subject:"));
    assert_eq!(subject.map(str::trim), Some("Atone"), "{info}");
}

#[test]
fn two_processes_write_identical_bytes() {
    let other = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools-b");
    let _ = std::fs::remove_dir_all(&other);
    build_into(&other, &[]);
    for pdf in built() {
        let again = other.join(pdf.file_name().unwrap());
        let (ok, _, _) = run("cmp", &[p(pdf), p(&again)]);
        assert!(ok, "{} differs between runs", pdf.display());
    }
}

#[test]
fn paper_a4_is_a4_to_poppler() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools-a4");
    let _ = std::fs::remove_dir_all(&out);
    build_into(&out, &["--paper", "a4"]);
    let (_, info, _) = run("pdfinfo", &[p(&out.join("every-block.pdf"))]);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
}

#[test]
fn printed_kerned_width_matches_the_measured_width() {
    use handouts::layout::display::Item;
    use handouts::spec::config::{Config, Paper};
    let fixture = Path::new("tests/fixtures/minimal.yaml");
    let doc = handouts::compile(fixture, &Config::default(), Paper::Letter)
        .unwrap()
        .doc;
    let run_ = doc.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Text(t) if &*t.text == "AVATAR Toy Type" => Some(t.clone()),
            _ => None,
        })
        .unwrap();
    assert!(!run_.kerns.is_empty(), "the heading has kerning pairs");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools-kern");
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["build", p(fixture), "--out", p(&out)])
        .output()
        .unwrap();
    assert!(o.status.success());
    let (_, html, _) = run("pdftotext", &["-bbox", p(&out.join("minimal.pdf")), "-"]);
    let word = |w: &str| -> (f32, f32) {
        let line = html
            .lines()
            .find(|l| l.ends_with(&format!(">{w}</word>")))
            .unwrap_or_else(|| panic!("{w} not found"));
        let attr = |k: &str| -> f32 {
            let at = line.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            line[at..].split('"').next().unwrap().parse().unwrap()
        };
        (attr("xMin"), attr("xMax"))
    };
    let (start, _) = word("AVATAR");
    let (_, end) = word("Type");
    let printed = end - start;
    assert!(
        (printed - run_.width).abs() < 0.6,
        "printed {printed} vs measured {}",
        run_.width
    );
}

#[test]
fn a_packet_has_bookmarks_links_and_no_names_in_metadata() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools-packet");
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args([
            "packet",
            "worksheets/packets/intensive.yaml",
            "--duplex",
            "--out",
            p(&out),
        ])
        .args([
            "--set",
            "partner_a=Zoë",
            "--set",
            "partner_b=Наталья",
            "--set",
            "session_date=3 May",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = out.join("intensive.pdf");
    let (ok, check, _) = run("qpdf", &["--check", p(&pdf)]);
    assert!(
        ok && check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    let (_, outline, _) = run("mutool", &["show", p(&pdf), "outline"]);
    let marks: Vec<&str> = outline.lines().filter(|l| l.contains("#page=")).collect();
    assert_eq!(marks.len(), 1 + 4 + 15, "{outline}");
    for m in &marks {
        // Duplex: every worksheet (indented entry) opens on an odd page.
        if m.starts_with("|\t\t") {
            let page: usize = m
                .split("#page=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(page % 2, 1, "{m}");
        }
    }
    let (_, info, _) = run("pdfinfo", &[p(&pdf)]);
    assert!(!info.contains("Zoë") && !info.contains("Наталья"), "{info}");
    let (_, qdf, _) = run("qpdf", &["--qdf", "--object-streams=disable", p(&pdf), "-"]);
    assert!(
        qdf.matches("/Subtype /Link").count() >= 19,
        "contents links"
    );
    assert!(qdf.contains("/PageMode /UseOutlines"));
    let (_, text, _) = run("pdftotext", &["-f", "1", "-l", "1", p(&pdf), "-"]);
    assert!(text.contains("Zoë and Наталья"), "{text}");
}

#[test]
fn fillable_pdfs_pass_qpdf_and_typed_text_prints_after_flattening() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools-fill");
    let _ = std::fs::remove_dir_all(&out);
    build_into(&out, &["--fillable"]);
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args([
            "packet",
            "worksheets/packets/intensive.yaml",
            "--fillable",
            "--duplex",
            "--out",
            p(&out),
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    for e in std::fs::read_dir(&out).unwrap() {
        let pdf = e.unwrap().path();
        let (ok, check, err) = run("qpdf", &["--check", p(&pdf)]);
        assert!(
            ok && check.contains("No syntax or stream encoding errors"),
            "{}: {check}{err}",
            pdf.display()
        );
        let (_, info, _) = run("pdfinfo", &[p(&pdf)]);
        assert!(
            info.contains("Form:            AcroForm"),
            "{}: no form",
            pdf.display()
        );
    }
    // Type into every text field of the demo, then flatten as a viewer would.
    let demo = out.join("every-block.pdf");
    let mut lo = lopdf::Document::load(&demo).unwrap();
    let ids: Vec<lopdf::ObjectId> = lo.objects.keys().copied().collect();
    let mut typed = 0;
    for id in ids {
        if let Ok(d) = lo.get_dictionary_mut(id) {
            if d.get(b"FT").and_then(|f| f.as_name()).ok() == Some(b"Tx".as_slice()) {
                d.set(
                    "V",
                    lopdf::Object::string_literal(format!("typed answer {typed}")),
                );
                typed += 1;
            }
        }
    }
    assert!(typed > 20);
    // As a filling program does: ask viewers to redraw the fields.
    let form = lo
        .catalog()
        .unwrap()
        .get(b"AcroForm")
        .unwrap()
        .as_reference()
        .unwrap();
    lo.get_dictionary_mut(form)
        .unwrap()
        .set("NeedAppearances", lopdf::Object::Boolean(true));
    let filled = out.join("filled.pdf");
    lo.save(&filled).unwrap();
    let flat = out.join("flat.pdf");
    let (ok, _, err) = run(
        "qpdf",
        &[
            "--generate-appearances",
            "--flatten-annotations=all",
            p(&filled),
            p(&flat),
        ],
    );
    assert!(ok, "{err}");
    let (_, text, _) = run("pdftotext", &[p(&flat), "-"]);
    for n in [0, typed / 2, typed - 1] {
        assert!(
            text.contains(&format!("typed answer {n}")),
            "answer {n} missing after flattening"
        );
    }
}

/// Each roster row's packet, read back by poppler: its cover has that
/// row's names and no other row's; mutool finds no name in bookmarks;
/// qpdf passes every file.
#[test]
fn every_roster_packet_carries_its_own_couple_only() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools-roster");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let couples = [
        ("Aurelio", "Brunhilde"),
        ("Cassius", "Dagny"),
        ("Eulalia", "Fitzgerald"),
        ("Gwendolyn", "Horatio"),
        ("Ignatius", "Jocasta"),
        ("Kallista", "Leopold"),
    ];
    let mut csv = String::from("partner_a,partner_b,session_date\n");
    for (i, (a, b)) in couples.iter().enumerate() {
        // A quoted comma and a doubled quote on some rows.
        let a = if i % 2 == 0 {
            format!("\"{a}, Jr.\"")
        } else {
            format!("\"{a} \"\"Q\"\"\"")
        };
        csv.push_str(&format!("{a},{b},2026-06-{:02}\n", i + 1));
    }
    let roster = dir.join("r.csv");
    std::fs::write(&roster, csv).unwrap();
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args([
            "packet",
            "worksheets/packets/atone.yaml",
            "--roster",
            p(&roster),
        ])
        .args(["--out", p(&out), "--fillable"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (i, (a, b)) in couples.iter().enumerate() {
        let file = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|f| {
                f.to_str()
                    .unwrap()
                    .contains(&format!("2026-06-{:02}", i + 1))
            })
            .unwrap_or_else(|| panic!("no file for row {}", i + 1));
        let (_, cover, _) = run("pdftotext", &["-f", "1", "-l", "1", p(&file), "-"]);
        assert!(
            cover.contains(a) && cover.contains(b),
            "row {}: {cover}",
            i + 1
        );
        for (j, (x, y)) in couples.iter().enumerate() {
            if j != i {
                assert!(
                    !cover.contains(x) && !cover.contains(y),
                    "row {} has {x}",
                    i + 1
                );
            }
        }
        let (_, outline, _) = run("mutool", &["show", p(&file), "outline"]);
        let (_, info, _) = run("pdfinfo", &[p(&file)]);
        for text in [&outline, &info] {
            assert!(!text.contains(a) && !text.contains(b), "{text}");
        }
        let (ok, check, _) = run("qpdf", &["--check", p(&file)]);
        assert!(ok, "{check}");
    }
}

/// Hyphens added at line breaks copy as soft hyphens (the word comes back
/// whole), and web addresses are URI links, to poppler and mupdf alike.
#[test]
fn added_hyphens_copy_whole_and_web_addresses_are_links() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-breaks");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ws = dir.join("narrow.yaml");
    std::fs::write(
        &ws,
        "title: Narrow\nblocks:\n  - table: [Day, Notes, More, Even more, Most]\n    rows:\n      - [Mon 11 May, Incomprehensibility, Counterproductiveness, Responsibilities, Accountabilities]\n  - paragraph: Read https://www.example.org/resources/couples-therapy/rebuilding-trust?stage=atone&format=print today.\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["build", p(&ws), "--out", p(&dir)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = dir.join("narrow.pdf");
    let (ok, text, err) = run("pdftotext", &[p(&pdf), "-"]);
    assert!(ok, "{err}");
    // At least one word was hyphenated, and each copies with a soft hyphen.
    // (mupdf's text output ignores ActualText; poppler's is the check.)
    assert!(text.contains('\u{ad}'), "no soft hyphen in {text:?}");
    let rejoined = text.replace("\u{ad}\n", "");
    for w in [
        "Incomprehensibility",
        "Counterproductiveness",
        "Responsibilities",
    ] {
        assert!(rejoined.contains(w), "{w} does not copy whole: {text:?}");
    }
    assert!(!text.contains("-\n"), "a printed hyphen copied: {text:?}");
    let (ok, qdf, err) = run("qpdf", &["--qdf", "--object-streams=disable", p(&pdf), "-"]);
    assert!(ok, "{err}");
    assert!(
        qdf.contains("/URI (https://www.example.org/resources/couples-therapy/rebuilding-trust?stage=atone&format=print)"),
        "no link to the address"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_qr_code_decodes_to_its_address_from_a_150_dpi_rendering() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-tools-qr");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let spec = out.join("qr.yaml");
    std::fs::write(
        &spec,
        "title: Codes\nblocks:\n  - paragraph: Scan the code.\n  - qr: https://988lifeline.org/chat\n  - qr: www.example.org/audio/breathing-exercise?track=3&lang=en\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["build", p(&spec), "--out", p(&out)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = out.join("page");
    let (ok, _, err) = run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            p(&out.join("qr.pdf")),
            p(&png),
        ],
    );
    assert!(ok, "{err}");
    let image = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.extension().is_some_and(|e| e == "png"))
        .expect("a rendered page");
    let (_, decoded, _) = run("zbarimg", &["-q", "--raw", p(&image)]);
    let mut got: Vec<&str> = decoded.lines().collect();
    got.sort();
    assert_eq!(
        got,
        [
            "https://988lifeline.org/chat",
            "https://www.example.org/audio/breathing-exercise?track=3&lang=en"
        ]
    );
}

#[test]
fn right_to_left_names_extract_in_logical_order() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-rtl");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("names.yaml");
    std::fs::write(
        &spec,
        "title: Names\nblocks:\n  - paragraph: \"{{partner_a}} and {{partner_b}} meet on Sunday.\"\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args([
            "build",
            p(&spec),
            "--set",
            "partner_a=שרה",
            "--set",
            "partner_b=David",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (ok, text, err) = run("pdftotext", &[p(&dir.join("names.pdf")), "-"]);
    assert!(ok, "{err}");
    // Poppler marks the right-to-left run with embedding marks; the
    // letters themselves come out as written.
    let letters: String = text
        .chars()
        .filter(|c| !('\u{202a}'..='\u{202e}').contains(c))
        .collect();
    assert!(letters.contains("שרה"), "{text}");
    assert!(!letters.contains("הרש"), "{text}");
    assert!(letters.contains("and David meet on Sunday"), "{text}");
}
