//! Prices as a shopper reads them: integer minor units and an ISO 4217 code,
//! formatted for the person's locale (separators, symbol and its place).
//!
//! The patterns follow CLDR for the locales the workspace's people have
//! (English, German, French, Dutch, Spanish, Italian, Japanese, ...); a
//! locale we do not know is formatted as `en-US`. A currency symbol that
//! would be ambiguous in the locale is qualified (`US$` outside the US).
//! Deliberately not a full CLDR implementation: ads need one price pattern.

pub use rebound_core::money::minor_digits;

struct Pattern {
    decimal: char,
    group: char,
    /// Spanish does not group four-digit numbers (1299,00 but 12.999,00).
    min_grouping: usize,
    symbol_first: bool,
    space: bool,
}

fn pattern(language: &str) -> Pattern {
    match language {
        "de" | "it" | "es" | "pt" | "da" | "id" => Pattern {
            decimal: ',',
            group: '.',
            min_grouping: if language == "es" { 5 } else { 4 },
            symbol_first: false,
            space: true,
        },
        "nl" => Pattern {
            decimal: ',',
            group: '.',
            min_grouping: 4,
            symbol_first: true,
            space: true,
        },
        "fr" | "sv" | "nb" | "fi" | "pl" | "cs" => Pattern {
            decimal: ',',
            group: '\u{202f}',
            min_grouping: 4,
            symbol_first: false,
            space: true,
        },
        _ => Pattern {
            decimal: '.',
            group: ',',
            min_grouping: 4,
            symbol_first: true,
            space: false,
        },
    }
}

fn symbol(currency: &str, language: &str, region: &str) -> String {
    let home = match currency {
        "USD" => region == "US" || (language == "ja" && region == "JP"),
        "CAD" => region == "CA",
        "AUD" => region == "AU",
        _ => false,
    };
    match currency {
        "USD" if home => "$".into(),
        "USD" if language == "fr" => "$US".into(),
        "USD" => "US$".into(),
        "CAD" if home => "$".into(),
        "CAD" => "CA$".into(),
        "AUD" if home => "$".into(),
        "AUD" => "A$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "JPY" if language == "ja" => "￥".into(),
        "JPY" => "¥".into(),
        "INR" => "₹".into(),
        "CHF" => "CHF".into(),
        other => other.to_string(),
    }
}

/// `format_price(129_900, "USD", "en-US")` → `$1,299.00`;
/// `format_price(129_900, "EUR", "de-DE")` → `1.299,00 €`.
pub fn format_price(minor: i64, currency: &str, locale: &str) -> String {
    let currency = currency.trim().to_ascii_uppercase();
    let mut parts = locale.split(['-', '_']);
    let language = parts.next().unwrap_or("en").to_ascii_lowercase();
    let mut region = parts.next().unwrap_or("").to_ascii_uppercase();
    if region.is_empty() {
        region = match language.as_str() {
            "de" | "fr" | "es" | "it" | "nl" | "ja" => language.to_ascii_uppercase(),
            _ => "US".into(),
        };
    }
    let p = pattern(&language);
    let digits = minor_digits(&currency);
    let scale = 10i64.pow(digits);
    let whole = (minor / scale).unsigned_abs().to_string();
    let fraction = (minor % scale).unsigned_abs();

    let mut number = String::new();
    let group = whole.len() >= p.min_grouping;
    for (i, c) in whole.chars().enumerate() {
        if group && i > 0 && (whole.len() - i) % 3 == 0 {
            number.push(p.group);
        }
        number.push(c);
    }
    if digits > 0 {
        number.push(p.decimal);
        number.push_str(&format!("{fraction:0width$}", width = digits as usize));
    }
    let sign = if minor < 0 { "-" } else { "" };
    let sym = symbol(&currency, &language, &region);
    // A letter code or qualified symbol is always set apart from the number.
    let space = if p.space || sym.chars().any(|c| c.is_ascii_alphabetic()) && !sym.ends_with('$') {
        "\u{a0}"
    } else {
        ""
    };
    if p.symbol_first {
        format!("{sign}{sym}{space}{number}")
    } else {
        format!("{sign}{number}\u{a0}{sym}")
    }
}

#[cfg(test)]
mod tests {
    use super::format_price;

    fn check(minor: i64, currency: &str, locale: &str, expected: &str) {
        assert_eq!(
            format_price(minor, currency, locale).replace(['\u{a0}', '\u{202f}'], " "),
            expected,
            "{minor} {currency} {locale}"
        );
    }

    #[test]
    fn prices_follow_the_locale() {
        check(129_900, "USD", "en-US", "$1,299.00");
        check(4_900, "USD", "en-US", "$49.00");
        check(129_900, "USD", "en-GB", "US$1,299.00");
        check(129_900, "GBP", "en-GB", "£1,299.00");
        check(129_900, "USD", "en-CA", "US$1,299.00");
        check(129_900, "EUR", "de-DE", "1.299,00 €");
        check(129_900, "USD", "de-DE", "1.299,00 US$");
        check(129_900, "EUR", "fr-FR", "1 299,00 €");
        check(129_900, "USD", "fr-FR", "1 299,00 $US");
        check(129_900, "EUR", "nl-NL", "€ 1.299,00");
        check(129_900, "EUR", "es-ES", "1299,00 €");
        check(1_299_900, "EUR", "es-ES", "12.999,00 €");
        check(12_990, "JPY", "ja-JP", "￥12,990");
        check(129_900, "USD", "ja-JP", "$1,299.00");
        check(1_499, "CHF", "en-US", "CHF 14.99");
        check(899_500, "USD", "xx", "$8,995.00");
    }
}
