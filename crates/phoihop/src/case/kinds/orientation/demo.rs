//! Orientations in the demo province: every three incidents the agencies concluded get
//! one, drafted when the last of them was concluded, then submitted, approved, sent to
//! a few agencies, acknowledged and closed, each as far as a fixed cycle allows.

use serde_json::{Map, json};
use time::Duration;

use crate::case::demo::Demo;
use crate::case::engine::NewCase;
use crate::error::Result;

pub fn script(demo: &mut Demo<'_>) -> Result<()> {
    let people = demo.people;
    let today = demo.today;
    let concluded = concluded_incidents(demo)?;
    for (k, chunk) in concluded.chunks(3).enumerate().take(30) {
        let numbers: Vec<String> = chunk.iter().map(|(n, _)| n.clone()).collect();
        let when = chunk.iter().map(|(_, d)| *d).max().unwrap_or(today);
        let still_concluded: Vec<String> = numbers
            .iter()
            .filter(|n| {
                demo.conn
                    .scalar::<String>(
                        "SELECT state FROM cases WHERE number = $1",
                        crate::params![n.as_str()],
                    )
                    .is_ok_and(|s| s == "concluded")
            })
            .cloned()
            .collect();
        let mut fields = Map::new();
        fields.insert("incidents".into(), json!(still_concluded));
        let new = NewCase {
            title: format!("Định hướng tuyên truyền số {} về các vụ việc {}", k + 1, numbers.join(", ")),
            body: "Thống nhất nội dung thông tin; các cơ quan báo chí đưa tin khách quan, không suy diễn.".into(),
            program_id: Some(demo.program_id),
            fields,
            ..NewCase::default()
        };
        let at = demo.at(when, 14);
        let o = demo.open(&people.specialist, &super::WORKFLOW, &new, &at)?;
        let number = o.number.as_str();
        let stage = k % 6;
        let d = |x: i64| (when + Duration::days(x)).min(today);
        if stage >= 1 {
            let at = demo.at(d(1), 9);
            demo.act(&people.specialist, number, "submit", json!({}), &at)?;
        }
        if stage >= 2 {
            let at = demo.at(d(1), 15);
            demo.act(&people.leader, number, "approve", json!({}), &at)?;
        }
        if stage >= 3 {
            let recipients: Vec<i64> = people
                .liaisons
                .iter()
                .take(3 + k % 3)
                .map(|(_, a)| a.org_id)
                .collect();
            let at = demo.at(d(2), 8);
            demo.act(
                &people.specialist,
                number,
                "send",
                json!({"recipients": recipients}),
                &at,
            )?;
            let answering = if stage >= 4 {
                recipients.len()
            } else {
                recipients.len() / 2
            };
            for (_, liaison) in people
                .liaisons
                .iter()
                .filter(|(_, a)| recipients.contains(&a.org_id))
                .take(answering)
            {
                let at = demo.at(d(2), 11);
                demo.act(liaison, number, "acknowledge_receipt", json!({}), &at)?;
            }
        }
        if stage >= 5 {
            let at = demo.at(d(5), 9);
            demo.act(&people.specialist, number, "close", json!({}), &at)?;
        }
    }
    Ok(())
}

/// The incidents concluded so far, in the order they were reported, with the day each
/// was concluded: what the orientations answer.
fn concluded_incidents(demo: &mut Demo<'_>) -> Result<Vec<(String, time::Date)>> {
    let rows = demo.conn.query(
        "SELECT c.number, e.at FROM cases c
         JOIN case_events e ON e.case_id = c.id AND e.action = 'conclude'
         WHERE c.kind = $1 ORDER BY c.id, e.id",
        crate::params![super::super::incident::WORKFLOW.kind],
    )?;
    let mut out = Vec::new();
    for row in rows {
        let at: i64 = row.get(1)?;
        if let Some(day) = crate::clock::vietnam_date(at) {
            out.push((row.get(0)?, day));
        }
    }
    Ok(out)
}
