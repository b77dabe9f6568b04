//! Escalation past level: found when it is one, not when it is not; and counted.

use phoihop::case::kinds::complaint::Level;
use phoihop::case::kinds::complaint::complainant::ComplainantForm;
use phoihop::case::kinds::complaint::counts::{self, CountFilter, Period};
use phoihop::case::kinds::complaint::letters;
use phoihop::error::Error;
use phoihop::params;
use time::Date;
use time::macros::date;

use super::*;
use crate::support::*;

#[test]
fn a_letter_to_the_province_while_the_commune_is_within_its_limit_is_flagged() {
    let app = spawn_app();
    let db = app.db();
    let lead = actor(&db, "chuyenvien");
    let ha = locality(&db, "NS-X02");
    let (first_id, first) = commune_letter(&db, &lead, ha);
    // The same man, typed without marks and with "ông"; the same matter retold.
    let (second_id, _, earlier) = send(
        &db,
        &lead,
        Sent {
            title: RETOLD,
            level: Level::Province,
            handling: "SNNMT",
            received: date!(2026 - 10 - 20),
            running_until: Some(date!(2026 - 11 - 19)),
            people: vec![person("ong Nguyen Van Binh", "thon 3 Dak Ha", Some(ha))],
        },
    )
    .expect("recorded");
    let earlier = earlier.expect("flagged");
    assert_eq!(
        (earlier.case_id, earlier.number.as_str()),
        (first_id, first.as_str())
    );
    assert_eq!(earlier.level, Level::Commune);
    assert_eq!(earlier.due_on, date!(2026 - 11 - 02));
    let stored = db
        .read_blocking(|c| letters::get(c, second_id))
        .expect("read")
        .expect("a letter");
    assert_eq!(stored.escalated_from.map(|e| e.number), Some(first));
    // And to the centre, past both.
    let (_, _, again) = send(
        &db,
        &lead,
        Sent {
            title: RETOLD,
            level: Level::Central,
            handling: "BTGDVTU",
            received: date!(2026 - 10 - 25),
            running_until: None,
            people: vec![ComplainantForm {
                phone: "0935 111 222".into(),
                ..person("Nguyễn Văn Bình", "", Some(ha))
            }],
        },
    )
    .expect("recorded");
    assert!(again.is_some_and(|e| [first_id, second_id].contains(&e.case_id)));
}

#[test]
fn no_flag_when_the_lower_level_is_past_its_limit_or_done() {
    let app = spawn_app();
    let db = app.db();
    let lead = actor(&db, "chuyenvien");
    let ha = locality(&db, "NS-X02");
    let (first_id, _) = commune_letter(&db, &lead, ha);
    let to_province = |received: Date| Sent {
        title: RETOLD,
        level: Level::Province,
        handling: "SNNMT",
        received,
        running_until: None,
        people: vec![person("Nguyễn Văn Bình", "Thôn 3, xã Đăk Hà", Some(ha))],
    };
    // Received after the commune's limit ended (02/11/2026): going up is its right.
    let (_, _, late) = send(&db, &lead, to_province(date!(2026 - 11 - 03))).expect("recorded");
    assert_eq!(late, None);
    // On the last day it is still within the limit.
    let (_, _, last_day) = send(&db, &lead, to_province(date!(2026 - 11 - 02))).expect("recorded");
    assert!(last_day.is_some_and(|e| e.case_id == first_id));
    // Once the commune has answered (its clock met), no flag.
    db.write_blocking(|c| {
        c.execute(
            "UPDATE case_clocks SET state = 'met', stopped_at = 1 WHERE case_id = $1",
            params![first_id],
        )
    })
    .expect("answered");
    let (_, _, answered) = send(&db, &lead, to_province(date!(2026 - 10 - 15))).expect("recorded");
    assert_eq!(answered, None);
}

#[test]
fn another_matter_another_person_or_another_place_is_not_an_escalation() {
    let app = spawn_app();
    let db = app.db();
    let lead = actor(&db, "chuyenvien");
    let ha = locality(&db, "NS-X02");
    let sa_thay = locality(&db, "NS-X03");
    commune_letter(&db, &lead, ha);
    let to_province = |title: &'static str, who: ComplainantForm| Sent {
        title,
        level: Level::Province,
        handling: "SNNMT",
        received: date!(2026 - 10 - 20),
        running_until: None,
        people: vec![who],
    };
    let cases = [
        // The same man, another matter.
        to_province(
            "Chậm chi trả chế độ trợ cấp người có công với cách mạng cho gia đình tôi",
            person("Nguyễn Văn Bình", "Thôn 3, xã Đăk Hà", Some(ha)),
        ),
        // The same matter, his neighbour, whose name differs only by its tone mark.
        to_province(
            RETOLD,
            person("Nguyễn Văn Bính", "Thôn 3, xã Đăk Hà", Some(ha)),
        ),
        // Someone of the same name in another commune, another address.
        to_province(
            RETOLD,
            person("Nguyễn Văn Bình", "Thôn Kon Tu", Some(sa_thay)),
        ),
        // The same name in reversed order.
        to_province(
            RETOLD,
            person("Bình Văn Nguyễn", "Thôn 3, xã Đăk Hà", Some(ha)),
        ),
    ];
    for sent in cases {
        let title = sent.title;
        let (_, _, earlier) = send(&db, &lead, sent).expect("recorded");
        assert_eq!(earlier, None, "{title}");
    }
    // The same commune letter again at the commune: the same level, not past it.
    let (_, _, same_level) = send(
        &db,
        &lead,
        Sent {
            level: Level::Commune,
            ..to_province(RETOLD, person("Nguyễn Văn Bình", "Thôn 3", Some(ha)))
        },
    )
    .expect("recorded");
    assert_eq!(same_level, None);
}

#[test]
fn the_same_person_is_known_by_address_phone_or_identity_number() {
    let app = spawn_app();
    let db = app.db();
    let lead = actor(&db, "chuyenvien");
    let ha = locality(&db, "NS-X02");
    let sa_thay = locality(&db, "NS-X03");
    let first = ComplainantForm {
        phone: "0905 123 456".into(),
        identity_number: "062090001234".into(),
        ..person("Trần Thị Hoa", "Tổ 4, phường Duy Tân", None)
    };
    let (first_id, _, _) = send(
        &db,
        &lead,
        Sent {
            title: "Ô nhiễm tiếng ồn và khói bụi từ xưởng cưa gỗ của công ty Tân Phát gần khu dân cư tổ 4",
            level: Level::Commune,
            handling: "VPĐKĐĐ",
            received: date!(2026 - 10 - 01),
            running_until: Some(date!(2026 - 11 - 02)),
            people: vec![first],
        },
    )
    .expect("recorded");
    let retold =
        "O nhiem tieng on va khoi bui tu xuong cua go cong ty Tan Phat gan khu dan cu to 4";
    let to_province = |who: ComplainantForm| Sent {
        title: retold,
        level: Level::Province,
        handling: "SNNMT",
        received: date!(2026 - 10 - 10),
        running_until: None,
        people: vec![who],
    };
    let found = |who| {
        send(&db, &lead, to_province(who))
            .expect("recorded")
            .2
            .map(|e| e.case_id)
    };
    // An address alike, no locality on either.
    assert_eq!(
        found(person("Bà Trần Thị Hoa", "to 4 Duy Tan", None)),
        Some(first_id)
    );
    // The same phone, typed otherwise, with a locality the first did not give.
    let by_phone = ComplainantForm {
        phone: "+84 905 123 456".into(),
        ..person("Tran Thi Hoa", "", Some(ha))
    };
    assert_eq!(found(by_phone), Some(first_id));
    // The same identity number under a misspelt name and elsewhere.
    let by_identity = ComplainantForm {
        identity_number: "062 090 001 234".into(),
        ..person("Trần Thị Hòa", "Thôn 9", Some(sa_thay))
    };
    assert_eq!(found(by_identity), Some(first_id));
    // The name alone is not enough.
    assert_eq!(found(person("Trần Thị Hoa", "Thôn 9", Some(sa_thay))), None);
}

#[test]
fn escalations_are_counted_by_field_locality_and_period() {
    let app = spawn_app();
    let db = app.db();
    let lead = actor(&db, "chuyenvien");
    let ha = locality(&db, "NS-X02");
    commune_letter(&db, &lead, ha);
    for (received, title) in [
        (date!(2026 - 10 - 20), RETOLD),
        (
            date!(2026 - 11 - 05),
            "Đề nghị hỗ trợ tiền điện cho hộ nghèo ở tổ 4",
        ),
    ] {
        send(
            &db,
            &lead,
            Sent {
                title,
                level: Level::Province,
                handling: "SNNMT",
                received,
                running_until: None,
                people: vec![person("Nguyễn Văn Bình", "Thôn 3, xã Đăk Hà", Some(ha))],
            },
        )
        .expect("recorded");
    }
    let count = |from, to, period| {
        db.read_blocking(|c| {
            counts::count_escalations(
                c,
                &CountFilter {
                    from,
                    to,
                    field_id: None,
                    locality_id: Some(ha),
                },
                period,
            )
        })
        .expect("counted")
    };
    let by_month = count(date!(2026 - 10 - 01), date!(2026 - 12 - 31), Period::Month);
    let figures: Vec<_> = by_month
        .iter()
        .map(|l| {
            (
                l.period.as_str(),
                l.letters,
                l.escalated,
                l.field.as_deref(),
                l.locality.as_deref(),
            )
        })
        .collect();
    let (field, place) = (Some("Tài nguyên và Môi trường"), Some("Xã Đăk Hà"));
    assert_eq!(
        figures,
        [
            ("2026-10", 2, 1, field, place),
            ("2026-11", 1, 0, field, place)
        ]
    );
    let by_quarter = count(
        date!(2026 - 10 - 01),
        date!(2026 - 12 - 31),
        Period::Quarter,
    );
    assert_eq!(
        by_quarter
            .iter()
            .map(|l| (l.period.as_str(), l.letters, l.escalated))
            .collect::<Vec<_>>(),
        [("2026-Q4", 3, 1)]
    );
    assert!(
        count(date!(2026 - 11 - 01), date!(2026 - 11 - 30), Period::Year)
            .iter()
            .all(|l| l.escalated == 0)
    );
    let backwards = db.read_blocking(|c| {
        counts::count_escalations(
            c,
            &CountFilter {
                from: TODAY,
                to: date!(2026 - 01 - 01),
                field_id: None,
                locality_id: None,
            },
            Period::Month,
        )
    });
    assert!(matches!(backwards, Err(Error::Invalid(_))));
}
