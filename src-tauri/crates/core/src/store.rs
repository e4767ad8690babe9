//! The workspace: one SQLite file holding everything a marketer brings in or
//! builds. Opened through sqlx with WAL and foreign keys on; its schema comes
//! from the embedded, append-only migrations in `migrations/`.
//!
//! Opening is careful about files that are not ours: before anything writes
//! to a file, a read-only look checks that it is SQLite, that it carries
//! Rebound's application id, and that it was not written by a newer Rebound.
//! Only then are WAL mode and migrations applied.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqliteConnection, SqlitePool};
use ts_rs::TS;

use crate::time::{system_clock, Clock};
use crate::{Error, Result};

/// The migrations compiled into this binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// `PRAGMA application_id` of every Rebound workspace: "RBND".
pub const APPLICATION_ID: i32 = 0x5242_4E44;

/// Page cache per connection, KiB.
pub const CACHE_KIB: i64 = 65_536;

/// File extension of workspace files.
pub const EXTENSION: &str = "rebound";

/// The tables `rebound info` counts, in the order it lists them.
pub const TABLES: &[&str] = &[
    "imports",
    "import_rejections",
    "people",
    "identities",
    "devices",
    "sessions",
    "events",
    "products",
    "segments",
    "campaigns",
    "campaign_daily_metrics",
    "ad_metrics",
    "report_rows",
    "creatives",
    "sequences",
    "experiments",
    "experiment_variants",
    "experiment_exposures",
    "consent",
];

/// An open workspace file.
#[derive(Debug, Clone)]
pub struct Workspace {
    pool: SqlitePool,
    path: PathBuf,
    derived: Arc<Derived>,
    /// "Now" for what the workspace records (when an import ran, when it was created).
    clock: Clock,
}

/// See [`Workspace::generation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation([i64; 9]);

const GENERATION: &str = "SELECT (SELECT coalesce(max(id), 0) FROM events), \
     (SELECT coalesce(max(id), 0) FROM people), (SELECT coalesce(max(id), 0) FROM consent), \
     (SELECT coalesce(max(id), 0) FROM devices), (SELECT coalesce(max(id), 0) FROM products), \
     (SELECT count(*) FROM products), (SELECT count(*) FROM imports), \
     (SELECT coalesce(max(id), 0) FROM imports), \
     (SELECT count(*) FROM imports WHERE status = 'undone')";

/// Data derived from a workspace and kept in memory while it is open (for
/// example the segment engine's event columns), one value per type. Clones of
/// a [`Workspace`] share it; its owners decide when their value is stale.
#[derive(Default)]
struct Derived(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Derived")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TableCount {
    pub table: String,
    #[ts(type = "number")]
    pub rows: i64,
}

/// What `rebound info` and the Data section report about a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkspaceInfo {
    pub path: String,
    pub name: String,
    /// Newest migration applied, e.g. 20261126000000.
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub file_size_bytes: u64,
    pub tables: Vec<TableCount>,
}

/// The newest schema version this binary knows.
pub fn known_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// A workspace's display name: its file name without the extension.
pub fn display_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl Workspace {
    /// Creates a new, empty workspace on the system clock. Refuses to touch an existing file.
    pub async fn create(path: &Path) -> Result<Workspace> {
        Self::create_with(path, system_clock).await
    }

    /// Opens an existing workspace on the system clock.
    pub async fn open(path: &Path) -> Result<Workspace> {
        Self::open_with(path, system_clock).await
    }

    /// As [`Workspace::create`], with the clock the caller passes (the app's session, a test's).
    pub async fn create_with(path: &Path, clock: Clock) -> Result<Workspace> {
        if path.exists() {
            return Err(Error::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(Error::io("create the folder", parent))?;
        }
        Self::connect(path, true, clock).await
    }

    /// Opens an existing workspace, upgrading its schema when it is older.
    pub async fn open_with(path: &Path, clock: Clock) -> Result<Workspace> {
        if !path.is_file() {
            return Err(Error::WorkspaceNotFound {
                path: path.to_path_buf(),
            });
        }
        inspect(path).await?;
        Self::connect(path, false, clock).await
    }

    /// Opens the workspace at `path`, creating it when there is no file yet.
    pub async fn open_or_create(path: &Path) -> Result<Workspace> {
        if path.exists() {
            Self::open(path).await
        } else {
            Self::create(path).await
        }
    }

    async fn connect(path: &Path, create: bool, clock: Clock) -> Result<Workspace> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 64 MiB of page cache per connection keeps bulk writes and
            // segment scans off the disk without growing without bound.
            // Temporary b-trees (index builds, big GROUP BYs) stay in that
            // cache and spill to temporary files beyond it (SQLite's default
            // temp_store): in memory they grew with the data, 700 MB for a
            // 1 GB import.
            .pragma("cache_size", format!("-{CACHE_KIB}"));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| classify_open_error(path, source))?;
        if create {
            sqlx::query(&format!("PRAGMA application_id = {APPLICATION_ID}"))
                .execute(&pool)
                .await
                .map_err(Error::db("marking the file as a Rebound workspace"))?;
        }
        MIGRATOR.run(&pool).await?;
        if create {
            let now = clock().to_rfc3339();
            sqlx::query(
                "INSERT OR IGNORE INTO workspace_meta (key, value) VALUES ('created_at', ?1)",
            )
            .bind(now)
            .execute(&pool)
            .await
            .map_err(Error::db("recording when the workspace was created"))?;
        }
        Ok(Workspace {
            pool,
            path: path.to_path_buf(),
            derived: Arc::default(),
            clock,
        })
    }

    /// The clock the workspace was opened with.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Now, by the workspace's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        (self.clock)()
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The value of type `T` kept beside this open workspace, created empty
    /// (`T::default()`) on first use. Shared by every clone of the workspace
    /// and dropped with the last one; `T` guards its own contents.
    pub fn derived<T: Any + Default + Send + Sync>(&self) -> Arc<T> {
        let mut slots = self
            .derived
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let slot = slots
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        Arc::clone(slot)
            .downcast::<T>()
            .expect("each slot holds the type it is keyed by")
    }

    /// Where the workspace's data stands: a key that moves with every write
    /// to the rows derived data is read from (people, events, devices,
    /// consent, products) and with every import and undo. The one freshness
    /// key of the in-memory caches in [`Workspace::derived`]: a cache keeps
    /// the generation it was read at and reads again when it differs. Each
    /// part is answered from an index or the rowid, so checking costs
    /// microseconds even at ten million events. The error is the database's,
    /// for the caller to say what it was checking for.
    pub async fn generation(&self) -> sqlx::Result<Generation> {
        let parts: (i64, i64, i64, i64, i64, i64, i64, i64, i64) =
            sqlx::query_as(GENERATION).fetch_one(&self.pool).await?;
        Ok(Generation([
            parts.0, parts.1, parts.2, parts.3, parts.4, parts.5, parts.6, parts.7, parts.8,
        ]))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn name(&self) -> String {
        display_name(&self.path)
    }

    /// Writes everything into the main file, then closes every connection.
    ///
    /// The explicit checkpoint matters when a file is renamed right after
    /// closing (demo builds): the data must be in the file itself, not in a
    /// `-wal` companion that a rename would leave behind.
    pub async fn close(self) {
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(%error, path = %self.path.display(), "could not checkpoint the workspace before closing");
        }
        self.pool.close().await;
    }

    /// Row counts of every table, schema version and file size.
    pub async fn info(&self) -> Result<WorkspaceInfo> {
        let mut tables = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            // Table names come from the fixed list above, never from input.
            let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await
                .map_err(Error::db("counting rows"))?;
            tables.push(TableCount {
                table: (*table).to_string(),
                rows,
            });
        }
        let schema_version: i64 = sqlx::query_scalar(
            "SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success = 1",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(Error::db("reading the workspace format"))?;
        let file_size_bytes = file_size(&self.path);
        Ok(WorkspaceInfo {
            path: self.path.display().to_string(),
            name: self.name(),
            schema_version,
            file_size_bytes,
            tables,
        })
    }

    /// Number of rows in a table of [`TABLES`].
    pub async fn count(&self, table: &str) -> Result<i64> {
        if !TABLES.contains(&table) {
            return Err(Error::InvalidInput(format!("unknown table {table}")));
        }
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .map_err(Error::db("counting rows"))
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT value FROM workspace_meta WHERE key = ?1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(Error::db("reading workspace settings"))
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO workspace_meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await
            .map_err(Error::db("saving workspace settings"))?;
        Ok(())
    }
}

/// Size of the workspace on disk, WAL included.
fn file_size(path: &Path) -> u64 {
    let main = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    main + std::fs::metadata(PathBuf::from(wal))
        .map(|m| m.len())
        .unwrap_or(0)
}

/// Looks at an existing file without changing it: is it SQLite, is it ours,
/// and can this version read it?
async fn inspect(path: &Path) -> Result<()> {
    let not_ours = |reason: &str| Error::NotAWorkspace {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(Error::io("open", path))?;
        let read = file.read(&mut header).map_err(Error::io("read", path))?;
        if read == 0 {
            // An empty file is what some "new file" dialogs leave behind.
            return Ok(());
        }
        if read < 16 || &header != b"SQLite format 3\0" {
            return Err(not_ours("it is not a SQLite database"));
        }
    }
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(Error::db("preparing to open the file"))?
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let mut conn: SqliteConnection = options
        .connect()
        .await
        .map_err(|source| classify_open_error(path, source))?;
    let result = check_compatible(&mut conn, path).await;
    let _ = conn.close().await;
    result
}

async fn check_compatible(conn: &mut SqliteConnection, path: &Path) -> Result<()> {
    let application_id: i32 = sqlx::query_scalar("PRAGMA application_id")
        .fetch_one(&mut *conn)
        .await
        .map_err(|source| classify_open_error(path, source))?;
    let table_count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            .fetch_one(&mut *conn)
            .await
            .map_err(|source| classify_open_error(path, source))?;
    if application_id != APPLICATION_ID {
        if table_count == 0 {
            // An empty SQLite file: safe to turn into a workspace.
            return Ok(());
        }
        return Err(Error::NotAWorkspace {
            path: path.to_path_buf(),
            reason: "it is a SQLite database from another program".into(),
        });
    }
    let has_migrations: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(Error::db("reading the workspace format"))?;
    if has_migrations == 0 {
        return Ok(());
    }
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut *conn)
        .await
        .map_err(Error::db("reading the workspace format"))?;
    let known = known_schema_version();
    if let Some(&found) = applied
        .iter()
        .filter(|v| !MIGRATOR.iter().any(|m| m.version == **v))
        .max()
    {
        return Err(Error::WorkspaceTooNew {
            path: path.to_path_buf(),
            found,
            known,
        });
    }
    Ok(())
}

fn classify_open_error(path: &Path, source: sqlx::Error) -> Error {
    let text = source.to_string();
    if text.contains("file is not a database") || text.contains("malformed") {
        Error::NotAWorkspace {
            path: path.to_path_buf(),
            reason: "it is not a SQLite database, or it is damaged".into(),
        }
    } else {
        Error::Database {
            op: "opening the workspace",
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn create_then_open_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.rebound");
        let ws = Workspace::create(&path).await.unwrap();
        let info = ws.info().await.unwrap();
        assert_eq!(info.schema_version, known_schema_version());
        assert!(info
            .tables
            .iter()
            .all(|t| t.rows == 0 || t.table == "imports"));
        assert_eq!(info.tables.len(), TABLES.len());
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(ws.pool())
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(ws.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        ws.close().await;
        let again = Workspace::open(&path).await.unwrap();
        assert_eq!(again.name(), "a");
        again.close().await;
    }

    #[tokio::test]
    async fn create_refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.rebound");
        std::fs::write(&path, b"hello").unwrap();
        let err = Workspace::create(&path).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::AlreadyExists);
    }

    #[tokio::test]
    async fn open_refuses_text_files_without_touching_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.rebound");
        std::fs::write(&path, b"campaign,clicks\nspring,12\n").unwrap();
        let err = Workspace::open(&path).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::NotAWorkspace);
        assert!(err.to_string().contains("not a SQLite database"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"campaign,clicks\nspring,12\n"
        );
    }

    #[tokio::test]
    async fn open_refuses_other_programs_databases() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let mut conn = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (x)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = Workspace::open(&path).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::NotAWorkspace);
        assert!(err.to_string().contains("another program"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the file must not change"
        );
    }

    #[tokio::test]
    async fn a_newer_workspace_is_refused_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.rebound");
        let ws = Workspace::create(&path).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
             VALUES (29990101000000, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)",
        )
        .execute(ws.pool())
        .await
        .unwrap();
        ws.close().await;
        let before = std::fs::read(&path).unwrap();
        let err = Workspace::open(&path).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::WorkspaceTooNew);
        let message = err.to_string();
        assert!(message.contains("newer version of Rebound"), "{message}");
        assert!(message.contains("29990101000000"), "{message}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the file must not change"
        );
    }

    #[tokio::test]
    async fn missing_file_is_reported_by_path() {
        let err = Workspace::open(Path::new("/nonexistent/x.rebound"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::WorkspaceNotFound);
        assert!(err.to_string().contains("/nonexistent/x.rebound"));
    }

    #[tokio::test]
    async fn meta_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("m.rebound"))
            .await
            .unwrap();
        assert!(ws.meta("created_at").await.unwrap().is_some());
        ws.set_meta("currency", "EUR").await.unwrap();
        ws.set_meta("currency", "USD").await.unwrap();
        assert_eq!(ws.meta("currency").await.unwrap().as_deref(), Some("USD"));
    }
}
