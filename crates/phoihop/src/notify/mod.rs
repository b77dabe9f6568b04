//! Notifications (thông báo): in-app messages to people about work that waits on them
//! (a clock started in their name) and about deadlines missed (escalated to the lead
//! body's leaders). Created in the same transaction as the change they announce.
//! Background jobs shared by several nodes are in [`jobs`].

pub mod jobs;
pub mod mail;
pub mod pages;
pub mod retention;

use crate::access::Role;
use crate::db::{Conn, DbError};
use crate::org;
use crate::params;

/// Kinds of notification, stable codes.
pub mod kind {
    /// Work now waits on the person (a clock started for them).
    pub const TODO: &str = "todo";
    /// A deadline passed with the work not done.
    pub const BREACH: &str = "breach";
}

/// Who hears about work that is a given party's turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The people of an organisation and its units who work its cases: liaisons, unit
    /// officers, and its leaders (told of missed deadlines with the rest).
    AgencyOf(i64),
    /// The lead body's specialists and leaders.
    LeadStaff,
    /// The lead body's leaders.
    Leaders,
    /// One person (a collaborator whose report is due), while their account is active.
    Person(i64),
}

/// The active people an audience consists of.
pub fn people(conn: &mut dyn Conn, audience: Audience) -> Result<Vec<i64>, DbError> {
    let ids = match audience {
        Audience::LeadStaff => conn.query(
            "SELECT id FROM users WHERE active = 1 AND role IN ('leader', 'specialist') ORDER BY id",
            &[],
        )?,
        Audience::Leaders => conn.query("SELECT id FROM users WHERE active = 1 AND role = 'leader' ORDER BY id", &[])?,
        Audience::Person(id) => conn.query(
            "SELECT id FROM users WHERE active = 1 AND id = $1",
            crate::params![id],
        )?,
        Audience::AgencyOf(org_id) => {
            let all = org::tree::current(conn).map_err(|e| DbError::Other(e.to_string()))?;
            let scope: Vec<String> = all
                .iter()
                .filter(|o| org::is_ancestor(&all, org_id, o.id))
                .map(|o| o.id.to_string())
                .collect();
            // Integers we produced, never user text.
            conn.query(
                &format!(
                    "SELECT id FROM users WHERE active = 1 AND role IN ('{}', '{}', '{}') AND organisation_id IN ({}) ORDER BY id",
                    Role::Liaison.code(),
                    Role::AgencyLeader.code(),
                    Role::UnitOfficer.code(),
                    scope.join(",")
                ),
                &[],
            )?
        }
    };
    ids.iter().map(|r| r.get(0)).collect()
}

/// One message to each person of `audience`.
pub fn send(
    conn: &mut dyn Conn,
    audience: Audience,
    case_id: Option<i64>,
    kind: &str,
    message: &str,
    link: &str,
    now_ms: i64,
) -> Result<usize, DbError> {
    let users = people(conn, audience)?;
    for user in &users {
        conn.execute(
            "INSERT INTO notifications (user_id, case_id, kind, message, link, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            params![*user, case_id, kind, message, link, now_ms],
        )?;
    }
    Ok(users.len())
}

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub message: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

pub const PAGE: i64 = 50;

/// A person's notifications, newest first, a page at a time (keyset on id).
pub fn list(
    conn: &mut dyn Conn,
    user_id: i64,
    before: Option<i64>,
) -> Result<Vec<Notification>, DbError> {
    // LIMIT is written into the SQL: a bound LIMIT makes SQLite (built with STAT4) plan
    // the statement again on every run.
    conn.query(
        &format!(
            "SELECT id, kind, message, link, created_at, read_at FROM notifications
             WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT {PAGE}"
        ),
        params![user_id, before.unwrap_or(i64::MAX)],
    )?
    .iter()
    .map(|r| {
        Ok(Notification {
            id: r.get(0)?,
            kind: r.get(1)?,
            message: r.get(2)?,
            link: r.get(3)?,
            created_at: r.get(4)?,
            read_at: r.get(5)?,
        })
    })
    .collect()
}

/// Marks one notification (or, with `None`, all) of a person as read.
pub fn mark_read(
    conn: &mut dyn Conn,
    user_id: i64,
    id: Option<i64>,
    now_ms: i64,
) -> Result<u64, DbError> {
    match id {
        Some(id) => conn.execute(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL",
            params![now_ms, user_id, id],
        ),
        None => conn.execute(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
            params![now_ms, user_id],
        ),
    }
}
