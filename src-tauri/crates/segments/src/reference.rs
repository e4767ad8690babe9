//! A brute-force reference evaluator over plain Rust structs.
//!
//! It shares nothing with the SQL compiler but the rule types: it walks each
//! person's events one by one and applies the semantics exactly as the rule
//! model documents them (window edges as calendar dates and differences of
//! instants rather than precomputed bounds). The property tests compare the
//! engine with it over random event logs; it is not meant to be fast.

use std::collections::{BTreeSet, HashMap};

use chrono::DateTime;

use crate::model::{
    Channel, ConsentStatus, DeviceCategory, EventFilter, EventSpec, PersonField, PropertyValue,
    RecencyOp, Rule, SegmentDefinition, TextMatch, Window, MICROS_PER_DAY,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: i64,
    pub first_seen_at: Option<i64>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub locale: Option<String>,
    /// `people.properties` as stored (normally a JSON object).
    pub properties: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub person_id: i64,
    pub ts: i64,
    pub name: String,
    pub device_id: Option<i64>,
    pub product_id: Option<i64>,
    pub page: Option<String>,
    pub source: Option<String>,
    pub value_minor: Option<i64>,
    pub currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: i64,
    pub external_id: String,
    pub category: Option<String>,
    pub price_minor: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: i64,
    pub person_id: i64,
    pub category: DeviceCategory,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsentRecord {
    pub id: i64,
    pub person_id: i64,
    pub channel: Channel,
    pub granted: bool,
    pub recorded_at: i64,
}

/// Everything the evaluator looks at; `segments` are saved rules by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    pub people: Vec<Person>,
    pub events: Vec<Event>,
    pub products: Vec<Product>,
    pub devices: Vec<Device>,
    pub consent: Vec<ConsentRecord>,
    pub segments: HashMap<String, Rule>,
}

/// The reference answer for a definition.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// People the rule matches.
    pub matched: BTreeSet<i64>,
    /// Matched people without granted consent for the policy's channel.
    pub without_consent: BTreeSet<i64>,
    /// The audience after the consent policy.
    pub audience: BTreeSet<i64>,
}

/// Evaluates a definition as of `as_of`.
pub fn evaluate(data: &Dataset, definition: &SegmentDefinition, as_of: i64) -> Outcome {
    let mut out = Outcome::default();
    for person in &data.people {
        let exists = match person.first_seen_at {
            None => true,
            Some(seen) => seen < as_of,
        };
        if !exists || !matches(data, &definition.rule, person, as_of) {
            continue;
        }
        out.matched.insert(person.id);
        let mut keep = true;
        if let Some(policy) = definition.consent {
            if latest_consent(data, person.id, policy.channel, as_of) != ConsentStatus::Granted {
                out.without_consent.insert(person.id);
                keep = policy.include_without_consent;
            }
        }
        if keep {
            out.audience.insert(person.id);
        }
    }
    out
}

/// Whether `rule` holds for `person` as of `as_of`.
pub fn matches(data: &Dataset, rule: &Rule, person: &Person, as_of: i64) -> bool {
    let visible = || {
        data.events
            .iter()
            .filter(|e| e.person_id == person.id && e.ts < as_of)
    };
    match rule {
        Rule::All { rules } => rules.iter().all(|r| matches(data, r, person, as_of)),
        Rule::Any { rules } => rules.iter().any(|r| matches(data, r, person, as_of)),
        Rule::Not { rule } => !matches(data, rule, person, as_of),
        Rule::Did {
            event,
            count,
            window,
        } => {
            let n = visible()
                .filter(|e| is_event(data, e, event) && in_window(window, e.ts, as_of))
                .count();
            count.holds(n as u64)
        }
        Rule::DidNot { event, window } => {
            !visible().any(|e| is_event(data, e, event) && in_window(window, e.ts, as_of))
        }
        Rule::FollowedBy {
            first,
            then,
            within,
            window,
        } => {
            let within = within.micros();
            visible()
                .filter(|a| is_event(data, a, first) && in_window(window, a.ts, as_of))
                .any(|a| {
                    visible()
                        .any(|b| is_event(data, b, then) && b.ts > a.ts && b.ts - a.ts <= within)
                })
        }
        Rule::NotFollowedBy {
            first,
            then,
            within,
            window,
            none_since,
        } => {
            let within = within.micros();
            visible()
                .filter(|a| is_event(data, a, first) && in_window(window, a.ts, as_of))
                .filter(|a| a.ts + within < as_of)
                .any(|a| {
                    !visible().any(|b| {
                        is_event(data, b, then)
                            && b.ts > a.ts
                            && (*none_since || b.ts - a.ts <= within)
                    })
                })
        }
        Rule::Recency { event, op, days } => {
            let last = visible()
                .filter(|e| is_event(data, e, event))
                .map(|e| e.ts)
                .max();
            let span = i64::from(*days) * MICROS_PER_DAY;
            match (op, last) {
                (_, None) => false,
                (RecencyOp::WithinLast, Some(last)) => as_of - last <= span,
                (RecencyOp::MoreThanAgo, Some(last)) => as_of - last > span,
            }
        }
        Rule::Monetary {
            event,
            currency,
            window,
            min_minor,
            max_minor,
        } => {
            let total: i128 = visible()
                .filter(|e| &e.name == event && e.currency.as_deref() == Some(currency.as_str()))
                .filter(|e| in_window(window, e.ts, as_of))
                .map(|e| i128::from(e.value_minor.unwrap_or(0)))
                .sum();
            min_minor.is_none_or(|lo| total >= i128::from(lo))
                && max_minor.is_none_or(|hi| total <= i128::from(hi))
        }
        Rule::Person { field, any_of } => {
            let value = match field {
                PersonField::Country => &person.country,
                PersonField::TimeZone => &person.time_zone,
                PersonField::Locale => &person.locale,
            };
            value.as_ref().is_some_and(|v| any_of.contains(v))
        }
        Rule::PersonProperty { key, equals } => {
            let Ok(serde_json::Value::Object(map)) =
                serde_json::from_str::<serde_json::Value>(&person.properties)
            else {
                return false;
            };
            match (map.get(key), equals) {
                (Some(serde_json::Value::String(s)), PropertyValue::Text(want)) => s == want,
                (Some(serde_json::Value::Bool(b)), PropertyValue::Bool(want)) => b == want,
                _ => false,
            }
        }
        Rule::Consent { channel, status } => {
            latest_consent(data, person.id, *channel, as_of) == *status
        }
        Rule::InSegment { segment } => data
            .segments
            .get(segment)
            .is_some_and(|rule| matches(data, rule, person, as_of)),
    }
}

/// Whether an event at `ts` is in `window` as of `as_of`, from the
/// documented meaning: before `as_of`; for the last N days, at most N×24h
/// before `as_of`; between dates, on a UTC calendar day from `from` to `to`.
fn in_window(window: &Window, ts: i64, as_of: i64) -> bool {
    if ts >= as_of {
        return false;
    }
    match window {
        Window::Ever => true,
        Window::LastDays { days } => as_of - ts <= i64::from(*days) * MICROS_PER_DAY,
        Window::Between { from, to } => {
            let day = DateTime::from_timestamp_micros(ts)
                .expect("timestamp in range")
                .date_naive();
            *from <= day && day <= *to
        }
    }
}

fn is_event(data: &Dataset, e: &Event, spec: &EventSpec) -> bool {
    e.name == spec.name && spec.filters.iter().all(|f| passes(data, e, f))
}

fn passes(data: &Dataset, e: &Event, filter: &EventFilter) -> bool {
    let product = || {
        e.product_id
            .and_then(|id| data.products.iter().find(|p| p.id == id))
    };
    match filter {
        EventFilter::Product { any_of } => {
            product().is_some_and(|p| any_of.contains(&p.external_id))
        }
        EventFilter::Category { any_of } => product()
            .and_then(|p| p.category.as_ref())
            .is_some_and(|c| any_of.contains(c)),
        EventFilter::Price {
            min_minor,
            max_minor,
        } => product().and_then(|p| p.price_minor).is_some_and(|price| {
            min_minor.is_none_or(|lo| price >= lo) && max_minor.is_none_or(|hi| price <= hi)
        }),
        EventFilter::Page { matches, value } => {
            e.page.as_deref().is_some_and(|page| match matches {
                TextMatch::Equals => page == value,
                TextMatch::StartsWith => page.starts_with(value.as_str()),
                TextMatch::Contains => page.contains(value.as_str()),
            })
        }
        EventFilter::Source { any_of } => e.source.as_ref().is_some_and(|s| any_of.contains(s)),
        EventFilter::Device { any_of } => e
            .device_id
            .and_then(|id| data.devices.iter().find(|d| d.id == id))
            .is_some_and(|d| any_of.contains(&d.category)),
    }
}

fn latest_consent(data: &Dataset, person_id: i64, channel: Channel, as_of: i64) -> ConsentStatus {
    data.consent
        .iter()
        .filter(|c| c.person_id == person_id && c.channel == channel && c.recorded_at < as_of)
        .max_by_key(|c| (c.recorded_at, c.id))
        .map(|c| {
            if c.granted {
                ConsentStatus::Granted
            } else {
                ConsentStatus::Denied
            }
        })
        .unwrap_or(ConsentStatus::Unknown)
}
