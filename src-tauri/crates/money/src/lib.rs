//! Money, once. Amounts are integer minor units beside an ISO 4217 code; the
//! number of minor digits per currency comes from the ISO 4217 table (the
//! `iso_currency` crate: 2 for USD and HUF, 0 for JPY and KRW, 3 for KWD), and
//! every conversion between minor and major units (parsing an export, a chart
//! axis, a statistic, a line of text) goes through here. Nothing else divides
//! by 100, and two currencies are never added: callers keep one block per
//! currency.

use iso_currency::Currency;

/// Digits after the decimal point of a currency's minor unit, from ISO 4217:
/// 2 for most, 0 for JPY or KRW, 3 for KWD or BHD. A code ISO lists without a
/// minor unit (gold, SDR) has 0; a code it does not list is taken as 2, the
/// common case, so an unknown code never loses cents.
pub fn minor_digits(currency: &str) -> u32 {
    let code = currency.trim().to_ascii_uppercase();
    match Currency::from_code(&code) {
        Some(c) => c.exponent().map_or(0, u32::from),
        None => 2,
    }
}

fn scale(currency: &str) -> f64 {
    10f64.powi(minor_digits(currency) as i32)
}

/// Minor units as a major-unit number: `to_major(19_942_115, "USD")` is
/// 199421.15, `to_major(1_050, "JPY")` is 1050.
pub fn to_major(minor: i64, currency: &str) -> f64 {
    minor as f64 / scale(currency)
}

/// A fractional amount of minor units (a CPC, an average) in major units.
pub fn minor_f64_to_major(minor: f64, currency: &str) -> f64 {
    minor / scale(currency)
}

/// A major-unit amount (typed by a person, a model's output) in minor units,
/// rounded half away from zero.
pub fn to_minor(major: f64, currency: &str) -> i64 {
    (major * scale(currency)).round() as i64
}

/// The amount as a plain decimal with the currency's own digits, exact (no
/// floating point): `decimal(-26_815, "USD")` is "-268.15".
pub fn decimal(minor: i64, currency: &str) -> String {
    format_decimal(minor, currency, false)
}

/// As [`decimal`], with thousands grouped by commas: "199,421.15".
pub fn grouped(minor: i64, currency: &str) -> String {
    format_decimal(minor, currency, true)
}

/// Plain text with the code: "199421.15 USD", "1050 JPY".
pub fn plain(minor: i64, currency: &str) -> String {
    format!("{} {currency}", decimal(minor, currency))
}

fn format_decimal(minor: i64, currency: &str, group: bool) -> String {
    let digits = minor_digits(currency) as usize;
    let sign = if minor < 0 { "-" } else { "" };
    let text = minor.unsigned_abs().to_string();
    let padded = format!("{text:0>width$}", width = digits + 1);
    let (whole, fraction) = padded.split_at(padded.len() - digits);
    let whole = if group {
        let mut out = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        whole.to_string()
    };
    if digits == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_currency_has_its_iso_exponent() {
        for (code, digits) in [
            ("USD", 2),
            ("eur", 2),
            ("JPY", 0),
            ("KRW", 0),
            ("HUF", 2),
            ("TWD", 2),
            ("INR", 2),
            ("KWD", 3),
            ("BHD", 3),
            ("CLP", 0),
            ("XAU", 0),
            ("ZZZ", 2),
        ] {
            assert_eq!(minor_digits(code), digits, "{code}");
        }
    }

    #[test]
    fn conversions_use_the_currency_s_own_exponent() {
        assert_eq!(to_major(19_942_115, "USD"), 199_421.15);
        assert_eq!(to_major(1_050, "JPY"), 1_050.0);
        assert_eq!(to_major(1_050, "kwd"), 1.05);
        assert_eq!(to_major(58_594_200, "INR"), 585_942.0);
        assert_eq!(minor_f64_to_major(28.25, "USD"), 0.2825);
        assert_eq!(to_minor(12.345, "USD"), 1_235);
        assert_eq!(to_minor(12_990.0, "JPY"), 12_990);
        assert_eq!(to_minor(-1.0005, "KWD"), -1_001);
    }

    #[test]
    fn text_is_exact_and_grouped_on_request() {
        assert_eq!(plain(26_815, "USD"), "268.15 USD");
        assert_eq!(plain(1_050, "JPY"), "1050 JPY");
        assert_eq!(decimal(-5, "USD"), "-0.05");
        assert_eq!(decimal(7, "KWD"), "0.007");
        assert_eq!(grouped(19_942_115, "USD"), "199,421.15");
        assert_eq!(grouped(-123_456_789, "KRW"), "-123,456,789");
        assert_eq!(grouped(99, "USD"), "0.99");
        assert_eq!(grouped(i64::MIN, "USD"), "-92,233,720,368,547,758.08");
    }
}
