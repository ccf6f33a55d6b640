//! The promises on hostile and messy input (issue 11), through the command
//! line: a roster row is one couple or its own error; client names go on the
//! pages only; nothing is written outside `--out`, nothing half-written,
//! nothing left behind; only regular files are read.

use lopdf::{Document, Object};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn handouts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        // Which symbols are missing must not depend on the fonts this
        // machine has: only the bundled faces.
        .env("HANDOUTS_NO_SYSTEM_FONTS", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run handouts")
}

fn scratch(name: &str) -> PathBuf {
    let d =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-trust-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

/// A packet of one small worksheet that uses the names in its title, a
/// prompt, a checklist, a scale and a table heading, in `dir`.
fn small_packet(dir: &Path) -> PathBuf {
    std::fs::write(
        dir.join("letter.yaml"),
        "title: Letter to {{partner_b}}\nblocks:\n  - prompt: What should {{partner_b}} know?\n    lines: 2\n  - checklist: [\"I told {{partner_a}}\"]\n  - scale: How close to {{partner_b}}?\n    from: 0\n    to: 4\n  - table: [\"{{partner_a}} says\", \"{{partner_b}} says\"]\n    blank-rows: 1\n",
    )
    .unwrap();
    let p = dir.join("packet.yaml");
    std::fs::write(
        &p,
        "title: Letters\ncover:\n  title: For {{partner_a}}\n  subtitle: and {{partner_b}}\n  lines: [\"{{session_date}}\"]\nsections:\n  - title: About {{partner_b}}\n    worksheets:\n      - letter.yaml\n      - worksheet: letter.yaml\n        per-partner: true\n",
    )
    .unwrap();
    p
}

/// Every string in the PDF outside page content and font streams: Info,
/// bookmarks, field names, tooltips and values, the /ID.
fn strings_off_the_page(pdf: &[u8]) -> Vec<String> {
    fn walk(o: &Object, out: &mut Vec<String>) {
        match o {
            Object::String(b, _) => {
                let s = if b.starts_with(&[0xfe, 0xff]) {
                    let units: Vec<u16> = b[2..]
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    b.iter().map(|&c| c as char).collect::<String>() + &String::from_utf8_lossy(b)
                };
                out.push(s);
            }
            Object::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Object::Dictionary(d) => d.iter().for_each(|(_, v)| walk(v, out)),
            Object::Stream(st) => st.dict.iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let doc = Document::load_mem(pdf).expect("a readable PDF");
    let mut out = Vec::new();
    for o in doc.objects.values() {
        walk(o, &mut out);
    }
    walk(&Object::Dictionary(doc.trailer.clone()), &mut out);
    out
}

fn assert_no_name_off_the_page(pdf: &[u8], names: &[&str]) {
    for s in strings_off_the_page(pdf) {
        for n in names {
            assert!(
                !s.contains(n),
                "`{n}` is in a PDF string off the page: {s:?}"
            );
        }
    }
    // Nor in the raw bytes of anything uncompressed (metadata, XMP).
    let raw = String::from_utf8_lossy(pdf);
    for n in names {
        assert!(!raw.contains(n), "`{n}` in the raw PDF bytes");
    }
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

// ---------------------------------------------------------------- rosters

#[test]
fn each_roster_row_is_one_couple_or_its_own_error() {
    let dir = scratch("rows");
    let packet = small_packet(&dir);
    let roster = dir.join("r.csv");
    std::fs::write(
        &roster,
        "\u{feff}partner_a,partner_b,session_date\r\n\
         Quincy,Rosalind,2026-05-01\r\n\
         Smith, Jr.,Talia,2026-05-02\r\n\
         \"Smith, Jr.\",Ulrike,2026-05-03\r\n\
         Vesna,Wanda\r\n\
         \"Xavier,Yolanda,2026-05-04\r\n\
         Zelda,Abelard,2026-05-05\r\n\
         Bertram,,2026-05-06\r\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = handouts(&[
        "packet",
        s(&packet),
        "--roster",
        s(&roster),
        "--out",
        s(&out),
    ]);
    let all = text(&o);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains("built 3 of 7 packets"), "{all}");
    for (line, row) in [(3, 2), (5, 4), (6, 5), (8, 7)] {
        assert!(
            all.contains(&format!("r.csv:{line}:")) && all.contains(&format!("row {row}:")),
            "row {row} on line {line} not reported: {all}"
        );
    }
    assert_eq!(
        names_in(&out),
        [
            "2026-05-01-Quincy-Rosalind.pdf",
            "2026-05-03-Smith-Jr-Ulrike.pdf",
            "2026-05-05-Zelda-Abelard.pdf"
        ]
    );
    // No value of any row is echoed, good or bad.
    for n in [
        "Talia", "Vesna", "Wanda", "Xavier", "Yolanda", "Bertram", "Quincy",
    ] {
        assert!(!all.contains(n), "`{n}` printed: {all}");
    }
}

/// A roster of many broken rows: the first thousand are listed, the rest
/// counted, every one still failed and nothing built for them.
#[test]
fn many_broken_rows_are_listed_to_a_thousand_and_counted() {
    let dir = scratch("many");
    let packet = small_packet(&dir);
    let roster = dir.join("r.csv");
    let mut csv = String::from("partner_a,partner_b,session_date\nQuincy,Rosalind,2026-05-01\n");
    for i in 0..1_200 {
        csv.push_str(&format!("Name{i},,2026-05-01\n"));
    }
    std::fs::write(&roster, csv).unwrap();
    let out = dir.join("out");
    let o = handouts(&[
        "packet",
        s(&packet),
        "--roster",
        s(&roster),
        "--out",
        s(&out),
    ]);
    let all = text(&o);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains("built 1 of 1201 packets"), "{all}");
    assert!(all.contains("200 more rows failed"), "{all}");
    assert_eq!(all.matches("no value for").count(), 1000);
    assert_eq!(names_in(&out), ["2026-05-01-Quincy-Rosalind.pdf"]);
}

#[test]
fn header_problems_fail_the_whole_roster() {
    let dir = scratch("header");
    let packet = small_packet(&dir);
    for (name, csv) in [
        ("dup.csv", "partner_a,partner_b,partner_a\nA,B,C\n"),
        ("empty.csv", "partner_a,,session_date\nA,B,C\n"),
    ] {
        let r = dir.join(name);
        std::fs::write(&r, csv).unwrap();
        let out = dir.join("out");
        let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out)]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", text(&o));
        assert!(!out.exists(), "{name} wrote something");
    }
}

#[test]
fn yaml_rosters_keep_the_spelling_and_bad_rows_fail_alone() {
    let dir = scratch("yaml");
    let packet = small_packet(&dir);
    // File names from a pattern of the values as written.
    let src = std::fs::read_to_string(&packet).unwrap();
    std::fs::write(&packet, format!("{src}output: \"{{{{session_date}}}}\"\n")).unwrap();
    let r = dir.join("r.yaml");
    std::fs::write(
        &r,
        "- {partner_a: A, partner_b: B, session_date: 0x1F}\n\
         - {partner_a: C, partner_b: D, session_date: 1.10}\n\
         - {partner_a: [E], partner_b: F, session_date: x}\n\
         - just-text\n\
         - {partner_a: G, partner_b: H, session_date: 0503}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out)]);
    let all = text(&o);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains("row 3:") && all.contains("row 4:"), "{all}");
    // (A dot is not kept in file names; the digits are.)
    assert_eq!(names_in(&out), ["0503.pdf", "0x1F.pdf", "1-10.pdf"]);
}

#[test]
fn an_empty_cell_takes_the_packet_default_or_fails() {
    let dir = scratch("defaults");
    let packet = small_packet(&dir);
    let src = std::fs::read_to_string(&packet).unwrap();
    std::fs::write(
        &packet,
        format!("{src}defaults: {{session_date: Spring}}\n"),
    )
    .unwrap();
    let r = dir.join("r.csv");
    std::fs::write(&r, "partner_a,partner_b,session_date\nAda,Bo,\nCy,,May\n").unwrap();
    let out = dir.join("out");
    let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("row 2: no value for `partner_b`"),
        "{}",
        text(&o)
    );
    assert_eq!(names_in(&out), ["Spring-Ada-Bo.pdf"]);
}

#[test]
fn long_names_are_cut_to_the_file_system_limit_in_bytes() {
    let dir = scratch("long");
    let packet = small_packet(&dir);
    let long = "王小明".repeat(40); // 360 bytes
    let r = dir.join("r.csv");
    std::fs::write(
        &r,
        format!("partner_a,partner_b,session_date\n{long},{long},2026\n{long},{long},2026\n"),
    )
    .unwrap();
    let out = dir.join("out");
    let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out)]);
    assert!(o.status.success(), "{}", text(&o));
    let names = names_in(&out);
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 255 && n.ends_with(".pdf")));
}

#[test]
fn check_validates_every_row_and_writes_nothing() {
    let dir = scratch("check");
    let packet = small_packet(&dir);
    let r = dir.join("r.csv");
    std::fs::write(
        &r,
        "partner_a,partner_b,session_date\nAda,Bo,May\nCy,,May\n",
    )
    .unwrap();
    let before = names_in(&dir);
    let o = handouts(&["check", s(&packet), "--roster", s(&r)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("row 2: no value for `partner_b`"));
    assert_eq!(names_in(&dir), before, "check wrote something");
    // --set fills the gap for every row; a key nothing uses is a warning.
    let o = handouts(&[
        "check",
        s(&packet),
        "--roster",
        s(&r),
        "--set",
        "partner_b=Kim",
        "--set",
        "sesion_date=x",
    ]);
    let all = text(&o);
    assert!(o.status.success(), "{all}");
    assert!(
        all.contains("nothing uses the placeholder `sesion_date`"),
        "{all}"
    );
    assert!(all.contains("did you mean `session_date`?"), "{all}");
}

// ---------------------------------------------------------------- privacy

#[test]
fn names_never_reach_metadata_bookmarks_tooltips_ids_or_messages() {
    let dir = scratch("privacy");
    let packet = small_packet(&dir);
    let r = dir.join("r.csv");
    std::fs::write(
        &r,
        "partner_a,partner_b,session_date\nPrzemysław,Gwendolyn 🌸,2026-05-01\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = handouts(&[
        "packet",
        s(&packet),
        "--roster",
        s(&r),
        "--out",
        s(&out),
        "--fillable",
    ]);
    let all = text(&o);
    assert!(o.status.success(), "{all}");
    // The emoji has no bundled font: the warning names the symbol and the
    // row, as a facilitator needs to find it (issue 17); letters are only
    // counted (a Chinese name's code points would spell it), and the name
    // itself is never printed.
    assert!(all.contains("row 1: 🌸 (U+1F338) in this packet"), "{all}");
    for n in ["Przemysław", "Gwendolyn"] {
        assert!(!all.contains(n), "`{n}` printed: {all}");
    }
    let files = names_in(&out);
    assert_eq!(files.len(), 1);
    let pdf = std::fs::read(out.join(&files[0])).unwrap();
    assert_no_name_off_the_page(&pdf, &["Przemysław", "Gwendolyn", "2026-05-01"]);

    // The same for one worksheet built with --set.
    let out2 = dir.join("out2");
    let o = handouts(&[
        "build",
        s(&dir.join("letter.yaml")),
        "--set",
        "partner_a=Przemysław",
        "--set",
        "partner_b=Gwendolyn",
        "--fillable",
        "--out",
        s(&out2),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("Gwendolyn"));
    let pdf = std::fs::read(out2.join("letter.pdf")).unwrap();
    assert_no_name_off_the_page(&pdf, &["Przemysław", "Gwendolyn"]);
    let title = strings_off_the_page(&pdf);
    assert!(
        title.iter().any(|t| t.contains("Letter to Partner B")),
        "{title:?}"
    );
}

#[cfg(unix)]
#[test]
fn personalised_files_and_new_folders_are_owner_only() {
    let dir = scratch("modes");
    let out = dir.join("new").join("deeper");
    let o = handouts(&[
        "build",
        "worksheets/demo/every-block.yaml",
        "--set",
        "partner_a=Ana",
        "--out",
        s(&out),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(mode(&out), 0o700);
    assert_eq!(mode(&out.join("every-block.pdf")), 0o600);
    // A packet built with values is private too.
    let packet = small_packet(&dir);
    let out = dir.join("p");
    let o = handouts(&[
        "packet",
        s(&packet),
        "--set",
        "partner_a=Ana",
        "--set",
        "partner_b=Bo",
        "--set",
        "session_date=May",
        "--out",
        s(&out),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(mode(&out.join("packet.pdf")), 0o600);
}

#[test]
fn diagnostics_about_a_row_never_show_the_row() {
    let dir = scratch("snippet");
    let packet = small_packet(&dir);
    let r = dir.join("r.csv");
    std::fs::write(
        &r,
        "partner_a,partner_b,session_date\nOttoline,Persephone\n",
    )
    .unwrap();
    let o = handouts(&[
        "packet",
        s(&packet),
        "--roster",
        s(&r),
        "--out",
        s(&dir.join("o")),
    ]);
    let all = text(&o);
    assert!(all.contains("row 1:"), "{all}");
    assert!(
        !all.contains("Ottoline") && !all.contains("Persephone"),
        "{all}"
    );
}

// ---------------------------------------------------------------- files

#[cfg(unix)]
#[test]
fn planted_symlinks_and_world_readable_files_are_replaced_not_used() {
    let dir = scratch("planted");
    let packet = small_packet(&dir);
    let r = dir.join("r.csv");
    std::fs::write(
        &r,
        "partner_a,partner_b,session_date\nAda,Bo,May\nCy,Di,June\n",
    )
    .unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let outside = dir.join("outside.pdf");
    std::os::unix::fs::symlink(&outside, out.join("May-Ada-Bo.pdf")).unwrap();
    // Old-style predictable temporaries pointing outside, too.
    for pid in 1..50 {
        let _ =
            std::os::unix::fs::symlink(&outside, out.join(format!(".May-Ada-Bo.pdf.{pid}.tmp")));
    }
    std::fs::write(out.join("June-Cy-Di.pdf"), b"planted").unwrap();
    std::fs::set_permissions(
        out.join("June-Cy-Di.pdf"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out)]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        !outside.exists(),
        "a packet was written through a planted link"
    );
    for f in ["May-Ada-Bo.pdf", "June-Cy-Di.pdf"] {
        let p = out.join(f);
        assert!(std::fs::symlink_metadata(&p).unwrap().is_file(), "{f}");
        assert_eq!(mode(&p), 0o600, "{f}");
        assert!(std::fs::read(&p).unwrap().starts_with(b"%PDF"));
    }
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_folders_are_refused_at_once() {
    let dir = scratch("special");
    let fifo = dir.join("pipe.yaml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let roster_fifo = dir.join("pipe.csv");
    assert!(Command::new("mkfifo")
        .arg(&roster_fifo)
        .status()
        .unwrap()
        .success());
    let packet = small_packet(&dir);
    let folder_roster = dir.join("folder.csv");
    std::fs::create_dir_all(&folder_roster).unwrap();
    let dev_packet = dir.join("dev.yaml");
    std::fs::write(
        &dev_packet,
        "title: P\ncover: {title: C}\nsections:\n  - title: S\n    worksheets: [/dev/zero, ../../../../../../etc/passwd, letter.yaml]\n",
    )
    .unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", s(&fifo)],
        vec!["build", s(&fifo), "--out", s(&dir)],
        vec![
            "packet",
            s(&packet),
            "--roster",
            s(&roster_fifo),
            "--out",
            s(&dir),
        ],
        vec![
            "packet",
            s(&packet),
            "--roster",
            s(&folder_roster),
            "--out",
            s(&dir),
        ],
        vec!["check", "/dev/zero"],
        vec!["check", s(&dev_packet)],
    ];
    for args in cases {
        let start = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_handouts"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("{args:?} hung");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o));
        // Never the contents of what was refused.
        assert!(!text(&o).contains("root:"), "{args:?}: {}", text(&o));
    }
}

#[test]
fn a_packet_naming_a_non_spec_never_prints_its_contents() {
    let dir = scratch("notspec");
    let secret = dir.join("couples.yaml");
    std::fs::write(
        &secret,
        "- partner_a: Hieronymus\n  partner_b: Clementine\n",
    )
    .unwrap();
    let p = dir.join("p.yaml");
    std::fs::write(
        &p,
        "title: P\ncover: {title: C}\nsections:\n  - title: S\n    worksheets: [couples.yaml]\n",
    )
    .unwrap();
    let o = handouts(&["check", s(&p)]);
    assert_eq!(o.status.code(), Some(1));
    let all = text(&o);
    assert!(all.contains("not a worksheet spec"), "{all}");
    assert!(
        !all.contains("Hieronymus") && !all.contains("Clementine"),
        "{all}"
    );
}

#[cfg(unix)]
#[test]
fn a_killed_batch_then_a_rerun_leaves_exactly_the_packets() {
    let dir = scratch("kill");
    let packet = small_packet(&dir);
    let rows = 300;
    let mut csv = String::from("partner_a,partner_b,session_date\n");
    for i in 0..rows {
        csv.push_str(&format!("A{i},B{i},D\n"));
    }
    let r = dir.join("r.csv");
    std::fs::write(&r, csv).unwrap();
    let out = dir.join("out");
    let args = ["packet", s(&packet), "--roster", s(&r), "--out", s(&out)];
    let mut child = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while out.read_dir().map_or(0, |d| d.count()) < 20 && start.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let o = handouts(&args);
    assert!(o.status.success(), "{}", text(&o));
    let names = names_in(&out);
    assert_eq!(names.len(), rows, "{:?}", &names[..names.len().min(10)]);
    assert!(names
        .iter()
        .all(|n| n.ends_with(".pdf") && !n.starts_with('.')));
    for n in &names {
        let b = std::fs::read(out.join(n)).unwrap();
        assert!(
            b.ends_with(b"%%EOF\n") || b.ends_with(b"%%EOF"),
            "{n} truncated"
        );
    }
}

// ---------------------------------------------------------------- limits

#[test]
fn set_values_count_against_the_text_limits() {
    let dir = scratch("setlimit");
    small_packet(&dir);
    let long = "x".repeat(20_000);
    let o = handouts(&[
        "build",
        s(&dir.join("letter.yaml")),
        "--set",
        &format!("partner_b={long}"),
        "--set",
        "partner_a=A",
        "--out",
        s(&dir.join("o")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("with its placeholders filled"),
        "{}",
        text(&o)
    );
    assert!(!dir.join("o").exists());
}

#[test]
fn a_twelve_thousand_row_roster_of_long_names_checks() {
    let dir = scratch("12k");
    let packet = small_packet(&dir);
    let mut csv = String::from("partner_a,partner_b,session_date\n");
    for i in 0..12_000 {
        csv.push_str(&format!(
            "Maximiliana-Wilhelmina Featherstonehaugh {i},Bartholomew-Christopher Cholmondeley {i},2026-05-01\n"
        ));
    }
    assert!(csv.len() > 1_100_000);
    let r = dir.join("r.csv");
    std::fs::write(&r, csv).unwrap();
    let o = handouts(&["check", s(&packet), "--roster", s(&r), "-v"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("12000 of 12000 roster rows build"),
        "{}",
        text(&o)
    );
}

#[test]
fn review_findings_stay_fixed() {
    let dir = scratch("review");
    let packet = small_packet(&dir);
    // A value split over two lines: the leftover line is not a couple.
    let r = dir.join("split.csv");
    std::fs::write(
        &r,
        "partner_a,partner_b,session_date\n\"Ana\nLee\",Bo,May\nCy,Di,June\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(names_in(&out), ["June-Cy-Di.pdf"]);
    // Rosters named as specs, in flow style or as CSV, are never quoted.
    for (name, body) in [
        (
            "flow.yaml",
            "[{partner_a: Ottoline, partner_b: Persephone}]\n",
        ),
        ("csv.yaml", "partner_a,partner_b\nOttoline,Persephone\n"),
    ] {
        let f = dir.join(name);
        std::fs::write(&f, body).unwrap();
        let o = handouts(&["check", s(&f)]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(!text(&o).contains("Ottoline"), "{name}: {}", text(&o));
    }
    // A malformed --set is a usage error that does not repeat the value.
    let o = handouts(&[
        "build",
        s(&dir.join("letter.yaml")),
        "--set",
        "partner_a Ottoline",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!text(&o).contains("Ottoline"), "{}", text(&o));
    // A headerless roster: the duplicate "column" is a name, not repeated.
    let r = dir.join("headless.csv");
    std::fs::write(&r, "Ottoline,Smith,Persephone,Smith\n").unwrap();
    let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!text(&o).contains("Smith"), "{}", text(&o));
    // `Null` and `~` are names as written, not empty cells.
    let r = dir.join("null.yaml");
    std::fs::write(
        &r,
        "- {partner_a: Null, partner_b: '~', session_date: May}\n",
    )
    .unwrap();
    let out2 = dir.join("out2");
    let o = handouts(&["packet", s(&packet), "--roster", s(&r), "--out", s(&out2)]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(names_in(&out2), ["May-Null.pdf"]);
}
