//! Layout: document model → display list.
//!
//! Steps: `blocks` turns the title block and every block into slices →
//! `flow` paginates them into the body area → [`Layouter::finish`] adds the
//! header and footer once the page count is known (for a packet, after all
//! its parts are assembled). Layout measures text with the
//! same fonts the PDF embeds and never touches the PDF writer.

pub mod blocks;
pub mod display;
pub mod dump;
pub mod flow;
pub mod packet;
pub mod text;

use crate::model::{Setup, Span, Text, Worksheet};
use blocks::Ctx;
use display::{Document, Item, Page};
use flow::Slice;
use text::Style;

/// Where things go on a page, in points from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Outer margin that nothing crosses (0.5 in).
    pub margin: f32,
    pub body_left: f32,
    pub body_right: f32,
    pub body_top: f32,
    pub body_bottom: f32,
}

const FURNITURE_SIZE: f32 = 9.0;
const FURNITURE_GRAY: f32 = 0.3;

/// A laid-out document and the warnings layout found.
pub struct Laid {
    pub doc: Document,
    pub warnings: Vec<String>,
}

/// What a page's header says; `None` for pages without furniture (a cover).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    /// Left: the stage, set in capitals.
    pub left: String,
    /// Right: the worksheet title.
    pub right: String,
}

impl Header {
    /// A worksheet's: its stage and its title, as plain text.
    pub fn of(ws: &Worksheet) -> Header {
        Header {
            left: ws.stage.as_deref().unwrap_or_default().to_uppercase(),
            right: ws.title.plain(),
        }
    }
}

/// A page with its body placed, before header, footer and page number.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyPage {
    pub items: Vec<Item>,
    pub header: Option<Header>,
}

/// Lays out pages for one paper size and config; keeps the fonts' state
/// (and the characters found missing) across everything it lays out, so a
/// packet is laid out by one `Layouter`.
pub struct Layouter {
    ctx: Ctx,
    geo: Geometry,
    footer: Vec<text::Line>,
    footer_left: String,
}

impl Layouter {
    pub fn new(setup: &Setup) -> Layouter {
        let (width, height) = (setup.width, setup.height);
        let side = 54.0;
        let mut ctx = Ctx::new(width - 2.0 * side, setup.font_size);
        let st = furniture_style(&ctx, false);
        let footer = ctx.set(&setup.safety_line, &st, width - 2.0 * side);
        let margin = 36.0;
        let footer_height = FURNITURE_SIZE * 1.4 * (1 + footer.len()) as f32 + 6.0;
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
        let mut slices = title_block(ctx, ws);
        for b in &ws.blocks {
            slices.extend(ctx.block(b));
        }
        let small_print = colophon(ctx, ws);
        if let (Some(last), false) = (slices.last_mut(), small_print.is_empty()) {
            // The source line never sits alone on a last page.
            last.keep_with_next = true;
        }
        slices.extend(small_print);
        self.paginate(&slices, Some(header))
    }

    /// Slices flowed into body areas, each page with `header`.
    pub fn paginate(&mut self, slices: &[Slice], header: Option<&Header>) -> Vec<BodyPage> {
        let geo = self.geo;
        flow::paginate(slices, geo.body_bottom - geo.body_top)
            .into_iter()
            .map(|mut items| {
                items
                    .iter_mut()
                    .for_each(|it| it.translate(geo.body_left, geo.body_top));
                BodyPage {
                    items,
                    header: header.cloned(),
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
        pages
            .into_iter()
            .enumerate()
            .map(|(i, mut p)| {
                if let Some(h) = &p.header {
                    let f = self.furniture(h, i + 1, total);
                    p.items.extend(f);
                }
                join_fields(&mut p.items, &mut used);
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
            // Not even code points: those of a Chinese name spell it out.
            let n = missing.len();
            let s = if n == 1 { "" } else { "s" };
            vec![format!(
                "{n} character{s} in this packet or its values have no bundled font and will print as empty boxes; check the names and dates given for it"
            )]
        } else {
            missing
                .iter()
                .map(|(c, text)| {
                    format!(
                        "no bundled font has the character `{c}` (U+{:04X}) in “{text}”; it will print as an empty box",
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

    fn furniture(&mut self, header: &Header, page: usize, total: usize) -> Vec<Item> {
        let ctx = &mut self.ctx;
        let geo = &self.geo;
        let mut items = Vec::new();
        let plain = furniture_style(ctx, false);
        let bold = furniture_style(ctx, true);
        let (l, r) = (geo.body_left, geo.body_right);

        // Header: stage on the left, title on the right, a hairline under both.
        let base = geo.margin + FURNITURE_SIZE;
        let left = ctx.label(&header.left, &bold);
        items.extend(left.placed(l, base).map(Item::Text));
        let room = r - l - left.width - 24.0;
        let title = fit(ctx, &header.right, &plain, room);
        items.extend(title.placed(r - title.width, base).map(Item::Text));
        items.push(blocks::hline(l, r, base + 6.0, 0.5, 0.5));

        // Footer: a hairline, practice and page number, then the safety line.
        let lh = FURNITURE_SIZE * 1.4;
        let bottom = geo.height - geo.margin;
        let first = bottom - lh * self.footer.len() as f32 - 2.0;
        items.push(blocks::hline(l, r, first - lh - 4.0, 0.5, 0.5));
        let number = ctx.label(&format!("Page {page} of {total}"), &plain);
        items.extend(number.placed(r - number.width, first).map(Item::Text));
        if !self.footer_left.is_empty() {
            let line = fit(ctx, &self.footer_left, &bold, r - l - number.width - 24.0);
            items.extend(line.placed(l, first).map(Item::Text));
        }
        for (i, line) in self.footer.iter().enumerate() {
            items.extend(line.placed(l, first + lh * (i + 1) as f32).map(Item::Text));
        }
        items
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
            pages,
            outline: Vec::new(),
            personal: ws.personal,
        },
        warnings: l.warnings(ws.personal),
    }
}

fn title_block(ctx: &mut Ctx, ws: &Worksheet) -> Vec<Slice> {
    let size = ctx.body.size;
    let mut out = Vec::new();
    let title = ctx.style(22.0_f32.max(size * 1.8), true, false, 0.0);
    out.extend(ctx.paragraph(&ws.title, &title, 0.0, 0.0));
    if let Some(sub) = &ws.subtitle {
        let st = ctx.style(size + 1.0, false, true, 0.25);
        out.extend(ctx.paragraph(sub, &st, 0.0, 0.0));
    }
    // "For: …   ·   Time: …", each label in bold before its text.
    let mut meta = Text::default();
    for (label, t) in [("For:", &ws.audience), ("Time:", &ws.time)] {
        let Some(t) = t else { continue };
        if !meta.is_empty() {
            meta.push(run(" · ", false));
        }
        meta.push(run(label, true));
        meta.push(run(" ", false));
        meta.extend(t.iter().cloned());
    }
    if !meta.is_empty() {
        let st = ctx.style(11.0_f32.max(size - 1.0), false, false, 0.15);
        out.extend(ctx.paragraph(&meta, &st, 0.0, size * 0.5));
    }
    let rule_y = size * 0.6;
    let mut rule = Slice::new(
        rule_y + size * 0.2,
        vec![blocks::hline(0.0, ctx.width, rule_y, 1.2, 0.0)],
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
    let st = ctx.style(FURNITURE_SIZE, false, false, FURNITURE_GRAY);
    let mut s = ctx.paragraph(&small, &st, 0.0, ctx.body.size * 1.5);
    s.iter_mut().for_each(|x| x.keep_with_next = true);
    if let Some(l) = s.last_mut() {
        l.keep_with_next = false;
    }
    s
}

/// A text field laid out line by line (one piece per writing line) becomes
/// one field per page, covering all its lines; a field whose name was used
/// on an earlier page (an answer space that runs over) gets `.2`, `.3`.
fn join_fields(items: &mut Vec<Item>, used: &mut std::collections::HashSet<String>) {
    use display::FieldKind;
    let mut joined: Vec<display::Field> = Vec::new();
    items.retain(|it| {
        let Item::Field(f) = it else { return true };
        if let FieldKind::Text { .. } = f.kind {
            if let Some(j) = joined.iter_mut().find(|j| j.name == f.name) {
                let (r, b) = ((j.x + j.w).max(f.x + f.w), (j.y + j.h).max(f.y + f.h));
                j.x = j.x.min(f.x);
                j.y = j.y.min(f.y);
                j.w = r - j.x;
                j.h = b - j.y;
                return false;
            }
        }
        joined.push((**f).clone());
        false
    });
    // Fillers that set one line of text centred in the field (qpdf does)
    // would strike it through the middle rule of an even number of writing
    // lines; a half-line shorter field moves the centre just above a rule.
    let line = blocks::WRITING_LINE;
    for f in &mut joined {
        let n = (f.h / line).round();
        let ruled = n >= 2.0 && (f.h - n * line).abs() < 0.5;
        if matches!(f.kind, FieldKind::Text { multiline: true }) && ruled && n % 2.0 == 0.0 {
            f.h -= line / 2.0;
        }
    }
    // Radio buttons of one group share a name, so rename per name, once.
    let mut renamed = std::collections::HashMap::new();
    for mut f in joined {
        let name = renamed
            .entry(f.name.clone())
            .or_insert_with(|| {
                let mut n = 1;
                let mut name = f.name.clone();
                while used.contains(&name) {
                    n += 1;
                    name = format!("{}.{n}", f.name);
                }
                name
            })
            .clone();
        f.name = name;
        items.push(Item::Field(Box::new(f)));
    }
    for it in items.iter() {
        if let Item::Field(f) = it {
            used.insert(f.name.clone());
        }
    }
}

/// A run the layout supplies itself (a label), never parsed for markup.
fn run(text: &str, bold: bool) -> Span {
    Span {
        text: text.into(),
        bold,
        italic: false,
    }
}

fn furniture_style(ctx: &Ctx, bold: bool) -> Style {
    ctx.style(FURNITURE_SIZE, bold, false, FURNITURE_GRAY)
}

/// `s` on one line, shortened with an ellipsis if it is wider than `room`.
fn fit(ctx: &mut Ctx, s: &str, style: &Style, room: f32) -> text::Line {
    let line = ctx.label(s, style);
    if line.width <= room {
        return line;
    }
    if !ctx.overflow.iter().any(|o| o == s) {
        ctx.overflow.push(s.to_owned());
    }
    // The longest prefix that fits, by halving: setting every prefix in
    // turn took seconds a page for a title of a few thousand characters.
    // No header holds more than a few hundred characters.
    let chars: Vec<char> = s.chars().take(400).collect();
    let shortened = |keep: usize| -> String {
        chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_owned()
            + "…"
    };
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if ctx.label(&shortened(mid), style).width <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let line = ctx.label(&shortened(lo), style);
    if line.width <= room {
        line
    } else {
        ctx.label("", style)
    }
}
