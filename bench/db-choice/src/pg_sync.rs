//! (c) sync `postgres` 0.19, statements prepared once per connection, via spawn_blocking + BlockingPool.
use crate::common::*;
use postgres::{Client, NoTls, Statement};

pub struct PgSync(BlockingPool<(Client, Vec<Statement>)>);

pub async fn setup(o: &Opts) -> Res<PgSync> {
    let (url, n) = (o.pg_url.clone(), o.pool);
    // postgres::Client runs its own small runtime, so it must not be created on a tokio worker.
    let conns = tokio::task::spawn_blocking(move || -> Res<Vec<(Client, Vec<Statement>)>> {
        let mut c = Client::connect(&url, NoTls)?;
        c.batch_execute(&seed_script(Dialect::Postgres))?;
        c.batch_execute(finish_sql(Dialect::Postgres))?;
        drop(c);
        (0..n)
            .map(|_| {
                let mut c = Client::connect(&url, NoTls)?;
                let stmts = PG_SQL.iter().map(|q| c.prepare(q)).collect::<Result<_, _>>()?;
                Ok((c, stmts))
            })
            .collect()
    })
    .await??;
    Ok(PgSync(BlockingPool::new(conns)))
}

fn page(c: &mut Client, s: &[Statement], token: &str) -> Res<Page> {
    let r = c.query_opt(&s[0], &[&token, &NOW])?.ok_or("no session")?;
    let (user_id, org_id): (i64, i64) = (r.get(0), r.get(3));
    Ok(Page {
        users_in_org: c.query_one(&s[1], &[&org_id])?.get(0),
        orgs: c.query_one(&s[2], &[])?.get(0),
        audit_rows: c.query_one(&s[3], &[&user_id])?.get(0),
        user_id,
        email: r.get(1),
        display_name: r.get(2),
        org_id,
        org_name: r.get(4),
    })
}

impl Backend for PgSync {
    async fn page(&self, token: &str) -> Res<Page> {
        let token = token.to_owned();
        self.0.run(move |(c, s)| page(c, s, &token)).await
    }
}
