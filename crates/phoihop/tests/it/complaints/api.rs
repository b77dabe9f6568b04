//! The complaint kind through the JSON API, as an outside client uses it: a letter
//! registered with its typed fields, the same complainant's letter to the province
//! while the commune is within its limit flagged with the earlier number, the senders
//! shown only to whom they may be, and bad input refused with each problem named.

use serde_json::{Value, json};

use super::*;
use crate::support::*;

#[test]
fn a_second_letter_to_the_province_while_the_commune_holds_it_is_flagged() {
    let app = spawn_app();
    let db = app.db();
    let (commune, province) = (org(&db, "UBND-XĐH"), org(&db, "UBND-T"));
    let mut api = Api::new(&app, "chuyenvien");
    let (status, first) = api.post(
        "/api/v1/cases",
        &letter(
            commune,
            "commune",
            "Tranh chấp ranh giới thửa đất số 125 với hộ ông Lê Văn Tám",
            json!({"name": "Nguyễn Văn Bình", "address": "Thôn 3, xã Đăk Hà", "phone": "0905123456"}),
        ),
    );
    assert_eq!(status, 201, "{first}");
    let first = first["number"].as_str().expect("number").to_owned();
    assert!(first.starts_with("DT-"), "{first}");

    let (status, shown) = api.get(&format!("/api/v1/cases/{first}"));
    assert_eq!(status, 200);
    assert_eq!(shown["kind"], "complaint");
    assert_eq!(shown["escalated_past_level"], false);
    assert_eq!(shown["data"]["letter_type"], "complaint", "{shown}");
    assert_eq!(shown["data"]["handling_org"]["id"], commune);
    assert_eq!(
        shown["assignee"]["id"], commune,
        "the handling organisation"
    );
    assert!(
        shown.get("complainants").is_some(),
        "lead-body staff see them"
    );
    assert!(
        shown["data"].get("complainants").is_none(),
        "personal data never sits in the case's own data"
    );
    let acceptance = &shown["clocks"][0];
    assert_eq!(acceptance["clock"], "acceptance");
    assert_eq!(acceptance["state"], "running");
    let actions: Vec<&str> = shown["allowed_actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"accept") && actions.contains(&"decline"),
        "{actions:?}"
    );

    // The same man, without his marks, to the province about the same plot.
    let (status, second) = api.post(
        "/api/v1/cases",
        &letter(
            province,
            "province",
            "Đề nghị tỉnh giải quyết việc hộ ông Le Van Tam lấn chiếm ranh giới thửa đất số 125",
            json!({"name": "Nguyen Van Binh", "address": "thon 3 Dak Ha", "phone": "+84905123456"}),
        ),
    );
    assert_eq!(status, 201, "{second}");
    let second = second["number"].as_str().expect("number").to_owned();
    let (_, shown) = api.get(&format!("/api/v1/cases/{second}"));
    assert_eq!(shown["escalated_past_level"], true, "{shown}");
    assert_eq!(shown["escalated_from"]["number"], first.as_str());

    // A different person about another matter is not.
    let (status, other) = api.post(
        "/api/v1/cases",
        &letter(
            province,
            "province",
            "Phản ánh tiếng ồn của xưởng gỗ ban đêm",
            json!({"name": "Trần Thị Hoa", "email": "hoa@example.vn"}),
        ),
    );
    assert_eq!(status, 201, "{other}");
    let (_, shown) = api.get(&format!(
        "/api/v1/cases/{}",
        other["number"].as_str().expect("number")
    ));
    assert_eq!(shown["escalated_past_level"], false);
    assert_eq!(shown["escalated_from"], Value::Null);

    // The page says it too, with the link to the earlier letter.
    let mut page = app.signed_in("chuyenvien");
    let body = page.get(&format!("/cases/{second}")).body;
    assert_contains(&body, "id=\"fact-escalated_from\"");
    assert_contains(&body, &format!("href=\"/cases/{first}\""));
}

#[test]
fn senders_are_kept_from_everyone_but_the_handling_organisation_and_the_lead_body() {
    let app = spawn_app();
    let db = app.db();
    let health = org(&db, "SYT");
    let mut lead = Api::new(&app, "chuyenvien");
    let (status, made) = lead.post(
        "/api/v1/cases",
        &letter(
            health,
            "province",
            "Phản ánh thái độ phục vụ tại trạm y tế",
            json!({"name": "Lê Thị Mai", "phone": "0912345678", "identity_number": "062090001234"}),
        ),
    );
    assert_eq!(status, 201, "{made}");
    let number = made["number"].as_str().expect("number").to_owned();
    // Recording a sender's personal data is in the audit trail under who did it.
    let audit = app
        .signed_in("admin")
        .get("/admin/audit?who=chuyenvien")
        .body;
    assert_contains(&audit, "Ghi thông tin người gửi đơn");
    // The health department's liaison handles it and sees who sent it.
    let mut handling = Api::new(&app, "daumoi.syt");
    let (status, shown) = handling.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["complainants"][0]["name"], "Lê Thị Mai");
    assert_eq!(shown["complainants"][0]["identity_number"], "062090001234");
    // The kind's own names for its parties, and which the liaison holds.
    let parties = shown["parties"].as_array().expect("parties");
    let handler = parties
        .iter()
        .find(|p| p["party"] == "assignee")
        .expect("the handling agency");
    assert_eq!(handler["label"], "Cơ quan giải quyết", "{shown}");
    assert_eq!(handler["organisations"][0]["id"], health);
    assert_eq!(shown["your_parties"], json!(["assignee"]), "{shown}");
    let page = handling_page(&app, &number);
    assert!(
        page.contains("id=\"party-assignee\"") && page.contains("Cơ quan giải quyết"),
        "the case page names the handling agency"
    );
    // The handling organisation accepts it: its resolution limit starts.
    let version = shown["version"].as_i64().expect("version");
    let (status, accepted) = handling.act(
        &number,
        json!({"action": "accept", "version": version, "complex": "yes"}),
    );
    assert_eq!(status, 200, "{accepted}");
    let clocks: Vec<(&str, &str)> = accepted["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .map(|c| {
            (
                c["clock"].as_str().unwrap_or(""),
                c["state"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(clocks.contains(&("acceptance", "met")), "{clocks:?}");
    assert!(clocks.contains(&("resolution", "running")), "{clocks:?}");
    // Nobody else reads them, nor finds them in the list's export or search.
    let text = serde_json::to_string(&lead.get("/api/v1/cases?kind=complaint").1).expect("json");
    assert!(
        !text.contains("0912345678") && !text.contains("Lê Thị Mai"),
        "{text}"
    );
}

#[test]
fn a_letter_with_no_way_to_reply_or_a_wrong_choice_is_refused_with_each_place_named() {
    let app = spawn_app();
    let db = app.db();
    let commune = org(&db, "UBND-XĐH");
    let before: i64 = db
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM cases", &[]))
        .expect("count");
    let mut api = Api::new(&app, "chuyenvien");
    let mut bad = letter(
        commune,
        "district",
        "Đơn không có địa chỉ",
        json!({"name": "Phạm Văn Cường"}),
    );
    bad["received_on"] = json!("2999-01-01");
    let (status, answer) = api.post("/api/v1/cases", &bad);
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["error"]["code"], "invalid_fields", "{answer}");
    let fields = answer["error"]["fields"].to_string();
    assert!(
        fields.contains("level") && fields.contains("received_on"),
        "{answer}"
    );
    // With the level and the day right, the missing way to reply is named at its row.
    let bad = letter(
        commune,
        "commune",
        "Đơn không có địa chỉ",
        json!({"name": "Phạm Văn Cường"}),
    );
    let (status, answer) = api.post("/api/v1/cases", &bad);
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["error"]["fields"]
            .to_string()
            .contains("complainants.0.address"),
        "{answer}"
    );
    let after: i64 = db
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM cases", &[]))
        .expect("count");
    assert_eq!(after, before, "nothing kept");
}

/// The case page of `number` as the health department's liaison sees it.
fn handling_page(app: &TestApp, number: &str) -> String {
    app.signed_in("daumoi.syt")
        .get(&format!("/cases/{number}"))
        .body
}
