//! The complaint kind's own logic over the real database (SQLite, or PostgreSQL when
//! PHOIHOP_TEST_DATABASE_URL is set): escalation past level found and not found, and
//! counted (`escalation.rs`); letters and their senders stored apart and shown only to
//! whom they may be, and bad input (`senders.rs`); the installation's time limits
//! (`limits.rs`); the escalation counts and the limits through their pages (`pages.rs`).
//!
//! The kind's declaration does not exist yet, so a letter's case row is written here
//! as the generator of the benchmark writes it; everything after it goes through the
//! module's functions, in one transaction, as the declaration will call them.

mod api;
mod escalation;
mod limits;
mod pages;
mod senders;

use phoihop::case::kinds::complaint::complainant::{self, ComplainantForm};
use phoihop::case::kinds::complaint::escalation::{self as check, Earlier};
use phoihop::case::kinds::complaint::letters::{self, Letter};
use phoihop::case::kinds::complaint::{KIND, LetterType, Level};
use phoihop::case::model::CaseActor;
use phoihop::db::{Conn, Db};
use phoihop::error::{Error, Result};
use phoihop::params;
use serde_json::{Value, json};
use time::Date;
use time::macros::date;

/// A day after every letter below: the day they are recorded.
pub const TODAY: Date = date!(2026 - 12 - 01);

pub fn actor(db: &Db, username: &str) -> CaseActor {
    let person = db
        .read_blocking(|c| phoihop::org::people::get_by_username(c, username))
        .expect("read")
        .expect("demo account");
    CaseActor {
        user_id: person.id,
        username: person.username,
        name: person.display_name,
        role: person.role,
        org_id: person.organisation_id,
    }
}

pub fn id_of(c: &mut dyn Conn, table: &str, code: &str) -> Result<i64> {
    if table == "organisations" {
        return phoihop::org::find_current_by_code(c, code)?
            .map(|o| o.id)
            .ok_or(Error::NotFound);
    }
    Ok(c.scalar(
        &format!("SELECT id FROM {table} WHERE code = $1"),
        params![code],
    )?)
}

/// A sender as typed.
pub fn person(name: &str, address: &str, locality: Option<i64>) -> ComplainantForm {
    ComplainantForm {
        name: name.into(),
        address: address.into(),
        locality_id: locality.map(|l| l.to_string()).unwrap_or_default(),
        ..ComplainantForm::default()
    }
}

/// A letter to record: its text, level, handling organisation, day received, the
/// end of its running limit (none: no clock runs) and its senders.
pub struct Sent<'a> {
    pub title: &'a str,
    pub level: Level,
    pub handling: &'a str,
    pub received: Date,
    pub running_until: Option<Date>,
    pub people: Vec<ComplainantForm>,
}

/// Records a letter as its declaration will: the case row, the letter's facts, its
/// senders, its running clock, the escalation check. Returns its id, number and what
/// the check found.
pub fn send(db: &Db, by: &CaseActor, sent: Sent<'_>) -> Result<(i64, String, Option<Earlier>)> {
    db.write_blocking(|c| {
        let n: i64 = c.scalar("SELECT COUNT(*) FROM complaint_letters", &[])?;
        // Numbered apart from the letters of the demo.
        let number = format!("DT-2026-T{:04}", n + 1);
        let handling = id_of(c, "organisations", sent.handling)?;
        let program: i64 = c.scalar("SELECT MAX(id) FROM programs", &[])?;
        let field = id_of(c, "fields", "moi-truong")?;
        let locality = id_of(c, "localities", "NS-X02")?;
        let case_id: i64 = c.scalar(
            "INSERT INTO cases (kind, number, title, body, state, program_id, field_id,
                                locality_id, owner_org_id, opened_at, updated_at)
             VALUES ($1, $2, $3, '', 'received', $4, $5, $6, $7, 0, 0) RETURNING id",
            params![
                KIND,
                number.as_str(),
                sent.title,
                program,
                field,
                locality,
                handling
            ],
        )?;
        let letter = Letter {
            letter_type: LetterType::Complaint,
            level: sent.level,
            handling_org_id: handling,
            received_on: sent.received,
        };
        letters::record(c, case_id, &letter, TODAY)?;
        let people = sent
            .people
            .iter()
            .map(|p| p.parse().map_err(Error::Invalid))
            .collect::<Result<Vec<_>>>()?;
        complainant::add(c, by, case_id, &people)?;
        if let Some(due) = sent.running_until {
            c.execute(
                "INSERT INTO case_clocks (case_id, clock, org_id, started_at, due_on, state)
                 VALUES ($1, 'resolution', $2, 0, $3, 'running')",
                params![case_id, handling, phoihop::clock::iso_date(due)],
            )?;
        }
        let earlier = check::flag(c, case_id)?;
        Ok((case_id, number, earlier))
    })
}

/// The land dispute of Nguyễn Văn Bình, first at the commune: received 01/10/2026,
/// its first-round limit running to 02/11/2026.
pub fn commune_letter(db: &Db, by: &CaseActor, locality: i64) -> (i64, String) {
    let (id, number, earlier) = send(
        db,
        by,
        Sent {
            title: "Tranh chấp ranh giới thửa đất số 125, tờ bản đồ số 7 với hộ ông Lê Văn Tám ở thôn 3",
            level: Level::Commune,
            handling: "SNNMT",
            received: date!(2026 - 10 - 01),
            running_until: Some(date!(2026 - 11 - 02)),
            people: vec![person("Nguyễn Văn Bình", "Thôn 3, xã Đăk Hà", Some(locality))],
        },
    )
    .expect("recorded");
    assert_eq!(earlier, None, "nothing is below the commune");
    (id, number)
}

pub const RETOLD: &str = "Đề nghị tỉnh giải quyết việc hộ ong Le Van Tam lấn chiếm ranh giới thửa đất số 125 tờ bản đồ 7 của gia đình tôi, xã chưa giải quyết";

pub fn locality(db: &Db, code: &str) -> i64 {
    db.read_blocking(|c| id_of(c, "localities", code))
        .expect("locality")
}

/// The id of the current organisation `code`.
pub fn org(db: &Db, code: &str) -> i64 {
    db.read_blocking(|c| id_of(c, "organisations", code))
        .expect("organisation")
}

/// A land-dispute letter as the API takes it, received today, from `sender`.
pub fn letter(handling: i64, level: &str, title: &str, sender: Value) -> Value {
    json!({
        "kind": "complaint",
        "title": title,
        "body": "Gia đình tôi có thửa đất số 125, tờ bản đồ số 7 ở thôn 3; hộ ông Lê Văn Tám xây tường lấn sang gần hai mét.",
        "letter_type": "complaint",
        "level": level,
        "handling_org": handling,
        "received_on": phoihop::clock::iso_date(phoihop::clock::today()),
        "complainants": [sender],
    })
}
