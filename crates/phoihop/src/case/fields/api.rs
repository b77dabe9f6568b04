//! A field as the JSON API states it: the JSON Schema the OpenAPI document shows for
//! each type (an enum for a choice, a date's format and pattern, a number's bounds, a
//! text's `maxLength`, lists with `maxItems`, a table's rows as objects with no other
//! properties) and the strict check of a request body against exactly that schema, so
//! that the document and the server cannot disagree. Whether a value is acceptable
//! beyond its shape (a date today or before, an id of a row that exists) is the
//! engine's to say (`read.rs`).

use serde_json::{Map, Value as Json, json};

use crate::case::workflow::Transition;
use crate::error::FieldErrors;
use crate::i18n::Msg;
use crate::kit::{Expect, check as check_shape};

use super::{DateRange, FieldKind, FieldSpec, MAX_LINE, MAX_REFERENCES, MAX_TEXT, cell_key};

/// A date `yyyy-mm-dd` from 1900 to 2199 that exists, 29 February of leap years
/// included (1900 and 2100 are not): exactly what the check accepts, so that no real
/// date fails the document and no other passes the server (checked against every
/// `yyyy-mm-dd` from 1850 to 2249 when written).
pub const DATE: &str = "^((19[0-9]{2}|2[01][0-9]{2})-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26])|21(0[48]|[2468][048]|[13579][26]))-02-29)$";
/// A Vietnamese phone number as kept: 0 (or +84) and 9–10 digits, the first not 0.
pub const PHONE: &str = "^(\\+84|0)[1-9][0-9]{8,9}$";
/// An e-mail address as `org::values::Email::parse` takes it: a dot-atom local part,
/// `@`, and two or more labels of letters, digits and inner hyphens.
pub const EMAIL: &str = "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$";
/// Longest e-mail address (RFC 5321).
pub const MAX_EMAIL: usize = 254;

/// The type of each field of `transition` present in `map`, as the document states it.
pub fn check_fields(transition: &Transition, map: &Map<String, Json>, errors: &mut FieldErrors) {
    for spec in transition.fields {
        if let Some(value) = map.get(spec.name) {
            check(spec, value, spec.name, errors);
        }
    }
}

/// Checks one value (of a field, or of a table's cell under `key`) against its schema.
fn check(spec: &FieldSpec, value: &Json, key: &'static str, errors: &mut FieldErrors) {
    let shape = match spec.kind {
        FieldKind::Rows { columns, max_rows } => {
            return rows(spec, columns, max_rows, value, errors);
        }
        FieldKind::Date(_) => date(value),
        FieldKind::Number { min, max } => match integer(value) {
            Some(n) if (min..=max).contains(&n) => Ok(()),
            Some(_) => Err("Số nằm ngoài giới hạn cho phép."),
            None => Err("Phải là một số nguyên."),
        },
        FieldKind::Choice(list) => match value.as_str() {
            Some(code) if list.iter().any(|c| c.code == code) => Ok(()),
            _ => Err("Không có trong danh sách lựa chọn."),
        },
        FieldKind::Phone => match value.as_str() {
            Some(s) if is_phone(s) => Ok(()),
            _ => Err("Số điện thoại không đúng: số 0 và 9–10 chữ số (có thể viết +84 thay số 0)."),
        },
        FieldKind::Email => match value.as_str() {
            Some(s)
                if s.len() <= MAX_EMAIL
                    && s.chars().all(|c| c.is_ascii_graphic())
                    && crate::org::values::Email::parse(s).is_ok() =>
            {
                Ok(())
            }
            _ => Err("Địa chỉ thư điện tử không đúng dạng (ví dụ: ten@so.gov.vn)."),
        },
        FieldKind::Organisations | FieldKind::Cases(_) => match value {
            Json::Array(items) if items.len() > MAX_REFERENCES => {
                Err("Chọn quá nhiều (tối đa 500).")
            }
            _ => check_shape(value, expect(spec)),
        },
        _ => check_shape(value, expect(spec)),
    };
    if let Err(msg) = shape {
        errors.add(key, msg);
    }
}

/// The shape of the types `api_input` already knows.
fn expect(spec: &FieldSpec) -> Expect {
    let required = spec.required;
    match spec.kind {
        FieldKind::Text => Expect::Text {
            max: MAX_TEXT,
            required,
        },
        // A case number sent must be one, whether the field is required or not.
        FieldKind::Case(_) => Expect::Text {
            max: MAX_LINE,
            required: true,
        },
        FieldKind::Organisation
        | FieldKind::Person
        | FieldKind::Locality
        | FieldKind::FieldOfWork => Expect::Id,
        FieldKind::Organisations => Expect::Ids { required },
        FieldKind::Cases(_) => Expect::Strings { required },
        _ => Expect::Text {
            max: MAX_LINE,
            required,
        },
    }
}

/// An integer as JSON Schema counts one (`3.0` is 3).
fn integer(value: &Json) -> Option<i64> {
    value.as_i64().or_else(|| {
        let f = value.as_f64()?;
        (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
    })
}

fn date(value: &Json) -> Result<(), Msg> {
    let wrong = "Phải là một ngày có thật, dạng yyyy-mm-dd, từ năm 1900 đến 2199.";
    let text = value.as_str().ok_or(wrong)?;
    let fits = text.len() == 10
        && text.as_bytes()[4] == b'-'
        && text.as_bytes()[7] == b'-'
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    match crate::clock::parse_iso_date(text) {
        Some(d) if fits && (super::FIRST_YEAR..=super::LAST_YEAR).contains(&d.year()) => Ok(()),
        _ => Err(wrong),
    }
}

/// What [`PHONE`] matches.
fn is_phone(s: &str) -> bool {
    let rest = s
        .strip_prefix("+84")
        .or_else(|| s.strip_prefix('0'))
        .unwrap_or("");
    let b = rest.as_bytes();
    (9..=10).contains(&b.len()) && b[0] != b'0' && b.iter().all(u8::is_ascii_digit)
}

fn rows(
    spec: &FieldSpec,
    columns: &'static [FieldSpec],
    max_rows: usize,
    value: &Json,
    errors: &mut FieldErrors,
) {
    let rows = match value {
        Json::Array(rows) if rows.len() > max_rows => {
            return errors.add(spec.name, "Nhiều dòng hơn số dòng tối đa của bảng này.");
        }
        Json::Array(rows) if rows.is_empty() && spec.required => {
            return errors.add(spec.name, "Cần ít nhất một dòng.");
        }
        Json::Array(rows) => rows,
        _ => return errors.add(spec.name, "Phải là một danh sách các dòng."),
    };
    for (i, row) in rows.iter().enumerate() {
        let Json::Object(cells) = row else {
            return errors.add(
                spec.name,
                "Mỗi dòng phải là một đối tượng gồm các ô của bảng.",
            );
        };
        if cells.keys().any(|k| !columns.iter().any(|c| c.name == k)) {
            return errors.add(spec.name, "Có ô không thuộc bảng này.");
        }
        for column in columns {
            let key = || cell_key(spec.name, i, column.name);
            match cells.get(column.name) {
                Some(value) => check(column, value, key(), errors),
                None if column.required => errors.add(key(), "Không được để trống."),
                None => {}
            }
        }
    }
}

/// The JSON Schema of a field's value, titled with its label.
pub fn schema(spec: &FieldSpec) -> Json {
    let mut schema = match spec.kind {
        FieldKind::Date(range) => json!({
            "type": "string", "format": "date", "pattern": DATE,
            "description": match range {
                DateRange::Any => "a day from 1900 to 2199",
                DateRange::UpToToday => "a day from 1900 to today (Vietnam time)",
                DateRange::FromToday => "a day from today (Vietnam time) to 2199",
            }
        }),
        FieldKind::Number { min, max } => {
            json!({"type": "integer", "minimum": min, "maximum": max})
        }
        FieldKind::Choice(list) => json!({
            "type": "string", "enum": list.iter().map(|c| c.code).collect::<Vec<_>>(),
            "description": list.iter().map(|c| format!("{}: {}", c.code, crate::i18n::tr(crate::i18n::Lang::En, c.label))).collect::<Vec<_>>().join("; ")
        }),
        FieldKind::Phone => json!({
            "type": "string", "pattern": PHONE,
            "description": "a Vietnamese phone number: 0 (or +84) and 9–10 digits"
        }),
        FieldKind::Email => json!({
            "type": "string", "pattern": EMAIL, "maxLength": MAX_EMAIL,
            "description": "an e-mail address (the pattern is exactly what is accepted)"
        }),
        FieldKind::Rows { columns, max_rows } => {
            let mut properties = Map::new();
            for c in columns {
                properties.insert(c.name.into(), schema(c));
            }
            let required: Vec<&str> = columns
                .iter()
                .filter(|c| c.required)
                .map(|c| c.name)
                .collect();
            json!({
                "type": "array", "maxItems": max_rows, "minItems": usize::from(spec.required),
                "items": {"type": "object", "properties": properties, "required": required,
                          "additionalProperties": false},
                "description": "rows of the table; a row with nothing in it is left out"
            })
        }
        _ => {
            let mut base = expect(spec).schema();
            if let (Some(o), FieldKind::Organisations | FieldKind::Cases(_)) =
                (base.as_object_mut(), spec.kind)
            {
                o.insert("maxItems".into(), MAX_REFERENCES.into());
            }
            base
        }
    };
    if let Some(o) = schema.as_object_mut() {
        o.insert("title".into(), spec.label.into());
        let about = match spec.kind {
            FieldKind::Organisation => Some("an organisation's id (a current one)".to_owned()),
            FieldKind::Organisations => Some("organisation ids (current ones)".to_owned()),
            FieldKind::Person => Some("a person's id (an active account)".to_owned()),
            FieldKind::Locality => Some("a locality's id (one in force)".to_owned()),
            FieldKind::FieldOfWork => Some("a field of work's id (an active one)".to_owned()),
            FieldKind::Case(of) => Some(format!("the number of a {of} case")),
            FieldKind::Cases(of) => Some(format!("numbers of {of} cases")),
            _ => None,
        };
        if let Some(about) = about {
            o.insert("description".into(), about.into());
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::case::kinds::sample::field;

    fn errors_of(spec: &FieldSpec, value: Json) -> Vec<(String, String)> {
        let mut errors = FieldErrors::new();
        check(spec, &value, spec.name, &mut errors);
        errors
            .0
            .iter()
            .map(|(k, m)| (k.to_string(), m.to_string()))
            .collect()
    }

    #[test]
    fn a_table_refuses_too_many_rows_unknown_cells_and_names_the_wrong_cell() {
        let table = field("topics");
        assert!(errors_of(&table, json!([{"topic": "Đất đai"}])).is_empty());
        let many = Json::Array(vec![json!({"topic": "a"}); 10_000]);
        assert_eq!(
            errors_of(&table, many),
            [(
                "topics".into(),
                "Nhiều dòng hơn số dòng tối đa của bảng này.".into()
            )]
        );
        assert_eq!(
            errors_of(&table, json!([{"topic": "a", "colour": "đỏ"}]))[0].1,
            "Có ô không thuộc bảng này."
        );
        let wrong = errors_of(
            &table,
            json!([{"topic": "a"}, {"topic": "b", "attitude": "angry"}]),
        );
        assert_eq!(wrong[0].0, "topics.1.attitude");
        assert_eq!(
            errors_of(&table, json!([{"attitude": "mixed"}]))[0].0,
            "topics.0.topic"
        );
        let required = FieldSpec {
            required: true,
            ..table
        };
        assert_eq!(
            errors_of(&required, json!([]))[0].1,
            "Cần ít nhất một dòng."
        );
    }

    #[test]
    fn a_table_schema_is_an_array_of_closed_objects_with_a_maximum() {
        let s = schema(&field("topics"));
        assert_eq!(s["maxItems"], 20);
        assert_eq!(s["minItems"], 0);
        assert_eq!(s["items"]["additionalProperties"], false);
        assert_eq!(s["items"]["required"], json!(["topic"]));
        assert_eq!(
            s["items"]["properties"]["attitude"]["enum"],
            json!(["supportive", "concerned", "negative", "mixed"])
        );
    }

    #[test]
    fn dates_numbers_phones_and_e_mails_are_held_to_their_schema() {
        let day = field("occurred_on");
        for good in [
            "2026-03-01",
            "2024-02-29",
            "2000-02-29",
            "1900-01-01",
            "2199-12-31",
        ] {
            assert!(errors_of(&day, json!(good)).is_empty(), "{good}");
        }
        for bad in [
            json!("01/03/2026"),
            json!("2026-02-30"),
            json!("2025-02-29"),
            json!("2100-02-29"),
            json!("2200-01-01"),
            json!("1899-12-31"),
            json!("2026-3-1"),
            json!(20260301),
        ] {
            assert_eq!(errors_of(&day, bad.clone()).len(), 1, "{bad}");
        }
        assert_eq!(schema(&day)["pattern"], DATE);
        let count = field("people_affected");
        assert!(errors_of(&count, json!(1_000_000)).is_empty());
        assert!(errors_of(&count, json!(7.0)).is_empty());
        assert_eq!(errors_of(&count, json!(1_000_001)).len(), 1);
        assert_eq!(errors_of(&count, json!("7")).len(), 1);
        assert_eq!(schema(&count)["maximum"], 1_000_000);
        let phone = field("phone");
        assert!(errors_of(&phone, json!("+84912345678")).is_empty());
        assert!(errors_of(&phone, json!("02603862123")).is_empty());
        for bad in ["0912 345 678", "912345678", "00912345678", " 0912345678"] {
            assert_eq!(errors_of(&phone, json!(bad)).len(), 1, "{bad}");
        }
        let email = field("email");
        assert!(errors_of(&email, json!("ten@so.gov.vn")).is_empty());
        for bad in [
            " ten@so.gov.vn",
            "tên@so.vn",
            "ten@vn",
            "ten@.vn",
            "ten@vn.",
        ] {
            assert_eq!(errors_of(&email, json!(bad)).len(), 1, "{bad}");
        }
        let level = field("level");
        assert!(errors_of(&level, json!("central")).is_empty());
        assert_eq!(errors_of(&level, json!("district")).len(), 1);
        assert_eq!(
            schema(&level)["enum"],
            json!(["commune", "province", "central"])
        );
    }
}
