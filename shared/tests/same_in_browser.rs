//! What the browser and the server must judge alike. The applicant's browser runs `shared`
//! compiled to wasm and the server runs it natively; this file holds one set of answers with
//! the outcome each must have, and runs twice: as an ordinary test here, and compiled to wasm in
//! headless Chromium (`scripts/test.sh`: `cargo test --target wasm32-unknown-unknown` through
//! wasm-bindgen's test runner), so a difference between the two runtimes (number parsing, date
//! arithmetic, Unicode, the pattern engine) fails one of the two runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use shared::validate::validate_on;
use shared::{Answers, FormDefinition};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The day every case is judged as on.
const TODAY: (i32, u32, u32) = (2026, 12, 7);

/// A grant form with a rule of every kind, a pattern, the Swedish number kinds and a
/// repeating group with a row rule.
fn form() -> FormDefinition {
    let form: FormDefinition = serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "medlemmar", "label": "Medlemmar", "required": true, "kind": {"type": "number", "integer": true}},
        {"key": "unga", "label": "Unga", "required": true, "kind": {"type": "number", "integer": true}},
        {"key": "start", "label": "Start", "required": true, "kind": {"type": "date"}},
        {"key": "slut", "label": "Slut", "required": true, "kind": {"type": "date"}},
        {"key": "sokande", "label": "Sökande", "kind": {"type": "personnummer"}},
        {"key": "orgnr", "label": "Organisationsnummer", "kind": {"type": "organisationsnummer"}},
        {"key": "belopp", "label": "Belopp", "kind": {"type": "amount", "max_kronor": 50000}},
        {"key": "kod", "label": "Kod", "kind": {"type": "short_text", "pattern": "[A-ZÅÄÖ]{2}-\\d{3}"}},
        {"key": "namn", "label": "Namn", "kind": {"type": "short_text", "min_length": 2}},
        {"key": "styrelse", "label": "Styrelsen", "kind": {"type": "group"}, "fields": [
            {"key": "ledamot", "label": "Ledamot", "required": true, "kind": {"type": "short_text"}},
            {"key": "epost", "label": "E-post", "kind": {"type": "email"}},
            {"key": "telefon", "label": "Telefon", "kind": {"type": "phone"}}],
            "rules": [{"key": "nas", "field": "epost", "message": "Fyll i e-post eller telefon",
                "check": {"type": "at_least_one", "fields": ["epost", "telefon"]}}]}
    ], "rules": [
        {"key": "unga_hogst_alla", "field": "unga", "message": "Fler unga än medlemmar",
         "check": {"type": "sum_at_most", "fields": ["unga"], "other": "medlemmar"}},
        {"key": "slut_efter_start", "field": "slut", "message": "Slut före start",
         "check": {"type": "compare", "field": "slut", "op": "gt", "other": "start"}},
        {"key": "hogst_tva_ar", "field": "slut", "message": "Över två år",
         "check": {"type": "date_within", "field": "slut", "after": "start", "max": 2, "unit": "years"}},
        {"key": "inte_bakat", "field": "start", "message": "Start före i dag",
         "check": {"type": "from_today", "field": "start", "min_days": 0}},
        {"key": "myndig", "field": "sokande", "message": "Under 18",
         "check": {"type": "age", "field": "sokande", "min": 18}}
    ]}]}))
    .unwrap();
    form.check().unwrap();
    form
}

/// Answers that break nothing; each case changes some of them.
fn good() -> Value {
    json!({"medlemmar": "40", "unga": 12, "start": "2027-06-01", "slut": "2029-06-01",
           "sokande": "19900101-2385", "orgnr": "802002-4280", "belopp": "1 500,50", "kod": "ÅÄ-123",
           "namn": "Råå", "styrelse": [{"ledamot": "Anna", "telefon": "070-123 45 67"}]})
}

/// What is refused where, as `path code rule` (the rule's key, where it is one).
fn judged(changes: Value) -> Vec<String> {
    let mut answers = good();
    for (key, value) in changes.as_object().unwrap() {
        answers[key] = value.clone();
    }
    let answers: Answers = serde_json::from_value(answers).unwrap();
    match validate_on(&form(), &answers, TODAY) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| format!("{} {} {}", e.path(), e.code.as_str(), e.rule.as_deref().unwrap_or("-")))
            .collect(),
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn rules_across_fields_give_the_same_outcome_in_the_browser_and_on_the_server() {
    let cases: [(Value, &[&str]); 9] = [
        (json!({}), &[]),
        (json!({"unga": 41}), &["unga rule unga_hogst_alla"]),
        (json!({"slut": "2027-05-31"}), &["slut rule slut_efter_start"]),
        // 1 June 2027 + 2 years is 1 June 2029: one day more is over.
        (json!({"slut": "2029-06-02"}), &["slut rule hogst_tva_ar"]),
        (json!({"start": "2026-12-06", "slut": "2027-01-01"}), &["start rule inte_bakat"]),
        // Born 8 December 2008: 17 on 7 December 2026, 18 the day after.
        (json!({"sokande": "200812082386"}), &["sokande rule myndig"]),
        (json!({"sokande": "200812072387"}), &[]),
        (
            json!({"styrelse": [{"ledamot": "Anna"}, {"ledamot": " ", "epost": "a@b.se"}]}),
            &["styrelse.0.epost rule nas", "styrelse.1.ledamot required -"],
        ),
        (
            json!({"unga": 41, "slut": "2027-01-01", "start": "2027-02-01"}),
            &["unga rule unga_hogst_alla", "slut rule slut_efter_start"],
        ),
    ];
    for (changes, expected) in cases {
        assert_eq!(judged(changes.clone()), expected, "{changes}");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn kinds_and_patterns_read_answers_the_same_in_the_browser_and_on_the_server() {
    let cases: [(Value, &[&str]); 9] = [
        (json!({"medlemmar": "40,0"}), &[]),
        (json!({"medlemmar": "2,5"}), &["medlemmar not_an_integer -"]),
        (json!({"medlemmar": 9_007_199_254_740_993_u64}), &["medlemmar number_too_large -"]),
        (json!({"orgnr": "802002-4281"}), &["orgnr invalid_organisationsnummer -"]),
        (json!({"belopp": "50 000,01"}), &["belopp above_maximum -"]),
        (json!({"kod": "ÅX-12"}), &["kod pattern_mismatch -"]),
        // Characters are counted as the same code points: Å written as one, and as A and a ring.
        (json!({"namn": "\u{00C5}"}), &["namn too_short -"]),
        (json!({"namn": "A\u{030A}"}), &[]),
        (json!({"namn": "\u{200B}\u{200B}"}), &[]),
    ];
    for (changes, expected) in cases {
        assert_eq!(judged(changes.clone()), expected, "{changes}");
    }
}
