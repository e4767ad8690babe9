//! The creative linter: what a marketer must fix before an ad runs.
//!
//! It reads what the renderer drew (texts as filled, cut, wrapped; images
//! and where they came from) beside the feed rows of the products shown:
//! text cut by a platform limit or by its box, tokens empty for this person,
//! a missing image, price or link, and prices or availability written in the
//! template's text that disagree with the feed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::format::AdFormat;
use crate::images::ImageOrigin;
use crate::money::minor_digits;
use crate::picks::Product;
use crate::render::RenderedAd;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The ad would be rejected or would mislead: fix before running it.
    Error,
    /// The ad runs but looks worse than it should.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Finding {
    pub severity: Severity,
    /// truncated, empty_token, missing_image, image_not_local, missing_price,
    /// missing_link, missing_availability, price_mismatch,
    /// availability_mismatch, no_products, too_few_cards.
    pub code: String,
    /// Carousel card (0-based); 0 for single-image formats.
    pub card: u32,
    #[ts(optional)]
    pub field: Option<String>,
    pub message: String,
}

fn finding(
    severity: Severity,
    code: &str,
    card: u32,
    field: Option<&str>,
    message: String,
) -> Finding {
    Finding {
        severity,
        code: code.to_string(),
        card,
        field: field.map(str::to_string),
        message,
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "call_to_action" => "call to action",
        "business_name" => "business name",
        other => other,
    }
}

/// Amounts written next to a currency sign in `text`, in minor units of
/// `currency` ("$1,299", "1.299,00 €", "USD 49.99").
pub fn amounts_in(text: &str, currency: &str) -> Vec<i64> {
    let signs = ['$', '€', '£', '¥', '￥', '₹'];
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || ((chars[i] == ','
                    || chars[i] == '.'
                    || chars[i] == '\u{202f}'
                    || chars[i] == '\u{a0}')
                    && i + 1 < chars.len()
                    && chars[i + 1].is_ascii_digit()))
        {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let before: String = chars[start.saturating_sub(4)..start].iter().collect();
        let after: String = chars[i..(i + 5).min(chars.len())].iter().collect();
        let before = before.trim_end_matches([' ', '\u{a0}']);
        let after = after.trim_start_matches([' ', '\u{a0}']);
        let money = before.ends_with(signs)
            || before.ends_with(currency)
            || after.starts_with(signs)
            || after.starts_with(currency)
            || before.ends_with("US$")
            || after.starts_with("US$");
        if !money {
            continue;
        }
        // The last separator followed by exactly two (or the currency's)
        // digits is the decimal point; every other separator groups.
        let digits = minor_digits(currency) as usize;
        let cleaned: Vec<char> = number
            .chars()
            .filter(|c| *c != '\u{202f}' && *c != '\u{a0}')
            .collect();
        let last_sep = cleaned.iter().rposition(|c| *c == ',' || *c == '.');
        let (whole, fraction): (String, String) = match last_sep {
            Some(p) if digits > 0 && cleaned.len() - p - 1 == digits => (
                cleaned[..p].iter().filter(|c| c.is_ascii_digit()).collect(),
                cleaned[p + 1..].iter().collect(),
            ),
            _ => (
                cleaned.iter().filter(|c| c.is_ascii_digit()).collect(),
                String::new(),
            ),
        };
        let whole: i64 = whole.parse().unwrap_or(0);
        let fraction: i64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().unwrap_or(0)
        };
        out.push(whole * 10i64.pow(digits as u32) + fraction);
    }
    out
}

const IN_STOCK_WORDS: &[&str] = &["in stock", "available now", "ships today", "ready to ship"];
const OUT_OF_STOCK_WORDS: &[&str] = &["out of stock", "sold out"];

/// Findings for one rendered ad and the products it shows (in card order).
pub fn lint(ad: &RenderedAd, products: &[Product]) -> Vec<Finding> {
    let mut out = Vec::new();
    if products.is_empty() {
        out.push(finding(
            Severity::Error,
            "no_products",
            0,
            None,
            "no product to show: this person has no product behaviour and the workspace no best sellers".into(),
        ));
    }
    if ad.format == AdFormat::MetaCarousel && products.len() == 1 {
        out.push(finding(
            Severity::Warning,
            "too_few_cards",
            0,
            None,
            "a Meta carousel needs at least 2 cards; this person has 1 product to show".into(),
        ));
    }
    for t in &ad.texts {
        let label = field_label(&t.field);
        if let Some(limit) = t.over_limit {
            out.push(finding(
                Severity::Warning,
                "truncated",
                t.card,
                Some(&t.field),
                format!(
                    "{label} is {} characters, over the {limit} {} allows; cut to \"{}\"",
                    t.full.chars().count(),
                    ad.format.label(),
                    t.shown
                ),
            ));
        } else if t.cut_to_fit {
            out.push(finding(
                Severity::Warning,
                "truncated",
                t.card,
                Some(&t.field),
                format!(
                    "{label} does not fit at {}×{}; shown as \"{}\"",
                    ad.width, ad.height, t.shown
                ),
            ));
        }
        for token in &t.empty_tokens {
            out.push(finding(
                Severity::Warning,
                "empty_token",
                t.card,
                Some(&t.field),
                format!("{{{{{token}}}}} is empty for this person; add a fallback like {{{{{token} | there}}}}"),
            ));
        }
    }
    for (card, product) in products.iter().enumerate() {
        let card = card as u32;
        let name = &product.title;
        let image = ad.images.iter().find(|i| i.card == card);
        if product
            .image_link
            .as_deref()
            .is_none_or(|l| l.trim().is_empty())
        {
            out.push(finding(
                Severity::Error,
                "missing_image",
                card,
                None,
                format!("{name} has no image in the feed; a placeholder is shown"),
            ));
        } else if let Some(ImageOrigin::Placeholder { reason }) = image.map(|i| &i.origin) {
            out.push(finding(
                Severity::Warning,
                "image_not_local",
                card,
                None,
                format!("{name}: a placeholder is shown because {reason}"),
            ));
        }
        let price = match (
            product.price_minor,
            product.currency.as_deref().filter(|c| !c.trim().is_empty()),
        ) {
            (Some(p), Some(c)) => Some((p, c)),
            _ => {
                out.push(finding(
                    Severity::Error,
                    "missing_price",
                    card,
                    None,
                    format!("{name} has no price and currency in the feed"),
                ));
                None
            }
        };
        if product.link.as_deref().is_none_or(|l| l.trim().is_empty()) {
            out.push(finding(
                Severity::Error,
                "missing_link",
                card,
                None,
                format!("{name} has no landing page link in the feed"),
            ));
        }
        let availability = product.availability.as_deref();
        if availability.is_none() {
            out.push(finding(
                Severity::Warning,
                "missing_availability",
                card,
                None,
                format!("{name} has no availability in the feed"),
            ));
        }
        if availability == Some("out_of_stock") {
            out.push(finding(
                Severity::Error,
                "availability_mismatch",
                card,
                None,
                format!("{name} is out of stock in the feed and should not be advertised"),
            ));
        }
        for t in ad
            .texts
            .iter()
            .filter(|t| t.card == card && t.field != "price")
        {
            let lower = t.full.to_lowercase();
            let label = field_label(&t.field);
            if let Some((minor, currency)) = price {
                for amount in amounts_in(&t.full, currency) {
                    if amount != minor {
                        out.push(finding(
                            Severity::Error,
                            "price_mismatch",
                            card,
                            Some(&t.field),
                            format!(
                                "{label} says {}, but the feed price of {name} is {}",
                                crate::money::format_price(amount, currency, "en-US"),
                                crate::money::format_price(minor, currency, "en-US")
                            ),
                        ));
                    }
                }
            }
            let says_in = IN_STOCK_WORDS.iter().find(|w| lower.contains(*w));
            let says_out = OUT_OF_STOCK_WORDS.iter().find(|w| lower.contains(*w));
            match (availability, says_in, says_out) {
                (Some(a), Some(w), _) if a != "in_stock" => out.push(finding(
                    Severity::Error,
                    "availability_mismatch",
                    card,
                    Some(&t.field),
                    format!(
                        "{label} says \"{w}\", but the feed has {name} as {}",
                        a.replace('_', " ")
                    ),
                )),
                (Some("in_stock"), _, Some(w)) => out.push(finding(
                    Severity::Error,
                    "availability_mismatch",
                    card,
                    Some(&t.field),
                    format!("{label} says \"{w}\", but the feed has {name} in stock"),
                )),
                _ => {}
            }
        }
    }
    out.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.card.cmp(&b.card)));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::amounts_in;

    #[test]
    fn amounts_next_to_a_currency_are_read() {
        assert_eq!(amounts_in("Now $1,299.00!", "USD"), vec![129_900]);
        assert_eq!(amounts_in("Only $49", "USD"), vec![4_900]);
        assert_eq!(amounts_in("Nur 1.299,00 €", "EUR"), vec![129_900]);
        assert_eq!(amounts_in("1\u{202f}299,00\u{a0}$US", "USD"), vec![129_900]);
        assert_eq!(amounts_in("USD 19.99", "USD"), vec![1_999]);
        assert_eq!(
            amounts_in("30-day returns, 2 days", "USD"),
            Vec::<i64>::new()
        );
        assert_eq!(amounts_in("￥12,990", "JPY"), vec![12_990]);
    }
}
