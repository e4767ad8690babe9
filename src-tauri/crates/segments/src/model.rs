//! The rule model: what a segment says, as versioned JSON.
//!
//! A [`SegmentDefinition`] is a name, a purpose (retargeting or remarketing),
//! a consent policy and a tree of [`Rule`]s. Rules are evaluated per person,
//! never per device or visit: a person's events from all their devices count
//! together. The exact semantics of every window and operator are written on
//! the types below and in the crate README; both the SQL compiler
//! (`compile.rs`) and the reference evaluator (`reference.rs`) are written
//! from them, and property tests hold the two to each other.
//!
//! Time is UTC unix microseconds. The "as of" instant is always an input:
//! nothing in the engine reads the clock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Version of the rule model's JSON. Files with a higher version are refused.
pub const SCHEMA_VERSION: u32 = 1;

pub use rebound_core::time::{
    day_start as day_start_micros, end_of_day, MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE,
    MICROS_PER_SECOND,
};

/// Longest window or delay the model accepts (about 100 years), which keeps
/// every bound far from i64 overflow.
pub const MAX_DAYS: u32 = 36_600;

/// Deepest rule tree accepted (SQLite's expression depth limit is 1000; a
/// marketer's rule is a handful of levels).
pub const MAX_DEPTH: usize = 32;

/// What a segment is for; stored in `segments.purpose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Paid ads shown because of behaviour.
    Retargeting,
    /// Follow-up through owned channels (e-mail, SMS, push).
    Remarketing,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Retargeting => "retargeting",
            Purpose::Remarketing => "remarketing",
        }
    }
}

/// A consent channel, as in the `consent` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Push,
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
}

/// A device category, as in the `devices` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeviceCategory {
    Desktop,
    Mobile,
    Tablet,
    Other,
}

impl DeviceCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceCategory::Desktop => "desktop",
            DeviceCategory::Mobile => "mobile",
            DeviceCategory::Tablet => "tablet",
            DeviceCategory::Other => "other",
        }
    }
}

/// A saved or draft segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SegmentDefinition {
    /// Version of this JSON shape; [`SCHEMA_VERSION`] when written by this crate.
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    pub purpose: Purpose,
    /// Whose consent is checked. Required for remarketing (the channel the
    /// follow-up goes through); optional for retargeting (`ads`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub consent: Option<ConsentPolicy>,
    pub rule: Rule,
}

/// Which consent the audience needs, and whether to keep people without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ConsentPolicy {
    pub channel: Channel,
    /// `false` (the default): people whose latest consent for `channel` as of
    /// the evaluation time is not `granted` are left out, and counted.
    #[serde(default)]
    pub include_without_consent: bool,
}

/// One node of a rule tree. JSON: an object whose `type` names the variant.
///
/// Every rule is a predicate on a person at an "as of" instant `T`. Only
/// events with `ts < T` exist for it; consent rows with `recorded_at < T`.
/// People themselves are in the universe when `first_seen_at` is null or
/// `< T`; a rule never matches a person outside the universe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// All of the rules (AND). An empty list matches everyone.
    All { rules: Vec<Rule> },
    /// Any of the rules (OR). An empty list matches no one.
    Any { rules: Vec<Rule> },
    /// Not the rule.
    Not { rule: Box<Rule> },
    /// Did `event` a number of times in `window`: the count is of the
    /// person's matching events with `ts` in the window. `at_most` and
    /// `exactly 0` include people who never did it.
    Did {
        event: EventSpec,
        #[serde(default)]
        count: CountCondition,
        window: Window,
    },
    /// Did not do `event` in `window` (the same as `did` exactly 0 times).
    DidNot { event: EventSpec, window: Window },
    /// Some `first` event with `ts_a` in `window` is followed by a `then`
    /// event with `ts_a < ts_b <= ts_a + within` (and `ts_b < T`). The same
    /// event row never follows itself; equal timestamps do not count as after.
    FollowedBy {
        first: EventSpec,
        then: EventSpec,
        within: Span,
        window: Window,
    },
    /// Abandonment: some `first` event with `ts_a` in `window` has no `then`
    /// event with `ts_a < ts_b <= ts_a + within`, and that waiting time is
    /// over: `ts_a + within < T`. A cart added too recently to have been
    /// abandoned yet does not count. With `none_since`, the `then` event is
    /// looked for up to `T`, not only within the waiting time: "no purchase
    /// within 24 hours and none since".
    NotFollowedBy {
        first: EventSpec,
        then: EventSpec,
        within: Span,
        window: Window,
        #[serde(default)]
        none_since: bool,
    },
    /// Recency of the person's last `event` (before `T`): `within_last` N
    /// days means `last >= T - N days`; `more_than_ago` N days means they did
    /// it, and `last < T - N days`.
    Recency {
        event: EventSpec,
        op: RecencyOp,
        days: u32,
    },
    /// Monetary value: the sum of `value_minor` of the person's `event`s (by
    /// default `purchase`) in `window` with currency `currency`, null values
    /// counting 0 and people without such events having 0, is within
    /// `[min_minor, max_minor]` (both inclusive, either may be absent).
    Monetary {
        #[serde(default = "purchase_event")]
        event: String,
        currency: String,
        window: Window,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "number")]
        min_minor: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "number")]
        max_minor: Option<i64>,
    },
    /// A column of `people` is one of the values (exact, case-sensitive).
    /// A missing value matches nothing.
    Person {
        field: PersonField,
        any_of: Vec<String>,
    },
    /// A key of `people.properties` (a JSON object) equals a string or a
    /// boolean. A missing key, another JSON type or invalid JSON matches nothing.
    PersonProperty { key: String, equals: PropertyValue },
    /// The person's latest consent row for `channel` before `T` (latest by
    /// `recorded_at`, then by row id) has this status; `unknown` means no row.
    Consent {
        channel: Channel,
        status: ConsentStatus,
    },
    /// Member of another saved segment, by name: its rule, at the same `T`.
    /// The other segment's consent policy is not applied.
    InSegment { segment: String },
}

fn purchase_event() -> String {
    "purchase".to_string()
}

/// Which events count: a name and property filters, all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// `events.name`, exact (`view_item`, `add_to_cart`, `purchase`, ...).
    pub name: String,
    #[serde(default)]
    pub filters: Vec<EventFilter>,
}

impl EventSpec {
    pub fn named(name: &str) -> EventSpec {
        EventSpec {
            name: name.to_string(),
            filters: Vec::new(),
        }
    }

    pub fn with(mut self, filter: EventFilter) -> EventSpec {
        self.filters.push(filter);
        self
    }
}

/// A filter on one property of an event. Events without the property (a null
/// column, a product or device that is not in the workspace) never match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum EventFilter {
    /// The event's product has one of these `products.external_id`s.
    Product { any_of: Vec<String> },
    /// The event's product is in one of these `products.category` values.
    Category { any_of: Vec<String> },
    /// The event's product's catalog price is within the inclusive range.
    Price {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "number")]
        min_minor: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "number")]
        max_minor: Option<i64>,
    },
    /// `events.page` matches (case-sensitive).
    Page { matches: TextMatch, value: String },
    /// `events.source` is one of these (exact).
    Source { any_of: Vec<String> },
    /// The event's device has one of these categories.
    Device { any_of: Vec<DeviceCategory> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TextMatch {
    Equals,
    StartsWith,
    Contains,
}

/// How many matching events. JSON: `{"op": "at_least", "n": 3}`; the default
/// is at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CountCondition {
    pub op: CountOp,
    pub n: u32,
}

impl Default for CountCondition {
    fn default() -> Self {
        CountCondition {
            op: CountOp::AtLeast,
            n: 1,
        }
    }
}

impl CountCondition {
    pub fn holds(self, count: u64) -> bool {
        let n = u64::from(self.n);
        match self.op {
            CountOp::AtLeast => count >= n,
            CountOp::AtMost => count <= n,
            CountOp::Exactly => count == n,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CountOp {
    AtLeast,
    AtMost,
    Exactly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecencyOp {
    WithinLast,
    MoreThanAgo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Granted,
    Denied,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    Country,
    TimeZone,
    Locale,
}

impl PersonField {
    pub(crate) fn column(self) -> &'static str {
        match self {
            PersonField::Country => "country",
            PersonField::TimeZone => "time_zone",
            PersonField::Locale => "locale",
        }
    }
}

/// A person-property value: a JSON string or boolean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum PropertyValue {
    Text(String),
    Bool(bool),
}

/// A length of time. JSON: `{"minutes": 30}`, `{"hours": 1}` or `{"days": 7}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    Minutes(u32),
    Hours(u32),
    Days(u32),
}

impl Span {
    pub fn micros(self) -> i64 {
        match self {
            Span::Minutes(m) => i64::from(m) * MICROS_PER_MINUTE,
            Span::Hours(h) => i64::from(h) * MICROS_PER_HOUR,
            Span::Days(d) => i64::from(d) * MICROS_PER_DAY,
        }
    }
}

/// Which event times count, relative to the "as of" instant `T`. Every
/// window is half-open, `[start, end)`, and never reaches past `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Window {
    /// All history before `T`: `ts < T`.
    Ever,
    /// The last `days` × 24 hours: `T - days·24h <= ts < T`. An event exactly
    /// `days` days before `T` is in; one at `T` is not.
    LastDays { days: u32 },
    /// Calendar days `from` to `to`, both inclusive, in UTC:
    /// `from 00:00 <= ts < (to + 1 day) 00:00`, and `ts < T`.
    Between {
        #[ts(type = "string")]
        from: NaiveDate,
        #[ts(type = "string")]
        to: NaiveDate,
    },
}

impl Window {
    /// The window as of the instant `as_of`: `[start, end)` in microseconds,
    /// `start` `None` when unbounded. Both engines (the SQL compiler and the
    /// in-memory evaluator) take their bounds from here; the brute-force
    /// reference evaluator that tests them keeps its own reading of the rule.
    pub fn bounds(&self, as_of: i64) -> (Option<i64>, i64) {
        match self {
            Window::Ever => (None, as_of),
            Window::LastDays { days } => (Some(as_of - i64::from(*days) * MICROS_PER_DAY), as_of),
            Window::Between { from, to } => (
                Some(day_start_micros(*from)),
                (day_start_micros(*to) + MICROS_PER_DAY).min(as_of),
            ),
        }
    }
}

impl SegmentDefinition {
    /// Checks everything serde cannot: versions, non-empty names and lists,
    /// window order, ranges, property keys, tree depth.
    pub fn validate(&self) -> Result<()> {
        let fail = |at: &str, reason: String| Error::InvalidRule {
            segment: self.name.clone(),
            at: at.to_string(),
            reason,
        };
        if self.version == 0 || self.version > SCHEMA_VERSION {
            return Err(fail(
                "version",
                format!(
                    "version {} is not supported (this Rebound reads version 1 to {SCHEMA_VERSION})",
                    self.version
                ),
            ));
        }
        if self.name.trim().is_empty() {
            return Err(fail("name", "the name is empty".into()));
        }
        if self.name.chars().count() > 200 {
            return Err(fail(
                "name",
                "the name is longer than 200 characters".into(),
            ));
        }
        match (self.purpose, self.consent) {
            (Purpose::Remarketing, None) => {
                return Err(fail(
                    "consent",
                    "a remarketing segment needs a consent channel (email, sms or push)".into(),
                ))
            }
            (Purpose::Remarketing, Some(p)) if p.channel == Channel::Ads => {
                return Err(fail(
                    "consent",
                    "a remarketing segment goes through email, sms or push, not ads".into(),
                ))
            }
            _ => {}
        }
        validate_rule(&self.rule, "rule", 0).map_err(|(at, reason)| fail(&at, reason))
    }
}

fn validate_rule(rule: &Rule, at: &str, depth: usize) -> std::result::Result<(), (String, String)> {
    if depth > MAX_DEPTH {
        return Err((
            at.to_string(),
            format!("rules are nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    let err = |reason: String| Err((at.to_string(), reason));
    match rule {
        Rule::All { rules } | Rule::Any { rules } => {
            for (i, r) in rules.iter().enumerate() {
                validate_rule(r, &format!("{at}.rules[{i}]"), depth + 1)?;
            }
            Ok(())
        }
        Rule::Not { rule } => validate_rule(rule, &format!("{at}.rule"), depth + 1),
        Rule::Did { event, window, .. } | Rule::DidNot { event, window } => {
            validate_event(event, &format!("{at}.event"))?;
            validate_window(window, &format!("{at}.window"))
        }
        Rule::FollowedBy {
            first,
            then,
            within,
            window,
        }
        | Rule::NotFollowedBy {
            first,
            then,
            within,
            window,
            ..
        } => {
            validate_event(first, &format!("{at}.first"))?;
            validate_event(then, &format!("{at}.then"))?;
            validate_span(within, &format!("{at}.within"))?;
            validate_window(window, &format!("{at}.window"))
        }
        Rule::Recency { event, days, .. } => {
            validate_event(event, &format!("{at}.event"))?;
            if *days > MAX_DAYS {
                return err(format!("{days} days is more than {MAX_DAYS}"));
            }
            Ok(())
        }
        Rule::Monetary {
            event,
            currency,
            window,
            min_minor,
            max_minor,
        } => {
            if event.is_empty() {
                return err("the event name is empty".into());
            }
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                return err(format!(
                    "{currency:?} is not an ISO 4217 currency code such as USD"
                ));
            }
            if min_minor.is_none() && max_minor.is_none() {
                return err("give a minimum, a maximum or both".into());
            }
            if let (Some(lo), Some(hi)) = (min_minor, max_minor) {
                if lo > hi {
                    return err(format!("the minimum {lo} is above the maximum {hi}"));
                }
            }
            validate_window(window, &format!("{at}.window"))
        }
        Rule::Person { any_of, .. } => {
            if any_of.is_empty() {
                return err("the list of values is empty".into());
            }
            Ok(())
        }
        Rule::PersonProperty { key, .. } => {
            if key.is_empty()
                || key.len() > 64
                || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return err(format!(
                    "property key {key:?} must be 1 to 64 letters, digits or underscores"
                ));
            }
            Ok(())
        }
        Rule::Consent { .. } => Ok(()),
        Rule::InSegment { segment } => {
            if segment.trim().is_empty() {
                return err("the segment name is empty".into());
            }
            Ok(())
        }
    }
}

fn validate_event(event: &EventSpec, at: &str) -> std::result::Result<(), (String, String)> {
    if event.name.is_empty() {
        return Err((at.to_string(), "the event name is empty".into()));
    }
    for (i, f) in event.filters.iter().enumerate() {
        let here = format!("{at}.filters[{i}]");
        let empty = match f {
            EventFilter::Product { any_of }
            | EventFilter::Category { any_of }
            | EventFilter::Source { any_of } => any_of.is_empty(),
            EventFilter::Device { any_of } => any_of.is_empty(),
            EventFilter::Price {
                min_minor,
                max_minor,
            } => {
                if let (Some(lo), Some(hi)) = (min_minor, max_minor) {
                    if lo > hi {
                        return Err((
                            here,
                            format!("the minimum price {lo} is above the maximum {hi}"),
                        ));
                    }
                }
                min_minor.is_none() && max_minor.is_none()
            }
            EventFilter::Page { .. } => false,
        };
        if empty {
            return Err((here, "the filter has no values".into()));
        }
    }
    Ok(())
}

fn validate_window(window: &Window, at: &str) -> std::result::Result<(), (String, String)> {
    match window {
        Window::Ever => Ok(()),
        Window::LastDays { days } => {
            if *days == 0 || *days > MAX_DAYS {
                return Err((
                    at.to_string(),
                    format!("the last {days} days: use 1 to {MAX_DAYS} days"),
                ));
            }
            Ok(())
        }
        Window::Between { from, to } => {
            if from > to {
                return Err((
                    at.to_string(),
                    format!("the window starts on {from}, after it ends on {to}"),
                ));
            }
            Ok(())
        }
    }
}

fn validate_span(span: &Span, at: &str) -> std::result::Result<(), (String, String)> {
    let (n, max) = match span {
        Span::Minutes(m) => (*m, MAX_DAYS * 24 * 60),
        Span::Hours(h) => (*h, MAX_DAYS * 24),
        Span::Days(d) => (*d, MAX_DAYS),
    };
    if n == 0 || n > max {
        return Err((
            at.to_string(),
            format!("the delay must be more than 0 and at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

/// Segment names a rule refers to through `in_segment`, in tree order.
pub fn referenced_segments(rule: &Rule) -> Vec<String> {
    fn walk(rule: &Rule, out: &mut Vec<String>) {
        match rule {
            Rule::All { rules } | Rule::Any { rules } => rules.iter().for_each(|r| walk(r, out)),
            Rule::Not { rule } => walk(rule, out),
            Rule::InSegment { segment } if !out.contains(segment) => out.push(segment.clone()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(rule, &mut out);
    out
}
