//! Reading the localities CSV: quoted fields, a byte-order mark, CRLF, and a message
//! with the line number for every row that cannot be used.

use crate::clock;

/// One checked row of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalityRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

/// A problem on one line of the file (1-based, counting the header).
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

pub const MAX_ROWS: usize = 20_000;

/// Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes, newlines
/// inside quotes).
pub fn records(text: &str) -> Vec<(usize, Vec<String>)> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    let mut field = String::new();
    let mut record = Vec::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                out.push((start_line, std::mem::take(&mut record)));
                line += 1;
                start_line = line;
            }
            ('\n', true) => {
                line += 1;
                field.push(c);
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start_line, record));
    }
    out.retain(|(_, r)| !(r.len() == 1 && r[0].trim().is_empty()));
    out
}

/// Parses and checks the whole file. Either every row is usable, or the errors say
/// which lines to fix; nothing is half-imported.
pub fn parse_localities(bytes: &[u8]) -> Result<Vec<LocalityRow>, Vec<LineError>> {
    let fail = |line, message: &str| {
        Err(vec![LineError {
            line,
            message: message.to_owned(),
        }])
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return fail(
            0,
            "Tệp không phải văn bản UTF-8. Xin lưu lại tệp CSV với bảng mã UTF-8.",
        );
    };
    let text = vntext::normalize(text);
    let mut recs = records(&text).into_iter();
    let Some((_, header)) = recs.next() else {
        return fail(0, "Tệp trống.");
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(code_i), Some(name_i), Some(level_i)) = (col("code"), col("name"), col("level"))
    else {
        return fail(
            1,
            "Dòng tiêu đề phải có các cột code, name, level (và có thể parent_code, valid_from, valid_to).",
        );
    };
    let (parent_i, from_i, to_i) = (col("parent_code"), col("valid_from"), col("valid_to"));
    let mut rows: Vec<LocalityRow> = Vec::new();
    let mut errors = Vec::new();
    for (line, rec) in recs {
        if rows.len() >= MAX_ROWS {
            return fail(line, "Tệp có quá nhiều dòng (tối đa 20.000).");
        }
        let get = |i: Option<usize>| {
            i.and_then(|i| rec.get(i))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut problem = |message: &str| {
            errors.push(LineError {
                line,
                message: message.to_owned(),
            })
        };
        let code = get(Some(code_i)).map(|c| c.to_uppercase());
        let name = get(Some(name_i));
        let level = get(Some(level_i)).map(|l| l.to_lowercase());
        let (Some(code), Some(name), Some(level)) = (code, name, level) else {
            problem("Thiếu mã, tên hoặc cấp.");
            continue;
        };
        if !matches!(
            level.as_str(),
            "province" | "commune" | "ward" | "special_zone"
        ) {
            problem("Cấp phải là province, commune, ward hoặc special_zone.");
            continue;
        }
        let mut date = |i: Option<usize>| -> Option<String> {
            let text = get(i)?;
            match clock::parse_user_date(&text) {
                Some(d) => Some(clock::iso_date(d)),
                None => {
                    errors.push(LineError {
                        line,
                        message: format!("Ngày không hợp lệ: {text}"),
                    });
                    None
                }
            }
        };
        let (valid_from, valid_to) = (date(from_i), date(to_i));
        let parent_code = get(parent_i).map(|p| p.to_uppercase());
        if rows.iter().any(|r| r.code == code) {
            errors.push(LineError {
                line,
                message: format!("Mã {code} xuất hiện hai lần."),
            });
            continue;
        }
        rows.push(LocalityRow {
            code,
            name,
            level,
            parent_code,
            valid_from,
            valid_to,
        });
    }
    for (i, row) in rows.iter().enumerate() {
        if let Some(parent) = &row.parent_code
            && !rows.iter().any(|r| &r.code == parent)
        {
            errors.push(LineError {
                line: i + 2,
                message: format!("Không có địa bàn cấp trên mã {parent} trong tệp."),
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        return fail(0, "Tệp không có dòng dữ liệu nào.");
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_and_bom_are_read() {
        let recs = records("\u{FEFF}a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n");
        assert_eq!(
            recs[1].1,
            vec!["x, y".to_string(), "say \"hi\"".to_string()]
        );
    }

    #[test]
    fn the_shipped_demo_file_parses() {
        let rows =
            parse_localities(include_bytes!("../../data/localities-demo.csv")).expect("valid");
        assert!(rows.len() > 20);
        assert_eq!(rows[0].level, "province");
        assert!(rows.iter().any(|r| r.name == "Xã Ia Chim"));
    }

    #[test]
    fn bad_rows_are_reported_by_line() {
        let errors = parse_localities(b"code,name,level\nA,X\xc3\xa3 A,village\nB,,commune\n")
            .expect_err("bad");
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        let errors = parse_localities(b"\xff\xfe").expect_err("not utf-8");
        assert!(errors[0].message.contains("UTF-8"));
    }
}
