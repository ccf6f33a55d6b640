//! The `image` block: PNG (grey, RGB, palette, 16-bit, alpha as a soft
//! mask) and JPEG (grey, RGB, CMYK, passed through) as image XObjects, one
//! per file however many pages show it; a Figure with alt text, or an
//! artifact when decorative; SVG drawn as vectors (a form XObject); and
//! every kind of bad file refused at its line.

use handouts::layout::display::{Document, Item, Role, Tag};
use handouts::render::pdf::{write, WriteOptions};
use handouts::spec::config::{Config, Paper};
use lopdf::Object;
use std::path::Path;

const DIR: &str = "tests/fixtures/images";

fn compile(blocks: &str) -> Result<Document, String> {
    let src = format!("title: Pictures\nblocks:\n{blocks}");
    let spec = Path::new(DIR).join("w.yaml");
    handouts::compile_str(&spec, &src, &Config::default(), Paper::Letter)
        .map(|c| c.doc)
        .map_err(|ds| format!("{ds:?}"))
}

/// The XObjects of one subtype (`Image`, `Form`) in a written PDF.
fn streams(lo: &lopdf::Document, subtype: &[u8]) -> Vec<lopdf::Dictionary> {
    lo.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict
                .get(b"Subtype")
                .is_ok_and(|t| t.as_name().is_ok_and(|n| n == subtype))
        })
        .map(|s| s.dict.clone())
        .collect()
}

/// The first picture's printed width and height, in points.
fn image_size(doc: &Document) -> (f32, f32) {
    doc.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Image { w, h, .. } => Some((*w, *h)),
            _ => None,
        })
        .expect("a picture on the first page")
}

/// The image XObjects of a written document.
fn xobjects(doc: &Document) -> Vec<lopdf::Dictionary> {
    let bytes = write(doc, &WriteOptions::default());
    streams(&lopdf::Document::load_mem(&bytes).unwrap(), b"Image")
}

fn name(d: &lopdf::Dictionary, key: &[u8]) -> String {
    match d.get(key).unwrap() {
        Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        Object::Array(a) => String::from_utf8_lossy(a[0].as_name().unwrap()).into_owned(),
        o => panic!("{o:?}"),
    }
}

#[test]
fn each_format_is_embedded_in_its_own_colours() {
    for (file, filter, space, mask) in [
        ("rgb.png", "FlateDecode", "DeviceRGB", false),
        ("rgba.png", "FlateDecode", "DeviceRGB", true),
        ("gray.png", "FlateDecode", "DeviceGray", false),
        ("palette.png", "FlateDecode", "DeviceRGB", false),
        ("gray16.png", "FlateDecode", "DeviceGray", false),
        ("rgb.jpg", "DCTDecode", "DeviceRGB", false),
        ("gray.jpg", "DCTDecode", "DeviceGray", false),
        ("cmyk.jpg", "DCTDecode", "DeviceCMYK", false),
    ] {
        let doc = compile(&format!("  - image: {file}\n    alt: Hills at sunset\n")).unwrap();
        let xs = xobjects(&doc);
        let main: Vec<&lopdf::Dictionary> = xs
            .iter()
            .filter(|d| d.get(b"SMask").is_ok() || !mask)
            .collect();
        let d = main
            .iter()
            .find(|d| name(d, b"ColorSpace") == space)
            .unwrap_or_else(|| panic!("{file}: {xs:?}"));
        assert_eq!(name(d, b"Filter"), filter, "{file}");
        assert_eq!(d.get(b"Width").unwrap().as_i64().unwrap(), 120, "{file}");
        assert_eq!(d.get(b"Height").unwrap().as_i64().unwrap(), 80, "{file}");
        assert_eq!(d.get(b"SMask").is_ok(), mask, "{file}");
        assert_eq!(xs.len(), 1 + usize::from(mask), "{file}: {xs:?}");
        // 120 px at 150 dpi: 57.6 pt wide, in proportion.
        let (w, h) = image_size(&doc);
        assert!(
            (w - 57.6).abs() < 0.01 && (h - 38.4).abs() < 0.01,
            "{file}: {w}x{h}"
        );
    }
}

#[test]
fn a_picture_on_twenty_pages_is_one_xobject() {
    let block = "  - image: rgba.png\n    alt: Hills\n  - page-break\n".repeat(20);
    let doc = compile(&block).unwrap();
    assert!(doc.pages.len() >= 20);
    // One picture and its mask, for every page.
    assert_eq!(xobjects(&doc).len(), 2);
    let images: Vec<_> = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Image { image, .. } => Some(image.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(images.len(), 20);
    assert!(
        images.iter().all(|i| std::sync::Arc::ptr_eq(i, &images[0])),
        "read once"
    );
}

#[test]
fn widths_are_honoured_in_proportion_and_never_past_the_text() {
    // 30 cm is wider than the text (504 pt), and at 504 pt a 3:2 picture
    // would be taller than half the body: it is set at that height.
    for (width, want) in [("6cm", 6.0 * 72.0 / 2.54), ("50%", 252.0), ("30cm", 479.1)] {
        let doc = compile(&format!(
            "  - image: rgb.png\n    alt: Hills\n    width: {width}\n    caption: Our hills.\n"
        ))
        .unwrap();
        let (w, h, y) = doc.pages[0]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Image { w, h, y, .. } => Some((*w, *h, *y)),
                _ => None,
            })
            .unwrap();
        assert!((w - want).abs() < 0.1, "{width}: {w}");
        assert!((h / w - 80.0 / 120.0).abs() < 0.001, "{width}: stretched");
        let caption = doc.pages[0]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text(t) if t.text.contains("Our hills") => Some(t.y),
                _ => None,
            })
            .unwrap();
        assert!(caption > y + h, "the caption is under the picture");
    }
}

#[test]
fn a_picture_is_a_figure_with_its_alt_text_or_an_artifact() {
    let doc = compile(
        "  - image: rgb.png\n    alt: Two people walking in the hills\n  - image: gray.png\n    decorative: true\n",
    )
    .unwrap();
    let tags: Vec<Tag> = doc.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Image { tag, .. } => Some(*tag),
            _ => None,
        })
        .collect();
    let Tag::Node(n) = tags[0] else {
        panic!("{tags:?}")
    };
    assert_eq!(
        doc.tree[n as usize].role,
        Role::Figure {
            alt: "Two people walking in the hills".into()
        }
    );
    assert_eq!(tags[1], Tag::Artifact);
}

#[test]
fn bad_pictures_are_refused_at_their_line() {
    for (block, says) in [
        (
            "  - image: missing.png\n    alt: x\n",
            "cannot read tests/fixtures/images/missing.png: there is no such file",
        ),
        (
            "  - image: \"{{partner_a}}.png\"\n    alt: x\n",
            "path cannot hold a placeholder",
        ),
        (
            "  - image: not-a-picture.png\n    alt: x\n",
            "not a PNG, JPEG or SVG",
        ),
        (
            "  - image: truncated.png\n    alt: x\n",
            "damaged or cut short",
        ),
        ("  - image: truncated.jpg\n    alt: x\n", "cut short"),
        ("  - image: bomb.png\n    alt: x\n", "megapixels"),
        (
            "  - image: text.svg\n    alt: x\n",
            "convert the text to outlines",
        ),
        (
            "  - image: embedded-picture.svg\n    alt: x\n",
            "picture inside it",
        ),
        ("  - image: use-bomb.svg\n    alt: x\n", "too many times"),
        ("  - image: marker-bomb.svg\n    alt: x\n", "too many times"),
        (
            "  - image: entity-bomb.svg\n    alt: x\n",
            "not a readable SVG",
        ),
        ("  - image: deep.svg\n    alt: x\n", "deep"),
        (
            "  - image: entity-markup.svg\n    alt: x\n",
            "entities that hold markup",
        ),
        ("  - image: drawing.svgz\n    alt: x\n", "plain .svg"),
        ("  - image: not-svg.svg\n    alt: x\n", "not an SVG drawing"),
        (
            "  - image: truncated.svg\n    alt: x\n",
            "not a readable SVG",
        ),
        ("  - image: rgb.png\n", "needs `alt:`"),
        (
            "  - image: rgb.png\n    alt: \"{{partner_a}}\"\n",
            "placeholder",
        ),
        (
            "  - image: rgb.png\n    alt: x\n    decorative: true\n",
            "not decorative",
        ),
        ("  - image: rgb.png\n    alt: x\n    width: 0%\n", "share"),
        (
            "  - image: rgb.png\n    alt: x\n    width: wide\n",
            "not a width",
        ),
    ] {
        let err = compile(&format!("  - paragraph: Before.\n{block}")).unwrap_err();
        assert!(err.contains(says), "{block}: {err}");
        // At the block's lines (4 to 6), not at the top of the file.
        assert!(
            ["Some((4,", "Some((5,", "Some((6,"]
                .iter()
                .any(|l| err.contains(l)),
            "{block}: {err}"
        );
    }
}

/// Form XObjects of a written document, and the page's content.
fn forms(doc: &Document) -> (Vec<lopdf::Dictionary>, String) {
    let bytes = write(doc, &WriteOptions::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let forms = streams(&lo, b"Form");
    let page = lo.get_pages()[&1];
    let content = String::from_utf8_lossy(&lo.get_page_content(page)).into_owned();
    (forms, content)
}

#[test]
fn an_svg_is_drawn_as_vectors_at_its_own_size() {
    let doc = compile("  - image: drawing.svg\n    alt: A sun over the sea\n").unwrap();
    let (w, h) = image_size(&doc);
    // 120 × 60 CSS pixels are 90 × 45 points.
    assert!(
        (w - 90.0).abs() < 0.01 && (h - 45.0).abs() < 0.01,
        "{w}x{h}"
    );
    assert!(xobjects(&doc).is_empty(), "no raster");
    let (forms, content) = forms(&doc);
    assert_eq!(forms.len(), 1, "{forms:?}");
    let bbox = forms[0].get(b"BBox").unwrap().as_array().unwrap();
    assert_eq!(bbox.len(), 4);
    assert!(content.contains("/Im0 Do"), "{content}");
}

#[test]
fn an_illustrator_export_with_its_doctype_and_styles_is_drawn() {
    let doc = compile("  - image: illustrator.svg\n    alt: Logo\n").unwrap();
    let (forms, content) = forms(&doc);
    assert_eq!(forms.len(), 1);
    assert!(content.contains("Do"));
    let (w, _) = image_size(&doc);
    assert!((w - 75.0).abs() < 0.01, "100px is 75pt: {w}");
}

#[test]
fn an_svg_on_twenty_pages_and_beside_pictures_keeps_every_object_apart() {
    let block = "  - image: drawing.svg\n    alt: Sun\n  - image: rgba.png\n    alt: Hills\n  - page-break\n"
        .repeat(20);
    let doc = compile(&block).unwrap();
    let bytes = write(&doc, &WriteOptions::default());
    // Every object the cross-reference names is where it says.
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let (forms, _) = forms(&doc);
    assert_eq!(forms.len(), 1);
    assert_eq!(xobjects(&doc).len(), 2);
    for (id, o) in &lo.objects {
        if let Ok(s) = o.as_stream() {
            assert!(s.dict.get(b"Length").is_ok(), "{id:?}");
        }
    }
}
