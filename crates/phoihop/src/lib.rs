//! Phối hợp: the software that runs a coordination program (chương trình phối hợp)
//! between a lead body and its partner agencies. See README.md for a tour and
//! docs/ARCHITECTURE.md for how the pieces fit.

#![forbid(unsafe_code)]

pub mod access;
pub mod attachment;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod case;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod kit;
pub mod notify;
pub mod org;
pub mod program;
pub mod refdata;
pub mod report;
pub mod search;
pub mod web;

#[cfg(test)]
mod layers_tests;
#[cfg(test)]
mod sample_kind_tests;
#[cfg(test)]
mod test_server;

use std::path::Path;

use anyhow::Context;

use crate::config::Config;
use crate::db::Db;

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Makes sure the data folder exists and can be written, with a message that names it.
pub fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    let probe = dir.join(".phoihop-write-test");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("the data folder {} cannot be written", dir.display()))?;
    std::fs::remove_file(&probe).ok();
    Ok(())
}

/// Opens the database the configuration names (creating and migrating it as needed).
pub fn open_db(config: &Config) -> anyhow::Result<Db> {
    if config.database_url.is_none() {
        prepare_data_dir(&config.data_dir)?;
    }
    Db::open(&config.location(), &config.db_options()).map_err(|e| match config.database_url {
        Some(ref url) => anyhow::anyhow!(
            "cannot use the database at {}: {e}",
            config::redact_url(url)
        ),
        None => anyhow::anyhow!(
            "cannot use the database in {}: {e}",
            config.data_dir.display()
        ),
    })
}

/// Opens the database, creates the demo province when asked, binds the address,
/// opens the search index and starts the background work. Returns the node and the
/// bound listener; [`web::serve`] runs it.
pub async fn start(config: Config) -> anyhow::Result<(web::Node, tokio::net::TcpListener)> {
    let started = std::time::Instant::now();
    // A kind declared wrong (a label with no English, an unknown state…) would show
    // itself only on the page that reaches it: refuse to start instead, naming it.
    case::kinds::check(case::kinds::ALL)
        .map_err(|e| anyhow::anyhow!("a kind of case is declared wrong: {e}"))?;
    let db = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || open_db(&config)).await??
    };
    if db.backend() == db::Backend::Postgres {
        let (db, data_dir) = (db.clone(), config.data_dir.clone());
        tokio::task::spawn_blocking(move || attachment::store::adopt_folder(&db, &data_dir))
            .await??;
    }
    if config.demo {
        let db = db.clone();
        let data_dir = config.data_dir.clone();
        tokio::task::spawn_blocking(move || demo::ensure(&db, &data_dir)).await??;
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(
        address = %listener.local_addr()?,
        ms = started.elapsed().as_millis() as u64,
        "ready"
    );
    let search = search::Index::for_config(&config);
    let app = kit::App::new(db, config);
    let every = std::time::Duration::from_secs(app.config.jobs_interval_secs.max(1));
    let relay = app
        .config
        .smtp_server
        .clone()
        .map(|server| notify::mail::Relay {
            server,
            from: app.config.mail_from.clone(),
        });
    if let Some(indexer) = search::indexer::open(app.db.clone(), search.clone()).await {
        tokio::spawn(search::indexer::run(indexer));
    }
    tokio::spawn(notify::jobs::run(
        app.db.clone(),
        app.node.to_string(),
        every,
        relay,
        notify::retention::Retention::configured(&app.config),
    ));
    Ok((web::Node { app, search }, listener))
}
