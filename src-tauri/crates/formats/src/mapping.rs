//! The column-mapping step for CSV and JSON-lines event files nobody recognised: a
//! [`preview`] of the first rows, a [`ColumnMapping`] profile (serde, so it can be saved)
//! keyed by a fingerprint of the header, and applying it to produce events. A saved
//! profile whose fingerprint matches a new file's header is applied automatically.

use crate::records::{normalise_event_name, Event, Record};
use crate::rows::{Ctx, Row};
use crate::sniff::{norm, split_line};
use crate::values::{parse_count, parse_money, parse_timestamp};
use crate::{FileMeta, Format, FormatError, ParseOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;

/// An event field a column can be mapped to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum EventField {
    VisitorId,
    UserId,
    Email,
    Timestamp,
    EventName,
    ProductId,
    CategoryId,
    Price,
    Currency,
    Quantity,
    SessionId,
    TransactionId,
    Device,
    Source,
    Page,
}

/// How the mapped timestamp column is written. Zones are always explicit: text without
/// an offset is accepted only as [`TimestampFormat::TextUtc`], i.e. the user said "UTC".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimestampFormat {
    /// RFC 3339 or `YYYY-MM-DD HH:MM:SS ±HHMM`: the offset is in the text.
    TextWithOffset,
    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC.
    TextUtc,
    UnixSeconds,
    UnixMillis,
    UnixMicros,
}

/// A saved column mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ColumnMapping {
    pub name: String,
    /// [`header_fingerprint`] of the header it was made for.
    pub fingerprint: String,
    /// Field → header name as written in the file.
    pub columns: BTreeMap<EventField, String>,
    pub timestamp: TimestampFormat,
    /// Currency for prices when no currency column is mapped.
    pub currency: Option<String>,
    /// Extra event-name translations (`"pv"` → `"page_view"`), applied before the built-in ones.
    pub event_names: BTreeMap<String, String>,
}

/// A stable fingerprint of a header: case, surrounding spaces and a BOM do not matter,
/// order does.
pub fn header_fingerprint(header: &[String]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, h) in header.iter().enumerate() {
        if i > 0 {
            hash ^= 0x1f;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        for b in norm(h).bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The first rows of a file for the mapping screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Preview {
    pub detection: crate::Detection,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub fingerprint: String,
}

/// Flattens a JSON object: nested keys joined with `.`, arrays kept as JSON text.
fn flatten(v: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(x, &key, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => out.push((prefix.to_string(), String::new())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// Reads the header and up to `n` rows.
pub fn preview<R: Read>(mut reader: R, n: usize) -> Result<Preview, FormatError> {
    let mut prefix = Vec::new();
    (&mut reader)
        .take(crate::SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(|source| FormatError::Io {
            file: "the preview".into(),
            source,
        })?;
    let detection = crate::sniff(&prefix);
    let (text, _) = crate::decode::decode_prefix(&prefix);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let (header, rows) = if detection.format == Format::GenericJsonl
        || detection.format == Format::Ga4BigQueryNdjson
    {
        let mut header: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        for l in lines.take(n) {
            let Ok(v) = serde_json::from_str::<Value>(l) else {
                continue;
            };
            let mut cells = Vec::new();
            flatten(&v, "", &mut cells);
            if header.is_empty() {
                header = cells.iter().map(|(k, _)| k.clone()).collect();
            }
            rows.push(
                header
                    .iter()
                    .map(|h| {
                        cells
                            .iter()
                            .find(|(k, _)| k == h)
                            .map_or(String::new(), |(_, v)| v.clone())
                    })
                    .collect(),
            );
        }
        (header, rows)
    } else {
        let d = detection.delimiter.chars().next().unwrap_or(',');
        let header = lines.next().map(|l| split_line(l, d)).unwrap_or_default();
        let rows = lines.take(n).map(|l| split_line(l, d)).collect();
        (header, rows)
    };
    Ok(Preview {
        fingerprint: header_fingerprint(&header),
        detection,
        header,
        rows,
    })
}

fn timestamp(text: &str, f: &TimestampFormat) -> Result<i64, String> {
    let t = text.trim();
    let int = || {
        t.parse::<i64>()
            .map_err(|_| format!("'{text}' is not a Unix time"))
    };
    match f {
        TimestampFormat::TextWithOffset => parse_timestamp(t, false),
        TimestampFormat::TextUtc => parse_timestamp(t, true),
        TimestampFormat::UnixSeconds => int()?
            .checked_mul(1_000_000)
            .ok_or_else(|| format!("'{text}' is out of range")),
        TimestampFormat::UnixMillis => int()?
            .checked_mul(1_000)
            .ok_or_else(|| format!("'{text}' is out of range")),
        TimestampFormat::UnixMicros => int(),
    }
}

fn event_from(
    line: u64,
    get: &dyn Fn(EventField) -> Option<String>,
    m: &ColumnMapping,
) -> Result<Event, (String, String, String)> {
    let col = |f: EventField| m.columns.get(&f).cloned().unwrap_or_default();
    let ts_text = get(EventField::Timestamp).unwrap_or_default();
    let ts = timestamp(&ts_text, &m.timestamp)
        .map_err(|r| (col(EventField::Timestamp), ts_text.clone(), r))?;
    let raw = get(EventField::EventName).ok_or_else(|| {
        (
            col(EventField::EventName),
            String::new(),
            "the event name is empty".to_string(),
        )
    })?;
    let name = m
        .event_names
        .get(&raw)
        .cloned()
        .unwrap_or_else(|| normalise_event_name(&raw));
    let currency = get(EventField::Currency).or_else(|| m.currency.clone());
    let price = match get(EventField::Price) {
        Some(p) => parse_money(&p, currency.as_deref())
            .map_err(|r| (col(EventField::Price), p.clone(), r))?,
        None => None,
    };
    let quantity = match get(EventField::Quantity) {
        Some(q) => parse_count(&q).map_err(|r| (col(EventField::Quantity), q.clone(), r))?,
        None => None,
    };
    let ev = Event {
        line,
        visitor_id: get(EventField::VisitorId),
        user_id: get(EventField::UserId),
        email: get(EventField::Email),
        timestamp_micros: ts,
        event_name: name,
        raw_event_name: raw,
        product_id: get(EventField::ProductId),
        category_id: get(EventField::CategoryId),
        price,
        quantity,
        session_id: get(EventField::SessionId),
        transaction_id: get(EventField::TransactionId),
        device: get(EventField::Device),
        source: get(EventField::Source),
        page: get(EventField::Page),
        ..Event::default()
    };
    if ev.visitor_id.is_none() && ev.user_id.is_none() && ev.email.is_none() {
        return Err((
            String::new(),
            String::new(),
            "the row has no person id".to_string(),
        ));
    }
    Ok(ev)
}

pub(crate) fn apply(
    ctx: &mut Ctx,
    meta: &mut FileMeta,
    opts: &ParseOptions,
    format: Format,
) -> Result<(), FormatError> {
    let json = format == Format::GenericJsonl;
    let mut first: Option<Row> = None;
    let header: Vec<String> = if json {
        let Some(row) = ctx.next_row()? else {
            return Err(ctx.not_this(format, "it is empty"));
        };
        let mut cells = Vec::new();
        if let Ok(v) = serde_json::from_str::<Value>(row.get(0)) {
            flatten(&v, "", &mut cells);
        }
        first = Some(row);
        cells.into_iter().map(|(k, _)| k).collect()
    } else {
        let Some(row) = ctx.next_row()? else {
            return Err(ctx.not_this(format, "it is empty"));
        };
        ctx.structural();
        row.fields
    };
    meta.header = header.clone();
    let fp = header_fingerprint(&header);
    let mapping = opts
        .mapping
        .clone()
        .or_else(|| {
            opts.saved_mappings
                .iter()
                .find(|m| m.fingerprint == fp)
                .cloned()
        })
        .ok_or_else(|| FormatError::NeedsMapping {
            file: ctx.file.clone(),
            reason: format!("no saved mapping matches its header (fingerprint {fp})"),
        })?;
    for (field, name) in &mapping.columns {
        if json {
            continue;
        }
        if !header.iter().any(|h| norm(h) == norm(name)) {
            return Err(ctx.not_this(format, format!("the mapping names the column '{name}' for {field:?}, which is not in the header")));
        }
    }
    let index: BTreeMap<EventField, usize> = mapping
        .columns
        .iter()
        .filter_map(|(f, n)| {
            header
                .iter()
                .position(|h| norm(h) == norm(n))
                .map(|i| (*f, i))
        })
        .collect();
    loop {
        let row = match first.take() {
            Some(r) => r,
            None => match ctx.next_row()? {
                Some(r) => r,
                None => break,
            },
        };
        if row.is_blank() {
            continue;
        }
        let result = if json {
            match serde_json::from_str::<Value>(row.get(0)) {
                Ok(v) => {
                    let mut cells = Vec::new();
                    flatten(&v, "", &mut cells);
                    let get = |f: EventField| {
                        let name = mapping.columns.get(&f)?;
                        cells
                            .iter()
                            .find(|(k, _)| k == name)
                            .map(|(_, v)| v.trim().to_string())
                            .filter(|v| !v.is_empty())
                    };
                    event_from(row.line, &get, &mapping)
                }
                Err(e) => Err((
                    String::new(),
                    row.get(0).to_string(),
                    format!("the line is not JSON: {e}"),
                )),
            }
        } else {
            let get = |f: EventField| {
                index
                    .get(&f)
                    .map(|i| row.get(*i).trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            event_from(row.line, &get, &mapping)
        };
        match result {
            Ok(ev) => ctx.accept(Record::Event(ev))?,
            Err((c, v, r)) => {
                let column = if c.is_empty() { None } else { Some(c.as_str()) };
                ctx.reject(row.line, column, &v, r);
            }
        }
    }
    Ok(())
}

/// A first mapping for a file nobody recognised: a column per field, chosen
/// by the column's name, and how the time column is written, guessed from its
/// first values. The person confirms it on the mapping screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MappingSuggestion {
    /// Field → header name as written in the file.
    pub columns: BTreeMap<EventField, String>,
    pub timestamp: TimestampFormat,
}

/// Column names that mean each field, normalised ([`normalise_column`]),
/// best first.
#[rustfmt::skip]
const FIELD_NAMES: &[(EventField, &[&str])] = &[
    (
        EventField::Timestamp,
        &[
            "timestamp", "event_time", "event_timestamp", "time", "datetime", "date_time",
            "occurred_at", "created_at", "ts", "date",
        ],
    ),
    (
        EventField::EventName,
        &["event_name", "event_type", "event", "action", "activity", "type", "name"],
    ),
    (
        EventField::VisitorId,
        &[
            "visitor_id", "visitorid", "anonymous_id", "anon_id", "client_id", "user_pseudo_id",
            "cookie_id", "distinct_id", "visitor",
        ],
    ),
    (
        EventField::UserId,
        &[
            "user_id", "userid", "customer_id", "customerid", "member_id", "account_id", "uid",
            "user", "customer",
        ],
    ),
    (EventField::Email, &["email", "e_mail", "email_address", "mail"]),
    (
        EventField::ProductId,
        &["product_id", "productid", "item_id", "itemid", "sku", "product", "item"],
    ),
    (
        EventField::CategoryId,
        &["category_id", "categoryid", "category", "category_code"],
    ),
    (
        EventField::Price,
        &["price", "item_price", "unit_price", "amount", "value", "revenue"],
    ),
    (EventField::Currency, &["currency", "currency_code"]),
    (EventField::Quantity, &["quantity", "qty", "units", "count"]),
    (
        EventField::SessionId,
        &["session_id", "sessionid", "user_session", "session", "visit_id"],
    ),
    (
        EventField::TransactionId,
        &["transaction_id", "transactionid", "order_id", "orderid", "order_number", "order"],
    ),
    (EventField::Device, &["device", "device_type", "device_category", "platform"]),
    (
        EventField::Source,
        &["source", "utm_source", "traffic_source", "channel", "referrer", "medium"],
    ),
    (
        EventField::Page,
        &["page", "page_url", "page_location", "page_path", "url", "path"],
    ),
];

/// `"Visitor ID"` → `visitor_id`, `"orderId"` → `order_id`: camelCase split,
/// lower case, every run of other characters one `_`, none at the ends.
pub fn normalise_column(column: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in column.trim().chars() {
        if c.is_ascii_uppercase()
            && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
        {
            out.push('_');
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    out.trim_matches('_').to_string()
}

/// How well a column name fits a field: 0 (not at all) to 100 (its first
/// name); a known name as a whole word inside a longer one ("order_id_raw")
/// scores below every exact name.
fn similarity(names: &[&str], column: &str) -> usize {
    let name = normalise_column(column);
    if name.is_empty() {
        return 0;
    }
    if let Some(i) = names.iter().position(|n| *n == name) {
        return 100 - i;
    }
    let words = format!("_{name}_");
    names
        .iter()
        .enumerate()
        .filter(|(_, known)| known.len() >= 3 && words.contains(&format!("_{known}_")))
        .map(|(i, _)| 50 - i)
        .max()
        .unwrap_or(0)
}

/// How the time column is written, from its first values: all digits are
/// Unix seconds, milliseconds or microseconds by their length; text is
/// "with a zone" only when every value ends in one.
fn guess_timestamp(values: &[&str]) -> TimestampFormat {
    let sample: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if sample.is_empty() {
        return TimestampFormat::TextWithOffset;
    }
    let numeric = |v: &str| {
        let (int, frac) = v.split_once('.').unwrap_or((v, "0"));
        !int.is_empty()
            && !frac.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    if sample.iter().all(|v| numeric(v)) {
        let digits = sample
            .iter()
            .map(|v| v.split('.').next().unwrap_or("").len())
            .max()
            .unwrap_or(0);
        return match digits {
            15.. => TimestampFormat::UnixMicros,
            12.. => TimestampFormat::UnixMillis,
            _ => TimestampFormat::UnixSeconds,
        };
    }
    let zoned = |v: &str| {
        let upper = v.to_ascii_uppercase();
        if upper.ends_with('Z') || upper.ends_with("UTC") || upper.ends_with("GMT") {
            return true;
        }
        // ±HH:MM or ±HHMM at the end.
        let b = v.as_bytes();
        let offset = |s: &[u8]| {
            s.len() >= 5
                && matches!(s[0], b'+' | b'-')
                && s[1..3].iter().all(u8::is_ascii_digit)
                && (s[3..].iter().all(u8::is_ascii_digit) && s.len() == 5
                    || s.len() == 6 && s[3] == b':' && s[4..].iter().all(u8::is_ascii_digit))
        };
        (b.len() >= 5 && offset(&b[b.len() - 5..])) || (b.len() >= 6 && offset(&b[b.len() - 6..]))
    };
    if sample.iter().all(|v| zoned(v)) {
        TimestampFormat::TextWithOffset
    } else {
        TimestampFormat::TextUtc
    }
}

/// Suggests a column per field by name, each column to at most one field,
/// the strongest matches first (so `event_time` is the time and `event_type`
/// the event name), and guesses the time format from the rows.
pub fn suggest(header: &[String], rows: &[Vec<String>]) -> MappingSuggestion {
    let mut pairs: Vec<(usize, EventField, &str)> = Vec::new();
    for (field, names) in FIELD_NAMES {
        for column in header {
            let score = similarity(names, column);
            if score > 0 {
                pairs.push((score, *field, column));
            }
        }
    }
    // Stable: equal scores keep the fields' and the header's order.
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut columns = BTreeMap::new();
    let mut used: Vec<&str> = Vec::new();
    for (_, field, column) in pairs {
        if columns.contains_key(&field) || used.contains(&column) {
            continue;
        }
        columns.insert(field, column.to_string());
        used.push(column);
    }
    let times: Vec<&str> = match columns
        .get(&EventField::Timestamp)
        .and_then(|c| header.iter().position(|h| h == c))
    {
        Some(i) => rows
            .iter()
            .map(|r| r.get(i).map(String::as_str).unwrap_or(""))
            .collect(),
        None => Vec::new(),
    };
    MappingSuggestion {
        columns,
        timestamp: guess_timestamp(&times),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn columns(pairs: &[(EventField, &str)]) -> BTreeMap<EventField, String> {
        pairs.iter().map(|(f, c)| (*f, c.to_string())).collect()
    }

    #[test]
    fn rees46_columns_are_suggested_by_name_each_column_once() {
        let header = strings(&[
            "event_time",
            "event_type",
            "product_id",
            "category_id",
            "category_code",
            "brand",
            "price",
            "user_id",
            "user_session",
        ]);
        let rows = vec![strings(&[
            "2019-10-01 00:00:00 UTC",
            "view",
            "44600062",
            "2103807459595387724",
            "",
            "shiseido",
            "35.79",
            "541312140",
            "72d76fde",
        ])];
        let s = suggest(&header, &rows);
        assert_eq!(
            s.columns,
            columns(&[
                (EventField::Timestamp, "event_time"),
                (EventField::EventName, "event_type"),
                (EventField::ProductId, "product_id"),
                (EventField::CategoryId, "category_id"),
                (EventField::Price, "price"),
                (EventField::UserId, "user_id"),
                (EventField::SessionId, "user_session"),
            ])
        );
        assert_eq!(s.timestamp, TimestampFormat::TextWithOffset);
    }

    #[test]
    fn camel_case_spaces_and_abbreviations_are_read() {
        assert_eq!(normalise_column("Visitor ID"), "visitor_id");
        assert_eq!(normalise_column("orderId"), "order_id");
        assert_eq!(normalise_column("  E-mail "), "e_mail");
        let header = strings(&[
            "ts",
            "anonymousId",
            "E-mail",
            "Event",
            "SKU",
            "Order ID",
            "utm_source",
            "Page URL",
            "Qty",
        ]);
        let s = suggest(&header, &[]);
        assert_eq!(
            s.columns,
            columns(&[
                (EventField::Timestamp, "ts"),
                (EventField::VisitorId, "anonymousId"),
                (EventField::Email, "E-mail"),
                (EventField::EventName, "Event"),
                (EventField::ProductId, "SKU"),
                (EventField::TransactionId, "Order ID"),
                (EventField::Source, "utm_source"),
                (EventField::Page, "Page URL"),
                (EventField::Quantity, "Qty"),
            ])
        );
    }

    #[test]
    fn a_known_name_inside_a_longer_one_is_a_weaker_match() {
        let s = suggest(&strings(&["order_id_raw", "event_time_utc"]), &[]);
        assert_eq!(
            s.columns,
            columns(&[
                (EventField::TransactionId, "order_id_raw"),
                (EventField::Timestamp, "event_time_utc"),
            ])
        );
    }

    #[test]
    fn unknown_columns_are_left_unmapped() {
        let s = suggest(&strings(&["foo", "bar", "colour"]), &[]);
        assert!(s.columns.is_empty());
        assert_eq!(s.timestamp, TimestampFormat::TextWithOffset);
    }

    #[test]
    fn the_time_format_is_guessed_from_the_values() {
        use TimestampFormat::*;
        for (values, expected) in [
            (vec!["2019-10-01 00:00:00 UTC"], TextWithOffset),
            (
                vec!["2026-03-01T09:30:00+01:00", "2026-03-01T09:31:00Z"],
                TextWithOffset,
            ),
            (vec!["2026-03-01 09:30:00 +0100"], TextWithOffset),
            (vec!["2026-03-01 09:30:00"], TextUtc),
            (
                vec!["2026-03-01T09:30:00+01:00", "2026-03-01 09:31:00"],
                TextUtc,
            ),
            (vec!["1711961400"], UnixSeconds),
            (vec!["1711961400.5"], UnixSeconds),
            (vec!["1711961400123"], UnixMillis),
            (vec!["1711961400123456"], UnixMicros),
            (vec!["", "  "], TextWithOffset),
        ] {
            assert_eq!(guess_timestamp(&values), expected, "{values:?}");
        }
    }

    #[test]
    fn the_time_is_guessed_from_the_suggested_column() {
        let s = suggest(
            &strings(&["ts", "anon_id", "action"]),
            &[strings(&["1711961400", "a1", "pv"])],
        );
        assert_eq!(s.timestamp, TimestampFormat::UnixSeconds);
        assert_eq!(
            s.columns,
            columns(&[
                (EventField::Timestamp, "ts"),
                (EventField::EventName, "action"),
                (EventField::VisitorId, "anon_id"),
            ])
        );
    }
}
