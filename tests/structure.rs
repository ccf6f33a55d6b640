//! The pipeline's shape, read from the source: spec → model → layout →
//! display list → PDF, one way (DESIGN.md).
//!
//! Every `crate::…`, `super::…` and `self::…` path in `src/` is resolved to
//! the file that defines the module it names; those are the edges. The
//! tests: no cycles between files (a `mod` declaration counts as an edge
//! from parent to child, so a child never imports from its parent's
//! `mod.rs`), and the stages only look back: spec sees nothing after it,
//! model no layout or render, layout and render no spec type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, by its module path (`layout::blocks`).
fn modules() -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src/ is readable") {
            let p = e.unwrap().path();
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let join = |n: &str| {
                if prefix.is_empty() {
                    n.to_owned()
                } else {
                    format!("{prefix}::{n}")
                }
            };
            if p.is_dir() {
                walk(&p, &join(&name), out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let module = match name.as_str() {
                    "mod" => prefix.to_owned(),
                    "lib" | "main" if prefix.is_empty() => String::new(),
                    _ => join(&name),
                };
                if name != "main" {
                    out.insert(module, p);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(Path::new("src"), "", &mut out);
    assert!(out.len() > 30, "read the source tree: {} files", out.len());
    out
}

/// The code of a file without comments, string literals and its
/// `#[cfg(test)]` module (tests may reach anywhere).
fn code(path: &Path) -> String {
    let src = std::fs::read_to_string(path).unwrap();
    let src = match src.find("#[cfg(test)]\nmod tests") {
        Some(i) => &src[..i],
        None => &src[..],
    };
    let mut out = String::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal ('x', '\n') or a lifetime ('a).
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                }
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    out
}

/// Paths a file's code names: each `use` tree expanded, and every inline
/// `crate::a::b` / `super::a` path.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let rest = &code[i..];
        if at_word && rest.starts_with("use ") {
            let end = rest.find(';').unwrap_or(rest.len());
            expand("", &rest[4..end], &mut out);
            i += end;
            continue;
        }
        if at_word
            && (rest.starts_with("crate::")
                || rest.starts_with("super::")
                || rest.starts_with("self::"))
        {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            out.push(rest[..len].trim_end_matches(':').to_owned());
            i += len;
            continue;
        }
        i += 1;
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into whole paths.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let join = |p: &str, s: &str| {
        if p.is_empty() {
            s.to_owned()
        } else {
            format!("{p}::{s}")
        }
    };
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        for (k, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&join(prefix, head), &inner[start..k], out);
                    start = k + 1;
                }
                _ => {}
            }
        }
        expand(&join(prefix, head), &inner[start..], out);
    } else if !tree.is_empty() {
        let path = tree.split(" as ").next().unwrap().trim();
        out.push(join(prefix, path));
    }
}

/// The module a path names from within `module`, resolved to the deepest
/// module that has a file; `None` for other crates.
fn resolve(
    module: &str,
    is_mod_file: bool,
    path: &str,
    all: &BTreeMap<String, PathBuf>,
) -> Option<String> {
    let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").collect()
    };
    match segs.first().copied() {
        Some("crate") => {
            base.clear();
            segs.remove(0);
        }
        Some("super") => {
            // In `a/b.rs` (module a::b) `super` is `a`; in `a/b/mod.rs`
            // (also a::b) it is `a` too.
            while segs.first() == Some(&"super") {
                base.pop();
                segs.remove(0);
            }
        }
        Some("self") => {
            segs.remove(0);
            if !is_mod_file && module.is_empty() {
                return None;
            }
        }
        _ => return None,
    }
    base.extend(segs);
    while !base.is_empty() {
        let m = base.join("::");
        if all.contains_key(&m) {
            return Some(m);
        }
        base.pop();
    }
    Some(String::new())
}

/// File-level edges: module → modules it names (and its `mod` children).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let all = modules();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, path) in &all {
        let is_mod = path.ends_with("mod.rs") || path.ends_with("lib.rs");
        let mut deps = BTreeSet::new();
        for p in paths(&code(path)) {
            let rooted =
                if p.starts_with("crate") || p.starts_with("super") || p.starts_with("self") {
                    p
                } else if is_mod && all.contains_key(&join(m, p.split("::").next().unwrap())) {
                    // `use child::Item` in a mod.rs names a child module.
                    format!("self::{p}")
                } else {
                    continue;
                };
            if let Some(d) = resolve(m, is_mod, &rooted, &all) {
                if &d != m {
                    deps.insert(d);
                }
            }
        }
        // `mod child;` makes the parent depend on the child.
        for child in all.keys() {
            if child != m && parent(child) == *m {
                deps.insert(child.clone());
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

fn join(m: &str, s: &str) -> String {
    if m.is_empty() {
        s.to_owned()
    } else {
        format!("{m}::{s}")
    }
}

fn parent(m: &str) -> String {
    m.rsplit_once("::")
        .map_or(String::new(), |(p, _)| p.to_owned())
}

fn name(m: &str) -> &str {
    if m.is_empty() {
        "lib"
    } else {
        m
    }
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let g = graph();
    // Each module's cycle back to itself, found by depth-first search.
    let mut cycles = Vec::new();
    for start in g.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, trail)) = stack.pop() {
            for d in &g[&m] {
                if d == start {
                    let mut c: Vec<&str> = trail.iter().map(|s| name(s)).collect();
                    c.push(name(start));
                    cycles.push(c.join(" → "));
                } else if seen.insert(d.clone()) {
                    let mut t = trail.clone();
                    t.push(d.clone());
                    stack.push((d.clone(), t));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn each_stage_only_looks_back() {
    let g = graph();
    let stage = |m: &str| m.split("::").next().unwrap_or("").to_owned();
    // What each stage may not name.
    let rules: &[(&str, &[&str])] = &[
        (
            "spec",
            &["model", "layout", "render", "packet", "batch", "commands"],
        ),
        ("placeholder", &["model", "layout", "render", "packet"]),
        (
            "model",
            &["layout", "render", "packet", "batch", "commands"],
        ),
        ("layout", &["spec", "render", "packet", "batch", "commands"]),
        ("render", &["spec", "model", "packet", "batch", "commands"]),
    ];
    let mut bad = Vec::new();
    for (m, deps) in &g {
        for (from, banned) in rules {
            if stage(m) != *from {
                continue;
            }
            for d in deps {
                if banned.contains(&stage(d).as_str()) {
                    bad.push(format!("{} names {}", name(m), name(d)));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_checker_sees_imports() {
    // A self-test: the checker finds the edges it must find, so an empty
    // result above means something.
    let g = graph();
    let layout = &g["layout::packet"];
    assert!(layout.contains("model::packet"), "{layout:?}");
    assert!(g["render::pdf"].contains("layout::display"));
    assert!(
        g["model::validate"].contains("spec::spans"),
        "{:?}",
        g["model::validate"]
    );
    let mut out = Vec::new();
    expand("", "super::{a, b::{c, d as e}}", &mut out);
    assert_eq!(out, ["super::a", "super::b::c", "super::b::d"]);
}
