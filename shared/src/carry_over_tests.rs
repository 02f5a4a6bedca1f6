//! Tests of carrying answers over to a new form version.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::test_support::{answers, def};
use crate::validate::validate;

fn keys(r: &[ReanswerField]) -> Vec<&str> {
    r.iter().map(|f| f.field.as_str()).collect()
}

fn one_page(fields: Value) -> FormDefinition {
    def(json!({ "pages": [{ "key": "p", "title": "P", "fields": fields }] }))
}

fn v1() -> FormDefinition {
    def(json!({ "pages": [
        { "key": "om_dig", "title": "Om dig", "fields": [
            { "key": "namn", "label": "Namn", "required": true, "kind": { "type": "short_text", "max_length": 50 } },
            { "key": "alder", "label": "Ålder", "required": true, "kind": { "type": "number", "min": 0, "max": 130 } },
            { "key": "har_hund", "label": "Har du hund?", "required": true, "kind": { "type": "yes_no" } },
            { "key": "hundens_namn", "label": "Hundens namn", "required": true,
              "condition": { "op": "equals", "field": "har_hund", "value": true }, "kind": { "type": "short_text" } }
        ] },
        { "key": "kontakt", "title": "Kontakt", "fields": [
            { "key": "epost", "label": "E-post", "kind": { "type": "short_text" } },
            { "key": "boende", "label": "Boende", "kind": { "type": "single_choice",
              "options": [{ "value": "hus", "label": "Hus" }, { "value": "lagenhet", "label": "Lägenhet" }] } },
            { "key": "info", "label": "Info", "kind": { "type": "info", "text": "Tack." } }
        ] }
    ] }))
}

#[test]
fn an_unchanged_form_keeps_every_answer_even_unfinished_ones_and_asks_for_nothing() {
    let a = answers(json!({ "namn": " Tolvan ", "alder": "inte ett tal", "har_hund": true, "hundens_namn": "Fido" }));
    let (kept, reanswer) = carry_over(&v1(), &v1(), &a);
    assert_eq!(kept, a);
    assert!(reanswer.is_empty(), "{reanswer:?}");
}

#[test]
fn answers_to_removed_fields_are_dropped_without_asking_again() {
    let v2 = def(json!({ "pages": [{ "key": "om_dig", "title": "Om dig", "fields": [
        { "key": "namn", "label": "Namn", "required": true, "kind": { "type": "short_text", "max_length": 50 } }
    ] }] }));
    let (kept, reanswer) = carry_over(&v1(), &v2, &answers(json!({ "namn": "Tolvan", "alder": 40 })));
    assert_eq!(kept, answers(json!({ "namn": "Tolvan" })));
    assert!(reanswer.is_empty());
}

#[test]
fn an_answer_that_no_longer_fits_the_new_constraints_is_dropped_and_asked_for_again() {
    let v2 = one_page(json!([
        { "key": "namn", "label": "Förnamn", "kind": { "type": "short_text", "max_length": 5 } },
        { "key": "alder", "label": "Ålder i år", "kind": { "type": "number", "min": 18, "max": 130, "integer": true } },
        { "key": "boende", "label": "Boende", "kind": { "type": "single_choice", "options": [{ "value": "hus", "label": "Hus" }] } }
    ]));
    let (kept, reanswer) =
        carry_over(&v1(), &v2, &answers(json!({ "namn": "Tolvan Tolvansson", "alder": 40, "boende": "lagenhet" })));
    assert_eq!(kept, answers(json!({ "alder": 40 })));
    assert_eq!(
        reanswer,
        [
            ReanswerField { field: "namn".into(), label: "Förnamn".into() },
            ReanswerField { field: "boende".into(), label: "Boende".into() }
        ],
        "in form order, with the new labels"
    );
    let (kept, reanswer) = carry_over(&v1(), &v2, &answers(json!({ "alder": 12.5, "boende": "hus" })));
    assert_eq!(kept, answers(json!({ "boende": "hus" })));
    assert_eq!(keys(&reanswer), ["alder"]);
}

#[test]
fn text_answers_move_between_text_email_and_telephone_fields_when_they_validate() {
    let v2 = def(json!({ "pages": [
        { "key": "om_dig", "title": "Om dig", "fields": [
            { "key": "namn", "label": "Namn", "kind": { "type": "long_text" } }
        ] },
        { "key": "kontakt", "title": "Kontakt", "fields": [
            { "key": "epost", "label": "E-post", "kind": { "type": "email" } }
        ] }
    ] }));
    let (kept, reanswer) =
        carry_over(&v1(), &v2, &answers(json!({ "namn": "Tolvan", "epost": " tolvan@example.org " })));
    assert_eq!(kept, answers(json!({ "namn": "Tolvan", "epost": " tolvan@example.org " })), "kept as given");
    assert!(reanswer.is_empty());
    let (kept, reanswer) = carry_over(&v1(), &v2, &answers(json!({ "epost": "ring mig" })));
    assert!(kept.is_empty());
    assert_eq!(keys(&reanswer), ["epost"]);
}

#[test]
fn an_incompatible_kind_drops_the_answer_even_when_the_value_would_parse() {
    // yes/no became a choice; a number became text.
    let v2 = one_page(json!([
        { "key": "har_hund", "label": "Hund?", "kind": { "type": "single_choice",
          "options": [{ "value": "true", "label": "Ja" }, { "value": "false", "label": "Nej" }] } },
        { "key": "alder", "label": "Ålder", "kind": { "type": "short_text" } }
    ]));
    let (kept, reanswer) = carry_over(&v1(), &v2, &answers(json!({ "har_hund": true, "alder": "40" })));
    assert!(kept.is_empty(), "{kept:?}");
    assert_eq!(keys(&reanswer), ["har_hund", "alder"]);
}

#[test]
fn new_or_newly_required_fields_without_an_answer_are_listed() {
    let v2 = def(json!({ "pages": [
        { "key": "om_dig", "title": "Om dig", "fields": [
            { "key": "namn", "label": "Namn", "required": true, "kind": { "type": "short_text", "max_length": 50 } },
            { "key": "alder", "label": "Ålder", "required": true, "kind": { "type": "number", "min": 0, "max": 130 } },
            { "key": "telefon", "label": "Telefon", "required": true, "kind": { "type": "phone" } },
            { "key": "smeknamn", "label": "Smeknamn", "kind": { "type": "short_text" } }
        ] },
        { "key": "kontakt", "title": "Kontakt", "fields": [
            { "key": "epost", "label": "E-post", "required": true, "kind": { "type": "short_text" } },
            { "key": "boende", "label": "Boende", "required": true, "kind": { "type": "single_choice",
              "options": [{ "value": "hus", "label": "Hus" }, { "value": "lagenhet", "label": "Lägenhet" }] } }
        ] }
    ] }));
    // `alder` was required before too and is simply not answered yet: not listed.
    // `boende` became required but is answered: not listed.
    let (kept, reanswer) = carry_over(&v1(), &v2, &answers(json!({ "namn": "Tolvan", "boende": "hus" })));
    assert_eq!(kept, answers(json!({ "namn": "Tolvan", "boende": "hus" })));
    assert_eq!(keys(&reanswer), ["telefon", "epost"]);
}

#[test]
fn hidden_fields_keep_their_answers_silently_and_are_never_listed() {
    let v2 = def(json!({ "pages": [
        { "key": "om_dig", "title": "Om dig", "fields": [
            { "key": "har_hund", "label": "Har du hund?", "required": true, "kind": { "type": "yes_no" } },
            { "key": "hundens_namn", "label": "Hundens namn", "required": true,
              "condition": { "op": "equals", "field": "har_hund", "value": true }, "kind": { "type": "short_text", "max_length": 3 } },
            { "key": "hundens_ras", "label": "Ras", "required": true,
              "condition": { "op": "equals", "field": "har_hund", "value": true }, "kind": { "type": "short_text" } }
        ] },
        { "key": "hund", "title": "Hunden", "condition": { "op": "equals", "field": "har_hund", "value": true }, "fields": [
            { "key": "vaccinerad", "label": "Vaccinerad?", "required": true, "kind": { "type": "yes_no" } }
        ] }
    ] }));
    let old_hidden = answers(json!({ "har_hund": false, "hundens_namn": "Fido" }));
    let (kept, reanswer) = carry_over(&v1(), &v2, &old_hidden);
    assert_eq!(kept, answers(json!({ "har_hund": false })), "Fido no longer fits, but the field is hidden");
    assert!(reanswer.is_empty(), "{reanswer:?}");
    let (_, reanswer) = carry_over(&v1(), &v2, &answers(json!({ "har_hund": true, "hundens_namn": "Fido" })));
    assert_eq!(keys(&reanswer), ["hundens_namn", "hundens_ras", "vaccinerad"]);
    let (kept, _) = carry_over(&v1(), &v2, &answers(json!({ "har_hund": false, "hundens_namn": "Bo" })));
    assert_eq!(kept, answers(json!({ "har_hund": false, "hundens_namn": "Bo" })), "a fitting hidden answer stays");
}

#[test]
fn blank_answers_and_answers_to_fields_that_became_info_texts_are_left_out() {
    let v2 = one_page(json!([
        { "key": "namn", "label": "Namn", "kind": { "type": "info", "text": "Vi vet vem du är." } },
        { "key": "epost", "label": "E-post", "kind": { "type": "short_text" } }
    ]));
    let (kept, reanswer) = carry_over(&v1(), &v2, &answers(json!({ "namn": "Tolvan", "epost": "  ", "boende": null })));
    assert!(kept.is_empty(), "{kept:?}");
    assert!(reanswer.is_empty(), "{reanswer:?}");
}

#[test]
fn file_answers_are_checked_against_the_new_limits() {
    let file = json!({ "id": "0192", "name": "ritning.pdf", "size": 5000, "content_type": "application/pdf" });
    let old = one_page(json!([
        { "key": "ritning", "label": "Ritning", "kind": { "type": "file", "max_size_bytes": 10000 } },
        { "key": "foto", "label": "Foto", "kind": { "type": "file", "max_size_bytes": 10000 } }
    ]));
    let new = one_page(json!([
        { "key": "ritning", "label": "Ritning", "kind": { "type": "file", "max_size_bytes": 10000, "accept": [".pdf"] } },
        { "key": "foto", "label": "Foto", "kind": { "type": "file", "max_size_bytes": 1000 } }
    ]));
    let (kept, reanswer) = carry_over(&old, &new, &answers(json!({ "ritning": [file.clone()], "foto": file })));
    assert_eq!(kept.keys().collect::<Vec<_>>(), ["ritning"]);
    assert_eq!(keys(&reanswer), ["foto"]);
}

#[test]
fn a_complete_answer_set_that_is_carried_over_without_notice_still_validates_when_nothing_new_is_required() {
    let a = answers(json!({ "namn": "Tolvan", "alder": 40, "har_hund": false, "epost": "t@example.org" }));
    assert!(validate(&v1(), &a).is_ok());
    let mut v2 = v1();
    v2.pages[1]
        .fields
        .push(serde_json::from_value(json!({ "key": "ny", "label": "Ny", "kind": { "type": "yes_no" } })).unwrap());
    let (kept, reanswer) = carry_over(&v1(), &v2, &a);
    assert!(reanswer.is_empty());
    assert!(validate(&v2, &kept).is_ok());
}

// ---------------------------------------------------------------- properties

const KEYS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

fn kinds() -> Vec<Value> {
    vec![
        json!({ "type": "short_text", "max_length": 5 }),
        json!({ "type": "short_text", "pattern": "[0-9]+" }),
        json!({ "type": "long_text" }),
        json!({ "type": "number", "max": 10 }),
        json!({ "type": "number", "integer": true }),
        json!({ "type": "date", "min": "2020-01-01" }),
        json!({ "type": "email" }),
        json!({ "type": "phone" }),
        json!({ "type": "personnummer", "allow_samordningsnummer": false }),
        json!({ "type": "single_choice", "options": [{ "value": "a", "label": "A" }, { "value": "b", "label": "B" }] }),
        json!({ "type": "single_choice", "display": "select", "options": [{ "value": "a", "label": "A" }] }),
        json!({ "type": "multiple_choice", "max_selected": 1, "options": [{ "value": "a", "label": "A" }, { "value": "b", "label": "B" }] }),
        json!({ "type": "yes_no" }),
        json!({ "type": "file", "max_size_bytes": 100, "max_files": 2 }),
        json!({ "type": "info", "text": "Info" }),
    ]
}

/// A form over some of [`KEYS`] with random kinds, `required` flags and
/// conditions; not necessarily one that passes `check` (conditions may point
/// anywhere), since carrying over must cope with whatever is stored.
fn arb_form() -> impl Strategy<Value = FormDefinition> {
    let field = (prop::option::weighted(0.8, (0..kinds().len(), any::<bool>(), 0..4usize)), any::<bool>());
    (prop::collection::vec(field, KEYS.len()), 0..3usize).prop_map(|(fields, page_condition)| {
        let kinds = kinds();
        let mut pages = [Vec::new(), Vec::new()];
        for (i, (spec, second_page)) in fields.into_iter().enumerate() {
            let Some((kind, required, condition)) = spec else { continue };
            let mut f = json!({ "key": KEYS[i], "label": KEYS[i].to_uppercase(), "required": required, "kind": kinds[kind] });
            match condition {
                1 => f["condition"] = json!({ "op": "equals", "field": "a", "value": true }),
                2 => f["condition"] = json!({ "op": "not", "condition": { "op": "is_answered", "field": KEYS[(i + 5) % 6] } }),
                _ => {}
            }
            pages[usize::from(second_page)].push(f);
        }
        let mut second = json!({ "key": "p2", "title": "P2", "fields": pages[1] });
        match page_condition {
            1 => second["condition"] = json!({ "op": "any", "conditions": [{ "op": "equals", "field": "a", "value": "x" }, { "op": "is_answered", "field": "b" }] }),
            2 => second["condition"] = json!({ "op": "all", "conditions": [] }),
            _ => {}
        }
        serde_json::from_value(json!({ "pages": [{ "key": "p1", "title": "P1", "fields": pages[0] }, second] })).unwrap()
    })
}

fn arb_answers() -> impl Strategy<Value = Answers> {
    let value = prop_oneof![
        prop::sample::select(vec![
            json!("x"),
            json!("  12 "),
            json!("hello world"),
            json!(5),
            json!(11.5),
            json!("7"),
            json!(true),
            json!(false),
            json!("a"),
            json!(["a"]),
            json!(["a", "b"]),
            json!("2021-05-05"),
            json!("2019-05-05"),
            json!("a@b.se"),
            json!("0701234567"),
            json!("189001019802"),
            json!("191401682396"),
            json!({ "id": "1", "name": "x.pdf", "size": 10, "content_type": "application/pdf" }),
            json!([{ "id": "1", "name": "x.pdf", "size": 1000, "content_type": "application/pdf" }]),
            json!(null),
            json!(""),
            json!([]),
        ]),
        any::<i64>().prop_map(|n| json!(n)),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    let key = prop_oneof![6 => prop::sample::select(KEYS.to_vec()).prop_map(str::to_string), 1 => "[a-z]{1,3}"];
    prop::collection::btree_map(key, value, 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn carrying_over_never_panics_and_keeps_only_answers_the_new_form_can_take(
        old in arb_form(), new in arb_form(), a in arb_answers()
    ) {
        let (kept, reanswer) = carry_over(&old, &new, &a);
        for (key, value) in &kept {
            let field = new.field(key);
            prop_assert!(field.is_some_and(|f| f.kind.takes_answer()), "{} is not answerable in the new form", key);
            prop_assert_eq!(a.get(key), Some(value), "kept answers are kept as given");
            let field = field.unwrap();
            let unchanged = old.field(key).is_some_and(|b| b.kind == field.kind);
            prop_assert!(unchanged || crate::validate::check_answer(field, value, None).is_ok(), "{} = {} does not fit", key, value);
        }
        let mut seen = BTreeSet::new();
        for r in &reanswer {
            prop_assert!(new.field(&r.field).is_some_and(|f| f.kind.takes_answer() && f.label == r.label));
            prop_assert!(!kept.contains_key(&r.field), "{} is kept and listed", r.field);
            prop_assert!(seen.insert(r.field.clone()), "{} listed twice", r.field);
        }
    }

    #[test]
    fn carrying_over_to_the_same_form_keeps_every_answerable_answer_and_asks_nothing(
        form in arb_form(), a in arb_answers()
    ) {
        let (kept, reanswer) = carry_over(&form, &form, &a);
        let expected: Answers = a
            .iter()
            .filter(|(k, v)| is_answered(v) && form.field(k).is_some_and(|f| f.kind.takes_answer()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        prop_assert_eq!(kept, expected);
        prop_assert!(reanswer.is_empty(), "{:?}", reanswer);
    }

    #[test]
    fn carrying_over_twice_changes_nothing_more(old in arb_form(), new in arb_form(), a in arb_answers()) {
        let (kept, _) = carry_over(&old, &new, &a);
        let (again, reanswer) = carry_over(&new, &new, &kept);
        prop_assert_eq!(again, kept);
        prop_assert!(reanswer.is_empty());
    }
}
