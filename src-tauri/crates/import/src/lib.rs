//! Importing marketers' export files into the workspace.
//!
//! [`inspect`] says what a file is (with the evidence) before anything is
//! written. [`run`] streams it: a blocking thread reads and parses the file
//! (rebound-formats) and hands records over a bounded channel to the writer,
//! which stores them inside one transaction. Memory stays bounded by the
//! channel and the id maps, never by the file.
//!
//! Architecture Invariant: an import lands whole or not at all. Everything it
//! writes, including its row in `imports`, is in one transaction; a cancel, an
//! error, a crash or `kill -9` leaves the workspace as it was.
//!
//! Architecture Invariant: `rows_read = rows_imported + rows_rejected`. Rows the
//! parser accepts but the writer cannot store (an event with no id to tie it to
//! a person) are moved from imported to rejected with their reason.
//!
//! Architecture Invariant: the same bytes are imported once. The SHA-256 of the
//! file is checked before parsing; a complete import with that hash is reported
//! back instead of being doubled. An undone import can be imported again and
//! reuses its history row.

mod identity;
pub mod reports;
mod types;
mod undo;
pub(crate) mod writer;

use std::io::{BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rebound_formats::{self as formats, ColumnMapping, Format, ParseOptions, Record, Rejection};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row as _;

use rebound_core::progress::{CancelToken, OnProgress, Progress};
use rebound_core::{Error, Result, Workspace};

pub use identity::{email_sha256, phone_sha256};
pub use types::*;
pub use undo::undo;

/// Rows of a file shown before importing it.
pub const PREVIEW_ROWS: usize = 12;
/// Raw first lines of a file shown before importing it.
const PREVIEW_LINES: usize = 12;
/// Records per message from the parser thread to the writer.
const CHANNEL_BATCH: usize = 2048;
/// Messages in flight: bounds memory to about this many batches.
const CHANNEL_DEPTH: usize = 4;
/// Rejections returned with an outcome; the rest are paged by [`rejections`].
const OUTCOME_REJECTIONS: usize = 50;
/// How often progress is reported.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// Currency for files that state none (REES46 prices are US dollars).
const FALLBACK_CURRENCY: &str = "USD";

/// A conservative size of one event row in an export, to guess row counts.
const BYTES_PER_EVENT_ROW: u64 = 200;

fn is_event_log(format: Format) -> bool {
    matches!(
        format,
        Format::Rees46Events
            | Format::RetailrocketEvents
            | Format::Ga4BigQueryNdjson
            | Format::GenericCsv
            | Format::GenericJsonl
    )
}

/// Formats a person may choose when overriding detection: all but the
/// container (XLSX is read as the format of its first sheet) and "unknown".
pub fn choosable() -> impl Iterator<Item = Format> {
    Format::ALL
        .into_iter()
        .filter(|f| !matches!(f, Format::Xlsx | Format::Unknown))
}

/// The stable name of a format in the database and in `--format`.
pub fn format_key(format: Format) -> String {
    serde_json::to_value(format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Reads `--format` and stored names back.
pub fn parse_format_key(key: &str) -> Option<Format> {
    serde_json::from_value(serde_json::Value::String(key.trim().to_string())).ok()
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn checked_file(path: &Path) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(Error::io("read", path))?;
    if !meta.is_file() {
        return Err(Error::InvalidInput(format!(
            "{} is a folder, not a file; choose the export file inside it",
            path.display()
        )));
    }
    Ok(meta.len())
}

/// SHA-256 of a file, hex; reports bytes hashed and stops on cancel.
fn hash_file(path: &Path, cancel: &CancelToken, on_bytes: &dyn Fn(u64)) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(Error::io("read", path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(Error::io("read", path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        done += n as u64;
        on_bytes(done);
        cancel.check()?;
    }
    Ok(format!("{:x}", hasher.finalize()))
}

fn read_prefix(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(Error::io("read", path))?;
    let mut prefix = Vec::with_capacity(formats::SNIFF_BYTES);
    file.take(formats::SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(Error::io("read", path))?;
    Ok(prefix)
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::InvalidInput(format!("the import stopped unexpectedly: {e}")))?
}

/// What a file is, before importing it.
pub async fn inspect(workspace: &Workspace, path: &Path) -> Result<ImportInspection> {
    let byte_size = checked_file(path)?;
    let owned = path.to_path_buf();
    let (prefix, hash) = blocking(move || {
        let prefix = read_prefix(&owned)?;
        let hash = hash_file(&owned, &CancelToken::new(), &|_| {})?;
        Ok((prefix, hash))
    })
    .await?;
    let detection = formats::sniff(&prefix);
    let textual = !matches!(
        detection.format,
        Format::Xlsx | Format::MerchantCenterXml | Format::Unknown
    ) || detection.encoding.starts_with("UTF");
    let (header, rows, fingerprint) = match detection.format {
        Format::Xlsx | Format::Unknown => (Vec::new(), Vec::new(), String::new()),
        _ => match formats::preview(prefix.as_slice(), PREVIEW_ROWS) {
            Ok(p) => (p.header, p.rows, p.fingerprint),
            Err(_) => (Vec::new(), Vec::new(), String::new()),
        },
    };
    let first_lines = if textual && detection.format != Format::Xlsx {
        let (text, _) = formats::decode::decode_prefix(&prefix);
        text.lines()
            .take(PREVIEW_LINES)
            .map(|l| l.chars().take(400).collect())
            .collect()
    } else {
        Vec::new()
    };
    let saved_mapping = if fingerprint.is_empty() {
        None
    } else {
        mapping_for(workspace, &fingerprint).await?
    };
    let needs_mapping = matches!(detection.format, Format::GenericCsv | Format::GenericJsonl)
        && saved_mapping.is_none();
    let suggested_mapping = formats::suggest(&header, &rows);
    let conversion_choices = if detection.format == Format::AbPerPerson {
        yes_no_columns(&header, &rows)
    } else {
        Vec::new()
    };
    Ok(ImportInspection {
        path: path.display().to_string(),
        file_name: file_name_of(path),
        byte_size,
        format_label: detection.format.label().to_string(),
        detection,
        choices: choosable()
            .map(|format| FormatChoice {
                format,
                label: format.label().to_string(),
            })
            .collect(),
        header,
        rows,
        first_lines,
        fingerprint,
        needs_mapping,
        saved_mapping,
        suggested_mapping,
        already_imported: find_complete(workspace, &hash).await?,
        conversion_choices,
    })
}

/// The columns whose previewed cells are all yes/no answers (true/false,
/// yes/no, 1/0): the outcomes a per-person A/B file can count as converted.
fn yes_no_columns(header: &[String], rows: &[Vec<String>]) -> Vec<String> {
    let yes_no = |cell: &str| {
        matches!(
            cell.trim().to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "1" | "0"
        )
    };
    header
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.get(*i).map(String::as_str))
                .filter(|c| !c.trim().is_empty())
                .collect();
            !cells.is_empty() && cells.iter().all(|c| yes_no(c))
        })
        .map(|(_, name)| name.trim().to_string())
        .collect()
}

/// Imports one file in one transaction. A file imported before is not read
/// again: its history row comes back with `already_imported`.
pub async fn run(
    workspace: &Workspace,
    request: &ImportRequest,
    on_progress: OnProgress<'_>,
    cancel: &CancelToken,
) -> Result<ImportOutcome> {
    let started = Instant::now();
    let started_at = workspace.now();
    let path = PathBuf::from(&request.path);
    let file_name = file_name_of(&path);
    let byte_size = checked_file(&path)?;
    let report = |stage: &str, done: u64, bytes: u64| {
        on_progress(&Progress {
            stage: stage.to_string(),
            done,
            total: None,
            unit: "rows".to_string(),
            elapsed_ms: started.elapsed().as_millis() as u64,
            bytes_done: Some(bytes),
            bytes_total: Some(byte_size),
        })
    };
    let hash = {
        let stage = format!("Checking {file_name}");
        report(&stage, 0, 0);
        let hashed = Arc::new(AtomicU64::new(0));
        let (path, cancel, counter) = (path.clone(), cancel.clone(), hashed.clone());
        let mut task = tokio::task::spawn_blocking(move || {
            hash_file(&path, &cancel, &|n| counter.store(n, Ordering::Relaxed))
        });
        loop {
            tokio::select! {
                done = &mut task => break done.map_err(|e| {
                    Error::InvalidInput(format!("reading {file_name} stopped unexpectedly: {e}"))
                })??,
                _ = tokio::time::sleep(PROGRESS_EVERY) => {
                    report(&stage, 0, hashed.load(Ordering::Relaxed));
                }
            }
        }
    };
    if let Some(import) = find_complete(workspace, &hash).await? {
        return Ok(ImportOutcome {
            import,
            already_imported: true,
            rejections: Vec::new(),
            elapsed_ms: started.elapsed().as_millis() as u64,
        });
    }
    if let Some(mapping) = &request.mapping {
        validate_mapping(mapping)?;
    }
    let saved_mappings = all_mappings(workspace).await?;
    let default_currency = workspace
        .meta("currency")
        .await?
        .unwrap_or_else(|| FALLBACK_CURRENCY.to_string());

    let mut tx = workspace
        .pool()
        .begin()
        .await
        .map_err(Error::db("starting the import"))?;
    let import_id = start_history_row(&mut tx, &file_name, &hash, byte_size, started_at).await?;
    let format = request.format.unwrap_or_else(|| {
        read_prefix(&path)
            .map(|p| formats::sniff(&p).format)
            .unwrap_or(Format::Unknown)
    });
    let expected_events = if is_event_log(format) {
        byte_size / BYTES_PER_EVENT_ROW
    } else {
        0
    };
    let mut writer = writer::Writer::new(
        &mut tx,
        import_id,
        &default_currency,
        started_at,
        expected_events,
    )
    .await?;

    let bytes = formats::Progress::default();
    let options = ParseOptions {
        file_name: file_name.clone(),
        format: request.format,
        mapping: request.mapping.clone(),
        saved_mappings,
        default_currency: Some(default_currency.clone()),
        ab_conversion: request.conversion.clone(),
        progress: Some(bytes.clone()),
    };
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Chunk>(CHANNEL_DEPTH);
    // Event logs are resolved into rows on the parsing thread, so the
    // writer's thread does nothing but write.
    let lent = is_event_log(format).then(|| writer.lend_resolver());
    let parser_path = path.clone();
    let parser = tokio::task::spawn_blocking(move || {
        let mut resolver = lent;
        let file =
            std::fs::File::open(&parser_path).map_err(|source| formats::FormatError::Io {
                file: options.file_name.clone(),
                source,
            })?;
        let mut batch = Vec::with_capacity(CHANNEL_BATCH);
        let mut resolved = 0u64;
        let mut receiver_gone = false;
        let mut send = |chunk: Chunk| {
            if !receiver_gone && sender.blocking_send(chunk).is_err() {
                receiver_gone = true;
            }
            !receiver_gone
        };
        let summary = formats::parse(
            BufReader::with_capacity(1 << 20, file),
            &options,
            |record| {
                let alive = match (resolver.as_mut(), record) {
                    (Some(r), Record::Event(event)) => {
                        if !batch.is_empty() {
                            send(Chunk::Records(std::mem::take(&mut batch)));
                        }
                        r.add_event(event);
                        resolved += 1;
                        !r.rows.is_full()
                            || send(Chunk::Rows(
                                Box::new(r.take_rows()),
                                std::mem::take(&mut resolved),
                            ))
                    }
                    (r, record) => {
                        if let Some(r) = r {
                            if resolved > 0 {
                                send(Chunk::Rows(
                                    Box::new(r.take_rows()),
                                    std::mem::take(&mut resolved),
                                ));
                            }
                        }
                        batch.push(record);
                        batch.len() < CHANNEL_BATCH
                            || send(Chunk::Records(std::mem::replace(
                                &mut batch,
                                Vec::with_capacity(CHANNEL_BATCH),
                            )))
                    }
                };
                if alive {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            },
        );
        if summary.is_ok() {
            if let Some(r) = resolver.as_mut() {
                send(Chunk::Rows(Box::new(r.take_rows()), resolved));
            }
            if !batch.is_empty() {
                send(Chunk::Records(batch));
            }
        }
        summary.map(|s| (s, resolver))
    });

    let stage = format!("Importing {file_name}");
    let mut last_report = Instant::now();
    let mut records = 0u64;
    let mut waited = Duration::ZERO;
    loop {
        let wait_started = Instant::now();
        let Some(chunk) = receiver.recv().await else {
            break;
        };
        waited += wait_started.elapsed();
        if cancel.is_cancelled() {
            break;
        }
        match chunk {
            Chunk::Records(batch) => {
                records += batch.len() as u64;
                for record in batch {
                    writer.add(record).await?;
                }
            }
            Chunk::Rows(rows, count) => {
                records += count;
                writer.write_rows(*rows).await?;
            }
        }
        if last_report.elapsed() >= PROGRESS_EVERY {
            report(&stage, records, bytes.bytes_read());
            last_report = Instant::now();
        }
    }
    drop(receiver);
    cancel.check()?;
    let (summary, resolver) = parser
        .await
        .map_err(|e| Error::InvalidInput(format!("reading {file_name} stopped unexpectedly: {e}")))?
        .map_err(Error::from)?;
    if let Some(resolver) = resolver {
        writer.return_resolver(resolver);
    }
    cancel.check()?;
    tracing::debug!(elapsed = ?started.elapsed(), ?waited, records, "import: rows written");
    report(&format!("Indexing {file_name}"), records, byte_size);
    let written = writer.finish(&summary).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "import: indexed");
    if request.save_mapping {
        if let Some(mapping) = &request.mapping {
            save_mapping_in(&mut tx, mapping, micros(workspace.now())).await?;
        }
    }

    let mut rejections = summary.rejections.clone();
    rejections.extend(written.rejections.iter().cloned());
    rejections.sort_by_key(|r| r.line);
    let rows_rejected = summary.counts.rows_rejected + written.rows_rejected;
    let rows_imported = summary.counts.rows_read - rows_rejected;
    let details = Details {
        path: path.display().to_string(),
        rows_not_data: summary.counts.rows_not_data,
        stored: written.stored.clone(),
        period: summary.meta.period.clone(),
        title: summary.meta.title.clone(),
        note: summary.meta.note.clone(),
        event_ids: written.event_ids,
        evidence: summary.detection.evidence.clone(),
    };
    write_rejections(&mut tx, import_id, &rejections).await?;
    sqlx::query(
        "UPDATE imports SET format = ?2, rows_read = ?3, rows_imported = ?4, rows_rejected = ?5,
                finished_at = ?6, details = ?7
         WHERE id = ?1",
    )
    .bind(import_id)
    .bind(format_key(summary.format))
    .bind(summary.counts.rows_read as i64)
    .bind(rows_imported as i64)
    .bind(rows_rejected as i64)
    .bind(micros(workspace.now()))
    .bind(serde_json::to_string(&details).expect("details serialise"))
    .execute(&mut *tx)
    .await
    .map_err(Error::db("recording the import"))?;
    cancel.check()?;
    report(&format!("Saving {file_name}"), records, byte_size);
    tx.commit().await.map_err(Error::db("saving the import"))?;
    tracing::debug!(elapsed = ?started.elapsed(), "import: committed");
    let import = record(workspace, import_id).await?;
    rejections.truncate(OUTCOME_REJECTIONS);
    Ok(ImportOutcome {
        import,
        already_imported: false,
        rejections,
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// What the parsing thread sends the writer.
enum Chunk {
    /// Records to store as they are.
    Records(Vec<Record>),
    /// Rows resolved from this many event records.
    Rows(Box<writer::RowSet>, u64),
}

/// What `imports.details` holds besides the columns.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Details {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub rows_not_data: u64,
    #[serde(default)]
    pub stored: Vec<StoredCount>,
    #[serde(default)]
    pub period: Option<formats::DateRange>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// First and last id of the events this import wrote: they are contiguous,
    /// so undo deletes by range instead of scanning the event log.
    #[serde(default)]
    pub event_ids: Option<(i64, i64)>,
    #[serde(default)]
    pub evidence: Vec<String>,
}

pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn rfc3339(micros: i64) -> String {
    Utc.timestamp_micros(micros)
        .single()
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Inserts the history row, or revives the row of an undone import of the same bytes.
async fn start_history_row(
    conn: &mut sqlx::SqliteConnection,
    file_name: &str,
    hash: &str,
    byte_size: u64,
    started_at: DateTime<Utc>,
) -> Result<i64> {
    let undone: Option<i64> =
        sqlx::query_scalar("SELECT id FROM imports WHERE content_hash = ?1 AND status = 'undone'")
            .bind(hash)
            .fetch_optional(&mut *conn)
            .await
            .map_err(Error::db("reading the import history"))?;
    if let Some(id) = undone {
        sqlx::query("DELETE FROM import_rejections WHERE import_id = ?1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(Error::db("clearing an undone import"))?;
        sqlx::query(
            "UPDATE imports SET status = 'complete', file_name = ?2, byte_size = ?3, started_at = ?4,
                    finished_at = NULL, rows_read = 0, rows_imported = 0, rows_rejected = 0, details = '{}'
             WHERE id = ?1",
        )
        .bind(id)
        .bind(file_name)
        .bind(byte_size as i64)
        .bind(micros(started_at))
        .execute(&mut *conn)
        .await
        .map_err(Error::db("reopening an undone import"))?;
        return Ok(id);
    }
    sqlx::query(
        "INSERT INTO imports (file_name, format, content_hash, byte_size, started_at, status)
         VALUES (?1, 'unknown', ?2, ?3, ?4, 'complete') RETURNING id",
    )
    .bind(file_name)
    .bind(hash)
    .bind(byte_size as i64)
    .bind(micros(started_at))
    .fetch_one(&mut *conn)
    .await
    .map(|row| row.get::<i64, _>(0))
    .map_err(Error::db("starting the import history row"))
}

async fn write_rejections(
    conn: &mut sqlx::SqliteConnection,
    import_id: i64,
    rejections: &[Rejection],
) -> Result<()> {
    let mut batch = rebound_core::bulk::Batch::new(
        "import_rejections",
        &["import_id", "line", "column_name", "value", "reason"],
    );
    for r in rejections {
        batch.push([
            import_id.into(),
            (r.line as i64).into(),
            r.column.clone().into(),
            r.value.clone().into(),
            r.reason.clone().into(),
        ]);
        if batch.is_full() {
            batch.write(conn).await?;
        }
    }
    batch.write(conn).await
}

const RECORD_COLUMNS: &str = "id, file_name, format, content_hash, byte_size, rows_read,
    rows_imported, rows_rejected, started_at, finished_at, status, details";

fn record_from_row(row: &sqlx::sqlite::SqliteRow) -> ImportRecord {
    let format_name: String = row.get("format");
    let format = parse_format_key(&format_name).unwrap_or(Format::Unknown);
    let details: Details = serde_json::from_str(row.get::<&str, _>("details")).unwrap_or_default();
    let status: String = row.get("status");
    ImportRecord {
        id: row.get("id"),
        file_name: row.get("file_name"),
        path: details.path,
        format,
        // The demo data is recorded as an import too (so it can be undone).
        format_label: if format_name == "demo" {
            "demo data".to_string()
        } else {
            format.label().to_string()
        },
        content_hash: row.get("content_hash"),
        byte_size: row.get::<i64, _>("byte_size").max(0) as u64,
        rows_read: row.get::<i64, _>("rows_read").max(0) as u64,
        rows_imported: row.get::<i64, _>("rows_imported").max(0) as u64,
        rows_rejected: row.get::<i64, _>("rows_rejected").max(0) as u64,
        rows_not_data: details.rows_not_data,
        started_at: rfc3339(row.get("started_at")),
        finished_at: row.get::<Option<i64>, _>("finished_at").map(rfc3339),
        status: if status == "undone" {
            ImportStatus::Undone
        } else {
            ImportStatus::Complete
        },
        stored: details.stored,
        period: details.period,
        title: details.title,
        note: details.note,
    }
}

async fn find_complete(workspace: &Workspace, hash: &str) -> Result<Option<ImportRecord>> {
    let row = sqlx::query(&format!(
        "SELECT {RECORD_COLUMNS} FROM imports WHERE content_hash = ?1 AND status = 'complete'"
    ))
    .bind(hash)
    .fetch_optional(workspace.pool())
    .await
    .map_err(Error::db("reading the import history"))?;
    Ok(row.as_ref().map(record_from_row))
}

/// One import's history row.
pub async fn record(workspace: &Workspace, id: i64) -> Result<ImportRecord> {
    let row = sqlx::query(&format!(
        "SELECT {RECORD_COLUMNS} FROM imports WHERE id = ?1"
    ))
    .bind(id)
    .fetch_optional(workspace.pool())
    .await
    .map_err(Error::db("reading the import history"))?
    .ok_or_else(|| Error::NotFound(format!("there is no import number {id}")))?;
    Ok(record_from_row(&row))
}

/// The import history, newest first.
pub async fn list(workspace: &Workspace) -> Result<Vec<ImportRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT {RECORD_COLUMNS} FROM imports ORDER BY started_at DESC, id DESC"
    ))
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading the import history"))?;
    Ok(rows.iter().map(record_from_row).collect())
}

/// A page of one import's rejected rows, in line order.
pub async fn rejections(
    workspace: &Workspace,
    id: i64,
    offset: u32,
    limit: u32,
) -> Result<RejectionPage> {
    let import = record(workspace, id).await?;
    let rows = sqlx::query(
        "SELECT line, column_name, value, reason FROM import_rejections
         WHERE import_id = ?1 ORDER BY line, id LIMIT ?2 OFFSET ?3",
    )
    .bind(id)
    .bind(i64::from(limit.min(1000)))
    .bind(i64::from(offset))
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading rejected rows"))?;
    let listed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM import_rejections WHERE import_id = ?1")
            .bind(id)
            .fetch_one(workspace.pool())
            .await
            .map_err(Error::db("counting rejected rows"))?;
    Ok(RejectionPage {
        total: import.rows_rejected,
        listed: listed.max(0) as u64,
        rows: rows
            .iter()
            .map(|r| Rejection {
                line: r.get::<i64, _>(0).max(0) as u64,
                column: r.get(1),
                value: r.get::<Option<String>, _>(2).unwrap_or_default(),
                reason: r.get(3),
            })
            .collect(),
    })
}

fn validate_mapping(mapping: &ColumnMapping) -> Result<()> {
    use formats::EventField;
    let missing: Vec<&str> = [
        (EventField::Timestamp, "the time"),
        (EventField::EventName, "the event name"),
    ]
    .iter()
    .filter(|(f, _)| !mapping.columns.contains_key(f))
    .map(|(_, what)| *what)
    .collect();
    if !missing.is_empty() {
        return Err(Error::InvalidInput(format!(
            "the column mapping needs a column for {}",
            missing.join(" and ")
        )));
    }
    let ids = [EventField::VisitorId, EventField::UserId, EventField::Email];
    if !ids.iter().any(|f| mapping.columns.contains_key(f)) {
        return Err(Error::InvalidInput(
            "the column mapping needs a column that says who did it: a visitor id, a user id or an e-mail".into(),
        ));
    }
    if mapping.fingerprint.trim().is_empty() {
        return Err(Error::InvalidInput(
            "the column mapping has no header fingerprint".into(),
        ));
    }
    Ok(())
}

async fn mapping_for(workspace: &Workspace, fingerprint: &str) -> Result<Option<ColumnMapping>> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT mapping FROM import_profiles WHERE fingerprint = ?1")
            .bind(fingerprint)
            .fetch_optional(workspace.pool())
            .await
            .map_err(Error::db("reading saved column mappings"))?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Every saved column mapping.
pub async fn all_mappings(workspace: &Workspace) -> Result<Vec<ColumnMapping>> {
    let texts: Vec<String> =
        sqlx::query_scalar("SELECT mapping FROM import_profiles ORDER BY name")
            .fetch_all(workspace.pool())
            .await
            .map_err(Error::db("reading saved column mappings"))?;
    Ok(texts
        .iter()
        .filter_map(|t| serde_json::from_str(t).ok())
        .collect())
}

async fn save_mapping_in(
    conn: &mut sqlx::SqliteConnection,
    mapping: &ColumnMapping,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO import_profiles (name, fingerprint, mapping, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT(fingerprint) DO UPDATE SET name = excluded.name, mapping = excluded.mapping,
             updated_at = excluded.updated_at",
    )
    .bind(mapping.name.trim())
    .bind(&mapping.fingerprint)
    .bind(serde_json::to_string(mapping).expect("mapping serialises"))
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(Error::db("saving the column mapping"))?;
    Ok(())
}

#[cfg(test)]
mod tests;
