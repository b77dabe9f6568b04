//! Personal API tokens: created by a person (or `phoihop token create USER`), sent as
//! `Authorization: Bearer ph_…`, stored as SHA-256 only, revoked by an event (never
//! deleted). Finding the person behind a token that is sent is `access::token`.

use crate::access::secret::{new_token, token_hash};
use crate::access::token::PREFIX;
use crate::clock;
use crate::db::{Conn, DbError};
use crate::params;

/// Creates a token for `user_id`; returns it (shown once, never stored in clear).
pub fn create(conn: &mut dyn Conn, user_id: i64, name: &str) -> Result<String, DbError> {
    let token = format!("{PREFIX}{}", new_token());
    conn.execute(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        params![user_id, name, token_hash(&token), clock::now_ms()],
    )?;
    Ok(token)
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
