//! `opinion-rollup`: the roll-up of a month's public-opinion reports for a province
//! (issue 11: p99 < 200 ms with 2,000 collaborators). Fills a data folder with the demo
//! province and `collaborators` collaborators under its organisations, each with a
//! monthly schedule; all but one in twenty filed the month's report with `topics`
//! topic rows (topics, fields, localities and attitudes drawn from the seed), written in
//! bulk as the other generators write; then times `rollup` for the whole province and
//! for one organisation, and prints the percentiles with what was counted.
//!
//! A folder that already holds the collaborators is reused.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use phoihop::case::kinds::opinion_report::period::Period;
use phoihop::case::kinds::opinion_report::rollup::rollup;
use phoihop::db::{Conn, Db, DbError, Location, Options};
use phoihop::params;
use serde_json::{Value, json};

use phoihop::case::bench::Rng;

/// What `phoihop-bench opinion-rollup` was asked.
pub struct Settings {
    pub data: PathBuf,
    pub database_url: Option<String>,
    pub collaborators: usize,
    pub topics: usize,
    pub queries: usize,
}

/// The generated collaborators' usernames start so.
const PREFIX: &str = "ctv.bench";
const ATTITUDES: [&str; 4] = ["supportive", "concerned", "negative", "mixed"];
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

pub fn run(options: Settings) -> anyhow::Result<()> {
    std::fs::create_dir_all(&options.data)?;
    let location = match &options.database_url {
        Some(url) => Location::Postgres(url.clone()),
        None => Location::SqliteFolder(options.data.clone()),
    };
    let db = Db::open(&location, &Options::default())?;
    phoihop::demo::ensure(&db, &options.data)?;
    // A month three years back: before the demo's own schedules and reports.
    let today = phoihop::clock::today();
    let code = format!("{}-06", today.year() - 3);
    let period = Period::parse(&code).context("period")?;
    let have: i64 = db.read_blocking(|c| {
        c.scalar(
            "SELECT COUNT(*) FROM users WHERE username LIKE $1",
            params![format!("{PREFIX}%")],
        )
    })?;
    if have == 0 {
        let started = Instant::now();
        db.write_blocking(|c| generate(c, &options, &code))?;
        println!(
            "generated {} collaborators, {} topics each, in {:.1} s",
            options.collaborators,
            options.topics,
            started.elapsed().as_secs_f64()
        );
    } else if have as usize != options.collaborators {
        anyhow::bail!(
            "{} holds {have} generated collaborators",
            options.data.display()
        );
    }
    let one_org: i64 = db.read_blocking(|c| {
        c.scalar(
            "SELECT organisation_id FROM users WHERE username = $1",
            params![format!("{PREFIX}0")],
        )
    })?;
    for (name, org) in [("province", None), ("one organisation", Some(one_org))] {
        let mut times = Vec::with_capacity(options.queries);
        let mut last = None;
        for _ in 0..options.queries {
            let started = Instant::now();
            last = Some(db.read_blocking(|c| rollup(c, period, org))?);
            times.push(started.elapsed());
        }
        times.sort();
        let at = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
        let r = last.context("a roll-up")?;
        println!(
            "{name}: {} reports, {} rows, {} topics, {} missing; {} roll-ups: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            r.reports,
            r.rows,
            r.by_topic.len(),
            r.missing.len(),
            times.len(),
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0)
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The collaborators, their schedules and their reports, in one transaction.
fn generate(c: &mut dyn Conn, options: &Settings, code: &str) -> Result<(), DbError> {
    let ids = |c: &mut dyn Conn, sql: &str| -> Result<Vec<i64>, DbError> {
        c.query(sql, &[])?.iter().map(|r| r.get(0)).collect()
    };
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
    for i in 0..options.collaborators {
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
        let topics: Vec<Value> = (0..options.topics)
            .map(|_| {
                let subject = SUBJECTS[rng.below(SUBJECTS.len())];
                json!({
                    "topic": subject,
                    "field": fields[rng.below(fields.len())],
                    "locality": localities[rng.below(localities.len())],
                    "attitude": ATTITUDES[rng.below(ATTITUDES.len())],
                    "opinions": format!("Người dân ở địa bàn có nhiều ý kiến về {}.", subject.to_lowercase()),
                    "proposals": "Đề nghị các cơ quan chức năng thông tin kịp thời.",
                })
            })
            .collect();
        let state = if i % 7 == 3 { "accepted" } else { "submitted" };
        let case: i64 = c.scalar(
            "INSERT INTO cases (kind, number, title, body, state, program_id, owner_org_id, created_by,
                                opened_at, updated_at, data)
             VALUES ('opinion_report', $1, $2, '', $3, $4, $5, $6, 0, 0, $7) RETURNING id",
            params![
                format!("DL-BENCH-{i:05}"),
                format!("Báo cáo dư luận xã hội kỳ {code}"),
                state,
                program,
                org,
                user,
                json!({"period": code, "topics": topics}).to_string()
            ],
        )?;
        c.execute(
            "INSERT INTO opinion_reports (case_id, reporter_id, org_id, period) VALUES ($1, $2, $3, $4)",
            params![case, user, org, code],
        )?;
    }
    Ok(())
}
