//! Batched multi-row INSERTs for bulk writes inside one transaction.
//!
//! Rows are buffered and written as `INSERT INTO t (..) VALUES (..), (..), ...`
//! with a fixed number of rows per statement, so the SQL text of full batches
//! is always the same and sqlx reuses one prepared statement.

use sqlx::SqliteConnection;

use crate::{Error, Result};

/// SQLite's default limit on bound parameters in one statement is 32766.
const MAX_PARAMS: usize = 30_000;
const MAX_ROWS: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
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

pub(crate) struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows_per_statement: usize,
    values: Vec<Value>,
    full_sql: String,
    written: u64,
}

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        let rows_per_statement = (MAX_PARAMS / columns.len()).clamp(1, MAX_ROWS);
        Batch {
            table,
            columns,
            rows_per_statement,
            values: Vec::with_capacity(rows_per_statement * columns.len()),
            full_sql: insert_sql(table, columns, rows_per_statement),
            written: 0,
        }
    }

    /// Buffers one row; its values must follow the column order.
    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row for {}", self.table);
        self.values.extend(row);
    }

    pub fn is_full(&self) -> bool {
        self.values.len() >= self.rows_per_statement * self.columns.len()
    }

    /// Writes everything buffered.
    pub async fn write(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        let width = self.columns.len();
        while !self.values.is_empty() {
            let rows = (self.values.len() / width).min(self.rows_per_statement);
            let sql = if rows == self.rows_per_statement {
                std::mem::take(&mut self.full_sql)
            } else {
                insert_sql(self.table, self.columns, rows)
            };
            let mut query = sqlx::query(&sql);
            for value in self.values.drain(..rows * width) {
                query = match value {
                    Value::Null => query.bind(None::<i64>),
                    Value::Int(v) => query.bind(v),
                    Value::Real(v) => query.bind(v),
                    Value::Text(v) => query.bind(v),
                };
            }
            let result = query.execute(&mut *conn).await;
            if rows == self.rows_per_statement {
                self.full_sql = sql;
            }
            result.map_err(|source| Error::Database {
                op: "writing rows",
                source,
            })?;
            self.written += rows as u64;
        }
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.written
    }
}

fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns.len()].join(","));
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(","));
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&one);
    }
    sql
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
            batch.push(vec![
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
}
