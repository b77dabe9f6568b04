//! Configuration, in layers: built-in defaults, then an optional TOML file, then
//! `PHOIHOP_*` environment variables, then command-line flags. Each layer only sets
//! what it names. The database URL may carry a password, so `Debug` redacts it.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db;

#[derive(Clone)]
pub struct Config {
    /// The data folder: `phoihop.db`, `files/`, `search/`.
    pub data_dir: PathBuf,
    /// `postgres://…`; when absent the data lives in SQLite inside `data_dir`.
    pub database_url: Option<String>,
    pub listen: SocketAddr,
    /// Sign a person out after this many seconds without a request.
    pub session_idle_secs: u64,
    /// SQLite `synchronous` mode: FULL keeps every acknowledged write through a power cut.
    pub sqlite_synchronous: String,
    pub db_max_connections: usize,
    /// Mark cookies `Secure` (set when served over HTTPS behind a proxy).
    pub secure_cookies: bool,
    /// Serve the demo province and accept the demo accounts' password.
    pub demo: bool,
    /// Failed sign-ins allowed per account (and ×4 per address) in `login_window_secs`.
    pub login_max_failures: i64,
    pub login_window_secs: i64,
    /// How often background jobs (the deadline check, mail) run, on one node at a time.
    pub jobs_interval_secs: u64,
    /// The SMTP relay (`host:port`) notifications are mailed through; none: no mail.
    pub smtp_server: Option<String>,
    /// The sender of those mails.
    pub mail_from: String,
    /// Largest attachment accepted, in bytes.
    pub attachment_max_bytes: u64,
    /// This node's search index folder; none: `search/` in the data folder. Nodes that
    /// share a data folder need one each.
    pub search_dir: Option<PathBuf>,
    /// Days a session row is kept after its last use.
    pub retention_sessions_days: i64,
    /// Days an outbox row is kept (a node stopped longer rebuilds its search index).
    pub retention_outbox_days: i64,
    /// Days a read notification is kept after it was read.
    pub retention_read_notifications_days: i64,
    /// The `phoihop` program, to rebuild the search index in a child process (set by
    /// `phoihop serve`; none: in this process, as tests and benchmarks do).
    pub index_builder_program: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("phoihop-data"),
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            session_idle_secs: 15 * 60,
            sqlite_synchronous: "FULL".into(),
            db_max_connections: 8,
            secure_cookies: false,
            demo: false,
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            jobs_interval_secs: 60,
            smtp_server: None,
            mail_from: "phoihop@localhost".into(),
            attachment_max_bytes: 20 * 1024 * 1024,
            search_dir: None,
            retention_sessions_days: 30,
            retention_outbox_days: 7,
            retention_read_notifications_days: 90,
            index_builder_program: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("listen", &self.listen)
            .field("session_idle_secs", &self.session_idle_secs)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("db_max_connections", &self.db_max_connections)
            .field("secure_cookies", &self.secure_cookies)
            .field("demo", &self.demo)
            .field("login_max_failures", &self.login_max_failures)
            .field("login_window_secs", &self.login_window_secs)
            .field("jobs_interval_secs", &self.jobs_interval_secs)
            .field("smtp_server", &self.smtp_server)
            .field("mail_from", &self.mail_from)
            .field("attachment_max_bytes", &self.attachment_max_bytes)
            .field("search_dir", &self.search_dir)
            .field("retention_sessions_days", &self.retention_sessions_days)
            .field("retention_outbox_days", &self.retention_outbox_days)
            .field(
                "retention_read_notifications_days",
                &self.retention_read_notifications_days,
            )
            .field("index_builder_program", &self.index_builder_program)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// One layer: every setting optional. The TOML file, the environment and the flags
/// each produce one of these.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<SocketAddr>,
    pub session_idle_secs: Option<u64>,
    pub sqlite_synchronous: Option<String>,
    pub db_max_connections: Option<usize>,
    pub secure_cookies: Option<bool>,
    pub demo: Option<bool>,
    pub login_max_failures: Option<i64>,
    pub login_window_secs: Option<i64>,
    pub jobs_interval_secs: Option<u64>,
    pub smtp_server: Option<String>,
    pub mail_from: Option<String>,
    pub attachment_max_bytes: Option<u64>,
    pub search_dir: Option<PathBuf>,
    pub retention_sessions_days: Option<i64>,
    pub retention_outbox_days: Option<i64>,
    pub retention_read_notifications_days: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {name}={value:?} is not valid: {message}")]
    Env {
        name: String,
        value: String,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Defaults → file → environment → flags.
    pub fn load(
        file: Option<&Path>,
        env: &BTreeMap<String, String>,
        flags: Layer,
    ) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if let Some(path) = file {
            config.apply(read_file(path)?);
        }
        config.apply(from_env(env)?);
        config.apply(flags);
        config.validate()?;
        Ok(config)
    }

    fn apply(&mut self, layer: Layer) {
        let Layer {
            data_dir,
            database_url,
            listen,
            session_idle_secs,
            sqlite_synchronous,
            db_max_connections,
            secure_cookies,
            demo,
            login_max_failures,
            login_window_secs,
            jobs_interval_secs,
            smtp_server,
            mail_from,
            attachment_max_bytes,
            search_dir,
            retention_sessions_days,
            retention_outbox_days,
            retention_read_notifications_days,
        } = layer;
        set(&mut self.data_dir, data_dir);
        if database_url.is_some() {
            self.database_url = database_url.filter(|u| !u.is_empty());
        }
        set(&mut self.listen, listen);
        set(&mut self.session_idle_secs, session_idle_secs);
        set(&mut self.sqlite_synchronous, sqlite_synchronous);
        set(&mut self.db_max_connections, db_max_connections);
        set(&mut self.secure_cookies, secure_cookies);
        set(&mut self.demo, demo);
        set(&mut self.login_max_failures, login_max_failures);
        set(&mut self.login_window_secs, login_window_secs);
        set(&mut self.jobs_interval_secs, jobs_interval_secs);
        if smtp_server.is_some() {
            self.smtp_server = smtp_server.filter(|s| !s.is_empty());
        }
        set(&mut self.mail_from, mail_from);
        set(&mut self.attachment_max_bytes, attachment_max_bytes);
        if search_dir.is_some() {
            self.search_dir = search_dir;
        }
        set(&mut self.retention_sessions_days, retention_sessions_days);
        set(&mut self.retention_outbox_days, retention_outbox_days);
        set(
            &mut self.retention_read_notifications_days,
            retention_read_notifications_days,
        );
    }

    fn validate(&self) -> Result<(), ConfigError> {
        for (name, days) in [
            ("retention_sessions_days", self.retention_sessions_days),
            ("retention_outbox_days", self.retention_outbox_days),
            (
                "retention_read_notifications_days",
                self.retention_read_notifications_days,
            ),
        ] {
            if days < 1 {
                return Err(ConfigError::Invalid(format!(
                    "{name} must be a number of days, at least 1 (got {days}); nothing is purged until it is"
                )));
            }
        }
        if self.session_idle_secs == 0 {
            return Err(ConfigError::Invalid(
                "session_idle_secs must be at least 1".into(),
            ));
        }
        if self.attachment_max_bytes == 0 {
            return Err(ConfigError::Invalid(
                "attachment_max_bytes must be at least 1".into(),
            ));
        }
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid(format!(
                "database URL must start with postgres:// (got {})",
                redact_url(url)
            )));
        }
        if !matches!(
            self.sqlite_synchronous.to_ascii_uppercase().as_str(),
            "OFF" | "NORMAL" | "FULL" | "EXTRA"
        ) {
            return Err(ConfigError::Invalid(format!(
                "sqlite_synchronous must be OFF, NORMAL, FULL or EXTRA (got {})",
                self.sqlite_synchronous
            )));
        }
        Ok(())
    }

    /// Where the data lives, for [`db::Db::open`].
    pub fn location(&self) -> db::Location {
        match &self.database_url {
            Some(url) => db::Location::Postgres(url.clone()),
            None => db::Location::SqliteFolder(self.data_dir.clone()),
        }
    }

    /// This node's search index folder.
    pub fn search_dir(&self) -> PathBuf {
        self.search_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("search"))
    }

    pub fn db_options(&self) -> db::Options {
        db::Options {
            sqlite_synchronous: self.sqlite_synchronous.clone(),
            max_connections: self.db_max_connections,
        }
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *slot = value;
    }
}

fn read_file(path: &Path) -> Result<Layer, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_owned(),
        message: e.message().to_owned(),
    })
}

/// The `PHOIHOP_*` variables we read; any other `PHOIHOP_*` variable is reported by
/// [`unknown_env_vars`] because it is almost certainly a typo.
const ENV_VARS: &[&str] = &[
    "PHOIHOP_DATA",
    "PHOIHOP_DATABASE_URL",
    "PHOIHOP_LISTEN",
    "PHOIHOP_SESSION_IDLE_SECS",
    "PHOIHOP_SQLITE_SYNCHRONOUS",
    "PHOIHOP_DB_MAX_CONNECTIONS",
    "PHOIHOP_SECURE_COOKIES",
    "PHOIHOP_DEMO",
    "PHOIHOP_LOGIN_MAX_FAILURES",
    "PHOIHOP_LOGIN_WINDOW_SECS",
    "PHOIHOP_JOBS_INTERVAL_SECS",
    "PHOIHOP_SMTP_SERVER",
    "PHOIHOP_MAIL_FROM",
    "PHOIHOP_ATTACHMENT_MAX_BYTES",
    "PHOIHOP_SEARCH_DIR",
    "PHOIHOP_RETENTION_SESSIONS_DAYS",
    "PHOIHOP_RETENTION_OUTBOX_DAYS",
    "PHOIHOP_RETENTION_READ_NOTIFICATIONS_DAYS",
    "PHOIHOP_CONFIG",
    "PHOIHOP_LOG",
    // Read by the test suite, not by the server.
    "PHOIHOP_TEST_DATABASE_URL",
];

pub fn unknown_env_vars(env: &BTreeMap<String, String>) -> Vec<String> {
    env.keys()
        .filter(|k| k.starts_with("PHOIHOP_") && !ENV_VARS.contains(&k.as_str()))
        .cloned()
        .collect()
}

fn from_env(env: &BTreeMap<String, String>) -> Result<Layer, ConfigError> {
    fn parse<T: std::str::FromStr>(
        env: &BTreeMap<String, String>,
        name: &str,
    ) -> Result<Option<T>, ConfigError>
    where
        T::Err: fmt::Display,
    {
        match env.get(name) {
            None => Ok(None),
            Some(value) => value
                .trim()
                .parse()
                .map(Some)
                .map_err(|e: T::Err| ConfigError::Env {
                    name: name.into(),
                    value: value.clone(),
                    message: e.to_string(),
                }),
        }
    }
    Ok(Layer {
        data_dir: parse(env, "PHOIHOP_DATA")?,
        database_url: env.get("PHOIHOP_DATABASE_URL").cloned(),
        listen: parse(env, "PHOIHOP_LISTEN")?,
        session_idle_secs: parse(env, "PHOIHOP_SESSION_IDLE_SECS")?,
        sqlite_synchronous: env.get("PHOIHOP_SQLITE_SYNCHRONOUS").cloned(),
        db_max_connections: parse(env, "PHOIHOP_DB_MAX_CONNECTIONS")?,
        secure_cookies: parse(env, "PHOIHOP_SECURE_COOKIES")?,
        demo: parse(env, "PHOIHOP_DEMO")?,
        login_max_failures: parse(env, "PHOIHOP_LOGIN_MAX_FAILURES")?,
        login_window_secs: parse(env, "PHOIHOP_LOGIN_WINDOW_SECS")?,
        jobs_interval_secs: parse(env, "PHOIHOP_JOBS_INTERVAL_SECS")?,
        smtp_server: env.get("PHOIHOP_SMTP_SERVER").cloned(),
        mail_from: env.get("PHOIHOP_MAIL_FROM").cloned(),
        attachment_max_bytes: parse(env, "PHOIHOP_ATTACHMENT_MAX_BYTES")?,
        search_dir: parse(env, "PHOIHOP_SEARCH_DIR")?,
        retention_sessions_days: parse(env, "PHOIHOP_RETENTION_SESSIONS_DAYS")?,
        retention_outbox_days: parse(env, "PHOIHOP_RETENTION_OUTBOX_DAYS")?,
        retention_read_notifications_days: parse(env, "PHOIHOP_RETENTION_READ_NOTIFICATIONS_DAYS")?,
    })
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
