//! Renderers: display list → output bytes.

pub mod form;
pub mod pdf;
