//! Two years of monthly reports by the demo's collaborators, opened by the kind's own
//! daily job as their schedules expect them and filed on or a little before the due
//! day, some late, some returned with a reason and filed again, accepted by the lead
//! body's specialist; each with two or three topics on the localities and fields the
//! collaborator covers. The last month's wait for their collaborators or for review.

use serde_json::{Value, json};
use time::Duration;

use time::Date;

use super::expected;
use crate::case::demo::Demo;
use crate::case::model::CaseActor;
use crate::error::{Error, Result};
use crate::org::collaborators;

/// (topic, the opinion people voice, what they propose, field code) the demo invents.
const TOPICS: &[(&str, &str, &str, &str)] = &[
    (
        "Giá điện sinh hoạt tăng",
        "Nhiều hộ cho rằng hóa đơn tiền điện tháng này tăng cao bất thường.",
        "Đề nghị ngành điện giải thích cách tính giá bậc thang.",
        "van-hoa",
    ),
    (
        "Sáp nhập trường điểm lẻ",
        "Phụ huynh lo con nhỏ phải đi học xa, đường sá khó khăn mùa mưa.",
        "Đề nghị bố trí xe đưa đón học sinh.",
        "giao-duc",
    ),
    (
        "Tiêm chủng mở rộng",
        "Người dân đồng tình, đưa trẻ đi tiêm đầy đủ.",
        "Tiếp tục tuyên truyền tại các làng vùng sâu.",
        "y-te",
    ),
    (
        "Thông tin thuốc nam chữa bệnh trên mạng xã hội",
        "Một số người tin theo, mua thuốc không rõ nguồn gốc.",
        "Đề nghị kiểm tra, cảnh báo trên đài truyền thanh.",
        "y-hoc-co-truyen",
    ),
    (
        "Lễ hội văn hóa cồng chiêng",
        "Bà con phấn khởi, mong được tổ chức hằng năm.",
        "Hỗ trợ kinh phí cho đội cồng chiêng các làng.",
        "van-hoa",
    ),
];

const ATTITUDES: &[&str] = &["concerned", "supportive", "mixed", "negative", "supportive"];

const COLLABORATORS: &[&str] = &[
    "congtacvien",
    "congtacvien2",
    "congtacvien.syt",
    "congtacvien2.syt",
];

fn actor(demo: &mut Demo<'_>, username: &str) -> Result<CaseActor> {
    let person = crate::org::people::get_by_username(demo.conn, username)?
        .ok_or(Error::Refused("a demo collaborator is missing"))?;
    Ok(CaseActor {
        user_id: person.id,
        username: person.username,
        name: person.display_name,
        role: person.role,
        org_id: person.organisation_id,
    })
}

pub fn script(demo: &mut Demo<'_>) -> Result<()> {
    let lead = demo.people.specialist.clone();
    let fields = crate::refdata::fields(demo.conn, true)?;
    let mut people = Vec::new();
    for username in COLLABORATORS {
        let who = actor(demo, username)?;
        let cover = collaborators::current(demo.conn, who.user_id)?;
        people.push((who, cover));
    }
    // The daily job, run on the first day of each month of the two years, opens the
    // reports of the months just over; their collaborators file them as they would.
    let first = demo.today - Duration::days(730);
    let mut day = first.replace_day(1).unwrap_or(first);
    let mut i = 0usize;
    while day <= demo.today {
        let at = demo.at(day, 6);
        expected::open_expected(demo.conn, &at).map_err(|e| Error::Refused(e.message()))?;
        let waiting = demo.conn.query(
            "SELECT c.number, r.reporter_id, r.due_on FROM opinion_reports r
             JOIN cases c ON c.id = r.case_id WHERE c.state = 'expected' ORDER BY c.id",
            &[],
        )?;
        for row in &waiting {
            let (number, reporter, due): (String, i64, String) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            let (Some((who, cover)), Some(due)) = (
                people.iter().find(|(p, _)| p.user_id == reporter),
                crate::clock::parse_iso_date(&due),
            ) else {
                continue;
            };
            i += 1;
            // Most are filed a day or two early; every ninth three days late.
            let filed = match i % 9 {
                4 => due + Duration::days(3),
                _ => due - Duration::days(1 + (i % 2) as i64),
            };
            // Still waiting: the reports not yet due, and the first collaborator's latest
            // whatever the day (so that one always waits, as the tests and a visitor expect).
            let latest = due + Duration::days(25) > demo.today;
            if filed >= demo.today || (latest && who.name == COLLABORATORS[0]) {
                continue;
            }
            let topics = topics(i, cover, &fields);
            if topics.is_empty() {
                continue;
            }
            let at = demo.at(filed, 16);
            demo.act(who, &number, "submit", json!({"topics": topics}), &at)?;
            review(demo, &lead, who, &number, filed, i)?;
        }
        day = next_month(day);
    }
    Ok(())
}

/// The first day of the month after `day`'s.
fn next_month(day: Date) -> Date {
    let last = day.month().length(day.year());
    let next = day.replace_day(1).unwrap_or(day) + Duration::days(i64::from(last));
    next.replace_day(1).unwrap_or(next)
}

/// Two or three topics on what `cover` covers (every field when none is named).
fn topics(
    i: usize,
    cover: &collaborators::Covered,
    fields: &[crate::refdata::Field],
) -> Vec<Value> {
    let theirs: Vec<_> = TOPICS
        .iter()
        .filter(|t| {
            cover.fields.is_empty()
                || fields
                    .iter()
                    .any(|f| f.code == t.3 && cover.fields.iter().any(|c| c.id == f.id))
        })
        .collect();
    if theirs.is_empty() || cover.localities.is_empty() {
        return Vec::new();
    }
    (0..2 + i % 2)
        .map(|r| {
            let (topic, opinion, proposal, field) = theirs[(i + r) % theirs.len()];
            json!({
                "topic": topic,
                "field": fields.iter().find(|f| f.code == *field).map(|f| f.id),
                "locality": cover.localities[(i + r) % cover.localities.len()].id,
                "attitude": ATTITUDES[(i + r) % ATTITUDES.len()],
                "opinions": opinion,
                "proposals": proposal,
            })
        })
        .collect()
}

/// The lead body reviews a report two days after it is filed: every seventh is returned
/// with a reason and filed again the next day; the rest accepted. Of the last month's,
/// some are returned and wait to be filed again, the others wait for review.
fn review(
    demo: &mut Demo<'_>,
    lead: &CaseActor,
    who: &CaseActor,
    number: &str,
    filed: Date,
    i: usize,
) -> Result<()> {
    let reviewed = filed + Duration::days(2);
    let why = json!({"note": "Đề nghị ghi rõ số hộ, số người có ý kiến và địa điểm cụ thể."});
    if reviewed + Duration::days(40) > demo.today {
        // Last month's: one returned and waiting to be filed again, the rest in review.
        if i.is_multiple_of(2) && reviewed < demo.today {
            demo.act(lead, number, "return", why, &demo.at(reviewed, 9))?;
        }
        return Ok(());
    }
    if i % 7 == 3 {
        demo.act(lead, number, "return", why, &demo.at(reviewed, 9))?;
        let topics: Value = demo
            .conn
            .query_one(
                "SELECT data FROM cases WHERE number = $1",
                crate::params![number],
            )
            .and_then(|r| r.get::<String>(0))
            .ok()
            .and_then(|d| serde_json::from_str::<Value>(&d).ok())
            .and_then(|d| d.get("topics").cloned())
            .unwrap_or(json!([]));
        let again = json!({"topics": topics, "note": "Đã bổ sung số hộ và địa điểm."});
        demo.act(
            who,
            number,
            "resubmit",
            again,
            &demo.at(reviewed + Duration::days(1), 15),
        )?;
    }
    demo.act(
        lead,
        number,
        "accept",
        json!({}),
        &demo.at(reviewed + Duration::days(3), 10),
    )
}
