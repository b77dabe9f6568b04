//! Server-side sessions, stored in the database so that every node sees them.
//!
//! The cookie holds 32 random bytes; the table holds their SHA-256, so a copy of the
//! database does not let anyone sign in. A session is alive while requests keep coming
//! within the idle timeout. To spare a write per request, `last_seen_at` is written only
//! when it has aged by a tenth of the timeout (at most 30 s): the timeout is exact to
//! within that step.

use crate::access::secret::{new_token, token_hash};
use crate::access::{Actor, Role};
use crate::clock;
use crate::db::{Conn, DbError};
use crate::params;

pub const COOKIE: &str = "phoihop_session";

/// Starts a session; returns the cookie token.
pub fn create(
    conn: &mut dyn Conn,
    user_id: i64,
    ip: &str,
    user_agent: &str,
) -> Result<String, DbError> {
    let token = new_token();
    if token.is_empty() {
        return Err(DbError::Other("no randomness for a session token".into()));
    }
    let now = clock::now_ms();
    let agent: String = user_agent.chars().take(300).collect();
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
        params![token_hash(&token), user_id, new_token(), now, ip, agent],
    )?;
    Ok(token)
}

/// What a session lookup finds.
pub enum Lookup {
    Alive(Box<Actor>),
    /// Timed out (now or earlier); the person must sign in again.
    Expired,
    /// No such session, signed out, or its account is locked.
    Unknown,
}

/// A write a lookup asks for, done apart so that most requests only read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// Record this request as activity.
    Touch,
    /// Mark the session ended for idleness.
    Expire,
}

/// Finds the session for `token` and, when it is alive, the person behind it. Reads
/// only; says what to write afterwards ([`follow_up`]). With `activity`, this request
/// counts as activity (the status poll does not).
pub fn lookup(
    conn: &mut dyn Conn,
    token: &str,
    idle_secs: u64,
    activity: bool,
) -> Result<(Lookup, Option<Follow>), DbError> {
    let hash = token_hash(token);
    let Some(row) = conn.query_opt(
        "SELECT s.last_seen_at, s.ended_at, s.end_reason, s.csrf_token,
                u.id, u.username, u.display_name, u.role, u.active,
                o.id, o.name,
                -- Counted up to 100 (shown as 99+), kept by triggers (migration 0008).
                u.unread
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN organisations o ON o.id = u.organisation_id
         WHERE s.token_hash = $1",
        params![hash.as_str()],
    )?
    else {
        return Ok((Lookup::Unknown, None));
    };
    let last_seen: i64 = row.get(0)?;
    let ended: Option<i64> = row.get(1)?;
    let reason: Option<String> = row.get(2)?;
    let active: bool = row.get(8)?;
    let now = clock::now_ms();
    let idle_ms = i64::try_from(idle_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    if ended.is_some() {
        let lookup = if reason.as_deref() == Some("idle") {
            Lookup::Expired
        } else {
            Lookup::Unknown
        };
        return Ok((lookup, None));
    }
    if !active {
        return Ok((Lookup::Unknown, None));
    }
    if now - last_seen >= idle_ms {
        return Ok((Lookup::Expired, Some(Follow::Expire)));
    }
    let (seen, follow) = if activity && now - last_seen >= touch_step_ms(idle_ms) {
        (now, Some(Follow::Touch))
    } else {
        (last_seen, None)
    };
    let role: String = row.get(7)?;
    let actor = Actor {
        user_id: row.get(4)?,
        username: row.get(5)?,
        display_name: row.get(6)?,
        role: Role::parse(&role).unwrap_or(Role::UnitOfficer),
        org_id: row.get(9)?,
        org_name: row.get(10)?,
        csrf_token: row.get(3)?,
        token_hash: hash,
        expires_at_ms: seen + idle_ms,
        unread: row.get(11)?,
    };
    Ok((Lookup::Alive(Box::new(actor)), follow))
}

/// Does what [`lookup`] asked for. Expiry is also an audit row.
pub fn follow_up(conn: &mut dyn Conn, token: &str, follow: Follow) -> Result<(), DbError> {
    let hash = token_hash(token);
    let now = clock::now_ms();
    match follow {
        Follow::Touch => {
            conn.execute(
                "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND ended_at IS NULL",
                params![now, hash.as_str()],
            )?;
        }
        Follow::Expire => {
            let ended = conn.execute(
                "UPDATE sessions SET ended_at = $1, end_reason = 'idle' WHERE token_hash = $2 AND ended_at IS NULL",
                params![now, hash.as_str()],
            )?;
            if ended > 0 {
                let row = conn.query_one(
                    "SELECT u.id, u.username, u.organisation_id, s.ip FROM sessions s
                     JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
                    params![hash.as_str()],
                )?;
                let who = crate::audit::Who {
                    user_id: row.get(0)?,
                    name: row.get(1)?,
                    org_id: row.get(2)?,
                    ip: row.get(3)?,
                };
                let username: String = row.get(1)?;
                crate::audit::record(
                    conn,
                    &who,
                    crate::audit::action::SESSION_EXPIRED,
                    ("user", &username),
                    "",
                )?;
            }
        }
    }
    Ok(())
}

/// How stale `last_seen_at` may grow before a request writes it again.
fn touch_step_ms(idle_ms: i64) -> i64 {
    (idle_ms / 10).clamp(0, 30_000)
}

/// Counts the present moment as activity, whatever the step (the stay-signed-in button).
pub fn extend(conn: &mut dyn Conn, token_hash: &str) -> Result<(), DbError> {
    conn.execute(
        "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND ended_at IS NULL",
        params![clock::now_ms(), token_hash],
    )?;
    Ok(())
}

pub fn end(conn: &mut dyn Conn, token_hash: &str, reason: &str) -> Result<(), DbError> {
    conn.execute(
        "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE token_hash = $3 AND ended_at IS NULL",
        params![clock::now_ms(), reason, token_hash],
    )?;
    Ok(())
}

pub fn count_open(conn: &mut dyn Conn, idle_secs: u64) -> Result<i64, DbError> {
    let since = clock::now_ms() - i64::try_from(idle_secs * 1000).unwrap_or(i64::MAX);
    conn.scalar(
        "SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL AND last_seen_at >= $1",
        params![since],
    )
}

/// Removes sessions last used before `before_ms` (ended, or idled out long ago: the
/// audit trail keeps every sign-in and sign-out), at most `limit`; returns how many.
pub fn purge(conn: &mut dyn Conn, before_ms: i64, limit: i64) -> Result<u64, DbError> {
    crate::db::delete_oldest(
        conn,
        "sessions",
        "token_hash",
        "last_seen_at",
        before_ms,
        limit,
    )
}
