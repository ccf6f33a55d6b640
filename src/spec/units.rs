//! Lengths as a clinician writes them (`12pt`, `1cm`, `10mm`, `0.5in`),
//! converted once, at the edge, to PDF points.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// A length in PDF points (1/72 in).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Length(pub f32);

/// Longest length a spec may ask for: a little over a page.
const MAX_PT: f32 = 1000.0;

impl Length {
    pub fn parse(s: &str) -> Result<Length, String> {
        let s = s.trim();
        let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let value: f32 = num
            .trim()
            .parse()
            .map_err(|_| format!("expected a length such as `12pt` or `1cm`, found `{s}`"))?;
        let factor = match unit.trim() {
            "" | "pt" => 1.0,
            "mm" => 72.0 / 25.4,
            "cm" => 72.0 / 2.54,
            "in" => 72.0,
            other => {
                return Err(format!(
                    "unknown unit `{other}` in `{s}`; use pt, mm, cm or in"
                ))
            }
        };
        let pt = value * factor;
        if !(0.0..=MAX_PT).contains(&pt) || !pt.is_finite() {
            return Err(format!("`{s}` is out of range (0 to {MAX_PT}pt)"));
        }
        Ok(Length(pt))
    }
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Length;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a length such as `12pt`, `1cm` or `0.5in`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Length, E> {
                Length::parse(v).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Length, E> {
                Length::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Length, E> {
                Length::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Length, E> {
                Length::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::Length;

    #[test]
    fn units_convert_to_points() {
        assert_eq!(Length::parse("12pt").unwrap().0, 12.0);
        assert_eq!(Length::parse("0.5in").unwrap().0, 36.0);
        assert!((Length::parse("1cm").unwrap().0 - 28.346).abs() < 0.01);
        assert!(Length::parse("3 furlongs").is_err());
        assert!(Length::parse("-2pt").is_err());
    }
}
