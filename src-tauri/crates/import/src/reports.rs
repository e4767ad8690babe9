//! Analytics reports as their files had them: GA4 report and exploration
//! downloads, Search Console tables, Google Ads Editor entities and per-day
//! A/B aggregates, kept in `report_rows` by the import. Data › Reports lists
//! each with its own columns, period and totals; rows are read a page at a
//! time.
//!
//! Totals add up counts only (views, users, clicks, impressions); rates,
//! averages and positions are not summable, and Search Console's CTR is
//! recomputed from the summed clicks and impressions.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sqlx::Row;
use ts_rs::TS;

use rebound_core::store::Workspace;
use rebound_core::{Error, Result};

/// One report: a section of an imported file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReportSummary {
    #[ts(type = "number")]
    pub import_id: i64,
    pub file_name: String,
    /// `ga4`, `search_console`, `google_ads_editor`, `ab_aggregate`.
    pub source: String,
    /// What the report is, in words ("GA4 report", "Search Console: queries").
    pub kind: String,
    /// The report's own title, when the file gives one.
    pub title: Option<String>,
    pub section: u32,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    /// The period as the file names it when it has no dates ("Last 3 months").
    pub period_label: Option<String>,
    pub columns: Vec<ReportColumn>,
    #[ts(type = "number")]
    pub rows: i64,
    /// One per column: the column's total when it is a count, else null.
    pub totals: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReportColumn {
    pub name: String,
    pub numeric: bool,
}

/// A page of a report's rows, cells as the file wrote them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReportPage {
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<Vec<String>>,
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub offset: i64,
}

/// A count worth adding up, by the column's name: not a rate, an average, a
/// share, a duration or a position, and not a numbered dimension (a day
/// number, a date, an id), whose sum means nothing.
fn summable(column: &str) -> bool {
    let c = column.to_lowercase();
    let dimension = c.split(|ch: char| !ch.is_alphanumeric()).any(|word| {
        matches!(
            word,
            "nth" | "day" | "date" | "week" | "month" | "year" | "hour" | "minute" | "id" | "rank"
        )
    });
    ![
        "rate", " per ", "average", "avg", "duration", "%", "position", "ctr", "share", "ratio",
        "bounce", "score",
    ]
    .iter()
    .any(|w| c.contains(w))
        && !c.ends_with(" per")
        && !dimension
}

fn gsc_dimension(d: &str) -> &str {
    match d {
        "query" => "Query",
        "page" => "Page",
        "country" => "Country",
        "device" => "Device",
        "search_appearance" => "Search appearance",
        "date" => "Date",
        other => other,
    }
}

/// The cells of one stored row, in column order, with the column names.
fn cells(
    source: &str,
    dimension: Option<&str>,
    key: Option<&str>,
    data: &str,
) -> Vec<(String, String, Option<f64>)> {
    let json: Json = serde_json::from_str(data).unwrap_or(Json::Null);
    match source {
        "ga4" => json
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["column"].as_str().unwrap_or_default().to_string(),
                    c["text"].as_str().unwrap_or_default().to_string(),
                    c["number"].as_f64(),
                )
            })
            .collect(),
        "search_console" => {
            let num = |k: &str| json[k].as_f64();
            let ctr = num("ctr");
            vec![
                (
                    gsc_dimension(dimension.unwrap_or("")).to_string(),
                    key.unwrap_or_default().to_string(),
                    None,
                ),
                (
                    "Clicks".into(),
                    num("clicks").map(|v| v.to_string()).unwrap_or_default(),
                    num("clicks"),
                ),
                (
                    "Impressions".into(),
                    num("impressions")
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    num("impressions"),
                ),
                (
                    "CTR".into(),
                    ctr.map(|v| format!("{:.2}%", v * 100.0))
                        .unwrap_or_default(),
                    ctr,
                ),
                (
                    "Position".into(),
                    num("position")
                        .map(|v| format!("{v:.1}"))
                        .unwrap_or_default(),
                    num("position"),
                ),
            ]
        }
        _ => {
            // Editor entities and A/B aggregates: the key, then every field flat.
            let mut out = vec![(
                "Name".to_string(),
                key.unwrap_or_default().to_string(),
                None,
            )];
            let flat = |v: &Json, out: &mut Vec<(String, String, Option<f64>)>| {
                if let Some(map) = v.as_object() {
                    for (k, v) in map {
                        let name = k.clone();
                        match v {
                            Json::Object(_) => {}
                            Json::Array(a) => out.push((
                                name,
                                a.iter()
                                    .map(|x| {
                                        x.as_str()
                                            .map(str::to_string)
                                            .unwrap_or_else(|| x.to_string())
                                    })
                                    .collect::<Vec<_>>()
                                    .join("; "),
                                None,
                            )),
                            Json::Null => out.push((name, String::new(), None)),
                            Json::String(s) => {
                                out.push((name, s.clone(), s.replace(',', "").parse().ok()))
                            }
                            other => out.push((name, other.to_string(), other.as_f64())),
                        }
                    }
                }
            };
            flat(&json, &mut out);
            for nested in ["metrics", "attributes"] {
                flat(&json[nested], &mut out);
            }
            out
        }
    }
}

fn kind_of(source: &str, dimension: Option<&str>) -> String {
    match source {
        "ga4" => "GA4 report".into(),
        "search_console" => format!(
            "Search Console: {}",
            gsc_dimension(dimension.unwrap_or("")).to_lowercase()
        ),
        "google_ads_editor" => "Google Ads Editor export".into(),
        "ab_aggregate" => "A/B results by day".into(),
        other => other.to_string(),
    }
}

/// Every report of the workspace's complete imports, newest import first.
pub async fn list(workspace: &Workspace) -> Result<Vec<ReportSummary>> {
    let groups = sqlx::query(
        "SELECT r.import_id, i.file_name, r.source, r.section,
                (SELECT r2.dimension FROM report_rows r2 WHERE r2.import_id = r.import_id
                   AND r2.section = r.section AND coalesce(r2.dimension, '') <> 'filter' LIMIT 1),
                min(r.period_start), max(r.period_end), count(*), i.details
         FROM report_rows r JOIN imports i ON i.id = r.import_id
         WHERE i.status = 'complete' AND coalesce(r.dimension, '') <> 'filter'
         GROUP BY r.import_id, r.section ORDER BY r.import_id DESC, r.section",
    )
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("listing reports"))?;
    let mut out = Vec::with_capacity(groups.len());
    for g in &groups {
        let import_id: i64 = g.get(0);
        let source: String = g.get(2);
        let section: i64 = g.get(3);
        let dimension: Option<String> = g.get(4);
        let details: Json = serde_json::from_str(g.get::<&str, _>(8)).unwrap_or(Json::Null);
        let rows = sqlx::query(
            "SELECT dimension, key, data FROM report_rows
             WHERE import_id = ?1 AND section = ?2 AND coalesce(dimension, '') <> 'filter'
             ORDER BY line",
        )
        .bind(import_id)
        .bind(section)
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("reading a report"))?;
        let mut columns: Vec<ReportColumn> = Vec::new();
        let mut totals: Vec<Option<f64>> = Vec::new();
        let mut all_numeric: Vec<bool> = Vec::new();
        for r in &rows {
            let row = cells(&source, r.get(0), r.get(1), r.get(2));
            for (name, text, number) in row {
                let at = match columns.iter().position(|c| c.name == name) {
                    Some(at) => at,
                    None => {
                        columns.push(ReportColumn {
                            name: name.clone(),
                            numeric: false,
                        });
                        totals.push(Some(0.0));
                        all_numeric.push(true);
                        columns.len() - 1
                    }
                };
                match number {
                    Some(n) if summable(&name) => {
                        if let Some(t) = totals[at].as_mut() {
                            *t += n;
                        }
                    }
                    Some(_) => totals[at] = None,
                    None if text.trim().is_empty() => {}
                    None => {
                        all_numeric[at] = false;
                        totals[at] = None;
                    }
                }
            }
        }
        for (i, c) in columns.iter_mut().enumerate() {
            c.numeric = all_numeric[i];
            if !c.numeric || !summable(&c.name) {
                totals[i] = None;
            }
        }
        if source == "search_console" {
            // CTR of the totals: summed clicks over summed impressions.
            let at = |n: &str| columns.iter().position(|c| c.name == n);
            if let (Some(c), Some(i), Some(r)) = (at("Clicks"), at("Impressions"), at("CTR")) {
                totals[r] = match (totals[c], totals[i]) {
                    (Some(c), Some(i)) if i > 0.0 => Some(c / i),
                    _ => None,
                };
            }
        }
        let period = &details["period"];
        out.push(ReportSummary {
            import_id,
            file_name: g.get(1),
            kind: kind_of(&source, dimension.as_deref()),
            source,
            title: details["title"].as_str().map(str::to_string),
            section: section as u32,
            period_start: g.get(5),
            period_end: g.get(6),
            period_label: period["label"].as_str().map(str::to_string),
            columns,
            rows: g.get(7),
            totals,
        });
    }
    Ok(out)
}

/// Rows `offset..offset + limit` of one report, in the file's order.
pub async fn rows(
    workspace: &Workspace,
    import_id: i64,
    section: u32,
    offset: i64,
    limit: i64,
) -> Result<ReportPage> {
    let summary = list(workspace)
        .await?
        .into_iter()
        .find(|r| r.import_id == import_id && r.section == section)
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "import {import_id} has no report section {section}"
            ))
        })?;
    let rows = sqlx::query(
        "SELECT source, dimension, key, data FROM report_rows
         WHERE import_id = ?1 AND section = ?2 AND coalesce(dimension, '') <> 'filter'
         ORDER BY line LIMIT ?3 OFFSET ?4",
    )
    .bind(import_id)
    .bind(i64::from(section))
    .bind(limit.clamp(1, 1000))
    .bind(offset.max(0))
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading a report"))?;
    let table = rows
        .iter()
        .map(|r| {
            let row = cells(r.get(0), r.get(1), r.get(2), r.get(3));
            summary
                .columns
                .iter()
                .map(|c| {
                    row.iter()
                        .find(|(n, _, _)| *n == c.name)
                        .map(|(_, t, _)| t.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    Ok(ReportPage {
        columns: summary.columns,
        rows: table,
        total: summary.rows,
        offset: offset.max(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_counts_are_added_up() {
        for c in [
            "Views",
            "Active users",
            "Sessions",
            "Event count",
            "Clicks",
            "Impressions",
            "Total users",
        ] {
            assert!(summable(c), "{c}");
        }
        for c in [
            "Views per active user",
            "Average engagement time per active user",
            "Engagement rate",
            "Bounce rate",
            "CTR",
            "Position",
            "Average session duration",
            "Nth day",
            "Date",
            "Week",
            "Item ID",
        ] {
            assert!(!summable(c), "{c}");
        }
    }
}
