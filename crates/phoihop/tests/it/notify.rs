//! Notifications, "my work", and the deadline check shared by several nodes.

use std::time::Duration;

use crate::support::*;

fn report(app: &TestApp, username: &str, title: &str) -> String {
    let mut client = app.signed_in(username);
    let created = client.submit("/cases/new", &[("kind", "incident"), ("title", title)]);
    assert_eq!(created.status, 303, "{}", created.body);
    created
        .header("location")
        .expect("location")
        .trim_start_matches("/cases/")
        .to_owned()
}

#[test]
fn reporting_an_incident_tells_the_lead_body_and_shows_in_its_work() {
    let app = spawn_app();
    let mut specialist = app.signed_in("chuyenvien");
    specialist.submit("/notifications/read", &[]);
    let before = specialist.get("/");
    assert!(!before.body.contains("id=\"unread-count\""), "all read");
    let number = report(&app, "daumoi.syt", "Cháy chợ tại phường Duy Tân");
    let home = specialist.get("/");
    assert_contains(
        &home.body,
        "<span class=\"count\" id=\"unread-count\">1</span>",
    );
    let list = specialist.get("/notifications");
    assert_contains(&list.body, &number);
    assert_contains(&list.body, "Tiếp nhận vụ việc");
    let work = specialist.get("/work");
    assert_contains(&work.body, &number);
    // The agency is not told about its own report, and its work does not list it yet.
    let mut agency = app.signed_in("daumoi.syt");
    assert!(!agency.get("/work").body.contains(&number));
    assert_eq!(agency.get("/work").status, 200);
    let mut admin = app.signed_in("admin");
    assert_eq!(admin.get("/work").status, 403);
    let read = specialist.submit("/notifications/read", &[]);
    assert_eq!(read.status, 303);
    assert!(!specialist.get("/").body.contains("id=\"unread-count\""));
}

#[test]
fn a_missed_deadline_is_escalated_once_even_with_two_servers() {
    let first = spawn_app_with(Setup {
        jobs_interval_secs: 1,
        ..Setup::default()
    });
    let second = spawn_app_with(Setup {
        jobs_interval_secs: 1,
        demo: true,
        reuse: Some((first.dir.clone(), first.config.database_url.clone())),
        ..Setup::default()
    });
    let number = report(&first, "daumoi.syt", "Sự cố môi trường tại xã Bờ Y");
    let db = first.db();
    // Make the acknowledgement deadline a past one, as if the lead body forgot it.
    db.write_blocking(|c| {
        c.execute(
            "UPDATE case_clocks SET due_on = '2020-01-02' WHERE case_id = (SELECT id FROM cases WHERE number = $1)",
            phoihop::params![number.as_str()],
        )
    })
    .expect("move the deadline");
    let breached = || -> i64 {
        db.read_blocking(|c| {
            c.scalar(
                "SELECT COUNT(*) FROM case_clocks k JOIN cases c ON c.id = k.case_id
                 WHERE c.number = $1 AND k.breached_at IS NOT NULL",
                phoihop::params![number.as_str()],
            )
        })
        .expect("count")
    };
    wait_until(Duration::from_secs(15), || breached() == 1);
    // Let both nodes run their job a few more times.
    let runs = || -> i64 {
        db.read_blocking(|c| c.scalar("SELECT COALESCE(MAX(last_run_at), 0) FROM job_leases", &[]))
            .expect("runs")
    };
    let seen = runs();
    wait_until(Duration::from_secs(15), || runs() > seen + 1500);
    let escalations: i64 = db
        .read_blocking(|c| {
            c.scalar(
                "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
                 WHERE u.username = 'lanhdao' AND n.kind = 'breach' AND n.link = $1",
                phoihop::params![format!("/cases/{number}")],
            )
        })
        .expect("count");
    assert_eq!(escalations, 1, "the leader is told once, not once per node");
    let holders: i64 = db
        .read_blocking(|c| {
            c.scalar(
                "SELECT COUNT(*) FROM job_leases WHERE name = 'clock_check'",
                &[],
            )
        })
        .expect("leases");
    assert_eq!(holders, 1);
    let mut leader = first.signed_in("lanhdao");
    assert_contains(&leader.get("/notifications").body, "Quá hạn");
    drop(second);
}

#[test]
fn notifications_are_mailed_through_smtp_once() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(Setup {
        jobs_interval_secs: 1,
        smtp: Some(sink.address.clone()),
        ..Setup::default()
    });
    let number = report(&app, "daumoi.syt", "Sập cầu treo tại xã Đăk Glei");
    let to_specialist = || {
        sink.mails()
            .into_iter()
            .filter(|m| m.to == "chuyenvien@ngocson.gov.vn")
            .collect::<Vec<_>>()
    };
    wait_until(Duration::from_secs(15), || {
        to_specialist()
            .iter()
            .any(|m| m.data.contains("Content-Type: text/plain; charset=utf-8"))
    });
    let expected_subject =
        phoihop::notify::mail::base64(format!("[Phối hợp] Tiếp nhận vụ việc: {number}").as_bytes());
    let mails = to_specialist();
    let subject_line = mails[0]
        .data
        .lines()
        .find(|l| l.starts_with("Subject:"))
        .expect("subject")
        .to_owned();
    let encoded = subject_line
        .trim_start_matches("Subject: =?UTF-8?B?")
        .trim_end_matches("?=");
    // The subject starts with the case number (base64 of a prefix shares its first blocks).
    let whole_blocks = expected_subject.len() / 4 * 4 - 4;
    assert_eq!(
        &encoded[..whole_blocks],
        &expected_subject[..whole_blocks],
        "{subject_line}"
    );
    // Mailed once, then marked: later runs send nothing again.
    let db = app.db();
    let last_run = || -> i64 {
        db.read_blocking(|c| c.scalar("SELECT COALESCE(MAX(last_run_at), 0) FROM job_leases", &[]))
            .expect("runs")
    };
    let sent = to_specialist().len();
    let seen = last_run();
    wait_until(Duration::from_secs(15), || last_run() > seen + 1500);
    assert_eq!(to_specialist().len(), sent, "nothing is mailed twice");
}

#[test]
fn an_agency_that_misses_its_deadline_has_its_leader_told() {
    let app = spawn_app_with(Setup {
        jobs_interval_secs: 1,
        ..Setup::default()
    });
    let number = report(&app, "daumoi.syt", "Dịch tay chân miệng tại xã Ngọc Hồi");
    let mut lead = Api::new(&app, "chuyenvien");
    let version = lead.version(&number);
    let (status, acted) = lead.act(
        &number,
        serde_json::json!({"action": "acknowledge", "version": version}),
    );
    assert_eq!(status, 200, "{acted}");
    // The conclusion is the agency's to give; its date has passed.
    let db = app.db();
    db.write_blocking(|c| {
        c.execute(
            "UPDATE case_clocks SET due_on = '2020-01-02'
             WHERE clock = 'conclude' AND case_id = (SELECT id FROM cases WHERE number = $1)",
            phoihop::params![number.as_str()],
        )
    })
    .expect("move the deadline");
    let told = |username: &str| -> i64 {
        db.read_blocking(|c| {
            c.scalar(
                "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
                 WHERE u.username = $1 AND n.kind = 'breach' AND n.link = $2",
                phoihop::params![username, format!("/cases/{number}")],
            )
        })
        .expect("count")
    };
    wait_until(Duration::from_secs(15), || told("lanhdao.syt") == 1);
    assert_eq!(told("lanhdao"), 1, "and the lead body's leader");
    assert_eq!(told("daumoi.sgddt"), 0, "and nobody of another agency");
    let mut agency_leader = app.signed_in("lanhdao.syt");
    assert_contains(&agency_leader.get("/notifications").body, "Quá hạn");
    assert_contains(&agency_leader.get("/cases").body, &number);
}
