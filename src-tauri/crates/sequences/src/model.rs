//! The flow model: a versioned JSON document describing one journey.
//!
//! A flow is a trigger, a list of steps run one after another, the events
//! that make a person leave (`exit_on`, e.g. a purchase) and an optional
//! goal. Branches and random splits hold their own step lists, so the flow
//! is a tree drawn top to bottom; a person walks one path through it. Every
//! step has an `id` unique in the flow: the dry run counts by it, and
//! `opened`/`clicked` conditions name the message step they look at.
//!
//! The crate README documents every field with examples.

use std::collections::HashSet;

use rebound_core::time::MICROS_PER_DAY;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Version of the flow JSON written by this crate.
pub const SCHEMA_VERSION: u32 = 1;

/// One journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    pub trigger: Trigger,
    pub steps: Vec<Step>,
    /// Doing any of these events makes the person leave the flow at once
    /// (checked before every step and during waits).
    #[serde(default)]
    pub exit_on: Vec<EventMatch>,
    /// What counts as a conversion, for the dry run's projections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub goal: Option<Goal>,
}

/// How people enter a flow. A person enters a flow at most once per dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Trigger {
    /// Joining a segment (a saved segment's name or a template key). The
    /// membership is checked once a day at 00:00 UTC: people in it then and
    /// not at the previous check enter at that check.
    SegmentEntry { segment: String },
    /// Doing an event: the person enters at the event's time.
    Event { event: EventMatch },
}

/// An event by name, optionally on one page (exact, e.g. `/pricing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EventMatch {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub page: Option<String>,
}

impl EventMatch {
    pub fn named(name: &str) -> EventMatch {
        EventMatch {
            name: name.to_string(),
            page: None,
        }
    }

    pub fn on_page(name: &str, page: &str) -> EventMatch {
        EventMatch {
            name: name.to_string(),
            page: Some(page.to_string()),
        }
    }

    pub fn matches(&self, name: &str, page: Option<&str>) -> bool {
        self.name == name
            && match &self.page {
                Some(p) => page == Some(p.as_str()),
                None => true,
            }
    }

    pub fn describe(&self) -> String {
        match &self.page {
            Some(p) => format!("{} on {p}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A conversion: the goal event within `within_days` of entering the flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub event: EventMatch,
    pub within_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Minutes,
    Hours,
    Days,
}

/// A length of time, e.g. `{"amount": 2, "unit": "hours"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Duration {
    pub amount: u32,
    pub unit: TimeUnit,
}

impl Duration {
    pub fn minutes(amount: u32) -> Duration {
        Duration {
            amount,
            unit: TimeUnit::Minutes,
        }
    }
    pub fn hours(amount: u32) -> Duration {
        Duration {
            amount,
            unit: TimeUnit::Hours,
        }
    }
    pub fn days(amount: u32) -> Duration {
        Duration {
            amount,
            unit: TimeUnit::Days,
        }
    }

    /// Microseconds. Days are 24 hours of elapsed time (a wait of one day
    /// across a DST change ends at a different wall-clock hour; use an
    /// `until_time` wait to land on a local hour).
    pub fn micros(self) -> i64 {
        let unit: i64 = match self.unit {
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3_600,
            TimeUnit::Days => 86_400,
        };
        i64::from(self.amount) * unit * 1_000_000
    }

    pub fn describe(self) -> String {
        let unit = match (self.unit, self.amount == 1) {
            (TimeUnit::Minutes, true) => "minute",
            (TimeUnit::Minutes, false) => "minutes",
            (TimeUnit::Hours, true) => "hour",
            (TimeUnit::Hours, false) => "hours",
            (TimeUnit::Days, true) => "day",
            (TimeUnit::Days, false) => "days",
        };
        format!("{} {unit}", self.amount)
    }
}

/// What a wait step waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Wait {
    /// A fixed time.
    For { duration: Duration },
    /// The next time the person's local clock reads `hour:minute` (in their
    /// time zone, DST included; a local time skipped by a DST change means
    /// the first instant after the gap).
    UntilTime { hour: u8, minute: u8 },
    /// Until the person does `event`, or `timeout` has passed, whichever
    /// comes first. A later branch can ask whether they did.
    UntilEvent {
        event: EventMatch,
        timeout: Duration,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Push,
    /// Ad audiences (retargeting steps); consent channel `ads`.
    Ads,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Push => "push",
            Channel::Ads => "ads",
        }
    }

    pub const ALL: [Channel; 4] = [Channel::Email, Channel::Sms, Channel::Push, Channel::Ads];
}

/// An e-mail: subject variants (the first is the default; more than one are
/// split evenly per person, reproducibly), preheader, HTML body. The
/// plain-text part is generated from the HTML unless `text` is given.
/// Subject, preheader, HTML and text are minijinja templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EmailTemplate {
    pub subjects: Vec<String>,
    #[serde(default)]
    pub preheader: String,
    pub html: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SmsTemplate {
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PushTemplate {
    pub title: String,
    pub body: String,
}

/// A message on one owned channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub enum Message {
    Email(EmailTemplate),
    Sms(SmsTemplate),
    Push(PushTemplate),
}

impl Message {
    pub fn channel(&self) -> Channel {
        match self {
            Message::Email(_) => Channel::Email,
            Message::Sms(_) => Channel::Sms,
            Message::Push(_) => Channel::Push,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AdPlatform {
    MetaAds,
    GoogleAds,
}

/// A condition a branch asks at the moment the person reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// The message of step `step` was sent and opened. The dry run cannot
    /// know what an unsent message would have done: it draws the answer from
    /// the person's historical open rate on that channel (reproducibly from
    /// the seed).
    Opened { step: String },
    /// As `opened`, with the click rate.
    Clicked { step: String },
    /// Purchased (a `purchase` event) since entering the flow.
    Purchased,
    /// Did `event` since entering the flow.
    Did { event: EventMatch },
    /// A person field (`country`, `locale`, `time_zone`) or a key of the
    /// person's properties equals `equals` (text; booleans as true/false).
    Property { key: String, equals: String },
}

/// One arm of a random split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SplitArm {
    pub name: String,
    /// Relative weight (1 to 100); arms are chosen in proportion.
    pub weight: u32,
    pub steps: Vec<Step>,
}

/// One step. JSON: an object whose `type` names the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Step {
    Wait {
        id: String,
        wait: Wait,
    },
    Message {
        id: String,
        message: Message,
    },
    /// The person joins an ad audience on `platform` for `days` days.
    Retarget {
        id: String,
        platform: AdPlatform,
        audience: String,
        days: u32,
        /// What the ads in that audience show (free text or a creative's name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        creative: Option<String>,
    },
    Branch {
        id: String,
        condition: Condition,
        yes: Vec<Step>,
        no: Vec<Step>,
    },
    /// A reproducible random split (an A/B experiment): the arm is a pure
    /// function of the seed, the flow, the step and the person.
    Split {
        id: String,
        arms: Vec<SplitArm>,
    },
    /// Leaves the flow here.
    Exit {
        id: String,
    },
}

impl Step {
    pub fn id(&self) -> &str {
        match self {
            Step::Wait { id, .. }
            | Step::Message { id, .. }
            | Step::Retarget { id, .. }
            | Step::Branch { id, .. }
            | Step::Split { id, .. }
            | Step::Exit { id } => id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Step::Wait { .. } => "wait",
            Step::Message { .. } => "message",
            Step::Retarget { .. } => "retarget",
            Step::Branch { .. } => "branch",
            Step::Split { .. } => "split",
            Step::Exit { .. } => "exit",
        }
    }

    /// A short sentence for lists and reports.
    pub fn label(&self) -> String {
        match self {
            Step::Wait { wait, .. } => match wait {
                Wait::For { duration } => format!("Wait {}", duration.describe()),
                Wait::UntilTime { hour, minute } => {
                    format!("Wait until {hour:02}:{minute:02} local time")
                }
                Wait::UntilEvent { event, timeout } => format!(
                    "Wait until {} (at most {})",
                    event.describe(),
                    timeout.describe()
                ),
            },
            Step::Message { message, .. } => match message {
                Message::Email(e) => format!(
                    "E-mail: {}",
                    e.subjects.first().map(String::as_str).unwrap_or("")
                ),
                Message::Sms(s) => format!("SMS: {}", truncate(&s.body, 40)),
                Message::Push(p) => format!("Push: {}", p.title),
            },
            Step::Retarget {
                platform,
                audience,
                days,
                ..
            } => format!(
                "Join {} audience {audience:?} for {days} days",
                match platform {
                    AdPlatform::MetaAds => "Meta Ads",
                    AdPlatform::GoogleAds => "Google Ads",
                }
            ),
            Step::Branch { condition, .. } => match condition {
                Condition::Opened { step } => format!("If opened {step}"),
                Condition::Clicked { step } => format!("If clicked {step}"),
                Condition::Purchased => "If purchased".to_string(),
                Condition::Did { event } => format!("If did {}", event.describe()),
                Condition::Property { key, equals } => format!("If {key} is {equals}"),
            },
            Step::Split { arms, .. } => format!(
                "Random split: {}",
                arms.iter()
                    .map(|a| format!("{} ({})", a.name, a.weight))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
            Step::Exit { .. } => "Exit".to_string(),
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

impl Flow {
    /// Checks what serde cannot: version, names, unique ids, references
    /// from conditions to message steps, and value ranges. The error names
    /// the step (`steps[2].yes[0]`, id `email-1`).
    pub fn validate(&self) -> Result<()> {
        let bad = |at: &str, reason: String| Error::InvalidFlow {
            flow: self.name.clone(),
            at: at.to_string(),
            reason,
        };
        if self.version == 0 || self.version > SCHEMA_VERSION {
            return Err(bad(
                "version",
                format!(
                    "version {} is not supported (this Rebound reads 1 to {SCHEMA_VERSION})",
                    self.version
                ),
            ));
        }
        if self.name.trim().is_empty() {
            return Err(bad("name", "a flow needs a name".into()));
        }
        match &self.trigger {
            Trigger::SegmentEntry { segment } if segment.trim().is_empty() => {
                return Err(bad("trigger.segment", "name a segment".into()))
            }
            Trigger::Event { event } if event.name.trim().is_empty() => {
                return Err(bad("trigger.event.name", "name an event".into()))
            }
            _ => {}
        }
        if self.steps.is_empty() {
            return Err(bad("steps", "a flow needs at least one step".into()));
        }
        if let Some(goal) = &self.goal {
            if goal.within_days == 0 || goal.within_days > 365 {
                return Err(bad(
                    "goal.within_days",
                    format!("must be 1 to 365, not {}", goal.within_days),
                ));
            }
        }
        let mut ids = HashSet::new();
        let mut messages = HashSet::new();
        for (path, step) in walk(&self.steps) {
            if step.id().trim().is_empty() {
                return Err(bad(&path, "every step needs an id".into()));
            }
            if !ids.insert(step.id().to_string()) {
                return Err(bad(
                    &path,
                    format!("the id {:?} is used by two steps", step.id()),
                ));
            }
            if matches!(step, Step::Message { .. }) {
                messages.insert(step.id().to_string());
            }
        }
        for (path, step) in walk(&self.steps) {
            let at = format!("{path} (id {:?})", step.id());
            match step {
                Step::Wait { wait, .. } => match wait {
                    Wait::For { duration }
                    | Wait::UntilEvent {
                        timeout: duration, ..
                    } => {
                        if duration.amount == 0 || duration.micros() > 366 * MICROS_PER_DAY {
                            return Err(bad(&at, "a wait is 1 minute to 366 days".into()));
                        }
                    }
                    Wait::UntilTime { hour, minute } => {
                        if *hour > 23 || *minute > 59 {
                            return Err(bad(
                                &at,
                                format!("{hour:02}:{minute:02} is not a time of day"),
                            ));
                        }
                    }
                },
                Step::Message { message, .. } => match message {
                    Message::Email(e) => {
                        if e.subjects.is_empty() || e.subjects.iter().any(|s| s.trim().is_empty()) {
                            return Err(bad(&at, "an e-mail needs a non-empty subject".into()));
                        }
                        if e.html.trim().is_empty() {
                            return Err(bad(&at, "an e-mail needs a body".into()));
                        }
                    }
                    Message::Sms(s) if s.body.trim().is_empty() => {
                        return Err(bad(&at, "an SMS needs a text".into()))
                    }
                    Message::Push(p) if p.title.trim().is_empty() || p.body.trim().is_empty() => {
                        return Err(bad(&at, "a push needs a title and a text".into()))
                    }
                    _ => {}
                },
                Step::Retarget { days, audience, .. } => {
                    if *days == 0 || *days > 540 {
                        return Err(bad(
                            &at,
                            format!("audience days must be 1 to 540, not {days}"),
                        ));
                    }
                    if audience.trim().is_empty() {
                        return Err(bad(&at, "name the ad audience".into()));
                    }
                }
                Step::Branch { condition, .. } => match condition {
                    Condition::Opened { step } | Condition::Clicked { step }
                        if !messages.contains(step) =>
                    {
                        return Err(bad(
                            &at,
                            format!("the condition looks at step {step:?}, which is not a message step of this flow"),
                        ));
                    }
                    Condition::Property { key, .. } if key.trim().is_empty() => {
                        return Err(bad(&at, "name the property".into()))
                    }
                    _ => {}
                },
                Step::Split { arms, .. } => {
                    if arms.len() < 2 {
                        return Err(bad(&at, "a split needs at least two arms".into()));
                    }
                    let mut names = HashSet::new();
                    for arm in arms {
                        if arm.weight == 0 || arm.weight > 100 {
                            return Err(bad(
                                &at,
                                format!("arm {:?}: weight must be 1 to 100", arm.name),
                            ));
                        }
                        if !names.insert(arm.name.as_str()) {
                            return Err(bad(&at, format!("two arms are called {:?}", arm.name)));
                        }
                    }
                }
                Step::Exit { .. } => {}
            }
        }
        Ok(())
    }

    /// The step with this id, anywhere in the tree.
    pub fn step(&self, id: &str) -> Option<&Step> {
        walk(&self.steps)
            .into_iter()
            .map(|(_, s)| s)
            .find(|s| s.id() == id)
    }
}

/// Every step with its path (`steps[1].yes[0]`), depth first, in order.
pub fn walk(steps: &[Step]) -> Vec<(String, &Step)> {
    fn go<'a>(steps: &'a [Step], prefix: &str, out: &mut Vec<(String, &'a Step)>) {
        for (i, step) in steps.iter().enumerate() {
            let path = format!("{prefix}[{i}]");
            out.push((path.clone(), step));
            match step {
                Step::Branch { yes, no, .. } => {
                    go(yes, &format!("{path}.yes"), out);
                    go(no, &format!("{path}.no"), out);
                }
                Step::Split { arms, .. } => {
                    for (a, arm) in arms.iter().enumerate() {
                        go(&arm.steps, &format!("{path}.arms[{a}].steps"), out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    go(steps, "steps", &mut out);
    out
}

/// Every step with its depth in the tree (0 at the top), in order.
pub fn walk_depth(steps: &[Step]) -> Vec<(usize, &Step)> {
    walk(steps)
        .into_iter()
        .map(|(path, s)| {
            (
                path.matches(".yes").count()
                    + path.matches(".no").count()
                    + path.matches(".arms").count(),
                s,
            )
        })
        .collect()
}

/// Parses a flow from JSON text, naming the line and column of a syntax or
/// shape error, then validates it. `source` names the file in messages.
pub fn parse_flow(json: &str, source: &str) -> Result<Flow> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| Error::FlowFile {
        file: source.to_string(),
        reason: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    // An export file wraps the flow: {"format": "rebound.sequence", "version": 1, "flow": {...}}.
    let flow: Flow = match value.get("format").and_then(|f| f.as_str()) {
        Some(crate::store::FILE_FORMAT) => {
            let inner = value.get("flow").cloned().ok_or_else(|| Error::FlowFile {
                file: source.to_string(),
                reason: "it has no \"flow\" field".into(),
            })?;
            serde_json::from_value(inner).map_err(|e| Error::FlowFile {
                file: source.to_string(),
                reason: format!("in \"flow\": {e}"),
            })?
        }
        Some(other) => {
            return Err(Error::FlowFile {
                file: source.to_string(),
                reason: format!(
                    "its format is {other:?}, expected {:?}",
                    crate::store::FILE_FORMAT
                ),
            })
        }
        None => serde_json::from_str(json).map_err(|e| Error::FlowFile {
            file: source.to_string(),
            reason: format!("line {}, column {}: {e}", e.line(), e.column()),
        })?,
    };
    flow.validate()?;
    Ok(flow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;

    #[test]
    fn templates_are_valid_and_round_trip() {
        for t in templates::templates() {
            t.flow.validate().unwrap();
            let json = serde_json::to_string_pretty(&t.flow).unwrap();
            assert_eq!(parse_flow(&json, "t.json").unwrap(), t.flow);
        }
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let err = parse_flow("{\n  \"version\": 1,\n  \"name\": 3\n}", "f.json").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("f.json"), "{msg}");
        assert!(msg.contains("line 3"), "{msg}");
        let err = parse_flow("{ \"version\": 1, ", "g.json").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn validation_names_the_step() {
        let mut flow = templates::abandoned_cart();
        if let Step::Branch { yes, .. } = &mut flow.steps[2] {
            yes.push(Step::Exit {
                id: "wait-1".into(),
            });
        } else {
            panic!("template changed");
        }
        let err = flow.validate().unwrap_err().to_string();
        assert!(err.contains("used by two steps"), "{err}");
        assert!(err.contains("steps[2].yes"), "{err}");

        let mut flow = templates::abandoned_cart();
        flow.steps.push(Step::Branch {
            id: "b9".into(),
            condition: Condition::Opened {
                step: "nope".into(),
            },
            yes: vec![],
            no: vec![],
        });
        let err = flow.validate().unwrap_err().to_string();
        assert!(err.contains("\"nope\""), "{err}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut v = serde_json::to_value(templates::abandoned_cart()).unwrap();
        v["colour"] = serde_json::json!("red");
        let err = parse_flow(&v.to_string(), "x.json").unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
