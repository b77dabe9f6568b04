//! Escalation past level (vượt cấp): a letter reaching a higher level about the same
//! complainant and the same matter while a lower level still holds it within its
//! time limit. The program works to reduce these, so each is flagged on the later
//! letter with a link to the earlier one, and counted ([`super::counts`]).
//!
//! The same complainant: the same name key ([`names::name_key`]) and the same place
//! (the same locality, or addresses alike by [`names::similar_addresses`]) or the same
//! phone or e-mail; or the same identity number whatever the name. The same matter:
//! the texts alike by [`Matter::same_as`]. Still within its limit: the earlier case's
//! earliest running deadline (`cases.due_on`, kept by the clocks' triggers) is on or
//! after the day the new letter was received; a letter answered, closed or already
//! late has none running, or one past.
//!
//! Fast against a million earlier letters: candidates come by index, the newest
//! [`MAX_CANDIDATES`] letters of the name key (or of the identity number) read from the
//! index alone, then filtered in SQL to letters at a lower level still within their
//! limit, and only those few are scored. The cost follows how many earlier letters
//! share the name up to that bound, not how many there are (bench: `phoihop-bench
//! complaint-escalation`). The bound is safe because a letter still within its limit
//! is a recent one: even the most common name in a province does not gather that many
//! letters within the longest limit.

use time::Date;

use super::Level;
use super::complainant::Complainant;
use super::contact;
use super::letters;
use super::matter::Matter;
use super::names;
use crate::clock;
use crate::db::{Conn, Row, Value};
use crate::error::{Error, Result};
use crate::params;

/// The most earlier letters read for one name (or identity number), newest first: a
/// bound on the check's time whatever the data.
pub const MAX_CANDIDATES: usize = 2000;

/// What the check needs to know of a sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKeys {
    pub name_key: String,
    /// See [`names::marked_name`].
    pub marked_name: Option<String>,
    pub address_key: String,
    pub locality_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub identity_number: Option<String>,
}

impl From<&Complainant> for PersonKeys {
    fn from(p: &Complainant) -> Self {
        PersonKeys {
            name_key: names::name_key(&p.name),
            marked_name: names::marked_name(&p.name),
            address_key: names::address_key(&p.address),
            locality_id: p.locality_id,
            phone: p.phone.as_ref().map(|v| contact::phone_key(v.as_str())),
            email: p.email.as_ref().map(|v| v.as_str().to_owned()),
            identity_number: p.identity.as_ref().map(|v| v.as_str().to_owned()),
        }
    }
}

impl PersonKeys {
    /// True when `other` is the same person as far as the keys can say.
    fn same_person(&self, other: &PersonKeys) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| {
            a.as_ref()
                .zip(b.as_ref())
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        };
        if same(&self.identity_number, &other.identity_number) {
            return true;
        }
        let marks_differ = matches!(
            (&self.marked_name, &other.marked_name),
            (Some(a), Some(b)) if a != b
        );
        !self.name_key.is_empty()
            && self.name_key == other.name_key
            && !marks_differ
            && ((self.locality_id.is_some() && self.locality_id == other.locality_id)
                || names::similar_addresses(&self.address_key, &other.address_key)
                || same(&self.phone, &other.phone)
                || same(&self.email, &other.email))
    }
}

/// A new letter, as the check sees it.
#[derive(Debug, Clone)]
pub struct NewLetter<'a> {
    /// The letter's own case once recorded, never its own earlier letter.
    pub case_id: Option<i64>,
    pub level: Level,
    pub received_on: Date,
    pub people: &'a [PersonKeys],
    /// Its title, then its text.
    pub matter: &'a str,
}

/// The earlier letter a new one escalates past.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    pub case_id: i64,
    pub number: String,
    pub level: Level,
    pub handling_org_id: i64,
    /// The end of the earlier level's running limit.
    pub due_on: Date,
    /// How alike the two matters are ([`Matter::similarity`]).
    pub similarity: f64,
}

/// The columns of `complaint_parties` that [`keys_at`] reads, in its order.
const PERSON: &str = "name_key, address_key, locality_id, phone, email, identity_number, name";

/// A sender's keys from the columns [`PERSON`], starting at column `first` of `row`.
fn keys_at(row: &Row, first: usize) -> Result<PersonKeys> {
    let name: String = row.get(first + 6)?;
    Ok(PersonKeys {
        name_key: row.get(first)?,
        marked_name: names::marked_name(&name),
        address_key: row.get(first + 1)?,
        locality_id: row.get(first + 2)?,
        phone: row
            .get::<Option<String>>(first + 3)?
            .map(|p| contact::phone_key(&p)),
        email: row.get(first + 4)?,
        identity_number: row.get(first + 5)?,
    })
}

/// A letter's text as the matter comparison reads it: its title, then its content.
pub fn matter_text(title: &str, body: &str) -> String {
    format!("{title}.\n{body}")
}

/// The query for candidates: the newest [`MAX_CANDIDATES`] senders whose `key` column
/// equals `$1` (read from its index), of those the letters at a level below (`$2`,
/// `$3`), received by `$4` and still within their limit on that day, not the letter
/// itself (`$5`); newest first. Columns: the case, [`PERSON`], then the letter's.
fn candidates(key: &str) -> String {
    format!(
        "SELECT p.*, l.level, l.handling_org_id, c.number, c.due_on, c.title,
                SUBSTR(c.body, 1, {chars})
         FROM (SELECT case_id, {PERSON} FROM complaint_parties WHERE {key} = $1
               ORDER BY case_id DESC LIMIT {MAX_CANDIDATES}) p
         JOIN complaint_letters l ON l.case_id = p.case_id
         JOIN cases c ON c.id = p.case_id
         WHERE l.level IN ($2, $3) AND l.received_on <= $4 AND c.due_on >= $4
           AND p.case_id <> $5
         ORDER BY p.case_id DESC",
        chars = super::matter::MAX_CHARS
    )
}

/// The earlier letter that `new` escalates past level, if there is one: the most alike
/// of those by the same complainant about the same matter.
pub fn find_escalation(conn: &mut dyn Conn, new: &NewLetter<'_>) -> Result<Option<Earlier>> {
    let below: Vec<Level> = new.level.below().collect();
    let (Some(first), Some(last)) = (below.first(), below.last()) else {
        return Ok(None); // nothing is below the commune
    };
    let received = clock::iso_date(new.received_on);
    let mut rows: Vec<Row> = Vec::new();
    for person in new.people {
        let mut by = |key: &str, value: &str| -> Result<()> {
            let params = [
                Value::from(value),
                Value::from(first.code()),
                Value::from(last.code()),
                Value::from(received.as_str()),
                Value::from(new.case_id.unwrap_or(0)),
            ];
            rows.extend(conn.query(&candidates(key), &params)?);
            Ok(())
        };
        if !person.name_key.is_empty() {
            by("name_key", &person.name_key)?;
        }
        if let Some(identity) = &person.identity_number {
            by("identity_number", identity)?;
        }
    }
    let matter = Matter::new(new.matter);
    let mut best: Option<Earlier> = None;
    let mut seen = std::collections::HashSet::new();
    for row in &rows {
        let case_id: i64 = row.get(0)?;
        let keys = keys_at(row, 1)?;
        if !new.people.iter().any(|p| p.same_person(&keys)) || !seen.insert(case_id) {
            continue;
        }
        let (title, body): (String, String) = (row.get(12)?, row.get(13)?);
        let similarity = matter.similarity(&Matter::new(&matter_text(&title, &body)));
        if similarity < super::matter::SAME_MATTER
            || best.as_ref().is_some_and(|b| b.similarity >= similarity)
        {
            continue;
        }
        let (level, due): (String, String) = (row.get(8)?, row.get(11)?);
        let bad = || crate::db::DbError::Decode(format!("complaint letter {case_id}"));
        best = Some(Earlier {
            case_id,
            number: row.get(10)?,
            level: Level::parse(&level).ok_or_else(bad)?,
            handling_org_id: row.get(9)?,
            due_on: clock::parse_iso_date(&due).ok_or_else(bad)?,
            similarity,
        });
    }
    Ok(best)
}

/// Runs the check for the recorded letter `case_id` (its facts, its senders, its
/// case's title and text) and keeps the answer on it: the earlier letter, or none.
/// Run when the letter is recorded, in the same transaction, after its senders.
pub fn flag(conn: &mut dyn Conn, case_id: i64) -> Result<Option<Earlier>> {
    let letter = letters::get(conn, case_id)?.ok_or(Error::NotFound)?;
    let people: Vec<PersonKeys> = conn
        .query(
            &format!("SELECT {PERSON} FROM complaint_parties WHERE case_id = $1 ORDER BY position"),
            params![case_id],
        )?
        .iter()
        .map(|r| keys_at(r, 0))
        .collect::<Result<_>>()?;
    let text = conn.query_one(
        &format!(
            "SELECT title, SUBSTR(body, 1, {}) FROM cases WHERE id = $1",
            super::matter::MAX_CHARS
        ),
        params![case_id],
    )?;
    let (title, body): (String, String) = (text.get(0)?, text.get(1)?);
    let matter = matter_text(&title, &body);
    let earlier = find_escalation(
        conn,
        &NewLetter {
            case_id: Some(case_id),
            level: letter.letter.level,
            received_on: letter.letter.received_on,
            people: &people,
            matter: &matter,
        },
    )?;
    conn.execute(
        "UPDATE complaint_letters SET escalated_from = $1 WHERE case_id = $2",
        params![earlier.as_ref().map(|e| e.case_id), case_id],
    )?;
    Ok(earlier)
}
