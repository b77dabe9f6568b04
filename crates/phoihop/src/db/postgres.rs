//! PostgreSQL through the synchronous `postgres` client (run on the blocking pool).
//! Integer columns are `BIGINT` throughout, so an `i64` binds everywhere; the
//! conversions below accept the few other types that expressions can produce.

use std::error::Error as _;

use std::collections::HashMap;

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use super::{Backend, Conn, DbError, Row, Value};

pub fn connect(url: &str) -> Result<Box<dyn Conn>, DbError> {
    let client = Client::connect(url, NoTls).map_err(|e| DbError::Unavailable(describe(&e)))?;
    Ok(Box::new(PgConn {
        client,
        statements: HashMap::new(),
    }))
}

/// A client with its prepared statements kept, as rusqlite's `prepare_cached` does.
struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
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
}

impl Conn for PgConn {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let stmt = self.prepare(sql)?;
        self.client.execute(&stmt, &refs(params)).map_err(map_err)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let stmt = self.prepare(sql)?;
        let rows = self.client.query(&stmt, &refs(params)).map_err(map_err)?;
        rows.iter().map(convert_row).collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        if sql.trim_start().starts_with("CREATE") || sql.contains("ALTER ") {
            // Schema changes invalidate prepared statements.
            self.statements.clear();
        }
        self.client.batch_execute(sql).map_err(map_err)
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
        if *db.code() == postgres::error::SqlState::UNIQUE_VIOLATION {
            return DbError::Unique {
                detail: db.constraint().unwrap_or(db.message()).to_owned(),
            };
        }
        return DbError::Other(format!("{}: {}", db.code().code(), db.message()));
    }
    if e.is_closed() {
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
