//! Google Search Console performance exports (`Chart.csv`, `Queries.csv`, `Pages.csv`,
//! `Countries.csv`, `Devices.csv`, `Search appearance.csv`) and `Filters.csv`, the only
//! file that holds the date range. CTR is a percent string of varying precision; queries
//! may hold newlines inside quotes (the CSV reader keeps them in one record).

use crate::records::{GscDimension, GscFilter, GscRow, Record};
use crate::rows::{Ctx, Header};
use crate::values::{parse_count, parse_date, parse_decimal, parse_percent, DateRange};
use crate::{FileMeta, Format, FormatError};

pub(crate) fn performance(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::SearchConsolePerformance, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let dimension = match h.names.first().map(String::as_str) {
        Some("date") => GscDimension::Date,
        Some("top queries" | "query") => GscDimension::Query,
        Some("top pages" | "page") => GscDimension::Page,
        Some("country") => GscDimension::Country,
        Some("device") => GscDimension::Device,
        Some("search appearance") => GscDimension::SearchAppearance,
        _ => {
            return Err(ctx.not_this(
                Format::SearchConsolePerformance,
                "line 1 does not start with a Search Console dimension",
            ))
        }
    };
    let (Some(clicks), Some(impr), Some(ctr), Some(pos)) = (
        h.find(&["clicks"]),
        h.find(&["impressions"]),
        h.find(&["ctr"]),
        h.find(&["position"]),
    ) else {
        return Err(ctx.not_this(
            Format::SearchConsolePerformance,
            "line 1 lacks 'Clicks', 'Impressions', 'CTR' or 'Position'",
        ));
    };
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let key = row.get(0).to_string();
        if dimension == GscDimension::Date {
            if let Err(reason) = parse_date(&key) {
                ctx.reject(row.line, Some("Date"), &key, reason);
                continue;
            }
        }
        let c = parse_count(row.get(clicks)).map_err(|r| ("Clicks", row.get(clicks), r));
        let i = parse_count(row.get(impr)).map_err(|r| ("Impressions", row.get(impr), r));
        let t = parse_percent(row.get(ctr)).map_err(|r| ("CTR", row.get(ctr), r));
        let p = parse_decimal(row.get(pos)).map_err(|r| ("Position", row.get(pos), r));
        match (c, i, t, p) {
            (Ok(c), Ok(i), Ok(t), Ok(p)) => {
                let record = GscRow {
                    line: row.line,
                    dimension,
                    key,
                    clicks: c.unwrap_or(0),
                    impressions: i.unwrap_or(0),
                    ctr: t.map(|t| t.fraction),
                    position: p,
                };
                ctx.accept(Record::GscRow(record))?;
            }
            (Err((col, v, r)), ..)
            | (_, Err((col, v, r)), ..)
            | (_, _, Err((col, v, r)), _)
            | (.., Err((col, v, r))) => {
                let v = v.to_string();
                ctx.reject(row.line, Some(col), &v, r);
            }
        }
    }
    Ok(())
}

pub(crate) fn filters(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::SearchConsoleFilters, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        if row.fields.len() != 2 {
            let got = row.fields.len();
            ctx.reject(
                row.line,
                None,
                &row.fields.join(","),
                format!("the row has {got} fields, expected 2"),
            );
            continue;
        }
        if row.get(0).trim() == "Date" {
            meta.period = Some(DateRange::parse(row.get(1)));
        }
        let record = GscFilter {
            line: row.line,
            filter: row.get(0).trim().to_string(),
            value: row.get(1).trim().to_string(),
        };
        ctx.accept(Record::GscFilter(record))?;
    }
    Ok(())
}
