//! Holiday rules as data: the days the migrations ship (the Labour Code 2019 and 24/11
//! from 2026), what an administrator adds and ends on the calendar page, what is
//! refused, and that every node counts with the rules as the database holds them.

use phoihop::calendar::lunar::{self, LunarDate};
use serde_json::Value;
use time::{Date, Month, Weekday};

use crate::support::*;

const API: &str = "/api/v1/calendar/add-working-days";

fn deadline(client: &mut Client, from: &str, days: u32) -> String {
    let response = client.get(&format!("{API}?from={from}&days={days}"));
    assert_eq!(response.status, 200, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).expect("JSON");
    body["date"].as_str().expect("a date").to_owned()
}

fn rule_count(app: &TestApp) -> i64 {
    app.db()
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM holiday_rules", &[]))
        .expect("count")
}

/// The id of the rule named `name`.
fn rule_id(app: &TestApp, name: &str) -> i64 {
    app.db()
        .read_blocking(|c| {
            c.scalar(
                "SELECT id FROM holiday_rules WHERE name = $1",
                phoihop::params![name],
            )
        })
        .expect("the rule")
}

fn audit_count(app: &TestApp) -> i64 {
    app.db()
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM audit_log", &[]))
        .expect("count")
}

#[test]
fn culture_day_2026_is_a_holiday_and_2025_s_is_not() {
    let app = spawn_app();
    let mut anyone = app.client();
    // Tuesday 24/11/2026 is off: one working day after Monday 23 is Wednesday 25.
    assert_eq!(deadline(&mut anyone, "2026-11-23", 1), "2026-11-25");
    // In force from 01/7/2026: Monday 24/11/2025 was worked.
    assert_eq!(deadline(&mut anyone, "2025-11-21", 1), "2025-11-24");
    // Saturday 24/11/2029 is given back on Monday 26.
    assert_eq!(deadline(&mut anyone, "2029-11-23", 1), "2029-11-27");

    let mut admin = app.signed_in("admin");
    let page = admin.get("/admin/calendar?year=2026");
    for text in [
        "Ngày Văn hóa Việt Nam",
        "24/11/2026",
        "Nghỉ bù (Giỗ Tổ Hùng Vương)",
        "Bộ luật Lao động 2019, Điều 112",
        "hiệu lực từ 01/7/2026",
    ] {
        assert_contains(&page.body, text);
    }
    assert!(
        !admin
            .get("/admin/calendar?year=2025")
            .body
            .contains("24/11/2025")
    );
}

/// The days off the calendar gave before the rules were data (Labour Code 2019,
/// art. 112, computed in code), plus 24/11 from 2026: the seeded rules must give these.
fn days_off_before_rules_were_data(year: i32) -> Vec<Date> {
    let solar = |month, day| Date::from_calendar_date(year, month, day).ok();
    let tet = lunar::to_solar(LunarDate::new(1, 1, year));
    let mut days = vec![
        solar(Month::January, 1),
        tet.and_then(Date::previous_day),
        lunar::to_solar(LunarDate::new(10, 3, year)),
        solar(Month::April, 30),
        solar(Month::May, 1),
        solar(Month::September, 1),
        solar(Month::September, 2),
    ];
    let mut day = tet;
    for _ in 0..4 {
        days.push(day);
        day = day.and_then(Date::next_day);
    }
    if year >= 2026 {
        days.push(solar(Month::November, 24));
    }
    let mut days: Vec<Date> = days.into_iter().flatten().collect();
    days.sort();
    days.dedup();
    let weekend = |d: Date| matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
    let mut all = days.clone();
    for holiday in days.iter().filter(|d| weekend(**d)) {
        let mut back = holiday.next_day();
        while let Some(d) = back {
            if !weekend(d) && !all.contains(&d) {
                break;
            }
            back = d.next_day();
        }
        all.extend(back);
    }
    all.sort();
    all
}

#[test]
fn the_seeded_rules_give_the_days_the_code_gave_plus_24_11() {
    let app = spawn_app_with(Setup {
        demo: false,
        ..Setup::default()
    });
    let calendar = app
        .db()
        .read_blocking(phoihop::calendar::load)
        .expect("the calendar");
    let date = |y, m, d| Date::from_calendar_date(y, m, d).expect("a date");
    use Month::*;
    // 2026 written out: the law, Hùng Kings' Sunday given back, and 24/11.
    let known_2026 = [
        date(2026, January, 1),
        date(2026, February, 16),
        date(2026, February, 17),
        date(2026, February, 18),
        date(2026, February, 19),
        date(2026, February, 20),
        date(2026, April, 26),
        date(2026, April, 27),
        date(2026, April, 30),
        date(2026, May, 1),
        date(2026, September, 1),
        date(2026, September, 2),
        date(2026, November, 24),
    ];
    assert_eq!(days_off_before_rules_were_data(2026), known_2026);
    for year in *lunar::YEARS.start()..=*lunar::YEARS.end() {
        let days: Vec<Date> = calendar.holidays_in(year).iter().map(|h| h.date).collect();
        assert_eq!(days, days_off_before_rules_were_data(year), "{year}");
    }
}

fn test_rule<'a>(date: &'a str, from: &'a str, to: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Ngày Thử nghiệm"),
        ("name_en", "Test Day"),
        ("calendar", "solar"),
        ("date", date),
        ("days", "1"),
        ("days_before", "0"),
        ("from_year", from),
        ("to_year", to),
        ("compensatory", "1"),
        ("basis", "Quyết định số 99/QĐ-UBND ngày 01/01/2030"),
        ("year", "2030"),
    ]
}

#[test]
fn an_administrator_adds_a_rule_and_ends_it_with_an_audit_trail() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let mut anyone = app.client();
    // Wednesday 12/06/2030 and Thursday 12/06/2031 are worked today.
    assert_eq!(deadline(&mut anyone, "2030-06-11", 1), "2030-06-12");
    let added = admin.submit("/admin/calendar/rules", &test_rule("12/06", "2030", ""));
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(
        added.header("location"),
        Some("/admin/calendar?year=2030#rules")
    );
    assert_eq!(deadline(&mut anyone, "2030-06-11", 1), "2030-06-13");
    assert_eq!(deadline(&mut anyone, "2031-06-11", 1), "2031-06-13");
    let page = admin.get("/admin/calendar?year=2030");
    assert_contains(&page.body, "12/06/2030");
    assert_contains(&page.body, "Ngày Thử nghiệm");
    assert_contains(&page.body, "Quyết định số 99/QĐ-UBND ngày 01/01/2030");

    // Ended at 2030: 2031's day is worked again, 2030's stays off; the row stays.
    let id = rule_id(&app, "Ngày Thử nghiệm");
    assert_contains(&page.body, &format!("/admin/calendar/rules/{id}/end"));
    let rules = rule_count(&app);
    let ended = admin.submit(
        &format!("/admin/calendar/rules/{id}/end"),
        &[("to_year", "2030"), ("year", "2030")],
    );
    assert_eq!(ended.status, 303, "{}", ended.body);
    assert_eq!(deadline(&mut anyone, "2031-06-11", 1), "2031-06-12");
    assert_eq!(deadline(&mut anyone, "2030-06-11", 1), "2030-06-13");
    assert_eq!(rule_count(&app), rules);
    assert_contains(&admin.get("/admin/calendar?year=2030").body, "2030–2030");

    // Ending it before its first year: added by mistake, it never applied.
    let ended = admin.submit(
        &format!("/admin/calendar/rules/{id}/end"),
        &[("to_year", "2029")],
    );
    assert_eq!(ended.status, 303, "{}", ended.body);
    assert_eq!(deadline(&mut anyone, "2030-06-11", 1), "2030-06-12");
    assert_contains(
        &admin.get("/admin/calendar?year=2030").body,
        "Không áp dụng",
    );

    let audit = admin.get("/admin/audit");
    assert_contains(&audit.body, "Thêm quy tắc ngày nghỉ lễ");
    assert_contains(&audit.body, "Kết thúc quy tắc ngày nghỉ lễ");
    assert_contains(&audit.body, "Ngày Thử nghiệm: năm cuối 2029");

    // Nobody else may.
    let mut liaison = app.signed_in("daumoi.syt");
    let refused = liaison.submit("/admin/calendar/rules", &test_rule("13/06", "2030", ""));
    assert_eq!(refused.status, 403);
    let refused = liaison.submit(
        &format!("/admin/calendar/rules/{id}/end"),
        &[("to_year", "2029")],
    );
    assert_eq!(refused.status, 403);
}

#[test]
fn a_rule_written_by_another_node_is_counted_by_the_next_request() {
    let app = spawn_app();
    let mut anyone = app.client();
    assert_eq!(deadline(&mut anyone, "2030-06-11", 1), "2030-06-12");
    // Another node's change reaches this one only through the database.
    app.db()
        .write_blocking(|c| {
            c.execute(
                "INSERT INTO holiday_rules (name, calendar, month, day, days_before, days,
                     from_year, compensatory, basis, created_at)
                 VALUES ('Ngày khác', 'solar', 6, 12, 0, 1, 2030, 1, 'Thử', 0)",
                &[],
            )
        })
        .expect("insert");
    assert_eq!(deadline(&mut anyone, "2030-06-11", 1), "2030-06-13");
}

#[test]
fn bad_rules_are_refused_with_what_was_typed_and_nothing_changed() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let (rules, audit) = (rule_count(&app), audit_count(&app));
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut fields = test_rule("12/06", "2030", "");
        for (key, value) in changes {
            fields.retain(|(k, _)| k != key);
            fields.push((key, value));
        }
        fields
    };
    for (changes, message, typed) in [
        (
            with(&[("date", "30/02")]),
            "Ngày này không có trong dương lịch.",
            "value=\"30/02\"",
        ),
        (
            with(&[("calendar", "lunar"), ("date", "31/01")]),
            "Tháng âm lịch có từ 29 đến 30 ngày; không có ngày này.",
            "value=\"31/01\"",
        ),
        (
            with(&[("calendar", "lunar"), ("date", "01/13")]),
            "Âm lịch chỉ có tháng 1 đến tháng 12",
            "value=\"01/13\"",
        ),
        (
            with(&[("from_year", "2031"), ("to_year", "2030")]),
            "Năm cuối không được trước năm bắt đầu.",
            "value=\"2031\"",
        ),
        (
            with(&[("days", "0")]),
            "Số ngày nghỉ là một số nguyên từ 1 đến 10.",
            "value=\"Ngày Thử nghiệm\"",
        ),
        (
            with(&[("days", "-1")]),
            "Số ngày nghỉ là một số nguyên từ 1 đến 10.",
            "value=\"-1\"",
        ),
        // The same days as National Day (1/9 and 2/9) in years both apply.
        (
            with(&[("date", "02/09"), ("days", "1")]),
            "Trùng với quy tắc «Quốc khánh» vào ngày 02/09/2030.",
            "value=\"02/09\"",
        ),
        // Lunar 1/1 again: in 2030 it is 2/2 (in Vietnam; 3/2 in China), and Tết is
        // already off then.
        (
            with(&[("calendar", "lunar"), ("date", "01/01")]),
            "Trùng với quy tắc «Tết Nguyên đán» vào ngày 02/02/2030.",
            "value=\"Quyết định số 99/QĐ-UBND ngày 01/01/2030\"",
        ),
    ] {
        let response = admin.submit("/admin/calendar/rules", &changes);
        assert_eq!(response.status, 422, "{changes:?}: {}", response.body);
        assert_contains(&response.body, message);
        assert_contains(&response.body, typed);
        assert_contains(&response.body, "Xin sửa các ô được đánh dấu.");
    }
    // Overlapping a rule an administrator added, too.
    let added = admin.submit("/admin/calendar/rules", &test_rule("12/06", "2030", "2035"));
    assert_eq!(added.status, 303, "{}", added.body);
    let again = admin.submit("/admin/calendar/rules", &test_rule("12/06", "2035", ""));
    assert_eq!(again.status, 422);
    assert_contains(
        &again.body,
        "Trùng với quy tắc «Ngày Thử nghiệm» vào ngày 12/06/2035.",
    );
    assert_eq!(rule_count(&app), rules + 1);
    assert_eq!(audit_count(&app), audit + 1);

    // Ending: a year that is not one, or not earlier than the rule's last year.
    let id = rule_id(&app, "Ngày Thử nghiệm");
    for typed in ["hai nghìn", "2036", "2028", ""] {
        let response = admin.submit(
            &format!("/admin/calendar/rules/{id}/end"),
            &[("to_year", typed), ("year", "2030")],
        );
        assert_eq!(response.status, 422, "{typed}: {}", response.body);
        assert_contains(&response.body, "Năm cuối áp dụng là một năm");
        assert_contains(&response.body, &format!("value=\"{typed}\""));
    }
    assert_eq!(audit_count(&app), audit + 1);
    assert_eq!(deadline(&mut admin, "2035-06-11", 1), "2035-06-13");
}

#[test]
fn backup_and_restore_carry_the_rules_as_kept() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    let added = admin.submit("/admin/calendar/rules", &test_rule("12/06", "2030", ""));
    assert_eq!(added.status, 303, "{}", added.body);
    // Culture Day (the seventh shipped rule) ended at 2027 here.
    let culture = rule_id(&app, "Ngày Văn hóa Việt Nam");
    let ended = admin.submit(
        &format!("/admin/calendar/rules/{culture}/end"),
        &[("to_year", "2027")],
    );
    assert_eq!(ended.status, 303, "{}", ended.body);

    let out = tempfile::tempdir().expect("tmp");
    let backup_dir = out.path().join("backup");
    phoihop::backup::backup(&app.db(), &app.dir, &backup_dir).expect("backup");
    let target_pg = PgDatabase::create();
    let mut config = app.config.clone();
    config.data_dir = out.path().join("restored");
    config.database_url = target_pg.as_ref().map(|p| p.url.clone());
    phoihop::backup::restore(&config, &backup_dir).expect("restore");
    let restored = spawn_app_with(Setup {
        reuse: Some((config.data_dir.clone(), config.database_url.clone())),
        ..Setup::default()
    });
    let mut anyone = restored.client();
    assert_eq!(deadline(&mut anyone, "2030-06-11", 1), "2030-06-13");
    assert_eq!(deadline(&mut anyone, "2027-11-23", 1), "2027-11-25");
    assert_eq!(deadline(&mut anyone, "2028-11-23", 1), "2028-11-24");
    assert_eq!(rule_count(&restored), rule_count(&app));
    drop(restored);
    drop(target_pg);
}

#[test]
fn a_backup_from_before_the_rules_restores_with_the_shipped_rules() {
    let app = spawn_app();
    let out = tempfile::tempdir().expect("tmp");
    let backup_dir = out.path().join("backup");
    phoihop::backup::backup(&app.db(), &app.dir, &backup_dir).expect("backup");
    // What a backup taken before migration 0009 lacks.
    backup_as_before(&backup_dir, "holiday_rules", "0009");
    let target_pg = PgDatabase::create();
    let mut config = app.config.clone();
    config.data_dir = out.path().join("restored");
    config.database_url = target_pg.as_ref().map(|p| p.url.clone());
    phoihop::backup::restore(&config, &backup_dir).expect("restore");
    let restored = spawn_app_with(Setup {
        reuse: Some((config.data_dir.clone(), config.database_url.clone())),
        ..Setup::default()
    });
    assert_eq!(rule_count(&restored), 7);
    assert_eq!(
        deadline(&mut restored.client(), "2026-11-23", 1),
        "2026-11-25"
    );
    drop(restored);
    drop(target_pg);
}
