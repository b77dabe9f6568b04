//! Search as a reader expects it, through `GET /api/v1/search`: diacritics typed rank
//! first, invisible characters vanish in documents and queries alike.

use serde_json::Value;

use crate::search::{numbers, open_case, search, wait_found};
use crate::support::*;

fn position(found: &Value, number: &str) -> Option<usize> {
    numbers(found).iter().position(|n| n == number)
}

#[test]
fn a_case_titled_with_the_spelling_typed_ranks_above_a_newer_near_homograph() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut agency = Api::new(&app, "daumoi.syt");
    let selling = open_case(
        &mut agency,
        "Bán hàng rong lấn chiếm vỉa hè",
        "Hộ kinh doanh bày bán hàng rong trên vỉa hè trước chợ.",
    );
    let counter = open_case(
        &mut agency,
        "Sắp xếp lại bàn hàng ở chợ trung tâm",
        "Tiểu thương bán rau được bố trí bàn hàng mới.",
    );
    let wages = open_case(&mut agency, "Chậm trả tiền lương giáo viên hợp đồng", "");
    let name = open_case(
        &mut agency,
        "Hồ sơ ông Tiến, lương y xã Ia Chim",
        "Đề nghị công nhận lương y.",
    );
    let mut lead = Api::new(&app, "chuyenvien");
    wait_found(&mut lead, "ban hang", &counter);
    wait_found(&mut lead, "tien luong", &name);
    for (query, typed, other) in [
        ("bán hàng", &selling, &counter),
        ("BÁN HÀNG", &selling, &counter),
        ("bàn hàng", &counter, &selling),
        ("tiền lương", &wages, &name),
    ] {
        let (status, found) = search(&mut lead, query);
        assert_eq!(status, 200, "{found}");
        let (a, b) = (position(&found, typed), position(&found, other));
        assert!(a.is_some() && b.is_some() && a < b, "{query}: {found}");
        let first = &found["results"][a.unwrap_or(0)];
        assert_eq!(first["match"], "exact_title", "{query}: {first}");
    }
    // Typed without diacritics, the newer comes first as before: nothing says which
    // was meant, and both titles say it equally.
    let (_, found) = search(&mut lead, "ban hang");
    assert!(
        position(&found, &counter) < position(&found, &selling),
        "{found}"
    );
}

#[test]
fn invisible_characters_vanish_in_queries_and_documents() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut agency = Api::new(&app, "daumoi.syt");
    let healer = open_case(
        &mut agency,
        "Khen thưởng lương y Đinh Văn Thơm",
        "Lương y chữa bệnh miễn phí cho đồng bào.",
    );
    // Copied from a web page: a soft hyphen where a space was, a zero-width space and
    // a word joiner inside words.
    let copied = open_case(
        &mut agency,
        "Mất trộm bò ở làng Plei\u{200B}Kần",
        "Bà Y Blúp phản\u{00AD}ánh mất trộm hai con b\u{2060}ò trong đêm.",
    );
    let mut lead = Api::new(&app, "chuyenvien");
    wait_found(&mut lead, "lương y", &healer);
    for query in ["phản ánh mất trộm", "phan anh mat trom", "hai con bò"] {
        wait_found(&mut lead, query, &copied);
    }
    // A query with a zero-width space (or any other) inside a word finds exactly what
    // the same query without it finds.
    let (status, plain) = search(&mut lead, "lương y");
    assert_eq!(status, 200, "{plain}");
    assert!(numbers(&plain).contains(&healer));
    for invisible in [
        '\u{200B}', '\u{00AD}', '\u{2060}', '\u{200C}', '\u{200D}', '\u{FEFF}',
    ] {
        let query = format!("l{invisible}ương y");
        let (status, found) = search(&mut lead, &query);
        assert_eq!(status, 200, "{query:?}: {found}");
        assert_eq!(numbers(&found), numbers(&plain), "{query:?}");
        assert_eq!(found["total"], plain["total"], "{query:?}");
    }
}

#[test]
fn a_query_of_invisible_characters_only_is_an_empty_query() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut api = Api::new(&app, "chuyenvien");
    for query in [
        "\u{200B}",
        "\u{00AD}\u{FEFF} \u{2060}",
        "\u{200C}\u{200D}",
        "\"\u{200B}\"",
    ] {
        let (status, found) = search(&mut api, query);
        assert_eq!(status, 422, "{query:?}: {found}");
        assert_eq!(found["error"]["code"], "empty_query", "{found}");
        assert_eq!(
            found["error"]["message"],
            "Câu tìm kiếm không có chữ hay số nào để tìm (tham số q).",
        );
    }
    // The page says so too, and keeps what was typed in the box.
    let mut page = app.signed_in("chuyenvien");
    let shown = page.get("/search?q=%E2%80%8B");
    assert_eq!(shown.status, 200);
    assert_contains(&shown.body, "id=\"search-empty-query\"");
    assert_contains(&shown.body, "value=\"\u{200B}\"");
}
