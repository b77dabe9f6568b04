//! (d) tokio-postgres 0.7 with a deadpool-postgres pool and its prepare_cached.
//! `pipelined: true` sends the three COUNTs together on one connection (tokio-postgres pipelines
//! concurrent queries on a client); `false` awaits them one after another like the others.
use crate::common::*;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;

pub struct PgTokio {
    pool: Pool,
    pipelined: bool,
}

pub async fn setup(o: &Opts, pipelined: bool) -> Res<PgTokio> {
    let cfg: tokio_postgres::Config = o.pg_url.parse()?;
    let (c, conn) = cfg.connect(NoTls).await?;
    let driver = tokio::spawn(conn);
    c.batch_execute(&seed_script(Dialect::Postgres)).await?;
    c.batch_execute(finish_sql(Dialect::Postgres)).await?;
    drop(c);
    driver.await??;
    let mgr = Manager::from_config(cfg, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    let pool = Pool::builder(mgr).max_size(o.pool).build()?;
    Ok(PgTokio { pool, pipelined })
}

impl Backend for PgTokio {
    async fn page(&self, token: &str) -> Res<Page> {
        let c = self.pool.get().await?;
        let s0 = c.prepare_cached(PG_SQL[0]).await?;
        let r = c.query_opt(&s0, &[&token, &NOW]).await?.ok_or("no session")?;
        let (user_id, org_id): (i64, i64) = (r.get(0), r.get(3));
        let (s1, s2, s3) = (
            c.prepare_cached(PG_SQL[1]).await?,
            c.prepare_cached(PG_SQL[2]).await?,
            c.prepare_cached(PG_SQL[3]).await?,
        );
        let (a, b, d) = if self.pipelined {
            let (p1, p3): ([&(dyn ToSql + Sync); 1], [&(dyn ToSql + Sync); 1]) = ([&org_id], [&user_id]);
            tokio::try_join!(c.query_one(&s1, &p1), c.query_one(&s2, &[]), c.query_one(&s3, &p3))?
        } else {
            (
                c.query_one(&s1, &[&org_id]).await?,
                c.query_one(&s2, &[]).await?,
                c.query_one(&s3, &[&user_id]).await?,
            )
        };
        Ok(Page {
            users_in_org: a.get(0),
            orgs: b.get(0),
            audit_rows: d.get(0),
            user_id,
            email: r.get(1),
            display_name: r.get(2),
            org_id,
            org_name: r.get(4),
        })
    }
}
