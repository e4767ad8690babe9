//! Tokens in headlines, descriptions and calls to action:
//! `{{product.title}}`, `{{product.price}}` (formatted in the product's
//! currency and the person's locale), `{{person.first_name | there}}` (after
//! `|`, the fallback used when the value is empty). An empty fallback,
//! `{{person.first_name | }}`, drops the comma before it too, so "Still
//! thinking it over, {{person.first_name | }}?" reads "Still thinking it
//! over?" for someone without a name. A value that starts a sentence starts
//! with a capital when the file wrote it all in lower case ("panasonic iron").
//!
//! Plain substitution, deliberately: the result is plain text that the
//! renderer escapes, so a product title can never become markup. Parsing
//! errors name the column of the token.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A token the editor offers, with what it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TokenHelp {
    pub token: String,
    pub meaning: String,
    pub example: String,
}

pub const TOKENS: &[(&str, &str, &str)] = &[
    (
        "product.title",
        "the product's title from the feed",
        "Kestrel K7 Full-Frame Mirrorless Camera",
    ),
    ("product.brand", "the product's brand", "Kestrel"),
    ("product.category", "the product's category", "Cameras"),
    (
        "product.price",
        "the feed price in its currency, formatted for the person's locale",
        "$2,499.00",
    ),
    (
        "person.first_name",
        "the person's first name; add a fallback ({{person.first_name | there}}), or leave it empty to drop the comma before it ({{person.first_name | }})",
        "Maya",
    ),
    (
        "business.name",
        "the template's business name",
        "Aperture & Co.",
    ),
];

pub fn token_help() -> Vec<TokenHelp> {
    TOKENS
        .iter()
        .map(|(t, m, e)| TokenHelp {
            token: format!("{{{{{t}}}}}"),
            meaning: (*m).to_string(),
            example: (*e).to_string(),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Token {
        name: String,
        fallback: Option<String>,
    },
}

/// A parse error: 1-based character column and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub column: usize,
    pub reason: String,
}

pub fn parse(text: &str) -> Result<Vec<Piece>, TokenError> {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut offset = 0usize; // characters consumed so far
    while let Some(start) = rest.find("{{") {
        let before = &rest[..start];
        if !before.is_empty() {
            pieces.push(Piece::Text(before.to_string()));
        }
        let column = offset + before.chars().count() + 1;
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| TokenError {
            column,
            reason: "'{{' is not closed by '}}'".into(),
        })?;
        let inner = &after[..end];
        let (name, fallback) = match inner.split_once('|') {
            Some((n, f)) => {
                let f = f.trim().trim_matches('"').trim_matches('\'');
                (n.trim(), Some(f.to_string()))
            }
            None => (inner.trim(), None),
        };
        if !TOKENS.iter().any(|(t, _, _)| *t == name) {
            let known: Vec<String> = TOKENS
                .iter()
                .map(|(t, _, _)| format!("{{{{{t}}}}}"))
                .collect();
            return Err(TokenError {
                column,
                reason: format!(
                    "unknown token {{{{{name}}}}}; known tokens: {}",
                    known.join(", ")
                ),
            });
        }
        pieces.push(Piece::Token {
            name: name.to_string(),
            fallback,
        });
        let consumed = &rest[..start + 2 + end + 2];
        offset += consumed.chars().count();
        rest = &rest[start + 2 + end + 2..];
    }
    if let Some(stray) = rest.find("}}") {
        return Err(TokenError {
            column: offset + rest[..stray].chars().count() + 1,
            reason: "'}}' without an opening '{{'".into(),
        });
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_string()));
    }
    Ok(pieces)
}

/// Values for one person and product.
pub trait Values {
    fn value(&self, token: &str) -> Option<String>;
}

/// The substituted text, and the tokens that were empty with no fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    pub empty_tokens: Vec<String>,
}

pub fn fill(pieces: &[Piece], values: &dyn Values) -> Filled {
    let mut text = String::new();
    let mut empty_tokens = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Token { name, fallback } => {
                match values.value(name).filter(|v| !v.trim().is_empty()) {
                    Some(v) => push_value(&mut text, v.trim()),
                    None => match fallback.as_deref() {
                        Some("") => drop_separator(&mut text),
                        Some(f) => push_value(&mut text, f),
                        None => empty_tokens.push(name.clone()),
                    },
                }
            }
        }
    }
    // An empty token leaves doubled or dangling spaces and punctuation
    // behind ("Still thinking it over, ?"): tidy the spaces at least.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Filled { text, empty_tokens }
}

/// Appends a token's value, with a capital first letter when it starts a
/// sentence and its first word is all lower case (a brand written "iPhone"
/// stays so).
fn push_value(text: &mut String, value: &str) {
    let before = text.trim_end();
    let starts_sentence = before.is_empty() || before.ends_with(['.', '!', '?', ':']);
    let first_word = value.split_whitespace().next().unwrap_or("");
    let lower = first_word.chars().all(|c| !c.is_uppercase());
    let mut chars = value.chars();
    match chars.next() {
        Some(first) if starts_sentence && lower && first.is_lowercase() => {
            text.extend(first.to_uppercase());
            text.push_str(chars.as_str());
        }
        _ => text.push_str(value),
    }
}

/// An empty value with an empty fallback takes the comma and spaces before it.
fn drop_separator(text: &mut String) {
    let kept = text.trim_end().trim_end_matches(',').trim_end().len();
    text.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl Values for Map {
        fn value(&self, token: &str) -> Option<String> {
            self.0.get(token).map(|s| s.to_string())
        }
    }

    #[test]
    fn tokens_are_substituted_with_fallbacks() {
        let pieces =
            parse("Still thinking, {{ person.first_name | there }}? {{product.title}}").unwrap();
        let named = Map(HashMap::from([
            ("person.first_name", "Maya"),
            ("product.title", "Kestrel K7"),
        ]));
        assert_eq!(
            fill(&pieces, &named).text,
            "Still thinking, Maya? Kestrel K7"
        );
        let unnamed = Map(HashMap::from([
            ("person.first_name", " "),
            ("product.title", "Kestrel K7"),
        ]));
        assert_eq!(
            fill(&pieces, &unnamed).text,
            "Still thinking, there? Kestrel K7"
        );
        // An empty fallback drops the comma with the missing name.
        let dropping = parse("Still thinking it over, {{person.first_name | }}?").unwrap();
        assert_eq!(fill(&dropping, &unnamed).text, "Still thinking it over?");
        assert_eq!(
            fill(&dropping, &named).text,
            "Still thinking it over, Maya?"
        );
        let no_fallback = parse("Hi {{person.first_name}}").unwrap();
        let filled = fill(&no_fallback, &unnamed);
        assert_eq!(filled.text, "Hi");
        assert_eq!(filled.empty_tokens, vec!["person.first_name".to_string()]);
    }

    #[test]
    fn a_lower_case_value_that_starts_a_sentence_starts_with_a_capital() {
        let pieces =
            parse("{{product.title}} is waiting. {{product.brand}} and {{product.title}}").unwrap();
        let lower = Map(HashMap::from([
            ("product.title", "panasonic iron"),
            ("product.brand", "iPhone"),
        ]));
        assert_eq!(
            fill(&pieces, &lower).text,
            "Panasonic iron is waiting. iPhone and panasonic iron"
        );
    }

    #[test]
    fn bad_tokens_name_their_column() {
        let err = parse("Buy {{product.name}} now").unwrap_err();
        assert_eq!(err.column, 5);
        assert!(
            err.reason.contains("unknown token {{product.name}}"),
            "{}",
            err.reason
        );
        let err = parse("Ünïcode {{product.title").unwrap_err();
        assert_eq!(err.column, 9);
        assert!(err.reason.contains("not closed"));
        assert_eq!(parse("a }} b").unwrap_err().column, 3);
    }

    #[test]
    fn substituted_markup_stays_text() {
        // The filled text is plain text: markup in a value is not interpreted here,
        // and the renderer escapes it (see render.rs tests).
        let pieces = parse("{{product.title}}").unwrap();
        let evil = Map(HashMap::from([(
            "product.title",
            "<script>alert(1)</script>",
        )]));
        assert_eq!(fill(&pieces, &evil).text, "<script>alert(1)</script>");
    }
}
