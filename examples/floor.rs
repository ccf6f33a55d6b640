//! The physical floor beside each figure of `bench/run.sh`: what no
//! version of `handouts` could beat on this machine.
//!
//! ```sh
//! floor                  # exits at once: a bare Rust process's start
//! floor copy SRC DST     # writes the PDFs under SRC again, into DST
//! ```
//!
//! `copy` reads every `.pdf` under SRC (a file or a folder) into memory
//! first, then writes each into DST exactly as `handouts` writes its output
//! (`output::write_atomic`: an unnamed temporary, the bytes, `fsync`, a
//! name, mode 0600 for a folder of packets), from as many threads as a
//! batch uses. Its time is the cost of making the same files durable, with
//! no layout, PDF writing or compression.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {}
        [mode, src, dst] if mode == "copy" => copy(Path::new(src), Path::new(dst)),
        _ => {
            eprintln!("usage: floor | floor copy SRC DST");
            std::process::exit(2);
        }
    }
}

fn copy(src: &Path, dst: &Path) {
    let paths: Vec<PathBuf> = if src.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(src)
            .expect("read SRC")
            .map(|e| e.expect("read SRC").path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        v.sort();
        v
    } else {
        vec![src.to_owned()]
    };
    let files: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(p).expect("read a PDF"))
        })
        .collect();
    std::fs::create_dir_all(dst).expect("make DST");
    let private = src.is_dir();
    // As in `batch::run`: twice the cores, since each fsync blocks its thread.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get() * 2)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some((name, bytes)) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    handouts::output::write_atomic(dst, name, bytes, private)
                        .unwrap_or_else(|d| panic!("{}", d.message));
                }
            });
        }
    });
}
