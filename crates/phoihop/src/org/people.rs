//! People with an account (người dùng): who they are, which organisation they belong
//! to, their role, and for a collaborator what they cover (`collaborators`).
//! Passwords are argon2id hashes (see `auth::password`).

use crate::access::policy::{Action, Scope};
use crate::access::{Actor, Role};
use crate::audit::{self, Who};
use crate::auth::password;
use crate::clock;
use crate::db::{Conn, Row, Value};
use crate::error::{Error, Result};
use crate::org;
use crate::org::collaborators;
use crate::org::values::Username;
use crate::params;

pub use super::person_form::{PersonDetails, PersonForm};

#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub role: Role,
    pub active: bool,
    pub demo_account: bool,
    pub created_at: i64,
}

const SELECT: &str = "SELECT u.id, u.username, u.display_name, u.email, u.phone, u.title,
        u.organisation_id, o.name, u.role, u.active, u.demo_account, u.created_at
    FROM users u JOIN organisations o ON o.id = u.organisation_id";

impl Person {
    fn from_row(r: &Row) -> Result<Person> {
        let role: String = r.get(8)?;
        Ok(Person {
            id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            email: r.get(3)?,
            phone: r.get(4)?,
            title: r.get(5)?,
            organisation_id: r.get(6)?,
            organisation_name: r.get(7)?,
            role: Role::parse(&role).unwrap_or(Role::UnitOfficer),
            active: r.get(9)?,
            demo_account: r.get(10)?,
            created_at: r.get(11)?,
        })
    }
}

pub fn get(conn: &mut dyn Conn, id: i64) -> Result<Person> {
    let row = conn
        .query_opt(&format!("{SELECT} WHERE u.id = $1"), params![id])?
        .ok_or(Error::NotFound)?;
    Person::from_row(&row)
}

/// The person `id` if `actor` may see them, with where they sit relative to the actor;
/// `NotFound` otherwise (not `Forbidden`: we do not confirm that an account exists to
/// someone outside its scope).
pub fn get_visible(conn: &mut dyn Conn, actor: &Actor, id: i64) -> Result<(Person, Scope)> {
    let person = get(conn, id)?;
    let all = org::list_all(conn)?;
    let scope = org::scope_of(&all, actor.org_id, person.organisation_id);
    if actor.can(Action::ViewPeople, scope) {
        Ok((person, scope))
    } else {
        Err(Error::NotFound)
    }
}

pub fn get_by_username(conn: &mut dyn Conn, username: &str) -> Result<Option<Person>> {
    conn.query_opt(
        &format!("{SELECT} WHERE u.username = $1"),
        params![username.trim().to_lowercase()],
    )?
    .as_ref()
    .map(Person::from_row)
    .transpose()
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Part of a name or username, without regard to diacritics.
    pub text: Option<String>,
    /// Organisations (with their history) whose name contains this.
    pub organisation: Option<String>,
    pub role: Option<Role>,
    /// Only these organisations (permission scope); `None` means all.
    pub within: Option<Vec<i64>>,
}

pub fn list(conn: &mut dyn Conn, filter: &Filter) -> Result<Vec<Person>> {
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        args.push(crate::db::like_contains(&vntext::fold(text)).into());
        let n = args.len();
        sql.push_str(&format!(
            " AND (u.display_name_folded LIKE ${n} ESCAPE '\\' OR u.username LIKE ${n} ESCAPE '\\')"
        ));
    }
    if let Some(role) = filter.role {
        args.push(role.code().into());
        sql.push_str(&format!(" AND u.role = ${}", args.len()));
    }
    let mut scope: Option<Vec<i64>> = filter.within.clone();
    if let Some(org_text) = filter
        .organisation
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        // An agency's name finds the people of its units too.
        let matching = org::ids_matching_any_name(conn, org_text)?;
        let all = org::list_all(conn)?;
        let ids: Vec<i64> = all
            .iter()
            .filter(|o| matching.iter().any(|m| org::is_ancestor(&all, *m, o.id)))
            .map(|o| o.id)
            .collect();
        scope = Some(match scope {
            Some(within) => ids.into_iter().filter(|id| within.contains(id)).collect(),
            None => ids,
        });
    }
    if let Some(ids) = scope {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        // Ids are integers we produced, never user text.
        sql.push_str(&format!(" AND u.organisation_id IN ({})", list.join(",")));
    }
    sql.push_str(" ORDER BY o.name, u.display_name LIMIT 500");
    conn.query(&sql, &args)?
        .iter()
        .map(Person::from_row)
        .collect()
}

pub fn count_in(conn: &mut dyn Conn, organisation_id: i64) -> Result<i64> {
    Ok(conn.scalar(
        "SELECT COUNT(*) FROM users WHERE organisation_id = $1 AND active = 1",
        params![organisation_id],
    )?)
}

fn check_organisation(conn: &mut dyn Conn, id: i64) -> Result<()> {
    match org::get(conn, id) {
        Ok(o) if o.is_current() => Ok(()),
        Ok(_) => Err(Error::field(
            "organisation_id",
            "Tổ chức này đã hợp nhất hoặc giải thể.",
        )),
        Err(Error::NotFound) => Err(Error::field("organisation_id", "Không có tổ chức này.")),
        Err(e) => Err(e),
    }
}

/// Creates an account. `password_hash` is computed by the caller, outside the
/// transaction, because hashing is deliberately slow.
pub fn create(
    conn: &mut dyn Conn,
    who: &Who,
    username: &Username,
    details: &PersonDetails,
    password_hash: &str,
    demo_account: bool,
) -> Result<i64> {
    check_organisation(conn, details.organisation_id)?;
    let now = clock::now_ms();
    let id: i64 = conn
        .scalar(
            "INSERT INTO users (username, display_name, display_name_folded, email, phone, title,
                                organisation_id, role, password_hash, active, demo_account,
                                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11) RETURNING id",
            params![
                username.as_str(),
                details.display_name.as_str(),
                vntext::fold(details.display_name.as_str()),
                details.email.as_ref().map(|e| e.as_str().to_owned()),
                details.phone.as_ref().map(|p| p.as_str().to_owned()),
                details.title.as_str(),
                details.organisation_id,
                details.role.code(),
                password_hash,
                demo_account,
                now
            ],
        )
        .map_err(|e| {
            if e.is_unique_on("username") {
                Error::field("username", "Tên đăng nhập này đã có người dùng.")
            } else {
                e.into()
            }
        })?;
    let mut detail = format!(
        "{} · {}",
        details.display_name.as_str(),
        details.role.label_vi()
    );
    if let Some(coverage) = &details.coverage
        && let Some(change) = collaborators::register(conn, id, coverage)?
    {
        detail.push_str(" · ");
        detail.push_str(&change);
    }
    audit::record(
        conn,
        who,
        audit::action::USER_CREATED,
        ("user", username.as_str()),
        &detail,
    )?;
    Ok(id)
}

pub fn update(conn: &mut dyn Conn, who: &Who, id: i64, details: &PersonDetails) -> Result<()> {
    let before = get(conn, id)?;
    if before.organisation_id != details.organisation_id {
        check_organisation(conn, details.organisation_id)?;
    }
    if who.user_id == Some(id) && (!details.active || details.role != before.role) {
        return Err(Error::Refused(
            "Không thể tự khoá hoặc tự đổi vai trò của chính mình; nhờ một quản trị viên khác.",
        ));
    }
    conn.execute(
        "UPDATE users SET display_name = $1, display_name_folded = $2, email = $3, phone = $4,
                          title = $5, organisation_id = $6, role = $7, active = $8, updated_at = $9
         WHERE id = $10",
        params![
            details.display_name.as_str(),
            vntext::fold(details.display_name.as_str()),
            details.email.as_ref().map(|e| e.as_str().to_owned()),
            details.phone.as_ref().map(|p| p.as_str().to_owned()),
            details.title.as_str(),
            details.organisation_id,
            details.role.code(),
            details.active,
            clock::now_ms(),
            id
        ],
    )?;
    if !details.active {
        // A locked account's open sessions end now.
        conn.execute(
            "UPDATE sessions SET ended_at = $1, end_reason = 'locked' WHERE user_id = $2 AND ended_at IS NULL",
            params![clock::now_ms(), id],
        )?;
    }
    let mut changes = Vec::new();
    if before.display_name != details.display_name.as_str() {
        changes.push(format!(
            "tên: {} → {}",
            before.display_name,
            details.display_name.as_str()
        ));
    }
    if before.role != details.role {
        changes.push(format!(
            "vai trò: {} → {}",
            before.role.label_vi(),
            details.role.label_vi()
        ));
    }
    if before.organisation_id != details.organisation_id {
        changes.push(format!(
            "tổ chức: {} → #{}",
            before.organisation_name, details.organisation_id
        ));
    }
    if before.active != details.active {
        changes.push(if details.active {
            "mở khoá".into()
        } else {
            "khoá".into()
        });
    }
    let coverage = match &details.coverage {
        Some(coverage) => collaborators::register(conn, id, coverage)?,
        None if before.role == Role::Collaborator => collaborators::end(conn, id)?,
        None => None,
    };
    changes.extend(coverage);
    audit::record(
        conn,
        who,
        audit::action::USER_UPDATED,
        ("user", &before.username),
        &changes.join("; "),
    )?;
    Ok(())
}

/// Replaces a password (hash computed by the caller) and ends the account's other
/// sessions.
pub fn set_password(conn: &mut dyn Conn, who: &Who, id: i64, password_hash: &str) -> Result<()> {
    let person = get(conn, id)?;
    conn.execute(
        "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3",
        params![password_hash, clock::now_ms(), id],
    )?;
    audit::record(
        conn,
        who,
        audit::action::PASSWORD_CHANGED,
        ("user", &person.username),
        "",
    )?;
    Ok(())
}

/// Hashes a password for [`create`] or [`set_password`].
pub fn hash_password(plain: &str) -> Result<String> {
    password::hash(plain).map_err(|_| Error::field("password", "Không xử lý được mật khẩu này."))
}
