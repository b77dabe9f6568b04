//! The search benchmark's data (issue 4): `search-data` writes `count` generated cases
//! of realistic Vietnamese text (see `vocab.rs`) into a phoihop data folder (SQLite, in
//! bulk transactions, owned by the demo's agencies; the incidents' own generator,
//! `case/kinds/incident/bench.rs`, writes them) and the same rows into PostgreSQL as the
//! reference (a stored `tsvector` over `unaccent`, a GIN index), then writes the seed
//! and size. The text comes from `corpus.rs`; `search-bench` (`search_run.rs`)
//! measures both engines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use phoihop::case::kinds::incident::{
    self,
    bench::{Doc, Installation, Run},
};
use phoihop::db::{Db, DbError, Location, Options};
use serde_json::{Value, json};

use crate::corpus::{Corpus, GenDoc};

pub fn open(data: &Path) -> anyhow::Result<Db> {
    Ok(Db::open(
        &Location::SqliteFolder(data.to_owned()),
        &Options::default(),
    )?)
}

/// The demo's partner agencies (current, by id) and the lead body, as the incidents'
/// generator reads them: what the corpus is made over.
pub fn organisations(db: &Db) -> anyhow::Result<(Vec<i64>, i64)> {
    let inst = db.read_blocking(Installation::read)?;
    Ok((inst.agencies, inst.lead))
}

/// `url` (a server's URL with a database) pointing at database `db` instead.
pub fn pg_url_for(url: &str, db: &str) -> String {
    match url.rsplit_once('/') {
        Some((server, _)) if server.contains("//") && !server.ends_with('/') => {
            format!("{server}/{db}")
        }
        _ => format!("{url}/{db}"),
    }
}

/// What `search-bench` needs to make the same corpus again.
pub fn meta_path(data: &Path) -> PathBuf {
    data.join("search-bench.json")
}

fn copy_field(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// The reference table: what a developer would write for full-text search in
/// PostgreSQL. `unaccent` is only STABLE, so the stored column goes through the usual
/// IMMUTABLE wrapper.
const PG_SCHEMA: &str = "
    CREATE EXTENSION IF NOT EXISTS unaccent;
    CREATE FUNCTION immutable_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent', $1) $$;
    CREATE TABLE cases (
        id              bigint PRIMARY KEY,
        number          text NOT NULL,
        title           text NOT NULL,
        body            text NOT NULL,
        owner_org_id    bigint NOT NULL,
        assignee_org_id bigint,
        opened_at       bigint NOT NULL,
        tsv tsvector GENERATED ALWAYS AS
            (to_tsvector('simple', immutable_unaccent(title || ' ' || body))) STORED
    );
";

/// Writes `count` cases into the data folder and into a new PostgreSQL database `pg_db`
/// on the server at `pg_url`.
pub fn generate(
    data: PathBuf,
    count: usize,
    seed: u64,
    pg_url: &str,
    pg_db: &str,
) -> anyhow::Result<()> {
    let db = open(&data)?;
    let now = phoihop::clock::now_ms();
    let (run, base) = db.read_blocking(|c| -> Result<_, DbError> {
        Ok((
            Run::search(c, count, now)?,
            c.scalar::<i64>("SELECT COALESCE(MAX(id), 0) + 1 FROM cases", &[])?,
        ))
    })?;
    let inst = &run.installation;
    let corpus = Corpus::new(seed, inst.agencies.clone(), inst.lead);
    let mut admin = postgres::Client::connect(pg_url, postgres::NoTls)?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {pg_db}"))?;
    admin.batch_execute(&format!("CREATE DATABASE {pg_db}"))?;
    let mut pg = postgres::Client::connect(&pg_url_for(pg_url, pg_db), postgres::NoTls)
        .context("connecting to the benchmark database")?;
    pg.batch_execute(PG_SCHEMA)?;

    let started = Instant::now();
    let mut copy = pg.copy_in(
        "COPY cases (id, number, title, body, owner_org_id, assignee_org_id, opened_at) FROM STDIN",
    )?;
    let (mut syllables, mut bytes, mut modern) = (0usize, 0usize, 0usize);
    let mut frequency = vec![0u64; corpus.vocab.syllables.len()];
    let mut line = Vec::with_capacity(4096);
    let batch = 10_000;
    let mut done = 0;
    while done < count {
        let upto = (done + batch).min(count);
        let docs: Vec<GenDoc> = (done..upto).map(|i| corpus.doc(i)).collect();
        let mut rows = Vec::with_capacity(docs.len() * 1024);
        db.write_blocking(|c| -> Result<(), DbError> {
            for (k, d) in docs.iter().enumerate() {
                let i = done + k;
                let incident = run.searched(
                    i,
                    base + i as i64,
                    &Doc {
                        title: &d.title,
                        body: &d.body,
                        note: d.note.as_deref(),
                        owner: d.owner,
                        assignee: d.assignee,
                    },
                );
                incident::bench::write(c, &incident)?;
                // The same text the index sees: the body, then the timeline's notes.
                line.clear();
                let (id, number, opened) = (base + i as i64, &incident.number, incident.opened);
                line.extend_from_slice(format!("{id}\t{number}\t").as_bytes());
                copy_field(&mut line, &d.title);
                line.push(b'\t');
                copy_field(&mut line, &d.body);
                if let Some(note) = &d.note {
                    line.extend_from_slice(b"\\n");
                    copy_field(&mut line, note);
                }
                line.extend_from_slice(
                    format!("\t{}\t{}\t{opened}\n", d.owner, d.assignee).as_bytes(),
                );
                rows.extend_from_slice(&line);
            }
            Ok(())
        })?;
        copy.write_all(&rows)?;
        for d in &docs {
            for &id in &d.ids {
                if let Some(n) = frequency.get_mut(id as usize) {
                    *n += 1;
                }
            }
            syllables += d.ids.len();
            bytes += d.title.len() + d.body.len() + d.note.as_ref().map_or(0, String::len);
            modern += usize::from(d.modern);
        }
        done = upto;
        eprint!("\r{done} cases");
    }
    copy.finish()?;
    let written = started.elapsed();
    eprintln!();
    println!(
        "generated {count} cases ({syllables} syllables, {:.0} MB of text, {:.0} % in the modern tone placement) \
         into SQLite and PostgreSQL (COPY, tsvector computed on the way) in {:.1} s",
        bytes as f64 / 1e6,
        modern as f64 * 100.0 / count.max(1) as f64,
        written.as_secs_f64()
    );
    println!(
        "vocabulary: {} syllables, {} words ({} curated); mean {:.0} syllables per case",
        corpus.vocab.syllables.len(),
        corpus.vocab.words.len(),
        corpus.vocab.curated,
        syllables as f64 / count.max(1) as f64
    );
    let mut ranked: Vec<(u64, usize)> = frequency.iter().copied().zip(0..).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let share = |n: u64| n as f64 * 100.0 / syllables.max(1) as f64;
    let top: Vec<String> = ranked
        .iter()
        .take(8)
        .map(|&(n, id)| format!("{} {:.1} %", corpus.vocab.syllables[id], share(n)))
        .collect();
    let cover = |k: usize| share(ranked.iter().take(k).map(|r| r.0).sum());
    println!(
        "syllable frequencies: {}; the top 100 syllables are {:.0} % of the text, the top 1,000 {:.0} %",
        top.join(", "),
        cover(100),
        cover(1000)
    );
    let t = Instant::now();
    pg.batch_execute(
        "SET maintenance_work_mem = '1GB';
         CREATE INDEX cases_tsv ON cases USING gin (tsv);",
    )?;
    let gin = t.elapsed();
    let t = Instant::now();
    for sql in [
        "CREATE INDEX cases_owner ON cases (owner_org_id)",
        "CREATE INDEX cases_assignee ON cases (assignee_org_id)",
        "VACUUM ANALYZE cases",
    ] {
        pg.batch_execute(sql)?;
    }
    let rest = t.elapsed();
    let size: String = pg
        .query_one(
            "SELECT pg_size_pretty(pg_total_relation_size('cases')) || ' (GIN ' || pg_size_pretty(pg_relation_size('cases_tsv')) || ')'",
            &[],
        )?
        .get(0);
    println!(
        "PostgreSQL: GIN index built in {:.1} s (maintenance_work_mem 1GB); owner/assignee indexes and VACUUM ANALYZE {:.1} s; table {size}",
        gin.as_secs_f64(),
        rest.as_secs_f64()
    );
    let meta = json!({ "seed": seed, "count": count, "base": base, "pg_db": pg_db });
    std::fs::write(meta_path(&data), serde_json::to_vec_pretty(&meta)?)?;
    Ok(())
}

/// Reads what `generate` recorded: (seed, count, first case id, PostgreSQL database).
pub fn read_meta(data: &Path) -> anyhow::Result<(u64, usize, i64, String)> {
    let v: Value = serde_json::from_slice(&std::fs::read(meta_path(data))?)?;
    let n = |k: &str| {
        v[k].as_i64()
            .with_context(|| format!("{k} in search-bench.json"))
    };
    Ok((
        n("seed")? as u64,
        n("count")? as usize,
        n("base")?,
        v["pg_db"]
            .as_str()
            .unwrap_or("phoihop_bench_search")
            .to_owned(),
    ))
}
