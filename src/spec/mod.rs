//! Worksheet specs and the project config, as written in YAML.
//!
//! This layer mirrors the files exactly and rejects unknown keys; `model`
//! turns it into the validated document model that layout reads.

pub mod aliases;
pub mod blocks;
pub mod config;
pub mod packet;
pub mod schema;
pub mod source;
pub mod spans;
pub mod units;
pub mod worksheet;

pub use blocks::{Block, Entry, Only};
pub use source::{is_yaml, read_source, MAX_FILE_BYTES};
pub use worksheet::{
    looks_like_worksheet, parse_worksheet, parse_worksheet_all, Audience, Stage, WorksheetSpec,
};
