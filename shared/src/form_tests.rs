//! Tests of the form definition model and `FormDefinition::check`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

/// Builds a definition from its JSON form (which also exercises the JSON shape).
fn def(v: Value) -> FormDefinition {
    serde_json::from_value(v).unwrap()
}

fn text(key: &str) -> Value {
    json!({ "key": key, "label": key, "kind": { "type": "short_text" } })
}

fn with_condition(mut field: Value, condition: Value) -> Value {
    field["condition"] = condition;
    field
}

fn kind(key: &str, kind: Value) -> Value {
    json!({ "key": key, "label": key, "kind": kind })
}

fn page(key: &str, fields: Vec<Value>) -> Value {
    json!({ "key": key, "title": key, "fields": fields })
}

fn one_page(fields: Vec<Value>) -> FormDefinition {
    def(json!({ "pages": [page("p", fields)] }))
}

fn check_err(d: &FormDefinition) -> DefinitionError {
    d.check().expect_err("the definition should be rejected")
}

fn constraint_reason(field_kind: Value, required: bool) -> Option<String> {
    let mut f = kind("f", field_kind);
    f["required"] = json!(required);
    match one_page(vec![f]).check() {
        Ok(()) => None,
        Err(DefinitionError::InvalidConstraint { field, reason }) => {
            assert_eq!(field, "f");
            Some(reason)
        }
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

fn choice(kind_name: &str, values: &[&str]) -> Value {
    let options: Vec<Value> = values.iter().map(|v| json!({ "value": v, "label": v.to_uppercase() })).collect();
    json!({ "type": kind_name, "options": options })
}

/// A definition using every kind and every condition operator.
fn rich() -> FormDefinition {
    def(json!({
        "pages": [
            {
                "key": "start",
                "title": "Start",
                "description": "About you",
                "fields": [
                    { "key": "name", "label": "Name", "help": "As in the register", "required": true,
                      "kind": { "type": "short_text", "min_length": 2, "max_length": 50,
                                "pattern": "[A-Za-z ]+", "pattern_description": "letters" } },
                    { "key": "story", "label": "Story", "kind": { "type": "long_text", "max_length": 300 } },
                    { "key": "age", "label": "Age", "kind": { "type": "number", "min": 0, "max": 130.5, "integer": true } },
                    { "key": "moved", "label": "Moved", "kind": { "type": "date", "min": "2000-01-01", "max": "2030-12-31" } },
                    { "key": "email", "label": "E-mail", "kind": { "type": "email" } },
                    { "key": "phone", "label": "Phone", "kind": { "type": "phone" } },
                    { "key": "pnr", "label": "Pnr", "kind": { "type": "personnummer", "allow_samordningsnummer": false } },
                    { "key": "kind_of", "label": "Kind", "kind": { "type": "single_choice", "display": "select",
                        "options": [{ "value": "private", "label": "Private" }, { "value": "company", "label": "Company" }] } },
                    { "key": "pets", "label": "Pets", "kind": { "type": "multiple_choice", "min_selected": 1, "max_selected": 2,
                        "options": [{ "value": "cat", "label": "Cat" }, { "value": "dog", "label": "Dog" }, { "value": "fish", "label": "Fish" }] } },
                    { "key": "agree", "label": "Agree", "kind": { "type": "yes_no" } },
                    { "key": "info", "label": "Info", "kind": { "type": "info", "text": "Read this" } }
                ]
            },
            {
                "key": "more",
                "title": "More",
                "condition": { "op": "all", "conditions": [
                    { "op": "equals", "field": "kind_of", "value": "company" },
                    { "op": "not", "condition": { "op": "is_answered", "field": "phone" } },
                    { "op": "any", "conditions": [
                        { "op": "greater_than", "field": "age", "value": 17 },
                        { "op": "less_than", "field": "moved", "value": "2010-01-01" },
                        { "op": "contains", "field": "pets", "value": "dog" },
                        { "op": "contains", "field": "story", "value": "moose" },
                        { "op": "one_of", "field": "kind_of", "values": ["private", "company"] },
                        { "op": "not_equals", "field": "agree", "value": false }
                    ] }
                ] },
                "fields": [
                    { "key": "upload", "label": "Upload", "required": true,
                      "kind": { "type": "file", "max_files": 3, "max_size_bytes": 1048576, "accept": ["application/pdf", "image/*"] } },
                    { "key": "later", "label": "Later",
                      "condition": { "op": "is_answered", "field": "upload" },
                      "kind": { "type": "short_text" } }
                ]
            }
        ]
    }))
}

// ---------------------------------------------------------------- keys

#[test]
fn valid_keys_start_with_a_lowercase_letter_and_use_lowercase_letters_digits_and_underscores() {
    for key in ["a", "a1", "a_b", "abc_123_", &"a".repeat(64)] {
        assert!(is_valid_key(key), "{key:?} should be valid");
    }
    for key in ["", "A", "Ab", "1a", "_a", "a-b", "a b", "å", "aé", "a.b", &"a".repeat(65)] {
        assert!(!is_valid_key(key), "{key:?} should be invalid");
    }
}

#[test]
fn a_form_without_pages_is_rejected() {
    assert_eq!(FormDefinition::default().check(), Err(DefinitionError::NoPages));
}

#[test]
fn an_invalid_page_key_is_rejected_naming_the_key() {
    let d = def(json!({ "pages": [page("Page 1", vec![text("a")])] }));
    assert_eq!(check_err(&d), DefinitionError::InvalidKey { key: "Page 1".into() });
}

#[test]
fn an_invalid_field_key_is_rejected_naming_the_key() {
    let d = one_page(vec![text("ok"), text("1st")]);
    assert_eq!(check_err(&d), DefinitionError::InvalidKey { key: "1st".into() });
}

#[test]
fn two_pages_with_the_same_key_are_rejected() {
    let d = def(json!({ "pages": [page("p", vec![text("a")]), page("p", vec![text("b")])] }));
    assert_eq!(check_err(&d), DefinitionError::DuplicateKey { key: "p".into() });
}

#[test]
fn two_fields_with_the_same_key_on_different_pages_are_rejected() {
    let d = def(json!({ "pages": [page("p1", vec![text("a")]), page("p2", vec![text("b"), text("a")])] }));
    assert_eq!(check_err(&d), DefinitionError::DuplicateKey { key: "a".into() });
}

#[test]
fn two_fields_with_the_same_key_on_one_page_are_rejected() {
    let d = one_page(vec![text("a"), text("a")]);
    assert_eq!(check_err(&d), DefinitionError::DuplicateKey { key: "a".into() });
}

#[test]
fn a_field_with_the_same_key_as_a_page_is_rejected() {
    let d = def(json!({ "pages": [page("p1", vec![text("a")]), page("p2", vec![text("p1")])] }));
    assert_eq!(check_err(&d), DefinitionError::DuplicateKey { key: "p1".into() });
}

#[test]
fn a_page_without_fields_is_rejected_naming_the_page() {
    let d = def(json!({ "pages": [page("p1", vec![text("a")]), page("empty", vec![])] }));
    assert_eq!(check_err(&d), DefinitionError::EmptyPage { page: "empty".into() });
}

#[test]
fn a_page_holding_only_an_info_text_is_accepted() {
    let d = one_page(vec![kind("hello", json!({ "type": "info", "text": "Welcome" }))]);
    assert_eq!(d.check(), Ok(()));
}

#[test]
fn the_rich_definition_using_every_kind_and_operator_is_accepted() {
    assert_eq!(rich().check(), Ok(()));
}

// ---------------------------------------------------------------- references

#[test]
fn a_field_condition_on_an_unknown_field_is_rejected_naming_the_field() {
    let d = one_page(vec![text("a"), with_condition(text("b"), json!({ "op": "is_answered", "field": "ghost" }))]);
    assert_eq!(check_err(&d), DefinitionError::UnknownField { on: "b".into(), field: "ghost".into() });
    assert!(check_err(&d).to_string().contains("'ghost'"));
}

#[test]
fn a_page_condition_on_an_unknown_field_is_rejected_naming_the_page_and_field() {
    let mut p2 = page("p2", vec![text("b")]);
    p2["condition"] = json!({ "op": "equals", "field": "nope", "value": "x" });
    let d = def(json!({ "pages": [page("p1", vec![text("a")]), p2] }));
    assert_eq!(check_err(&d), DefinitionError::UnknownField { on: "p2".into(), field: "nope".into() });
}

#[test]
fn an_unknown_field_deep_inside_all_any_and_not_is_found() {
    let cond = json!({ "op": "all", "conditions": [
        { "op": "is_answered", "field": "a" },
        { "op": "any", "conditions": [ { "op": "not", "condition": { "op": "is_answered", "field": "deep" } } ] }
    ] });
    let d = one_page(vec![text("a"), with_condition(text("b"), cond)]);
    assert_eq!(check_err(&d), DefinitionError::UnknownField { on: "b".into(), field: "deep".into() });
}

#[test]
fn a_condition_on_an_info_field_is_rejected_as_not_answerable() {
    let d = one_page(vec![
        kind("note", json!({ "type": "info", "text": "hi" })),
        with_condition(text("b"), json!({ "op": "is_answered", "field": "note" })),
    ]);
    assert_eq!(check_err(&d), DefinitionError::NotAnswerable { on: "b".into(), field: "note".into() });
}

#[test]
fn a_page_condition_on_a_field_of_the_same_page_is_a_forward_reference() {
    let mut p = page("p1", vec![text("a")]);
    p["condition"] = json!({ "op": "is_answered", "field": "a" });
    let d = def(json!({ "pages": [p] }));
    assert_eq!(check_err(&d), DefinitionError::ForwardReference { on: "p1".into(), field: "a".into() });
}

#[test]
fn a_page_condition_on_a_later_page_is_a_forward_reference() {
    let mut p2 = page("p2", vec![text("b")]);
    p2["condition"] = json!({ "op": "is_answered", "field": "c" });
    let d = def(json!({ "pages": [page("p1", vec![text("a")]), p2, page("p3", vec![text("c")])] }));
    assert_eq!(check_err(&d), DefinitionError::ForwardReference { on: "p2".into(), field: "c".into() });
}

#[test]
fn a_page_condition_on_an_earlier_page_is_accepted() {
    let mut p2 = page("p2", vec![text("b")]);
    p2["condition"] = json!({ "op": "is_answered", "field": "a" });
    let d = def(json!({ "pages": [page("p1", vec![text("a")]), p2] }));
    assert_eq!(d.check(), Ok(()));
}

#[test]
fn a_field_condition_on_a_later_page_is_a_forward_reference() {
    let d = def(json!({ "pages": [
        page("p1", vec![with_condition(text("a"), json!({ "op": "is_answered", "field": "b" }))]),
        page("p2", vec![text("b")])
    ] }));
    assert_eq!(check_err(&d), DefinitionError::ForwardReference { on: "a".into(), field: "b".into() });
    assert!(check_err(&d).to_string().contains("later"));
}

#[test]
fn a_field_condition_on_an_earlier_page_or_a_later_field_of_the_same_page_is_accepted() {
    let d = def(json!({ "pages": [
        page("p1", vec![text("a")]),
        page("p2", vec![
            with_condition(text("b"), json!({ "op": "is_answered", "field": "c" })),
            with_condition(text("c"), json!({ "op": "is_answered", "field": "a" })),
        ])
    ] }));
    assert_eq!(d.check(), Ok(()));
}

// ---------------------------------------------------------------- cycles

#[test]
fn two_fields_whose_conditions_refer_to_each_other_form_a_cycle_named_by_field_and_path() {
    let d = one_page(vec![
        text("x"),
        with_condition(text("a"), json!({ "op": "is_answered", "field": "b" })),
        with_condition(text("b"), json!({ "op": "is_answered", "field": "a" })),
    ]);
    let err = check_err(&d);
    assert_eq!(err, DefinitionError::Cycle { field: "a".into(), path: "a -> b -> a".into() });
    assert!(err.to_string().contains("a -> b -> a"), "{err}");
}

#[test]
fn a_field_whose_condition_refers_to_itself_is_a_cycle() {
    let d = one_page(vec![with_condition(text("a"), json!({ "op": "is_answered", "field": "a" }))]);
    assert_eq!(check_err(&d), DefinitionError::Cycle { field: "a".into(), path: "a -> a".into() });
}

#[test]
fn a_three_field_cycle_reports_the_whole_loop_and_not_the_fields_leading_into_it() {
    let d = one_page(vec![
        with_condition(text("entry"), json!({ "op": "is_answered", "field": "a" })),
        with_condition(text("a"), json!({ "op": "is_answered", "field": "c" })),
        with_condition(text("b"), json!({ "op": "is_answered", "field": "a" })),
        with_condition(text("c"), json!({ "op": "not", "condition": { "op": "is_answered", "field": "b" } })),
    ]);
    assert_eq!(check_err(&d), DefinitionError::Cycle { field: "a".into(), path: "a -> c -> b -> a".into() });
}

#[test]
fn a_diamond_of_same_page_dependencies_is_not_a_cycle_and_is_ordered_dependencies_first() {
    let d = one_page(vec![
        with_condition(
            text("top"),
            json!({ "op": "all", "conditions": [
                { "op": "is_answered", "field": "left" }, { "op": "is_answered", "field": "right" } ] }),
        ),
        with_condition(text("left"), json!({ "op": "is_answered", "field": "base" })),
        with_condition(text("right"), json!({ "op": "is_answered", "field": "base" })),
        text("base"),
    ]);
    assert_eq!(d.check(), Ok(()));
    let order: Vec<&str> = page_evaluation_order(&d.pages[0]).unwrap().iter().map(|f| f.key.as_str()).collect();
    assert_eq!(order, ["base", "left", "right", "top"]);
}

#[test]
fn the_evaluation_order_keeps_form_order_when_there_are_no_dependencies() {
    let d = one_page(vec![text("c"), text("a"), text("b")]);
    let order: Vec<&str> = page_evaluation_order(&d.pages[0]).unwrap().iter().map(|f| f.key.as_str()).collect();
    assert_eq!(order, ["c", "a", "b"]);
}

// ---------------------------------------------------------------- comparisons

fn comparison_error(target: Value, condition: Value) -> Option<String> {
    let d = one_page(vec![target, with_condition(text("probe"), condition)]);
    match d.check() {
        Ok(()) => None,
        Err(DefinitionError::IncompatibleComparison { on, field, reason }) => {
            assert_eq!(on, "probe");
            assert_eq!(field, "t");
            assert!(!reason.is_empty());
            Some(reason)
        }
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn equals_with_a_value_that_is_not_an_option_is_incompatible() {
    let reason = comparison_error(
        kind("t", choice("single_choice", &["yes", "no"])),
        json!({ "op": "equals", "field": "t", "value": "maybe" }),
    );
    assert!(reason.unwrap().contains("maybe"));
    assert_eq!(
        comparison_error(
            kind("t", choice("single_choice", &["yes", "no"])),
            json!({ "op": "equals", "field": "t", "value": "yes" })
        ),
        None
    );
}

#[test]
fn one_of_with_a_single_value_that_is_not_an_option_is_incompatible() {
    let c = json!({ "op": "one_of", "field": "t", "values": ["a", "zzz"] });
    assert!(comparison_error(kind("t", choice("single_choice", &["a", "b"])), c).unwrap().contains("zzz"));
    let c = json!({ "op": "one_of", "field": "t", "values": ["a", "b"] });
    assert_eq!(comparison_error(kind("t", choice("single_choice", &["a", "b"])), c), None);
}

#[test]
fn not_equals_on_a_choice_needs_an_option_value() {
    let c = json!({ "op": "not_equals", "field": "t", "value": 3 });
    assert!(comparison_error(kind("t", choice("single_choice", &["a"])), c).is_some());
}

#[test]
fn equals_on_a_multiple_choice_field_is_incompatible_because_the_answer_is_a_list() {
    for c in [
        json!({ "op": "equals", "field": "t", "value": "a" }),
        json!({ "op": "not_equals", "field": "t", "value": "a" }),
        json!({ "op": "one_of", "field": "t", "values": ["a"] }),
    ] {
        let reason = comparison_error(kind("t", choice("multiple_choice", &["a", "b"])), c).unwrap();
        assert!(reason.contains("contains"), "{reason}");
    }
}

#[test]
fn contains_on_a_multiple_choice_needs_one_of_its_options() {
    let k = || kind("t", choice("multiple_choice", &["a", "b"]));
    assert_eq!(comparison_error(k(), json!({ "op": "contains", "field": "t", "value": "b" })), None);
    assert!(comparison_error(k(), json!({ "op": "contains", "field": "t", "value": "c" })).is_some());
    assert!(comparison_error(k(), json!({ "op": "contains", "field": "t", "value": 1 })).is_some());
}

#[test]
fn contains_on_a_text_field_needs_text() {
    let t = || kind("t", json!({ "type": "long_text" }));
    assert_eq!(comparison_error(t(), json!({ "op": "contains", "field": "t", "value": "word" })), None);
    assert!(comparison_error(t(), json!({ "op": "contains", "field": "t", "value": 5 })).is_some());
}

#[test]
fn contains_on_kinds_other_than_text_and_multiple_choice_is_incompatible() {
    for k in [
        json!({ "type": "yes_no" }),
        json!({ "type": "number" }),
        json!({ "type": "email" }),
        choice("single_choice", &["a"]),
    ] {
        let reason = comparison_error(kind("t", k.clone()), json!({ "op": "contains", "field": "t", "value": "a" }));
        assert!(reason.is_some(), "contains on {k} should be rejected");
    }
}

#[test]
fn greater_than_on_a_text_field_is_incompatible() {
    let reason = comparison_error(text("t"), json!({ "op": "greater_than", "field": "t", "value": 3 })).unwrap();
    assert!(reason.contains("short_text"), "{reason}");
    assert!(comparison_error(text("t"), json!({ "op": "less_than", "field": "t", "value": "b" })).is_some());
}

#[test]
fn greater_and_less_than_need_a_number_for_a_number_field_and_a_date_for_a_date_field() {
    let n = || kind("t", json!({ "type": "number" }));
    let d = || kind("t", json!({ "type": "date" }));
    assert_eq!(comparison_error(n(), json!({ "op": "greater_than", "field": "t", "value": 2.5 })), None);
    assert!(comparison_error(n(), json!({ "op": "greater_than", "field": "t", "value": "2" })).is_some());
    assert_eq!(comparison_error(d(), json!({ "op": "less_than", "field": "t", "value": "2024-02-29" })), None);
    assert!(comparison_error(d(), json!({ "op": "less_than", "field": "t", "value": "2023-02-29" })).is_some());
    assert!(comparison_error(d(), json!({ "op": "less_than", "field": "t", "value": 20240101 })).is_some());
}

#[test]
fn equals_needs_a_value_of_the_fields_own_type() {
    let cases = [
        (json!({ "type": "yes_no" }), json!(true), json!("true")),
        (json!({ "type": "number" }), json!(4), json!("4")),
        (json!({ "type": "date" }), json!("2024-01-31"), json!("2024-01-32")),
        (json!({ "type": "short_text" }), json!("x"), json!(1)),
        (json!({ "type": "personnummer" }), json!("189001019802"), json!(189001019802_u64)),
    ];
    for (k, good, bad) in cases {
        let ok = comparison_error(kind("t", k.clone()), json!({ "op": "equals", "field": "t", "value": good }));
        assert_eq!(ok, None, "{k} = {good}");
        let err = comparison_error(kind("t", k.clone()), json!({ "op": "equals", "field": "t", "value": bad }));
        assert!(err.is_some(), "{k} = {bad} should be rejected");
    }
}

#[test]
fn a_file_field_cannot_be_compared_but_can_be_tested_for_an_answer() {
    let f = || kind("t", json!({ "type": "file", "max_size_bytes": 10 }));
    assert!(comparison_error(f(), json!({ "op": "equals", "field": "t", "value": "x" })).is_some());
    assert_eq!(comparison_error(f(), json!({ "op": "is_answered", "field": "t" })), None);
}

// ---------------------------------------------------------------- constraints

#[test]
fn text_lengths_must_be_ordered_and_within_the_kinds_limit() {
    assert!(constraint_reason(json!({ "type": "short_text", "min_length": 5, "max_length": 4 }), false).is_some());
    assert_eq!(constraint_reason(json!({ "type": "short_text", "min_length": 4, "max_length": 4 }), false), None);
    assert!(constraint_reason(json!({ "type": "short_text", "max_length": 1001 }), false).is_some());
    assert_eq!(constraint_reason(json!({ "type": "short_text", "max_length": 1000 }), false), None);
    assert!(constraint_reason(json!({ "type": "long_text", "min_length": 10, "max_length": 9 }), false).is_some());
    assert!(constraint_reason(json!({ "type": "long_text", "max_length": 20001 }), false).is_some());
    assert_eq!(constraint_reason(json!({ "type": "long_text", "max_length": 20000 }), false), None);
}

#[test]
fn a_minimum_length_above_the_default_maximum_is_rejected() {
    assert!(constraint_reason(json!({ "type": "short_text", "min_length": 1001 }), false).is_some());
    assert!(constraint_reason(json!({ "type": "long_text", "min_length": 20001 }), false).is_some());
    assert_eq!(constraint_reason(json!({ "type": "long_text", "min_length": 20000 }), false), None);
}

#[test]
fn a_pattern_must_be_a_valid_regular_expression_of_at_most_500_characters() {
    assert!(
        constraint_reason(json!({ "type": "short_text", "pattern": "[0-9" }), false)
            .unwrap()
            .contains("pattern cannot be used: a class is not closed with ']'")
    );
    assert!(
        constraint_reason(json!({ "type": "short_text", "pattern": "a".repeat(501) }), false).unwrap().contains("500")
    );
    assert_eq!(constraint_reason(json!({ "type": "short_text", "pattern": "[0-9]{3} ?[0-9]{2}" }), false), None);
}

#[test]
fn a_pattern_that_only_compiles_without_the_anchoring_is_rejected() {
    // "a)|(b" is not a regular expression; wrapped as ^(?:a)|(b)$ it would
    // compile, so both forms must be checked.
    assert!(constraint_reason(json!({ "type": "short_text", "pattern": "a)|(b" }), false).is_some());
    // A trailing comment in verbose mode swallows the anchoring, so the
    // pattern could never match anything.
    assert!(constraint_reason(json!({ "type": "short_text", "pattern": "(?x)a # comment" }), false).is_some());
}

#[test]
fn number_bounds_must_be_finite_and_ordered() {
    assert!(constraint_reason(json!({ "type": "number", "min": 5, "max": 1 }), false).is_some());
    assert_eq!(constraint_reason(json!({ "type": "number", "min": -1.5, "max": -1.5 }), false), None);
    for (min, max) in [(Some(f64::NAN), None), (None, Some(f64::INFINITY)), (Some(f64::NEG_INFINITY), Some(0.0))] {
        let d = FormDefinition {
            rules: Vec::new(),
            pages: vec![Page {
                rules: Vec::new(),
                key: "p".into(),
                title: "P".into(),
                description: None,
                condition: None,
                fields: vec![Field {
                    key: "n".into(),
                    label: "N".into(),
                    help: None,
                    required: false,
                    condition: None,
                    autocomplete: None,
                    kind: FieldKind::Number { min, max, integer: false },
                    prefill: None,
                    fields: Vec::new(),
                    rules: Vec::new(),
                }],
            }],
        };
        assert!(matches!(d.check(), Err(DefinitionError::InvalidConstraint { field, .. }) if field == "n"));
    }
}

#[test]
fn date_bounds_must_be_ordered() {
    assert!(constraint_reason(json!({ "type": "date", "min": "2024-01-02", "max": "2024-01-01" }), false).is_some());
    assert_eq!(constraint_reason(json!({ "type": "date", "min": "2024-01-01", "max": "2024-01-01" }), false), None);
}

#[test]
fn choice_options_must_exist_have_values_and_be_unique() {
    for k in ["single_choice", "multiple_choice"] {
        assert!(constraint_reason(json!({ "type": k, "options": [] }), false).is_some(), "{k}");
        assert!(constraint_reason(choice(k, &["a", " "]), false).is_some(), "{k}");
        let reason = constraint_reason(choice(k, &["a", "b", "a"]), false).unwrap();
        assert!(reason.contains("'a'"), "{reason}");
        assert_eq!(constraint_reason(choice(k, &["a", "b"]), false), None);
    }
}

#[test]
fn selection_limits_must_be_ordered_and_possible() {
    let mut k = choice("multiple_choice", &["a", "b", "c"]);
    k["min_selected"] = json!(3);
    k["max_selected"] = json!(2);
    assert!(constraint_reason(k.clone(), false).is_some());
    k["max_selected"] = json!(3);
    assert_eq!(constraint_reason(k.clone(), false), None);
    k["min_selected"] = json!(4);
    k["max_selected"] = json!(9);
    assert!(constraint_reason(k.clone(), false).unwrap().contains("number of options"));
}

#[test]
fn a_multiple_choice_allowing_no_selection_at_all_is_rejected() {
    let mut k = choice("multiple_choice", &["a", "b"]);
    k["max_selected"] = json!(0);
    assert!(constraint_reason(k, false).is_some());
}

#[test]
fn file_limits_must_be_sensible() {
    assert!(constraint_reason(json!({ "type": "file", "max_files": 0, "max_size_bytes": 1 }), false).is_some());
    assert!(constraint_reason(json!({ "type": "file", "max_files": 51, "max_size_bytes": 1 }), false).is_some());
    assert_eq!(constraint_reason(json!({ "type": "file", "max_files": 50, "max_size_bytes": 1 }), false), None);
    assert!(constraint_reason(json!({ "type": "file", "max_size_bytes": 0 }), false).is_some());
}

#[test]
fn an_info_text_cannot_be_required() {
    assert!(constraint_reason(json!({ "type": "info", "text": "x" }), true).is_some());
    assert_eq!(constraint_reason(json!({ "type": "info", "text": "x" }), false), None);
}

#[test]
fn constraint_errors_name_the_field_in_their_message() {
    let err = one_page(vec![kind("size", json!({ "type": "number", "min": 2, "max": 1 }))]).check().unwrap_err();
    assert!(err.to_string().contains("'size'"), "{err}");
}

// ---------------------------------------------------------------- model helpers and JSON

#[test]
fn only_info_texts_take_no_answer() {
    let d = rich();
    for (_, f) in d.fields() {
        assert_eq!(f.kind.takes_answer(), f.key != "info", "{}", f.key);
    }
}

#[test]
fn the_type_name_of_every_kind_is_its_json_tag() {
    let d = rich();
    let mut seen = BTreeSet::new();
    for (_, f) in d.fields() {
        let v = serde_json::to_value(&f.kind).unwrap();
        assert_eq!(v["type"], json!(f.kind.type_name()));
        seen.insert(f.kind.type_name());
    }
    assert_eq!(seen.len(), 12, "the rich definition should use every kind: {seen:?}");
}

#[test]
fn fields_are_listed_in_form_order_with_their_page_index_and_can_be_looked_up() {
    let d = rich();
    let listed: Vec<(usize, &str)> = d.fields().map(|(i, f)| (i, f.key.as_str())).collect();
    assert_eq!(listed.first(), Some(&(0, "name")));
    assert_eq!(listed.last(), Some(&(1, "later")));
    assert_eq!(listed.len(), 13);
    assert_eq!(d.field("upload").map(|f| f.kind.type_name()), Some("file"));
    assert!(d.field("missing").is_none());
}

#[test]
fn a_definition_survives_a_json_round_trip_unchanged() {
    let d = rich();
    let text = serde_json::to_string(&d).unwrap();
    let back: FormDefinition = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
}

#[test]
fn the_json_shape_tags_kinds_by_type_and_conditions_by_op() {
    let v = serde_json::to_value(rich()).unwrap();
    let name = &v["pages"][0]["fields"][0];
    assert_eq!(name["kind"]["type"], "short_text");
    assert_eq!(name["kind"]["max_length"], 50);
    assert_eq!(name["required"], true);
    let cond = &v["pages"][1]["condition"];
    assert_eq!(cond["op"], "all");
    assert_eq!(cond["conditions"][0], json!({ "op": "equals", "field": "kind_of", "value": "company" }));
    assert_eq!(cond["conditions"][1]["condition"]["op"], "is_answered");
    assert_eq!(v["pages"][0]["fields"][7]["kind"]["display"], "select");
}

#[test]
fn absent_optional_settings_are_left_out_of_the_json() {
    let v = serde_json::to_value(one_page(vec![text("a")])).unwrap();
    let field = v["pages"][0]["fields"][0].as_object().unwrap();
    assert!(!field.contains_key("help"));
    assert!(!field.contains_key("condition"));
    assert_eq!(field["kind"], json!({ "type": "short_text" }));
    assert!(!v["pages"][0].as_object().unwrap().contains_key("condition"));
}

#[test]
fn omitted_settings_get_their_documented_defaults() {
    let d = one_page(vec![
        kind("pnr", json!({ "type": "personnummer" })),
        kind("file", json!({ "type": "file", "max_size_bytes": 100 })),
        kind("pick", choice("single_choice", &["a"])),
        kind("num", json!({ "type": "number" })),
    ]);
    assert_eq!(d.field("pnr").unwrap().kind, FieldKind::Personnummer { allow_samordningsnummer: true });
    assert_eq!(d.field("file").unwrap().kind, FieldKind::File { max_files: 1, max_size_bytes: 100, accept: vec![] });
    assert!(matches!(d.field("pick").unwrap().kind, FieldKind::SingleChoice { display: ChoiceDisplay::Radio, .. }));
    assert_eq!(d.field("num").unwrap().kind, FieldKind::Number { min: None, max: None, integer: false });
    assert!(!d.field("num").unwrap().required);
}

#[test]
fn an_unknown_kind_type_is_rejected_when_reading_json() {
    let v = json!({ "pages": [page("p", vec![kind("a", json!({ "type": "slider" }))])] });
    assert!(serde_json::from_value::<FormDefinition>(v).is_err());
}

#[test]
fn definition_errors_serialise_tagged_by_code() {
    let e = DefinitionError::Cycle { field: "a".into(), path: "a -> a".into() };
    assert_eq!(serde_json::to_value(&e).unwrap(), json!({ "code": "cycle", "field": "a", "path": "a -> a" }));
    assert_eq!(serde_json::to_value(DefinitionError::NoPages).unwrap(), json!({ "code": "no_pages" }));
}

// ---------------------------------------------------------------- properties

/// A random small definition: up to four pages of up to four fields of a
/// few kinds, with conditions on random (possibly unknown) keys.
fn arb_definition() -> impl Strategy<Value = FormDefinition> {
    let key = prop_oneof![4 => (0u8..12).prop_map(|i| format!("f{i}")), 1 => Just("p0".to_string()), 1 => Just("Bad".to_string())];
    let cond = prop_oneof![
        key.clone().prop_map(|field| Condition::IsAnswered { field }),
        (key.clone(), any::<bool>()).prop_map(|(field, b)| Condition::Equals { field, value: json!(b) }),
        (key.clone(), 0i32..5).prop_map(|(field, n)| Condition::GreaterThan { field, value: json!(n) }),
        (key.clone(), "[ab]").prop_map(|(field, s)| Condition::Contains { field, value: json!(s) }),
    ]
    .prop_recursive(2, 6, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|conditions| Condition::All { conditions }),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|conditions| Condition::Any { conditions }),
            inner.prop_map(|c| Condition::Not { condition: Box::new(c) }),
        ]
    });
    let kind = prop_oneof![
        Just(FieldKind::YesNo),
        Just(FieldKind::Number { min: None, max: Some(10.0), integer: true }),
        Just(FieldKind::ShortText { min_length: None, max_length: Some(20), pattern: None, pattern_description: None }),
        Just(FieldKind::MultipleChoice {
            options: vec![
                ChoiceOption { value: "a".into(), label: "A".into() },
                ChoiceOption { value: "b".into(), label: "B".into() },
            ],
            min_selected: None,
            max_selected: None,
        }),
        Just(FieldKind::Info { text: "i".into() }),
    ];
    let field = (0u8..12, kind, prop::option::weighted(0.5, cond.clone()), any::<bool>()).prop_map(
        |(i, kind, condition, required)| Field {
            key: format!("f{i}"),
            label: "L".into(),
            help: None,
            required: required && kind.takes_answer(),
            condition,
            kind,
            autocomplete: None,
            prefill: None,
            fields: Vec::new(),
            rules: Vec::new(),
        },
    );
    let page = (prop::collection::vec(field, 0..4), prop::option::weighted(0.3, cond));
    prop::collection::vec(page, 0..4).prop_map(|pages| FormDefinition {
        rules: Vec::new(),
        pages: pages
            .into_iter()
            .enumerate()
            .map(|(i, (fields, condition))| Page {
                rules: Vec::new(),
                key: format!("p{i}"),
                title: "T".into(),
                description: None,
                condition,
                fields,
            })
            .collect(),
    })
}

proptest! {
    #[test]
    fn is_valid_key_agrees_with_the_documented_pattern(key in "[a-zA-Z0-9_\\-é]{0,70}") {
        let re = regex_lite::Regex::new("^[a-z][a-z0-9_]{0,63}$").unwrap();
        prop_assert_eq!(is_valid_key(&key), re.is_match(&key));
    }

    #[test]
    fn checking_a_random_definition_never_panics_and_an_accepted_one_is_consistent(d in arb_definition()) {
        let index = d.index();
        if d.check().is_ok() {
            prop_assert!(!d.pages.is_empty());
            for (page_idx, page) in d.pages.iter().enumerate() {
                prop_assert!(!page.fields.is_empty());
                if let Some(c) = &page.condition {
                    for k in c.referenced_fields() {
                        let pos = index.get(k);
                        prop_assert!(pos.is_some_and(|p| p.page < page_idx && p.field.kind.takes_answer()), "page {} -> {}", page.key, k);
                    }
                }
                let order = page_evaluation_order(page).unwrap();
                prop_assert_eq!(order.len(), page.fields.len());
                for (i, f) in order.iter().enumerate() {
                    for k in f.condition.iter().flat_map(|c| c.referenced_fields()) {
                        let pos = index.get(k);
                        prop_assert!(pos.is_some_and(|p| p.page <= page_idx && p.field.kind.takes_answer()));
                        // A same-page dependency is evaluated first.
                        if let Some(j) = order.iter().position(|g| g.key == k) {
                            prop_assert!(j < i, "{} must come after {}", f.key, k);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_random_definition_survives_a_json_round_trip(d in arb_definition()) {
        let back: FormDefinition = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        prop_assert_eq!(back, d);
    }
}

#[test]
fn an_autocomplete_token_must_be_a_known_input_purpose_and_email_only_on_an_email_field() {
    let form = |kind: &str, token: &str| -> FormDefinition {
        serde_json::from_value(serde_json::json!({"pages": [{"key": "p", "title": "P", "fields": [
            {"key": "f", "label": "F", "kind": {"type": kind}, "autocomplete": token}
        ]}]}))
        .expect("form")
    };
    assert!(form("email", "email").check().is_ok());
    assert!(form("phone", "tel").check().is_ok());
    let e = form("email", "e-mail").check().expect_err("unknown token");
    assert!(e.to_string().contains("autocomplete 'e-mail' is not one of"), "{e}");
    let e = form("phone", "email").check().expect_err("email on a phone field");
    assert!(e.to_string().contains("autocomplete 'email' is for a field of kind email"), "{e}");
}

#[test]
fn every_text_can_have_english_and_the_untranslated_ones_are_listed_as_warnings_not_errors() {
    let d = def(
        json!({"pages": [{"key": "p", "title": {"sv": "Sidan", "en": "The page"}, "description": "Bara svenska",
        "fields": [
            {"key": "namn", "label": {"sv": "Namn", "en": "Name"}, "help": "Som i passet", "kind": {"type": "short_text",
             "pattern": "[0-9]+", "pattern_description": {"sv": "siffror", "en": "digits"}}},
            {"key": "val", "label": {"sv": "Val", "en": "Choice"}, "kind": {"type": "single_choice", "options": [
                {"value": "a", "label": {"sv": "Ett", "en": "One"}}, {"value": "b", "label": "Två"}]}},
            {"key": "info", "label": {"sv": "Info", "en": "Info"}, "kind": {"type": "info", "text": "Läs"}}
        ],
        "rules": [{"key": "r", "field": "namn", "message": {"sv": "Fel"},
                   "check": {"type": "at_least_one", "fields": ["namn", "val"]}}]}]}),
    );
    let missing: Vec<(String, String)> = d.untranslated().into_iter().map(|u| (u.at, u.what)).collect();
    let expected = [("p", "description"), ("namn", "help"), ("val", "option 'b'"), ("info", "text"), ("r", "message")];
    assert_eq!(missing, expected.map(|(a, w)| (a.to_string(), w.to_string())));
    // The pattern's hint is English in the English message.
    let e = crate::validate::validate(&d, &[("namn".to_string(), json!("abc"))].into()).unwrap_err();
    assert_eq!(e[0].message.en, "The answer is not in the right format: digits.");
    assert_eq!(e[0].message.sv, "Svaret har fel format: siffror.");
}

#[test]
fn a_label_title_or_option_without_swedish_is_refused_naming_where_it_is() {
    for (bad, at, what) in [
        (
            json!({"pages": [{"key": "p", "title": " ", "fields": [{"key": "f", "label": "F", "kind": {"type": "yes_no"}}]}]}),
            "p",
            "title",
        ),
        (
            json!({"pages": [{"key": "p", "title": "P", "fields": [{"key": "f", "label": {"sv": "", "en": "F"}, "kind": {"type": "yes_no"}}]}]}),
            "f",
            "label",
        ),
        (
            json!({"pages": [{"key": "p", "title": "P", "fields": [{"key": "f", "label": "F", "kind": {"type": "single_choice",
            "options": [{"value": "a", "label": ""}]}}]}]}),
            "f",
            "option 'a'",
        ),
    ] {
        let d: FormDefinition = serde_json::from_value(bad).unwrap();
        assert_eq!(d.check(), Err(DefinitionError::MissingText { at: at.into(), what: what.into() }));
    }
}
