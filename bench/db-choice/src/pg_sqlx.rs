//! (e) sqlx 0.8 postgres driver (no macros); sqlx caches prepared statements per connection.
use crate::common::*;
use sqlx::postgres::{PgPool, PgPoolOptions};

pub struct PgSqlx(PgPool);

pub async fn setup(o: &Opts) -> Res<PgSqlx> {
    let pool = PgPoolOptions::new()
        .max_connections(o.pool as u32)
        .min_connections(o.pool as u32)
        .connect(&o.pg_url)
        .await?;
    sqlx::raw_sql(&seed_script(Dialect::Postgres)).execute(&pool).await?;
    sqlx::raw_sql(finish_sql(Dialect::Postgres)).execute(&pool).await?;
    Ok(PgSqlx(pool))
}

impl Backend for PgSqlx {
    async fn page(&self, token: &str) -> Res<Page> {
        let mut c = self.0.acquire().await?;
        let (user_id, email, display_name, org_id, org_name): (i64, String, String, i64, String) =
            sqlx::query_as(PG_SQL[0])
                .bind(token)
                .bind(NOW)
                .fetch_optional(&mut *c)
                .await?
                .ok_or("no session")?;
        Ok(Page {
            users_in_org: sqlx::query_scalar(PG_SQL[1]).bind(org_id).fetch_one(&mut *c).await?,
            orgs: sqlx::query_scalar(PG_SQL[2]).fetch_one(&mut *c).await?,
            audit_rows: sqlx::query_scalar(PG_SQL[3]).bind(user_id).fetch_one(&mut *c).await?,
            user_id,
            email,
            display_name,
            org_id,
            org_name,
        })
    }
}
