//! A/B result files: one row per person (`userid,version,...,retention_1` with `TRUE`/
//! `FALSE`, or `user_id,timestamp,group,landing_page,converted`) and totals per variant
//! (the "Control Campaign"/"Test Campaign" daily files with `1.08.2019` dates, a
//! `Spend [USD]` column, inconsistent `# of`/`of` header spellings and empty cells).

use super::text;
use crate::records::{AbAggregate, AbPerson, Record};
use crate::rows::{Ctx, Header};
use crate::values::{
    currency_in_header, is_blank, parse_bool, parse_count, parse_date, parse_decimal, parse_money,
    parse_timestamp,
};
use crate::{FileMeta, Format, FormatError};

const VARIANT: [&str; 7] = [
    "version",
    "variant",
    "group",
    "variation",
    "arm",
    "bucket",
    "test group",
];
const UNIT: [&str; 9] = [
    "userid",
    "user_id",
    "user id",
    "visitor_id",
    "visitorid",
    "customer_id",
    "person_id",
    "uid",
    "player_id",
];

pub(crate) fn is_variant_column(h: &str) -> bool {
    VARIANT.contains(&crate::sniff::norm(h).as_str())
}

pub(crate) fn is_unit_column(h: &str) -> bool {
    UNIT.contains(&crate::sniff::norm(h).as_str())
}

pub(crate) fn per_person(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::AbPerPerson, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let (Some(unit), Some(variant)) = (h.find(&UNIT), h.find(&VARIANT)) else {
        return Err(ctx.not_this(
            Format::AbPerPerson,
            "line 1 lacks a person id column or a variant column",
        ));
    };
    let ts = h.find(&["timestamp", "time", "exposed_at"]);
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let (Some(u), Some(v)) = (text(row.get(unit)), text(row.get(variant))) else {
            ctx.reject(
                row.line,
                Some(head.fields[unit].trim()),
                row.get(unit),
                "the person id or the variant is empty",
            );
            continue;
        };
        let mut metrics = Vec::new();
        for (i, name) in head.fields.iter().enumerate() {
            if i == unit || i == variant || Some(i) == ts || is_blank(row.get(i)) {
                continue;
            }
            let cell = row.get(i);
            if let Ok(Some(b)) = parse_bool(cell) {
                metrics.push((name.trim().to_string(), if b { 1.0 } else { 0.0 }));
            } else if let Ok(Some(x)) = parse_decimal(cell) {
                metrics.push((name.trim().to_string(), x));
            }
        }
        let record = AbPerson {
            line: row.line,
            unit_id: u,
            variant: v,
            // Only a timestamp that states its zone is kept; none is guessed.
            timestamp_micros: ts.and_then(|i| parse_timestamp(row.get(i), false).ok()),
            metrics,
        };
        ctx.accept(Record::AbPerson(record))?;
    }
    Ok(())
}

/// `" of Website Clicks"` → `"website clicks"`.
fn metric_name(h: &str) -> String {
    let t = h.trim().trim_start_matches('#').trim();
    let t = t.strip_prefix("of ").unwrap_or(t);
    t.trim().to_ascii_lowercase()
}

pub(crate) fn aggregate(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::AbAggregate, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let Some(variant) = h.find(&["campaign name", "variant", "group", "version", "variation"])
    else {
        return Err(ctx.not_this(Format::AbAggregate, "line 1 has no variant column"));
    };
    let date = h.find(&["date", "day"]);
    let spend = h.find_prefix("spend");
    let currency = spend.and_then(|i| currency_in_header(&head.fields[i]));
    meta.currency = currency.clone();
    'rows: while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let Some(v) = text(row.get(variant)) else {
            ctx.reject(
                row.line,
                Some(head.fields[variant].trim()),
                "",
                "the variant is empty",
            );
            continue;
        };
        let date_v = match date.and_then(|i| text(row.get(i))) {
            Some(d) => match parse_date(&d) {
                Ok(d) => Some(d.to_string()),
                Err(r) => {
                    ctx.reject(row.line, Some("Date"), &d, r);
                    continue;
                }
            },
            None => None,
        };
        let spend_v = match spend
            .map(|i| parse_money(row.get(i), currency.as_deref()))
            .transpose()
        {
            Ok(s) => s.flatten(),
            Err(r) => {
                let i = spend.unwrap_or(0);
                ctx.reject(row.line, Some(head.fields[i].trim()), row.get(i), r);
                continue;
            }
        };
        let mut metrics = Vec::new();
        for (i, name) in head.fields.iter().enumerate() {
            if i == variant || Some(i) == date || Some(i) == spend {
                continue;
            }
            match parse_count(row.get(i)) {
                Ok(Some(n)) => metrics.push((metric_name(name), n)),
                Ok(None) => {}
                Err(r) => {
                    ctx.reject(row.line, Some(name.trim()), row.get(i), r);
                    continue 'rows;
                }
            }
        }
        let record = AbAggregate {
            line: row.line,
            variant: v,
            date: date_v,
            spend: spend_v,
            metrics,
        };
        ctx.accept(Record::AbAggregate(record))?;
    }
    Ok(())
}
