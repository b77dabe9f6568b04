//! The case pages: report, act through forms, the conflict page, lists and filters.

use crate::support::*;

fn number_from(response: &Response) -> String {
    let location = response.header("location").expect("redirect to the case");
    location.trim_start_matches("/cases/").to_owned()
}

fn version_on(page: &Response) -> String {
    let marker = "name=\"version\" value=\"";
    let start = page.body.find(marker).expect("an action form") + marker.len();
    page.body[start..]
        .split('"')
        .next()
        .expect("version")
        .to_owned()
}

#[test]
fn an_incident_is_reported_and_acted_on_through_the_pages() {
    let app = spawn_app();
    let mut agency = app.signed_in("daumoi.syt");
    let created = agency.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", "Ngộ độc rượu tại xã Đăk Tô"),
            ("body", "Ba người nhập viện."),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let number = number_from(&created);
    let page = agency.get(&format!("/cases/{number}"));
    assert_contains(&page.body, "Ngộ độc rượu tại xã Đăk Tô");
    assert_contains(&page.body, "Mới báo cáo");
    assert_contains(&page.body, "id=\"action-comment\"");
    assert!(
        !page.body.contains("id=\"action-acknowledge\""),
        "only the lead body acknowledges"
    );

    let mut specialist = app.signed_in("chuyenvien");
    let page = specialist.get(&format!("/cases/{number}"));
    let version = version_on(&page);
    let done = specialist.submit(
        &format!("/cases/{number}/actions"),
        &[("action", "acknowledge"), ("version", &version)],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    // The timeline names who acted as people know them, not by their username.
    let page = specialist.get(&format!("/cases/{number}"));
    assert_contains(&page.body, "· Lê Thị Hồng</small>");

    // The agency's page still shows the old version: concluding without text is refused
    // with the field marked, and then the stale version gives the conflict page.
    let page = agency.get(&format!("/cases/{number}"));
    let fresh = version_on(&page);
    let missing = agency.submit(
        &format!("/cases/{number}/actions"),
        &[("action", "conclude"), ("version", &fresh)],
    );
    assert_eq!(missing.status, 422);
    assert_contains(&missing.body, "Không được để trống");
    let stale = agency.submit(
        &format!("/cases/{number}/actions"),
        &[
            ("action", "conclude"),
            ("version", &version),
            ("conclusion", "Do rượu pha methanol."),
            ("seen_event", "1"),
        ],
    );
    assert_eq!(stale.status, 409);
    assert_contains(&stale.body, "id=\"case-problem\"");
    assert_contains(&stale.body, "Do rượu pha methanol.");
    assert_contains(&stale.body, "mới thay đổi");
    let sent = agency.upload(
        &format!("/cases/{number}/attachments"),
        "file",
        "ket-luan.txt",
        "Báo cáo kết luận.".as_bytes(),
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let fresh = version_on(&agency.get(&format!("/cases/{number}")));
    let concluded = agency.submit(
        &format!("/cases/{number}/actions"),
        &[
            ("action", "conclude"),
            ("version", &fresh),
            ("conclusion", "Do rượu pha methanol."),
        ],
    );
    assert_eq!(concluded.status, 303, "{}", concluded.body);
    let page = agency.get(&format!("/cases/{number}"));
    assert_contains(&page.body, "Đã có kết luận");
    assert_contains(&page.body, "Do rượu pha methanol.");

    let mut other = app.signed_in("daumoi.sgddt");
    assert_eq!(other.get(&format!("/cases/{number}")).status, 404);
    assert!(!other.get("/cases").body.contains(&number));
}

#[test]
fn case_lists_filter_and_never_fail_on_odd_input() {
    let app = spawn_app();
    let mut specialist = app.signed_in("chuyenvien");
    let all = specialist.get("/cases");
    assert_eq!(all.status, 200);
    assert_contains(&all.body, "id=\"cases\"");
    let overdue = specialist.get("/cases?kind=incident&overdue=true");
    assert_contains(&overdue.body, "quá hạn");
    let odd =
        specialist.get("/cases?kind=&state=&field_id=abc&from=31/02/2026&before=x&overdue=maybe");
    assert_eq!(odd.status, 200);
    let land = specialist.get("/cases?kind=incident&state=concluded");
    assert_contains(&land.body, "<td>Đã có kết luận");
    assert!(!land.body.contains("<td>Mới báo cáo"));
    let mut admin = app.signed_in("admin");
    assert_eq!(
        admin.get("/cases").status,
        403,
        "cases are the coordinators' work, not the administrator's"
    );
}

#[test]
fn a_case_list_exports_to_xlsx_that_an_independent_reader_opens() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn_app();
    let mut agency = app.signed_in("daumoi.syt");
    let created = agency.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", "Ngộ độc nấm rừng tại xã Măng Đen <&>"),
        ],
    );
    let number = number_from(&created);
    let list = agency.get("/cases?kind=incident");
    assert_contains(&list.body, "href=\"/cases/export.xlsx?kind=incident\"");
    let response = agency.get("/cases/export.xlsx?kind=incident");
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    let bytes = agency.get_bytes("/cases/export.xlsx?kind=incident");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let sheet = book.worksheet_range("Hồ sơ").expect("the sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(rows[0][0], "Số");
    assert_eq!(rows[0][2], "Tiêu đề");
    let mine = rows
        .iter()
        .find(|r| r[0] == number)
        .expect("the new case is in the export");
    assert_eq!(mine[2], "Ngộ độc nấm rừng tại xã Măng Đen <&>");
    assert_eq!(mine[3], "Mới báo cáo");
    assert_eq!(mine[4], "Sở Y tế");
    // The agency's export holds only what the agency may see.
    let all_visible = rows.len() - 1;
    let mut education = app.signed_in("daumoi.sgddt");
    let theirs = education.get_bytes("/cases/export.xlsx?kind=incident");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(theirs)).expect("a workbook");
    let rows: Vec<String> = book
        .worksheet_range("Hồ sơ")
        .expect("sheet")
        .rows()
        .skip(1)
        .map(|r| r[0].to_string())
        .collect();
    assert!(!rows.contains(&number));
    assert!(all_visible > 0);
}

/// Cases whose kept `due_on` differs from their running clocks' earliest date.
fn cases_with_stale_due(app: &TestApp) -> i64 {
    app.db()
        .read_blocking(|c| {
            c.scalar::<i64>(
                "SELECT COUNT(*) FROM cases c
                 WHERE COALESCE(c.due_on, '') <> COALESCE((SELECT min(k.due_on) FROM case_clocks k
                                          WHERE k.case_id = c.id AND k.state = 'running'), '')",
                &[],
            )
        })
        .expect("count")
}

#[test]
fn a_cases_overdue_mark_follows_its_running_clocks() {
    let app = spawn_app();
    assert_eq!(cases_with_stale_due(&app), 0, "after the demo's history");
    let running = |app: &TestApp| -> i64 {
        app.db()
            .read_blocking(|c| {
                c.scalar::<i64>("SELECT COUNT(*) FROM cases WHERE due_on IS NOT NULL", &[])
            })
            .expect("count")
    };
    let before = running(&app);
    assert!(before > 0, "the demo has cases with running clocks");
    // Every running clock of one case is met, another is moved: the marks follow.
    app.db()
        .write_blocking(|c| {
            c.execute(
                "UPDATE case_clocks SET state = 'met'
                 WHERE case_id = (SELECT min(case_id) FROM case_clocks WHERE state = 'running')",
                &[],
            )?;
            c.execute(
                "UPDATE case_clocks SET due_on = '2000-01-01'
                 WHERE id = (SELECT max(id) FROM case_clocks WHERE state = 'running')",
                &[],
            )
        })
        .expect("update");
    assert_eq!(cases_with_stale_due(&app), 0, "after clocks changed");
    let stale_unread = |app: &TestApp| -> i64 {
        app.db()
            .read_blocking(|c| {
                c.scalar::<i64>(
                    "SELECT COUNT(*) FROM users u WHERE u.unread <> (SELECT COUNT(*) FROM
                       (SELECT 1 FROM notifications n WHERE n.user_id = u.id
                        AND n.read_at IS NULL LIMIT 100) x)",
                    &[],
                )
            })
            .expect("count")
    };
    assert_eq!(stale_unread(&app), 0, "after the demo's notifications");
    app.db()
        .write_blocking(|c| {
            c.execute(
                "UPDATE notifications SET read_at = 1
                 WHERE id = (SELECT min(id) FROM notifications WHERE read_at IS NULL)",
                &[],
            )
        })
        .expect("read one");
    assert_eq!(stale_unread(&app), 0, "after one was read");
    assert_eq!(running(&app), before - 1);
    let mut specialist = app.signed_in("chuyenvien");
    assert_contains(&specialist.get("/cases?overdue=true").body, "badge-late");
}

#[test]
fn a_nul_character_typed_into_a_case_is_refused_with_the_field_marked() {
    // PostgreSQL holds no NUL in text: this was a 500 there, and stored on SQLite.
    let app = spawn_app();
    let mut agency = app.signed_in("daumoi.syt");
    let refused = agency.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", "Ngộ độc\u{0} rượu"),
            ("body", ""),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_contains(&refused.body, "Ngộ độc");
    let created = agency.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", "Ngộ độc rượu"),
            ("body", ""),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let number = number_from(&created);
    let page = agency.get(&format!("/cases/{number}"));
    let version = version_on(&page);
    let refused = agency.submit(
        &format!("/cases/{number}/actions"),
        &[
            ("action", "comment"),
            ("version", &version),
            ("note", "a\u{0}b"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
}

/// The new-case form asks the lead body's staff which agency a case belongs to when the
/// kind's cases belong to agencies (an incident), never for the lead body's own kinds (an
/// orientation), and never an agency person, whose own organisation it is.
#[test]
fn the_reporting_agency_is_asked_only_where_the_kind_needs_it() {
    let app = spawn_app();
    let mut specialist = app.signed_in("chuyenvien");
    let incident = specialist.get("/cases/new?kind=incident");
    assert_eq!(incident.status, 200);
    assert_contains(&incident.body, "name=\"owner_org_id\"");
    let orientation = specialist.get("/cases/new?kind=orientation");
    assert!(!orientation.body.contains("name=\"owner_org_id\""));
    assert_contains(&orientation.body, "name=\"incidents\"");
    let mut agency = app.signed_in("daumoi.syt");
    let own = agency.get("/cases/new?kind=incident");
    assert!(!own.body.contains("name=\"owner_org_id\""));

    // Left out by the lead body's staff, it is asked for, with what was typed kept.
    let refused = specialist.submit(
        "/cases/new",
        &[("kind", "incident"), ("title", "Cháy rừng tại xã Măng Đen")],
    );
    assert_eq!(refused.status, 422);
    assert_contains(&refused.body, "Chọn cơ quan báo cáo.");
    assert_contains(&refused.body, "value=\"Cháy rừng tại xã Măng Đen\"");
}
