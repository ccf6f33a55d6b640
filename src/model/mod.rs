//! The validated document model: what layout reads, and all it reads.
//!
//! Validation ([`validate`] for a worksheet, [`packet::packet`] for a
//! packet) turns spec types into these: every printed string is [`Text`]
//! (markup parsed into styled runs, placeholders filled, with its place in
//! the spec), counts defaulted, roles worded from the config, and every
//! semantic problem collected as a diagnostic located by the parser's
//! spans. No model type holds a spec type, so layout never sees one.

pub mod packet;
mod setup;
mod text;
mod validate;
mod worksheet;

pub use crate::placeholder::{check_placeholders, placeholders, substitute, BadPlaceholder, Vars};
pub use setup::{Logo, Setup, LARGE_PRINT_SIZE};
pub use text::{fill, inline, plain, public_text, Inline, Span, Text};
pub use validate::{public_vars, validate, MAX_TEXT};
pub use worksheet::{Block, Edition, ImageWidth, Options, PromptLines, Scale, Table, Worksheet};
