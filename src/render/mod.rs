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

/// Drops what this thread keeps between a batch's rows (pages drawn,
/// structure trees), after a row met a bug: nothing it left is trusted.
pub fn forget_kept() {
    reuse::forget();
}
