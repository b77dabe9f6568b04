//! Storage: one small connection interface over SQLite and PostgreSQL.
//!
//! Domain code is written once, as plain functions over `&mut dyn Conn` with portable
//! SQL (`$1` placeholders, `BIGINT`/`TEXT` columns, `RETURNING`). The async web layer
//! reaches them through [`Db::read`] and [`Db::write`], which run the closure on the
//! blocking pool: both drivers are synchronous, which keeps transactions ordinary Rust
//! code (see docs/ARCHITECTURE.md for the measurement behind that choice).
//! What lives here: pooling, the one-writer rule for SQLite, transactions, migrations,
//! and the mapping of driver errors to [`DbError`]. No domain tables.

mod migrate;
mod pool;
mod postgres;
mod sqlite;
mod value;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use migrate::{MIGRATION_NAMES, TABLES_IN_ORDER};
pub use value::{Blob, FromValue, Row, Value};

use pool::Pool;

/// Which database a connection talks to; SQL differences are kept to a handful of
/// places that ask this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique constraint refused the row; `detail` names the constraint or column.
    #[error("unique constraint violated: {detail}")]
    Unique { detail: String },
    /// The database could not be opened or reached.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("unexpected column value: {0}")]
    Decode(String),
    #[error("database error: {0}")]
    Other(String),
}

impl DbError {
    /// True when a unique constraint on something named `column` refused the row.
    pub fn is_unique_on(&self, column: &str) -> bool {
        matches!(self, DbError::Unique { detail } if detail.contains(column))
    }
}

/// A connection to either backend. Implemented for `rusqlite::Connection` and
/// `postgres::Client`.
pub trait Conn: Send {
    fn backend(&self) -> Backend;
    /// Runs one statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Runs one statement and returns all its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;
    /// Runs several statements with no parameters (migrations, transaction control).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;
}

impl dyn Conn + '_ {
    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row, DbError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| DbError::Decode("expected one row, got none".into()))
    }

    /// The first column of the first row: counts, ids from `RETURNING id`.
    pub fn scalar<T: FromValue>(&mut self, sql: &str, params: &[Value]) -> Result<T, DbError> {
        self.query_one(sql, params)?.get(0)
    }
}

/// Where the data lives, as chosen by configuration.
#[derive(Debug, Clone)]
pub enum Location {
    /// `phoihop.db` in this folder.
    SqliteFolder(PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

#[derive(Debug, Clone)]
pub struct Options {
    /// SQLite `synchronous`: FULL unless configured otherwise.
    pub sqlite_synchronous: String,
    pub max_connections: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sqlite_synchronous: "FULL".into(),
            max_connections: 8,
        }
    }
}

/// The shared handle to the database: cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    readers: Pool,
    /// SQLite allows one writer at a time; writes queue here instead of spinning on
    /// `SQLITE_BUSY`. PostgreSQL writes use the shared pool.
    writer: Option<Pool>,
}

impl Db {
    /// Opens the database, creating it when needed, and applies pending migrations.
    pub fn open(location: &Location, options: &Options) -> Result<Db, DbError> {
        let db = match location {
            Location::SqliteFolder(dir) => {
                let path = dir.join("phoihop.db");
                let sync = options.sqlite_synchronous.clone();
                let open = {
                    let (path, sync) = (path.clone(), sync.clone());
                    move || sqlite::open(&path, &sync)
                };
                // Open the writer first so that the file and WAL mode exist before readers.
                let writer = Pool::new(1, Box::new(open.clone()));
                writer.warm()?;
                Db {
                    inner: Arc::new(Inner {
                        backend: Backend::Sqlite,
                        readers: Pool::new(options.max_connections, Box::new(open)),
                        writer: Some(writer),
                    }),
                }
            }
            Location::Postgres(url) => {
                let url = url.clone();
                let pool = Pool::new(
                    options.max_connections,
                    Box::new(move || postgres::connect(&url)),
                );
                pool.warm()?;
                Db {
                    inner: Arc::new(Inner {
                        backend: Backend::Postgres,
                        readers: pool,
                        writer: None,
                    }),
                }
            }
        };
        db.write_blocking(migrate::apply)?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Runs `f` on a connection outside any explicit transaction (each statement is
    /// its own). For reads.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        run_blocking(move || db.read_blocking(f)).await
    }

    /// For indexed lookups that take microseconds (the session behind a cookie, a case
    /// page). On SQLite it runs on the calling thread: the hop to the blocking pool
    /// costs several times more than such a read (about 70 µs of 97, bench/db-choice).
    /// Its statements share one read transaction (one snapshot), so the file locks
    /// are taken and released once, not once per statement: on the case page those
    /// lock calls were a quarter of the time (bench/RESULTS.md). Reads only.
    /// On PostgreSQL, where every query waits on the network, it is [`Db::read`].
    pub async fn read_quick<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        match self.inner.backend {
            Backend::Sqlite => {
                let mut conn = self.inner.readers.get()?;
                conn.execute("BEGIN", &[])?;
                let result = f(conn.as_mut());
                // A read has nothing to keep: end it the same way either way, and
                // report the read's own error before the ending's.
                let ended = conn.execute("COMMIT", &[]);
                let value = result?;
                ended?;
                Ok(value)
            }
            Backend::Postgres => self.read(f).await,
        }
    }

    /// Runs `f` in one write transaction: committed when it returns `Ok`, rolled back
    /// otherwise.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        run_blocking(move || db.write_blocking(f)).await
    }

    pub fn read_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut dyn Conn) -> Result<T, E>,
        E: From<DbError>,
    {
        let mut conn = self.inner.readers.get()?;
        f(conn.as_mut())
    }

    /// A read-only transaction that sees one consistent snapshot (backups).
    pub fn snapshot_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut dyn Conn) -> Result<T, E>,
        E: From<DbError>,
    {
        let mut conn = self.inner.readers.get()?;
        let begin = match self.inner.backend {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        conn.batch(begin)?;
        let result = f(conn.as_mut());
        // A read-only transaction has nothing to keep; end it either way.
        conn.batch("ROLLBACK")?;
        result
    }

    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut dyn Conn) -> Result<T, E>,
        E: From<DbError>,
    {
        let pool = self.inner.writer.as_ref().unwrap_or(&self.inner.readers);
        let mut conn = pool.get()?;
        let begin = match self.inner.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        conn.batch(begin)?;
        match f(conn.as_mut()) {
            Ok(value) => {
                conn.batch("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = conn.batch("ROLLBACK") {
                    tracing::error!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }
}

async fn run_blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(join) => Err(DbError::Other(format!("database task failed: {join}")).into()),
    }
}

/// Deletes the rows of `table` whose `time` column is before `before_ms`, oldest first
/// and at most `limit` (found by `key`), for the purge job; returns how many. The names
/// are the caller's constants, never input.
pub fn delete_oldest(
    conn: &mut dyn Conn,
    table: &str,
    key: &str,
    time: &str,
    before_ms: i64,
    limit: i64,
) -> Result<u64, DbError> {
    conn.execute(
        &format!(
            "DELETE FROM {table} WHERE {key} IN
             (SELECT {key} FROM {table} WHERE {time} < $1 ORDER BY {time} LIMIT {})",
            limit.max(0)
        ),
        crate::params![before_ms],
    )
}

/// A `LIKE` pattern that finds `text` anywhere, with `%`, `_` and `\` in it taken
/// literally. Use with `LIKE $n ESCAPE '\'`.
pub fn like_contains(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// True when `dir` holds a SQLite database of ours.
pub fn sqlite_exists(dir: &Path) -> bool {
    dir.join("phoihop.db").exists()
}
