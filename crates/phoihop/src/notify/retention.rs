//! The purge job: what only served a while is removed once it has — ended sessions,
//! outbox rows every node has long applied, notifications read long ago, refused
//! sign-ins past the throttle's window — so that a node's tables stay bounded however
//! long it runs. Each table's own module says what may go (`auth::session::purge`,
//! `search::outbox::purge`, …); this one says when, under the `purge` lease, so one node
//! does it at a time, a bounded batch per table per run. Nothing a person made goes:
//! cases, events, attachments and the audit trail are kept for ever.

use crate::db::{Conn, DbError};

/// The most rows of one table removed in one run (a run every minute clears a backlog
/// of millions in a day without holding the writer for long).
pub const BATCH: i64 = 10_000;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How long each kind of row is kept, from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Sessions, counted from their last use.
    pub sessions_days: i64,
    /// Outbox rows, counted from their writing: longer than any node is expected to
    /// be stopped (a node away longer rebuilds its search index when it comes back).
    pub outbox_days: i64,
    /// Read notifications, counted from their reading. Unread ones are kept.
    pub read_notifications_days: i64,
    /// The sign-in throttle's window: refused sign-ins older than it count for nothing.
    pub login_window_secs: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            sessions_days: 30,
            outbox_days: 7,
            read_notifications_days: 90,
            login_window_secs: 15 * 60,
        }
    }
}

impl Retention {
    /// What the configuration keeps.
    pub fn configured(config: &crate::config::Config) -> Retention {
        Retention {
            sessions_days: config.retention_sessions_days,
            outbox_days: config.retention_outbox_days,
            read_notifications_days: config.retention_read_notifications_days,
            login_window_secs: config.login_window_secs,
        }
    }
}

/// What one run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub outbox: u64,
    pub notifications: u64,
    pub login_failures: u64,
}

impl Purged {
    pub fn total(&self) -> u64 {
        self.sessions + self.outbox + self.notifications + self.login_failures
    }
}

/// Removes, as of `now_ms`, up to [`BATCH`] rows of each kind past its retention.
pub fn purge(conn: &mut dyn Conn, now_ms: i64, keep: &Retention) -> Result<Purged, DbError> {
    let days_ago = |days: i64| now_ms.saturating_sub(days.saturating_mul(DAY_MS));
    Ok(Purged {
        sessions: crate::auth::session::purge(conn, days_ago(keep.sessions_days), BATCH)?,
        outbox: crate::search::outbox::purge(conn, days_ago(keep.outbox_days), BATCH)?,
        notifications: purge_read(conn, days_ago(keep.read_notifications_days), BATCH)?,
        login_failures: crate::auth::purge_failures(
            conn,
            now_ms.saturating_sub(keep.login_window_secs.saturating_mul(1000)),
            BATCH,
        )?,
    })
}

/// Removes notifications read before `before_ms`, at most `limit`.
fn purge_read(conn: &mut dyn Conn, before_ms: i64, limit: i64) -> Result<u64, DbError> {
    crate::db::delete_oldest(conn, "notifications", "id", "read_at", before_ms, limit)
}
