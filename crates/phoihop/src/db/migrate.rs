//! Migrations: two trees with the same file names, `migrations/sqlite/` and
//! `migrations/postgres/`, applied in order at start inside one transaction.
//! Changes are expand-then-contract, so an older node keeps working while a newer one
//! migrates. On PostgreSQL an advisory lock keeps two starting nodes from racing.

use super::{Backend, Conn, DbError};

macro_rules! migrations {
    ($($name:literal),+ $(,)?) => {
        /// (name, SQLite text, PostgreSQL text), oldest first.
        const MIGRATIONS: &[(&str, &str, &str)] = &[$((
            $name,
            include_str!(concat!("../../migrations/sqlite/", $name, ".sql")),
            include_str!(concat!("../../migrations/postgres/", $name, ".sql")),
        )),+];
        /// The names of all migrations this build knows, oldest first.
        pub const MIGRATION_NAMES: &[&str] = &[$($name),+];
    };
}

migrations![
    "0001_foundation",
    "0002_calendar",
    "0003_cases",
    "0004_attachments",
    "0005_notify",
    "0006_outbox",
    "0007_read_paths",
    "0008_kept_for_lists",
    "0009_holiday_rules",
    "0010_file_store",
    "0011_retention",
    "0012_complaints",
    "0013_collaborators",
    "0014_opinion_reports",
    "0015_kept_pickers",
];

/// Every table, parents before children: the order in which a backup is written and
/// restored. (Derived state, `org_version` and `calendar_version`, is not in it.)
pub const TABLES_IN_ORDER: &[&str] = &[
    "settings",
    "fields",
    "localities",
    "organisations",
    "organisation_names",
    "organisation_fields",
    "users",
    "collaborator_localities",
    "collaborator_fields",
    "report_schedules",
    "sessions",
    "audit_log",
    "calendar_days",
    "holiday_rules",
    "programs",
    "program_parties",
    "program_fields",
    "commitments",
    "case_counters",
    "cases",
    "case_events",
    "case_clocks",
    "case_links",
    "case_recipients",
    "api_tokens",
    "notifications",
    "job_leases",
    "attachments",
    "outbox",
    "login_failures",
    "complaint_letters",
    "complaint_parties",
    "complaint_limits",
    "opinion_reports",
];

/// Arbitrary constant naming our advisory lock.
const PG_MIGRATION_LOCK: i64 = 0x0050_484f_4948_4f50;

pub fn apply(conn: &mut dyn Conn) -> Result<(), DbError> {
    if conn.backend() == Backend::Postgres {
        conn.execute(
            "SELECT pg_advisory_xact_lock($1)",
            crate::params![PG_MIGRATION_LOCK],
        )?;
    }
    conn.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             name       TEXT PRIMARY KEY,
             applied_at BIGINT NOT NULL
         )",
    )?;
    let applied: Vec<String> = conn
        .query("SELECT name FROM schema_migrations", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, _>>()?;
    for (name, sqlite, postgres) in MIGRATIONS {
        if applied.iter().any(|a| a == name) {
            continue;
        }
        let sql = match conn.backend() {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        };
        conn.batch(sql)
            .map_err(|e| DbError::Other(format!("migration {name}: {e}")))?;
        conn.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
            crate::params![*name, crate::clock::now_ms()],
        )?;
        tracing::info!(migration = name, "applied");
    }
    if let Some(unknown) = applied
        .iter()
        .find(|a| !MIGRATION_NAMES.contains(&a.as_str()))
    {
        tracing::warn!(
            migration = unknown.as_str(),
            "the database has a migration this build does not know; is a newer version running?"
        );
    }
    Ok(())
}
