//! Background jobs, run by one node at a time however many share the database: a job
//! runs only on the node that holds its lease (a row in `job_leases`, taken or renewed
//! with one atomic upsert). The clock check marks deadlines missed and tells those
//! concerned once; each kind's own recurring work runs (`case::hooks::run_daily`: a
//! period's expected reports opened, reminders sent); mail sends notifications; the
//! purge removes what has served its time ([`super::retention`]).

use std::time::Duration;

use crate::clock;
use crate::db::{Conn, Db, DbError};
use crate::params;

use super::mail::{self, Relay};
use super::retention::{Purged, Retention, purge};
use super::{Audience, kind, send};

/// Takes or renews the lease `name` for `holder` until `now + ttl`. True when this
/// node holds it now; false when another node's lease has not expired.
pub fn take_lease(
    conn: &mut dyn Conn,
    name: &str,
    holder: &str,
    now_ms: i64,
    ttl_ms: i64,
) -> Result<bool, DbError> {
    let held = conn.query(
        "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE job_leases.expires_at < $4 OR job_leases.holder = excluded.holder
         RETURNING holder",
        params![name, holder, now_ms + ttl_ms, now_ms],
    )?;
    Ok(!held.is_empty())
}

/// Marks every running clock past its date as breached (once) and tells the people
/// whose turn it was and the lead body's leaders. Returns how many were found.
pub fn check_clocks(conn: &mut dyn Conn, now_ms: i64, today: time::Date) -> Result<usize, DbError> {
    let late = conn.query(
        "UPDATE case_clocks SET breached_at = $1
         WHERE state = 'running' AND due_on < $2 AND breached_at IS NULL
         RETURNING case_id, clock, org_id, due_on",
        params![now_ms, clock::iso_date(today)],
    )?;
    for row in &late {
        let case_id: i64 = row.get(0)?;
        let clock_code: String = row.get(1)?;
        let org_id: Option<i64> = row.get(2)?;
        let due: String = row.get(3)?;
        let case = conn.query_one(
            "SELECT number, title, kind, created_by FROM cases WHERE id = $1",
            params![case_id],
        )?;
        let (number, title, case_kind, created_by): (String, String, String, Option<i64>) =
            (case.get(0)?, case.get(1)?, case.get(2)?, case.get(3)?);
        let spec = crate::case::kinds::find(&case_kind).and_then(|w| w.clock(&clock_code));
        let label = spec.map_or("Hạn xử lý", |c| c.label);
        // A collaborator's own deadline (their report) is told to them, not their agency.
        let reporter = spec
            .filter(|c| c.party == crate::case::workflow::Party::Reporter)
            .and(created_by);
        let message = format!(
            "Quá hạn — {label}: {number} — {title} (hạn {}).",
            clock::show_iso_date(&due)
        );
        let link = format!("/cases/{number}");
        send(
            conn,
            Audience::Leaders,
            Some(case_id),
            kind::BREACH,
            &message,
            &link,
            now_ms,
        )?;
        if let Some(person) = reporter {
            send(
                conn,
                Audience::Person(person),
                Some(case_id),
                kind::BREACH,
                &message,
                &link,
                now_ms,
            )?;
        } else if let Some(org) = org_id {
            send(
                conn,
                Audience::AgencyOf(org),
                Some(case_id),
                kind::BREACH,
                &message,
                &link,
                now_ms,
            )?;
        }
    }
    Ok(late.len())
}

/// Mails the notifications not yet mailed, on the node holding the `mail` lease. The
/// sending happens outside any transaction; each sent message is marked at once.
async fn send_mail(db: &Db, node: &str, relay: &Relay, ttl_ms: i64) -> Result<usize, DbError> {
    let node = node.to_owned();
    let batch = db
        .write(move |c| -> Result<Vec<(i64, String, String)>, DbError> {
            let now = clock::now_ms();
            if !take_lease(c, "mail", &node, now, ttl_ms)? {
                return Ok(Vec::new());
            }
            mail::pending(c, now, 20)
        })
        .await?;
    let mut sent = 0;
    for (id, to, text) in batch {
        let relay = relay.clone();
        let subject = format!("[Phối hợp] {}", text.chars().take(80).collect::<String>());
        let body = format!("{text}\n\n— Phối hợp (thư tự động, xin không trả lời thư này)");
        let outcome = tokio::task::spawn_blocking(move || {
            mail::send(
                &relay,
                &mail::Message {
                    to: &to,
                    subject: &subject,
                    body: &body,
                },
            )
        })
        .await;
        match outcome {
            Ok(Ok(())) => {
                db.write(move |c| mail::mark_mailed(c, id, clock::now_ms()))
                    .await?;
                sent += 1;
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "mail not sent; will try again");
                break;
            }
            Err(e) => {
                tracing::warn!(error = %e, "mail task failed");
                break;
            }
        }
    }
    Ok(sent)
}

/// Runs the jobs every `every` on whichever node holds the lease, until the process ends.
pub async fn run(
    db: Db,
    node: String,
    every: Duration,
    relay: Option<Relay>,
    retention: Retention,
) {
    // The first run comes one interval after start, not at once: a node that has just
    // started (or a test) is not raced by its own job.
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let ttl_ms = i64::try_from(every.as_millis().saturating_mul(3)).unwrap_or(i64::MAX);
    let node_name = node.clone();
    loop {
        ticker.tick().await;
        let node = node.clone();
        let result = db
            .write(move |c| -> Result<Option<usize>, DbError> {
                let now = clock::now_ms();
                if !take_lease(c, "clock_check", &node, now, ttl_ms)? {
                    return Ok(None);
                }
                let found = check_clocks(c, now, clock::today())?;
                c.execute(
                    "UPDATE job_leases SET last_run_at = $1 WHERE name = 'clock_check'",
                    params![now],
                )?;
                Ok(Some(found))
            })
            .await;
        match result {
            Ok(Some(found)) if found > 0 => tracing::info!(found, "deadlines missed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "clock check failed; will try again"),
        }
        let holder = node_name.clone();
        let purged = db
            .write(move |c| -> Result<Option<Purged>, DbError> {
                let now = clock::now_ms();
                if !take_lease(c, "purge", &holder, now, ttl_ms)? {
                    return Ok(None);
                }
                purge(c, now, &retention).map(Some)
            })
            .await;
        match purged {
            Ok(Some(purged)) if purged.total() > 0 => tracing::info!(?purged, "purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purge failed; will try again"),
        }
        let holder = node_name.clone();
        let kinds = db
            .write(move |c| -> Result<Option<usize>, crate::case::CaseError> {
                let now = clock::now_ms();
                if !take_lease(c, "kinds", &holder, now, ttl_ms)? {
                    return Ok(None);
                }
                let calendar = crate::calendar::load(c)?;
                let due = |d, n| calendar.add_working_days(d, n);
                crate::case::hooks::run_daily(c, &crate::case::engine::At::now(&due)).map(Some)
            })
            .await;
        match kinds {
            Ok(Some(done)) if done > 0 => tracing::info!(done, "kinds' daily work done"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "kinds' daily work failed; will try again"),
        }
        if let Some(relay) = &relay {
            match send_mail(&db, &node_name, relay, ttl_ms).await {
                Ok(sent) if sent > 0 => tracing::info!(sent, "notifications mailed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "mailing failed; will try again"),
            }
        }
    }
}
