//! SQLite through rusqlite: WAL, foreign keys, `synchronous=FULL` unless configured,
//! a busy timeout, and `$N` placeholders rewritten to SQLite's `?N`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode};

use super::{Backend, Conn, DbError, Row, Value};

pub fn open(path: &Path, synchronous: &str) -> Result<Box<dyn Conn>, DbError> {
    let conn = Connection::open(path)
        .map_err(|e| DbError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    let sync = match synchronous.to_ascii_uppercase().as_str() {
        s @ ("OFF" | "NORMAL" | "FULL" | "EXTRA") => s.to_owned(),
        other => {
            return Err(DbError::Unavailable(format!(
                "unknown synchronous mode {other}"
            )));
        }
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = {sync};
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 10000;
         PRAGMA temp_store = MEMORY;"
    ))
    .map_err(|e| DbError::Unavailable(format!("cannot use {}: {e}", path.display())))?;
    conn.set_prepared_statement_cache_capacity(128);
    Ok(Box::new(SqliteConn {
        conn,
        rewritten: HashMap::new(),
    }))
}

/// A connection with the SQLite form of each SQL text it has seen, so that the
/// `$N` → `?N` rewrite happens once per statement, not once per call.
struct SqliteConn {
    conn: Connection,
    rewritten: HashMap<String, Arc<str>>,
}

impl SqliteConn {
    fn sql(&mut self, sql: &str) -> Arc<str> {
        if let Some(done) = self.rewritten.get(sql) {
            return done.clone();
        }
        let done: Arc<str> = Arc::from(placeholders(sql));
        if self.rewritten.len() >= 512 {
            self.rewritten.clear();
        }
        self.rewritten.insert(sql.to_owned(), done.clone());
        done
    }
}

impl Conn for SqliteConn {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let sql = self.sql(sql);
        let mut stmt = self.conn.prepare_cached(&sql).map_err(map_err)?;
        let n = stmt
            .execute(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let sql = self.sql(sql);
        let mut stmt = self.conn.prepare_cached(&sql).map_err(map_err)?;
        let width = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_err)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i).map_err(map_err)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    // Checked the fast way (SIMD: a search rebuild reads every text in
                    // the database); only text that is not UTF-8 goes the slow one.
                    ValueRef::Text(t) => Value::Text(match simdutf8::basic::from_utf8(t) {
                        Ok(s) => s.to_owned(),
                        Err(_) => String::from_utf8_lossy(t).into_owned(),
                    }),
                    ValueRef::Blob(b) => Value::from(b.to_vec()),
                });
            }
            out.push(Row::new(values));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_batch(sql).map_err(map_err)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(&b.bytes)),
        })
    }
}

fn map_err(e: rusqlite::Error) -> DbError {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg)
            if f.code == ErrorCode::ConstraintViolation
                && matches!(f.extended_code, 2067 | 1555) =>
        {
            DbError::Unique {
                detail: msg.clone().unwrap_or_default(),
            }
        }
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::DiskFull
            ) =>
        {
            DbError::Unavailable(e.to_string())
        }
        _ => DbError::Other(e.to_string()),
    }
}

/// Rewrites PostgreSQL's `$1` placeholders into SQLite's `?1`, leaving string literals
/// alone, so that one SQL text serves both backends.
pub(crate) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            '$' if !in_string && chars.peek().is_some_and(char::is_ascii_digit) => out.push('?'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_become_numbered_question_marks_outside_strings() {
        assert_eq!(
            placeholders("SELECT '$1', a FROM t WHERE b = $1 AND c = $12"),
            "SELECT '$1', a FROM t WHERE b = ?1 AND c = ?12"
        );
    }
}
