//! The test-only kind (`sample.rs`) driven over HTTP on a real server with the demo
//! province (`crate::test_server`): a case opened and acted on through the API and through
//! the generic forms with a field of every type, and bad values of every type refused
//! by name with nothing kept.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::test_server::Server;

/// Ids of rows the demo province holds, to name in fields.
struct Demo {
    agency: i64,
    person: i64,
    locality: i64,
    field: i64,
}

fn demo(server: &Server) -> Demo {
    Demo {
        agency: server
            .scalar("SELECT id FROM organisations WHERE code = 'SYT' AND valid_to IS NULL"),
        person: server.scalar("SELECT id FROM users WHERE username = 'canbo.cdc'"),
        locality: server.scalar(
            "SELECT MIN(id) FROM localities WHERE valid_to IS NULL AND level <> 'province'",
        ),
        field: server.scalar("SELECT MIN(id) FROM fields WHERE active = 1"),
    }
}

fn cases_of_sample_kind(server: &Server) -> i64 {
    server.scalar("SELECT COUNT(*) FROM cases WHERE kind = 'sample'")
}

#[test]
fn a_case_with_a_field_of_every_type_is_opened_acted_on_and_read_through_the_api() {
    let server = Server::start();
    let ids = demo(&server);
    let mut api = server.api("chuyenvien");
    let (status, incident) = api.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Sạt lở bờ sông tại xã Ia Chim",
                "owner_org_id": ids.agency}),
    );
    assert_eq!(status, 201, "{incident}");
    let incident = incident["number"].as_str().expect("number").to_owned();
    let (status, created) = api.post(
        "/api/v1/cases",
        &json!({
            "kind": "sample", "title": "Dư luận về giá điện", "owner_org_id": ids.agency,
            "summary": "Người dân băn khoăn về hoá đơn tháng 6", "occurred_on": "2025-06-30",
            "people_affected": 1500, "level": "province", "handling_org": ids.agency,
            "officer": ids.person, "place": ids.locality, "area": ids.field,
            "phone": "+84912345678", "email": "daumoi@syt.gov.vn",
            "topics": [
                {"topic": "Giá điện bậc thang", "area": ids.field, "place": ids.locality,
                 "attitude": "concerned", "people": 1200, "opinions": "Hoá đơn tăng gấp đôi"},
                {"topic": "Cắt điện luân phiên", "attitude": "negative"}
            ]
        }),
    );
    assert_eq!(status, 201, "{created}");
    let number = created["number"].as_str().expect("number").to_owned();
    assert!(number.starts_with("TN-"), "{number}");
    let case = api.read_case(&number);
    let data = &case["data"];
    assert_eq!(data["occurred_on"], "2025-06-30");
    assert_eq!(data["people_affected"], 1500);
    assert_eq!(data["level"], "province");
    assert_eq!(data["phone"], "0912345678", "kept with its leading 0");
    assert_eq!(data["handling_org"]["id"], ids.agency);
    assert!(
        data["handling_org"]["name"]
            .as_str()
            .is_some_and(|n| n.contains("Y tế")),
        "{data}"
    );
    assert_eq!(data["officer"]["id"], ids.person);
    assert!(data["officer"]["name"].is_string(), "{data}");
    assert!(
        data["place"]["name"].is_string() && data["area"]["name"].is_string(),
        "{data}"
    );
    let topics = data["topics"].as_array().expect("rows");
    assert_eq!(topics.len(), 2, "{data}");
    assert_eq!(topics[0]["attitude"], "concerned");
    assert_eq!(topics[0]["place"]["id"], ids.locality);
    assert_eq!(topics[1]["topic"], "Cắt điện luân phiên");
    let create_fields = &case["allowed_actions"][0]["fields"];
    assert!(
        create_fields
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["type"] == "date")),
        "{case}"
    );

    let reply_by = crate::clock::iso_date(crate::clock::today() + time::Duration::days(30));
    let (status, acted) = api.post(
        &format!("/api/v1/cases/{number}/actions"),
        &json!({"action": "follow_up", "version": case["version"], "reply_by": reply_by,
                "earlier": incident, "incidents": [incident],
                "addressees": [ids.agency]}),
    );
    assert_eq!(status, 200, "{acted}");
    assert_eq!(acted["state"], "followed_up");
    assert_eq!(acted["data"]["reply_by"], json!(reply_by));
    assert_eq!(acted["data"]["addressees"][0]["id"], ids.agency);
    let event = acted["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .expect("event");
    assert_eq!(event["data"]["earlier"], json!(incident));
    assert_eq!(event["data"]["addressees"][0]["id"], ids.agency, "{event}");
    let linked = server.scalar(&format!(
        "SELECT COUNT(*) FROM case_links l JOIN cases c ON c.id = l.from_case_id WHERE c.number = '{number}'"
    ));
    assert_eq!(linked, 1, "the incident is linked once");

    let document: Value = serde_json::from_str(&api.get("/api/v1/openapi.json").1).expect("JSON");
    let new_sample = &document["components"]["schemas"]["New_sample"]["properties"];
    assert_eq!(
        new_sample["level"]["enum"],
        json!(["commune", "province", "central"])
    );
    assert_eq!(new_sample["occurred_on"]["format"], "date");
    assert_eq!(new_sample["people_affected"]["maximum"], 1_000_000);
    assert_eq!(new_sample["topics"]["maxItems"], 20);
    assert_eq!(new_sample["topics"]["items"]["additionalProperties"], false);
    let follow_up = &document["components"]["schemas"]["sample_follow_up"];
    assert_eq!(
        follow_up["required"],
        json!(["action", "version", "reply_by"])
    );
    assert_eq!(follow_up["properties"]["addressees"]["maxItems"], 500);
}

#[test]
fn bad_values_of_every_type_are_refused_by_name_quickly_and_nothing_is_kept() {
    let server = Server::start();
    let ids = demo(&server);
    let mut api = server.api("chuyenvien");
    let tomorrow = crate::clock::iso_date(crate::clock::today() + time::Duration::days(1));
    let many_rows: Vec<Value> = (0..10_000)
        .map(|i| json!({"topic": format!("Chủ đề {i}")}))
        .collect();
    let bad: Vec<(Value, &str, &str)> = vec![
        (
            json!({"level": "district"}),
            "level",
            "Không có trong danh sách lựa chọn.",
        ),
        (
            json!({"occurred_on": "2026-02-30"}),
            "occurred_on",
            "Phải là một ngày có thật, dạng yyyy-mm-dd, từ năm 1900 đến 2199.",
        ),
        (
            json!({"occurred_on": "30/06/2025"}),
            "occurred_on",
            "Phải là một ngày có thật, dạng yyyy-mm-dd, từ năm 1900 đến 2199.",
        ),
        (
            json!({"occurred_on": tomorrow}),
            "occurred_on",
            "Không được là ngày trong tương lai.",
        ),
        (
            json!({"people_affected": 1_000_001}),
            "people_affected",
            "Số nằm ngoài giới hạn cho phép.",
        ),
        (
            json!({"people_affected": 2.5}),
            "people_affected",
            "Phải là một số nguyên.",
        ),
        (
            json!({"phone": "0912 345 678"}),
            "phone",
            "Số điện thoại không đúng: số 0 và 9–10 chữ số (có thể viết +84 thay số 0).",
        ),
        (
            json!({"phone": "12345"}),
            "phone",
            "Số điện thoại không đúng: số 0 và 9–10 chữ số (có thể viết +84 thay số 0).",
        ),
        (
            json!({"email": "daumoi@localhost"}),
            "email",
            "Địa chỉ thư điện tử không đúng dạng (ví dụ: ten@so.gov.vn).",
        ),
        (
            json!({"summary": "x".repeat(1_000_000)}),
            "summary",
            "Quá dài.",
        ),
        (
            json!({"topics": many_rows}),
            "topics",
            "Nhiều dòng hơn số dòng tối đa của bảng này.",
        ),
        (
            json!({"topics": [{"topic": "Giá điện", "colour": "đỏ"}]}),
            "topics",
            "Có ô không thuộc bảng này.",
        ),
        (
            json!({"topics": [{"topic": "Giá điện"}, {"topic": "Đất đai", "attitude": "angry"}]}),
            "topics.1.attitude",
            "Không có trong danh sách lựa chọn.",
        ),
        (
            json!({"topics": [{"attitude": "mixed"}]}),
            "topics.0.topic",
            "Không được để trống.",
        ),
        (
            json!({"officer": 9_000_000}),
            "officer",
            "Không có người này, hoặc tài khoản đã ngừng hoạt động.",
        ),
        (
            json!({"handling_org": 9_000_000}),
            "handling_org",
            "Không có cơ quan này, hoặc cơ quan đã giải thể, hợp nhất.",
        ),
        (
            json!({"topics": [{"topic": "Giá điện", "place": 9_000_000}]}),
            "topics.0.place",
            "Không có địa bàn này, hoặc địa bàn không còn hiệu lực.",
        ),
        (
            json!({"area": 9_000_000}),
            "area",
            "Không có lĩnh vực này, hoặc lĩnh vực đã ngừng sử dụng.",
        ),
        (
            json!({"colour": "đỏ"}),
            "fields",
            "Có trường không thuộc thao tác này.",
        ),
    ];
    for (fields, name, message) in bad {
        let mut body = json!({"kind": "sample", "title": "Thử", "owner_org_id": ids.agency});
        if let (Some(b), Some(f)) = (body.as_object_mut(), fields.as_object()) {
            b.extend(f.clone());
        }
        let started = Instant::now();
        let (status, answer) = api.post("/api/v1/cases", &body);
        assert_eq!(status, 422, "{name}: {answer}");
        assert_eq!(answer["error"]["code"], "invalid_fields");
        assert_eq!(answer["error"]["fields"][name], message, "{name}: {answer}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{name} took {:?}",
            started.elapsed()
        );
    }
    // Rows that exist but may no longer be named.
    server.execute(&format!(
        "UPDATE users SET active = 0 WHERE id = {}",
        ids.person
    ));
    server.execute(&format!(
        "UPDATE fields SET active = 0 WHERE id = {}",
        ids.field
    ));
    server.execute(&format!(
        "UPDATE localities SET valid_to = '2025-07-01' WHERE id = {}",
        ids.locality
    ));
    for (name, id) in [
        ("officer", ids.person),
        ("area", ids.field),
        ("place", ids.locality),
    ] {
        let body = json!({"kind": "sample", "title": "Thử", "owner_org_id": ids.agency, name: id});
        let (status, answer) = api.post("/api/v1/cases", &body);
        assert_eq!(status, 422, "{name}: {answer}");
        assert!(
            answer["error"]["fields"][name].is_string(),
            "{name}: {answer}"
        );
    }
    assert_eq!(cases_of_sample_kind(&server), 0, "nothing was kept");
}

#[test]
fn the_generic_form_keeps_what_was_typed_marks_the_wrong_cell_and_shows_typed_values() {
    let server = Server::start();
    let ids = demo(&server);
    let mut web = server.signed_in("chuyenvien");
    let (status, form) = web.get("/cases/new?kind=sample");
    assert_eq!(status, 200, "{form}");
    for expected in [
        "name=\"topics.0.topic\"",
        "name=\"topics.2.attitude\"",
        "data-rows-max=\"20\"",
        "data-add-row",
        "name=\"owner_org_id\"",
        "placeholder=\"dd/mm/yyyy\"",
        "type=\"tel\"",
        "<option value=\"concerned\">Băn khoăn, lo lắng</option>",
    ] {
        assert!(form.contains(expected), "{expected} in the form");
    }
    assert!(
        !form.contains("name=\"topics.3.topic\""),
        "three empty rows when none is typed"
    );
    let csrf = web.csrf();
    let (agency, officer, place) = (
        ids.agency.to_string(),
        ids.person.to_string(),
        ids.locality.to_string(),
    );
    let mut posted = vec![
        ("csrf", csrf.as_str()),
        ("kind", "sample"),
        ("title", "Dư luận về giá điện"),
        ("owner_org_id", agency.as_str()),
        ("occurred_on", "30/06/2025"),
        ("people_affected", "1.500"),
        ("level", "province"),
        ("officer", officer.as_str()),
        ("phone", "0912 345 678"),
        ("topics.0.topic", "Giá điện bậc thang"),
        ("topics.0.place", place.as_str()),
        ("topics.0.attitude", "concerned"),
        ("topics.1.topic", ""),
        ("topics.1.attitude", ""),
        ("topics.2.topic", "Cắt điện luân phiên"),
        ("topics.2.attitude", "angry"),
    ];
    let (status, refused) = web.form("/cases/new", &posted);
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused.contains("value=\"Giá điện bậc thang\""),
        "typed rows are kept"
    );
    assert!(
        refused.contains("value=\"Cắt điện luân phiên\""),
        "typed rows are kept"
    );
    assert!(
        refused.contains("value=\"1.500\""),
        "typed numbers are kept as typed"
    );
    let cell = refused
        .find("name=\"topics.1.attitude\"")
        .expect("the second typed row, moved up");
    let error = refused[cell..]
        .find("Không có trong danh sách lựa chọn.")
        .expect("the cell's error");
    assert!(
        error < refused[cell..].find("</td>").expect("cell end"),
        "the error is in the cell"
    );
    assert_eq!(cases_of_sample_kind(&server), 0);

    posted.retain(|(k, _)| *k != "topics.2.attitude");
    posted.push(("topics.2.attitude", "negative"));
    let (status, _) = web.form("/cases/new", &posted);
    assert_eq!(status, 303, "opened");
    let number: String = server
        .db
        .read_blocking(|c| c.scalar("SELECT number FROM cases WHERE kind = 'sample'", &[]))
        .expect("number");
    let (_, page) = web.get(&format!("/cases/{number}"));
    for shown in [
        "30/06/2025",
        "1.500",
        "Cấp tỉnh",
        "0912345678",
        "Giá điện bậc thang",
        "Phản đối",
        "<table class=\"list shown-rows\">",
    ] {
        assert!(page.contains(shown), "{shown} on the case page");
    }

    // An action's form: a date still to come, case numbers and organisations.
    let csrf = web.csrf();
    let version = server
        .scalar(&format!(
            "SELECT version FROM cases WHERE number = '{number}'"
        ))
        .to_string();
    let (status, refused) = web.form(
        &format!("/cases/{number}/actions"),
        &[
            ("csrf", &csrf),
            ("action", "follow_up"),
            ("version", &version),
            ("reply_by", "01/01/2020"),
            ("incidents", "VV-2099-0001"),
            ("addressees", &agency),
            ("note", "Đề nghị trả lời sớm"),
        ],
    );
    assert_eq!(status, 422);
    assert!(
        refused.contains("Không được là ngày đã qua."),
        "the date's bound"
    );
    assert!(refused.contains("Có số hồ sơ không tồn tại hoặc bạn không xem được."));
    assert!(
        refused.contains("Đề nghị trả lời sớm"),
        "what was typed is kept"
    );
    assert!(
        refused.contains(&format!("value=\"{agency}\" checked")),
        "the chosen agency stays chosen"
    );
}
