//! The workspace's history as the dry run reads it: people with their time
//! zone, events and consent ledger, held in memory for the period (plus a
//! look-back for rates and send times, and a look-ahead for conversions).
//! Tests build a `History` by hand; `load_history` reads one from a workspace.

use std::collections::{HashMap, HashSet};

use chrono_tz::Tz;
use rebound_core::Workspace;
use sqlx::Row;

use crate::clock::person_zone;
use crate::error::{Error, Result};
use crate::message::{PersonFields, ProductFields};
use crate::model::{Channel, EventMatch};

#[derive(Debug, Clone, PartialEq)]
pub struct Ev {
    pub ts: i64,
    pub name: String,
    pub page: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsentRow {
    pub channel: Channel,
    pub granted: bool,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct PersonHistory {
    pub id: i64,
    pub zone: Tz,
    pub country: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// Sorted by time.
    pub events: Vec<Ev>,
    /// Sorted by time (ties in ledger order).
    pub consent: Vec<ConsentRow>,
}

impl PersonHistory {
    pub fn new(id: i64, zone: Tz) -> PersonHistory {
        PersonHistory {
            id,
            zone,
            country: None,
            locale: None,
            time_zone: Some(zone.name().to_string()),
            properties: serde_json::Map::new(),
            events: Vec::new(),
            consent: Vec::new(),
        }
    }

    /// Consent for `channel` as of `at`: the latest row recorded before `at`.
    pub fn consent_at(&self, channel: Channel, at: i64) -> bool {
        self.consent
            .iter()
            .rfind(|c| c.channel == channel && c.at < at)
            .is_some_and(|c| c.granted)
    }

    /// The first matching event with `after < ts <= until`.
    pub fn first_event(&self, event: &EventMatch, after: i64, until: i64) -> Option<i64> {
        let start = self.events.partition_point(|e| e.ts <= after);
        self.events[start..]
            .iter()
            .take_while(|e| e.ts <= until)
            .find(|e| event.matches(&e.name, e.page.as_deref()))
            .map(|e| e.ts)
    }

    pub fn count_before(&self, name: &str, before: i64) -> u64 {
        self.events
            .iter()
            .take_while(|e| e.ts < before)
            .filter(|e| e.name == name)
            .count() as u64
    }

    /// A person field or property as text, for `property` conditions.
    pub fn property(&self, key: &str) -> Option<String> {
        match key {
            "country" => self.country.clone(),
            "locale" => self.locale.clone(),
            "time_zone" => Some(self.zone.name().to_string()),
            _ => self.properties.get(key).and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
        }
    }
}

/// Everyone the dry run may look at, by id, and who entered each segment
/// named by a trigger (person, instant).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub people: Vec<PersonHistory>,
    pub segment_entries: HashMap<String, Vec<(i64, i64)>>,
}

/// Events the dry run reads besides those its flows name.
pub const HISTORY_EVENTS: &[&str] = &[
    "purchase",
    "email_send",
    "email_open",
    "email_click",
    "sms_send",
    "sms_click",
    "push_send",
    "push_open",
    "push_click",
    "ad_click",
];

fn parse_channel(s: &str) -> Option<Channel> {
    Some(match s {
        "email" => Channel::Email,
        "sms" => Channel::Sms,
        "push" => Channel::Push,
        "ads" => Channel::Ads,
        _ => return None,
    })
}

/// Reads people, their events named in `event_names` with `since <= ts < until`,
/// and the whole consent ledger.
pub async fn load_history(
    workspace: &Workspace,
    event_names: &HashSet<String>,
    since: i64,
    until: i64,
) -> Result<History> {
    let pool = workspace.pool();
    let rows =
        sqlx::query("SELECT id, country, time_zone, locale, properties FROM people ORDER BY id")
            .fetch_all(pool)
            .await
            .map_err(Error::db("reading people for the dry run"))?;
    let mut people: Vec<PersonHistory> = Vec::with_capacity(rows.len());
    let mut index: HashMap<i64, usize> = HashMap::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.get(0);
        let country: Option<String> = row.get(1);
        let time_zone: Option<String> = row.get(2);
        let properties: String = row.get(4);
        let properties = serde_json::from_str::<serde_json::Value>(&properties)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        index.insert(id, people.len());
        people.push(PersonHistory {
            id,
            zone: person_zone(time_zone.as_deref(), country.as_deref()),
            country,
            locale: row.get(3),
            time_zone,
            properties,
            events: Vec::new(),
            consent: Vec::new(),
        });
    }
    let names: Vec<&String> = event_names.iter().collect();
    if !names.is_empty() {
        let placeholders = (0..names.len())
            .map(|i| format!("?{}", i + 3))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT person_id, ts, name, page FROM events WHERE ts >= ?1 AND ts < ?2 AND name IN ({placeholders}) ORDER BY person_id, ts, id"
        );
        let mut query = sqlx::query(&sql).bind(since).bind(until);
        for n in &names {
            query = query.bind(n.as_str());
        }
        let rows = query
            .fetch_all(pool)
            .await
            .map_err(Error::db("reading events for the dry run"))?;
        for row in rows {
            let person: i64 = row.get(0);
            if let Some(&i) = index.get(&person) {
                people[i].events.push(Ev {
                    ts: row.get(1),
                    name: row.get(2),
                    page: row.get(3),
                });
            }
        }
    }
    let rows = sqlx::query(
        "SELECT person_id, channel, status, recorded_at FROM consent ORDER BY person_id, recorded_at, id",
    )
    .fetch_all(pool)
    .await
    .map_err(Error::db("reading consent for the dry run"))?;
    for row in rows {
        let person: i64 = row.get(0);
        let channel: String = row.get(1);
        let status: String = row.get(2);
        if let (Some(&i), Some(channel)) = (index.get(&person), parse_channel(&channel)) {
            people[i].consent.push(ConsentRow {
                channel,
                granted: status == "granted",
                at: row.get(3),
            });
        }
    }
    Ok(History {
        people,
        segment_entries: HashMap::new(),
    })
}

fn product(row: &sqlx::sqlite::SqliteRow) -> ProductFields {
    let price: Option<i64> = row.get(2);
    let currency: Option<String> = row.get(3);
    ProductFields {
        id: row.get(0),
        title: row.get(1),
        // "199.00 USD" with the currency's own digits; without a currency,
        // the amount alone (two digits, the common case).
        price: price.map(|p| match currency.as_deref() {
            Some(c) => rebound_core::money::plain(p, c),
            None => rebound_core::money::decimal(p, ""),
        }),
        link: row.get(4),
        image_link: row.get(5),
    }
}

async fn last_product(
    workspace: &Workspace,
    person_id: i64,
    event: &str,
    before: i64,
) -> Result<Option<ProductFields>> {
    let row = sqlx::query(
        "SELECT p.external_id, p.title, p.price_minor, p.currency, p.link, p.image_link
         FROM events e JOIN products p ON p.id = e.product_id
         WHERE e.person_id = ?1 AND e.name = ?2 AND e.ts < ?3
         ORDER BY e.ts DESC, e.id DESC LIMIT 1",
    )
    .bind(person_id)
    .bind(event)
    .bind(before)
    .fetch_optional(workspace.pool())
    .await
    .map_err(Error::db("reading a person's products"))?;
    Ok(row.as_ref().map(product))
}

/// What templates can use about a person as of `as_of`.
pub async fn person_fields(
    workspace: &Workspace,
    person_id: i64,
    as_of: i64,
) -> Result<PersonFields> {
    let row = sqlx::query(
        "SELECT first_name, last_name, country, locale, time_zone, properties FROM people WHERE id = ?1",
    )
    .bind(person_id)
    .fetch_optional(workspace.pool())
    .await
    .map_err(Error::db("reading a person"))?
    .ok_or(Error::PersonNotFound(person_id))?;
    let country: Option<String> = row.get(2);
    let time_zone: Option<String> = row.get(4);
    let properties: String = row.get(5);
    Ok(PersonFields {
        person_id,
        first_name: row
            .get::<Option<String>, _>(0)
            .filter(|s| !s.trim().is_empty()),
        last_name: row
            .get::<Option<String>, _>(1)
            .filter(|s| !s.trim().is_empty()),
        time_zone: person_zone(time_zone.as_deref(), country.as_deref())
            .name()
            .to_string(),
        country,
        locale: row.get(3),
        last_viewed: last_product(workspace, person_id, "view_item", as_of).await?,
        cart: last_product(workspace, person_id, "add_to_cart", as_of).await?,
        properties: serde_json::from_str::<serde_json::Value>(&properties)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default(),
    })
}

/// A person to preview messages for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct PreviewPerson {
    #[ts(type = "number")]
    pub person_id: i64,
    pub label: String,
}

/// People worth previewing: the latest to add something to a cart, then anyone.
pub async fn preview_people(workspace: &Workspace, limit: u32) -> Result<Vec<PreviewPerson>> {
    let rows = sqlx::query(
        "SELECT p.id, p.first_name, p.last_name, p.country FROM people p
         JOIN (SELECT person_id, max(ts) AS last FROM events WHERE name = 'add_to_cart' GROUP BY person_id) c ON c.person_id = p.id
         ORDER BY c.last DESC, p.id LIMIT ?1",
    )
    .bind(i64::from(limit))
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("listing people to preview"))?;
    let rows = if rows.is_empty() {
        sqlx::query("SELECT id, first_name, last_name, country FROM people ORDER BY id LIMIT ?1")
            .bind(i64::from(limit))
            .fetch_all(workspace.pool())
            .await
            .map_err(Error::db("listing people to preview"))?
    } else {
        rows
    };
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let first: Option<String> = r.get(1);
            let last: Option<String> = r.get(2);
            let country: Option<String> = r.get(3);
            let name = [first, last]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let name = if name.trim().is_empty() {
                format!("Person {id}")
            } else {
                name
            };
            PreviewPerson {
                person_id: id,
                label: match country {
                    Some(c) => format!("{name} ({c}) · #{id}"),
                    None => format!("{name} · #{id}"),
                },
            }
        })
        .collect())
}
