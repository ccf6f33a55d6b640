//! `handouts` lays out YAML worksheet specs into print-ready PDF handouts.
//!
//! # Steps
//! 1. **Parse** (`spec`): YAML text → strict serde structs; syntax and type
//!    errors are located by line and column.
//! 2. **Validate** (`model`): spec → document model; inline markup parsed,
//!    semantic problems collected.
//! 3. **Lay out** (`layout`): model → display list of positioned text runs,
//!    lines, boxes and circles, page by page.
//! 4. **Render** (`render::pdf`): display list → PDF bytes.
//! 5. **Write** (`output`): atomically, inside the output folder only.
//!
//! Each step returns plain data and never reaches back; [`compile()`] runs
//! steps 1–3, and `commands` drives whole runs for the command line.

pub mod batch;
pub mod commands;
pub mod compile;
mod deflate;
pub mod diag;
pub mod fonts;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod input;
pub mod layout;
pub mod locale;
pub mod model;
pub mod output;
pub mod packet;
pub mod placeholder;
pub mod readability;
pub mod render;
pub mod roster;
pub mod spec;
pub mod watch;

pub use compile::{compile, compile_str, compile_str_with, compile_with, Compiled};
