//! Undoing a whole import, in one transaction.
//!
//! Everything the import wrote is deleted, except rows that later imports (or
//! the demo data) came to depend on: a person another import's events belong
//! to stays, with the ids this import gave them, and is handed to that import;
//! so does a campaign another report refers to. Products this import replaced
//! get their previous version back. The history row stays, marked undone, so
//! the same file can be imported again.

use sqlx::SqliteConnection;

use super::{record, Details, ImportRecord, ImportStatus};
use rebound_core::{Error, Result, Workspace};

async fn exec(conn: &mut SqliteConnection, op: &'static str, sql: &str, id: i64) -> Result<u64> {
    sqlx::query(sql)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
        .map_err(Error::db(op))
}

/// Undoes import `id`; returns its history row, now marked undone.
pub async fn undo(workspace: &Workspace, id: i64) -> Result<ImportRecord> {
    let import = record(workspace, id).await?;
    if import.status == ImportStatus::Undone {
        return Err(Error::InvalidInput(format!(
            "the import of {} (number {id}) was already undone",
            import.file_name
        )));
    }
    let details: String = sqlx::query_scalar("SELECT details FROM imports WHERE id = ?1")
        .bind(id)
        .fetch_one(workspace.pool())
        .await
        .map_err(Error::db("reading the import"))?;
    let details: Details = serde_json::from_str(&details).unwrap_or_default();
    let mut tx = workspace
        .pool()
        .begin()
        .await
        .map_err(Error::db("starting the undo"))?;
    let conn: &mut SqliteConnection = &mut tx;

    // Events first, by the contiguous id range the import wrote. When they
    // are most of the log, the event indexes are set aside and rebuilt from
    // what remains: cheaper than removing a million entries one by one.
    if let Some((first, last)) = details.event_ids {
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(&mut *conn)
            .await
            .map_err(Error::db("counting events"))?;
        let rebuild = (last - first + 1) * 2 >= total && total >= 50_000;
        let indexes: Vec<(String, String)> = if rebuild {
            sqlx::query_as(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL",
            )
            .fetch_all(&mut *conn)
            .await
            .map_err(Error::db("reading the event indexes"))?
        } else {
            Vec::new()
        };
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *conn)
                .await
                .map_err(Error::db("setting the event indexes aside"))?;
        }
        sqlx::query("DELETE FROM events WHERE id BETWEEN ?2 AND ?3 AND import_id = ?1")
            .bind(id)
            .bind(first)
            .bind(last)
            .execute(&mut *conn)
            .await
            .map_err(Error::db("removing the imported events"))?;
        for (_, sql) in &indexes {
            sqlx::query(sql)
                .execute(&mut *conn)
                .await
                .map_err(Error::db("indexing the events"))?;
        }
    }
    for (op, sql) in [
        (
            "removing imported consent",
            "DELETE FROM consent WHERE import_id = ?1",
        ),
        (
            "removing report rows",
            "DELETE FROM report_rows WHERE import_id = ?1",
        ),
        (
            "removing ad metrics",
            "DELETE FROM ad_metrics WHERE import_id = ?1",
        ),
        (
            "removing daily campaign metrics",
            "DELETE FROM campaign_daily_metrics WHERE import_id = ?1",
        ),
        (
            "removing the arms this file added to another file's test",
            "DELETE FROM experiment_variants WHERE import_id = ?1",
        ),
        // A test whose other arm came from another file stays, owned by it.
        (
            "removing this file's arm of a paired test",
            "DELETE FROM experiment_variants WHERE import_id IS NULL AND experiment_id IN
                (SELECT e.id FROM experiments e WHERE e.import_id = ?1 AND EXISTS
                    (SELECT 1 FROM experiment_variants v WHERE v.experiment_id = e.id AND v.import_id IS NOT NULL))",
        ),
        (
            "keeping paired tests",
            "UPDATE experiments SET import_id =
                (SELECT min(v.import_id) FROM experiment_variants v WHERE v.experiment_id = experiments.id)
             WHERE import_id = ?1 AND EXISTS
                (SELECT 1 FROM experiment_variants v WHERE v.experiment_id = experiments.id AND v.import_id IS NOT NULL)",
        ),
        (
            "keeping paired tests",
            "UPDATE experiment_variants SET import_id = NULL
             WHERE import_id IS NOT ?1
               AND import_id = (SELECT e.import_id FROM experiments e WHERE e.id = experiment_variants.experiment_id)",
        ),
        (
            "removing experiments",
            "DELETE FROM experiments WHERE import_id = ?1",
        ),
    ] {
        exec(conn, op, sql, id).await?;
    }

    // Devices other imports' events were seen on stay, owned by the first such import.
    exec(
        conn,
        "keeping devices others use",
        "UPDATE devices SET import_id = o.owner
         FROM (SELECT device_id, min(import_id) AS owner FROM events
               WHERE device_id IN (SELECT id FROM devices WHERE import_id = ?1)
               GROUP BY device_id) o
         WHERE devices.id = o.device_id",
        id,
    )
    .await?;
    exec(
        conn,
        "removing imported devices",
        "DELETE FROM devices WHERE import_id = ?1",
        id,
    )
    .await?;

    // People this import created that others now depend on stay, with their ids.
    exec(
        conn,
        "finding people other imports use",
        "CREATE TEMP TABLE undo_kept AS
         SELECT p.id AS id, coalesce(
             (SELECT e.import_id FROM events e WHERE e.person_id = p.id LIMIT 1),
             (SELECT c.import_id FROM consent c WHERE c.person_id = p.id LIMIT 1),
             (SELECT i.import_id FROM identities i WHERE i.person_id = p.id AND i.import_id IS NOT ?1 LIMIT 1)
         ) AS owner
         FROM people p
         WHERE p.import_id = ?1 AND (
             EXISTS (SELECT 1 FROM events e WHERE e.person_id = p.id)
             OR EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id)
             OR EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id AND i.import_id IS NOT ?1)
             OR EXISTS (SELECT 1 FROM experiment_exposures x WHERE x.person_id = p.id))",
        id,
    )
    .await?;
    exec(
        conn,
        "keeping ids of people others use",
        "UPDATE identities SET import_id = (SELECT owner FROM undo_kept k WHERE k.id = identities.person_id)
         WHERE import_id = ?1 AND person_id IN (SELECT id FROM undo_kept)",
        id,
    )
    .await?;
    exec(
        conn,
        "keeping people others use",
        "UPDATE people SET import_id = (SELECT owner FROM undo_kept k WHERE k.id = people.id)
         WHERE import_id = ?1 AND id IN (SELECT id FROM undo_kept)",
        id,
    )
    .await?;
    sqlx::query("DROP TABLE temp.undo_kept")
        .execute(&mut *conn)
        .await
        .map_err(Error::db("finishing the undo"))?;
    exec(
        conn,
        "removing imported ids",
        "DELETE FROM identities WHERE import_id = ?1",
        id,
    )
    .await?;
    exec(
        conn,
        "removing imported people",
        "DELETE FROM people WHERE import_id = ?1",
        id,
    )
    .await?;

    // Campaigns other reports refer to stay.
    exec(
        conn,
        "keeping campaigns others use",
        "UPDATE campaigns SET import_id = coalesce(
             (SELECT m.import_id FROM ad_metrics m WHERE m.campaign_id = campaigns.id LIMIT 1),
             (SELECT d.import_id FROM campaign_daily_metrics d WHERE d.campaign_id = campaigns.id LIMIT 1))
         WHERE import_id = ?1 AND (
             EXISTS (SELECT 1 FROM ad_metrics m WHERE m.campaign_id = campaigns.id)
             OR EXISTS (SELECT 1 FROM campaign_daily_metrics d WHERE d.campaign_id = campaigns.id))",
        id,
    )
    .await?;
    exec(
        conn,
        "removing imported campaigns",
        "DELETE FROM campaigns WHERE import_id = ?1",
        id,
    )
    .await?;

    // Products: those other events point at stay; replaced ones get their old version back.
    exec(
        conn,
        "keeping products others use",
        "UPDATE products SET import_id = NULL
         WHERE import_id = ?1 AND id IN (SELECT product_id FROM events WHERE product_id IS NOT NULL)",
        id,
    )
    .await?;
    exec(
        conn,
        "restoring replaced products",
        "UPDATE products SET
             title = json_extract(s.data, '$.title'),
             description = json_extract(s.data, '$.description'),
             price_minor = json_extract(s.data, '$.price_minor'),
             currency = json_extract(s.data, '$.currency'),
             availability = json_extract(s.data, '$.availability'),
             link = json_extract(s.data, '$.link'),
             image_link = json_extract(s.data, '$.image_link'),
             brand = json_extract(s.data, '$.brand'),
             category = json_extract(s.data, '$.category'),
             item_group_id = json_extract(s.data, '$.item_group_id'),
             import_id = (SELECT i.id FROM imports i
                          WHERE i.id = json_extract(s.data, '$.import_id') AND i.status = 'complete')
         FROM import_superseded s
         WHERE s.import_id = ?1 AND s.table_name = 'products' AND products.id = s.row_id",
        id,
    )
    .await?;
    exec(
        conn,
        "removing imported products",
        "DELETE FROM products WHERE import_id = ?1",
        id,
    )
    .await?;
    exec(
        conn,
        "forgetting replaced rows",
        "DELETE FROM import_superseded WHERE import_id = ?1",
        id,
    )
    .await?;

    sqlx::query("UPDATE imports SET status = 'undone' WHERE id = ?1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(Error::db("marking the import undone"))?;
    tx.commit().await.map_err(Error::db("saving the undo"))?;
    record(workspace, id).await
}
