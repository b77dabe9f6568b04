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

#[test]
fn a_collaborator_files_sees_only_their_own_and_a_returned_report_is_filed_again() {
    let app = spawn_app();
    let (x01, x03, p01) = (
        id_of(&app, "localities", "NS-X01"),
        id_of(&app, "localities", "NS-X03"),
        id_of(&app, "localities", "NS-P01"),
    );
    let period = last_month();
    let mut collaborator = Api::new(&app, "congtacvien");
    let topics = json!([
        {"topic": "Giá điện tăng", "locality": x01, "attitude": "concerned",
         "opinions": "Nhiều hộ cho rằng hóa đơn tháng này tăng gấp đôi."},
        {"topic": "Làm đường liên thôn", "locality": x03, "attitude": "supportive",
         "proposals": "Đề nghị công khai kinh phí."}
    ]);
    let (status, filed) = collaborator.post("/api/v1/cases", &report(&period, topics.clone()));
    assert_eq!(status, 201, "{filed}");
    let number = filed["number"].as_str().expect("number").to_owned();
    assert!(number.starts_with("DL-"), "{number}");
    let (status, shown) = collaborator.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["data"]["topics"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["period"]["code"], period.as_str());
    assert_eq!(shown["state"], "submitted");

    // Twice for one period, a locality not theirs, a choice not in its list: refused.
    let (status, again) = collaborator.post("/api/v1/cases", &report(&period, topics.clone()));
    assert_eq!(status, 422, "{again}");
    assert!(again["error"]["fields"]["period"].is_string(), "{again}");
    let elsewhere = json!([{"topic": "Chợ tạm", "locality": p01, "attitude": "negative"}]);
    let (status, refused) = collaborator.post("/api/v1/cases", &report("2026-01", elsewhere));
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"]["fields"]["topics.0.locality"].is_string(),
        "{refused}"
    );
    let odd = json!([{"topic": "Chợ tạm", "attitude": "furious"}]);
    let (status, refused) = collaborator.post("/api/v1/cases", &report("2026-02", odd));
    assert_eq!(status, 422, "{refused}");
    let (status, refused) = collaborator.post("/api/v1/cases", &report("2999-01", topics.clone()));
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"]["fields"]["period"].is_string(),
        "{refused}"
    );

    // Another collaborator's report is not theirs to see, nor any other case.
    let mut other = Api::new(&app, "congtacvien2");
    let (status, _) = other.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(status, 404);
    let (status, listed) = other.get("/api/v1/cases");
    assert_eq!(status, 200);
    assert_eq!(
        listed["cases"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );
    let (_, mine) = collaborator.get("/api/v1/cases");
    let numbers: Vec<&str> = mine["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|c| c["number"].as_str())
        .collect();
    assert_eq!(numbers, [number.as_str()]);
    let (_, incidents) = Api::new(&app, "chuyenvien").get("/api/v1/cases?kind=incident");
    if let Some(incident) = incidents["cases"][0]["number"].as_str() {
        let (status, _) = collaborator.get(&format!("/api/v1/cases/{incident}"));
        assert_eq!(status, 404);
    }

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
    let mut long = report(
        &last_month(),
        json!([{"topic": "Giá điện", "locality": x01, "attitude": "mixed"}]),
    );
    long["body"] = json!("ý kiến ".repeat(150_000));
    let (status, answer) = collaborator.post("/api/v1/cases", &long);
    assert!(matches!(status, 413 | 422), "{status} {answer}");
    let many: Vec<Value> = (0..10_000)
        .map(|i| json!({"topic": format!("Vấn đề {i}"), "attitude": "mixed"}))
        .collect();
    let (status, answer) = collaborator.post("/api/v1/cases", &report(&last_month(), json!(many)));
    assert!(matches!(status, 413 | 422), "{status} {answer}");
    let (_, mine) = collaborator.get("/api/v1/cases");
    assert_eq!(mine["cases"].as_array().map(Vec::len), Some(0), "{mine}");
}

/// The text of `name` in the XLSX `bytes`.
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
    let (status, filed) = first.post(
        "/api/v1/cases",
        &report(
            &period,
            json!([
                {"topic": "Giá điện tăng", "locality": x01, "attitude": "concerned",
                 "opinions": "Nhiều hộ cho rằng hóa đơn tháng này tăng gấp đôi."},
                {"topic": "Làm đường liên thôn", "locality": x03, "attitude": "supportive"}
            ]),
        ),
    );
    assert_eq!(status, 201, "{filed}");
    let mut second = Api::new(&app, "congtacvien2");
    let (status, filed) = second.post(
        "/api/v1/cases",
        &report(
            &period,
            json!([
                {"topic": "GIÁ ĐIỆN  tăng", "locality": p01, "field": culture,
                 "attitude": "negative", "opinions": "Tiểu thương phản đối tăng giá điện."},
                {"topic": "Miễn học phí", "locality": p03, "field": education,
                 "attitude": "supportive"}
            ]),
        ),
    );
    assert_eq!(status, 201, "{filed}");
    let second_number = filed["number"].as_str().expect("number").to_owned();

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
/// month: the roll-up reads it in a few statements, well inside its budget (200 ms at
/// the 99th percentile on a release build; this debug build is held to five times it).
#[test]
fn the_roll_up_of_two_thousand_collaborators_answers_quickly() {
    use phoihop::case::kinds::opinion_report::period::Period;
    use phoihop::case::kinds::opinion_report::rollup::rollup;
    let app = spawn_app();
    let x01 = id_of(&app, "localities", "NS-X01");
    let code = "2025-06";
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
                    phoihop::params![format!("ctv.perf{i}"), format!("Cộng tác viên {i}"), org],
                )?;
                c.execute(
                    "INSERT INTO report_schedules (user_id, cadence, due_day, remind_days, valid_from, created_at)
                     VALUES ($1, 'monthly', 5, 3, '2025-01-01', 0)",
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
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..20 {
        let started = std::time::Instant::now();
        last = Some(
            db.read_blocking(|c| rollup(c, period, None))
                .expect("roll-up"),
        );
        times.push(started.elapsed());
    }
    times.sort();
    let r = last.expect("a roll-up");
    assert_eq!(r.reports, 1_900);
    assert_eq!(r.rows, 9_500);
    assert_eq!(r.by_topic.len(), 40);
    // The demo's four collaborators also report monthly and filed nothing.
    assert_eq!(r.missing.len(), 100 + 4, "{:?}", &r.missing[..5]);
    let p95 = times[18];
    eprintln!(
        "roll-up of 2,000 collaborators: median {:?}, p95 {p95:?}",
        times[10]
    );
    assert!(p95 < std::time::Duration::from_millis(1_000), "{times:?}");
}
