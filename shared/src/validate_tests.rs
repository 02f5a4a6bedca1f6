//! Tests of answer validation: normalisation and error codes per field kind,
//! hidden fields, visibility, messages, and properties over a rich form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::test_support::{answers, def};

// Skatteverket's official test numbers (never invent personnummer).
const PNR_1890_0101: &str = "189001019802";
const PNR_1890_0102: &str = "189001029819";
const SAMORDNINGSNUMMER: &str = "191401682396";

/// A form with one page holding one optional field `f` of the given kind.
fn single(kind: Value) -> FormDefinition {
    def(json!({ "pages": [{ "key": "p", "title": "P", "fields": [{ "key": "f", "label": "F", "kind": kind }] }] }))
}

/// Validates one answer for a single field of the given kind: the normalised
/// value (null when dropped), or the one error's code.
fn run(kind: Value, answer: Value) -> Result<Value, FieldErrorCode> {
    run_error(kind, answer).map_err(|e| e.code)
}

#[allow(clippy::result_large_err, reason = "a test's helper, the error compared whole")]
fn run_error(kind: Value, answer: Value) -> Result<Value, FieldError> {
    match validate(&single(kind), &answers(json!({ "f": answer }))) {
        Ok(out) => Ok(out.get("f").cloned().unwrap_or(Value::Null)),
        Err(errors) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].field, "f");
            Err(errors[0].clone())
        }
    }
}

fn codes(result: Result<Answers, Vec<FieldError>>) -> Vec<(String, FieldErrorCode)> {
    result.expect_err("validation should fail").into_iter().map(|e| (e.field, e.code)).collect()
}

fn pair(field: &str, code: FieldErrorCode) -> (String, FieldErrorCode) {
    (field.to_string(), code)
}

fn file(name: &str, size: u64, content_type: &str) -> Value {
    json!({ "id": format!("id-{name}"), "name": name, "size": size, "content_type": content_type })
}

use FieldErrorCode as C;

// ---------------------------------------------------------------- text

#[test]
fn short_text_is_trimmed() {
    assert_eq!(run(json!({ "type": "short_text" }), json!("  Anna  ")), Ok(json!("Anna")));
}

#[test]
fn blank_text_counts_as_no_answer() {
    assert_eq!(run(json!({ "type": "short_text", "min_length": 3 }), json!("   ")), Ok(Value::Null));
    let d = def(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "f", "label": "F", "required": true, "kind": { "type": "long_text" } }] }] }));
    assert_eq!(codes(validate(&d, &answers(json!({ "f": " \n\t " })))), [pair("f", C::Required)]);
}

#[test]
fn text_length_is_counted_in_characters_after_trimming() {
    let k = json!({ "type": "short_text", "min_length": 3, "max_length": 4 });
    assert_eq!(run(k.clone(), json!(" åäö ")), Ok(json!("åäö")));
    assert_eq!(run(k.clone(), json!("ab ")), Err(C::TooShort));
    assert_eq!(run(k.clone(), json!("abcde")), Err(C::TooLong));
    let too_short = run_error(k.clone(), json!("ab")).unwrap_err();
    assert!(too_short.message.sv.contains('3') && too_short.message.en.contains("at least 3"), "{too_short:?}");
    let too_long = run_error(k, json!("abcde")).unwrap_err();
    assert!(too_long.message.en.contains("at most 4"), "{too_long:?}");
}

#[test]
fn short_text_defaults_to_at_most_1000_characters_and_long_text_to_20000() {
    assert_eq!(run(json!({ "type": "short_text" }), json!("x".repeat(1000))), Ok(json!("x".repeat(1000))));
    let err = run_error(json!({ "type": "short_text" }), json!("x".repeat(1001))).unwrap_err();
    assert_eq!(err.code, C::TooLong);
    assert!(err.message.en.contains("1000"));
    assert!(run(json!({ "type": "long_text" }), json!("y".repeat(20000))).is_ok());
    assert_eq!(run(json!({ "type": "long_text" }), json!("y".repeat(20001))), Err(C::TooLong));
}

#[test]
fn long_text_keeps_inner_line_breaks() {
    assert_eq!(run(json!({ "type": "long_text" }), json!("\nrad ett\nrad två\n")), Ok(json!("rad ett\nrad två")));
}

#[test]
fn text_of_the_wrong_json_type_is_an_invalid_type() {
    for bad in [json!(5), json!(true), json!(["a"]), json!({ "a": 1 })] {
        assert_eq!(run(json!({ "type": "short_text" }), bad.clone()), Err(C::InvalidType), "{bad}");
        assert_eq!(run(json!({ "type": "long_text" }), bad.clone()), Err(C::InvalidType), "{bad}");
    }
}

#[test]
fn a_pattern_must_match_the_whole_trimmed_answer() {
    let k = json!({ "type": "short_text", "pattern": "[0-9]{3} ?[0-9]{2}", "pattern_description": "fem siffror" });
    assert_eq!(run(k.clone(), json!(" 123 45 ")), Ok(json!("123 45")));
    assert_eq!(run(k.clone(), json!("12345")), Ok(json!("12345")));
    assert_eq!(run(k.clone(), json!("123456")), Err(C::PatternMismatch));
    assert_eq!(run(k.clone(), json!("x12345")), Err(C::PatternMismatch));
    let err = run_error(k, json!("abc")).unwrap_err();
    assert!(err.message.sv.contains("fem siffror") && err.message.en.contains("fem siffror"), "{err:?}");
}

#[test]
fn a_pattern_with_alternatives_is_anchored_as_a_whole() {
    let k = json!({ "type": "short_text", "pattern": "a|ab" });
    assert_eq!(run(k.clone(), json!("ab")), Ok(json!("ab")));
    assert_eq!(run(k.clone(), json!("a")), Ok(json!("a")));
    assert_eq!(run(k, json!("abb")), Err(C::PatternMismatch));
}

#[test]
fn a_pattern_mismatch_without_a_description_has_a_generic_message() {
    let err = run_error(json!({ "type": "short_text", "pattern": "[a-z]+" }), json!("ABC")).unwrap_err();
    assert_eq!(err.code, C::PatternMismatch);
    assert!(!err.message.en.contains(": ."), "{:?}", err.message);
    assert!(err.message.en.ends_with("format."));
}

// ---------------------------------------------------------------- numbers

#[test]
fn numbers_are_stored_as_numbers_whether_given_as_numbers_or_as_text() {
    let k = json!({ "type": "number" });
    assert_eq!(run(k.clone(), json!(42)), Ok(json!(42)));
    assert_eq!(run(k.clone(), json!("42")), Ok(json!(42)));
    assert_eq!(run(k.clone(), json!(" -7 ")), Ok(json!(-7)));
    assert_eq!(run(k.clone(), json!("+5")), Ok(json!(5)));
    assert_eq!(run(k.clone(), json!("1 234,5")), Ok(json!(1234.5)));
    assert_eq!(run(k.clone(), json!("1\u{a0}000")), Ok(json!(1000)));
    assert_eq!(run(k.clone(), json!("0.25")), Ok(json!(0.25)));
    assert_eq!(run(k.clone(), json!(0)), Ok(json!(0)));
}

#[test]
fn a_whole_float_is_stored_as_an_integer() {
    let out = run(json!({ "type": "number" }), json!(3.0)).unwrap();
    assert!(out.is_i64(), "{out}");
    assert_eq!(out, json!(3));
    assert_eq!(run(json!({ "type": "number" }), json!("3,0")), Ok(json!(3)));
}

#[test]
fn something_that_is_not_a_number_is_rejected() {
    for bad in [
        json!("abc"),
        json!("1,2,3"),
        json!("1e5"),
        json!("12 kr"),
        json!("-"),
        json!("NaN"),
        json!(true),
        json!([1]),
        json!({}),
    ] {
        assert_eq!(run(json!({ "type": "number" }), bad.clone()), Err(C::NotANumber), "{bad}");
    }
}

#[test]
fn an_integer_field_rejects_fractions() {
    let k = json!({ "type": "number", "integer": true });
    assert_eq!(run(k.clone(), json!(2.5)), Err(C::NotAnInteger));
    assert_eq!(run(k.clone(), json!("2,5")), Err(C::NotAnInteger));
    assert_eq!(run(k, json!("2")), Ok(json!(2)));
}

#[test]
fn numbers_outside_the_bounds_are_rejected_naming_the_bound() {
    let k = json!({ "type": "number", "min": 1, "max": 10.5 });
    assert_eq!(run(k.clone(), json!(1)), Ok(json!(1)));
    assert_eq!(run(k.clone(), json!(10.5)), Ok(json!(10.5)));
    let below = run_error(k.clone(), json!(0.5)).unwrap_err();
    assert_eq!(below.code, C::BelowMinimum);
    assert!(below.message.en.contains("1 or more") && below.message.sv.contains('1'), "{below:?}");
    let above = run_error(k, json!("11")).unwrap_err();
    assert_eq!(above.code, C::AboveMaximum);
    assert!(above.message.en.contains("10.5"), "{above:?}");
}

// ---------------------------------------------------------------- dates

#[test]
fn a_date_is_trimmed_and_stored_as_yyyy_mm_dd() {
    assert_eq!(run(json!({ "type": "date" }), json!(" 2024-02-29 ")), Ok(json!("2024-02-29")));
}

#[test]
fn a_date_that_does_not_exist_or_is_not_written_yyyy_mm_dd_is_invalid() {
    for bad in [
        json!("2023-02-29"),
        json!("2024-13-01"),
        json!("2024-00-10"),
        json!("2024-2-1"),
        json!("20240201"),
        json!("2024/02/01"),
        json!("01-02-2024"),
        json!("2024- 2-01"),
        json!("2024-02- 1"),
        json!("+024-02-01"),
        json!(20240201),
        json!(true),
    ] {
        assert_eq!(run(json!({ "type": "date" }), bad.clone()), Err(C::InvalidDate), "{bad}");
    }
}

#[test]
fn dates_outside_the_bounds_are_rejected_naming_the_bound() {
    let k = json!({ "type": "date", "min": "2024-01-01", "max": "2024-12-31" });
    assert_eq!(run(k.clone(), json!("2024-01-01")), Ok(json!("2024-01-01")));
    assert_eq!(run(k.clone(), json!("2024-12-31")), Ok(json!("2024-12-31")));
    let early = run_error(k.clone(), json!("2023-12-31")).unwrap_err();
    assert_eq!(early.code, C::DateTooEarly);
    assert!(early.message.en.contains("2024-01-01") && early.message.sv.contains("2024-01-01"));
    let late = run_error(k, json!("2025-01-01")).unwrap_err();
    assert_eq!(late.code, C::DateTooLate);
    assert!(late.message.en.contains("2024-12-31"));
}

// ---------------------------------------------------------------- e-mail and phone

#[test]
fn an_email_address_is_trimmed_and_its_domain_lowercased() {
    assert_eq!(
        run(json!({ "type": "email" }), json!("  Anna.Svensson@Example.SE ")),
        Ok(json!("Anna.Svensson@example.se"))
    );
    assert_eq!(
        run(json!({ "type": "email" }), json!("a+tag@sub.helsingborg.se")),
        Ok(json!("a+tag@sub.helsingborg.se"))
    );
}

#[test]
fn something_that_is_not_an_email_address_is_rejected() {
    for bad in [
        "anna",
        "anna@",
        "@example.se",
        "anna@example",
        "anna@@example.se",
        "an na@example.se",
        "anna@-example.se",
        "anna@example-.se",
        "anna@example..se",
        "anna@.example.se",
        "anna@example.se.",
        "anna@exa_mple.se",
    ] {
        assert_eq!(run(json!({ "type": "email" }), json!(bad)), Err(C::InvalidEmail), "{bad}");
    }
    assert_eq!(run(json!({ "type": "email" }), json!(42)), Err(C::InvalidEmail));
    let long_local = format!("{}@example.se", "a".repeat(65));
    assert_eq!(run(json!({ "type": "email" }), json!(long_local)), Err(C::InvalidEmail));
}

#[test]
fn an_email_domain_whose_lowercase_form_is_not_valid_is_rejected() {
    // 'İ' is alphanumeric but lowercases to 'i' plus a combining dot, which is
    // not; accepting it would store an address that is then rejected.
    assert_eq!(normalise_email("a@İstanbul.se"), None);
    assert_eq!(normalise_email("a@ÖSTRA.se"), Some("a@östra.se".to_string()));
}

#[test]
fn a_phone_number_is_stored_in_e164() {
    assert_eq!(run(json!({ "type": "phone" }), json!(" +46 70-123 45 67 ")), Ok(json!("+46701234567")));
    assert_eq!(run(json!({ "type": "phone" }), json!("(042) 10 50 00")), Ok(json!("+4642105000")));
    assert_eq!(run(json!({ "type": "phone" }), json!("070-123 45 67")), Ok(json!("+46701234567")));
}

#[test]
fn a_phone_number_with_too_few_or_too_many_digits_or_letters_is_rejected() {
    for bad in [
        json!("123456"),
        json!("1234567890123456"),
        json!("070-ABC 12 34"),
        json!("++46701234567"),
        json!("46+701234567"),
        json!(701234567),
    ] {
        assert_eq!(run(json!({ "type": "phone" }), bad.clone()), Err(C::InvalidPhone), "{bad}");
    }
    let e = run_error(json!({ "type": "phone" }), json!("701234567")).unwrap_err();
    assert_eq!(
        e.message.sv,
        "Skriv telefonnumret med riktnummer, som 070-123 45 67, eller med landsnummer, som +46 70 123 45 67."
    );
}

// ---------------------------------------------------------------- Swedish numbers and amounts

#[test]
fn swedish_numbers_are_stored_in_their_normal_form() {
    assert_eq!(run(json!({ "type": "organisationsnummer" }), json!("802002-4280")), Ok(json!("8020024280")));
    assert_eq!(run(json!({ "type": "organisationsnummer" }), json!("16802002-4280")), Ok(json!("8020024280")));
    assert_eq!(run(json!({ "type": "postnummer" }), json!("252 25")), Ok(json!("25225")));
    assert_eq!(run(json!({ "type": "bankgiro" }), json!("5050-1055")), Ok(json!("50501055")));
    assert_eq!(run(json!({ "type": "plusgiro" }), json!("90 01 22-3")), Ok(json!("9001223")));
}

#[test]
fn a_wrong_swedish_number_says_what_is_wrong_with_it() {
    let sv = |kind: Value, answer: &str| run_error(kind, json!(answer)).unwrap_err().message.sv;
    assert_eq!(
        sv(json!({ "type": "organisationsnummer" }), "802002-4281"),
        "Organisationsnumret stämmer inte – kontrollera siffrorna."
    );
    assert_eq!(
        sv(json!({ "type": "organisationsnummer" }), "121212-1212"),
        "Det är inte ett organisationsnummer. Skriv organisationens nummer, som 802002-4280."
    );
    assert_eq!(
        sv(json!({ "type": "organisationsnummer" }), "80200242"),
        "Skriv organisationsnumret med tio siffror, som 802002-4280."
    );
    assert_eq!(sv(json!({ "type": "postnummer" }), "2522"), "Skriv postnumret med fem siffror, som 252 25.");
    assert_eq!(sv(json!({ "type": "bankgiro" }), "5050-1056"), "Bankgironumret stämmer inte – kontrollera siffrorna.");
    assert_eq!(sv(json!({ "type": "plusgiro" }), "x"), "Skriv plusgironumret som 90 01 22-3.");
    for kind in ["organisationsnummer", "postnummer", "bankgiro", "plusgiro"] {
        assert_eq!(run(json!({ "type": kind }), json!(8020024280u64)).unwrap_err().as_str(), format!("invalid_{kind}"));
    }
}

#[test]
fn an_amount_is_held_in_ore_within_its_limits_in_kronor() {
    let kind = json!({ "type": "amount", "min_kronor": 100, "max_kronor": 50000 });
    assert_eq!(run(kind.clone(), json!("1 234,50")), Ok(json!(123_450)));
    assert_eq!(run(kind.clone(), json!(123_450)), Ok(json!(123_450)));
    let e = run_error(kind.clone(), json!("50 000,01")).unwrap_err();
    assert_eq!((e.code, e.message.sv.as_str()), (C::AboveMaximum, "Beloppet får inte vara större än 50 000 kr."));
    let e = run_error(kind.clone(), json!("99")).unwrap_err();
    assert_eq!((e.code, e.message.en.as_str()), (C::BelowMinimum, "The amount must be 100 kr or more."));
    assert_eq!(run(kind, json!("-5")), Err(C::InvalidAmount));
    let whole = json!({ "type": "amount", "whole_kronor": true });
    assert_eq!(run(whole.clone(), json!("1 500")), Ok(json!(150_000)));
    assert_eq!(run_error(whole, json!("1 500,50")).unwrap_err().message.sv, "Skriv beloppet i hela kronor, utan öre.");
}

#[test]
fn rules_and_conditions_compare_amounts_with_amounts() {
    let d = def(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "sokt", "label": "Sökt belopp", "kind": { "type": "amount" } },
        { "key": "total", "label": "Total kostnad", "kind": { "type": "amount" } },
        { "key": "mer", "label": "Mer", "condition": { "op": "greater_than", "field": "sokt", "value": 1_000_000 }, "kind": { "type": "long_text" } }
    ], "rules": [{ "key": "hogst_kostnaden", "field": "sokt", "message": { "sv": "Du kan inte söka mer än kostnaden." },
        "check": { "type": "compare", "field": "sokt", "op": "le", "other": "total" } }] }] }));
    let v = visibility(&d, &answers(json!({ "sokt": 1_000_001 })));
    assert!(v.fields.contains("mer"), "over 10 000 kr shows the question");
    let errors = validate(&d, &answers(json!({ "sokt": "20 000", "total": "15 000" }))).unwrap_err();
    assert_eq!(errors[0].rule.as_deref(), Some("hogst_kostnaden"));
    assert!(validate(&d, &answers(json!({ "sokt": "15 000", "total": "15 000" }))).is_ok());
    // An amount (öre) is never compared with a number field.
    let mixed: FormDefinition = serde_json::from_value(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "a", "label": "A", "kind": { "type": "amount" } },
        { "key": "n", "label": "N", "kind": { "type": "number" } }
    ], "rules": [{ "key": "r", "field": "a", "message": { "sv": "Nej" },
        "check": { "type": "sum_at_most", "fields": ["a"], "other": "n" } }] }] }))
    .unwrap();
    assert!(mixed.check().is_err());
}

// ---------------------------------------------------------------- personnummer

#[test]
fn a_personnummer_is_stored_as_twelve_digits() {
    let k = json!({ "type": "personnummer" });
    assert_eq!(run(k.clone(), json!("18900101-9802")), Ok(json!(PNR_1890_0101)));
    assert_eq!(run(k.clone(), json!(PNR_1890_0102)), Ok(json!(PNR_1890_0102)));
    assert_eq!(run(k.clone(), json!(" 189001029819 ")), Ok(json!(PNR_1890_0102)));
    // Ten digits with '+': the person is 100 or older.
    assert_eq!(run(k, json!("900101+9802")), Ok(json!(PNR_1890_0101)));
}

#[test]
fn an_invalid_personnummer_reports_why() {
    let k = json!({ "type": "personnummer" });
    let checksum = run_error(k.clone(), json!("189001019803")).unwrap_err();
    assert_eq!(checksum.code, C::InvalidPersonnummer);
    assert!(checksum.message.en.contains("check digit") && checksum.message.sv.contains("kontrollsiffran"));
    let date = run_error(k.clone(), json!("189013019802")).unwrap_err();
    assert_eq!(date.code, C::InvalidPersonnummer);
    assert!(date.message.en.contains("date") && date.message.sv.contains("datumet"));
    let format = run_error(k.clone(), json!("1890-0101")).unwrap_err();
    assert_eq!(format.code, C::InvalidPersonnummer);
    assert!(format.message.en.contains("YYYYMMDD-XXXX"));
    assert_ne!(checksum.message, date.message);
    assert_ne!(date.message, format.message);
    assert_eq!(run(k, json!(189001019802_u64)), Err(C::InvalidPersonnummer));
}

#[test]
fn a_samordningsnummer_is_accepted_unless_the_field_forbids_it() {
    assert_eq!(run(json!({ "type": "personnummer" }), json!(SAMORDNINGSNUMMER)), Ok(json!(SAMORDNINGSNUMMER)));
    let k = json!({ "type": "personnummer", "allow_samordningsnummer": false });
    assert_eq!(run(k.clone(), json!(SAMORDNINGSNUMMER)), Err(C::SamordningsnummerNotAllowed));
    assert_eq!(run(k, json!(PNR_1890_0101)), Ok(json!(PNR_1890_0101)));
}

// ---------------------------------------------------------------- choices

fn options(values: &[&str]) -> Value {
    values.iter().map(|v| json!({ "value": v, "label": v })).collect()
}

#[test]
fn a_single_choice_must_be_exactly_one_of_the_options() {
    let k = json!({ "type": "single_choice", "options": options(&["yes", "no"]) });
    assert_eq!(run(k.clone(), json!("no")), Ok(json!("no")));
    for bad in [json!("maybe"), json!("Yes"), json!(" yes"), json!(true), json!(["yes"])] {
        assert_eq!(run(k.clone(), bad.clone()), Err(C::InvalidOption), "{bad}");
    }
}

#[test]
fn a_multiple_choice_is_stored_in_option_order() {
    let k = json!({ "type": "multiple_choice", "options": options(&["a", "b", "c"]) });
    assert_eq!(run(k.clone(), json!(["c", "a"])), Ok(json!(["a", "c"])));
    assert_eq!(run(k, json!(["b"])), Ok(json!(["b"])));
}

#[test]
fn a_multiple_choice_rejects_unknown_and_repeated_options() {
    let k = json!({ "type": "multiple_choice", "options": options(&["a", "b", "c"]) });
    assert_eq!(run(k.clone(), json!(["a", "z"])), Err(C::InvalidOption));
    assert_eq!(run(k.clone(), json!(["a", 1])), Err(C::InvalidOption));
    assert_eq!(run(k.clone(), json!(["a", "b", "a"])), Err(C::DuplicateOption));
    assert_eq!(run(k.clone(), json!("a")), Err(C::InvalidType));
    assert_eq!(run(k, json!({ "a": true })), Err(C::InvalidType));
}

#[test]
fn a_multiple_choice_enforces_how_many_may_be_selected() {
    let k = json!({ "type": "multiple_choice", "options": options(&["a", "b", "c"]), "min_selected": 2, "max_selected": 2 });
    let few = run_error(k.clone(), json!(["a"])).unwrap_err();
    assert_eq!(few.code, C::TooFewSelected);
    assert!(few.message.en.contains('2'));
    let many = run_error(k.clone(), json!(["a", "b", "c"])).unwrap_err();
    assert_eq!(many.code, C::TooManySelected);
    assert!(many.message.sv.contains('2'));
    assert_eq!(run(k.clone(), json!(["b", "a"])), Ok(json!(["a", "b"])));
    // Nothing chosen is no answer at all; the field is optional.
    assert_eq!(run(k, json!([])), Ok(Value::Null));
}

#[test]
fn yes_no_takes_only_true_or_false_and_false_is_an_answer() {
    assert_eq!(run(json!({ "type": "yes_no" }), json!(true)), Ok(json!(true)));
    assert_eq!(run(json!({ "type": "yes_no" }), json!(false)), Ok(json!(false)));
    for bad in [json!("yes"), json!("true"), json!(1), json!(0), json!([true])] {
        assert_eq!(run(json!({ "type": "yes_no" }), bad.clone()), Err(C::InvalidType), "{bad}");
    }
    let d = def(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "f", "label": "F", "required": true, "kind": { "type": "yes_no" } }] }] }));
    assert_eq!(validate(&d, &answers(json!({ "f": false }))), Ok(answers(json!({ "f": false }))));
}

// ---------------------------------------------------------------- files

fn file_kind() -> Value {
    json!({ "type": "file", "max_files": 2, "max_size_bytes": 1_048_576, "accept": ["application/pdf", "image/*"] })
}

#[test]
fn a_file_answer_is_stored_as_a_list_of_file_references() {
    let f = file("intyg.pdf", 1000, "application/pdf");
    assert_eq!(run(file_kind(), f.clone()), Ok(json!([f.clone()])));
    let g = file("foto.png", 1_048_576, "Image/PNG");
    assert_eq!(run(file_kind(), json!([f.clone(), g.clone()])), Ok(json!([f, g])));
}

#[test]
fn unexpected_properties_of_a_file_reference_are_dropped() {
    let mut f = file("a.pdf", 1, "application/pdf");
    f["evil"] = json!("<script>");
    let out = run(file_kind(), json!([f])).unwrap();
    assert_eq!(out, json!([file("a.pdf", 1, "application/pdf")]));
}

#[test]
fn too_many_files_are_rejected_naming_the_limit() {
    let f = file("a.pdf", 1, "application/pdf");
    let err = run_error(file_kind(), json!([f, f, f])).unwrap_err();
    assert_eq!(err.code, C::TooManyFiles);
    assert!(err.message.en.contains("at most 2"), "{err:?}");
    let one = json!({ "type": "file", "max_size_bytes": 10 });
    assert_eq!(run(one, json!([file("a", 1, "x/y"), file("b", 1, "x/y")])), Err(C::TooManyFiles));
}

#[test]
fn a_file_larger_than_the_limit_is_rejected_naming_the_limit() {
    let err = run_error(file_kind(), json!([file("big.pdf", 1_048_577, "application/pdf")])).unwrap_err();
    assert_eq!(err.code, C::FileTooLarge);
    assert!(err.message.en.contains("1 MB") && err.message.sv.contains("1 MB"), "{err:?}");
    let small = json!({ "type": "file", "max_size_bytes": 2048 });
    let err = run_error(small, json!(file("a", 4096, "x/y"))).unwrap_err();
    assert!(err.message.en.contains("2 kB"), "{err:?}");
}

#[test]
fn a_file_of_a_type_not_accepted_is_rejected_naming_the_accepted_types() {
    let err = run_error(file_kind(), json!([file("a.exe", 10, "application/x-msdownload")])).unwrap_err();
    assert_eq!(err.code, C::FileTypeNotAllowed);
    assert_eq!(err.message.en, "The file must be PDF or an image (JPG, PNG, GIF or WebP).");
    assert_eq!(err.message.sv, "Filen måste vara PDF eller en bild (JPG, PNG, GIF eller WebP).");
    assert_eq!(run(file_kind(), json!([file("a", 10, "imagex/png")])), Err(C::FileTypeNotAllowed));
    assert!(run(file_kind(), json!([file("a", 10, " image/jpeg ")])).is_ok());
}

#[test]
fn a_file_field_without_accepted_types_takes_any_type() {
    let k = json!({ "type": "file", "max_size_bytes": 100 });
    assert!(run(k, json!(file("x.bin", 100, "application/octet-stream"))).is_ok());
}

#[test]
fn a_file_answer_that_is_not_a_file_reference_is_an_invalid_type() {
    for bad in [
        json!("upload-1"),
        json!([1]),
        json!({ "id": "x" }),
        json!([{ "id": "x", "name": "n", "size": -1, "content_type": "a/b" }]),
        json!(true),
    ] {
        assert_eq!(run(file_kind(), bad.clone()), Err(C::InvalidType), "{bad}");
    }
}

// ---------------------------------------------------------------- unknown, info, required

#[test]
fn an_answer_to_an_unknown_field_is_rejected() {
    let d = single(json!({ "type": "short_text" }));
    assert_eq!(codes(validate(&d, &answers(json!({ "f": "ok", "ghost": "boo" })))), [pair("ghost", C::UnknownField)]);
    assert_eq!(codes(validate(&d, &answers(json!({ "ghost": null })))), [pair("ghost", C::UnknownField)]);
}

#[test]
fn an_answer_to_an_info_text_is_rejected_as_not_answerable() {
    let d = def(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "hello", "label": "Hello", "kind": { "type": "info", "text": "Välkommen" } },
        { "key": "f", "label": "F", "kind": { "type": "short_text" } }] }] }));
    assert_eq!(codes(validate(&d, &answers(json!({ "hello": "hi" })))), [pair("hello", C::NotAnswerable)]);
    assert_eq!(validate(&d, &answers(json!({ "f": "x" }))), Ok(answers(json!({ "f": "x" }))));
}

#[test]
fn a_required_field_without_an_answer_is_reported_and_every_problem_is_listed() {
    let d = def(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "a", "label": "A", "required": true, "kind": { "type": "short_text" } },
        { "key": "b", "label": "B", "required": true, "kind": { "type": "number" } },
        { "key": "c", "label": "C", "kind": { "type": "email" } },
        { "key": "d", "label": "D", "required": true, "kind": { "type": "yes_no" } }] }] }));
    let got = codes(validate(&d, &answers(json!({ "b": null, "c": "nope", "d": true }))));
    assert_eq!(got, [pair("a", C::Required), pair("b", C::Required), pair("c", C::InvalidEmail)]);
    let err = validate(&d, &Answers::new()).unwrap_err();
    assert_eq!(err[0].message.en, "This field is required.");
}

#[test]
fn an_optional_field_without_an_answer_is_left_out() {
    let d = single(json!({ "type": "number" }));
    assert_eq!(validate(&d, &answers(json!({ "f": null }))), Ok(Answers::new()));
    assert_eq!(validate(&d, &answers(json!({ "f": "" }))), Ok(Answers::new()));
}

// ---------------------------------------------------------------- hidden fields and conditions

/// Page `one`: `has_children` (yes/no), `children` (number 1..=20, required,
/// shown when has_children), `older` (shown when children > 2), `unless`
/// (shown unless children is answered). Page `two`, shown when has_children:
/// `school` (required short text, min 3).
fn family() -> FormDefinition {
    def(json!({ "pages": [
        { "key": "one", "title": "One", "fields": [
            { "key": "has_children", "label": "Children?", "kind": { "type": "yes_no" } },
            { "key": "children", "label": "How many?", "required": true,
              "condition": { "op": "equals", "field": "has_children", "value": true },
              "kind": { "type": "number", "integer": true, "min": 1, "max": 20 } },
            { "key": "older", "label": "Older?", "required": true,
              "condition": { "op": "greater_than", "field": "children", "value": 2 },
              "kind": { "type": "yes_no" } },
            { "key": "unless", "label": "Unless", "required": true,
              "condition": { "op": "not", "condition": { "op": "is_answered", "field": "children" } },
              "kind": { "type": "short_text" } }
        ] },
        { "key": "two", "title": "Two",
          "condition": { "op": "equals", "field": "has_children", "value": true },
          "fields": [
            { "key": "school", "label": "School", "required": true, "kind": { "type": "short_text", "min_length": 3 } }
        ] }
    ] }))
}

#[test]
fn a_hidden_field_is_dropped_even_when_invalid() {
    let out = validate(&family(), &answers(json!({ "has_children": false, "children": "many", "unless": "x" })));
    assert_eq!(out, Ok(answers(json!({ "has_children": false, "unless": "x" }))));
}

#[test]
fn a_hidden_required_field_is_not_required() {
    let out = validate(&family(), &answers(json!({ "has_children": false, "unless": "x" })));
    assert_eq!(out, Ok(answers(json!({ "has_children": false, "unless": "x" }))));
}

#[test]
fn a_field_on_a_hidden_page_is_dropped_even_when_invalid() {
    let out = validate(&family(), &answers(json!({ "has_children": false, "unless": "x", "school": 12 })));
    assert_eq!(out, Ok(answers(json!({ "has_children": false, "unless": "x" }))));
    let v = visibility(&family(), &answers(json!({ "has_children": false })));
    assert!(!v.pages.contains("two") && !v.fields.contains("school"));
}

#[test]
fn a_field_whose_condition_depends_on_a_hidden_field_is_hidden() {
    // `children` is hidden, so its answer 5 does not count and `older` is hidden too.
    let a = answers(json!({ "has_children": false, "children": 5, "older": "not a bool", "unless": "x" }));
    assert_eq!(validate(&family(), &a), Ok(answers(json!({ "has_children": false, "unless": "x" }))));
    let v = visibility(&family(), &a);
    assert!(!v.fields.contains("children") && !v.fields.contains("older"), "{v:?}");
    // A negated condition on a hidden field holds: the field counts as unanswered.
    assert!(v.fields.contains("unless"));
}

#[test]
fn shown_fields_are_validated_and_conditions_see_the_normalised_answers() {
    let d = family();
    // "3" becomes the number 3, which is greater than 2, so `older` is shown and required.
    let a = answers(json!({ "has_children": true, "children": " 3 ", "school": "Tågaborg" }));
    assert_eq!(codes(validate(&d, &a)), [pair("older", C::Required)]);
    let mut a = a;
    a.insert("older".into(), json!(true));
    assert_eq!(
        validate(&d, &a),
        Ok(answers(json!({ "has_children": true, "children": 3, "older": true, "school": "Tågaborg" })))
    );
}

#[test]
fn a_field_depending_on_an_invalid_answer_is_hidden_and_only_the_invalid_answer_is_reported() {
    let a =
        answers(json!({ "has_children": true, "children": 50, "older": "junk", "unless": "x", "school": "Ödåkra" }));
    assert_eq!(codes(validate(&family(), &a)), [pair("children", C::AboveMaximum)]);
}

#[test]
fn a_shown_page_is_validated() {
    let a = answers(json!({ "has_children": true, "children": 1, "school": "ab" }));
    assert_eq!(codes(validate(&family(), &a)), [pair("school", C::TooShort)]);
}

/// One page whose first field depends on a later field of the same page.
fn same_page() -> FormDefinition {
    def(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "reason", "label": "Why?", "required": true,
          "condition": { "op": "equals", "field": "answer", "value": "other" },
          "kind": { "type": "short_text" } },
        { "key": "answer", "label": "Answer",
          "kind": { "type": "single_choice", "options": [{ "value": "a", "label": "A" }, { "value": "other", "label": "Other" }] } },
        { "key": "spare", "label": "Spare", "required": true,
          "condition": { "op": "not", "condition": { "op": "is_answered", "field": "late" } },
          "kind": { "type": "short_text" } },
        { "key": "late", "label": "Late", "kind": { "type": "short_text", "min_length": 5 } }
    ] }] }))
}

#[test]
fn same_page_conditions_are_evaluated_after_the_fields_they_depend_on() {
    let d = same_page();
    let a = answers(json!({ "reason": "Because", "answer": "other", "late": "later" }));
    assert_eq!(validate(&d, &a), Ok(a.clone()));
    let a = answers(json!({ "answer": "other", "late": "later" }));
    assert_eq!(codes(validate(&d, &a)), [pair("reason", C::Required)]);
    let a = answers(json!({ "reason": "Because", "answer": "a", "late": "later" }));
    assert_eq!(validate(&d, &a), Ok(answers(json!({ "answer": "a", "late": "later" }))));
}

#[test]
fn errors_are_listed_in_form_order_even_when_fields_are_evaluated_in_another_order() {
    // `late` is evaluated before `spare`; it is invalid, so `spare` is shown and missing.
    let got = codes(validate(&same_page(), &answers(json!({ "answer": "a", "late": "ab" }))));
    assert_eq!(got, [pair("spare", C::Required), pair("late", C::TooShort)]);
}

#[test]
fn validate_page_reports_only_that_pages_problems_using_earlier_answers_for_conditions() {
    let d = family();
    let a = answers(json!({ "has_children": true, "school": "x" }));
    let one: Vec<_> = validate_page(&d, "one", &a).into_iter().map(|e| (e.field, e.code)).collect();
    // `unless` is shown because `children` has no accepted answer yet.
    assert_eq!(one, [pair("children", C::Required), pair("unless", C::Required)]);
    let two: Vec<_> = validate_page(&d, "two", &a).into_iter().map(|e| (e.field, e.code)).collect();
    assert_eq!(two, [pair("school", C::TooShort)]);
    assert!(validate_page(&d, "two", &answers(json!({ "has_children": false, "school": "x" }))).is_empty());
    assert!(validate_page(&d, "no_such_page", &a).is_empty());
}

#[test]
fn visibility_lists_the_shown_pages_and_fields_including_info_texts() {
    let d = def(json!({ "pages": [
        { "key": "a", "title": "A", "fields": [
            { "key": "go", "label": "Go", "kind": { "type": "yes_no" } },
            { "key": "note", "label": "Note", "condition": { "op": "equals", "field": "go", "value": true },
              "kind": { "type": "info", "text": "Good" } } ] },
        { "key": "b", "title": "B", "condition": { "op": "equals", "field": "go", "value": true },
          "fields": [ { "key": "x", "label": "X", "kind": { "type": "short_text" } } ] }
    ] }));
    let v = visibility(&d, &answers(json!({ "go": true })));
    assert_eq!(v.pages, BTreeSet::from(["a".to_string(), "b".to_string()]));
    assert_eq!(v.fields, BTreeSet::from(["go".to_string(), "note".to_string(), "x".to_string()]));
    let v = visibility(&d, &Answers::new());
    assert_eq!(v.pages, BTreeSet::from(["a".to_string()]));
    assert_eq!(v.fields, BTreeSet::from(["go".to_string()]));
}

#[test]
fn an_unchecked_definition_with_a_cycle_is_still_walked_in_form_order_without_panicking() {
    let d: FormDefinition = serde_json::from_value(json!({ "pages": [{ "key": "p", "title": "P", "fields": [
        { "key": "a", "label": "A", "condition": { "op": "is_answered", "field": "b" }, "kind": { "type": "short_text" } },
        { "key": "b", "label": "B", "condition": { "op": "is_answered", "field": "a" }, "kind": { "type": "short_text" } }
    ] }] }))
    .unwrap();
    assert!(d.check().is_err());
    // In form order neither condition sees an answer, so both are hidden.
    assert_eq!(validate(&d, &answers(json!({ "a": "x", "b": "y" }))), Ok(Answers::new()));
}

// ---------------------------------------------------------------- messages and codes

const ALL_CODES: [FieldErrorCode; 35] = FieldErrorCode::ALL;

/// Fails to compile when a code is added, so that `ALL_CODES` is kept complete.
#[allow(dead_code)]
fn every_code_is_listed(code: FieldErrorCode) {
    match code {
        C::Required
        | C::InvalidType
        | C::UnknownField
        | C::NotAnswerable
        | C::TooShort
        | C::TooLong
        | C::PatternMismatch
        | C::NotANumber
        | C::NotAnInteger
        | C::NumberTooLarge
        | C::BelowMinimum
        | C::AboveMaximum
        | C::InvalidDate
        | C::DateTooEarly
        | C::DateTooLate
        | C::InvalidEmail
        | C::InvalidPhone
        | C::InvalidPersonnummer
        | C::SamordningsnummerNotAllowed
        | C::InvalidOption
        | C::DuplicateOption
        | C::TooFewSelected
        | C::TooManySelected
        | C::TooManyFiles
        | C::FileTooLarge
        | C::FileTypeNotAllowed
        | C::FileUnavailable
        | C::Rule
        | C::InvalidOrganisationsnummer
        | C::InvalidPostnummer
        | C::InvalidBankgiro
        | C::InvalidPlusgiro
        | C::InvalidAmount
        | C::TooFewRows
        | C::TooManyRows => {}
    }
}

#[test]
fn every_code_has_a_non_empty_swedish_and_english_message() {
    let params = [
        ("min", "3".to_string()),
        ("max", "9".to_string()),
        ("hint", "fem siffror".to_string()),
        ("accept", "image/*".to_string()),
    ];
    for code in ALL_CODES {
        for p in [&params[..], &[][..]] {
            let m = message(code, p);
            assert!(!m.sv.trim().is_empty() && !m.en.trim().is_empty(), "{code:?}");
            assert_ne!(m.sv, m.en, "{code:?} should have a Swedish text");
            assert!(!m.sv.contains('{') && !m.en.contains('{'), "{code:?}: {m:?}");
        }
    }
    for code in [
        C::InvalidPersonnummer,
        C::InvalidOrganisationsnummer,
        C::InvalidBankgiro,
        C::InvalidPlusgiro,
        C::InvalidAmount,
        C::InvalidPhone,
    ] {
        for reason in ["format", "date", "checksum", "group", "area_code", "too_large", "ore"] {
            let m = message(code, &[("reason", reason.to_string())]);
            assert!(!m.sv.is_empty() && !m.en.is_empty() && m.sv != m.en, "{code:?} {reason}");
        }
    }
}

#[test]
fn parameters_are_filled_into_the_messages() {
    let m = message(C::TooShort, &[("min", "7".to_string())]);
    assert_eq!(m.en, "Enter at least 7 characters.");
    assert_eq!(m.sv, "Skriv minst 7 tecken.");
    let m = message(C::FileTypeNotAllowed, &[("accept", "application/pdf, .jpg, image/png".to_string())]);
    assert_eq!(
        (m.sv.as_str(), m.en.as_str()),
        ("Filen måste vara PDF, JPG eller PNG.", "The file must be PDF, JPG or PNG.")
    );
}

#[test]
fn codes_have_stable_snake_case_names_in_json() {
    let names = [
        "required",
        "invalid_type",
        "unknown_field",
        "not_answerable",
        "too_short",
        "too_long",
        "pattern_mismatch",
        "not_a_number",
        "not_an_integer",
        "number_too_large",
        "below_minimum",
        "above_maximum",
        "invalid_date",
        "date_too_early",
        "date_too_late",
        "invalid_email",
        "invalid_phone",
        "invalid_personnummer",
        "samordningsnummer_not_allowed",
        "invalid_option",
        "duplicate_option",
        "too_few_selected",
        "too_many_selected",
        "too_many_files",
        "file_too_large",
        "file_type_not_allowed",
        "file_unavailable",
        "rule",
        "invalid_organisationsnummer",
        "invalid_postnummer",
        "invalid_bankgiro",
        "invalid_plusgiro",
        "invalid_amount",
        "too_few_rows",
        "too_many_rows",
    ];
    assert_eq!(names.len(), ALL_CODES.len());
    for (code, name) in ALL_CODES.iter().zip(names) {
        assert_eq!(serde_json::to_value(code).unwrap(), json!(name));
        assert_eq!(serde_json::from_value::<FieldErrorCode>(json!(name)).unwrap(), *code);
    }
}

#[test]
fn a_field_error_serialises_with_field_code_and_both_messages() {
    let err = run_error(json!({ "type": "email" }), json!("x")).unwrap_err();
    let v = serde_json::to_value(&err).unwrap();
    assert_eq!(v["field"], "f");
    assert_eq!(v["code"], "invalid_email");
    assert!(v["message"]["sv"].as_str().is_some_and(|s| s.contains("e-postadress")));
    assert!(v["message"]["en"].as_str().is_some_and(|s| s.contains("e-mail")));
}

// ---------------------------------------------------------------- properties

/// A form using every kind, conditions of every sort, a conditional page, a
/// same-page dependency listed before its dependency and a chain of conditions.
fn rich() -> FormDefinition {
    def(json!({ "pages": [
        { "key": "applicant", "title": "Applicant", "fields": [
            { "key": "name", "label": "Name", "required": true, "kind": { "type": "short_text", "min_length": 2, "max_length": 40 } },
            { "key": "zip", "label": "Zip", "kind": { "type": "short_text", "pattern": "[0-9]{3} ?[0-9]{2}", "pattern_description": "five digits" } },
            { "key": "pnr", "label": "Pnr", "kind": { "type": "personnummer", "allow_samordningsnummer": false } },
            { "key": "email", "label": "E-mail", "kind": { "type": "email" } },
            { "key": "phone", "label": "Phone", "kind": { "type": "phone" } },
            { "key": "applicant_type", "label": "Type", "required": true,
              "kind": { "type": "single_choice", "options": [{ "value": "private", "label": "Private" }, { "value": "company", "label": "Company" }] } },
            { "key": "has_children", "label": "Children?", "kind": { "type": "yes_no" } },
            { "key": "children", "label": "How many", "required": true,
              "condition": { "op": "equals", "field": "has_children", "value": true },
              "kind": { "type": "number", "integer": true, "min": 1, "max": 20 } },
            { "key": "older", "label": "Older", "condition": { "op": "greater_than", "field": "children", "value": 2 }, "kind": { "type": "yes_no" } },
            { "key": "welcome", "label": "Welcome", "kind": { "type": "info", "text": "Hi" } }
        ] },
        { "key": "company", "title": "Company",
          "condition": { "op": "equals", "field": "applicant_type", "value": "company" },
          "fields": [
            { "key": "org_name", "label": "Org", "required": true, "kind": { "type": "short_text" } },
            { "key": "founded", "label": "Founded", "kind": { "type": "date", "min": "1900-01-01", "max": "2030-12-31" } },
            { "key": "employees", "label": "Employees", "kind": { "type": "number", "min": 0 } }
        ] },
        { "key": "details", "title": "Details", "fields": [
            { "key": "other_interest", "label": "Other", "required": true,
              "condition": { "op": "contains", "field": "interests", "value": "other" }, "kind": { "type": "short_text" } },
            { "key": "interests", "label": "Interests",
              "kind": { "type": "multiple_choice", "min_selected": 1, "max_selected": 2,
                        "options": [{ "value": "sport", "label": "Sport" }, { "value": "music", "label": "Music" }, { "value": "other", "label": "Other" }] } },
            { "key": "story", "label": "Story", "condition": { "op": "not", "condition": { "op": "is_answered", "field": "founded" } },
              "kind": { "type": "long_text", "max_length": 200 } },
            { "key": "start", "label": "Start", "condition": { "op": "any", "conditions": [
                { "op": "less_than", "field": "employees", "value": 10 },
                { "op": "contains", "field": "story", "value": "start" } ] },
              "kind": { "type": "date" } },
            { "key": "attachments", "label": "Files", "condition": { "op": "one_of", "field": "applicant_type", "values": ["company"] },
              "kind": { "type": "file", "max_files": 2, "max_size_bytes": 1000, "accept": ["application/pdf", "image/*"] } },
            { "key": "note", "label": "Note", "condition": { "op": "equals", "field": "has_children", "value": true },
              "kind": { "type": "info", "text": "Note" } }
        ] }
    ] }))
}

const RICH_KEYS: [&str; 19] = [
    "name",
    "zip",
    "pnr",
    "email",
    "phone",
    "applicant_type",
    "has_children",
    "children",
    "older",
    "welcome",
    "org_name",
    "founded",
    "employees",
    "other_interest",
    "interests",
    "story",
    "start",
    "attachments",
    "note",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        ".{0,12}".prop_map(Value::String),
        "[0-9 ,.+-]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,12}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Plausible answers per field: mostly values of the right shape, some
/// wrong, some absent, with surrounding whitespace and other forms that
/// normalisation changes.
fn plausible(key: &str) -> BoxedStrategy<Option<Value>> {
    let good: Vec<Value> = match key {
        "name" => vec![json!("Anna"), json!("  Bo Ek "), json!("A"), json!("Åsa-Li")],
        "zip" => vec![json!("252 21"), json!("25221"), json!(" 25221 "), json!("2522")],
        "pnr" => vec![json!(PNR_1890_0101), json!("18900102-9819"), json!(SAMORDNINGSNUMMER), json!("189001019803")],
        "email" => vec![json!("a@B.se"), json!(" x.y@helsingborg.SE "), json!("no-at-sign")],
        "phone" => vec![json!("+46 42 10 50 00"), json!("042-105000"), json!("123")],
        "applicant_type" => vec![json!("private"), json!("company"), json!("company"), json!("other")],
        "has_children" | "older" => vec![json!(true), json!(false), json!("yes")],
        "children" => vec![json!(1), json!("3"), json!(" 7 "), json!(3.0), json!(2.5), json!(99)],
        "org_name" => vec![json!("AB Kullen"), json!(" Öresund HB ")],
        "founded" => vec![json!("1999-12-31"), json!(" 2024-02-29 "), json!("2023-02-29"), json!("1800-01-01")],
        "employees" => vec![json!(0), json!("1 200"), json!("4,5"), json!(-1)],
        "other_interest" => vec![json!("chess"), json!("  knitting ")],
        "interests" => vec![
            json!(["sport"]),
            json!(["other", "sport"]),
            json!(["music", "other"]),
            json!(["sport", "sport"]),
            json!([]),
        ],
        "story" => vec![json!("we start today"), json!(" a story "), json!("x".repeat(201))],
        "start" => vec![json!("2025-06-01"), json!("2025-6-1")],
        "attachments" => vec![
            file("a.pdf", 10, "application/pdf"),
            json!([file("b.png", 999, "image/png"), file("c.pdf", 1, "application/pdf")]),
            json!([file("big.pdf", 1001, "application/pdf")]),
        ],
        _ => vec![json!("x")],
    };
    prop_oneof![
        8 => prop::sample::select(good).prop_map(Some),
        2 => Just(None),
        1 => arb_json().prop_map(Some),
    ]
    .boxed()
}

fn arb_plausible_answers() -> impl Strategy<Value = Answers> {
    // Info texts take no answer, so leave them out; every other field gets a plausible value.
    let keys: Vec<&'static str> = RICH_KEYS.iter().copied().filter(|k| !matches!(*k, "welcome" | "note")).collect();
    let strategies: Vec<BoxedStrategy<Option<Value>>> = keys.iter().map(|k| plausible(k)).collect();
    strategies.prop_map(move |values| {
        keys.iter().zip(values).filter_map(|(k, v)| v.map(|v| (k.to_string(), v))).collect::<Answers>()
    })
}

fn arb_any_answers() -> impl Strategy<Value = Answers> {
    let key = prop_oneof![8 => prop::sample::select(RICH_KEYS.to_vec()).prop_map(str::to_string), 1 => "[a-z_]{1,8}"];
    prop::collection::btree_map(key, arb_json(), 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn validate_never_panics_on_arbitrary_json_answers(a in arb_any_answers()) {
        let d = rich();
        let result = validate(&d, &a);
        let _ = visibility(&d, &a);
        for page in &d.pages {
            let _ = validate_page(&d, &page.key, &a);
        }
        if let Err(errors) = result {
            prop_assert!(!errors.is_empty());
        }
    }

    #[test]
    fn validation_is_idempotent(a in arb_plausible_answers()) {
        let d = rich();
        if let Ok(out) = validate(&d, &a) {
            prop_assert_eq!(validate(&d, &out), Ok(out.clone()));
        }
    }

    #[test]
    fn hidden_fields_never_appear_in_the_output_nor_in_the_errors(a in arb_plausible_answers()) {
        let d = rich();
        let shown = visibility(&d, &a).fields;
        match validate(&d, &a) {
            Ok(out) => {
                for key in out.keys() {
                    prop_assert!(shown.contains(key), "{} is hidden but kept", key);
                }
            }
            Err(errors) => {
                for e in errors {
                    prop_assert!(shown.contains(&e.field), "{} is hidden but reported as {:?}", e.field, e.code);
                }
            }
        }
    }

    #[test]
    fn visibility_agrees_with_the_keys_of_the_output_for_answered_fields(a in arb_plausible_answers()) {
        let d = rich();
        let v = visibility(&d, &a);
        if let Ok(out) = validate(&d, &a) {
            for (key, raw) in &a {
                if crate::condition::is_answered(raw) {
                    prop_assert_eq!(out.contains_key(key), v.fields.contains(key), "{}", key);
                }
            }
            // The output alone shows the same pages and fields.
            prop_assert_eq!(visibility(&d, &out), v);
        }
    }

    #[test]
    fn errors_come_one_per_field_in_form_order_and_validate_page_agrees(a in arb_any_answers()) {
        let d = rich();
        let position: BTreeMap<&str, usize> = RICH_KEYS.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        if let Err(errors) = validate(&d, &a) {
            let walked: Vec<usize> = errors
                .iter()
                .filter(|e| !matches!(e.code, C::UnknownField | C::NotAnswerable))
                .map(|e| position[e.field.as_str()])
                .collect();
            prop_assert!(walked.windows(2).all(|w| w[0] < w[1]), "{:?}", errors);
            for page in &d.pages {
                for e in validate_page(&d, &page.key, &a) {
                    prop_assert!(page.fields.iter().any(|f| f.key == e.field));
                    prop_assert!(errors.contains(&e), "{:?}", e);
                }
            }
        } else {
            for page in &d.pages {
                prop_assert!(validate_page(&d, &page.key, &a).is_empty());
            }
        }
    }

    #[test]
    fn accepted_short_text_is_the_trimmed_input(s in "\\PC{0,30}") {
        match run(json!({ "type": "short_text" }), json!(s)) {
            Ok(Value::Null) => prop_assert!(s.trim().is_empty()),
            Ok(out) => prop_assert_eq!(out, json!(s.trim())),
            Err(code) => prop_assert!(false, "{:?}", code),
        }
    }

    #[test]
    fn any_whole_number_in_range_is_stored_exactly(n in -1_000_000_000_000i64..1_000_000_000_000) {
        prop_assert_eq!(run(json!({ "type": "number", "integer": true }), json!(n)), Ok(json!(n)));
        prop_assert_eq!(run(json!({ "type": "number" }), json!(n.to_string())), Ok(json!(n)));
    }

    #[test]
    fn a_normalised_number_normalises_to_itself(f in any::<f64>()) {
        if let Some(n) = serde_json::Number::from_f64(f)
            && let Ok(out) = run(json!({ "type": "number" }), Value::Number(n)) {
                prop_assert_eq!(run(json!({ "type": "number" }), out.clone()), Ok(out));
            }
    }

    #[test]
    fn email_normalisation_is_idempotent(
        s in prop_oneof!["\\PC{0,30}", "[a-zA-Z0-9.+_-]{1,8}@[a-zA-ZİÅÖÉẞ0-9.-]{1,12}"]
    ) {
        if let Some(e) = normalise_email(&s) {
            prop_assert_eq!(normalise_email(&e), Some(e.clone()));
            prop_assert!(e.contains('@'));
        }
    }

    #[test]
    fn a_condition_on_a_hidden_field_holds_only_when_negated(answer in arb_json()) {
        // `children` is hidden because has_children is false, whatever is answered for it.
        let d = family();
        let a: Answers = [("has_children".to_string(), json!(false)), ("children".to_string(), answer), ("unless".to_string(), json!("u"))].into();
        let v = visibility(&d, &a);
        prop_assert!(!v.fields.contains("children") && !v.fields.contains("older"));
        prop_assert!(v.fields.contains("unless"));
        prop_assert_eq!(validate(&d, &a), Ok(answers(json!({ "has_children": false, "unless": "u" }))));
    }
}

#[test]
fn a_known_extension_needs_content_of_its_type_whatever_the_name_and_media_type_parameters_are_ignored() {
    let kind = json!({ "type": "file", "max_size_bytes": 1000, "accept": [".pdf", "text/plain"] });
    // The content decides: a PDF named anything passes, a text file named .pdf does not.
    assert!(run(kind.clone(), json!([file("Intyg", 10, "application/pdf")])).is_ok());
    assert_eq!(
        run(kind.clone(), json!([file("Intyg.PDF", 10, "application/octet-stream")])),
        Err(C::FileTypeNotAllowed)
    );
    let other = json!({ "type": "file", "max_size_bytes": 1000, "accept": [".heic"] });
    assert!(
        run(other, json!([file("bild.HEIC", 10, "application/octet-stream")])).is_ok(),
        "an unknown extension: the name"
    );
    assert!(run(kind.clone(), json!([file("notes.txt", 10, "text/plain; charset=utf-8")])).is_ok());
    assert_eq!(run(kind.clone(), json!([file("pdf", 10, "application/octet-stream")])), Err(C::FileTypeNotAllowed));
    assert_eq!(run(kind, json!([file("a.pdf.exe", 10, "application/x-msdownload")])), Err(C::FileTypeNotAllowed));
}
