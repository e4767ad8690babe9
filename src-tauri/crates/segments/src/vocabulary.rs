//! What the rule builder's pickers offer: the event names, categories,
//! sources, countries, currencies and person property keys the workspace
//! actually holds, and the days its events span (so "as of" can default to
//! the end of the data rather than today for an old import).
//!
//! Lists are capped; the builder still accepts values typed by hand.

use rebound_core::{names, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};

const MAX_VALUES: i64 = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NamedCount {
    pub name: String,
    #[ts(type = "number")]
    pub count: u64,
}

/// A category as rules store it (`value`, what the export wrote) and as the
/// picker shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CategoryChoice {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProductChoice {
    pub external_id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SegmentVocabulary {
    /// Event names with how many events each has, most frequent first.
    pub event_names: Vec<NamedCount>,
    /// Product categories, the most products first.
    pub categories: Vec<CategoryChoice>,
    /// Up to 200 products, by title.
    pub products: Vec<ProductChoice>,
    pub sources: Vec<String>,
    pub countries: Vec<String>,
    pub currencies: Vec<String>,
    /// Keys of `people.properties` seen on the first 1,000 people.
    pub property_keys: Vec<String>,
    /// `YYYY-MM-DD` (UTC) of the first and last event, if any.
    #[ts(optional)]
    pub first_event_day: Option<String>,
    #[ts(optional)]
    pub last_event_day: Option<String>,
}

async fn strings(workspace: &Workspace, sql: &str) -> Result<Vec<String>> {
    sqlx::query_scalar(sql)
        .bind(MAX_VALUES)
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("listing values for the rule builder"))
}

pub async fn vocabulary(workspace: &Workspace) -> Result<SegmentVocabulary> {
    let op = "listing values for the rule builder";
    let pool = workspace.pool();
    let event_names = sqlx::query(
        "SELECT name, count(*) AS n FROM events GROUP BY name ORDER BY n DESC, name LIMIT ?1",
    )
    .bind(MAX_VALUES)
    .fetch_all(pool)
    .await
    .map_err(Error::db(op))?
    .iter()
    .map(|r| NamedCount {
        name: r.get(0),
        count: r.get::<i64, _>(1) as u64,
    })
    .collect();
    let products =
        sqlx::query("SELECT external_id, title FROM products ORDER BY title, external_id LIMIT ?1")
            .bind(MAX_VALUES)
            .fetch_all(pool)
            .await
            .map_err(Error::db(op))?
            .iter()
            .map(|r| ProductChoice {
                external_id: r.get(0),
                title: r.get(1),
            })
            .collect();
    let range = sqlx::query(
        "SELECT date(min(ts) / 1000000, 'unixepoch'), date(max(ts) / 1000000, 'unixepoch') FROM events",
    )
    .fetch_one(pool)
    .await
    .map_err(Error::db(op))?;
    let mut property_keys = strings(
        workspace,
        "SELECT DISTINCT j.key FROM (SELECT properties FROM people ORDER BY id LIMIT 1000) p, \
         json_each(CASE WHEN json_valid(p.properties) AND json_type(p.properties) = 'object' \
         THEN p.properties ELSE '{}' END) j ORDER BY j.key LIMIT ?1",
    )
    .await?;
    property_keys.retain(|k| k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    Ok(SegmentVocabulary {
        event_names,
        categories: strings(
            workspace,
            "SELECT category FROM products WHERE category IS NOT NULL \
             GROUP BY category ORDER BY count(*) DESC, category LIMIT ?1",
        )
        .await?
        .into_iter()
        .map(|value| CategoryChoice {
            label: names::category_label(&value),
            value,
        })
        .collect(),
        products,
        sources: strings(
            workspace,
            "SELECT source FROM sessions WHERE source IS NOT NULL GROUP BY source \
             ORDER BY count(*) DESC, source LIMIT ?1",
        )
        .await?,
        countries: strings(
            workspace,
            "SELECT country FROM people WHERE country IS NOT NULL GROUP BY country \
             ORDER BY count(*) DESC, country LIMIT ?1",
        )
        .await?,
        currencies: strings(
            workspace,
            "SELECT currency FROM events WHERE name = 'purchase' AND currency IS NOT NULL \
             GROUP BY currency ORDER BY count(*) DESC, currency LIMIT ?1",
        )
        .await?,
        property_keys,
        first_event_day: range.get(0),
        last_event_day: range.get(1),
    })
}
