//! The demo province (`serve --demo`): a fictional *Tỉnh Ngọc Sơn* modelled on the seed
//! article: the lead body (renamed in the 2025 merger of propaganda and mass-mobilisation
//! departments) with its offices, nine partner agencies with units (one of them formed
//! in 2025 by a merger), localities after the 2025 reform, fields, an account per
//! role, and public-opinion collaborators of two organisations (`collaborators`).
//! Demo accounts carry `demo_account = 1` and sign in only in demo mode.

mod collaborators;
mod work;

use anyhow::Context;

use crate::audit::{self, Who};
use crate::auth::password;
use crate::db::{Conn, Db};
use crate::error::{Error, Result};
use crate::org::people::{self, PersonForm};
use crate::org::values::{Name, OrgCode};
use crate::org::{self, BodyType, NewOrganisation, OrgRole};
use crate::params;
use crate::refdata::{self, FieldForm};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo";

const FIELDS: &[(&str, &str, &str)] = &[
    ("y-te", "Y tế", "Health"),
    ("giao-duc", "Giáo dục và Đào tạo", "Education and training"),
    ("khcn", "Khoa học và Công nghệ", "Science and technology"),
    (
        "moi-truong",
        "Tài nguyên và Môi trường",
        "Natural resources and environment",
    ),
    ("lao-dong", "Lao động, việc làm", "Labour and employment"),
    ("y-hoc-co-truyen", "Y học cổ truyền", "Traditional medicine"),
    ("van-hoa", "Văn hóa, xã hội", "Culture and society"),
];

/// (key, parent key, code, name, body, role, valid from, fields)
type OrgSpec = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    BodyType,
    OrgRole,
    &'static str,
    &'static [&'static str],
);

const ORGS: &[OrgSpec] = &[
    (
        "lead",
        None,
        "BTGTU",
        "Ban Tuyên giáo Tỉnh ủy",
        BodyType::Party,
        OrgRole::Lead,
        "2010-01-01",
        &[],
    ),
    (
        "pkg",
        Some("lead"),
        "PKG",
        "Phòng Khoa giáo",
        BodyType::Party,
        OrgRole::Office,
        "2010-01-01",
        &["y-te", "giao-duc", "khcn"],
    ),
    (
        "ptt",
        Some("lead"),
        "PTT",
        "Phòng Tuyên truyền, Báo chí",
        BodyType::Party,
        OrgRole::Office,
        "2010-01-01",
        &[],
    ),
    (
        "vpb",
        Some("lead"),
        "VPB",
        "Văn phòng Ban",
        BodyType::Party,
        OrgRole::Office,
        "2010-01-01",
        &[],
    ),
    (
        "syt",
        None,
        "SYT",
        "Sở Y tế",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["y-te"],
    ),
    (
        "bvdk",
        Some("syt"),
        "BVĐKT",
        "Bệnh viện Đa khoa tỉnh",
        BodyType::State,
        OrgRole::Unit,
        "2010-01-01",
        &["y-te"],
    ),
    (
        "cdc",
        Some("syt"),
        "CDC",
        "Trung tâm Kiểm soát bệnh tật tỉnh",
        BodyType::State,
        OrgRole::Unit,
        "2018-01-01",
        &["y-te"],
    ),
    (
        "sgd",
        None,
        "SGDĐT",
        "Sở Giáo dục và Đào tạo",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["giao-duc"],
    ),
    (
        "thpt",
        Some("sgd"),
        "THPTCNS",
        "Trường THPT chuyên Ngọc Sơn",
        BodyType::State,
        OrgRole::Unit,
        "2010-01-01",
        &["giao-duc"],
    ),
    (
        "skh",
        None,
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["khcn"],
    ),
    (
        "ttud",
        Some("skh"),
        "TTUDKHCN",
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        BodyType::State,
        OrgRole::Unit,
        "2012-01-01",
        &["khcn"],
    ),
    (
        "stn",
        None,
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["moi-truong"],
    ),
    (
        "vpdk",
        Some("stn"),
        "VPĐKĐĐ",
        "Văn phòng Đăng ký đất đai",
        BodyType::State,
        OrgRole::Unit,
        "2015-01-01",
        &["moi-truong"],
    ),
    (
        "snn",
        None,
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        BodyType::State,
        OrgRole::Partner,
        "2025-03-01",
        &["moi-truong"],
    ),
    (
        "snv",
        None,
        "SNV",
        "Sở Nội vụ",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["lao-dong"],
    ),
    (
        "svh",
        None,
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["van-hoa"],
    ),
    (
        "hdy",
        None,
        "HĐY",
        "Hội Đông y tỉnh",
        BodyType::Association,
        OrgRole::Partner,
        "2010-01-01",
        &["y-hoc-co-truyen"],
    ),
    (
        "hdyx",
        Some("hdy"),
        "HĐY-ĐH",
        "Chi hội Đông y xã Đăk Hà",
        BodyType::Association,
        OrgRole::Unit,
        "2016-01-01",
        &["y-hoc-co-truyen"],
    ),
    (
        "lhh",
        None,
        "LHHKHKT",
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
        BodyType::Association,
        OrgRole::Partner,
        "2010-01-01",
        &["khcn"],
    ),
    (
        "bhxh",
        None,
        "BHXH",
        "Bảo hiểm xã hội tỉnh",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["lao-dong", "y-te"],
    ),
    // The people's committees that handle letters at their level (đơn thư).
    (
        "ubndt",
        None,
        "UBND-T",
        "Ủy ban nhân dân tỉnh",
        BodyType::State,
        OrgRole::Partner,
        "2010-01-01",
        &["moi-truong", "lao-dong"],
    ),
    (
        "ubndx",
        None,
        "UBND-XĐH",
        "Ủy ban nhân dân xã Đăk Hà",
        BodyType::State,
        OrgRole::Partner,
        "2025-07-01",
        &["moi-truong"],
    ),
    (
        "ubndp",
        None,
        "UBND-PKT",
        "Ủy ban nhân dân phường Kon Tum",
        BodyType::State,
        OrgRole::Partner,
        "2025-07-01",
        &["moi-truong"],
    ),
];

/// (username, name, title, organisation key, role)
const ACCOUNTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "admin",
        "Trần Quản Trị",
        "Quản trị hệ thống",
        "vpb",
        "admin",
    ),
    (
        "lanhdao",
        "Nguyễn Văn Lãnh",
        "Phó Trưởng Ban",
        "lead",
        "leader",
    ),
    (
        "chuyenvien",
        "Lê Thị Hồng",
        "Chuyên viên Phòng Khoa giáo",
        "pkg",
        "specialist",
    ),
    (
        "chuyenvien2",
        "Phạm Minh Tuấn",
        "Chuyên viên Phòng Tuyên truyền",
        "ptt",
        "specialist",
    ),
    (
        "daumoi.syt",
        "Y Blống",
        "Chánh Văn phòng Sở Y tế",
        "syt",
        "liaison",
    ),
    (
        "lanhdao.syt",
        "Rơ Mah Thị Hạnh",
        "Phó Giám đốc Sở Y tế",
        "syt",
        "agency_leader",
    ),
    (
        "daumoi.sgddt",
        "Đinh Thị Mai",
        "Phó Chánh Văn phòng Sở",
        "sgd",
        "liaison",
    ),
    (
        "daumoi.skhcn",
        "A Thút",
        "Trưởng phòng Quản lý khoa học",
        "skh",
        "liaison",
    ),
    (
        "daumoi.snnmt",
        "Hoàng Văn Đất",
        "Phó Chánh Văn phòng Sở",
        "snn",
        "liaison",
    ),
    (
        "daumoi.snv",
        "Vũ Thị Lan",
        "Chuyên viên Văn phòng Sở",
        "snv",
        "liaison",
    ),
    (
        "daumoi.hdy",
        "Lương Y Trần Văn Thuốc",
        "Phó Chủ tịch Hội",
        "hdy",
        "liaison",
    ),
    (
        "canbo.cdc",
        "Nguyễn Thị Phòng",
        "Cán bộ truyền thông",
        "cdc",
        "unit_officer",
    ),
    (
        "canbo.vpdkdd",
        "Trần Văn Địa",
        "Cán bộ Văn phòng Đăng ký đất đai",
        "vpdk",
        "unit_officer",
    ),
    (
        "congtacvien",
        "Rơ Châm Hlin",
        "Cộng tác viên dư luận xã hội xã Ia Chim",
        "ptt",
        "collaborator",
    ),
    (
        "congtacvien2",
        "Trần Thị Bích Ngọc",
        "Cộng tác viên dư luận xã hội phường Kon Tum",
        "ptt",
        "collaborator",
    ),
    (
        "congtacvien.syt",
        "A Bảo",
        "Cộng tác viên dư luận xã hội ngành Y tế xã Đăk Hà",
        "syt",
        "collaborator",
    ),
    (
        "congtacvien2.syt",
        "Nguyễn Thị Thu Hà",
        "Cộng tác viên dư luận xã hội ngành Y tế phường Duy Tân",
        "syt",
        "collaborator",
    ),
    (
        "bientap",
        "Đỗ Thu Trang",
        "Biên tập viên Cổng thông tin",
        "vpb",
        "editor",
    ),
    (
        "duyettin",
        "Ngô Quang Duyệt",
        "Chánh Văn phòng Ban",
        "vpb",
        "approver",
    ),
];

const DEMO_SETTING: &str = "demo_created_at";

/// Creates the demo province unless it exists; refuses a data folder that holds real
/// data, so a stray `--demo` never mixes invented people into a live installation.
pub fn ensure(db: &Db, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let (marked, users): (bool, i64) = db
        .read_blocking(|c| -> Result<(bool, i64)> {
            let marked = c
                .query_opt(
                    "SELECT value FROM settings WHERE key = $1",
                    params![DEMO_SETTING],
                )?
                .is_some();
            Ok((marked, c.scalar("SELECT COUNT(*) FROM users", &[])?))
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if marked {
        return Ok(());
    }
    if users > 0 {
        anyhow::bail!(
            "this data folder already holds real accounts; --demo only starts on an empty one \
             (use another --data folder for the demo)"
        );
    }
    let hash = password::hash(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    db.write_blocking(|c| create(c, &hash, data_dir))
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("creating the demo province")?;
    Ok(())
}

fn create(c: &mut dyn Conn, hash: &str, data_dir: &std::path::Path) -> Result<()> {
    let who = Who {
        name: "demo".into(),
        ip: "local".into(),
        ..Who::default()
    };
    for (code, name, name_en) in FIELDS {
        refdata::create_field(
            c,
            &who,
            &FieldForm {
                code: (*code).into(),
                name: (*name).into(),
                name_en: (*name_en).into(),
            },
        )?;
    }
    let rows = refdata::csv::parse_localities(include_bytes!("../../data/localities-demo.csv"))
        .map_err(|_| Error::Refused("the shipped localities file does not parse"))?;
    refdata::import_localities(c, &who, &rows)?;
    let fields = refdata::fields(c, true)?;
    let mut ids: Vec<(&str, i64)> = Vec::new();
    for (key, parent, code, name, body_type, role, from, field_codes) in ORGS {
        let new = NewOrganisation {
            name: Name::parse(name).map_err(Error::Refused)?,
            code: OrgCode::parse(code).map_err(Error::Refused)?,
            body_type: *body_type,
            role: *role,
            parent_id: parent.and_then(|p| ids.iter().find(|(k, _)| *k == p).map(|(_, id)| *id)),
            valid_from: crate::clock::parse_iso_date(from)
                .ok_or(Error::Refused("bad demo date"))?,
            fields: fields
                .iter()
                .filter(|f| field_codes.contains(&f.code.as_str()))
                .map(|f| f.id)
                .collect(),
        };
        ids.push((key, org::create(c, &who, &new)?));
    }
    let id = |key: &str| {
        ids.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
            .unwrap_or_default()
    };
    // 2025: the propaganda and mass-mobilisation departments merged into one, which
    // kept the lead body's record under a new name and code.
    let merger_day =
        crate::clock::parse_iso_date("2025-03-01").ok_or(Error::Refused("bad demo date"))?;
    org::rename(
        c,
        &who,
        id("lead"),
        &Name::parse("Ban Tuyên giáo và Dân vận Tỉnh ủy").map_err(Error::Refused)?,
        &OrgCode::parse("BTGDVTU").map_err(Error::Refused)?,
        merger_day,
    )?;
    // The same year the environment department merged into the new agriculture and
    // environment department.
    org::merge(c, &who, id("stn"), id("snn"), merger_day)?;
    for (username, name, title, org_key, role) in ACCOUNTS {
        let form = PersonForm {
            username: (*username).into(),
            display_name: (*name).into(),
            title: (*title).into(),
            email: format!("{}@ngocson.gov.vn", username.replace('.', "-")),
            organisation_id: id(org_key).to_string(),
            role: (*role).into(),
            password: "demo-password".into(),
            ..PersonForm::default()
        };
        let form = collaborators::with_coverage(c, form)?;
        let (username, details, _) = form.parse_new()?;
        people::create(c, &who, &username, &details, hash, true)?;
    }
    collaborators::schedule(c, &who, crate::clock::today())?;
    work::create(c, crate::clock::today(), data_dir)?;
    c.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2)",
        params![DEMO_SETTING, crate::clock::now_ms().to_string()],
    )?;
    audit::record(
        c,
        &who,
        audit::action::DEMO_CREATED,
        ("installation", ""),
        "Tỉnh Ngọc Sơn",
    )?;
    Ok(())
}

/// The demo accounts as a table for the terminal.
pub fn accounts_table() -> String {
    let mut out = format!(
        "  {:<16} {:<10} {}\n",
        "tài khoản", "mật khẩu", "vai trò — tổ chức"
    );
    for (username, name, _, org_key, role) in ACCOUNTS {
        let org_name = ORGS.iter().find(|o| o.0 == *org_key).map_or("", |o| o.3);
        let org_name = match *org_key {
            "lead" => "Ban Tuyên giáo và Dân vận Tỉnh ủy",
            _ => org_name,
        };
        let role = crate::access::Role::parse(role).map_or("", |r| r.label_vi());
        out.push_str(&format!(
            "  {username:<16} {DEMO_PASSWORD:<10} {role} — {org_name} ({name})\n"
        ));
    }
    out
}
