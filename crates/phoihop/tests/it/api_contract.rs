//! The API answers what its OpenAPI document says: every error is JSON with a code the
//! document lists, bad input is a 4xx that names what was wrong (never a 500), and the
//! limits the document states are the ones enforced. Each case here is one that the
//! schemathesis run of `.ci/schemathesis` found, or would have.

use serde_json::{Value, json};

use crate::support::{Api, TestApp, spawn_app};

/// The codes the served document lists.
fn documented_codes(app: &TestApp) -> Vec<String> {
    let doc: Value =
        serde_json::from_str(&app.client().get("/api/v1/openapi.json").body).expect("JSON");
    doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
        .as_array()
        .expect("enum")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Sends a request and returns status, headers and the JSON body (Null if none).
fn raw(
    api: &mut Api<'_>,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> (u16, Value, Option<String>) {
    let auth = format!("Bearer {}", api.token);
    let response = match method {
        "POST" => api.client.post_raw(
            path,
            content_type.unwrap_or("application/json"),
            body,
            &[("Authorization", &auth)],
        ),
        _ => api.client.get_with(path, &[("Authorization", &auth)]),
    };
    let allow = response.header("allow").map(str::to_owned);
    (
        response.status,
        serde_json::from_str(&response.body).unwrap_or(Value::Null),
        allow,
    )
}

/// Method, path, content type, body; the status and code expected.
type Probe<'a> = (&'a str, &'a str, Option<&'a str>, &'a [u8], u16, &'a str);

#[test]
fn every_error_the_api_answers_is_json_with_a_documented_code() {
    let app = spawn_app();
    let codes = documented_codes(&app);
    let mut api = Api::new(&app, "chuyenvien");
    let big = vec![b' '; 3 * 1024 * 1024];
    let cases: Vec<Probe<'_>> = vec![
        // The calendar's own codes were missing from the document.
        (
            "GET",
            "/api/v1/calendar/add-working-days?from=2026-01-05&days=x",
            None,
            b"",
            422,
            "invalid_days",
        ),
        (
            "GET",
            "/api/v1/calendar/add-working-days?from=2026-02-30&days=1",
            None,
            b"",
            422,
            "invalid_date",
        ),
        (
            "GET",
            "/api/v1/search?q=%E2%80%8B",
            None,
            b"",
            422,
            "empty_query",
        ),
        // A body that is not JSON, or too large for any JSON body: were plain text.
        (
            "POST",
            "/api/v1/cases",
            Some("text/plain"),
            b"{}",
            415,
            "unsupported_media_type",
        ),
        ("POST", "/api/v1/cases", None, &big, 413, "too_large"),
        ("POST", "/api/v1/cases", None, b"[1]", 400, "invalid_json"),
        // The router's own answers under /api/.
        ("GET", "/api/v1/no-such-thing", None, b"", 404, "not_found"),
        (
            "POST",
            "/api/v1/openapi.json",
            None,
            b"{}",
            405,
            "method_not_allowed",
        ),
        // An upload that is not a multipart form.
        (
            "POST",
            "/api/v1/cases/VV-2026-0001/attachments",
            Some("application/json"),
            b"{}",
            415,
            "unsupported_media_type",
        ),
    ];
    for (method, path, content_type, body, status, code) in cases {
        let (got, json, allow) = raw(&mut api, method, path, content_type, body);
        assert_eq!(got, status, "{method} {path}: {json}");
        assert_eq!(json["error"]["code"], code, "{method} {path}");
        assert!(json["error"]["message"].is_string(), "{method} {path}");
        assert!(codes.iter().any(|c| c == code), "{code} is not documented");
        if status == 405 {
            assert_eq!(allow.as_deref(), Some("GET,HEAD"), "{path}");
        }
    }
}

#[test]
fn query_parameters_out_of_their_documented_range_are_refused_by_name() {
    let app = spawn_app();
    let mut api = Api::new(&app, "chuyenvien");
    // A filter that does not parse used to be ignored: the whole list came back.
    for (path, name) in [
        ("/api/v1/cases?field_id=abc", "field_id"),
        ("/api/v1/cases?limit=0", "limit"),
        ("/api/v1/cases?limit=201", "limit"),
        ("/api/v1/cases?overdue=maybe", "overdue"),
        ("/api/v1/cases?from=2026-02-30", "from"),
        ("/api/v1/cases?kind=meeting", "kind"),
        ("/api/v1/search?q=dat&page=51", "page"),
        ("/api/v1/search?q=dat&year=20x6", "year"),
    ] {
        let (status, body) = api.get(path);
        assert_eq!(status, 422, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{path}");
        assert!(body["error"]["fields"][name].is_string(), "{path}: {body}");
    }
    let (status, _) = api.get("/api/v1/cases?limit=200&overdue=false&from=2020-01-01");
    assert_eq!(status, 200);
}

#[test]
fn a_page_asked_with_a_limit_says_where_the_next_begins() {
    let app = spawn_app();
    let mut api = Api::new(&app, "chuyenvien");
    let (status, page) = api.get("/api/v1/cases?limit=2");
    assert_eq!(status, 200, "{page}");
    let cases = page["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 2);
    // It was only given when the page held the default 50.
    assert_eq!(page["next_before"], cases[1]["id"]);
    let (_, next) = api.get(&format!(
        "/api/v1/cases?limit=2&before={}",
        page["next_before"]
    ));
    assert!(next["cases"][0]["id"].as_i64() < cases[1]["id"].as_i64());
}

#[test]
fn a_new_case_naming_rows_that_do_not_exist_is_refused_not_a_server_error() {
    let app = spawn_app();
    let mut api = Api::new(&app, "chuyenvien");
    // Each of these was a 500 (a foreign key failing at the INSERT).
    for (name, value) in [
        ("field_id", 9_000_000_i64),
        ("locality_id", 9_223_372_036_854_775_806),
        ("commitment_id", 9_000_000),
    ] {
        let (status, body) = api.post(
            "/api/v1/cases",
            &json!({"kind": "orientation", "title": "Định hướng thử", name: value}),
        );
        assert_eq!(status, 422, "{name}: {body}");
        assert_eq!(body["error"]["code"], "invalid_fields");
        assert!(body["error"]["fields"][name].is_string(), "{body}");
    }
    let (_, list) = api.get("/api/v1/cases?kind=orientation&limit=200");
    assert!(
        !list["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .any(|c| c["title"] == "Định hướng thử"),
        "nothing was stored"
    );
}

#[test]
fn properties_of_the_wrong_type_are_refused_not_ignored() {
    let app = spawn_app();
    let mut api = Api::new(&app, "chuyenvien");
    // A field id sent as a word used to be dropped and the case opened without it.
    for (body, name) in [
        (
            json!({"kind": "orientation", "title": "Thử", "field_id": "abc"}),
            "field_id",
        ),
        (
            json!({"kind": "orientation", "title": "Thử", "field_id": 0}),
            "field_id",
        ),
        (json!({"kind": "orientation", "title": 5}), "title"),
        (json!({"kind": "orientation", "title": "   "}), "title"),
        (json!({"kind": "orientation", "title": "a\u{0}b"}), "title"),
        (
            json!({"kind": "orientation", "title": "x".repeat(501)}),
            "title",
        ),
        (
            json!({"kind": "orientation", "title": "Thử", "incidents": "VV-2026-0001"}),
            "incidents",
        ),
    ] {
        let (status, answer) = api.post("/api/v1/cases", &body);
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], "invalid_fields");
        assert!(
            answer["error"]["fields"][name].is_string(),
            "{body}: {answer}"
        );
    }
    let (status, created) = api.post(
        "/api/v1/cases",
        &json!({"kind": "orientation", "title": "Định hướng hợp lệ"}),
    );
    assert_eq!(status, 201, "{created}");
    let number = created["number"].as_str().expect("number");
    for (body, name) in [
        (json!({"action": "comment", "version": "1"}), "version"),
        (json!({"action": "comment", "version": 0}), "version"),
    ] {
        let (status, answer) = api.act(number, body.clone());
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(answer["error"]["fields"][name].is_string(), "{answer}");
    }
}

#[test]
fn every_documented_operation_is_served_and_declares_its_refusal_without_a_token() {
    let app = spawn_app();
    let doc: Value =
        serde_json::from_str(&app.client().get("/api/v1/openapi.json").body).expect("JSON");
    let mut client = app.client();
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{number}", "VV-2026-0001")
            .replace("{id}", "1");
        for (method, operation) in item.as_object().expect("operation") {
            seen += 1;
            let public = operation["security"] == json!([]);
            let response = match method.as_str() {
                "get" => client.get(&concrete),
                "post" => client.post_raw(&concrete, "application/json", b"{}", &[]),
                other => panic!("{other} {path}: no such method in the API"),
            };
            // Routed (a 404 or 405 here would be the router's, not the operation's),
            // and the answer is one the document declares.
            let status = response.status.to_string();
            assert!(
                operation["responses"][&status].is_object(),
                "{method} {path} answered {status}, not in {}",
                operation["responses"]
            );
            if !public {
                assert_eq!(response.status, 401, "{method} {path}");
            }
        }
    }
    assert_eq!(
        seen, 10,
        "cases ×2, case, actions, attachments ×2, file, search, calendar, document"
    );
}

#[test]
fn the_calendar_answers_every_date_and_day_count_its_schema_allows() {
    let app = spawn_app();
    let mut client = app.client();
    // The schema's last date with its largest day count (schemathesis found that a date
    // in 2185 passes the calendar's end, so the pattern stops at 2184).
    let last = client.get("/api/v1/calendar/add-working-days?from=2184-12-31&days=3650");
    assert_eq!(last.status, 200, "{}", last.body);
    let first = client.get("/api/v1/calendar/add-working-days?from=1900-01-01&days=0");
    assert_eq!(first.status, 200, "{}", first.body);
}
