//! Cell value parsing shared by every parser: exact decimal money (string to integer
//! minor units, never through f64), counts with thousands separators, Google Ads
//! placeholders (` --`, ` -`), percent strings and `< 10%` bounds, dates and timestamps.
//!
//! Every function returns `Ok(None)` for an empty cell or a placeholder and `Err(reason)`
//! with a sentence fit for a [`crate::Rejection`] when the text is not what it should be.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// An amount of money in integer minor units (cents for USD, whole yen for JPY) with its
/// ISO 4217 currency when the file says which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Money {
    #[ts(type = "number")]
    pub minor: i64,
    pub currency: Option<String>,
}

/// A percentage as a fraction (1.16% is 0.0116), with the bound Google Ads writes for
/// impression shares (`< 10%`, `> 90%`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Percent {
    pub fraction: f64,
    pub bound: Bound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    Exact,
    LessThan,
    GreaterThan,
}

/// Whether a cell is empty or one of the "no value" placeholders the platforms write.
pub fn is_blank(s: &str) -> bool {
    matches!(s.trim(), "" | "--" | "-" | "[]" | "\"\"" | "N/A" | "n/a")
}

fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Parses a decimal such as `-1,234.567` into an integer scaled by 10^exponent, rounding
/// half away from zero when the text has more digits than the scale (Meta writes spend
/// unrounded, `1.80483333`). Commas are thousands separators.
pub fn parse_scaled(text: &str, exponent: u32) -> Result<i64, String> {
    let t = text.trim();
    let bad = || format!("'{text}' is not a number");
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    // The decimal separator is the last of '.' and ',' when both appear (`1.234,56`,
    // `4,838.80`); a lone comma followed by other than three digits is a decimal comma
    // (`19,99`), otherwise commas separate thousands (`1,356,884`).
    let decimal_comma = match (body.rfind('.'), body.rfind(',')) {
        (Some(d), Some(c)) => c > d,
        (None, Some(c)) => body.matches(',').count() == 1 && body.len() - c - 1 != 3,
        _ => false,
    };
    let body: String = if decimal_comma {
        body.chars()
            .filter(|c| *c != '.')
            .map(|c| if c == ',' { '.' } else { c })
            .collect()
    } else {
        body.chars().filter(|c| *c != ',').collect()
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body.as_str(), ""),
    };
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let scale = 10i64.pow(exponent);
    let mut value: i64 = 0;
    for b in int_part.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or_else(|| format!("'{text}' is too large"))?;
    }
    value = value
        .checked_mul(scale)
        .ok_or_else(|| format!("'{text}' is too large"))?;
    let frac = frac_part.as_bytes();
    let mut frac_value: i64 = 0;
    for i in 0..exponent as usize {
        let d = frac.get(i).map_or(0, |b| i64::from(b - b'0'));
        frac_value = frac_value * 10 + d;
    }
    if frac.get(exponent as usize).is_some_and(|b| *b >= b'5') {
        frac_value += 1;
    }
    value = value
        .checked_add(frac_value)
        .ok_or_else(|| format!("'{text}' is too large"))?;
    Ok(if negative { -value } else { value })
}

/// Parses money. The text may carry its own currency (`4.50 USD`, `USD 4.50`, `$4.50`),
/// otherwise `currency` (from a column or the header) is used.
pub fn parse_money(text: &str, currency: Option<&str>) -> Result<Option<Money>, String> {
    if is_blank(text) {
        return Ok(None);
    }
    let t = text.trim();
    let mut own: Option<String> = None;
    let mut number = t;
    if let Some((a, b)) = t.split_once(' ') {
        if is_currency_code(b.trim()) {
            own = Some(b.trim().to_string());
            number = a;
        } else if is_currency_code(a.trim()) {
            own = Some(a.trim().to_string());
            number = b;
        }
    }
    for (sym, code) in [("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("₹", "INR")] {
        if let Some(rest) = number.strip_prefix(sym) {
            if own.is_none() && currency.is_none() {
                own = Some(code.to_string());
            }
            number = rest;
        }
    }
    let code = own.or_else(|| currency.map(str::to_string));
    let exponent = code.as_deref().map_or(2, rebound_money::minor_digits);
    let minor = parse_scaled(number, exponent)
        .map_err(|_| format!("'{text}' is not an amount of money"))?;
    Ok(Some(Money {
        minor,
        currency: code,
    }))
}

/// Parses a whole count, accepting thousands separators (`"1,356,884"`) and a `.0`.
pub fn parse_count(text: &str) -> Result<Option<i64>, String> {
    if is_blank(text) {
        return Ok(None);
    }
    let not_whole = || format!("'{text}' is not a whole number");
    let hundredths = parse_scaled(text, 2).map_err(|_| not_whole())?;
    if hundredths % 100 != 0 {
        return Err(not_whole());
    }
    Ok(Some(hundredths / 100))
}

/// Parses a measurement that is not money (conversions, position, rates) as f64.
pub fn parse_decimal(text: &str) -> Result<Option<f64>, String> {
    if is_blank(text) {
        return Ok(None);
    }
    let cleaned: String = text.trim().chars().filter(|c| *c != ',').collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("'{text}' is not a number"))
}

/// Parses `1.16%`, `0%`, `< 10%`, `> 90%` into a fraction.
pub fn parse_percent(text: &str) -> Result<Option<Percent>, String> {
    if is_blank(text) {
        return Ok(None);
    }
    let t = text.trim();
    let (bound, rest) = if let Some(r) = t.strip_prefix('<') {
        (Bound::LessThan, r.trim())
    } else if let Some(r) = t.strip_prefix('>') {
        (Bound::GreaterThan, r.trim())
    } else {
        (Bound::Exact, t)
    };
    let number = rest
        .strip_suffix('%')
        .ok_or_else(|| format!("'{text}' is not a percentage"))?;
    let v = parse_decimal(number)
        .map_err(|_| format!("'{text}' is not a percentage"))?
        .ok_or_else(|| format!("'{text}' is not a percentage"))?;
    Ok(Some(Percent {
        fraction: v / 100.0,
        bound,
    }))
}

/// Parses booleans as exported by spreadsheets and stores (`TRUE`, `yes`, `1`, ...).
pub fn parse_bool(text: &str) -> Result<Option<bool>, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "yes" | "y" | "1" | "granted" | "opted_in" | "opt-in" | "subscribed" => {
            Ok(Some(true))
        }
        "false" | "no" | "n" | "0" | "denied" | "opted_out" | "opt-out" | "unsubscribed" => {
            Ok(Some(false))
        }
        _ => Err(format!("'{text}' is not yes or no")),
    }
}

/// Parses the date shapes seen in exports into ISO `YYYY-MM-DD`: `2025-01-31`,
/// `20250131`, `1.08.2019` (day first), `January 20, 2026`, `27 January 2026`, `1 Jan 2025`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    const FORMATS: [&str; 9] = [
        "%Y-%m-%d",
        "%Y%m%d",
        "%d.%m.%Y",
        "%B %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%b %d, %Y",
        "%m/%d/%Y",
        "%Y/%m/%d",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .ok_or_else(|| format!("'{text}' is not a date"))
}

/// A reporting period. `label` keeps the text as written (`All time`, `Last 3 months`);
/// `start`/`end` are ISO dates when the label names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DateRange {
    pub label: String,
    pub start: Option<String>,
    pub end: Option<String>,
}

impl DateRange {
    /// Parses `A - B`, `A-B` (GSC: `1 Jan 2025-31 Dec 2025`, GA4: `20251213-20260312`)
    /// or a bare label such as `All time`.
    pub fn parse(text: &str) -> DateRange {
        let label = text.trim().to_string();
        let candidates = label.split_once(" - ").into_iter().chain(
            label
                .match_indices('-')
                .map(|(i, _)| (&label[..i], &label[i + 1..])),
        );
        for (a, b) in candidates {
            if let (Ok(s), Ok(e)) = (parse_date(a), parse_date(b)) {
                return DateRange {
                    label,
                    start: Some(s.to_string()),
                    end: Some(e.to_string()),
                };
            }
        }
        if let Ok(d) = parse_date(&label) {
            return DateRange {
                start: Some(d.to_string()),
                end: Some(d.to_string()),
                label,
            };
        }
        DateRange {
            label,
            start: None,
            end: None,
        }
    }
}

/// Parses a timestamp into UTC microseconds. Text without a zone is taken as UTC only
/// when `assume_utc` is set (the caller says so explicitly; nothing guesses a local zone).
pub fn parse_timestamp(text: &str, assume_utc: bool) -> Result<i64, String> {
    let t = text.trim();
    if let Some(result) = fast_timestamp(t, assume_utc) {
        return result.map_err(|()| format!("'{text}' has no time zone"));
    }
    general_timestamp(text, assume_utc)
}

fn general_timestamp(text: &str, assume_utc: bool) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.timestamp_micros());
    }
    for f in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(t, f) {
            return Ok(dt.timestamp_micros());
        }
    }
    let (body, utc) = match t.strip_suffix(" UTC") {
        Some(b) => (b, true),
        None => (t, assume_utc),
    };
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(body, f) {
            if !utc {
                return Err(format!("'{text}' has no time zone"));
            }
            return Ok(Utc.from_utc_datetime(&n).timestamp_micros());
        }
    }
    Err(format!("'{text}' is not a timestamp"))
}

/// The common shapes, read without chrono's format interpreter (an event log
/// has millions of them): `YYYY-MM-DD[ T]HH:MM:SS[.f]` then ` UTC`, `Z`,
/// `±HH:MM`, ` ±HHMM` or nothing. `None` means "not this shape, ask the
/// general parser"; `Some(Err(()))` means no zone where one is required.
fn fast_timestamp(t: &str, assume_utc: bool) -> Option<Result<i64, ()>> {
    let b = t.as_bytes();
    if b.len() < 19 || !matches!(b[10], b' ' | b'T') {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?;
    let (h, m, sec) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut rest = &t[19..];
    let mut micros = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return None;
        }
        let mut value = 0u32;
        for (i, c) in frac.bytes().take(n.min(6)).enumerate() {
            value += u32::from(c - b'0') * 10u32.pow(5 - i as u32);
        }
        micros = value;
        rest = &frac[n..];
    }
    let naive = date.and_hms_micro_opt(h, m, sec, micros)?;
    let offset_seconds: i64 = match rest {
        "" if assume_utc => 0,
        "" => return Some(Err(())),
        " UTC" | "Z" | " Z" | " GMT" => 0,
        _ => {
            let z = rest.strip_prefix(' ').unwrap_or(rest).as_bytes();
            let sign = match z.first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hhmm: Vec<u8> = z[1..].iter().copied().filter(|c| *c != b':').collect();
            if hhmm.len() != 4 || !hhmm.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let n = |i: usize| i64::from(hhmm[i] - b'0');
            let (oh, om) = (n(0) * 10 + n(1), n(2) * 10 + n(3));
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(Ok(
        naive.and_utc().timestamp_micros() - offset_seconds * 1_000_000
    ))
}

/// The UTC offset in seconds written in a timestamp such as `2025-12-06 10:37:33 -0500`.
pub fn timestamp_offset_seconds(text: &str) -> Option<i32> {
    DateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S %z")
        .ok()
        .map(|d| d.offset().local_minus_utc())
}

/// A currency code written in a header such as `Amount spent (USD)` or `Spend [USD]`.
pub fn currency_in_header(header: &str) -> Option<String> {
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let (Some(a), Some(b)) = (header.rfind(open), header.rfind(close)) {
            if a < b {
                let inner = header[a + 1..b].trim();
                if is_currency_code(inner) {
                    return Some(inner.to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact() {
        assert_eq!(parse_scaled("199,421.15", 2), Ok(19_942_115));
        assert_eq!(parse_scaled("1.80483333", 2), Ok(180));
        assert_eq!(parse_scaled("0.005", 2), Ok(1));
        assert_eq!(parse_scaled("-2.5", 0), Ok(-3));
        assert_eq!(parse_scaled("19,99", 2), Ok(1_999));
        assert_eq!(parse_scaled("1.234,5", 2), Ok(123_450));
        assert_eq!(parse_scaled("1,356,884", 0), Ok(1_356_884));
        assert!(parse_scaled("1,2x", 2).is_err());
        assert!(parse_scaled("99999999999999999999", 2).is_err());
        let m = parse_money("4.50 USD", None).unwrap().unwrap();
        assert_eq!((m.minor, m.currency.as_deref()), (450, Some("USD")));
        let m = parse_money("1500", Some("JPY")).unwrap().unwrap();
        assert_eq!(m.minor, 1500);
        // ISO 4217, as every other part of Rebound reads it: forints have
        // fillér (2 digits), so 1500.50 HUF is not rounded to 1501.
        let m = parse_money("1500.50", Some("HUF")).unwrap().unwrap();
        assert_eq!(m.minor, 150_050);
        let m = parse_money("12,345", Some("KRW")).unwrap().unwrap();
        assert_eq!(m.minor, 12_345);
        let m = parse_money("1.250", Some("KWD")).unwrap().unwrap();
        assert_eq!(m.minor, 1_250);
        assert_eq!(parse_money(" --", Some("USD")), Ok(None));
    }

    #[test]
    fn counts_percent_dates() {
        assert_eq!(
            parse_count("\"1,356,884\"".trim_matches('"')),
            Ok(Some(1_356_884))
        );
        assert!(parse_count("1.5").is_err());
        assert!(parse_count("12,5").is_err());
        assert_eq!(parse_count("2.00"), Ok(Some(2)));
        let p = parse_percent("< 10%").unwrap().unwrap();
        assert_eq!(p.bound, Bound::LessThan);
        assert!((p.fraction - 0.1).abs() < 1e-12);
        assert_eq!(parse_date("1.08.2019").unwrap().to_string(), "2019-08-01");
        let r = DateRange::parse("January 20, 2026 - January 21, 2026");
        assert_eq!(r.start.as_deref(), Some("2026-01-20"));
        let r = DateRange::parse("1 Jan 2025-31 Dec 2025");
        assert_eq!(r.end.as_deref(), Some("2025-12-31"));
        let r = DateRange::parse("20251213-20260312");
        assert_eq!(r.start.as_deref(), Some("2025-12-13"));
        assert_eq!(DateRange::parse("All time").start, None);
    }

    #[test]
    fn the_fast_timestamp_path_agrees_with_chrono() {
        let mut seen = 0;
        for date in ["2019-10-01", "2024-02-29", "1999-12-31", "2023-02-29"] {
            for time in [
                "00:00:00",
                "23:59:59",
                "12:34:56.5",
                "12:34:56.123456",
                "25:00:00",
            ] {
                for zone in [
                    "", " UTC", "Z", "+02:00", "-0500", " -0500", " +05:30", "+2", " PST",
                ] {
                    for sep in [' ', 'T'] {
                        let text = format!("{date}{sep}{time}{zone}");
                        for utc in [false, true] {
                            if let Some(fast) = fast_timestamp(&text, utc) {
                                seen += 1;
                                let general = general_timestamp(&text, utc);
                                match fast {
                                    Ok(v) => assert_eq!(Ok(v), general, "{text} utc={utc}"),
                                    Err(()) => assert!(general.is_err(), "{text} utc={utc}"),
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(seen > 300, "{seen}");
    }

    #[test]
    fn timestamps_are_explicit_about_zones() {
        assert_eq!(
            parse_timestamp("2019-10-01 00:00:01 UTC", false),
            Ok(1_569_888_001_000_000)
        );
        assert_eq!(
            parse_timestamp("2025-12-06 10:37:33 -0500", false),
            parse_timestamp("2025-12-06T15:37:33Z", false)
        );
        assert!(parse_timestamp("2019-10-01 00:00:01", false).is_err());
        assert_eq!(
            timestamp_offset_seconds("2025-12-06 10:37:33 -0500"),
            Some(-18000)
        );
    }
}
