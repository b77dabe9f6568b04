//! Generated collaborators and their reports for `phoihop-bench opinion-rollup`
//! (feature `bench`): collaborators under the lead body and the partner agencies in
//! turn, each with a monthly schedule; all but one in twenty filed the month's report
//! with the same number of topic rows (topics, fields, localities and attitudes drawn
//! from a fixed seed), one in seven of them accepted. Written in one transaction,
//! behind the engine's back (`case/bench.rs`).

use serde_json::{Value, json};
use time::Date;

use super::{ATTITUDES, WORKFLOW};
use crate::case::bench::{Rng, ids};
use crate::db::{Conn, DbError};
use crate::params;

/// The generated collaborators' usernames start so.
const PREFIX: &str = "ctv.bench";
const SUBJECTS: &[&str] = &[
    "Giá điện sinh hoạt",
    "Sáp nhập trường điểm lẻ",
    "Tiêm chủng mở rộng",
    "Thuốc nam trên mạng xã hội",
    "Lễ hội cồng chiêng",
    "Giải phóng mặt bằng đường cao tốc",
    "Giá cà phê",
    "Sạt lở mùa mưa",
    "Bảo hiểm y tế học sinh",
    "Tuyển dụng giáo viên",
];

/// The month the reports are filed for (`2023-06` in 2026): three years back, before
/// the demo's own schedules and reports.
pub fn period(today: Date) -> String {
    format!("{}-06", today.year() - 3)
}

/// How many generated collaborators `c` holds.
pub fn generated(c: &mut dyn Conn) -> Result<i64, DbError> {
    c.scalar(
        "SELECT COUNT(*) FROM users WHERE username LIKE $1",
        params![format!("{PREFIX}%")],
    )
}

/// The organisation of the first generated collaborator: one whose reports a roll-up
/// for one organisation counts.
pub fn first_organisation(c: &mut dyn Conn) -> Result<i64, DbError> {
    c.scalar(
        "SELECT organisation_id FROM users WHERE username = $1",
        params![format!("{PREFIX}0")],
    )
}

/// Writes `collaborators` collaborators, their schedules and their reports for the
/// period `code`, each of `topics` topic rows.
pub fn write(
    c: &mut dyn Conn,
    collaborators: usize,
    topics: usize,
    code: &str,
) -> Result<(), DbError> {
    let orgs = ids(
        c,
        "SELECT id FROM organisations WHERE valid_to IS NULL AND role IN ('lead', 'partner') ORDER BY id",
    )?;
    let localities = ids(
        c,
        "SELECT id FROM localities WHERE level <> 'province' AND valid_to IS NULL ORDER BY id",
    )?;
    let fields = ids(c, "SELECT id FROM fields ORDER BY id")?;
    let program: i64 = c.scalar("SELECT MAX(id) FROM programs", &[])?;
    let mut rng = Rng::new(2026);
    for i in 0..collaborators {
        let org = orgs[i % orgs.len()];
        let user: i64 = c.scalar(
            "INSERT INTO users (username, display_name, display_name_folded, organisation_id,
                                role, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'collaborator', '!', 0, 0) RETURNING id",
            params![
                format!("{PREFIX}{i}"),
                format!("Cộng tác viên {i}"),
                format!("cong tac vien {i}"),
                org
            ],
        )?;
        c.execute(
            "INSERT INTO report_schedules (user_id, cadence, due_day, remind_days, valid_from, created_at)
             VALUES ($1, 'monthly', 5, 3, '2000-01-01', 0)",
            params![user],
        )?;
        if i % 20 == 19 {
            continue; // one in twenty filed nothing
        }
        let rows: Vec<Value> = (0..topics)
            .map(|_| {
                let subject = SUBJECTS[rng.below(SUBJECTS.len())];
                json!({
                    "topic": subject,
                    "field": fields[rng.below(fields.len())],
                    "locality": localities[rng.below(localities.len())],
                    "attitude": ATTITUDES[rng.below(ATTITUDES.len())].code,
                    "opinions": format!("Người dân ở địa bàn có nhiều ý kiến về {}.", subject.to_lowercase()),
                    "proposals": "Đề nghị các cơ quan chức năng thông tin kịp thời.",
                })
            })
            .collect();
        let state = if i % 7 == 3 { "accepted" } else { "submitted" };
        let case: i64 = c.scalar(
            "INSERT INTO cases (kind, number, title, body, state, program_id, owner_org_id, created_by,
                                opened_at, updated_at, data)
             VALUES ($1, $2, $3, '', $4, $5, $6, $7, 0, 0, $8) RETURNING id",
            params![
                WORKFLOW.kind,
                format!("DL-BENCH-{i:05}"),
                format!("Báo cáo dư luận xã hội kỳ {code}"),
                state,
                program,
                org,
                user,
                json!({"period": code, "topics": rows}).to_string()
            ],
        )?;
        c.execute(
            "INSERT INTO opinion_reports (case_id, reporter_id, org_id, period) VALUES ($1, $2, $3, $4)",
            params![case, user, org, code],
        )?;
    }
    Ok(())
}
