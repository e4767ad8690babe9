//! The wizard's audience reach and projected results.
//!
//! Reach: the segment evaluated "as of" the end of its own data (the moment
//! Segments counts it at), once per channel with that
//! channel's consent required (ads consent for ad channels), so each figure is
//! the people the campaign may actually reach there.
//!
//! Projections use the workspace's own history: the last 90 days of
//! `campaign_daily_metrics` per channel in the budget's currency. Ads: spend ÷
//! historical CPC = clicks; clicks × historical CVR = conversions; × average
//! order value = revenue (the budget split evenly over the ad channels).
//! Owned channels: reachable people × messages per person = sends; sends ×
//! historical conversions per send = conversions. A channel with no history
//! gets no numbers and says so; nothing is made up.

use chrono::{Duration, NaiveDate};
use num_format::{Locale, ToFormattedString};
use rebound_core::{Error, Result, Workspace};
use rebound_segments::{ConsentPolicy, ZeroHint};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::model::{BudgetKind, CampaignDraft, ChannelKey};

/// How many people a campaign can reach on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChannelReach {
    pub channel: ChannelKey,
    /// In the segment, before consent.
    #[ts(type = "number")]
    pub matched: u64,
    /// With the channel's consent granted.
    #[ts(type = "number")]
    pub reachable: u64,
    #[ts(type = "number")]
    pub without_consent: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AudienceReach {
    #[ts(type = "number")]
    pub segment_id: i64,
    pub segment_name: String,
    /// The moment the channels are counted at (UTC micros): the end of the
    /// segment's data, or, when no one is in it then, the nearest day's end
    /// that has people (see `zero`).
    #[ts(type = "number")]
    pub as_of: i64,
    pub channels: Vec<ChannelReach>,
    /// The segment was empty at the end of its data (`default_as_of`): why,
    /// and the day counted instead.
    #[ts(optional)]
    pub zero: Option<ZeroHint>,
    #[ts(type = "number")]
    pub default_as_of: i64,
}

/// A segment error keeps its code across (`rebound_core::Error::Feature`),
/// its database failures their source.
fn segment_error(e: rebound_segments::Error) -> Error {
    match e {
        rebound_segments::Error::Database { op, source } => Error::Database { op, source },
        other => other.into(),
    }
}

/// The segment's reach on each channel after consent, as of `as_of` (UTC micros).
pub async fn audience_reach(
    workspace: &Workspace,
    segment_id: i64,
    channels: &[ChannelKey],
    as_of: i64,
) -> Result<AudienceReach> {
    let saved = rebound_segments::get_segment(workspace, segment_id)
        .await
        .map_err(segment_error)?;
    let mut out = Vec::new();
    let mut cache: Vec<(rebound_segments::Channel, rebound_segments::SegmentCount)> = Vec::new();
    for channel in channels {
        let consent = channel.consent();
        let count = match cache.iter().find(|(c, _)| *c == consent) {
            Some((_, n)) => n.clone(),
            None => {
                let mut def = saved.definition.clone();
                def.consent = Some(ConsentPolicy {
                    channel: consent,
                    include_without_consent: false,
                });
                let n = rebound_segments::count(workspace, &def, as_of)
                    .await
                    .map_err(segment_error)?;
                cache.push((consent, n.clone()));
                n
            }
        };
        out.push(ChannelReach {
            channel: *channel,
            matched: count.matched,
            reachable: count.members,
            without_consent: count.without_consent,
        });
    }
    Ok(AudienceReach {
        segment_id,
        segment_name: saved.definition.name,
        as_of,
        channels: out,
        zero: None,
        default_as_of: as_of,
    })
}

/// A channel's history in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChannelHistory {
    pub channel: ChannelKey,
    pub days: u32,
    #[ts(type = "number")]
    pub clicks: i64,
    #[ts(type = "number")]
    pub cost_minor: i64,
    /// None when no report in the period gives conversions (a Meta traffic
    /// report's results are link clicks): conversions are then not projected.
    pub conversions: Option<f64>,
    #[ts(type = "number")]
    pub revenue_minor: i64,
    #[ts(type = "number")]
    pub sends: i64,
}

impl ChannelHistory {
    fn cpc(&self) -> Option<f64> {
        (self.clicks > 0 && self.cost_minor > 0)
            .then(|| self.cost_minor as f64 / self.clicks as f64)
    }
    fn cvr(&self) -> Option<f64> {
        let conversions = self.conversions?;
        (self.clicks > 0).then(|| conversions / self.clicks as f64)
    }
    fn aov(&self) -> Option<f64> {
        let conversions = self.conversions?;
        (conversions > 0.0).then(|| self.revenue_minor as f64 / conversions)
    }
    /// Clicks, conversions (when reported) and cost per send.
    fn per_send(&self) -> Option<(f64, Option<f64>, f64)> {
        (self.sends > 0).then(|| {
            let s = self.sends as f64;
            (
                self.clicks as f64 / s,
                self.conversions.map(|c| c / s),
                self.cost_minor as f64 / s,
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChannelProjection {
    pub channel: ChannelKey,
    /// How the numbers were made, in words.
    pub basis: String,
    pub reachable: Option<f64>,
    pub sends: Option<f64>,
    pub clicks: Option<f64>,
    pub conversions: Option<f64>,
    pub cost_minor: Option<f64>,
    pub revenue_minor: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Projection {
    pub currency: String,
    /// Days projected: the schedule's, or 30 when it has no end.
    pub days: u32,
    pub channels: Vec<ChannelProjection>,
    pub conversions: Option<f64>,
    pub cost_minor: Option<f64>,
    pub revenue_minor: Option<f64>,
    pub roas: Option<f64>,
    pub cpa_minor: Option<f64>,
    pub notes: Vec<String>,
}

/// The last `days` days of history up to `until`, per channel, in `currency`.
pub async fn history(
    workspace: &Workspace,
    currency: &str,
    until: NaiveDate,
    days: u32,
) -> Result<Vec<ChannelHistory>> {
    let since = until - Duration::days(i64::from(days) - 1);
    let rows = sqlx::query(
        "SELECT channel, count(DISTINCT day), coalesce(sum(clicks), 0), coalesce(sum(cost_minor), 0),
             sum(conversions), coalesce(sum(revenue_minor), 0), coalesce(sum(sends), 0)
         FROM campaign_daily_metrics WHERE currency = ?1 AND day >= ?2 AND day <= ?3
         GROUP BY channel",
    )
    .bind(currency)
    .bind(since.to_string())
    .bind(until.to_string())
    .fetch_all(workspace.pool())
    .await
    .map_err(|source| Error::Database {
        op: "reading campaign history",
        source,
    })?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(ChannelHistory {
                channel: ChannelKey::parse(r.get(0))?,
                days: r.get::<i64, _>(1) as u32,
                clicks: r.get(2),
                cost_minor: r.get(3),
                conversions: r.get(4),
                revenue_minor: r.get(5),
                sends: r.get(6),
            })
        })
        .collect())
}

/// Projects a draft's results from `history` and its `reach`.
pub fn project(
    draft: &CampaignDraft,
    reach: Option<&AudienceReach>,
    history: &[ChannelHistory],
    currency: &str,
) -> Projection {
    let mut notes = Vec::new();
    let days = match draft.days() {
        Some(d) => d.clamp(1, 3650) as u32,
        None => {
            notes.push("the schedule has no end date: projected for 30 days".into());
            30
        }
    };
    let spend = draft.budget.as_ref().map(|b| match b.kind {
        BudgetKind::Daily => b.amount_minor as f64 * f64::from(days),
        BudgetKind::Total => b.amount_minor as f64,
    });
    if let Some(b) = &draft.budget {
        if b.currency != currency {
            notes.push(format!(
                "the budget is in {} but the history is in {currency}; ad spend is not projected",
                b.currency
            ));
        }
    }
    let spend = spend.filter(|_| {
        draft
            .budget
            .as_ref()
            .is_some_and(|b| b.currency == currency)
    });
    let ad_channels = draft.channels.iter().filter(|c| c.is_ads()).count();
    let mut channels = Vec::new();
    for channel in &draft.channels {
        let h = history.iter().find(|h| h.channel == *channel);
        let counted = reach.and_then(|r| r.channels.iter().find(|c| c.channel == *channel));
        let reachable = counted.map(|c| c.reachable as f64);
        let mut p = ChannelProjection {
            channel: *channel,
            basis: String::new(),
            reachable,
            sends: None,
            clicks: None,
            conversions: None,
            cost_minor: None,
            revenue_minor: None,
        };
        let Some(h) = h else {
            p.basis = format!(
                "no {} history in {currency} in the last 90 days",
                channel.label()
            );
            channels.push(p);
            continue;
        };
        if channel.is_ads() && reachable == Some(0.0) {
            let why = if counted.is_some_and(|c| c.matched > 0) {
                " (no ads consent)"
            } else {
                " (the segment is empty)"
            };
            p.basis = format!(
                "no one in the audience can be reached on {}{why}, so nothing is spent",
                channel.label()
            );
        } else if channel.is_ads() {
            match (spend, h.cpc()) {
                (Some(spend), Some(cpc)) => {
                    let share = spend / ad_channels as f64;
                    let clicks = share / cpc;
                    let conversions = h.cvr().map(|r| clicks * r);
                    p.cost_minor = Some(share);
                    p.clicks = Some(clicks);
                    p.conversions = conversions;
                    p.revenue_minor = conversions.zip(h.aov()).map(|(c, v)| c * v);
                    let converting = match h.cvr() {
                        Some(rate) => format!("{:.2}% of clicks convert", rate * 100.0),
                        None => "conversions not in the reports".to_string(),
                    };
                    let digits = rebound_core::money::minor_digits(currency) as usize;
                    p.basis = format!(
                        "{} of {} days: CPC {:.digits$} {currency}, {converting}",
                        h.days,
                        90,
                        rebound_core::money::minor_f64_to_major(cpc, currency),
                    );
                }
                (None, _) => {
                    p.basis = "no budget in the history's currency to spend".into();
                }
                (_, None) => {
                    p.basis = format!("no paid clicks in the {} history", channel.label());
                }
            }
        } else {
            match (reachable, h.per_send()) {
                (Some(people), Some((clicks, conversions, cost))) => {
                    let sends = people * f64::from(draft.messages_per_person.max(1));
                    p.sends = Some(sends);
                    p.clicks = Some(sends * clicks);
                    p.conversions = conversions.map(|c| sends * c);
                    p.cost_minor = Some(sends * cost);
                    p.revenue_minor = conversions.zip(h.aov()).map(|(c, v)| sends * c * v);
                    p.basis = format!(
                        "{} sends in {} days: {}",
                        h.sends.to_formatted_string(&Locale::en),
                        h.days,
                        match conversions {
                            Some(c) => format!("{c:.3} conversions per send"),
                            None => "conversions not in the reports".to_string(),
                        }
                    );
                }
                (None, _) => p.basis = "choose a segment to size the sends".into(),
                (_, None) => {
                    p.basis = format!("no {} sends in the history", channel.label());
                }
            }
        }
        channels.push(p);
    }
    let sum = |f: fn(&ChannelProjection) -> Option<f64>| -> Option<f64> {
        let v: Vec<f64> = channels.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum())
    };
    let conversions = sum(|c| c.conversions);
    let cost = sum(|c| c.cost_minor);
    let revenue = sum(|c| c.revenue_minor);
    Projection {
        currency: currency.to_string(),
        days,
        roas: revenue
            .zip(cost)
            .and_then(|(r, c)| (c > 0.0).then(|| r / c)),
        cpa_minor: cost
            .zip(conversions)
            .and_then(|(c, n)| (n > 0.0).then(|| c / n)),
        conversions,
        cost_minor: cost,
        revenue_minor: revenue,
        channels,
        notes,
    }
}

/// What the wizard's review shows: reach, projected results and what is
/// still wrong with the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Plan {
    pub reach: Option<AudienceReach>,
    pub projection: Projection,
    pub problems: Vec<crate::model::DraftProblem>,
}

/// Reach (when the draft has a segment, as of the end of the segment's
/// data, or the nearest day with people when it is empty then) and projections from the 90 days up to the last day of ad metrics
/// (`now`, UTC micros, when there are none), in the budget's currency or else
/// the currency most of the workspace's metrics are in.
pub async fn plan(workspace: &Workspace, draft: &CampaignDraft, now: i64) -> Result<Plan> {
    let reach = match draft.segment_id {
        Some(id) if !draft.channels.is_empty() => {
            let saved = rebound_segments::get_segment(workspace, id)
                .await
                .map_err(segment_error)?;
            let default = rebound_segments::resolve_as_of(workspace, &saved.definition, None, now)
                .await
                .map_err(segment_error)?;
            // Empty at the end of its data (carts not yet 24 hours old, say):
            // count the nearest day that has people, and say so.
            let zero = rebound_segments::count_explained(workspace, &saved.definition, default)
                .await
                .map_err(segment_error)?
                .zero;
            let as_of = zero
                .as_ref()
                .and_then(|z| z.suggestion.as_ref())
                .and_then(|s| NaiveDate::parse_from_str(&s.day, "%Y-%m-%d").ok())
                .map_or(default, rebound_core::time::end_of_day);
            let mut reach = audience_reach(workspace, id, &draft.channels, as_of).await?;
            reach.zero = zero;
            reach.default_as_of = default;
            Some(reach)
        }
        _ => None,
    };
    let currency = match &draft.budget {
        Some(b) => b.currency.clone(),
        None => sqlx::query_scalar(
            "SELECT coalesce((SELECT currency FROM campaign_daily_metrics GROUP BY currency
                              ORDER BY count(*) DESC LIMIT 1), 'USD')",
        )
        .fetch_one(workspace.pool())
        .await
        .map_err(|source| Error::Database {
            op: "reading the workspace currency",
            source,
        })?,
    };
    let last: Option<String> =
        sqlx::query_scalar("SELECT max(day) FROM campaign_daily_metrics WHERE currency = ?1")
            .bind(&currency)
            .fetch_one(workspace.pool())
            .await
            .map_err(|source| Error::Database {
                op: "reading the last day of ad metrics",
                source,
            })?;
    let until = last
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| rebound_core::time::as_of_day(now));
    let history = history(workspace, &currency, until, 90).await?;
    Ok(Plan {
        projection: project(draft, reach.as_ref(), &history, &currency),
        reach,
        problems: draft.check(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Budget, CampaignStatus, Goal};

    fn draft() -> CampaignDraft {
        CampaignDraft {
            name: "x".into(),
            goal: Goal::Journey,
            segment_id: Some(1),
            channels: vec![ChannelKey::MetaAds, ChannelKey::Email, ChannelKey::Sms],
            creative_ids: vec![],
            sequence_id: None,
            messages_per_person: 2,
            budget: Some(Budget {
                kind: BudgetKind::Daily,
                amount_minor: 10_000,
                currency: "USD".into(),
            }),
            starts_on: Some("2026-12-01".into()),
            ends_on: Some("2026-12-10".into()),
            status: CampaignStatus::Draft,
            platform_campaign_id: None,
        }
    }

    #[test]
    fn projections_follow_history_rates_and_say_what_is_missing() {
        let history = vec![
            ChannelHistory {
                channel: ChannelKey::MetaAds,
                days: 90,
                clicks: 1_000,
                cost_minor: 250_000,
                conversions: Some(50.0),
                revenue_minor: 400_000,
                sends: 0,
            },
            ChannelHistory {
                channel: ChannelKey::Email,
                days: 60,
                clicks: 300,
                cost_minor: 0,
                conversions: Some(20.0),
                revenue_minor: 100_000,
                sends: 10_000,
            },
        ];
        let reach = AudienceReach {
            segment_id: 1,
            segment_name: "s".into(),
            as_of: 0,
            zero: None,
            default_as_of: 0,
            channels: vec![
                ChannelReach {
                    channel: ChannelKey::MetaAds,
                    matched: 800,
                    reachable: 600,
                    without_consent: 200,
                },
                ChannelReach {
                    channel: ChannelKey::Email,
                    matched: 800,
                    reachable: 500,
                    without_consent: 300,
                },
                ChannelReach {
                    channel: ChannelKey::Sms,
                    matched: 800,
                    reachable: 100,
                    without_consent: 700,
                },
            ],
        };
        let p = project(&draft(), Some(&reach), &history, "USD");
        assert_eq!(p.days, 10);
        let meta = &p.channels[0];
        // $100 a day for 10 days at a $2.50 CPC: 400 clicks, 5% convert: 20, $80 each.
        assert_eq!(meta.cost_minor, Some(100_000.0));
        assert_eq!(meta.clicks, Some(400.0));
        assert_eq!(meta.conversions, Some(20.0));
        assert_eq!(meta.revenue_minor, Some(160_000.0));
        let email = &p.channels[1];
        // 500 people × 2 messages; 0.002 conversions per send; $50 each.
        assert_eq!(email.sends, Some(1_000.0));
        assert_eq!(email.conversions, Some(2.0));
        assert_eq!(email.revenue_minor, Some(10_000.0));
        let sms = &p.channels[2];
        assert_eq!(sms.conversions, None);
        assert!(sms.basis.contains("no SMS history"), "{}", sms.basis);
        assert_eq!(p.conversions, Some(22.0));
        assert_eq!(p.roas, Some(1.7));
        let other = project(&draft(), Some(&reach), &history, "EUR");
        assert!(other.notes.iter().any(|n| n.contains("is in USD")));
        assert_eq!(other.channels[0].cost_minor, None);
    }

    /// A Meta traffic report gives clicks and spend but no conversions, and
    /// an imported log has no ads consent: nothing is invented from either.
    #[test]
    fn unreported_conversions_and_an_unreachable_audience_project_nothing() {
        let history = vec![ChannelHistory {
            channel: ChannelKey::MetaAds,
            days: 7,
            clicks: 949,
            cost_minor: 26_815,
            conversions: None,
            revenue_minor: 0,
            sends: 0,
        }];
        let mut d = draft();
        d.channels = vec![ChannelKey::MetaAds];
        let reach = |reachable| AudienceReach {
            segment_id: 1,
            segment_name: "s".into(),
            as_of: 0,
            channels: vec![ChannelReach {
                channel: ChannelKey::MetaAds,
                matched: 53,
                reachable,
                without_consent: 53 - reachable,
            }],
            zero: None,
            default_as_of: 0,
        };
        let p = project(&d, Some(&reach(53)), &history, "USD");
        let meta = &p.channels[0];
        assert_eq!(meta.cost_minor, Some(100_000.0));
        assert!(meta.clicks.is_some());
        assert_eq!(meta.conversions, None);
        assert_eq!(meta.revenue_minor, None);
        assert_eq!(p.conversions, None);
        assert_eq!(p.cpa_minor, None);
        assert_eq!(
            meta.basis,
            "7 of 90 days: CPC 0.28 USD, conversions not in the reports"
        );

        // A yen history: the CPC reads in whole yen, not a hundredth of them.
        let yen = vec![ChannelHistory {
            cost_minor: 252_000,
            clicks: 1_000,
            ..history[0].clone()
        }];
        let mut in_yen = d.clone();
        in_yen.budget = Some(Budget {
            kind: BudgetKind::Daily,
            amount_minor: 5_000,
            currency: "JPY".into(),
        });
        let p = project(&in_yen, Some(&reach(53)), &yen, "JPY");
        assert!(
            p.channels[0].basis.contains("CPC 252 JPY"),
            "{}",
            p.channels[0].basis
        );
        assert_eq!(p.channels[0].clicks, Some(50_000.0 / 252.0));

        let p = project(&d, Some(&reach(0)), &history, "USD");
        let meta = &p.channels[0];
        assert_eq!((meta.cost_minor, meta.clicks), (None, None));
        assert_eq!(
            meta.basis,
            "no one in the audience can be reached on Meta Ads (no ads consent), so nothing is spent"
        );
        assert_eq!(p.cost_minor, None);
    }
}
