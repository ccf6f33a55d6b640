//! Tagged PDF, read back with lopdf: every drawing on every page is in a
//! structure element or an artifact, every MCID and annotation leads to
//! its element through the parent tree and the element leads back, and
//! the catalog says what PDF/UA-1 asks. Run over every bundled worksheet
//! and packet, fillable and not, and the hostile fixtures.

use handouts::layout::display::{Document, Item, Role, Tag};
use handouts::model::{Edition, Options, Vars};
use handouts::packet::{load_with_config, Build};
use handouts::render::pdf::{write, WriteOptions};
use handouts::spec::config::{Config, Paper};
use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn specs() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["worksheets/atone", "worksheets/attach", "worksheets/attune"] {
        for e in std::fs::read_dir(dir).unwrap() {
            v.push(e.unwrap().path());
        }
    }
    v.extend(
        [
            "worksheets/demo/every-block.yaml",
            "tests/fixtures/typesetting.yaml",
            "tests/fixtures/table-and-scale.yaml",
            "tests/fixtures/nasty.yaml",
        ]
        .map(PathBuf::from),
    );
    v.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    v.sort();
    assert!(v.len() >= 15, "{v:?}");
    v
}

fn couple() -> Vars {
    [
        ("partner_a", "Zoë"),
        ("partner_b", "Ζωή"),
        ("session_date", "3 May 2026"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// Every document to check, with a name for messages.
fn documents() -> Vec<(String, Document)> {
    let vars = couple();
    let mut out = Vec::new();
    for spec in specs() {
        for fillable in [false, true] {
            let opts = Options {
                fillable,
                vars: Some(&vars),
                ..Options::default()
            };
            let doc = handouts::compile_with(&spec, &Config::default(), Paper::Letter, &opts)
                .unwrap_or_else(|e| panic!("{}: {e:?}", spec.display()))
                .doc;
            out.push((format!("{} fillable={fillable}", spec.display()), doc));
        }
    }
    let (p, _) = load_with_config(Path::new("worksheets/packets/intensive.yaml")).unwrap();
    for (fillable, duplex, vars) in [(false, false, None), (true, true, Some(&vars))] {
        let b = Build {
            paper: Paper::A4,
            edition: Edition::Client,
            duplex,
            vars,
            fillable,
        };
        let doc = p.assemble(&b).unwrap().0;
        out.push((format!("intensive fillable={fillable}"), doc));
    }
    out
}

#[test]
fn every_text_run_is_claimed_by_a_node_or_is_furniture() {
    for (name, doc) in documents() {
        for (i, page) in doc.pages.iter().enumerate() {
            for item in &page.items {
                let tag = match item {
                    Item::Text(t) => t.tag,
                    Item::Field(f) => f.tag,
                    Item::Link { tag, .. } | Item::Uri { tag, .. } => *tag,
                    _ => continue,
                };
                let ok = match tag {
                    Tag::Node(n) => (n as usize) < doc.tree.len(),
                    // A repeated table header: its node is a header cell.
                    Tag::Again(n) => doc.tree[n as usize].role == Role::TH,
                    Tag::Artifact => matches!(item, Item::Text(_)),
                    _ => false,
                };
                assert!(ok, "{name} page {}: {tag:?} on {item:?}", i + 1);
                // Only furniture (above and below the body) is an artifact.
                if let (Tag::Artifact, Item::Text(t)) = (tag, item) {
                    assert!(
                        t.y < 72.0 || t.y > page.height - 100.0,
                        "{name} page {}: body text {:?} is an artifact",
                        i + 1,
                        t.text
                    );
                }
            }
        }
        // Parents come before their children, so reading order is the
        // order of the nodes.
        for (i, n) in doc.tree.iter().enumerate() {
            assert!(
                n.parent.is_none_or(|p| (p as usize) < i),
                "{name}: node {i}"
            );
        }
    }
}

#[test]
fn the_safety_line_is_read_once_after_each_worksheet() {
    let config = Config {
        safety_line: "If you feel unsafe, call or text 988.".into(),
        ..Config::default()
    };
    for (blocks, pages) in [
        ("  - paragraph: Short.\n", 1),
        (
            "  - page-break\n  - paragraph: Second.\n  - page-break\n  - paragraph: Third.\n",
            3,
        ),
    ] {
        let src = format!("title: Safety\nblocks:\n  - paragraph: First.\n{blocks}");
        let doc = handouts::compile_str(Path::new("w.yaml"), &src, &config, Paper::Letter)
            .unwrap()
            .doc;
        assert_eq!(doc.pages.len(), pages);
        for (i, page) in doc.pages.iter().enumerate() {
            let tag = page
                .items
                .iter()
                .find_map(|it| match it {
                    Item::Text(t) if t.text.contains("988") => Some(t.tag),
                    _ => None,
                })
                .unwrap();
            if i + 1 < pages {
                assert_eq!(tag, Tag::Artifact, "page {}: repeated furniture", i + 1);
            } else {
                let Tag::Node(n) = tag else {
                    panic!("last page: {tag:?}")
                };
                assert_eq!(doc.tree[n as usize].role, Role::P);
                // Read last: no node of the worksheet comes after it.
                assert_eq!(n as usize, doc.tree.len() - 1);
            }
        }
    }
}

#[test]
fn reading_order_is_the_models_both_partners_columns_in_turn() {
    let doc = handouts::compile_str(
        Path::new("w.yaml"),
        "title: Order\nblocks:\n  - partners: What helps?\n    lines: 2\n  - table: [When, What]\n    rows:\n      - [Monday, A walk]\n      - [Tuesday, \"\"]\n  - bullets: [First point, Second point]\n",
        &Config::default(),
        Paper::Letter,
    )
    .unwrap()
    .doc;
    // The text of each node, in the order of the nodes.
    let mut text: BTreeMap<u32, String> = BTreeMap::new();
    for t in doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    {
        if let Tag::Node(n) = t.tag {
            text.entry(n).or_default().push_str(&t.text);
        }
    }
    let read: Vec<(String, String)> = text
        .iter()
        .map(|(n, s)| (doc.tree[*n as usize].role.name().to_owned(), s.clone()))
        .collect();
    let read: Vec<(&str, &str)> = read.iter().map(|(r, s)| (r.as_str(), s.as_str())).collect();
    let want = [
        ("H1", "Order"),
        ("P", "What helps?"),
        ("P", "Partner A"),
        ("P", "Partner B"),
        ("TH", "When"),
        ("TH", "What"),
        ("TD", "Monday"),
        ("TD", "A walk"),
        ("TD", "Tuesday"),
        ("Lbl", "•"),
        ("LBody", "First point"),
        ("Lbl", "•"),
        ("LBody", "Second point"),
        // One page: its safety line is the handout's last words.
        ("P", handouts::spec::config::DEFAULT_SAFETY_LINE),
    ];
    assert_eq!(read, want);
    // Cells sit in rows, rows in the head or body, lists hold items.
    let parent = |role: &str| -> Vec<&str> {
        doc.tree
            .iter()
            .filter(|n| n.role.name() == role)
            .map(|n| doc.tree[n.parent.unwrap() as usize].role.name())
            .collect()
    };
    assert_eq!(parent("TH"), ["TR", "TR"]);
    assert!(parent("TD").iter().all(|p| *p == "TR"));
    assert_eq!(parent("TR"), ["THead", "TBody", "TBody"]);
    assert_eq!(parent("LI"), ["L", "L"]);
    assert!(doc
        .tree
        .iter()
        .any(|n| n.role == Role::L { numbered: false }));
}

/// The marks of one page's content: which MCIDs it shows text in, and
/// whether anything is drawn outside a tagged sequence or an artifact.
fn page_marks(content: &[u8]) -> (BTreeSet<i64>, Vec<String>) {
    let ops = Content::decode(content).unwrap().operations;
    // Each open sequence: Some(mcid) for tagged content, None for an
    // artifact or another kind of marked content.
    let mut stack: Vec<(bool, Option<i64>)> = Vec::new();
    let mut mcids = BTreeSet::new();
    let mut loose = Vec::new();
    for op in ops {
        match op.operator.as_str() {
            "BDC" | "BMC" => {
                let artifact = op.operands[0].as_name().unwrap() == b"Artifact";
                let mcid = op
                    .operands
                    .get(1)
                    .and_then(|d| d.as_dict().ok())
                    .and_then(|d| d.get(b"MCID").ok())
                    .and_then(|m| m.as_i64().ok());
                let inside = stack.iter().any(|s| s.0 || s.1.is_some());
                if inside && (artifact || mcid.is_some()) {
                    loose.push(format!("nested {op:?}"));
                }
                if let Some(m) = mcid {
                    assert!(mcids.insert(m), "MCID {m} used twice on a page");
                }
                stack.push((artifact, mcid));
            }
            "EMC" => {
                stack.pop().expect("EMC closes a sequence");
            }
            "Tj" | "TJ" | "S" | "f" | "B" | "b" | "F" | "f*" | "B*" | "sh" | "Do"
                if !stack.iter().any(|s| s.0 || s.1.is_some()) =>
            {
                loose.push(op.operator.clone());
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed marked content");
    (mcids, loose)
}

fn dict(lo: &lopdf::Document, o: &Object) -> Dictionary {
    match o {
        Object::Reference(r) => lo.get_dictionary(*r).unwrap().clone(),
        Object::Dictionary(d) => d.clone(),
        _ => panic!("not a dictionary: {o:?}"),
    }
}

/// The parent tree's `/Nums`, flat: key → value.
fn parent_tree(lo: &lopdf::Document, root: &Dictionary) -> HashMap<i64, Object> {
    let tree = dict(lo, root.get(b"ParentTree").unwrap());
    let nums = tree.get(b"Nums").unwrap().as_array().unwrap();
    nums.chunks(2)
        .map(|kv| (kv[0].as_i64().unwrap(), kv[1].clone()))
        .collect()
}

/// Every MCID an element claims on `page`, and every annotation it
/// holds, walking its `/K`.
fn kids(
    lo: &lopdf::Document,
    elem: ObjectId,
    pages: &HashMap<ObjectId, u32>,
    mcrs: &mut BTreeMap<(u32, i64), ObjectId>,
    objrs: &mut BTreeMap<ObjectId, ObjectId>,
    seen: &mut BTreeSet<ObjectId>,
) {
    assert!(seen.insert(elem), "element {elem:?} reached twice");
    let e = lo.get_dictionary(elem).unwrap();
    // `/Type /StructElem` is optional: an element is known by its role
    // and its parent.
    assert!(e.get(b"S").is_ok() && e.get(b"P").is_ok(), "{e:?}");
    let home = e.get(b"Pg").ok().map(|p| pages[&p.as_reference().unwrap()]);
    let k = match e.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(o) => vec![o.clone()],
        Err(_) => Vec::new(),
    };
    for kid in k {
        match kid {
            Object::Integer(m) => {
                let page = home.expect("an MCID child needs /Pg");
                assert!(mcrs.insert((page, m), elem).is_none(), "MCID claimed twice");
            }
            Object::Reference(r) => {
                let d = lo.get_dictionary(r).unwrap();
                assert_eq!(
                    d.get(b"P").unwrap().as_reference().unwrap(),
                    elem,
                    "/P of a child points back"
                );
                kids(lo, r, pages, mcrs, objrs, seen);
            }
            Object::Dictionary(d) => match d.get(b"Type").unwrap().as_name().unwrap() {
                b"MCR" => {
                    let page = pages[&d.get(b"Pg").unwrap().as_reference().unwrap()];
                    let m = d.get(b"MCID").unwrap().as_i64().unwrap();
                    assert!(mcrs.insert((page, m), elem).is_none(), "MCID claimed twice");
                }
                b"OBJR" => {
                    let a = d.get(b"Obj").unwrap().as_reference().unwrap();
                    objrs.insert(a, elem);
                }
                t => panic!("unknown kid {t:?}"),
            },
            o => panic!("unexpected kid {o:?}"),
        }
    }
}

#[test]
fn written_structure_tree_and_marked_content_agree() {
    for (name, doc) in documents() {
        let bytes = write(&doc, &WriteOptions::default());
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let cat = lo.catalog().unwrap();
        let mark = dict(&lo, cat.get(b"MarkInfo").unwrap());
        assert_eq!(
            mark.get(b"Marked").unwrap(),
            &Object::Boolean(true),
            "{name}"
        );
        let prefs = dict(&lo, cat.get(b"ViewerPreferences").unwrap());
        assert_eq!(
            prefs.get(b"DisplayDocTitle").unwrap(),
            &Object::Boolean(true)
        );
        let xmp = lo
            .get_object(cat.get(b"Metadata").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap()
            .content
            .clone();
        let xmp = String::from_utf8(xmp).unwrap();
        assert!(
            xmp.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{name}: {xmp}"
        );
        assert!(xmp.contains(&xml_escape(&doc.title)), "{name}: {xmp}");
        assert!(
            !xmp.contains("Zoë") && !xmp.contains("Ζωή"),
            "{name}: a name in XMP"
        );

        let root = dict(&lo, cat.get(b"StructTreeRoot").unwrap());
        let parents = parent_tree(&lo, &root);
        let pages: HashMap<ObjectId, u32> =
            lo.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
        let mut mcrs = BTreeMap::new();
        let mut objrs = BTreeMap::new();
        let mut seen = BTreeSet::new();
        let top = root.get(b"K").unwrap().as_reference().unwrap();
        kids(&lo, top, &pages, &mut mcrs, &mut objrs, &mut seen);

        for (&page_id, &n) in &pages {
            let page = lo.get_dictionary(page_id).unwrap();
            let content = lo.get_page_content(page_id);
            let (mcids, loose) = page_marks(&content);
            assert!(
                loose.is_empty(),
                "{name} page {n}: drawn untagged: {loose:?}"
            );
            let claimed: BTreeSet<i64> = mcrs.keys().filter(|k| k.0 == n).map(|k| k.1).collect();
            assert_eq!(mcids, claimed, "{name} page {n}: MCIDs vs the tree");
            if !mcids.is_empty() {
                // The page's parent-tree entry lists each MCID's element.
                let key = page.get(b"StructParents").unwrap().as_i64().unwrap();
                let arr = parents[&key].as_array().unwrap();
                for &m in &mcids {
                    let elem = arr[m as usize].as_reference().unwrap();
                    assert_eq!(elem, mcrs[&(n, m)], "{name} page {n} MCID {m}");
                }
            }
            let annots = page.get(b"Annots").ok().and_then(|a| a.as_array().ok());
            if let Some(annots) = annots.filter(|a| !a.is_empty()) {
                assert_eq!(
                    page.get(b"Tabs").unwrap().as_name().unwrap(),
                    b"S",
                    "{name}"
                );
                for a in annots {
                    let id = a.as_reference().unwrap();
                    let ad = lo.get_dictionary(id).unwrap();
                    let key = ad.get(b"StructParent").unwrap().as_i64().unwrap();
                    let elem = parents[&key].as_reference().unwrap();
                    assert_eq!(objrs.get(&id), Some(&elem), "{name}: annotation's element");
                    let role = lo.get_dictionary(elem).unwrap().get(b"S").unwrap().clone();
                    let role = role.as_name().unwrap().to_vec();
                    let subtype = ad.get(b"Subtype").unwrap().as_name().unwrap();
                    let want: &[u8] = if subtype == b"Link" { b"Link" } else { b"Form" };
                    assert_eq!(role, want, "{name}");
                    if subtype == b"Link" {
                        assert!(
                            ad.get(b"Contents").is_ok(),
                            "{name}: link with no /Contents"
                        );
                    }
                }
            }
        }
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A table over three pages is written as three tables, one on each page,
/// each with the header row it prints and the rows that begin there.
#[test]
fn a_table_over_pages_is_one_table_on_each_page_with_its_header() {
    let mut yaml = String::from(
        "title: Long log\nblocks:\n  - table: [Day, What we tried, How it went]\n    rows:\n",
    );
    for i in 0..70 {
        yaml.push_str(&format!(
            "      - [Day {i}, A walk after dinner together, \"\"]\n"
        ));
    }
    let doc = handouts::compile_str(
        Path::new("w.yaml"),
        &yaml,
        &Config::default(),
        Paper::Letter,
    )
    .unwrap()
    .doc;
    assert!(doc.pages.len() >= 3, "{}", doc.pages.len());
    let bytes = write(&doc, &WriteOptions::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: HashMap<ObjectId, u32> = lo.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let elems: Vec<&Dictionary> = lo
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").is_ok() && d.get(b"P").is_ok())
        .collect();
    let role = |d: &Dictionary| d.get(b"S").unwrap().as_name().unwrap().to_vec();
    let children = |d: &Dictionary| -> Vec<Dictionary> {
        let k = match d.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(o) => vec![o.clone()],
            Err(_) => Vec::new(),
        };
        k.iter()
            .filter_map(|o| o.as_reference().ok())
            .map(|r| lo.get_dictionary(r).unwrap().clone())
            .collect()
    };
    let tables: Vec<&&Dictionary> = elems.iter().filter(|d| role(d) == b"Table").collect();
    assert_eq!(tables.len(), doc.pages.len(), "one table a page");
    let mut on: BTreeSet<u32> = BTreeSet::new();
    let mut rows = 0;
    for t in &tables {
        on.insert(pages[&t.get(b"Pg").unwrap().as_reference().unwrap()]);
        let kids = children(t);
        assert_eq!(
            kids.iter().map(role).collect::<Vec<_>>(),
            [b"THead".to_vec(), b"TBody".to_vec()]
        );
        let head_row = &children(&kids[0])[0];
        let heads = children(head_row);
        assert_eq!(heads.len(), 3);
        // Each header cell holds the text its page prints.
        assert!(heads.iter().all(|h| h.get(b"K").is_ok()), "{heads:?}");
        rows += children(&kids[1]).len();
    }
    assert_eq!(on.len(), doc.pages.len(), "each on its own page");
    assert_eq!(rows, 70);
}

/// The `/Lang` of each marked sequence on the pages, with its first
/// shown bytes' count, in order.
fn languages(bytes: &[u8]) -> Vec<String> {
    let lo = lopdf::Document::load_mem(bytes).unwrap();
    let mut out = Vec::new();
    for (_, page) in lo.get_pages() {
        let content = lo.get_page_content(page);
        for op in Content::decode(&content).unwrap().operations {
            if op.operator != "BDC" {
                continue;
            }
            if let Some(Ok(Object::String(l, _))) = op
                .operands
                .get(1)
                .and_then(|d| d.as_dict().ok())
                .map(|d| d.get(b"Lang"))
            {
                let units: Vec<u16> = l
                    .chunks(2)
                    .skip(1)
                    .map(|b| u16::from_be_bytes([b[0], b[1]]))
                    .collect();
                out.push(String::from_utf16_lossy(&units));
            }
        }
    }
    out
}

#[test]
fn a_name_in_another_script_is_read_in_its_language() {
    let vars: Vars = [("partner_a", "Ζωή"), ("partner_b", "שרה")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let opts = Options {
        vars: Some(&vars),
        ..Options::default()
    };
    let doc = handouts::compile_str_with(
        Path::new("names.yaml"),
        "title: Names\nblocks:\n  - paragraph: \"{{partner_a}} and {{partner_b}}, with Sam.\"\n",
        &Config::default(),
        Paper::Letter,
        &opts,
    )
    .unwrap()
    .doc;
    let bytes = write(&doc, &WriteOptions::default());
    // The Greek and the Hebrew name, each in its own; nothing else.
    assert_eq!(languages(&bytes), ["el", "he"]);

    // A Hebrew worksheet is read in Hebrew as a whole (its section's
    // /Lang): its runs need none of their own.
    let doc = handouts::compile_str_with(
        Path::new("he.yaml"),
        "title: שיחת ערב\nlanguage: he\nblocks:\n  - paragraph: שבו יחד לרבע שעה.\n",
        &Config::default(),
        Paper::Letter,
        &Options::default(),
    )
    .unwrap()
    .doc;
    assert!(languages(&write(&doc, &WriteOptions::default())).is_empty());
}
