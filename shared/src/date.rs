//! Calendar helpers that need no date library: validity of a date and ISO
//! `YYYY-MM-DD` parsing, identical in the browser and on the server.

use chrono::{Datelike, NaiveDate};

/// True when `year-month-day` is a date of the proleptic Gregorian calendar.
pub fn is_valid_date(year: i32, month: u32, day: u32) -> bool {
    NaiveDate::from_ymd_opt(year, month, day).is_some()
}

/// Parses a strict ISO 8601 calendar date, `YYYY-MM-DD`.
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    // chrono alone would also accept signs and spaces inside the numbers.
    let digits_ok = b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if b.len() != 10 || !digits_ok {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The current year in UTC. (In the browser, chrono's `wasmbind` feature
/// supplies the clock.)
pub fn current_year() -> i32 {
    chrono::Utc::now().year()
}
