//! Organisations, people, reference data, the audit trail, and who may see what.

use crate::support::*;

#[test]
fn administrator_creates_an_organisation_and_an_account_that_can_sign_in() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let created = admin.submit(
        "/organisations/new",
        &[
            ("name", "Sở Công Thương"),
            ("code", "sct"),
            ("body_type", "state"),
            ("role", "partner"),
            ("valid_from", "01/03/2025"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let org_id = id_from_location(&created, "/organisations/");
    let page = admin.get(&format!("/organisations/{org_id}"));
    assert_contains(&page.body, "Sở Công Thương");
    assert_contains(&page.body, "<code>SCT</code>");
    let person = admin.submit(
        "/people/new",
        &[
            ("username", "DauMoi.SCT"),
            ("display_name", "Hà Thị Thương"),
            ("organisation_id", &org_id.to_string()),
            ("role", "liaison"),
            ("password", "mat-khau-moi-1"),
        ],
    );
    assert_eq!(person.status, 303, "{}", person.body);
    let mut newcomer = app.client();
    let response = newcomer.post_form(
        "/login",
        &[("username", "daumoi.sct"), ("password", "mat-khau-moi-1")],
    );
    assert_eq!(response.status, 303);
    assert_contains(&newcomer.get("/").body, "Hà Thị Thương");
}

#[test]
fn invalid_forms_keep_what_was_typed_and_say_what_is_wrong() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let long = "Đ".repeat(400);
    let response = admin.submit(
        "/people/new",
        &[
            ("username", "a b"),
            ("display_name", &long),
            ("email", "not-an-email"),
            ("phone", "12ab"),
            ("password", "short"),
        ],
    );
    assert_eq!(response.status, 422);
    for message in [
        "Tên đăng nhập chỉ gồm",
        "Quá dài",
        "không đúng dạng",
        "Số điện thoại chỉ gồm",
        "ít nhất 8 ký tự",
        "Chọn tổ chức",
        "Chọn vai trò",
    ] {
        assert_contains(&response.body, message);
    }
    assert_contains(&response.body, "value=\"not-an-email\"");
    assert!(
        !response.body.contains("value=\"short\""),
        "a password is never echoed"
    );
    let response = admin.submit(
        "/organisations/new",
        &[
            ("name", ""),
            ("code", "SYT"),
            ("body_type", "state"),
            ("role", "unit"),
        ],
    );
    assert_eq!(response.status, 422);
    assert_contains(&response.body, "Không được để trống");
    assert_contains(&response.body, "phải có cơ quan cấp trên");
    let response = admin.submit(
        "/organisations/new",
        &[
            ("name", "Sở Y tế mới"),
            ("code", "SYT"),
            ("body_type", "state"),
            ("role", "partner"),
        ],
    );
    assert_eq!(response.status, 422);
    assert_contains(
        &response.body,
        "Ký hiệu này đang được một tổ chức khác dùng",
    );
    assert_contains(&response.body, "value=\"Sở Y tế mới\"");
}

#[test]
fn a_username_is_taken_only_once() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let response = admin.submit(
        "/people/new",
        &[
            ("username", "lanhdao"),
            ("display_name", "Người Khác"),
            ("organisation_id", "1"),
            ("role", "leader"),
            ("password", "12345678"),
        ],
    );
    assert_eq!(response.status, 422);
    assert_contains(&response.body, "Tên đăng nhập này đã có người dùng");
}

#[test]
fn a_renamed_organisation_keeps_its_old_name_findable() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    // The demo lead body was renamed in 2025; its old name still finds it.
    let found = admin.get("/organisations?q=Ban+Tuyen+giao+Tinh+uy");
    assert_contains(&found.body, "Ban Tuyên giáo và Dân vận Tỉnh ủy");
    let lead = admin.get("/organisations?q=BTGTU");
    assert_contains(&lead.body, "Ban Tuyên giáo và Dân vận Tỉnh ủy");
    let id = first_id(&admin.get("/organisations?q=SYT").body, "/organisations/");
    let renamed = admin.submit(
        &format!("/organisations/{id}/rename"),
        &[
            ("name", "Sở Y tế tỉnh Ngọc Sơn"),
            ("code", "SYT"),
            ("date", "01/07/2026"),
        ],
    );
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let page = admin.get(&format!("/organisations/{id}"));
    assert_contains(&page.body, "id=\"name-history\"");
    assert_contains(&page.body, "01/07/2026");
    assert_contains(
        &admin.get("/organisations?q=so+y+te").body,
        "Sở Y tế tỉnh Ngọc Sơn",
    );
}

#[test]
fn a_merger_moves_people_and_keeps_them_findable_under_the_old_name() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    // In the demo, the environment department merged into agriculture and environment;
    // its land-registration office and officer moved with it.
    let people = admin.get("/people?organisation=Tai+nguyen+va+Moi+truong");
    assert_contains(&people.body, "canbo.vpdkdd");
    let orgs = admin.get("/organisations?q=STNMT");
    assert_contains(&orgs.body, "Sở Tài nguyên và Môi trường");
    assert_contains(&orgs.body, "Sở Nông nghiệp và Môi trường");
    // Merging now: a merge into itself or into its own unit is refused.
    let list = admin.get("/organisations?q=SKHCN");
    let id = first_id(&list.body, "/organisations/");
    let refused = admin.submit(
        &format!("/organisations/{id}/merge"),
        &[("successor_id", &id.to_string()), ("date", "01/01/2026")],
    );
    assert_eq!(refused.status, 422);
    assert_contains(&refused.body, "chính nó");
    let bad_date = admin.submit(
        &format!("/organisations/{id}/merge"),
        &[("successor_id", "1"), ("date", "31/02/2026")],
    );
    assert_eq!(bad_date.status, 422);
    let merge_form = bad_date
        .body
        .split("id=\"merge-form\"")
        .nth(1)
        .expect("merge form");
    assert_contains(merge_form, "Ngày không hợp lệ");
    let rename_form = bad_date
        .body
        .split("id=\"rename-form\"")
        .nth(1)
        .and_then(|s| s.split("id=\"merge-form\"").next())
        .expect("rename form");
    assert!(
        !rename_form.contains("Ngày không hợp lệ"),
        "the error shows under the form that was sent"
    );
    let lhh = admin.get("/organisations?q=LHHKHKT");
    let target = first_id(&lhh.body, "/organisations/");
    let merged = admin.submit(
        &format!("/organisations/{id}/merge"),
        &[
            ("successor_id", &target.to_string()),
            ("date", "01/01/2026"),
        ],
    );
    assert_eq!(merged.status, 303, "{}", merged.body);
    assert_contains(
        &admin.get("/people?organisation=Khoa+hoc+va+Cong+nghe").body,
        "daumoi.skhcn",
    );
    let person = admin.get("/people?q=daumoi.skhcn");
    assert_contains(&person.body, "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh");
}

#[test]
fn an_agency_liaison_sees_only_their_agency_and_no_admin_pages() {
    let app = spawn_app();
    let mut liaison = app.signed_in("daumoi.syt");
    let people = liaison.get("/people");
    assert_eq!(people.status, 200);
    assert_contains(&people.body, "daumoi.syt");
    assert_contains(&people.body, "canbo.cdc");
    assert!(
        !people.body.contains("daumoi.sgddt"),
        "another agency's people are not listed"
    );
    let mut admin = app.signed_in("admin");
    let other = admin.get("/people?q=daumoi.sgddt");
    let id = first_id(&other.body, "/people/");
    assert_eq!(liaison.get(&format!("/people/{id}")).status, 404);
    for path in [
        "/admin/audit",
        "/admin/localities",
        "/admin/fields",
        "/organisations/new",
        "/people/new",
    ] {
        assert_eq!(liaison.get(path).status, 403, "{path}");
    }
    let mut collaborator = app.signed_in("congtacvien");
    assert_eq!(collaborator.get("/people").status, 403);
}

#[test]
fn locality_list_is_replaced_from_csv_and_bad_files_change_nothing() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let page = admin.get("/admin/localities");
    assert_contains(&page.body, "Xã Ia Chim");
    let bad = admin.upload(
        "/admin/localities",
        "file",
        "bad.csv",
        b"code,name,level\nNS,,province\nX1,Xa Moi,village\n",
    );
    assert_eq!(bad.status, 422);
    assert_contains(&bad.body, "Dòng 2");
    assert_contains(&bad.body, "Dòng 3");
    assert_contains(&admin.get("/admin/localities").body, "Xã Ia Chim");
    let csv = "\u{FEFF}code,name,level,parent_code\r\nNS,Tỉnh Ngọc Sơn,province,\r\nNS-X01,\"Xã Ia Chim\",commune,NS\r\nNS-X99,Xã Mới Lập,commune,NS\r\n";
    let good = admin.upload("/admin/localities", "file", "good.csv", csv.as_bytes());
    assert_eq!(good.status, 200, "{}", good.body);
    assert_contains(&good.body, "id=\"import-summary\"");
    let current = admin.get("/admin/localities");
    assert_contains(&current.body, "Xã Mới Lập");
    assert!(
        !current.body.contains("Xã Đăk Hà"),
        "closed localities leave the current list"
    );
    assert_contains(&admin.get("/admin/localities?closed=1").body, "Xã Đăk Hà");
    let not_utf8 = admin.upload(
        "/admin/localities",
        "file",
        "old.csv",
        b"code,name,level\nA,X\xe3 A,commune\n",
    );
    assert_eq!(not_utf8.status, 422);
    assert_contains(&not_utf8.body, "UTF-8");
}

/// A form's locality picker is kept in memory per node (`refdata::kept`): a new list
/// imported through one node is what every node's form offers next, closed localities
/// gone (two nodes on one PostgreSQL; on SQLite, one node's form read before and after).
#[test]
fn a_new_locality_list_reaches_every_nodes_forms_at_once() {
    let app = spawn_app();
    let other = app.config.database_url.clone().map(|url| {
        spawn_app_with(Setup {
            join: Some(url),
            ..Setup::default()
        })
    });
    let form_node = other.as_ref().unwrap_or(&app);
    let mut agency = form_node.signed_in("daumoi.syt");
    let before = agency.get("/cases/new?kind=incident");
    assert_contains(&before.body, "Xã Đăk Hà");
    assert!(!before.body.contains("Xã Mới Lập"));
    let mut admin = app.signed_in("admin");
    let csv = "code,name,level,parent_code\nNS,Tỉnh Ngọc Sơn,province,\nNS-X01,Xã Ia Chim,commune,NS\nNS-X99,Xã Mới Lập,commune,NS\n";
    let imported = admin.upload("/admin/localities", "file", "new.csv", csv.as_bytes());
    assert_eq!(imported.status, 200, "{}", imported.body);
    let after = agency.get("/cases/new?kind=incident");
    assert_contains(&after.body, "Xã Mới Lập");
    assert!(
        !after.body.contains("Xã Đăk Hà"),
        "a closed locality is still offered"
    );
}

#[test]
fn fields_are_added_with_checked_codes() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    // The case list's filter keeps the fields in memory: it is read once first, and
    // must still show the new field after it is added.
    let mut specialist = app.signed_in("chuyenvien");
    assert!(!specialist.get("/cases").body.contains("Công Thương"));
    let added = admin.submit(
        "/admin/fields",
        &[
            ("code", "cong-thuong"),
            ("name", "Công Thương"),
            ("name_en", "Industry and trade"),
        ],
    );
    assert_eq!(added.status, 303);
    assert_contains(&admin.get("/admin/fields").body, "Công Thương");
    assert_contains(&specialist.get("/cases").body, "Công Thương");
    let duplicate = admin.submit(
        "/admin/fields",
        &[("code", "cong-thuong"), ("name", "Khác")],
    );
    assert_eq!(duplicate.status, 422);
    assert_contains(&duplicate.body, "Mã này đã có");
}

#[test]
fn the_audit_trail_records_sign_ins_failures_and_changes() {
    let app = spawn_app();
    app.client()
        .post_form("/login", &[("username", "lanhdao"), ("password", "sai")]);
    let mut admin = app.signed_in("admin");
    admin.submit(
        "/admin/fields",
        &[("code", "the-thao"), ("name", "Thể thao")],
    );
    let trail = admin.get("/admin/audit");
    assert_eq!(trail.status, 200);
    for entry in [
        "Đăng nhập không thành công",
        "Thêm lĩnh vực",
        "the-thao",
        "Tạo tổ chức",
    ] {
        assert_contains(&trail.body, entry);
    }
    let failures = admin.get("/admin/audit?action=login_failed");
    assert_contains(&failures.body, "lanhdao");
    assert!(!failures.body.contains("the-thao"));
    let bad_date = admin.get("/admin/audit?from=31/02/2026");
    assert_eq!(bad_date.status, 200);
    assert_contains(&bad_date.body, "Ngày không hợp lệ");
    let mut leader = app.signed_in("lanhdao");
    assert_eq!(
        leader.get("/admin/audit").status,
        200,
        "the leader sees the trail too"
    );
}

#[test]
fn the_audit_trail_cannot_be_changed() {
    let app = spawn_app();
    let db = app.db();
    let result = db.write_blocking(|c| c.execute("UPDATE audit_log SET action = 'x'", &[]));
    assert!(result.is_err(), "updates are refused");
    let result = db.write_blocking(|c| c.execute("DELETE FROM audit_log", &[]));
    assert!(result.is_err(), "deletes are refused");
}

#[test]
fn an_administrator_locks_an_account_and_its_sessions_end() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let mut officer = app.signed_in("canbo.cdc");
    let list = admin.get("/people?q=canbo.cdc");
    let id = first_id(&list.body, "/people/");
    let page = admin.get(&format!("/people/{id}"));
    assert_contains(&page.body, "Nguyễn Thị Phòng");
    // The organisation currently selected in the form.
    let select = page
        .body
        .split("id=\"organisation_id\"")
        .nth(1)
        .expect("select");
    let before_selected = select.split(" selected>").next().expect("selected option");
    let org = before_selected
        .rsplit("value=\"")
        .next()
        .and_then(|s| s.split('"').next())
        .expect("org")
        .to_owned();
    let locked = admin.submit(
        &format!("/people/{id}"),
        &[
            ("display_name", "Nguyễn Thị Phòng"),
            ("organisation_id", &org),
            ("role", "unit_officer"),
        ],
    );
    assert_eq!(locked.status, 303, "{}", locked.body);
    assert_eq!(
        officer.get("/").status,
        303,
        "the locked person's session ended"
    );
    let response = app
        .client()
        .post_form("/login", &[("username", "canbo.cdc"), ("password", "demo")]);
    assert_contains(&response.body, "đã bị khoá");
}

#[test]
fn search_wildcards_typed_by_a_person_are_taken_literally() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let everyone = admin.get("/people?q=%25");
    assert_contains(&everyone.body, "Không có người dùng nào khớp");
    let underscore = admin.get("/organisations?q=_");
    assert_contains(&underscore.body, "Không có tổ chức nào khớp");
    assert_contains(&admin.get("/people?q=dau").body, "daumoi.syt");
}
