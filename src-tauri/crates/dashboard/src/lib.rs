//! The figures on the Dashboard: people, events, orders and buyers over every
//! import, and revenue per currency — each currency with its own period,
//! revenue by day (drawn as a chart) and top products. Campaign results come
//! from `rebound-campaigns`, the one KPI layer.
//!
//! Dates follow the data, never the clock (see `time`): "recent" means the
//! last 30 days of that currency's purchases, so last quarter's exports still
//! show their last 30 days, and a REES46 log of 2019 beside this year's
//! Shopify orders shows each where it is. An order is a purchase's order id,
//! or, for event logs without one, the person and the moment of the purchase.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use ts_rs::TS;

use rebound_charts::{self as charts, ChartTheme};
use rebound_core::names;
use rebound_core::store::Workspace;
use rebound_core::{Error, Result};

/// Figures over every currency: counts, which never mix money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Kpis {
    #[ts(type = "number")]
    pub people: i64,
    #[ts(type = "number")]
    pub events: i64,
    /// Orders in every currency and from every source (order exports and
    /// event logs alike).
    #[ts(type = "number")]
    pub orders: i64,
    /// People who bought at least once.
    #[ts(type = "number")]
    pub buyers: i64,
    /// Share of people who bought at least once, 0..1.
    pub buyer_rate: f64,
}

/// Revenue in one currency, over that currency's own period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CurrencyRevenue {
    pub currency: String,
    /// First and last day with a purchase in this currency.
    pub first_day: String,
    pub last_day: String,
    #[ts(type = "number")]
    pub revenue_minor: i64,
    #[ts(type = "number")]
    pub orders: i64,
    #[ts(type = "number")]
    pub buyers: i64,
    /// The last 30 days up to `last_day`, and the 30 before.
    #[ts(type = "number")]
    pub revenue_last_30_minor: i64,
    #[ts(type = "number")]
    pub revenue_previous_30_minor: i64,
    #[ts(type = "number")]
    pub orders_last_30: i64,
    #[ts(type = "number")]
    pub orders_previous_30: i64,
    /// Whether the data reaches back 60 days, so the previous 30 mean something.
    pub has_previous_period: bool,
    #[ts(type = "number | null")]
    pub average_order_minor: Option<i64>,
    pub revenue_by_day: Vec<DayRevenue>,
    /// Revenue by day drawn by plotters, as SVG.
    pub revenue_chart_svg: Option<String>,
    pub top_products: Vec<TopProduct>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, FromRow)]
pub struct DayRevenue {
    pub day: String,
    #[ts(type = "number")]
    pub revenue_minor: i64,
    #[ts(type = "number")]
    pub orders: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, FromRow)]
pub struct TopProduct {
    #[ts(type = "number")]
    pub product_id: i64,
    /// The product's id in the shop's own data.
    pub external_id: String,
    /// Told apart from other listed products of the same title by its id.
    pub title: String,
    /// The category as a marketer reads it ("Electronics › Smartphone"),
    /// none when the data gives only an id.
    pub category: Option<String>,
    pub brand: Option<String>,
    pub availability: Option<String>,
    #[ts(type = "number")]
    pub units: i64,
    #[ts(type = "number")]
    pub revenue_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    pub workspace_name: String,
    /// True when the workspace holds no people, events or reports yet.
    pub is_empty: bool,
    /// The workspace holds Rebound's demo data (sample data, not a shop's own).
    pub has_demo_data: bool,
    /// The first and last day of all the data: events, ad reports and
    /// analytics reports.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub kpis: Kpis,
    /// One block per currency with purchases, the most revenue first.
    pub currencies: Vec<CurrencyRevenue>,
}

/// An order's identity: its order id, else the buyer and the moment (an
/// event log's purchase rows of one checkout share both).
const ORDER_KEY: &str = "coalesce(order_id, person_id || ':' || ts)";
const DAY_SQL: &str = "date(ts / 1000000, 'unixepoch')";

/// The workspace holds Rebound's demo data: every screen labels it sample data.
pub async fn has_demo_data(workspace: &Workspace) -> Result<bool> {
    sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM imports WHERE format = 'demo' AND status = 'complete')",
    )
    .fetch_one(workspace.pool())
    .await
    .map_err(Error::db("looking for demo data"))
}

pub async fn dashboard(workspace: &Workspace, theme: ChartTheme) -> Result<Dashboard> {
    let pool = workspace.pool();
    let count = |sql: &'static str, op: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .map_err(Error::db(op))
    };
    let people = count("SELECT count(*) FROM people", "counting people").await?;
    let events = count("SELECT count(*) FROM events", "counting events").await?;
    let (orders, buyers): (i64, i64) = sqlx::query_as(&format!(
        "SELECT count(DISTINCT {ORDER_KEY}), count(DISTINCT person_id) FROM events WHERE name = 'purchase'"
    ))
    .fetch_one(pool)
    .await
    .map_err(Error::db("counting orders"))?;
    let reports = count(
        "SELECT (SELECT count(*) FROM ad_metrics) + (SELECT count(*) FROM report_rows)",
        "counting report rows",
    )
    .await?;
    let has_demo_data = has_demo_data(workspace).await?;
    let (first_day, last_day) = data_days(workspace).await?;

    let currencies: Vec<String> = sqlx::query_scalar(
        "SELECT currency FROM events WHERE name = 'purchase' AND currency IS NOT NULL
         GROUP BY currency ORDER BY sum(value_minor) DESC, currency",
    )
    .fetch_all(pool)
    .await
    .map_err(Error::db("summing revenue"))?;
    let mut blocks = Vec::with_capacity(currencies.len());
    for currency in currencies {
        blocks.push(currency_block(workspace, &currency, theme).await?);
    }
    Ok(Dashboard {
        workspace_name: workspace.name(),
        is_empty: people == 0 && events == 0 && reports == 0,
        has_demo_data,
        first_day,
        last_day,
        kpis: Kpis {
            people,
            events,
            orders,
            buyers,
            buyer_rate: if people > 0 {
                buyers as f64 / people as f64
            } else {
                0.0
            },
        },
        currencies: blocks,
    })
}

/// The first and last day of everything the workspace holds: events (from
/// their index, one seek per name), ad-report days and periods, and the
/// periods of analytics reports.
async fn data_days(workspace: &Workspace) -> Result<(Option<String>, Option<String>)> {
    let mut days: Vec<String> = Vec::new();
    if let Some(span) = rebound_core::time::events_span(workspace, &[]).await? {
        days.push(span.first_day().to_string());
        days.push(span.last_day().to_string());
    }
    let (first, last): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT min(d), max(d) FROM (
             SELECT min(day) AS d FROM campaign_daily_metrics UNION ALL SELECT max(day) FROM campaign_daily_metrics
             UNION ALL SELECT min(period_start) FROM ad_metrics UNION ALL SELECT max(period_end) FROM ad_metrics
             UNION ALL SELECT min(period_start) FROM report_rows UNION ALL SELECT max(period_end) FROM report_rows)
         WHERE d GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'",
    )
    .fetch_one(workspace.pool())
    .await
    .map_err(Error::db("finding the days of the data"))?;
    days.extend(first);
    days.extend(last);
    days.sort();
    Ok((days.first().cloned(), days.last().cloned()))
}

async fn currency_block(
    workspace: &Workspace,
    currency: &str,
    theme: ChartTheme,
) -> Result<CurrencyRevenue> {
    let pool = workspace.pool();
    let (orders, buyers, revenue): (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT count(DISTINCT {ORDER_KEY}), count(DISTINCT person_id), coalesce(sum(value_minor), 0)
         FROM events WHERE name = 'purchase' AND currency = ?1"
    ))
    .bind(currency)
    .fetch_one(pool)
    .await
    .map_err(Error::db("summing orders"))?;
    let raw: Vec<DayRevenue> = sqlx::query_as(&format!(
        "SELECT {DAY_SQL} AS day, coalesce(sum(value_minor), 0) AS revenue_minor,
                count(DISTINCT {ORDER_KEY}) AS orders
         FROM events WHERE name = 'purchase' AND currency = ?1 GROUP BY day ORDER BY day"
    ))
    .bind(currency)
    .fetch_all(pool)
    .await
    .map_err(Error::db("summing revenue by day"))?;
    let revenue_by_day = fill_days(&raw);
    let first_day = revenue_by_day
        .first()
        .map(|d| d.day.clone())
        .unwrap_or_default();
    let last_day = revenue_by_day
        .last()
        .map(|d| d.day.clone())
        .unwrap_or_default();
    let n = revenue_by_day.len();
    let (mut last_30, mut previous_30, mut orders_30, mut orders_prev) = (0, 0, 0, 0);
    for (i, day) in revenue_by_day.iter().enumerate() {
        let age = n - 1 - i;
        if age < 30 {
            last_30 += day.revenue_minor;
            orders_30 += day.orders;
        } else if age < 60 {
            previous_30 += day.revenue_minor;
            orders_prev += day.orders;
        }
    }
    let mut top_products: Vec<TopProduct> = sqlx::query_as(
        "SELECT p.id AS product_id, p.external_id, p.title, p.category, p.brand, p.availability,
                coalesce(sum(e.quantity), count(*)) AS units, coalesce(sum(e.value_minor), 0) AS revenue_minor
         FROM events e JOIN products p ON p.id = e.product_id
         WHERE e.name = 'purchase' AND e.currency = ?1
         GROUP BY p.id ORDER BY revenue_minor DESC, p.title LIMIT 8",
    )
    .bind(currency)
    .fetch_all(pool)
    .await
    .map_err(Error::db("ranking products"))?;
    for product in &mut top_products {
        product.category = product.category.as_deref().and_then(names::category_name);
    }
    names::tell_apart(
        top_products
            .iter_mut()
            .map(|p| (p.external_id.as_str(), &mut p.title)),
    );
    let points: Vec<(NaiveDate, f64)> = chart_days(&revenue_by_day)
        .iter()
        .filter_map(|d| {
            Some((
                NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok()?,
                rebound_core::money::to_major(d.revenue_minor, currency),
            ))
        })
        .collect();
    let revenue_chart_svg = if points.is_empty() {
        None
    } else {
        Some(charts::revenue_by_day_svg(
            &points,
            currency,
            theme,
            (880, 280),
        )?)
    };
    Ok(CurrencyRevenue {
        currency: currency.to_string(),
        first_day,
        last_day,
        revenue_minor: revenue,
        orders,
        buyers,
        revenue_last_30_minor: last_30,
        revenue_previous_30_minor: previous_30,
        orders_last_30: orders_30,
        orders_previous_30: orders_prev,
        has_previous_period: n > 30,
        average_order_minor: (orders > 0).then(|| (revenue as f64 / orders as f64).round() as i64),
        revenue_by_day,
        revenue_chart_svg,
        top_products,
    })
}

/// Days without orders are days with zero revenue, not gaps in the chart.
fn fill_days(days: &[DayRevenue]) -> Vec<DayRevenue> {
    let parsed: Vec<(NaiveDate, &DayRevenue)> = days
        .iter()
        .filter_map(|d| Some((NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok()?, d)))
        .collect();
    let (Some(first), Some(last)) = (parsed.first(), parsed.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut next = parsed.iter().peekable();
    let mut day = first.0;
    while day <= last.0 {
        match next.peek() {
            Some((d, row)) if *d == day => {
                out.push((*row).clone());
                next.next();
            }
            _ => out.push(DayRevenue {
                day: day.to_string(),
                revenue_minor: 0,
                orders: 0,
            }),
        }
        day += Duration::days(1);
    }
    out
}

/// The days a chart shows: a single day of orders gets a quiet day on each
/// side, so it is drawn as a peak rather than an empty axis.
fn chart_days(days: &[DayRevenue]) -> Vec<DayRevenue> {
    match days {
        [only] => {
            let Ok(d) = NaiveDate::parse_from_str(&only.day, "%Y-%m-%d") else {
                return days.to_vec();
            };
            let quiet = |d: NaiveDate| DayRevenue {
                day: d.to_string(),
                revenue_minor: 0,
                orders: 0,
            };
            vec![
                quiet(d - Duration::days(1)),
                only.clone(),
                quiet(d + Duration::days(1)),
            ]
        }
        _ => days.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str, r: i64) -> DayRevenue {
        DayRevenue {
            day: d.into(),
            revenue_minor: r,
            orders: 1,
        }
    }

    #[test]
    fn fill_days_adds_zero_days_between() {
        let filled = fill_days(&[day("2026-10-30", 5), day("2026-11-02", 7)]);
        let days: Vec<_> = filled
            .iter()
            .map(|d| (d.day.as_str(), d.revenue_minor))
            .collect();
        assert_eq!(
            days,
            [
                ("2026-10-30", 5),
                ("2026-10-31", 0),
                ("2026-11-01", 0),
                ("2026-11-02", 7)
            ]
        );
        assert!(fill_days(&[]).is_empty());
    }

    #[test]
    fn a_single_day_is_charted_between_two_quiet_days() {
        let shown = chart_days(&[day("2025-12-06", 58_594_200)]);
        let days: Vec<_> = shown
            .iter()
            .map(|d| (d.day.as_str(), d.revenue_minor))
            .collect();
        assert_eq!(
            days,
            [
                ("2025-12-05", 0),
                ("2025-12-06", 58_594_200),
                ("2025-12-07", 0)
            ]
        );
    }
}
