//! A/B tests run on an ad platform, read from an imported report: Meta's
//! split tests (and Google Ads experiments) report each arm as an ad set, an
//! ad or a campaign. The person picks what the variants are, what counts as
//! a trial (impressions, link clicks, ...) and what as a conversion, and the
//! result is stored as an experiment of that import (undoing the import
//! removes it).

use serde::{Deserialize, Serialize};
use sqlx::Row as _;
use ts_rs::TS;

use rebound_core::{Error, Result, Workspace};

/// What the arms of the test are in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SplitBy {
    Campaign,
    AdSet,
    Ad,
}

impl SplitBy {
    fn column(self) -> &'static str {
        match self {
            SplitBy::Campaign => "c.name",
            SplitBy::AdSet => "m.ad_group",
            SplitBy::Ad => "m.ad",
        }
    }

    fn words(self) -> &'static str {
        match self {
            SplitBy::Campaign => "campaign",
            SplitBy::AdSet => "ad set",
            SplitBy::Ad => "ad",
        }
    }
}

/// A countable metric of the report: `impressions`, `reach`, `clicks`,
/// `conversions`, or another numeric column by its header (`Landing page views`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SplitMetric {
    pub key: String,
    pub label: String,
    #[ts(type = "number")]
    pub total: u64,
}

/// One arm with its totals, in the order of `SplitOptions::metrics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SplitArm {
    pub name: String,
    #[ts(type = "Array<number>")]
    pub totals: Vec<u64>,
}

/// The ways an imported ad report can be read as a test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SplitOptions {
    #[ts(type = "number")]
    pub import_id: i64,
    pub file_name: String,
    pub metrics: Vec<SplitMetric>,
    /// For each grouping with at least two arms, the arms.
    pub groupings: Vec<SplitGrouping>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SplitGrouping {
    pub by: SplitBy,
    pub arms: Vec<SplitArm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SplitRequest {
    #[ts(type = "number")]
    pub import_id: i64,
    pub by: SplitBy,
    /// Metric key of what each unit had a chance to do (e.g. `impressions`).
    pub trials: String,
    /// Metric key of what counts as a conversion (e.g. `clicks`).
    pub conversions: String,
    /// The arm to compare the others with; the first one when absent.
    pub control: Option<String>,
    pub name: Option<String>,
}

const FIXED: [(&str, &str); 4] = [
    ("impressions", "Impressions"),
    ("reach", "Reach (summed per row)"),
    ("clicks", "Clicks"),
    ("conversions", "Conversions (results)"),
];

/// SQL for a metric's value in an `ad_metrics` row `m`; `None` for unknown keys.
fn metric_sql(key: &str, others: &[String]) -> Option<String> {
    if FIXED.iter().any(|(k, _)| *k == key) {
        return Some(format!("coalesce(m.{key}, 0)"));
    }
    let name = key.strip_prefix("other:")?;
    others.iter().any(|o| o == name).then(|| {
        let path = format!("$.\"{}\"", name.replace('"', "\\\""));
        format!(
            "coalesce(CAST(replace(json_extract(m.other, '{}'), ',', '') AS REAL), 0)",
            path.replace('\'', "''")
        )
    })
}

/// Numeric columns the report kept besides the fixed ones.
async fn other_columns(workspace: &Workspace, import_id: i64) -> Result<Vec<String>> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT j.key FROM ad_metrics m, json_each(m.other) j
         WHERE m.import_id = ?1 AND j.type IN ('text', 'integer', 'real')
           AND CAST(replace(j.value, ',', '') AS REAL) > 0
           AND trim(replace(replace(j.value, ',', ''), '.', '')) GLOB '[0-9]*'
           AND trim(replace(replace(j.value, ',', ''), '.', '')) NOT GLOB '*[^0-9]*'
         ORDER BY j.key",
    )
    .bind(import_id)
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading the report's columns"))?;
    Ok(keys)
}

/// What an imported ad report offers to read as a test.
pub async fn options(workspace: &Workspace, import_id: i64) -> Result<SplitOptions> {
    let file_name: Option<String> =
        sqlx::query_scalar("SELECT file_name FROM imports WHERE id = ?1 AND status = 'complete'")
            .bind(import_id)
            .fetch_optional(workspace.pool())
            .await
            .map_err(Error::db("reading the import"))?;
    let file_name = file_name
        .ok_or_else(|| Error::NotFound(format!("there is no import number {import_id}")))?;
    let others = other_columns(workspace, import_id).await?;
    let mut metrics: Vec<(String, String)> = FIXED
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect();
    metrics.extend(others.iter().map(|o| (format!("other:{o}"), o.clone())));
    let sums = metrics
        .iter()
        .map(|(k, _)| {
            format!(
                "CAST(sum({}) AS INTEGER)",
                metric_sql(k, &others).expect("known")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut groupings = Vec::new();
    let mut totals = vec![0u64; metrics.len()];
    for by in [SplitBy::AdSet, SplitBy::Ad, SplitBy::Campaign] {
        let rows = sqlx::query(&format!(
            "SELECT {} AS arm, {sums} FROM ad_metrics m JOIN campaigns c ON c.id = m.campaign_id
             WHERE m.import_id = ?1 AND {} IS NOT NULL GROUP BY arm ORDER BY arm",
            by.column(),
            by.column()
        ))
        .bind(import_id)
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("totalling the report"))?;
        let arms: Vec<SplitArm> = rows
            .iter()
            .map(|r| SplitArm {
                name: r.get(0),
                totals: (0..metrics.len())
                    .map(|i| r.get::<Option<i64>, _>(i + 1).unwrap_or(0).max(0) as u64)
                    .collect(),
            })
            .collect();
        if by == SplitBy::Campaign {
            for arm in &arms {
                for (t, v) in totals.iter_mut().zip(&arm.totals) {
                    *t += v;
                }
            }
        }
        if arms.len() >= 2 {
            groupings.push(SplitGrouping { by, arms });
        }
    }
    Ok(SplitOptions {
        import_id,
        file_name,
        metrics: metrics
            .into_iter()
            .zip(totals)
            .filter(|(_, total)| *total > 0)
            .map(|((key, label), total)| SplitMetric { key, label, total })
            .collect(),
        groupings,
    })
}

/// Stores the test as an experiment of the import, created at `now` (UTC
/// micros); returns its id.
pub async fn create(workspace: &Workspace, request: &SplitRequest, now: i64) -> Result<i64> {
    let options = options(workspace, request.import_id).await?;
    let grouping = options
        .groupings
        .iter()
        .find(|g| g.by == request.by)
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{} has fewer than two {}s to compare",
                options.file_name,
                request.by.words()
            ))
        })?;
    let index = |key: &str| {
        options
            .metrics
            .iter()
            .position(|m| m.key == key)
            .ok_or_else(|| {
                Error::InvalidInput(format!("{} has no metric '{key}'", options.file_name))
            })
    };
    let (trials, conversions) = (index(&request.trials)?, index(&request.conversions)?);
    if trials == conversions {
        return Err(Error::InvalidInput(
            "the trials and the conversions must be different metrics".into(),
        ));
    }
    let label = |i: usize| options.metrics[i].label.clone();
    for arm in &grouping.arms {
        if arm.totals[conversions] > arm.totals[trials] {
            return Err(Error::InvalidInput(format!(
                "in {} '{}', {} ({}) exceed {} ({}): a conversion must come from a trial, so choose a larger denominator",
                request.by.words(),
                arm.name,
                label(conversions).to_lowercase(),
                arm.totals[conversions],
                label(trials).to_lowercase(),
                arm.totals[trials]
            )));
        }
    }
    let control = match &request.control {
        Some(c) => grouping
            .arms
            .iter()
            .position(|a| &a.name == c)
            .ok_or_else(|| {
                Error::InvalidInput(format!("there is no {} '{c}'", request.by.words()))
            })?,
        None => 0,
    };
    let name = request
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| {
            format!(
                "{}: {} per {} by {}",
                options.file_name,
                label(conversions),
                label(trials).to_lowercase(),
                request.by.words()
            )
        });
    let mut tx = workspace
        .pool()
        .begin()
        .await
        .map_err(Error::db("starting to store the test"))?;
    // The units are what each arm had a chance to convert: "impressions".
    let unit = label(trials).to_lowercase();
    let unit = unit.split(" (").next().unwrap_or(&unit).to_string();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO experiments (name, hypothesis, status, metric, subject_kind, created_at, import_id,
                                  conversion_label, unit_label)
         VALUES (?1, ?2, 'finished', 'conversion', 'ad_report', ?3, ?4, 'conversion', ?5) RETURNING id",
    )
    .bind(&name)
    .bind(format!(
        "Read from {}: each {} is a variant; {} out of {}.",
        options.file_name,
        request.by.words(),
        label(conversions),
        label(trials).to_lowercase()
    ))
    .bind(now)
    .bind(request.import_id)
    .bind(unit)
    .fetch_one(&mut *tx)
    .await
    .map_err(Error::db("storing the test"))?;
    for (i, arm) in grouping.arms.iter().enumerate() {
        sqlx::query(
            "INSERT INTO experiment_variants (experiment_id, name, is_control, n, conversions)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(id)
        .bind(&arm.name)
        .bind(i64::from(i == control))
        .bind(arm.totals[trials] as i64)
        .bind(arm.totals[conversions] as i64)
        .execute(&mut *tx)
        .await
        .map_err(Error::db("storing a variant"))?;
    }
    tx.commit().await.map_err(Error::db("saving the test"))?;
    Ok(id)
}
