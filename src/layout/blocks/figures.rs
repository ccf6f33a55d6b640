//! Pictures: a QR code with its address under it. The whole block moves
//! as one: a code is never split from the address it stands for.

use super::ctx::{chain, Ctx};
use crate::layout::display::{Item, Role, Tag};
use crate::layout::flow::Slice;
use crate::model::{Span, Text};
use qrcode::{Color, EcLevel, QrCode};
use std::sync::Arc;

/// Smallest side of a printed code (its modules, without the quiet zone):
/// 2.5 cm, which phone cameras read from arm's length.
const MIN_SIDE: f32 = 25.0 * 72.0 / 25.4;
/// Smallest module: 0.5 mm, for an address long enough to need many.
const MIN_MODULE: f32 = 0.5 * 72.0 / 25.4;
/// Light modules around the code, as the standard asks.
const QUIET: f32 = 4.0;

impl Ctx {
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
                alt: format!("QR code for {address}"),
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
