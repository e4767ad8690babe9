//! Over-messaging (the seed's "over-emailing") and ad frequency.
//!
//! Messages are the event log's sends (`email_send`, `sms_send`,
//! `push_send`), held per person against the caps every flow obeys (the
//! workspace's sending rules, or caps given): at most N messages on a channel
//! in any rolling window of D days. A send that makes a window hold more than
//! N is over the cap. Sends are also counted per UTC day and per calendar
//! week (Monday to Sunday) for the distribution. Ad frequency is impressions
//! ÷ reach where a report states reach: per campaign, and as a distribution
//! over the report rows (a row is a campaign's day, or its report period).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate};
use rebound_core::time::MICROS_PER_DAY;
use rebound_core::{Error, Result, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use rebound_sequences::model::Channel;
use rebound_sequences::rules::FrequencyCap;

use crate::metrics::day;
use crate::store::OWNER_SQL;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverMessagingQuery {
    pub from: String,
    pub to: String,
    /// The caps to check. Without them, the workspace's sending rules: the
    /// caps every flow obeys, set under Sequences → Rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub caps: Option<Vec<FrequencyCap>>,
}

/// How many person-weeks (Monday to Sunday) had a given number of messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeekCount {
    pub messages: u32,
    #[ts(type = "number")]
    pub person_weeks: u64,
}

/// One cap held against the sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CapCheck {
    pub cap: FrequencyCap,
    /// The cap in words, as the sequence rules say it.
    pub description: String,
    /// People with at least one send over this cap.
    #[ts(type = "number")]
    pub people_over: u64,
    /// Sends over this cap: every send that made a window hold more than
    /// the cap allows.
    #[ts(type = "number")]
    pub messages_over: u64,
}

/// A person's worst window over a cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverCap {
    #[ts(type = "number")]
    pub person_id: i64,
    /// The cap broken, in words.
    pub cap: String,
    /// The UTC days of the window's first and last send.
    pub first_day: String,
    pub last_day: String,
    /// Messages in the window.
    pub messages: u32,
    /// The campaigns that sent them.
    pub campaigns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChannelMessaging {
    pub channel: String,
    /// The channel's caps and who went over each; empty when none is set.
    pub caps: Vec<CapCheck>,
    #[ts(type = "number")]
    pub messages: u64,
    #[ts(type = "number")]
    pub people: u64,
    /// People over at least one cap.
    #[ts(type = "number")]
    pub people_over: u64,
    /// Sends over at least one cap.
    #[ts(type = "number")]
    pub messages_over_cap: u64,
    /// The most one person got in a UTC day, and in a calendar week.
    pub max_per_day: u32,
    pub max_per_week: u32,
    pub per_week: Vec<WeekCount>,
    /// The worst windows over a cap, most messages first (at most 10, one
    /// per person).
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
    /// Where the caps came from: `sending_rules` (the workspace's) or `query`.
    pub caps_source: String,
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

fn utc_day(ts: i64) -> NaiveDate {
    DateTime::from_timestamp_micros(ts)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// The sends of one person (in time order) that are over `cap`, each as
/// (its window's first send, itself). The window ending at a send is the
/// cap's own (`FrequencyCap::window_holds`), as the sequence engine holds
/// it. Sends before `counted_from` fill windows but are not counted.
fn over_cap(sends: &[Send], cap: &FrequencyCap, counted_from: i64) -> Vec<(usize, usize)> {
    let mut first = 0;
    let mut over = Vec::new();
    for (i, send) in sends.iter().enumerate() {
        while !cap.window_holds(sends[first].ts, send.ts) {
            first += 1;
        }
        if i - first + 1 > cap.max as usize && send.ts >= counted_from {
            over.push((first, i));
        }
    }
    over
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// A send on `channel` by `person` at `ts`, from `campaign` ("" if none).
struct Send {
    person: i64,
    ts: i64,
    campaign: String,
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
    let (caps, caps_source) = match &q.caps {
        Some(caps) => (caps.clone(), "query"),
        None => (
            rebound_sequences::get_rules(workspace).await?.caps,
            "sending_rules",
        ),
    };
    for cap in &caps {
        cap.validate()?;
    }
    // Ads have no per-person sends in the event log; their caps are the
    // dry run's to hold, and ad frequency below is what reports show.
    let caps: Vec<FrequencyCap> = caps
        .into_iter()
        .filter(|c| c.channel != Channel::Ads)
        .collect();
    let micros = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp_micros()
    };
    let counted_from = micros(from);
    // Read back far enough that a window ending on `from` is complete.
    let longest = caps.iter().map(|c| c.per_days).max().unwrap_or(7).max(7);
    let db = |op: &'static str| move |source| Error::Database { op, source };
    let rows = sqlx::query(
        "SELECT e.person_id, e.ts, e.name, coalesce(c.name, '')
         FROM events e LEFT JOIN campaigns c ON c.id = e.campaign_id
         WHERE e.name IN ('email_send', 'sms_send', 'push_send') AND e.ts >= ?1 AND e.ts < ?2
         ORDER BY e.person_id, e.ts, e.id",
    )
    .bind(counted_from - i64::from(longest) * MICROS_PER_DAY)
    .bind(micros(to + Duration::days(1)))
    .fetch_all(workspace.pool())
    .await
    .map_err(db("reading message sends"))?;
    // channel -> sends in (person, time) order
    let mut sends: BTreeMap<String, Vec<Send>> = BTreeMap::new();
    for r in &rows {
        let name: String = r.get(2);
        sends
            .entry(name.trim_end_matches("_send").to_string())
            .or_default()
            .push(Send {
                person: r.get(0),
                ts: r.get(1),
                campaign: r.get(3),
            });
    }
    let mut notes = Vec::new();
    let mut names: Vec<String> = caps
        .iter()
        .map(|c| c.channel.as_str().to_string())
        .collect();
    names.extend(sends.keys().cloned());
    names.sort();
    names.dedup();
    let mut channels = Vec::new();
    for channel in names {
        let all = sends.remove(&channel).unwrap_or_default();
        let channel_caps: Vec<&FrequencyCap> = caps
            .iter()
            .filter(|c| c.channel.as_str() == channel)
            .collect();
        if channel_caps.is_empty() {
            notes.push(format!("no cap is set for {channel}, so none is checked"));
        }
        let in_range = |s: &Send| s.ts >= counted_from;
        if !all.iter().any(in_range) {
            notes.push(format!(
                "no {channel} sends between {from} and {to} in the event log"
            ));
        }
        let mut checks: Vec<CapCheck> = channel_caps
            .iter()
            .map(|cap| CapCheck {
                cap: **cap,
                description: cap.describe(),
                people_over: 0,
                messages_over: 0,
            })
            .collect();
        let mut days: HashMap<(i64, NaiveDate), u32> = HashMap::new();
        let mut weeks: HashMap<(i64, NaiveDate), u32> = HashMap::new();
        let (mut people, mut people_over, mut messages_over) = (0u64, 0u64, 0u64);
        let mut worst = Vec::new();
        for person in all.chunk_by(|a, b| a.person == b.person) {
            let first_counted = person.iter().position(in_range);
            let Some(first_counted) = first_counted else {
                continue;
            };
            people += 1;
            for s in &person[first_counted..] {
                let d = utc_day(s.ts);
                *days.entry((s.person, d)).or_default() += 1;
                *weeks.entry((s.person, monday(d))).or_default() += 1;
            }
            // A send over several caps counts once in `messages_over_cap`.
            let mut over_any = vec![false; person.len()];
            let mut person_worst: Option<OverCap> = None;
            for (check, cap) in checks.iter_mut().zip(&channel_caps) {
                let over = over_cap(person, cap, counted_from);
                let Some(&(f, l)) = over
                    .iter()
                    .max_by_key(|(f, l)| (l - f, std::cmp::Reverse(*l)))
                else {
                    continue;
                };
                check.people_over += 1;
                check.messages_over += over.len() as u64;
                for &(_, i) in &over {
                    over_any[i] = true;
                }
                let n = (l - f + 1) as u32;
                if person_worst.as_ref().is_none_or(|w| n > w.messages) {
                    let mut campaigns: Vec<String> = person[f..=l]
                        .iter()
                        .map(|s| s.campaign.clone())
                        .filter(|c| !c.is_empty())
                        .collect();
                    campaigns.sort();
                    campaigns.dedup();
                    person_worst = Some(OverCap {
                        person_id: person[0].person,
                        cap: cap.describe(),
                        first_day: utc_day(person[f].ts).to_string(),
                        last_day: utc_day(person[l].ts).to_string(),
                        messages: n,
                        campaigns,
                    });
                }
            }
            let n_over = over_any.iter().filter(|o| **o).count() as u64;
            if n_over > 0 {
                people_over += 1;
                messages_over += n_over;
            }
            worst.extend(person_worst);
        }
        worst.sort_by(|a, b| {
            b.messages
                .cmp(&a.messages)
                .then(a.first_day.cmp(&b.first_day))
                .then(a.person_id.cmp(&b.person_id))
        });
        worst.truncate(10);
        let mut per_week: BTreeMap<u32, u64> = BTreeMap::new();
        for n in weeks.values() {
            *per_week.entry(*n).or_default() += 1;
        }
        channels.push(ChannelMessaging {
            channel,
            caps: checks,
            messages: days.values().map(|n| u64::from(*n)).sum(),
            people,
            people_over,
            messages_over_cap: messages_over,
            max_per_day: days.values().copied().max().unwrap_or(0),
            max_per_week: weeks.values().copied().max().unwrap_or(0),
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
        caps_source: caps_source.into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000_000;

    fn sends(hours: &[i64]) -> Vec<Send> {
        hours
            .iter()
            .map(|h| Send {
                person: 1,
                ts: h * HOUR,
                campaign: String::new(),
            })
            .collect()
    }

    fn cap(max: u32, per_days: u32) -> FrequencyCap {
        FrequencyCap {
            channel: Channel::Email,
            max,
            per_days,
        }
    }

    #[test]
    fn a_send_is_over_when_its_rolling_window_holds_more_than_the_cap() {
        // Days 0, 1, 2 and 8: the third send is the third in seven days; on
        // day 8 the window (day 1, day 8] holds days 2 and 8 only.
        let s = sends(&[0, 24, 48, 192]);
        assert_eq!(over_cap(&s, &cap(2, 7), 0), vec![(0, 2)]);
        assert_eq!(over_cap(&s, &cap(3, 7), 0), vec![]);
        // At most one a day: none of these share a day.
        assert_eq!(over_cap(&s, &cap(1, 1), 0), vec![]);
    }

    #[test]
    fn the_window_is_open_at_its_start_as_the_sequence_engine_holds_it() {
        // Exactly 24 hours apart: not in the same one-day window.
        assert_eq!(over_cap(&sends(&[0, 24]), &cap(1, 1), 0), vec![]);
        // 23 hours apart: the second is over.
        assert_eq!(over_cap(&sends(&[0, 23]), &cap(1, 1), 0), vec![(0, 1)]);
    }

    #[test]
    fn sends_before_the_range_fill_windows_but_are_not_counted() {
        let s = sends(&[0, 10, 20, 30]);
        // Counting from hour 15: the sends at 20 and 30 are each the third in
        // 24 hours; the one at 10 is before the range.
        assert_eq!(over_cap(&s, &cap(2, 1), 15 * HOUR), vec![(0, 2), (1, 3)]);
        assert_eq!(over_cap(&s, &cap(2, 1), 25 * HOUR), vec![(1, 3)]);
    }
}
