//! Creative templates in the workspace's `creatives` table, and the folder
//! local product images are looked up in (a workspace setting).
//!
//! Built-in templates are added the first time a workspace's templates are
//! listed (once: a deleted built-in stays deleted): neutral starters in a
//! marketer's own workspace, the demo brand's where the demo data is. Times are
//! passed in by the caller (UTC micros); nothing here reads the clock.

use std::path::PathBuf;

use rebound_core::Workspace;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::template::{demo_templates, starter_templates, TemplateDefinition};

/// A template saved in the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedTemplate {
    #[ts(type = "number")]
    pub id: i64,
    pub definition: TemplateDefinition,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// Set once built-in templates were added (the starters, or the demo brand's
/// in a workspace that had the demo data by then).
const BUILTINS_KEY: &str = "creatives.builtins_added";
/// Set once the demo brand's templates were added.
const DEMO_KEY: &str = "creatives.demo_templates_added";
const IMAGES_KEY: &str = "creatives.images_folder";
const COLUMNS: &str = "id, name, definition, created_at, updated_at";

fn platform_name(format: crate::format::AdFormat) -> &'static str {
    match format.platform() {
        crate::format::Platform::Meta => "meta",
        crate::format::Platform::Google => "google",
    }
}

fn row_to_saved(row: &sqlx::sqlite::SqliteRow) -> Result<SavedTemplate> {
    let json: String = row.get("definition");
    let definition: TemplateDefinition =
        serde_json::from_str(&json).map_err(|e| Error::InvalidTemplate {
            template: row.get("name"),
            field: "saved definition".into(),
            reason: e.to_string(),
        })?;
    Ok(SavedTemplate {
        id: row.get("id"),
        definition,
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

/// Adds the built-in templates once per workspace: the starters, or the demo
/// brand's when the workspace has the demo data (also when it came later).
pub async fn ensure_builtins(workspace: &Workspace, at: i64) -> Result<()> {
    let pool = workspace.pool();
    let set: Vec<String> =
        sqlx::query_scalar("SELECT key FROM workspace_meta WHERE key IN (?1, ?2)")
            .bind(BUILTINS_KEY)
            .bind(DEMO_KEY)
            .fetch_all(pool)
            .await
            .map_err(Error::db("reading the templates setting"))?;
    let has = |key: &str| set.iter().any(|k| k == key);
    if has(DEMO_KEY) {
        return Ok(());
    }
    let demo: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM imports WHERE format = 'demo' AND status = 'complete')",
    )
    .fetch_one(pool)
    .await
    .map_err(Error::db("looking for demo data"))?;
    let (templates, keys): (Vec<TemplateDefinition>, &[&str]) = if demo {
        (demo_templates(), &[BUILTINS_KEY, DEMO_KEY])
    } else if !has(BUILTINS_KEY) {
        (starter_templates(), &[BUILTINS_KEY])
    } else {
        return Ok(());
    };
    let op = "adding the built-in templates";
    let mut tx = pool.begin().await.map_err(Error::db(op))?;
    for t in templates {
        sqlx::query(
            "INSERT INTO creatives (name, platform, format, definition, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(name) DO NOTHING",
        )
        .bind(&t.name)
        .bind(platform_name(t.default_format))
        .bind(t.default_format.id())
        .bind(serde_json::to_string(&t).expect("json"))
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(Error::db(op))?;
    }
    for key in keys {
        sqlx::query(
            "INSERT INTO workspace_meta (key, value) VALUES (?1, 'true')
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .execute(&mut *tx)
        .await
        .map_err(Error::db(op))?;
    }
    tx.commit().await.map_err(Error::db(op))
}

/// All templates, by name (adding the built-ins the first time).
pub async fn list_templates(workspace: &Workspace, at: i64) -> Result<Vec<SavedTemplate>> {
    ensure_builtins(workspace, at).await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM creatives ORDER BY name, id"
    ))
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("listing creative templates"))?;
    rows.iter().map(row_to_saved).collect()
}

pub async fn get_template(workspace: &Workspace, id: i64) -> Result<SavedTemplate> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM creatives WHERE id = ?1"))
        .bind(id)
        .fetch_optional(workspace.pool())
        .await
        .map_err(Error::db("reading a creative template"))?
        .ok_or(Error::TemplateNotFound(id))?;
    row_to_saved(&row)
}

/// A template by name, or by id when `name` is a number.
pub async fn find_template(workspace: &Workspace, name: &str, at: i64) -> Result<SavedTemplate> {
    ensure_builtins(workspace, at).await?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM creatives WHERE name = ?1"))
        .bind(name)
        .fetch_optional(workspace.pool())
        .await
        .map_err(Error::db("reading a creative template"))?;
    match row {
        Some(row) => row_to_saved(&row),
        None => match name.parse::<i64>() {
            Ok(id) => get_template(workspace, id).await,
            Err(_) => Err(Error::TemplateNameNotFound(name.to_string())),
        },
    }
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Saves a new template (`id` none) or replaces a saved one.
pub async fn save_template(
    workspace: &Workspace,
    id: Option<i64>,
    definition: &TemplateDefinition,
    at: i64,
) -> Result<SavedTemplate> {
    definition.validate()?;
    let mut definition = definition.clone();
    definition.name = definition.name.trim().to_string();
    let json = serde_json::to_string(&definition).expect("json");
    let platform = platform_name(definition.default_format);
    let result = match id {
        None => sqlx::query_scalar::<_, i64>(
            "INSERT INTO creatives (name, platform, format, definition, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
        )
        .bind(&definition.name)
        .bind(platform)
        .bind(definition.default_format.id())
        .bind(&json)
        .bind(at)
        .fetch_one(workspace.pool())
        .await
        .map(Some),
        Some(id) => sqlx::query_scalar::<_, i64>(
            "UPDATE creatives SET name = ?1, platform = ?2, format = ?3, definition = ?4, updated_at = ?5
             WHERE id = ?6 RETURNING id",
        )
        .bind(&definition.name)
        .bind(platform)
        .bind(definition.default_format.id())
        .bind(&json)
        .bind(at)
        .bind(id)
        .fetch_optional(workspace.pool())
        .await,
    };
    let saved_id = match result {
        Ok(Some(id)) => id,
        Ok(None) => return Err(Error::TemplateNotFound(id.unwrap_or_default())),
        Err(e) if unique_violation(&e) => return Err(Error::DuplicateName(definition.name)),
        Err(e) => return Err(Error::db("saving a creative template")(e)),
    };
    get_template(workspace, saved_id).await
}

pub async fn delete_template(workspace: &Workspace, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM creatives WHERE id = ?1")
        .bind(id)
        .execute(workspace.pool())
        .await
        .map_err(Error::db("deleting a creative template"))?;
    if done.rows_affected() == 0 {
        return Err(Error::TemplateNotFound(id));
    }
    Ok(())
}

/// The folder local product images are looked up in, if one was chosen.
pub async fn images_folder(workspace: &Workspace) -> Result<Option<PathBuf>> {
    let value = sqlx::query_scalar::<_, String>("SELECT value FROM workspace_meta WHERE key = ?1")
        .bind(IMAGES_KEY)
        .fetch_optional(workspace.pool())
        .await
        .map_err(Error::db("reading the images folder setting"))?;
    Ok(value.filter(|v| !v.is_empty()).map(PathBuf::from))
}

/// Chooses (or with `None`, forgets) the images folder. It must exist.
pub async fn set_images_folder(
    workspace: &Workspace,
    folder: Option<&std::path::Path>,
) -> Result<()> {
    if let Some(folder) = folder {
        if !folder.is_dir() {
            return Err(Error::Io {
                op: "use as the images folder",
                path: folder.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
            });
        }
    }
    let value = folder.map(|f| f.display().to_string()).unwrap_or_default();
    sqlx::query(
        "INSERT INTO workspace_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(IMAGES_KEY)
    .bind(value)
    .execute(workspace.pool())
    .await
    .map_err(Error::db("saving the images folder setting"))?;
    Ok(())
}
