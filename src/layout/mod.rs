//! Layout: document model → display list.
//!
//! Steps: `blocks` turns the title block and every block into slices →
//! `flow` paginates them into the body area → [`Layouter::finish`] adds the
//! header and footer once the page count is known (for a packet, after all
//! its parts are assembled). Layout measures text with the
//! same fonts the PDF embeds and never touches the PDF writer.

mod bidi;
pub mod blocks;
mod breaking;
pub mod display;
pub mod dump;
pub mod flow;
pub mod furniture;
mod kept_furniture;
mod kept_text;
pub mod layouter;
pub mod packet;
mod shaping;
pub mod structure;
pub mod text;

pub use furniture::{Geometry, Header};
pub use layouter::{layout, BodyPage, Laid, Layouter};

/// Drops the texts this thread keeps between a batch's rows, after a row
/// met a bug: nothing it left is trusted.
pub fn forget_kept() {
    kept_text::forget();
    kept_furniture::forget();
}
