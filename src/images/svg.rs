//! SVG pictures, drawn as vectors: typst's `usvg` reads the drawing and
//! `svg2pdf` turns it into a form XObject, once per process.
//!
//! An SVG is a program as much as a picture: `use` copies other elements,
//! markers copy themselves onto every corner of a path, entities expand,
//! a `.svgz` inflates. Before usvg builds anything, the XML is read with a
//! node limit and the copies it asks for are counted, so a small file that
//! would expand to millions of shapes is refused instead of filling memory.
//! Text and embedded pictures are refused too: without fonts and decoders
//! in the build they would silently vanish, and a logo without its name is
//! worse than an error.

use roxmltree::{Document, Node, ParsingOptions};
use std::collections::HashMap;
use svg2pdf::usvg;
use svg_pdf_writer::{Chunk, Ref};

/// Most XML nodes in the file (a detailed logo has a few thousand).
const MAX_NODES: u32 = 100_000;
/// Most elements after `use` and markers are expanded.
const MAX_EXPANDED: u64 = 200_000;
/// Deepest nesting of elements (usvg walks the tree recursively).
const MAX_DEPTH: usize = 128;

/// CSS pixels (SVG's user unit) to points.
const PT_PER_PX: f32 = 0.75;

/// A drawing: `count` PDF objects numbered from 1, object `root` the
/// form XObject (one point square, as an image is); `size` in points.
#[derive(Debug, PartialEq)]
pub struct Drawing {
    pub objects: SvgObjects,
    pub count: i32,
    pub root: i32,
    pub size: (f32, f32),
}

/// An SVG's PDF objects, converted once.
pub struct SvgObjects(Chunk);

impl std::fmt::Debug for SvgObjects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SvgObjects({} bytes)", self.0.len())
    }
}

impl PartialEq for SvgObjects {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes() == other.0.as_bytes()
    }
}

pub fn decode(bytes: &[u8]) -> Result<Drawing, String> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err("a compressed SVG (.svgz); save it as a plain .svg".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8 text".to_owned())?;
    // roxmltree reads nested elements recursively: measure first.
    nesting(text)?;
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| format!("not a readable SVG ({e})"))?;
    if doc.root_element().tag_name().name() != "svg" {
        return Err("not an SVG drawing (its first element is not <svg>)".into());
    }
    refuse_what_would_vanish(&doc)?;
    refuse_bombs(&doc)?;

    // Nothing outside the file is read: no linked pictures, no fonts.
    let opt = usvg::Options {
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..Default::default()
    };
    let tree =
        usvg::Tree::from_xmltree(&doc, &opt).map_err(|e| format!("not a drawable SVG ({e})"))?;
    let size = tree.size();
    let (w, h) = (size.width() * PT_PER_PX, size.height() * PT_PER_PX);
    if !(w >= 1.0 && h >= 1.0) {
        return Err("the SVG has no size (give the <svg> a width and height or a viewBox)".into());
    }
    let options = svg2pdf::ConversionOptions {
        embed_text: false,
        ..Default::default()
    };
    let (chunk, root) = svg2pdf::to_chunk(&tree, options)
        .map_err(|e| format!("the SVG could not be converted ({e})"))?;
    // Numbered 1..=n in file order, so that placing the objects in a PDF
    // only adds an offset.
    let order: HashMap<Ref, i32> = chunk.refs().zip(1..).collect();
    let count = order.len() as i32;
    let chunk = chunk.renumber(|r| Ref::new(order[&r]));
    Ok(Drawing {
        objects: SvgObjects(chunk),
        count,
        root: order[&root],
        size: (w, h),
    })
}

/// Refuses elements nested deeper than `MAX_DEPTH`, and entities that
/// hold markup (which could nest deeper once expanded), before any XML
/// parser recurses into them. Comments, CDATA and quoted attribute values
/// are skipped, so a `<` inside them is not counted.
fn nesting(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let skip_to = |from: usize, end: &[u8]| {
        b[from..]
            .windows(end.len())
            .position(|w| w == end)
            .map_or(b.len(), |i| from + i + end.len())
    };
    let (mut at, mut depth) = (0, 0usize);
    while let Some(i) = b[at..].iter().position(|&c| c == b'<') {
        at += i;
        let rest = &b[at..];
        if rest.starts_with(b"<!--") {
            at = skip_to(at, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            at = skip_to(at, b"]]>");
        } else if rest.starts_with(b"<?") {
            at = skip_to(at, b"?>");
        } else if rest.starts_with(b"<!ENTITY") {
            let end = skip_to(at, b">");
            if b[at + 1..end].contains(&b'<') {
                return Err("the SVG defines entities that hold markup; \
                     save it again from your drawing program"
                    .into());
            }
            at = end;
        } else if rest.starts_with(b"<!") {
            // DOCTYPE: its internal subset is read entity by entity.
            at += 2;
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            at = skip_to(at, b">");
        } else {
            // A start tag: to its `>`, past quoted values.
            let mut j = at + 1;
            let mut quote = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, q @ (b'"' | b'\'')) => quote = Some(q),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if b.get(j.wrapping_sub(1)) != Some(&b'/') {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "the SVG nests its elements more than {MAX_DEPTH} deep"
                    ));
                }
            }
            at = j + 1;
        }
        if at >= b.len() {
            break;
        }
    }
    Ok(())
}

fn refuse_what_would_vanish(doc: &Document) -> Result<(), String> {
    for n in doc.descendants().filter(Node::is_element) {
        match n.tag_name().name() {
            "text" => {
                return Err("the SVG has text in it, which handouts does not draw; \
                     in your drawing program convert the text to outlines (paths) \
                     and save it again"
                    .into())
            }
            "image" => {
                return Err("the SVG has a picture inside it, which handouts does not \
                     draw; use the picture itself as a PNG or JPEG"
                    .into())
            }
            _ => {}
        }
    }
    Ok(())
}

/// Counts the elements usvg would build, copies included; refuses more
/// than `MAX_EXPANDED` or deeper than `MAX_DEPTH`.
fn refuse_bombs(doc: &Document) -> Result<(), String> {
    let ids: HashMap<&str, Node> = doc
        .descendants()
        .filter_map(|n| n.attribute("id").map(|id| (id, n)))
        .collect();
    // Every marker may be drawn on every vertex of every path: bound the
    // vertices by the bytes of path data (a vertex takes at least two).
    let vertices: u64 = doc
        .descendants()
        .filter_map(|n| n.attribute("d").or(n.attribute("points")))
        .map(|d| d.len() as u64 / 2 + 1)
        .sum();
    let mut count = Count {
        ids,
        sizes: HashMap::new(),
        vertices,
    };
    let total = count.size(doc.root_element(), 0)?;
    if total > MAX_EXPANDED {
        return Err(format!(
            "the SVG repeats its shapes too many times (more than \
             {MAX_EXPANDED} after copies); simplify the drawing"
        ));
    }
    Ok(())
}

struct Count<'a, 'i> {
    ids: HashMap<&'a str, Node<'a, 'i>>,
    /// Sizes by node; `None` while being counted (a loop counts as 0,
    /// as usvg skips it).
    sizes: HashMap<roxmltree::NodeId, Option<u64>>,
    vertices: u64,
}

impl<'a, 'i> Count<'a, 'i> {
    fn size(&mut self, n: Node<'a, 'i>, depth: usize) -> Result<u64, String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "the SVG nests its elements more than {MAX_DEPTH} deep"
            ));
        }
        if let Some(known) = self.sizes.get(&n.id()) {
            return Ok(known.unwrap_or(0));
        }
        self.sizes.insert(n.id(), None);
        let mut size: u64 = 1;
        for child in n.children().filter(Node::is_element) {
            size = size.saturating_add(self.size(child, depth + 1)?);
        }
        if n.tag_name().name() == "use" {
            let href = n
                .attribute(("http://www.w3.org/1999/xlink", "href"))
                .or(n.attribute("href"));
            if let Some(target) = href
                .and_then(|h| h.strip_prefix('#'))
                .and_then(|id| self.ids.get(id).copied())
            {
                size = size.saturating_add(self.size(target, depth + 1)?);
            }
        }
        if n.tag_name().name() == "marker" {
            size = size.saturating_mul(self.vertices);
        }
        // Stop counting early: nothing past the limit matters.
        let size = size.min(MAX_EXPANDED + 1);
        self.sizes.insert(n.id(), Some(size));
        Ok(size)
    }
}

impl SvgObjects {
    /// The objects renumbered to start at `first`, and their bytes.
    pub fn placed(&self, first: i32) -> Chunk {
        self.0.renumber(|r| Ref::new(first + r.get() - 1))
    }
}
