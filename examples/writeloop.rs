//! Profiling aid: writes one handout's PDF many times in one process.
//! `cargo run --release --example writeloop -- worksheets/atone/atone-1-owning-what-happened.yaml 200`
use handouts::spec::config::{Config, Paper};

fn main() {
    let path = std::env::args().nth(1).expect("a worksheet spec");
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let c = handouts::compile(
        std::path::Path::new(&path),
        &Config::default(),
        Paper::Letter,
    )
    .unwrap();
    let t = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        bytes += handouts::render::pdf::write(&c.doc, &Default::default()).len();
    }
    eprintln!(
        "{:.2} ms per write, {} bytes",
        t.elapsed().as_secs_f64() * 1e3 / n as f64,
        bytes / n
    );
}
