//! `cargo bench`: parse, layout and PDF writing of a handout and a
//! packet, each stage alone, in one warm process (divan). Whole-process
//! figures (cold start, a 1,000-row roster, peak memory, sizes) come from
//! `bench/run.sh`; docs/performance.md has both.
//!
//! A loaded packet keeps the layout of each worksheet that has no
//! placeholders, so `layout_packet` is a roster row after the first and
//! `layout_packet_first_row` a single packet. The PDF writer keeps each
//! font subset once per process, so the
//! `write_*` cases measure the steady state of a batch; `write_*_cold_fonts`
//! writes a document whose characters no earlier document set, the cost a
//! single `handouts build` pays.

use handouts::layout::display::{Document, Item};
use handouts::model::{Edition, Options};
use handouts::packet::{load_with_config, Build, Packet};
use handouts::spec::config::{Config, Paper};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

const HANDOUT: &str = "worksheets/atone/atone-2-questions-i-need-answered.yaml";
const PACKET: &str = "bench/packet-12.yaml";

fn main() {
    divan::main();
}

fn handout_src() -> String {
    std::fs::read_to_string(HANDOUT).unwrap()
}

fn handout_doc() -> Document {
    handouts::compile(Path::new(HANDOUT), &Config::default(), Paper::Letter)
        .unwrap()
        .doc
}

fn packet() -> Packet {
    load_with_config(Path::new(PACKET)).unwrap().0
}

fn build() -> Build<'static> {
    Build {
        paper: Paper::Letter,
        edition: Edition::Client,
        duplex: false,
        vars: None,
        fillable: false,
    }
}

#[divan::bench]
fn parse_handout(b: divan::Bencher) {
    let src = handout_src();
    b.bench(|| handouts::spec::parse_worksheet(Path::new(HANDOUT), &src).unwrap());
}

#[divan::bench]
fn layout_handout(b: divan::Bencher) {
    let (cfg, src) = (Config::default(), handout_src());
    let path = Path::new(HANDOUT);
    let spec = handouts::spec::parse_worksheet(path, &src).unwrap();
    let ws = handouts::model::validate(&spec, &cfg, path, &src, &Options::default()).unwrap();
    let setup = handouts::model::Setup::new(&cfg, Paper::Letter);
    b.bench(|| handouts::layout::layout(&ws, &setup, None));
}

#[divan::bench]
fn write_handout(b: divan::Bencher) {
    let doc = handout_doc();
    b.bench(|| handouts::render::pdf::write(&doc, &Default::default()));
}

/// Each run sets one more private-use character (drawn as missing), so
/// every run subsets and compresses its fonts afresh.
#[divan::bench]
fn write_handout_cold_fonts(b: divan::Bencher) {
    static NEXT: AtomicU32 = AtomicU32::new(0xE000);
    let doc = handout_doc();
    b.with_inputs(|| {
        let mut d = doc.clone();
        let c = char::from_u32(NEXT.fetch_add(1, Ordering::Relaxed)).unwrap_or('x');
        for item in d.pages.iter_mut().flat_map(|p| &mut p.items) {
            if let Item::Text(t) = item {
                t.text = format!("{}{c}", t.text).into();
            }
        }
        d
    })
    .bench_values(|d| handouts::render::pdf::write(&d, &Default::default()));
}

/// A roster row after the first: worksheets without placeholders are
/// laid out once per loaded packet and reused.
#[divan::bench]
fn layout_packet(b: divan::Bencher) {
    let (p, bd) = (packet(), build());
    b.bench(|| p.assemble(&bd).unwrap());
}

/// The first (or only) row: every worksheet is validated and laid out.
#[divan::bench]
fn layout_packet_first_row(b: divan::Bencher) {
    let bd = build();
    b.with_inputs(packet)
        .bench_refs(|p| p.assemble(&bd).unwrap());
}

#[divan::bench]
fn write_packet(b: divan::Bencher) {
    let doc = packet().assemble(&build()).unwrap().0;
    b.bench(|| handouts::render::pdf::write(&doc, &Default::default()));
}

/// A roster row's packet as a batch writes it: glyph codes that do not
/// follow the names, so its unchanged pages come out of the shared store
/// compressed (only the cover, the subsets for new names and the object
/// streams are made afresh). Each run has other names, as rows do.
#[divan::bench]
fn write_packet_batch_row(b: divan::Bencher) {
    use handouts::model::Vars;
    use handouts::render::pdf::{Codes, WriteOptions};
    static ROW: AtomicU32 = AtomicU32::new(0);
    let p = packet();
    let opts = WriteOptions {
        date: None,
        codes: Codes::Stable,
    };
    b.with_inputs(|| {
        let n = ROW.fetch_add(1, Ordering::Relaxed);
        let mut vars = Vars::new();
        vars.insert("partner_a".into(), format!("Zoë{n}"));
        vars.insert("partner_b".into(), format!("Ζωή{}", n % 7));
        vars.insert("session_date".into(), "2026-05-01".into());
        let bd = Build {
            vars: Some(&vars),
            ..build()
        };
        p.assemble(&bd).unwrap().0
    })
    .bench_values(|d| handouts::render::pdf::write(&d, &opts));
}
