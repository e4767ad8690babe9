//! Shared test fixtures: a fresh workspace, and writing a reference
//! `Dataset` into it so the engine and the reference see the same rows.

#![allow(dead_code)]

use rebound_core::Workspace;
use rebound_segments::reference::Dataset;
use rebound_segments::{create_segment, Purpose, SegmentDefinition, SCHEMA_VERSION};
use tempfile::TempDir;

pub struct Fixture {
    pub workspace: Workspace,
    _dir: TempDir,
}

pub async fn empty_workspace() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = Workspace::create(&dir.path().join("test.rebound"))
        .await
        .expect("workspace");
    Fixture {
        workspace,
        _dir: dir,
    }
}

pub fn definition(name: &str, rule: rebound_segments::Rule) -> SegmentDefinition {
    SegmentDefinition {
        version: SCHEMA_VERSION,
        name: name.to_string(),
        description: None,
        purpose: Purpose::Retargeting,
        consent: None,
        rule,
    }
}

/// Writes every row of `data` into the workspace, and saves `data.segments`
/// as retargeting segments so `in_segment` finds them.
pub async fn write_dataset(workspace: &Workspace, data: &Dataset) {
    let mut tx = workspace.pool().begin().await.expect("begin");
    for p in &data.people {
        sqlx::query("INSERT INTO people (id, first_seen_at, country, time_zone, locale, properties) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(p.id)
            .bind(p.first_seen_at)
            .bind(&p.country)
            .bind(&p.time_zone)
            .bind(&p.locale)
            .bind(&p.properties)
            .execute(&mut *tx)
            .await
            .expect("insert person");
    }
    for p in &data.products {
        sqlx::query("INSERT INTO products (id, external_id, title, category, price_minor) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(p.id)
            .bind(&p.external_id)
            .bind(format!("Product {}", p.external_id))
            .bind(&p.category)
            .bind(p.price_minor)
            .execute(&mut *tx)
            .await
            .expect("insert product");
    }
    for d in &data.devices {
        sqlx::query(
            "INSERT INTO devices (id, person_id, external_id, category) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(d.id)
        .bind(d.person_id)
        .bind(format!("device-{}", d.id))
        .bind(d.category.as_str())
        .execute(&mut *tx)
        .await
        .expect("insert device");
    }
    for e in &data.events {
        sqlx::query(
            "INSERT INTO events (person_id, ts, name, device_id, product_id, page, source, value_minor, currency) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(e.person_id)
        .bind(e.ts)
        .bind(&e.name)
        .bind(e.device_id)
        .bind(e.product_id)
        .bind(&e.page)
        .bind(&e.source)
        .bind(e.value_minor)
        .bind(&e.currency)
        .execute(&mut *tx)
        .await
        .expect("insert event");
    }
    for c in &data.consent {
        sqlx::query(
            "INSERT INTO consent (id, person_id, channel, status, lawful_basis, source, recorded_at) \
             VALUES (?1, ?2, ?3, ?4, 'consent', 'test', ?5)",
        )
        .bind(c.id)
        .bind(c.person_id)
        .bind(c.channel.as_str())
        .bind(if c.granted { "granted" } else { "denied" })
        .bind(c.recorded_at)
        .execute(&mut *tx)
        .await
        .expect("insert consent");
    }
    tx.commit().await.expect("commit");
    let mut names: Vec<&String> = data.segments.keys().collect();
    names.sort();
    for name in names {
        create_segment(workspace, &definition(name, data.segments[name].clone()), 0)
            .await
            .expect("save library segment");
    }
}
