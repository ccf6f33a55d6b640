//! Page furniture: the running header, the footer with the page number
//! and safety line, and the joining of form fields split across lines.

use super::blocks::{hline, Ctx};
use super::display::{self, Item};
use super::text::{Line, Style};
use crate::model::Worksheet;

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

pub const FURNITURE_GRAY: f32 = 0.3;

/// What a page's header says; `None` for pages without furniture (a cover).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Header {
    /// Left: the stage, set in capitals.
    pub left: String,
    /// Right: the worksheet title.
    pub right: String,
    /// The title holds a placeholder's value (a name): it is set afresh,
    /// never kept for other pages and rows (`kept_text`).
    pub personal: bool,
}

impl Header {
    /// A worksheet's: its stage and its title, as plain text.
    pub fn of(ws: &Worksheet) -> Header {
        Header {
            left: ws.stage.as_deref().unwrap_or_default().to_uppercase(),
            right: ws.title.plain(),
            personal: ws.title.runs.iter().any(|s| s.value),
        }
    }
}

/// What every footer of a document says: the safety line's lines, the
/// practice, and how a page is numbered ("Page {page} of {total}").
pub struct Footer<'a> {
    pub lines: &'a [Line],
    pub left: &'a str,
    pub page_of: &'a str,
}

/// The page's furniture, and where the safety line's items start in it.
pub fn furniture(
    ctx: &mut Ctx,
    geo: &Geometry,
    foot: &Footer,
    header: &Header,
    page: usize,
    total: usize,
) -> (Vec<Item>, usize) {
    // Header, footer and safety line: a dozen or two runs and rules.
    let mut items = Vec::with_capacity(16 + foot.lines.len());
    let plain = furniture_style(ctx, false);
    let bold = furniture_style(ctx, true);
    let (l, r) = (geo.body_left, geo.body_right);

    // Header: stage on the left, title on the right, a hairline under both
    // (none at all for an empty one: a contents or divider page).
    let size = ctx.small;
    if *header != Header::default() {
        let base = geo.margin + size;
        // The stage is the tool's word for it, never a name.
        let left = ctx.label_kept(&header.left, &bold);
        items.extend(left.placed(l, base));
        let room = r - l - left.width - 24.0;
        let title = fit(ctx, &header.right, &plain, room, !header.personal);
        items.extend(title.placed(r - title.width, base));
        items.push(hline(l, r, base + 6.0, 0.5, 0.5));
    }

    // Footer: a hairline, practice and page number, then the safety line.
    let lh = size * 1.4;
    let bottom = geo.height - geo.margin;
    // The last line's descenders stay inside the margin.
    let descent = crate::fonts::metrics(crate::fonts::Face::Regular).descent() * size;
    let first = bottom - lh * foot.lines.len() as f32 - descent.max(2.0);
    items.push(hline(l, r, first - lh - 4.0, 0.5, 0.5));
    let number = crate::locale::Words::fill(
        foot.page_of,
        &[("page", &page.to_string()), ("total", &total.to_string())],
    );
    let number = ctx.label_kept(&number, &plain);
    items.extend(number.placed(r - number.width, first));
    if !foot.left.is_empty() {
        // The practice, from its config: never a client's name.
        let line = fit(ctx, foot.left, &bold, r - l - number.width - 24.0, true);
        items.extend(line.placed(l, first));
    }
    let safety = items.len();
    for (i, line) in foot.lines.iter().enumerate() {
        items.extend(line.placed(l, first + lh * (i + 1) as f32));
    }
    (items, safety)
}

/// A text field laid out line by line (one piece per writing line) becomes
/// one field per page, covering all its lines; a field whose name was used
/// on an earlier page (an answer space that runs over) gets `.2`, `.3`.
/// `line` is the writing-line spacing.
pub fn join_fields(items: &mut Vec<Item>, used: &mut std::collections::HashSet<String>, line: f32) {
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

pub fn furniture_style(ctx: &Ctx, bold: bool) -> Style {
    Style {
        // Short lines of furniture are balanced, never hyphenated.
        hyphens: None,
        ..ctx.style(ctx.small, bold, false, FURNITURE_GRAY)
    }
}

/// `s` on one line, shortened with an ellipsis if it is wider than `room`;
/// `kept` when it holds no placeholder's value, so its settings may be
/// kept for the next page and row (`Ctx::label_kept`).
fn fit(ctx: &mut Ctx, s: &str, style: &Style, room: f32, kept: bool) -> Line {
    let label = |ctx: &mut Ctx, s: &str| {
        if kept {
            ctx.label_kept(s, style)
        } else {
            ctx.label(s, style)
        }
    };
    let line = label(ctx, s);
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
        if label(ctx, &shortened(mid)).width <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    // Shortened at a space where one is near, so no word is cut.
    if let Some(space) = chars[..lo].iter().rposition(|c| c.is_whitespace()) {
        if space >= lo / 2 {
            lo = space;
        }
    }
    let line = label(ctx, &shortened(lo));
    if line.width <= room {
        line
    } else {
        label(ctx, "")
    }
}
