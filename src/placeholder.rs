//! `{{name}}` placeholders: their syntax, and filling them in.
//!
//! Shared by the spec layer (packet file-name patterns, cover lines) and
//! validation, so neither reaches into the other for it.

/// Placeholder values (`{{name}}` → value).
pub type Vars = std::collections::BTreeMap<String, String>;

/// A malformed placeholder: where it starts (byte offset) and what is wrong.
#[derive(Debug, PartialEq)]
pub struct BadPlaceholder {
    pub at: usize,
    pub message: String,
    pub hint: &'static str,
}

/// Checks every `{{…}}` in `s`: closed, not empty, not nested, a name of
/// letters, digits, `_` and `-`.
pub fn check_placeholders(s: &str) -> Result<(), BadPlaceholder> {
    let mut from = 0;
    while let Some(open) = s[from..].find("{{").map(|i| i + from) {
        let bad = |message: String, hint| BadPlaceholder {
            at: open,
            message,
            hint,
        };
        let inner_start = open + 2;
        let Some(close) = s[inner_start..].find("}}").map(|i| i + inner_start) else {
            return Err(bad(
                "`{{` opens a placeholder that is not closed with `}}`".into(),
                "write a placeholder as `{{partner_a}}`",
            ));
        };
        let name = &s[inner_start..close];
        if name.contains(['{', '}']) {
            return Err(bad(
                "placeholders cannot be nested or hold braces".into(),
                "write a placeholder as `{{partner_a}}`",
            ));
        }
        let name = name.trim();
        if name.is_empty() {
            return Err(bad(
                "`{{}}` is an empty placeholder".into(),
                "put a name between the braces, e.g. `{{partner_a}}`",
            ));
        }
        if !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return Err(bad(
                "a placeholder name is letters, digits, `_` and `-`".into(),
                "e.g. `{{partner_a}}` or `{{session_date}}`",
            ));
        }
        from = close + 2;
    }
    Ok(())
}

/// A piece of text around placeholders.
#[derive(Debug, PartialEq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// `{{ name }}`: the trimmed name and the placeholder as written.
    Placeholder {
        name: &'a str,
        whole: &'a str,
    },
}

/// `s` cut into text and placeholders; an unclosed `{{` is text.
pub fn pieces(s: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some((open, close)) = rest
            .find("{{")
            .and_then(|o| rest[o + 2..].find("}}").map(|c| (o, o + 2 + c)))
        else {
            return Some(Piece::Text(std::mem::take(&mut rest)));
        };
        if open > 0 {
            let (text, tail) = rest.split_at(open);
            rest = tail;
            return Some(Piece::Text(text));
        }
        let (whole, tail) = rest.split_at(close + 2);
        rest = tail;
        Some(Piece::Placeholder {
            name: whole[2..whole.len() - 2].trim(),
            whole,
        })
    })
}

/// Fills `{{name}}` placeholders from `vars`. Undefined names are returned;
/// in their place goes `blank` if given (a line to write on), else the
/// placeholder as written.
pub fn substitute(s: &str, vars: &Vars, blank: Option<&str>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(s.len());
    let mut missing: Vec<String> = Vec::new();
    for piece in pieces(s) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Placeholder { name, whole } => match vars.get(name) {
                Some(v) => out.push_str(v),
                None => {
                    if !missing.iter().any(|m| m == name) {
                        missing.push(name.to_owned());
                    }
                    out.push_str(blank.unwrap_or(whole));
                }
            },
        }
    }
    (out, missing)
}

/// Every placeholder name used in `s`.
pub fn placeholders(s: &str) -> Vec<String> {
    substitute(s, &Vars::new(), None).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_in_or_are_reported() {
        let vars: Vars = [("partner_a".to_owned(), "Zoë".to_owned())].into();
        let (s, missing) = substitute("For {{ partner_a }} and {{partner_b}}.", &vars, None);
        assert_eq!(s, "For Zoë and {{partner_b}}.");
        assert_eq!(missing, ["partner_b"]);
        let (s, _) = substitute("{{x}} and {{y", &vars, Some("____"));
        assert_eq!(s, "____ and {{y");
    }

    #[test]
    fn malformed_placeholders_are_found_where_they_start() {
        for (s, at, what) in [
            ("Dear {{partner_a", 5, "not closed"),
            ("a {{}} b", 2, "empty"),
            ("{{ }}", 0, "empty"),
            ("x {{a {{b}} }}", 2, "nested"),
            ("{{{x}}}", 0, "nested"),
            ("ok {{a}} then {{b c}}", 14, "letters"),
        ] {
            let e = check_placeholders(s).unwrap_err();
            assert_eq!(e.at, at, "{s}");
            assert!(e.message.contains(what), "{s}: {}", e.message);
        }
        assert!(check_placeholders("{{partner_a}} and {{ session-date }} }} {").is_ok());
    }
}
