//! Pictures a spec names: read, checked and made ready for the PDF once
//! per process, then shared by every page, document and batch thread (as
//! font subsets are).
//!
//! A JPEG is passed through as it is (`DCTDecode`, greyscale, RGB or
//! CMYK): its header is read for the size and colours, never the image.
//! A PNG is decoded (the `png` crate), palette and low-bit grey expanded,
//! 16-bit samples kept at 16, the alpha channel split off as a soft mask,
//! and both compressed. An SVG is converted to PDF drawing objects
//! (`svg`). The size a file declares is checked before anything
//! is decoded, so a small file claiming 60,000 × 60,000 pixels is refused
//! without the memory it asks for.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub mod svg;

/// Most pixels in one picture: a 6,000 × 5,000 photo. Decoding one with
/// alpha takes about 200 MB at its peak.
pub const MAX_PIXELS: u64 = 30_000_000;
/// Largest picture file read.
const MAX_FILE: u64 = 64 << 20;

/// A picture ready to be written into a PDF.
#[derive(Debug, PartialEq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub data: Data,
}

#[derive(Debug, PartialEq)]
pub enum Data {
    /// A JPEG file, written as it is. `components`: 1 grey, 3 RGB, 4 CMYK;
    /// `inverted`: Adobe's CMYK, stored inverted.
    Jpeg {
        bytes: Vec<u8>,
        components: u8,
        inverted: bool,
    },
    /// 8- or 16-bit samples (`bits`), deflated; `rgb` or grey; a deflated
    /// alpha channel of the same depth for the soft mask.
    Raw {
        deflated: Vec<u8>,
        rgb: bool,
        bits: u8,
        alpha: Option<Vec<u8>>,
    },
    /// A drawing, converted to PDF objects.
    Svg(svg::Drawing),
}

impl Image {
    /// Its size at its natural scale, in points: a raster's pixels at
    /// 150 dpi, a drawing's own size.
    pub fn natural_size(&self) -> (f32, f32) {
        match self.data {
            Data::Svg(ref d) => d.size,
            _ => (
                self.width as f32 * 72.0 / 150.0,
                self.height as f32 * 72.0 / 150.0,
            ),
        }
    }
}

type Key = (PathBuf, u64, Option<std::time::SystemTime>);

/// The picture at `path`, read once per process; an error says what is
/// wrong with the file in words for the person who wrote the spec.
pub fn load(path: &Path) -> Result<Arc<Image>, String> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Image>>>> = OnceLock::new();
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
    if !meta.is_file() {
        return Err(format!("{} is not a file", path.display()));
    }
    if meta.len() > MAX_FILE {
        return Err(format!(
            "{} is {} MB; the largest picture read is {} MB",
            path.display(),
            meta.len() >> 20,
            MAX_FILE >> 20
        ));
    }
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(img) = cache
        .lock()
        .expect("no panics while holding the lock")
        .get(&key)
    {
        return Ok(img.clone());
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, &e))?;
    let img = Arc::new(decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?);
    cache
        .lock()
        .expect("no panics while holding the lock")
        .insert(key, img.clone());
    Ok(img)
}

/// What went wrong reading `path`, without the system's error number.
fn unreadable(path: &Path, e: &std::io::Error) -> String {
    format!(
        "cannot read {}: {}",
        path.display(),
        crate::diag::io_reason(e)
    )
}

/// A picture from its bytes, by what they are (not by the file's name).
pub fn decode(bytes: &[u8]) -> Result<Image, String> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)
    } else if looks_like_svg(bytes) {
        let d = svg::decode(bytes)?;
        Ok(Image {
            width: d.size.0.ceil() as u32,
            height: d.size.1.ceil() as u32,
            data: Data::Svg(d),
        })
    } else {
        Err("not a PNG, JPEG or SVG file".into())
    }
}

/// XML text (after a byte-order mark and white space) or a gzip stream:
/// the SVG reader says which, and what is wrong with it.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|at| text[at] == b'<') || bytes.starts_with(&[0x1f, 0x8b])
}

fn too_big(w: u64, h: u64) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err("the picture has no pixels".into());
    }
    if w * h > MAX_PIXELS {
        return Err(format!(
            "the picture is {w} × {h} pixels; the most is {} megapixels",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

fn png(bytes: &[u8]) -> Result<Image, String> {
    use png::{ColorType, Transformations};
    let mut dec = png::Decoder::new(bytes);
    dec.set_transformations(Transformations::EXPAND);
    dec.set_limits(png::Limits {
        bytes: (MAX_PIXELS * 4 + (1 << 20)) as usize,
    });
    let mut reader = dec
        .read_info()
        .map_err(|e| format!("not a readable PNG ({e})"))?;
    let (w, h) = (reader.info().width, reader.info().height);
    too_big(u64::from(w), u64::from(h))?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("the PNG is damaged or cut short ({e})"))?;
    buf.truncate(info.buffer_size());
    // PDF takes 16-bit samples big-endian, as PNG stores them.
    let depth = if info.bit_depth == png::BitDepth::Sixteen {
        2
    } else {
        1
    };
    let (channels, rgb) = match info.color_type {
        ColorType::Grayscale => (1, false),
        ColorType::GrayscaleAlpha => (2, false),
        ColorType::Rgb => (3, true),
        ColorType::Rgba => (4, true),
        ColorType::Indexed => return Err("a palette PNG that did not expand".into()),
    };
    let colour = if rgb { 3 } else { 1 };
    let alpha = (channels == 2 || channels == 4).then(|| {
        // Colour samples packed to the front in place; alpha apart.
        let (px_len, colour_len) = (channels * depth, colour * depth);
        let mut alpha = Vec::with_capacity(buf.len() / channels);
        let mut to = 0;
        for px in 0..buf.len() / px_len {
            let at = px * px_len;
            buf.copy_within(at..at + colour_len, to);
            alpha.extend_from_slice(&buf[at + colour_len..at + px_len]);
            to += colour_len;
        }
        buf.truncate(to);
        alpha
    });
    // An opaque alpha channel is no mask (at either depth, all ones).
    let alpha = alpha.filter(|a| a.iter().any(|&v| v != 255));
    Ok(Image {
        width: w,
        height: h,
        data: Data::Raw {
            deflated: crate::deflate::deflate(&buf, 6),
            rgb,
            bits: 8 * depth as u8,
            alpha: alpha.map(|a| crate::deflate::deflate(&a, 6)),
        },
    })
}

fn jpeg(bytes: &[u8]) -> Result<Image, String> {
    if !bytes.ends_with(&[0xFF, 0xD9]) {
        return Err("the JPEG is cut short (no end marker)".into());
    }
    let mut at = 2;
    let mut inverted = false;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return Err("the JPEG is damaged (a marker is missing)".into());
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let seg = bytes
            .get(at + 4..at + 2 + len)
            .ok_or("the JPEG is cut short inside its header")?;
        match marker {
            // Adobe's APP14: CMYK stored inverted.
            0xEE if seg.starts_with(b"Adobe") => inverted = true,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let [_, h1, h0, w1, w0, n, ..] = *seg else {
                    return Err("the JPEG's frame header is short".into());
                };
                let (w, h) = (u16::from_be_bytes([w1, w0]), u16::from_be_bytes([h1, h0]));
                too_big(u64::from(w), u64::from(h))?;
                if !matches!(n, 1 | 3 | 4) {
                    return Err(format!("a JPEG with {n} colour components"));
                }
                return Ok(Image {
                    width: u32::from(w),
                    height: u32::from(h),
                    data: Data::Jpeg {
                        bytes: bytes.to_vec(),
                        components: n,
                        inverted: inverted && n == 4,
                    },
                });
            }
            0xDA | 0xD9 => break,
            _ => {}
        }
        at += 2 + len;
    }
    Err("the JPEG has no frame header".into())
}
