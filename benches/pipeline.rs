//! `cargo bench`: parse, layout and PDF writing of a handout and a packet,
//! each stage alone, in one warm process (whole-process figures come from
//! `bench/run.sh`). A small std-only harness: each case runs for about a
//! second and reports the mean and the fastest run.

use handouts::model::{Edition, Options};
use handouts::packet::{load_with_config, Build};
use handouts::spec::config::{Config, Paper};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const HANDOUT: &str = "worksheets/atone/atone-2-questions-i-need-answered.yaml";
const PACKET: &str = "bench/packet-12.yaml";

fn bench<T>(name: &str, mut f: impl FnMut() -> T) {
    black_box(f());
    let (mut runs, mut best, start) = (0u32, Duration::MAX, Instant::now());
    while start.elapsed() < Duration::from_secs(1) || runs < 5 {
        let t = Instant::now();
        black_box(f());
        best = best.min(t.elapsed());
        runs += 1;
    }
    let mean = start.elapsed() / runs;
    println!(
        "{name:<16} mean {:>9.3} ms   best {:>9.3} ms   ({runs} runs)",
        ms(mean),
        ms(best)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let cfg = Config::default();
    let src = std::fs::read_to_string(HANDOUT).unwrap();
    let path = Path::new(HANDOUT);
    bench("parse handout", || {
        handouts::spec::parse_worksheet(path, &src).unwrap()
    });
    let spec = handouts::spec::parse_worksheet(path, &src).unwrap();
    let ws = handouts::model::validate(&spec, &cfg, path, &src, &Options::default()).unwrap();
    bench("layout handout", || {
        handouts::layout::layout(&ws, &cfg, Paper::Letter, None)
    });
    let doc = handouts::compile(path, &cfg, Paper::Letter).unwrap().doc;
    bench("write handout", || {
        handouts::render::pdf::write(&doc, &Default::default())
    });

    let (p, _) = load_with_config(Path::new(PACKET)).unwrap();
    let b = Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex: false,
        vars: None,
        fillable: false,
    };
    bench("layout packet", || p.assemble(&b).unwrap());
    let (doc, _) = p.assemble(&b).unwrap();
    bench("write packet", || {
        handouts::render::pdf::write(&doc, &Default::default())
    });
}
