//! The PDF writer on its own: output independent of what was written
//! before, and long documents read back whole.

use handouts::render::pdf::{write, WriteOptions};
use handouts::spec::config::{Config, Paper};

/// Fonts are shared between documents through a cache; what one
/// document wrote before must not change another's bytes.
#[test]
fn output_does_not_depend_on_what_was_written_before() {
    let doc = |p: &str| {
        handouts::compile(std::path::Path::new(p), &Config::default(), Paper::Letter)
            .unwrap()
            .doc
    };
    let a = doc("tests/fixtures/minimal.yaml");
    let b = doc("worksheets/demo/every-block.yaml");
    let opts = WriteOptions {
        date: Some(0),
        ..Default::default()
    };
    let first = write(&a, &opts);
    let _ = write(&b, &opts);
    assert_eq!(write(&a, &opts), first);

    // Read back: dictionaries live in the object stream, found through
    // the cross-reference stream.
    let lo = lopdf::Document::load_mem(&first).unwrap();
    assert_eq!(lo.get_pages().len(), a.pages.len());
    let info = lo.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = lo.get_dictionary(info).unwrap();
    let date = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert_eq!(date, b"D:19700101000000Z");
    let title = info.get(b"Title").unwrap().as_str().unwrap();
    assert_eq!(title, a.title.as_bytes());
    let cat = lo.catalog().unwrap();
    assert_eq!(cat.get(b"Lang").unwrap().as_str().unwrap(), b"en-US");
}

/// Past 2,000 dictionaries a second object stream starts; every page
/// must still be found through the cross-reference stream.
#[test]
fn long_documents_span_several_object_streams() {
    let path = std::path::Path::new("tests/fixtures/minimal.yaml");
    let mut doc = handouts::compile(path, &Config::default(), Paper::Letter)
        .unwrap()
        .doc;
    let page = doc.pages[0].clone();
    doc.pages = vec![page; 2100];
    let bytes = write(&doc, &WriteOptions::default());
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(lo.get_pages().len(), 2100);
    let streams = lo
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"ObjStm")
            })
        })
        .count();
    assert_eq!(streams, 2);
}
