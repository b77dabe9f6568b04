//! Who sent a letter: kept apart, shown only to whom it may be; and bad input.

use phoihop::case::kinds::complaint::Level;
use phoihop::case::kinds::complaint::complainant;
use phoihop::case::kinds::complaint::complainant::ComplainantForm;
use phoihop::case::kinds::complaint::escalation::Earlier;
use phoihop::case::kinds::complaint::letters;
use phoihop::error::{Error, Result};
use phoihop::params;
use time::macros::date;

use super::*;
use crate::support::*;

#[test]
fn senders_are_shown_only_to_the_handling_organisation_and_the_lead_body() {
    let app = spawn_app();
    let db = app.db();
    let lead = actor(&db, "chuyenvien");
    let ha = locality(&db, "NS-X02");
    let (case_id, number) = commune_letter(&db, &lead, ha);
    let read = |who: &str| {
        let a = actor(&db, who);
        db.read_blocking(|c| complainant::of_letter(c, &a, case_id))
    };
    // Handled by the department (SNNMT): its liaison and the lead body see the sender.
    for who in ["chuyenvien", "lanhdao", "daumoi.snnmt"] {
        let people = read(who).unwrap_or_else(|e| panic!("{who}: {e:?}"));
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].complainant.name, "Nguyễn Văn Bình");
        assert_eq!(people[0].complainant.locality_id, Some(ha));
    }
    // A unit below it, another department, the administrator, a collaborator do not.
    for who in ["canbo.vpdkdd", "daumoi.syt", "admin", "congtacvien"] {
        assert!(matches!(read(who), Err(Error::Forbidden)), "{who}");
    }
    // Nor may they add to it.
    let outsider = actor(&db, "daumoi.syt");
    let extra = person("Lê Thị Hạnh", "Thôn 3", None)
        .parse()
        .expect("valid");
    let refused = db
        .write_blocking(|c| complainant::add(c, &outsider, case_id, std::slice::from_ref(&extra)));
    assert!(matches!(refused, Err(Error::Forbidden)));
    // The case row itself holds nothing of it.
    let (title, data): (String, String) = db
        .read_blocking(|c| {
            let r = c.query_one(
                "SELECT title, data FROM cases WHERE id = $1",
                params![case_id],
            )?;
            Ok::<_, Error>((r.get(0)?, r.get(1)?))
        })
        .expect("read");
    assert!(!title.contains("Bình") && data == "{}", "{title} {data}");
    // A correction is audited without the values.
    let corrected = ComplainantForm {
        phone: "0912345678".into(),
        ..person("Nguyễn Văn Bình", "Thôn 3, xã Đăk Hà", Some(ha))
    }
    .parse()
    .expect("valid");
    db.write_blocking(|c| complainant::correct(c, &lead, case_id, 1, &corrected))
        .expect("corrected");
    let shown = read("daumoi.snnmt").expect("read");
    assert_eq!(
        shown[0].complainant.phone.as_ref().map(|p| p.as_str()),
        Some("0912345678")
    );
    let details: Vec<String> = db
        .read_blocking(|c| {
            c.query(
                "SELECT detail FROM audit_log WHERE subject_id = $1 ORDER BY id",
                params![number.as_str()],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect::<std::result::Result<_, _>>()
        })
        .expect("audit");
    assert_eq!(details.len(), 2, "{details:?}");
    assert!(
        details
            .iter()
            .all(|d| !d.contains("Bình") && !d.contains("0912")),
        "{details:?}"
    );
    assert!(matches!(
        db.write_blocking(|c| complainant::correct(c, &lead, case_id, 9, &corrected)),
        Err(Error::NotFound)
    ));
}

#[test]
fn bad_letters_and_senders_are_refused_with_a_reason() {
    let app = spawn_app();
    let db = app.db();
    let lead = actor(&db, "chuyenvien");
    let demo_letters: i64 = db
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM complaint_letters", &[]))
        .expect("count");
    let letter = |received, people: Vec<ComplainantForm>| Sent {
        title: "Đề nghị sửa chữa đường bê tông thôn 2 bị hư hỏng sau mùa mưa",
        level: Level::Commune,
        handling: "SNNMT",
        received,
        running_until: None,
        people,
    };
    let field_of = |r: Result<(i64, String, Option<Earlier>)>| match r {
        Err(Error::Invalid(errors)) => errors.0.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        other => panic!("not refused: {other:?}"),
    };
    let someone = || person("Phạm Văn Lực", "Thôn 2", None);
    assert_eq!(
        field_of(send(
            &db,
            &lead,
            letter(date!(2026 - 12 - 02), vec![someone()])
        )),
        ["received_on"]
    );
    assert_eq!(
        field_of(send(&db, &lead, letter(TODAY, vec![]))),
        ["complainants"]
    );
    let no_reply = person("Phạm Văn Lực", "", None);
    assert_eq!(
        field_of(send(&db, &lead, letter(TODAY, vec![no_reply]))),
        ["address"]
    );
    let nowhere = person("Phạm Văn Lực", "Thôn 2", Some(999_999));
    assert_eq!(
        field_of(send(&db, &lead, letter(TODAY, vec![nowhere]))),
        ["locality_id"]
    );
    let crowd = vec![someone(); 201];
    assert_eq!(
        field_of(send(&db, &lead, letter(TODAY, crowd))),
        ["complainants"]
    );
    let bad_contacts = ComplainantForm {
        phone: "12345".into(),
        email: "an@".into(),
        identity_number: "123".into(),
        ..someone()
    };
    assert_eq!(
        field_of(send(&db, &lead, letter(TODAY, vec![bad_contacts]))),
        ["phone", "email", "identity_number"]
    );
    // Nothing of the refused letters was kept.
    let kept: i64 = db
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM complaint_letters", &[]))
        .expect("count");
    assert_eq!(kept, demo_letters);
    // A letter is recorded once.
    let (case_id, _, _) = send(&db, &lead, letter(TODAY, vec![someone()])).expect("recorded");
    let again = db.write_blocking(|c| {
        let l = letters::get(c, case_id)?.expect("letter").letter;
        letters::record(c, case_id, &l, TODAY)
    });
    assert!(matches!(again, Err(Error::Refused(_))), "{again:?}");
}
