//! The complaint pages through the browser: escalations past level counted on the
//! page and in its XLSX, kept from whom they are not for, bad dates answered at their
//! field; the installation's time limits changed through their form by an
//! administrator only.

use std::io::Read;

use serde_json::{Value, json};

use super::*;
use crate::support::*;

thread_local! {
    /// The id of [`FIELD`] in the test's own database, set by [`escalations`].
    static FIELD_ID: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// The escalation page's path with the test's field (and `query`, if any).
fn escalations(app: &TestApp, path: &str, query: &str) -> String {
    let id = field(&app.db());
    FIELD_ID.with(|f| f.set(id));
    let sep = if query.is_empty() { "" } else { "&" };
    format!("{path}?field_id={id}{sep}{query}")
}

/// The field of work the test's letters are filed under, which the demo's letters are
/// not: the counts filtered by it are the test's alone.
const FIELD: &str = "giao-duc";

fn field(db: &Db) -> i64 {
    db.read_blocking(|c| id_of(c, "fields", FIELD))
        .expect("field")
}

/// A letter of the API's tests, filed under the test's own field of work.
fn letter(handling: i64, level: &str, title: &str, sender: Value) -> Value {
    let mut letter = super::letter(handling, level, title, sender);
    letter["field_id"] = json!(FIELD_ID.with(std::cell::Cell::get));
    letter
}

/// Two letters of the same man about the same plot, the commune's first, so that the
/// province's escalates past level.
fn two_letters(app: &TestApp) {
    let db = app.db();
    FIELD_ID.with(|f| f.set(field(&db)));
    let (commune, province) = (org(&db, "UBND-XĐH"), org(&db, "UBND-T"));
    let mut api = Api::new(app, "chuyenvien");
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
    let number = second["number"].as_str().expect("number").to_owned();
    let (_, shown) = api.get(&format!("/api/v1/cases/{number}"));
    assert_eq!(shown["escalated_past_level"], true, "{shown}");
}

/// The text of every worksheet of a workbook.
fn sheets_text(bytes: Vec<u8>) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("name").into_owned();
        if name.starts_with("xl/worksheets/") || name == "xl/workbook.xml" {
            file.read_to_string(&mut text).expect("xml");
        }
    }
    text
}

#[test]
fn escalations_are_counted_on_the_page_and_in_the_xlsx_for_whom_they_may_be() {
    let app = spawn_app();
    two_letters(&app);
    let mut lead = app.signed_in("chuyenvien");
    let page = lead.get(&escalations(&app, "/complaints/escalations", ""));
    assert_eq!(page.status, 200, "{}", page.body);
    assert_contains(&page.body, "id=\"total-letters\">2<");
    assert_contains(&page.body, "id=\"total-escalated\">1<");
    assert_contains(&page.body, "50,0 %");
    let month = phoihop::clock::today();
    let label = format!("Tháng {:02}/{}", month.month() as u8, month.year());
    assert_contains(&page.body, &label);
    assert_contains(&page.body, "href=\"/complaints/escalations.xlsx?from=");

    // By year, the same letters on one line.
    let by_year = lead.get(&escalations(&app, "/complaints/escalations", "by=year"));
    assert_eq!(by_year.status, 200);
    assert_contains(&by_year.body, &format!("Năm {}", month.year()));
    assert_contains(&by_year.body, "id=\"total-escalated\">1<");

    let response = lead.get(&escalations(&app, "/complaints/escalations.xlsx", ""));
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    let text = sheets_text(lead.get_bytes(&escalations(
        &app,
        "/complaints/escalations.xlsx",
        "by=month",
    )));
    assert_contains(&text, "Đơn vượt cấp");
    assert_contains(&text, "Vượt cấp");
    assert_contains(&text, &label);
    assert_contains(&text, "<v>2</v>");
    assert_contains(&text, "<v>1</v>");
    assert_contains(&text, "<v>50</v>");

    // A collaborator may not count them.
    let mut collaborator = app.signed_in("congtacvien");
    assert_eq!(collaborator.get("/complaints/escalations").status, 403);
    assert_eq!(collaborator.get("/complaints/escalations.xlsx").status, 403);

    // An agency's liaison and leader count the letters their organisation handles.
    let health = org(&app.db(), "SYT");
    let (status, made) = Api::new(&app, "chuyenvien").post(
        "/api/v1/cases",
        &letter(
            health,
            "province",
            "Phản ánh thái độ phục vụ tại trạm y tế",
            json!({"name": "Lê Thị Mai", "phone": "0912345678"}),
        ),
    );
    assert_eq!(status, 201, "{made}");
    let all = lead.get(&escalations(&app, "/complaints/escalations", ""));
    assert_contains(&all.body, "id=\"total-letters\">3<");
    for account in ["daumoi.syt", "lanhdao.syt"] {
        let mut agency = app.signed_in(account);
        let theirs = agency.get(&escalations(&app, "/complaints/escalations", ""));
        assert_eq!(theirs.status, 200, "{account}: {}", theirs.body);
        assert_contains(&theirs.body, "id=\"own-only\"");
        assert_contains(&theirs.body, "id=\"total-letters\">1<");
        assert_contains(&theirs.body, "id=\"total-escalated\">0<");
        let text =
            sheets_text(agency.get_bytes(&escalations(&app, "/complaints/escalations.xlsx", "")));
        assert!(!text.contains("<v>2</v>"), "{account}: {text}");
    }
    let mut unit = app.signed_in("canbo.cdc");
    assert_eq!(unit.get("/complaints/escalations").status, 403);
}

#[test]
fn a_bad_date_is_named_at_its_field_never_a_server_error() {
    let app = spawn_app();
    let mut lead = app.signed_in("chuyenvien");
    let bad = lead.get("/complaints/escalations?from=31%2F02%2F2026&to=h%C3%B4m+nay&by=week");
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_contains(&bad.body, "Ngày bắt đầu không đúng dạng dd/mm/yyyy.");
    assert_contains(&bad.body, "Ngày kết thúc không đúng dạng dd/mm/yyyy.");
    assert_contains(&bad.body, "Chọn cách chia: theo tháng, quý hoặc năm.");
    assert_contains(&bad.body, "value=\"hôm nay\"");
    let backwards = lead.get("/complaints/escalations?from=01%2F12%2F2026&to=01%2F01%2F2026");
    assert_eq!(backwards.status, 422, "{}", backwards.body);
    assert_contains(
        &backwards.body,
        "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
    );
    let field = lead.get("/complaints/escalations?field_id=abc");
    assert_eq!(field.status, 422);
    assert_contains(&field.body, "Chọn lĩnh vực trong danh sách.");
    assert_eq!(
        lead.get("/complaints/escalations.xlsx?from=x").status,
        400,
        "the export of a bad filter is refused, not failed"
    );
}

#[test]
fn an_administrator_changes_a_limit_through_its_form_and_a_specialist_may_not() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let page = admin.get("/admin/complaint-limits");
    assert_eq!(page.status, 200, "{}", page.body);
    assert_contains(&page.body, "Thụ lý đơn khiếu nại");
    assert_contains(&page.body, "Luật Khiếu nại 2011, Điều 27 và 36");
    assert_contains(
        &page.body,
        "action=\"/admin/complaint-limits/complaint_acceptance\"",
    );

    // Wrong input: each problem at its field, what was typed kept.
    let refused = admin.submit(
        "/admin/complaint-limits/complaint_acceptance",
        &[
            ("days", "mười lăm"),
            ("counting", "working"),
            ("basis", "Quyết định 15/2026/QĐ-UBND"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_contains(&refused.body, "Số ngày là một số nguyên từ 1 đến 365.");
    assert_contains(&refused.body, "value=\"mười lăm\"");
    assert_contains(&refused.body, "value=\"Quyết định 15/2026/QĐ-UBND\"");

    let saved = admin.submit(
        "/admin/complaint-limits/complaint_acceptance",
        &[
            ("days", "15"),
            ("counting", "working"),
            ("basis", "Quyết định 15/2026/QĐ-UBND"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.header("location").expect("redirect").to_owned();
    assert!(
        location.starts_with("/admin/complaint-limits?saved=1"),
        "{location}"
    );
    let after = admin.get(&location);
    assert_contains(&after.body, "Đã lưu.");
    assert_contains(&after.body, "Quyết định 15/2026/QĐ-UBND");
    let limits = app
        .db()
        .read_blocking(phoihop::case::kinds::complaint::limit_settings::load)
        .expect("limits");
    assert_eq!(limits.get("complaint_acceptance").map(|l| l.days), Some(15));

    // The lead body's staff see the limits but have no form, and cannot post one.
    let mut specialist = app.signed_in("chuyenvien");
    let seen = specialist.get("/admin/complaint-limits");
    assert_eq!(seen.status, 200);
    assert_contains(&seen.body, "Quyết định 15/2026/QĐ-UBND");
    assert!(!seen.body.contains("action=\"/admin/complaint-limits/"));
    let posted = specialist.submit(
        "/admin/complaint-limits/complaint_acceptance",
        &[("days", "5"), ("counting", "calendar"), ("basis", "Thử")],
    );
    assert_eq!(posted.status, 403);
    let mut collaborator = app.signed_in("congtacvien");
    assert_eq!(collaborator.get("/admin/complaint-limits").status, 403);
    assert_eq!(
        admin
            .submit(
                "/admin/complaint-limits/no_such_limit",
                &[("days", "5"), ("counting", "calendar"), ("basis", "Thử")],
            )
            .status,
        404
    );
}

/// A list of letters alone shows the kind's own columns (type, level, day received)
/// and names the owning organisation as the kind does; a list of every kind does not.
#[test]
fn a_list_of_letters_shows_their_type_level_and_day_received() {
    let app = spawn_app();
    two_letters(&app);
    let mut lead = app.signed_in("chuyenvien");
    let letters = lead.get("/cases?kind=complaint");
    assert_eq!(letters.status, 200);
    for header in [
        "Loại đơn",
        "Cấp giải quyết",
        "Ngày nhận đơn",
        "Nơi tiếp nhận đơn",
    ] {
        assert_contains(&letters.body, &format!("<th>{header}</th>"));
    }
    // The newest line is the province's letter of the test.
    let first_line = letters
        .body
        .split("<tr")
        .find(|row| row.contains("/cases/DT-"))
        .expect("a line");
    assert!(
        first_line.contains("Khiếu nại") && first_line.contains("Cấp tỉnh"),
        "{first_line}"
    );
    let workbook = sheets_text(lead.get_bytes("/cases/export.xlsx?kind=complaint"));
    for cell in [
        "Loại đơn",
        "Cấp giải quyết",
        "Ngày nhận đơn",
        "Cấp tỉnh",
        "Khiếu nại",
        "Nơi tiếp nhận đơn",
    ] {
        assert!(workbook.contains(cell), "the workbook lacks {cell}");
    }
    let all = lead.get("/cases");
    assert!(!all.body.contains("<th>Loại đơn</th>"));
    assert_contains(&all.body, "<th>Cơ quan</th>");
    // In English too.
    lead.get("/lang?to=en&next=/");
    let english = lead.get("/cases?kind=complaint");
    assert_contains(&english.body, "<th>Type of letter</th>");
    assert_contains(&english.body, "<th>Where the letter was received</th>");
}
