//! GA4 report downloads and exploration downloads.
//!
//! Reports: a `#` comment block (title, `Account:`, `Property:`, `# All Users`,
//! `# Start date:`, `# End date:`) followed at once by the header; overview pages have
//! several sections, each with its own comment block, period and header, sometimes a
//! `# <question>` heading and sometimes no rows. Explorations: a comment block with the
//! property, `<exploration>-<tab>` and `YYYYMMDD-YYYYMMDD`, a blank line, the header, and
//! a first row that is the grand total (empty dimension and an extra `Grand total` field).
//! Comment lines are recognised only here, so a Shopify `#1051` is never mistaken for one.

use crate::records::{Ga4Cell, Ga4Row, Ga4Section, Record};
use crate::rows::{Ctx, Row};
use crate::values::{parse_date, DateRange};
use crate::{FileMeta, Format, FormatError};

fn comment_text(row: &Row) -> String {
    row.fields
        .join(",")
        .trim_start_matches('#')
        .trim()
        .to_string()
}

fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    let padded = t.len() > 1 && t.starts_with('0') && t.as_bytes()[1].is_ascii_digit();
    if padded || t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn iso(d: &str) -> Option<String> {
    parse_date(d).ok().map(|d| d.to_string())
}

pub(crate) fn parse(ctx: &mut Ctx, meta: &mut FileMeta, format: Format) -> Result<(), FormatError> {
    let mut current: Option<Ga4Section> = None;
    let mut heading: Option<String> = None;
    let mut start: Option<String> = None;
    let mut end: Option<String> = None;
    let mut in_preamble = true;
    let mut preamble_lines: Vec<String> = Vec::new();
    let mut saw_comment = false;
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        if row.get(0).starts_with('#') {
            saw_comment = true;
            ctx.structural();
            if let Some(done) = current.take() {
                meta.sections.push(done);
            }
            let t = comment_text(&row);
            if t.is_empty() || t.starts_with("---") {
                continue;
            }
            if let Some(d) = t.strip_prefix("Start date:") {
                start = iso(d);
            } else if let Some(d) = t.strip_prefix("End date:") {
                end = iso(d);
            } else if let Some(a) = t.strip_prefix("Account:") {
                meta.account = Some(a.trim().to_string());
            } else if let Some(p) = t.strip_prefix("Property:") {
                meta.property = Some(p.trim().to_string());
            } else if in_preamble {
                let range = DateRange::parse(&t);
                if format == Format::Ga4Exploration && range.start.is_some() && t.len() == 17 {
                    start = range.start;
                    end = range.end;
                } else {
                    preamble_lines.push(t);
                }
            } else if t != "All Users" {
                heading = Some(t);
            }
            continue;
        }
        if !saw_comment {
            return Err(ctx.not_this(
                format,
                format!("line {} comes before any '#' comment block", row.line),
            ));
        }
        match current.as_mut() {
            None => {
                ctx.structural();
                if in_preamble {
                    in_preamble = false;
                    match format {
                        Format::Ga4Exploration => {
                            meta.property = preamble_lines.first().cloned();
                            meta.title = preamble_lines.get(1).cloned();
                        }
                        _ => meta.title = preamble_lines.first().cloned(),
                    }
                }
                let period = DateRange {
                    label: format!(
                        "{} - {}",
                        start.as_deref().unwrap_or(""),
                        end.as_deref().unwrap_or("")
                    ),
                    start: start.clone(),
                    end: end.clone(),
                };
                if meta.period.is_none() {
                    meta.period = Some(period.clone());
                }
                meta.header = row.fields.clone();
                current = Some(Ga4Section {
                    number: meta.sections.len() as u32 + 1,
                    heading: heading.take(),
                    header: row.fields.clone(),
                    period,
                    first_line: row.line,
                    rows: 0,
                    grand_total: Vec::new(),
                });
            }
            Some(section) => {
                let n = section.header.len();
                if section.rows == 0
                    && section.grand_total.is_empty()
                    && row.fields.len() == n + 1
                    && row.get(n).trim() == "Grand total"
                {
                    ctx.structural();
                    section.grand_total = row.fields[..n].to_vec();
                    continue;
                }
                if row.fields.len() != n {
                    let got = row.fields.len();
                    ctx.reject(
                        row.line,
                        None,
                        &row.fields.join(","),
                        format!("the row has {got} fields, the header has {n}"),
                    );
                    continue;
                }
                section.rows += 1;
                let cells = section
                    .header
                    .iter()
                    .zip(row.fields.iter())
                    .map(|(c, t)| Ga4Cell {
                        column: c.clone(),
                        text: t.clone(),
                        number: number(t),
                    })
                    .collect();
                let record = Ga4Row {
                    line: row.line,
                    section: section.number,
                    cells,
                };
                ctx.accept(Record::Ga4Row(record))?;
            }
        }
    }
    if let Some(done) = current.take() {
        meta.sections.push(done);
    }
    if meta.sections.is_empty() {
        return Err(ctx.not_this(format, "no header follows the '#' comment block"));
    }
    Ok(())
}
