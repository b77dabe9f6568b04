//! Public-opinion reports through the JSON API: a collaborator files the month's
//! report with its topic rows, sees only their own reports, may not file twice for a
//! period nor on a locality they do not cover; the lead body returns it with a reason
//! and the collaborator files it again.

use serde_json::{Value, json};

use crate::support::*;

fn id_of(app: &TestApp, table: &str, code: &str) -> i64 {
    app.db()
        .read_blocking(|c| -> phoihop::error::Result<i64> {
            Ok(c.scalar(
                &format!("SELECT id FROM {table} WHERE code = $1"),
                phoihop::params![code],
            )?)
        })
        .expect("id")
}

/// Last month's period code: a period that has begun and ended.
fn last_month() -> String {
    let today = phoihop::clock::today();
    let first = today.replace_day(1).expect("first day");
    let before = first.previous_day().expect("a day before");
    format!("{}-{:02}", before.year(), u8::from(before.month()))
}

fn report(period: &str, topics: Value) -> Value {
    json!({
        "kind": "opinion_report",
        "title": format!("Báo cáo dư luận xã hội kỳ {period}"),
        "body": "Tình hình dư luận trên địa bàn nhìn chung ổn định.",
        "period": period,
        "topics": topics,
    })
}

/// The numbers and states of the reports `api`'s caller sees in their list.
fn listed(api: &mut Api<'_>) -> Vec<(String, String)> {
    let (status, body) = api.get("/api/v1/cases?kind=opinion_report&limit=200");
    assert_eq!(status, 200, "{body}");
    body["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            (
                c["number"].as_str().unwrap_or("").to_owned(),
                c["state"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// A month three years back: begun and over, and before any demo schedule.
fn unscheduled_month(months_back: u8) -> String {
    let today = phoihop::clock::today();
    format!("{}-{:02}", today.year() - 3, months_back.clamp(1, 12))
}

#[test]
fn a_collaborator_files_the_expected_report_sees_only_their_own_and_files_again_when_returned() {
    let app = spawn_app();
    let (x01, x03, p01) = (
        id_of(&app, "localities", "NS-X01"),
        id_of(&app, "localities", "NS-X03"),
        id_of(&app, "localities", "NS-P01"),
    );
    let mut collaborator = Api::new(&app, "congtacvien");
    let mine = listed(&mut collaborator);
    assert!(mine.len() > 20, "two years of monthly reports: {mine:?}");
    // Last month's is waiting for them, opened by their schedule.
    let (number, _) = mine
        .iter()
        .find(|(_, state)| state == "expected")
        .expect("last month's report waits")
        .clone();
    let (_, waiting) = collaborator.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(
        waiting["period"]["code"],
        last_month().as_str(),
        "{waiting}"
    );
    let clocks = waiting["clocks"].to_string();
    assert!(
        clocks.contains("\"file\"") && clocks.contains("running"),
        "{clocks}"
    );

    // Filing the same period again is refused, pointing at the one that waits.
    let topics = json!([
        {"topic": "Giá điện tăng", "locality": x01, "attitude": "concerned",
         "opinions": "Nhiều hộ cho rằng hóa đơn tháng này tăng gấp đôi."},
        {"topic": "Làm đường liên thôn", "locality": x03, "attitude": "supportive",
         "proposals": "Đề nghị công khai kinh phí."}
    ]);
    let (status, again) =
        collaborator.post("/api/v1/cases", &report(&last_month(), topics.clone()));
    assert_eq!(status, 422, "{again}");
    assert!(again["error"]["fields"]["period"].is_string(), "{again}");

    // They file the waiting one with two topics.
    let version = collaborator.version(&number);
    let (status, filed) = collaborator.act(
        &number,
        json!({"action": "submit", "version": version, "topics": topics}),
    );
    assert_eq!(status, 200, "{filed}");
    assert_eq!(filed["state"], "submitted");
    assert_eq!(filed["data"]["topics"].as_array().map(Vec::len), Some(2));

    // A report outside their schedule is filed as it comes; a locality not theirs, a
    // choice not in its list, a period to come: refused, each at its place.
    let (status, ad_hoc) = collaborator.post(
        "/api/v1/cases",
        &report(
            &unscheduled_month(6),
            json!([{"topic": "Chợ tạm", "locality": x01, "attitude": "mixed"}]),
        ),
    );
    assert_eq!(status, 201, "{ad_hoc}");
    let elsewhere = json!([{"topic": "Chợ tạm", "locality": p01, "attitude": "negative"}]);
    let (status, refused) =
        collaborator.post("/api/v1/cases", &report(&unscheduled_month(7), elsewhere));
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"]["fields"]["topics.0.locality"].is_string(),
        "{refused}"
    );
    let odd = json!([{"topic": "Chợ tạm", "attitude": "furious"}]);
    let (status, refused) = collaborator.post("/api/v1/cases", &report(&unscheduled_month(8), odd));
    assert_eq!(status, 422, "{refused}");
    let (status, refused) = collaborator.post("/api/v1/cases", &report("2999-01", topics.clone()));
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"]["fields"]["period"].is_string(),
        "{refused}"
    );

    // Another collaborator's reports are not theirs to see, nor any other case.
    let mut other = Api::new(&app, "congtacvien2");
    let (status, _) = other.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(status, 404);
    let theirs = listed(&mut other);
    assert!(!theirs.is_empty());
    assert!(
        theirs
            .iter()
            .all(|(n, _)| !mine.iter().any(|(m, _)| m == n))
    );
    let (_, all) = other.get("/api/v1/cases?limit=200");
    assert!(
        all["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .all(|c| c["kind"] == "opinion_report"),
        "{all}"
    );
    let (_, incidents) = Api::new(&app, "chuyenvien").get("/api/v1/cases?kind=incident");
    let incident = incidents["cases"][0]["number"]
        .as_str()
        .expect("an incident");
    let (status, _) = collaborator.get(&format!("/api/v1/cases/{incident}"));
    assert_eq!(status, 404);

    // The lead body returns it with a reason; the collaborator corrects and files again.
    let mut lead = Api::new(&app, "chuyenvien");
    let version = lead.version(&number);
    let (status, _) = lead.act(&number, json!({"action": "return", "version": version}));
    assert_eq!(status, 422, "a return needs its reason");
    let (status, returned) = lead.act(
        &number,
        json!({"action": "return", "version": version, "note": "Ghi rõ số hộ phản ánh về giá điện."}),
    );
    assert_eq!(status, 200, "{returned}");
    assert_eq!(returned["state"], "returned");
    let version = collaborator.version(&number);
    let mut corrected = topics.clone();
    corrected[0]["opinions"] =
        json!("Khoảng 40 hộ ở thôn 2 phản ánh hóa đơn tháng này tăng gấp đôi.");
    let (status, again) = collaborator.act(
        &number,
        json!({"action": "resubmit", "version": version, "topics": corrected}),
    );
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["state"], "submitted");
    assert!(
        again["data"]["topics"][0]["opinions"]
            .as_str()
            .is_some_and(|o| o.contains("40 hộ"))
    );
    let version = lead.version(&number);
    let (status, accepted) = lead.act(&number, json!({"action": "accept", "version": version}));
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["state"], "accepted");
}

#[test]
fn a_report_too_long_or_with_too_many_rows_is_refused_and_nothing_is_kept() {
    let app = spawn_app();
    let x01 = id_of(&app, "localities", "NS-X01");
    let mut collaborator = Api::new(&app, "congtacvien");
    let before = listed(&mut collaborator).len();
    let period = unscheduled_month(3);
    let mut long = report(
        &period,
        json!([{"topic": "Giá điện", "locality": x01, "attitude": "mixed"}]),
    );
    long["body"] = json!("ý kiến ".repeat(150_000));
    let (status, answer) = collaborator.post("/api/v1/cases", &long);
    assert!(matches!(status, 413 | 422), "{status} {answer}");
    let many: Vec<Value> = (0..10_000)
        .map(|i| json!({"topic": format!("Vấn đề {i}"), "attitude": "mixed"}))
        .collect();
    let (status, answer) = collaborator.post("/api/v1/cases", &report(&period, json!(many)));
    assert!(matches!(status, 413 | 422), "{status} {answer}");
    assert_eq!(listed(&mut collaborator).len(), before, "nothing kept");
}

#[test]
fn the_daily_job_opens_each_period_once_and_reminds_once() {
    use phoihop::case::engine::At;
    use phoihop::case::hooks::run_daily;
    let app = spawn_app();
    let db = app.db();
    let today = phoihop::clock::today();
    let run = |day: time::Date| {
        db.write_blocking(|c| {
            let calendar = phoihop::calendar::load(c)?;
            let due = |d, n| calendar.add_working_days(d, n);
            let at = At {
                now_ms: phoihop::clock::day_start_ms(day) + 8 * 3_600_000,
                today: day,
                due: &due,
            };
            run_daily(c, &at).map_err(|e| phoihop::error::Error::Refused(e.message()))
        })
        .expect("ran")
    };
    // The demo ran it through its two years: nothing is left to open today.
    let reminders_before: i64 = db
        .read_blocking(|c| -> phoihop::error::Result<i64> {
            Ok(c.scalar("SELECT COUNT(*) FROM notifications", &[])?)
        })
        .expect("count");
    assert_eq!(
        run(today),
        0,
        "everything expected is open, nobody to remind yet"
    );
    // On the reminder day, each collaborator whose report waits is reminded, once.
    let later = today + time::Duration::days(8);
    let done = run(later);
    assert!(done >= 4, "four collaborators' reports wait: {done}");
    let reminded: i64 = db
        .read_blocking(|c| -> phoihop::error::Result<i64> {
            Ok(c.scalar(
                "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
                 WHERE u.username = 'congtacvien' AND n.message LIKE 'Nhắc gửi báo cáo%'",
                &[],
            )?)
        })
        .expect("count");
    assert_eq!(reminded, 1);
    assert_eq!(run(later), 0, "reminded once");
    let after: i64 = db
        .read_blocking(|c| -> phoihop::error::Result<i64> {
            Ok(c.scalar("SELECT COUNT(*) FROM notifications", &[])?)
        })
        .expect("count");
    assert!(after > reminders_before);
}
