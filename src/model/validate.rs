//! Worksheet validation: a [`WorksheetSpec`] becomes a [`Worksheet`].
//!
//! Every problem is located by the spec's spans: the key or value it is
//! about, never a search of the file's text.

use super::text::{fill, inline, public_text, Text};
use super::worksheet::{Block, Edition, ImageWidth, Options, PromptLines, Scale, Table, Worksheet};
use crate::diag::{Diagnostic, Pos};
use crate::placeholder::{check_placeholders, substitute, Vars};
use crate::spec::blocks::{self as raw, Lines};
use crate::spec::config::Config;
use crate::spec::spans::Spans;
use crate::spec::WorksheetSpec;
use std::path::Path;

const DEFAULT_PROMPT_LINES: u32 = 4;
const DEFAULT_PARTNER_LINES: u32 = 5;
const DEFAULT_TABLE_ROWS: u32 = 5;
const MAX_SCALE_POINTS: i32 = 21;
const MAX_COLUMNS: usize = 8;
/// Largest number at either end of a scale: it is printed in a circle.
const SCALE_BOUND: i32 = 999;
/// Narrowest column, as a fraction of the table: about two characters.
const MIN_COLUMN: f32 = 0.05;
/// Most items in one list, checklist or script.
const MAX_ITEMS: usize = 100;
/// Longest address a `qr` block encodes: a code for it stays scannable at
/// the size a handout gives it.
const MAX_QR_BYTES: usize = 300;
/// Most rows in one table, pre-filled and blank together.
const MAX_ROWS: usize = 200;
/// Writing lines in one table row.
const MAX_ROW_LINES: u32 = 10;
/// Longest single text, in characters, after placeholders are filled.
pub const MAX_TEXT: usize = 10_000;
/// Most blocks in one worksheet.
const MAX_BLOCKS: usize = 1_000;
/// Most characters in one worksheet after placeholders are filled.
const MAX_DOCUMENT_TEXT: usize = 400_000;

/// Checks a parsed spec and builds the model, or reports every problem.
pub fn validate(
    spec: &WorksheetSpec,
    cfg: &Config,
    path: &Path,
    src: &str,
    opts: &Options,
) -> Result<Worksheet, Vec<Diagnostic>> {
    // A worksheet in another language than the config's takes that
    // language's words (roles, "For:") and none of the config's.
    let own;
    let cfg = match spec.language.as_deref().map(str::trim) {
        Some(lang) if lang != cfg.language => {
            if let Err(e) = crate::locale::check_language(lang) {
                return Err(vec![Diagnostic::error(path, e)
                    .hint("a BCP 47 language tag, such as `en`, `es` or `es-MX`")
                    .at_pos(spec.spans.value("language"))]);
            }
            own = cfg.in_language(lang);
            &own
        }
        _ => cfg,
    };
    let empty = Vars::new();
    let vars = opts.vars.unwrap_or(&empty);
    let mut v = Validator {
        path,
        src,
        spans: &spec.spans,
        vars,
        public: public_vars(cfg, vars),
        personal: false,
        total: 0,
        here: None,
        errs: Vec::new(),
    };
    if spec.title.trim().is_empty() {
        v.err(
            v.spans.value("title"),
            "the title is empty".into(),
            "give the worksheet a title",
        );
    }
    if spec.blocks.len() > MAX_BLOCKS {
        v.err(
            v.spans.key("blocks"),
            format!(
                "the worksheet has {} blocks; the most is {MAX_BLOCKS}",
                spec.blocks.len()
            ),
            "split it into several worksheets",
        );
        return Err(v.errs);
    }
    let mut blocks = Vec::with_capacity(spec.blocks.len());
    for (i, entry) in spec.blocks.iter().enumerate() {
        if entry.only.is_some() && opts.edition == Edition::Client {
            continue;
        }
        let block = v.block(&format!("blocks.{i}"), &entry.block, cfg);
        blocks.push(if entry.only.is_some() {
            Block::Facilitator(Box::new(block))
        } else {
            block
        });
    }
    v.here = None;
    let title = v.text("title", spec.title.trim());
    let public_title = v.public(spec.title.trim());
    let subtitle = spec.subtitle.as_deref().map(|s| v.text("subtitle", s));
    let time = spec.time.as_deref().map(|s| v.text("time", s));
    let source = spec.source.as_deref().map(|s| v.text("source", s));
    let license = spec.license.as_deref().map(|s| v.text("license", s));
    if v.total > MAX_DOCUMENT_TEXT {
        v.err(
            v.spans.key("blocks"),
            format!(
                "the worksheet's text is {} characters long with its placeholders filled; the most is {MAX_DOCUMENT_TEXT}",
                v.total
            ),
            "split it into several worksheets, or give shorter values",
        );
    }
    if !v.errs.is_empty() {
        return Err(v.errs);
    }
    Ok(Worksheet {
        title,
        public_title,
        personal: v.personal,
        subtitle,
        copy: None,
        stage: spec.stage.map(|s| cfg.words.stage(s.id()).to_owned()),
        language: cfg.language.clone(),
        words: cfg.words.clone(),
        audience: spec
            .audience
            .map(|a| Text::literal(cfg.roles.label(a), false).located(spec.spans.value("for"))),
        time,
        source,
        license,
        blocks,
    })
}

/// The values placeholders take off the page: each partner's role word from
/// the config (`{{partner}}` in a per-partner copy is that copy's role);
/// every other placeholder is dropped.
pub fn public_vars(cfg: &Config, vars: &Vars) -> Vars {
    let roles = [&cfg.roles.partner_a, &cfg.roles.partner_b];
    let mut public = Vars::new();
    public.insert("partner_a".into(), cfg.roles.partner_a.clone());
    public.insert("partner_b".into(), cfg.roles.partner_b.clone());
    if let Some(role) = vars.get("partner_role").filter(|r| roles.contains(r)) {
        public.insert("partner".into(), role.clone());
        public.insert("partner_role".into(), role.clone());
    }
    public
}

struct Validator<'a> {
    path: &'a Path,
    src: &'a str,
    spans: &'a Spans,
    vars: &'a Vars,
    public: Vars,
    /// A placeholder was filled from `vars`.
    personal: bool,
    /// Characters of text so far, placeholders filled.
    total: usize,
    /// Where the block being checked is: the place of an error whose own
    /// key has none (a block given by an alias).
    here: Option<Pos>,
    errs: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn err(&mut self, at: Option<Pos>, msg: String, hint: &str) {
        let mut d = Diagnostic::error(self.path, msg).at_pos(at.or(self.here));
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.errs.push(d);
    }

    /// The text at `key` with placeholders filled in; a malformed or
    /// undefined one is an error, and so is text too long once filled.
    fn string(&mut self, key: &str, s: &str) -> String {
        if let Err(bad) = check_placeholders(s) {
            let at = self.spans.within(self.src, key, &s[bad.at..]);
            self.err(at, bad.message, bad.hint);
            return String::new();
        }
        let (out, missing) = substitute(s, self.vars, None);
        for name in missing {
            let reported = self
                .errs
                .iter()
                .any(|d| d.message.contains(&format!("`{{{{{name}}}}}`")));
            if !reported {
                let at = self.spans.within(self.src, key, &format!("{{{{{name}"));
                self.err(
                    at,
                    format!("undefined placeholder `{{{{{name}}}}}`"),
                    &format!(
                        "give it a value: `--set {name}=…`, a packet default, or a roster column"
                    ),
                );
            }
        }
        // Any placeholder at all (the check above passed, so each is whole)
        // was filled with a value: even a value that reads like the
        // placeholder itself makes the text personal.
        if s.contains("{{") {
            self.personal = true;
        }
        let n = out.chars().count();
        self.total += n;
        if n > MAX_TEXT {
            self.err(
                self.spans.value(key),
                format!("this text is {n} characters long with its placeholders filled; the most is {MAX_TEXT}"),
                "split it into several paragraphs, or give a shorter value",
            );
            return String::new();
        }
        out
    }

    /// `s` for tooltips and metadata: see [`public_text`].
    fn public(&self, s: &str) -> String {
        public_text(s, &self.public)
    }

    fn text(&mut self, key: &str, s: &str) -> Text {
        let at = self.spans.value(key);
        let filled = self.string(key, s);
        // Filled again piece by piece, so each value is marked as one.
        if filled.is_empty() || !s.contains("{{") {
            return inline(&filled).located(at);
        }
        fill(s, self.vars, None).0.located(at)
    }

    /// An `image` block: the file read and checked now, so a bad one is
    /// reported at its line and nothing is written.
    fn image(&mut self, at: &str, i: &raw::Image) -> Block {
        let k = |key: &str| format!("{at}.{key}");
        let here = self.spans.value(&k("image"));
        let path = self
            .path
            .parent()
            .unwrap_or(Path::new(""))
            .join(i.image.trim());
        // A picture is the spec's, never a roster's: a path is not filled in.
        let loaded = if i.image.contains("{{") {
            Err("a picture's path cannot hold a placeholder".to_owned())
        } else {
            crate::images::load(&path)
        };
        let image = match loaded {
            Ok(img) => Some(img),
            Err(e) => {
                self.err(
                    here,
                    e,
                    "give the path of a PNG, JPEG or SVG file, relative to this spec",
                );
                None
            }
        };
        let alt = match (&i.alt, i.decorative) {
            (Some(_), true) => {
                let at = self.spans.key(&k("decorative"));
                self.err(
                    at,
                    "a picture with alt text is not decorative".into(),
                    "keep one of `alt:` and `decorative: true`",
                );
                None
            }
            (Some(a), false) if a.contains("{{") => {
                let at = self.spans.value(&k("alt"));
                self.err(at, "alt text cannot hold a placeholder".into(), "alt text leaves the page for screen readers and must never carry a client's value");
                None
            }
            (Some(a), false) if a.trim().is_empty() => {
                let at = self.spans.value(&k("alt"));
                self.err(
                    at,
                    "the alt text is empty".into(),
                    "say what the picture shows, or mark it `decorative: true`",
                );
                None
            }
            (Some(a), false) => Some(a.trim().to_owned()),
            (None, true) => None,
            (None, false) => {
                self.err(
                    self.spans.key(&k("image")),
                    "a picture needs `alt:` text".into(),
                    "say what it shows for screen readers (`alt: Our clinic's front door`), or add `decorative: true`",
                );
                None
            }
        };
        let width = match i.width.as_deref().map(str::trim) {
            None => ImageWidth::Natural,
            Some(w) if w.ends_with('%') => match w[..w.len() - 1].trim().parse::<f32>() {
                Ok(p) if p > 0.0 && p <= 100.0 => ImageWidth::Share(p / 100.0),
                _ => {
                    let at = self.spans.value(&k("width"));
                    self.err(
                        at,
                        format!("`{w}` is not a share from 1% to 100%"),
                        "write a share such as `50%`, or a length such as `6cm`",
                    );
                    ImageWidth::Natural
                }
            },
            Some(w) => match crate::spec::units::Length::parse(w) {
                Ok(l) if l.0 > 0.0 => ImageWidth::Points(l.0),
                Ok(_) | Err(_) => {
                    let at = self.spans.value(&k("width"));
                    self.err(
                        at,
                        format!("`{w}` is not a width"),
                        "write a length such as `6cm` or a share such as `50%`",
                    );
                    ImageWidth::Natural
                }
            },
        };
        match image {
            Some(image) => Block::Image {
                image,
                alt,
                width,
                caption: i.caption.as_deref().map(|t| self.text(&k("caption"), t)),
            },
            None => Block::Spacer(0.0),
        }
    }

    /// What a `qr` block encodes: a web or email address (as a link to it
    /// would be written) or a `tel:` number. Never a placeholder: the
    /// code and its link would carry a client's value off the page.
    fn qr_address(&mut self, key: &str, s: &str) -> Option<String> {
        let at = self.spans.value(key);
        let s = s.trim();
        if s.contains("{{") {
            self.err(
                at,
                "a QR code's address cannot hold a placeholder".into(),
                "write the address itself; a value in it would leave the page in the code and its link",
            );
            return None;
        }
        if s.len() > MAX_QR_BYTES {
            self.err(
                at,
                format!(
                    "this address is {} bytes; a QR code holds at most {MAX_QR_BYTES}",
                    s.len()
                ),
                "use a shorter address",
            );
            return None;
        }
        if let Some(number) = s.strip_prefix("tel:") {
            let ok = !number.is_empty()
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || "+-(). ".contains(c));
            if ok {
                return Some(s.replace(' ', ""));
            }
        } else {
            let text = super::text::inline(s);
            if let [span] = &text.runs[..] {
                if span.link && span.text == s {
                    return span.uri();
                }
            }
        }
        self.err(
            at,
            format!("“{s}” is not a web address, an email address or a tel: number"),
            "write it as https://example.org/page, example.org/page, name@example.org or tel:+15555550100",
        );
        None
    }

    /// The list at `key`, one text per item.
    fn texts(&mut self, key: &str, items: &[String]) -> Vec<Text> {
        if items.len() > MAX_ITEMS {
            self.err(
                self.spans.key(key),
                format!(
                    "this list has {} items; the most is {MAX_ITEMS}",
                    items.len()
                ),
                "split it into several lists",
            );
            return Vec::new();
        }
        items
            .iter()
            .enumerate()
            .map(|(i, s)| self.text(&format!("{key}.{i}"), s))
            .collect()
    }

    /// Block `b`, at `at` (`blocks.3`).
    fn block(&mut self, at: &str, b: &raw::Block, cfg: &Config) -> Block {
        self.here = self.spans.nearest(at).map(|n| n.start);
        let k = |key: &str| format!("{at}.{key}");
        match b {
            raw::Block::Heading(h) => Block::Heading(self.text(&k("heading"), &h.heading)),
            raw::Block::Paragraph(p) => Block::Paragraph(self.text(&k("paragraph"), &p.paragraph)),
            raw::Block::Bullets(l) => Block::Bullets(self.texts(&k("bullets"), &l.bullets)),
            raw::Block::Numbered(l) => Block::Numbered(self.texts(&k("numbered"), &l.numbered)),
            raw::Block::Script(s) => {
                // `script:` may be one text or a list of them.
                let lines = if self.spans.get(&k("script.0")).is_some() {
                    self.texts(&k("script"), &s.script.0)
                } else {
                    let key = k("script");
                    s.script.0.iter().map(|t| self.text(&key, t)).collect()
                };
                Block::Script {
                    intro: s.intro.as_deref().map(|t| self.text(&k("intro"), t)),
                    lines,
                }
            }
            raw::Block::Image(i) => self.image(at, i),
            raw::Block::Qr(q) => {
                let uri = self.qr_address(&k("qr"), &q.qr);
                Block::Qr {
                    uri: uri.unwrap_or_default(),
                    address: q.qr.trim().to_owned(),
                    caption: q.caption.as_deref().map(|t| self.text(&k("caption"), t)),
                }
            }
            raw::Block::Callout(c) => Block::Callout {
                title: c.title.as_deref().map(|t| self.text(&k("title"), t)),
                text: self.text(&k("callout"), &c.callout),
            },
            raw::Block::Prompt(p) => Block::Prompt {
                text: self.text(&k("prompt"), &p.prompt),
                tip: self.public(&p.prompt),
                lines: match p.lines {
                    Lines::Default => PromptLines::Count(DEFAULT_PROMPT_LINES),
                    Lines::Count(n) => PromptLines::Count(n),
                    Lines::Fill => PromptLines::Fill,
                },
            },
            raw::Block::Checklist(c) => Block::Checklist {
                items: self.texts(&k("checklist"), &c.checklist),
                tips: c.checklist.iter().map(|t| self.public(t)).collect(),
            },
            raw::Block::Scale(s) => {
                // Point at `to:` when it is written, else at `from:`.
                let bound = self
                    .spans
                    .key(&k("to"))
                    .or_else(|| self.spans.key(&k("from")))
                    .or_else(|| self.spans.key(&k("scale")));
                if s.to <= s.from {
                    self.err(
                        bound,
                        format!(
                            "scale runs from {} to {}; `to` must be larger",
                            s.from, s.to
                        ),
                        "for a 0–10 scale write `from: 0` and `to: 10`",
                    );
                } else if i64::from(s.to) - i64::from(s.from) >= i64::from(MAX_SCALE_POINTS) {
                    self.err(
                        bound,
                        format!(
                            "scale has {} points; at most {MAX_SCALE_POINTS} fit across a page",
                            i64::from(s.to) - i64::from(s.from) + 1
                        ),
                        "",
                    );
                } else if s.from < -SCALE_BOUND || s.to > SCALE_BOUND {
                    let at = if s.from < -SCALE_BOUND {
                        self.spans.value(&k("from"))
                    } else {
                        self.spans.value(&k("to"))
                    };
                    self.err(
                        at,
                        format!(
                            "scale numbers run from -{SCALE_BOUND} to {SCALE_BOUND}, found {} to {}",
                            s.from, s.to
                        ),
                        "each number is printed in its circle: keep them short",
                    );
                }
                Block::Scale(Scale {
                    label: self.text(&k("scale"), &s.scale),
                    tip: self.public(&s.scale),
                    from: s.from,
                    to: s.to,
                    low: s.low.as_deref().map(|t| self.text(&k("low"), t)),
                    high: s.high.as_deref().map(|t| self.text(&k("high"), t)),
                })
            }
            raw::Block::Table(t) => self.table(at, t),
            raw::Block::Partners(p) => {
                let roles = [cfg.roles.partner_a.clone(), cfg.roles.partner_b.clone()];
                // Role words; the partners' names replace them when known
                // (`Worksheet::named`).
                let labels = roles.clone().map(|r| Text::literal(&r, true));
                Block::Partners {
                    text: self.text(&k("partners"), &p.partners),
                    tip: self.public(&p.partners),
                    labels,
                    roles,
                    lines: p.lines.0.unwrap_or(DEFAULT_PARTNER_LINES),
                }
            }
            raw::Block::Signature(s) => {
                if s.signature.is_empty() || s.signature.len() > 4 {
                    self.err(
                        self.spans.key(&k("signature")),
                        format!(
                            "a signature row has 1 to 4 lines, found {}",
                            s.signature.len()
                        ),
                        "",
                    );
                }
                Block::Signature {
                    labels: self.texts(&k("signature"), &s.signature),
                    tips: s.signature.iter().map(|t| self.public(t)).collect(),
                }
            }
            raw::Block::Spacer(s) => Block::Spacer(s.spacer.0),
            raw::Block::Divider => Block::Divider,
            raw::Block::PageBreak => Block::PageBreak,
        }
    }

    fn table(&mut self, at: &str, t: &raw::Table) -> Block {
        let k = |key: &str| format!("{at}.{key}");
        let cols = t.table.len();
        if cols == 0 || cols > MAX_COLUMNS {
            self.err(
                self.spans.key(&k("table")),
                format!("a table has 1 to {MAX_COLUMNS} columns, found {cols}"),
                "list the column headings: `table: [Date, What happened]`",
            );
        }
        let widths_at = self.spans.key(&k("widths"));
        let widths = match &t.widths {
            Some(w) if w.len() != cols => {
                self.err(
                    widths_at,
                    format!("`widths` has {} numbers for {} columns", w.len(), cols),
                    "give one relative width per column, e.g. `widths: [1, 3]`",
                );
                vec![1.0; cols]
            }
            Some(w) if w.iter().any(|x| !x.is_finite() || *x <= 0.0) => {
                let bad = w.iter().position(|x| !x.is_finite() || *x <= 0.0);
                let at = bad
                    .and_then(|i| self.spans.value(&k(&format!("widths.{i}"))))
                    .or(widths_at);
                self.err(at, "every width must be a positive number".into(), "");
                vec![1.0; cols]
            }
            Some(w) if w.iter().any(|x| *x < w.iter().sum::<f32>() * MIN_COLUMN) => {
                let sum = w.iter().sum::<f32>();
                let bad = w.iter().position(|x| *x < sum * MIN_COLUMN);
                let at = bad
                    .and_then(|i| self.spans.value(&k(&format!("widths.{i}"))))
                    .or(widths_at);
                self.err(
                    at,
                    format!(
                        "a column this narrow cannot hold a word; each is at least 1/{} of the table",
                        (1.0 / MIN_COLUMN).round()
                    ),
                    "make the widths closer, e.g. `widths: [1, 3]`",
                );
                vec![1.0; cols]
            }
            Some(w) => w.clone(),
            None => vec![1.0; cols],
        };
        let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
        let mut rows = Vec::new();
        for (i, r) in t.rows.iter().enumerate() {
            let row_key = k(&format!("rows.{i}"));
            if r.len() > cols {
                self.err(
                    self.spans.value(&format!("{row_key}.{cols}")),
                    format!(
                        "row {} has {} cells but the table has {} columns",
                        i + 1,
                        r.len(),
                        cols
                    ),
                    "",
                );
            }
            let mut row: Vec<Text> = r
                .iter()
                .take(cols)
                .enumerate()
                .map(|(j, s)| self.text(&format!("{row_key}.{j}"), s))
                .collect();
            row.resize(cols, Text::default());
            rows.push(row);
        }
        let blank = t.blank_rows.0.unwrap_or(if t.rows.is_empty() {
            DEFAULT_TABLE_ROWS
        } else {
            0
        });
        if t.rows.len() + blank as usize > MAX_ROWS {
            let at = self
                .spans
                .key(&k("blank-rows"))
                .or_else(|| self.spans.key(&k("rows")));
            self.err(
                at,
                format!(
                    "this table has {} rows; the most is {MAX_ROWS}",
                    t.rows.len() + blank as usize
                ),
                "split it into several tables",
            );
            rows.clear();
        } else {
            for _ in 0..blank {
                rows.push(vec![Text::default(); cols]);
            }
        }
        let row_lines = t.row_lines.0.unwrap_or(1);
        if !(1..=MAX_ROW_LINES).contains(&row_lines) {
            self.err(
                self.spans.value(&k("row-lines")),
                format!("`row-lines` is {row_lines}; a row has 1 to {MAX_ROW_LINES} writing lines"),
                "for more room, use a `prompt` or `partners` block",
            );
        }
        Block::Table(Table {
            row_lines: row_lines.clamp(1, MAX_ROW_LINES),
            columns: t
                .table
                .iter()
                .enumerate()
                .map(|(j, c)| self.text(&k(&format!("table.{j}")), c))
                .collect(),
            tips: t.table.iter().map(|c| self.public(c)).collect(),
            widths: widths.iter().map(|w| w / total).collect(),
            rows,
        })
    }
}
