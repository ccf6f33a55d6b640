//! Renderers: display list → output bytes.

mod content;
mod deflate;
mod embed;
mod file;
mod form;
pub mod pdf;
mod tags;
mod truetype;
