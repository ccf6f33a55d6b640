//! Where one cold build's time goes, stage by stage, in one fresh process:
//!
//! ```sh
//! cargo run --release --example stages -- worksheets/atone/atone-2-questions-i-need-answered.yaml
//! ```
//!
//! Each stage runs once, cold, in the order `handouts build` runs them (the
//! faces are opened first here so that their cost is seen apart from
//! layout's). Figures vary by ±15 % on a shared VM: run it a few times.

use handouts::fonts::{metrics, Face};
use handouts::render::pdf::{self, WriteOptions};
use handouts::spec::config::{Config, Paper};
use std::path::Path;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "worksheets/atone/atone-2-questions-i-need-answered.yaml".into());
    let mut last = Instant::now();
    let mut lap = |what: &str| {
        let now = Instant::now();
        println!("{:>8.3} ms  {what}", (now - last).as_secs_f64() * 1000.0);
        last = now;
    };
    for face in [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic] {
        let _ = metrics(face);
    }
    lap("open the four Lato faces (tables and kerning)");
    let compiled = handouts::compile(Path::new(&path), &Config::default(), Paper::Letter)
        .unwrap_or_else(|_| panic!("{path} does not compile"));
    lap("read, parse, validate and lay out");
    let bytes = pdf::write(&compiled.doc, &WriteOptions::default());
    lap("write the PDF (subsetting the fonts)");
    let again = pdf::write(&compiled.doc, &WriteOptions::default());
    lap("write it again (subsets made)");
    assert_eq!(bytes, again);
    let dir = std::env::temp_dir().join(format!("handouts-stages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    handouts::output::write_atomic(&dir, "out.pdf", &bytes, false)
        .unwrap_or_else(|d| panic!("{}", d.message));
    lap("write the file durably (fsync, rename)");
    let _ = std::fs::remove_dir_all(&dir);
    println!("{} bytes, {} pages", bytes.len(), compiled.doc.pages.len());
}
