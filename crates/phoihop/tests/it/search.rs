//! Search through the API and the page: spellings and encodings, permissions in results
//! and counts, the outbox feeding every node's index, reindexing, bad input.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

/// `text` for a query string.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn search(api: &mut Api<'_>, query: &str) -> (u16, Value) {
    api.get(&format!("/api/v1/search?q={}", encode(query)))
}

pub(crate) fn numbers(found: &Value) -> Vec<String> {
    found["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|h| h["case_number"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until `query` finds case `number` (the index applies changes within a second).
pub(crate) fn wait_found(api: &mut Api<'_>, query: &str, number: &str) -> Value {
    let mut last = Value::Null;
    wait_until(Duration::from_secs(10), || {
        let (status, found) = search(api, query);
        last = found;
        status == 200 && numbers(&last).iter().any(|n| n == number)
    });
    last
}

pub(crate) fn open_case(api: &mut Api<'_>, title: &str, body: &str) -> String {
    let (status, created) = api.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": title, "body": body}),
    );
    assert_eq!(status, 201, "{created}");
    created["number"].as_str().expect("number").to_owned()
}

#[test]
fn the_demo_case_is_found_however_it_is_typed() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut api = Api::new(&app, "chuyenvien");
    let ia_chim = app
        .db()
        .read_blocking(|c| {
            c.scalar::<String>(
                "SELECT number FROM cases WHERE title = 'Tranh chấp đất đai ở xã Ia Chim'",
                &[],
            )
        })
        .expect("the demo case");
    let nfd = "đa\u{0302}\u{0301}t đai";
    for query in [
        "dat dai",
        "ĐẤT ĐAI",
        nfd,
        "\"đất đai\"",
        "tranh chap dat dai Ia Chim",
    ] {
        let found = wait_found(&mut api, query, &ia_chim);
        let hit = found["results"]
            .as_array()
            .and_then(|r| r.iter().find(|h| h["case_number"] == ia_chim.as_str()))
            .cloned()
            .expect("the case");
        assert!(
            hit["title_html"]
                .as_str()
                .is_some_and(|t| t.contains("đất đai</mark>")),
            "{query}: {hit}"
        );
    }
    // Its number finds it first.
    let (status, found) = search(&mut api, &ia_chim.to_lowercase());
    assert_eq!(status, 200);
    assert_eq!(numbers(&found).first(), Some(&ia_chim), "{found}");
    // The demo's bodies write "Tỉnh uỷ"; the other placement finds them too.
    let (status, found) = search(&mut api, "Tỉnh ủy");
    assert_eq!(status, 200);
    assert!(found["total"].as_u64().unwrap_or(0) > 0, "{found}");
    // The page shows the same, the query kept in the box.
    let mut page = app.signed_in("chuyenvien");
    let shown = page.get("/search?q=dat+dai");
    assert_eq!(shown.status, 200);
    assert_contains(&shown.body, "value=\"dat dai\"");
    assert_contains(&shown.body, &ia_chim);
    assert_contains(&shown.body, "<mark>đất đai</mark>");
}

#[test]
fn both_tone_placements_find_each_other_and_changes_arrive_within_seconds() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut api = Api::new(&app, "daumoi.syt");
    let old_style = open_case(
        &mut api,
        "Phản ánh về Tỉnh uỷ khoá mới",
        "Bài viết xuyên tạc.",
    );
    let new_style = open_case(
        &mut api,
        "Phản ánh về Tỉnh ủy khóa mới",
        "Bài viết xuyên tạc.",
    );
    let mut lead = Api::new(&app, "chuyenvien");
    // Both reach the index within a second or so, each in its own outbox row.
    wait_found(&mut lead, "khóa mới", &new_style);
    for query in ["Tỉnh ủy khóa", "Tỉnh uỷ khoá", "tinh uy khoa"] {
        let found = wait_found(&mut lead, query, &old_style);
        assert!(numbers(&found).contains(&new_style), "{query}: {found}");
    }
    // A note added later is found too.
    let version = lead.version(&old_style);
    let (status, acted) = lead.act(
        &old_style,
        json!({"action": "comment", "version": version, "note": "Đã chuyển Công an tỉnh xác minh nguồn tin Zalo"}),
    );
    assert_eq!(status, 200, "{acted}");
    wait_found(&mut lead, "nguồn tin zalo", &old_style);
}

#[test]
fn an_agency_sees_only_its_own_in_results_and_counts() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut lead = Api::new(&app, "chuyenvien");
    let mut agency = Api::new(&app, "daumoi.syt");
    let private = open_case(
        &mut Api::new(&app, "daumoi.sgddt"),
        "Vụ việc riêng của ngành giáo dục xyzzyq",
        "Chỉ ngành giáo dục biết xyzzyq.",
    );
    wait_found(&mut lead, "xyzzyq", &private);
    let (status, found) = search(&mut agency, "xyzzyq");
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["total"], 0, "{found}");
    assert!(numbers(&found).is_empty());
    // Everything it does get, it may open; its count is its own share of the lead's.
    let (_, mine) = search(&mut agency, "tuyên truyền");
    let (_, all) = search(&mut lead, "tuyên truyền");
    assert!(
        mine["total"].as_u64() < all["total"].as_u64(),
        "{mine} / {all}"
    );
    for number in numbers(&mine) {
        let (status, _) = agency.get(&format!("/api/v1/cases/{number}"));
        assert_eq!(status, 200, "{number} was shown to the agency");
    }
    let facet_total: u64 = mine["facets"]["kind"]
        .as_array()
        .map(|k| k.iter().filter_map(|v| v["count"].as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(Some(facet_total), mine["total"].as_u64(), "{mine}");
}

#[test]
fn bad_queries_get_answers_not_errors() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut api = Api::new(&app, "chuyenvien");
    for query in ["", "   ", "!!! ??? ()", "\"\"", "AND OR NOT *"] {
        let (status, found) = search(&mut api, query);
        // "AND OR NOT" are words here, not operators: they may simply find nothing.
        assert!(
            status == 422 || status == 200,
            "{query:?}: {status} {found}"
        );
        if status == 422 {
            assert_eq!(found["error"]["code"], "empty_query", "{found}");
        }
    }
    let long = "đất đai ".repeat(1_300);
    let (status, found) = search(&mut api, &long);
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["shortened"], true);
    for query in [
        "\"đất đai",
        "đất\" đai\"\"\"",
        "NEAR(đất đai)",
        "title:đất",
        "-đất +đai",
    ] {
        let (status, found) = search(&mut api, query);
        assert_eq!(status, 200, "{query:?}: {found}");
    }
    // Invalid UTF-8 in the query string.
    let mut client = app.client();
    let raw = client.get_with(
        "/api/v1/search?q=%FF%FE%C3",
        &[("Authorization", &format!("Bearer {}", api.token))],
    );
    assert!(raw.status == 200 || raw.status == 422, "{}", raw.body);
    let mut page = app.signed_in("chuyenvien");
    for path in [
        "/search",
        "/search?q=",
        "/search?q=%22%22%22&page=abc&year=x",
        "/search?q=%FF",
    ] {
        assert_eq!(page.get(path).status, 200, "{path}");
    }
    let empty = page.get("/search?q=%21%21");
    assert_contains(&empty.body, "id=\"search-empty-query\"");
}

#[test]
fn reindexing_rebuilds_while_search_keeps_answering() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut api = Api::new(&app, "chuyenvien");
    let number = open_case(
        &mut Api::new(&app, "daumoi.syt"),
        "Sạt lở bờ sông Pô Kô",
        "",
    );
    wait_found(&mut api, "sat lo", &number);
    let search_dir = app.dir.join("search");
    let generation = |n: u32| search_dir.join(format!("index-{n}.sqlite")).exists();
    assert!(generation(1));
    let mut reindex = std::process::Command::new(env!("CARGO_BIN_EXE_phoihop"));
    reindex.args(["reindex", "--data"]).arg(&app.dir).args(
        app.config
            .database_url
            .iter()
            .flat_map(|u| ["--database-url", u.as_str()]),
    );
    let output = reindex.output().expect("run phoihop reindex");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("rebuild"));
    // Searching while it rebuilds: always an answer.
    let mut answered = 0;
    wait_until(Duration::from_secs(20), || {
        let (status, found) = search(&mut api, "sat lo");
        assert_eq!(status, 200, "{found}");
        answered += 1;
        generation(2) && !generation(1)
    });
    assert!(answered > 0);
    wait_found(&mut api, "sạt lở", &number);
}

#[test]
fn two_nodes_each_find_what_the_other_changed() {
    let first = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let second = spawn_app_with(Setup {
        demo: true,
        reuse: Some((first.dir.clone(), first.config.database_url.clone())),
        ..Setup::default()
    });
    let made_on_first = open_case(
        &mut Api::new(&first, "daumoi.syt"),
        "Cháy rừng phòng hộ Đăk Hà",
        "",
    );
    let made_on_second = open_case(
        &mut Api::new(&second, "daumoi.syt"),
        "Ngộ độc rượu tại Kon Plông",
        "",
    );
    wait_found(
        &mut Api::new(&second, "chuyenvien"),
        "chay rung",
        &made_on_first,
    );
    wait_found(
        &mut Api::new(&first, "chuyenvien"),
        "ngo doc ruou",
        &made_on_second,
    );
}

#[test]
fn a_tcvn3_text_file_is_found_in_unicode() {
    let app = spawn_app_with(Setup {
        demo: true,
        ..Setup::default()
    });
    let mut agency = Api::new(&app, "daumoi.syt");
    let number = open_case(&mut agency, "Văn bản cũ cần lưu", "");
    // "Uỷ ban nhân dân tỉnh Ngọc Sơn" as a TCVN3 (ABC) editor saved it.
    let unicode = "Uỷ ban nhân dân tỉnh Ngọc Sơn thông báo";
    let bytes = tcvn3(unicode);
    assert!(std::str::from_utf8(&bytes).is_err(), "really 8-bit");
    let (status, uploaded) =
        api_upload(&mut agency.client, &agency.token, &number, "cu.txt", &bytes);
    assert_eq!(status, 201, "{uploaded}");
    let mut lead = Api::new(&app, "chuyenvien");
    let found = wait_found(&mut lead, "ủy ban nhân dân", &number);
    let snippet = found["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["source"] == "attachment")
        .and_then(|h| h["snippet"].as_str())
        .unwrap_or("")
        .to_owned();
    assert!(snippet.contains("Uỷ ban nhân dân tỉnh Ngọc Sơn"), "{found}");
}

/// `text` in TCVN3, byte by byte, from vntext's own decoder table run backwards.
fn tcvn3(text: &str) -> Vec<u8> {
    let table: Vec<(u8, String)> = (0u8..=255)
        .map(|b| {
            (
                b,
                vntext::legacy::decode(&[b], vntext::legacy::Legacy::Tcvn3),
            )
        })
        .collect();
    text.chars()
        .map(|c| {
            table
                .iter()
                .find(|(_, s)| s.chars().eq(std::iter::once(c)))
                .map(|(b, _)| *b)
                .unwrap_or_else(|| panic!("{c} has no TCVN3 byte"))
        })
        .collect()
}
