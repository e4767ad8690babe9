//! Money, once: amounts are integer minor units beside an ISO 4217 code, and
//! every conversion to a major-unit number (for a chart axis, a statistic, a
//! line of text) goes through here, with the currency's own exponent. Two
//! currencies are never added; callers keep one block per currency.

/// Digits after the decimal point of a currency (ISO 4217 minor unit):
/// 2 for most, 0 for JPY or KRW, 3 for KWD or BHD.
pub fn minor_digits(currency: &str) -> u32 {
    match currency.trim().to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "HUF" | "PYG" | "UGX" | "XAF" | "XOF" => 0,
        "KWD" | "BHD" | "JOD" | "OMR" | "TND" | "LYD" | "IQD" => 3,
        _ => 2,
    }
}

/// Minor units as a major-unit number: `to_major(19_942_115, "USD")` is
/// 199421.15, `to_major(1_050, "JPY")` is 1050.
pub fn to_major(minor: i64, currency: &str) -> f64 {
    minor as f64 / 10f64.powi(minor_digits(currency) as i32)
}

/// A fractional amount of minor units (a CPC, an average) in major units.
pub fn minor_f64_to_major(minor: f64, currency: &str) -> f64 {
    minor / 10f64.powi(minor_digits(currency) as i32)
}

/// Plain text with the currency's own number of decimals: "199421.15 USD".
pub fn plain(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency) as usize;
    format!("{:.digits$} {currency}", to_major(minor, currency))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_currency_has_its_own_exponent() {
        assert_eq!(to_major(19_942_115, "USD"), 199_421.15);
        assert_eq!(to_major(1_050, "JPY"), 1_050.0);
        assert_eq!(to_major(1_050, "kwd"), 1.05);
        assert_eq!(to_major(58_594_200, "INR"), 585_942.0);
        assert_eq!(minor_f64_to_major(28.25, "USD"), 0.2825);
        assert_eq!(plain(26_815, "USD"), "268.15 USD");
        assert_eq!(plain(1_050, "JPY"), "1050 JPY");
    }
}
