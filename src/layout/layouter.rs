//! The layouter: a worksheet's blocks become slices, slices become body
//! pages, and [`Layouter::finish`] adds the furniture once the page count
//! is known (for a packet, after all its parts are assembled). It keeps the
//! fonts' state and the characters found missing across everything it lays
//! out, so a packet is laid out by one `Layouter`.

use super::blocks::{hline, Ctx};
use super::display::{Document, Item, Page, Role, Tag};
use super::flow::{self, Slice};
use super::furniture::{furniture_style, join_fields, Footer, Geometry, Header, FURNITURE_GRAY};
use super::kept_furniture::Keeper;
use super::text::Line;
use crate::model::{Setup, Span, Text, Worksheet};

/// A laid-out document and the warnings layout found.
pub struct Laid {
    pub doc: Document,
    pub warnings: Vec<String>,
}

/// A page with its body placed, before header, footer and page number.
#[derive(Debug, PartialEq)]
pub struct BodyPage {
    pub items: Vec<Item>,
    pub header: Option<Header>,
    /// The node that reads this page's safety line (a worksheet's last
    /// page; the first such page of a document); elsewhere the line is
    /// furniture, not read.
    pub safety: Option<u32>,
}

/// A kept worksheet's pages are cloned for every row of a batch: each
/// clone keeps the room for the furniture (a derived clone would be
/// exactly full, and grown again, a copy of the page, by
/// [`Layouter::finish`]).
impl Clone for BodyPage {
    fn clone(&self) -> BodyPage {
        let mut items = Vec::with_capacity(self.items.len() + flow::FURNITURE_ROOM);
        items.extend(self.items.iter().cloned());
        BodyPage {
            items,
            header: self.header.clone(),
            safety: self.safety,
        }
    }
}

impl BodyPage {
    /// Moves the page's tags by `by` (its nodes grafted into another tree).
    pub fn shift(&mut self, by: u32) {
        super::structure::shift(&mut self.items, by);
        if let Some(n) = &mut self.safety {
            *n += by;
        }
    }
}

/// Lays out pages for one paper size and config; keeps the fonts' state
/// (and the characters found missing) across everything it lays out, so a
/// packet is laid out by one `Layouter`.
pub struct Layouter {
    pub(super) ctx: Ctx,
    geo: Geometry,
    footer: Vec<Line>,
    footer_left: String,
    /// The tool's words in the document's language, and the language.
    pub(super) words: std::sync::Arc<crate::locale::Words>,
    language: String,
}

impl Layouter {
    pub fn new(setup: &Setup) -> Layouter {
        let (width, height) = (setup.width, setup.height);
        let side = 54.0;
        let mut ctx = Ctx::new(width - 2.0 * side, 0.0, setup.font_size, setup.large_print);
        ctx.body.hyphens = super::text::hyphenation(&setup.language);
        ctx.body.rtl = crate::locale::right_to_left(&setup.language);
        ctx.body.family = setup.family;
        ctx.logo = setup.logo.clone();
        ctx.words = setup.words.clone();
        let st = furniture_style(&ctx, false);
        let footer = ctx.balanced_lines(&setup.safety_line, &st, width - 2.0 * side);
        let margin = 36.0;
        let footer_height = ctx.small * 1.4 * (1 + footer.len()) as f32 + 6.0;
        ctx.height = height - margin - footer_height - 14.0 - (margin + 36.0);
        let geo = Geometry {
            width,
            height,
            margin,
            body_left: side,
            body_right: width - side,
            body_top: margin + 36.0,
            body_bottom: height - margin - footer_height - 14.0,
        };
        Layouter {
            ctx,
            geo,
            footer,
            footer_left: setup.footer.clone(),
            words: setup.words.clone(),
            language: setup.language.clone(),
        }
    }

    /// Names answer spaces as form fields from now on (`prefix.prompt-1`,
    /// …), or stops doing so with `None`.
    pub fn fields(&mut self, prefix: Option<String>) {
        self.ctx.fields = prefix.map(|p| (p, Default::default()));
    }

    /// A worksheet's pages: title block, blocks, source line.
    pub fn worksheet(&mut self, ws: &Worksheet, header: &Header) -> Vec<BodyPage> {
        let ctx = &mut self.ctx;
        // Set in its own language: its words and hyphenation patterns.
        let (hyphens, rtl) = (ctx.body.hyphens, ctx.body.rtl);
        ctx.words = ws.words.clone();
        ctx.body.hyphens = super::text::hyphenation(&ws.language);
        ctx.body.rtl = crate::locale::right_to_left(&ws.language);
        // Read in its own language by a screen reader.
        let lang = (ws.language != self.language).then(|| ws.language.clone());
        ctx.tree.open(Role::Sect { lang });
        let mut slices = title_block(ctx, ws);
        slices.extend(ctx.blocks(&ws.blocks));
        let small_print = ctx.tagged(Role::P, |ctx| colophon(ctx, ws));
        ctx.words = self.words.clone();
        ctx.body.hyphens = hyphens;
        // The safety line is read once, after the worksheet: on one page
        // it is the handout's own text, not furniture a reader may skip.
        let safety = (!self.footer.is_empty()).then(|| ctx.tree.leaf(Role::P));
        ctx.tree.close();
        if let (Some(last), false) = (slices.last_mut(), small_print.is_empty()) {
            // The source line never sits alone on a last page.
            last.keep_with_next = true;
        }
        slices.extend(small_print);
        // Paginated in its own direction, then the document's again.
        let mut pages = self.paginate(&slices, Some(header));
        self.ctx.body.rtl = rtl;
        if let Some(last) = pages.last_mut() {
            last.safety = safety;
        }
        pages
    }

    /// Slices flowed into body areas, each page with `header`. Text set
    /// right to left (a Hebrew worksheet, an Arabic packet's cover) was
    /// laid out as any other, its lines placed mirrored; its pages are
    /// mirrored whole here: text against the right margin, bullets, boxes,
    /// rules and first columns on the right.
    pub fn paginate(&mut self, slices: &[Slice], header: Option<&Header>) -> Vec<BodyPage> {
        let geo = self.geo;
        let mirror = self.ctx.body.rtl == Some(true);
        flow::paginate(slices, geo.body_bottom - geo.body_top)
            .into_iter()
            .map(|mut items| {
                items.iter_mut().for_each(|it| {
                    it.translate(geo.body_left, geo.body_top);
                    if mirror {
                        it.mirror(geo.width);
                    }
                });
                BodyPage {
                    items,
                    header: header.cloned(),
                    safety: None,
                }
            })
            .collect()
    }

    /// Adds headers, footers and "Page N of M" to every page with a header,
    /// and joins the pieces of each form field.
    pub fn finish(&mut self, pages: Vec<BodyPage>) -> Vec<Page> {
        let total = pages.len();
        let geo = self.geo;
        let mut used = std::collections::HashSet::new();
        // Read once per document: a packet's first worksheet reads it, as
        // screen readers flag a footer read on page after page.
        let mut safety_read = false;
        let foot = Footer {
            lines: &self.footer,
            left: &self.footer_left,
            page_of: &self.words.page_of,
        };
        let mut kept = Keeper::begin(&self.ctx, &geo, &foot);
        pages
            .into_iter()
            .enumerate()
            .map(|(i, mut p)| {
                if let Some(h) = &p.header {
                    let (mut f, safety) =
                        kept.furniture(&mut self.ctx, &geo, &foot, h, i + 1, total);
                    // Running header and footer are not read.
                    super::structure::artifacts(&mut f);
                    // And in a right-to-left document, they are mirrored.
                    if self.ctx.body.rtl == Some(true) {
                        f.iter_mut().for_each(|it| it.mirror(geo.width));
                    }
                    if let (Some(node), false) = (p.safety, safety_read) {
                        safety_read = true;
                        for item in &mut f[safety..] {
                            if let Some(tag) = item.tag_mut() {
                                *tag = Tag::Node(node);
                            }
                        }
                    }
                    p.items.extend(f);
                }
                join_fields(&mut p.items, &mut used, self.ctx.line);
                super::structure::spaced(&mut p.items);
                Page {
                    width: geo.width,
                    height: geo.height,
                    items: p.items,
                }
            })
            .collect()
    }

    /// Characters no bundled font has, and text that did not fit where it
    /// goes, as warnings. Only a worksheet's own text is quoted: in a
    /// `personal` document (placeholders filled with names) the text and the
    /// characters could be a client's name, so only their number is given.
    pub fn warnings(&self, personal: bool) -> Vec<String> {
        let missing = &self.ctx.missing;
        let chars = if personal && !missing.is_empty() {
            // Symbols (emoji) are named; letters are only counted: the code
            // points of a Chinese name spell it out.
            let symbols: Vec<String> = missing
                .keys()
                .filter(|c| !c.is_alphanumeric())
                .map(|c| format!("{c} (U+{:04X})", *c as u32))
                .collect();
            let letters = missing.keys().filter(|c| c.is_alphanumeric()).count();
            let mut what = symbols.join(", ");
            if letters > 0 {
                let s = if letters == 1 { "" } else { "s" };
                if !what.is_empty() {
                    what.push_str(" and ");
                }
                what.push_str(&format!("{letters} letter{s}"));
            }
            vec![format!(
                "{what} in this packet or its values have no font (bundled, in the font folders or on this system) and will print as empty boxes; check the names and dates given for it, or add a font that has them with --font-path"
            )]
        } else {
            missing
                .iter()
                .map(|(c, text)| {
                    format!(
                        "no font has the character `{c}` (U+{:04X}) in “{text}” (none bundled, in the font folders or on this system); it will print as an empty box: add a font that has it with --font-path or the config's `fonts:`",
                        *c as u32
                    )
                })
                .collect()
        };
        let overflow = self.ctx.overflow.iter().map(|s| {
            if personal {
                "a title is too long for the page header or footer; it is shortened there".into()
            } else {
                let mut quoted: String = s.chars().take(80).collect();
                if quoted.len() < s.len() {
                    quoted.push('…');
                }
                format!(
                    "“{quoted}” is too long for the page header or footer; it is shortened there"
                )
            }
        });
        let mut out = chars;
        for o in overflow {
            if !out.contains(&o) {
                out.push(o);
            }
        }
        out
    }
}

/// Lays out one worksheet on `paper`; `fields` names its answer spaces as
/// form fields under that prefix.
pub fn layout(ws: &Worksheet, setup: &Setup, fields: Option<String>) -> Laid {
    let mut l = Layouter::new(setup);
    l.fields(fields);
    let body = l.worksheet(ws, &Header::of(ws));
    let pages = l.finish(body);
    Laid {
        doc: Document {
            title: ws.public_title.clone(),
            subject: ws.stage.clone().unwrap_or_default(),
            author: setup.author.clone(),
            language: setup.language.clone(),
            page_link: setup.words.go_to_page.clone(),
            pages,
            outline: Vec::new(),
            personal: ws.personal,
            tree: l.ctx.tree.take(),
        },
        warnings: l.warnings(ws.personal),
    }
}

fn title_block(ctx: &mut Ctx, ws: &Worksheet) -> Vec<Slice> {
    let size = ctx.body.size;
    let mut out = ctx.logo_slice();
    let title = ctx.style(22.0_f32.max(size * 1.8), true, false, 0.0);
    out.extend(ctx.tagged(Role::H1, |ctx| ctx.paragraph(&ws.title, &title, 0.0, 0.0)));
    if let Some(sub) = &ws.subtitle {
        let st = ctx.style(size + 1.0, false, true, 0.25);
        out.extend(ctx.tagged(Role::P, |ctx| ctx.paragraph(sub, &st, 0.0, 0.0)));
    }
    if let Some(copy) = &ws.copy {
        let st = ctx.style(size, true, false, 0.25);
        out.extend(ctx.tagged(Role::P, |ctx| ctx.paragraph(copy, &st, 0.0, size * 0.2)));
    }
    // "For: …   ·   Time: …", each label in bold before its text.
    let mut meta = Text::default();
    let w = &ws.words;
    for (label, t) in [(&w.for_label, &ws.audience), (&w.time_label, &ws.time)] {
        let Some(t) = t else { continue };
        if !meta.is_empty() {
            meta.push(run(" · ", false));
        }
        meta.push(run(label, true));
        meta.push(run(" ", false));
        meta.extend(t.iter().cloned());
    }
    if !meta.is_empty() {
        let st = ctx.style(ctx.minor(), false, false, 0.15);
        out.extend(ctx.tagged(Role::P, |ctx| ctx.paragraph(&meta, &st, 0.0, size * 0.5)));
    }
    let rule_y = size * 0.6;
    let mut rule = Slice::new(
        rule_y + size * 0.2,
        vec![hline(0.0, ctx.width, rule_y, 1.2, 0.0)],
    );
    rule.keep_with_next = true;
    out.push(rule);
    out.iter_mut().for_each(|s| s.keep_with_next = true);
    out
}

/// Source and licence in small print after the last block.
fn colophon(ctx: &mut Ctx, ws: &Worksheet) -> Vec<Slice> {
    let mut small = Text::default();
    for t in [&ws.source, &ws.license].into_iter().flatten() {
        if !small.is_empty() {
            small.push(run(" · ", false));
        }
        small.extend(t.iter().cloned());
    }
    if small.is_empty() {
        return Vec::new();
    }
    let st = ctx.style(ctx.small, false, false, FURNITURE_GRAY);
    let mut s = ctx.paragraph(&small, &st, 0.0, ctx.body.size * 1.5);
    s.iter_mut().for_each(|x| x.keep_with_next = true);
    if let Some(l) = s.last_mut() {
        l.keep_with_next = false;
    }
    s
}

/// A run the layout supplies itself (a label), never parsed for markup.
fn run(text: &str, bold: bool) -> Span {
    Span {
        text: text.into(),
        bold,
        ..Span::default()
    }
}
