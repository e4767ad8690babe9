//! Saved segments in the workspace's `segments` table, and the JSON file
//! they export to and import from.
//!
//! A segment row holds its name (unique), purpose and the definition JSON.
//! Times are passed in by the caller (UTC micros); nothing here reads the
//! clock. Segments refer to each other by name (`in_segment`), so the JSON
//! file is portable between workspaces. Saving checks that every referenced
//! segment exists and that no reference loops back; a segment another one
//! uses cannot be deleted or renamed.

use std::collections::{HashMap, HashSet};

use rebound_core::Workspace;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::compile::Library;
use crate::error::{Error, Result};
use crate::model::{referenced_segments, Rule, SegmentDefinition, SCHEMA_VERSION};

/// The `format` field of an exported segment file.
pub const FILE_FORMAT: &str = "rebound.segments";

/// A segment saved in the workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SavedSegment {
    #[ts(type = "number")]
    pub id: i64,
    pub definition: SegmentDefinition,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// The export file: `{"format": "rebound.segments", "version": 1, "segments": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SegmentFile {
    pub format: String,
    pub version: u32,
    pub segments: Vec<SegmentDefinition>,
}

fn row_to_saved(row: &sqlx::sqlite::SqliteRow) -> Result<SavedSegment> {
    let id: i64 = row.get("id");
    let json: String = row.get("definition");
    let definition: SegmentDefinition =
        serde_json::from_str(&json).map_err(|e| Error::InvalidRule {
            segment: row.get("name"),
            at: format!("saved definition of segment {id}"),
            reason: e.to_string(),
        })?;
    Ok(SavedSegment {
        id,
        definition,
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

const COLUMNS: &str = "id, name, purpose, definition, created_at, updated_at";

/// All saved segments, by name.
pub async fn list_segments(workspace: &Workspace) -> Result<Vec<SavedSegment>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM segments ORDER BY name, id"))
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("listing segments"))?;
    rows.iter().map(row_to_saved).collect()
}

pub async fn get_segment(workspace: &Workspace, id: i64) -> Result<SavedSegment> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM segments WHERE id = ?1"))
        .bind(id)
        .fetch_optional(workspace.pool())
        .await
        .map_err(Error::db("reading a segment"))?
        .ok_or(Error::SegmentNotFound(id))?;
    row_to_saved(&row)
}

pub async fn get_segment_by_name(workspace: &Workspace, name: &str) -> Result<SavedSegment> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM segments WHERE name = ?1"))
        .bind(name)
        .fetch_optional(workspace.pool())
        .await
        .map_err(Error::db("reading a segment"))?
        .ok_or_else(|| Error::SegmentNameNotFound(name.to_string()))?;
    row_to_saved(&row)
}

pub(crate) async fn rule_by_name(workspace: &Workspace, name: &str) -> Result<Rule> {
    Ok(get_segment_by_name(workspace, name).await?.definition.rule)
}

async fn all_rules(workspace: &Workspace) -> Result<Library> {
    Ok(list_segments(workspace)
        .await?
        .into_iter()
        .map(|s| (s.definition.name, s.definition.rule))
        .collect())
}

/// Checks that the segments in `library` refer only to segments in it, and
/// never back to themselves. Reports the first problem for `names`.
fn check_references(library: &Library, names: &[&str]) -> Result<()> {
    fn visit(
        library: &Library,
        name: &str,
        path: &mut Vec<String>,
        done: &mut HashSet<String>,
    ) -> Result<()> {
        if done.contains(name) {
            return Ok(());
        }
        if let Some(at) = path.iter().position(|p| p == name) {
            let mut cycle = path[at..].to_vec();
            cycle.push(name.to_string());
            return Err(Error::Cycle {
                name: name.to_string(),
                path: cycle.join(" → "),
            });
        }
        let rule = library
            .get(name)
            .ok_or_else(|| Error::SegmentNameNotFound(name.to_string()))?;
        path.push(name.to_string());
        for next in referenced_segments(rule) {
            visit(library, &next, path, done)?;
        }
        path.pop();
        done.insert(name.to_string());
        Ok(())
    }
    let mut done = HashSet::new();
    for name in names {
        visit(library, name, &mut Vec::new(), &mut done)?;
    }
    Ok(())
}

fn to_json(definition: &SegmentDefinition) -> String {
    serde_json::to_string(definition).expect("a segment definition serialises")
}

/// Saves a new segment. `at` is the creation time (UTC micros).
pub async fn create_segment(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    at: i64,
) -> Result<SavedSegment> {
    definition.validate()?;
    let mut library = all_rules(workspace).await?;
    if library.contains_key(&definition.name) {
        return Err(Error::DuplicateName(definition.name.clone()));
    }
    library.insert(definition.name.clone(), definition.rule.clone());
    check_references(&library, &[&definition.name])?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO segments (name, purpose, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
    )
    .bind(&definition.name)
    .bind(definition.purpose.as_str())
    .bind(to_json(definition))
    .bind(at)
    .fetch_one(workspace.pool())
    .await
    .map_err(|e| unique_or(e, &definition.name, "saving a segment"))?;
    Ok(SavedSegment {
        id,
        definition: definition.clone(),
        created_at: at,
        updated_at: at,
    })
}

fn unique_or(error: sqlx::Error, name: &str, op: &'static str) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            Error::DuplicateName(name.to_string())
        }
        _ => Error::Database { op, source: error },
    }
}

/// Names of saved segments (other than `except`) whose rules use `name`.
fn users_of(library: &Library, name: &str, except: &str) -> Vec<String> {
    let mut users: Vec<String> = library
        .iter()
        .filter(|(n, rule)| {
            n.as_str() != except && referenced_segments(rule).iter().any(|r| r == name)
        })
        .map(|(n, _)| n.clone())
        .collect();
    users.sort();
    users
}

/// Replaces a saved segment's definition. `at` is the update time.
/// Renaming a segment that others use is refused.
pub async fn update_segment(
    workspace: &Workspace,
    id: i64,
    definition: &SegmentDefinition,
    at: i64,
) -> Result<SavedSegment> {
    definition.validate()?;
    let old = get_segment(workspace, id).await?;
    let mut library = all_rules(workspace).await?;
    let old_name = old.definition.name.clone();
    if old_name != definition.name {
        if library.contains_key(&definition.name) {
            return Err(Error::DuplicateName(definition.name.clone()));
        }
        let users = users_of(&library, &old_name, &old_name);
        if !users.is_empty() {
            return Err(Error::InUse {
                op: "rename",
                name: old_name,
                used_by: users.join(", "),
            });
        }
        library.remove(&old_name);
    }
    library.insert(definition.name.clone(), definition.rule.clone());
    check_references(&library, &[&definition.name])?;
    sqlx::query("UPDATE segments SET name = ?1, purpose = ?2, definition = ?3, updated_at = ?4 WHERE id = ?5")
        .bind(&definition.name)
        .bind(definition.purpose.as_str())
        .bind(to_json(definition))
        .bind(at)
        .bind(id)
        .execute(workspace.pool())
        .await
        .map_err(|e| unique_or(e, &definition.name, "updating a segment"))?;
    Ok(SavedSegment {
        id,
        definition: definition.clone(),
        created_at: old.created_at,
        updated_at: at,
    })
}

/// Deletes a saved segment; refused while another segment uses it.
pub async fn delete_segment(workspace: &Workspace, id: i64) -> Result<()> {
    let old = get_segment(workspace, id).await?;
    let library = all_rules(workspace).await?;
    let name = old.definition.name;
    let users = users_of(&library, &name, &name);
    if !users.is_empty() {
        return Err(Error::InUse {
            op: "delete",
            name,
            used_by: users.join(", "),
        });
    }
    sqlx::query("DELETE FROM segments WHERE id = ?1")
        .bind(id)
        .execute(workspace.pool())
        .await
        .map_err(Error::db("deleting a segment"))?;
    Ok(())
}

/// The export file for these definitions, pretty-printed.
pub fn export_json(definitions: &[SegmentDefinition]) -> String {
    let file = SegmentFile {
        format: FILE_FORMAT.to_string(),
        version: SCHEMA_VERSION,
        segments: definitions.to_vec(),
    };
    serde_json::to_string_pretty(&file).expect("a segment file serialises")
}

/// Reads and validates an export file: its format and version, the shape of
/// every definition (unknown fields are refused), and each definition's
/// rules. References between segments are checked on import.
pub fn parse_export(json: &str) -> Result<Vec<SegmentDefinition>> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        Error::ImportFormat(format!(
            "it is not JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FILE_FORMAT) => {}
        Some(other) => {
            return Err(Error::ImportFormat(format!(
                "its format is {other:?}, expected {FILE_FORMAT:?}"
            )));
        }
        None => {
            return Err(Error::ImportFormat(format!(
                "it has no \"format\": {FILE_FORMAT:?} field"
            )))
        }
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v >= 1 && v <= u64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(Error::ImportFormat(format!(
                "it is version {v}; this Rebound reads segment files up to version {SCHEMA_VERSION}"
            )))
        }
        None => {
            return Err(Error::ImportFormat(
                "it has no numeric \"version\" field".into(),
            ))
        }
    }
    let segments = value
        .get("segments")
        .and_then(|s| s.as_array())
        .ok_or_else(|| Error::ImportFormat("it has no \"segments\" list".into()))?;
    let mut out = Vec::with_capacity(segments.len());
    let mut seen = HashSet::new();
    for (i, raw) in segments.iter().enumerate() {
        let label = raw
            .get("name")
            .and_then(|n| n.as_str())
            .map(|n| format!("segment {} ({n:?})", i + 1))
            .unwrap_or_else(|| format!("segment {}", i + 1));
        let definition: SegmentDefinition = serde_json::from_value(raw.clone())
            .map_err(|e| Error::ImportFormat(format!("{label}: {e}")))?;
        let canonical = serde_json::to_value(&definition).expect("a segment definition serialises");
        if let Some(path) = unknown_field(raw, &canonical, "") {
            return Err(Error::ImportFormat(format!(
                "{label}: unknown field {path}"
            )));
        }
        definition.validate()?;
        if !seen.insert(definition.name.clone()) {
            return Err(Error::ImportFormat(format!(
                "{label}: the name appears twice in the file"
            )));
        }
        out.push(definition);
    }
    let file_keys: HashSet<&str> = value
        .as_object()
        .map(|o| o.keys().map(|k| k.as_str()).collect())
        .unwrap_or_default();
    if let Some(extra) = file_keys
        .iter()
        .find(|k| !["format", "version", "segments"].contains(k))
    {
        return Err(Error::ImportFormat(format!(
            "unknown field {extra:?} at the top level"
        )));
    }
    Ok(out)
}

/// The first field of `input` that did not survive a round trip through the
/// rule types (a misspelt or unknown field), as a dotted path. Null and empty
/// list values are what omitted optional fields read as, so they pass.
fn unknown_field(
    input: &serde_json::Value,
    canonical: &serde_json::Value,
    path: &str,
) -> Option<String> {
    use serde_json::Value;
    match (input, canonical) {
        (Value::Object(given), Value::Object(kept)) => given.iter().find_map(|(key, value)| {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match kept.get(key) {
                Some(kept_value) => unknown_field(value, kept_value, &here),
                None if value.is_null() || value.as_array().is_some_and(|a| a.is_empty()) => None,
                None => Some(here),
            }
        }),
        (Value::Array(given), Value::Array(kept)) => given
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(i, (g, k))| unknown_field(g, k, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// Imports an export file into the workspace in one transaction: all of its
/// segments are saved, or none. Names already in the workspace are refused.
pub async fn import_segments(
    workspace: &Workspace,
    json: &str,
    at: i64,
) -> Result<Vec<SavedSegment>> {
    let definitions = parse_export(json)?;
    let mut library = all_rules(workspace).await?;
    for d in &definitions {
        if library.contains_key(&d.name) {
            return Err(Error::DuplicateName(d.name.clone()));
        }
    }
    let new: HashMap<String, Rule> = definitions
        .iter()
        .map(|d| (d.name.clone(), d.rule.clone()))
        .collect();
    library.extend(new);
    let names: Vec<&str> = definitions.iter().map(|d| d.name.as_str()).collect();
    check_references(&library, &names)?;
    let mut tx = workspace
        .pool()
        .begin()
        .await
        .map_err(Error::db("starting the segment import"))?;
    let mut saved = Vec::with_capacity(definitions.len());
    for d in definitions {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO segments (name, purpose, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
        )
        .bind(&d.name)
        .bind(d.purpose.as_str())
        .bind(to_json(&d))
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_or(e, &d.name, "importing a segment"))?;
        saved.push(SavedSegment {
            id,
            definition: d,
            created_at: at,
            updated_at: at,
        });
    }
    tx.commit()
        .await
        .map_err(Error::db("saving the imported segments"))?;
    Ok(saved)
}

/// Writes the saved segments with these ids (all of them when `ids` is
/// empty) to an export file at `path`; returns how many were written.
pub async fn export_file(
    workspace: &Workspace,
    ids: &[i64],
    path: &std::path::Path,
) -> Result<usize> {
    let mut definitions = Vec::new();
    if ids.is_empty() {
        definitions.extend(
            list_segments(workspace)
                .await?
                .into_iter()
                .map(|s| s.definition),
        );
    } else {
        for id in ids {
            definitions.push(get_segment(workspace, *id).await?.definition);
        }
    }
    std::fs::write(path, export_json(&definitions)).map_err(|source| Error::Io {
        op: "write",
        path: path.to_path_buf(),
        source,
    })?;
    Ok(definitions.len())
}

/// Reads an export file from `path` and imports it (see [`import_segments`]).
pub async fn import_file(
    workspace: &Workspace,
    path: &std::path::Path,
    at: i64,
) -> Result<Vec<SavedSegment>> {
    let json = std::fs::read_to_string(path).map_err(|source| Error::Io {
        op: "read",
        path: path.to_path_buf(),
        source,
    })?;
    import_segments(workspace, &json, at).await
}
