//! The case engine through the JSON API: the incident → conclusion → orientation →
//! receipt loop, permissions, stale versions, and bad input.

use serde_json::{Value, json};

use crate::support::*;

fn org_id(app: &TestApp, code: &str) -> i64 {
    app.db()
        .read_blocking(|c| phoihop::org::find_current_by_code(c, code))
        .expect("read")
        .expect("organisation")
        .id
}

#[test]
fn the_incident_to_orientation_loop_runs_end_to_end() {
    let app = spawn_app();
    let mut agency = Api::new(&app, "daumoi.syt");
    let mut specialist = Api::new(&app, "chuyenvien");
    let mut leader = Api::new(&app, "lanhdao");

    let (status, created) = agency.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Ngộ độc thực phẩm tại trường bán trú xã Ia Chim", "body": "32 học sinh nhập viện."}),
    );
    assert_eq!(status, 201, "{created}");
    let number = created["number"].as_str().expect("number").to_owned();
    assert!(
        number.starts_with("VV-") && number.len() == "VV-2026-0001".len(),
        "{number}"
    );

    let (status, case) = agency.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(status, 200);
    assert_eq!(case["state"], "reported");
    let actions: Vec<&str> = case["allowed_actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec!["comment"],
        "the agency may only comment until the lead body acknowledges"
    );

    let v = specialist.version(&number);
    let (status, case) = specialist.act(&number, json!({"action": "acknowledge", "version": v}));
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["state"], "acknowledged");
    let v = case["version"].as_i64().expect("v");
    let (status, case) = specialist.act(&number, json!({"action": "request_info", "version": v, "note": "Đề nghị gửi kết quả xét nghiệm mẫu thức ăn."}));
    assert_eq!(status, 200, "{case}");
    let v = case["version"].as_i64().expect("v");
    let (status, case) = agency.act(&number, json!({"action": "provide_info", "version": v, "note": "Kết quả xét nghiệm: vi khuẩn Salmonella."}));
    assert_eq!(status, 200, "{case}");
    let v = case["version"].as_i64().expect("v");
    let (status, refused) = agency.act(&number, json!({"action": "conclude", "version": v, "conclusion": "Nguyên nhân do bếp ăn không bảo đảm vệ sinh."}));
    assert_eq!(status, 422, "a conclusion rests on documents: {refused}");
    assert!(
        refused["error"]["fields"]["documents"].is_string(),
        "{refused}"
    );
    let token = agency.token.clone();
    let (status, _) = api_upload(
        &mut agency.client,
        &token,
        &number,
        "ket-luan.txt",
        "Kết luận của Sở Y tế về vụ ngộ độc.".as_bytes(),
    );
    assert_eq!(status, 201);
    let v = agency.version(&number);
    let (status, case) = agency.act(&number, json!({"action": "conclude", "version": v, "conclusion": "Nguyên nhân do bếp ăn không bảo đảm vệ sinh; đã xử phạt."}));
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["state"], "concluded");

    let (status, created) = specialist.post(
        "/api/v1/cases",
        &json!({"kind": "orientation", "title": "Định hướng thông tin về vụ ngộ độc tại xã Ia Chim", "incidents": [number]}),
    );
    assert_eq!(status, 201, "{created}");
    let orientation = created["number"].as_str().expect("number").to_owned();
    assert!(orientation.starts_with("DH-"));
    let v = specialist.version(&orientation);
    let (status, _) = specialist.act(&orientation, json!({"action": "submit", "version": v}));
    assert_eq!(status, 200);
    let v = specialist.version(&orientation);
    let (status, refused) =
        specialist.act(&orientation, json!({"action": "approve", "version": v}));
    assert_eq!(status, 403, "only a leader approves: {refused}");
    let (status, _) = leader.act(&orientation, json!({"action": "approve", "version": v}));
    assert_eq!(status, 200);
    let v = specialist.version(&orientation);
    let recipients = [org_id(&app, "SYT"), org_id(&app, "SGDĐT")];
    let (status, sent) = specialist.act(
        &orientation,
        json!({"action": "send", "version": v, "recipients": recipients}),
    );
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["state"], "sent");
    assert_eq!(
        agency.get(&format!("/api/v1/cases/{number}")).1["state"],
        "oriented",
        "sending marks the incident oriented"
    );

    let mut education = Api::new(&app, "daumoi.sgddt");
    for api in [&mut agency, &mut education] {
        let v = api.version(&orientation);
        let (status, case) = api.act(
            &orientation,
            json!({"action": "acknowledge_receipt", "version": v}),
        );
        assert_eq!(status, 200, "{case}");
    }
    let (_, done) = specialist.get(&format!("/api/v1/cases/{orientation}"));
    assert_eq!(done["state"], "received");
    let actions: Vec<&str> = done["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec![
            "draft",
            "submit",
            "approve",
            "send",
            "acknowledge_receipt",
            "acknowledge_receipt",
            "all_received"
        ]
    );
}

#[test]
fn stale_versions_forbidden_actions_and_missing_fields_get_precise_answers() {
    let app = spawn_app();
    let mut agency = Api::new(&app, "daumoi.syt");
    let mut specialist = Api::new(&app, "chuyenvien");
    let (_, created) = agency.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Sạt lở đất tại xã Đăk Pék"}),
    );
    let number = created["number"].as_str().expect("number").to_owned();
    let (status, body) = agency.act(&number, json!({"action": "acknowledge", "version": 1}));
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    let (status, body) = specialist.act(&number, json!({"action": "acknowledge", "version": 7}));
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "stale_version");
    assert_eq!(body["error"]["current_version"], 1);
    let (status, _) = specialist.act(&number, json!({"action": "acknowledge", "version": 1}));
    assert_eq!(status, 200);
    let (status, body) = agency.act(&number, json!({"action": "conclude", "version": 2}));
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "invalid_fields");
    assert!(body["error"]["fields"]["conclusion"].is_string(), "{body}");
    let (status, body) = agency.act(&number, json!({"action": "fly", "version": 2}));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("unknown_action"))
    );
    let (status, body) = agency.act(
        &number,
        json!({"action": "provide_info", "version": 2, "note": "x"}),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("wrong_state"))
    );
    let (status, body) = agency.post(
        &format!("/api/v1/cases/{number}/actions"),
        &json!("not an object"),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
    let raw = agency.client.post_raw(
        &format!("/api/v1/cases/{number}/actions"),
        "application/json",
        b"{\"action\": \"comment\", \"version\": ",
        &[("Authorization", &format!("Bearer {}", agency.token))],
    );
    assert_eq!(raw.status, 400);
    let huge = format!(
        "{{\"action\":\"comment\",\"version\":2,\"note\":\"{}\"}}",
        "x".repeat(1_100_000)
    );
    let raw = agency.client.post_raw(
        &format!("/api/v1/cases/{number}/actions"),
        "application/json",
        huge.as_bytes(),
        &[("Authorization", &format!("Bearer {}", agency.token))],
    );
    assert_eq!(raw.status, 413, "{}", raw.body);
    let (status, body) = agency.post("/api/v1/cases", &json!({"kind": "incident", "title": ""}));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_fields"))
    );
    let (status, body) = agency.post("/api/v1/cases", &json!({"kind": "dragon", "title": "x"}));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("unknown_kind"))
    );
}

#[test]
fn an_agency_that_neither_owns_nor_is_assigned_a_case_cannot_see_it() {
    let app = spawn_app();
    let mut health = Api::new(&app, "daumoi.syt");
    let mut education = Api::new(&app, "daumoi.sgddt");
    let (_, created) = health.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Dịch sốt xuất huyết tại phường Duy Tân"}),
    );
    let number = created["number"].as_str().expect("number").to_owned();
    let (status, body) = education.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, _) = education.act(
        &number,
        json!({"action": "comment", "version": 1, "note": "x"}),
    );
    assert_eq!(status, 404);
    let (_, list) = education.get("/api/v1/cases?kind=incident");
    assert!(
        list["cases"]
            .as_array()
            .expect("list")
            .iter()
            .all(|c| c["number"] != number.as_str())
    );
    let (_, list) = health.get("/api/v1/cases?kind=incident");
    assert!(
        list["cases"]
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["number"] == number.as_str())
    );
    let mut unit = Api::new(&app, "canbo.cdc");
    assert_eq!(
        unit.get(&format!("/api/v1/cases/{number}")).0,
        404,
        "a unit does not see its agency's cases"
    );
    assert_eq!(
        app.client().get(&format!("/api/v1/cases/{number}")).status,
        401
    );
}

/// The state of each clock of a case, as `clock:state` (plus the organisation for receipts).
fn clocks(api: &mut Api<'_>, number: &str) -> Vec<String> {
    let (_, case) = api.get(&format!("/api/v1/cases/{number}"));
    case["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["clock"].as_str().unwrap_or(""),
                c["state"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn clocks_stop_when_their_action_is_taken_and_receipts_count_per_agency() {
    let app = spawn_app();
    let mut agency = Api::new(&app, "daumoi.syt");
    let mut specialist = Api::new(&app, "chuyenvien");
    let mut leader = Api::new(&app, "lanhdao");
    let (_, created) = agency.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Cháy rừng tại xã Kon Plông"}),
    );
    let number = created["number"].as_str().expect("number").to_owned();
    assert_eq!(clocks(&mut agency, &number), vec!["acknowledge:running"]);
    specialist.act(&number, json!({"action": "acknowledge", "version": 1}));
    assert_eq!(
        clocks(&mut agency, &number),
        vec!["acknowledge:met", "conclude:running"]
    );

    let (_, created) = specialist.post(
        "/api/v1/cases",
        &json!({"kind": "orientation", "title": "Định hướng về cháy rừng"}),
    );
    let orientation = created["number"].as_str().expect("number").to_owned();
    specialist.act(&orientation, json!({"action": "submit", "version": 1}));
    leader.act(&orientation, json!({"action": "approve", "version": 2}));
    let recipients = [org_id(&app, "SYT"), org_id(&app, "SGDĐT")];
    let (status, _) = specialist.act(
        &orientation,
        json!({"action": "send", "version": 3, "recipients": recipients}),
    );
    assert_eq!(status, 200);
    let v = agency.version(&orientation);
    agency.act(
        &orientation,
        json!({"action": "acknowledge_receipt", "version": v}),
    );
    let mut states = clocks(&mut specialist, &orientation);
    states.sort();
    assert_eq!(
        states,
        vec!["approve:met", "receipt:met", "receipt:running"],
        "one agency still owes its receipt"
    );
    let v = agency.version(&orientation);
    let (status, body) = agency.act(
        &orientation,
        json!({"action": "acknowledge_receipt", "version": v}),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("refused")),
        "a receipt is given once"
    );
}

#[test]
fn the_openapi_document_describes_every_declared_action() {
    let app = spawn_app();
    let response = app.client().get("/api/v1/openapi.json");
    assert_eq!(response.status, 200);
    let doc: Value = serde_json::from_str(&response.body).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/cases/{number}/actions"]["post"].is_object());
    let conclude = &doc["components"]["schemas"]["incident_conclude"];
    assert!(
        conclude["required"]
            .as_array()
            .expect("required")
            .iter()
            .any(|r| r == "conclusion"),
        "{conclude}"
    );
    assert!(
        doc["components"]["schemas"]["orientation_send"]["properties"]["recipients"].is_object()
    );
    // A request schema for each kind's new case, with its typed fields; personal data
    // goes in, never comes out in a case's `data`.
    let schemas = &doc["components"]["schemas"];
    let complaint = &schemas["New_complaint"];
    assert_eq!(complaint["properties"]["kind"]["const"], "complaint");
    let senders = &complaint["properties"]["complainants"];
    assert_eq!(senders["type"], "array", "{senders}");
    assert!(senders["items"]["properties"]["phone"]["pattern"].is_string());
    assert!(
        complaint["required"]
            .as_array()
            .expect("required")
            .iter()
            .any(|r| r == "handling_org")
    );
    let report = &schemas["New_opinion_report"];
    let attitude = &report["properties"]["topics"]["items"]["properties"]["attitude"];
    assert_eq!(
        attitude["enum"],
        serde_json::json!(["supportive", "concerned", "negative", "mixed"]),
        "{attitude}"
    );
    assert!(schemas["opinion_report_submit"]["properties"]["topics"].is_object());
    assert!(schemas["complaint_accept"]["properties"]["complex"].is_object());
}

#[test]
fn a_person_creates_a_token_in_the_interface_uses_it_and_revokes_it() {
    let app = spawn_app();
    let mut person = app.signed_in("daumoi.syt");
    let refused = person.submit("/me/tokens", &[("name", "")]);
    assert_eq!(refused.status, 422);
    let page = person.submit("/me/tokens", &[("name", "Phần mềm một cửa của Sở")]);
    assert_eq!(page.status, 200);
    assert_contains(&page.body, "chưa dùng");
    let marker = "<code id=\"new-token\">";
    let start = page.body.find(marker).expect("the new token is shown") + marker.len();
    let token = page.body[start..]
        .split('<')
        .next()
        .expect("token")
        .to_owned();
    assert!(token.starts_with("ph_"));
    let mut client = app.client();
    let auth = format!("Bearer {token}");
    assert_eq!(
        client
            .get_with("/api/v1/cases?kind=incident", &[("Authorization", &auth)])
            .status,
        200
    );
    let list = person.get("/me/tokens");
    assert!(!list.body.contains(&token), "a token is shown only once");
    // Its use is written down, to the minute.
    assert!(
        !list.body.contains("chưa dùng"),
        "the last use is shown: {}",
        list.body
    );
    let id = first_id(&list.body, "/me/tokens/");
    assert_eq!(
        person
            .submit(&format!("/me/tokens/{id}/revoke"), &[])
            .status,
        303
    );
    assert_eq!(
        client
            .get_with("/api/v1/cases?kind=incident", &[("Authorization", &auth)])
            .status,
        401
    );
}

/// An incident keeps the day it happened (to judge how promptly it was reported): a real
/// day, not one to come, whether sent through the API or typed in the form.
#[test]
fn an_incident_keeps_the_day_it_happened_and_refuses_a_day_to_come() {
    let app = spawn_app();
    let mut api = Api::new(&app, "chuyenvien");
    let syt = org_id(&app, "SYT");
    let (status, created) = api.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Sạt lở bờ sông tại xã Ia Chim",
                "owner_org_id": syt, "occurred_on": "2025-09-02"}),
    );
    assert_eq!(status, 201, "{created}");
    let number = created["number"].as_str().expect("number");
    let (_, case) = api.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(case["data"]["occurred_on"], "2025-09-02");
    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(2)).date();
    for (sent, message) in [
        (
            json!(tomorrow.to_string()),
            "Không được là ngày trong tương lai.",
        ),
        (
            json!("2025-02-29"),
            "Phải là một ngày có thật, dạng yyyy-mm-dd, từ năm 1900 đến 2199.",
        ),
    ] {
        let (status, refused) = api.post(
            "/api/v1/cases",
            &json!({"kind": "incident", "title": "Thử", "owner_org_id": syt, "occurred_on": sent}),
        );
        assert_eq!(status, 422, "{sent}: {refused}");
        assert_eq!(refused["error"]["fields"]["occurred_on"], message);
    }

    let mut agency = app.signed_in("daumoi.syt");
    let refused = agency.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", "Ngộ độc tại bếp ăn bán trú"),
            ("occurred_on", "31/02/2026"),
        ],
    );
    assert_eq!(refused.status, 422);
    assert_contains(&refused.body, "value=\"31/02/2026\"");
    assert_contains(&refused.body, "Ngày không có thật");
    let created = agency.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", "Ngộ độc tại bếp ăn bán trú"),
            ("occurred_on", "2/9/2025"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.header("location").expect("the case").to_owned();
    let page = agency.get(&location);
    assert_contains(&page.body, "<dt>Ngày xảy ra</dt><dd>02/09/2025</dd>");
}
