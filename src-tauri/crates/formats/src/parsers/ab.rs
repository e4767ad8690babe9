//! A/B result files: one row per person (`userid,version,...,retention_1` with `TRUE`/
//! `FALSE`, or `user_id,timestamp,group,landing_page,converted`) and totals per variant
//! (the "Control Campaign"/"Test Campaign" daily files with `1.08.2019` dates, a
//! `Spend [USD]` column, inconsistent `# of`/`of` header spellings and empty cells).

use super::text;
use crate::ab::{self, AbHeader, PersonColumns};
use crate::records::{AbAggregate, AbPerson, Record};
use crate::rows::{Ctx, Header};
use crate::values::{
    currency_in_header, is_blank, parse_count, parse_date, parse_money, parse_timestamp,
};
use crate::{FileMeta, Format, FormatError, ParseOptions};

pub(crate) fn per_person(
    ctx: &mut Ctx,
    meta: &mut FileMeta,
    opts: &ParseOptions,
) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::AbPerPerson, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    // The columns' roles are `experiment analyze`'s, from the one A/B reader;
    // the conversion is the column chosen at import, when there is one.
    let header = AbHeader::new(&head.fields);
    let columns = PersonColumns {
        converted: opts.ab_conversion.clone().filter(|c| !c.trim().is_empty()),
        ..PersonColumns::default()
    };
    let roles = header
        .person_roles(&columns)
        .map_err(|missing| ctx.not_this(Format::AbPerPerson, missing.to_string()))?;
    let (Some(unit), Some(variant)) = (roles.unit, roles.variant) else {
        return Err(ctx.not_this(
            Format::AbPerPerson,
            "line 1 lacks a person id column or a variant column",
        ));
    };
    let names = header.names();
    let outcome = roles.converted.map(|i| names[i].clone());
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let (Some(u), Some(v)) = (text(row.get(unit)), text(row.get(variant))) else {
            ctx.reject(
                row.line,
                Some(names[unit].as_str()),
                row.get(unit),
                "the person id or the variant is empty",
            );
            continue;
        };
        if let Some(c) = roles.converted {
            if ab::parse_flag(row.get(c)).is_none() {
                let reason = format!("'{}' is not a boolean", row.get(c));
                ctx.reject(row.line, Some(names[c].as_str()), row.get(c), reason);
                continue;
            }
        }
        let mut metrics = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if i == unit || i == variant || Some(i) == roles.time || is_blank(row.get(i)) {
                continue;
            }
            let cell = row.get(i);
            if let Some(b) = ab::parse_flag(cell) {
                metrics.push((name.clone(), if b { 1.0 } else { 0.0 }));
            } else if let Some(x) = ab::parse_number(cell) {
                metrics.push((name.clone(), x));
            }
        }
        let record = AbPerson {
            line: row.line,
            unit_id: u,
            variant: v,
            // Only a timestamp that states its zone is kept; none is guessed.
            timestamp_micros: roles
                .time
                .and_then(|i| parse_timestamp(row.get(i), false).ok()),
            metrics,
            outcome: outcome.clone(),
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
    let totals = AbHeader::new(&head.fields);
    let Some(variant) = totals
        .detect(&ab::VARIANT_NAMES, &[], &[])
        .or_else(|| totals.detect(&ab::TOTALS_VARIANT_NAMES, &[], &[]))
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
