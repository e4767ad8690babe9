//! The one query layer for campaign KPIs. Money is never summed across
//! currencies: every figure lives in a block of one currency.
//!
//! Sources: `campaign_daily_metrics` (single days: the demo, daily report rows)
//! and `ad_metrics` rows over a period (a report for "27 Jan – 23 Feb" or
//! "All time"). A period row counts in a date range only when its whole
//! period lies inside it; one that straddles the range is left out and named in
//! `warnings`; one with no dates ("All time") is reported in `undated`, never
//! mixed into dated figures. Each row counts towards the campaign its report
//! campaign is attached to (see `store::OWNER_SQL`).
//!
//! KPI definitions (a rate with a zero denominator is `None`, never NaN):
//! CTR = clicks / impressions; CPC = cost / clicks; CPM = cost / impressions
//! × 1000; CVR = conversions / clicks; CPA = cost / conversions; ROAS =
//! revenue / cost; ROI = (revenue − cost) / cost; open rate = opens / sends;
//! unsubscribe rate = unsubscribes / sends; bounce rate = bounces / sends.
//! Reach is the sum of the reach the rows report: platforms de-duplicate
//! reach only within one row, so it over-counts people across rows.
//! Period over period: the same number of days immediately before `from`;
//! deltas are current − previous and (current − previous) / previous.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use rebound_core::{Error, Result, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::store::OWNER_SQL;

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    Day,
    Week,
    Month,
    Channel,
    Campaign,
}

impl Grouping {
    pub fn parse(s: &str) -> Option<Grouping> {
        match s {
            "day" => Some(Grouping::Day),
            "week" => Some(Grouping::Week),
            "month" => Some(Grouping::Month),
            "channel" => Some(Grouping::Channel),
            "campaign" => Some(Grouping::Campaign),
            _ => None,
        }
    }
}

/// Summed counts and money (minor units) of one currency. A metric no row
/// reports is `None` ("not in this report"), never 0: a Google Ads report
/// without reach has no reach, a report without conversion value no revenue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Sums {
    #[ts(type = "number | null")]
    pub impressions: Option<i64>,
    #[ts(type = "number | null")]
    pub reach: Option<i64>,
    #[ts(type = "number | null")]
    pub clicks: Option<i64>,
    #[ts(type = "number | null")]
    pub cost_minor: Option<i64>,
    pub conversions: Option<f64>,
    #[ts(type = "number | null")]
    pub revenue_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub sends: Option<i64>,
    #[ts(type = "number | null")]
    pub opens: Option<i64>,
    #[ts(type = "number | null")]
    pub unsubscribes: Option<i64>,
    #[ts(type = "number | null")]
    pub bounces: Option<i64>,
}

/// The sum of two reported figures: absent only when neither reports it.
fn plus<T: std::ops::Add<Output = T> + Default>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or_default() + b.unwrap_or_default()),
    }
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.impressions = plus(self.impressions, o.impressions);
        self.reach = plus(self.reach, o.reach);
        self.clicks = plus(self.clicks, o.clicks);
        self.cost_minor = plus(self.cost_minor, o.cost_minor);
        self.conversions = plus(self.conversions, o.conversions);
        self.revenue_minor = plus(self.revenue_minor, o.revenue_minor);
        self.sends = plus(self.sends, o.sends);
        self.opens = plus(self.opens, o.opens);
        self.unsubscribes = plus(self.unsubscribes, o.unsubscribes);
        self.bounces = plus(self.bounces, o.bounces);
    }
}

/// Sums and the rates derived from them. Money rates are in minor units.
/// A rate is `None` when either side is not reported or the denominator is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Kpis {
    #[serde(flatten)]
    #[ts(flatten)]
    pub sums: Sums,
    pub ctr: Option<f64>,
    pub cpc_minor: Option<f64>,
    pub cpm_minor: Option<f64>,
    pub cvr: Option<f64>,
    pub cpa_minor: Option<f64>,
    pub roas: Option<f64>,
    pub roi: Option<f64>,
    pub open_rate: Option<f64>,
    pub unsubscribe_rate: Option<f64>,
    pub bounce_rate: Option<f64>,
}

fn ratio(num: Option<f64>, den: Option<f64>) -> Option<f64> {
    let (num, den) = (num?, den?);
    (den != 0.0).then(|| num / den)
}

impl Kpis {
    pub fn of(s: Sums) -> Kpis {
        let f = |v: Option<i64>| v.map(|v| v as f64);
        Kpis {
            sums: s,
            ctr: ratio(f(s.clicks), f(s.impressions)),
            cpc_minor: ratio(f(s.cost_minor), f(s.clicks)),
            cpm_minor: ratio(f(s.cost_minor).map(|c| c * 1000.0), f(s.impressions)),
            cvr: ratio(s.conversions, f(s.clicks)),
            cpa_minor: ratio(f(s.cost_minor), s.conversions),
            roas: ratio(f(s.revenue_minor), f(s.cost_minor)),
            roi: ratio(
                s.revenue_minor
                    .zip(s.cost_minor)
                    .map(|(r, c)| (r - c) as f64),
                f(s.cost_minor),
            ),
            open_rate: ratio(f(s.opens), f(s.sends)),
            unsubscribe_rate: ratio(f(s.unsubscribes), f(s.sends)),
            bounce_rate: ratio(f(s.bounces), f(s.sends)),
        }
    }

    /// Every KPI by key, in display order; `None` where undefined.
    pub fn values(&self) -> Vec<(&'static str, Option<f64>)> {
        let s = &self.sums;
        let f = |v: Option<i64>| v.map(|v| v as f64);
        vec![
            ("impressions", f(s.impressions)),
            ("reach", f(s.reach)),
            ("clicks", f(s.clicks)),
            ("ctr", self.ctr),
            ("cost", f(s.cost_minor)),
            ("cpc", self.cpc_minor),
            ("cpm", self.cpm_minor),
            ("conversions", s.conversions),
            ("cvr", self.cvr),
            ("cpa", self.cpa_minor),
            ("revenue", f(s.revenue_minor)),
            ("roas", self.roas),
            ("roi", self.roi),
            ("sends", f(s.sends)),
            ("open_rate", self.open_rate),
            ("unsubscribe_rate", self.unsubscribe_rate),
            ("bounce_rate", self.bounce_rate),
        ]
    }
}

/// One KPI now and in the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KpiDelta {
    pub kpi: String,
    pub current: Option<f64>,
    pub previous: Option<f64>,
    /// current − previous.
    pub absolute: Option<f64>,
    /// (current − previous) / previous; none when previous is zero or none.
    pub relative: Option<f64>,
}

pub fn deltas(current: &Kpis, previous: &Kpis) -> Vec<KpiDelta> {
    current
        .values()
        .into_iter()
        .zip(previous.values())
        .map(|((kpi, c), (_, p))| {
            let absolute = c.zip(p).map(|(c, p)| c - p);
            KpiDelta {
                kpi: kpi.to_string(),
                current: c,
                previous: p,
                absolute,
                relative: ratio(absolute, p),
            }
        })
        .collect()
}

/// One row of a grouped table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MetricsRow {
    /// Sortable key: a day, a week's Monday, a month `YYYY-MM`, a channel or a campaign id.
    pub key: String,
    pub label: String,
    pub kpis: Kpis,
}

/// Everything in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CurrencyBlock {
    pub currency: String,
    pub totals: Kpis,
    pub previous: Kpis,
    pub deltas: Vec<KpiDelta>,
    pub rows: Vec<MetricsRow>,
}

/// Report rows whose period has no dates ("All time"): shown on their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UndatedBlock {
    pub period: String,
    pub currency: String,
    pub totals: Kpis,
    pub rows: Vec<MetricsRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MetricsQuery {
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    pub by: Grouping,
    #[ts(type = "number | null")]
    pub campaign_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MetricsReport {
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub by: Grouping,
    #[ts(type = "number | null")]
    pub campaign_id: Option<i64>,
    /// One block per currency, the largest cost first.
    pub blocks: Vec<CurrencyBlock>,
    pub undated: Vec<UndatedBlock>,
    /// More than one currency: figures are shown per currency, never added.
    pub mixed_currencies: bool,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
enum Span {
    Day(NaiveDate),
    Period {
        start: NaiveDate,
        end: NaiveDate,
        label: String,
    },
    Undated(String),
}

#[derive(Debug, Clone)]
struct Fact {
    owner: i64,
    channel: String,
    currency: String,
    span: Span,
    sums: Sums,
}

fn sums_from(row: &sqlx::sqlite::SqliteRow, at: usize) -> Sums {
    Sums {
        impressions: row.get(at),
        reach: row.get(at + 1),
        clicks: row.get(at + 2),
        cost_minor: row.get(at + 3),
        conversions: row.get(at + 4),
        revenue_minor: row.get(at + 5),
        sends: row.get(at + 6),
        opens: row.get(at + 7),
        unsubscribes: row.get(at + 8),
        bounces: row.get(at + 9),
    }
}

fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::Database { op, source }
}

pub(crate) fn day(field: &str, s: &str) -> Result<NaiveDate> {
    crate::model::parse_day(field, s).map_err(Error::InvalidInput)
}

/// Facts from `from` to `to` (inclusive), plus every period and undated row.
async fn facts(
    workspace: &Workspace,
    from: NaiveDate,
    to: NaiveDate,
    campaign: Option<i64>,
) -> Result<Vec<Fact>> {
    let filter = if campaign.is_some() {
        format!("AND {OWNER_SQL} = ?3")
    } else {
        String::new()
    };
    let daily_sql = format!(
        "SELECT {OWNER_SQL} AS owner, m.day, m.channel, m.currency,
             sum(m.impressions), sum(m.reach), sum(m.clicks), sum(m.cost_minor),
             sum(m.conversions), sum(m.revenue_minor), sum(m.sends), sum(m.opens),
             sum(m.unsubscribes), sum(m.bounces)
         FROM campaign_daily_metrics m JOIN campaigns c ON c.id = m.campaign_id
         WHERE m.day >= ?1 AND m.day <= ?2 {filter}
         GROUP BY owner, m.day, m.channel, m.currency"
    );
    let mut daily = sqlx::query(&daily_sql)
        .bind(from.to_string())
        .bind(to.to_string());
    if let Some(id) = campaign {
        daily = daily.bind(id);
    }
    let daily = daily
        .fetch_all(workspace.pool())
        .await
        .map_err(db("reading daily campaign metrics"))?;
    let mut out = Vec::with_capacity(daily.len());
    for r in &daily {
        let d: String = r.get(1);
        let Ok(d) = NaiveDate::parse_from_str(&d, "%Y-%m-%d") else {
            continue;
        };
        out.push(Fact {
            owner: r.get(0),
            channel: r.get(2),
            currency: r.get(3),
            span: Span::Day(d),
            sums: sums_from(r, 4),
        });
    }
    let filter = if campaign.is_some() {
        format!("AND {OWNER_SQL} = ?1")
    } else {
        String::new()
    };
    let periods_sql = format!(
        "SELECT {OWNER_SQL} AS owner, a.period_start, a.period_end, coalesce(a.period_label, ''),
             c.channel, coalesce(a.currency, ''),
             sum(a.impressions), sum(a.reach), sum(a.clicks), sum(a.cost_minor),
             sum(a.conversions), sum(a.conversion_value_minor),
             NULL, NULL, NULL, NULL
         FROM ad_metrics a JOIN campaigns c ON c.id = a.campaign_id
         WHERE a.day IS NULL {filter}
         GROUP BY owner, a.period_start, a.period_end, a.period_label, c.channel, a.currency"
    );
    let mut periods = sqlx::query(&periods_sql);
    if let Some(id) = campaign {
        periods = periods.bind(id);
    }
    let periods = periods
        .fetch_all(workspace.pool())
        .await
        .map_err(db("reading campaign report periods"))?;
    for r in &periods {
        let start: Option<String> = r.get(1);
        let end: Option<String> = r.get(2);
        let label: String = r.get(3);
        let parse =
            |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
        let span = match (parse(start), parse(end)) {
            (Some(start), Some(end)) => Span::Period { start, end, label },
            _ => Span::Undated(if label.is_empty() {
                "no period stated".into()
            } else {
                label
            }),
        };
        out.push(Fact {
            owner: r.get(0),
            channel: r.get(4),
            currency: r.get(5),
            span,
            sums: sums_from(r, 6),
        });
    }
    Ok(out)
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn bucket(by: Grouping, d: NaiveDate) -> (String, String) {
    match by {
        Grouping::Week => {
            let m = monday(d);
            (m.to_string(), format!("week of {m}"))
        }
        Grouping::Month => {
            let k = format!("{:04}-{:02}", d.year(), d.month());
            (k.clone(), k)
        }
        _ => (d.to_string(), d.to_string()),
    }
}

pub(crate) fn channel_label(channel: &str) -> String {
    crate::model::ChannelKey::parse(channel)
        .map(|c| c.label().to_string())
        .unwrap_or_else(|| channel.to_string())
}

pub(crate) async fn campaign_names(workspace: &Workspace) -> Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM campaigns")
        .fetch_all(workspace.pool())
        .await
        .map_err(db("reading campaign names"))?;
    Ok(rows.into_iter().collect())
}

fn key_of(f: &Fact, by: Grouping, names: &HashMap<i64, String>) -> (String, String) {
    match by {
        Grouping::Channel => (f.channel.clone(), channel_label(&f.channel)),
        Grouping::Campaign => (
            format!("{:09}", f.owner),
            names
                .get(&f.owner)
                .cloned()
                .unwrap_or_else(|| format!("campaign {}", f.owner)),
        ),
        _ => match &f.span {
            Span::Day(d) => bucket(by, *d),
            Span::Period { start, end, .. } => {
                let (a, la) = bucket(by, *start);
                let (b, _) = bucket(by, *end);
                if a == b {
                    (a, la)
                } else {
                    (
                        format!("{start}..{end}"),
                        format!("{start} – {end} (report period, not split by day)"),
                    )
                }
            }
            Span::Undated(label) => (label.clone(), label.clone()),
        },
    }
}

/// Where a fact falls relative to a range.
fn inside(f: &Fact, from: NaiveDate, to: NaiveDate) -> Option<bool> {
    match &f.span {
        Span::Day(d) => Some(*d >= from && *d <= to),
        Span::Period { start, end, .. } => {
            if *start >= from && *end <= to {
                Some(true)
            } else if *end < from || *start > to {
                Some(false)
            } else {
                None
            }
        }
        Span::Undated(_) => Some(false),
    }
}

fn group(
    facts: &[&Fact],
    by: Grouping,
    names: &HashMap<i64, String>,
) -> BTreeMap<String, (Sums, Vec<MetricsRow>)> {
    // currency -> (its total, row key -> (label, sums))
    type PerCurrency = BTreeMap<String, (Sums, BTreeMap<String, (String, Sums)>)>;
    let mut per: PerCurrency = BTreeMap::new();
    for f in facts {
        let entry = per.entry(f.currency.clone()).or_default();
        entry.0.add(&f.sums);
        let (k, label) = key_of(f, by, names);
        entry
            .1
            .entry(k)
            .or_insert_with(|| (label, Sums::default()))
            .1
            .add(&f.sums);
    }
    per.into_iter()
        .map(|(currency, (total, rows))| {
            let rows = rows
                .into_iter()
                .map(|(key, (label, s))| MetricsRow {
                    key,
                    label,
                    kpis: Kpis::of(s),
                })
                .collect();
            (currency, (total, rows))
        })
        .collect()
}

/// KPIs for a range, grouped, per currency, with the previous period.
pub async fn metrics(workspace: &Workspace, q: &MetricsQuery) -> Result<MetricsReport> {
    let from = day("from date", &q.from)?;
    let to = day("to date", &q.to)?;
    if to < from {
        return Err(Error::InvalidInput(format!(
            "the to date {to} is before the from date {from}"
        )));
    }
    let len = (to - from).num_days() + 1;
    let previous_to = from - Duration::days(1);
    let previous_from = from - Duration::days(len);
    let all = facts(workspace, previous_from, to, q.campaign_id).await?;
    let names = campaign_names(workspace).await?;
    let mut warnings = Vec::new();
    let mut current = Vec::new();
    let mut previous = Vec::new();
    let mut undated = Vec::new();
    let mut straddling: BTreeMap<String, usize> = BTreeMap::new();
    for f in &all {
        match (&f.span, inside(f, from, to)) {
            (Span::Undated(_), _) => undated.push(f),
            (_, Some(true)) => current.push(f),
            (Span::Period { label, .. }, None) => {
                *straddling.entry(label.clone()).or_default() += 1;
            }
            _ => {
                if inside(f, previous_from, previous_to) == Some(true) {
                    previous.push(f);
                }
            }
        }
    }
    for (label, n) in straddling {
        warnings.push(format!(
            "{n} report row(s) cover '{label}', which is only partly inside {from} – {to}; they are left out rather than guessed per day"
        ));
    }
    let dup: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.name, m.day, count(DISTINCT m.import_id) FROM campaign_daily_metrics m
         JOIN campaigns c ON c.id = m.campaign_id
         WHERE m.day >= ?1 AND m.day <= ?2
         GROUP BY m.campaign_id, m.day, m.channel HAVING count(DISTINCT m.import_id) > 1
         ORDER BY m.day LIMIT 5",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(workspace.pool())
    .await
    .map_err(db("checking for overlapping reports"))?;
    for (name, d, n) in dup {
        warnings.push(format!(
            "'{name}' has {n} imported reports for {d}; all are counted, so that day may be counted twice (undo one import if they overlap)"
        ));
    }
    let mut prev = group(&previous, q.by, &names);
    let mut blocks: Vec<CurrencyBlock> = group(&current, q.by, &names)
        .into_iter()
        .map(|(currency, (total, rows))| {
            let p = prev.remove(&currency).map(|p| p.0).unwrap_or_default();
            let totals = Kpis::of(total);
            let previous = Kpis::of(p);
            CurrencyBlock {
                deltas: deltas(&totals, &previous),
                currency,
                totals,
                previous,
                rows,
            }
        })
        .collect();
    for (currency, (p, _)) in prev {
        let previous = Kpis::of(p);
        let totals = Kpis::default();
        blocks.push(CurrencyBlock {
            deltas: deltas(&totals, &previous),
            currency,
            totals,
            previous,
            rows: Vec::new(),
        });
    }
    blocks.sort_by(|a, b| {
        b.totals
            .sums
            .cost_minor
            .cmp(&a.totals.sums.cost_minor)
            .then(a.currency.cmp(&b.currency))
    });
    let undated_by = match q.by {
        Grouping::Channel => Grouping::Channel,
        _ => Grouping::Campaign,
    };
    let mut by_period: BTreeMap<String, Vec<&Fact>> = BTreeMap::new();
    for f in undated {
        if let Span::Undated(label) = &f.span {
            by_period.entry(label.clone()).or_default().push(f);
        }
    }
    let undated: Vec<UndatedBlock> = by_period
        .into_iter()
        .flat_map(|(period, fs)| {
            group(&fs, undated_by, &names)
                .into_iter()
                .map(move |(currency, (total, rows))| UndatedBlock {
                    period: period.clone(),
                    currency,
                    totals: Kpis::of(total),
                    rows,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut currencies: Vec<&str> = blocks
        .iter()
        .map(|b| b.currency.as_str())
        .chain(undated.iter().map(|b| b.currency.as_str()))
        .collect();
    currencies.sort();
    currencies.dedup();
    Ok(MetricsReport {
        from: from.to_string(),
        to: to.to_string(),
        previous_from: previous_from.to_string(),
        previous_to: previous_to.to_string(),
        by: q.by,
        campaign_id: q.campaign_id,
        mixed_currencies: currencies.len() > 1,
        blocks,
        undated,
        warnings,
    })
}

/// One campaign's figures in one currency over everything the workspace
/// holds: every day and report period, as the Dashboard lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CampaignSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// What the campaign is for, when someone said so (the wizard, the demo);
    /// an imported report does not say, so it has none.
    pub goal: Option<crate::model::Goal>,
    /// The platform's own type: Search, Performance Max, Display; Meta's
    /// objective (Traffic, Sales, Leads ...).
    pub campaign_type: Option<String>,
    pub channel: String,
    pub platform: String,
    pub status: String,
    /// `None` for a campaign without figures yet.
    pub currency: Option<String>,
    /// The first and last day of its dated figures.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    /// Report periods without dates, as the reports name them ("All time").
    pub undated_periods: Vec<String>,
    pub kpis: Kpis,
}

/// Every campaign that counts for itself (report campaigns attached to
/// another count there), per currency of its figures, active first and then
/// by revenue, spend and name.
pub async fn summaries(workspace: &Workspace) -> Result<Vec<CampaignSummary>> {
    let all_days = (
        NaiveDate::from_ymd_opt(1, 1, 1).expect("a day"),
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("a day"),
    );
    let facts = facts(workspace, all_days.0, all_days.1, None).await?;
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.goal, c.goal_stated, c.campaign_type, c.channel, c.platform, c.status
         FROM campaigns c
         WHERE NOT EXISTS (SELECT 1 FROM campaign_attachments a
                           WHERE a.source_campaign_id = c.id AND a.mode <> 'excluded')",
    )
    .fetch_all(workspace.pool())
    .await
    .map_err(db("listing campaigns"))?;
    /// One currency's sums, first and last dated day, and undated periods.
    type Coverage = (Sums, Option<NaiveDate>, Option<NaiveDate>, Vec<String>);
    let mut out = Vec::new();
    for r in &rows {
        let id: i64 = r.get(0);
        let mut per: BTreeMap<String, Coverage> = BTreeMap::new();
        for f in facts.iter().filter(|f| f.owner == id) {
            let e = per.entry(f.currency.clone()).or_default();
            e.0.add(&f.sums);
            let (a, b) = match &f.span {
                Span::Day(d) => (Some(*d), Some(*d)),
                Span::Period { start, end, .. } => (Some(*start), Some(*end)),
                Span::Undated(label) => {
                    if !e.3.contains(label) {
                        e.3.push(label.clone());
                    }
                    (None, None)
                }
            };
            e.1 = match (e.1, a) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            e.2 = match (e.2, b) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            };
        }
        let goal_stated: i64 = r.get(3);
        let base = |currency: Option<String>, kpis: Kpis| CampaignSummary {
            id,
            name: r.get(1),
            goal: (goal_stated == 1)
                .then(|| crate::model::Goal::parse(r.get(2)))
                .flatten(),
            campaign_type: r.get(4),
            channel: r.get(5),
            platform: r.get(6),
            status: r.get(7),
            currency,
            first_day: None,
            last_day: None,
            undated_periods: Vec::new(),
            kpis,
        };
        if per.is_empty() {
            out.push(base(None, Kpis::default()));
        }
        for (currency, (sums, first, last, undated)) in per {
            out.push(CampaignSummary {
                first_day: first.map(|d| d.to_string()),
                last_day: last.map(|d| d.to_string()),
                undated_periods: undated,
                ..base(Some(currency), Kpis::of(sums))
            });
        }
    }
    let rank = |s: &str| match s {
        "active" => 0,
        "paused" => 1,
        "draft" => 2,
        _ => 3,
    };
    out.sort_by(|a, b| {
        rank(&a.status)
            .cmp(&rank(&b.status))
            .then(b.kpis.sums.revenue_minor.cmp(&a.kpis.sums.revenue_minor))
            .then(b.kpis.sums.cost_minor.cmp(&a.kpis.sums.cost_minor))
            .then(a.name.cmp(&b.name))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_with_zero_denominators_are_none_not_nan() {
        let k = Kpis::of(Sums::default());
        for (name, v) in k.values() {
            if let Some(v) = v {
                assert!(v.is_finite(), "{name}");
            }
        }
        assert_eq!(k.ctr, None);
        assert_eq!(k.roas, None);
        assert_eq!(k.cpa_minor, None);
        assert_eq!(k.bounce_rate, None);
    }

    #[test]
    fn kpi_definitions() {
        let k = Kpis::of(Sums {
            impressions: Some(10_000),
            clicks: Some(200),
            cost_minor: Some(50_000),
            conversions: Some(8.0),
            revenue_minor: Some(150_000),
            sends: Some(1_000),
            opens: Some(250),
            unsubscribes: Some(3),
            bounces: Some(7),
            reach: Some(4_000),
        });
        assert_eq!(k.ctr, Some(0.02));
        assert_eq!(k.cpc_minor, Some(250.0));
        assert_eq!(k.cpm_minor, Some(5_000.0));
        assert_eq!(k.cvr, Some(0.04));
        assert_eq!(k.cpa_minor, Some(6_250.0));
        assert_eq!(k.roas, Some(3.0));
        assert_eq!(k.roi, Some(2.0));
        assert_eq!(k.open_rate, Some(0.25));
        assert_eq!(k.unsubscribe_rate, Some(0.003));
        assert_eq!(k.bounce_rate, Some(0.007));
    }

    #[test]
    fn deltas_are_absolute_and_relative_and_none_from_zero() {
        let now = Kpis::of(Sums {
            clicks: Some(150),
            impressions: Some(1_000),
            ..Sums::default()
        });
        let before = Kpis::of(Sums {
            clicks: Some(100),
            impressions: Some(0),
            ..Sums::default()
        });
        let d = deltas(&now, &before);
        let clicks = d.iter().find(|d| d.kpi == "clicks").unwrap();
        assert_eq!(clicks.absolute, Some(50.0));
        assert_eq!(clicks.relative, Some(0.5));
        let impressions = d.iter().find(|d| d.kpi == "impressions").unwrap();
        assert_eq!(impressions.absolute, Some(1_000.0));
        assert_eq!(impressions.relative, None);
        let ctr = d.iter().find(|d| d.kpi == "ctr").unwrap();
        assert_eq!(ctr.current, Some(0.15));
        assert_eq!(ctr.absolute, None);
    }

    #[test]
    fn a_metric_no_row_reports_stays_absent_and_so_do_its_rates() {
        let ads = Sums {
            impressions: Some(1_000),
            clicks: Some(40),
            cost_minor: Some(5_000),
            ..Sums::default()
        };
        let mut total = ads;
        total.add(&Sums {
            impressions: Some(500),
            clicks: Some(10),
            cost_minor: Some(2_000),
            ..Sums::default()
        });
        let k = Kpis::of(total);
        assert_eq!(k.sums.impressions, Some(1_500));
        assert_eq!(k.sums.reach, None);
        assert_eq!(k.sums.revenue_minor, None);
        assert_eq!(k.sums.conversions, None);
        // Without revenue there is no ROAS or ROI (not 0.00x and -100%).
        assert_eq!(k.roas, None);
        assert_eq!(k.roi, None);
        assert_eq!(k.cvr, None);
        assert_eq!(k.cpa_minor, None);
        assert_eq!(k.ctr, Some(50.0 / 1_500.0));
        // One row with revenue makes it reported.
        total.add(&Sums {
            revenue_minor: Some(9_000),
            ..Sums::default()
        });
        assert_eq!(Kpis::of(total).roas, Some(9_000.0 / 7_000.0));
    }

    #[test]
    fn weeks_start_on_monday_and_months_are_calendar_months() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(); // a Sunday
        assert_eq!(bucket(Grouping::Week, d).0, "2026-11-23");
        assert_eq!(bucket(Grouping::Month, d).0, "2026-11");
        assert_eq!(bucket(Grouping::Day, d).0, "2026-11-29");
    }
}
