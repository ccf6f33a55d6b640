//! Faces for characters no bundled face has: a Chinese or Korean name, a
//! Devanagari one. They are looked for first in the practice's font folders
//! (`--font-path`, the config's `fonts:`), then in the system's (through
//! `fontdb`: `/usr/share/fonts` and `~/.local/share/fonts` on Linux, the
//! Library folders on macOS).
//!
//! Nothing here runs until a character needs it: a Latin-only batch never
//! lists a folder. The first need lists every folder once (names only,
//! memory-mapped); each character's face is then chosen once per process,
//! and each chosen file is read once.
//!
//! The choice is the same on every run with the same fonts installed, so
//! output stays byte-identical: faces are tried in a fixed order (the
//! practice's folders first; upright before italic; the weight nearest
//! regular, or bold for bold text; sans before serif before the rest; then
//! by family and PostScript name), never in the order threads asked.

use super::face::{Face, Metrics, FACES, MOST_FOUND};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// A font file larger than this is not read (the largest CJK collections
/// are about 30 MB).
const LARGEST_FILE: u64 = 64 << 20;

#[derive(Default)]
struct Library {
    /// The practice's folders, searched before the system's.
    folders: Vec<PathBuf>,
    /// Every face listed, in the order they are tried; made on first need.
    listed: Option<Listed>,
    /// The face chosen for each (character, bold), `None` when none has it.
    chosen: HashMap<(char, bool), Option<Face>>,
    /// Faces opened, by PostScript name.
    opened: HashMap<String, Face>,
    /// Families named as the main one, by name: regular, bold, italic,
    /// bold italic.
    families: HashMap<String, Option<[Face; 4]>>,
    /// Each file read, kept for the process: a collection (`.ttc`) holds
    /// several faces (Noto CJK's Chinese, Japanese and Korean), read once.
    files: HashMap<PathBuf, &'static [u8]>,
}

struct Listed {
    db: fontdb::Database,
    /// The practice's faces first, then the system's, each in the order
    /// they are tried for regular text and for bold.
    regular: Vec<(fontdb::ID, String)>,
    bold: Vec<(fontdb::ID, String)>,
    /// How often each face was asked, and then what it maps as sorted
    /// ranges of code points: a face asked a few times is looked up in its
    /// file (reading a CJK face's whole map takes longer than several
    /// lookups), one asked more (a roster of many characters no face has)
    /// has its map read once.
    coverage: HashMap<fontdb::ID, Coverage>,
}

enum Coverage {
    Asked(u32),
    Ranges(Box<[(u32, u32)]>),
}

/// Lookups of a face in its file before its whole map is read.
const LOOKUPS: u32 = 4;

impl Listed {
    fn covers(&mut self, id: fontdb::ID, ch: char) -> bool {
        let db = &self.db;
        let entry = self.coverage.entry(id).or_insert(Coverage::Asked(0));
        if let Coverage::Asked(n) = entry {
            if *n < LOOKUPS {
                *n += 1;
                return db.with_face_data(id, |data, index| {
                    ttf_parser::Face::parse(data, index)
                        .is_ok_and(|f| usable(&f) && f.glyph_index(ch).is_some_and(|g| g.0 != 0))
                }) == Some(true);
            }
            *entry = Coverage::Ranges(Self::ranges(db, id));
        }
        let Coverage::Ranges(ranges) = entry else {
            return false;
        };
        let c = ch as u32;
        let i = ranges.partition_point(|r| r.1 < c);
        ranges.get(i).is_some_and(|r| r.0 <= c)
    }

    fn ranges(db: &fontdb::Database, id: fontdb::ID) -> Box<[(u32, u32)]> {
        db.with_face_data(id, |data, index| {
            let Ok(f) = ttf_parser::Face::parse(data, index) else {
                return Vec::new();
            };
            if !usable(&f) {
                return Vec::new();
            }
            let mut cps = Vec::new();
            for t in f.tables().cmap.into_iter().flat_map(|c| c.subtables) {
                if t.is_unicode() {
                    t.codepoints(|c| {
                        if t.glyph_index(c).is_some_and(|g| g.0 != 0) {
                            cps.push(c);
                        }
                    });
                }
            }
            cps.sort_unstable();
            cps.dedup();
            let mut ranges: Vec<(u32, u32)> = Vec::new();
            for c in cps {
                match ranges.last_mut() {
                    Some(r) if r.1 + 1 == c => r.1 = c,
                    _ => ranges.push((c, c)),
                }
            }
            ranges
        })
        .unwrap_or_default()
        .into_boxed_slice()
    }
}

fn library() -> &'static Mutex<Library> {
    static LIBRARY: OnceLock<Mutex<Library>> = OnceLock::new();
    LIBRARY.get_or_init(Default::default)
}

/// The library, locked. A bug met while it was held (in a font's parsing,
/// say) poisons the lock; then the listing it may have left half made is
/// made again, so that one batch row's bug does not fail every later row
/// that needs a fallback font. What it had chosen or opened went in whole.
fn locked() -> MutexGuard<'static, Library> {
    library().lock().unwrap_or_else(|poisoned| {
        library().clear_poison();
        let mut lib = poisoned.into_inner();
        lib.listed = None;
        lib
    })
}

/// Adds folders to look in before the system's. Folders added after a
/// character was looked for are listed again on the next look.
pub fn add_folders(folders: &[PathBuf]) {
    let mut lib = locked();
    let mut changed = false;
    for f in folders {
        if !lib.folders.contains(f) {
            lib.folders.push(f.clone());
            changed = true;
        }
    }
    if changed {
        lib.listed = None;
        lib.chosen.retain(|_, face| face.is_some());
        lib.families.retain(|_, faces| faces.is_some());
    }
}

/// A face that has `ch`, opened for use; `None` when no font has it.
pub fn face_for(ch: char, bold: bool) -> Option<Face> {
    let mut lib = locked();
    if let Some(&face) = lib.chosen.get(&(ch, bold)) {
        return face;
    }
    let face = choose(&mut lib, ch, bold);
    lib.chosen.insert((ch, bold), face);
    face
}

/// A family by name (`Atkinson Hyperlegible`), found in the practice's
/// folders or the system's, as the faces for regular, bold, italic and
/// bold italic text. A style the family lacks takes its nearest: bold
/// italic the bold, italic the regular (no slant is faked). `None` when
/// no face of that name can be embedded.
pub fn family(name: &str) -> Option<[Face; 4]> {
    let mut lib = locked();
    if let Some(f) = lib.families.get(name) {
        return *f;
    }
    let faces = find_family(&mut lib, name);
    lib.families.insert(name.to_owned(), faces);
    faces
}

fn find_family(lib: &mut Library, name: &str) -> Option<[Face; 4]> {
    if lib.listed.is_none() {
        lib.listed = Some(list(&lib.folders));
    }
    let listed = lib.listed.as_ref()?;
    let want = name.trim().to_lowercase();
    // The family's faces, the practice's first (the order they are tried).
    let members: Vec<fontdb::FaceInfo> = listed
        .regular
        .iter()
        .filter_map(|(id, _)| listed.db.face(*id))
        .filter(|f| f.families.iter().any(|(n, _)| n.to_lowercase() == want))
        .filter(|f| {
            listed.db.with_face_data(f.id, |d, i| {
                ttf_parser::Face::parse(d, i).is_ok_and(|f| usable(&f))
            }) == Some(true)
        })
        .cloned()
        .collect();
    let pick = |bold: bool, italic: bool| {
        let target = if bold { 700 } else { 400 };
        members
            .iter()
            .filter(|f| (f.style != fontdb::Style::Normal) == italic)
            .min_by_key(|f| f.weight.0.abs_diff(target))
            .cloned()
    };
    let regular = pick(false, false)?;
    let bold = pick(true, false).filter(|f| f.weight.0 >= 600);
    let italic = pick(false, true);
    let bold_italic = pick(true, true).filter(|f| f.weight.0 >= 600);
    let mut faces = [None; 4];
    for (slot, info) in [Some(regular), bold, italic, bold_italic]
        .into_iter()
        .enumerate()
    {
        let Some(info) = info else { continue };
        let name = info.post_script_name.clone();
        let face = match lib.opened.get(&name) {
            Some(&f) => f,
            None => {
                let f = open(&mut lib.files, lib.opened.len(), &info, &name)?;
                lib.opened.insert(name, f);
                f
            }
        };
        faces[slot] = Some(face);
    }
    let regular = faces[0]?;
    let bold = faces[1].unwrap_or(regular);
    let italic = faces[2].unwrap_or(regular);
    let bold_italic = faces[3].unwrap_or(bold);
    Some([regular, bold, italic, bold_italic])
}

fn choose(lib: &mut Library, ch: char, bold: bool) -> Option<Face> {
    if lib.listed.is_none() {
        lib.listed = Some(list(&lib.folders));
    }
    let listed = lib.listed.as_mut()?;
    // The CJK collections have a face for each region; a Korean name is
    // set in the Korean one, a Japanese in the Japanese, Han alone in the
    // Simplified Chinese one.
    let region = match ch as u32 {
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Some("KR"),
        0x3040..=0x30FF | 0x31F0..=0x31FF => Some("JP"),
        0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000.. => Some("SC"),
        _ => None,
    };
    let order = if bold { &listed.bold } else { &listed.regular };
    let preferred = order
        .iter()
        .filter(|(_, family)| region.is_some_and(|r| family.ends_with(r)));
    let candidates: Vec<fontdb::ID> = preferred.chain(order).map(|(id, _)| *id).collect();
    let hit = candidates.into_iter().find(|&id| listed.covers(id, ch));
    let info = listed.db.face(hit?)?.clone();
    let name = info.post_script_name.clone();
    if let Some(&face) = lib.opened.get(&name) {
        return metrics_covers(face, ch).then_some(face);
    }
    let face = open(&mut lib.files, lib.opened.len(), &info, &name)?;
    lib.opened.insert(name, face);
    metrics_covers(face, ch).then_some(face)
}

fn metrics_covers(face: Face, ch: char) -> bool {
    super::face::metrics(face).covers(ch)
}

/// A face the PDF can embed: outlines (TrueType or CFF), not only colour
/// bitmaps (an emoji font's), which a subset could not carry.
fn usable(f: &ttf_parser::Face) -> bool {
    let t = f.tables();
    t.glyf.is_some() || t.cff.is_some()
}

/// Reads the file of `info` (once per process) and installs it as the
/// next found face.
fn open(
    files: &mut HashMap<PathBuf, &'static [u8]>,
    n: usize,
    info: &fontdb::FaceInfo,
    name: &str,
) -> Option<Face> {
    let n = u8::try_from(n).ok().filter(|&n| n < MOST_FOUND)?;
    let fontdb::Source::File(path) = &info.source else {
        return None;
    };
    let bytes = match files.get(path) {
        Some(&b) => b,
        None => {
            let file = std::fs::File::open(path).ok()?;
            if file.metadata().ok()?.len() > LARGEST_FILE {
                return None;
            }
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::Read::take(file, LARGEST_FILE), &mut bytes)
                .ok()?;
            // Kept for the rest of the process, as the bundled faces are.
            let bytes: &'static [u8] = Vec::leak(bytes);
            files.insert(path.clone(), bytes);
            bytes
        }
    };
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect();
    let clean = if clean.is_empty() {
        "Font".into()
    } else {
        clean
    };
    let metrics = Metrics::open_found(bytes, info.index, (clean.clone(), format!("F-{clean}")))?;
    if !usable(metrics.font()) {
        return None;
    }
    let face = Face::Found(n);
    FACES[face.index()].set(metrics).ok()?;
    Some(face)
}

/// Lists the practice's folders and the system's.
fn list(folders: &[PathBuf]) -> Listed {
    let mut db = fontdb::Database::new();
    for f in folders {
        db.load_fonts_dir(f);
    }
    let practice: std::collections::HashSet<fontdb::ID> = db.faces().map(|f| f.id).collect();
    if std::env::var_os("HANDOUTS_NO_SYSTEM_FONTS").is_none() {
        db.load_system_fonts();
    }
    let order = |target: u16| {
        let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
        faces.sort_by_cached_key(|f| {
            let family = f.families.first().map_or("", |(n, _)| n.as_str());
            let kind = if family.contains("Mono") {
                3
            } else if family.contains("Sans") {
                0
            } else if family.contains("Serif") {
                1
            } else {
                2
            };
            (
                !practice.contains(&f.id),
                f.style != fontdb::Style::Normal,
                f.weight.0.abs_diff(target),
                kind,
                family.to_owned(),
                f.post_script_name.clone(),
                f.index,
            )
        });
        faces
            .iter()
            .map(|f| {
                (
                    f.id,
                    f.families.first().map_or(String::new(), |(n, _)| n.clone()),
                )
            })
            .collect::<Vec<_>>()
    };
    let (regular, bold) = (order(400), order(700));
    Listed {
        db,
        regular,
        bold,
        coverage: HashMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bug_met_while_the_library_was_held_does_not_fail_later_looks() {
        let _ = std::thread::spawn(|| {
            let _held = library().lock();
            panic!("a bug met while the font library is held");
        })
        .join();
        // The next look takes the lock as if nothing had happened.
        add_folders(&[]);
        assert!(!library().is_poisoned());
    }
}
