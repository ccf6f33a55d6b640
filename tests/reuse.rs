//! Reuse across a roster batch: a worksheet page that does not change from
//! row to row is the same compressed bytes in every row's file, whatever
//! characters the rows' names add to the fonts, while each file's own
//! pages and fonts stay its own and draw the right glyphs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn setup(tag: &str) -> PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handouts-reuse-{tag}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("fixed.yaml"),
        "title: Slow breathing\nblocks:\n  - paragraph: \"Breathe in for four, out for six. Notice where the body softens.\"\n  - checklist: [\"I tried it\", \"It helped\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("named.yaml"),
        "title: Check-in\nblocks:\n  - paragraph: \"{{partner_a}}, what did {{partner_b}} do this week that helped?\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("packet.yaml"),
        "title: Session\noutput: \"{{partner_a}}-{{partner_b}}\"\ncover:\n  title: Session\n  lines: [\"{{partner_a}} and {{partner_b}}\"]\nsections:\n  - title: One\n    worksheets: [fixed.yaml, named.yaml, fixed.yaml]\n",
    )
    .unwrap();
    // Names that add letters the worksheets never set (ë, Greek, Vietnamese
    // marks, Cyrillic), so each row's font subsets differ.
    std::fs::write(
        dir.join("roster.csv"),
        "partner_a,partner_b\nAna,Ben\nZoë,Ζωή\nNguyễn,Đặng\nНаталья,Дмитрий\nAna,Ben\n",
    )
    .unwrap();
    dir
}

/// Runs handouts in `dir` with a fixed date and the bundled faces only;
/// it must succeed.
fn handouts(dir: &Path, args: &[&str]) {
    let r = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .env("HANDOUTS_NO_SYSTEM_FONTS", "1")
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

/// `packet.yaml` built for every row of `roster.csv` (with `extra`
/// arguments) into `out`.
fn batch(dir: &Path, out: &str, extra: &[&str]) {
    let mut args = vec![
        "packet",
        "packet.yaml",
        "--roster",
        "roster.csv",
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    handouts(dir, &args);
}

/// Zoë and Ζωή's packet built alone (`--set`) into `a/`; its file.
fn alone(dir: &Path) -> PathBuf {
    handouts(
        dir,
        &[
            "packet",
            "packet.yaml",
            "--set",
            "partner_a=Zoë",
            "--set",
            "partner_b=Ζωή",
            "--out",
            "a",
        ],
    );
    // Alone, a packet is named for its file (the pattern names rows).
    dir.join("a/packet.pdf")
}

/// Each page's content stream as written (still compressed), and its
/// text as a PDF reader extracts it.
fn pages(path: &Path) -> Vec<(Vec<u8>, String)> {
    let doc = lopdf::Document::load(path).unwrap();
    doc.get_pages()
        .into_iter()
        .map(|(n, id)| {
            let page = doc.get_dictionary(id).unwrap();
            let contents = page.get(b"Contents").unwrap().as_reference().unwrap();
            let raw = doc.get_object(contents).unwrap().as_stream().unwrap();
            let text = doc.extract_text(&[n]).unwrap_or_default();
            (raw.content.clone(), text)
        })
        .collect()
}

#[test]
fn unchanged_pages_are_the_same_bytes_in_every_row() {
    let dir = setup("batch");
    let out = dir.join("out");
    batch(&dir, "out", &[]);
    let files: BTreeMap<String, Vec<(Vec<u8>, String)>> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                pages(&p),
            )
        })
        .collect();
    assert_eq!(files.len(), 5, "{:?}", files.keys());
    let first = files.values().next().unwrap();
    let fixed: Vec<usize> = (0..first.len())
        .filter(|&i| first[i].1.contains("Breathe in for four"))
        .collect();
    assert_eq!(fixed.len(), 2, "the fixed worksheet twice: {first:?}");
    for (name, pages) in &files {
        assert_eq!(pages.len(), first.len(), "{name}");
        for &i in &fixed {
            assert_eq!(pages[i].0, first[i].0, "{name}: page {} differs", i + 1);
        }
        // The pages with names are this row's own, and read back right.
        let (a, b) = name.trim_end_matches(".pdf").split_once('-').unwrap();
        let b = b.trim_end_matches("-2");
        let named: String = pages.iter().map(|p| p.1.as_str()).collect();
        assert!(named.contains(a) && named.contains(b), "{name}: {named}");
    }
    // A page that changes with the row is not shared.
    let covers: std::collections::BTreeSet<&Vec<u8>> = files.values().map(|p| &p[0].0).collect();
    assert_eq!(covers.len(), 4, "four couples, one of them twice");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same row built alone (`--set`) and in a batch shows the same
/// pages; only the numbering of glyphs differs.
#[test]
fn a_batch_row_reads_the_same_as_the_packet_built_alone() {
    let dir = setup("alone");
    batch(&dir, "b", &[]);
    let alone = pages(&alone(&dir));
    let batch = pages(&dir.join("b/Zoë-Ζωή.pdf"));
    let text = |p: &[(Vec<u8>, String)]| p.iter().map(|x| x.1.clone()).collect::<Vec<_>>();
    assert_eq!(text(&alone), text(&batch));
    // (lopdf's extraction spaces runs apart: compared without spaces.)
    let all: String = text(&batch).concat().split_whitespace().collect();
    assert!(all.contains("Zoë,whatdidΖωήdo"), "{all}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each object stream of `path`, compressed as written and decompressed.
fn object_streams(path: &Path) -> Vec<(Vec<u8>, Vec<u8>)> {
    let doc = lopdf::Document::load(path).unwrap();
    let mut streams: Vec<(u32, Vec<u8>, Vec<u8>)> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| {
            let s = o.as_stream().ok()?;
            (s.dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"ObjStm")).then(|| {
                let plain = s.decompressed_content().unwrap();
                (id.0, s.content.clone(), plain)
            })
        })
        .collect();
    streams.sort();
    streams.into_iter().map(|(_, z, p)| (z, p)).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The dictionaries of a batch's files (pages, the structure tree, the
/// catalog) are the same compressed bytes in every row whose names are
/// set the same way (here in Lato, one run each), apart from the fonts',
/// which follow each row's names. (Names in another face or script mark
/// their text in more pieces, so their rows' trees differ, and are
/// compressed apart.)
#[test]
fn the_structure_tree_is_the_same_bytes_in_every_row() {
    let dir = setup("tree");
    std::fs::write(
        dir.join("roster.csv"),
        "partner_a,partner_b\nAna,Ben\nZoë,Quentin\nXavier Jones,Kim\nAna,Ben\nŁukasz,Wyatt\n",
    )
    .unwrap();
    batch(&dir, "b", &[]);
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir.join("b"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    let files: Vec<Vec<(Vec<u8>, Vec<u8>)>> = names.iter().map(|p| object_streams(p)).collect();
    let first = &files[0];
    let tree = first
        .iter()
        .position(|s| contains(&s.1, b"/Type/StructTreeRoot"))
        .expect("a structure tree");
    let fonts = first
        .iter()
        .position(|s| contains(&s.1, b"/FontDescriptor"))
        .expect("fonts");
    assert_ne!(tree, fonts, "the fonts in a stream of their own");
    for (path, streams) in names.iter().zip(&files) {
        assert_eq!(streams.len(), first.len(), "{path:?}");
        for (i, s) in streams.iter().enumerate() {
            if i != fonts {
                assert_eq!(s.0, first[i].0, "{path:?}: object stream {i} differs");
            }
        }
    }
    // The fonts' stream is each couple's own: Ana and Ben's (twice) the
    // same, the other three rows each different.
    let font_streams: std::collections::BTreeSet<&Vec<u8>> =
        files.iter().map(|f| &f[fonts].0).collect();
    assert_eq!(font_streams.len(), 4);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Pages a worker has drawn before are handed back only where they would
/// be drawn the same: every row of a batch is, byte for byte, the file of
/// that row built alone (a shard of one row draws everything afresh),
/// with names in several scripts, a couple listed twice, and names that
/// move the worksheets along a page.
#[test]
fn every_row_of_a_batch_is_the_row_built_alone() {
    let dir = setup("rows");
    // A worksheet of the names over most of a page: a long name pushes it
    // onto the next, and the fixed worksheet after it along with it.
    let named = "  - paragraph: \"{{partner_a}} and {{partner_b}}, say one thing that helped this week.\"\n".repeat(20);
    std::fs::write(
        dir.join("named.yaml"),
        format!("title: Check-in\nblocks:\n{named}"),
    )
    .unwrap();
    let long = "Bartholomew-Maximilian Fitzwilliam-Ashworth ".repeat(3);
    let roster = format!(
        "partner_a,partner_b\nAna,Ben\nZoë,Ζωή\nנועה,Ben\nليلى,عمر\nAna,Ben\n{long},Kim\nНаталья,Đặng\nAna,Ben\n"
    );
    std::fs::write(dir.join("roster.csv"), &roster).unwrap();
    let rows = roster.lines().count() - 1;
    batch(&dir, "batch", &[]);
    for k in 1..=rows {
        batch(&dir, "alone", &["--shard", &format!("{k}/{rows}")]);
    }
    let read = |d: &str| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir.join(d))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect()
    };
    let (batch, alone) = (read("batch"), read("alone"));
    assert_eq!(batch.len(), rows, "{:?}", batch.keys());
    assert_eq!(
        batch.keys().collect::<Vec<_>>(),
        alone.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &batch {
        assert!(
            bytes == &alone[name],
            "{name}: the batch's file differs from the row built alone"
        );
    }
    // The long names push the named worksheet onto more pages: its file
    // has more pages than the others, so pages after it were drawn at
    // other numbers.
    let counts: std::collections::BTreeSet<usize> = batch
        .keys()
        .map(|n| pages(&dir.join("batch").join(n)).len())
        .collect();
    assert!(counts.len() > 1, "page counts {counts:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The level a zlib stream says it was compressed at: 0 (fastest) to 3.
fn level_hint(z: &[u8]) -> u8 {
    z[1] >> 6
}

/// Each embedded font program of `path`: its compression hint, and
/// whether its ToUnicode map copies any of `letters`.
fn font_programs(path: &Path, letters: &[char]) -> Vec<(u8, bool)> {
    let doc = lopdf::Document::load(path).unwrap();
    let stream = |d: &lopdf::Dictionary, key: &[u8]| {
        let id = d.get(key).unwrap().as_reference().unwrap();
        doc.get_object(id).unwrap().as_stream().unwrap().clone()
    };
    let codes: Vec<String> = letters
        .iter()
        .map(|c| format!("<{:04X}>", *c as u32))
        .collect();
    let mut out = Vec::new();
    for o in doc.objects.values() {
        let Ok(d) = o.as_dict() else { continue };
        if d.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Type0") {
            continue;
        }
        let map =
            String::from_utf8(stream(d, b"ToUnicode").decompressed_content().unwrap()).unwrap();
        let cid = d.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]
            .as_reference()
            .unwrap();
        let cid = doc.get_dictionary(cid).unwrap();
        let fd = doc
            .get_dictionary(cid.get(b"FontDescriptor").unwrap().as_reference().unwrap())
            .unwrap();
        let program = stream(fd, b"FontFile2");
        out.push((
            level_hint(&program.content),
            codes.iter().any(|c| map.contains(c)),
        ));
    }
    out
}

/// In a batch, what every row shares (the fixed worksheet's pages, a face
/// no name is set in) is compressed hard, once; what is a row's own (the
/// pages showing the names, the subset holding their letters) is
/// compressed fast, since it is compressed for every row. A packet built
/// alone compresses everything alike.
#[test]
fn what_rows_share_is_compressed_hard_and_what_is_a_rows_own_fast() {
    let dir = setup("levels");
    batch(&dir, "b", &[]);
    let file = dir.join("b/Zoë-Ζωή.pdf");
    for (raw, text) in pages(&file) {
        let own = text.contains("Zoë") || text.contains("Ζωή");
        assert_eq!(level_hint(&raw), if own { 0 } else { 3 }, "{text}");
    }
    let fonts = font_programs(&file, &['Ζ', 'ω', 'ή']);
    assert!(fonts.iter().any(|f| f.1), "a subset holds the names");
    assert!(fonts.iter().any(|f| !f.1), "and one no name is set in");
    for (hint, names) in &fonts {
        assert_eq!(*hint, if *names { 0 } else { 3 });
    }
    let alone = alone(&dir);
    assert!(pages(&alone).iter().all(|(raw, _)| level_hint(raw) == 1));
    assert!(font_programs(&alone, &[]).iter().all(|f| f.0 == 1));
    let _ = std::fs::remove_dir_all(&dir);
}
