//! A mutation fuzzer over parse → validate → layout (→ PDF, now and then).
//!
//! Starts from the bundled worksheets and the bad-input corpus, mutates them
//! with byte and YAML-token edits, and reports any input that panics or takes
//! over two seconds. Crashers are saved to `tests/fuzz/crashers/`, where
//! `tests/fuzz.rs` replays them on every test run.
//!
//! ```sh
//! cargo run --release --example fuzz -- 20        # minutes (default 1)
//! ```

use handouts::spec::config::{Config, Paper};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const TOKENS: &[&str] = &[
    "- ",
    ": ",
    "\n",
    "  ",
    "    ",
    "{{",
    "}}",
    "{{partner_a}}",
    "**",
    "*",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "|\n",
    ">-\n",
    "lines: 999999",
    "lines: fill",
    "- page-break\n",
    "\t",
    "\0",
    "\"",
    "'",
    "#",
    "- prompt: x\n",
    "- table: [a, b]\n",
    "rows: [[x, y, z]]",
    "widths: [0, -1]",
    "from: 10",
    "to: -5",
    "- scale: s\n",
    "spacer: 9999in",
    "signature: []",
    "only: facilitator",
    "blank-rows: 200",
    "https://example.org/averyveryveryverylongwordwithoutanybreaks",
    "𓀀",
    "שלום",
    "\u{200b}",
    "\u{feff}",
    "- partners: p\n",
    "lines: 200",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn seeds() -> Vec<Vec<u8>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(Path::new("worksheets"), &mut paths);
    walk(Path::new("tests/bad"), &mut paths);
    walk(Path::new("tests/fixtures"), &mut paths);
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => v.insert(at, rng.next() as u8),
            2 if !v.is_empty() => {
                let len = rng.below(64).min(v.len() - at.min(v.len()));
                v.drain(at.min(v.len())..at.min(v.len()) + len);
            }
            3 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            4 if v.len() > 2 => {
                let from = rng.below(v.len());
                let len = rng.below(200).min(v.len() - from);
                let chunk: Vec<u8> = v[from..from + len].to_vec();
                let at = rng.below(v.len() + 1);
                v.splice(at..at, chunk);
            }
            5 => {
                // Swap two lines.
                let text = String::from_utf8_lossy(&v).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.len() > 1 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(a, b);
                }
                v = lines.join("\n").into_bytes();
            }
            _ => {
                // Indent or dedent a line.
                if let Some(nl) = v[at.min(v.len())..].iter().position(|&b| b == b'\n') {
                    let p = at + nl + 1;
                    if rng.below(2) == 0 {
                        v.splice(p..p, *b"  ");
                    } else if v.get(p) == Some(&b' ') {
                        v.remove(p);
                    }
                }
            }
        }
    }
    v.truncate(200_000);
    v
}

fn main() {
    let minutes: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1.0);
    let seed: u64 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let deadline = Instant::now() + Duration::from_secs_f64(minutes * 60.0);
    let seeds = seeds();
    assert!(!seeds.is_empty(), "run from the repository root");
    let mut rng = Rng(seed);
    let crashers = Path::new("tests/fuzz/crashers");
    std::panic::set_hook(Box::new(|_| {}));
    let cfg = Config::default();
    let (mut runs, mut ok, mut found) = (0u64, 0u64, 0u64);
    let mut slowest = Duration::ZERO;
    let start = Instant::now();
    while Instant::now() < deadline {
        let pick = rng.below(seeds.len());
        let input = mutate(&mut rng, &seeds[pick]);
        let t = Instant::now();
        let write_pdf = runs % 64 == 0;
        let result = std::panic::catch_unwind(|| {
            let Ok(src) = std::str::from_utf8(&input) else {
                return false;
            };
            match handouts::compile_str(Path::new("fuzz.yaml"), src, &cfg, Paper::Letter) {
                Ok(c) => {
                    if write_pdf {
                        let _ = handouts::render::pdf::write(&c.doc, &Default::default());
                    }
                    true
                }
                Err(_) => false,
            }
        });
        let took = t.elapsed();
        slowest = slowest.max(took);
        runs += 1;
        match result {
            Ok(true) => ok += 1,
            Ok(false) => {}
            Err(_) => {
                found += 1;
                std::fs::create_dir_all(crashers).unwrap();
                let name = crashers.join(format!("panic-{runs}.yaml"));
                std::fs::write(&name, &input).unwrap();
                eprintln!("panic: saved {}", name.display());
            }
        }
        if took > Duration::from_secs(2) {
            found += 1;
            std::fs::create_dir_all(crashers).unwrap();
            let name = crashers.join(format!("slow-{runs}.yaml"));
            std::fs::write(&name, &input).unwrap();
            eprintln!("slow ({took:?}): saved {}", name.display());
        }
    }
    println!(
        "{runs} executions in {:.1} min ({ok} laid out, {} rejected); {found} crashers; slowest {:.1} ms",
        start.elapsed().as_secs_f64() / 60.0,
        runs - ok,
        slowest.as_secs_f64() * 1e3
    );
}
