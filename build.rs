//! Builds, for each bundled face, the tables layout reads for every
//! character (glyph id and advance below U+0250, and the kerning matrix),
//! so a cold start takes them from the binary instead of reading them out
//! of the fonts: `src/fonts/tables.rs` is the one implementation, shared
//! with the run-time path that faces found on the system take.
//!
//! And the built-in words of each language, read out of their YAML files
//! (`src/locale/flat.rs`, which the locale tests also read them with), so
//! a cold start does not parse YAML the binary already holds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

include!("src/fonts/tables.rs");
include!("src/locale/flat.rs");

/// The built-in languages, in the order `locale::BUILT_IN` lists them.
const LANGUAGES: [&str; 4] = ["en", "es", "he", "ar"];

/// In `Face::ALL` order.
const FACES: [&str; 6] = [
    "fonts/lato/Lato-Regular.ttf",
    "fonts/lato/Lato-Bold.ttf",
    "fonts/lato/Lato-Italic.ttf",
    "fonts/lato/Lato-BoldItalic.ttf",
    "fonts/dejavu/DejaVuSans.ttf",
    "fonts/dejavu/DejaVuSans-Bold.ttf",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/fonts/tables.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut code = String::from("[\n");
    for (i, path) in FACES.iter().enumerate() {
        println!("cargo:rerun-if-changed={path}");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let f = ttf_parser::Face::parse(&bytes, 0).unwrap_or_else(|e| panic!("{path}: {e}"));
        let file = |what: &str, data: &[u8]| -> String {
            let p = out.join(format!("face{i}.{what}"));
            std::fs::write(&p, data).expect("write to OUT_DIR");
            format!("include_bytes!({:?})", path_str(&p))
        };
        let chars = file("chars", &char_table(&f));
        let kern = match kern_matrix(&f) {
            Some((class, n, matrix, present)) => format!(
                "Some(Kern {{ class: {}, n: {n}, matrix: {}, present: {} }})",
                file("class", &class),
                file("matrix", &matrix),
                file("present", &present)
            ),
            None => "None".to_owned(),
        };
        writeln!(code, "    Prebuilt {{ chars: {chars}, kern: {kern} }},").unwrap();
    }
    code.push(']');
    std::fs::write(out.join("prebuilt.rs"), code).expect("write to OUT_DIR");
    words(&out);
}

/// `words.rs`: `[(code, &[(key, text), …]), …]`, keys sorted.
fn words(out: &Path) {
    println!("cargo:rerun-if-changed=src/locale/flat.rs");
    let mut code = String::from("[\n");
    for lang in LANGUAGES {
        let path = format!("src/locale/{lang}.yaml");
        println!("cargo:rerun-if-changed={path}");
        let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let map = flat_map(&src).unwrap_or_else(|e| panic!("{path}: {e}"));
        writeln!(code, "    ({lang:?}, &[").unwrap();
        for (k, v) in &map {
            writeln!(code, "        ({k:?}, {v:?}),").unwrap();
        }
        code.push_str("    ]),\n");
    }
    code.push(']');
    std::fs::write(out.join("words.rs"), code).expect("write to OUT_DIR");
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("OUT_DIR is UTF-8")
}
