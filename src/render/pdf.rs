//! Display list → PDF bytes. The only module that imports printpdf.
//!
//! One `match` over display items builds each page's operators; printpdf
//! embeds and subsets the fonts; a lopdf pass then fixes what printpdf cannot
//! be told: a clean Info dictionary (title, subject, no PDF/X claim), the
//! document language, dates from `SOURCE_DATE_EPOCH` only, and a trailer
//! `/ID` derived from the content so the same input gives the same bytes.

use crate::fonts::Face;
use crate::layout::display::OutlineEntry;
use crate::layout::display::{Document, Item, Page, Stroke, TextRun};
use lopdf::{Object, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, Destination, FontId, Greyscale, Line, LineCapStyle,
    LineDashPattern, LinePoint, LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Options that change the bytes written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Seconds since the Unix epoch for CreationDate/ModDate; `None` omits them.
    pub date: Option<i64>,
}

/// Parsed faces for printpdf, parsed once per process.
fn parsed(face: Face) -> &'static ParsedFont {
    static CACHE: [OnceLock<ParsedFont>; 6] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    CACHE[face as usize].get_or_init(|| {
        let mut warnings = Vec::new();
        let mut pf = ParsedFont::from_bytes(face.bytes(), 0, &mut warnings)
            .unwrap_or_else(|| panic!("bundled font {face:?} cannot be parsed"));
        pf.font_name = Some(face.postscript_name().to_owned());
        pf
    })
}

/// Writes the document as PDF bytes.
pub fn write(doc: &Document, opts: &WriteOptions) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&doc.title);
    let used: BTreeSet<Face> = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(t) => Some(t.face),
            _ => None,
        })
        .collect();
    for face in used {
        // Fixed resource names (not printpdf's random ids) keep output
        // byte-identical; six capitals make a valid subset tag.
        pdf.resources.fonts.map.insert(
            FontId(face.resource_name().to_owned()),
            PdfFont::new(parsed(face).clone()),
        );
    }
    let pages = doc.pages.iter().map(page).collect();
    pdf.with_pages(pages);

    let save = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&save, &mut warnings);
    finish(&mut lo, doc, opts);
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .expect("writing a PDF into memory cannot fail");
    out
}

fn page(p: &Page) -> PdfPage {
    let mut ops = Vec::with_capacity(p.items.len() * 4);
    let h = p.height;
    for item in &p.items {
        match item {
            Item::Text(t) => text(&mut ops, t, h),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                gray,
            } => {
                stroke(
                    &mut ops,
                    Stroke {
                        width: *width,
                        gray: *gray,
                    },
                );
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(*x1, h - y1, false), point(*x2, h - y2, false)],
                        is_closed: false,
                    },
                });
            }
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                stroke: s,
                fill,
            } => {
                if let Some(s) = s {
                    stroke(&mut ops, *s);
                }
                if let Some(g) = fill {
                    ops.push(Op::SetFillColor { col: gray(*g) });
                }
                let mode = match (s.is_some(), fill.is_some()) {
                    (true, true) => PaintMode::FillStroke,
                    (false, true) => PaintMode::Fill,
                    _ => PaintMode::Stroke,
                };
                let mut r = Rect::from_xywh(Pt(*x), Pt(h - y - rh), Pt(*w), Pt(*rh));
                r.mode = Some(mode);
                ops.push(Op::DrawRectangle { rectangle: r });
            }
            Item::Circle {
                cx,
                cy,
                r,
                stroke: s,
            } => {
                stroke(&mut ops, *s);
                ops.push(Op::DrawLine {
                    line: circle(*cx, h - cy, *r),
                });
            }
            Item::Leader { x1, x2, y } => {
                // Round-capped zero-length dashes print as dots.
                stroke(
                    &mut ops,
                    Stroke {
                        width: 1.1,
                        gray: 0.35,
                    },
                );
                ops.push(Op::SetLineCapStyle {
                    cap: LineCapStyle::Round,
                });
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::new(0.0, &[0.0, 3.6]),
                });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(*x1, h - y, false), point(*x2, h - y, false)],
                        is_closed: false,
                    },
                });
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::solid(),
                });
                ops.push(Op::SetLineCapStyle {
                    cap: LineCapStyle::Butt,
                });
            }
            // Fields are added to the written file by `form`.
            Item::Field(_) => {}
            Item::Link {
                x,
                y,
                w,
                h: lh,
                page,
            } => ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect::from_xywh(Pt(*x), Pt(h - y - lh), Pt(*w), Pt(*lh)),
                    Actions::go_to(Destination::Xyz {
                        page: page + 1,
                        left: None,
                        top: None,
                        zoom: None,
                    }),
                    // No border: a link box must not print.
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            }),
        }
    }
    let media = Rect::from_wh(Pt(p.width), Pt(p.height));
    PdfPage {
        media_box: media.clone(),
        trim_box: media.clone(),
        crop_box: media,
        ops,
    }
}

fn text(ops: &mut Vec<Op>, t: &TextRun, page_h: f32) {
    let mut items = Vec::with_capacity(1 + 2 * t.kerns.len());
    let mut from = 0;
    for &(at, kern) in &t.kerns {
        let at = at as usize;
        if at > from {
            items.push(TextItem::Text(t.text[from..at].to_owned()));
        }
        // TJ numbers are subtracted from the pen position.
        items.push(TextItem::Offset(-kern));
        from = at;
    }
    items.push(TextItem::Text(t.text[from..].to_owned()));
    ops.extend([
        Op::StartTextSection,
        Op::SetFont {
            font: PdfFontHandle::External(FontId(t.face.resource_name().to_owned())),
            size: Pt(t.size),
        },
        Op::SetFillColor { col: gray(t.gray) },
        Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(t.x), Pt(page_h - t.y)),
        },
        Op::ShowText { items },
        Op::EndTextSection,
    ]);
}

fn gray(g: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: g,
        icc_profile: None,
    })
}

fn stroke(ops: &mut Vec<Op>, s: Stroke) {
    ops.push(Op::SetOutlineColor { col: gray(s.gray) });
    ops.push(Op::SetOutlineThickness { pt: Pt(s.width) });
}

fn point(x: f32, y: f32, bezier: bool) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier,
    }
}

/// A circle as four cubic Béziers (PDF coordinates).
fn circle(cx: f32, cy: f32, r: f32) -> Line {
    let k = 0.552_284_8 * r;
    let pts = [
        (cx + r, cy, false),
        (cx + r, cy + k, true),
        (cx + k, cy + r, true),
        (cx, cy + r, false),
        (cx - k, cy + r, true),
        (cx - r, cy + k, true),
        (cx - r, cy, false),
        (cx - r, cy - k, true),
        (cx - k, cy - r, true),
        (cx, cy - r, false),
        (cx + k, cy - r, true),
        (cx + r, cy - k, true),
        (cx + r, cy, false),
    ];
    Line {
        points: pts.iter().map(|&(x, y, b)| point(x, y, b)).collect(),
        is_closed: true,
    }
}

/// Rewrites Info, sets /Lang and a content-derived /ID.
fn finish(lo: &mut lopdf::Document, doc: &Document, opts: &WriteOptions) {
    let text = |s: &str| Object::String(pdf_text(s), StringFormat::Literal);
    let mut info = lopdf::Dictionary::new();
    info.set("Title", text(&doc.title));
    if !doc.subject.is_empty() {
        info.set("Subject", text(&doc.subject));
    }
    if !doc.author.is_empty() {
        info.set("Author", text(&doc.author));
    }
    info.set("Creator", text("handouts"));
    info.set(
        "Producer",
        text(concat!(
            "handouts ",
            env!("CARGO_PKG_VERSION"),
            " (printpdf)"
        )),
    );
    if let Some(secs) = opts.date {
        let d = text(&pdf_date(secs));
        info.set("CreationDate", d.clone());
        info.set("ModDate", d);
    }
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", Object::Reference(info_id));

    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Lang", text(&doc.language));
        // printpdf writes PageMode as a string; it is a name, set below.
        catalog.remove(b"PageMode");
        catalog.remove(b"Metadata");
    }
    if !doc.outline.is_empty() {
        let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
        let root = lo.new_object_id();
        let (first, last, count) = outline_level(lo, &doc.outline, root, &pages);
        let mut d = lopdf::Dictionary::new();
        d.set("Type", Object::Name(b"Outlines".to_vec()));
        d.set("First", Object::Reference(first));
        d.set("Last", Object::Reference(last));
        d.set("Count", Object::Integer(count));
        lo.objects.insert(root, Object::Dictionary(d));
        if let Ok(catalog) = lo.catalog_mut() {
            catalog.set("Outlines", Object::Reference(root));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
    }
    super::form::add_fields(lo, doc, pdf_text);
    let id = Object::String(
        content_id(lo, doc, opts).to_vec(),
        StringFormat::Hexadecimal,
    );
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    lo.prune_objects();
}

/// Writes one level of bookmarks under `parent`; returns its first and
/// last entries and how many entries it shows open.
fn outline_level(
    lo: &mut lopdf::Document,
    entries: &[OutlineEntry],
    parent: lopdf::ObjectId,
    pages: &[lopdf::ObjectId],
) -> (lopdf::ObjectId, lopdf::ObjectId, i64) {
    let ids: Vec<lopdf::ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    let mut count = 0;
    for (i, e) in entries.iter().enumerate() {
        let mut d = lopdf::Dictionary::new();
        d.set(
            "Title",
            Object::String(pdf_text(&e.title), StringFormat::Literal),
        );
        d.set("Parent", Object::Reference(parent));
        if i > 0 {
            d.set("Prev", Object::Reference(ids[i - 1]));
        }
        if i + 1 < ids.len() {
            d.set("Next", Object::Reference(ids[i + 1]));
        }
        if let Some(page) = pages.get(e.page) {
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page),
                    Object::Name(b"Fit".to_vec()),
                ]),
            );
        }
        if !e.children.is_empty() {
            let (f, l, c) = outline_level(lo, &e.children, ids[i], pages);
            d.set("First", Object::Reference(f));
            d.set("Last", Object::Reference(l));
            d.set("Count", Object::Integer(c));
            count += c;
        }
        lo.objects.insert(ids[i], Object::Dictionary(d));
        count += 1;
    }
    (ids[0], ids[ids.len() - 1], count)
}

/// A PDF text string: PDFDocEncoding for ASCII, UTF-16BE with a BOM otherwise.
fn pdf_text(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        out.extend(u.to_be_bytes());
    }
    out
}

/// `D:YYYYMMDDHHmmSSZ` for seconds since the epoch (UTC).
fn pdf_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// 16 bytes of FNV-1a over every stream (page content, fonts, appearances)
/// and the metadata: same content, same /ID. Hashing the bytes already made
/// costs far less than formatting the display list again.
fn content_id(lo: &lopdf::Document, doc: &Document, opts: &WriteOptions) -> [u8; 16] {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    let mut feed = |bytes: &[u8]| {
        for &x in bytes {
            a = (a ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x2);
        }
    };
    for obj in lo.objects.values() {
        if let Object::Stream(st) = obj {
            feed(&st.content);
        }
    }
    for s in [&doc.title, &doc.subject, &doc.author, &doc.language] {
        feed(s.as_bytes());
        feed(&[0]);
    }
    feed(&opts.date.unwrap_or(0).to_le_bytes());
    let mut id = [0; 16];
    id[..8].copy_from_slice(&a.to_be_bytes());
    id[8..].copy_from_slice(&b.to_be_bytes());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_civil_calendar() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_795_824_000), "D:20261128000000Z");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000Z");
    }

    #[test]
    fn non_ascii_metadata_is_utf16() {
        assert_eq!(pdf_text("Aé"), [0xFE, 0xFF, 0, b'A', 0, 0xE9]);
    }
}
