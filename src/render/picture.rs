//! A picture as an image XObject (with its soft mask), from the bytes
//! `images` prepared once per process: a JPEG as it is, a PNG's samples
//! already compressed, an SVG's drawing objects renumbered into place.

use super::file::{File, Refs};
use crate::images::{Data, Image};
use pdf_writer::{Filter, Name, Ref};

/// Writes `img` as an image XObject; returns its object.
pub fn write(file: &mut File, refs: &mut Refs, img: &Image) -> Ref {
    let id = refs.next();
    let (w, h) = (img.width as i32, img.height as i32);
    match &img.data {
        Data::Jpeg {
            bytes,
            components,
            inverted,
        } => {
            file.stream(id, bytes.len(), |c| {
                let mut x = c.image_xobject(id, bytes);
                x.width(w).height(h).bits_per_component(8);
                x.filter(Filter::DctDecode);
                let space = match components {
                    1 => Name(b"DeviceGray"),
                    4 => Name(b"DeviceCMYK"),
                    _ => Name(b"DeviceRGB"),
                };
                x.pair(Name(b"ColorSpace"), space);
                if *inverted {
                    x.insert(Name(b"Decode"))
                        .array()
                        .items([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
                }
            });
        }
        Data::Raw {
            deflated,
            rgb,
            bits,
            alpha,
        } => {
            let bits = i32::from(*bits);
            let mask = alpha.as_ref().map(|a| {
                let m = refs.next();
                file.stream(m, a.len(), |c| {
                    let mut x = c.image_xobject(m, a);
                    x.width(w).height(h).bits_per_component(bits);
                    x.filter(Filter::FlateDecode);
                    x.pair(Name(b"ColorSpace"), Name(b"DeviceGray"));
                });
                m
            });
            file.stream(id, deflated.len(), |c| {
                let mut x = c.image_xobject(id, deflated);
                x.width(w).height(h).bits_per_component(bits);
                x.filter(Filter::FlateDecode);
                let space = if *rgb {
                    Name(b"DeviceRGB")
                } else {
                    Name(b"DeviceGray")
                };
                x.pair(Name(b"ColorSpace"), space);
                if let Some(m) = mask {
                    x.s_mask(m);
                }
            });
        }
        Data::Svg(d) => {
            let (objects, count, root) = (&d.objects, &d.count, &d.root);
            // The drawing's objects take `id` and the numbers after it.
            refs.block(*count - 1);
            let first = id.get();
            file.objects(objects.placed(first).as_bytes(), first, *count);
            return Ref::new(first + root - 1);
        }
    }
    id
}
