//! Renderers: display list → output bytes.

mod content;
mod embed;
mod form;
pub mod pdf;
mod truetype;

/// zlib-compresses `data` (`FlateDecode`). Level 9 for what is made once and
/// shared (font subsets), a middle level for each page's content.
fn deflate(data: &[u8], level: u8) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, level)
}

/// Compact serialisation: no indentation or line breaks inside objects.
const SETTINGS: pdf_writer::Settings = pdf_writer::Settings { pretty: false };
