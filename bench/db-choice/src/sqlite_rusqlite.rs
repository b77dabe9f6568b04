//! (a) rusqlite 0.37 (bundled SQLite), prepare_cached, via spawn_blocking + BlockingPool.
use crate::common::*;
use rusqlite::{Connection, OptionalExtension};

pub struct Rusqlite {
    pool: BlockingPool<Connection>,
    /// Diagnostic: call SQLite on the async worker instead of via spawn_blocking.
    inline: bool,
}

fn open(path: &str) -> rusqlite::Result<Connection> {
    let c = Connection::open(path)?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    c.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(c)
}

pub async fn setup(o: &Opts, inline: bool) -> Res<Rusqlite> {
    let path = fresh_sqlite_file(o, if inline { "rusqlite-inline" } else { "rusqlite" });
    let c = open(&path)?;
    c.execute_batch(&seed_script(Dialect::Sqlite))?;
    c.execute_batch(finish_sql(Dialect::Sqlite))?;
    let mut conns = vec![c];
    for _ in 1..o.pool {
        conns.push(open(&path)?);
    }
    Ok(Rusqlite { pool: BlockingPool::new(conns), inline })
}

fn page(c: &mut Connection, token: &str) -> Res<Page> {
    let (user_id, email, display_name, org_id, org_name) = c
        .prepare_cached(SQLITE_SQL[0])?
        .query_row((token, NOW), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?
        .ok_or("no session")?;
    let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> {
        c.prepare_cached(sql)?.query_row(p, |r| r.get(0))
    };
    Ok(Page {
        users_in_org: count(SQLITE_SQL[1], &[&org_id])?,
        orgs: count(SQLITE_SQL[2], &[])?,
        audit_rows: count(SQLITE_SQL[3], &[&user_id])?,
        user_id,
        email,
        display_name,
        org_id,
        org_name,
    })
}

impl Backend for Rusqlite {
    async fn page(&self, token: &str) -> Res<Page> {
        if self.inline {
            return self.pool.run_inline(|c| page(c, token)).await;
        }
        let token = token.to_owned();
        self.pool.run(move |c| page(c, &token)).await
    }
}
