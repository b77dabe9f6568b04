//! db-choice: which data-access crate for the signed-in home page pattern?
//! Candidates (a) rusqlite, (c) postgres (sync), (d) tokio-postgres, (e) sqlx-postgres.
//! (b) sqlx-sqlite is the separate package in `sqlx-sqlite/` (see common.rs for why).
mod common;
#[cfg(feature = "pg-sync")]
mod pg_sync;
#[cfg(feature = "sqlx-pg")]
mod pg_sqlx;
#[cfg(feature = "pg-tokio")]
mod pg_tokio;
#[cfg(feature = "rusqlite")]
mod sqlite_rusqlite;

#[allow(unused_imports)]
use common::{Opts, Res, TABLE_HEAD, bench, print_header};

#[tokio::main]
async fn main() -> Res<()> {
    #[allow(unused_variables, unused_mut)]
    let (o, mut rows) = (Opts::from_args(), Vec::<String>::new());
    print_header(&o);
    #[cfg(feature = "rusqlite")]
    if o.wants("rusqlite") {
        rows.extend(bench("rusqlite", sqlite_rusqlite::setup(&o, false).await?, &o).await);
    }
    #[cfg(feature = "rusqlite")]
    if o.wants("rusqlite-inline") {
        rows.extend(bench("rusqlite-inline", sqlite_rusqlite::setup(&o, true).await?, &o).await);
    }
    #[cfg(feature = "pg-sync")]
    if o.wants("postgres-sync") {
        rows.extend(bench("postgres-sync", pg_sync::setup(&o).await?, &o).await);
    }
    #[cfg(feature = "pg-tokio")]
    if o.wants("tokio-postgres") {
        rows.extend(bench("tokio-postgres", pg_tokio::setup(&o, false).await?, &o).await);
    }
    #[cfg(feature = "pg-tokio")]
    if o.wants("tokio-postgres-pipelined") {
        rows.extend(bench("tokio-postgres-pipelined", pg_tokio::setup(&o, true).await?, &o).await);
    }
    #[cfg(feature = "sqlx-pg")]
    if o.wants("sqlx-postgres") {
        rows.extend(bench("sqlx-postgres", pg_sqlx::setup(&o).await?, &o).await);
    }
    println!("{TABLE_HEAD}");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}
