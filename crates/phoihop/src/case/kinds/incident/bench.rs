//! Generated incidents for `phoihop-bench` (feature `bench`): the case benchmark's, with
//! the timeline and clock the engine would have left, and the search benchmark's, with
//! the text its corpus writes. Both are written by [`write`], in bulk behind the engine's
//! back (`case/bench.rs`). Incident `i` of a run is a function of `i`, the run's size
//! and the moment it was made (and of the corpus's text, in the search benchmark):
//! opened evenly over the two years before it, in the states, fields and localities in
//! turn, so that every combination of filters occurs.

use std::ops::Range;

use crate::case::bench::ids;
use crate::db::{Conn, DbError};
use crate::params;

/// Titles of the case benchmark's incidents, numbered after the subject.
const SUBJECTS: &[&str] = &[
    "Ngộ độc thực phẩm tại bếp ăn trường học",
    "Tranh chấp đất đai giữa hai hộ dân",
    "Ô nhiễm nguồn nước sinh hoạt",
    "Thông tin sai lệch trên mạng xã hội",
    "Khiếu nại bồi thường giải phóng mặt bằng",
    "Dịch sốt xuất huyết",
    "Khai thác cát trái phép",
    "Chậm chi trả chế độ cho người lao động",
];
const BODY: &str = "Nội dung báo cáo vụ việc do sở, ngành gửi Ban Tuyên giáo và Dân vận Tỉnh uỷ.";
/// The case benchmark's incidents are in every state the kind declares, in its order;
/// the search benchmark's in these.
const SEARCHED_STATES: &[&str] = &[
    "reported",
    "acknowledged",
    "concluded",
    "oriented",
    "closed",
];
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
/// Incidents are opened over this long before the run.
const SPAN_MS: i64 = 730 * DAY_MS;

/// What generated incidents are filed under: the current program, the partner
/// agencies that report them, the lead body, the fields and the localities below the
/// province.
pub struct Installation {
    pub program: i64,
    pub agencies: Vec<i64>,
    pub lead: i64,
    pub fields: Vec<i64>,
    pub localities: Vec<i64>,
}

impl Installation {
    /// Agencies, fields and localities in the order of their ids (the search
    /// benchmark's, which makes its corpus again from the same agencies).
    pub fn read(c: &mut dyn Conn) -> Result<Installation, DbError> {
        Installation::read_in(c, "id")
    }

    /// Agencies and fields in the order of their codes: the case benchmark read them
    /// unordered, which SQLite answered from their code indexes, and its incidents
    /// are still spread so.
    fn by_code(c: &mut dyn Conn) -> Result<Installation, DbError> {
        Installation::read_in(c, "code")
    }

    fn read_in(c: &mut dyn Conn, order: &'static str) -> Result<Installation, DbError> {
        Ok(Installation {
            program: c.scalar("SELECT MAX(id) FROM programs", &[])?,
            agencies: ids(
                c,
                &format!(
                    "SELECT id FROM organisations WHERE role = 'partner' AND valid_to IS NULL ORDER BY {order}"
                ),
            )?,
            lead: c.scalar("SELECT id FROM organisations WHERE role = 'lead'", &[])?,
            fields: ids(c, &format!("SELECT id FROM fields ORDER BY {order}"))?,
            localities: ids(
                c,
                "SELECT id FROM localities WHERE level <> 'province' ORDER BY id",
            )?,
        })
    }
}

/// One generated incident, as [`write`] files it.
pub struct Incident<'a> {
    /// Its id, when the benchmark numbers its cases itself; else the database's next.
    pub id: Option<i64>,
    pub number: String,
    pub title: &'a str,
    pub body: &'a str,
    pub state: &'static str,
    pub program: i64,
    pub field: i64,
    pub locality: i64,
    pub owner: i64,
    pub assignee: i64,
    pub opened: i64,
    pub version: i64,
    /// Its timeline: (hours after its opening, action, note).
    pub events: Vec<(i64, &'static str, &'a str)>,
    /// Whether it has the conclusion clock its acknowledgement starts (running while
    /// acknowledged, met after).
    pub clock: bool,
}

/// Writes `incident` with its events and clock; its id.
pub fn write(c: &mut dyn Conn, incident: &Incident) -> Result<i64, DbError> {
    let closed = (incident.state == "closed").then_some(incident.opened + DAY_MS * 12);
    let id: i64 = c.scalar(
        "INSERT INTO cases (id, kind, number, title, body, state, program_id, field_id, locality_id,
                            owner_org_id, assignee_org_id, opened_at, updated_at, version, data,
                            closed_at)
         VALUES ($1, 'incident', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, '{}', $13)
         RETURNING id",
        params![
            incident.id,
            incident.number.as_str(),
            incident.title,
            incident.body,
            incident.state,
            incident.program,
            incident.field,
            incident.locality,
            incident.owner,
            incident.assignee,
            incident.opened,
            incident.version,
            closed
        ],
    )?;
    for (hours, action, note) in &incident.events {
        c.execute(
            "INSERT INTO case_events (case_id, at, actor_name, action, note, data)
             VALUES ($1, $2, 'bench', $3, $4, '{}')",
            params![id, incident.opened + hours * HOUR_MS, *action, *note],
        )?;
    }
    if incident.clock {
        let running = incident.state == "acknowledged";
        c.execute(
            "INSERT INTO case_clocks (case_id, clock, org_id, started_at, due_on, state)
             VALUES ($1, 'conclude', $2, $3, '2026-01-15', $4)",
            params![
                id,
                incident.owner,
                incident.opened,
                if running { "running" } else { "met" }
            ],
        )?;
    }
    Ok(id)
}

/// What the search benchmark's corpus writes of an incident: its text, the agency
/// that reports it and the one it is assigned to.
pub struct Doc<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// A note on its timeline: searched with the body.
    pub note: Option<&'a str>,
    pub owner: i64,
    pub assignee: i64,
}

/// A run of `count` generated incidents, made at `now` (Unix ms).
pub struct Run {
    pub installation: Installation,
    pub count: usize,
    pub now: i64,
}

impl Run {
    /// The case benchmark's run, over the installation `c` holds.
    pub fn cases(c: &mut dyn Conn, count: usize, now: i64) -> Result<Run, DbError> {
        Ok(Run {
            installation: Installation::by_code(c)?,
            count,
            now,
        })
    }

    /// The search benchmark's run, over the installation `c` holds.
    pub fn search(c: &mut dyn Conn, count: usize, now: i64) -> Result<Run, DbError> {
        Ok(Run {
            installation: Installation::read(c)?,
            count,
            now,
        })
    }

    fn opened(&self, i: usize) -> i64 {
        self.now - SPAN_MS + (i as i64 * SPAN_MS) / self.count.max(1) as i64
    }

    /// Incident `i`'s state, field and locality from `states` in turn; the field
    /// independent of the state, so that every combination occurs.
    fn spread(&self, i: usize, states: &[&'static str]) -> (&'static str, i64, i64) {
        let inst = &self.installation;
        (
            states[i % states.len()],
            inst.fields[(i / states.len()) % inst.fields.len()],
            inst.localities[i % inst.localities.len()],
        )
    }

    /// Writes the case benchmark's incidents `range`: each of eight subjects in turn,
    /// reported by the agencies in turn to the lead body, acknowledged and commented
    /// on, in any state, numbered in 2025 for the first half of the run and 2026 for
    /// the second (`VV-2025-0000001`).
    pub fn write_cases(&self, c: &mut dyn Conn, range: Range<usize>) -> Result<(), DbError> {
        let inst = &self.installation;
        let states: Vec<&'static str> = super::WORKFLOW.states.iter().map(|s| s.code).collect();
        for i in range {
            let (state, field, locality) = self.spread(i, &states);
            let title = format!("{} số {}", SUBJECTS[i % SUBJECTS.len()], i + 1);
            write(
                c,
                &Incident {
                    id: None,
                    number: format!("VV-{}-{:07}", 2025 + (i * 2 / self.count.max(1)), i + 1),
                    title: &title,
                    body: BODY,
                    state,
                    program: inst.program,
                    field,
                    locality,
                    owner: inst.agencies[i % inst.agencies.len()],
                    assignee: inst.lead,
                    opened: self.opened(i),
                    version: 3,
                    events: vec![
                        (0, "report", ""),
                        (1, "acknowledge", ""),
                        (2, "comment", ""),
                    ],
                    clock: true,
                },
            )?;
        }
        Ok(())
    }

    /// The search benchmark's incident `i`, with the id `id` and what its corpus wrote,
    /// numbered `VV-2024-0000001` on; [`write`] files it, and the benchmark gives
    /// PostgreSQL the same.
    pub fn searched<'a>(&self, i: usize, id: i64, doc: &Doc<'a>) -> Incident<'a> {
        let (state, field, locality) = self.spread(i, SEARCHED_STATES);
        Incident {
            id: Some(id),
            number: format!("VV-2024-{:07}", i + 1),
            title: doc.title,
            body: doc.body,
            state,
            program: self.installation.program,
            field,
            locality,
            owner: doc.owner,
            assignee: doc.assignee,
            opened: self.opened(i),
            version: 2,
            events: doc.note.map(|n| (1, "comment", n)).into_iter().collect(),
            clock: false,
        }
    }
}
