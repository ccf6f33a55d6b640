//! Writing output files: atomically, and only inside the output folder.
//!
//! A PDF is written to a temporary file in its destination folder and
//! renamed into place, so a reader sees the old file or the whole new one,
//! never a truncated one. The temporary is never a path someone could plant
//! in advance: on Linux it is an unnamed `O_TMPFILE` inode (a killed run
//! leaves nothing behind) given a name only for the rename; elsewhere a
//! random name opened with `O_EXCL` (no symlink is followed), mode 0600 from
//! creation. Renaming replaces whatever is at the destination, a planted
//! symlink or a world-readable file included, with the new file itself.
//!
//! Temporaries are named `.handouts-PID-SPACE-RANDOM.tmp`, SPACE naming
//! the machine and PID namespace the run's process id belongs to (or, where
//! they cannot be read, the run alone); [`prepare`] removes those left by
//! runs that are no longer alive (a `kill -9` between naming and
//! renaming). A process id says whether a run is alive only in its own
//! space: shards on other machines or in other containers may share an
//! output folder on shared storage, and their ids mean nothing here, so
//! their temporaries (and those of older versions, whose names say no
//! space) are removed only once a day old.

use crate::diag::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};

const PREFIX: &str = ".handouts-";
const SUFFIX: &str = ".tmp";

/// Past this age a temporary is stale whoever made it: writing one file
/// takes milliseconds. Long, for clocks that disagree across machines
/// sharing a folder; a leftover is a hidden file meanwhile, nothing more.
const STALE_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// Creates `dir` if needed (mode 0700 for a `private` run: one that fills
/// in client names) and removes temporaries that dead runs left in it.
pub fn prepare(dir: &Path, private: bool) -> Result<(), Diagnostic> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| {
        Diagnostic::error(
            dir,
            format!(
                "cannot create the output folder: {}",
                crate::diag::io_reason(&e)
            ),
        )
        .hint("choose another folder with --out")
    })?;
    if !dir.is_dir() {
        return Err(Diagnostic::error(dir, "the output folder is not a folder")
            .hint("choose another folder with --out"));
    }
    started();
    remove_stale(dir);
    Ok(())
}

/// Writes `bytes` to `dir/name` (after [`prepare`]). A `private` file (one
/// with client names in it) is readable by its owner only.
pub fn write_atomic(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    private: bool,
) -> Result<PathBuf, Diagnostic> {
    let dest = dir.join(name);
    write_file(dir, name, bytes, private).map_err(|e| {
        Diagnostic::error(
            &dest,
            format!("cannot write the PDF: {}", crate::diag::io_reason(&e)),
        )
    })
}

/// [`write_atomic`] with the bare I/O error, for a caller that must not
/// name the file in its message (a batch: the name is the couple's).
pub fn write_file(dir: &Path, name: &str, bytes: &[u8], private: bool) -> std::io::Result<PathBuf> {
    debug_assert!(!name.contains(['/', '\\']) && name != ".." && name != ".");
    let dest = dir.join(name);
    let mode = if private { 0o600 } else { 0o666 };
    match write_unnamed(dir, &dest, bytes, mode) {
        Some(r) => r,
        None => write_named(dir, &dest, bytes, mode),
    }
    .map(|()| dest)
}

/// A temporary's name: this process's id and its space, so a later run
/// can tell a live run's temporaries from a dead one's.
fn temp_prefix() -> String {
    format!("{PREFIX}{}-{}-", std::process::id(), space())
}

/// This process's id space, as 8 hex digits: the machine (its boot id) and
/// the PID namespace (a container has its own), where a process id names
/// one process. FNV-1a, so every version and build names a space alike.
/// Where either cannot be read (no `/proc`, another system), the space is
/// this process's own, at random: no other run's temporary is then judged
/// by its process id, only by its age, as two machines that cannot be told
/// apart must not share one.
fn space() -> &'static str {
    static SPACE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SPACE.get_or_init(|| match machine_and_namespace() {
        Some(who) => {
            let hash = who.bytes().fold(0x811c_9dc5_u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            });
            format!("{hash:08x}")
        }
        None => format!("{:08x}", random_u64() as u32),
    })
}

#[cfg(target_os = "linux")]
fn machine_and_namespace() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let ns = std::fs::metadata("/proc/self/ns/pid").ok()?.ino();
    let boot = boot.trim();
    (!boot.is_empty()).then(|| format!("{boot}:{ns}"))
}

#[cfg(not(target_os = "linux"))]
fn machine_and_namespace() -> Option<String> {
    None
}

fn write_named(dir: &Path, dest: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let mut b = tempfile::Builder::new();
    let prefix = temp_prefix();
    b.prefix(&prefix).suffix(SUFFIX).rand_bytes(8);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut tmp = b.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // On failure the temporary is removed when `tmp` drops.
    tmp.persist(dest).map(drop).map_err(|e| e.error)
}

/// `O_TMPFILE`: the file has no name until it is whole. `None` where the
/// system or file system does not offer it.
#[cfg(target_os = "linux")]
fn write_unnamed(dir: &Path, dest: &Path, bytes: &[u8], mode: u32) -> Option<std::io::Result<()>> {
    use rustix::fs::{openat, AtFlags, Mode, OFlags, CWD};
    use std::os::fd::AsRawFd;
    let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
    // Where it fails (no support in this file system or kernel, or any
    // other reason) the named way runs and reports its own error.
    let fd = openat(CWD, dir, flags, Mode::from_raw_mode(mode)).ok()?;
    let mut file = std::fs::File::from(fd);
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        return Some(Err(e));
    }
    let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
    // A new file is named where it goes: `linkat` never replaces a name, so
    // one that is there already (a file, a symlink, a folder) fails, and
    // is replaced by a rename as below. One directory change instead of
    // two, for every packet of a batch into a new folder.
    if rustix::fs::linkat(CWD, &proc_path, CWD, dest, AtFlags::SYMLINK_FOLLOW).is_ok() {
        return Some(Ok(()));
    }
    let tmp = dir.join(format!("{}{:016x}{SUFFIX}", temp_prefix(), random_u64()));
    // Without /proc the file cannot be named: write it the named way.
    rustix::fs::linkat(CWD, &proc_path, CWD, &tmp, AtFlags::SYMLINK_FOLLOW).ok()?;
    Some(std::fs::rename(&tmp, dest).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    }))
}

#[cfg(not(target_os = "linux"))]
fn write_unnamed(_: &Path, _: &Path, _: &[u8], _: u32) -> Option<std::io::Result<()>> {
    None
}

/// Not for secrecy, only to make a name nobody planted: the name is linked
/// without replacing anything, so a clash fails instead of following.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// Removes `.handouts-PID-SPACE-*.tmp` files whose process is gone: of
/// this space, a process id that is not running (or this run's own id on
/// a file older than the run); of any other space, or none, a file a day
/// old.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(PREFIX)
            .and_then(|n| n.strip_suffix(SUFFIX))
        else {
            continue;
        };
        let mut parts = rest.split('-');
        let Some(pid) = parts.next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let (of, random) = (parts.next(), parts.next());
        let is_file = e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink());
        if !is_file {
            continue;
        }
        let modified = e.metadata().and_then(|m| m.modified()).ok();
        let old = modified.is_some_and(|t| t.elapsed().is_ok_and(|age| age > STALE_AGE));
        let ours = random.is_some() && of == Some(space());
        // A leftover may carry this run's own pid (pids repeat, in
        // containers above all): it is stale if it is older than this run.
        let dead = ours
            && if pid == std::process::id() {
                modified.is_some_and(|t| t < started())
            } else {
                !alive(pid)
            };
        if dead || old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// When this run began (first asked for before its first write).
fn started() -> std::time::SystemTime {
    static START: std::sync::OnceLock<std::time::SystemTime> = std::sync::OnceLock::new();
    *START.get_or_init(std::time::SystemTime::now)
}

/// Whether process `pid` of this space is running: `kill(pid, 0)`, which
/// sees every process of the namespace (another user's too, where `/proc`
/// is mounted to hide them) and sends nothing. Only "no such process"
/// says it is gone.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    use rustix::io::Errno;
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    !matches!(rustix::process::test_kill_process(pid), Err(Errno::SRCH))
}

/// Elsewhere a run cannot tell: leave the file alone.
#[cfg(not(unix))]
fn alive(_: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("handouts-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let dir = scratch("out");
        prepare(&dir, false).unwrap();
        let p = write_atomic(&dir, "a.pdf", b"%PDF-1.3", false).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"%PDF-1.3");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.pdf"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A new name is linked in place, a name already there is replaced:
    /// each way leaves the latest bytes and nothing else, and a folder
    /// in the way is an error that leaves the folder as it was.
    #[test]
    fn new_and_existing_names_end_the_same() {
        let dir = scratch("again");
        prepare(&dir, false).unwrap();
        for bytes in [&b"first"[..], b"second", b"third"] {
            let p = write_atomic(&dir, "a.pdf", bytes, true).unwrap();
            assert_eq!(std::fs::read(&p).unwrap(), bytes);
            let names: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(names, ["a.pdf"]);
        }
        std::fs::create_dir(dir.join("b.pdf")).unwrap();
        std::fs::write(dir.join("b.pdf").join("keep"), b"k").unwrap();
        assert!(write_atomic(&dir, "b.pdf", b"x", true).is_err());
        assert_eq!(std::fs::read(dir.join("b.pdf").join("keep")).unwrap(), b"k");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a.pdf", "b.pdf"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_named_fallback_leaves_no_temporary_either() {
        let dir = scratch("named");
        prepare(&dir, false).unwrap();
        write_named(&dir, &dir.join("b.pdf"), b"x", 0o600).unwrap();
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["b.pdf"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_files_and_folders_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("priv").join("new");
        prepare(&dir, true).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        let p = write_atomic(&dir, "names.pdf", b"x", true).unwrap();
        assert_eq!(mode(&p), 0o600);
        // A planted world-readable file is replaced, not reused.
        std::fs::write(dir.join("planted.pdf"), b"old").unwrap();
        std::fs::set_permissions(dir.join("planted.pdf"), PermissionsExt::from_mode(0o644))
            .unwrap();
        let p = write_atomic(&dir, "planted.pdf", b"new", true).unwrap();
        assert_eq!(mode(&p), 0o600);
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_replaced_not_followed() {
        let dir = scratch("link");
        prepare(&dir, true).unwrap();
        let outside = scratch("link-target");
        std::fs::create_dir_all(&outside).unwrap();
        let target = outside.join("stolen.pdf");
        std::os::unix::fs::symlink(&target, dir.join("a.pdf")).unwrap();
        write_atomic(&dir, "a.pdf", b"names", true).unwrap();
        assert!(!target.exists(), "wrote through a planted symlink");
        let meta = std::fs::symlink_metadata(dir.join("a.pdf")).unwrap();
        assert!(meta.is_file());
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&outside).unwrap();
    }

    #[test]
    fn temporaries_of_dead_runs_are_removed_and_live_ones_kept() {
        let dir = scratch("stale");
        std::fs::create_dir_all(&dir).unwrap();
        // This run began before its own temporaries were made (file times
        // are coarser than the clock, hence the pause).
        started();
        std::thread::sleep(std::time::Duration::from_millis(50));
        // No process has a pid this large on Linux (pid_max ≤ 2^22).
        let dead = dir.join(format!(".handouts-4294967-{}-abc.tmp", space()));
        let live = dir.join(format!("{}abc.tmp", temp_prefix()));
        let other = dir.join("notes.tmp");
        for p in [&dead, &live, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        prepare(&dir, false).unwrap();
        assert_eq!(dead.exists(), !cfg!(unix));
        assert!(live.exists() && other.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A run on another machine or in another container writing into the
    /// same folder (shards on shared storage): its process id means
    /// nothing here, so its temporary is left while it could be in use,
    /// and removed once it is a day old. Names without a space (older
    /// versions) likewise.
    #[test]
    fn temporaries_of_other_machines_are_kept_until_a_day_old() {
        let dir = scratch("foreign");
        std::fs::create_dir_all(&dir).unwrap();
        let other = if space() == "00000000" {
            "00000001"
        } else {
            "00000000"
        };
        let names = [
            format!(".handouts-4294967-{other}-abc.tmp"),
            format!(".handouts-{}-{other}-abc.tmp", std::process::id()),
            ".handouts-4294967-abc.tmp".to_owned(),
        ];
        let files: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
        for f in &files {
            std::fs::write(f, b"x").unwrap();
        }
        prepare(&dir, false).unwrap();
        assert!(
            files.iter().all(|f| f.exists()),
            "an in-flight temporary was removed"
        );
        let day_ago = std::time::SystemTime::now() - STALE_AGE - std::time::Duration::from_secs(60);
        for f in &files {
            let file = std::fs::File::options().write(true).open(f).unwrap();
            file.set_modified(day_ago).unwrap();
        }
        prepare(&dir, false).unwrap();
        assert!(
            files.iter().all(|f| !f.exists()),
            "a day-old temporary was kept"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A process is alive while it runs, whoever owns it; an id no
    /// process can have is not.
    #[cfg(unix)]
    #[test]
    fn a_process_is_alive_while_it_runs() {
        assert!(alive(std::process::id()));
        assert!(alive(1), "init, another user's process when not root");
        assert!(!alive(4_294_967));
        assert!(!alive(u32::MAX));
    }

    /// The space is the same for every run in this process's machine and
    /// namespace, and it is in the temporaries' names.
    #[test]
    fn the_space_is_stable_and_named() {
        assert_eq!(space().len(), 8);
        assert!(space().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(space(), space());
        assert!(temp_prefix().ends_with(&format!("-{}-", space())));
    }

    #[test]
    fn an_output_folder_that_is_a_file_is_an_error() {
        let f = scratch("file");
        std::fs::write(&f, b"x").unwrap();
        let e = prepare(&f, false).unwrap_err();
        assert!(e.message.contains("output folder"), "{}", e.message);
        std::fs::remove_file(&f).unwrap();
    }
}
