//! Public-opinion collaborators: registered on the people pages with the localities
//! and fields they cover, given a reporting schedule, and shown nothing but their own
//! home page.

use phoihop::db::Db;
use serde_json::json;

use crate::support::*;

fn org_id(db: &Db, code: &str) -> i64 {
    db.read_blocking(|c| phoihop::org::find_current_by_code(c, code))
        .expect("read")
        .expect("organisation")
        .id
}

fn locality_id(db: &Db, name: &str) -> i64 {
    db.read_blocking(|c| phoihop::refdata::localities(c, true))
        .expect("read")
        .into_iter()
        .find(|l| l.name == name)
        .expect("locality")
        .id
}

fn field_id(db: &Db, code: &str) -> i64 {
    db.read_blocking(|c| phoihop::refdata::fields(c, true))
        .expect("read")
        .into_iter()
        .find(|f| f.code == code)
        .expect("field")
        .id
}

fn user_id(db: &Db, username: &str) -> i64 {
    db.read_blocking(|c| phoihop::org::people::get_by_username(c, username))
        .expect("read")
        .expect("account")
        .id
}

fn count(db: &Db, sql: &str, id: i64) -> i64 {
    db.read_blocking(|c| c.scalar::<i64>(sql, phoihop::params![id]))
        .expect("count")
}

/// The form of a new collaborator of `org`, with `extra` pairs (localities, fields).
fn new_collaborator<'a>(org: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("username", "ctv.iachim"),
        ("display_name", "Siu Thị H'Lan"),
        ("title", "Cộng tác viên dư luận xã hội"),
        ("organisation_id", org),
        ("role", "collaborator"),
        ("password", "mat-khau-ctv-1"),
    ];
    form.extend_from_slice(extra);
    form
}

#[test]
fn an_administrator_registers_a_collaborator_with_the_localities_and_fields_they_cover() {
    let app = spawn_app();
    let db = app.db();
    let (syt, ia_chim, sa_thay, health) = (
        org_id(&db, "SYT").to_string(),
        locality_id(&db, "Xã Ia Chim").to_string(),
        locality_id(&db, "Xã Sa Thầy").to_string(),
        field_id(&db, "y-te").to_string(),
    );
    let mut admin = app.signed_in("admin");
    let blank = admin.get("/people/new");
    assert_contains(
        &blank.body,
        "<select id=\"localities\" name=\"localities\" multiple",
    );
    assert_contains(
        &blank.body,
        &format!("<option value=\"{ia_chim}\">Xã Ia Chim</option>"),
    );
    let created = admin.submit(
        "/people/new",
        &new_collaborator(
            &syt,
            &[
                ("localities", &ia_chim),
                ("localities", &sa_thay),
                ("fields", &health),
            ],
        ),
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let id = id_from_location(&created, "/people/");
    let page = admin.get(&format!("/people/{id}"));
    assert_contains(&page.body, "<dd>Xã Ia Chim, Xã Sa Thầy</dd>");
    assert_contains(&page.body, "<dd>Y tế</dd>");
    assert_contains(&page.body, &format!("href=\"/people/{id}/schedule\""));
    assert_contains(
        &page.body,
        &format!("<option value=\"{sa_thay}\" selected>Xã Sa Thầy</option>"),
    );
    let audit = admin.get("/admin/audit?who=ctv.iachim");
    assert_contains(&audit.body, "địa bàn: — → Xã Ia Chim, Xã Sa Thầy");

    // The new collaborator signs in to a home page that says what they cover.
    let mut collaborator = app.client();
    let signed = collaborator.post_form(
        "/login",
        &[("username", "ctv.iachim"), ("password", "mat-khau-ctv-1")],
    );
    assert_eq!(signed.status, 303);
    let home = collaborator.get("/");
    assert_contains(&home.body, "Xã Ia Chim, Xã Sa Thầy");
    assert_contains(
        &home.body,
        "<strong>—</strong><span>không có báo cáo định kỳ phải nộp",
    );
}

#[test]
fn a_refused_registration_says_what_is_wrong_and_keeps_what_was_chosen() {
    let app = spawn_app();
    let db = app.db();
    let syt = org_id(&db, "SYT").to_string();
    let dak_ha = locality_id(&db, "Xã Đăk Hà").to_string();
    let province = locality_id(&db, "Tỉnh Ngọc Sơn").to_string();
    let science = field_id(&db, "khcn").to_string();
    let mut admin = app.signed_in("admin");

    let none = admin.submit("/people/new", &new_collaborator(&syt, &[]));
    assert_eq!(none.status, 422);
    assert_contains(&none.body, "Chọn ít nhất một xã, phường hoặc đặc khu");
    assert_contains(&none.body, "value=\"Siu Thị H&#39;Lan\"");

    let whole = admin.submit(
        "/people/new",
        &new_collaborator(&syt, &[("localities", &province)]),
    );
    assert_eq!(whole.status, 422);
    assert_contains(&whole.body, "không theo dõi cả tỉnh");

    let forged = admin.submit(
        "/people/new",
        &new_collaborator(&syt, &[("localities", "Đăk Hà")]),
    );
    assert_eq!(forged.status, 422);
    assert_contains(&forged.body, "Lựa chọn không hợp lệ");

    // Xã Đăk Hà closes with a new list of localities; a field goes out of use.
    let csv =
        "code,name,level,parent_code\nNS,Tỉnh Ngọc Sơn,province,\nNS-X01,Xã Ia Chim,commune,NS\n";
    let imported = admin.upload("/admin/localities", "file", "moi.csv", csv.as_bytes());
    assert_eq!(imported.status, 200, "{}", imported.body);
    db.write_blocking(|c| c.execute("UPDATE fields SET active = 0 WHERE code = 'khcn'", &[]))
        .expect("a field out of use");
    let closed = admin.submit(
        "/people/new",
        &new_collaborator(&syt, &[("localities", &dak_ha), ("fields", &science)]),
    );
    assert_eq!(closed.status, 422);
    assert_contains(&closed.body, "Có địa bàn đã chọn không còn hiệu lực");
    assert_contains(
        &closed.body,
        &format!("<option value=\"{dak_ha}\" selected>Xã Đăk Hà (không còn hiệu lực)</option>"),
    );
    let ia_chim = locality_id(&db, "Xã Ia Chim").to_string();
    let field = admin.submit(
        "/people/new",
        &new_collaborator(&syt, &[("localities", &ia_chim), ("fields", &science)]),
    );
    assert_eq!(field.status, 422);
    assert_contains(&field.body, "Có lĩnh vực đã chọn không còn được dùng");
    assert_contains(
        &field.body,
        &format!(
            "<option value=\"{science}\" selected>Khoa học và Công nghệ (không còn được dùng)</option>"
        ),
    );
    assert!(
        db.read_blocking(|c| phoihop::org::people::get_by_username(c, "ctv.iachim"))
            .expect("read")
            .is_none(),
        "nothing was created"
    );

    // Another role does not read the collaborator's choices.
    let liaison = admin.submit(
        "/people/new",
        &[
            ("username", "daumoi.moi"),
            ("display_name", "Lê Văn Mới"),
            ("organisation_id", &syt),
            ("role", "liaison"),
            ("password", "mat-khau-moi-1"),
            ("localities", &dak_ha),
        ],
    );
    assert_eq!(liaison.status, 303, "{}", liaison.body);
    let id = id_from_location(&liaison, "/people/");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM collaborator_localities WHERE user_id = $1",
            id
        ),
        0
    );
}

#[test]
fn changing_what_a_collaborator_covers_keeps_the_history_and_is_audited() {
    let app = spawn_app();
    let db = app.db();
    let id = user_id(&db, "congtacvien");
    let ptt = org_id(&db, "PTT").to_string();
    let (ia_chim, kon_tum) = (
        locality_id(&db, "Xã Ia Chim").to_string(),
        locality_id(&db, "Phường Kon Tum").to_string(),
    );
    let mut admin = app.signed_in("admin");
    let page = admin.get(&format!("/people/{id}"));
    assert_contains(&page.body, "<dd>Xã Ia Chim, Xã Sa Thầy</dd>");
    assert_contains(&page.body, "<dd>Mọi lĩnh vực</dd>");
    let form = |role: &'static str, localities: Vec<&str>| {
        let mut pairs: Vec<(&str, String)> = vec![
            ("display_name", "Rơ Châm Hlin".into()),
            ("organisation_id", ptt.clone()),
            ("role", role.into()),
            ("active", "1".into()),
        ];
        pairs.extend(localities.into_iter().map(|l| ("localities", l.to_owned())));
        pairs
    };
    // Their report form offers what they cover (kept per node: `fields/options.rs`).
    let mut collaborator = app.signed_in("congtacvien");
    let before = collaborator.get("/cases/new?kind=opinion_report");
    assert_contains(&before.body, ">Xã Sa Thầy</option>");
    assert!(!before.body.contains(">Phường Kon Tum</option>"));
    let pairs = form("collaborator", vec![&ia_chim, &kon_tum]);
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = admin.submit(&format!("/people/{id}"), &borrowed);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = collaborator.get("/cases/new?kind=opinion_report");
    assert_contains(&after.body, ">Phường Kon Tum</option>");
    assert!(
        !after.body.contains(">Xã Sa Thầy</option>"),
        "a locality no longer covered is still offered"
    );
    assert_contains(
        &admin.get(&format!("/people/{id}")).body,
        "<dd>Phường Kon Tum, Xã Ia Chim</dd>",
    );
    // Sa Thầy's row is closed, not deleted.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM collaborator_localities WHERE user_id = $1",
            id
        ),
        3
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM collaborator_localities WHERE user_id = $1 AND removed_at IS NULL",
            id
        ),
        2
    );
    assert_contains(
        &admin.get("/admin/audit?who=congtacvien").body,
        "địa bàn: Xã Ia Chim, Xã Sa Thầy → Phường Kon Tum, Xã Ia Chim",
    );
    // Another role: what they covered is closed, the rows stay.
    let pairs = form("unit_officer", vec![]);
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let changed = admin.submit(&format!("/people/{id}"), &borrowed);
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert!(
        !admin
            .get(&format!("/people/{id}"))
            .body
            .contains("id=\"coverage\"")
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM collaborator_localities WHERE user_id = $1 AND removed_at IS NULL",
            id
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM collaborator_localities WHERE user_id = $1",
            id
        ),
        3
    );
    let refused = db.write_blocking(|c| {
        c.execute(
            "DELETE FROM collaborator_localities WHERE user_id = $1",
            phoihop::params![id],
        )
    });
    assert!(refused.is_err(), "the database keeps the history");
}

#[test]
fn a_collaborator_opens_their_home_page_and_nothing_of_their_organisation() {
    let app = spawn_app();
    let db = app.db();
    let syt = org_id(&db, "SYT");
    let own = user_id(&db, "congtacvien.syt");
    let liaison_id = user_id(&db, "daumoi.syt");
    let mut collaborator = app.signed_in("congtacvien.syt");
    let home = collaborator.get("/");
    assert_eq!(home.status, 200);
    assert_contains(&home.body, "Xã Đăk Hà, Xã Đăk Tô");
    assert_contains(
        &home.body,
        "Hằng tháng, hạn ngày 10 của tháng sau kỳ báo cáo",
    );
    assert_contains(&home.body, "<div class=\"figure\" id=\"next-report\">");
    // Last month's report waits for them, one click away.
    assert_contains(&home.body, "id=\"waiting-report\"");
    // Their own reports, and nothing of their organisation's.
    assert_contains(&home.body, "href=\"/cases\"");
    for hidden in [
        "href=\"/organisations",
        "href=\"/people",
        "href=\"/cases/new?kind=incident",
        "href=\"/work",
        "href=\"/complaints",
        "href=\"/reports",
    ] {
        assert!(
            !home.body.contains(hidden),
            "the home page links to {hidden}"
        );
    }
    for path in [
        "/people",
        "/organisations",
        &format!("/organisations/{syt}"),
        "/admin/audit",
        "/admin/calendar",
        "/admin/localities",
        "/admin/fields",
        "/cases/new?kind=incident",
        "/cases/export.xlsx",
        "/work",
        "/people/new",
    ] {
        assert_eq!(collaborator.get(path).status, 403, "{path}");
    }
    // Their list holds what they filed, and nothing of their organisation's.
    let list = collaborator.get("/cases");
    assert_eq!(list.status, 200);
    assert!(
        !list.body.contains("VV-"),
        "an incident in a collaborator's list"
    );
    assert_contains(&list.body, "/cases/new?kind=opinion_report");
    assert!(!list.body.contains("/cases/new?kind=incident"));
    for path in [
        format!("/people/{own}"),
        format!("/people/{liaison_id}"),
        format!("/people/{own}/schedule"),
    ] {
        assert_eq!(collaborator.get(&path).status, 404, "{path}");
    }

    // The agency's liaison sees its incidents; the collaborator, none of them.
    let mut agency = Api::new(&app, "daumoi.syt");
    let (status, listed) = agency.get(&format!("/api/v1/cases?owner_org_id={syt}"));
    assert_eq!(status, 200);
    let number = listed["cases"][0]["number"]
        .as_str()
        .expect("the health department has cases")
        .to_owned();
    assert_eq!(collaborator.get(&format!("/cases/{number}")).status, 404);
    let acted = collaborator.submit(
        &format!("/cases/{number}/actions"),
        &[("action", "acknowledge"), ("version", "1")],
    );
    assert_eq!(acted.status, 404);
    let search = collaborator.get("/search?q=v%E1%BB%A5");
    assert!(
        !search.body.contains(&number),
        "search shows nothing of theirs"
    );

    let mut api = Api::new(&app, "congtacvien.syt");
    let own_id = app
        .db()
        .read_blocking(|c| phoihop::org::people::get_by_username(c, "congtacvien.syt"))
        .expect("read")
        .map(|p| p.id);
    // Their list is their own reports, and only those, even filtered by their
    // organisation.
    for path in [
        "/api/v1/cases".to_owned(),
        format!("/api/v1/cases?owner_org_id={syt}"),
    ] {
        let (status, listed) = api.get(&path);
        assert_eq!(status, 200);
        let cases = listed["cases"].as_array().expect("cases");
        assert!(!cases.is_empty(), "{path}");
        for case in cases {
            assert_eq!(case["kind"], "opinion_report", "{path}: {case}");
            if let Some(own) = own_id {
                assert_eq!(case["created_by"], own, "{path}: {case}");
            }
        }
    }
    assert_eq!(api.get(&format!("/api/v1/cases/{number}")).0, 404);
    assert_eq!(
        api.get(&format!("/api/v1/cases/{number}/attachments")).0,
        404
    );
    let (status, opened) = api.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Tin đồn ở xã Đăk Hà", "owner_org_id": syt}),
    );
    assert_eq!(status, 403, "{opened}");
}

#[test]
fn a_schedule_is_set_from_a_date_and_the_old_one_is_kept() {
    let app = spawn_app();
    let db = app.db();
    let id = user_id(&db, "congtacvien.syt");
    let today = phoihop::clock::format_date(phoihop::clock::today());
    let mut admin = app.signed_in("admin");
    let page = admin.get(&format!("/people/{id}/schedule"));
    assert_eq!(page.status, 200);
    assert_contains(
        &page.body,
        "<td>Hằng tháng, hạn ngày 10 của tháng sau kỳ báo cáo</td>",
    );
    assert_eq!(
        page.body.matches("<tr><td>Tháng ").count(),
        3,
        "{}",
        page.body
    );

    let saved = admin.submit(
        &format!("/people/{id}/schedule"),
        &[
            ("cadence", "quarterly"),
            ("due_day", "last"),
            ("remind_days", "5"),
            ("valid_from", &today),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = admin.get(&format!("/people/{id}/schedule"));
    assert_contains(
        &page.body,
        "<td>Hằng quý, hạn ngày cuối của tháng đầu quý sau</td>",
    );
    // This quarter ends under the new rule, and so does this month, which is no longer
    // expected on its own.
    let today_date = phoihop::clock::today();
    let month = u8::from(today_date.month());
    let roman = ["I", "II", "III", "IV"][usize::from((month - 1) / 3)];
    assert_contains(
        &page.body,
        &format!("<tr><td>Quý {roman}/{}</td>", today_date.year()),
    );
    assert!(
        !page
            .body
            .contains(&format!("<tr><td>Tháng {month}/{}</td>", today_date.year())),
        "{}",
        page.body
    );
    assert_eq!(page.body.matches("(đang áp dụng)").count(), 1);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM report_schedules WHERE user_id = $1",
            id
        ),
        2
    );
    assert_contains(
        &admin.get("/admin/audit?action=report_schedule_set").body,
        "Hằng quý, hạn ngày cuối của tháng đầu quý sau; nhắc trước 5 ngày",
    );
    for sql in [
        "DELETE FROM report_schedules WHERE user_id = $1",
        "UPDATE report_schedules SET due_day = 1 WHERE user_id = $1",
    ] {
        let refused = db.write_blocking(|c| c.execute(sql, phoihop::params![id]));
        assert!(refused.is_err(), "{sql}");
    }

    let yesterday = phoihop::clock::format_date(
        phoihop::clock::today()
            .previous_day()
            .expect("a day before"),
    );
    let refused = admin.submit(
        &format!("/people/{id}/schedule"),
        &[
            ("cadence", "monthly"),
            ("due_day", "31"),
            ("remind_days", "7"),
            ("valid_from", &yesterday),
        ],
    );
    assert_eq!(refused.status, 422);
    assert_contains(&refused.body, "Chọn ngày hạn nộp: từ 1 đến 28");
    assert_contains(&refused.body, "Lịch mới áp dụng từ hôm nay trở đi");
    assert_contains(&refused.body, "value=\"7\"");
    assert_contains(&refused.body, &format!("value=\"{yesterday}\""));
}

#[test]
fn who_may_see_and_set_a_collaborators_schedule() {
    let app = spawn_app();
    let db = app.db();
    let of_health = user_id(&db, "congtacvien.syt");
    let of_lead_body = user_id(&db, "congtacvien");
    let not_one = user_id(&db, "daumoi.syt");
    let today = phoihop::clock::format_date(phoihop::clock::today());
    let form = [
        ("cadence", "monthly"),
        ("due_day", "15"),
        ("remind_days", "3"),
        ("valid_from", today.as_str()),
    ];
    // The agency's liaison and leader set their collaborators' schedules.
    for user in ["daumoi.syt", "lanhdao.syt"] {
        let mut agency = app.signed_in(user);
        assert_contains(
            &agency.get(&format!("/people/{of_health}/schedule")).body,
            "id=\"schedule-form\"",
        );
        let saved = agency.submit(&format!("/people/{of_health}/schedule"), &form);
        assert_eq!(saved.status, 303, "{user}: {}", saved.body);
        assert_eq!(
            agency
                .get(&format!("/people/{of_lead_body}/schedule"))
                .status,
            404,
            "{user}"
        );
    }
    // The lead body's specialists set any collaborator's.
    let mut specialist = app.signed_in("chuyenvien");
    let saved = specialist.submit(&format!("/people/{of_lead_body}/schedule"), &form);
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        specialist
            .get(&format!("/people/{not_one}/schedule"))
            .status,
        404,
        "only collaborators have a schedule"
    );
    // Another agency, a unit's officer, the portal's editor: not theirs to see.
    for user in ["daumoi.sgddt", "canbo.cdc", "bientap"] {
        let mut other = app.signed_in(user);
        assert_eq!(
            other.get(&format!("/people/{of_health}/schedule")).status,
            404,
            "{user}"
        );
        let refused = other.submit(&format!("/people/{of_health}/schedule"), &form);
        assert_eq!(refused.status, 404, "{user}");
    }
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM report_schedules WHERE user_id = $1",
            of_health
        ),
        3
    );
}

#[test]
fn the_demo_registers_collaborators_of_two_organisations_on_monthly_schedules() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let db = app.db();
    for (username, organisation, due) in [
        ("congtacvien", "Phòng Tuyên truyền, Báo chí", "ngày 5"),
        ("congtacvien2", "Phòng Tuyên truyền, Báo chí", "ngày 5"),
        ("congtacvien.syt", "Sở Y tế", "ngày 10"),
        ("congtacvien2.syt", "Sở Y tế", "ngày 10"),
    ] {
        let id = user_id(&db, username);
        let page = admin.get(&format!("/people/{id}/schedule"));
        assert_eq!(page.status, 200, "{username}");
        assert_contains(&page.body, organisation);
        assert_contains(
            &page.body,
            &format!("<td>Hằng tháng, hạn {due} của tháng sau kỳ báo cáo</td>"),
        );
        app.signed_in(username);
    }
}
