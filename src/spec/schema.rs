//! JSON Schema for worksheet and packet specs, for editors.
//!
//! Generated from the same types the parser uses (schemars reads their serde
//! attributes and doc comments), so the schema and the parser cannot drift.
//! Types with hand-written `Deserialize` get hand-written schemas here, next
//! to each other, so both are changed together.

use super::blocks::{self, Count, Entry, Lines, OneOrMany, Only, BARE_TYPES, BLOCK_TYPES, SCHEMAS};
use super::packet::{PacketSpec, WorksheetOptions, WorksheetRef};
use super::units::Length;
use super::worksheet::WorksheetSpec;
use schemars::gen::{SchemaGenerator, SchemaSettings};
use schemars::schema::{InstanceType, Metadata, Schema, SchemaObject, SubschemaValidation};
use schemars::JsonSchema;
use serde_json::json;

/// The schema as pretty JSON: a worksheet spec or a packet spec.
pub fn json() -> String {
    let mut gen = SchemaSettings::draft07().into_generator();
    let worksheet = gen.subschema_for::<WorksheetSpec>();
    let packet = gen.subschema_for::<PacketSpec>();
    let mut root = SchemaObject {
        metadata: Some(Box::new(Metadata {
            id: Some("https://handouts.invalid/schema/handouts.schema.json".into()),
            title: Some("handouts worksheet or packet spec".into()),
            description: Some(
                "A worksheet (title + blocks) or a session packet (title + cover + sections). \
                 See docs/spec.md."
                    .into(),
            ),
            ..Default::default()
        })),
        subschemas: Some(Box::new(SubschemaValidation {
            one_of: Some(vec![worksheet, packet]),
            ..Default::default()
        })),
        ..Default::default()
    };
    root.extensions.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    let mut value = serde_json::to_value(Schema::Object(root)).expect("a schema is JSON");
    value["definitions"] = serde_json::to_value(gen.definitions()).expect("definitions are JSON");
    let mut out = serde_json::to_string_pretty(&value).expect("a schema is JSON");
    out.push('\n');
    out
}

fn described(mut s: SchemaObject, text: &str) -> Schema {
    s.metadata().description = Some(text.into());
    Schema::Object(s)
}

fn any_of(items: Vec<Schema>, text: &str) -> Schema {
    described(
        SchemaObject {
            subschemas: Some(Box::new(SubschemaValidation {
                any_of: Some(items),
                ..Default::default()
            })),
            ..Default::default()
        },
        text,
    )
}

fn string() -> Schema {
    Schema::Object(SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        ..Default::default()
    })
}

fn whole(max: u32) -> Schema {
    let mut s = SchemaObject {
        instance_type: Some(InstanceType::Integer.into()),
        ..Default::default()
    };
    s.number().minimum = Some(0.0);
    s.number().maximum = Some(f64::from(max));
    Schema::Object(s)
}

fn one_value(v: &str) -> Schema {
    Schema::Object(SchemaObject {
        enum_values: Some(vec![json!(v)]),
        ..Default::default()
    })
}

impl JsonSchema for OneOrMany {
    fn schema_name() -> String {
        "OneOrMany".into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        any_of(
            vec![string(), gen.subschema_for::<Vec<String>>()],
            "A sentence, or a list of sentences.",
        )
    }
}

impl JsonSchema for Count {
    fn schema_name() -> String {
        "Count".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let Schema::Object(s) = whole(blocks::MAX_COUNT) else {
            unreachable!()
        };
        described(s, "A whole number.")
    }
}

impl JsonSchema for Lines {
    fn schema_name() -> String {
        "Lines".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        any_of(
            vec![whole(blocks::MAX_COUNT), one_value("fill")],
            "How many writing lines, or `fill` for the rest of the page.",
        )
    }
}

impl JsonSchema for Length {
    fn schema_name() -> String {
        "Length".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut pattern = SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            ..Default::default()
        };
        pattern.string().pattern = Some(r"^\s*[0-9.]+\s*(pt|mm|cm|in)?\s*$".into());
        let mut number = SchemaObject {
            instance_type: Some(InstanceType::Number.into()),
            ..Default::default()
        };
        number.number().minimum = Some(0.0);
        any_of(
            vec![Schema::Object(pattern), Schema::Object(number)],
            "A length: `12pt`, `10mm`, `1cm`, `0.5in`, or a number of points.",
        )
    }
}

impl JsonSchema for Entry {
    fn schema_name() -> String {
        "Block".into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let bare = Schema::Object(SchemaObject {
            enum_values: Some(BARE_TYPES.iter().map(|b| json!(b)).collect()),
            ..Default::default()
        });
        let mut all = vec![bare];
        // Each content block's own keys, and `only` beside them.
        for schema in SCHEMAS {
            let mut s = schema(gen).into_object();
            s.object()
                .properties
                .insert("only".into(), gen.subschema_for::<Option<Only>>());
            all.push(Schema::Object(s));
        }
        let mut s = SchemaObject {
            subschemas: Some(Box::new(SubschemaValidation {
                one_of: Some(all),
                ..Default::default()
            })),
            ..Default::default()
        };
        s.metadata().description = Some(format!(
            "A block: a mapping whose first key is its type ({}), or a bare {}.",
            BLOCK_TYPES.join(", "),
            BARE_TYPES
                .iter()
                .map(|b| format!("`{b}`"))
                .collect::<Vec<_>>()
                .join(" / ")
        ));
        Schema::Object(s)
    }
}

impl JsonSchema for WorksheetRef {
    fn schema_name() -> String {
        "WorksheetEntry".into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        any_of(
            vec![string(), gen.subschema_for::<WorksheetOptions>()],
            "A worksheet path relative to the packet file, or `worksheet: path` with options.",
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_names_every_block_type() {
        let s = super::json();
        for b in super::BLOCK_TYPES {
            assert!(
                s.contains(&format!("\"{b}\"")),
                "{b} missing from the schema"
            );
        }
    }
}
