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
