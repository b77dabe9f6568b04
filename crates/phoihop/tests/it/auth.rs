//! Signing in and out, sessions, the idle timeout, anti-forgery, throttling.

use std::time::Duration;

use crate::support::*;

#[test]
fn health_check_answers_ok() {
    let app = spawn_app();
    let response = app.client().get("/healthz");
    assert_eq!(response.status, 200);
}

#[test]
fn sign_in_page_has_username_and_password_fields() {
    let app = spawn_app();
    let page = app.client().get("/login");
    assert_eq!(page.status, 200);
    assert_contains(&page.body, "name=\"username\"");
    assert_contains(&page.body, "name=\"password\"");
    assert_contains(&page.body, "Đăng nhập");
}

#[test]
fn correct_sign_in_redirects_and_sets_a_session_cookie() {
    let app = spawn_app();
    let mut client = app.client();
    let response = client.post_form("/login", &[("username", "admin"), ("password", "demo")]);
    assert_eq!(response.status, 303);
    let cookie = response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("phoihop_session="))
        .expect("cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let home = client.get("/");
    assert_eq!(home.status, 200);
    assert_contains(&home.body, "Trần Quản Trị");
    assert_contains(&home.body, "Văn phòng Ban");
}

#[test]
fn wrong_password_or_unknown_user_shows_an_error_and_sets_no_session() {
    let app = spawn_app();
    for (user, password) in [
        ("admin", "wrong"),
        ("nobody", "demo"),
        ("", ""),
        ("admin", ""),
    ] {
        let mut client = app.client();
        let response = client.post_form("/login", &[("username", user), ("password", password)]);
        assert_eq!(response.status, 200, "{user}");
        assert!(
            response
                .set_cookies()
                .iter()
                .all(|c| !c.starts_with("phoihop_session="))
        );
        assert_contains(&response.body, "id=\"login-error\"");
        // What was typed stays in the form.
        if !user.is_empty() {
            assert_contains(&response.body, &format!("value=\"{user}\""));
        }
    }
}

#[test]
fn oversized_or_malformed_sign_in_gets_a_message_not_a_failure() {
    let app = spawn_app();
    let mut client = app.client();
    let long = "x".repeat(5000);
    let response = client.post_form("/login", &[("username", &long), ("password", &long)]);
    assert_eq!(response.status, 200);
    assert_contains(&response.body, "quá dài");
    let response = client.post_raw(
        "/login",
        "application/x-www-form-urlencoded",
        b"%%%\xff\xfe=&&",
        &[],
    );
    assert_eq!(response.status, 200);
    assert_contains(&response.body, "id=\"login-error\"");
}

#[test]
fn home_page_shows_the_person_their_organisation_and_real_counts() {
    let app = spawn_app();
    let mut client = app.signed_in("daumoi.syt");
    let home = client.get("/");
    assert_eq!(home.status, 200);
    assert_contains(&home.body, "Y Blống");
    assert_contains(&home.body, "Sở Y tế");
    // Twelve current partner agencies in the demo, the three people's committees that
    // handle letters among them (the merged environment department is not counted).
    assert_contains(&home.body, "<strong id=\"count-agencies\">12</strong>");
    // Its liaison and its leader.
    assert_contains(&home.body, "<strong id=\"count-my-org\">2</strong>");
}

#[test]
fn demo_accounts_exist_for_every_role_named_in_the_brief() {
    let app = spawn_app();
    for user in [
        "admin",
        "lanhdao",
        "chuyenvien",
        "daumoi.syt",
        "lanhdao.syt",
        "canbo.cdc",
        "congtacvien",
        "bientap",
        "duyettin",
    ] {
        app.signed_in(user);
    }
}

#[test]
fn demo_password_works_only_in_demo_mode() {
    let app = spawn_app();
    let (dir, url, tmp, pg) = app.stop();
    let app = spawn_app_with(Setup {
        demo: false,
        reuse: Some((dir, url)),
        ..Setup::default()
    });
    let response = app
        .client()
        .post_form("/login", &[("username", "admin"), ("password", "demo")]);
    assert_eq!(response.status, 200);
    assert_contains(&response.body, "chế độ trình diễn");
    drop(app);
    drop((tmp, pg));
}

#[test]
fn a_form_without_a_valid_token_is_refused_and_changes_nothing() {
    let app = spawn_app();
    let mut client = app.signed_in("admin");
    let fields = [
        ("name", "Sở Công Thương"),
        ("code", "SCT"),
        ("body_type", "state"),
        ("role", "partner"),
    ];
    let response = client.post_form("/organisations/new", &fields);
    assert_eq!(response.status, 403);
    assert_contains(&response.body, "Biểu mẫu không hợp lệ");
    let mut forged = fields.to_vec();
    forged.push(("csrf", "forged"));
    let response = client.post_form("/organisations/new", &forged);
    assert_eq!(response.status, 403);
    assert!(!client.get("/organisations").body.contains("Sở Công Thương"));
}

#[test]
fn a_post_from_another_site_is_refused() {
    let app = spawn_app();
    let mut client = app.signed_in("admin");
    let token = client.get("/").csrf();
    let response = client.post_form_with(
        "/organisations/new",
        &[
            ("name", "Sở Công Thương"),
            ("code", "SCT"),
            ("body_type", "state"),
            ("role", "partner"),
            ("csrf", &token),
        ],
        &[("Origin", "http://evil.example")],
    );
    assert_eq!(response.status, 403);
}

#[test]
fn idle_session_ends_and_sign_in_returns_to_the_page() {
    let app = spawn_app_with(Setup {
        idle_secs: 1,
        ..Setup::default()
    });
    let mut client = app.signed_in("chuyenvien");
    assert_eq!(client.get("/organisations").status, 200);
    // Status polls are not activity, so the session runs out.
    wait_until(Duration::from_secs(10), || {
        !client
            .get("/session/status")
            .body
            .contains("\"alive\":true")
    });
    // A form sent after the end goes to sign-in and back to the page it came from.
    let referer = format!("{}/organisations/new", app.base);
    let posted = client.post_form_with(
        "/organisations/new",
        &[("name", "Sở Công Thương"), ("csrf", "x")],
        &[("Referer", &referer)],
    );
    assert_eq!(posted.status, 303);
    assert_eq!(
        posted.header("location"),
        Some("/login?next=/organisations/new&reason=idle")
    );
    let response = client.get("/organisations?q=y");
    assert_eq!(response.status, 303);
    let location = response.header("location").expect("redirect");
    assert!(
        location.starts_with("/login?next=/organisations%3Fq%3Dy"),
        "{location}"
    );
    assert!(location.contains("reason=idle"), "{location}");
    let login = client.get(location);
    assert_contains(&login.body, "id=\"login-notice\"");
    assert_contains(&login.body, "value=\"/organisations?q=y\"");
    let back = client.post_form(
        "/login",
        &[
            ("username", "chuyenvien"),
            ("password", "demo"),
            ("next", "/organisations?q=y"),
        ],
    );
    assert_eq!(back.header("location"), Some("/organisations?q=y"));
}

#[test]
fn stay_signed_in_extends_the_session() {
    let app = spawn_app_with(Setup {
        idle_secs: 3,
        ..Setup::default()
    });
    let mut client = app.signed_in("chuyenvien");
    let token = client.get("/").csrf();
    let refused = client.post_form_with("/session/keepalive", &[], &[]);
    assert_eq!(refused.status, 403, "keepalive needs the token");
    let response = client.post_form_with("/session/keepalive", &[], &[("X-CSRF-Token", &token)]);
    assert_eq!(response.status, 200);
    assert_contains(&response.body, "\"remaining_ms\":3000");
    let status = client.get("/session/status");
    assert_contains(&status.body, "\"alive\":true");
}

#[test]
fn sign_out_ends_the_session() {
    let app = spawn_app();
    let mut client = app.signed_in("lanhdao");
    let session = client
        .cookies
        .get("phoihop_session")
        .cloned()
        .expect("cookie");
    let response = client.submit("/logout", &[]);
    assert_eq!(response.status, 303);
    assert_eq!(
        response.header("location"),
        Some("/login?reason=signed_out")
    );
    client.cookies.insert("phoihop_session".into(), session);
    assert_eq!(
        client.get("/").status,
        303,
        "the old cookie no longer works"
    );
}

#[test]
fn repeated_failures_lock_sign_in_for_a_while() {
    let app = spawn_app_with(Setup {
        max_failures: 3,
        ..Setup::default()
    });
    let mut client = app.client();
    for _ in 0..3 {
        client.post_form("/login", &[("username", "lanhdao"), ("password", "wrong")]);
    }
    let response = client.post_form("/login", &[("username", "lanhdao"), ("password", "demo")]);
    assert_eq!(response.status, 200);
    assert_contains(&response.body, "quá nhiều lần");
    // Another account from the same address is not yet locked.
    assert_eq!(
        client
            .post_form("/login", &[("username", "admin"), ("password", "demo")])
            .status,
        303
    );
}

#[test]
fn language_switches_to_english_and_back() {
    let app = spawn_app();
    let mut client = app.signed_in("admin");
    let response = client.get("/lang?to=en&next=/organisations");
    assert_eq!(response.header("location"), Some("/organisations"));
    let page = client.get("/organisations");
    assert_contains(&page.body, "Organisations");
    assert_contains(&page.body, "lang=\"en\"");
    client.get("/lang?to=vi&next=/");
    assert_contains(&client.get("/organisations").body, "Tổ chức");
}

#[test]
fn unknown_pages_answer_not_found_in_vietnamese() {
    let app = spawn_app();
    let mut client = app.signed_in("admin");
    let response = client.get("/no/such/page");
    assert_eq!(response.status, 404);
    assert_contains(&response.body, "Không tìm thấy");
}

#[test]
fn after_a_wrong_password_the_same_form_signs_in() {
    let app = spawn_app();
    let mut client = app.client();
    let form_token = |body: &str| {
        let marker = "name=\"csrf\" value=\"";
        let start = body.find(marker).expect("token in the form") + marker.len();
        body[start..start + 64].to_owned()
    };
    let page = client.get("/login");
    let token = form_token(&page.body);
    let wrong = client.post_form(
        "/login",
        &[("username", "admin"), ("password", "x"), ("csrf", &token)],
    );
    assert_contains(&wrong.body, "id=\"login-error\"");
    let again = form_token(&wrong.body);
    assert_eq!(again, token, "the refusal keeps the browser's token");
    let right = client.post_form(
        "/login",
        &[
            ("username", "admin"),
            ("password", "demo"),
            ("csrf", &again),
        ],
    );
    assert_eq!(right.status, 303);
    let forged = app.client().post_form(
        "/login",
        &[
            ("username", "admin"),
            ("password", "demo"),
            ("csrf", &token),
        ],
    );
    assert_eq!(forged.status, 200, "a token without its cookie is refused");
}
