//! Evaluating a rule tree over the in-memory columns (see `columns.rs`).
//!
//! A rule is first resolved against the columns' dictionaries into a [`Node`]
//! tree: event names become numbers, filters become look-up tables over
//! products, pages, sources and device categories, windows become `[start,
//! end)` instants for the given "as of" time, and saved segments are inlined.
//! Each person is then decided in one pass over their time-ordered events;
//! people are split across threads.
//!
//! The semantics are the rule model's, as the SQL compiler (`compile.rs`) and
//! the brute-force reference (`reference.rs`) implement them; the property
//! tests hold all three to the same answers.

use rayon::prelude::*;

use crate::columns::{Columns, Prop, CHANNELS, DEVICE_CATEGORIES, NONE, NO_DEVICE};
use crate::compile::Library;
use crate::error::{Error, Result};
use crate::model::{
    ConsentStatus, CountCondition, EventFilter, EventSpec, PersonField, PropertyValue, RecencyOp,
    Rule, SegmentDefinition, TextMatch, Window, MICROS_PER_DAY,
};

/// An event description resolved to column values.
#[derive(Debug, Clone)]
struct Spec {
    /// The event name's number; `NONE` when no stored event has that name.
    name: u32,
    products: Option<Vec<bool>>,
    pages: Option<Vec<bool>>,
    sources: Option<Vec<bool>>,
    devices: Option<[bool; 4]>,
}

impl Spec {
    fn new(columns: &Columns, event: &EventSpec) -> Spec {
        let mut spec = Spec {
            name: columns.names.get(&event.name).unwrap_or(NONE),
            products: None,
            pages: None,
            sources: None,
            devices: None,
        };
        for filter in &event.filters {
            match filter {
                EventFilter::Product { any_of } => and_with(
                    &mut spec.products,
                    columns
                        .product_external
                        .iter()
                        .map(|id| any_of.contains(id))
                        .collect(),
                ),
                EventFilter::Category { any_of } => {
                    let wanted: Vec<u32> = any_of
                        .iter()
                        .filter_map(|c| columns.strings.get(c))
                        .collect();
                    and_with(
                        &mut spec.products,
                        columns
                            .product_category
                            .iter()
                            .map(|c| *c != NONE && wanted.contains(c))
                            .collect(),
                    )
                }
                EventFilter::Price {
                    min_minor,
                    max_minor,
                } => and_with(
                    &mut spec.products,
                    columns
                        .product_price
                        .iter()
                        .map(|price| {
                            price.is_some_and(|p| {
                                min_minor.is_none_or(|lo| p >= lo)
                                    && max_minor.is_none_or(|hi| p <= hi)
                            })
                        })
                        .collect(),
                ),
                EventFilter::Page { matches, value } => and_with(
                    &mut spec.pages,
                    columns
                        .pages
                        .values()
                        .iter()
                        .map(|page| match matches {
                            TextMatch::Equals => page == value,
                            TextMatch::StartsWith => page.starts_with(value.as_str()),
                            TextMatch::Contains => page.contains(value.as_str()),
                        })
                        .collect(),
                ),
                EventFilter::Source { any_of } => and_with(
                    &mut spec.sources,
                    columns
                        .sources
                        .values()
                        .iter()
                        .map(|s| any_of.contains(s))
                        .collect(),
                ),
                EventFilter::Device { any_of } => {
                    let mut set = [false; 4];
                    for (slot, category) in set.iter_mut().zip(DEVICE_CATEGORIES) {
                        *slot = any_of.contains(&category);
                    }
                    let merged = match spec.devices {
                        Some(old) => std::array::from_fn(|i| old[i] && set[i]),
                        None => set,
                    };
                    spec.devices = Some(merged);
                }
            }
        }
        spec
    }

    #[inline]
    fn matches(&self, c: &Columns, e: usize) -> bool {
        c.name[e] == self.name
            && self
                .products
                .as_ref()
                .is_none_or(|set| c.product[e] != NONE && set[c.product[e] as usize])
            && self
                .pages
                .as_ref()
                .is_none_or(|set| c.page[e] != NONE && set[c.page[e] as usize])
            && self
                .sources
                .as_ref()
                .is_none_or(|set| c.source[e] != NONE && set[c.source[e] as usize])
            && self
                .devices
                .is_none_or(|set| c.device[e] != NO_DEVICE && set[c.device[e] as usize])
    }
}

/// Narrows an optional look-up table by another (filters of a kind all hold).
fn and_with(slot: &mut Option<Vec<bool>>, set: Vec<bool>) {
    *slot = Some(match slot.take() {
        Some(old) => old.iter().zip(&set).map(|(a, b)| *a && *b).collect(),
        None => set,
    });
}

/// A rule resolved for one "as of" instant.
#[derive(Debug, Clone)]
enum Node {
    Const(bool),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    Count {
        spec: Spec,
        start: i64,
        end: i64,
        condition: CountCondition,
    },
    Sequence {
        first: Spec,
        then: Spec,
        within: i64,
        start: i64,
        end: i64,
        followed: bool,
    },
    Recency {
        spec: Spec,
        span: i64,
        within_last: bool,
    },
    Monetary {
        name: u32,
        currency: u32,
        start: i64,
        end: i64,
        min: Option<i64>,
        max: Option<i64>,
    },
    Person {
        field: PersonField,
        any_of: Vec<u32>,
    },
    Property {
        key: u32,
        want: Prop,
    },
    Consent {
        channel: u8,
        status: ConsentStatus,
    },
}

struct Resolver<'a> {
    columns: &'a Columns,
    library: &'a Library,
    as_of: i64,
}

impl Resolver<'_> {
    /// `[start, end)` of a window as of the instant (`i64::MIN`: unbounded).
    fn bounds(&self, window: &Window) -> (i64, i64) {
        let (start, end) = window.bounds(self.as_of);
        (start.unwrap_or(i64::MIN), end)
    }

    fn node(&self, rule: &Rule) -> Result<Node> {
        let c = self.columns;
        Ok(match rule {
            Rule::All { rules } => Node::All(self.nodes(rules)?),
            Rule::Any { rules } => Node::Any(self.nodes(rules)?),
            Rule::Not { rule } => Node::Not(Box::new(self.node(rule)?)),
            Rule::Did {
                event,
                count,
                window,
            } => {
                let (start, end) = self.bounds(window);
                Node::Count {
                    spec: Spec::new(c, event),
                    start,
                    end,
                    condition: *count,
                }
            }
            Rule::DidNot { event, window } => {
                let (start, end) = self.bounds(window);
                Node::Count {
                    spec: Spec::new(c, event),
                    start,
                    end,
                    condition: CountCondition {
                        op: crate::model::CountOp::Exactly,
                        n: 0,
                    },
                }
            }
            Rule::FollowedBy {
                first,
                then,
                within,
                window,
            } => {
                let (start, end) = self.bounds(window);
                Node::Sequence {
                    first: Spec::new(c, first),
                    then: Spec::new(c, then),
                    within: within.micros(),
                    start,
                    end,
                    followed: true,
                }
            }
            Rule::NotFollowedBy {
                first,
                then,
                within,
                window,
                none_since,
            } => {
                let (start, end) = self.bounds(window);
                // The waiting time must be over: ts_a + within < as_of; with
                // `none_since` any later `then` (all are before as_of) counts.
                Node::Sequence {
                    first: Spec::new(c, first),
                    then: Spec::new(c, then),
                    within: if *none_since {
                        i64::MAX
                    } else {
                        within.micros()
                    },
                    start,
                    end: end.min(self.as_of - within.micros()),
                    followed: false,
                }
            }
            Rule::Recency { event, op, days } => Node::Recency {
                spec: Spec::new(c, event),
                span: i64::from(*days) * MICROS_PER_DAY,
                within_last: matches!(op, RecencyOp::WithinLast),
            },
            Rule::Monetary {
                event,
                currency,
                window,
                min_minor,
                max_minor,
            } => {
                let (start, end) = self.bounds(window);
                Node::Monetary {
                    name: c.names.get(event).unwrap_or(NONE),
                    currency: c.currencies.get(currency).unwrap_or(NONE),
                    start,
                    end,
                    min: *min_minor,
                    max: *max_minor,
                }
            }
            Rule::Person { field, any_of } => Node::Person {
                field: *field,
                any_of: any_of.iter().filter_map(|v| c.strings.get(v)).collect(),
            },
            Rule::PersonProperty { key, equals } => match c.strings.get(key) {
                None => Node::Const(false),
                Some(key) => Node::Property {
                    key,
                    want: match equals {
                        PropertyValue::Bool(b) => Prop::Bool(*b),
                        PropertyValue::Text(t) => match c.strings.get(t) {
                            Some(t) => Prop::Text(t),
                            None => return Ok(Node::Const(false)),
                        },
                    },
                },
            },
            Rule::Consent { channel, status } => Node::Consent {
                channel: channel_number(*channel),
                status: *status,
            },
            Rule::InSegment { segment } => {
                // `compile` has already refused cycles and unknown names.
                let rule = self
                    .library
                    .get(segment)
                    .ok_or_else(|| Error::SegmentNameNotFound(segment.clone()))?;
                self.node(rule)?
            }
        })
    }

    fn nodes(&self, rules: &[Rule]) -> Result<Vec<Node>> {
        rules.iter().map(|r| self.node(r)).collect()
    }
}

fn channel_number(channel: crate::model::Channel) -> u8 {
    CHANNELS
        .iter()
        .position(|c| *c == channel)
        .expect("every channel is listed") as u8
}

/// The latest consent status of a person for a channel before `as_of`.
fn latest_consent(c: &Columns, person: usize, channel: u8, as_of: i64) -> ConsentStatus {
    c.consent_of(person)
        .iter()
        .rev()
        .find(|r| r.channel == channel && r.recorded_at < as_of)
        .map_or(ConsentStatus::Unknown, |r| {
            if r.granted {
                ConsentStatus::Granted
            } else {
                ConsentStatus::Denied
            }
        })
}

/// One person's events before the "as of" instant.
struct Person<'a> {
    c: &'a Columns,
    index: usize,
    /// Visible events: `c.events_of(index)` cut at `as_of`.
    events: std::ops::Range<usize>,
    as_of: i64,
}

impl Person<'_> {
    /// The events with `start <= ts < end`, by binary search on time.
    fn between(&self, start: i64, end: i64) -> std::ops::Range<usize> {
        let ts = &self.c.ts[self.events.clone()];
        let lo = ts.partition_point(|t| *t < start);
        let hi = ts.partition_point(|t| *t < end);
        self.events.start + lo..self.events.start + hi.max(lo)
    }

    fn holds(&self, node: &Node) -> bool {
        let c = self.c;
        match node {
            Node::Const(b) => *b,
            Node::All(nodes) => nodes.iter().all(|n| self.holds(n)),
            Node::Any(nodes) => nodes.iter().any(|n| self.holds(n)),
            Node::Not(node) => !self.holds(node),
            Node::Count {
                spec,
                start,
                end,
                condition,
            } => {
                let n = self
                    .between(*start, *end)
                    .filter(|&e| spec.matches(c, e))
                    .count();
                condition.holds(n as u64)
            }
            Node::Sequence {
                first,
                then,
                within,
                start,
                end,
                followed,
            } => self.sequence(first, then, *within, *start, *end, *followed),
            Node::Recency {
                spec,
                span,
                within_last,
            } => {
                let last = self.events.clone().rev().find(|&e| spec.matches(c, e));
                last.is_some_and(|e| {
                    let age = self.as_of - c.ts[e];
                    if *within_last {
                        age <= *span
                    } else {
                        age > *span
                    }
                })
            }
            Node::Monetary {
                name,
                currency,
                start,
                end,
                min,
                max,
            } => {
                let mut total: i128 = 0;
                if *name != NONE && *currency != NONE {
                    for e in self.between(*start, *end) {
                        if c.name[e] == *name {
                            if let Some((value, cur)) = c.money_of(e) {
                                if cur == *currency {
                                    total += i128::from(value);
                                }
                            }
                        }
                    }
                }
                min.is_none_or(|lo| total >= i128::from(lo))
                    && max.is_none_or(|hi| total <= i128::from(hi))
            }
            Node::Person { field, any_of } => {
                let value = match field {
                    PersonField::Country => c.country[self.index],
                    PersonField::TimeZone => c.time_zone[self.index],
                    PersonField::Locale => c.locale[self.index],
                };
                value != NONE && any_of.contains(&value)
            }
            Node::Property { key, want } => {
                let props = c.props_of(self.index);
                props
                    .binary_search_by_key(key, |p| p.0)
                    .is_ok_and(|at| props[at].1 == *want)
            }
            Node::Consent { channel, status } => {
                latest_consent(c, self.index, *channel, self.as_of) == *status
            }
        }
    }

    /// Whether some `first` event with `start <= ts < end` is (or, for
    /// `followed == false`, is not) followed by a visible `then` event with
    /// `a.ts < b.ts <= a.ts + within`.
    ///
    /// One backward pass: `next_then` is the earliest `then` strictly later
    /// than the current group of equal times, which is all an `a` needs.
    fn sequence(
        &self,
        first: &Spec,
        then: &Spec,
        within: i64,
        start: i64,
        end: i64,
        followed: bool,
    ) -> bool {
        let c = self.c;
        if first.name == NONE || start >= end {
            return false;
        }
        let mut next_then: Option<i64> = None;
        let mut i = self.events.end;
        while i > self.events.start {
            let t = c.ts[i - 1];
            let mut g = i - 1;
            while g > self.events.start && c.ts[g - 1] == t {
                g -= 1;
            }
            if t >= start && t < end {
                let answered = next_then.is_some_and(|b| b <= t.saturating_add(within)) == followed;
                if answered && (g..i).any(|e| first.matches(c, e)) {
                    return true;
                }
            }
            if then.name != NONE && (g..i).any(|e| then.matches(c, e)) {
                next_then = Some(t);
            }
            i = g;
        }
        false
    }
}

/// The people a definition matches as of `as_of`, by position, ascending,
/// each with whether their latest consent for the policy's channel is granted
/// (always true without a policy).
pub(crate) fn evaluate(
    columns: &Columns,
    definition: &SegmentDefinition,
    library: &Library,
    as_of: i64,
) -> Result<Vec<(u32, bool)>> {
    let root = Resolver {
        columns,
        library,
        as_of,
    }
    .node(&definition.rule)?;
    let policy = definition.consent.map(|p| channel_number(p.channel));
    let c = columns;
    let decide = |index: usize| -> Option<(u32, bool)> {
        if c.first_seen[index] != i64::MIN && c.first_seen[index] >= as_of {
            return None;
        }
        let all = c.events_of(index);
        let visible = c.ts[all.clone()].partition_point(|t| *t < as_of);
        let person = Person {
            c,
            index,
            events: all.start..all.start + visible,
            as_of,
        };
        if !person.holds(&root) {
            return None;
        }
        let consented = policy.is_none_or(|channel| {
            latest_consent(c, index, channel, as_of) == ConsentStatus::Granted
        });
        Some((index as u32, consented))
    };
    Ok((0..c.people())
        .into_par_iter()
        .with_min_len(4096)
        .filter_map(decide)
        .collect())
}
