//! PostgreSQL through the synchronous `postgres` client (run on the blocking pool).
//! Integer columns are `BIGINT` throughout, so an `i64` binds everywhere; the
//! conversions below accept the few other types that expressions can produce.
//!
//! A connection survives its server: when the database restarts, fails over or
//! terminates our backend (`pg_terminate_backend`), the next statement outside a
//! transaction finds the connection lost, opens a new one and, when running it again
//! cannot do anything twice (a `SELECT`, or the `BEGIN` that opens a transaction), runs
//! it again. Inside a transaction nothing is retried: the error goes up, the
//! transaction is over (the server rolled it back), and the next use reconnects.
//! While the server is down every statement answers [`DbError::Unavailable`] at once.

use std::error::Error as _;
use std::time::Duration;

use std::collections::HashMap;

use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Config, NoTls, Statement};

use super::{Backend, Conn, DbError, Row, Value};

/// How long opening a connection may take before the database counts as unreachable
/// (unless the URL sets `connect_timeout` itself).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub fn connect(url: &str) -> Result<Box<dyn Conn>, DbError> {
    let mut config: Config = url
        .parse()
        .map_err(|e: postgres::Error| DbError::Unavailable(describe(&e)))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let client = open(&config)?;
    Ok(Box::new(PgConn {
        config,
        client,
        statements: HashMap::new(),
        in_transaction: false,
        lost: false,
    }))
}

fn open(config: &Config) -> Result<Client, DbError> {
    config
        .connect(NoTls)
        .map_err(|e| DbError::Unavailable(describe(&e)))
}

/// A client with its prepared statements kept, as rusqlite's `prepare_cached` does.
struct PgConn {
    config: Config,
    client: Client,
    statements: HashMap<String, Statement>,
    /// Between our `BEGIN` and its `COMMIT` or `ROLLBACK`: nothing may be retried.
    in_transaction: bool,
    /// The server closed or refused this connection; replace it before the next use.
    lost: bool,
}

impl PgConn {
    fn prepare(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(stmt) = self.statements.get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.client.prepare(sql).map_err(map_err)?;
        if self.statements.len() >= 256 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    /// Replaces a lost connection (its prepared statements went with it).
    fn reconnect(&mut self) -> Result<(), DbError> {
        self.statements.clear();
        self.client = open(&self.config)?;
        self.lost = false;
        tracing::info!("reconnected to the database");
        Ok(())
    }

    /// Runs `op` on a live connection. Outside a transaction a lost connection is
    /// replaced first, and when `op` finds it lost and `repeatable` says running the
    /// statement again cannot do anything twice, `op` runs once more on a new one.
    /// Inside a transaction a lost connection fails every statement until the
    /// transaction ends: nothing may run outside the transaction it belonged to.
    fn run<T>(
        &mut self,
        repeatable: bool,
        op: impl Fn(&mut Self) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut retries = usize::from(repeatable);
        loop {
            if self.lost || self.client.is_closed() {
                if self.in_transaction {
                    return Err(DbError::Unavailable(
                        "the database connection was lost during this transaction".into(),
                    ));
                }
                self.reconnect()?;
            }
            match op(self) {
                Err(DbError::Unavailable(why)) => {
                    self.lost = true;
                    if self.in_transaction || retries == 0 {
                        return Err(DbError::Unavailable(why));
                    }
                    tracing::warn!(error = %why, "database connection lost; reconnecting");
                    retries -= 1;
                }
                other => return other,
            }
        }
    }
}

/// True for statements that read only, so running them again is harmless.
fn reads_only(sql: &str) -> bool {
    let head = sql.trim_start();
    head.get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case("SELECT"))
}

impl Conn for PgConn {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        self.run(reads_only(sql), |conn| {
            let stmt = conn.prepare(sql)?;
            conn.client.execute(&stmt, &refs(params)).map_err(map_err)
        })
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        self.run(reads_only(sql), |conn| {
            let stmt = conn.prepare(sql)?;
            let rows = conn.client.query(&stmt, &refs(params)).map_err(map_err)?;
            rows.iter().map(convert_row).collect()
        })
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        let head = sql.trim_start();
        let word = |w: &str| {
            head.get(..w.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(w))
        };
        if word("CREATE") || sql.contains("ALTER ") {
            // Schema changes invalidate prepared statements.
            self.statements.clear();
        }
        if word("ROLLBACK") && self.in_transaction && (self.lost || self.client.is_closed()) {
            // The server ended the transaction with the connection: nothing to undo.
            self.in_transaction = false;
            return Ok(());
        }
        let begins = word("BEGIN");
        let result = self.run(begins, |conn| {
            conn.client.batch_execute(sql).map_err(map_err)
        });
        if begins {
            self.in_transaction = result.is_ok();
        } else if word("COMMIT") || word("ROLLBACK") {
            self.in_transaction = false;
        }
        result
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

fn convert_row(row: &postgres::Row) -> Result<Row, DbError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let decode = |e: postgres::Error| DbError::Decode(format!("{}: {e}", column.name()));
        let value = match *ty {
            Type::INT8 => row
                .try_get::<_, Option<i64>>(i)
                .map_err(decode)?
                .map(Value::Int),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)
                .map_err(decode)?
                .map(|v| Value::Int(v.into())),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)
                .map_err(decode)?
                .map(|v| Value::Int(v.into())),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)
                .map_err(decode)?
                .map(|v| Value::Int(v.into())),
            Type::FLOAT8 => row
                .try_get::<_, Option<f64>>(i)
                .map_err(decode)?
                .map(Value::Real),
            Type::FLOAT4 => row
                .try_get::<_, Option<f32>>(i)
                .map_err(decode)?
                .map(|v| Value::Real(v.into())),
            Type::BYTEA => row
                .try_get::<_, Option<Vec<u8>>>(i)
                .map_err(decode)?
                .map(Value::from),
            _ => row
                .try_get::<_, Option<String>>(i)
                .map_err(decode)?
                .map(Value::Text),
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row::new(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(v) => v.to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.bytes.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn map_err(e: postgres::Error) -> DbError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::UNIQUE_VIOLATION {
            return DbError::Unique {
                detail: db.constraint().unwrap_or(db.message()).to_owned(),
            };
        }
        // The server is shutting down, restarting, or ended this backend: the
        // connection is gone, not the statement wrong.
        if [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
        ]
        .contains(code)
        {
            return DbError::Unavailable(format!("{}: {}", code.code(), db.message()));
        }
        return DbError::Other(format!("{}: {}", code.code(), db.message()));
    }
    if e.is_closed() {
        return DbError::Unavailable(describe(&e));
    }
    // An I/O error on the socket (reset, broken pipe) also leaves no connection.
    if e.source().is_some_and(|s| s.is::<std::io::Error>()) {
        return DbError::Unavailable(describe(&e));
    }
    DbError::Other(describe(&e))
}

/// The error with its causes, on one line ("connection refused" lives in the source).
fn describe(e: &postgres::Error) -> String {
    match e.source() {
        Some(source) => format!("{e}: {source}"),
        None => e.to_string(),
    }
}
