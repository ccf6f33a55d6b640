//! The JSON Schema for editors: current, and accepting every bundled spec.

use std::path::{Path, PathBuf};

const SCHEMA: &str = "schema/handouts.schema.json";

/// Every worksheet and packet spec under worksheets/, in its language
/// folders too (worksheets/es/…); not the configs.
fn bundled() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml")
                && p.file_name().is_some_and(|n| n != "handouts.yaml")
                && p.parent() != Some(Path::new("worksheets"))
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new("worksheets"), &mut out);
    out.sort();
    out
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SCHEMA).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid draft-07 schema")
}

fn instance(path: &Path) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_committed_schema_is_current() {
    let current = handouts::spec::schema::json();
    let committed = std::fs::read_to_string(SCHEMA).unwrap_or_default();
    assert!(
        committed == current,
        "{SCHEMA} is stale: run `cargo run -- schema > {SCHEMA}`"
    );
}

#[test]
fn every_bundled_spec_validates_and_points_editors_at_the_schema() {
    let v = validator();
    let specs = bundled();
    assert!(specs.len() >= 18);
    for path in specs {
        let errors: Vec<String> = v
            .iter_errors(&instance(&path))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        let first = std::fs::read_to_string(&path).unwrap();
        // As many `../` as the file is deep under the repository.
        let up = "../".repeat(path.components().count() - 1);
        assert!(
            first.starts_with(&format!(
                "# yaml-language-server: $schema={up}schema/handouts.schema.json\n"
            )),
            "{} has no $schema line",
            path.display()
        );
    }
}

#[test]
fn the_schema_rejects_what_the_parser_rejects() {
    let v = validator();
    for case in [
        "unknown-option",
        "unknown-block",
        "unknown-key",
        "negative-lines",
        "unknown-stage",
        "bad-only",
        "missing-title",
    ] {
        let path = Path::new("tests/bad").join(format!("{case}.yaml"));
        assert!(!v.is_valid(&instance(&path)), "{case} passes the schema");
    }
}
