//! Buffered bulk writes inside one transaction: rows are collected as
//! [`Value`]s and written a thousand at a time by stepping one prepared
//! INSERT through SQLite's C API (see [`raw`] for why and how that is safe).
//! [`scan`] is the same for reading millions of rows.

use sqlx::SqliteConnection;

use crate::{Error, Result};

/// Rows buffered before a write.
const ROWS_PER_FLUSH: usize = 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    /// Text many rows share (event names, currencies), counted instead of copied.
    Shared(std::sync::Arc<str>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

pub struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows_per_flush: usize,
    values: Vec<Value>,
    sql: String,
    written: u64,
}

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        let rows_per_flush = ROWS_PER_FLUSH;
        Batch {
            table,
            columns,
            rows_per_flush,
            values: Vec::with_capacity(rows_per_flush * columns.len()),
            sql: format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(","),
                vec!["?"; columns.len()].join(",")
            ),
            written: 0,
        }
    }

    /// Buffers one row; its values must follow the column order.
    pub fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.columns.len(), "row for {}", self.table);
        self.values.extend(row);
    }

    pub fn is_full(&self) -> bool {
        self.values.len() >= self.rows_per_flush * self.columns.len()
    }

    /// Writes everything buffered: one prepared single-row INSERT stepped per
    /// row through SQLite's C API on sqlx's own connection (see [`raw`]),
    /// inside whatever transaction the connection is in.
    pub async fn write(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        if self.values.is_empty() {
            return Ok(());
        }
        let width = self.columns.len();
        let mut handle = conn.lock_handle().await.map_err(|source| Error::Database {
            op: "writing rows",
            source,
        })?;
        let db = raw::Db::new(&mut handle);
        let mut statement = db.prepare(&self.sql)?;
        for row in self.values.chunks(width) {
            statement.insert(row).map_err(|message| Error::Sqlite {
                op: "writing rows",
                message: format!("{} (table {})", message, self.table),
            })?;
            self.written += 1;
        }
        drop(statement);
        self.values.clear();
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.written
    }
}

/// One row of [`scan`]: typed access to its columns, valid during the callback.
pub use raw::Row as ScanRow;

/// Reads every row of `sql` (no parameters) on one pooled connection, stepping
/// SQLite directly (see [`raw`]): millions of rows a second, where decoding
/// each row through sqlx would cost microseconds. `each` returns false to stop
/// early; the result says whether the query ran to its end.
///
/// This is for loading large derived in-memory structures (the segment
/// engine's event columns); ordinary queries go through sqlx.
pub async fn scan(
    workspace: &crate::Workspace,
    op: &'static str,
    sql: &str,
    each: impl FnMut(&ScanRow<'_>) -> bool,
) -> Result<bool> {
    let mut conn = workspace
        .pool()
        .acquire()
        .await
        .map_err(|source| Error::Database { op, source })?;
    let mut handle = conn
        .lock_handle()
        .await
        .map_err(|source| Error::Database { op, source })?;
    let db = raw::Db::new(&mut handle);
    let mut statement = db.prepare(sql)?;
    // Stepping takes seconds at millions of rows. On a multi-threaded
    // runtime (the app's) the worker hands its other tasks on first, so IPC
    // commands (a progress poll, another section) are not held up behind it.
    let run = || {
        statement
            .rows(each)
            .map_err(|message| Error::Sqlite { op, message })
    };
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(run),
        _ => run(),
    }
}

/// The smallest safe wrapper over SQLite's C API that bulk writes need.
///
/// sqlx runs each connection on a worker thread and sends it every query
/// with its arguments; for millions of rows that message passing and the
/// argument vectors cost more than SQLite itself. sqlx's documented escape
/// hatch, `SqliteConnection::lock_handle`, hands out the raw handle while the
/// worker is paused, so rows can be bound and stepped directly on the same
/// connection and in the same transaction. Statements borrow the [`Db`], so
/// none outlives the lock.
pub(crate) mod raw {
    use std::ffi::CStr;
    use std::marker::PhantomData;
    use std::os::raw::c_int;
    use std::ptr::NonNull;

    use libsqlite3_sys as ffi;
    use sqlx::sqlite::LockedSqliteHandle;

    use super::Value;

    fn message(db: NonNull<ffi::sqlite3>) -> String {
        // SAFETY: the handle is open and locked for us; errmsg returns a
        // NUL-terminated string owned by SQLite, copied out at once.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())) }
            .to_string_lossy()
            .into_owned()
    }

    pub struct Db<'h> {
        db: NonNull<ffi::sqlite3>,
        _lock: PhantomData<&'h mut LockedSqliteHandle<'h>>,
    }

    impl<'h> Db<'h> {
        pub fn new(handle: &'h mut LockedSqliteHandle<'_>) -> Db<'h> {
            Db {
                db: handle.as_raw_handle(),
                _lock: PhantomData,
            }
        }

        fn message(&self) -> String {
            message(self.db)
        }

        pub fn prepare(&self, sql: &str) -> crate::Result<Statement<'_>> {
            let mut stmt = std::ptr::null_mut();
            // SAFETY: `sql` is valid for its length; SQLite writes the
            // statement pointer into `stmt`.
            let rc = unsafe {
                ffi::sqlite3_prepare_v2(
                    self.db.as_ptr(),
                    sql.as_ptr().cast(),
                    sql.len() as c_int,
                    &mut stmt,
                    std::ptr::null_mut(),
                )
            };
            match NonNull::new(stmt) {
                Some(stmt) if rc == ffi::SQLITE_OK => Ok(Statement {
                    db: self.db,
                    stmt,
                    _db: PhantomData,
                }),
                _ => Err(crate::Error::Sqlite {
                    op: "preparing a bulk statement",
                    message: self.message(),
                }),
            }
        }
    }

    /// A prepared statement that cannot outlive the [`Db`] it came from.
    pub struct Statement<'d> {
        db: NonNull<ffi::sqlite3>,
        stmt: NonNull<ffi::sqlite3_stmt>,
        _db: PhantomData<&'d ()>,
    }

    impl Statement<'_> {
        /// Binds one row and steps it; the row's text is only borrowed
        /// until the step returns (SQLITE_STATIC), so nothing is copied.
        pub fn insert(&mut self, row: &[Value]) -> Result<(), String> {
            let stmt = self.stmt.as_ptr();
            for (i, value) in row.iter().enumerate() {
                let index = i as c_int + 1;
                // SAFETY: `stmt` is a live prepared statement; text pointers
                // stay valid until after the step and reset below.
                let rc = unsafe {
                    match value {
                        Value::Null => ffi::sqlite3_bind_null(stmt, index),
                        Value::Int(v) => ffi::sqlite3_bind_int64(stmt, index, *v),
                        Value::Real(v) => ffi::sqlite3_bind_double(stmt, index, *v),
                        Value::Text(v) => bind_text(stmt, index, v),
                        Value::Shared(v) => bind_text(stmt, index, v),
                    }
                };
                if rc != ffi::SQLITE_OK {
                    return Err(message(self.db));
                }
            }
            // SAFETY: as above; reset makes the statement reusable and ends
            // SQLite's use of the bound text.
            let rc = unsafe { ffi::sqlite3_step(stmt) };
            let result = if rc == ffi::SQLITE_DONE {
                Ok(())
            } else {
                Err(message(self.db))
            };
            unsafe { ffi::sqlite3_reset(stmt) };
            result
        }
    }

    impl Statement<'_> {
        /// Steps a query to its end, handing each row to `each`; stops early
        /// (and returns false) when `each` returns false.
        pub fn rows(&mut self, mut each: impl FnMut(&Row<'_>) -> bool) -> Result<bool, String> {
            let stmt = self.stmt.as_ptr();
            loop {
                // SAFETY: a live prepared statement on the locked handle.
                let rc = unsafe { ffi::sqlite3_step(stmt) };
                match rc {
                    ffi::SQLITE_ROW => {
                        let row = Row {
                            stmt,
                            _statement: PhantomData,
                        };
                        if !each(&row) {
                            unsafe { ffi::sqlite3_reset(stmt) };
                            return Ok(false);
                        }
                    }
                    ffi::SQLITE_DONE => {
                        unsafe { ffi::sqlite3_reset(stmt) };
                        return Ok(true);
                    }
                    _ => {
                        let message = message(self.db);
                        unsafe { ffi::sqlite3_reset(stmt) };
                        return Err(message);
                    }
                }
            }
        }
    }

    /// The current row of a stepped query. It borrows the statement, so its
    /// values cannot outlive the step that produced them.
    pub struct Row<'s> {
        stmt: *mut ffi::sqlite3_stmt,
        _statement: PhantomData<&'s ()>,
    }

    impl Row<'_> {
        /// Whether column `i` (from 0) is NULL.
        pub fn is_null(&self, i: usize) -> bool {
            // SAFETY: the statement is on a row (we are inside `rows`).
            unsafe { ffi::sqlite3_column_type(self.stmt, i as c_int) == ffi::SQLITE_NULL }
        }

        /// Column `i` as an integer (NULL reads as 0; see [`Row::opt_int`]).
        pub fn int(&self, i: usize) -> i64 {
            // SAFETY: as above.
            unsafe { ffi::sqlite3_column_int64(self.stmt, i as c_int) }
        }

        pub fn opt_int(&self, i: usize) -> Option<i64> {
            (!self.is_null(i)).then(|| self.int(i))
        }

        /// Column `i` as text bytes (UTF-8 in a STRICT TEXT column), or None for NULL.
        pub fn text(&self, i: usize) -> Option<&[u8]> {
            // SAFETY: the pointer SQLite returns stays valid until the next
            // step or reset, which cannot happen while `self` is borrowed;
            // `column_bytes` is called after `column_text`, as documented.
            // A NULL column gives a null pointer (an empty text does not).
            unsafe {
                let text = ffi::sqlite3_column_text(self.stmt, i as c_int);
                if text.is_null() {
                    return None;
                }
                let len = ffi::sqlite3_column_bytes(self.stmt, i as c_int);
                Some(std::slice::from_raw_parts(text, len as usize))
            }
        }
    }

    /// SAFETY: `stmt` must be a live statement and `text` must stay alive
    /// until the statement is stepped and reset (SQLITE_STATIC: no copy).
    unsafe fn bind_text(stmt: *mut ffi::sqlite3_stmt, index: c_int, text: &str) -> c_int {
        ffi::sqlite3_bind_text64(
            stmt,
            index,
            text.as_ptr().cast(),
            text.len() as u64,
            ffi::SQLITE_STATIC(),
            ffi::SQLITE_UTF8 as u8,
        )
    }

    impl Drop for Statement<'_> {
        fn drop(&mut self) {
            // SAFETY: the statement was prepared on this locked handle and is
            // finalised exactly once, before the lock is released.
            unsafe { ffi::sqlite3_finalize(self.stmt.as_ptr()) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    #[tokio::test]
    async fn writes_full_and_partial_statements() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (a INTEGER, b TEXT, c REAL)")
            .execute(&mut conn)
            .await
            .unwrap();
        let mut batch = Batch::new("t", &["a", "b", "c"]);
        for i in 0..1234i64 {
            batch.push([
                i.into(),
                Value::from(format!("r{i}")),
                Value::from(None::<f64>),
            ]);
            if batch.is_full() {
                batch.write(&mut conn).await.unwrap();
            }
        }
        batch.write(&mut conn).await.unwrap();
        assert_eq!(batch.written(), 1234);
        let (n, sum): (i64, i64) = sqlx::query_as("SELECT count(*), sum(a) FROM t")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!((n, sum), (1234, 1233 * 1234 / 2));
        let nulls: i64 = sqlx::query_scalar("SELECT count(*) FROM t WHERE c IS NULL")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(nulls, 1234);
    }

    #[tokio::test]
    async fn keeps_text_exactly_and_reports_constraint_failures() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id), t TEXT)")
            .execute(&mut conn)
            .await
            .unwrap();
        let mut batch = Batch::new("p", &["id"]);
        batch.push([1i64.into()]);
        batch.write(&mut conn).await.unwrap();
        let mut children = Batch::new("c", &["p", "t"]);
        for t in ["2103807459595387724", "", "Ελληνικά ✓"] {
            children.push([1i64.into(), t.into()]);
        }
        children.write(&mut conn).await.unwrap();
        let texts: Vec<String> = sqlx::query_scalar("SELECT t FROM c ORDER BY rowid")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(texts, ["2103807459595387724", "", "Ελληνικά ✓"]);
        children.push([99i64.into(), "orphan".into()]);
        let err = children.write(&mut conn).await.unwrap_err().to_string();
        assert!(
            err.contains("FOREIGN KEY constraint failed") && err.contains("table c"),
            "{err}"
        );
        // The connection is usable through sqlx afterwards.
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM c")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(n, 3);
    }
}
