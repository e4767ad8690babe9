//! The dry run: the workspace's history replayed through a draft flow, with
//! the workspace's active flows beside it (they share each person's
//! frequency caps), under the sending rules.
//!
//! Deterministic: the inputs are the history, the flows, the rules, the
//! period and a seed; nothing reads the clock or a global random source.
//! Random answers (a split's arm, whether an unsent message would have been
//! opened) are a hash of the seed, the flow, the step and the person.
//!
//! Per person, every flow they enter is an instance with a time and a
//! position; the instance due first (ties: the draft, then the other flows
//! in order) takes its next step. Waits move its time; a message due in
//! quiet hours, or before the person's usual opening hour with send-time
//! optimisation, is held and taken up again when due; at sending, consent
//! and then every cap on the channel are checked against what all flows
//! sent that person. A person leaves when they do an `exit_on` event
//! (checked before each step: the exit time is the event's time), reach an
//! exit step or the end. Steps due after the period's end are not taken:
//! those people are counted as still in the flow.
//!
//! What happened is history (purchases, events, consent, properties);
//! what could not happen (opens and clicks of messages that were never
//! sent) is drawn from each person's historical rates, shrunk towards the
//! workspace's rate: `(person's opens + 5 × workspace rate) / (person's sends + 5)`.
//! Projected conversions use, per channel, the historical share of sends
//! followed by the goal within the goal window (see [`ConversionRate`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use chrono::{NaiveDate, Timelike};
use rebound_core::time::{day_start, MICROS_PER_DAY};
use rebound_core::{CancelToken, Progress};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::{
    describe_local, end_of_quiet_hours, in_quiet_hours, local_time, next_local_time,
};
use crate::error::{Error, Result};
use crate::history::{History, PersonHistory};
use crate::model::{Channel, Condition, EventMatch, Flow, Goal, Message, Step, Trigger, Wait};
use crate::rules::SendingRules;

/// Longest period a dry run accepts.
pub const MAX_PERIOD_DAYS: i64 = 366;
/// Rows kept per list in the report (totals are always exact).
pub const MAX_ROWS: usize = 5_000;
/// History read before the period for rates and usual send times.
pub const LOOKBACK_DAYS: i64 = 180;
/// Shrinkage weight of the workspace's rate in a person's rate.
const PRIOR_WEIGHT: f64 = 5.0;

/// What to replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DryRunOptions {
    /// First day of the period (UTC), `YYYY-MM-DD`.
    pub from: String,
    /// Last day of the period (UTC, inclusive).
    pub to: String,
    #[ts(type = "number")]
    pub seed: u64,
    /// A person whose timeline to include.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub person_id: Option<i64>,
}

/// The period as instants: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: i64,
    pub end: i64,
}

impl Period {
    pub fn parse(from: &str, to: &str) -> Result<Period> {
        let bad = |reason: String| Error::InvalidPeriod {
            from: from.to_string(),
            to: to.to_string(),
            reason,
        };
        let f = NaiveDate::parse_from_str(from, "%Y-%m-%d")
            .map_err(|_| bad(format!("{from:?} is not a date (YYYY-MM-DD)")))?;
        let t = NaiveDate::parse_from_str(to, "%Y-%m-%d")
            .map_err(|_| bad(format!("{to:?} is not a date (YYYY-MM-DD)")))?;
        if f > t {
            return Err(bad("the first day is after the last".into()));
        }
        if (t - f).num_days() + 1 > MAX_PERIOD_DAYS {
            return Err(bad(format!(
                "the period is longer than {MAX_PERIOD_DAYS} days"
            )));
        }
        Ok(Period {
            start: day_start(f),
            end: day_start(t) + MICROS_PER_DAY,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ArmCount {
    pub arm: String,
    #[ts(type = "number")]
    pub people: u64,
}

/// What happened at one step of the draft flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StepCount {
    pub step_id: String,
    pub kind: String,
    pub label: String,
    /// Nesting depth in the flow (0 at the top), for drawing the tree.
    pub depth: u32,
    /// People who reached the step.
    #[ts(type = "number")]
    pub reached: u64,
    /// Messages sent, or people who joined the ad audience.
    #[ts(type = "number")]
    pub sent: u64,
    /// Messages held by quiet hours or send-time optimisation (then sent or not).
    #[ts(type = "number")]
    pub held: u64,
    /// Messages skipped because a frequency cap was full.
    #[ts(type = "number")]
    pub capped: u64,
    /// Messages or audiences skipped for lack of consent.
    #[ts(type = "number")]
    pub no_consent: u64,
    /// Branch: people who went the `yes` way; wait until event: who did it.
    #[ts(type = "number")]
    pub yes: u64,
    /// Branch: the `no` way; wait until event: who timed out.
    #[ts(type = "number")]
    pub no: u64,
    pub arms: Vec<ArmCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Delivery {
    #[ts(type = "number")]
    pub person_id: i64,
    pub step_id: String,
    pub channel: Channel,
    #[ts(type = "number")]
    pub at: i64,
    /// The person's local time, with the zone.
    pub local_time: String,
    /// When the message was first due, if it was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub due_at: Option<i64>,
    /// E-mail subject variant (0-based), ad audience days, ...
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    QuietHours,
    SendTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Hold {
    #[ts(type = "number")]
    pub person_id: i64,
    pub step_id: String,
    pub reason: HoldReason,
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub until: i64,
    pub local_from: String,
    pub local_until: String,
}

/// A message skipped because a cap was full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Collision {
    #[ts(type = "number")]
    pub person_id: i64,
    pub step_id: String,
    pub channel: Channel,
    #[ts(type = "number")]
    pub at: i64,
    /// The cap, in words.
    pub cap: String,
    /// The flows whose messages filled the cap (this flow's name included
    /// when its own earlier messages did).
    pub filled_by: Vec<String>,
}

/// A person's arm at a split: kept so the split can be analysed as an A/B
/// experiment later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ArmAssignment {
    #[ts(type = "number")]
    pub person_id: i64,
    pub step_id: String,
    pub arm: String,
    #[ts(type = "number")]
    pub at: i64,
}

/// The historical rate that turns one touch on a channel into a conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConversionRate {
    pub channel: Channel,
    /// Touches seen in the look-back (sends; ad clicks for ads).
    #[ts(type = "number")]
    pub touches: u64,
    /// Of those, followed by the goal within the goal window.
    #[ts(type = "number")]
    pub converted: u64,
    /// Probability that one touch leads to the goal.
    pub rate: f64,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Conversions {
    pub goal: String,
    pub within_days: u32,
    /// Entered people who did the goal within the window after entering, in
    /// history (what happened without this flow).
    #[ts(type = "number")]
    pub observed: u64,
    /// Expected conversions from the flow's touches: per person
    /// `1 − Π(1 − rate)` over the messages and audiences they got.
    pub projected: f64,
    pub rates: Vec<ConversionRate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TimelineEntry {
    #[ts(type = "number")]
    pub at: i64,
    pub local_time: String,
    /// `event` (from history), `entered`, `step`, `sent`, `held`, `capped`,
    /// `no_consent`, `exited`, `completed`, `pending`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub step_id: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonJourney {
    #[ts(type = "number")]
    pub person_id: i64,
    pub time_zone: String,
    pub entered: bool,
    pub entries: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DryRun {
    pub flow: String,
    pub from: String,
    pub to: String,
    #[ts(type = "number")]
    pub seed: u64,
    /// The other active flows that shared the caps.
    pub other_flows: Vec<String>,
    #[ts(type = "number")]
    pub entered: u64,
    /// Left through `exit_on` (e.g. purchased).
    #[ts(type = "number")]
    pub exited: u64,
    /// Reached an exit step or the end.
    #[ts(type = "number")]
    pub completed: u64,
    /// Had a step due after the period's end.
    #[ts(type = "number")]
    pub still_in_flow: u64,
    pub steps: Vec<StepCount>,
    #[ts(type = "number")]
    pub deliveries_total: u64,
    pub deliveries: Vec<Delivery>,
    #[ts(type = "number")]
    pub holds_total: u64,
    pub holds: Vec<Hold>,
    #[ts(type = "number")]
    pub collisions_total: u64,
    pub collisions: Vec<Collision>,
    pub arms: Vec<ArmAssignment>,
    pub conversions: Conversions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub person: Option<PersonJourney>,
    pub notes: Vec<String>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Everyone who entered (person, instant), for the audience export.
    #[serde(skip)]
    #[ts(skip)]
    pub entered_people: Vec<(i64, i64)>,
    /// Each person's first e-mail of the flow (step id, subject variant).
    #[serde(skip)]
    #[ts(skip)]
    pub first_emails: HashMap<i64, (String, usize)>,
    /// Each person's split arms (step id, arm), in the order drawn.
    #[serde(skip)]
    #[ts(skip)]
    pub person_arms: HashMap<i64, Vec<(String, String)>>,
}

/// A reproducible number in `[0, 1)` from the seed, some labels and a person
/// (shared with the audience tests, so their splits agree with the dry run's).
pub use rebound_core::random::draw;

// ---- the flow as a graph of nodes ------------------------------------------------

enum Node<'a> {
    Wait(&'a Wait),
    Message(&'a Message),
    Retarget {
        days: u32,
    },
    Branch {
        condition: &'a Condition,
        yes: Option<usize>,
        no: Option<usize>,
    },
    Split(Vec<(&'a str, u32, Option<usize>)>),
    Exit,
}

struct Compiled<'a> {
    flow: &'a Flow,
    nodes: Vec<(&'a Step, Node<'a>, Option<usize>)>,
    start: Option<usize>,
}

fn compile(flow: &Flow) -> Compiled<'_> {
    fn list<'a>(
        steps: &'a [Step],
        after: Option<usize>,
        nodes: &mut Vec<(&'a Step, Node<'a>, Option<usize>)>,
    ) -> Option<usize> {
        let mut next = after;
        for step in steps.iter().rev() {
            let node = match step {
                Step::Wait { wait, .. } => Node::Wait(wait),
                Step::Message { message, .. } => Node::Message(message),
                Step::Retarget { days, .. } => Node::Retarget { days: *days },
                Step::Branch {
                    condition, yes, no, ..
                } => {
                    let yes = list(yes, next, nodes);
                    let no = list(no, next, nodes);
                    Node::Branch { condition, yes, no }
                }
                Step::Split { arms, .. } => Node::Split(
                    arms.iter()
                        .map(|a| (a.name.as_str(), a.weight, list(&a.steps, next, nodes)))
                        .collect(),
                ),
                Step::Exit { .. } => Node::Exit,
            };
            nodes.push((step, node, next));
            next = Some(nodes.len() - 1);
        }
        next
    }
    let mut nodes = Vec::new();
    let start = list(&flow.steps, None, &mut nodes);
    Compiled { flow, nodes, start }
}

// ---- rates ---------------------------------------------------------------------------

fn channel_events(channel: Channel) -> (&'static str, &'static str, &'static str) {
    match channel {
        Channel::Email => ("email_send", "email_open", "email_click"),
        // SMS and push opens are not tracked by most platforms: a click counts as both.
        Channel::Sms => ("sms_send", "sms_click", "sms_click"),
        Channel::Push => ("push_send", "push_open", "push_click"),
        Channel::Ads => ("ad_click", "ad_click", "ad_click"),
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    sends: u64,
    opens: u64,
    clicks: u64,
}

struct Rates {
    workspace: HashMap<Channel, Tally>,
    conversion: Vec<ConversionRate>,
}

impl Rates {
    fn of(history: &History, before: i64, goal: &Goal, people_count: u64) -> Rates {
        let window = i64::from(goal.within_days) * MICROS_PER_DAY;
        let mut workspace: HashMap<Channel, Tally> = HashMap::new();
        let mut touches: BTreeMap<Channel, (u64, u64)> = BTreeMap::new();
        let mut first_ts = i64::MAX;
        let mut ads_consented = 0u64;
        for person in &history.people {
            if person.consent_at(Channel::Ads, before) {
                ads_consented += 1;
            }
            for (i, e) in person.events.iter().enumerate() {
                if e.ts >= before {
                    break;
                }
                first_ts = first_ts.min(e.ts);
                for channel in Channel::ALL {
                    let (send, open, click) = channel_events(channel);
                    let t = workspace.entry(channel).or_default();
                    if e.name == send {
                        t.sends += 1;
                        // A touch converts when the goal follows within the window.
                        let converted = person.events[i + 1..]
                            .iter()
                            .take_while(|g| g.ts <= e.ts + window)
                            .any(|g| g.ts > e.ts && goal.event.matches(&g.name, g.page.as_deref()));
                        let entry = touches.entry(channel).or_default();
                        entry.0 += 1;
                        entry.1 += u64::from(converted);
                    }
                    if e.name == open {
                        t.opens += 1;
                    }
                    if e.name == click {
                        t.clicks += 1;
                    }
                }
            }
        }
        let history_days = if first_ts == i64::MAX {
            0.0
        } else {
            ((before - first_ts) as f64 / MICROS_PER_DAY as f64).max(1.0)
        };
        let conversion = Channel::ALL
            .iter()
            .map(|&channel| {
                let (n, c) = touches.get(&channel).copied().unwrap_or_default();
                let per_touch = if n == 0 { 0.0 } else { c as f64 / n as f64 };
                if channel == Channel::Ads {
                    // A person in an audience is not a click: scale by how often
                    // consented people clicked an ad per day in the look-back.
                    let clicks_per_person_day = if ads_consented == 0 || history_days == 0.0 {
                        0.0
                    } else {
                        n as f64 / (ads_consented as f64 * history_days)
                    };
                    ConversionRate {
                        channel,
                        touches: n,
                        converted: c,
                        rate: (per_touch * clicks_per_person_day).min(1.0),
                        basis: format!(
                            "per audience day: ad clicks per consented person per day ({clicks_per_person_day:.4}) × share of clicks followed by the goal ({per_touch:.3}); multiplied by the audience's days"
                        ),
                    }
                } else {
                    ConversionRate {
                        channel,
                        touches: n,
                        converted: c,
                        rate: per_touch,
                        basis: format!(
                            "share of {} events followed by the goal within {} days",
                            channel_events(channel).0,
                            goal.within_days
                        ),
                    }
                }
            })
            .collect();
        let _ = people_count;
        Rates {
            workspace,
            conversion,
        }
    }

    fn conversion(&self, channel: Channel) -> f64 {
        self.conversion
            .iter()
            .find(|r| r.channel == channel)
            .map_or(0.0, |r| r.rate)
    }

    /// The person's open (or click) rate on `channel`, shrunk towards the workspace's.
    fn person_rate(
        &self,
        person: &PersonHistory,
        channel: Channel,
        clicks: bool,
        before: i64,
    ) -> f64 {
        let w = self.workspace.get(&channel).copied().unwrap_or_default();
        if w.sends == 0 {
            return 0.0;
        }
        let (send, open, click) = channel_events(channel);
        let base = (if clicks { w.clicks } else { w.opens }) as f64 / w.sends as f64;
        let sends = person.count_before(send, before) as f64;
        let hits = person.count_before(if clicks { click } else { open }, before) as f64;
        ((hits + PRIOR_WEIGHT * base.min(1.0)) / (sends + PRIOR_WEIGHT)).clamp(0.0, 1.0)
    }
}

/// The local hour at which the person opened or clicked most often before
/// `before` (at least two on record; ties to the earlier hour).
fn usual_hour(person: &PersonHistory, before: i64) -> Option<u8> {
    let mut hours = [0u32; 24];
    let mut total = 0;
    for e in person.events.iter().take_while(|e| e.ts < before) {
        if matches!(
            e.name.as_str(),
            "email_open" | "email_click" | "sms_click" | "push_open" | "push_click"
        ) {
            hours[local_time(person.zone, e.ts).hour() as usize] += 1;
            total += 1;
        }
    }
    if total < 2 {
        return None;
    }
    let best = (0..24).max_by_key(|&h| (hours[h], std::cmp::Reverse(h)))?;
    Some(best as u8)
}

// ---- simulation ------------------------------------------------------------------

struct Instance {
    flow: usize,
    node: Option<usize>,
    at: i64,
    entered: i64,
    /// The current message's hold has been worked out (`Some(first due time)`).
    due: Option<i64>,
    done: bool,
    sent: HashMap<String, i64>,
    touches: Vec<f64>,
}

struct Ledger {
    /// (channel, at, flow index) of every message sent to the person.
    sent: Vec<(Channel, i64, usize)>,
}

#[derive(Default)]
struct Report {
    steps: HashMap<String, StepCount>,
    deliveries: Vec<Delivery>,
    deliveries_total: u64,
    holds: Vec<Hold>,
    holds_total: u64,
    collisions: Vec<Collision>,
    collisions_total: u64,
    arms: Vec<ArmAssignment>,
    entered: u64,
    exited: u64,
    completed: u64,
    still: u64,
    observed: u64,
    projected: f64,
    timeline: Vec<TimelineEntry>,
    entered_people: Vec<(i64, i64)>,
    first_emails: HashMap<i64, (String, usize)>,
    person_arms: HashMap<i64, Vec<(String, String)>>,
}

fn push_capped<T>(list: &mut Vec<T>, total: &mut u64, item: T) {
    *total += 1;
    if list.len() < MAX_ROWS {
        list.push(item);
    }
}

struct Sim<'a> {
    flows: Vec<Compiled<'a>>,
    rules: &'a SendingRules,
    rates: &'a Rates,
    seed: u64,
    period: Period,
    goal: Goal,
    timeline_for: Option<i64>,
}

fn entry_times(
    flow: &Flow,
    person: &PersonHistory,
    history: &History,
    period: Period,
) -> Option<i64> {
    match &flow.trigger {
        Trigger::Event { event } => person.first_event(event, period.start - 1, period.end - 1),
        Trigger::SegmentEntry { segment } => history
            .segment_entries
            .get(segment)?
            .iter()
            .filter(|(p, at)| *p == person.id && *at >= period.start && *at < period.end)
            .map(|(_, at)| *at)
            .min(),
    }
}

impl Sim<'_> {
    #[allow(clippy::too_many_arguments)]
    fn note(
        &self,
        report: &mut Report,
        person: &PersonHistory,
        inst: &Instance,
        kind: &str,
        step: Option<&str>,
        detail: String,
        at: i64,
    ) {
        if inst.flow == 0 && self.timeline_for == Some(person.id) {
            report.timeline.push(TimelineEntry {
                at,
                local_time: describe_local(person.zone, at),
                kind: kind.to_string(),
                step_id: step.map(str::to_string),
                detail,
            });
        }
    }

    fn count(
        &self,
        report: &mut Report,
        inst: &Instance,
        step: &Step,
        f: impl FnOnce(&mut StepCount),
    ) {
        if inst.flow == 0 {
            if let Some(c) = report.steps.get_mut(step.id()) {
                f(c);
            }
        }
    }

    fn run_person(&self, person: &PersonHistory, history: &History, report: &mut Report) {
        let mut instances: Vec<Instance> = Vec::new();
        for (i, c) in self.flows.iter().enumerate() {
            if let Some(at) = entry_times(c.flow, person, history, self.period) {
                instances.push(Instance {
                    flow: i,
                    node: c.start,
                    at,
                    entered: at,
                    due: None,
                    done: false,
                    sent: HashMap::new(),
                    touches: Vec::new(),
                });
            }
        }
        let Some(draft) = instances.iter().position(|i| i.flow == 0) else {
            return;
        };
        report.entered += 1;
        let entered_at = instances[draft].entered;
        report.entered_people.push((person.id, entered_at));
        {
            let inst = &instances[draft];
            self.note(
                report,
                person,
                inst,
                "entered",
                None,
                format!("entered {}", self.flows[0].flow.name),
                inst.entered,
            );
        }
        let mut ledger = Ledger { sent: Vec::new() };
        while let Some(i) = instances
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.done)
            .min_by_key(|(_, x)| (x.at, x.flow))
            .map(|(i, _)| i)
        {
            self.step(person, &mut instances[i], &mut ledger, report);
        }
        // Conversions: what history says happened, and what the touches project.
        let window = i64::from(self.goal.within_days) * MICROS_PER_DAY;
        if person
            .first_event(&self.goal.event, entered_at, entered_at + window)
            .is_some()
        {
            report.observed += 1;
        }
        let miss: f64 = instances[draft].touches.iter().map(|r| 1.0 - r).product();
        report.projected += 1.0 - miss;
    }

    fn step(
        &self,
        person: &PersonHistory,
        inst: &mut Instance,
        ledger: &mut Ledger,
        report: &mut Report,
    ) {
        let compiled = &self.flows[inst.flow];
        let flow = compiled.flow;
        let t = inst.at;
        // Exit events since entering.
        if let Some(exit_at) = flow
            .exit_on
            .iter()
            .filter_map(|e| person.first_event(e, inst.entered, t))
            .min()
        {
            inst.done = true;
            if inst.flow == 0 {
                report.exited += 1;
            }
            let what = flow
                .exit_on
                .iter()
                .find(|e| person.first_event(e, inst.entered, exit_at).is_some())
                .map(|e| e.describe())
                .unwrap_or_default();
            self.note(
                report,
                person,
                inst,
                "exited",
                None,
                format!("left the flow: {what}"),
                exit_at,
            );
            return;
        }
        let Some(n) = inst.node else {
            inst.done = true;
            if inst.flow == 0 {
                report.completed += 1;
            }
            self.note(
                report,
                person,
                inst,
                "completed",
                None,
                "reached the end of the flow".into(),
                t,
            );
            return;
        };
        if t >= self.period.end {
            inst.done = true;
            if inst.flow == 0 {
                report.still += 1;
            }
            let (step, _, _) = &compiled.nodes[n];
            self.note(
                report,
                person,
                inst,
                "pending",
                Some(step.id()),
                format!(
                    "still in the flow at the end of the period: {} was due",
                    step.label()
                ),
                t,
            );
            return;
        }
        let (step, node, next) = &compiled.nodes[n];
        if inst.due.is_none() {
            self.count(report, inst, step, |c| c.reached += 1);
        }
        match node {
            Node::Wait(wait) => {
                let (until, detail) = match wait {
                    Wait::For { duration } => (t + duration.micros(), step.label()),
                    Wait::UntilTime { hour, minute } => (
                        next_local_time(person.zone, t, *hour, *minute),
                        step.label(),
                    ),
                    Wait::UntilEvent { event, timeout } => {
                        match person.first_event(event, t, t + timeout.micros()) {
                            Some(at) => {
                                self.count(report, inst, step, |c| c.yes += 1);
                                (at, format!("did {}", event.describe()))
                            }
                            None => {
                                self.count(report, inst, step, |c| c.no += 1);
                                (
                                    t + timeout.micros(),
                                    format!("timed out waiting for {}", event.describe()),
                                )
                            }
                        }
                    }
                };
                self.note(report, person, inst, "step", Some(step.id()), detail, t);
                inst.at = until;
                inst.node = *next;
            }
            Node::Message(message) => {
                let channel = message.channel();
                if inst.due.is_none() {
                    // Work out holds once: send-time optimisation, then quiet hours.
                    let mut send_at = t;
                    let mut holds = Vec::new();
                    if self.rules.send_time_optimisation {
                        if let Some(hour) = usual_hour(person, self.period.start) {
                            let at = next_local_time(person.zone, t, hour, 0);
                            if at > t {
                                holds.push((HoldReason::SendTime, t, at));
                                send_at = at;
                            }
                        }
                    }
                    if let Some(q) = self.rules.quiet_hours {
                        if in_quiet_hours(person.zone, send_at, q.start_hour, q.end_hour) {
                            let at = end_of_quiet_hours(person.zone, send_at, q.end_hour);
                            holds.push((HoldReason::QuietHours, send_at, at));
                            send_at = at;
                        }
                    }
                    inst.due = Some(t);
                    if send_at > t {
                        if inst.flow == 0 {
                            self.count(report, inst, step, |c| c.held += 1);
                            for (reason, from, until) in holds {
                                push_capped(
                                    &mut report.holds,
                                    &mut report.holds_total,
                                    Hold {
                                        person_id: person.id,
                                        step_id: step.id().to_string(),
                                        reason,
                                        from,
                                        until,
                                        local_from: describe_local(person.zone, from),
                                        local_until: describe_local(person.zone, until),
                                    },
                                );
                                let why = match reason {
                                    HoldReason::QuietHours => "quiet hours",
                                    HoldReason::SendTime => "the person's usual opening hour",
                                };
                                self.note(
                                    report,
                                    person,
                                    inst,
                                    "held",
                                    Some(step.id()),
                                    format!(
                                        "held for {why} until {}",
                                        describe_local(person.zone, until)
                                    ),
                                    from,
                                );
                            }
                        }
                        inst.at = send_at;
                        return;
                    }
                }
                let due = inst.due.take().unwrap_or(t);
                inst.node = *next;
                if self.rules.require_consent && !person.consent_at(channel, t) {
                    self.count(report, inst, step, |c| c.no_consent += 1);
                    self.note(
                        report,
                        person,
                        inst,
                        "no_consent",
                        Some(step.id()),
                        format!("not sent: no {} consent", channel.as_str()),
                        t,
                    );
                    return;
                }
                if let Some(cap) = self.full_cap(channel, t, ledger) {
                    let filled_by = self.filled_by(channel, t, &cap, ledger);
                    if inst.flow == 0 {
                        self.count(report, inst, step, |c| c.capped += 1);
                        push_capped(
                            &mut report.collisions,
                            &mut report.collisions_total,
                            Collision {
                                person_id: person.id,
                                step_id: step.id().to_string(),
                                channel,
                                at: t,
                                cap: cap.describe(),
                                filled_by: filled_by.clone(),
                            },
                        );
                    }
                    self.note(
                        report,
                        person,
                        inst,
                        "capped",
                        Some(step.id()),
                        format!(
                            "not sent: cap \"{}\" full ({})",
                            cap.describe(),
                            filled_by.join(", ")
                        ),
                        t,
                    );
                    return;
                }
                ledger.sent.push((channel, t, inst.flow));
                inst.sent.insert(step.id().to_string(), t);
                inst.touches.push(self.rates.conversion(channel));
                let detail = match message {
                    Message::Email(e) => {
                        let v = crate::message::subject_variant(
                            e.subjects.len(),
                            self.seed,
                            step.id(),
                            person.id,
                        );
                        if inst.flow == 0 {
                            report
                                .first_emails
                                .entry(person.id)
                                .or_insert_with(|| (step.id().to_string(), v));
                        }
                        format!("subject variant {}", v + 1)
                    }
                    Message::Sms(_) => "sms".into(),
                    Message::Push(_) => "push".into(),
                };
                if inst.flow == 0 {
                    self.count(report, inst, step, |c| c.sent += 1);
                    push_capped(
                        &mut report.deliveries,
                        &mut report.deliveries_total,
                        Delivery {
                            person_id: person.id,
                            step_id: step.id().to_string(),
                            channel,
                            at: t,
                            local_time: describe_local(person.zone, t),
                            due_at: (due != t).then_some(due),
                            detail: detail.clone(),
                        },
                    );
                }
                self.note(
                    report,
                    person,
                    inst,
                    "sent",
                    Some(step.id()),
                    format!("{}: {}", step.label(), detail),
                    t,
                );
            }
            Node::Retarget { days } => {
                inst.node = *next;
                if self.rules.require_consent && !person.consent_at(Channel::Ads, t) {
                    self.count(report, inst, step, |c| c.no_consent += 1);
                    self.note(
                        report,
                        person,
                        inst,
                        "no_consent",
                        Some(step.id()),
                        "not added: no ads consent".into(),
                        t,
                    );
                    return;
                }
                if let Some(cap) = self.full_cap(Channel::Ads, t, ledger) {
                    let filled_by = self.filled_by(Channel::Ads, t, &cap, ledger);
                    if inst.flow == 0 {
                        self.count(report, inst, step, |c| c.capped += 1);
                        push_capped(
                            &mut report.collisions,
                            &mut report.collisions_total,
                            Collision {
                                person_id: person.id,
                                step_id: step.id().to_string(),
                                channel: Channel::Ads,
                                at: t,
                                cap: cap.describe(),
                                filled_by,
                            },
                        );
                    }
                    return;
                }
                ledger.sent.push((Channel::Ads, t, inst.flow));
                let per_day = self.rates.conversion(Channel::Ads);
                inst.touches.push((per_day * f64::from(*days)).min(1.0));
                if inst.flow == 0 {
                    self.count(report, inst, step, |c| c.sent += 1);
                    push_capped(
                        &mut report.deliveries,
                        &mut report.deliveries_total,
                        Delivery {
                            person_id: person.id,
                            step_id: step.id().to_string(),
                            channel: Channel::Ads,
                            at: t,
                            local_time: describe_local(person.zone, t),
                            due_at: None,
                            detail: format!("in the audience for {days} days"),
                        },
                    );
                }
                self.note(
                    report,
                    person,
                    inst,
                    "sent",
                    Some(step.id()),
                    step.label(),
                    t,
                );
            }
            Node::Branch { condition, yes, no } => {
                let answer = match condition {
                    Condition::Opened { step: s } | Condition::Clicked { step: s } => {
                        let clicks = matches!(condition, Condition::Clicked { .. });
                        match (inst.sent.get(s.as_str()), flow.step(s)) {
                            (Some(_), Some(Step::Message { message, .. })) => {
                                let p = self.rates.person_rate(
                                    person,
                                    message.channel(),
                                    clicks,
                                    self.period.start,
                                );
                                draw(
                                    self.seed,
                                    &[
                                        &flow.name,
                                        step.id(),
                                        if clicks { "clicked" } else { "opened" },
                                    ],
                                    person.id,
                                ) < p
                            }
                            _ => false,
                        }
                    }
                    Condition::Purchased => person
                        .first_event(&EventMatch::named("purchase"), inst.entered, t)
                        .is_some(),
                    Condition::Did { event } => {
                        person.first_event(event, inst.entered, t).is_some()
                    }
                    Condition::Property { key, equals } => {
                        person.property(key).as_deref() == Some(equals.as_str())
                    }
                };
                self.count(report, inst, step, |c| {
                    if answer {
                        c.yes += 1
                    } else {
                        c.no += 1
                    }
                });
                self.note(
                    report,
                    person,
                    inst,
                    "step",
                    Some(step.id()),
                    format!("{}: {}", step.label(), if answer { "yes" } else { "no" }),
                    t,
                );
                inst.node = if answer { *yes } else { *no };
            }
            Node::Split(arms) => {
                let chosen = rebound_core::random::split_arm(
                    self.seed,
                    &flow.name,
                    step.id(),
                    person.id,
                    arms.iter().map(|a| a.1),
                );
                let (name, _, start) = arms[chosen];
                if inst.flow == 0 {
                    self.count(report, inst, step, |c| {
                        if let Some(a) = c.arms.iter_mut().find(|a| a.arm == name) {
                            a.people += 1;
                        }
                    });
                    report
                        .person_arms
                        .entry(person.id)
                        .or_default()
                        .push((step.id().to_string(), name.to_string()));
                    if report.arms.len() < MAX_ROWS {
                        report.arms.push(ArmAssignment {
                            person_id: person.id,
                            step_id: step.id().to_string(),
                            arm: name.to_string(),
                            at: t,
                        });
                    }
                }
                self.note(
                    report,
                    person,
                    inst,
                    "step",
                    Some(step.id()),
                    format!("split: arm {name}"),
                    t,
                );
                inst.node = start;
            }
            Node::Exit => {
                inst.done = true;
                if inst.flow == 0 {
                    report.completed += 1;
                }
                self.note(
                    report,
                    person,
                    inst,
                    "completed",
                    Some(step.id()),
                    "reached an exit step".into(),
                    t,
                );
            }
        }
    }

    fn full_cap(
        &self,
        channel: Channel,
        t: i64,
        ledger: &Ledger,
    ) -> Option<crate::rules::FrequencyCap> {
        self.rules
            .caps
            .iter()
            .filter(|c| c.channel == channel)
            .find(|cap| {
                ledger
                    .sent
                    .iter()
                    .filter(|(ch, at, _)| *ch == channel && cap.window_holds(*at, t))
                    .count() as u32
                    >= cap.max
            })
            .copied()
    }

    fn filled_by(
        &self,
        channel: Channel,
        t: i64,
        cap: &crate::rules::FrequencyCap,
        ledger: &Ledger,
    ) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (ch, at, flow) in &ledger.sent {
            if *ch == channel && cap.window_holds(*at, t) {
                let name = self.flows[*flow].flow.name.clone();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }
}

/// Default goal when a flow has none: a purchase within 7 days.
pub fn goal_of(flow: &Flow) -> Goal {
    flow.goal.clone().unwrap_or(Goal {
        event: EventMatch::named("purchase"),
        within_days: 7,
    })
}

/// The event names a dry run of these flows needs from history.
pub fn needed_events(flows: &[&Flow]) -> HashSet<String> {
    let mut names: HashSet<String> = crate::history::HISTORY_EVENTS
        .iter()
        .map(|s| s.to_string())
        .collect();
    for flow in flows {
        if let Trigger::Event { event } = &flow.trigger {
            names.insert(event.name.clone());
        }
        names.extend(flow.exit_on.iter().map(|e| e.name.clone()));
        names.insert(goal_of(flow).event.name);
        for (_, step) in crate::model::walk(&flow.steps) {
            match step {
                Step::Wait {
                    wait: Wait::UntilEvent { event, .. },
                    ..
                } => {
                    names.insert(event.name.clone());
                }
                Step::Branch {
                    condition: Condition::Did { event },
                    ..
                } => {
                    names.insert(event.name.clone());
                }
                _ => {}
            }
        }
    }
    names
}

/// Replays `history` through `flow` (with `others` sharing the caps).
#[allow(clippy::too_many_arguments)]
pub fn simulate(
    history: &History,
    flow: &Flow,
    others: &[Flow],
    rules: &SendingRules,
    options: &DryRunOptions,
    on_progress: &(dyn Fn(&Progress) + Send + Sync),
    cancel: &CancelToken,
) -> Result<DryRun> {
    let started = Instant::now();
    flow.validate()?;
    rules.validate()?;
    let period = Period::parse(&options.from, &options.to)?;
    let goal = goal_of(flow);
    let rates = Rates::of(history, period.start, &goal, history.people.len() as u64);
    let mut flows = vec![compile(flow)];
    flows.extend(others.iter().filter(|o| o.name != flow.name).map(compile));
    let sim = Sim {
        flows,
        rules,
        rates: &rates,
        seed: options.seed,
        period,
        goal: goal.clone(),
        timeline_for: options.person_id,
    };
    let mut report = Report::default();
    let mut steps: Vec<StepCount> = Vec::new();
    for (depth, step) in crate::model::walk_depth(&flow.steps) {
        let count = StepCount {
            step_id: step.id().to_string(),
            kind: step.kind().to_string(),
            label: step.label(),
            depth: depth as u32,
            reached: 0,
            sent: 0,
            held: 0,
            capped: 0,
            no_consent: 0,
            yes: 0,
            no: 0,
            arms: match step {
                Step::Split { arms, .. } => arms
                    .iter()
                    .map(|a| ArmCount {
                        arm: a.name.clone(),
                        people: 0,
                    })
                    .collect(),
                _ => Vec::new(),
            },
        };
        report.steps.insert(count.step_id.clone(), count.clone());
        steps.push(count);
    }
    let total = history.people.len() as u64;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    for (i, person) in history.people.iter().enumerate() {
        if i % 500 == 0 {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            on_progress(&Progress {
                stage: format!("Replaying history through {}", flow.name),
                done: i as u64,
                total: Some(total),
                unit: "people".into(),
                elapsed_ms: started.elapsed().as_millis() as u64,
                bytes_done: None,
                bytes_total: None,
            });
        }
        sim.run_person(person, history, &mut report);
    }
    on_progress(&Progress {
        stage: format!("Replaying history through {}", flow.name),
        done: total,
        total: Some(total),
        unit: "people".into(),
        elapsed_ms: started.elapsed().as_millis() as u64,
        bytes_done: None,
        bytes_total: None,
    });
    let steps = steps
        .into_iter()
        .map(|s| report.steps.remove(&s.step_id).unwrap_or(s))
        .collect();
    let person = options.person_id.map(|id| {
        let p = history.people.iter().find(|p| p.id == id);
        let mut entries = std::mem::take(&mut report.timeline);
        if let Some(p) = p {
            for e in p
                .events
                .iter()
                .filter(|e| e.ts >= period.start && e.ts < period.end)
            {
                entries.push(TimelineEntry {
                    at: e.ts,
                    local_time: describe_local(p.zone, e.ts),
                    kind: "event".into(),
                    step_id: None,
                    detail: match &e.page {
                        Some(page) => format!("{} {page}", e.name),
                        None => e.name.clone(),
                    },
                });
            }
        }
        entries.sort_by_key(|e| (e.at, e.kind != "event"));
        PersonJourney {
            person_id: id,
            time_zone: p
                .map(|p| p.zone.name().to_string())
                .unwrap_or_else(|| "UTC".into()),
            entered: entries.iter().any(|e| e.kind == "entered"),
            entries,
        }
    });
    let mut notes = Vec::new();
    for r in &rates.conversion {
        if r.touches == 0 && flow_uses(flow, r.channel) {
            notes.push(format!(
                "no {} touches in the {LOOKBACK_DAYS} days before the period: its projected conversions count as 0",
                r.channel.as_str()
            ));
        }
    }
    if matches!(flow.trigger, Trigger::SegmentEntry { .. }) {
        notes.push("segment membership is checked once a day at 00:00 UTC; people enter at the first check that finds them in the segment".into());
    }
    notes.push("opens and clicks of messages that were never sent are drawn from each person's historical rates; purchases, events and consent are history".into());
    Ok(DryRun {
        flow: flow.name.clone(),
        from: options.from.clone(),
        to: options.to.clone(),
        seed: options.seed,
        other_flows: sim.flows[1..].iter().map(|c| c.flow.name.clone()).collect(),
        entered: report.entered,
        exited: report.exited,
        completed: report.completed,
        still_in_flow: report.still,
        steps,
        deliveries_total: report.deliveries_total,
        deliveries: report.deliveries,
        holds_total: report.holds_total,
        holds: report.holds,
        collisions_total: report.collisions_total,
        collisions: report.collisions,
        arms: report.arms,
        conversions: Conversions {
            goal: goal.event.describe(),
            within_days: goal.within_days,
            observed: report.observed,
            projected: (report.projected * 100.0).round() / 100.0,
            rates: rates.conversion.clone(),
        },
        person,
        notes,
        elapsed_ms: started.elapsed().as_millis() as u64,
        entered_people: report.entered_people,
        first_emails: report.first_emails,
        person_arms: report.person_arms,
    })
}

fn flow_uses(flow: &Flow, channel: Channel) -> bool {
    crate::model::walk(&flow.steps)
        .iter()
        .any(|(_, s)| match s {
            Step::Message { message, .. } => message.channel() == channel,
            Step::Retarget { .. } => channel == Channel::Ads,
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::*;
    use crate::history::{ConsentRow, Ev, PersonHistory};
    use crate::model::{Duration, EmailTemplate, SplitArm, SCHEMA_VERSION};
    use crate::rules::{FrequencyCap, QuietHours};

    fn utc(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_micros()
    }

    fn email(id: &str) -> Step {
        Step::Message {
            id: id.into(),
            message: Message::Email(EmailTemplate {
                subjects: vec!["Hi {{ first_name }}".into()],
                preheader: String::new(),
                html: "<p>hi</p>".into(),
                text: None,
            }),
        }
    }

    fn wait(id: &str, d: Duration) -> Step {
        Step::Wait {
            id: id.into(),
            wait: Wait::For { duration: d },
        }
    }

    fn flow(name: &str, trigger: &str, steps: Vec<Step>) -> Flow {
        Flow {
            version: SCHEMA_VERSION,
            name: name.into(),
            description: None,
            trigger: Trigger::Event {
                event: EventMatch::named(trigger),
            },
            steps,
            exit_on: vec![EventMatch::named("purchase")],
            goal: None,
        }
    }

    fn person(id: i64, zone: Tz, events: &[(&str, &str)]) -> PersonHistory {
        let mut p = PersonHistory::new(id, zone);
        p.events = events
            .iter()
            .map(|(name, at)| Ev {
                ts: utc(at),
                name: name.to_string(),
                page: None,
            })
            .collect();
        p.events.sort_by_key(|e| e.ts);
        for channel in Channel::ALL {
            p.consent.push(ConsentRow {
                channel,
                granted: true,
                at: utc("2026-01-01T00:00:00Z"),
            });
        }
        p
    }

    fn no_caps() -> SendingRules {
        SendingRules {
            caps: vec![],
            quiet_hours: None,
            require_consent: true,
            send_time_optimisation: false,
        }
    }

    fn run(
        people: Vec<PersonHistory>,
        flow: &Flow,
        others: &[Flow],
        rules: &SendingRules,
        from: &str,
        to: &str,
    ) -> DryRun {
        run_seed(people, flow, others, rules, from, to, 7, None)
    }

    #[allow(clippy::too_many_arguments)]
    fn run_seed(
        people: Vec<PersonHistory>,
        flow: &Flow,
        others: &[Flow],
        rules: &SendingRules,
        from: &str,
        to: &str,
        seed: u64,
        person_id: Option<i64>,
    ) -> DryRun {
        let history = History {
            people,
            segment_entries: HashMap::new(),
        };
        simulate(
            &history,
            flow,
            others,
            rules,
            &DryRunOptions {
                from: from.into(),
                to: to.into(),
                seed,
                person_id,
            },
            &|_| {},
            &CancelToken::new(),
        )
        .unwrap()
    }

    fn step<'a>(r: &'a DryRun, id: &str) -> &'a StepCount {
        r.steps.iter().find(|s| s.step_id == id).unwrap()
    }

    #[test]
    fn quiet_hours_hold_in_the_persons_own_time_zone() {
        let f = flow("Cart", "add_to_cart", vec![email("e1")]);
        let mut rules = no_caps();
        rules.quiet_hours = Some(QuietHours {
            start_hour: 21,
            end_hour: 8,
        });
        // 13:30 UTC is 22:30 in Tokyo (quiet) and 09:30 in New York (not).
        let r = run(
            vec![
                person(
                    1,
                    Tz::Asia__Tokyo,
                    &[("add_to_cart", "2026-06-01T13:30:00Z")],
                ),
                person(
                    2,
                    Tz::America__New_York,
                    &[("add_to_cart", "2026-06-01T13:30:00Z")],
                ),
            ],
            &f,
            &[],
            &rules,
            "2026-06-01",
            "2026-06-03",
        );
        assert_eq!(step(&r, "e1").sent, 2);
        assert_eq!(step(&r, "e1").held, 1);
        let tokyo = r.deliveries.iter().find(|d| d.person_id == 1).unwrap();
        assert_eq!(tokyo.at, utc("2026-06-01T23:00:00Z")); // 08:00 Tokyo
        assert_eq!(tokyo.due_at, Some(utc("2026-06-01T13:30:00Z")));
        assert_eq!(tokyo.local_time, "2026-06-02 08:00 Asia/Tokyo");
        let ny = r.deliveries.iter().find(|d| d.person_id == 2).unwrap();
        assert_eq!((ny.at, ny.due_at), (utc("2026-06-01T13:30:00Z"), None));
        assert_eq!(r.holds.len(), 1);
        assert_eq!(r.holds[0].reason, HoldReason::QuietHours);
        assert_eq!(r.holds[0].local_from, "2026-06-01 22:30 Asia/Tokyo");
    }

    #[test]
    fn quiet_hours_end_at_the_local_hour_across_a_dst_change() {
        // London falls back on 2026-10-25 at 02:00 BST -> 01:00 GMT. A message
        // due at 22:00 BST on the 24th waits for 08:00 GMT on the 25th (08:00 UTC),
        // not 07:00 UTC as it would at the old offset.
        let f = flow("Cart", "add_to_cart", vec![email("e1")]);
        let mut rules = no_caps();
        rules.quiet_hours = Some(QuietHours {
            start_hour: 21,
            end_hour: 8,
        });
        let r = run(
            vec![person(
                1,
                Tz::Europe__London,
                &[("add_to_cart", "2026-10-24T21:00:00Z")],
            )],
            &f,
            &[],
            &rules,
            "2026-10-24",
            "2026-10-26",
        );
        assert_eq!(r.deliveries[0].at, utc("2026-10-25T08:00:00Z"));
        assert_eq!(r.deliveries[0].local_time, "2026-10-25 08:00 Europe/London");
    }

    #[test]
    fn waits_until_a_local_time_follow_time_zones_and_dst() {
        let f = flow(
            "Morning",
            "sign_up",
            vec![
                Step::Wait {
                    id: "nine".into(),
                    wait: Wait::UntilTime { hour: 9, minute: 0 },
                },
                email("e1"),
                wait("day", Duration::days(1)),
                email("e2"),
            ],
        );
        let r = run(
            vec![
                // New York springs forward on 2026-03-08: 09:00 EDT is 13:00 UTC.
                person(
                    1,
                    Tz::America__New_York,
                    &[("sign_up", "2026-03-07T20:00:00Z")],
                ),
                // Berlin springs forward on 2026-03-29: 09:00 CEST is 07:00 UTC.
                person(
                    2,
                    Tz::Europe__Berlin,
                    &[("sign_up", "2026-03-28T20:00:00Z")],
                ),
            ],
            &f,
            &[],
            &no_caps(),
            "2026-03-01",
            "2026-03-31",
        );
        let at = |p: i64, s: &str| {
            r.deliveries
                .iter()
                .find(|d| d.person_id == p && d.step_id == s)
                .unwrap()
                .at
        };
        assert_eq!(at(1, "e1"), utc("2026-03-08T13:00:00Z"));
        // A one-day wait is 24 hours of elapsed time.
        assert_eq!(at(1, "e2"), utc("2026-03-09T13:00:00Z"));
        assert_eq!(at(2, "e1"), utc("2026-03-29T07:00:00Z"));
        assert_eq!(at(2, "e2"), utc("2026-03-30T07:00:00Z"));
    }

    #[test]
    fn caps_count_messages_from_every_flow() {
        let draft = flow(
            "Draft",
            "add_to_cart",
            vec![wait("w", Duration::hours(1)), email("e1")],
        );
        let other = flow("Newsletter", "view_item", vec![email("n1")]);
        let mut rules = no_caps();
        rules.caps = vec![FrequencyCap {
            channel: Channel::Email,
            max: 1,
            per_days: 1,
        }];
        let people = || {
            vec![
                person(
                    1,
                    Tz::UTC,
                    &[
                        ("view_item", "2026-05-01T09:30:00Z"),
                        ("add_to_cart", "2026-05-01T10:00:00Z"),
                    ],
                ),
                // Person 2 only enters the draft: nothing fills the cap.
                person(2, Tz::UTC, &[("add_to_cart", "2026-05-02T10:00:00Z")]),
            ]
        };
        let r = run(
            people(),
            &draft,
            std::slice::from_ref(&other),
            &rules,
            "2026-05-01",
            "2026-05-03",
        );
        assert_eq!(r.other_flows, vec!["Newsletter".to_string()]);
        assert_eq!((step(&r, "e1").sent, step(&r, "e1").capped), (1, 1));
        assert_eq!(r.collisions_total, 1);
        let c = &r.collisions[0];
        assert_eq!(
            (c.person_id, c.filled_by.clone()),
            (1, vec!["Newsletter".to_string()])
        );
        assert_eq!(c.cap, "email at most 1 per 1 day");
        // Without the other flow, both get the e-mail.
        let alone = run(people(), &draft, &[], &rules, "2026-05-01", "2026-05-03");
        assert_eq!((step(&alone, "e1").sent, alone.collisions_total), (2, 0));
        // A cap window is rolling: a day and a minute later the cap is free again.
        let late = flow(
            "Draft",
            "add_to_cart",
            vec![wait("w", Duration::minutes(24 * 60 + 1)), email("e1")],
        );
        let r = run(
            people(),
            &late,
            std::slice::from_ref(&other),
            &rules,
            "2026-05-01",
            "2026-05-04",
        );
        assert_eq!(step(&r, "e1").sent, 2);
    }

    #[test]
    fn a_purchase_exits_the_flow_before_the_next_step() {
        let f = flow(
            "Cart",
            "add_to_cart",
            vec![
                wait("w", Duration::hours(1)),
                email("e1"),
                wait("w2", Duration::days(1)),
                email("e2"),
            ],
        );
        let r = run_seed(
            vec![
                // Buys 30 minutes in: leaves before the first e-mail.
                person(
                    1,
                    Tz::UTC,
                    &[
                        ("add_to_cart", "2026-05-01T10:00:00Z"),
                        ("purchase", "2026-05-01T10:30:00Z"),
                    ],
                ),
                // Buys after the first e-mail: gets one.
                person(
                    2,
                    Tz::UTC,
                    &[
                        ("add_to_cart", "2026-05-01T10:00:00Z"),
                        ("purchase", "2026-05-01T15:00:00Z"),
                    ],
                ),
                // Never buys: gets both.
                person(3, Tz::UTC, &[("add_to_cart", "2026-05-01T10:00:00Z")]),
            ],
            &f,
            &[],
            &no_caps(),
            "2026-05-01",
            "2026-05-05",
            1,
            Some(2),
        );
        assert_eq!((r.entered, r.exited, r.completed), (3, 2, 1));
        assert_eq!(step(&r, "e1").sent, 2);
        assert_eq!(step(&r, "e2").sent, 1);
        assert_eq!(step(&r, "e2").reached, 1);
        assert_eq!(r.conversions.observed, 2);
        let journey = r.person.unwrap();
        let kinds: Vec<&str> = journey.entries.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            vec!["event", "entered", "step", "sent", "step", "event", "exited"]
        );
        let exited = journey.entries.last().unwrap();
        assert_eq!(exited.at, utc("2026-05-01T15:00:00Z"));
    }

    #[test]
    fn branches_on_purchases_properties_and_unsent_messages() {
        let f = Flow {
            exit_on: vec![],
            ..flow(
                "Branches",
                "sign_up",
                vec![
                    email("e1"),
                    wait("w", Duration::days(1)),
                    Step::Branch {
                        id: "bought".into(),
                        condition: Condition::Purchased,
                        yes: vec![Step::Exit { id: "done".into() }],
                        no: vec![Step::Branch {
                            id: "german".into(),
                            condition: Condition::Property {
                                key: "country".into(),
                                equals: "DE".into(),
                            },
                            yes: vec![email("de")],
                            no: vec![Step::Branch {
                                id: "opened".into(),
                                condition: Condition::Opened { step: "e1".into() },
                                yes: vec![email("opened-yes")],
                                no: vec![email("opened-no")],
                            }],
                        }],
                    },
                ],
            )
        };
        let mut buyer = person(
            1,
            Tz::UTC,
            &[
                ("sign_up", "2026-05-01T10:00:00Z"),
                ("purchase", "2026-05-01T12:00:00Z"),
            ],
        );
        buyer.country = Some("DE".into());
        let mut german = person(2, Tz::UTC, &[("sign_up", "2026-05-01T10:00:00Z")]);
        german.country = Some("DE".into());
        // No e-mail consent: e1 is not sent, so "opened e1" is no.
        let mut silent = person(3, Tz::UTC, &[("sign_up", "2026-05-01T10:00:00Z")]);
        silent.consent.push(ConsentRow {
            channel: Channel::Email,
            granted: false,
            at: utc("2026-02-01T00:00:00Z"),
        });
        let r = run(
            vec![buyer, german, silent],
            &f,
            &[],
            &no_caps(),
            "2026-05-01",
            "2026-05-05",
        );
        assert_eq!((step(&r, "bought").yes, step(&r, "bought").no), (1, 2));
        assert_eq!((step(&r, "german").yes, step(&r, "german").no), (1, 1));
        assert_eq!((step(&r, "opened").yes, step(&r, "opened").no), (0, 1));
        assert_eq!(step(&r, "e1").no_consent, 1);
        assert_eq!(step(&r, "opened-no").no_consent, 1);
        assert_eq!(step(&r, "de").sent, 1);
    }

    #[test]
    fn opened_is_drawn_from_the_persons_history() {
        let f = Flow {
            exit_on: vec![],
            ..flow(
                "Opens",
                "sign_up",
                vec![
                    email("e1"),
                    Step::Branch {
                        id: "opened".into(),
                        condition: Condition::Opened { step: "e1".into() },
                        yes: vec![],
                        no: vec![],
                    },
                ],
            )
        };
        // Everyone opened each of their 20 past e-mails but the workspace's
        // rate includes people who never open: the shrunk rate is high, not 1.
        let mut people = Vec::new();
        for id in 0..400 {
            let mut events: Vec<(String, String)> = Vec::new();
            for d in 0..20 {
                let at = format!("2026-04-{:02}T10:00:00Z", d + 1);
                events.push(("email_send".into(), at.clone()));
                if id < 200 {
                    events.push(("email_open".into(), at.replace("10:00", "11:00")));
                }
            }
            events.push(("sign_up".into(), "2026-05-01T10:00:00Z".into()));
            let refs: Vec<(&str, &str)> = events
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            people.push(person(id, Tz::UTC, &refs));
        }
        let r = run(
            people.clone(),
            &f,
            &[],
            &no_caps(),
            "2026-05-01",
            "2026-05-02",
        );
        // Openers: (20 + 5 × 0.5) / 25 = 0.9; non-openers: 2.5 / 25 = 0.1.
        let yes = step(&r, "opened").yes;
        assert!((150..=210).contains(&yes), "{yes}");
        let again = run(people, &f, &[], &no_caps(), "2026-05-01", "2026-05-02");
        assert_eq!(step(&again, "opened").yes, yes);
    }

    #[test]
    fn splits_are_reproducible_and_kept_per_person() {
        let f = flow(
            "AB",
            "sign_up",
            vec![Step::Split {
                id: "ab".into(),
                arms: vec![
                    SplitArm {
                        name: "A".into(),
                        weight: 75,
                        steps: vec![email("a")],
                    },
                    SplitArm {
                        name: "B".into(),
                        weight: 25,
                        steps: vec![email("b")],
                    },
                ],
            }],
        );
        let people = || {
            (0..2000)
                .map(|i| person(i, Tz::UTC, &[("sign_up", "2026-05-01T10:00:00Z")]))
                .collect::<Vec<_>>()
        };
        let r1 = run_seed(
            people(),
            &f,
            &[],
            &no_caps(),
            "2026-05-01",
            "2026-05-01",
            42,
            None,
        );
        let r2 = run_seed(
            people(),
            &f,
            &[],
            &no_caps(),
            "2026-05-01",
            "2026-05-01",
            42,
            None,
        );
        let r3 = run_seed(
            people(),
            &f,
            &[],
            &no_caps(),
            "2026-05-01",
            "2026-05-01",
            43,
            None,
        );
        assert_eq!(r1.arms, r2.arms);
        assert_ne!(r1.arms, r3.arms);
        // An audience test of this split with the same seed puts every
        // person in the arm the dry run put them in.
        let test = rebound_experiments::audience_tests::AudienceTestRequest {
            name: "AB".into(),
            subject: rebound_experiments::audience_tests::AudienceSubject::SequenceStep,
            subject_id: None,
            subject_label: "AB".into(),
            arms: [("A", 75, true), ("B", 25, false)]
                .into_iter()
                .map(|(name, weight, is_control)| {
                    rebound_experiments::audience_tests::AudienceArm {
                        name: name.into(),
                        weight,
                        is_control,
                    }
                })
                .collect(),
            seed: 42,
            start: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 5, 14).unwrap(),
            outcome_event: "purchase".into(),
            currency: "USD".into(),
            pre_period_days: 0,
            split: Some(rebound_experiments::audience_tests::SplitOf {
                flow: "AB".into(),
                step: "ab".into(),
            }),
        };
        assert_eq!(r1.person_arms.len(), 2000);
        for (person, arms) in &r1.person_arms {
            let (_, arm) = arms.iter().find(|(step, _)| step == "ab").unwrap();
            assert_eq!(
                test.arms[test.arm_of(*person)].name,
                *arm,
                "person {person}"
            );
        }
        let a = step(&r1, "ab")
            .arms
            .iter()
            .find(|a| a.arm == "A")
            .unwrap()
            .people;
        assert!((1420..1580).contains(&a), "{a}");
        assert_eq!(r1.arms.len(), 2000);
        assert_eq!(step(&r1, "a").sent, a);
        assert_eq!(r1.person_arms.get(&5).unwrap()[0].0, "ab");
    }

    #[test]
    fn waiting_for_an_event_and_steps_after_the_period() {
        let f = Flow {
            exit_on: vec![],
            ..flow(
                "Come back",
                "sign_up",
                vec![
                    Step::Wait {
                        id: "visit".into(),
                        wait: Wait::UntilEvent {
                            event: EventMatch::named("page_view"),
                            timeout: Duration::days(2),
                        },
                    },
                    email("e1"),
                ],
            )
        };
        let r = run(
            vec![
                person(
                    1,
                    Tz::UTC,
                    &[
                        ("sign_up", "2026-05-01T10:00:00Z"),
                        ("page_view", "2026-05-01T18:00:00Z"),
                    ],
                ),
                person(2, Tz::UTC, &[("sign_up", "2026-05-01T10:00:00Z")]),
                // Times out after the period ends.
                person(3, Tz::UTC, &[("sign_up", "2026-05-03T10:00:00Z")]),
            ],
            &f,
            &[],
            &no_caps(),
            "2026-05-01",
            "2026-05-03",
        );
        assert_eq!((step(&r, "visit").yes, step(&r, "visit").no), (1, 2));
        let at = |p: i64| r.deliveries.iter().find(|d| d.person_id == p).map(|d| d.at);
        assert_eq!(at(1), Some(utc("2026-05-01T18:00:00Z")));
        assert_eq!(at(2), Some(utc("2026-05-03T10:00:00Z")));
        assert_eq!(at(3), None);
        assert_eq!(r.still_in_flow, 1);
    }

    #[test]
    fn send_time_optimisation_moves_to_the_usual_hour() {
        let f = flow("STO", "sign_up", vec![email("e1")]);
        let mut rules = no_caps();
        rules.send_time_optimisation = true;
        let r = run(
            vec![person(
                1,
                Tz::Europe__Paris,
                &[
                    ("email_open", "2026-04-01T17:10:00Z"), // 19:10 CEST
                    ("email_click", "2026-04-02T17:40:00Z"),
                    ("email_open", "2026-04-03T06:00:00Z"),
                    ("sign_up", "2026-05-01T08:00:00Z"),
                ],
            )],
            &f,
            &[],
            &rules,
            "2026-05-01",
            "2026-05-02",
        );
        assert_eq!(r.deliveries[0].at, utc("2026-05-01T17:00:00Z")); // 19:00 Paris
        assert_eq!(r.holds[0].reason, HoldReason::SendTime);
    }

    #[test]
    fn bad_periods_are_refused() {
        let f = flow("X", "sign_up", vec![email("e1")]);
        let history = History::default();
        let opts = |from: &str, to: &str| DryRunOptions {
            from: from.into(),
            to: to.into(),
            seed: 1,
            person_id: None,
        };
        for (from, to, reason) in [
            ("2026-05-02", "2026-05-01", "after"),
            ("2026-13-01", "2026-05-01", "not a date"),
            ("2025-01-01", "2026-05-01", "longer"),
        ] {
            let err = simulate(
                &history,
                &f,
                &[],
                &no_caps(),
                &opts(from, to),
                &|_| {},
                &CancelToken::new(),
            )
            .unwrap_err();
            assert!(err.to_string().contains(reason), "{err}");
        }
        let cancel = CancelToken::new();
        cancel.cancel();
        let err = simulate(
            &history,
            &f,
            &[],
            &no_caps(),
            &opts("2026-05-01", "2026-05-02"),
            &|_| {},
            &cancel,
        )
        .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::Cancelled);
    }
}
