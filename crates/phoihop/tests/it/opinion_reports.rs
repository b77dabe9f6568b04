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
    // The collaborator is the report's reporter, named as the kind names them.
    assert_eq!(waiting["your_parties"], json!(["reporter"]), "{waiting}");
    let reporter = &waiting["parties"][0];
    assert_eq!(reporter["party"], "reporter");
    assert_eq!(reporter["label"], "Cộng tác viên");
    assert!(
        reporter["people"][0]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "{reporter}"
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
    // Its page offers to file it again from what was filed, on their localities only.
    let mut person = app.signed_in("congtacvien");
    let page = person.get(&format!("/cases/{number}"));
    assert_eq!(page.status, 200);
    assert_contains(&page.body, "value=\"Giá điện tăng\"");
    assert_contains(&page.body, "Xã Ia Chim");
    assert!(
        !page.body.contains("Xã Đăk Hà"),
        "a locality they do not cover is offered"
    );
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
    // The demo ran it through its two years: nothing is left to open today (what it
    // does today is remind, when today is a reminder day: it depends on the date).
    let count = |sql: &'static str| {
        db.read_blocking(move |c| -> phoihop::error::Result<i64> { Ok(c.scalar(sql, &[])?) })
            .expect("count")
    };
    let (cases_before, reminders_before) = (
        count("SELECT COUNT(*) FROM cases"),
        count("SELECT COUNT(*) FROM notifications"),
    );
    let first = run(today);
    assert_eq!(
        count("SELECT COUNT(*) FROM cases"),
        cases_before,
        "nothing new opened"
    );
    assert_eq!(run(today), 0, "each is opened and reminded once");
    // By the reminder day, each collaborator whose report waits is reminded, once.
    let later = today + time::Duration::days(8);
    let done = first + run(later);
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
    // Past the due day, the clock check marks it late and tells the collaborator.
    let late = today + time::Duration::days(40);
    db.write_blocking(|c| {
        phoihop::notify::jobs::check_clocks(c, phoihop::clock::day_start_ms(late), late)
            .map_err(phoihop::error::Error::from)
    })
    .expect("clock check");
    let told: i64 = db
        .read_blocking(|c| -> phoihop::error::Result<i64> {
            Ok(c.scalar(
                "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
                 WHERE u.username = 'congtacvien' AND n.message LIKE 'Quá hạn%'",
                &[],
            )?)
        })
        .expect("count");
    assert_eq!(told, 1, "the collaborator is told their report is late");
    assert!(count("SELECT COUNT(*) FROM notifications") > reminders_before);
}

/// The text of `name` in the XLSX `bytes`.
/// Files the report that waits for `api`'s caller (last month's) with `topics`; its number.
fn submit_waiting(api: &mut Api<'_>, topics: Value) -> String {
    let (number, _) = listed(api)
        .into_iter()
        .find(|(_, state)| state == "expected")
        .expect("a report waits");
    let version = api.version(&number);
    let (status, filed) = api.act(
        &number,
        json!({"action": "submit", "version": version, "topics": topics}),
    );
    assert_eq!(status, 200, "{filed}");
    number
}

fn xlsx_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let mut part = zip.by_name(name).expect("the part");
    let mut text = String::new();
    part.read_to_string(&mut text).expect("text");
    text
}

#[test]
fn the_lead_body_rolls_up_a_period_on_a_page_and_in_a_workbook() {
    let app = spawn_app();
    let (x01, x03, p01, p03) = (
        id_of(&app, "localities", "NS-X01"),
        id_of(&app, "localities", "NS-X03"),
        id_of(&app, "localities", "NS-P01"),
        id_of(&app, "localities", "NS-P03"),
    );
    let (culture, education) = (
        id_of(&app, "fields", "van-hoa"),
        id_of(&app, "fields", "giao-duc"),
    );
    let period = last_month();
    let mut first = Api::new(&app, "congtacvien");
    submit_waiting(
        &mut first,
        json!([
            {"topic": "Giá điện tăng", "locality": x01, "attitude": "concerned",
             "opinions": "Nhiều hộ cho rằng hóa đơn tháng này tăng gấp đôi."},
            {"topic": "Làm đường liên thôn", "locality": x03, "attitude": "supportive"}
        ]),
    );
    let mut second = Api::new(&app, "congtacvien2");
    let second_number = submit_waiting(
        &mut second,
        json!([
            {"topic": "GIÁ ĐIỆN  tăng", "locality": p01, "field": culture,
             "attitude": "negative", "opinions": "Tiểu thương phản đối tăng giá điện."},
            {"topic": "Miễn học phí", "locality": p03, "field": education,
             "attitude": "supportive"}
        ]),
    );

    let mut lead = app.signed_in("chuyenvien");
    let page = lead.get(&format!("/reports/opinion?period={period}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert_contains(&page.body, "id=\"report-count\">2<");
    assert_contains(&page.body, "id=\"row-count\">4<");
    // One topic however it is written: two of the four rows.
    assert_contains(&page.body, "<td>Giá điện tăng</td><td>2</td><td>50,0%</td>");
    assert_contains(&page.body, "Làm đường liên thôn");
    assert_contains(&page.body, "Tiểu thương phản đối tăng giá điện.");
    assert_contains(&page.body, "Rơ Châm Hlin");
    // The health department's collaborators were expected and filed nothing.
    assert_contains(&page.body, "A Bảo");
    let propaganda = id_of(&app, "organisations", "PTT");
    let theirs = lead.get(&format!(
        "/reports/opinion?period={period}&org={propaganda}"
    ));
    assert_eq!(theirs.status, 200);
    assert_contains(&theirs.body, "id=\"report-count\">2<");
    assert!(!theirs.body.contains("A Bảo"), "{}", theirs.body);

    let bytes = lead.get_bytes(&format!("/reports/opinion.xlsx?period={period}"));
    let workbook = xlsx_part(&bytes, "xl/workbook.xml");
    for sheet in [
        "Theo vấn đề",
        "Theo lĩnh vực",
        "Theo địa bàn",
        "Theo thái độ",
        "Chưa báo cáo",
        "Ý kiến đáng chú ý",
    ] {
        assert!(workbook.contains(sheet), "{sheet}: {workbook}");
    }
    let topics = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(topics.contains("Làm đường liên thôn"), "{topics}");
    assert!(topics.contains("<v>2</v>"), "{topics}");
    let missing = xlsx_part(&bytes, "xl/worksheets/sheet5.xml");
    assert!(missing.contains("A Bảo"), "{missing}");

    // A returned report is listed as returned and counts nowhere else.
    let mut api = Api::new(&app, "chuyenvien");
    let version = api.version(&second_number);
    let (status, _) = api.act(
        &second_number,
        json!({"action": "return", "version": version, "note": "Ghi rõ số hộ."}),
    );
    assert_eq!(status, 200);
    let page = lead.get(&format!("/reports/opinion?period={period}"));
    assert_contains(&page.body, "id=\"report-count\">1<");
    assert_contains(&page.body, "Bị trả lại");
    assert!(!page.body.contains("Miễn học phí"), "{}", page.body);

    // A period that does not read: the page says so, in Vietnamese.
    let bad = lead.get("/reports/opinion?period=2026-13");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_contains(&bad.body, "Kỳ báo cáo không hợp lệ");

    // A collaborator may not see it; an agency's liaison sees their own agency only.
    let mut collaborator = app.signed_in("congtacvien");
    assert_eq!(collaborator.get("/reports/opinion").status, 403);
    assert_eq!(collaborator.get("/reports/opinion.xlsx").status, 403);
    let mut liaison = app.signed_in("daumoi.syt");
    let own = liaison.get(&format!("/reports/opinion?period={period}"));
    assert_eq!(own.status, 200, "{}", own.body);
    assert_contains(&own.body, "id=\"report-count\">0<");
    assert_contains(&own.body, "A Bảo");
    let other = liaison.get(&format!(
        "/reports/opinion?period={period}&org={propaganda}"
    ));
    assert_eq!(other.status, 403);
}

/// 2,000 collaborators with a monthly schedule, 1,900 of whom filed five topics for a
/// month: every report, row and missing collaborator is counted (how fast is measured
/// by `phoihop-bench opinion-rollup`, not here).
#[test]
fn the_roll_up_of_two_thousand_collaborators_counts_everyone() {
    use phoihop::case::kinds::opinion_report::period::Period;
    use phoihop::case::kinds::opinion_report::rollup::rollup;
    let app = spawn_app();
    let x01 = id_of(&app, "localities", "NS-X01");
    // A month years before the demo's schedules: only the seeded collaborators count.
    let code = format!("{}-06", phoihop::clock::today().year() - 5);
    let code = code.as_str();
    const ATTITUDES: [&str; 4] = ["supportive", "concerned", "negative", "mixed"];
    app.db()
        .write_blocking(|c| -> phoihop::error::Result<()> {
            let org: i64 = c.scalar("SELECT id FROM organisations WHERE code = 'PTT'", &[])?;
            let program: i64 = c.scalar("SELECT min(id) FROM programs", &[])?;
            for i in 0..2_000_i64 {
                let user: i64 = c.scalar(
                    "INSERT INTO users (username, display_name, display_name_folded, organisation_id,
                                        role, password_hash, created_at, updated_at)
                     VALUES ($1, $2, $2, $3, 'collaborator', 'x', 0, 0) RETURNING id",
                    phoihop::params![format!("ctv.perf{i}"), format!("CTV thử tải {i}"), org],
                )?;
                c.execute(
                    "INSERT INTO report_schedules (user_id, cadence, due_day, remind_days, valid_from, created_at)
                     VALUES ($1, 'monthly', 5, 3, '2000-01-01', 0)",
                    phoihop::params![user],
                )?;
                if i % 20 == 0 {
                    continue;
                }
                let topics: Vec<Value> = (0..5)
                    .map(|t| {
                        json!({"topic": format!("Vấn đề {}", (i + t) % 40), "locality": x01,
                               "attitude": ATTITUDES[(t % 4) as usize],
                               "opinions": "Ý kiến của người dân về vấn đề này."})
                    })
                    .collect();
                let case: i64 = c.scalar(
                    "INSERT INTO cases (kind, number, title, state, program_id, owner_org_id, created_by,
                                        opened_at, updated_at, data)
                     VALUES ('opinion_report', $1, 'Báo cáo', 'submitted', $2, $3, $4, 0, 0, $5)
                     RETURNING id",
                    phoihop::params![
                        format!("DL-PERF-{i}"),
                        program,
                        org,
                        user,
                        json!({"topics": topics}).to_string()
                    ],
                )?;
                c.execute(
                    "INSERT INTO opinion_reports (case_id, reporter_id, org_id, period) VALUES ($1, $2, $3, $4)",
                    phoihop::params![case, user, org, code],
                )?;
            }
            Ok(())
        })
        .expect("seeded");
    let period = Period::parse(code).expect("period");
    let db = app.db();
    let r = db
        .read_blocking(|c| rollup(c, period, None))
        .expect("roll-up");
    assert_eq!(r.reports, 1_900);
    assert_eq!(r.rows, 9_500);
    assert_eq!(r.by_topic.len(), 40);
    // One in twenty filed nothing (the demo's collaborators are counted as they filed).
    let seeded = r
        .missing
        .iter()
        .filter(|n| n.starts_with("CTV thử tải"))
        .count();
    assert_eq!(seeded, 100, "{:?}", &r.missing[..5]);
}
