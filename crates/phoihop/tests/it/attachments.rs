//! Attachments on cases: uploading from the case page and through the API, listing,
//! downloading by those who see the case (404 for others), and the refusals: too
//! large, disguised, classified, each leaving nothing behind.

use std::io::{Cursor, Write};

use serde_json::Value;

use crate::support::*;

/// A DOCX whose body has one paragraph per line of `paragraphs`.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    word(&body)
}

/// A DOCX whose body is `body` (WordprocessingML paragraphs).
fn word(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        ),
        ("word/document.xml", document.as_str()),
    ] {
        out.start_file(name, options).expect("part");
        out.write_all(content.as_bytes()).expect("write");
    }
    out.finish().expect("zip").into_inner()
}

/// A one-page PDF showing `lines` with the text operators, its content deflated.
fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 72 800 Td 14 TL\n");
    for line in lines {
        content.push_str(&format!("({line}) Tj T*\n"));
    }
    content.push_str("ET");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(content.as_bytes()).expect("deflate");
    let data = z.finish().expect("deflate");
    let mut out = b"%PDF-1.4\n".to_vec();
    out.extend_from_slice(b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    out.extend_from_slice(b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    out.extend_from_slice(b"3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
    out.extend_from_slice(
        format!(
            "4 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n",
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    out.extend_from_slice(
        b"5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n",
    );
    out.extend_from_slice(b"trailer << /Root 1 0 R >>\n%%EOF\n");
    out
}

fn open_incident(client: &mut Client, title: &str) -> String {
    let created = client.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", title),
            ("body", "Chi tiết."),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    created
        .header("location")
        .expect("to the case")
        .trim_start_matches("/cases/")
        .to_owned()
}

/// GET returning the body as bytes (downloads are binary).
fn fetch(
    app: &TestApp,
    client: &Client,
    path: &str,
    auth: Option<&str>,
) -> (u16, Response, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let cookies: Vec<String> = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut request = agent
        .get(&format!("{}{path}", app.base))
        .header("Cookie", &cookies.join("; "));
    if let Some(token) = auth {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request.call().expect("GET");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let bytes = response.body_mut().read_to_vec().expect("body");
    (
        status,
        Response {
            status,
            headers,
            body: String::new(),
        },
        bytes,
    )
}

/// Attachment rows besides the demo's own (its conclusion reports).
fn count_rows(app: &TestApp) -> i64 {
    app.db()
        .read_blocking(|c| {
            c.scalar::<i64>(
                "SELECT COUNT(*) FROM attachments WHERE file_name <> 'bao-cao-ket-qua.txt'",
                &[],
            )
        })
        .expect("count")
}

/// Stored files besides the demo's own.
fn stored_files(app: &TestApp) -> usize {
    let demo: i64 = app
        .db()
        .read_blocking(|c| {
            c.scalar(
                "SELECT COUNT(DISTINCT sha256) FROM attachments WHERE file_name = 'bao-cao-ket-qua.txt'",
                &[],
            )
        })
        .expect("count");
    all_stored_files(app) - usize::try_from(demo).unwrap_or(0)
}

/// The files in the installation's store (the data folder's `files/`, or the database).
fn all_stored_files(app: &TestApp) -> usize {
    let db = app.db();
    phoihop::attachment::FileStore::new(&app.dir, db.backend())
        .names(&db)
        .expect("list the store")
        .len()
}

fn attachment_ids(page: &str) -> Vec<i64> {
    page.match_indices("href=\"/attachments/")
        .filter_map(|(i, m)| {
            let digits: String = page[i + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn files_are_attached_listed_and_served_only_to_those_who_see_the_case() {
    let app = spawn_app();
    let mut agency = app.signed_in("daumoi.syt");
    let number = open_incident(&mut agency, "Dịch sốt xuất huyết tại xã Ia Chim");
    let text = "Báo cáo nhanh\nSố ca mắc: 12\nMật độ muỗi cao.".as_bytes();
    let sent = agency.upload(
        &format!("/cases/{number}/attachments"),
        "file",
        "bao-cao.txt",
        text,
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(
        sent.header("location"),
        Some(format!("/cases/{number}#attachments").as_str())
    );
    let plan = docx(&[
        "KẾ HOẠCH TUYÊN TRUYỀN",
        "Phòng chống sốt xuất huyết &amp; vệ sinh môi trường",
    ]);
    let sent = agency.upload(
        &format!("/cases/{number}/attachments"),
        "file",
        "Kế hoạch.docx",
        &plan,
    );
    assert_eq!(sent.status, 303, "{}", sent.body);

    let page = agency.get(&format!("/cases/{number}"));
    assert_contains(&page.body, "id=\"attachment-list\"");
    assert_contains(&page.body, "bao-cao.txt");
    assert_contains(&page.body, "Kế hoạch.docx");
    assert_contains(&page.body, "Đính kèm tệp");
    let ids = attachment_ids(&page.body);
    assert_eq!(ids.len(), 2, "{ids:?}");

    let (status, response, bytes) = fetch(&app, &agency, &format!("/attachments/{}", ids[0]), None);
    assert_eq!(status, 200);
    assert_eq!(bytes, text);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        response.header("content-disposition"),
        Some("attachment; filename=\"bao-cao.txt\"; filename*=UTF-8''bao-cao.txt")
    );
    let (status, response, bytes) = fetch(&app, &agency, &format!("/attachments/{}", ids[1]), None);
    assert_eq!(status, 200);
    assert_eq!(bytes, plan, "the DOCX comes back byte for byte");
    assert!(
        response
            .header("content-type")
            .is_some_and(|t| t.ends_with("wordprocessingml.document")),
        "{:?}",
        response.headers
    );
    assert_contains(
        response.header("content-disposition").unwrap_or(""),
        "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch.docx",
    );

    // The text is kept for search; the bytes live under their hash.
    let texts: Vec<String> = app
        .db()
        .read_blocking(|c| -> Result<_, phoihop::db::DbError> {
            c.query("SELECT text_content FROM attachments WHERE file_name <> 'bao-cao-ket-qua.txt' ORDER BY id", &[])?
                .iter()
                .map(|r| r.get(0))
                .collect()
        })
        .expect("texts");
    assert_eq!(texts[0], "Báo cáo nhanh\nSố ca mắc: 12\nMật độ muỗi cao.");
    assert_eq!(
        texts[1],
        "KẾ HOẠCH TUYÊN TRUYỀN\nPhòng chống sốt xuất huyết & vệ sinh môi trường"
    );
    assert_eq!(stored_files(&app), 2);

    // The lead body sees every case; another agency sees nothing of this one.
    let specialist = app.signed_in("chuyenvien");
    assert_eq!(
        fetch(&app, &specialist, &format!("/attachments/{}", ids[1]), None).0,
        200
    );
    let mut other = app.signed_in("daumoi.sgddt");
    assert_eq!(
        fetch(&app, &other, &format!("/attachments/{}", ids[0]), None).0,
        404
    );
    assert_eq!(other.get(&format!("/cases/{number}")).status, 404);
    let sneaked = other.upload(
        &format!("/cases/{number}/attachments"),
        "file",
        "x.txt",
        b"xin chao",
    );
    assert_eq!(sneaked.status, 404);
    assert_eq!(
        fetch(&app, &other, "/attachments/not-a-number", None).0,
        404
    );
    assert_eq!(count_rows(&app), 2);
}

#[test]
fn oversize_disguised_and_classified_files_are_refused_and_nothing_is_stored() {
    let app = spawn_app_with(Setup {
        attachment_max_bytes: Some(2048),
        ..Setup::default()
    });
    let mut agency = app.signed_in("daumoi.syt");
    let number = open_incident(&mut agency, "Tin đồn thất thiệt về vắc xin");
    let path = format!("/cases/{number}/attachments");

    let big = "a".repeat(4096);
    let refused = agency.upload(&path, "file", "lon.txt", big.as_bytes());
    assert_eq!(refused.status, 413);
    assert_contains(&refused.body, "id=\"case-problem\"");
    assert_contains(&refused.body, "Tệp quá lớn");

    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0This program cannot be run in DOS mode.";
    let refused = agency.upload(&path, "file", "cong-van.pdf", exe);
    assert_eq!(refused.status, 415);
    assert_contains(&refused.body, "Loại tệp này không được phép");

    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    archive
        .start_file("run.bat", zip::write::SimpleFileOptions::default())
        .expect("part");
    archive.write_all(b"echo hi").expect("write");
    let plain_zip = archive.finish().expect("zip").into_inner();
    let refused = agency.upload(&path, "file", "bao-cao.docx", &plain_zip);
    assert_eq!(refused.status, 415);
    assert_contains(&refused.body, "không phải văn bản Word");

    let stamped = docx(&[
        "UBND TỈNH NGỌC SƠN",
        "TỐI MẬT",
        "BÁO CÁO",
        "Về tình hình an ninh",
    ]);
    let refused = agency.upload(&path, "file", "bao-cao.docx", &stamped);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_contains(
        &refused.body,
        "Tài liệu mật tuyệt đối không được xử lý trên hệ thống có kết nối mạng",
    );

    let refused = agency.upload(&path, "file", "trong.txt", b"");
    assert_eq!(refused.status, 422);

    assert_eq!(count_rows(&app), 0, "no row for any refused file");
    assert_eq!(stored_files(&app), 0, "no file for any refused file");
    let page = agency.get(&format!("/cases/{number}"));
    assert_contains(&page.body, "Chưa có tệp đính kèm.");

    // The same words in ordinary use are not a stamp.
    let ordinary = docx(&[
        "MẬT ĐỘ DÂN SỐ",
        "Không chia sẻ mật khẩu; giữ bí mật thông tin người bệnh.",
    ]);
    let sent = agency.upload(&path, "file", "mat-do.docx", &ordinary);
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!((count_rows(&app), stored_files(&app)), (1, 1));
}

#[test]
fn the_api_takes_uploads_with_a_bearer_token() {
    let app = spawn_app();
    let agency_token = token(&app, "daumoi.syt");
    let mut client = app.client();
    let created = client.post_raw(
        "/api/v1/cases",
        "application/json",
        r#"{"kind": "incident", "title": "Sạt lở đất ở thôn Đăk Ring"}"#.as_bytes(),
        &[("Authorization", &format!("Bearer {agency_token}"))],
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let number = serde_json::from_str::<Value>(&created.body).expect("json")["number"]
        .as_str()
        .expect("number")
        .to_owned();

    let report = pdf(&["Bao cao hien truong", "Khong co thuong vong"]);
    let (status, body) = api_upload(
        &mut client,
        &agency_token,
        &number,
        "hien-truong.pdf",
        &report,
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["attachment"]["mime"], "application/pdf");
    let id = body["attachment"]["id"].as_i64().expect("id");
    let text: String = app
        .db()
        .read_blocking(|c| {
            c.scalar(
                "SELECT text_content FROM attachments WHERE id = $1",
                phoihop::params![id],
            )
        })
        .expect("text");
    assert_eq!(
        text, "Bao cao hien truong\nKhong co thuong vong",
        "text of the PDF kept"
    );

    let (status, body) = api_upload(
        &mut client,
        &agency_token,
        &number,
        "mat.pdf",
        &pdf(&["TUYET MAT", "Bao cao"]),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("classified")),
        "{body}"
    );
    let (status, body) = api_upload(
        &mut client,
        &agency_token,
        &number,
        "x.pdf",
        b"MZ\0\0binary",
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (415, Some("type_not_allowed")),
        "{body}"
    );

    let listed = client.get_with(
        &format!("/api/v1/cases/{number}/attachments"),
        &[("Authorization", &format!("Bearer {agency_token}"))],
    );
    let listed: Value = serde_json::from_str(&listed.body).expect("json");
    assert_eq!(
        listed["attachments"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    let (status, _, bytes) = fetch(
        &app,
        &client,
        &format!("/api/v1/attachments/{id}"),
        Some(&agency_token),
    );
    assert_eq!((status, bytes), (200, report));

    let other_token = token(&app, "daumoi.sgddt");
    let (status, body) = api_upload(&mut client, &other_token, &number, "a.txt", b"xin chao");
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    assert_eq!(
        fetch(
            &app,
            &client,
            &format!("/api/v1/attachments/{id}"),
            Some(&other_token)
        )
        .0,
        404
    );
    let anonymous = app.client().post_raw(
        &format!("/api/v1/cases/{number}/attachments"),
        "multipart/form-data; boundary=x",
        b"--x--\r\n",
        &[],
    );
    assert_eq!(anonymous.status, 401);
    assert_eq!(count_rows(&app), 1);
}

#[test]
fn withdrawing_a_file_is_an_event_and_the_file_is_kept() {
    let app = spawn_app();
    let mut agency = app.signed_in("daumoi.syt");
    let created = agency.submit(
        "/cases/new",
        &[
            ("kind", "incident"),
            ("title", "Sự cố rò rỉ hoá chất tại phường Duy Tân"),
        ],
    );
    let number = created
        .header("location")
        .expect("case")
        .trim_start_matches("/cases/")
        .to_owned();
    let sent = agency.upload(
        &format!("/cases/{number}/attachments"),
        "file",
        "nham.txt",
        "Tệp gửi nhầm.".as_bytes(),
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let page = agency.get(&format!("/cases/{number}"));
    let id = first_id(&page.body, "/attachments/");
    let mut other = app.signed_in("daumoi.sgddt");
    assert_eq!(
        other
            .submit(&format!("/attachments/{id}/withdraw"), &[])
            .status,
        404,
        "another agency cannot"
    );
    let withdrawn = agency.submit(&format!("/attachments/{id}/withdraw"), &[]);
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    let page = agency.get(&format!("/cases/{number}"));
    assert!(
        !page.body.contains("nham.txt</a>"),
        "the file left the list"
    );
    assert_contains(&page.body, "Rút tệp đính kèm");
    let kept: i64 = app
        .db()
        .read_blocking(|c| {
            c.scalar(
                "SELECT COUNT(*) FROM attachments WHERE id = $1 AND withdrawn_at IS NOT NULL",
                phoihop::params![id],
            )
        })
        .expect("count");
    assert_eq!(kept, 1, "the row stays, marked withdrawn");
    assert_eq!(
        agency
            .submit(&format!("/attachments/{id}/withdraw"), &[])
            .status,
        404,
        "withdrawn once"
    );
}

/// "Uỷ ban nhân dân tỉnh Kon Tum\r\nBáo cáo tình hình dư luận xã hội" as
/// `iconv -f UTF-8 -t TCVN5712-1` writes it: a text file typed in TCVN3 (ABC).
const TCVN3_FILE: &[u8] =
    b"U\xfb ban nh\xa9n d\xa9n t\xd8nh Kon Tum\r\nB\xb8o c\xb8o t\xd7nh h\xd7nh d\xad lu\xcbn x\xb7 h\xe9i";

/// A DOCX whose one run is set in `.VnTime` and holds `text`.
fn vntime_docx(text: &str) -> Vec<u8> {
    word(&format!(
        "<w:p><w:r><w:rPr><w:rFonts w:ascii=\".VnTime\" w:hAnsi=\".VnTime\"/></w:rPr><w:t>{text}</w:t></w:r></w:p>"
    ))
}

/// Bytes as Word keeps a legacy font's: one character U+0000–U+00FF each.
fn as_word_keeps(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[test]
fn files_typed_in_legacy_encodings_are_stored_as_sent_and_read_in_unicode() {
    let app = spawn_app();
    let agency_token = token(&app, "daumoi.syt");
    let mut agency = app.signed_in("daumoi.syt");
    let number = open_incident(&mut agency, "Phản ánh của cử tri về ô nhiễm môi trường");
    let text_of = |id: i64| -> String {
        app.db()
            .read_blocking(|c| {
                c.scalar(
                    "SELECT text_content FROM attachments WHERE id = $1",
                    phoihop::params![id],
                )
            })
            .expect("text")
    };

    let mut api = app.client();
    let (status, body) = api_upload(&mut api, &agency_token, &number, "ubnd.txt", TCVN3_FILE);
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["attachment"]["encoding_note"],
        "Đã chuyển từ bảng mã TCVN3 (ABC) sang Unicode."
    );
    assert_eq!(body["attachment"]["mime"], "text/plain");
    let id = body["attachment"]["id"].as_i64().expect("id");
    let text = text_of(id);
    assert_eq!(
        text,
        "Uỷ ban nhân dân tỉnh Kon Tum\nBáo cáo tình hình dư luận xã hội"
    );
    assert_eq!(vntext::normalize(&text), text, "NFC");
    assert!(vntext::canonical(&text).contains(&vntext::canonical("ủy ban nhân dân")));
    let (status, response, bytes) = fetch(
        &app,
        &api,
        &format!("/api/v1/attachments/{id}"),
        Some(&agency_token),
    );
    assert_eq!(
        (status, bytes.as_slice()),
        (200, TCVN3_FILE),
        "the file as sent"
    );
    assert_eq!(response.header("content-type"), Some("text/plain"));

    // The same words in a .VnTime run of a DOCX, uploaded from the case page.
    let typed = vntime_docx(&as_word_keeps(&TCVN3_FILE[..20]));
    let sent = agency.upload(
        &format!("/cases/{number}/attachments"),
        "file",
        "ubnd.docx",
        &typed,
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let page = agency.get(&format!("/cases/{number}"));
    let ids = attachment_ids(&page.body);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(text_of(ids[1]), "Uỷ ban nhân dân tỉnh");
    assert_contains(&page.body, "Đã chuyển từ bảng mã TCVN3 (ABC) sang Unicode.");
    let (_, _, bytes) = fetch(&app, &agency, &format!("/attachments/{}", ids[1]), None);
    assert_eq!(bytes, typed, "the DOCX as sent");

    // Unicode text in a .VnTime run stays as it is; garbage is read approximately.
    let (status, body) = api_upload(
        &mut api,
        &agency_token,
        &number,
        "unicode.docx",
        &vntime_docx("Ủy ban nhân dân và"),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["attachment"]["encoding_note"], Value::Null);
    let id = body["attachment"]["id"].as_i64().expect("id");
    assert_eq!(text_of(id), "Ủy ban nhân dân và");
    let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 223 + 33) as u8).collect();
    let (status, body) = api_upload(&mut api, &agency_token, &number, "rac.txt", &garbage);
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["attachment"]["encoding_note"],
        "Tệp văn bản không ở mã UTF-8; nội dung chữ được đọc gần đúng."
    );
}

/// A file larger than the pieces a download is read in (a quarter of a MiB from the
/// folder store, a MiB from the database) arrives whole, its size announced up front.
#[test]
fn a_large_file_downloads_whole_read_in_pieces() {
    let app = spawn_app();
    let mut agency = Api::new(&app, "daumoi.syt");
    let (status, created) = agency.post(
        "/api/v1/cases",
        &serde_json::json!({"kind": "incident", "title": "Tài liệu dài về dịch sởi"}),
    );
    assert_eq!(status, 201, "{created}");
    let number = created["number"].as_str().expect("number").to_owned();
    let mut bytes = "Báo cáo tổng hợp\n".as_bytes().to_vec();
    bytes.extend((0..(2 * 1024 * 1024 + 12_345)).map(|i| b"tin tuc 0123456789\n"[i % 19]));
    let token = agency.token.clone();
    let (status, uploaded) = api_upload(&mut agency.client, &token, &number, "dai.txt", &bytes);
    assert_eq!(status, 201, "{uploaded}");
    let id = uploaded["attachment"]["id"].as_i64().expect("id");

    let mut lead = app.signed_in("chuyenvien");
    let downloaded = lead.get_bytes(&format!("/attachments/{id}"));
    assert_eq!(downloaded.len(), bytes.len());
    assert!(downloaded == bytes, "other bytes came back");
    let response = agency.client.get_with(
        &format!("/api/v1/attachments/{id}"),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-length"),
        Some(bytes.len().to_string().as_str())
    );
}
