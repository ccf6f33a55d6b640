//! Renderers: display list → output bytes.

mod content;
mod embed;
mod file;
mod form;
pub mod pdf;
mod picture;
mod reuse;
mod tags;
mod truetype;
