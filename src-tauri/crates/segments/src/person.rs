//! One person as the segment editor shows them: who they are (every id and
//! device stitched to them) and one timeline of everything they did, on every
//! device, newest first.
//!
//! The timeline is not cut at an "as of" instant: it is the person's whole
//! recorded history, so a marketer can see what happened after the segment's
//! evaluation date too. Events are paged (`offset`, `limit`).

use rebound_core::{names, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};

/// Longest page of events one call returns.
pub const MAX_TIMELINE_PAGE: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonIdentity {
    /// `visitor_id`, `user_id`, `email_sha256`, `phone_sha256`, `customer_id` or `device_id`.
    pub kind: String,
    pub value: String,
    #[ts(optional, type = "number")]
    pub first_seen_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonDevice {
    #[ts(type = "number")]
    pub id: i64,
    pub external_id: String,
    /// `desktop`, `mobile`, `tablet` or `other`.
    pub category: String,
    #[ts(optional)]
    pub os: Option<String>,
    #[ts(optional)]
    pub browser: Option<String>,
    #[ts(optional, type = "number")]
    pub first_seen_at: Option<i64>,
    /// Events recorded on this device.
    #[ts(type = "number")]
    pub events: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TimelineEvent {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub ts: i64,
    pub name: String,
    #[ts(optional, type = "number")]
    pub device_id: Option<i64>,
    #[ts(optional)]
    pub device_category: Option<String>,
    #[ts(optional)]
    pub product_id: Option<String>,
    #[ts(optional)]
    pub product_title: Option<String>,
    /// The product's category as a marketer reads it; none for a bare id.
    #[ts(optional)]
    pub category: Option<String>,
    #[ts(optional)]
    pub page: Option<String>,
    #[ts(optional)]
    pub source: Option<String>,
    #[ts(optional, type = "number")]
    pub value_minor: Option<i64>,
    #[ts(optional)]
    pub currency: Option<String>,
}

/// A person, their ids and devices, and one page of their events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonTimeline {
    #[ts(type = "number")]
    pub person_id: i64,
    #[ts(optional)]
    pub first_name: Option<String>,
    #[ts(optional)]
    pub last_name: Option<String>,
    #[ts(optional)]
    pub country: Option<String>,
    #[ts(optional)]
    pub time_zone: Option<String>,
    #[ts(optional)]
    pub locale: Option<String>,
    #[ts(optional, type = "number")]
    pub first_seen_at: Option<i64>,
    #[ts(optional, type = "number")]
    pub last_seen_at: Option<i64>,
    /// `people.properties`, as stored (a JSON object).
    pub properties: String,
    pub identities: Vec<PersonIdentity>,
    pub devices: Vec<PersonDevice>,
    /// All of the person's events, on every device.
    #[ts(type = "number")]
    pub total_events: u64,
    #[ts(type = "number")]
    pub offset: u64,
    /// Newest first.
    pub events: Vec<TimelineEvent>,
}

/// The person with `person_id` and events `offset..offset + limit` of their
/// timeline (newest first; ties by event id, newest row first).
pub async fn person_timeline(
    workspace: &Workspace,
    person_id: i64,
    offset: u64,
    limit: u32,
) -> Result<PersonTimeline> {
    let pool = workspace.pool();
    let op = "reading a person's timeline";
    let person = sqlx::query(
        "SELECT first_name, last_name, country, time_zone, locale, first_seen_at, last_seen_at, \
         properties FROM people WHERE id = ?1",
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await
    .map_err(Error::db(op))?
    .ok_or(Error::PersonNotFound(person_id))?;
    let identities = sqlx::query(
        "SELECT kind, value, first_seen_at FROM identities WHERE person_id = ?1 ORDER BY kind, id",
    )
    .bind(person_id)
    .fetch_all(pool)
    .await
    .map_err(Error::db(op))?
    .iter()
    .map(|r| PersonIdentity {
        kind: r.get(0),
        value: r.get(1),
        first_seen_at: r.get(2),
    })
    .collect();
    let devices = sqlx::query(
        "SELECT d.id, d.external_id, d.category, d.os, d.browser, d.first_seen_at, \
         (SELECT count(*) FROM events e WHERE e.person_id = d.person_id AND e.device_id = d.id) \
         FROM devices d WHERE d.person_id = ?1 ORDER BY d.first_seen_at, d.id",
    )
    .bind(person_id)
    .fetch_all(pool)
    .await
    .map_err(Error::db(op))?
    .iter()
    .map(|r| PersonDevice {
        id: r.get(0),
        external_id: r.get(1),
        category: r.get(2),
        os: r.get(3),
        browser: r.get(4),
        first_seen_at: r.get(5),
        events: r.get::<i64, _>(6) as u64,
    })
    .collect();
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE person_id = ?1")
        .bind(person_id)
        .fetch_one(pool)
        .await
        .map_err(Error::db(op))?;
    let events = sqlx::query(
        "SELECT e.id, e.ts, e.name, e.device_id, d.category, pr.external_id, pr.title, \
         pr.category, e.page, e.source, e.value_minor, e.currency \
         FROM events e LEFT JOIN devices d ON d.id = e.device_id \
         LEFT JOIN products pr ON pr.id = e.product_id \
         WHERE e.person_id = ?1 ORDER BY e.ts DESC, e.id DESC LIMIT ?2 OFFSET ?3",
    )
    .bind(person_id)
    .bind(i64::from(limit.min(MAX_TIMELINE_PAGE)))
    .bind(offset.min(i64::MAX as u64) as i64)
    .fetch_all(pool)
    .await
    .map_err(Error::db(op))?
    .iter()
    .map(|r| TimelineEvent {
        id: r.get(0),
        ts: r.get(1),
        name: r.get(2),
        device_id: r.get(3),
        device_category: r.get(4),
        product_id: r.get(5),
        product_title: r.get(6),
        category: r
            .get::<Option<String>, _>(7)
            .as_deref()
            .and_then(names::category_name),
        page: r.get(8),
        source: r.get(9),
        value_minor: r.get(10),
        currency: r.get(11),
    })
    .collect();
    Ok(PersonTimeline {
        person_id,
        first_name: person.get(0),
        last_name: person.get(1),
        country: person.get(2),
        time_zone: person.get(3),
        locale: person.get(4),
        first_seen_at: person.get(5),
        last_seen_at: person.get(6),
        properties: person.get(7),
        identities,
        devices,
        total_events: total as u64,
        offset,
        events,
    })
}
