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

/// The code of a file without comments, string and char literals, and
/// its `#[cfg(test)]` modules (tests may reach anywhere).
fn code(path: &Path) -> String {
    let src = std::fs::read_to_string(path).unwrap().replace("\r\n", "\n");
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let at = |i: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    };
    while i < chars.len() {
        let c = chars[i];
        if at(i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/*") {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < chars.len() {
                if at(i, "/*") {
                    depth += 1;
                    i += 2;
                } else if at(i, "*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && (at(i + 1, "\"") || at(i + 1, "#"))
            && !ident(chars.get(i.wrapping_sub(1)))
        {
            // A raw string: r"…", r#"…"#, …
            let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
            if chars.get(i + 1 + hashes) == Some(&'"') {
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                i += 2 + hashes;
                while i < chars.len() && !at(i, &close) {
                    i += 1;
                }
                i += close.chars().count();
                out.push_str("\"\"");
            } else {
                out.push(c);
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '\'') or a lifetime ('a).
            if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
            out.push(' ');
        } else if at(i, "#[cfg(test)]") {
            // Skip the attribute and the item it gates, braces matched.
            while i < chars.len() && chars[i] != '{' && chars[i] != ';' {
                i += 1;
            }
            if chars.get(i) == Some(&'{') {
                let mut depth = 0;
                while i < chars.len() {
                    match chars[i] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
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
    // Comments, strings and test modules hide nothing and add nothing.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts-structure");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("x.rs");
    std::fs::write(
        &f,
        "/* use crate::a; /* nested */ use crate::b; */\nlet s = r#\"crate::c \"quoted\" \"#;\nlet q = '\\'';\nuse crate::d;\n#[cfg(test)]\nmod tests { use crate::e; }\nuse crate::f;\n",
    )
    .unwrap();
    assert_eq!(paths(&code(&f)), ["crate::d", "crate::f"]);
}
