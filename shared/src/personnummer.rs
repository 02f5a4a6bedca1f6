//! Swedish personal identity numbers (personnummer) and coordination numbers
//! (samordningsnummer), parsed once at the edge and stored as 12 digits.
//!
//! Accepted input: `YYMMDD-NNNC`, `YYMMDD+NNNC` (the `+` marks a person aged
//! 100 or more), `YYMMDDNNNC`, `YYYYMMDDNNNC` and `YYYYMMDD-NNNC`. The check
//! digit is the Luhn (mod 10) digit over the last ten digits. A
//! samordningsnummer has 60 added to the day of birth; Skatteverket gives
//! some with month `00`, day `60` (day unknown) or a day the month does not
//! have, and those are valid samordningsnummer (a personnummer's date must
//! exist). Ten-digit input belongs to the latest century in which the date of
//! birth is not after today (a `+` moves it a century earlier).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not a valid personnummer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonnummerError {
    /// Wrong length or characters in wrong places.
    #[error("a personnummer is written YYYYMMDD-NNNN or YYMMDD-NNNN")]
    Format,
    /// The date part is not a real date.
    #[error("the date in the personnummer does not exist")]
    Date,
    /// The last digit does not match the Luhn check digit.
    #[error("the check digit of the personnummer is wrong")]
    Checksum,
}

/// A valid personnummer or samordningsnummer, held as 12 digits (`YYYYMMDDNNNC`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Personnummer {
    digits: [u8; 12],
}

impl Personnummer {
    /// Parses a personnummer as on the last day of `current_year`: the
    /// century of 10-digit input is the latest in which the date of birth is
    /// not after that day.
    pub fn parse_with_year(input: &str, current_year: i32) -> Result<Self, PersonnummerError> {
        Self::parse_on(input, (current_year, 12, 31))
    }

    /// Parses a personnummer as on `today` (year, month, day): 10-digit input
    /// belongs to the latest century in which the date of birth is not after
    /// today, or a century earlier with `+` (the person is 100 or older).
    pub fn parse_on(input: &str, today: (i32, u32, u32)) -> Result<Self, PersonnummerError> {
        let input = input.trim();
        let bytes = input.as_bytes();
        let (date_part, separator, tail): (&[u8], Option<u8>, &[u8]) = match bytes.len() {
            12 => (&bytes[..8], None, &bytes[8..]),
            13 if matches!(bytes[8], b'-' | b'+') => (&bytes[..8], Some(bytes[8]), &bytes[9..]),
            10 => (&bytes[..6], None, &bytes[6..]),
            11 if matches!(bytes[6], b'-' | b'+') => (&bytes[..6], Some(bytes[6]), &bytes[7..]),
            _ => return Err(PersonnummerError::Format),
        };
        if !date_part.iter().chain(tail).all(u8::is_ascii_digit) || tail.len() != 4 {
            return Err(PersonnummerError::Format);
        }
        let num = |s: &[u8]| s.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        let (month, raw_day) =
            (num(&date_part[date_part.len() - 4..date_part.len() - 2]), num(&date_part[date_part.len() - 2..]));
        // A samordningsnummer's day is the day of birth + 60 (60: the day is unknown).
        let samordning = raw_day >= 60;
        let day = if samordning { raw_day - 60 } else { raw_day };
        let year = if date_part.len() == 8 {
            // A '+' on a 12-digit number is redundant; accept only '-' or nothing.
            if separator == Some(b'+') {
                return Err(PersonnummerError::Format);
            }
            num(&date_part[..4]) as i32
        } else {
            let yy = num(&date_part[..2]) as i32;
            // The most recent year ending in yy...
            let mut full = today.0 - (today.0 - yy).rem_euclid(100);
            // ...a century earlier if the date of birth in that year is still to come...
            if (month.max(1), day.max(1)) > (today.1, today.2) && full == today.0 {
                full -= 100;
            }
            // ...and a century earlier again for people aged 100 or more.
            if separator == Some(b'+') {
                full -= 100;
            }
            full
        };
        let valid = if samordning {
            // Skatteverket's own: month 00 and day 00 (unknown), and days the month does not have.
            month <= 12 && day <= 31
        } else {
            crate::date::is_valid_date(year, month, day)
        };
        if !valid || year < 0 {
            return Err(PersonnummerError::Date);
        }
        let yyyy = format!("{year:04}");
        let mut digits = [0u8; 12];
        let rest = &date_part[date_part.len() - 4..];
        for (i, d) in yyyy.bytes().chain(rest.iter().copied()).chain(tail.iter().copied()).enumerate() {
            digits[i] = d - b'0';
        }
        if luhn_check_digit(&digits[2..11]) != digits[11] {
            return Err(PersonnummerError::Checksum);
        }
        Ok(Self { digits })
    }

    /// Parses a personnummer; 10-digit input is placed in a century relative
    /// to today's date (UTC).
    pub fn parse(input: &str) -> Result<Self, PersonnummerError> {
        Self::parse_on(input, crate::date::today())
    }

    /// The 12 digits, `YYYYMMDDNNNC`.
    pub fn as_digits(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// True for a samordningsnummer (coordination number: day of birth + 60).
    pub fn is_samordningsnummer(&self) -> bool {
        self.digits[6] >= 6
    }

    /// The year of birth.
    pub fn birth_year(&self) -> i32 {
        self.digits[..4].iter().fold(0i32, |acc, d| acc * 10 + i32::from(*d))
    }

    /// The age in whole years on `today`: the birthday counts from its day. A samordningsnummer's
    /// day of birth is its day less 60; an unknown month or day (00) counts as the year's first.
    pub fn age_on(&self, today: chrono::NaiveDate) -> i64 {
        use chrono::Datelike;
        let two = |i: usize| u32::from(self.digits[i]) * 10 + u32::from(self.digits[i + 1]);
        let (month, day) = (two(4), two(6) % 60);
        let had_birthday = (today.month(), today.day()) >= (month, day);
        i64::from(today.year() - self.birth_year()) - i64::from(!had_birthday)
    }

    /// A form for logs: the birth year and nothing that identifies the person.
    pub fn redacted(&self) -> String {
        format!("{}XXXX-XXXX", &self.as_digits()[..4])
    }
}

/// The Luhn (mod 10) check digit for `payload`: every second digit from the right, starting
/// with the last, is doubled (a personnummer's payload is the nine digits `YYMMDDNNN`).
pub fn luhn_check_digit(payload: &[u8]) -> u8 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let v = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    ((10 - (sum % 10)) % 10) as u8
}

impl fmt::Display for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.as_digits();
        write!(f, "{}-{}", &d[..8], &d[8..])
    }
}

impl fmt::Debug for Personnummer {
    // Debug output ends up in logs: never print the whole number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Personnummer({})", self.redacted())
    }
}

impl std::str::FromStr for Personnummer {
    type Err = PersonnummerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Personnummer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_digits())
    }
}

impl<'de> Deserialize<'de> for Personnummer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Official Skatteverket test numbers (shared/testdata).
    const TEST_NUMBERS: &[&str] = &["189001019802", "189001029819", "191401682396", "191403702390"];

    #[test]
    fn official_test_numbers_are_accepted() {
        for n in TEST_NUMBERS {
            let p = Personnummer::parse(n).unwrap();
            assert_eq!(p.as_digits(), *n);
        }
    }

    #[test]
    fn samordningsnummer_is_recognised_by_its_day_plus_sixty() {
        assert!(Personnummer::parse("191401682396").unwrap().is_samordningsnummer());
        assert!(!Personnummer::parse("189001019802").unwrap().is_samordningsnummer());
    }

    #[test]
    fn ten_digit_input_gets_the_century_of_the_most_recent_matching_year() {
        let p = Personnummer::parse_with_year("121212-1212", 2026).unwrap();
        assert_eq!(p.as_digits(), "201212121212");
        let p = Personnummer::parse_with_year("121212+1212", 2026).unwrap();
        assert_eq!(p.as_digits(), "191212121212");
        let p = Personnummer::parse_with_year("900101-9802", 2026).unwrap();
        assert_eq!(p.as_digits(), "199001019802");
    }

    #[test]
    fn today_decides_the_century_not_only_the_year() {
        let with_check = |nine: &str| {
            let d: Vec<u8> = nine.bytes().map(|b| b - b'0').collect();
            format!("{}-{}{}", &nine[..6], &nine[6..], luhn_check_digit(&d))
        };
        // Born 23 December (20)26 has not happened on 4 December 2026: 1926.
        let n = with_check("261223123");
        assert_eq!(&Personnummer::parse_on(&n, (2026, 12, 4)).unwrap().as_digits()[..4], "1926");
        assert_eq!(&Personnummer::parse_on(&n, (2026, 12, 23)).unwrap().as_digits()[..4], "2026");
        let earlier = with_check("261203123");
        assert_eq!(&Personnummer::parse_on(&earlier, (2026, 12, 4)).unwrap().as_digits()[..4], "2026");
    }

    /// Every number of Skatteverket's two official lists parses, to itself.
    #[test]
    fn every_official_test_personnummer_and_samordningsnummer_parses() {
        for file in ["testpersonnummer.csv", "testsamordningsnummer.csv"] {
            let path = format!("{}/../testdata/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            let mut count = 0;
            for n in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
                let p = Personnummer::parse(n.trim()).unwrap_or_else(|e| panic!("{file}: {n}: {e}"));
                assert_eq!(p.as_digits(), n.trim());
                assert_eq!(p.is_samordningsnummer(), file.contains("samordning"), "{n}");
                count += 1;
            }
            assert!(count > 4000, "{file}: {count} numbers");
        }
    }

    #[test]
    fn a_plus_sign_puts_the_test_person_born_1890_in_the_right_century() {
        let p = Personnummer::parse_with_year("900101+9802", 2026).unwrap();
        assert_eq!(p.as_digits(), "189001019802");
    }

    #[test]
    fn twelve_digits_with_a_dash_are_accepted() {
        assert_eq!(Personnummer::parse("18900101-9802").unwrap().as_digits(), "189001019802");
    }

    #[test]
    fn a_wrong_check_digit_is_rejected() {
        assert_eq!(Personnummer::parse("189001019803"), Err(PersonnummerError::Checksum));
    }

    #[test]
    fn impossible_dates_are_rejected() {
        // 30 February, month 13, day 0 and samordningsnummer day 92 (32 + 60).
        for n in ["190002301234", "190013011234", "190001001234", "190001921234"] {
            assert_eq!(Personnummer::parse(n), Err(PersonnummerError::Date), "{n}");
        }
        // 29 February exists in 2000 but not in 1900.
        let with_check = |nine: &str| {
            let d: Vec<u8> = nine.bytes().map(|b| b - b'0').collect();
            format!("{nine}{}", luhn_check_digit(&d))
        };
        assert!(Personnummer::parse(&format!("20{}", with_check("000229123"))).is_ok());
        assert_eq!(Personnummer::parse(&format!("19{}", with_check("000229123"))), Err(PersonnummerError::Date));
    }

    #[test]
    fn garbage_is_a_format_error() {
        for n in ["", "abc", "18900101 9802", "1890-01019802", "18900101+9802", "1890010198021"] {
            assert_eq!(Personnummer::parse(n), Err(PersonnummerError::Format), "{n:?}");
        }
    }

    #[test]
    fn debug_output_never_contains_the_number() {
        let p = Personnummer::parse("189001019802").unwrap();
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("0101"), "{dbg}");
    }

    proptest! {
        #[test]
        fn every_number_with_a_correct_luhn_digit_round_trips(
            year in 1890i32..2026, month in 1u32..=12, day in 1u32..=28, serial in 0u32..1000, coord in any::<bool>()
        ) {
            let d = if coord { day + 60 } else { day };
            let nine = format!("{:02}{:02}{:02}{:03}", year % 100, month, d, serial);
            let nine_digits: Vec<u8> = nine.bytes().map(|b| b - b'0').collect();
            let check = luhn_check_digit(&nine_digits);
            let twelve = format!("{year:04}{month:02}{d:02}{serial:03}{check}");
            let p = Personnummer::parse(&twelve).unwrap();
            prop_assert_eq!(p.as_digits(), twelve.clone());
            prop_assert_eq!(p.is_samordningsnummer(), coord);
            // The dashed 12-digit form parses to the same number.
            let dashed = format!("{}-{}", &twelve[..8], &twelve[8..]);
            prop_assert_eq!(Personnummer::parse(&dashed).unwrap(), p.clone());
            // Any other check digit is rejected.
            let wrong = (check + 1) % 10;
            let bad = format!("{}{}", &twelve[..11], wrong);
            prop_assert_eq!(Personnummer::parse(&bad), Err(PersonnummerError::Checksum));
        }

        #[test]
        fn parsing_arbitrary_strings_never_panics(s in ".{0,20}") {
            let _ = Personnummer::parse(&s);
        }
    }
}
