//! The `qr` block: a vector QR code at least 2.5 cm square with its quiet
//! zone clear, the address printed under it, one link over both, read as
//! a `Figure` with alt text inside a `Link`; and addresses it refuses.

use handouts::layout::display::{Document, Item, Role, Tag};
use handouts::render::pdf::{write, WriteOptions};
use handouts::spec::config::{Config, Paper};
use std::path::Path;

const CM: f32 = 72.0 / 2.54;

fn compile(blocks: &str) -> Result<Document, String> {
    let src = format!("title: Codes\nblocks:\n{blocks}");
    handouts::compile_str(Path::new("w.yaml"), &src, &Config::default(), Paper::Letter)
        .map(|c| c.doc)
        .map_err(|ds| format!("{ds:?}"))
}

#[test]
fn a_code_is_large_with_a_clear_quiet_zone_and_one_link_over_code_and_address() {
    for (address, uri) in [
        ("https://988lifeline.org/chat", "https://988lifeline.org/chat"),
        ("www.example.org/audio/breathing", "https://www.example.org/audio/breathing"),
        ("help@clinic.example.org", "mailto:help@clinic.example.org"),
        ("tel:+1 555 555 0100", "tel:+15555550100"),
        (
            "https://example.org/a/very/long/path/for/a/booking/page?with=query&and=more#and-a-fragment",
            "https://example.org/a/very/long/path/for/a/booking/page?with=query&and=more#and-a-fragment",
        ),
    ] {
        let doc = compile(&format!(
            "  - paragraph: Before.\n  - qr: \"{address}\"\n    caption: Scan me.\n  - paragraph: After.\n"
        ))
        .unwrap();
        let items = &doc.pages[0].items;
        let (qx, qy, side, tag) = items
            .iter()
            .find_map(|i| match i {
                Item::Modules {
                    x,
                    y,
                    module,
                    n,
                    tag,
                    ..
                } => Some((*x, *y, module * *n as f32, *tag)),
                _ => None,
            })
            .expect("a code");
        assert!(side >= 2.5 * CM - 0.01, "{address}: {side}");
        // Nothing drawn within four modules of the code but the code.
        let module = side
            / items
                .iter()
                .find_map(|i| match i {
                    Item::Modules { n, .. } => Some(*n as f32),
                    _ => None,
                })
                .unwrap();
        let quiet = (qx - 4.0 * module, qy - 4.0 * module, qx + side + 4.0 * module, qy + side + 4.0 * module);
        for it in items {
            if matches!(it, Item::Modules { .. } | Item::Uri { .. }) {
                continue;
            }
            let b = it.bounds();
            let overlaps = b.0 < quiet.2 && b.2 > quiet.0 && b.1 < quiet.3 && b.3 > quiet.1;
            // The margin's white is the quiet zone on the left: nothing
            // there either.
            assert!(!overlaps, "{address}: {it:?} in the quiet zone");
        }
        // One link, over the code and over the printed address.
        let links: Vec<(f32, f32, f32, f32)> = items
            .iter()
            .filter_map(|i| match i {
                Item::Uri { x, y, w, h, uri: u, .. } if u == uri => Some((*x, *y, *w, *h)),
                Item::Uri { uri: u, .. } => panic!("{address}: a link to {u}"),
                _ => None,
            })
            .collect();
        assert!(links.iter().any(|l| (l.0 - qx).abs() < 0.01 && (l.2 - side).abs() < 0.01));
        assert!(links.len() >= 2, "{address}: {links:?}");
        // The address printed under the code; the caption under that.
        let text: String = items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) if t.y > qy + side => Some(t.text.as_ref()),
                _ => None,
            })
            .collect();
        assert!(text.replace(' ', "").contains(&address.replace(' ', "")), "{address}: {text}");
        assert!(text.contains("Scan me."), "{text}");
        // Read as a Figure, with alt text, inside the Link.
        let Tag::Node(f) = tag else { panic!("{tag:?}") };
        let figure = &doc.tree[f as usize];
        assert!(
            matches!(&figure.role, Role::Figure { alt } if alt.contains(address.trim())),
            "{figure:?}"
        );
        assert_eq!(doc.tree[figure.parent.unwrap() as usize].role, Role::Link);
    }
}

#[test]
fn a_code_and_its_address_move_to_the_next_page_together() {
    let filler =
        "  - paragraph: A line of text that fills the page with something to read.\n".repeat(36);
    let doc = compile(&format!("{filler}  - qr: https://988lifeline.org/chat\n")).unwrap();
    let page_of = |pred: &dyn Fn(&Item) -> bool| {
        doc.pages
            .iter()
            .position(|p| p.items.iter().any(pred))
            .unwrap()
    };
    let code = page_of(&|i| matches!(i, Item::Modules { .. }));
    let address = page_of(&|i| matches!(i, Item::Text(t) if t.text.contains("988lifeline.org")));
    assert_eq!(code, address);
}

#[test]
fn addresses_that_are_not_addresses_or_hold_a_value_are_refused_at_their_line() {
    for (bad, says) in [
        ("\"{{partner_a}}.example.org\"", "placeholder"),
        ("call me maybe", "not a web address"),
        ("javascript:alert(1)", "not a web address"),
        ("tel:call-now", "not a web address"),
        ("\"\"", "not a web address"),
    ] {
        let err = compile(&format!("  - paragraph: Before.\n  - qr: {bad}\n")).unwrap_err();
        assert!(err.contains(says), "{bad}: {err}");
        assert!(
            err.contains("Some((4,"),
            "{bad}: not located at the block: {err}"
        );
    }
    let long = format!("https://example.org/{}", "a".repeat(400));
    let err = compile(&format!("  - qr: {long}\n")).unwrap_err();
    assert!(err.contains("at most 300"), "{err}");
}

#[test]
fn the_written_figure_has_its_alt_text_and_box() {
    let doc = compile("  - qr: https://988lifeline.org/chat\n").unwrap();
    let bytes = write(&doc, &WriteOptions::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let figure = lo
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| {
            d.get(b"S")
                .is_ok_and(|s| s.as_name().is_ok_and(|n| n == b"Figure"))
        })
        .expect("a Figure element");
    // A PDF text string: UTF-16BE after its byte-order mark, or bytes.
    let alt = figure.get(b"Alt").unwrap().as_str().unwrap();
    let alt = match alt.strip_prefix(&[0xFE, 0xFF]) {
        Some(units) => String::from_utf16(
            &units
                .chunks(2)
                .map(|u| u16::from_be_bytes([u[0], u[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        None => String::from_utf8_lossy(alt).into_owned(),
    };
    assert!(alt.contains("988lifeline.org"), "{alt}");
    // `/A` is one attribute dictionary or an array of them.
    let layout = match figure.get(b"A").unwrap() {
        lopdf::Object::Array(a) => a[0].as_dict().unwrap(),
        a => a.as_dict().unwrap(),
    };
    let bbox = layout.get(b"BBox").unwrap().as_array().unwrap();
    let n = |o: &lopdf::Object| {
        o.as_float()
            .or_else(|_| o.as_i64().map(|i| i as f32))
            .unwrap()
    };
    let side = n(&bbox[2]) - n(&bbox[0]);
    assert!(side >= 2.5 * CM - 0.1, "{bbox:?}");
}
