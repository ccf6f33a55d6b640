//! Renderers: display list → output bytes.

pub mod pdf;
