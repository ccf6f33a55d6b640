//! Set texts kept for the rest of the process.
//!
//! A roster batch lays out the same worksheets for every row, and those
//! with a placeholder or a `partners` block (headed by the couple's names)
//! cannot reuse a whole laid-out copy. Most of their texts are still the
//! same from row to row, and setting them (faces, kerning, breaking) was
//! most of their layout's cost, so a set text is kept by what decides it:
//! the styled runs, the style and the measure.
//!
//! Texts holding a placeholder's value (a name) are never kept: no other
//! row would ask for them, and names stay out of long-lived memory. The
//! full runs are compared on every hit, so two texts never share lines
//! by a hash collision. Each thread keeps its own store: a lock shared by
//! the batch's threads, taken for every text set, cost more in waiting
//! than the store saved.

use super::text::{Line, Missing, Style};
use crate::model::Span;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::rc::Rc;

/// Past this many texts the store starts again rather than growing.
const MOST: usize = 20_000;

struct Kept {
    spans: Vec<Span>,
    style: StyleKey,
    width: u32,
    lines: Rc<Vec<Line>>,
    /// Characters no face has, to report again.
    missing: Vec<char>,
}

/// Every field of the style; `(whole_words, upright, rtl, family)` last.
type StyleKey = (
    u32,
    bool,
    bool,
    u32,
    u32,
    Option<hypher::Lang>,
    (bool, bool, Option<bool>, Option<[crate::fonts::Face; 4]>),
);

fn style_key(s: &Style) -> StyleKey {
    (
        s.size.to_bits(),
        s.bold,
        s.italic,
        s.gray.to_bits(),
        s.leading.to_bits(),
        s.hyphens,
        (s.whole_words, s.upright, s.rtl, s.family),
    )
}

thread_local! {
    static STORE: RefCell<HashMap<u64, Vec<Kept>>> = RefCell::new(HashMap::new());
    /// foldhash, seeded per process like std's SipHash (so texts written
    /// to collide cannot be), hashes a text several times faster; SipHash
    /// over every text a batch row sets was 3 % of the row.
    static SEED: foldhash::fast::RandomState = foldhash::fast::RandomState::default();
}

/// Drops this thread's store ([`super::forget_kept`]).
pub fn forget() {
    STORE.with_borrow_mut(|map| map.clear());
}

/// `spans` set by `set` in `style` and `width`, from the store when it was
/// set before.
pub fn set_kept(
    spans: &[Span],
    style: &Style,
    width: f32,
    missing: &mut Missing,
    set: impl FnOnce(&mut Missing) -> Vec<Line>,
) -> Vec<Line> {
    if spans.iter().any(|s| s.value) {
        return set(missing);
    }
    let key = style_key(style);
    let mut h = SEED.with(|s| s.build_hasher());
    spans.hash(&mut h);
    key.hash(&mut h);
    width.to_bits().hash(&mut h);
    let hash = h.finish();
    let found = STORE.with_borrow(|map| {
        map.get(&hash).and_then(|v| {
            v.iter()
                .find(|k| k.style == key && k.width == width.to_bits() && k.spans == spans)
                .map(|k| (k.lines.clone(), k.missing.clone()))
        })
    });
    if let Some((lines, chars)) = found {
        for c in chars {
            missing
                .entry(c)
                .or_insert_with(|| crate::model::plain(spans));
        }
        return (*lines).clone();
    }
    let mut own = Missing::new();
    let lines = set(&mut own);
    let chars: Vec<char> = own.keys().copied().collect();
    for (c, t) in own {
        missing.entry(c).or_insert(t);
    }
    STORE.with_borrow_mut(|map| {
        if map.len() >= MOST {
            map.clear();
        }
        map.entry(hash).or_default().push(Kept {
            spans: spans.to_vec(),
            style: key,
            width: width.to_bits(),
            lines: Rc::new(lines.clone()),
            missing: chars,
        });
    });
    lines
}

/// Whether any text kept on this thread holds `needle`.
#[cfg(test)]
fn holds(needle: &str) -> bool {
    STORE.with_borrow(|map| {
        map.values()
            .flatten()
            .any(|k| k.spans.iter().any(|s| s.text.contains(needle)))
    })
}

#[cfg(test)]
mod tests {
    use crate::model::Options;
    use crate::placeholder::Vars;
    use crate::spec::config::{Config, Paper};
    use std::path::Path;

    /// A worksheet whose title, running head and text hold a name, set
    /// twice: the name is on its pages and in no text kept, while the
    /// running heads without one (the stage, the page numbers) are kept,
    /// and the second setting is the first's.
    #[test]
    fn texts_with_a_name_are_never_kept_and_the_rest_set_the_same() {
        let src = "title: \"Check-in with {{partner_a}}\"\nstage: attune\nblocks:\n  - paragraph: \"{{partner_a}}, what helped?\"\n  - paragraph: \"Breathe in for four, out for six.\"\n";
        let vars: Vars = [("partner_a".to_owned(), "Xanthippe".to_owned())].into();
        let opts = Options {
            vars: Some(&vars),
            ..Options::default()
        };
        let build = || {
            crate::compile_str_with(
                Path::new("w.yaml"),
                src,
                &Config::default(),
                Paper::Letter,
                &opts,
            )
            .unwrap()
            .doc
        };
        let first = build();
        let text: String = first.pages[0].text();
        assert!(text.matches("Xanthippe").count() >= 3, "{text}");
        assert!(!super::holds("Xanthippe"));
        assert!(super::holds("ATTUNE") && super::holds("Breathe in"));
        assert!(build() == first);
    }
}
