//! Display list → PDF bytes.
//!
//! Pages, fonts, bookmarks, links and form fields are written straight into
//! the file with pdf-writer's typed objects: no document model is built and
//! then walked again, which is what made writing cost more than layout. Each
//! face is embedded once, subset to the characters the document sets
//! (`embed`); page content comes from one `match` over display items
//! (`content`); fields from `form`. The Info dictionary holds the title,
//! subject and author only (never a client's name: packets keep names out of
//! those), dates only from `SOURCE_DATE_EPOCH`, and the trailer `/ID` is a
//! hash of the bytes, so the same input gives the same file.

pub use super::embed::Codes;
use super::embed::{self, Subset, Usage};
use super::file::{File, Refs};
use super::tags::{self, Marks};
use super::{content, form, reuse};
use crate::deflate::deflate_all;
use crate::layout::display::{Document, Item, OutlineEntry, Tag};
use pdf_writer::types::{ActionType, AnnotationFlags, AnnotationType, PageMode};
use pdf_writer::writers::{Catalog, DocumentInfo};
use pdf_writer::{Chunk, Filter, Name, Null, Rect, Ref, Str, TextStr};
use std::sync::Arc;

/// Options that change the bytes written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Seconds since the Unix epoch for CreationDate/ModDate; `None` omits them.
    pub date: Option<i64>,
    /// How glyphs are numbered: [`Codes::Stable`] for the files of a batch.
    pub codes: Codes,
}

/// Writes the document as PDF bytes.
pub fn write(doc: &Document, opts: &WriteOptions) -> Vec<u8> {
    let mut usage = Usage::new();
    for item in doc.pages.iter().flat_map(|p| &p.items) {
        if let Item::Text(t) = item {
            usage.add_run(t);
        }
    }
    let subsets: Vec<Arc<Subset>> = usage
        .faces()
        .into_iter()
        .map(|(face, chars, shaped, values)| {
            embed::subset(face, &chars, &shaped, opts.codes, values)
        })
        .collect();

    let levels = opts.codes.levels();
    let share = opts.codes == Codes::Stable;
    let mut file = File::new(
        16 * 1024 + doc.pages.len() * 4 * 1024,
        levels.objects,
        share,
    );
    let mut refs = Refs(Ref::new(1));
    let catalog = refs.next();
    let tree = refs.next();
    let resources = refs.next();
    let pages: Vec<Ref> = doc.pages.iter().map(|_| refs.next()).collect();

    // Each picture once, however many pages show it.
    let mut images: Vec<Arc<crate::images::Image>> = Vec::new();
    for item in doc.pages.iter().flat_map(|p| &p.items) {
        if let Item::Image { image, .. } = item {
            if !images.iter().any(|i| Arc::ptr_eq(i, image)) {
                images.push(image.clone());
            }
        }
    }
    let xobjects: Vec<Ref> = images
        .iter()
        .map(|img| super::picture::write(&mut file, &mut refs, img))
        .collect();
    let mut marks = Marks::default();
    let fields = form::write(&mut file, &mut refs, doc, &pages, &mut marks);
    // Pages are made and compressed a batch of them at a time: a long
    // packet's are compressed on two cores (`deflate_all`) without holding
    // every page's content at once.
    const PAGES_AT_ONCE: usize = 64;
    let mut i = 0;
    // The pages' MediaBox as written, for the last page size met.
    let mut media: (Option<(u32, u32)>, Vec<u8>) = (None, Vec::new());
    for chunk in doc.pages.chunks(PAGES_AT_ONCE) {
        let looks = |p| content::looks(p, &subsets, &images, &doc.tree, &doc.language);
        // A batch's unchanged pages are the same bytes in every file: each
        // is drawn and compressed once, at the level for the smallest
        // bytes ([`reuse`]). A single document's pages never repeat (their
        // numbers differ): it keeps level 5 (9 made a 1,000-page packet
        // 36 % slower for 2.5 % fewer bytes). [`Codes::levels`].
        let made: Vec<reuse::Drawn> = match opts.codes {
            Codes::Stable => chunk
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    // A page showing a row's names is that row's alone.
                    let own = p
                        .items
                        .iter()
                        .any(|it| matches!(it, Item::Text(t) if t.value));
                    let level = if own { levels.own_pages } else { levels.pages };
                    reuse::page(i + k, p, looks(p), &subsets, level)
                })
                .collect(),
            Codes::Compact => {
                let drawn: Vec<_> = chunk
                    .iter()
                    .map(|p| {
                        let mut mcids = Vec::new();
                        (content::page(p, &looks(p), &subsets, &mut mcids), mcids)
                    })
                    .collect();
                let raws: Vec<&[u8]> = drawn.iter().map(|(raw, _)| &raw[..]).collect();
                let compressed = deflate_all(&raws, levels.pages);
                compressed
                    .into_iter()
                    .zip(drawn)
                    .map(|(data, (_, mcids))| (Arc::from(data), mcids))
                    .collect()
            }
        };
        for (p, (data, mcids)) in chunk.iter().zip(made) {
            let (stream, page_ref) = (refs.next(), pages[i]);
            file.stream(stream, data.len(), |c| {
                c.stream(stream, &data).filter(Filter::FlateDecode);
            });
            let tagged = !mcids.is_empty();
            marks.pages.push(mcids);
            for it in &p.items {
                if let Item::Modules {
                    tag: Tag::Node(n), ..
                }
                | Item::Image {
                    tag: Tag::Node(n), ..
                } = it
                {
                    let (l, t, r, b) = it.bounds();
                    marks
                        .boxes
                        .push((*n, Rect::new(l, p.height - b, r, p.height - t)));
                }
            }
            let mut annots = links(
                &mut file,
                &mut refs,
                (i, p),
                &pages,
                &mut marks,
                &doc.page_link,
            );
            annots.extend_from_slice(&fields.widgets[i]);
            let size = (p.width.to_bits(), p.height.to_bits());
            if media.0 != Some(size) {
                media = (Some(size), media_box(p.width, p.height));
            }
            let page = PageDict {
                media: &media.1,
                parent: tree,
                contents: stream,
                resources,
                struct_parents: tagged.then_some(i),
                annots: &annots,
            };
            file.raw(page_ref, &page.bytes());
            i += 1;
        }
    }
    // In a batch, the dictionaries so far (pages, links, fields) and the
    // structure tree repeat from row to row while the layout's shape does
    // (nothing in them follows the names), and the fonts' differ with the
    // names' characters: each run gets an object stream of its own, so the
    // ones that repeat are compressed once.
    file.section(true);
    let (struct_root, _) = match opts.codes {
        Codes::Stable => reuse::tree(&mut file, &mut refs, &doc.tree, &marks, &pages),
        Codes::Compact => tags::write(&mut file, &mut refs, &doc.tree, &marks, &pages),
    };
    file.object(tree, |c| {
        c.pages(tree)
            .kids(pages.iter().copied())
            .count(pages.len() as i32);
    });

    file.section(false);
    let mut fonts = Vec::new();
    for s in &subsets {
        let font = refs.block(s.objects());
        s.write(&mut file, font);
        fonts.push((s.face(), font));
    }
    file.section(true);
    file.object(resources, |c| {
        let mut res = c.indirect(resources).dict();
        let mut dict = res.insert(Name(b"Font")).dict();
        for (face, font) in fonts {
            dict.pair(Name(face.resource_name().as_bytes()), font);
        }
        drop(dict);
        if !xobjects.is_empty() {
            let mut x = res.insert(Name(b"XObject")).dict();
            for (n, r) in xobjects.iter().enumerate() {
                x.pair(Name(format!("Im{n}").as_bytes()), *r);
            }
        }
    });

    let outline = (!doc.outline.is_empty()).then(|| {
        let root = refs.next();
        let (first, last, count) = outline_level(&mut file, &mut refs, &doc.outline, root, &pages);
        file.object(root, |c| {
            c.outline(root).first(first).last(last).count(count);
        });
        root
    });
    let info = refs.next();
    file.object(info, |c| write_info(c, info, doc, opts));
    let metadata = refs.next();
    let xmp = xmp(doc);
    file.stream(metadata, xmp.len(), |c| {
        // Left uncompressed, as PDF/UA's checkers and search tools expect.
        c.metadata(metadata, xmp.as_bytes());
    });
    file.object(catalog, |c| {
        let mut cat = c.indirect(catalog).start::<Catalog>();
        cat.pages(tree).lang(TextStr(&doc.language));
        cat.mark_info().marked(true);
        cat.pair(Name(b"StructTreeRoot"), struct_root);
        cat.viewer_preferences().display_doc_title(true);
        cat.metadata(metadata);
        if let Some(root) = outline {
            cat.outlines(root).page_mode(PageMode::UseOutlines);
        }
        if let Some(acro) = fields.acro_form {
            cat.pair(Name(b"AcroForm"), acro);
        }
    });

    let id = if doc.personal {
        public_id(doc, opts)
    } else {
        content_id(&file.bytes())
    };
    file.finish(refs.next(), catalog, info, &id)
}

/// The link annotations of page `i`; they print nothing (no border). Each
/// is described for screen readers (`/Contents`) and belongs to the
/// `Link` node of its text.
fn links(
    file: &mut File,
    refs: &mut Refs,
    (i, page): (usize, &crate::layout::display::Page),
    pages: &[Ref],
    marks: &mut Marks,
    page_link: &str,
) -> Vec<Ref> {
    enum Target<'a> {
        Page(Ref, usize),
        Uri(&'a str),
    }
    let page_h = page.height;
    let mut out = Vec::new();
    for item in &page.items {
        let (x, y, w, h, target, tag) = match item {
            Item::Uri {
                x,
                y,
                w,
                h,
                uri,
                tag,
            } => (x, y, w, h, Target::Uri(uri), tag),
            Item::Link {
                x,
                y,
                w,
                h,
                page,
                tag,
            } => match pages.get(*page) {
                Some(&r) => (x, y, w, h, Target::Page(r, *page), tag),
                None => continue,
            },
            _ => continue,
        };
        let id = refs.next();
        let key = match tag {
            Tag::Node(n) => Some(marks.annotation(id, i, *n, pages.len())),
            _ => None,
        };
        file.object(id, |c| {
            let mut a = c.annotation(id);
            a.subtype(AnnotationType::Link)
                .rect(Rect::new(*x, page_h - y - h, x + w, page_h - y))
                .border(0.0, 0.0, 0.0, None)
                .flags(AnnotationFlags::PRINT);
            if let Some(key) = key {
                a.struct_parent(key);
            }
            match &target {
                Target::Uri(uri) => a.contents(TextStr(uri)),
                Target::Page(_, n) => a.contents(TextStr(&crate::locale::Words::fill(
                    page_link,
                    &[("page", &(n + 1).to_string())],
                ))),
            };
            let mut action = a.action();
            match target {
                Target::Uri(uri) => {
                    action.action_type(ActionType::Uri).uri(Str(uri.as_bytes()));
                }
                Target::Page(page, _) => {
                    // [page /XYZ null null null]: go to the page, keep the zoom.
                    action.action_type(ActionType::GoTo);
                    action
                        .insert(Name(b"D"))
                        .array()
                        .item(page)
                        .item(Name(b"XYZ"))
                        .item(Null)
                        .item(Null)
                        .item(Null);
                }
            }
        });
        out.push(id);
    }
    out
}

/// The XMP packet: the title (never a client's name: see `Document`), the
/// language, and the claim of PDF/UA-1.
fn xmp(doc: &Document) -> String {
    let mut x = xmp_writer::XmpWriter::new();
    x.title([(None, doc.title.as_str())]);
    x.language([xmp_writer::LangId(&doc.language)]);
    x.format("application/pdf");
    if !doc.author.is_empty() {
        x.creator([doc.author.as_str()]);
    }
    x.creator_tool("handouts");
    x.producer(concat!("handouts ", env!("CARGO_PKG_VERSION")));
    x.pdfua_part(1);
    x.finish(None)
}

fn write_info(c: &mut Chunk, id: Ref, doc: &Document, opts: &WriteOptions) {
    let mut info = c.indirect(id).start::<DocumentInfo>();
    info.title(TextStr(&doc.title));
    if !doc.subject.is_empty() {
        info.subject(TextStr(&doc.subject));
    }
    if !doc.author.is_empty() {
        info.author(TextStr(&doc.author));
    }
    info.creator(TextStr("handouts"));
    info.producer(TextStr(concat!("handouts ", env!("CARGO_PKG_VERSION"))));
    if let Some(secs) = opts.date {
        let d = pdf_date(secs);
        info.pair(Name(b"CreationDate"), Str(d.as_bytes()));
        info.pair(Name(b"ModDate"), Str(d.as_bytes()));
    }
}

/// Writes one level of bookmarks under `parent`; returns its first and
/// last entries and how many entries it shows open.
fn outline_level(
    file: &mut File,
    refs: &mut Refs,
    entries: &[OutlineEntry],
    parent: Ref,
    pages: &[Ref],
) -> (Ref, Ref, i32) {
    let ids: Vec<Ref> = entries.iter().map(|_| refs.next()).collect();
    let mut count = 0;
    for (i, e) in entries.iter().enumerate() {
        let children =
            (!e.children.is_empty()).then(|| outline_level(file, refs, &e.children, ids[i], pages));
        file.object(ids[i], |c| {
            let mut item = c.outline_item(ids[i]);
            item.title(TextStr(&e.title)).parent(parent);
            if i > 0 {
                item.prev(ids[i - 1]);
            }
            if i + 1 < ids.len() {
                item.next(ids[i + 1]);
            }
            if let Some((f, l, c)) = children {
                item.first(f).last(l).count(c);
            }
            if let Some(&page) = pages.get(e.page) {
                item.dest().page(page).fit();
            }
        });
        count += 1 + children.map_or(0, |(_, _, c)| c);
    }
    (ids[0], ids[ids.len() - 1], count)
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

/// The `/ID` of a personalised document: made from what may leave the
/// pages (title, subject, author, bookmarks, page count, date), so it can
/// never be matched against a guessed name.
fn public_id(doc: &Document, opts: &WriteOptions) -> Vec<u8> {
    fn titles(entries: &[OutlineEntry], out: &mut String) {
        for e in entries {
            out.push_str(&e.title);
            out.push('\n');
            titles(&e.children, out);
        }
    }
    let mut public = format!(
        "{}\n{}\n{}\n{}\n{:?}\n",
        doc.title,
        doc.subject,
        doc.author,
        doc.pages.len(),
        opts.date
    );
    titles(&doc.outline, &mut public);
    content_id(&[public.as_bytes()])
}

/// 16 bytes of FNV-1a (two lanes, eight bytes a step) over every object
/// written (streams, then each object stream's dictionaries): same
/// content, same /ID.
fn content_id(parts: &[&[u8]]) -> Vec<u8> {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    for bytes in parts {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let x = u64::from_le_bytes(w.try_into().expect("eight bytes"));
            a = (a ^ x).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ x.rotate_left(29)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x2);
        }
        for &x in words.remainder() {
            a = (a ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x2);
        }
    }
    let mut id = a.to_be_bytes().to_vec();
    id.extend(b.to_be_bytes());
    id
}

/// A page's dictionary, written as bytes: the same bytes as pdf-writer's
/// `Page` writer gives (a test holds them to it), without its checks on
/// every byte of its names (about fifteen a page; 1.2 % of a batch row's
/// instructions).
struct PageDict<'a> {
    /// The `MediaBox` array as pdf-writer writes it ([`media_box`]).
    media: &'a [u8],
    parent: Ref,
    contents: Ref,
    resources: Ref,
    struct_parents: Option<usize>,
    annots: &'a [Ref],
}

impl PageDict<'_> {
    fn bytes(&self) -> Vec<u8> {
        use super::file::{int, reference};
        let mut d = Vec::with_capacity(120 + self.annots.len() * 10);
        d.extend_from_slice(b"<</Type/Page/MediaBox");
        d.extend_from_slice(self.media);
        for (key, r) in [
            (&b"/Parent"[..], self.parent),
            (b"/Contents", self.contents),
            (b"/Resources", self.resources),
        ] {
            d.extend_from_slice(key);
            reference(&mut d, r);
        }
        if let Some(n) = self.struct_parents {
            d.extend_from_slice(b"/StructParents ");
            int(&mut d, n as u64);
        }
        if !self.annots.is_empty() {
            // Tab through links and fields in reading order; pdf-writer
            // puts no space after the bracket.
            d.extend_from_slice(b"/Tabs/S/Annots[");
            let first = d.len();
            for &a in self.annots {
                reference(&mut d, a);
            }
            d.remove(first);
            d.push(b']');
        }
        d.extend_from_slice(b">>");
        d
    }
}

/// `[0 0 width height]` as pdf-writer writes a `Rect`.
fn media_box(width: f32, height: f32) -> Vec<u8> {
    let id = Ref::new(1);
    let mut c = Chunk::with_settings(super::file::SETTINGS);
    c.indirect(id).primitive(Rect::new(0.0, 0.0, width, height));
    super::file::body_of(c.as_bytes(), id).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::types::TabOrder;

    /// The page dictionary written as bytes is pdf-writer's, byte for
    /// byte, for every paper and with and without marks and annotations.
    #[test]
    fn page_dictionaries_are_pdf_writers_bytes() {
        let sizes = [
            (612.0, 792.0),
            (595.2756, 841.8898),
            (419.53, 595.28),
            (1.0, 14400.0),
        ];
        for (w, h) in sizes {
            for tagged in [None, Some(0), Some(123_456)] {
                for annots in [
                    vec![],
                    vec![Ref::new(7)],
                    vec![Ref::new(9), Ref::new(1_000_000)],
                ] {
                    let (id, parent, contents, resources) =
                        (Ref::new(40), Ref::new(2), Ref::new(99_999), Ref::new(3));
                    let mut c = Chunk::with_settings(super::super::file::SETTINGS);
                    {
                        let mut page = c.page(id);
                        page.media_box(Rect::new(0.0, 0.0, w, h))
                            .parent(parent)
                            .contents(contents)
                            .pair(Name(b"Resources"), resources);
                        if let Some(n) = tagged {
                            page.struct_parents(n as i32);
                        }
                        if !annots.is_empty() {
                            page.tab_order(TabOrder::StructureOrder);
                            page.annotations(annots.iter().copied());
                        }
                    }
                    let theirs = super::super::file::body_of(c.as_bytes(), id);
                    let media = media_box(w, h);
                    let ours = PageDict {
                        media: &media,
                        parent,
                        contents,
                        resources,
                        struct_parents: tagged,
                        annots: &annots,
                    }
                    .bytes();
                    assert_eq!(
                        String::from_utf8_lossy(&ours),
                        String::from_utf8_lossy(theirs),
                        "{w} x {h}, {tagged:?}, {annots:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn dates_follow_the_civil_calendar() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_795_824_000), "D:20261128000000Z");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000Z");
    }

    #[test]
    fn ids_differ_with_content() {
        assert_ne!(
            content_id(&[b"%PDF-1.7 one", b""]),
            content_id(&[b"%PDF-1.7 two", b""])
        );
        assert_ne!(content_id(&[b"a", b"b"]), content_id(&[b"a", b"c"]));
        assert_eq!(
            content_id(&[b"same bytes", b"x"]),
            content_id(&[b"same bytes", b"x"])
        );
    }
}
