//! Time, once: microseconds per unit, UTC calendar days and their bounds, and
//! "the end of the data" — the moment every screen and command defaults to.
//!
//! A workspace of exports is about the past: a REES46 log of October 2019, an
//! ad report of last quarter. Evaluating it "now" shows zeros. So wherever a
//! moment is not given, it defaults to the end of the last UTC day of the data
//! that is read (for rules over events, the last of those events), never to
//! the clock: [`end_of_day`] of [`day_of`] the last event. The clock passed in
//! is used only when there is no data at all.
//!
//! "As of the end of day D" is the instant `D+1 00:00 UTC`: every event of D
//! is seen (`ts < T`), none after it. A segment's as-of day, an audience
//! test's audience day and the default of each both mean this instant.

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::Workspace;
use crate::{Error, Result};

/// Where "now" comes from: the system's clock in the app and the CLI, a fixed
/// instant in tests. The domain never reads the wall clock itself; it asks
/// the clock it was given (a [`crate::Workspace`] carries one).
pub type Clock = fn() -> chrono::DateTime<chrono::Utc>;

/// The wall clock: the one place that reads it.
pub fn system_clock() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

pub const MICROS_PER_SECOND: i64 = 1_000_000;
pub const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
pub const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
pub const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// Start of a UTC calendar day in unix microseconds.
pub fn day_start(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_micros()
}

/// The instant that means "at the end of `day`" (UTC): the start of the next
/// day, so every event of `day` is visible and none after it.
pub fn end_of_day(day: NaiveDate) -> i64 {
    day_start(day) + MICROS_PER_DAY
}

/// The UTC calendar day an instant falls on.
pub fn day_of(ts: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_micros(ts)
        .unwrap_or_default()
        .date_naive()
}

/// The UTC day whose end an as-of instant is: the day before the instant's
/// day when it is exactly midnight (the end of that day), else its own day.
pub fn as_of_day(as_of: i64) -> NaiveDate {
    day_of(as_of - 1)
}

/// The first and last event time (UTC micros) of a set of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: i64,
    pub last: i64,
}

impl Span {
    /// The default "as of": the end of the last day with data.
    pub fn end(&self) -> i64 {
        end_of_day(day_of(self.last))
    }
    pub fn first_day(&self) -> NaiveDate {
        day_of(self.first)
    }
    pub fn last_day(&self) -> NaiveDate {
        day_of(self.last)
    }
}

/// The span of the events with these names, or of every event when `names`
/// is empty; `None` when there are none. Each name costs two seeks of the
/// `(name, ts, person_id)` index, so this is cheap at any size.
pub async fn events_span(workspace: &Workspace, names: &[String]) -> Result<Option<Span>> {
    let names: Vec<String> = if names.is_empty() {
        event_names(workspace).await?
    } else {
        names.to_vec()
    };
    let mut span: Option<Span> = None;
    for name in &names {
        let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT min(ts) FROM events WHERE name = ?1),
                    (SELECT max(ts) FROM events WHERE name = ?1)",
        )
        .bind(name)
        .fetch_one(workspace.pool())
        .await
        .map_err(Error::db("finding where the data ends"))?;
        if let (Some(first), Some(last)) = (first, last) {
            span = Some(match span {
                Some(s) => Span {
                    first: s.first.min(first),
                    last: s.last.max(last),
                },
                None => Span { first, last },
            });
        }
    }
    Ok(span)
}

/// Every distinct event name, read by skipping through the name index (one
/// seek per name) rather than scanning the event log.
pub async fn event_names(workspace: &Workspace) -> Result<Vec<String>> {
    sqlx::query_scalar(
        "WITH RECURSIVE n(name) AS (
             SELECT min(name) FROM events
             UNION ALL
             SELECT (SELECT min(name) FROM events WHERE name > n.name) FROM n WHERE n.name IS NOT NULL
         )
         SELECT name FROM n WHERE name IS NOT NULL",
    )
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("listing event names"))
}

/// The default "as of" for a reader of these events (every event when
/// `names` is empty): the end of their last day, or `now` without any.
pub async fn data_end(workspace: &Workspace, names: &[String], now: i64) -> Result<i64> {
    Ok(events_span(workspace, names)
        .await?
        .map_or(now, |s| s.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_end_of_a_day_is_the_next_midnight_and_maps_back_to_the_day() {
        let d = day("2019-10-01");
        assert_eq!(end_of_day(d), day_start(day("2019-10-02")));
        assert_eq!(as_of_day(end_of_day(d)), d);
        assert_eq!(day_of(end_of_day(d) - 1), d);
        assert_eq!(day_of(end_of_day(d)), day("2019-10-02"));
        // An instant inside a day is "as of" that day.
        assert_eq!(as_of_day(day_start(d) + MICROS_PER_HOUR), d);
    }

    #[test]
    fn a_span_ends_at_the_end_of_its_last_day() {
        let s = Span {
            first: day_start(day("2019-10-01")),
            last: day_start(day("2019-10-01")) + 2 * MICROS_PER_HOUR + 50 * MICROS_PER_MINUTE,
        };
        assert_eq!(s.end(), end_of_day(day("2019-10-01")));
        assert_eq!(s.last_day(), day("2019-10-01"));
    }

    #[tokio::test]
    async fn spans_follow_the_events_read() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("t.rebound"))
            .await
            .unwrap();
        assert_eq!(events_span(&ws, &[]).await.unwrap(), None);
        assert_eq!(data_end(&ws, &[], 42).await.unwrap(), 42);
        sqlx::query("INSERT INTO people (id) VALUES (1)")
            .execute(ws.pool())
            .await
            .unwrap();
        let at = |d: &str, h: i64| day_start(day(d)) + h * MICROS_PER_HOUR;
        for (ts, name) in [
            (at("2019-10-01", 2), "add_to_cart"),
            (at("2019-10-01", 1), "view_item"),
            (at("2025-12-06", 11), "purchase"),
        ] {
            sqlx::query("INSERT INTO events (person_id, ts, name) VALUES (1, ?1, ?2)")
                .bind(ts)
                .bind(name)
                .execute(ws.pool())
                .await
                .unwrap();
        }
        assert_eq!(
            event_names(&ws).await.unwrap(),
            ["add_to_cart", "purchase", "view_item"]
        );
        let carts = events_span(&ws, &["add_to_cart".into()]).await.unwrap();
        assert_eq!(carts.unwrap().last_day(), day("2019-10-01"));
        let all = events_span(&ws, &[]).await.unwrap().unwrap();
        assert_eq!(all.first, at("2019-10-01", 1));
        assert_eq!(all.last_day(), day("2025-12-06"));
        let none = events_span(&ws, &["start_trial".into()]).await.unwrap();
        assert_eq!(none, None);
        assert_eq!(
            data_end(&ws, &["view_item".into()], 0).await.unwrap(),
            end_of_day(day("2019-10-01"))
        );
    }
}
