//! Page furniture kept across a batch's rows.
//!
//! Page 3 of 17 of every row's packet has the same running head and
//! footer: the stage and the worksheet's title, "Page 3 of 17", the
//! practice and the safety line. Setting them again for every page of
//! every row (looking up each label, filling in the page number, fitting
//! the title into the header) was 5 % of a batch row. So each thread keeps
//! what [`furniture`] made, by what decides it: the header, the page
//! number and the page count. Everything else furniture reads (its two
//! styles, the page's geometry, the safety line's set lines, the practice,
//! the page-number wording) is the same for the whole store: it is
//! compared in full when each document's furniture begins, and the store
//! starts again when any of it differs (another language in a roster's
//! `language` column, another paper size).
//!
//! A header that holds a placeholder's value (`Header::personal`, a title
//! with a name) is set afresh every time and never kept. What setting a
//! page's furniture reported (characters no font has, a title too long for
//! the header) is kept with it and reported again for every document that
//! uses it, as if it had been set there.

use super::blocks::Ctx;
use super::display::Item;
use super::furniture::{furniture, furniture_style, Footer, Geometry, Header};
use super::text::{Line, Missing, Style};
use std::cell::RefCell;
use std::collections::HashMap;

/// Past this many pages the store starts again rather than growing.
const MOST: usize = 4096;

/// Everything [`furniture`] reads besides the header and the page number.
#[derive(PartialEq)]
struct Inputs {
    small: u32,
    plain: Style,
    bold: Style,
    geo: Geometry,
    lines: Vec<Line>,
    left: String,
    page_of: String,
}

struct Made {
    items: Vec<Item>,
    safety: usize,
    missing: Missing,
    overflow: Vec<String>,
}

#[derive(Default)]
struct Store {
    inputs: Option<Inputs>,
    pages: HashMap<(Header, usize, usize), Made>,
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::new(Store::default());
    /// Pages taken from the store, for the tests to tell a hit from a miss.
    #[cfg(test)]
    static HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Drops this thread's store ([`super::forget_kept`]).
pub fn forget() {
    STORE.with_borrow_mut(|s| *s = Store::default());
}

/// The furniture of one document's pages, from the store where it was
/// made before.
pub struct Keeper(());

impl Keeper {
    /// Begins a document: the store is kept if everything furniture reads
    /// besides the header and page number is what it was made with.
    pub fn begin(ctx: &Ctx, geo: &Geometry, foot: &Footer) -> Keeper {
        let now = Inputs {
            small: ctx.small.to_bits(),
            plain: furniture_style(ctx, false),
            bold: furniture_style(ctx, true),
            geo: *geo,
            lines: foot.lines.to_vec(),
            left: foot.left.to_owned(),
            page_of: foot.page_of.to_owned(),
        };
        STORE.with_borrow_mut(|s| {
            if s.inputs.as_ref() != Some(&now) {
                s.pages.clear();
                s.inputs = Some(now);
            }
        });
        Keeper(())
    }

    /// [`furniture`] of page `page` of `total`: the same items, and the
    /// same characters and titles reported into `ctx`.
    pub fn furniture(
        &mut self,
        ctx: &mut Ctx,
        geo: &Geometry,
        foot: &Footer,
        header: &Header,
        page: usize,
        total: usize,
    ) -> (Vec<Item>, usize) {
        if header.personal {
            return furniture(ctx, geo, foot, header, page, total);
        }
        let key = (header.clone(), page, total);
        let found = STORE.with_borrow(|s| {
            s.pages.get(&key).map(|m| {
                report(ctx, &m.missing, &m.overflow);
                (m.items.clone(), m.safety)
            })
        });
        if let Some(found) = found {
            #[cfg(test)]
            HITS.set(HITS.get() + 1);
            return found;
        }
        // Made with empty reports, to keep what this page reports.
        let missing = std::mem::take(&mut ctx.missing);
        let overflow = std::mem::take(&mut ctx.overflow);
        let (items, safety) = furniture(ctx, geo, foot, header, page, total);
        let made = Made {
            items: items.clone(),
            safety,
            missing: std::mem::replace(&mut ctx.missing, missing),
            overflow: std::mem::replace(&mut ctx.overflow, overflow),
        };
        report(ctx, &made.missing, &made.overflow);
        STORE.with_borrow_mut(|s| {
            if s.pages.len() >= MOST {
                s.pages.clear();
            }
            s.pages.insert(key, made);
        });
        (items, safety)
    }
}

/// Adds what a page's furniture reported to `ctx`'s reports, as setting it
/// there would have: the first text a character was missing from stays,
/// and a title is reported once.
fn report(ctx: &mut Ctx, missing: &Missing, overflow: &[String]) {
    for (c, text) in missing {
        ctx.missing.entry(*c).or_insert_with(|| text.clone());
    }
    for o in overflow {
        if !ctx.overflow.contains(o) {
            ctx.overflow.push(o.clone());
        }
    }
}

/// How many pages this thread keeps, and whether any kept header says
/// `needle`.
#[cfg(test)]
fn kept(needle: &str) -> (usize, bool) {
    STORE.with_borrow(|s| {
        let said = s
            .pages
            .keys()
            .any(|(h, _, _)| h.left.contains(needle) || h.right.contains(needle));
        (s.pages.len(), said)
    })
}

#[cfg(test)]
mod tests {
    use crate::model::Options;
    use crate::placeholder::Vars;
    use crate::spec::config::{Config, Paper};
    use std::path::Path;

    fn build(src: &str, cfg: &Config, vars: &Vars) -> crate::Compiled {
        let opts = Options {
            vars: Some(vars),
            ..Options::default()
        };
        crate::compile_str_with(Path::new("w.yaml"), src, cfg, Paper::Letter, &opts).unwrap()
    }

    fn said(c: &crate::Compiled) -> Vec<String> {
        c.warnings.iter().map(|d| d.message.clone()).collect()
    }

    /// A document whose furniture was kept is the document set afresh, and
    /// reports what setting it reported: a practice with a character no
    /// font has (only the footer prints it) and a title too long for the
    /// header (only the header shortens it).
    #[test]
    fn kept_furniture_is_the_same_and_reports_again() {
        super::forget();
        let cfg = Config {
            practice: "Harbor \u{10FFFD} Light".to_owned(),
            ..Config::default()
        };
        let title = "A check-in that goes on, ".repeat(8);
        let src = format!("title: \"{title}\"\nstage: attune\nblocks:\n  - paragraph: Breathe.\n");
        let hits = || super::HITS.get();
        let first = build(&src, &cfg, &Vars::new());
        let (pages, _) = super::kept("ATTUNE");
        assert!(pages > 0);
        let before = hits();
        let second = build(&src, &cfg, &Vars::new());
        // Every page's furniture taken from the store, none made again.
        assert_eq!(hits() - before, pages);
        assert_eq!(super::kept("ATTUNE").0, pages);
        assert!(first.doc == second.doc);
        let (a, b) = (said(&first), said(&second));
        assert_eq!(a, b);
        assert!(a.iter().any(|m| m.contains("U+10FFFD")), "{a:?}");
        assert!(a.iter().any(|m| m.contains("too long")), "{a:?}");
        // Another practice is other furniture: the store starts again.
        let other = Config {
            practice: "Harbor Light".to_owned(),
            ..Config::default()
        };
        let before = hits();
        let third = build(&src, &other, &Vars::new());
        assert_eq!(hits(), before, "furniture of another practice taken");
        assert!(!said(&third).iter().any(|m| m.contains("U+10FFFD")));
        assert!(third.doc != first.doc);
    }

    /// A header with a name in it is set for its page and never kept.
    #[test]
    fn a_header_with_a_name_is_never_kept() {
        super::forget();
        let vars: Vars = [("partner_a".to_owned(), "Xanthippe".to_owned())].into();
        let src = "title: \"Check-in with {{partner_a}}\"\nstage: attune\nblocks:\n  - paragraph: Breathe.\n";
        let doc = build(src, &Config::default(), &vars).doc;
        let text: String = doc.pages[0].text();
        assert!(text.matches("Xanthippe").count() >= 2, "{text}");
        assert_eq!(super::kept("Xanthippe"), (0, false));
    }
}
