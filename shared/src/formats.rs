//! Swedish numbers as people write them and as the platform stores and shows them: the one
//! place that reads and writes organisationsnummer, postnummer, telephone numbers, bankgiro and
//! plusgiro numbers and amounts in kronor. Each `normalise_*` takes what a person typed (spaces,
//! dashes) and returns the stored form, or why it is not one; normalising a stored form gives it
//! back unchanged. Each `show_*` writes a stored form as people read it.
//!
//! | kind | stored | shown |
//! |---|---|---|
//! | organisationsnummer | `5560360793` | `556036-0793` |
//! | postnummer | `25225` | `252 25` |
//! | telephone | `+46701234567` (E.164) | as stored |
//! | bankgiro | `50501055` | `5050-1055` |
//! | plusgiro | `9001223` | `900122-3` |
//! | amount | `123450` (öre, a JSON number) | `1 234,50 kr` |

use serde_json::Value;

use crate::form::FieldKind;
use crate::personnummer::luhn_check_digit;

/// Why a typed number is not accepted, as a short machine name that a message reads (`format`:
/// wrong characters or length; `checksum`: the check digit is wrong; `group`: the first digits
/// are not those of this kind of number; `area_code`: a Swedish number without its leading 0).
pub type Reason = &'static str;

/// The digits of `s` once the separators people type (spaces, no-break spaces, `-`) are
/// removed; `None` if anything else is in it or there are more than `max` digits.
fn digits(s: &str, max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for c in s.trim().chars() {
        match c {
            '0'..='9' if out.len() < max => out.push(c as u8 - b'0'),
            ' ' | '\u{a0}' | '\u{202f}' | '-' => {}
            _ => return None,
        }
    }
    Some(out)
}

fn text(d: &[u8]) -> String {
    d.iter().map(|d| char::from(b'0' + d)).collect()
}

/// Whether the last digit is the Luhn (mod 10) check digit of the others.
pub fn luhn_valid(d: &[u8]) -> bool {
    d.split_last().is_some_and(|(check, payload)| luhn_check_digit(payload) == *check)
}

/// An organisationsnummer: ten digits with a Luhn check digit, written `NNNNNN-NNNN`; the first
/// digit is the group (1 estates, 2 the state, regions and municipalities, 3 foreign companies,
/// 5 limited companies, 6 simple partnerships, 7 economic associations, 8 non-profit
/// associations and foundations, 9 trading partnerships) and the third is 2 or more, which tells
/// it from a personnummer. The Tax Agency's twelve-digit form with the prefix `16` is accepted.
/// Stored as the ten digits.
pub fn normalise_organisationsnummer(s: &str) -> Result<String, Reason> {
    let mut d = digits(s, 12).ok_or("format")?;
    if d.len() == 12 && d.starts_with(&[1, 6]) {
        d.drain(..2);
    }
    if d.len() != 10 {
        return Err("format");
    }
    if matches!(d[0], 0 | 4) || d[2] < 2 {
        return Err("group");
    }
    if !luhn_valid(&d) {
        return Err("checksum");
    }
    Ok(text(&d))
}

/// `NNNNNN-NNNN`.
pub fn show_organisationsnummer(stored: &str) -> String {
    split_at(stored, 6, "-")
}

fn split_at(s: &str, at: usize, sep: &str) -> String {
    match (s.get(..at), s.get(at..)) {
        (Some(a), Some(b)) if !b.is_empty() => format!("{a}{sep}{b}"),
        _ => s.to_owned(),
    }
}

/// A Swedish postnummer: five digits, the first not 0, written `NNN NN`. Stored as the digits.
pub fn normalise_postnummer(s: &str) -> Result<String, Reason> {
    let d = digits(s, 5).filter(|d| d.len() == 5).ok_or("format")?;
    if d[0] == 0 {
        return Err("format");
    }
    Ok(text(&d))
}

/// `NNN NN`.
pub fn show_postnummer(stored: &str) -> String {
    split_at(stored, 3, " ")
}

/// A telephone number in E.164 (`+46701234567`). A number with `+` or `00` is international:
/// a country code (not starting with 0) and 7 to 15 digits in all. Any other number is Swedish
/// and starts with its area code's 0 (`070-123 45 67`, `042-10 50 00`); a Swedish number has 7
/// to 9 digits after the 0 (a `(0)` written after `+46` is dropped). Brackets and `/` are
/// separators too.
pub fn normalise_phone(s: &str) -> Result<String, Reason> {
    let s = s.trim();
    let (international, rest) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => match s.strip_prefix("00") {
            Some(rest) => (true, rest),
            None => (false, s),
        },
    };
    let cleaned: String = rest.chars().filter(|c| !matches!(c, '(' | ')' | '/')).collect();
    let mut d = digits(&cleaned, 16).ok_or("format")?;
    if !international {
        if d.first() != Some(&0) {
            return Err(if d.is_empty() { "format" } else { "area_code" });
        }
        d[0] = 4;
        d.insert(1, 6);
    }
    if d.first() == Some(&0) {
        return Err("format");
    }
    if d.starts_with(&[4, 6]) {
        // "+46 (0)70…": the 0 belongs to the Swedish way of writing it.
        if d.get(2) == Some(&0) {
            d.remove(2);
        }
        if !(9..=11).contains(&d.len()) || d.get(2) == Some(&0) {
            return Err("format");
        }
    } else if !(7..=15).contains(&d.len()) {
        return Err("format");
    }
    Ok(format!("+{}", text(&d)))
}

/// A bankgiro number: 7 or 8 digits with a Luhn check digit, written `NNN-NNNN` or
/// `NNNN-NNNN`. Stored as the digits.
pub fn normalise_bankgiro(s: &str) -> Result<String, Reason> {
    let d = digits(s, 8).filter(|d| d.len() >= 7).ok_or("format")?;
    if !luhn_valid(&d) {
        return Err("checksum");
    }
    Ok(text(&d))
}

/// `NNN-NNNN` or `NNNN-NNNN`.
pub fn show_bankgiro(stored: &str) -> String {
    split_at(stored, stored.len().saturating_sub(4), "-")
}

/// A plusgiro number: 2 to 8 digits with a Luhn check digit, written with the check digit after
/// a dash (`900122-3`). Stored as the digits.
pub fn normalise_plusgiro(s: &str) -> Result<String, Reason> {
    let d = digits(s, 8).filter(|d| d.len() >= 2).ok_or("format")?;
    if !luhn_valid(&d) {
        return Err("checksum");
    }
    Ok(text(&d))
}

/// The digits with the check digit after a dash, `900122-3`.
pub fn show_plusgiro(stored: &str) -> String {
    split_at(stored, stored.len().saturating_sub(1), "-")
}

/// The largest amount, in öre: what a JSON number holds exactly (2^53 − 1).
pub const AMOUNT_MAX_ORE: u64 = (1 << 53) - 1;

/// An amount in kronor as people write it (`1 234`, `1234,50`, `1 234:-`, `1234 kr`, `12.5`)
/// in öre; a JSON number is taken as öre already. Negative amounts and more than two decimals
/// are refused.
pub fn normalise_amount(value: &serde_json::Value) -> Result<u64, Reason> {
    if let Some(n) = value.as_u64() {
        return if n <= AMOUNT_MAX_ORE { Ok(n) } else { Err("too_large") };
    }
    let s = value.as_str().ok_or("format")?.trim();
    let s = ["kr", "SEK", ":-"].iter().find_map(|u| s.strip_suffix(u)).unwrap_or(s);
    let (whole, fraction) = match s.trim_end().rsplit_once([',', '.']) {
        Some((w, f)) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => (w, f),
        Some(_) => return Err("format"),
        None => (s, ""),
    };
    let whole = digits(whole, 16).filter(|d| !d.is_empty() && !whole.contains('-')).ok_or("format")?;
    let kronor = whole.iter().fold(0u64, |n, d| n * 10 + u64::from(*d));
    let ore = fraction.bytes().chain(std::iter::repeat(b'0')).take(2).fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let total = kronor.checked_mul(100).and_then(|k| k.checked_add(ore)).ok_or("too_large")?;
    if total > AMOUNT_MAX_ORE { Err("too_large") } else { Ok(total) }
}

/// `1 234,50 kr`, or `1 234 kr` for whole kronor.
pub fn show_amount(ore: u64) -> String {
    format!("{} kr", amount_digits(ore, " "))
}

/// The amount as typed into a field: `1234,50`, or `1234` for whole kronor.
pub fn amount_input(ore: u64) -> String {
    amount_digits(ore, "")
}

fn amount_digits(ore: u64, group: &str) -> String {
    let kronor = (ore / 100).to_string();
    let mut out = String::new();
    for (i, c) in kronor.chars().enumerate() {
        if i > 0 && (kronor.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(c);
    }
    if !ore.is_multiple_of(100) {
        out.push_str(&format!(",{:02}", ore % 100));
    }
    out
}

/// A personnummer's 12 stored digits as people write them, `YYYYMMDD-NNNN` (anything else as
/// it comes).
pub fn show_personnummer(stored: &str) -> String {
    if stored.len() == 12 && stored.bytes().all(|b| b.is_ascii_digit()) {
        split_at(stored, 8, "-")
    } else {
        stored.into()
    }
}

/// An answer of one of this module's kinds (and a personnummer's) as people read it, in the
/// normal form whether it is stored or as typed (an answer not yet validated is shown as
/// typed); `None` for other kinds, which their callers show as they are.
pub fn show_answer(kind: &FieldKind, value: &Value) -> Option<String> {
    type Normalise = fn(&str) -> Result<String, Reason>;
    let (normalise, show): (Normalise, fn(&str) -> String) = match kind {
        FieldKind::Amount { .. } => return normalise_amount(value).ok().map(show_amount),
        FieldKind::Address => return Some(crate::parts::show_address(value)),
        FieldKind::Personnummer { .. } | FieldKind::Child => {
            (|s| crate::Personnummer::parse(s).map(|p| p.as_digits()).map_err(|_| "format"), show_personnummer)
        }
        FieldKind::Organisationsnummer => (normalise_organisationsnummer, show_organisationsnummer),
        FieldKind::Postnummer => (normalise_postnummer, show_postnummer),
        FieldKind::Bankgiro => (normalise_bankgiro, show_bankgiro),
        FieldKind::Plusgiro => (normalise_plusgiro, show_plusgiro),
        _ => return None,
    };
    let s = value.as_str()?;
    Some(normalise(s).map_or_else(|_| s.to_owned(), |n| show(&n)))
}

#[cfg(test)]
#[path = "formats_tests.rs"]
mod tests;
