//! (b) sqlx 0.8 sqlite driver (no macros). A package of its own: sqlx 0.8 needs
//! libsqlite3-sys 0.30 and rusqlite 0.37 needs 0.35, and both `links = "sqlite3"`,
//! so Cargo refuses to put them in one dependency graph, even as optional features.
#[path = "../../src/common.rs"]
mod common;

use common::*;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

struct SqliteSqlx(SqlitePool);

async fn setup(o: &Opts) -> Res<SqliteSqlx> {
    let opts = SqliteConnectOptions::new()
        .filename(fresh_sqlite_file(o, "sqlx-sqlite"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(o.pool as u32)
        .min_connections(o.pool as u32)
        .connect_with(opts)
        .await?;
    sqlx::raw_sql(&seed_script(Dialect::Sqlite)).execute(&pool).await?;
    sqlx::raw_sql(finish_sql(Dialect::Sqlite)).execute(&pool).await?;
    Ok(SqliteSqlx(pool))
}

impl Backend for SqliteSqlx {
    async fn page(&self, token: &str) -> Res<Page> {
        let mut c = self.0.acquire().await?;
        let (user_id, email, display_name, org_id, org_name): (i64, String, String, i64, String) =
            sqlx::query_as(SQLITE_SQL[0])
                .bind(token)
                .bind(NOW)
                .fetch_optional(&mut *c)
                .await?
                .ok_or("no session")?;
        Ok(Page {
            users_in_org: sqlx::query_scalar(SQLITE_SQL[1]).bind(org_id).fetch_one(&mut *c).await?,
            orgs: sqlx::query_scalar(SQLITE_SQL[2]).fetch_one(&mut *c).await?,
            audit_rows: sqlx::query_scalar(SQLITE_SQL[3]).bind(user_id).fetch_one(&mut *c).await?,
            user_id,
            email,
            display_name,
            org_id,
            org_name,
        })
    }
}

#[tokio::main]
async fn main() -> Res<()> {
    let o = Opts::from_args();
    print_header(&o);
    let mut rows = Vec::new();
    if o.wants("sqlx-sqlite") {
        rows.extend(bench("sqlx-sqlite", setup(&o).await?, &o).await);
    }
    println!("{TABLE_HEAD}");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}
