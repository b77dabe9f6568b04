//! The person behind a bearer token (`Authorization: Bearer ph_…`), read on every API
//! call that carries one. Tokens are made, listed and revoked by `auth::token`; the
//! read is here, below the kit, so that the kit's `ApiActor` depends on no domain.

use crate::clock;
use crate::db::{Conn, DbError};
use crate::params;

use super::secret::token_hash;
use super::{Actor, Role};

/// Tokens start with this, so that one pasted in the wrong place is recognisable.
pub const PREFIX: &str = "ph_";

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
