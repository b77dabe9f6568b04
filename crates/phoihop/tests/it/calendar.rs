//! The working-day calendar: the public API that counts working days, and the
//! administrator's page where extra days off and make-up working days are kept.

use serde_json::{Value, json};

use crate::support::*;

const API: &str = "/api/v1/calendar/add-working-days";

fn json_of(response: &Response) -> Value {
    assert_eq!(
        response.header("content-type"),
        Some("application/json"),
        "{}",
        response.body
    );
    serde_json::from_str(&response.body).expect("a JSON body")
}

/// The date the API gives for `days` working days after `from`.
fn deadline(client: &mut Client, from: &str, days: u32) -> String {
    let response = client.get(&format!("{API}?from={from}&days={days}"));
    assert_eq!(response.status, 200, "{}", response.body);
    json_of(&response)["date"]
        .as_str()
        .expect("a date")
        .to_owned()
}

#[test]
fn the_api_counts_working_days_over_tet_and_hung_kings_day_without_sign_in() {
    let app = spawn_app();
    let mut anyone = app.client();
    let response = anyone.get(&format!("{API}?from=2026-02-13&days=1"));
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        json_of(&response),
        json!({"from": "2026-02-13", "days": 1, "date": "2026-02-23"})
    );
    // Hùng Kings' day is Sunday 26/04/2026; Monday 27 is given back.
    assert_eq!(deadline(&mut anyone, "2026-04-24", 1), "2026-04-28");
    // Zero days from a Saturday is the Monday after.
    assert_eq!(deadline(&mut anyone, "2026-03-14", 0), "2026-03-16");
}

#[test]
fn bad_input_to_the_api_is_a_422_with_a_json_error() {
    let app = spawn_app();
    let mut anyone = app.client();
    for (query, code) in [
        ("days=1", "invalid_date"),
        ("from=&days=1", "invalid_date"),
        ("from=h%C3%B4m-qua&days=1", "invalid_date"),
        ("from=2026-02-30&days=1", "invalid_date"),
        ("from=1800-01-01&days=1", "invalid_date"),
        ("from=2199-12-01&days=3650", "invalid_date"),
        ("from=2026-02-13", "invalid_days"),
        ("from=2026-02-13&days=-1", "invalid_days"),
        ("from=2026-02-13&days=3651", "invalid_days"),
        ("from=2026-02-13&days=1.5", "invalid_days"),
        ("from=2026-02-13&days=99999999999999999999", "invalid_days"),
        ("%zz=%&&&=", "invalid_date"),
    ] {
        let response = anyone.get(&format!("{API}?{query}"));
        assert_eq!(response.status, 422, "{query}: {}", response.body);
        let body = json_of(&response);
        assert_eq!(body["error"]["code"], code, "{query}");
        let message = body["error"]["message"].as_str().expect("a message");
        assert!(
            message.contains("Tham số") || message.contains("năm 2199"),
            "{message}"
        );
    }
    assert_eq!(anyone.get(API).status, 422);
    // The upper bound itself is accepted.
    assert_eq!(
        anyone
            .get(&format!("{API}?from=2026-02-13&days=3650"))
            .status,
        200
    );
}

#[test]
fn an_extra_day_off_moves_deadlines_until_it_is_withdrawn() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let added = admin.submit(
        "/admin/calendar",
        &[
            ("day", "23/02/2026"),
            ("kind", "day_off"),
            ("note", "Quyết định số 12/QĐ-UBND nghỉ thêm sau Tết"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(added.header("location"), Some("/admin/calendar?year=2026"));
    assert_eq!(deadline(&mut admin, "2026-02-13", 1), "2026-02-24");

    let page = admin.get("/admin/calendar?year=2026");
    assert_eq!(page.status, 200);
    assert_contains(&page.body, "23/02/2026");
    assert_contains(&page.body, "Quyết định số 12/QĐ-UBND nghỉ thêm sau Tết");
    assert_contains(&page.body, "Ngày nghỉ thêm");

    let id = first_id(&page.body, "/admin/calendar/");
    let token = page.csrf();
    let withdrawn = admin.post_form(
        &format!("/admin/calendar/{id}/withdraw"),
        &[("csrf", &token), ("year", "2026")],
    );
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    assert_eq!(deadline(&mut admin, "2026-02-13", 1), "2026-02-23");
    let page = admin.get("/admin/calendar?year=2026");
    assert!(
        !page.body.contains("nghỉ thêm sau Tết"),
        "withdrawn entry still listed"
    );
    // Withdrawing twice says it was done already.
    let again = admin.post_form(
        &format!("/admin/calendar/{id}/withdraw"),
        &[("csrf", &token)],
    );
    assert_eq!(again.status, 409);

    let audit = admin.get("/admin/audit?who=2026-02-23");
    assert_contains(&audit.body, "Thêm ngày nghỉ hoặc ngày làm bù");
    assert_contains(&audit.body, "Rút ngày nghỉ hoặc ngày làm bù");

    // The day is free again for a new entry.
    let readded = admin.submit(
        "/admin/calendar",
        &[
            ("day", "2026-02-23"),
            ("kind", "day_off"),
            ("note", "Lần hai"),
        ],
    );
    assert_eq!(readded.status, 303, "{}", readded.body);
}

#[test]
fn a_make_up_saturday_is_counted_as_a_working_day() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let added = admin.submit(
        "/admin/calendar",
        &[
            ("day", "14/02/2026"),
            ("kind", "working_day"),
            ("note", "Làm bù cho ngày nghỉ thêm"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(deadline(&mut admin, "2026-02-13", 1), "2026-02-14");
}

#[test]
fn invalid_entries_are_refused_and_keep_what_was_typed() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let response = admin.submit(
        "/admin/calendar",
        &[("day", "31/02/2026"), ("kind", ""), ("note", "  ")],
    );
    assert_eq!(response.status, 422);
    assert_contains(&response.body, "Ngày không hợp lệ (dd/mm/yyyy).");
    assert_contains(&response.body, "Chọn loại ngày.");
    assert_contains(&response.body, "Xin ghi lý do hoặc văn bản quyết định.");
    assert_contains(&response.body, "value=\"31/02/2026\"");

    // A make-up working day on a day already worked means nothing.
    let response = admin.submit(
        "/admin/calendar",
        &[
            ("day", "16/03/2026"),
            ("kind", "working_day"),
            ("note", "Thử"),
        ],
    );
    assert_eq!(response.status, 422);
    assert_contains(&response.body, "vốn đã là ngày làm việc");
    assert_contains(&response.body, "value=\"Thử\"");

    // One entry in force per day.
    let fields = [("day", "17/03/2026"), ("kind", "day_off"), ("note", "Nghỉ")];
    assert_eq!(admin.submit("/admin/calendar", &fields).status, 303);
    let response = admin.submit("/admin/calendar", &fields);
    assert_eq!(response.status, 422);
    assert_contains(&response.body, "đã có một mục đang hiệu lực");
}

#[test]
fn the_page_lists_the_year_s_holidays_for_administrators_only() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let page = admin.get("/admin/calendar?year=2026");
    assert_eq!(page.status, 200);
    for text in [
        "Tết Nguyên đán",
        "16/02/2026",
        "Giỗ Tổ Hùng Vương",
        "26/04/2026",
        "Nghỉ bù",
        "27/04/2026",
        "Quốc khánh",
        "01/09/2026",
        "href=\"/admin/calendar\"",
    ] {
        assert_contains(&page.body, text);
    }

    let mut liaison = app.signed_in("daumoi.syt");
    assert_eq!(liaison.get("/admin/calendar").status, 403);
    let refused = liaison.submit(
        "/admin/calendar",
        &[
            ("day", "23/02/2026"),
            ("kind", "day_off"),
            ("note", "Không được"),
        ],
    );
    assert_eq!(refused.status, 403);
    assert!(!liaison.get("/").body.contains("href=\"/admin/calendar\""));

    let mut anyone = app.client();
    let response = anyone.get("/admin/calendar");
    assert_eq!(response.status, 303);
    assert_eq!(deadline(&mut anyone, "2026-02-13", 1), "2026-02-23");
}
