//! When a segment is evaluated by default, and what to say when it is empty.
//!
//! A rule is "about" some events: the ones whose occurrence can put a person
//! in (a cart for cart abandoners, a purchase for lapsed customers). Its
//! default "as of" is the end of the last day of those events (see
//! `rebound_core::time`), so a workspace of last year's exports is evaluated
//! where its data is, not today. Rules about no event in particular ("did not
//! buy", a country) default to the end of all the events.
//!
//! A count of zero whose people sit outside its window is explained: where
//! the events end, and the nearest day whose end has members.

use chrono::{Duration, NaiveDate};
use rebound_core::time::{self as rtime, Span as DataSpanMicros};
use rebound_core::Workspace;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::compile::Library;
use crate::engine::load_library;
use crate::error::Result;
use crate::model::{CountOp, Rule, SegmentDefinition, MICROS_PER_DAY};

/// The days the events a segment is about span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DataSpan {
    /// The event names, most relevant first; empty: every event.
    pub events: Vec<String>,
    /// `YYYY-MM-DD` (UTC) of the first and last of those events.
    pub first_day: String,
    pub last_day: String,
}

/// Why a count is zero, and the nearest moment that has people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ZeroHint {
    /// Where the segment's events are, relative to the as-of day.
    pub data: DataSpan,
    /// The as-of day is after the last of these events.
    pub after_data: bool,
    /// The as-of day is before the first of these events.
    pub before_data: bool,
    /// The nearest day whose end has members, if one was found.
    #[ts(optional)]
    pub suggestion: Option<DaySuggestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DaySuggestion {
    /// `YYYY-MM-DD`: evaluate as of the end of this day.
    pub day: String,
    #[ts(type = "number")]
    pub members: u64,
}

/// The events whose occurrence can put a person in the segment, in rule
/// order without repeats: what "the end of the data" means for this rule.
pub fn anchor_events(rule: &Rule, library: &Library) -> Vec<String> {
    let mut out = Vec::new();
    anchors(rule, library, &mut out, 0);
    out
}

fn push(out: &mut Vec<String>, name: &str) {
    if !out.iter().any(|n| n == name) {
        out.push(name.to_string());
    }
}

fn anchors(rule: &Rule, library: &Library, out: &mut Vec<String>, depth: usize) {
    if depth > crate::model::MAX_DEPTH {
        return;
    }
    match rule {
        Rule::All { rules } | Rule::Any { rules } => {
            for r in rules {
                anchors(r, library, out, depth + 1);
            }
        }
        // What a negation is about is what its people did not do.
        Rule::Not { .. } | Rule::DidNot { .. } => {}
        Rule::Did { event, count, .. } => {
            let zero_matches = matches!(count.op, CountOp::AtMost)
                || (matches!(count.op, CountOp::Exactly) && count.n == 0);
            if !zero_matches {
                push(out, &event.name);
            }
        }
        Rule::FollowedBy { first, then, .. } => {
            push(out, &first.name);
            push(out, &then.name);
        }
        Rule::NotFollowedBy { first, .. } => push(out, &first.name),
        Rule::Recency { event, .. } => push(out, &event.name),
        Rule::Monetary {
            event, min_minor, ..
        } => {
            if min_minor.is_some_and(|m| m > 0) {
                push(out, event);
            }
        }
        Rule::Person { .. } | Rule::PersonProperty { .. } | Rule::Consent { .. } => {}
        Rule::InSegment { segment } => {
            if let Some(rule) = library.get(segment) {
                anchors(rule, library, out, depth + 1);
            }
        }
    }
}

/// Days after the last event the rule may still change: waits of "not
/// followed by" and "more than N days ago" push members past the data.
fn horizon_days(rule: &Rule, library: &Library, depth: usize) -> i64 {
    if depth > crate::model::MAX_DEPTH {
        return 0;
    }
    match rule {
        Rule::All { rules } | Rule::Any { rules } => rules
            .iter()
            .map(|r| horizon_days(r, library, depth + 1))
            .max()
            .unwrap_or(0),
        Rule::Not { rule } => horizon_days(rule, library, depth + 1),
        Rule::NotFollowedBy { within, .. } => {
            (within.micros() + MICROS_PER_DAY - 1) / MICROS_PER_DAY
        }
        Rule::Recency { days, .. } => i64::from(*days),
        Rule::InSegment { segment } => library
            .get(segment)
            .map_or(0, |r| horizon_days(r, library, depth + 1)),
        _ => 0,
    }
}

/// The span of the events the definition is about (every event when it is
/// about none in particular), with their names.
pub async fn data_span(
    workspace: &Workspace,
    definition: &SegmentDefinition,
) -> Result<Option<(Vec<String>, DataSpanMicros)>> {
    let library = load_library(workspace, &definition.rule).await?;
    span_with(workspace, definition, &library).await
}

async fn span_with(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    library: &Library,
) -> Result<Option<(Vec<String>, DataSpanMicros)>> {
    let names = anchor_events(&definition.rule, library);
    if let Some(span) = rtime::events_span(workspace, &names).await? {
        return Ok(Some((names, span)));
    }
    // None of its events happened: fall back to all the data.
    Ok(rtime::events_span(workspace, &[])
        .await?
        .map(|span| (Vec::new(), span)))
}

/// The as-of instant for a day given by the user (its end), or by default the
/// end of the last day of the definition's events; `now` only for a
/// workspace without events.
pub async fn resolve_as_of(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    day: Option<NaiveDate>,
    now: i64,
) -> Result<i64> {
    match day {
        Some(day) => Ok(rtime::end_of_day(day)),
        None => Ok(data_span(workspace, definition)
            .await?
            .map_or(now, |(_, span)| span.end())),
    }
}

pub(crate) fn describe(names: Vec<String>, span: &DataSpanMicros) -> DataSpan {
    DataSpan {
        events: names,
        first_day: span.first_day().to_string(),
        last_day: span.last_day().to_string(),
    }
}

/// Most days the search for a moment with members looks at.
const MAX_PROBES: usize = 48;

/// Why the definition has no members as of `as_of`, and the nearest day
/// whose end has some: first the days from the as-of day (or the first day
/// of data) up to the last day of data plus the rule's waits, then back
/// towards the first day of data. `members_at` counts the audience.
pub(crate) async fn explain_zero<F, Fut>(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
    members_at: F,
) -> Result<Option<ZeroHint>>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<u64>>,
{
    let library = load_library(workspace, &definition.rule).await?;
    let Some((names, span)) = span_with(workspace, definition, &library).await? else {
        return Ok(None);
    };
    let (first, last) = (span.first_day(), span.last_day());
    let as_of_day = rtime::as_of_day(as_of);
    let horizon = horizon_days(&definition.rule, &library, 0).min(400);
    let forward_from = if as_of_day < first {
        first
    } else if as_of_day > last {
        last
    } else {
        as_of_day + Duration::days(1)
    };
    let forward_to = last + Duration::days(horizon + 1);
    let mut probes: Vec<NaiveDate> = days(forward_from, forward_to);
    let backward_from = as_of_day.min(last) - Duration::days(1);
    let mut backward = days(first, backward_from);
    backward.reverse();
    probes.retain(|d| *d != as_of_day);
    backward.retain(|d| *d != as_of_day);
    let mut suggestion = None;
    for d in thin(&probes, MAX_PROBES / 2)
        .into_iter()
        .chain(thin(&backward, MAX_PROBES / 2))
    {
        let members = members_at(rtime::end_of_day(d)).await?;
        if members > 0 {
            suggestion = Some(DaySuggestion {
                day: d.to_string(),
                members,
            });
            break;
        }
    }
    Ok(Some(ZeroHint {
        after_data: as_of_day > last,
        before_data: as_of_day < first,
        data: describe(names, &span),
        suggestion,
    }))
}

/// The days from `from` to `to`, inclusive (none when `to < from`).
fn days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    if to < from {
        return Vec::new();
    }
    from.iter_days().take_while(|d| *d <= to).collect()
}

/// At most `n` of `days`, evenly spread, the first always kept.
fn thin(days: &[NaiveDate], n: usize) -> Vec<NaiveDate> {
    if days.len() <= n {
        return days.to_vec();
    }
    let step = days.len().div_ceil(n);
    days.iter().step_by(step).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventSpec, Span, Window};
    use crate::templates;

    #[test]
    fn a_rule_is_about_the_events_that_put_people_in() {
        let library = Library::new();
        let about = |d: SegmentDefinition| anchor_events(&d.rule, &library);
        assert_eq!(about(templates::cart_abandoners()), ["add_to_cart"]);
        assert_eq!(
            about(templates::product_viewers_without_purchase()),
            ["view_item"]
        );
        assert_eq!(about(templates::lapsed_customers()), ["purchase"]);
        assert_eq!(
            about(templates::high_intent_browsers()),
            ["begin_checkout", "add_to_cart", "view_item"]
        );
        let did_not = Rule::DidNot {
            event: EventSpec::named("purchase"),
            window: Window::Ever,
        };
        assert!(anchor_events(&did_not, &library).is_empty());
        let mut library = Library::new();
        library.insert(
            "carts".into(),
            Rule::FollowedBy {
                first: EventSpec::named("view_item"),
                then: EventSpec::named("add_to_cart"),
                within: Span::Hours(1),
                window: Window::Ever,
            },
        );
        let nested = Rule::InSegment {
            segment: "carts".into(),
        };
        assert_eq!(
            anchor_events(&nested, &library),
            ["view_item", "add_to_cart"]
        );
    }

    #[test]
    fn waits_push_the_search_past_the_data() {
        let library = Library::new();
        assert_eq!(
            horizon_days(&templates::cart_abandoners().rule, &library, 0),
            1
        );
        assert_eq!(
            horizon_days(&templates::lapsed_customers().rule, &library, 0),
            60
        );
        assert_eq!(
            horizon_days(&templates::recent_purchasers().rule, &library, 0),
            0
        );
    }

    #[test]
    fn thinning_keeps_the_first_day_and_spreads_the_rest() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let all = days(d("2026-01-01"), d("2026-03-31"));
        assert_eq!(all.len(), 90);
        let some = thin(&all, 24);
        assert!(some.len() <= 24);
        assert_eq!(some[0], d("2026-01-01"));
        assert!(days(d("2026-01-02"), d("2026-01-01")).is_empty());
    }
}
