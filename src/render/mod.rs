//! Renderers: display list → output bytes.

mod content;
mod embed;
mod file;
mod form;
pub mod pdf;
mod truetype;

/// zlib-compresses `data` (`FlateDecode`). Level 9 for what is made once and
/// shared (font subsets), a middle level for each page's content.
fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::new(level),
    );
    z.write_all(data).expect("writing to memory cannot fail");
    z.finish().expect("writing to memory cannot fail")
}

/// Compact serialisation: no indentation or line breaks inside objects.
const SETTINGS: pdf_writer::Settings = pdf_writer::Settings { pretty: false };
