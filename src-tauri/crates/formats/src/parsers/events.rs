//! Event logs: REES46 (`event_time` with a literal ` UTC`, 19-digit `category_id`, a
//! truncated last row in the sample), Retailrocket (`timestamp` in Unix milliseconds) and
//! the GA4 BigQuery export as NDJSON (microsecond `event_timestamp`, nested
//! `event_params`, `items`, `device`).

use super::text;
use crate::records::{normalise_event_name, Event, EventItem, Record};
use crate::rows::{Ctx, Header};
use crate::values::{parse_count, parse_money, parse_timestamp, Money};
use crate::{Format, FormatError, ParseOptions};
use serde_json::Value;

pub(crate) fn rees46(ctx: &mut Ctx, opts: &ParseOptions) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::Rees46Events, "it is empty"));
    };
    ctx.structural();
    let h = Header::new(&head.fields);
    let col = |n: &str| h.find(&[n]);
    let (Some(time), Some(kind), Some(product)) =
        (col("event_time"), col("event_type"), col("product_id"))
    else {
        return Err(ctx.not_this(
            Format::Rees46Events,
            "line 1 lacks 'event_time', 'event_type' or 'product_id'",
        ));
    };
    let (category, code, brand, price, user, session) = (
        col("category_id"),
        col("category_code"),
        col("brand"),
        col("price"),
        col("user_id"),
        col("user_session"),
    );
    let currency = opts.default_currency.as_deref();
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        if row.fields.len() < head.fields.len() {
            let missing = head.fields[row.fields.len()].trim().to_string();
            let got = row.fields.len();
            ctx.reject(
                row.line,
                Some(&missing),
                row.fields.last().map_or("", |s| s.as_str()),
                format!(
                    "the row has {got} fields, the header has {}: it is cut short",
                    head.fields.len()
                ),
            );
            continue;
        }
        let ts = match parse_timestamp(row.get(time), false) {
            Ok(t) => t,
            Err(reason) => {
                ctx.reject(row.line, Some("event_time"), row.get(time), reason);
                continue;
            }
        };
        let price_v = match price.map(|i| parse_money(row.get(i), currency)).transpose() {
            Ok(p) => p.flatten(),
            Err(reason) => {
                ctx.reject(row.line, Some("price"), row.get(price.unwrap_or(0)), reason);
                continue;
            }
        };
        let cell = |i: Option<usize>| i.and_then(|i| text(row.get(i)));
        let event = Event {
            line: row.line,
            user_id: cell(user),
            timestamp_micros: ts,
            event_name: normalise_event_name(row.get(kind)),
            raw_event_name: row.get(kind).to_string(),
            product_id: text(row.get(product)),
            category_id: cell(category),
            category_code: cell(code),
            brand: cell(brand),
            price: price_v,
            session_id: cell(session),
            ..Event::default()
        };
        ctx.accept(Record::Event(event))?;
    }
    Ok(())
}

pub(crate) fn retailrocket(ctx: &mut Ctx) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::RetailrocketEvents, "it is empty"));
    };
    ctx.structural();
    let h = Header::new(&head.fields);
    let (Some(ts), Some(visitor), Some(kind)) = (
        h.find(&["timestamp"]),
        h.find(&["visitorid"]),
        h.find(&["event"]),
    ) else {
        return Err(ctx.not_this(
            Format::RetailrocketEvents,
            "line 1 lacks 'timestamp', 'visitorid' or 'event'",
        ));
    };
    let (item, tx) = (h.find(&["itemid"]), h.find(&["transactionid"]));
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let millis = row.get(ts).trim();
        let Some(micros) = millis.parse::<i64>().ok().and_then(|m| m.checked_mul(1000)) else {
            ctx.reject(
                row.line,
                Some("timestamp"),
                millis,
                format!("'{millis}' is not a time in Unix milliseconds"),
            );
            continue;
        };
        let Some(visitor_id) = text(row.get(visitor)) else {
            ctx.reject(row.line, Some("visitorid"), "", "the visitor id is empty");
            continue;
        };
        let event = Event {
            line: row.line,
            visitor_id: Some(visitor_id),
            timestamp_micros: micros,
            event_name: normalise_event_name(row.get(kind)),
            raw_event_name: row.get(kind).to_string(),
            product_id: item.and_then(|i| text(row.get(i))),
            transaction_id: tx.and_then(|i| text(row.get(i))),
            ..Event::default()
        };
        ctx.accept(Record::Event(event))?;
    }
    Ok(())
}

fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `value.string_value` / `int_value` / `double_value` of an `event_params` entry.
fn param(params: &Value, key: &str) -> Option<String> {
    params.as_array()?.iter().find_map(|p| {
        if p.get("key")?.as_str()? != key {
            return None;
        }
        let v = p.get("value")?;
        ["string_value", "int_value", "double_value", "float_value"]
            .iter()
            .find_map(|k| v.get(*k).and_then(json_text))
    })
}

/// A JSON number or string as money; the number's shortest decimal text is parsed, so
/// `12.99` stays 1299 cents.
fn json_money(v: Option<&Value>, currency: Option<&str>) -> Result<Option<Money>, String> {
    match v.and_then(json_text) {
        Some(t) => parse_money(&t, currency),
        None => Ok(None),
    }
}

pub(crate) fn ga4_ndjson(ctx: &mut Ctx) -> Result<(), FormatError> {
    while let Some(row) = ctx.next_row()? {
        let line = row.get(0);
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                ctx.reject(row.line, None, line, format!("the line is not JSON: {e}"));
                continue;
            }
        };
        let Some(ts) = v
            .get("event_timestamp")
            .and_then(json_text)
            .and_then(|t| t.parse::<i64>().ok())
        else {
            ctx.reject(
                row.line,
                Some("event_timestamp"),
                "",
                "event_timestamp is missing or not microseconds",
            );
            continue;
        };
        let Some(name) = v.get("event_name").and_then(|n| n.as_str()) else {
            ctx.reject(row.line, Some("event_name"), "", "event_name is missing");
            continue;
        };
        let params = v.get("event_params").cloned().unwrap_or(Value::Null);
        let currency = param(&params, "currency")
            .or_else(|| v.pointer("/ecommerce/currency").and_then(json_text));
        let cur = currency.as_deref();
        let mut items = Vec::new();
        let mut bad: Option<(String, String)> = None;
        for it in v
            .get("items")
            .and_then(|i| i.as_array())
            .into_iter()
            .flatten()
        {
            let price = json_money(it.get("price"), cur).unwrap_or_else(|e| {
                bad = Some(("items.price".into(), e));
                None
            });
            items.push(EventItem {
                product_id: it.get("item_id").and_then(json_text),
                name: it.get("item_name").and_then(json_text),
                category: it.get("item_category").and_then(json_text),
                brand: it.get("item_brand").and_then(json_text),
                price,
                quantity: it
                    .get("quantity")
                    .and_then(json_text)
                    .and_then(|q| parse_count(&q).ok().flatten()),
            });
        }
        let value = json_money(param(&params, "value").map(Value::String).as_ref(), cur)
            .unwrap_or_else(|e| {
                bad = Some(("event_params.value".into(), e));
                None
            });
        if let Some((column, reason)) = bad {
            ctx.reject(row.line, Some(&column), "", reason);
            continue;
        }
        let event = Event {
            line: row.line,
            visitor_id: v.get("user_pseudo_id").and_then(json_text),
            user_id: v.get("user_id").and_then(json_text),
            timestamp_micros: ts,
            event_name: normalise_event_name(name),
            raw_event_name: name.to_string(),
            product_id: items.first().and_then(|i| i.product_id.clone()),
            category_id: None,
            category_code: items.first().and_then(|i| i.category.clone()),
            brand: items.first().and_then(|i| i.brand.clone()),
            price: value,
            quantity: None,
            session_id: param(&params, "ga_session_id"),
            transaction_id: param(&params, "transaction_id")
                .or_else(|| v.pointer("/ecommerce/transaction_id").and_then(json_text)),
            device: v.pointer("/device/category").and_then(json_text),
            device_os: v.pointer("/device/operating_system").and_then(json_text),
            device_browser: v
                .pointer("/device/web_info/browser")
                .or_else(|| v.pointer("/device/browser"))
                .and_then(json_text),
            source: v
                .pointer("/traffic_source/source")
                .and_then(json_text)
                .or_else(|| param(&params, "source")),
            page: param(&params, "page_location"),
            email: None,
            items,
        };
        ctx.accept(Record::Event(event))?;
    }
    Ok(())
}
