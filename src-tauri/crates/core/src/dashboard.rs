//! The figures on the Dashboard: people, events, orders and revenue, revenue
//! by day (drawn as a chart), top products and campaign results.
//!
//! "Recent" means relative to the newest purchase in the workspace, not to the
//! clock: a workspace of last quarter's exports still shows its last 30 days.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use ts_rs::TS;

use crate::charts::{self, ChartTheme};
use crate::store::Workspace;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Kpis {
    #[ts(type = "number")]
    pub people: i64,
    #[ts(type = "number")]
    pub events: i64,
    #[ts(type = "number")]
    pub orders: i64,
    #[ts(type = "number")]
    pub buyers: i64,
    /// Revenue in the main currency over all the data.
    #[ts(type = "number")]
    pub revenue_minor: i64,
    #[ts(type = "number")]
    pub revenue_last_30_minor: i64,
    #[ts(type = "number")]
    pub revenue_previous_30_minor: i64,
    #[ts(type = "number")]
    pub orders_last_30: i64,
    #[ts(type = "number")]
    pub orders_previous_30: i64,
    /// Share of people who bought at least once, 0..1.
    pub buyer_rate: f64,
    #[ts(type = "number | null")]
    pub average_order_minor: Option<i64>,
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
    pub title: String,
    pub category: Option<String>,
    pub availability: Option<String>,
    #[ts(type = "number")]
    pub units: i64,
    #[ts(type = "number")]
    pub revenue_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, FromRow)]
pub struct CampaignSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub goal: String,
    pub channel: String,
    pub status: String,
    pub currency: Option<String>,
    #[ts(type = "number")]
    pub impressions: i64,
    #[ts(type = "number")]
    pub clicks: i64,
    #[ts(type = "number")]
    pub sends: i64,
    #[ts(type = "number")]
    pub opens: i64,
    #[ts(type = "number")]
    pub cost_minor: i64,
    pub conversions: f64,
    #[ts(type = "number")]
    pub revenue_minor: i64,
    /// Revenue / cost, when there was a cost.
    pub roas: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    pub workspace_name: String,
    /// True when the workspace holds no people and no events yet.
    pub is_empty: bool,
    /// The currency revenue figures are in (the one with the most revenue).
    pub currency: Option<String>,
    /// Other currencies that have revenue; never added into the main figures.
    pub other_currencies: Vec<String>,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub kpis: Kpis,
    pub revenue_by_day: Vec<DayRevenue>,
    /// Revenue by day drawn by plotters, as SVG; absent without revenue.
    pub revenue_chart_svg: Option<String>,
    pub top_products: Vec<TopProduct>,
    pub campaigns: Vec<CampaignSummary>,
}

const DAY_SQL: &str = "date(ts / 1000000, 'unixepoch')";

pub async fn dashboard(workspace: &Workspace, theme: ChartTheme) -> Result<Dashboard> {
    let pool = workspace.pool();
    let q = Error::db("reading dashboard figures");
    let people: i64 = sqlx::query_scalar("SELECT count(*) FROM people")
        .fetch_one(pool)
        .await
        .map_err(Error::db("counting people"))?;
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(pool)
        .await
        .map_err(Error::db("counting events"))?;
    let currencies: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency, sum(value_minor) AS total FROM events
         WHERE name = 'purchase' AND currency IS NOT NULL GROUP BY currency ORDER BY total DESC, currency",
    )
    .fetch_all(pool)
    .await
    .map_err(Error::db("summing revenue"))?;
    let currency = currencies.first().map(|c| c.0.clone());
    let other_currencies = currencies.iter().skip(1).map(|c| c.0.clone()).collect();

    let mut revenue_by_day: Vec<DayRevenue> = Vec::new();
    let mut kpis = Kpis {
        people,
        events,
        orders: 0,
        buyers: 0,
        revenue_minor: 0,
        revenue_last_30_minor: 0,
        revenue_previous_30_minor: 0,
        orders_last_30: 0,
        orders_previous_30: 0,
        buyer_rate: 0.0,
        average_order_minor: None,
    };
    let mut first_day = None;
    let mut last_day = None;
    let mut top_products = Vec::new();
    if let Some(cur) = &currency {
        let (orders, buyers, revenue): (i64, i64, i64) = sqlx::query_as(
            "SELECT count(DISTINCT order_id), count(DISTINCT person_id), coalesce(sum(value_minor), 0)
             FROM events WHERE name = 'purchase' AND currency = ?1",
        )
        .bind(cur)
        .fetch_one(pool)
        .await
        .map_err(Error::db("summing orders"))?;
        kpis.orders = orders;
        kpis.buyers = buyers;
        kpis.revenue_minor = revenue;
        kpis.buyer_rate = if people > 0 {
            buyers as f64 / people as f64
        } else {
            0.0
        };
        kpis.average_order_minor =
            (orders > 0).then(|| (revenue as f64 / orders as f64).round() as i64);

        let raw: Vec<DayRevenue> = sqlx::query_as(&format!(
            "SELECT {DAY_SQL} AS day, sum(value_minor) AS revenue_minor, count(DISTINCT order_id) AS orders
             FROM events WHERE name = 'purchase' AND currency = ?1 GROUP BY day ORDER BY day"
        ))
        .bind(cur)
        .fetch_all(pool)
        .await
        .map_err(Error::db("summing revenue by day"))?;
        revenue_by_day = fill_days(&raw);
        first_day = revenue_by_day.first().map(|d| d.day.clone());
        last_day = revenue_by_day.last().map(|d| d.day.clone());
        let n = revenue_by_day.len();
        for (i, day) in revenue_by_day.iter().enumerate() {
            let age = n - 1 - i;
            if age < 30 {
                kpis.revenue_last_30_minor += day.revenue_minor;
                kpis.orders_last_30 += day.orders;
            } else if age < 60 {
                kpis.revenue_previous_30_minor += day.revenue_minor;
                kpis.orders_previous_30 += day.orders;
            }
        }

        top_products = sqlx::query_as(
            "SELECT p.id AS product_id, p.title, p.category, p.availability,
                    coalesce(sum(e.quantity), count(*)) AS units, sum(e.value_minor) AS revenue_minor
             FROM events e JOIN products p ON p.id = e.product_id
             WHERE e.name = 'purchase' AND e.currency = ?1
             GROUP BY p.id ORDER BY revenue_minor DESC, p.title LIMIT 8",
        )
        .bind(cur)
        .fetch_all(pool)
        .await
        .map_err(Error::db("ranking products"))?;
    }

    let campaigns: Vec<CampaignSummary> = sqlx::query_as(
        "SELECT c.id, c.name, c.goal, c.channel, c.status, c.currency,
                coalesce(sum(m.impressions), 0) AS impressions, coalesce(sum(m.clicks), 0) AS clicks,
                coalesce(sum(m.sends), 0) AS sends, coalesce(sum(m.opens), 0) AS opens,
                coalesce(sum(m.cost_minor), 0) AS cost_minor, coalesce(sum(m.conversions), 0.0) AS conversions,
                coalesce(sum(m.revenue_minor), 0) AS revenue_minor,
                CASE WHEN sum(m.cost_minor) > 0 THEN CAST(sum(m.revenue_minor) AS REAL) / sum(m.cost_minor) END AS roas
         FROM campaigns c LEFT JOIN campaign_daily_metrics m ON m.campaign_id = c.id
         GROUP BY c.id
         ORDER BY CASE c.status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 WHEN 'draft' THEN 2 ELSE 3 END, revenue_minor DESC, c.name",
    )
    .fetch_all(pool)
    .await
    .map_err(q)?;

    let revenue_chart_svg = match &currency {
        Some(cur) if !revenue_by_day.is_empty() => {
            let points: Vec<(NaiveDate, f64)> = revenue_by_day
                .iter()
                .filter_map(|d| {
                    Some((
                        NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok()?,
                        d.revenue_minor as f64 / 100.0,
                    ))
                })
                .collect();
            Some(charts::revenue_by_day_svg(&points, cur, theme, (880, 280))?)
        }
        _ => None,
    };

    Ok(Dashboard {
        workspace_name: workspace.name(),
        is_empty: people == 0 && events == 0,
        currency,
        other_currencies,
        first_day,
        last_day,
        kpis,
        revenue_by_day,
        revenue_chart_svg,
        top_products,
        campaigns,
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
}
