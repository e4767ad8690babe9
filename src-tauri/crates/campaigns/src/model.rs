//! What a campaign is: a goal, an audience (a segment), channels, creatives or
//! a sequence, a budget and a schedule, and a state. The wizard edits a
//! [`CampaignDraft`]; [`CampaignDraft::check`] says, step by step, what is
//! missing or wrong, in the words the wizard shows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the campaign is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Paid ads shown because of behaviour.
    Retargeting,
    /// Follow-up through owned channels.
    Remarketing,
    /// Both, combined in one journey.
    Journey,
}

impl Goal {
    pub fn as_str(self) -> &'static str {
        match self {
            Goal::Retargeting => "retargeting",
            Goal::Remarketing => "remarketing",
            Goal::Journey => "journey",
        }
    }

    pub fn parse(s: &str) -> Option<Goal> {
        [Goal::Retargeting, Goal::Remarketing, Goal::Journey]
            .into_iter()
            .find(|g| g.as_str() == s)
    }
}

/// A channel a campaign reaches people through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKey {
    MetaAds,
    GoogleAds,
    Email,
    Sms,
    Push,
}

impl ChannelKey {
    pub const ALL: [ChannelKey; 5] = [
        ChannelKey::MetaAds,
        ChannelKey::GoogleAds,
        ChannelKey::Email,
        ChannelKey::Sms,
        ChannelKey::Push,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKey::MetaAds => "meta_ads",
            ChannelKey::GoogleAds => "google_ads",
            ChannelKey::Email => "email",
            ChannelKey::Sms => "sms",
            ChannelKey::Push => "push",
        }
    }

    pub fn parse(s: &str) -> Option<ChannelKey> {
        ChannelKey::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Paid ads (retargeting) rather than an owned channel (remarketing).
    pub fn is_ads(self) -> bool {
        matches!(self, ChannelKey::MetaAds | ChannelKey::GoogleAds)
    }

    /// The consent the channel needs, as in the `consent` table.
    pub fn consent(self) -> rebound_segments::Channel {
        match self {
            ChannelKey::MetaAds | ChannelKey::GoogleAds => rebound_segments::Channel::Ads,
            ChannelKey::Email => rebound_segments::Channel::Email,
            ChannelKey::Sms => rebound_segments::Channel::Sms,
            ChannelKey::Push => rebound_segments::Channel::Push,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChannelKey::MetaAds => "Meta Ads",
            ChannelKey::GoogleAds => "Google Ads",
            ChannelKey::Email => "E-mail",
            ChannelKey::Sms => "SMS",
            ChannelKey::Push => "Push",
        }
    }
}

/// A campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Draft,
    Active,
    Paused,
    Completed,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Active => "active",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<CampaignStatus> {
        [
            CampaignStatus::Draft,
            CampaignStatus::Active,
            CampaignStatus::Paused,
            CampaignStatus::Completed,
        ]
        .into_iter()
        .find(|g| g.as_str() == s)
    }
}

/// Per day, or for the whole schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BudgetKind {
    Daily,
    Total,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Budget {
    pub kind: BudgetKind,
    /// Minor units (cents) of `currency`.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// ISO 4217, upper case.
    pub currency: String,
}

/// What the wizard edits and saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CampaignDraft {
    pub name: String,
    pub goal: Goal,
    #[ts(type = "number | null")]
    pub segment_id: Option<i64>,
    pub channels: Vec<ChannelKey>,
    #[ts(type = "Array<number>")]
    pub creative_ids: Vec<i64>,
    #[ts(type = "number | null")]
    pub sequence_id: Option<i64>,
    /// How many messages a person receives on each owned channel (the
    /// sequence's message steps, or one for a single send). Used by projections.
    pub messages_per_person: u32,
    pub budget: Option<Budget>,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    /// `YYYY-MM-DD`, inclusive; none = runs until stopped.
    pub ends_on: Option<String>,
    pub status: CampaignStatus,
    /// The platform's own campaign id, so imported reports with that id attach.
    pub platform_campaign_id: Option<String>,
}

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    Goal,
    Audience,
    Channels,
    Content,
    BudgetSchedule,
    Review,
}

/// One thing wrong with a draft, where the wizard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DraftProblem {
    pub step: WizardStep,
    pub field: String,
    pub message: String,
}

pub fn parse_day(field: &str, s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{field} '{s}' is not a date like 2026-11-28"))
}

impl CampaignDraft {
    /// Everything wrong with the draft; empty when it can be saved. Drafts
    /// (`status = draft`) may leave the schedule and content open; a campaign
    /// that goes live may not.
    pub fn check(&self) -> Vec<DraftProblem> {
        let mut out = Vec::new();
        let mut fail = |step, field: &str, message: String| {
            out.push(DraftProblem {
                step,
                field: field.into(),
                message,
            })
        };
        let live = self.status != CampaignStatus::Draft;
        if self.name.trim().is_empty() {
            fail(WizardStep::Goal, "name", "give the campaign a name".into());
        } else if self.name.chars().count() > 120 {
            fail(
                WizardStep::Goal,
                "name",
                "the name is longer than 120 characters".into(),
            );
        }
        if self.segment_id.is_none() && live {
            fail(
                WizardStep::Audience,
                "segment_id",
                "choose the segment the campaign reaches".into(),
            );
        }
        if self.channels.is_empty() {
            fail(
                WizardStep::Channels,
                "channels",
                "choose at least one channel".into(),
            );
        }
        let ads = self.channels.iter().any(|c| c.is_ads());
        let owned = self.channels.iter().any(|c| !c.is_ads());
        match self.goal {
            Goal::Retargeting if owned => fail(
                WizardStep::Channels,
                "channels",
                "a retargeting campaign runs on ad channels only; choose a journey to add e-mail, SMS or push".into(),
            ),
            Goal::Remarketing if ads => fail(
                WizardStep::Channels,
                "channels",
                "a remarketing campaign runs on owned channels only; choose a journey to add ads".into(),
            ),
            Goal::Journey if !self.channels.is_empty() && (!ads || !owned) => fail(
                WizardStep::Channels,
                "channels",
                "a journey combines at least one ad channel with e-mail, SMS or push".into(),
            ),
            _ => {}
        }
        let mut seen = self.channels.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.channels.len() {
            fail(
                WizardStep::Channels,
                "channels",
                "a channel is listed twice".into(),
            );
        }
        if live && ads && self.creative_ids.is_empty() {
            fail(
                WizardStep::Content,
                "creative_ids",
                "choose the creatives the ads show".into(),
            );
        }
        if live && owned && self.sequence_id.is_none() && self.messages_per_person == 0 {
            fail(
                WizardStep::Content,
                "sequence_id",
                "choose a sequence, or say how many messages each person gets".into(),
            );
        }
        if self.messages_per_person > 50 {
            fail(
                WizardStep::Content,
                "messages_per_person",
                "more than 50 messages per person is not a campaign, it is spam".into(),
            );
        }
        if let Some(b) = &self.budget {
            if b.amount_minor <= 0 {
                fail(
                    WizardStep::BudgetSchedule,
                    "budget",
                    "the budget must be more than zero".into(),
                );
            }
            let c = b.currency.as_str();
            if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
                fail(
                    WizardStep::BudgetSchedule,
                    "currency",
                    format!("'{c}' is not a currency code like USD or EUR"),
                );
            }
        } else if live && ads {
            fail(
                WizardStep::BudgetSchedule,
                "budget",
                "ads need a budget".into(),
            );
        }
        let start = self
            .starts_on
            .as_deref()
            .map(|s| parse_day("start date", s));
        let end = self.ends_on.as_deref().map(|s| parse_day("end date", s));
        if let Some(Err(e)) = &start {
            fail(WizardStep::BudgetSchedule, "starts_on", e.clone());
        }
        if let Some(Err(e)) = &end {
            fail(WizardStep::BudgetSchedule, "ends_on", e.clone());
        }
        if let (Some(Ok(s)), Some(Ok(e))) = (&start, &end) {
            if e < s {
                fail(
                    WizardStep::BudgetSchedule,
                    "ends_on",
                    "the end date is before the start date".into(),
                );
            }
        }
        if live && start.is_none() {
            fail(
                WizardStep::BudgetSchedule,
                "starts_on",
                "say when the campaign starts".into(),
            );
        }
        if matches!(&self.budget, Some(b) if b.kind == BudgetKind::Total) && end.is_none() {
            fail(
                WizardStep::BudgetSchedule,
                "ends_on",
                "a total budget needs an end date to spread it over".into(),
            );
        }
        out
    }

    /// The schedule's length in days, when it has both ends.
    pub fn days(&self) -> Option<i64> {
        let s = parse_day("start date", self.starts_on.as_deref()?).ok()?;
        let e = parse_day("end date", self.ends_on.as_deref()?).ok()?;
        Some((e - s).num_days() + 1)
    }

    /// The `campaigns.channel` value: the one channel, or `mixed`.
    pub fn channel_column(&self) -> &'static str {
        match self.channels.as_slice() {
            [one] => one.as_str(),
            _ => "mixed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn draft() -> CampaignDraft {
        CampaignDraft {
            name: "Cart rescue".into(),
            goal: Goal::Journey,
            segment_id: Some(1),
            channels: vec![ChannelKey::MetaAds, ChannelKey::Email],
            creative_ids: vec![3],
            sequence_id: None,
            messages_per_person: 2,
            budget: Some(Budget {
                kind: BudgetKind::Daily,
                amount_minor: 5_000,
                currency: "USD".into(),
            }),
            starts_on: Some("2026-12-01".into()),
            ends_on: Some("2026-12-14".into()),
            status: CampaignStatus::Active,
            platform_campaign_id: None,
        }
    }

    fn fields(d: &CampaignDraft) -> Vec<String> {
        d.check().into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_draft_has_no_problems() {
        assert_eq!(draft().check(), vec![]);
        assert_eq!(draft().days(), Some(14));
        assert_eq!(draft().channel_column(), "mixed");
    }

    #[test]
    fn goals_constrain_channels() {
        let mut d = draft();
        d.goal = Goal::Retargeting;
        assert_eq!(fields(&d), ["channels"]);
        d.goal = Goal::Remarketing;
        assert_eq!(fields(&d), ["channels"]);
        d.goal = Goal::Journey;
        d.channels = vec![ChannelKey::Email];
        assert_eq!(fields(&d), ["channels"]);
    }

    #[test]
    fn live_campaigns_need_audience_budget_and_dates_drafts_do_not() {
        let mut d = draft();
        d.segment_id = None;
        d.budget = None;
        d.starts_on = None;
        d.creative_ids.clear();
        assert_eq!(
            fields(&d),
            ["segment_id", "creative_ids", "budget", "starts_on"]
        );
        d.status = CampaignStatus::Draft;
        assert_eq!(fields(&d), Vec::<String>::new());
    }

    #[test]
    fn bad_dates_money_and_names_are_explained() {
        let mut d = draft();
        d.name = "  ".into();
        d.ends_on = Some("2026-11-30".into());
        d.budget = Some(Budget {
            kind: BudgetKind::Total,
            amount_minor: 0,
            currency: "usd".into(),
        });
        let problems = d.check();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "give the campaign a name",
                "the budget must be more than zero",
                "'usd' is not a currency code like USD or EUR",
                "the end date is before the start date",
            ]
        );
        d.ends_on = Some("30/11/2026".into());
        assert!(d
            .check()
            .iter()
            .any(|p| p.message == "end date '30/11/2026' is not a date like 2026-11-28"));
    }
}
