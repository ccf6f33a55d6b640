//! The command-line contract: exit codes, diagnostics on stderr, what is
//! written and what is not.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn handouts(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handouts"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run handouts")
}

/// A fresh scratch folder per test.
fn scratch(name: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-cli-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn build_writes_one_pdf_per_spec() {
    let out = scratch("build");
    let o = handouts(&["build", "worksheets", "--out", s(&out)], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let specs = walk(Path::new("worksheets"));
    assert!(specs.len() >= 14, "{specs:?}");
    for spec in specs {
        let pdf = out.join(spec.file_stem().unwrap()).with_extension("pdf");
        let bytes = std::fs::read(&pdf).unwrap_or_else(|_| panic!("{} missing", pdf.display()));
        assert!(bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF"));
    }
    // Nothing but the PDFs: no temporary files left behind.
    assert!(std::fs::read_dir(&out).unwrap().all(|e| e
        .unwrap()
        .path()
        .extension()
        .is_some_and(|x| x == "pdf")));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "yaml") && !p.ends_with("handouts.yaml") {
            out.push(p);
        }
    }
    out
}

#[test]
fn same_input_and_source_date_epoch_give_identical_bytes() {
    let (a, b) = (scratch("det-a"), scratch("det-b"));
    let env = [("SOURCE_DATE_EPOCH", "1795824000")];
    for d in [&a, &b] {
        let o = handouts(&["build", "worksheets/demo", "--out", s(d)], &env);
        assert!(o.status.success());
    }
    let x = std::fs::read(a.join("every-block.pdf")).unwrap();
    let y = std::fs::read(b.join("every-block.pdf")).unwrap();
    assert!(x == y, "two builds differ");
    let lo = lopdf::Document::load_mem(&x).unwrap();
    let info = lo.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let date = lo.get_dictionary(info).unwrap().get(b"CreationDate");
    assert_eq!(
        date.unwrap().as_str().unwrap(),
        b"D:20261128000000Z",
        "date from SOURCE_DATE_EPOCH"
    );
}

#[test]
fn paper_a4_gives_a4_pages() {
    let out = scratch("a4");
    let o = handouts(
        &[
            "build",
            "worksheets/demo/every-block.yaml",
            "--paper",
            "a4",
            "--out",
            s(&out),
        ],
        &[],
    );
    assert!(o.status.success());
    let lo = lopdf::Document::load(out.join("every-block.pdf")).unwrap();
    for (_, page) in lo.get_pages() {
        let mb = lo.get_dictionary(page).unwrap().get(b"MediaBox").unwrap();
        let mb: Vec<f32> = mb
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_float().unwrap())
            .collect();
        assert_eq!(mb, [0.0, 0.0, 595.276, 841.89], "no A4 media box");
    }
}

#[test]
fn bad_yaml_exits_1_with_a_located_error_and_writes_nothing() {
    let dir = scratch("bad");
    let spec = dir.join("broken.yaml");
    std::fs::write(
        &spec,
        "title: Broken\nblocks:\n  - prompt: x\n    lins: 3\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = handouts(&["build", s(&spec), "--out", s(&out)], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let expect = format!("{}:4:5: error: unknown field `lins`", spec.display());
    assert!(err.contains(&expect), "{err}");
    assert!(!out.exists(), "an output folder was created");
}

#[test]
fn unknown_block_gets_a_did_you_mean() {
    let dir = scratch("typo");
    let spec = dir.join("typo.yaml");
    std::fs::write(&spec, "title: T\nblocks:\n  - chekclist: [a, b]\n").unwrap();
    let o = handouts(&["check", s(&spec)], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(":3:5: error: unknown block `chekclist`; did you mean `checklist`?"),
        "{err}"
    );
}

#[test]
fn check_passes_the_bundled_library_and_writes_nothing() {
    let o = handouts(&["check"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("no errors"));
}

#[test]
fn out_that_is_a_file_is_an_error() {
    let dir = scratch("outfile");
    let f = dir.join("taken");
    std::fs::write(&f, "x").unwrap();
    let o = handouts(&["build", "worksheets/demo", "--out", s(&f)], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot create the output folder"));
    assert_eq!(std::fs::read(&f).unwrap(), b"x");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        handouts(&["build", "--paper", "legal"], &[]).status.code(),
        Some(2)
    );
    assert_eq!(handouts(&["frobnicate"], &[]).status.code(), Some(2));
}

#[test]
fn a_missing_file_is_reported() {
    let o = handouts(&["check", "no/such/file.yaml"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no/such/file.yaml: error: no such file"));
}

/// A roster of `n` couples with accented, Greek and Cyrillic names.
fn roster(dir: &Path, n: usize, extra: &str) -> PathBuf {
    let names = [
        "Zoë",
        "Ángel",
        "Ζωή",
        "Наталья",
        "Łukasz",
        "Nguyễn",
        "Σοφία",
        "Дмитрий",
    ];
    let mut csv = String::from("partner_a,partner_b,session_date\n");
    for i in 0..n {
        csv.push_str(&format!(
            "{},{},2026-05-{:02}\n",
            names[i % names.len()],
            names[(i * 3 + 1) % names.len()],
            i % 28 + 1
        ));
    }
    csv.push_str(extra);
    let p = dir.join("roster.csv");
    std::fs::write(&p, csv).unwrap();
    p
}

/// The atone packet built for every row of `roster` into `out`.
fn batch(roster: &Path, out: &Path, env: &[(&str, &str)]) -> Output {
    handouts(
        &[
            "packet",
            "worksheets/packets/atone.yaml",
            "--roster",
            s(roster),
            "--out",
            s(out),
        ],
        env,
    )
}

#[test]
fn a_roster_builds_one_private_packet_per_row() {
    let dir = scratch("roster");
    let r = roster(&dir, 24, "");
    let out = dir.join("out");
    let o = batch(&r, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("built 24 of 24 packets"), "{stdout}");
    // Names are on the page, not in what the program prints.
    assert!(!stdout.contains("Zoë") && o.stderr.is_empty());
    let files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 24, "same names get -2, -3: {files:?}");
    assert!(files
        .iter()
        .any(|f| f.file_name().unwrap().to_str().unwrap() == "2026-05-01-Zoë-Ángel.pdf"));
    #[cfg(unix)]
    for f in &files {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
    }
}

#[test]
fn a_broken_row_is_named_and_the_others_still_build() {
    let dir = scratch("badrow");
    let r = roster(&dir, 3, "Sam,,2026-06-01\n../../escape,Kim,2026-06-02\n");
    let out = dir.join("out");
    let o = batch(&r, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("roster.csv:5:1: error: row 4: no value for `partner_b`"),
        "{err}"
    );
    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(
        files.contains(&"2026-06-02-escape-Kim.pdf".to_owned()),
        "{files:?}"
    );
    assert!(!dir.join("escape").exists() && !Path::new("escape").exists());
}

#[test]
fn a_row_that_cannot_be_written_is_told_by_row_never_by_its_names() {
    let dir = scratch("inthway");
    let r = roster(&dir, 3, "");
    let out = dir.join("out");
    // Row 1's file name is taken by a folder.
    std::fs::create_dir_all(out.join("2026-05-01-Zoë-Ángel.pdf")).unwrap();
    let o = batch(&r, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let said = format!("{err}{}", String::from_utf8_lossy(&o.stdout));
    assert!(
        err.contains(&format!(
            "{}: error: row 1: a folder in this folder",
            out.display()
        )),
        "{err}"
    );
    for name in ["Zoë", "Ángel", "Ζωή"] {
        assert!(!said.contains(name), "{name} in {said}");
    }
    // The other rows are built.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);
}

#[test]
fn fillable_adds_a_form_and_plain_builds_have_none() {
    let out = scratch("fill");
    let demo = "worksheets/demo/every-block.yaml";
    let o = handouts(
        &["build", demo, "--fillable", "--out", s(&out.join("f"))],
        &[],
    );
    assert!(o.status.success());
    let o = handouts(&["build", demo, "--out", s(&out.join("p"))], &[]);
    assert!(o.status.success());
    let form = std::fs::read(out.join("f/every-block.pdf")).unwrap();
    let plain = std::fs::read(out.join("p/every-block.pdf")).unwrap();
    let has = |b: &[u8]| {
        let lo = lopdf::Document::load_mem(b).unwrap();
        lo.catalog().unwrap().has(b"AcroForm")
    };
    assert!(has(&form) && !has(&plain));
}

#[test]
fn a_single_packet_with_set_values_is_private() {
    let out = scratch("single");
    let o = handouts(
        &[
            "packet",
            "worksheets/packets/attach.yaml",
            "--set",
            "partner_a=Sam",
            "--set",
            "partner_b=Alex",
            "--set",
            "session_date=1 June",
            "--duplex",
            "--out",
            s(&out),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("attach.pdf"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn completions_for_each_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = handouts(&["completions", shell], &[]);
        let script = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(o.status.success(), "{shell}");
        // Every subcommand and a flag of one are offered.
        for word in ["build", "packet", "check", "roster", "large-print"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    // The bash script is valid bash.
    let o = handouts(&["completions", "bash"], &[]);
    let path = scratch("completions").join("handouts.bash");
    std::fs::write(&path, &o.stdout).unwrap();
    let check = std::process::Command::new("bash")
        .args(["-n", s(&path)])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let o = handouts(&["man"], &[]);
    let man = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success());
    for page in [
        "handouts",
        "handouts-build",
        "handouts-packet",
        "handouts-check",
    ] {
        assert!(man.contains(&format!(".TH {page} 1")), "no page for {page}");
    }
    assert!(
        man.contains("\\-\\-roster") || man.contains("--roster"),
        "options are listed"
    );
}

#[test]
fn every_subcommands_help_ends_with_examples() {
    for sub in [
        "build",
        "packet",
        "check",
        "schema",
        "completions",
        "man",
        "watch",
        "new",
    ] {
        let o = handouts(&[sub, "--help"], &[]);
        let help = String::from_utf8_lossy(&o.stdout).into_owned();
        let examples = help
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("{sub}: {help}"));
        let lines = examples
            .lines()
            .filter(|l| l.trim_start().starts_with("handouts "))
            .count();
        assert!(lines >= 2, "{sub}: {examples}");
    }
}

#[test]
fn editions_sit_side_by_side_in_one_folder() {
    let out = scratch("editions");
    let spec = "worksheets/atone/atone-1-owning-what-happened.yaml";
    for extra in [
        &[][..],
        &["--edition", "facilitator"][..],
        &["--large-print"][..],
        &["--edition", "facilitator", "--large-print"][..],
    ] {
        let mut args = vec!["build", spec, "--out", s(&out)];
        args.extend(extra);
        let o = handouts(&args, &[]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for name in [
        "atone-1-owning-what-happened.pdf",
        "atone-1-owning-what-happened-facilitator.pdf",
        "atone-1-owning-what-happened-large-print.pdf",
        "atone-1-owning-what-happened-facilitator-large-print.pdf",
    ] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
}

#[test]
fn new_writes_a_worksheet_that_builds_in_the_configs_language_and_never_overwrites() {
    let dir = scratch("new");
    std::fs::write(dir.join("handouts.yaml"), "language: es-MX\n").unwrap();
    let file = dir.join("mi-hoja.yaml");
    let o = handouts(
        &[
            "new",
            s(&file),
            "--stage",
            "attach",
            "--for",
            "hurt-partner",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema="),
        "{text}"
    );
    assert!(text.contains("stage: attach") && text.contains("for: hurt-partner"));
    assert!(
        text.contains("Una hoja nueva"),
        "in the config's language: {text}"
    );
    // The schema it points at is there.
    let schema = text
        .lines()
        .next()
        .unwrap()
        .split("$schema=")
        .nth(1)
        .unwrap();
    assert!(dir.join(schema).is_file(), "{schema}");
    // It builds as it is.
    let out = dir.join("out");
    let o = handouts(&["build", s(&file), "--out", s(&out)], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("mi-hoja.pdf").is_file());
    // A second `new` leaves it as it was.
    std::fs::write(&file, "title: mine\n").unwrap();
    let o = handouts(&["new", s(&file)], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "title: mine\n");
    // Not a .yaml file: refused.
    let o = handouts(&["new", s(&dir.join("notes.txt"))], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.join("notes.txt").exists());
    // In a project with a schema folder, it points at that schema.
    let project = scratch("new-project");
    std::fs::create_dir_all(project.join("schema")).unwrap();
    std::fs::create_dir_all(project.join("worksheets/attune")).unwrap();
    std::fs::write(project.join("schema/handouts.schema.json"), "{}").unwrap();
    let inside = project.join("worksheets/attune/new.yaml");
    let o = handouts(&["new", s(&inside)], &[]);
    assert!(o.status.success());
    let text = std::fs::read_to_string(&inside).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../schema/handouts.schema.json\n"),
        "{text}"
    );
    assert!(text.contains("A new worksheet"), "English config: {text}");
}

#[test]
fn no_message_carries_a_system_error_number() {
    let dir = scratch("os-errors");
    let ok = dir.join("ok.yaml");
    std::fs::write(&ok, "title: T\nblocks:\n  - paragraph: hi\n").unwrap();
    let pic = dir.join("pic.yaml");
    std::fs::write(&pic, "title: T\nblocks:\n  - image: gone.png\n    alt: x\n").unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["build", "/nonexistent/x.yaml"],
        vec!["build", s(&ok), "--out", "/proc/no-such-place"],
        vec!["build", s(&pic), "--out", s(&dir)],
        vec!["check", "/nonexistent/x.yaml"],
        vec!["packet", "/nonexistent/p.yaml"],
    ];
    for args in cases {
        let o = handouts(&args, &[]);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(!err.contains("os error"), "{args:?}: {err}");
        assert!(!err.to_lowercase().contains("errno"), "{args:?}: {err}");
    }
}

#[test]
fn a_misspelt_set_is_answered_with_the_placeholder_meant() {
    let dir = scratch("set-typo");
    let spec = dir.join("w.yaml");
    // The spec fails ({{client}} has no value), and still the typo is named.
    std::fs::write(
        &spec,
        "title: T\nblocks:\n  - paragraph: \"For {{client}}\"\n",
    )
    .unwrap();
    let o = handouts(
        &["build", s(&spec), "--set", "clinet=Ann", "--out", s(&dir)],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err.contains("nothing uses the placeholder `clinet`"),
        "{err}"
    );
    assert!(err.contains("did you mean `client`?"), "{err}");
    assert!(!err.contains("Ann"), "a value is never printed: {err}");
}

/// Waits until `cond` holds, up to ten seconds.
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed().as_secs() < 10, "timed out waiting: {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn watch_rebuilds_on_save_keeps_the_last_good_pdf_and_follows_the_config() {
    let dir = scratch("watch");
    let ws = dir.join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("handouts.yaml"), "practice: One\n").unwrap();
    let spec = ws.join("a.yaml");
    std::fs::write(&spec, "title: First\nblocks:\n  - paragraph: hi\n").unwrap();
    let out = dir.join("out");
    let log = dir.join("log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["watch", s(&ws), "--out", s(&out)])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let pdf = out.join("a.pdf");
    let read = || std::fs::read(&pdf).unwrap_or_default();
    eventually("the first build", || !read().is_empty());
    // Let the watch start before the first save.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let first = read();

    // A save as editors make it: a new file renamed over the old.
    let tmp = ws.join(".a.yaml.swp");
    std::fs::write(&tmp, "title: Second\nblocks:\n  - paragraph: hi\n").unwrap();
    std::fs::rename(&tmp, &spec).unwrap();
    eventually("a rebuild after the save", || {
        read() != first && !read().is_empty()
    });
    let second = read();

    // A broken save: reported, and the last good PDF stays.
    std::fs::write(&spec, "title: \"broken\nblocks:\n").unwrap();
    eventually("the error", || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("never closed")
    });
    assert_eq!(read(), second, "the last good PDF is kept");

    // Mended: built again.
    std::fs::write(&spec, "title: Third\nblocks:\n  - paragraph: hi\n").unwrap();
    eventually("a rebuild after the mend", || {
        read() != second && !read().is_empty()
    });
    let third = read();

    // The config changed: every spec is built again (the footer changes).
    std::fs::write(ws.join("handouts.yaml"), "practice: Two\n").unwrap();
    eventually("a rebuild after the config", || {
        read() != third && !read().is_empty()
    });

    child.kill().unwrap();
    child.wait().unwrap();
    // No temporaries left beside the PDF.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.pdf"]);
}

/// Runs handouts with stdout or stderr going into a pipe nobody reads
/// (its reading end closed before the start, as `| head` does after a
/// line): the other stream is kept to look at.
fn unread(args: &[&str], stderr_unread: bool) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handouts"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    if stderr_unread {
        cmd.stderr(writer).stdout(std::process::Stdio::piped());
    } else {
        cmd.stdout(writer).stderr(std::process::Stdio::piped());
    }
    cmd.output().expect("run handouts")
}

#[test]
fn output_nobody_reads_is_not_a_crash() {
    let out = scratch("unread");
    let o = s(&out);
    // Whole outputs: a reader that stops early is not a failure.
    for args in [
        &["schema"][..],
        &["completions", "bash"],
        &["man"],
        &["build", "worksheets/atone", "--out", o],
    ] {
        let r = unread(args, false);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // The build finished although nobody read what it wrote.
    assert!(std::fs::read_dir(&out).unwrap().count() >= 3);
    // Errors nobody reads still fail the run, with the usual status.
    let r = unread(&["check", "tests/bad/bad-indent.yaml"], true);
    assert_eq!(r.status.code(), Some(1));
    let r = unread(&["build", "--out", o, "tests/bad/bad-indent.yaml"], true);
    assert_eq!(r.status.code(), Some(1));
    // A full disk under the output is an I/O failure, not a crash.
    if Path::new("/dev/full").exists() {
        let full = std::fs::File::create("/dev/full").unwrap();
        let r = Command::new(env!("CARGO_BIN_EXE_handouts"))
            .arg("schema")
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&r.stderr).contains("cannot write the schema"));
    }
}

/// Debug builds only: the fail points it uses are not in a release build.
#[cfg(debug_assertions)]
#[test]
fn rows_that_meet_a_bug_fail_alone_and_the_bug_never_quotes_a_name() {
    // Debug builds panic on the rows HANDOUTS_FAIL_ROWS names (before
    // layout) and HANDOUTS_FAIL_ROWS_LATE names (once the PDF is made,
    // what a worker keeps between rows updated), with the row's values in
    // the panic message. More such rows than a batch has workers (twice
    // the cores), so a worker lost per row would stop the batch.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) * 2;
    let failing = workers + 4;
    let rows = failing + 6;
    let dir = scratch("bugrows");
    let r = roster(&dir, rows, "");
    let out = dir.join("out");
    // Alternate early and late, the last failing row the row before the
    // last, so a row after every kind of failure is built.
    let early: Vec<String> = (1..=failing).step_by(2).map(|n| n.to_string()).collect();
    let late: Vec<String> = (2..=failing).step_by(2).map(|n| n.to_string()).collect();
    let o = batch(
        &r,
        &out,
        &[
            ("HANDOUTS_FAIL_ROWS", &early.join(",")),
            ("HANDOUTS_FAIL_ROWS_LATE", &late.join(",")),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let said = format!("{err}{}", String::from_utf8_lossy(&o.stdout));
    for row in 1..=failing.min(10) {
        assert!(
            err.contains(&format!("error: row {row}: handouts met a bug")),
            "{err}"
        );
    }
    assert!(
        said.contains(&format!("built 6 of {rows} packets")),
        "{said}"
    );
    for name in [
        "Zoë",
        "Ángel",
        "Ζωή",
        "Наталья",
        "Łukasz",
        "Nguyễn",
        "Σοφία",
        "Дмитрий",
    ] {
        assert!(!said.contains(name), "{name} in {said}");
    }
    // The rows after them are built, byte for byte as without the bugs.
    let built: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(built.len(), 6, "{built:?}");
    let again = dir.join("again");
    let o = batch(&r, &again, &[]);
    assert!(o.status.success());
    for f in &built {
        assert!(
            std::fs::read(out.join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}

/// Debug builds only (fail points). On a terminal, a batch's progress bar
/// is redrawn several times a second; the report of a bug met on a row
/// must stay on the screen, not be wiped by the bar's next draw, also
/// where the terminal is narrow and the bar takes two lines. Run under
/// `script` (util-linux, on every Debian and Ubuntu), which gives the
/// batch a terminal; what it leaves on the screen is read back through a
/// terminal emulator.
#[cfg(debug_assertions)]
#[test]
fn a_bug_report_is_not_wiped_by_the_progress_bar() {
    let dir = scratch("bugbar");
    let r = roster(&dir, 60, "");
    for cols in [120, 40] {
        let out = dir.join(format!("out-{cols}"));
        let q = |p: &Path| format!("'{}'", s(p).replace('\'', r"'\''"));
        let cmd = format!(
            "stty cols {cols} rows 200; HANDOUTS_FAIL_ROWS=20,40 {} packet worksheets/packets/atone.yaml --roster {} --out {}",
            q(Path::new(env!("CARGO_BIN_EXE_handouts"))),
            q(&r),
            q(&out),
        );
        let o = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .expect("script (util-linux) gives the batch a terminal");
        let shown = String::from_utf8_lossy(&o.stdout);
        assert!(shown.contains("packets"), "no progress bar drawn: {shown}");
        let mut term = vt100::Parser::new(200, cols, 0);
        term.process(&o.stdout);
        // The screen as read, wrapped lines joined again.
        let screen: String = term.screen().contents().replace('\n', "");
        let report = "error: handouts met a bug at src/batch.rs:";
        assert!(
            screen.contains(report) && screen.contains("it may hold a client's name)"),
            "{cols} columns: the report is not on the screen:\n{}",
            term.screen().contents()
        );
        assert!(screen.contains("built 58 of 60 packets"), "{screen}");
        for name in ["Zoë", "Ζωή", "Наталья", "Nguyễn"] {
            assert!(!shown.contains(name), "{name} in {shown}");
        }
    }
}
