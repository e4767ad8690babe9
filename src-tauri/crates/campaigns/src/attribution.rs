//! Attribution from the event log, four models side by side.
//!
//! A conversion is an order (purchase events sharing an `order_id`, or one
//! purchase event without one) at the time of its first line. Its
//! touchpoints are the person's engagement events that name a campaign —
//! ad impressions and clicks, e-mail opens and clicks, SMS and push clicks —
//! at or before the conversion and within the lookback window. Sends are not
//! touchpoints: a message nobody opened did not touch anyone. Each touchpoint
//! counts for the campaign its campaign is attached to.
//!
//! Models: last touch (all credit to the last touchpoint), first touch (to the
//! first), linear (equal shares), position-based (40 % first, 40 % last, 20 %
//! shared by the middle; two touchpoints 50/50; one gets everything).
//! Conversions with no touchpoint go to "No campaign touch", so every model
//! sums to the total conversions and revenue. Revenue stays in its currency.

use std::collections::{BTreeMap, HashMap};

use chrono::Duration;
use rebound_core::time::MICROS_PER_DAY;
use rebound_core::{Error, Result, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::metrics::{campaign_names, day};
use crate::store::OWNER_SQL;

/// The event names that count as touchpoints.
pub const TOUCH_EVENTS: [&str; 7] = [
    "ad_impression",
    "ad_click",
    "email_open",
    "email_click",
    "sms_click",
    "push_open",
    "push_click",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttributionQuery {
    pub from: String,
    pub to: String,
    pub lookback_days: u32,
}

/// Credit a model gives a campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Credit {
    pub conversions: f64,
    /// Minor units of the block's currency.
    pub revenue_minor: f64,
}

impl Credit {
    fn add(&mut self, share: f64, value: f64) {
        self.conversions += share;
        self.revenue_minor += share * value;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttributionRow {
    /// None for conversions no campaign touched.
    #[ts(type = "number | null")]
    pub campaign_id: Option<i64>,
    pub campaign: String,
    pub last_touch: Credit,
    pub first_touch: Credit,
    pub linear: Credit,
    pub position_based: Credit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttributionBlock {
    pub currency: String,
    #[ts(type = "number")]
    pub conversions: u64,
    #[ts(type = "number")]
    pub revenue_minor: i64,
    /// Conversions with at least one touchpoint.
    #[ts(type = "number")]
    pub touched: u64,
    pub rows: Vec<AttributionRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttributionReport {
    pub from: String,
    pub to: String,
    pub lookback_days: u32,
    pub touch_events: Vec<String>,
    pub blocks: Vec<AttributionBlock>,
}

/// Shares of credit for `n` touchpoints in time order, per model:
/// (last, first, linear, position-based).
pub fn shares(n: usize) -> [Vec<f64>; 4] {
    let mut last = vec![0.0; n];
    let mut first = vec![0.0; n];
    if n > 0 {
        last[n - 1] = 1.0;
        first[0] = 1.0;
    }
    let linear = vec![1.0 / n as f64; n];
    let position = match n {
        0 => vec![],
        1 => vec![1.0],
        2 => vec![0.5, 0.5],
        _ => {
            let mut v = vec![0.2 / (n - 2) as f64; n];
            v[0] = 0.4;
            v[n - 1] = 0.4;
            v
        }
    };
    [last, first, linear, position]
}

struct Conversion {
    person: i64,
    ts: i64,
    value: i64,
    currency: String,
}

pub async fn attribution(workspace: &Workspace, q: &AttributionQuery) -> Result<AttributionReport> {
    let from = day("from date", &q.from)?;
    let to = day("to date", &q.to)?;
    if to < from {
        return Err(Error::InvalidInput(format!(
            "the to date {to} is before the from date {from}"
        )));
    }
    if q.lookback_days == 0 || q.lookback_days > 365 {
        return Err(Error::InvalidInput(format!(
            "a lookback of {} days is outside 1 to 365",
            q.lookback_days
        )));
    }
    let micros = |d: chrono::NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp_micros()
    };
    let start = micros(from);
    let end = micros(to + Duration::days(1));
    let lookback = i64::from(q.lookback_days) * MICROS_PER_DAY;
    let db = |op: &'static str| move |source| Error::Database { op, source };
    let rows = sqlx::query(
        "SELECT person_id, min(ts), sum(coalesce(value_minor, 0)), max(coalesce(currency, ''))
         FROM events
         WHERE name = 'purchase' AND ts >= ?1 AND ts < ?2
         GROUP BY person_id, coalesce(order_id, 'event:' || id)",
    )
    .bind(start)
    .bind(end)
    .fetch_all(workspace.pool())
    .await
    .map_err(db("reading purchases"))?;
    let fallback: String = sqlx::query_scalar(
        "SELECT coalesce((SELECT currency FROM campaign_daily_metrics GROUP BY currency
                          ORDER BY count(*) DESC LIMIT 1), 'USD')",
    )
    .fetch_one(workspace.pool())
    .await
    .map_err(db("reading the workspace currency"))?;
    let conversions: Vec<Conversion> = rows
        .iter()
        .map(|r| {
            let currency: String = r.get(3);
            Conversion {
                person: r.get(0),
                ts: r.get(1),
                value: r.get(2),
                currency: if currency.is_empty() {
                    fallback.clone()
                } else {
                    currency
                },
            }
        })
        .collect();
    let names_sql = TOUCH_EVENTS
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let touches = sqlx::query(&format!(
        "SELECT e.person_id, e.ts, {OWNER_SQL}
         FROM events e JOIN campaigns c ON c.id = e.campaign_id
         WHERE e.name IN ({names_sql}) AND e.ts >= ?1 AND e.ts < ?2
         ORDER BY e.person_id, e.ts"
    ))
    .bind(start - lookback)
    .bind(end)
    .fetch_all(workspace.pool())
    .await
    .map_err(db("reading touchpoints"))?;
    let mut by_person: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for r in &touches {
        by_person
            .entry(r.get(0))
            .or_default()
            .push((r.get(1), r.get(2)));
    }
    let names = campaign_names(workspace).await?;
    // currency -> campaign (None = untouched) -> [last, first, linear, position]
    let mut credit: BTreeMap<String, BTreeMap<Option<i64>, [Credit; 4]>> = BTreeMap::new();
    let mut totals: BTreeMap<String, (u64, i64, u64)> = BTreeMap::new();
    for c in &conversions {
        let t = totals.entry(c.currency.clone()).or_default();
        t.0 += 1;
        t.1 += c.value;
        let path: Vec<i64> = by_person
            .get(&c.person)
            .map(|ts| {
                ts.iter()
                    .filter(|(at, _)| *at <= c.ts && *at >= c.ts - lookback)
                    .map(|(_, campaign)| *campaign)
                    .collect()
            })
            .unwrap_or_default();
        let block = credit.entry(c.currency.clone()).or_default();
        let value = c.value as f64;
        if path.is_empty() {
            for m in block.entry(None).or_default().iter_mut() {
                m.add(1.0, value);
            }
            continue;
        }
        t.2 += 1;
        for (model, shares) in shares(path.len()).iter().enumerate() {
            for (campaign, share) in path.iter().zip(shares) {
                if *share > 0.0 {
                    block.entry(Some(*campaign)).or_default()[model].add(*share, value);
                }
            }
        }
    }
    let blocks = credit
        .into_iter()
        .map(|(currency, rows)| {
            let (conversions, revenue_minor, touched) =
                totals.get(&currency).copied().unwrap_or_default();
            let mut rows: Vec<AttributionRow> = rows
                .into_iter()
                .map(|(id, [last, first, linear, position])| AttributionRow {
                    campaign_id: id,
                    campaign: match id {
                        Some(id) => names
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| format!("campaign {id}")),
                        None => "No campaign touch".into(),
                    },
                    last_touch: last,
                    first_touch: first,
                    linear,
                    position_based: position,
                })
                .collect();
            rows.sort_by(|a, b| {
                (a.campaign_id.is_none(), -a.linear.conversions)
                    .partial_cmp(&(b.campaign_id.is_none(), -b.linear.conversions))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            AttributionBlock {
                currency,
                conversions,
                revenue_minor,
                touched,
                rows,
            }
        })
        .collect();
    Ok(AttributionReport {
        from: from.to_string(),
        to: to.to_string(),
        lookback_days: q.lookback_days,
        touch_events: TOUCH_EVENTS.iter().map(|s| s.to_string()).collect(),
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::shares;

    #[test]
    fn every_model_gives_out_exactly_one_conversion() {
        for n in 1..8 {
            for (model, s) in shares(n).iter().enumerate() {
                let total: f64 = s.iter().sum();
                assert!((total - 1.0).abs() < 1e-12, "model {model}, {n} touches");
            }
        }
        assert_eq!(shares(3)[3], vec![0.4, 0.2, 0.4]);
        assert_eq!(shares(4)[3], vec![0.4, 0.1, 0.1, 0.4]);
        assert_eq!(shares(2)[3], vec![0.5, 0.5]);
        assert_eq!(shares(3)[0], vec![0.0, 0.0, 1.0]);
        assert_eq!(shares(3)[1], vec![1.0, 0.0, 0.0]);
    }
}
