//! Who sent a letter (người gửi đơn): name, address, locality, phone, e-mail, identity
//! number. Personal data under Law 91/2025/QH15 and Decree 356/2025 (and a denouncer's
//! identity is confidential by the Law on Denunciations, art. 47), so it is kept in
//! `complaint_parties`, apart from the case: the case's JSON, its search document, the
//! list exports and the API read `cases` and never this table. This module is the only
//! way in, and it lets in only the people of the organisation handling the letter (and
//! of the bodies above it, which direct it) and the lead body's staff.
//!
//! Saving and correcting leave an audit row naming the letter and who did it, never
//! the values. Nothing here deletes: a correction overwrites the row it corrects.

use super::contact::{Email, IdentityNumber, Phone};
use super::names;
use crate::audit::{self, Who};
use crate::case::model::CaseActor;
use crate::clock;
use crate::db::{Conn, Row};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Msg;
use crate::org::{self, Organisation};
use crate::params;

/// Longest name and address accepted.
pub const MAX_NAME: usize = 200;
pub const MAX_ADDRESS: usize = 500;
/// Most senders recorded on one letter: a letter signed by more people is recorded
/// with its representatives.
pub const MAX_PER_LETTER: usize = 200;

const NO_NAME: Msg = "Ghi họ và tên người gửi đơn.";
const LONG_NAME: Msg = "Họ và tên quá dài (tối đa 200 ký tự).";
const LONG_ADDRESS: Msg = "Địa chỉ quá dài (tối đa 500 ký tự).";
const NO_REPLY: Msg =
    "Cần ít nhất một cách để trả lời người gửi đơn: địa chỉ, số điện thoại hoặc thư điện tử.";
const BAD_LOCALITY: Msg = "Chọn địa bàn trong danh mục.";
const NOBODY: Msg = "Ghi ít nhất một người gửi đơn.";
const TOO_MANY: Msg =
    "Tối đa 200 người gửi trên một đơn; đơn đông người hơn thì ghi những người đại diện.";
const NOT_A_LETTER: Msg = "Hồ sơ này không phải là đơn thư.";

/// A sender as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ComplainantForm {
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub locality_id: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub identity_number: String,
}

/// A sender, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complainant {
    pub name: String,
    pub address: String,
    pub locality_id: Option<i64>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub identity: Option<IdentityNumber>,
}

impl ComplainantForm {
    /// The sender, or what is wrong with each field. At least one way to reply is
    /// needed (an address, a phone number or an e-mail address).
    pub fn parse(&self) -> std::result::Result<Complainant, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = |typed: &str| {
            vntext::normalize(&typed.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        let name = text(&self.name);
        // Length first: a pasted book is refused before it is read as a name.
        if name.chars().count() > MAX_NAME {
            errors.add("name", LONG_NAME);
        } else if names::name_key(&name).is_empty() {
            errors.add("name", NO_NAME);
        } else if name.contains('\0') {
            errors.add("name", crate::error::NUL);
        }
        let address = text(&self.address);
        if address.chars().count() > MAX_ADDRESS {
            errors.add("address", LONG_ADDRESS);
        } else if address.contains('\0') {
            errors.add("address", crate::error::NUL);
        }
        let locality_id = match self.locality_id.trim() {
            "" => None,
            id => errors.check("locality_id", id.parse::<i64>().map_err(|_| BAD_LOCALITY)),
        };
        fn optional(typed: &str) -> Option<&str> {
            Some(typed.trim()).filter(|t| !t.is_empty())
        }
        let phone = optional(&self.phone).and_then(|p| errors.check("phone", Phone::parse(p)));
        let email = optional(&self.email).and_then(|e| errors.check("email", Email::parse(e)));
        let identity = optional(&self.identity_number)
            .and_then(|n| errors.check("identity_number", IdentityNumber::parse(n)));
        let reply =
            !address.is_empty() || !self.phone.trim().is_empty() || !self.email.trim().is_empty();
        if !reply {
            errors.add("address", NO_REPLY);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Complainant {
            name,
            address,
            locality_id,
            phone,
            email,
            identity,
        })
    }
}

/// A sender as stored: its place on the letter (from 1) and what was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredComplainant {
    pub id: i64,
    pub position: i64,
    pub complainant: Complainant,
}

/// True when `actor` may see and record the senders of a letter handled by
/// `handling_org_id`: the lead body's staff, and the agency people of that
/// organisation or of one above it.
pub fn may_see(actor: &CaseActor, handling_org_id: i64, all: &[Organisation]) -> bool {
    actor.is_lead_staff()
        || (actor.is_agency_staff() && org::is_ancestor(all, actor.org_id, handling_org_id))
}

/// The letter's number and handling organisation, after checking that `actor` may
/// handle its senders.
fn open_letter(conn: &mut dyn Conn, actor: &CaseActor, case_id: i64) -> Result<String> {
    let row = conn
        .query_opt(
            "SELECT c.number, l.handling_org_id FROM cases c
             LEFT JOIN complaint_letters l ON l.case_id = c.id WHERE c.id = $1",
            params![case_id],
        )?
        .ok_or(Error::NotFound)?;
    let (number, handling): (String, Option<i64>) = (row.get(0)?, row.get(1)?);
    let handling = handling.ok_or(Error::Refused(NOT_A_LETTER))?;
    let all = org::tree::current(conn)?;
    if !may_see(actor, handling, &all) {
        return Err(Error::Forbidden);
    }
    Ok(number)
}

fn who(actor: &CaseActor) -> Who {
    Who {
        user_id: Some(actor.user_id),
        name: actor.username.clone(),
        org_id: Some(actor.org_id),
        ip: String::new(),
    }
}

/// Checks that every named locality exists.
fn check_localities(conn: &mut dyn Conn, people: &[&Complainant]) -> Result<()> {
    for id in people.iter().filter_map(|p| p.locality_id) {
        let n: i64 = conn.scalar("SELECT COUNT(*) FROM localities WHERE id = $1", params![id])?;
        if n == 0 {
            return Err(Error::field("locality_id", BAD_LOCALITY));
        }
    }
    Ok(())
}

/// Records the senders of letter `case_id` after those it has, in order.
pub fn add(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    case_id: i64,
    people: &[Complainant],
) -> Result<()> {
    let number = open_letter(conn, actor, case_id)?;
    record(conn, actor, case_id, &number, people)
}

/// Records the senders of letter `case_id` (number `number`) as its opening gives them:
/// whoever opens a letter types its senders, whether or not their organisation is the
/// one that handles it and may see them afterwards.
pub fn record(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    case_id: i64,
    number: &str,
    people: &[Complainant],
) -> Result<()> {
    if people.is_empty() {
        return Err(Error::field("complainants", NOBODY));
    }
    let had: i64 = conn.scalar(
        "SELECT COALESCE(MAX(position), 0) FROM complaint_parties WHERE case_id = $1",
        params![case_id],
    )?;
    if usize::try_from(had)
        .unwrap_or(usize::MAX)
        .saturating_add(people.len())
        > MAX_PER_LETTER
    {
        return Err(Error::field("complainants", TOO_MANY));
    }
    check_localities(conn, &people.iter().collect::<Vec<_>>())?;
    let now = clock::now_ms();
    for (i, p) in people.iter().enumerate() {
        let position = had + i as i64 + 1;
        conn.execute(
            "INSERT INTO complaint_parties (case_id, position, name, name_key, address, address_key,
                 locality_id, phone, email, identity_number, created_by, created_at, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12)",
            &values(case_id, position, p, actor.user_id, now),
        )?;
    }
    let detail = format!("{number}: {} người gửi đơn", people.len());
    audit::record(
        conn,
        &who(actor),
        audit::action::COMPLAINANT_RECORDED,
        ("case", number),
        &detail,
    )?;
    Ok(())
}

/// Corrects the sender at `position` on letter `case_id`.
pub fn correct(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    case_id: i64,
    position: i64,
    person: &Complainant,
) -> Result<()> {
    let number = open_letter(conn, actor, case_id)?;
    check_localities(conn, &[person])?;
    // created_by and created_at stay as they were.
    let values = values(case_id, position, person, actor.user_id, clock::now_ms());
    let changed = conn.execute(
        "UPDATE complaint_parties SET name = $3, name_key = $4, address = $5, address_key = $6,
                locality_id = $7, phone = $8, email = $9, identity_number = $10,
                updated_by = $11, updated_at = $12
         WHERE case_id = $1 AND position = $2",
        &values,
    )?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    let detail = format!("{number}: người gửi đơn thứ {position}");
    audit::record(
        conn,
        &who(actor),
        audit::action::COMPLAINANT_CORRECTED,
        ("case", &number),
        &detail,
    )?;
    Ok(())
}

/// The columns of a row, in the order of the statements above.
fn values(case_id: i64, position: i64, p: &Complainant, by: i64, at: i64) -> Vec<crate::db::Value> {
    params![
        case_id,
        position,
        p.name.as_str(),
        names::name_key(&p.name),
        p.address.as_str(),
        names::address_key(&p.address),
        p.locality_id,
        p.phone.as_ref().map(|v| v.as_str().to_owned()),
        p.email.as_ref().map(|v| v.as_str().to_owned()),
        p.identity.as_ref().map(|v| v.as_str().to_owned()),
        by,
        at
    ]
    .to_vec()
}

/// The senders of letter `case_id`, in order, for someone allowed to see them
/// ([`may_see`]); anyone else is refused.
pub fn of_letter(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    case_id: i64,
) -> Result<Vec<StoredComplainant>> {
    open_letter(conn, actor, case_id)?;
    conn.query(
        "SELECT id, position, name, address, locality_id, phone, email, identity_number
         FROM complaint_parties WHERE case_id = $1 ORDER BY position",
        params![case_id],
    )?
    .iter()
    .map(from_row)
    .collect()
}

fn from_row(r: &Row) -> Result<StoredComplainant> {
    let (phone, email, identity): (Option<String>, Option<String>, Option<String>) =
        (r.get(5)?, r.get(6)?, r.get(7)?);
    // Stored values were checked when saved; one that no longer parses is shown as
    // missing rather than failing the page.
    Ok(StoredComplainant {
        id: r.get(0)?,
        position: r.get(1)?,
        complainant: Complainant {
            name: r.get(2)?,
            address: r.get(3)?,
            locality_id: r.get(4)?,
            phone: phone.and_then(|p| Phone::parse(&p).ok()),
            email: email.and_then(|e| Email::parse(&e).ok()),
            identity: identity.and_then(|n| IdentityNumber::parse(&n).ok()),
        },
    })
}

#[cfg(test)]
pub(super) fn messages() -> Vec<Msg> {
    vec![
        NO_NAME,
        LONG_NAME,
        LONG_ADDRESS,
        NO_REPLY,
        BAD_LOCALITY,
        NOBODY,
        TOO_MANY,
        NOT_A_LETTER,
    ]
}
