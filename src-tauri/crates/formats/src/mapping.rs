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
