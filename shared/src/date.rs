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
    // Only ASCII digits are left, so the numbers cannot fail to parse. Read directly rather
    // than with chrono's `parse_from_str`, which would bring its format-string interpreter
    // into the browser's wasm.
    let number = |range: std::ops::Range<usize>| s.get(range).and_then(|n| n.parse::<u32>().ok());
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// The current year in UTC. (In the browser, chrono's `wasmbind` feature
/// supplies the clock.)
pub fn current_year() -> i32 {
    chrono::Utc::now().year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_real_dates_written_yyyy_mm_dd() {
        assert_eq!(parse_iso_date("2027-06-01"), NaiveDate::from_ymd_opt(2027, 6, 1));
        assert_eq!(parse_iso_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(parse_iso_date("0000-01-01"), NaiveDate::from_ymd_opt(0, 1, 1));
        for bad in [
            "2023-02-29",
            "2027-13-01",
            "2027-00-10",
            "2027-06-00",
            "2027-06-31",
            "2027-6-01",
            "27-06-01",
            "+027-06-01",
            "2027-06-1 ",
            " 2027-06-1",
            "2027/06/01",
            "2027-06-011",
            "",
            "٢٠٢٧-06-01",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn agrees_with_chronos_own_parser() {
        for year in ["0000", "0001", "1900", "2000", "2023", "2024", "9999"] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let s = format!("{year}-{month:02}-{day:02}");
                    assert_eq!(parse_iso_date(&s), NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok(), "{s}");
                }
            }
        }
    }
}
