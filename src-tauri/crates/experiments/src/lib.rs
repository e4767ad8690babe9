//! Experiments stored in the workspace: listing them, turning their rows into
//! the statistics engine's input, the analysis with its charts, exports, and
//! planner defaults taken from the workspace's own history.
//!
//! The statistics themselves live in `rebound-stats`; this crate only reads
//! the workspace and draws. Beside the analysis: [`audience_tests`] (an A/B
//! test of a segment, split into arms here), [`split_tests`] (a test read from
//! imported campaign reports) and [`ab_rows`] (the rows an imported A/B file
//! makes, written inside the import's transaction).

pub mod ab_rows;
pub mod audience_tests;
pub mod split_tests;

use std::path::Path;

use chrono::NaiveDate;
use rebound_stats::{
    analyze, formulas, minimum_detectable_effect, sample_size, AnalysisOptions, CovariateMoments,
    Design, ExperimentData, ExperimentReport, Formula, MdePlan, SamplePlan, VariantSummary,
};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use ts_rs::TS;

use rebound_charts::{self as charts, ChartTheme};
use rebound_core::money;
use rebound_core::store::Workspace;
use rebound_core::time::MICROS_PER_DAY;
use rebound_core::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, FromRow)]
pub struct ExperimentListItem {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub hypothesis: Option<String>,
    pub status: String,
    pub metric: String,
    #[ts(type = "number")]
    pub variants: i64,
    /// Units in the experiment, all variants together.
    #[ts(type = "number")]
    pub units: i64,
    /// What the units are, in the plural: "people", "impressions", "website clicks".
    pub unit_label: String,
    /// ISO 4217 code of its revenue (revenue per person), when it has any.
    pub currency: Option<String>,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
}

/// Charts of one analysis, as SVG drawn by plotters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExperimentCharts {
    /// Relative lift of each treatment with its interval (fixed-horizon and always-valid).
    pub forest_svg: Option<String>,
    /// Posterior density of each variant's conversion rate.
    pub posterior_svg: Option<String>,
    /// Cumulative conversion rate per variant by day, when exposure times are known.
    pub cumulative_svg: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExperimentDetail {
    pub experiment: ExperimentListItem,
    pub data: ExperimentData,
    pub report: ExperimentReport,
    pub charts: ExperimentCharts,
    pub formulas: Vec<Formula>,
}

/// An analysis of figures typed in by hand (or pasted from another tool).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ManualAnalysis {
    pub report: ExperimentReport,
    pub charts: ExperimentCharts,
}

/// Which chart or table to export, and as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExperimentExport {
    /// The per-variant table.
    Csv,
    /// The forest plot.
    Svg,
    /// The forest plot as an image.
    Png,
}

/// Planner inputs, with the workspace's own history as the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlannerDefaults {
    /// Share of recently active people who bought, 0..1.
    pub baseline_rate: Option<f64>,
    /// People active per day, on average over the last 30 days of data.
    pub daily_traffic: Option<f64>,
    /// Where the numbers come from, in words.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanRequest {
    pub design: Design,
    /// The relative lift to detect, e.g. 0.1 for +10%.
    pub relative_mde: f64,
    /// Optional fixed sample per variant, to compute the detectable effect.
    #[ts(type = "number | null")]
    pub n_per_variant: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanResult {
    pub sample: SamplePlan,
    pub mde: Option<MdePlan>,
}

const ITEM_SQL: &str = "SELECT e.id, e.name, e.hypothesis, e.status, e.metric,
        (SELECT count(*) FROM experiment_variants v WHERE v.experiment_id = e.id) AS variants,
        coalesce((SELECT count(*) FROM experiment_exposures x JOIN experiment_variants v ON v.id = x.variant_id
                  WHERE v.experiment_id = e.id),
                 0) AS units,
        coalesce(e.unit_label, 'people') AS unit_label,
        e.currency,
        CASE WHEN e.started_at IS NULL THEN NULL ELSE date(e.started_at / 1000000, 'unixepoch') END AS started_on,
        CASE WHEN e.ended_at IS NULL THEN NULL ELSE date((e.ended_at - 1) / 1000000, 'unixepoch') END AS ended_on
    FROM experiments e";

pub async fn list(workspace: &Workspace) -> Result<Vec<ExperimentListItem>> {
    let mut items: Vec<ExperimentListItem> =
        sqlx::query_as(&format!("{ITEM_SQL} ORDER BY e.created_at DESC, e.id DESC"))
            .fetch_all(workspace.pool())
            .await
            .map_err(Error::db("listing experiments"))?;
    for item in &mut items {
        if item.units == 0 {
            item.units = aggregate_units(workspace, item.id).await?;
        }
    }
    Ok(items)
}

async fn aggregate_units(workspace: &Workspace, id: i64) -> Result<i64> {
    sqlx::query_scalar(
        "SELECT coalesce(sum(n), 0) FROM experiment_variants WHERE experiment_id = ?1",
    )
    .bind(id)
    .fetch_one(workspace.pool())
    .await
    .map_err(Error::db("counting experiment units"))
}

async fn item(workspace: &Workspace, id: i64) -> Result<ExperimentListItem> {
    let mut item: ExperimentListItem = sqlx::query_as(&format!("{ITEM_SQL} WHERE e.id = ?1"))
        .bind(id)
        .fetch_optional(workspace.pool())
        .await
        .map_err(Error::db("reading an experiment"))?
        .ok_or_else(|| Error::NotFound(format!("there is no experiment {id} in this workspace")))?;
    if item.units == 0 {
        item.units = aggregate_units(workspace, id).await?;
    }
    Ok(item)
}

#[derive(FromRow)]
struct VariantRow {
    name: String,
    n: i64,
    conversions: Option<i64>,
    value_sum: Option<f64>,
    value_sum_sq: Option<f64>,
    exposures: i64,
    x_n: i64,
    x_sum: Option<f64>,
    x_sum_sq: Option<f64>,
    x_value: Option<f64>,
    x_converted: Option<f64>,
    x_conversions: Option<i64>,
    x_value_sum: Option<f64>,
    x_value_sum_sq: Option<f64>,
}

/// The engine's input for an experiment: per-person exposures when the
/// workspace has them (revenue per exposed person as the value metric, the
/// pre-period covariate for CUPED), else the stored per-variant totals.
pub async fn data(workspace: &Workspace, id: i64) -> Result<ExperimentData> {
    let rows: Vec<VariantRow> = sqlx::query_as(
        "SELECT v.name, v.n, v.conversions, v.value_sum, v.value_sum_sq,
                count(x.id) AS exposures,
                count(x.covariate) AS x_n,
                sum(x.covariate) AS x_sum,
                sum(x.covariate * x.covariate) AS x_sum_sq,
                sum(x.covariate * coalesce(x.value_minor, 0)) AS x_value,
                sum(x.covariate * x.converted) AS x_converted,
                sum(x.converted) AS x_conversions,
                sum(coalesce(x.value_minor, 0) * 1.0) AS x_value_sum,
                sum(coalesce(x.value_minor, 0) * 1.0 * coalesce(x.value_minor, 0)) AS x_value_sum_sq
         FROM experiment_variants v LEFT JOIN experiment_exposures x ON x.variant_id = v.id
         WHERE v.experiment_id = ?1
         GROUP BY v.id ORDER BY v.is_control DESC, v.id",
    )
    .bind(id)
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading experiment variants"))?;
    let (metric, label, currency): (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT metric, conversion_label, currency FROM experiments WHERE id = ?1")
            .bind(id)
            .fetch_one(workspace.pool())
            .await
            .map_err(Error::db("reading an experiment"))?;
    // Exposures keep minor units; the engine reads major units of the
    // experiment's currency (a sum, a sum of squares, a product with the covariate).
    let currency = currency.unwrap_or_default();
    let major = |minor: f64| money::minor_f64_to_major(minor, &currency);
    let per_person = !rows.is_empty() && rows.iter().all(|r| r.exposures > 0);
    let mut variants = Vec::with_capacity(rows.len());
    for row in rows {
        let summary = if per_person {
            let covariate = (row.x_n == row.exposures && row.x_n > 0).then(|| CovariateMoments {
                sum: row.x_sum.unwrap_or(0.0),
                sum_squares: row.x_sum_sq.unwrap_or(0.0),
                value_products: row.x_value.map(major),
                conversion_products: row.x_converted,
            });
            VariantSummary {
                name: row.name,
                n: row.exposures as u64,
                conversions: Some(row.x_conversions.unwrap_or(0).max(0) as u64),
                sum: Some(major(row.x_value_sum.unwrap_or(0.0))),
                sum_squares: Some(major(major(row.x_value_sum_sq.unwrap_or(0.0)))),
                covariate,
            }
        } else {
            VariantSummary {
                name: row.name,
                n: row.n.max(0) as u64,
                conversions: row.conversions.map(|c| c.max(0) as u64),
                sum: row.value_sum,
                sum_squares: row.value_sum_sq,
                covariate: None,
            }
        };
        variants.push(summary);
    }
    Ok(ExperimentData {
        variants,
        conversion_metric: Some(match label {
            Some(label) => label,
            None if metric == "conversion" => "purchase".into(),
            None => "conversion".into(),
        }),
        value_metric: per_person.then(|| "revenue per person".to_string()),
    })
}

/// The split the sample-ratio check compares with.
#[derive(Debug, Clone, PartialEq)]
enum PlannedSplit {
    /// Each variant's planned share, in the order of [`data`] (audience tests).
    Shares(Vec<f64>),
    /// Equal shares: people were assigned at random, one row each (an A/B
    /// results file per person).
    Equal,
    /// Nobody planned it: an ad report's ad sets or campaigns, or daily
    /// totals per campaign.
    Unplanned,
}

async fn planned_split(workspace: &Workspace, id: i64) -> Result<PlannedSplit> {
    let op = "reading experiment variants";
    let shares: Vec<Option<f64>> = sqlx::query_scalar(
        "SELECT planned_share FROM experiment_variants WHERE experiment_id = ?1
         ORDER BY is_control DESC, id",
    )
    .bind(id)
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db(op))?;
    if let Some(shares) = shares.into_iter().collect::<Option<Vec<f64>>>() {
        return Ok(PlannedSplit::Shares(shares));
    }
    let (kind, per_person): (Option<String>, bool) = sqlx::query_as(
        "SELECT subject_kind, EXISTS (SELECT 1 FROM experiment_exposures x
                 JOIN experiment_variants v ON v.id = x.variant_id WHERE v.experiment_id = e.id)
         FROM experiments e WHERE e.id = ?1",
    )
    .bind(id)
    .fetch_one(workspace.pool())
    .await
    .map_err(Error::db(op))?;
    Ok(match kind.as_deref() {
        Some("ad_report") => PlannedSplit::Unplanned,
        Some("import") if !per_person => PlannedSplit::Unplanned,
        _ => PlannedSplit::Equal,
    })
}

/// The analysis of one stored experiment, with its charts and formulas.
pub async fn detail(workspace: &Workspace, id: i64, theme: ChartTheme) -> Result<ExperimentDetail> {
    let experiment = item(workspace, id).await?;
    let data = data(workspace, id).await?;
    let options = match planned_split(workspace, id).await? {
        PlannedSplit::Shares(shares) => AnalysisOptions {
            srm_weights: Some(shares),
            ..AnalysisOptions::default()
        },
        PlannedSplit::Equal => AnalysisOptions::default(),
        PlannedSplit::Unplanned => AnalysisOptions {
            no_planned_split: true,
            ..AnalysisOptions::default()
        },
    };
    let report = analyze(&data, &options)?;
    let cumulative = cumulative_rates(workspace, id).await?;
    let charts = ExperimentCharts {
        forest_svg: charts::forest_svg(&report, theme).ok(),
        posterior_svg: charts::posterior_svg(&data, theme).ok(),
        cumulative_svg: if cumulative.is_empty() {
            None
        } else {
            charts::cumulative_svg(&cumulative, theme).ok()
        },
    };
    Ok(ExperimentDetail {
        experiment,
        data,
        report,
        charts,
        formulas: formulas(),
    })
}

/// Analyses per-variant figures entered by hand: people and conversions (and
/// optionally value sums) per variant. Nothing is stored.
pub fn analyze_manual(data: &ExperimentData, theme: ChartTheme) -> Result<ManualAnalysis> {
    let report = analyze(data, &AnalysisOptions::default())?;
    let charts = ExperimentCharts {
        forest_svg: charts::forest_svg(&report, theme).ok(),
        posterior_svg: charts::posterior_svg(data, theme).ok(),
        cumulative_svg: None,
    };
    Ok(ManualAnalysis { report, charts })
}

/// Cumulative conversion rate per variant and day: (variant, [(day, rate)]).
async fn cumulative_rates(
    workspace: &Workspace,
    id: i64,
) -> Result<Vec<(String, Vec<(NaiveDate, f64)>)>> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT v.name, date(x.exposed_at / 1000000, 'unixepoch') AS day, count(*), sum(x.converted)
         FROM experiment_exposures x JOIN experiment_variants v ON v.id = x.variant_id
         WHERE v.experiment_id = ?1 GROUP BY v.id, day ORDER BY v.is_control DESC, v.id, day",
    )
    .bind(id)
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading exposures by day"))?;
    let mut series: Vec<(String, Vec<(NaiveDate, f64)>)> = Vec::new();
    let (mut n, mut c) = (0i64, 0i64);
    for (variant, day, count, conversions) in rows {
        if series.last().map(|s| &s.0) != Some(&variant) {
            series.push((variant.clone(), Vec::new()));
            n = 0;
            c = 0;
        }
        n += count;
        c += conversions;
        if let Ok(date) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
            series
                .last_mut()
                .expect("pushed above")
                .1
                .push((date, c as f64 / n as f64));
        }
    }
    Ok(series)
}

/// Writes the per-variant table (CSV) or the forest plot (SVG, PNG) to `path`.
pub async fn export(
    workspace: &Workspace,
    id: i64,
    format: ExperimentExport,
    path: &Path,
) -> Result<()> {
    let detail = detail(workspace, id, ChartTheme::Light).await?;
    match format {
        ExperimentExport::Csv => {
            let text = report_csv(&detail.report);
            std::fs::write(path, text).map_err(Error::io("write", path))
        }
        ExperimentExport::Svg => {
            let svg = detail
                .charts
                .forest_svg
                .ok_or_else(|| Error::InvalidInput("this experiment has no lift to plot".into()))?;
            std::fs::write(path, svg).map_err(Error::io("write", path))
        }
        ExperimentExport::Png => charts::forest_png(&detail.report, path),
    }
}

/// The report's per-variant table as CSV, one row per variant.
pub fn report_csv(report: &ExperimentReport) -> String {
    let mut out = String::from(
        "variant,is_control,n,conversions,rate,relative_lift,lift_lower,lift_upper,p_value,p_value_holm,p_value_bh,chance_to_beat_control,expected_loss,mean,value_relative_lift,value_p_value\n",
    );
    let num = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
    for v in &report.variants {
        let c = v.conversion.as_ref();
        let m = v.value.as_ref();
        let name = if v.name.contains([',', '"', '\n']) {
            format!("\"{}\"", v.name.replace('"', "\"\""))
        } else {
            v.name.clone()
        };
        out.push_str(&format!(
            "{name},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            v.is_control,
            v.n,
            v.conversions.map(|c| c.to_string()).unwrap_or_default(),
            num(v.rate),
            num(c.and_then(|c| c.relative_lift)),
            num(c.and_then(|c| c.relative_interval.as_ref().map(|i| i.lower))),
            num(c.and_then(|c| c.relative_interval.as_ref().map(|i| i.upper))),
            num(c.and_then(|c| c.p_value)),
            num(c.and_then(|c| c.p_value_holm)),
            num(c.and_then(|c| c.p_value_bh)),
            num(c.and_then(|c| c.chance_to_beat_control)),
            num(c.and_then(|c| c.expected_loss)),
            num(v.mean),
            num(m.and_then(|m| m.relative_lift)),
            num(m.and_then(|m| m.p_value)),
        ));
    }
    out
}

/// Baseline and traffic for the planner from the last 30 days of data: the
/// share of active people who bought, and active people per day. Active
/// means a visit where the workspace has visits (sessions), else any event in
/// the event log (an imported log has events but no sessions).
pub async fn planner_defaults(workspace: &Workspace) -> Result<PlannerDefaults> {
    let pool = workspace.pool();
    let op = "reading recent activity";
    let sessions: Option<i64> = sqlx::query_scalar("SELECT max(started_at) FROM sessions")
        .fetch_one(pool)
        .await
        .map_err(Error::db(op))?;
    let (last, activity, at, visited) = match sessions {
        Some(last) => (last, "sessions", "started_at", "visited"),
        None => {
            let events: Option<i64> = sqlx::query_scalar("SELECT max(ts) FROM events")
                .fetch_one(pool)
                .await
                .map_err(Error::db(op))?;
            let Some(last) = events else {
                return Ok(PlannerDefaults {
                    baseline_rate: None,
                    daily_traffic: None,
                    source: "This workspace has no visits or events yet; enter a baseline and daily traffic.".into(),
                });
            };
            (last, "events", "ts", "were active")
        }
    };
    let from = last - 30 * MICROS_PER_DAY;
    let active: i64 = sqlx::query_scalar(&format!(
        "SELECT count(DISTINCT person_id) FROM {activity} WHERE {at} > ?1"
    ))
    .bind(from)
    .fetch_one(pool)
    .await
    .map_err(Error::db("counting active people"))?;
    let daily: f64 = sqlx::query_scalar(&format!(
        "SELECT avg(n) FROM (SELECT count(DISTINCT person_id) AS n FROM {activity} WHERE {at} > ?1
         GROUP BY date({at} / 1000000, 'unixepoch'))"
    ))
    .bind(from)
    .fetch_one(pool)
    .await
    .map_err(Error::db("counting daily visitors"))?;
    let buyers: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT person_id) FROM events WHERE name = 'purchase' AND ts > ?1",
    )
    .bind(from)
    .fetch_one(pool)
    .await
    .map_err(Error::db("counting buyers"))?;
    let rate = (active > 0).then(|| buyers as f64 / active as f64);
    let until = rebound_core::time::day_of(last);
    let whence = if sessions.is_some() {
        "From this workspace's visits"
    } else {
        "From the event log (no visits are recorded)"
    };
    Ok(PlannerDefaults {
        baseline_rate: rate,
        daily_traffic: Some(daily),
        source: format!(
            "{whence}, the 30 days to {until}: {active} people {visited} ({daily:.0} a day) and {buyers} of them bought."
        ),
    })
}

/// Sample size for the request's effect and, when a sample is given, the
/// effect that sample can detect.
pub fn plan(request: &PlanRequest) -> Result<PlanResult> {
    let sample = sample_size(&request.design, request.relative_mde)?;
    let mde = match request.n_per_variant {
        Some(n) => Some(minimum_detectable_effect(&request.design, n)?),
        None => None,
    };
    Ok(PlanResult { sample, mde })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rebound_core::CancelToken;
    use rebound_demo::{generate, DemoOptions};

    async fn demo() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("x.rebound"))
            .await
            .unwrap();
        let options = DemoOptions {
            people: 3_000,
            seed: 5,
            end_date: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            currency: rebound_demo::CURRENCY.to_string(),
        };
        generate(&ws, &options, &|_| {}, &CancelToken::new())
            .await
            .unwrap();
        (dir, ws)
    }

    #[tokio::test]
    async fn the_demo_experiment_is_listed_and_analysed_from_its_exposures() {
        let (_dir, ws) = demo().await;
        let items = list(&ws).await.unwrap();
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.name, "Cart e-mail subject line");
        assert_eq!(item.status, "finished");
        assert_eq!(item.variants, 2);
        let detail = detail(&ws, item.id, ChartTheme::Light).await.unwrap();
        let n: u64 = detail.report.variants.iter().map(|v| v.n).sum();
        assert_eq!(n as i64, item.units);
        assert!(detail.report.variants[0].is_control);
        let treatment = detail.report.variants[1].conversion.as_ref().unwrap();
        assert!(treatment.p_value.is_some() && treatment.chance_to_beat_control.is_some());
        assert!(
            detail.data.variants.iter().all(|v| v.covariate.is_some()),
            "the pre-period covariate feeds CUPED"
        );
        assert!(!detail.report.verdict.headline.is_empty());
        assert!(detail
            .charts
            .forest_svg
            .as_deref()
            .unwrap()
            .starts_with("<svg"));
        assert!(detail.charts.posterior_svg.is_some());
        assert!(detail.charts.cumulative_svg.is_some());
        assert!(detail.formulas.len() >= 10);
    }

    #[tokio::test]
    async fn stored_totals_are_used_when_there_are_no_exposures() {
        let (_dir, ws) = demo().await;
        let from_exposures = data(&ws, 1).await.unwrap();
        sqlx::query("DELETE FROM experiment_exposures")
            .execute(ws.pool())
            .await
            .unwrap();
        let from_totals = data(&ws, 1).await.unwrap();
        for (a, b) in from_exposures.variants.iter().zip(&from_totals.variants) {
            assert_eq!(a.n, b.n);
            assert_eq!(a.conversions, b.conversions);
        }
        assert!(from_totals.variants.iter().all(|v| v.covariate.is_none()));
    }

    /// Revenue per person in a yen test is whole yen: exposures keep minor
    /// units, and the engine reads them with JPY's exponent (0), not as cents.
    #[tokio::test]
    async fn revenue_reads_in_the_experiment_s_own_currency() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("jp.rebound"))
            .await
            .unwrap();
        let pool = ws.pool();
        for (currency, id) in [("JPY", 1), ("KWD", 2)] {
            sqlx::query(
                "INSERT INTO experiments (id, name, status, metric, created_at, currency)
                 VALUES (?1, 'Yen test', 'finished', 'conversion', 0, ?2)",
            )
            .bind(id)
            .bind(currency)
            .execute(pool)
            .await
            .unwrap();
            for (v, control) in [(id * 10, 1), (id * 10 + 1, 0)] {
                sqlx::query(
                    "INSERT INTO experiment_variants (id, experiment_id, name, is_control)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .bind(v)
                .bind(id)
                .bind(format!("arm {v}"))
                .bind(control)
                .execute(pool)
                .await
                .unwrap();
                for value in [Some(12_990), Some(2_500), None] {
                    sqlx::query(
                        "INSERT INTO experiment_exposures (variant_id, exposed_at, converted, value_minor, covariate)
                         VALUES (?1, 0, ?2, ?3, 1.0)",
                    )
                    .bind(v)
                    .bind(i64::from(value.is_some()))
                    .bind(value)
                    .execute(pool)
                    .await
                    .unwrap();
                }
            }
        }
        let yen = data(&ws, 1).await.unwrap();
        let arm = &yen.variants[0];
        assert_eq!(arm.n, 3);
        assert_eq!(arm.sum, Some(15_490.0));
        assert_eq!(
            arm.sum_squares,
            Some(12_990.0 * 12_990.0 + 2_500.0 * 2_500.0)
        );
        assert_eq!(
            arm.covariate.as_ref().unwrap().value_products,
            Some(15_490.0)
        );
        let dinar = data(&ws, 2).await.unwrap();
        assert_eq!(dinar.variants[0].sum, Some(15.49));
        assert_eq!(list(&ws).await.unwrap()[0].currency.as_deref(), Some("KWD"));
        ws.close().await;
    }

    #[tokio::test]
    async fn exports_write_csv_svg_and_png() {
        let (dir, ws) = demo().await;
        for (format, name) in [
            (ExperimentExport::Csv, "r.csv"),
            (ExperimentExport::Svg, "r.svg"),
            (ExperimentExport::Png, "r.png"),
        ] {
            let path = dir.path().join(name);
            export(&ws, 1, format, &path).await.unwrap();
            let bytes = std::fs::read(&path).unwrap();
            match format {
                ExperimentExport::Csv => {
                    let text = String::from_utf8(bytes).unwrap();
                    assert!(text.starts_with("variant,is_control,n,"));
                    assert_eq!(text.lines().count(), 3);
                }
                ExperimentExport::Svg => assert!(bytes.starts_with(b"<svg")),
                ExperimentExport::Png => assert!(bytes.starts_with(b"\x89PNG")),
            }
        }
        let err = export(&ws, 99, ExperimentExport::Csv, &dir.path().join("x.csv"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::NotFound);
    }

    #[tokio::test]
    async fn planner_uses_the_workspace_history() {
        let (_dir, ws) = demo().await;
        let defaults = planner_defaults(&ws).await.unwrap();
        let rate = defaults.baseline_rate.unwrap();
        assert!(rate > 0.0 && rate < 1.0, "{rate}");
        assert!(defaults.daily_traffic.unwrap() > 1.0);
        assert!(defaults.source.contains("people visited"));
        let result = plan(&PlanRequest {
            design: Design {
                baseline: rebound_stats::Baseline::Rate { rate },
                alpha: 0.05,
                power: 0.8,
                variants: 2,
                daily_traffic: defaults.daily_traffic,
            },
            relative_mde: 0.1,
            n_per_variant: Some(5_000),
        })
        .unwrap();
        assert!(result.sample.n_per_variant > 100);
        assert!(result.sample.days.is_some());
        assert!(result.mde.unwrap().relative_mde > 0.0);
        let empty = Workspace::create(&_dir.path().join("empty.rebound"))
            .await
            .unwrap();
        assert!(planner_defaults(&empty)
            .await
            .unwrap()
            .baseline_rate
            .is_none());
    }

    #[test]
    fn figures_typed_by_hand_are_analysed_and_bad_ones_refused() {
        let data = ExperimentData::new(vec![
            VariantSummary::conversions("Control", 10_000, 1_000),
            VariantSummary::conversions("New headline", 10_000, 1_150),
        ]);
        let result = analyze_manual(&data, ChartTheme::Dark).unwrap();
        let lift = result.report.variants[1].conversion.as_ref().unwrap();
        assert!((lift.relative_lift.unwrap() - 0.15).abs() < 1e-9);
        assert!(lift.p_value.unwrap() < 0.01);
        assert!(result.charts.forest_svg.is_some() && result.charts.posterior_svg.is_some());
        assert!(result.charts.cumulative_svg.is_none());
        let bad = ExperimentData::new(vec![
            VariantSummary::conversions("A", 10, 20),
            VariantSummary::conversions("B", 10, 1),
        ]);
        assert_eq!(
            analyze_manual(&bad, ChartTheme::Light).unwrap_err().code(),
            rebound_core::ErrorCode::InvalidInput
        );
    }

    #[test]
    fn csv_quotes_names_with_commas() {
        let report = analyze(
            &ExperimentData::new(vec![
                VariantSummary::conversions("A, plain", 1000, 100),
                VariantSummary::conversions("B", 1000, 120),
            ]),
            &AnalysisOptions::default(),
        )
        .unwrap();
        let csv = report_csv(&report);
        assert!(csv
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("\"A, plain\",true,1000,100,0.1,"));
    }
}
