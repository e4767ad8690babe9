//! `rebound metrics` (campaign KPIs per currency, grouped, period over
//! period) and `rebound campaign list|attribution|over-messaging`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use rebound_api::{self as api, Ctx};
use rebound_campaigns::metrics::Kpis;
use rebound_campaigns::{self as campaigns, Grouping, MetricsQuery};
use rebound_core::{Error, Workspace};
use rebound_sequences::model::Channel;
use rebound_sequences::rules::FrequencyCap;
use serde_json::json;

use crate::{to_json, workspace_path, Output};

#[derive(Args)]
pub struct MetricsArgs {
    /// One campaign, by id or exact name (with the reports attached to it)
    #[arg(long)]
    campaign: Option<String>,
    /// First day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    from: NaiveDate,
    /// Last day (inclusive), YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    to: NaiveDate,
    /// Group rows by day, week, month, channel or campaign
    #[arg(long, default_value = "day", value_parser = ["day", "week", "month", "channel", "campaign"])]
    by: String,
}

#[derive(Args)]
pub struct Range {
    #[arg(long, value_name = "DATE")]
    from: NaiveDate,
    #[arg(long, value_name = "DATE")]
    to: NaiveDate,
}

#[derive(Subcommand)]
pub enum CampaignCommand {
    /// Every campaign with its state, channels and attached reports
    List,
    /// Conversions and revenue credited by last touch, first touch, linear and position-based
    Attribution {
        #[command(flatten)]
        range: Range,
        /// How far back a touchpoint may be before the purchase, in days
        #[arg(long, default_value_t = 30)]
        lookback_days: u32,
    },
    /// People sent more messages than the caps allow, and ad frequency
    OverMessaging {
        #[command(flatten)]
        range: Range,
        /// A cap to check instead of the workspace's sending rules, as
        /// CHANNEL:MAX/DAYS (e.g. email:3/7 is at most three e-mails in any
        /// seven days); repeat for more
        #[arg(long = "cap", value_parser = parse_cap)]
        caps: Vec<FrequencyCap>,
    },
}

/// `email:3/7` → at most 3 e-mails in any 7 days.
fn parse_cap(text: &str) -> Result<FrequencyCap, Error> {
    let bad = || {
        Error::InvalidInput(format!(
            "{text:?} is not a cap: write CHANNEL:MAX/DAYS, e.g. email:3/7"
        ))
    };
    let (channel, rest) = text.split_once(':').ok_or_else(bad)?;
    let (max, days) = rest.split_once('/').ok_or_else(bad)?;
    let channel = match channel.trim() {
        "email" => Channel::Email,
        "sms" => Channel::Sms,
        "push" => Channel::Push,
        other => {
            return Err(Error::InvalidInput(format!(
                "{other:?} is not a messaging channel (email, sms or push)"
            )))
        }
    };
    Ok(FrequencyCap {
        channel,
        max: max.trim().parse().map_err(|_| bad())?,
        per_days: days.trim().parse().map_err(|_| bad())?,
    })
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map(f).unwrap_or_else(|| "–".into())
}

/// One table line; a figure the reports do not give shows as "–".
fn line(label: &str, k: &Kpis, currency: &str) -> String {
    let s = &k.sums;
    let money = |m: i64| rebound_core::money::decimal(m, currency);
    format!(
        "  {:<34} {:>12} {:>9} {:>7} {:>12} {:>9} {:>12} {:>7}",
        label.chars().take(34).collect::<String>(),
        opt(s.impressions, |v| v.to_string()),
        opt(s.clicks, |v| v.to_string()),
        opt(k.ctr, |v| format!("{:.2}%", v * 100.0)),
        opt(s.cost_minor, money),
        opt(s.conversions, |v| format!("{v:.2}")),
        opt(s.revenue_minor, money),
        opt(k.roas, |v| format!("{v:.2}")),
    )
}

const HEADER: &str = "                                      impressions    clicks     CTR         cost     conv.      revenue    ROAS";

pub async fn metrics(args: MetricsArgs, workspace: Option<PathBuf>) -> Result<Output, Error> {
    let ws = Workspace::open(&workspace_path(workspace)?).await?;
    let result = metrics_in(args, &crate::context(&ws)?, &ws).await;
    ws.close().await;
    result
}

async fn metrics_in(args: MetricsArgs, ctx: &Ctx<'_>, ws: &Workspace) -> Result<Output, Error> {
    let campaign = match &args.campaign {
        Some(which) => Some(campaigns::find_campaign(ws, which).await?),
        None => None,
    };
    let by = Grouping::parse(&args.by)
        .ok_or_else(|| Error::InvalidInput(format!("cannot group by '{}'", args.by)))?;
    let report = api::campaigns::metrics(
        ctx,
        MetricsQuery {
            from: args.from.to_string(),
            to: args.to.to_string(),
            by,
            campaign_id: campaign.as_ref().map(|c| c.id),
        },
    )
    .await?;
    let mut text = format!(
        "{}{} to {} (previous period {} to {})\n",
        campaign
            .as_ref()
            .map(|c| format!("{}: ", c.name))
            .unwrap_or_default(),
        report.from,
        report.to,
        report.previous_from,
        report.previous_to
    );
    if report.mixed_currencies {
        text.push_str("Several currencies: each has its own block; they are never added.\n");
    }
    for b in &report.blocks {
        text.push_str(&format!("\n{}\n{HEADER}\n", b.currency));
        for r in &b.rows {
            text.push_str(&line(&r.label, &r.kpis, &b.currency));
            text.push('\n');
        }
        text.push_str(&line("Total", &b.totals, &b.currency));
        text.push('\n');
        text.push_str(&line("Previous period", &b.previous, &b.currency));
        text.push('\n');
    }
    for b in &report.undated {
        text.push_str(&format!(
            "\n{} (report period '{}', not placed in dates)\n{HEADER}\n",
            b.currency, b.period
        ));
        for r in &b.rows {
            text.push_str(&line(&r.label, &r.kpis, &b.currency));
            text.push('\n');
        }
        text.push_str(&line("Total", &b.totals, &b.currency));
        text.push('\n');
    }
    if report.blocks.is_empty() && report.undated.is_empty() {
        text.push_str("No campaign metrics in this range.\n");
    }
    for w in &report.warnings {
        text.push_str(&format!("note: {w}\n"));
    }
    text.pop();
    Ok(Output {
        text,
        json: to_json(&report),
    })
}

pub async fn run(command: CampaignCommand, workspace: Option<PathBuf>) -> Result<Output, Error> {
    let ws = Workspace::open(&workspace_path(workspace)?).await?;
    let result = run_in(command, &crate::context(&ws)?).await;
    ws.close().await;
    result
}

async fn run_in(command: CampaignCommand, ctx: &Ctx<'_>) -> Result<Output, Error> {
    match command {
        CampaignCommand::List => {
            let list = api::campaigns::list(ctx).await?;
            let mut text = String::new();
            for c in &list {
                let channels: Vec<&str> = c.channels.iter().map(|c| c.label()).collect();
                text.push_str(&format!(
                    "{:>5}  {:<40} {:<10} {:<11} {}{}\n",
                    c.id,
                    c.name.chars().take(40).collect::<String>(),
                    c.status.as_str(),
                    c.campaign_type
                        .as_deref()
                        .or(c.goal.map(|g| g.as_str()))
                        .unwrap_or("—"),
                    channels.join(", "),
                    match c.attached_to {
                        Some(owner) => format!("  (counts towards {owner})"),
                        None if !c.attached.is_empty() => format!(
                            "  ({} attached)",
                            if c.attached.len() == 1 {
                                "1 report".to_string()
                            } else {
                                format!("{} reports", c.attached.len())
                            }
                        ),
                        None => String::new(),
                    }
                ));
            }
            if list.is_empty() {
                text.push_str("No campaigns yet.\n");
            }
            text.pop();
            Ok(Output {
                text,
                json: json!({ "campaigns": to_json(&list) }),
            })
        }
        CampaignCommand::Attribution {
            range,
            lookback_days,
        } => {
            let r = api::campaigns::attribution(
                ctx,
                campaigns::AttributionQuery {
                    from: range.from.to_string(),
                    to: range.to.to_string(),
                    lookback_days,
                },
            )
            .await?;
            let mut text = String::new();
            for b in &r.blocks {
                text.push_str(&format!(
                    "{}: {} conversions, {} revenue, {} touched by a campaign\n  {:<40} {:>10} {:>10} {:>10} {:>10}\n",
                    b.currency,
                    b.conversions,
                    rebound_core::money::plain(b.revenue_minor, &b.currency),
                    b.touched,
                    "conversions credited",
                    "last",
                    "first",
                    "linear",
                    "position"
                ));
                for row in &b.rows {
                    text.push_str(&format!(
                        "  {:<40} {:>10.2} {:>10.2} {:>10.2} {:>10.2}\n",
                        row.campaign.chars().take(40).collect::<String>(),
                        row.last_touch.conversions,
                        row.first_touch.conversions,
                        row.linear.conversions,
                        row.position_based.conversions
                    ));
                }
            }
            if r.blocks.is_empty() {
                text.push_str("No purchases in this range.\n");
            }
            text.pop();
            Ok(Output {
                text,
                json: to_json(&r),
            })
        }
        CampaignCommand::OverMessaging { range, caps } => {
            let r = api::campaigns::over_messaging(
                ctx,
                campaigns::OverMessagingQuery {
                    from: range.from.to_string(),
                    to: range.to.to_string(),
                    caps: (!caps.is_empty()).then_some(caps),
                },
            )
            .await?;
            let mut text = format!(
                "caps: {}\n",
                if r.caps_source == "query" {
                    "as given"
                } else {
                    "the workspace's sending rules"
                }
            );
            for c in &r.channels {
                text.push_str(&format!(
                    "{}: {} messages to {} people, {} of them over a cap; at most {} in a day, {} in a week\n",
                    c.channel,
                    c.messages,
                    c.people,
                    c.people_over,
                    c.max_per_day,
                    c.max_per_week
                ));
                for cap in &c.caps {
                    text.push_str(&format!(
                        "  {}: {} people over, {} messages over\n",
                        cap.description, cap.people_over, cap.messages_over
                    ));
                }
            }
            for f in &r.ad_campaigns {
                text.push_str(&format!(
                    "ad frequency {}: {}\n",
                    f.campaign,
                    opt(f.frequency, |v| format!("{v:.2}"))
                ));
            }
            for n in &r.notes {
                text.push_str(&format!("note: {n}\n"));
            }
            text.pop();
            Ok(Output {
                text,
                json: to_json(&r),
            })
        }
    }
}
