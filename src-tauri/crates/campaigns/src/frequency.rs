//! Over-messaging (the seed's "over-emailing") and ad frequency.
//!
//! Messages are the event log's sends (`email_send`, `sms_send`,
//! `push_send`), counted per person and channel per UTC day and per week
//! (Monday to Sunday), against per-channel caps. Ad frequency is impressions
//! ÷ reach where a report states reach: per campaign, and as a distribution
//! over the report rows (a row is a campaign's day, or its report period).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate};
use rebound_core::{Error, Result, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::metrics::day;
use crate::store::OWNER_SQL;

/// A channel's caps: at most this many messages per person per day and week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageCap {
    pub channel: String,
    pub per_day: u32,
    pub per_week: u32,
}

/// The caps used when none are given: one e-mail a day and three a week, one
/// SMS a day and two a week, two pushes a day and five a week.
pub fn default_caps() -> Vec<MessageCap> {
    [("email", 1, 3), ("sms", 1, 2), ("push", 2, 5)]
        .into_iter()
        .map(|(c, d, w)| MessageCap {
            channel: c.into(),
            per_day: d,
            per_week: w,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverMessagingQuery {
    pub from: String,
    pub to: String,
    pub caps: Vec<MessageCap>,
}

/// How many person-weeks had a given number of messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeekCount {
    pub messages: u32,
    #[ts(type = "number")]
    pub person_weeks: u64,
}

/// A person over a cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverCap {
    #[ts(type = "number")]
    pub person_id: i64,
    /// The week's Monday.
    pub week: String,
    pub messages: u32,
    /// The campaigns that sent them.
    pub campaigns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChannelMessaging {
    pub channel: String,
    pub cap: MessageCap,
    #[ts(type = "number")]
    pub messages: u64,
    #[ts(type = "number")]
    pub people: u64,
    /// People over the daily cap on at least one day.
    #[ts(type = "number")]
    pub people_over_daily: u64,
    /// People over the weekly cap in at least one week.
    #[ts(type = "number")]
    pub people_over_weekly: u64,
    /// Messages beyond the caps (the larger of the daily and weekly excess).
    #[ts(type = "number")]
    pub messages_over_cap: u64,
    pub max_per_day: u32,
    pub max_per_week: u32,
    pub per_week: Vec<WeekCount>,
    /// The worst weeks, most messages first (at most 10).
    pub worst: Vec<OverCap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CampaignFrequency {
    #[ts(type = "number")]
    pub campaign_id: i64,
    pub campaign: String,
    #[ts(type = "number")]
    pub impressions: i64,
    #[ts(type = "number")]
    pub reach: i64,
    pub frequency: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FrequencyBucket {
    pub label: String,
    #[ts(type = "number")]
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OverMessagingReport {
    pub from: String,
    pub to: String,
    pub channels: Vec<ChannelMessaging>,
    pub ad_campaigns: Vec<CampaignFrequency>,
    pub ad_distribution: Vec<FrequencyBucket>,
    /// Said when the data cannot show something (no sends, no reach).
    pub notes: Vec<String>,
}

const BUCKETS: [(f64, &str); 6] = [
    (1.5, "under 1.5"),
    (2.0, "1.5 – 2"),
    (3.0, "2 – 3"),
    (5.0, "3 – 5"),
    (10.0, "5 – 10"),
    (f64::INFINITY, "10 or more"),
];

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

pub async fn over_messaging(
    workspace: &Workspace,
    q: &OverMessagingQuery,
) -> Result<OverMessagingReport> {
    let from = day("from date", &q.from)?;
    let to = day("to date", &q.to)?;
    if to < from {
        return Err(Error::InvalidInput(format!(
            "the to date {to} is before the from date {from}"
        )));
    }
    for c in &q.caps {
        if c.per_day == 0 || c.per_week == 0 || c.per_week < c.per_day {
            return Err(Error::InvalidInput(format!(
                "the {} caps ({} a day, {} a week) must be above zero, with the week's at least the day's",
                c.channel, c.per_day, c.per_week
            )));
        }
    }
    let micros = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp_micros()
    };
    let db = |op: &'static str| move |source| Error::Database { op, source };
    let rows = sqlx::query(
        "SELECT e.person_id, e.ts, e.name, coalesce(c.name, '')
         FROM events e LEFT JOIN campaigns c ON c.id = e.campaign_id
         WHERE e.name IN ('email_send', 'sms_send', 'push_send') AND e.ts >= ?1 AND e.ts < ?2",
    )
    .bind(micros(from))
    .bind(micros(to + Duration::days(1)))
    .fetch_all(workspace.pool())
    .await
    .map_err(db("reading message sends"))?;
    // channel -> (person, day) -> n ; channel -> (person, week) -> (n, campaigns)
    type Weeks = HashMap<(i64, NaiveDate), (u32, Vec<String>)>;
    let mut days: BTreeMap<String, HashMap<(i64, NaiveDate), u32>> = BTreeMap::new();
    let mut weeks: BTreeMap<String, Weeks> = BTreeMap::new();
    for r in &rows {
        let name: String = r.get(2);
        let channel = name.trim_end_matches("_send").to_string();
        let ts: i64 = r.get(1);
        let Some(at) = DateTime::from_timestamp_micros(ts) else {
            continue;
        };
        let d = at.date_naive();
        let person: i64 = r.get(0);
        *days
            .entry(channel.clone())
            .or_default()
            .entry((person, d))
            .or_default() += 1;
        let w = weeks
            .entry(channel)
            .or_default()
            .entry((person, monday(d)))
            .or_default();
        w.0 += 1;
        let campaign: String = r.get(3);
        if !campaign.is_empty() && !w.1.contains(&campaign) {
            w.1.push(campaign);
        }
    }
    let mut notes = Vec::new();
    let mut channels = Vec::new();
    for cap in &q.caps {
        let d = days.remove(&cap.channel).unwrap_or_default();
        let w = weeks.remove(&cap.channel).unwrap_or_default();
        if d.is_empty() {
            notes.push(format!(
                "no {} sends between {from} and {to} in the event log",
                cap.channel
            ));
        }
        let mut people: Vec<i64> = d.keys().map(|(p, _)| *p).collect();
        people.sort_unstable();
        people.dedup();
        let mut over_daily: Vec<i64> = d
            .iter()
            .filter(|(_, n)| **n > cap.per_day)
            .map(|((p, _), _)| *p)
            .collect();
        over_daily.sort_unstable();
        over_daily.dedup();
        let mut over_weekly: Vec<i64> = w
            .iter()
            .filter(|(_, (n, _))| *n > cap.per_week)
            .map(|((p, _), _)| *p)
            .collect();
        over_weekly.sort_unstable();
        over_weekly.dedup();
        let daily_excess: u64 = d
            .values()
            .map(|n| u64::from(n.saturating_sub(cap.per_day)))
            .sum();
        let weekly_excess: u64 = w
            .values()
            .map(|(n, _)| u64::from(n.saturating_sub(cap.per_week)))
            .sum();
        let mut per_week: BTreeMap<u32, u64> = BTreeMap::new();
        for (n, _) in w.values() {
            *per_week.entry(*n).or_default() += 1;
        }
        let mut worst: Vec<OverCap> = w
            .iter()
            .filter(|(_, (n, _))| *n > cap.per_week)
            .map(|((p, week), (n, cs))| OverCap {
                person_id: *p,
                week: week.to_string(),
                messages: *n,
                campaigns: {
                    let mut cs = cs.clone();
                    cs.sort();
                    cs
                },
            })
            .collect();
        worst.sort_by(|a, b| {
            b.messages
                .cmp(&a.messages)
                .then(a.week.cmp(&b.week))
                .then(a.person_id.cmp(&b.person_id))
        });
        worst.truncate(10);
        channels.push(ChannelMessaging {
            channel: cap.channel.clone(),
            cap: cap.clone(),
            messages: d.values().map(|n| u64::from(*n)).sum(),
            people: people.len() as u64,
            people_over_daily: over_daily.len() as u64,
            people_over_weekly: over_weekly.len() as u64,
            messages_over_cap: daily_excess.max(weekly_excess),
            max_per_day: d.values().copied().max().unwrap_or(0),
            max_per_week: w.values().map(|(n, _)| *n).max().unwrap_or(0),
            per_week: per_week
                .into_iter()
                .map(|(messages, person_weeks)| WeekCount {
                    messages,
                    person_weeks,
                })
                .collect(),
            worst,
        });
    }
    // Ad frequency where reports state reach.
    let freq_rows = sqlx::query(&format!(
        "SELECT {OWNER_SQL} AS owner, m.impressions, m.reach FROM campaign_daily_metrics m
         JOIN campaigns c ON c.id = m.campaign_id
         WHERE m.channel IN ('meta_ads', 'google_ads') AND m.reach > 0
           AND m.day >= ?1 AND m.day <= ?2
         UNION ALL
         SELECT {OWNER_SQL}, a.impressions, a.reach FROM ad_metrics a
         JOIN campaigns c ON c.id = a.campaign_id
         WHERE a.day IS NULL AND a.reach > 0 AND a.period_start >= ?1 AND a.period_end <= ?2"
    ))
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(workspace.pool())
    .await
    .map_err(db("reading ad reach"))?;
    let names = crate::metrics::campaign_names(workspace).await?;
    let mut per_campaign: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut buckets = [0u64; BUCKETS.len()];
    for r in &freq_rows {
        let owner: i64 = r.get(0);
        let impressions: i64 = r.get::<Option<i64>, _>(1).unwrap_or(0);
        let reach: i64 = r.get(2);
        let e = per_campaign.entry(owner).or_default();
        e.0 += impressions;
        e.1 += reach;
        let f = impressions as f64 / reach as f64;
        let i = BUCKETS.iter().position(|(top, _)| f < *top).unwrap_or(0);
        buckets[i] += 1;
    }
    if freq_rows.is_empty() {
        notes.push(format!(
            "no ad report between {from} and {to} states reach, so ad frequency cannot be shown"
        ));
    }
    let mut ad_campaigns: Vec<CampaignFrequency> = per_campaign
        .into_iter()
        .map(|(id, (impressions, reach))| CampaignFrequency {
            campaign_id: id,
            campaign: names.get(&id).cloned().unwrap_or_default(),
            impressions,
            reach,
            frequency: (reach > 0).then(|| impressions as f64 / reach as f64),
        })
        .collect();
    ad_campaigns.sort_by_key(|a| std::cmp::Reverse(a.impressions));
    Ok(OverMessagingReport {
        from: from.to_string(),
        to: to.to_string(),
        channels,
        ad_campaigns,
        ad_distribution: BUCKETS
            .iter()
            .zip(buckets)
            .map(|((_, label), rows)| FrequencyBucket {
                label: label.to_string(),
                rows,
            })
            .collect(),
        notes,
    })
}
