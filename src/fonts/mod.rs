//! The bundled font faces and their metrics.
//!
//! Every face the PDF embeds is compiled into the binary from `fonts/`, and the
//! same bytes are measured here (with the numbers fontdue gives for them), so
//! a width computed by layout is the width the printer draws. The main family is Lato (OFL, with a legacy
//! `kern` table that fontdue reads); DejaVu Sans is the fallback for characters
//! Lato lacks (Armenian, Georgian, Hebrew, symbols, …).
//!
//! Characters no bundled face has are looked for in the fonts of the
//! system and of the practice's font folders ([`found`]).
//!
//! Each face is opened at most once per process, and only when some text
//! actually needs it.

mod face;
pub mod found;
mod tables;

pub use face::{metrics, Face, Metrics};
