//! Case-engine benchmarks: `cases` fills a data folder with generated incidents (with
//! their events and clocks, written directly in bulk: a million through the engine one
//! by one would take hours and measure nothing we serve); `actions` measures how many
//! case actions per second the engine commits on that data (event, state, clocks in
//! one transaction, SQLite `synchronous=FULL` as configured by default).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use phoihop::case::engine::{self, ActionInput, At};
use phoihop::case::model::CaseActor;
use phoihop::db::{Db, DbError, Location, Options};
use phoihop::org::people;
use phoihop::params;
use serde_json::{Map, Value};

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
const STATES: &[&str] = &[
    "reported",
    "acknowledged",
    "info_requested",
    "info_provided",
    "concluded",
    "oriented",
    "closed",
];

fn open(data: PathBuf) -> anyhow::Result<Db> {
    Ok(Db::open(
        &Location::SqliteFolder(data),
        &Options::default(),
    )?)
}

/// Adds `count` incidents spread over two years, agencies, fields and localities.
pub fn generate(data: PathBuf, count: usize) -> anyhow::Result<()> {
    let db = open(data)?;
    let (program, agencies, lead, fields, localities) =
        db.read_blocking(|c| -> Result<_, DbError> {
            let program: i64 = c.scalar("SELECT MAX(id) FROM programs", &[])?;
            let ids = |c: &mut dyn phoihop::db::Conn, sql: &str| -> Result<Vec<i64>, DbError> {
                c.query(sql, &[])?.iter().map(|r| r.get(0)).collect()
            };
            Ok((
                program,
                ids(
                    c,
                    "SELECT id FROM organisations WHERE role = 'partner' AND valid_to IS NULL",
                )?,
                c.scalar::<i64>("SELECT id FROM organisations WHERE role = 'lead'", &[])?,
                ids(c, "SELECT id FROM fields")?,
                ids(c, "SELECT id FROM localities WHERE level <> 'province'")?,
            ))
        })?;
    let started = Instant::now();
    let now = phoihop::clock::now_ms();
    let span_ms: i64 = 730 * 86_400_000;
    let batch = 10_000;
    let mut done = 0;
    while done < count {
        let upto = (done + batch).min(count);
        db.write_blocking(|c| -> Result<(), DbError> {
            for i in done..upto {
                let opened = now - span_ms + (i as i64 * span_ms) / count as i64;
                let state = STATES[i % STATES.len()];
                let number = format!("VV-{}-{:07}", 2025 + (i * 2 / count.max(1)), i + 1);
                let id: i64 = c.scalar(
                    "INSERT INTO cases (kind, number, title, body, state, program_id, field_id, locality_id,
                                        owner_org_id, assignee_org_id, opened_at, updated_at, version, data,
                                        closed_at)
                     VALUES ('incident', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 3, '{}', $11) RETURNING id",
                    params![
                        number.as_str(),
                        format!("{} số {}", SUBJECTS[i % SUBJECTS.len()], i + 1),
                        "Nội dung báo cáo vụ việc do sở, ngành gửi Ban Tuyên giáo và Dân vận Tỉnh uỷ.",
                        state,
                        program,
                        // Independent of the state (i % 7), so every combination of filters occurs.
                        fields[(i / STATES.len()) % fields.len()],
                        localities[i % localities.len()],
                        agencies[i % agencies.len()],
                        lead,
                        opened,
                        (state == "closed").then_some(opened + 86_400_000 * 12)
                    ],
                )?;
                for (k, action) in ["report", "acknowledge", "comment"].iter().enumerate() {
                    c.execute(
                        "INSERT INTO case_events (case_id, at, actor_name, action, note, data)
                         VALUES ($1, $2, 'bench', $3, '', '{}')",
                        params![id, opened + k as i64 * 3_600_000, *action],
                    )?;
                }
                c.execute(
                    "INSERT INTO case_clocks (case_id, clock, org_id, started_at, due_on, state)
                     VALUES ($1, 'conclude', $2, $3, '2026-01-15', $4)",
                    params![id, agencies[i % agencies.len()], opened, if state == "acknowledged" { "running" } else { "met" }],
                )?;
            }
            Ok(())
        })?;
        done = upto;
        eprint!("\r{done} cases");
    }
    eprintln!(
        "\r{count} cases with {} events in {:.1} s",
        count * 3,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Commits `comment` actions on generated cases from `threads` threads for `seconds`,
/// and reports actions per second with latency percentiles.
pub fn actions(data: PathBuf, seconds: u64, threads: usize) -> anyhow::Result<()> {
    let db = open(data)?;
    let specialist = db
        .read_blocking(|c| people::get_by_username(c, "chuyenvien"))
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .context("the demo specialist")?;
    let actor = CaseActor {
        user_id: specialist.id,
        name: specialist.username,
        role: specialist.role,
        org_id: specialist.organisation_id,
    };
    let numbers: Vec<String> = db.read_blocking(|c| -> Result<Vec<String>, DbError> {
        c.query(
            "SELECT number FROM cases WHERE kind = 'incident' ORDER BY id DESC LIMIT 20000",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect()
    })?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let calendar = db.read_blocking(phoihop::calendar::load)?;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (db, actor, calendar) = (db.clone(), actor.clone(), calendar.clone());
            let mine: Vec<String> = numbers.iter().skip(t).step_by(threads).cloned().collect();
            std::thread::spawn(move || -> anyhow::Result<Vec<Duration>> {
                let mut latencies = Vec::new();
                let mut i = 0;
                while Instant::now() < deadline {
                    let number = &mine[i % mine.len()];
                    i += 1;
                    let start = Instant::now();
                    db.write_blocking(|c| -> Result<(), phoihop::case::CaseError> {
                        let version: i64 = c.scalar(
                            "SELECT version FROM cases WHERE number = $1",
                            params![number.as_str()],
                        )?;
                        let mut fields = Map::new();
                        fields.insert(
                            "note".into(),
                            Value::String("Đã nắm tình hình, tiếp tục theo dõi.".into()),
                        );
                        let due = |d, n| calendar.add_working_days(d, n);
                        engine::perform(
                            c,
                            &actor,
                            number,
                            "comment",
                            &ActionInput { version, fields },
                            &At::now(&due),
                        )?;
                        Ok(())
                    })
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                    latencies.push(start.elapsed());
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        all.extend(
            h.join()
                .map_err(|_| anyhow::anyhow!("a thread panicked"))??,
        );
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{} actions in {seconds} s from {threads} threads: {:.0} actions/s, p50 {:.2} ms, p99 {:.2} ms",
        all.len(),
        all.len() as f64 / seconds as f64,
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
    Ok(())
}
