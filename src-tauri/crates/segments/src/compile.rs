//! Compilation of a rule tree to one SQLite query with bound parameters.
//!
//! Each rule becomes a boolean SQL expression on the person row `p` that is
//! always 0 or 1, never NULL (so `NOT` is exact): event rules become
//! `p.id IN (SELECT person_id FROM events ...)`, which SQLite evaluates once
//! per query into an ephemeral index. "Who did E between t0 and t1" reads
//! the `events(name, ts, person_id)` index alone when there are no property
//! filters; the followed-by operators walk `events(person_id, ts)` from each
//! first event; consent looks up `consent(person_id, channel, recorded_at)`.
//!
//! User text (event names, pages, product ids, segment names) only ever
//! reaches SQLite as a bound parameter. The SQL text is built from fixed
//! fragments, column names chosen by enum, and `?` placeholders.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{
    ConsentStatus, CountOp, EventFilter, EventSpec, PropertyValue, RecencyOp, Rule,
    SegmentDefinition, TextMatch, Window, MICROS_PER_DAY,
};

/// A value bound to a `?` placeholder, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Int(i64),
    Text(String),
    Null,
}

/// A compiled segment: `sql` selects `id` (the person) and `consented`
/// (1 when the person's latest consent for the policy's channel is granted,
/// always 1 without a policy) for every person the rule matches at `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledSegment {
    pub sql: String,
    pub params: Vec<Param>,
    /// Whether people with `consented = 0` are left out of the audience.
    pub leave_out_without_consent: bool,
}

impl CompiledSegment {
    /// SQL selecting the audience's person ids (after the consent policy).
    pub fn audience_sql(&self) -> String {
        if self.leave_out_without_consent {
            format!("SELECT id FROM ({}) WHERE consented = 1", self.sql)
        } else {
            format!("SELECT id FROM ({})", self.sql)
        }
    }
}

/// The rules of saved segments that `in_segment` may refer to, by name.
pub type Library = HashMap<String, Rule>;

/// Compiles a definition at the "as of" instant `as_of` (UTC micros).
pub fn compile(
    definition: &SegmentDefinition,
    as_of: i64,
    library: &Library,
) -> Result<CompiledSegment> {
    definition.validate()?;
    let mut c = Compiler {
        as_of,
        params: Vec::new(),
        library,
        stack: vec![definition.name.clone()],
    };
    let consented = match definition.consent {
        Some(policy) => {
            c.params
                .push(Param::Text(policy.channel.as_str().to_string()));
            c.params.push(Param::Int(as_of));
            format!("({} IS 'granted')", LATEST_CONSENT)
        }
        None => "1".to_string(),
    };
    c.params.push(Param::Int(as_of));
    let predicate = c.rule(&definition.rule)?;
    let sql = format!(
        "SELECT p.id AS id, {consented} AS consented FROM people p \
         WHERE (p.first_seen_at IS NULL OR p.first_seen_at < ?) AND {predicate}"
    );
    Ok(CompiledSegment {
        sql,
        params: c.params,
        leave_out_without_consent: definition
            .consent
            .is_some_and(|p| !p.include_without_consent),
    })
}

/// The person's latest consent status for a channel before an instant;
/// binds (channel, as_of). The index on (person_id, channel, recorded_at)
/// gives rows in (recorded_at, id) order, so this is one seek per person.
const LATEST_CONSENT: &str =
    "(SELECT c.status FROM consent c WHERE c.person_id = p.id AND c.channel = ? \
     AND c.recorded_at < ? ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1)";

struct Compiler<'a> {
    as_of: i64,
    params: Vec<Param>,
    library: &'a Library,
    stack: Vec<String>,
}

/// `[start, end)` of event times; `start` None means unbounded.
#[derive(Clone, Copy)]
struct Bounds {
    start: Option<i64>,
    end: i64,
}

impl Compiler<'_> {
    fn int(&mut self, v: i64) -> &'static str {
        self.params.push(Param::Int(v));
        "?"
    }

    fn text(&mut self, v: &str) -> &'static str {
        self.params.push(Param::Text(v.to_string()));
        "?"
    }

    fn list(&mut self, values: &[String]) -> String {
        let marks: Vec<&str> = values.iter().map(|v| self.text(v)).collect();
        marks.join(", ")
    }

    fn bounds(&self, window: &Window) -> Bounds {
        let (start, end) = window.bounds(self.as_of);
        Bounds { start, end }
    }

    fn rule(&mut self, rule: &Rule) -> Result<String> {
        Ok(match rule {
            Rule::All { rules } => self.join(rules, " AND ", "1")?,
            Rule::Any { rules } => self.join(rules, " OR ", "0")?,
            Rule::Not { rule } => format!("(NOT {})", self.rule(rule)?),
            Rule::Did {
                event,
                count,
                window,
            } => {
                let bounds = self.bounds(window);
                match (count.op, count.n) {
                    (CountOp::AtLeast, 0) => "1".to_string(),
                    (CountOp::AtLeast, 1) => {
                        format!("p.id IN ({})", self.who_did(event, bounds, None))
                    }
                    (CountOp::AtLeast, n) => {
                        format!("p.id IN ({})", self.who_did(event, bounds, Some((">=", n))))
                    }
                    (CountOp::AtMost, 0) | (CountOp::Exactly, 0) => {
                        format!("p.id NOT IN ({})", self.who_did(event, bounds, None))
                    }
                    (CountOp::AtMost, n) => {
                        format!(
                            "p.id NOT IN ({})",
                            self.who_did(event, bounds, Some((">", n)))
                        )
                    }
                    (CountOp::Exactly, n) => {
                        format!("p.id IN ({})", self.who_did(event, bounds, Some(("=", n))))
                    }
                }
            }
            Rule::DidNot { event, window } => {
                let bounds = self.bounds(window);
                format!("p.id NOT IN ({})", self.who_did(event, bounds, None))
            }
            Rule::FollowedBy {
                first,
                then,
                within,
                window,
            } => {
                let bounds = self.bounds(window);
                format!(
                    "p.id IN ({})",
                    self.sequence(first, then, Some(within.micros()), bounds, true)
                )
            }
            Rule::NotFollowedBy {
                first,
                then,
                within,
                window,
                none_since,
            } => {
                let mut bounds = self.bounds(window);
                // The waiting time must be over: ts_a + within < as_of.
                bounds.end = bounds.end.min(self.as_of - within.micros());
                // With `none_since`, every later `then` before as_of counts.
                let lookahead = (!none_since).then(|| within.micros());
                format!(
                    "p.id IN ({})",
                    self.sequence(first, then, lookahead, bounds, false)
                )
            }
            Rule::Recency { event, op, days } => {
                let cutoff = self.as_of - i64::from(*days) * MICROS_PER_DAY;
                match op {
                    RecencyOp::WithinLast => {
                        let bounds = Bounds {
                            start: Some(cutoff),
                            end: self.as_of,
                        };
                        format!("p.id IN ({})", self.who_did(event, bounds, None))
                    }
                    RecencyOp::MoreThanAgo => {
                        let bounds = Bounds {
                            start: None,
                            end: self.as_of,
                        };
                        let rows = self.event_rows("e", event, bounds);
                        let cut = self.int(cutoff);
                        format!("p.id IN (SELECT e.person_id FROM events e WHERE {rows} GROUP BY e.person_id HAVING max(e.ts) < {cut})")
                    }
                }
            }
            Rule::Monetary {
                event,
                currency,
                window,
                min_minor,
                max_minor,
            } => {
                let bounds = self.bounds(window);
                let spec = EventSpec::named(event);
                let rows = self.event_rows("e", &spec, bounds);
                let cur = self.text(currency);
                let mut having = Vec::new();
                if let Some(lo) = min_minor {
                    having.push(format!(
                        "coalesce(sum(e.value_minor), 0) >= {}",
                        self.int(*lo)
                    ));
                }
                if let Some(hi) = max_minor {
                    having.push(format!(
                        "coalesce(sum(e.value_minor), 0) <= {}",
                        self.int(*hi)
                    ));
                }
                let with_spend = format!(
                    "p.id IN (SELECT e.person_id FROM events e WHERE {rows} AND e.currency = {cur} \
                     GROUP BY e.person_id HAVING {})",
                    having.join(" AND ")
                );
                let zero_in_range =
                    min_minor.is_none_or(|lo| lo <= 0) && max_minor.is_none_or(|hi| hi >= 0);
                if zero_in_range {
                    let rows = self.event_rows("e", &spec, bounds);
                    let cur = self.text(currency);
                    format!(
                        "({with_spend} OR p.id NOT IN (SELECT e.person_id FROM events e WHERE {rows} AND e.currency = {cur}))"
                    )
                } else {
                    with_spend
                }
            }
            Rule::Person { field, any_of } => {
                format!(
                    "coalesce(p.{} IN ({}), 0)",
                    field.column(),
                    self.list(any_of)
                )
            }
            Rule::PersonProperty { key, equals } => {
                let path = format!("$.\"{key}\"");
                match equals {
                    PropertyValue::Text(value) => {
                        let a = self.text(&path);
                        let b = self.text(&path);
                        let v = self.text(value);
                        format!(
                            "(CASE WHEN json_valid(p.properties) THEN (json_type(p.properties, {a}) IS 'text' \
                             AND json_extract(p.properties, {b}) IS {v}) ELSE 0 END)"
                        )
                    }
                    PropertyValue::Bool(value) => {
                        let a = self.text(&path);
                        let t = self.text(if *value { "true" } else { "false" });
                        format!("(CASE WHEN json_valid(p.properties) THEN (json_type(p.properties, {a}) IS {t}) ELSE 0 END)")
                    }
                }
            }
            Rule::Consent { channel, status } => {
                self.params.push(Param::Text(channel.as_str().to_string()));
                self.params.push(Param::Int(self.as_of));
                self.params.push(match status {
                    ConsentStatus::Granted => Param::Text("granted".into()),
                    ConsentStatus::Denied => Param::Text("denied".into()),
                    ConsentStatus::Unknown => Param::Null,
                });
                format!("({LATEST_CONSENT} IS ?)")
            }
            Rule::InSegment { segment } => {
                if let Some(at) = self.stack.iter().position(|s| s == segment) {
                    let mut path: Vec<String> = self.stack[at..].to_vec();
                    path.push(segment.clone());
                    return Err(Error::Cycle {
                        name: segment.clone(),
                        path: path.join(" → "),
                    });
                }
                let rule = self
                    .library
                    .get(segment)
                    .ok_or_else(|| Error::SegmentNameNotFound(segment.clone()))?;
                self.stack.push(segment.clone());
                let sql = self.rule(rule)?;
                self.stack.pop();
                sql
            }
        })
    }

    fn join(&mut self, rules: &[Rule], op: &str, empty: &str) -> Result<String> {
        if rules.is_empty() {
            return Ok(empty.to_string());
        }
        let parts = rules
            .iter()
            .map(|r| self.rule(r))
            .collect::<Result<Vec<_>>>()?;
        Ok(format!("({})", parts.join(op)))
    }

    /// Person ids with matching events in `bounds`, optionally with a count condition.
    fn who_did(
        &mut self,
        event: &EventSpec,
        bounds: Bounds,
        having: Option<(&str, u32)>,
    ) -> String {
        let rows = self.event_rows("e", event, bounds);
        match having {
            None => format!("SELECT e.person_id FROM events e WHERE {rows}"),
            Some((op, n)) => {
                let n = self.int(i64::from(n));
                format!("SELECT e.person_id FROM events e WHERE {rows} GROUP BY e.person_id HAVING count(*) {op} {n}")
            }
        }
    }

    /// Person ids with a `first` event in `bounds` that is (or is not)
    /// followed by a `then` event within `within` micros, before `as_of`.
    fn sequence(
        &mut self,
        first: &EventSpec,
        then: &EventSpec,
        within: Option<i64>,
        bounds: Bounds,
        followed: bool,
    ) -> String {
        let a = self.event_rows("a", first, bounds);
        let w = match within {
            Some(within) => format!(" AND b.ts <= a.ts + {}", self.int(within)),
            None => String::new(),
        };
        let t = self.int(self.as_of);
        let b = self.event_conditions("b", then);
        let exists = if followed { "EXISTS" } else { "NOT EXISTS" };
        format!(
            "SELECT a.person_id FROM events a WHERE {a} AND {exists} (SELECT 1 FROM events b \
             WHERE b.person_id = a.person_id AND b.ts > a.ts{w} AND b.ts < {t} AND {b})"
        )
    }

    /// Name, time bounds and filters of events aliased `alias`.
    fn event_rows(&mut self, alias: &str, event: &EventSpec, bounds: Bounds) -> String {
        let name = self.text(&event.name);
        let mut sql = format!("{alias}.name = {name}");
        if let Some(start) = bounds.start {
            sql.push_str(&format!(" AND {alias}.ts >= {}", self.int(start)));
        }
        sql.push_str(&format!(" AND {alias}.ts < {}", self.int(bounds.end)));
        for filter in &event.filters {
            sql.push_str(" AND ");
            sql.push_str(&self.filter(alias, filter));
        }
        sql
    }

    /// Name and filters of events aliased `alias`, without time bounds.
    fn event_conditions(&mut self, alias: &str, event: &EventSpec) -> String {
        let name = self.text(&event.name);
        let mut sql = format!("{alias}.name = {name}");
        for filter in &event.filters {
            sql.push_str(" AND ");
            sql.push_str(&self.filter(alias, filter));
        }
        sql
    }

    fn filter(&mut self, alias: &str, filter: &EventFilter) -> String {
        match filter {
            EventFilter::Product { any_of } => format!(
                "{alias}.product_id IN (SELECT id FROM products WHERE external_id IN ({}))",
                self.list(any_of)
            ),
            EventFilter::Category { any_of } => format!(
                "{alias}.product_id IN (SELECT id FROM products WHERE category IN ({}))",
                self.list(any_of)
            ),
            EventFilter::Price {
                min_minor,
                max_minor,
            } => {
                let mut conds = vec!["price_minor IS NOT NULL".to_string()];
                if let Some(lo) = min_minor {
                    conds.push(format!("price_minor >= {}", self.int(*lo)));
                }
                if let Some(hi) = max_minor {
                    conds.push(format!("price_minor <= {}", self.int(*hi)));
                }
                format!(
                    "{alias}.product_id IN (SELECT id FROM products WHERE {})",
                    conds.join(" AND ")
                )
            }
            EventFilter::Page { matches, value } => {
                let v = self.text(value);
                match matches {
                    TextMatch::Equals => format!("{alias}.page = {v}"),
                    TextMatch::StartsWith => format!("instr({alias}.page, {v}) = 1"),
                    TextMatch::Contains => format!("instr({alias}.page, {v}) > 0"),
                }
            }
            EventFilter::Source { any_of } => format!("{alias}.source IN ({})", self.list(any_of)),
            EventFilter::Device { any_of } => {
                let names: Vec<String> = any_of.iter().map(|d| d.as_str().to_string()).collect();
                format!(
                    "{alias}.device_id IN (SELECT id FROM devices WHERE category IN ({}))",
                    self.list(&names)
                )
            }
        }
    }
}
