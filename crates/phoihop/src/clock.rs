//! Time as the product shows it: instants are stored as Unix milliseconds (UTC) and
//! shown in Vietnam time (UTC+7, no daylight saving) as dd/mm/yyyy.

use time::{Date, OffsetDateTime, UtcOffset, macros::format_description};

/// Vietnam time: UTC+7 all year.
pub const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("UTC+7 is a valid offset"),
};

pub fn now_ms() -> i64 {
    let now = OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

fn in_vietnam(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(|t| t.to_offset(VIETNAM))
}

/// "29/11/2026 14:05" in Vietnam time.
pub fn format_datetime(ms: i64) -> String {
    // Written out by hand: every list line shows one, and `time`'s formatter costs
    // more than the rest of the line.
    in_vietnam(ms)
        .map(|t| {
            let mut out = format_date(t.date());
            out.push(' ');
            push_two_digits(&mut out, t.hour());
            out.push(':');
            push_two_digits(&mut out, t.minute());
            out
        })
        .unwrap_or_default()
}

fn push_two_digits(out: &mut String, n: u8) {
    out.push(char::from(b'0' + n / 10 % 10));
    out.push(char::from(b'0' + n % 10));
}

/// The day an instant falls on in Vietnam.
pub fn vietnam_date(ms: i64) -> Option<Date> {
    in_vietnam(ms).map(|t| t.date())
}

/// "29/11/2026" in Vietnam time.
pub fn format_date_ms(ms: i64) -> String {
    in_vietnam(ms)
        .map(|t| format_date(t.date()))
        .unwrap_or_default()
}

/// Today's date in Vietnam.
pub fn today() -> Date {
    OffsetDateTime::now_utc().to_offset(VIETNAM).date()
}

/// The first instant of `date` in Vietnam, as Unix milliseconds.
pub fn day_start_ms(date: Date) -> i64 {
    let start = date.midnight().assume_offset(VIETNAM);
    (start.unix_timestamp_nanos() / 1_000_000) as i64
}

/// "dd/mm/yyyy".
pub fn format_date(date: Date) -> String {
    let mut out = String::with_capacity(16);
    push_two_digits(&mut out, date.day());
    out.push('/');
    push_two_digits(&mut out, u8::from(date.month()));
    out.push('/');
    let year = date.year();
    match u8::try_from(year / 100) {
        Ok(century) if (1000..=9999).contains(&year) => {
            push_two_digits(&mut out, century);
            push_two_digits(&mut out, (year % 100) as u8);
        }
        _ => out.push_str(&format!("{year:04}")),
    }
    out
}

/// An ISO date as stored ("2026-11-29") shown as "29/11/2026"; anything else unchanged.
pub fn show_iso_date(iso: &str) -> String {
    parse_iso_date(iso).map_or_else(|| iso.to_owned(), format_date)
}

pub fn iso_date(date: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    date.format(fmt).unwrap_or_default()
}

pub fn parse_iso_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// Reads a date typed by a person: "29/11/2026", "29-11-2026", "2026-11-29" or
/// "1/2/2026".
pub fn parse_user_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Some(date) = parse_iso_date(text) {
        return Some(date);
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, y): (u8, u8, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    if !(1900..=2200).contains(&y) {
        return None;
    }
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_in_vietnam_time() {
        // 2026-11-28T17:30:00Z is 00:30 on 29/11 in Vietnam.
        assert_eq!(format_datetime(1_795_887_000_000), "29/11/2026 00:30");
        assert_eq!(format_date_ms(1_795_887_000_000), "29/11/2026");
        let early = Date::from_calendar_date(987, time::Month::March, 5).ok();
        assert_eq!(early.map(format_date).as_deref(), Some("05/03/0987"));
    }

    #[test]
    fn people_type_dates_in_several_ways() {
        let want = Date::from_calendar_date(2026, time::Month::February, 1).ok();
        assert_eq!(parse_user_date("01/02/2026"), want);
        assert_eq!(parse_user_date("1/2/2026"), want);
        assert_eq!(parse_user_date("2026-02-01"), want);
        assert_eq!(parse_user_date("31/02/2026"), None);
        assert_eq!(parse_user_date("hôm qua"), None);
    }
}
