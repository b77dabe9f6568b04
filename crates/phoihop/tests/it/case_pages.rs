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
