//! Calendar helpers that need no date library: validity of a date and ISO
//! `YYYY-MM-DD` parsing, identical in the browser and on the server; and the
//! decoding of dates and timestamps in JSON without chrono's parser.
//!
//! chrono's parser (a general format-string interpreter) is the only reason it
//! would be in the browser's wasm. So dates and timestamps in the form the
//! server writes them are read here; anything else goes to chrono's parser on
//! the server, as before, and is refused in the browser, which only ever gets
//! what the server wrote.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use serde::de::{self, Deserializer, Visitor};

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

/// Reads a timestamp as chrono writes a `DateTime<Utc>` (the server's JSON):
/// `YYYY-MM-DDTHH:MM:SS`, then an optional fraction of 1 to 9 digits, then `Z`
/// (or `+00:00`). Anything else, leap seconds included: `None`.
pub fn parse_utc_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let date = parse_iso_date(s.get(..10)?)?;
    let b = s.as_bytes();
    if b.get(10) != Some(&b'T') || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    let mut rest = s.get(19..)?;
    let mut nanos = 0_u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return None;
        }
        for c in fraction.bytes().take(n) {
            nanos = nanos * 10 + u32::from(c - b'0');
        }
        nanos *= 10_u32.pow(9 - n as u32);
        rest = fraction.get(n..)?;
    }
    if (rest != "Z" && rest != "+00:00") || second > 59 {
        return None;
    }
    Some(date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?).and_utc())
}

/// For `#[serde(deserialize_with)]` on a `DateTime<Utc>`: what chrono's own
/// `Deserialize` does (same values, same messages), without its parser in the browser.
pub fn deserialize_utc<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(UtcVisitor)
}

/// [`deserialize_utc`] for an `Option<DateTime<Utc>>` (with `#[serde(default)]`).
pub fn deserialize_utc_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    deserializer.deserialize_option(OptionalUtcVisitor)
}

/// Reads an optional `YYYY-MM-DD` date without chrono's format-string parser
/// (for `#[serde(default, deserialize_with = ...)]`).
pub fn deserialize_date_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    match <Option<String> as serde::Deserialize>::deserialize(deserializer)? {
        None => Ok(None),
        Some(s) => parse_iso_date(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date written YYYY-MM-DD: {s}"))),
    }
}

struct UtcVisitor;

impl Visitor<'_> for UtcVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        if let Some(at) = parse_utc_timestamp(v) {
            return Ok(at);
        }
        #[cfg(not(target_arch = "wasm32"))]
        return v.parse::<DateTime<chrono::FixedOffset>>().map(|at| at.with_timezone(&Utc)).map_err(E::custom);
        #[cfg(target_arch = "wasm32")]
        return Err(E::custom("not a timestamp as the server writes it"));
    }
}

struct OptionalUtcVisitor;

impl<'de> Visitor<'de> for OptionalUtcVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserialize_utc(deserializer).map(Some)
    }
}

/// A `NaiveDate` in JSON, decoded as chrono's own `Deserialize` does (same
/// values, same messages), without its parser in the browser.
#[derive(Debug)]
pub(crate) struct IsoDate(pub NaiveDate);

impl<'de> de::Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(IsoDateVisitor)
    }
}

struct IsoDateVisitor;

impl Visitor<'_> for IsoDateVisitor {
    type Value = IsoDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a formatted date string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<IsoDate, E> {
        if let Some(date) = parse_iso_date(v) {
            return Ok(IsoDate(date));
        }
        #[cfg(not(target_arch = "wasm32"))]
        return v.parse::<NaiveDate>().map(IsoDate).map_err(E::custom);
        #[cfg(target_arch = "wasm32")]
        return Err(E::custom("not a date written YYYY-MM-DD"));
    }
}

/// Today's date in UTC: (year, month, day). (In the browser, chrono's
/// `wasmbind` feature supplies the clock.)
pub fn today() -> (i32, u32, u32) {
    let now = chrono::Utc::now();
    (now.year(), now.month(), now.day())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use chrono::{SecondsFormat, TimeZone};
    use proptest::prelude::*;
    use serde::Deserialize;

    use super::*;

    /// A timestamp decoded with these helpers and with chrono's own `Deserialize`.
    #[derive(Debug, Deserialize)]
    struct Mine {
        #[serde(deserialize_with = "deserialize_utc")]
        at: DateTime<Utc>,
        #[serde(default, deserialize_with = "deserialize_utc_opt")]
        maybe: Option<DateTime<Utc>>,
        #[serde(default)]
        day: Option<IsoDate>,
    }
    #[derive(Debug, Deserialize)]
    struct Chronos {
        at: DateTime<Utc>,
        maybe: Option<DateTime<Utc>>,
        day: Option<NaiveDate>,
    }

    /// What a decoder made of a document: the three values, or the error message.
    type Outcome = Result<(DateTime<Utc>, Option<DateTime<Utc>>, Option<NaiveDate>), String>;

    fn both(text: &str) -> (Outcome, Outcome) {
        let mine =
            serde_json::from_str::<Mine>(text).map(|m| (m.at, m.maybe, m.day.map(|d| d.0))).map_err(|e| e.to_string());
        let chronos = serde_json::from_str::<Chronos>(text).map(|c| (c.at, c.maybe, c.day)).map_err(|e| e.to_string());
        (mine, chronos)
    }

    #[test]
    fn timestamps_and_dates_decode_as_with_chronos_own_deserialize() {
        for at in [
            "2026-11-26T19:40:07Z",
            "2026-11-26T19:40:07.1Z",
            "2026-11-26T19:40:07.123456789Z",
            "2026-11-26T19:40:07.000000Z",
            "2026-11-26T19:40:07+00:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            // Not as the server writes them: chrono's parser decides (on the server).
            "2026-11-26T19:40:07+02:00",
            "2026-11-26 19:40:07Z",
            "2026-11-26t19:40:07z",
            "2026-11-26T19:40:07.1234567891Z",
            "2026-11-26T23:59:60Z",
            "+12026-11-26T19:40:07Z",
            "2026-11-26T19:40:07UTC",
            // Invalid.
            "2026-11-26T19:40:07",
            "2026-11-26T24:00:00Z",
            "2026-02-30T19:40:07Z",
            "2026-11-26T19:40:07.Z",
            "2026-11-26",
            "",
            "yesterday",
        ] {
            for text in [format!(r#"{{"at":"{at}"}}"#), format!(r#"{{"at":"2026-01-01T00:00:00Z","maybe":"{at}"}}"#)] {
                let (mine, chronos) = both(&text);
                assert_eq!(mine, chronos, "{text}");
            }
        }
        for text in [
            r#"{"at":1}"#,
            r#"{"at":null}"#,
            r#"{}"#,
            r#"{"at":"2026-01-01T00:00:00Z","maybe":null}"#,
            r#"{"at":"2026-01-01T00:00:00Z","maybe":false}"#,
            r#"{"at":"2026-01-01T00:00:00Z","day":"2024-02-29"}"#,
            r#"{"at":"2026-01-01T00:00:00Z","day":"2023-02-29"}"#,
            r#"{"at":"2026-01-01T00:00:00Z","day":" 2024-2-9"}"#,
            r#"{"at":"2026-01-01T00:00:00Z","day":"+12024-02-09"}"#,
            r#"{"at":"2026-01-01T00:00:00Z","day":"2024-02-09x"}"#,
            r#"{"at":"2026-01-01T00:00:00Z","day":20240209}"#,
            r#"{"at":"2026-01-01T00:00:00Z","day":null}"#,
        ] {
            let (mine, chronos) = both(text);
            assert_eq!(mine, chronos, "{text}");
        }
    }

    proptest! {
        #[test]
        fn every_timestamp_chrono_writes_is_read_back_without_its_parser(
            secs in -62_167_219_200_i64..253_402_300_799,
            nanos in prop_oneof![Just(0_u32), 0_u32..1_000_000_000],
            format in 0..6_usize,
        ) {
            let at = Utc.timestamp_opt(secs, nanos).single().unwrap();
            let formats = [SecondsFormat::Secs, SecondsFormat::Millis, SecondsFormat::Micros, SecondsFormat::Nanos, SecondsFormat::AutoSi, SecondsFormat::AutoSi];
            let text = at.to_rfc3339_opts(formats[format], format != 5);
            let exact = matches!(formats[format], SecondsFormat::Nanos | SecondsFormat::AutoSi);
            let expected: DateTime<Utc> = text.parse().unwrap();
            prop_assert_eq!(parse_utc_timestamp(&text), Some(expected), "{}", text);
            if exact {
                prop_assert_eq!(expected, at);
            }
            // And the serialised form (what the API sends) by both decoders.
            let json = serde_json::to_string(&at).unwrap();
            let (mine, chronos) = both(&format!(r#"{{"at":{json}}}"#));
            prop_assert_eq!(mine, chronos);
        }
    }

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
