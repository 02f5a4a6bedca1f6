use proptest::prelude::*;
use serde_json::json;

use super::*;

/// Published numbers: the Tax Agency, the City of Helsingborg, the Riksdag's administration and
/// companies' own (organisationsnummer); Bankgirot's example and Radiohjälpen's giro numbers.
const ORGANISATIONSNUMMER: &[&str] =
    &["202100-5448", "212000-1355", "232100-0016", "556036-0793", "556012-5790", "556074-3089", "802002-4280"];
const BANKGIRO: &[&str] = &["5050-1055", "900-8004"];
const PLUSGIRO: &[&str] = &["90 01 22-3"];

/// Every number that differs from `s` in exactly one digit, written as `s` is.
fn single_digit_changes(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in s.char_indices().filter(|(_, c)| c.is_ascii_digit()) {
        for d in (b'0'..=b'9').map(char::from).filter(|d| *d != c) {
            out.push(format!("{}{d}{}", &s[..i], &s[i + 1..]));
        }
    }
    out
}

#[test]
fn published_organisationsnummer_are_accepted_and_stored_as_ten_digits() {
    for n in ORGANISATIONSNUMMER {
        let stored = normalise_organisationsnummer(n).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(stored, n.replace('-', ""));
        assert_eq!(show_organisationsnummer(&stored), *n);
    }
}

#[test]
fn the_tax_agencys_sixteen_prefix_is_accepted_and_dropped() {
    assert_eq!(normalise_organisationsnummer("16212000-1355"), Ok("2120001355".into()));
    assert_eq!(normalise_organisationsnummer("162120001355"), Ok("2120001355".into()));
    assert_eq!(normalise_organisationsnummer("172120001355"), Err("format"));
}

#[test]
fn an_organisationsnummer_outside_the_groups_or_a_personnummer_is_refused_as_such() {
    // A personnummer (third digit 0 or 1) is not an organisationsnummer.
    assert_eq!(normalise_organisationsnummer("121212-1212"), Err("group"));
    // Groups 0 and 4 are not used, whatever the check digit.
    for group in [0, 4] {
        let mut d = vec![group, 1, 2, 0, 0, 0, 1, 3, 5];
        d.push(luhn_check_digit(&d));
        assert!(luhn_valid(&d));
        assert_eq!(normalise_organisationsnummer(&text(&d)), Err("group"), "{d:?}");
    }
    for bad in ["", "21200-0135", "212000-13555", "212000_1355", "2120001355x", "٢١٢٠٠٠١٣٥٥"] {
        assert_eq!(normalise_organisationsnummer(bad), Err("format"), "{bad}");
    }
}

#[test]
fn every_single_digit_change_of_a_published_number_is_refused() {
    for n in ORGANISATIONSNUMMER {
        for changed in single_digit_changes(n) {
            assert!(normalise_organisationsnummer(&changed).is_err(), "{changed}");
        }
    }
    for n in BANKGIRO {
        for changed in single_digit_changes(n) {
            assert_eq!(normalise_bankgiro(&changed), Err("checksum"), "{changed}");
        }
    }
    for n in PLUSGIRO {
        for changed in single_digit_changes(n) {
            assert_eq!(normalise_plusgiro(&changed), Err("checksum"), "{changed}");
        }
    }
}

#[test]
fn postnummer_are_five_digits_not_starting_with_zero_and_shown_in_two_groups() {
    assert_eq!(normalise_postnummer("252 25"), Ok("25225".into()));
    assert_eq!(normalise_postnummer(" 25225 "), Ok("25225".into()));
    assert_eq!(show_postnummer("25225"), "252 25");
    for bad in ["", "2522", "252255", "052 25", "252-2a", "SE-252 25"] {
        assert_eq!(normalise_postnummer(bad), Err("format"), "{bad}");
    }
}

#[test]
fn swedish_telephone_numbers_become_e164() {
    for (typed, stored) in [
        ("070-123 45 67", "+46701234567"),
        ("0701234567", "+46701234567"),
        ("042-10 50 00", "+4642105000"),
        ("(042) 10 50 00", "+4642105000"),
        ("0411-123 45", "+4641112345"),
        ("08-123 456", "+468123456"),
        ("+46 70 123 45 67", "+46701234567"),
        ("+46 (0)70 123 45 67", "+46701234567"),
        ("0046 70 123 45 67", "+46701234567"),
        ("+45 33 12 34 56", "+4533123456"),
        ("+1 202 555 0123", "+12025550123"),
    ] {
        assert_eq!(normalise_phone(typed), Ok(stored.to_string()), "{typed}");
    }
}

#[test]
fn a_telephone_number_without_area_code_or_with_letters_or_wrong_length_is_refused() {
    assert_eq!(normalise_phone("701234567"), Err("area_code"));
    for bad in ["", "070-ABC 12 34", "++46701234567", "46+701234567", "070", "07012345678901", "+0701234567", "+123"] {
        assert_eq!(normalise_phone(bad), Err("format"), "{bad}");
    }
}

#[test]
fn bankgiro_and_plusgiro_numbers_are_stored_as_digits_and_shown_with_their_dash() {
    assert_eq!(normalise_bankgiro("5050-1055"), Ok("50501055".into()));
    assert_eq!(show_bankgiro("50501055"), "5050-1055");
    assert_eq!(show_bankgiro("9008004"), "900-8004");
    assert_eq!(normalise_plusgiro("90 01 22-3"), Ok("9001223".into()));
    assert_eq!(show_plusgiro("9001223"), "900122-3");
    assert_eq!(normalise_bankgiro("505-105"), Err("format"));
    assert_eq!(normalise_bankgiro("5050-10555"), Err("format"));
    assert_eq!(normalise_plusgiro("5"), Err("format"));
}

#[test]
fn amounts_are_read_as_people_write_kronor_and_held_in_ore() {
    for (typed, ore) in [
        ("1 234", 123_400),
        ("1234,50", 123_450),
        ("1 234,5", 123_450),
        ("12.5", 1_250),
        ("1 234:-", 123_400),
        ("1234 kr", 123_400),
        ("50 000 SEK", 5_000_000),
        ("0", 0),
        ("1\u{a0}000", 100_000),
    ] {
        assert_eq!(normalise_amount(&json!(typed)), Ok(ore), "{typed}");
    }
    assert_eq!(normalise_amount(&json!(123_450)), Ok(123_450), "a number is öre");
    for bad in ["", "-5", "1,234", "12,345", "1.2.3", "kr", "ett tusen", "1e5"] {
        assert_eq!(normalise_amount(&json!(bad)), Err("format"), "{bad}");
    }
    assert_eq!(normalise_amount(&json!(-5)), Err("format"));
    assert_eq!(normalise_amount(&json!(1.5)), Err("format"));
    assert_eq!(normalise_amount(&json!("9999999999999999")), Err("too_large"));
}

#[test]
fn amounts_are_shown_with_spaces_between_thousands() {
    assert_eq!(show_amount(123_450), "1 234,50 kr");
    assert_eq!(show_amount(5_000_000), "50 000 kr");
    assert_eq!(show_amount(5), "0,05 kr");
    assert_eq!(amount_input(123_450), "1234,50");
    assert_eq!(amount_input(100), "1");
}

proptest! {
    #[test]
    fn organisationsnummer_normalisation_is_idempotent(s in "(16)?[0-9]{6}[- ]?[0-9]{4}") {
        if let Ok(n) = normalise_organisationsnummer(&s) {
            prop_assert_eq!(normalise_organisationsnummer(&n), Ok(n.clone()));
            prop_assert_eq!(normalise_organisationsnummer(&show_organisationsnummer(&n)), Ok(n.clone()));
        }
    }

    #[test]
    fn a_number_with_the_right_check_digit_in_a_used_group_is_accepted(
        group in prop::sample::select(vec![1u8, 2, 3, 5, 6, 7, 8, 9]), third in 2u8..=9, rest in prop::collection::vec(0u8..=9, 7)
    ) {
        let mut d = vec![group, rest[0], third];
        d.extend(&rest[1..]);
        d.push(luhn_check_digit(&d));
        let s = text(&d);
        prop_assert_eq!(normalise_organisationsnummer(&s), Ok(s.clone()));
        for changed in single_digit_changes(&s) {
            prop_assert!(normalise_organisationsnummer(&changed).is_err(), "{}", changed);
        }
    }

    #[test]
    fn giro_numbers_with_a_check_digit_are_accepted_and_no_single_digit_change_is(
        payload in prop::collection::vec(0u8..=9, 1..=7)
    ) {
        let mut d = payload.clone();
        d.push(luhn_check_digit(&payload));
        let s = text(&d);
        prop_assert_eq!(normalise_plusgiro(&s), Ok(s.clone()));
        prop_assert_eq!(normalise_plusgiro(&show_plusgiro(&s)), Ok(s.clone()));
        if d.len() >= 7 {
            prop_assert_eq!(normalise_bankgiro(&show_bankgiro(&s)), Ok(s.clone()));
        }
        for changed in single_digit_changes(&s) {
            prop_assert_eq!(normalise_plusgiro(&changed), Err("checksum"));
        }
    }

    #[test]
    fn postnummer_normalisation_is_idempotent(s in "[0-9 ]{0,7}") {
        if let Ok(n) = normalise_postnummer(&s) {
            prop_assert_eq!(normalise_postnummer(&n), Ok(n.clone()));
            prop_assert_eq!(normalise_postnummer(&show_postnummer(&n)), Ok(n.clone()));
        }
    }

    #[test]
    fn phone_normalisation_is_idempotent_and_gives_e164(s in "(\\+|00)?[0-9 ()/-]{0,20}") {
        if let Ok(p) = normalise_phone(&s) {
            prop_assert_eq!(normalise_phone(&p), Ok(p.clone()));
            prop_assert!(p.starts_with('+') && !p.starts_with("+0"));
            prop_assert!((7..=15).contains(&(p.len() - 1)));
        }
    }

    #[test]
    fn amount_normalisation_is_idempotent_and_shown_amounts_read_back(ore in 0u64..=AMOUNT_MAX_ORE, s in "[0-9 ,.]{0,12}(kr)?") {
        prop_assert_eq!(normalise_amount(&json!(ore)), Ok(ore));
        prop_assert_eq!(normalise_amount(&json!(show_amount(ore))), Ok(ore));
        prop_assert_eq!(normalise_amount(&json!(amount_input(ore))), Ok(ore));
        if let Ok(n) = normalise_amount(&json!(s)) {
            prop_assert_eq!(normalise_amount(&json!(n)), Ok(n));
        }
    }
}

#[test]
fn stored_answers_are_shown_by_their_kind() {
    let show = |kind: serde_json::Value, v: serde_json::Value| {
        show_answer(&serde_json::from_value::<FieldKind>(kind).unwrap(), &v)
    };
    assert_eq!(show(json!({"type": "organisationsnummer"}), json!("8020024280")), Some("802002-4280".into()));
    assert_eq!(show(json!({"type": "postnummer"}), json!("25225")), Some("252 25".into()));
    assert_eq!(show(json!({"type": "bankgiro"}), json!("50501055")), Some("5050-1055".into()));
    assert_eq!(show(json!({"type": "plusgiro"}), json!("9001223")), Some("900122-3".into()));
    assert_eq!(show(json!({"type": "amount"}), json!(123_450)), Some("1 234,50 kr".into()));
    assert_eq!(show(json!({"type": "personnummer"}), json!("191212121212")), Some("19121212-1212".into()));
    assert_eq!(show(json!({"type": "child"}), json!("not digits")), Some("not digits".into()));
    assert_eq!(show(json!({"type": "short_text"}), json!("25225")), None);
    // As typed, before validation (the application's summary): the normal form, or as typed.
    assert_eq!(show(json!({"type": "amount"}), json!("60000")), Some("60 000 kr".into()));
    assert_eq!(show(json!({"type": "organisationsnummer"}), json!("16 8020024280")), Some("802002-4280".into()));
    assert_eq!(show(json!({"type": "personnummer"}), json!("18900101-9802")), Some("18900101-9802".into()));
    assert_eq!(show(json!({"type": "postnummer"}), json!("2522")), Some("2522".into()));
}
