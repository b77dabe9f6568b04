//! Organisations (tổ chức): the lead body and its offices, partner agencies and their
//! units, as a tree that changes over time. Renames and merges are recorded, never
//! overwritten: every name an organisation carried stays searchable, and a merged
//! organisation points at its successor. People live in [`people`].

pub mod collaborators;
pub mod pages;
pub mod panel;
pub mod people;
pub mod people_pages;
pub mod person_form;
pub mod role;
pub mod tree;
pub mod values;

use crate::access::policy::Scope;
use crate::audit::{self, Who};
use crate::clock;
use crate::db::{Conn, Row};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Msg;
use crate::params;
pub use role::{BodyType, OrgRole};
use values::{Name, OrgCode};

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub body_type: BodyType,
    pub role: OrgRole,
    pub locality_id: Option<i64>,
    /// ISO dates.
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub successor_id: Option<i64>,
}

impl Organisation {
    pub fn is_current(&self) -> bool {
        self.valid_to.is_none()
    }

    fn from_row(r: &Row) -> Result<Organisation> {
        let body: String = r.get(4)?;
        let role: String = r.get(5)?;
        Ok(Organisation {
            id: r.get(0)?,
            parent_id: r.get(1)?,
            code: r.get(2)?,
            name: r.get(3)?,
            body_type: BodyType::parse(&body).unwrap_or(BodyType::State),
            role: OrgRole::parse(&role).unwrap_or(OrgRole::Unit),
            locality_id: r.get(6)?,
            valid_from: r.get(7)?,
            valid_to: r.get(8)?,
            successor_id: r.get(9)?,
        })
    }
}

const COLUMNS: &str = "id, parent_id, code, name, body_type, role, locality_id, valid_from, \
                       valid_to, successor_id";

/// Every organisation, current and former, ordered for display as a tree.
pub fn list_all(conn: &mut dyn Conn) -> Result<Vec<Organisation>> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM organisations ORDER BY id"),
        &[],
    )?
    .iter()
    .map(Organisation::from_row)
    .collect()
}

pub fn get(conn: &mut dyn Conn, id: i64) -> Result<Organisation> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM organisations WHERE id = $1"),
            params![id],
        )?
        .ok_or(Error::NotFound)?;
    Organisation::from_row(&row)
}

/// The organisation with this code now (codes of former organisations may be reused).
pub fn find_current_by_code(conn: &mut dyn Conn, code: &str) -> Result<Option<Organisation>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM organisations WHERE code = $1 AND valid_to IS NULL"),
        params![code.to_uppercase()],
    )?
    .as_ref()
    .map(Organisation::from_row)
    .transpose()
}

/// Ids of organisations whose name or code, now or at any time before, contains
/// `text` (without regard to diacritics), together with the organisations they were
/// merged into: searching a former name finds the successor too.
pub fn ids_matching_any_name(conn: &mut dyn Conn, text: &str) -> Result<Vec<i64>> {
    let pattern = crate::db::like_contains(&vntext::fold(text));
    let code = text.trim().to_uppercase();
    let mut ids: Vec<i64> = conn
        .query(
            "SELECT DISTINCT organisation_id FROM organisation_names
             WHERE name_folded LIKE $1 ESCAPE '\\' OR code = $2",
            params![pattern, code],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, _>>()?;
    let all = list_all(conn)?;
    let mut i = 0;
    while i < ids.len() {
        if let Some(successor) = all
            .iter()
            .find(|o| o.id == ids[i])
            .and_then(|o| o.successor_id)
            && !ids.contains(&successor)
        {
            ids.push(successor);
        }
        i += 1;
    }
    Ok(ids)
}

/// A name the organisation carried, with the dates it carried it.
#[derive(Debug, Clone)]
pub struct FormerName {
    pub name: String,
    pub code: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

pub fn names(conn: &mut dyn Conn, id: i64) -> Result<Vec<FormerName>> {
    conn.query(
        "SELECT name, code, valid_from, valid_to FROM organisation_names
         WHERE organisation_id = $1 ORDER BY valid_from, id",
        params![id],
    )?
    .iter()
    .map(|r| {
        Ok(FormerName {
            name: r.get(0)?,
            code: r.get(1)?,
            valid_from: r.get(2)?,
            valid_to: r.get(3)?,
        })
    })
    .collect()
}

pub fn field_ids(conn: &mut dyn Conn, id: i64) -> Result<Vec<i64>> {
    conn.query(
        "SELECT field_id FROM organisation_fields WHERE organisation_id = $1 ORDER BY field_id",
        params![id],
    )?
    .iter()
    .map(|r| Ok(r.get(0)?))
    .collect()
}

/// What a person types to create an organisation, before parsing.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewOrganisationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub body_type: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub valid_from: String,
    /// Field ids: one `fields=` pair per ticked checkbox.
    #[serde(default)]
    pub fields: Vec<i64>,
}

/// A parsed, valid new organisation.
pub struct NewOrganisation {
    pub name: Name,
    pub code: OrgCode,
    pub body_type: BodyType,
    pub role: OrgRole,
    pub parent_id: Option<i64>,
    pub valid_from: time::Date,
    pub fields: Vec<i64>,
}

impl NewOrganisationForm {
    pub fn parse(&self) -> Result<NewOrganisation> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", Name::parse(&self.name));
        let code = errors.check("code", OrgCode::parse(&self.code));
        let body_type = errors.check(
            "body_type",
            BodyType::parse(&self.body_type).ok_or("Chọn loại cơ quan."),
        );
        let role = errors.check(
            "role",
            OrgRole::parse(&self.role).ok_or("Chọn vị trí trong chương trình."),
        );
        let parent_id = errors.check(
            "parent_id",
            match self.parent_id.trim() {
                "" => Ok(None),
                id => id.parse().map(Some).map_err(|_| "Chọn cơ quan cấp trên."),
            },
        );
        let valid_from = errors.check(
            "valid_from",
            match self.valid_from.trim() {
                "" => Ok(clock::today()),
                text => clock::parse_user_date(text).ok_or("Ngày không hợp lệ (dd/mm/yyyy)."),
            },
        );
        if let (Some(role), Some(parent)) = (role, parent_id)
            && matches!(role, OrgRole::Office | OrgRole::Unit)
            && parent.is_none()
        {
            errors.add(
                "parent_id",
                "Phòng, ban hoặc đơn vị trực thuộc phải có cơ quan cấp trên.",
            );
        }
        match (name, code, body_type, role, parent_id, valid_from) {
            (
                Some(name),
                Some(code),
                Some(body_type),
                Some(role),
                Some(parent_id),
                Some(valid_from),
            ) if errors.is_empty() => Ok(NewOrganisation {
                name,
                code,
                body_type,
                role,
                parent_id,
                valid_from,
                fields: self.fields.clone(),
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

pub fn create(conn: &mut dyn Conn, who: &Who, new: &NewOrganisation) -> Result<i64> {
    if let Some(parent) = new.parent_id {
        let parent =
            get(conn, parent).map_err(|_| Error::field("parent_id", "Không có cơ quan này."))?;
        if !parent.is_current() {
            return Err(Error::field(
                "parent_id",
                "Cơ quan cấp trên đã giải thể hoặc hợp nhất.",
            ));
        }
    }
    let from = clock::iso_date(new.valid_from);
    let id: i64 = conn
        .scalar(
            "INSERT INTO organisations (parent_id, code, name, name_folded, body_type, role,
                                        valid_from, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            params![
                new.parent_id,
                new.code.as_str(),
                new.name.as_str(),
                vntext::fold(new.name.as_str()),
                new.body_type.code(),
                new.role.code(),
                from.as_str(),
                clock::now_ms()
            ],
        )
        .map_err(|e| {
            if e.is_unique_on("code") {
                Error::field("code", "Ký hiệu này đang được một tổ chức khác dùng.")
            } else {
                e.into()
            }
        })?;
    conn.execute(
        "INSERT INTO organisation_names (organisation_id, name, name_folded, code, valid_from)
         VALUES ($1, $2, $3, $4, $5)",
        params![
            id,
            new.name.as_str(),
            vntext::fold(new.name.as_str()),
            new.code.as_str(),
            from.as_str()
        ],
    )?;
    for field in &new.fields {
        conn.execute(
            "INSERT INTO organisation_fields (organisation_id, field_id) VALUES ($1, $2)",
            params![id, *field],
        )?;
    }
    audit::record(
        conn,
        who,
        audit::action::ORG_CREATED,
        ("organisation", &id.to_string()),
        &format!("{} ({})", new.name.as_str(), new.code.as_str()),
    )?;
    Ok(id)
}

/// Gives the organisation a new name (and perhaps code) from `date`; the old one stays
/// in its history.
pub fn rename(
    conn: &mut dyn Conn,
    who: &Who,
    id: i64,
    name: &Name,
    code: &OrgCode,
    date: time::Date,
) -> Result<()> {
    let org = get(conn, id)?;
    if !org.is_current() {
        return Err(Error::Refused(
            "Tổ chức này đã hợp nhất hoặc giải thể, không đổi tên được.",
        ));
    }
    if org.name == name.as_str() && org.code == code.as_str() {
        return Err(Error::field(
            "name",
            "Tên và ký hiệu mới trùng với hiện tại.",
        ));
    }
    let day = dated_after_founding(&org, date, "Ngày đổi tên không được trước ngày thành lập.")?;
    conn.execute(
        "UPDATE organisations SET name = $1, name_folded = $2, code = $3 WHERE id = $4",
        params![
            name.as_str(),
            vntext::fold(name.as_str()),
            code.as_str(),
            id
        ],
    )
    .map_err(|e| {
        if e.is_unique_on("code") {
            Error::field("code", "Ký hiệu này đang được một tổ chức khác dùng.")
        } else {
            e.into()
        }
    })?;
    close_current_name(conn, id, &day)?;
    conn.execute(
        "INSERT INTO organisation_names (organisation_id, name, name_folded, code, valid_from)
         VALUES ($1, $2, $3, $4, $5)",
        params![
            id,
            name.as_str(),
            vntext::fold(name.as_str()),
            code.as_str(),
            day.as_str()
        ],
    )?;
    audit::record(
        conn,
        who,
        audit::action::ORG_RENAMED,
        ("organisation", &id.to_string()),
        &format!(
            "{} ({}) → {} ({})",
            org.name,
            org.code,
            name.as_str(),
            code.as_str()
        ),
    )?;
    Ok(())
}

/// Merges `id` into `successor_id` on `date`: the organisation closes and points at its
/// successor; its current people and sub-units move to the successor. Its history,
/// names and (later) cases stay where they are, findable under both names.
pub fn merge(
    conn: &mut dyn Conn,
    who: &Who,
    id: i64,
    successor_id: i64,
    date: time::Date,
) -> Result<()> {
    if id == successor_id {
        return Err(Error::field(
            "successor_id",
            "Không thể hợp nhất một tổ chức vào chính nó.",
        ));
    }
    let org = get(conn, id)?;
    let successor = get(conn, successor_id)
        .map_err(|_| Error::field("successor_id", "Không có tổ chức này."))?;
    if !org.is_current() {
        return Err(Error::Refused("Tổ chức này đã hợp nhất hoặc giải thể."));
    }
    if !successor.is_current() {
        return Err(Error::field(
            "successor_id",
            "Tổ chức nhận hợp nhất đã giải thể hoặc hợp nhất.",
        ));
    }
    let all = list_all(conn)?;
    if is_ancestor(&all, id, successor_id) {
        return Err(Error::field(
            "successor_id",
            "Không thể hợp nhất vào một đơn vị trực thuộc của chính nó.",
        ));
    }
    let day = dated_after_founding(&org, date, "Ngày hợp nhất không được trước ngày thành lập.")?;
    conn.execute(
        "UPDATE organisations SET valid_to = $1, successor_id = $2 WHERE id = $3",
        params![day.as_str(), successor_id, id],
    )?;
    close_current_name(conn, id, &day)?;
    let moved_units = conn.execute(
        "UPDATE organisations SET parent_id = $1 WHERE parent_id = $2 AND valid_to IS NULL",
        params![successor_id, id],
    )?;
    let moved_people = conn.execute(
        "UPDATE users SET organisation_id = $1, updated_at = $2 WHERE organisation_id = $3",
        params![successor_id, clock::now_ms(), id],
    )?;
    audit::record(
        conn,
        who,
        audit::action::ORG_MERGED,
        ("organisation", &id.to_string()),
        &format!(
            "{} ({}) → {} ({}); {moved_people} người, {moved_units} đơn vị chuyển sang",
            org.name, org.code, successor.name, successor.code
        ),
    )?;
    Ok(())
}

/// The ISO form of `date`, refused when it comes before the organisation existed.
fn dated_after_founding(org: &Organisation, date: time::Date, refusal: Msg) -> Result<String> {
    let day = clock::iso_date(date);
    if day.as_str() < org.valid_from.as_str() {
        return Err(Error::field("date", refusal));
    }
    Ok(day)
}

/// Ends the name the organisation carries now, on `day`.
fn close_current_name(conn: &mut dyn Conn, id: i64, day: &str) -> Result<()> {
    conn.execute(
        "UPDATE organisation_names SET valid_to = $1 WHERE organisation_id = $2 AND valid_to IS NULL",
        params![day, id],
    )?;
    Ok(())
}

/// Where `target_org` sits relative to `actor_org` in the tree `all`, for the policy.
pub fn scope_of(all: &[Organisation], actor_org: i64, target_org: i64) -> Scope {
    if actor_org == target_org {
        Scope::OwnOrganisation
    } else if is_ancestor(all, actor_org, target_org) {
        Scope::BelowOwn
    } else {
        Scope::Elsewhere
    }
}

/// True when `ancestor` is `id` itself or above it in the tree.
pub fn is_ancestor(all: &[Organisation], ancestor: i64, id: i64) -> bool {
    let mut current = Some(id);
    let mut steps = 0;
    while let Some(cur) = current {
        if cur == ancestor {
            return true;
        }
        current = all.iter().find(|o| o.id == cur).and_then(|o| o.parent_id);
        steps += 1;
        if steps > all.len() {
            break; // a cycle would be a bug elsewhere; never loop forever
        }
    }
    false
}

/// The organisation at the top of `id`'s tree (an agency for a unit, the lead body for
/// an office).
pub fn root_of(all: &[Organisation], id: i64) -> i64 {
    let mut current = id;
    for _ in 0..=all.len() {
        match all
            .iter()
            .find(|o| o.id == current)
            .and_then(|o| o.parent_id)
        {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current
}

/// Organisations in tree order with their depth, current ones only unless asked.
pub fn tree(all: &[Organisation], include_former: bool) -> Vec<(usize, &Organisation)> {
    fn walk<'a>(
        all: &'a [Organisation],
        parent: Option<i64>,
        depth: usize,
        include_former: bool,
        out: &mut Vec<(usize, &'a Organisation)>,
    ) {
        let mut children: Vec<&Organisation> = all
            .iter()
            .filter(|o| o.parent_id == parent && (include_former || o.is_current()))
            .collect();
        children.sort_by_key(|o| (role_rank(o.role), o.name.clone()));
        for child in children {
            out.push((depth, child));
            if depth < 16 {
                walk(all, Some(child.id), depth + 1, include_former, out);
            }
        }
    }
    let mut out = Vec::with_capacity(all.len());
    walk(all, None, 0, include_former, &mut out);
    out
}

fn role_rank(role: OrgRole) -> u8 {
    match role {
        OrgRole::Lead => 0,
        OrgRole::Office => 1,
        OrgRole::Partner => 2,
        OrgRole::Unit => 3,
    }
}
