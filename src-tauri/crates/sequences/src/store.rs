//! Flows saved in the workspace's `sequences` table (name unique, status,
//! the flow JSON), the workspace's sending rules (`sequence_rules`), and the
//! JSON file a flow exports to: `{"format": "rebound.sequence", "version": 1, "flow": {...}}`.
//! Times are passed in (UTC micros); nothing here reads the clock.

use rebound_core::Workspace;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Flow, SCHEMA_VERSION};
use crate::rules::SendingRules;

pub const FILE_FORMAT: &str = "rebound.sequence";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FlowStatus {
    Draft,
    Active,
    Paused,
    Archived,
}

impl FlowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowStatus::Draft => "draft",
            FlowStatus::Active => "active",
            FlowStatus::Paused => "paused",
            FlowStatus::Archived => "archived",
        }
    }

    fn parse(s: &str) -> FlowStatus {
        match s {
            "active" => FlowStatus::Active,
            "paused" => FlowStatus::Paused,
            "archived" => FlowStatus::Archived,
            _ => FlowStatus::Draft,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SavedFlow {
    #[ts(type = "number")]
    pub id: i64,
    pub status: FlowStatus,
    pub flow: Flow,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

fn row_to_saved(row: &sqlx::sqlite::SqliteRow) -> Result<SavedFlow> {
    let id: i64 = row.get("id");
    let json: String = row.get("definition");
    let flow: Flow = serde_json::from_str(&json).map_err(|e| Error::InvalidFlow {
        flow: row.get("name"),
        at: format!("saved definition of flow {id}"),
        reason: e.to_string(),
    })?;
    Ok(SavedFlow {
        id,
        status: FlowStatus::parse(row.get::<String, _>("status").as_str()),
        flow,
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

const COLUMNS: &str = "id, name, status, definition, created_at, updated_at";

pub async fn list_flows(workspace: &Workspace) -> Result<Vec<SavedFlow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM sequences ORDER BY name, id"
    ))
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("listing flows"))?;
    rows.iter().map(row_to_saved).collect()
}

pub async fn get_flow(workspace: &Workspace, id: i64) -> Result<SavedFlow> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM sequences WHERE id = ?1"))
        .bind(id)
        .fetch_optional(workspace.pool())
        .await
        .map_err(Error::db("reading a flow"))?
        .ok_or(Error::FlowNotFound(id))?;
    row_to_saved(&row)
}

fn unique_or(error: sqlx::Error, name: &str, op: &'static str) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            Error::DuplicateName(name.to_string())
        }
        _ => Error::Database { op, source: error },
    }
}

/// Saves a new flow (`id` None) or replaces a saved one.
pub async fn save_flow(
    workspace: &Workspace,
    id: Option<i64>,
    flow: &Flow,
    status: FlowStatus,
    at: i64,
) -> Result<SavedFlow> {
    flow.validate()?;
    let json = serde_json::to_string(flow).expect("a flow serialises");
    match id {
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sequences (name, status, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
            )
            .bind(&flow.name)
            .bind(status.as_str())
            .bind(&json)
            .bind(at)
            .fetch_one(workspace.pool())
            .await
            .map_err(|e| unique_or(e, &flow.name, "saving a flow"))?;
            Ok(SavedFlow {
                id,
                status,
                flow: flow.clone(),
                created_at: at,
                updated_at: at,
            })
        }
        Some(id) => {
            let old = get_flow(workspace, id).await?;
            sqlx::query("UPDATE sequences SET name = ?1, status = ?2, definition = ?3, updated_at = ?4 WHERE id = ?5")
                .bind(&flow.name)
                .bind(status.as_str())
                .bind(&json)
                .bind(at)
                .bind(id)
                .execute(workspace.pool())
                .await
                .map_err(|e| unique_or(e, &flow.name, "updating a flow"))?;
            Ok(SavedFlow {
                id,
                status,
                flow: flow.clone(),
                created_at: old.created_at,
                updated_at: at,
            })
        }
    }
}

pub async fn delete_flow(workspace: &Workspace, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM sequences WHERE id = ?1")
        .bind(id)
        .execute(workspace.pool())
        .await
        .map_err(Error::db("deleting a flow"))?;
    if done.rows_affected() == 0 {
        return Err(Error::FlowNotFound(id));
    }
    Ok(())
}

/// The workspace's sending rules; the defaults until some are saved.
pub async fn get_rules(workspace: &Workspace) -> Result<SendingRules> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT definition FROM sequence_rules WHERE id = 1")
            .fetch_optional(workspace.pool())
            .await
            .map_err(Error::db("reading the sending rules"))?;
    match json {
        None => Ok(SendingRules::default()),
        Some(j) => serde_json::from_str(&j)
            .map_err(|e| Error::InvalidRules(format!("the saved rules cannot be read: {e}"))),
    }
}

pub async fn save_rules(workspace: &Workspace, rules: &SendingRules, at: i64) -> Result<()> {
    rules.validate()?;
    sqlx::query(
        "INSERT INTO sequence_rules (id, definition, updated_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
    )
    .bind(serde_json::to_string(rules).expect("rules serialise"))
    .bind(at)
    .execute(workspace.pool())
    .await
    .map_err(Error::db("saving the sending rules"))?;
    Ok(())
}

/// The export file of one flow, pretty-printed.
pub fn export_json(flow: &Flow) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "format": FILE_FORMAT,
        "version": SCHEMA_VERSION,
        "flow": flow,
    }))
    .expect("a flow serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;

    #[tokio::test]
    async fn flows_and_rules_round_trip_through_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.rebound"))
            .await
            .unwrap();
        let flow = templates::abandoned_cart();
        let saved = save_flow(&ws, None, &flow, FlowStatus::Draft, 10)
            .await
            .unwrap();
        assert_eq!(get_flow(&ws, saved.id).await.unwrap().flow, flow);
        let err = save_flow(&ws, None, &flow, FlowStatus::Draft, 11)
            .await
            .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::AlreadyExists);
        let mut renamed = flow.clone();
        renamed.name = "Cart v2".into();
        let updated = save_flow(&ws, Some(saved.id), &renamed, FlowStatus::Active, 12)
            .await
            .unwrap();
        assert_eq!((updated.created_at, updated.updated_at), (10, 12));
        let all = list_flows(&ws).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].status, FlowStatus::Active);
        delete_flow(&ws, saved.id).await.unwrap();
        assert_eq!(
            delete_flow(&ws, saved.id).await.unwrap_err().code(),
            rebound_core::ErrorCode::FlowNotFound
        );

        assert_eq!(get_rules(&ws).await.unwrap(), SendingRules::default());
        let mut rules = SendingRules {
            send_time_optimisation: true,
            quiet_hours: None,
            ..SendingRules::default()
        };
        save_rules(&ws, &rules, 13).await.unwrap();
        assert_eq!(get_rules(&ws).await.unwrap(), rules);
        rules.caps[0].per_days = 0;
        assert_eq!(
            save_rules(&ws, &rules, 14).await.unwrap_err().code(),
            rebound_core::ErrorCode::InvalidRules
        );
        ws.close().await;
    }

    #[test]
    fn export_file_reads_back() {
        let flow = templates::pricing_page_journey();
        let json = export_json(&flow);
        assert_eq!(crate::model::parse_flow(&json, "x.json").unwrap(), flow);
        let wrong = json.replace(FILE_FORMAT, "rebound.segments");
        assert!(crate::model::parse_flow(&wrong, "x.json")
            .unwrap_err()
            .to_string()
            .contains("rebound.segments"));
    }
}
