// A built-in locale file's pairs. Included by `build.rs`, which turns
// each built-in file into a table in the binary, and by this module's
// tests, which hold it to serde_yaml's reading of the same files.

/// A built-in file's `key: text` pairs, read from saphyr-parser's events
/// (the parser the spans and the alias guard use). Only a flat mapping of
/// texts is taken; a test checks every built-in file reads as serde_yaml
/// reads it.
fn flat_map(src: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    use saphyr_parser::{Event, Parser};
    let mut map = std::collections::BTreeMap::new();
    let mut key: Option<String> = None;
    let mut depth = 0;
    for ev in Parser::new_from_str(src) {
        match ev.map_err(|e| e.to_string())?.0 {
            Event::MappingStart(..) if depth == 0 => depth = 1,
            Event::MappingEnd => depth = 0,
            Event::Scalar(v, ..) if depth == 1 => match key.take() {
                None => key = Some(v.into_owned()),
                Some(k) => {
                    map.insert(k, v.into_owned());
                }
            },
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
            other => return Err(format!("not a flat map of texts: {other:?}")),
        }
    }
    Ok(map)
}
