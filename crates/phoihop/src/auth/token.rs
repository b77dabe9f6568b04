//! Personal API tokens: created by a person (or `phoihop token create USER`), sent as
//! `Authorization: Bearer ph_…`, stored as SHA-256 only, revoked by an event (never
//! deleted).

use crate::auth::Actor;
use crate::auth::session::{new_token, token_hash};
use crate::clock;
use crate::db::{Conn, DbError};
use crate::org::Role;
use crate::params;

/// Tokens start with this, so that one pasted in the wrong place is recognisable.
pub const PREFIX: &str = "ph_";

/// Creates a token for `user_id`; returns it (shown once, never stored in clear).
pub fn create(conn: &mut dyn Conn, user_id: i64, name: &str) -> Result<String, DbError> {
    let token = format!("{PREFIX}{}", new_token());
    conn.execute(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        params![user_id, name, token_hash(&token), clock::now_ms()],
    )?;
    Ok(token)
}

/// How often a token's last use is written down: reading stays a read the rest of the
/// time.
pub const USE_RECORDED_EVERY_MS: i64 = 60_000;

/// A token that was just used, and whether its last use should be written down.
pub struct Used {
    pub actor: Actor,
    pub token_id: i64,
    pub record_use: bool,
}

/// The person behind a bearer token, if it is valid and their account active.
pub fn lookup(conn: &mut dyn Conn, token: &str) -> Result<Option<Used>, DbError> {
    if !token.starts_with(PREFIX) || token.len() > 200 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let Some(row) = conn.query_opt(
        "SELECT u.id, u.username, u.display_name, u.role, o.id, o.name, t.id, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.organisation_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
        params![hash.as_str()],
    )?
    else {
        return Ok(None);
    };
    let role: String = row.get(3)?;
    let last_used: Option<i64> = row.get(7)?;
    let actor = Actor {
        user_id: row.get(0)?,
        username: row.get(1)?,
        display_name: row.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::UnitOfficer),
        org_id: row.get(4)?,
        org_name: row.get(5)?,
        csrf_token: String::new(),
        token_hash: hash,
        expires_at_ms: i64::MAX,
        unread: 0,
    };
    Ok(Some(Used {
        actor,
        token_id: row.get(6)?,
        record_use: last_used.is_none_or(|at| clock::now_ms() - at >= USE_RECORDED_EVERY_MS),
    }))
}

/// Writes down that token `id` was used now.
pub fn record_use(conn: &mut dyn Conn, id: i64) -> Result<(), DbError> {
    conn.execute(
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
        params![clock::now_ms(), id],
    )?;
    Ok(())
}

/// A token as its owner sees it (never the token itself, which is shown once).
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// Last used, to the minute.
    pub last_used_at: Option<i64>,
}

pub fn list(conn: &mut dyn Conn, user_id: i64) -> Result<Vec<TokenInfo>, DbError> {
    conn.query(
        "SELECT id, name, created_at, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        params![user_id],
    )?
    .iter()
    .map(|r| {
        Ok(TokenInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
            revoked_at: r.get(3)?,
            last_used_at: r.get(4)?,
        })
    })
    .collect()
}

/// Revokes one of `user_id`'s own tokens; false when there was no such live token.
pub fn revoke(conn: &mut dyn Conn, user_id: i64, id: i64) -> Result<bool, DbError> {
    Ok(conn.execute(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        params![clock::now_ms(), id, user_id],
    )? > 0)
}
