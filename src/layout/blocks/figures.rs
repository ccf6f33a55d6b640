//! Pictures: an image with its caption, a QR code with its address under
//! it. Each block moves as one: a picture is never split from its caption,
//! nor a code from the address it stands for.

use super::ctx::{chain, Ctx};
use crate::images::Image;
use crate::layout::display::{Item, Role, Tag};
use crate::layout::flow::Slice;
use crate::model::{ImageWidth, Span, Text};
use qrcode::{Color, EcLevel, QrCode};
use std::sync::Arc;

/// Smallest side of a printed code (its modules, without the quiet zone):
/// 2.5 cm, which phone cameras read from arm's length.
const MIN_SIDE: f32 = 25.0 * 72.0 / 25.4;
/// Smallest module: 0.5 mm, for an address long enough to need many.
const MIN_MODULE: f32 = 0.5 * 72.0 / 25.4;
/// Light modules around the code, as the standard asks.
const QUIET: f32 = 4.0;
/// Tallest a logo prints: 2.5 cm, a band over the title, not a banner.
const LOGO_HEIGHT: f32 = 25.0 * 72.0 / 25.4;

impl Ctx {
    /// The practice's logo, over a title: a `Figure` whose alt text is the
    /// practice's name; no slice without a logo.
    pub fn logo_slice(&mut self) -> Vec<Slice> {
        let Some(logo) = self.logo.clone() else {
            return Vec::new();
        };
        let (pw, ph) = logo.image.natural_size();
        // At most its width, a quarter of the text's, and 2.5 cm tall.
        let w = logo.width.min(self.width / 4.0).min(LOGO_HEIGHT * pw / ph);
        let h = w * ph / pw;
        let figure = self.tree.leaf(Role::Figure { alt: logo.alt });
        let item = Item::Image {
            x: 0.0,
            y: 0.0,
            w,
            h,
            image: logo.image,
            tag: Tag::Node(figure),
        };
        let mut s = Slice::new(h + self.body.size * 0.8, vec![item]);
        s.keep_with_next = true;
        vec![s]
    }

    /// A picture at its width (by default its natural size: a raster's
    /// pixels at 150 dpi), never
    /// wider than the text nor taller than half the body, with its
    /// caption under it. `alt`: `None` for a decorative one.
    pub(super) fn image(
        &mut self,
        image: &Arc<Image>,
        alt: Option<&str>,
        width: ImageWidth,
        caption: Option<&Text>,
    ) -> Vec<Slice> {
        let (pw, ph) = image.natural_size();
        let want = match width {
            ImageWidth::Natural => pw,
            ImageWidth::Points(w) => w,
            ImageWidth::Share(s) => self.width * s,
        };
        let mut w = want.min(self.width);
        let mut h = w * ph / pw;
        let tallest = self.height * 0.5;
        if h > tallest {
            h = tallest;
            w = h * pw / ph;
        }
        let tag = match alt {
            Some(alt) => Tag::Node(self.tree.leaf(Role::Figure {
                alt: alt.to_owned(),
            })),
            None => Tag::Artifact,
        };
        let item = Item::Image {
            x: 0.0,
            y: 0.0,
            w,
            h,
            image: image.clone(),
            tag,
        };
        let mut out = vec![Slice::new(h, vec![item])];
        out[0].space_before = self.body.size * 0.9;
        if let Some(t) = caption {
            let st = self.style(self.minor(), false, true, 0.15);
            let space = self.body.size * 0.4;
            out.extend(self.tagged(Role::P, |ctx| ctx.paragraph(t, &st, 0.0, space)));
        }
        let unit = out.len();
        chain(&mut out, false);
        out[0].unit = unit;
        out
    }

    /// A QR code for `uri`, `address` as printed under it, and a caption:
    /// a `Link` holding the code (a `Figure`) and the address, both
    /// clickable, then the caption.
    pub(super) fn qr(&mut self, uri: &str, address: &str, caption: Option<&Text>) -> Vec<Slice> {
        let body = self.body;
        let mut out = Vec::new();
        let link = self.tree.open(Role::Link);
        if let Ok(code) = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M) {
            let n = code.width();
            let dark: Vec<bool> = code.to_colors().iter().map(|c| *c == Color::Dark).collect();
            let module = (MIN_SIDE / n as f32)
                .max(MIN_MODULE)
                .min(self.width / (n as f32 + 2.0 * QUIET));
            let side = module * n as f32;
            // The code's left edge lines up with the text; its quiet zone
            // on the left is the page margin's white.
            let quiet = module * QUIET;
            let figure = self.tree.leaf(Role::Figure {
                alt: crate::locale::Words::fill(&self.words.qr_alt, &[("address", address)]),
            });
            let items = vec![
                Item::Modules {
                    x: 0.0,
                    y: quiet,
                    module,
                    n: n as u32,
                    dark: Arc::new(dark),
                    tag: Tag::Node(figure),
                },
                Item::Uri {
                    x: 0.0,
                    y: quiet,
                    w: side,
                    h: side,
                    uri: uri.to_owned(),
                    tag: Tag::Node(link),
                },
            ];
            let mut s = Slice::new(side + 2.0 * quiet, items);
            s.space_before = body.size * 0.9;
            out.push(s);
        }
        // The address, set as a link (it breaks after its punctuation),
        // read as part of this one link.
        let shown = Text {
            runs: vec![Span {
                text: address.to_owned(),
                link: true,
                ..Span::default()
            }],
            at: None,
        };
        let style = self.style(self.minor(), false, false, 0.15);
        let lines = self.set(&shown, &style, self.width);
        for l in &lines {
            let mut items: Vec<Item> = l.placed(0.0, style.baseline()).collect();
            for it in &mut items {
                if let Some(tag) = it.tag_mut() {
                    *tag = Tag::Node(link);
                }
                if let Item::Uri { uri: u, .. } = it {
                    uri.clone_into(u);
                }
            }
            out.push(Slice::new(style.line_height(), items));
        }
        self.tree.close();
        if let Some(t) = caption {
            let st = self.style(self.minor(), false, true, 0.15);
            out.extend(self.tagged(Role::P, |ctx| ctx.paragraph(t, &st, 0.0, 0.0)));
        }
        // The code, its address and caption stay together.
        let unit = out.len();
        chain(&mut out, false);
        if let Some(first) = out.first_mut() {
            first.unit = unit;
        }
        out
    }
}
