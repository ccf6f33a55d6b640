//! The block vocabulary of a worksheet spec, exactly as written in YAML.
//!
//! A block is a mapping whose **first key names its type** and holds its main
//! content; the other keys are that block's options:
//!
//! ```yaml
//! - prompt: In your own words, what happened?
//!   lines: 6
//! ```
//!
//! Blocks with no content are bare words (`- divider`, `- page-break`). Each
//! block type is a strict serde struct (unknown keys are errors); the first
//! key is handed back to it so the derive sees the whole mapping.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// The block vocabulary, written once: each type's name, its variant and
/// the struct it is read into. The `Block` enum, [`BLOCK_TYPES`], reading a
/// block by its first key and the JSON Schema's list are all made from it,
/// so a new block type is added here and nowhere else in the spec layer.
macro_rules! vocabulary {
    (
        content: $($name:literal => $variant:ident($ty:ident),)*
        bare: $($bare:literal => $bvariant:ident,)*
    ) => {
        #[derive(Debug, Clone, PartialEq)]
        pub enum Block {
            $($variant($ty),)*
            $($bvariant,)*
        }

        /// Every block type, in the order `docs/spec.md` documents them.
        pub const BLOCK_TYPES: &[&str] = &[$($name,)* $($bare,)*];

        /// The types written as a bare word (`- divider`).
        pub const BARE_TYPES: &[&str] = &[$($bare,)*];

        /// Each content block type's schema (without `only`), in order.
        pub(crate) const SCHEMAS: &[fn(&mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema] =
            &[$(<$ty as schemars::JsonSchema>::json_schema,)*];

        /// The bare block named `kind`.
        fn bare(kind: &str) -> Option<Block> {
            match kind {
                $($bare => Some(Block::$bvariant),)*
                _ => None,
            }
        }

        /// Reads the block whose first key is `kind`; `None` for a name
        /// that is not a content block.
        fn read<'de, D: Deserializer<'de>>(kind: &str, de: D) -> Result<Option<Block>, D::Error> {
            Ok(Some(match kind {
                $($name => Block::$variant(Deserialize::deserialize(de)?),)*
                _ => return Ok(None),
            }))
        }
    };
}

vocabulary! {
    content:
        "heading" => Heading(Heading),
        "paragraph" => Paragraph(Paragraph),
        "bullets" => Bullets(Bullets),
        "numbered" => Numbered(Numbered),
        "script" => Script(Script),
        "callout" => Callout(Callout),
        "prompt" => Prompt(Prompt),
        "checklist" => Checklist(Checklist),
        "scale" => Scale(Scale),
        "table" => Table(Table),
        "partners" => Partners(Partners),
        "signature" => Signature(Signature),
        "image" => Image(Image),
        "qr" => Qr(Qr),
        "spacer" => Spacer(Spacer),
    bare:
        "divider" => Divider,
        "page-break" => PageBreak,
}

/// A block and who it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub block: Block,
    /// `only: facilitator`: left out of client editions.
    pub only: Option<Only>,
}

/// Which edition alone shows a block or worksheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Only {
    Facilitator,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Heading {
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Paragraph {
    pub paragraph: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Bullets {
    pub bullets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Numbered {
    pub numbered: Vec<String>,
}

/// Example statements to say aloud, set apart from instructions.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Script {
    pub script: OneOrMany,
    /// A short lead-in such as "You might say:".
    pub intro: Option<String>,
}

/// A picture: a PNG, JPEG or SVG file, relative to the spec.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Image {
    pub image: String,
    /// What the picture shows, for screen readers. Required unless
    /// `decorative: true`.
    pub alt: Option<String>,
    /// A picture that adds nothing to the text (a border, an ornament):
    /// screen readers skip it.
    #[serde(default)]
    pub decorative: bool,
    /// A length (`6cm`) or a share of the text width (`50%`); by default
    /// the picture's size at 150 dpi, never wider than the text.
    pub width: Option<String>,
    /// A line under the picture.
    pub caption: Option<String>,
}

/// A QR code for a web address (guided audio, a booking page, crisis
/// resources), with the address printed under it.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Qr {
    /// A web address (`https://…`, `www.…`, `example.org/…`), an email
    /// address, or a `tel:` number. No placeholders.
    pub qr: String,
    /// A line under the address ("Scan for a guided breathing exercise").
    pub caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Callout {
    pub callout: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Prompt {
    pub prompt: String,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Checklist {
    pub checklist: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scale {
    pub scale: String,
    #[serde(default)]
    pub from: i32,
    #[serde(default = "ten")]
    pub to: i32,
    pub low: Option<String>,
    pub high: Option<String>,
}

fn ten() -> i32 {
    10
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Table {
    /// Column headings.
    pub table: Vec<String>,
    /// Relative column widths, one per column (`[1, 2, 2]`).
    pub widths: Option<Vec<f32>>,
    /// Pre-filled rows; an empty string leaves a cell to write in.
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
    /// Empty rows after the pre-filled ones.
    #[serde(default)]
    pub blank_rows: Count,
    /// Writing lines per row (1 to 10, default 1): room to write by hand,
    /// as in a log kept over a week or two.
    #[serde(default)]
    pub row_lines: Count,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Partners {
    pub partners: String,
    #[serde(default)]
    pub lines: Count,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Signature {
    /// One label per line, e.g. `[Partner, Partner, Date]`.
    pub signature: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spacer {
    pub spacer: super::units::Length,
}

/// A single string or a list of strings.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sentence or a list of sentences")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Upper bound on any count, so a typo cannot ask for a million lines.
pub const MAX_COUNT: u32 = 200;

/// A whole number of lines or rows, 0..=MAX_COUNT.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Count(pub Option<u32>);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountVisitor { allow_fill: false })
            .map(|l| match l {
                Lines::Count(n) => Count(Some(n)),
                _ => Count(None),
            })
    }
}

/// How many writing lines a prompt gets.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Lines {
    /// The default for the block type.
    #[default]
    Default,
    Count(u32),
    /// Fill the rest of the page.
    Fill,
}

impl<'de> Deserialize<'de> for Lines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountVisitor { allow_fill: true })
    }
}

struct CountVisitor {
    allow_fill: bool,
}

impl<'de> Visitor<'de> for CountVisitor {
    type Value = Lines;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.allow_fill {
            f.write_str("a whole number of lines, or `fill`")
        } else {
            f.write_str("a whole number")
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Lines, E> {
        if v < 0 {
            return Err(E::custom(format!(
                "expected a whole number of 0 or more, found {v}"
            )));
        }
        self.visit_u64(v as u64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Lines, E> {
        if v > MAX_COUNT as u64 {
            return Err(E::custom(format!(
                "{v} is too many; the most a block can have is {MAX_COUNT}"
            )));
        }
        Ok(Lines::Count(v as u32))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Lines, E> {
        Err(E::custom(format!("expected a whole number, found {v}")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Lines, E> {
        if self.allow_fill && v == "fill" {
            Ok(Lines::Fill)
        } else if self.allow_fill {
            Err(E::custom(format!(
                "expected a whole number of lines or `fill`, found `{v}`"
            )))
        } else {
            Err(E::custom(format!("expected a whole number, found `{v}`")))
        }
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BlockVisitor)
    }
}

struct BlockVisitor;

impl<'de> Visitor<'de> for BlockVisitor {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a block such as `heading: …`, `prompt: …` or `divider`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Entry, E> {
        match bare(v) {
            Some(block) => Ok(Entry { block, only: None }),
            None => Err(E::custom(unknown_block(v))),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let Some(kind) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "empty block; start it with its type, e.g. `- paragraph: …`",
            ));
        };
        let mut only = None;
        let de = de::value::MapAccessDeserializer::new(WithFirstKey {
            key: Some(kind.clone()),
            map,
            only: &mut only,
        });
        if bare(&kind).is_some() {
            return Err(de::Error::custom(format!(
                "`{kind}` takes no options; write it as a bare `- {kind}`"
            )));
        }
        match read(&kind, de)? {
            Some(block) => Ok(Entry { block, only }),
            None => Err(de::Error::custom(unknown_block(&kind))),
        }
    }
}

fn unknown_block(name: &str) -> String {
    let mut msg = format!("unknown block `{name}`");
    if let Some(best) = crate::diag::did_you_mean(name, BLOCK_TYPES) {
        msg.push_str(&format!("; did you mean `{best}`?"));
    } else {
        msg.push_str(&format!(
            "; a block starts with its type, one of: {}",
            BLOCK_TYPES.join(", ")
        ));
    }
    msg
}

/// Replays the already-read type key, then reads the rest of the mapping,
/// taking out `only`, which every block type accepts.
struct WithFirstKey<'a, A> {
    key: Option<String>,
    map: A,
    only: &'a mut Option<Only>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithFirstKey<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some(k) = self.key.take() {
            return seed.deserialize(k.into_deserializer()).map(Some);
        }
        // The key is read inside serde_yaml's own key deserializer, so an
        // unknown-option error points at the key itself.
        let mut seed = Some(seed);
        loop {
            match self.map.next_key_seed(KeySeed(&mut seed))? {
                None => return Ok(None),
                Some(Some(key)) => return Ok(Some(key)),
                Some(None) => *self.only = Some(self.map.next_value()?),
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Reads one key: `only` yields `None`; any other key goes to the seed.
struct KeySeed<'a, K>(&'a mut Option<K>);

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, K> {
    type Value = Option<K::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for KeySeed<'_, K> {
    type Value = Option<K::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the name of a block option")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v == "only" {
            return Ok(None);
        }
        let seed = self.0.take().expect("a key seed is used once");
        seed.deserialize(v.into_deserializer()).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Vec<Block>, serde_yaml::Error> {
        serde_yaml::from_str::<Vec<Entry>>(yaml).map(|v| v.into_iter().map(|e| e.block).collect())
    }

    #[test]
    fn any_block_can_be_for_the_facilitator_only() {
        let e: Vec<Entry> = serde_yaml::from_str(
            "- callout: Watch for shame.\n  only: facilitator\n  title: Note\n",
        )
        .unwrap();
        assert_eq!(e[0].only, Some(Only::Facilitator));
        assert!(matches!(&e[0].block, Block::Callout(c) if c.title.as_deref() == Some("Note")));
        let err =
            serde_yaml::from_str::<Vec<Entry>>("- paragraph: x\n  only: everyone\n").unwrap_err();
        assert!(
            err.to_string().contains("unknown variant `everyone`"),
            "{err}"
        );
    }

    #[test]
    fn first_key_names_the_block_and_the_rest_are_options() {
        let b = parse("- prompt: What happened?\n  lines: 6\n- divider\n").unwrap();
        assert_eq!(
            b[0],
            Block::Prompt(Prompt {
                prompt: "What happened?".into(),
                lines: Lines::Count(6)
            })
        );
        assert_eq!(b[1], Block::Divider);
    }

    #[test]
    fn unknown_block_suggests_the_nearest_type() {
        let e = parse("- chekclist: [a]\n").unwrap_err().to_string();
        assert!(
            e.contains("unknown block `chekclist`; did you mean `checklist`?"),
            "{e}"
        );
    }

    #[test]
    fn unknown_option_is_an_error_with_location() {
        let e = parse("- prompt: x\n  lins: 3\n").unwrap_err();
        assert!(e.to_string().contains("unknown field `lins`"), "{e}");
        assert!(e.location().is_some());
    }

    #[test]
    fn negative_and_absurd_counts_are_rejected() {
        let e = parse("- prompt: x\n  lines: -3\n").unwrap_err().to_string();
        assert!(e.contains("found -3"), "{e}");
        let e = parse("- prompt: x\n  lines: 100000\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("too many"), "{e}");
        assert_eq!(
            parse("- prompt: x\n  lines: fill\n").unwrap()[0],
            Block::Prompt(Prompt {
                prompt: "x".into(),
                lines: Lines::Fill
            })
        );
    }
}
