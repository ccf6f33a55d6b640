//! A layout lint read back from the written PDFs (issue 13): what a
//! careful reader checks on the printed page, found with poppler's word
//! boxes (`pdftotext -bbox-layout`) and the file's link annotations.
//!
//! On the bundled library and on worksheets written to stress each rule,
//! Letter and A4, and a packet with names and a per-partner copy:
//! - no text outside the page margins, no two words overlapping;
//! - no word broken without a hyphen: every word read back (an added
//!   hyphen, copied as a soft hyphen, joins its halves) is a word of the
//!   source, or part of a web address in it;
//! - no paragraph ends in a lone short word;
//! - dates in table cells stay on one line;
//! - every web address is covered by a URI link;
//! - per-partner copies keep the worksheet's subtitle, and named packets
//!   head `partners` columns with the names.
#![cfg(feature = "pdf-tools")]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

#[derive(Debug)]
struct Page {
    width: f32,
    height: f32,
    /// Blocks of lines of words, in poppler's reading order.
    blocks: Vec<Vec<Vec<Word>>>,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let at = tag.find(&key).unwrap() + key.len();
    tag[at..].split('"').next().unwrap().parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Poppler's word boxes for every page of `pdf`.
fn pages(pdf: &Path) -> Vec<Page> {
    let o = Command::new("pdftotext")
        .args(["-bbox-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) installed");
    assert!(o.status.success());
    let xml = String::from_utf8(o.stdout).unwrap();
    let mut out: Vec<Page> = Vec::new();
    for piece in xml.split('<').skip(1) {
        let (tag, text) = piece.split_once('>').unwrap_or((piece, ""));
        if tag.starts_with("page ") {
            out.push(Page {
                width: attr(tag, "width"),
                height: attr(tag, "height"),
                blocks: Vec::new(),
            });
        } else if tag.starts_with("block ") {
            out.last_mut().unwrap().blocks.push(Vec::new());
        } else if tag.starts_with("line ") {
            out.last_mut()
                .unwrap()
                .blocks
                .last_mut()
                .unwrap()
                .push(Vec::new());
        } else if tag.starts_with("word ") {
            let w = Word {
                text: unescape(text),
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
            };
            let page = out.last_mut().unwrap();
            page.blocks.last_mut().unwrap().last_mut().unwrap().push(w);
        }
    }
    out
}

/// A URI link: its rectangle (left, top, right, bottom, from the top of
/// the page) and its address.
type UriLink = (f32, f32, f32, f32, String);

/// The URI links of each page.
fn links(pdf: &Path) -> Vec<Vec<UriLink>> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut out = Vec::new();
    for (_, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        let h = page.get(b"MediaBox").unwrap().as_array().unwrap()[3]
            .as_float()
            .unwrap();
        let mut rects = Vec::new();
        if let Ok(annots) = page.get(b"Annots").and_then(|a| a.as_array()) {
            for a in annots {
                let a = doc.dereference(a).unwrap().1.as_dict().unwrap();
                let Ok(action) = a.get(b"A").and_then(|x| x.as_dict()) else {
                    continue;
                };
                let Ok(uri) = action.get(b"URI").and_then(|u| u.as_str()) else {
                    continue;
                };
                let r: Vec<f32> = a
                    .get(b"Rect")
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_float().unwrap())
                    .collect();
                rects.push((
                    r[0],
                    h - r[3],
                    r[2],
                    h - r[1],
                    String::from_utf8_lossy(uri).into(),
                ));
            }
        }
        out.push(rects);
    }
    out
}

fn is_address(w: &str) -> bool {
    let w = w.trim_end_matches(['.', ',', ')']);
    let bare = [".org", ".com", ".net", ".gov", ".edu"]
        .iter()
        .any(|t| w.contains(&format!("{t}/")) || w.ends_with(t));
    w.contains("://") || w.starts_with("www.") || bare
}

/// Words a page may hold that are not in the source: the tool's own.
const TOOL_WORDS: &str = "Page of For: Time: Contents Notes Copy for (continued) Partner A B Both partners The partner who was hurt caused the hurt Therapist Overview Atone Attune Attach OVERVIEW ATONE ATTUNE ATTACH Your Practice Name Couples therapy worksheets For use with a therapist, not in place of one. If you feel unsafe or in crisis, call or text 988 (US) or your local emergency number. Client Facilitator edition copy handouts";

fn key(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .replace('’', "'")
        .to_lowercase()
}

/// Every rule on one PDF; `source` is all the text it was made from.
fn lint(pdf: &Path, source: &str, problems: &mut Vec<String>) {
    let words: HashSet<String> = source
        .split(|c: char| c.is_whitespace() || "\"“”[]{},".contains(c))
        .flat_map(|w| {
            // "check-in" may break after its hyphen: its parts are words.
            let parts: Vec<&str> = w.split(['-', '—', '–', '/']).collect();
            std::iter::once(w).chain(parts)
        })
        .chain(TOOL_WORDS.split_whitespace())
        .map(key)
        .collect();
    let addresses: Vec<&str> = source
        .split_whitespace()
        .filter(|w| is_address(w))
        .collect();
    let name = pdf.display();
    let links = links(pdf);
    for (n, page) in pages(pdf).iter().enumerate() {
        let at = format!("{name} page {}", n + 1);
        let all: Vec<&Word> = page.blocks.iter().flatten().flatten().collect();
        for w in &all {
            if w.x0 < 35.9 || w.y0 < 35.9 || w.x1 > page.width - 35.9 || w.y1 > page.height - 35.9 {
                problems.push(format!("{at}: {:?} outside the margins", w.text));
            }
        }
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                let ox = a.x1.min(b.x1) - a.x0.max(b.x0);
                let oy = a.y1.min(b.y1) - a.y0.max(b.y0);
                if ox > 0.5 && oy > 2.0 {
                    problems.push(format!("{at}: {:?} overlaps {:?}", a.text, b.text));
                }
            }
        }
        // Words as a reader copies them: a word ending in an added hyphen
        // (a soft hyphen) goes on at the start of its column on the next
        // line. Poppler's lines can run across table columns, so the
        // column is found from the gaps between words.
        let mut consumed = HashSet::new();
        for i in 0..all.len() {
            if consumed.contains(&i) {
                continue;
            }
            let mut text = all[i].text.clone();
            let mut cur = i;
            while text.ends_with('\u{ad}') {
                let w = all[cur];
                let h = w.y1 - w.y0;
                let left = column_left(&all, cur);
                let next = (0..all.len())
                    .filter(|&k| {
                        let c = all[k];
                        c.y0 > w.y0 + h * 0.5 && c.y0 < w.y0 + h * 2.5 && (c.x0 - left).abs() < 1.0
                    })
                    .min_by(|&a, &b| all[a].y0.total_cmp(&all[b].y0));
                let Some(k) = next else { break };
                text = format!("{}{}", text.trim_end_matches('\u{ad}'), all[k].text);
                consumed.insert(k);
                cur = k;
            }
            let k = key(&text);
            let address = addresses
                .iter()
                .any(|a| a.contains(text.trim_end_matches(['.', ','])));
            let number = k.chars().all(|c| c.is_ascii_digit());
            if !k.is_empty() && !number && !address && !words.contains(&k) {
                problems.push(format!(
                    "{at}: {text:?} is not a word of the source (broken?)"
                ));
            }
        }
        for block in &page.blocks {
            // Runts: a paragraph (lines of a wide block, left-aligned)
            // whose last line is one short word while the line before it
            // has words to spare.
            if block.len() >= 2 {
                let left = block[0][0].x0;
                let wide = block.iter().any(|l| l.last().unwrap().x1 - left > 250.0);
                let aligned = block.iter().all(|l| (l[0].x0 - left).abs() < 1.0);
                let last = &block[block.len() - 1];
                let before = &block[block.len() - 2];
                let short = last.len() == 1 && last[0].x1 - last[0].x0 < 60.0;
                if wide
                    && aligned
                    && short
                    && before.len() >= 3
                    && !before.last().unwrap().text.ends_with('\u{ad}')
                {
                    problems.push(format!("{at}: a runt {:?}", last[0].text));
                }
            }
            // A date in a table cell is one line: a weekday alone at the
            // end of a line means "Mon 11 May" wrapped.
            for pair in block.windows(2) {
                let day = pair[0].last().unwrap().text.as_ref();
                let next = &pair[1][0].text;
                let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(&day);
                if weekday && next.starts_with(|c: char| c.is_ascii_digit()) {
                    problems.push(format!("{at}: a date wrapped: {day:?} / {next:?}"));
                }
            }
        }
        // Every address, or each of its pieces, is under a URI link.
        let piece = |w: &str| {
            let w = w.trim_end_matches(['.', ',', ')']);
            let marked = is_address(w) || w.contains(['/', '?', '&', '=']) || w.contains('.');
            marked && w.len() > 3 && addresses.iter().any(|a| a.contains(w))
        };
        for w in all.iter().filter(|w| piece(&w.text)) {
            let (cx, cy) = ((w.x0 + w.x1) / 2.0, (w.y0 + w.y1) / 2.0);
            let linked = links[n].iter().any(|(x0, y0, x1, y1, _)| {
                cx > *x0 && cx < *x1 && cy > *y0 - 2.0 && cy < *y1 + 2.0
            });
            if !linked {
                problems.push(format!(
                    "{at}: the address piece {:?} is not a link",
                    w.text
                ));
            }
        }
    }
}

/// The left edge of the column word `i` is in: its line's words to its
/// left, while the gaps between them are spaces, not column gaps.
fn column_left(all: &[&Word], i: usize) -> f32 {
    let w = all[i];
    let h = w.y1 - w.y0;
    let mut row: Vec<&Word> = all
        .iter()
        .copied()
        .filter(|c| (c.y0 - w.y0).abs() < 0.5 && c.x1 <= w.x1 + 0.1)
        .collect();
    row.sort_by(|a, b| b.x0.total_cmp(&a.x0));
    let mut left = w.x0;
    for c in row {
        if c.x1 <= left + 0.1 && left - c.x1 < h * 0.6 {
            left = c.x0;
        } else if c.x1 <= left + 0.1 {
            break;
        }
    }
    left
}

fn handouts(args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    v.sort();
    v
}

/// All the YAML under `dir`, as one text.
fn yaml_under(dir: &Path) -> String {
    let mut s = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            s.push_str(&yaml_under(&p));
        } else if p.extension().is_some_and(|e| e == "yaml") {
            s.push_str(&std::fs::read_to_string(&p).unwrap());
            s.push('\n');
        }
    }
    s
}

const NAME_A: &str = "partner_a=Maximiliana Featherstonehaugh-Wolfeschlegelsteinhausen";
const NAME_B: &str = "partner_b=Ζωή Παπαδοπούλου-Αλεξανδροπούλου";

#[test]
fn the_library_and_stress_worksheets_pass_the_layout_lint() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-lint");
    let _ = std::fs::remove_dir_all(&out);
    // The tool's own words in every language (headers print stages and
    // "CONTENIDO" in capitals).
    let locales = yaml_under(Path::new("src/locale"));
    let source = format!(
        "{}\n{}\n{} {}\n{locales}\n{}",
        yaml_under(Path::new("worksheets")),
        yaml_under(Path::new("tests/fixtures")),
        &NAME_A[10..],
        &NAME_B[10..],
        locales.to_uppercase(),
    );
    let mut problems = Vec::new();
    let mut checked = 0;
    for paper in ["letter", "a4"] {
        let dir = out.join(paper);
        let d = dir.to_str().unwrap();
        handouts(&["build", "worksheets", "--out", d, "--paper", paper]);
        handouts(&[
            "build",
            "tests/fixtures/typesetting.yaml",
            "--out",
            d,
            "--paper",
            paper,
        ]);
        handouts(&[
            "build",
            "tests/fixtures/nasty.yaml",
            "--out",
            d,
            "--paper",
            paper,
            "--set",
            NAME_A,
            "--set",
            NAME_B,
        ]);
        for pdf in pdfs(&dir) {
            lint(&pdf, &source, &mut problems);
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked} files");
    // A packet for a named couple, with a per-partner copy.
    let dir = out.join("named");
    handouts(&[
        "packet",
        "worksheets/packets/intensive.yaml",
        "--out",
        dir.to_str().unwrap(),
        "--set",
        "partner_a=Ana",
        "--set",
        "partner_b=Ben",
        "--set",
        "session_date=4 May",
    ]);
    let named = pdfs(&dir);
    assert_eq!(named.len(), 1);
    lint(&named[0], &format!("{source} Ana Ben 4 May"), &mut problems);
    let text = String::from_utf8(
        Command::new("pdftotext")
            .args([named[0].to_str().unwrap(), "-"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for (n, page) in text.split('\u{c}').enumerate() {
        if page.contains("Copy for Ana") || page.contains("Copy for Ben") {
            assert!(
                page.contains("Attune · worksheet 1"),
                "page {}: a per-partner copy lost its subtitle",
                n + 1
            );
        }
    }
    assert!(text.contains("Copy for Ana (Partner A)") && text.contains("Copy for Ben (Partner B)"));
    let heads = text.lines().filter(|l| l.trim() == "Ana").count();
    assert!(heads >= 5, "partners columns not headed by names ({heads})");
    assert!(
        !text.lines().any(|l| l.trim() == "Partner A"),
        "a column still says Partner A"
    );
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
