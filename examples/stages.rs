//! Where a cold build's time goes, stage by stage:
//! `cargo run --release --example stages -- worksheets/atone/atone-1-owning-what-happened.yaml`
use handouts::spec::config::{Config, Paper};
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("a worksheet spec");
    let path = std::path::Path::new(&path);
    let cfg = Config::default();
    let t = Instant::now();
    for f in handouts::fonts::Face::ALL {
        let t = Instant::now();
        handouts::fonts::metrics(f);
        eprintln!(
            "open face {f:?} (metrics, kerning matrix): {:.2} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let t1 = Instant::now();
    let c = handouts::compile(path, &cfg, Paper::Letter).unwrap();
    eprintln!(
        "parse+validate+layout: {:.1} ms",
        t1.elapsed().as_secs_f64() * 1e3
    );
    let t2 = Instant::now();
    let bytes = handouts::render::pdf::write(&c.doc, &Default::default());
    eprintln!(
        "pdf write (first, subsets and compresses the fonts): {:.1} ms",
        t2.elapsed().as_secs_f64() * 1e3
    );
    let t3 = Instant::now();
    let bytes2 = handouts::render::pdf::write(&c.doc, &Default::default());
    eprintln!(
        "pdf write (second): {:.1} ms",
        t3.elapsed().as_secs_f64() * 1e3
    );
    assert_eq!(bytes, bytes2);
    let t4 = Instant::now();
    let _ = handouts::compile(path, &cfg, Paper::Letter).unwrap();
    eprintln!(
        "parse+validate+layout (warm): {:.1} ms",
        t4.elapsed().as_secs_f64() * 1e3
    );
    eprintln!(
        "total: {:.1} ms, {} bytes",
        t.elapsed().as_secs_f64() * 1e3,
        bytes.len()
    );
}
