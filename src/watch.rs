//! `handouts watch`: build, then build again whatever a saved change
//! affects, until interrupted. A PDF viewer that reloads on change becomes
//! a live preview.
//!
//! Folders are watched, not files: editors save by writing a new file and
//! renaming it over the old one, which a watch on the old file would miss.
//! Only writes, creations, renames and removals count (a build's own reads
//! are events too, and would build again for ever), gathered until the
//! folder has been quiet a moment (one save is several events). A spec with a
//! mistake is reported and its last good PDF is left as it was (files are
//! only ever replaced whole); the next good save builds it again.

use crate::commands::{self, BuildOptions, Report};
use crate::diag::Diagnostic;
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a burst of events is gathered into one change.
const SETTLE: Duration = Duration::from_millis(150);

/// Files whose change can change a PDF.
fn matters(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("yaml" | "yml" | "png" | "jpg" | "jpeg" | "svg")
    )
}

/// Builds `opts`, then again on every change, calling `show` with each
/// build's report; returns only if watching cannot start or stops.
pub fn watch(opts: &BuildOptions, mut show: impl FnMut(&Report)) -> Result<(), Diagnostic> {
    show(&commands::build(opts));
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Diagnostic::error(Path::new("watch"), format!("cannot watch files: {e}")))?;
    // Each project folder (the config's), or the spec's own folder: the
    // config, the pictures and a packet's worksheets are in it.
    let mut roots: BTreeSet<PathBuf> = BTreeSet::new();
    for p in &opts.paths {
        let own = if p.is_dir() {
            p.clone()
        } else {
            p.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let project = crate::spec::config::find(p)
            .and_then(|c| c.parent().map(Path::to_path_buf))
            .unwrap_or(own);
        roots.insert(std::fs::canonicalize(&project).unwrap_or(project));
    }
    for r in &roots {
        watcher
            .watch(r, RecursiveMode::Recursive)
            .map_err(|e| Diagnostic::error(r, format!("cannot watch this folder: {e}")))?;
    }
    let specs: Vec<(PathBuf, bool)> = commands::specs(&opts.paths)
        .into_iter()
        .map(|(p, packet)| (std::fs::canonicalize(&p).unwrap_or(p), packet))
        .collect();
    let out = std::fs::canonicalize(&opts.out).unwrap_or_else(|_| opts.out.clone());
    let saved = |e: &notify::Event| match e.kind {
        EventKind::Modify(notify::event::ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        _ => false,
    };
    while let Ok(first) = rx.recv() {
        let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
        let mut take = |ev: notify::Result<notify::Event>| {
            if let Ok(ev) = ev {
                if saved(&ev) {
                    changed.extend(
                        ev.paths
                            .into_iter()
                            .filter(|p| matters(p) && !p.starts_with(&out)),
                    );
                }
            }
        };
        take(first);
        // The rest of the burst: until nothing has come for a moment.
        while let Ok(ev) = rx.recv_timeout(SETTLE) {
            take(ev);
        }
        if changed.is_empty() {
            continue;
        }
        show(&commands::build(&affected(opts, &specs, &changed)));
    }
    Ok(())
}

/// What to build for `changed`: a worksheet that was saved, and every
/// packet (it may list it); for anything else (the config, a picture, a
/// file not yet known) everything.
fn affected(
    opts: &BuildOptions,
    specs: &[(PathBuf, bool)],
    changed: &BTreeSet<PathBuf>,
) -> BuildOptions {
    let worksheet = |p: &PathBuf| specs.iter().any(|(s, packet)| s == p && !packet);
    let paths = if changed.iter().all(worksheet) {
        let mut paths: Vec<PathBuf> = changed.iter().cloned().collect();
        paths.extend(
            specs
                .iter()
                .filter(|(_, packet)| *packet)
                .map(|(p, _)| p.clone()),
        );
        paths
    } else {
        opts.paths.clone()
    };
    BuildOptions {
        paths,
        ..opts.clone()
    }
}
