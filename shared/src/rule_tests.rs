#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::form::FormDefinition;
use crate::validate::{Answers, FieldErrorCode, validate_on};

const TODAY: (i32, u32, u32) = (2026, 12, 7);

/// A one-page form with the fields `start`, `end` (dates), `members`, `young` (numbers),
/// `pnr` (personnummer), `phone`, `email` (texts), `topics` (multiple choice, three options)
/// and `rules` on the page.
fn form(rules: serde_json::Value) -> FormDefinition {
    serde_json::from_value(json!({"pages": [{
        "key": "p", "title": "P",
        "fields": [
            {"key": "start", "label": "Start", "kind": {"type": "date"}},
            {"key": "end", "label": "End", "kind": {"type": "date"}},
            {"key": "members", "label": "Members", "kind": {"type": "number", "integer": true}},
            {"key": "young", "label": "Young", "kind": {"type": "number", "integer": true}},
            {"key": "old", "label": "Old", "kind": {"type": "number", "integer": true}},
            {"key": "pnr", "label": "Pnr", "kind": {"type": "personnummer"}},
            {"key": "phone", "label": "Phone", "kind": {"type": "short_text"}},
            {"key": "email", "label": "E-mail", "kind": {"type": "email"}},
            {"key": "hide_email", "label": "Hide", "kind": {"type": "yes_no"}},
            {"key": "topics", "label": "Topics", "kind": {"type": "multiple_choice", "options": [
                {"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}]}},
            {"key": "note", "label": "Note", "kind": {"type": "info", "text": "i"}}
        ],
        "rules": rules
    }]}))
    .expect("form")
}

fn rule(key: &str, field: &str, check: serde_json::Value) -> serde_json::Value {
    json!({"key": key, "field": field, "check": check, "message": {"sv": "Fel", "en": "Wrong"}})
}

fn answers(v: serde_json::Value) -> Answers {
    serde_json::from_value(v).expect("answers")
}

/// The rule keys a validation of `a` breaks, with the fields they are shown at.
fn broken(def: &FormDefinition, a: serde_json::Value) -> Vec<(String, String)> {
    match validate_on(def, &answers(a), TODAY) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|e| {
                assert_eq!(e.code, FieldErrorCode::Rule, "{e:?}");
                (e.rule.expect("a rule error names its rule"), e.field)
            })
            .collect(),
    }
}

fn one(key: &str, field: &str) -> Vec<(String, String)> {
    vec![(key.to_owned(), field.to_owned())]
}

#[test]
fn an_end_date_before_the_start_date_breaks_the_rule_and_the_message_is_shown_at_the_end_date() {
    let def = form(json!([rule(
        "end_after_start",
        "end",
        json!({"type": "compare", "field": "end", "op": "gt", "other": "start"})
    )]));
    def.check().expect("valid");
    assert_eq!(broken(&def, json!({"start": "2027-03-01", "end": "2027-02-01"})), one("end_after_start", "end"));
    assert_eq!(broken(&def, json!({"start": "2027-03-01", "end": "2027-03-01"})), one("end_after_start", "end"));
    assert!(broken(&def, json!({"start": "2027-03-01", "end": "2027-03-02"})).is_empty());
    let errors = validate_on(&def, &answers(json!({"start": "2027-03-01", "end": "2027-02-01"})), TODAY).unwrap_err();
    assert_eq!(errors[0].message.sv, "Fel");
    assert_eq!(errors[0].message.en, "Wrong");
}

#[test]
fn a_rule_reading_an_unanswered_field_is_skipped() {
    let def = form(json!([rule(
        "end_after_start",
        "end",
        json!({"type": "compare", "field": "end", "op": "gt", "other": "start"})
    )]));
    assert!(broken(&def, json!({"end": "2027-02-01"})).is_empty());
    assert!(broken(&def, json!({"start": "2027-02-01"})).is_empty());
}

#[test]
fn a_rule_reading_a_hidden_field_is_skipped() {
    let mut def = form(json!([rule(
        "young_le_members",
        "young",
        json!({"type": "sum_at_most", "fields": ["young"], "other": "members"})
    )]));
    def.pages[0].fields[2].condition =
        Some(serde_json::from_value(json!({"op": "equals", "field": "hide_email", "value": false})).unwrap());
    assert_eq!(
        broken(&def, json!({"hide_email": false, "members": 40, "young": 500})),
        one("young_le_members", "young")
    );
    // The members field is hidden: its answer is dropped and the rule does not apply.
    assert!(broken(&def, json!({"hide_email": true, "members": 40, "young": 500})).is_empty());
}

#[test]
fn a_field_whose_own_answer_is_wrong_gets_its_own_message_and_not_the_rules() {
    let def = form(json!([rule(
        "end_after_start",
        "end",
        json!({"type": "compare", "field": "end", "op": "gt", "other": "start"})
    )]));
    let errors = validate_on(&def, &answers(json!({"start": "2027-03-01", "end": "2027-02-31"})), TODAY).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, FieldErrorCode::InvalidDate);
}

#[test]
fn every_comparison_operator_compares_numbers_and_dates_with_a_field_or_a_constant() {
    use std::cmp::Ordering::*;
    let cases = [
        ("lt", [true, false, false]),
        ("le", [true, true, false]),
        ("eq", [false, true, false]),
        ("ne", [true, false, true]),
        ("ge", [false, true, true]),
        ("gt", [false, false, true]),
    ];
    for (op, expected) in cases {
        for (i, o) in [Less, Equal, Greater].into_iter().enumerate() {
            let young = match o {
                Less => 10,
                Equal => 20,
                Greater => 30,
            };
            let with_field = form(json!([rule(
                "r",
                "young",
                json!({"type": "compare", "field": "young", "op": op, "other": "members"})
            )]));
            let with_value =
                form(json!([rule("r", "young", json!({"type": "compare", "field": "young", "op": op, "value": 20}))]));
            let day = format!("2027-01-{young}");
            let with_date = form(json!([rule(
                "r",
                "end",
                json!({"type": "compare", "field": "end", "op": op, "value": "2027-01-20"})
            )]));
            for def in [&with_field, &with_value, &with_date] {
                def.check().expect("valid");
            }
            let holds = |b: Vec<(String, String)>| b.is_empty();
            assert_eq!(holds(broken(&with_field, json!({"young": young, "members": 20}))), expected[i], "{op} {o:?}");
            assert_eq!(holds(broken(&with_value, json!({"young": young}))), expected[i], "{op} {o:?}");
            assert_eq!(holds(broken(&with_date, json!({"end": day}))), expected[i], "{op} {o:?} date");
        }
    }
}

#[test]
fn a_project_of_at_most_two_years_ends_no_later_than_the_same_day_two_years_on() {
    let def = form(json!([rule(
        "two_years",
        "end",
        json!({"type": "date_within", "field": "end", "after": "start", "max": 2, "unit": "years"})
    )]));
    def.check().expect("valid");
    assert!(broken(&def, json!({"start": "2027-03-01", "end": "2029-03-01"})).is_empty());
    assert_eq!(broken(&def, json!({"start": "2027-03-01", "end": "2029-03-02"})), one("two_years", "end"));
    // 29 February plus one year is 28 February.
    let leap = form(json!([rule(
        "a_year",
        "end",
        json!({"type": "date_within", "field": "end", "after": "start", "max": 1, "unit": "years"})
    )]));
    assert!(broken(&leap, json!({"start": "2028-02-29", "end": "2029-02-28"})).is_empty());
    assert_eq!(broken(&leap, json!({"start": "2028-02-29", "end": "2029-03-01"})).len(), 1);
    let days = form(json!([rule(
        "ten_days",
        "end",
        json!({"type": "date_within", "field": "end", "after": "start", "max": 10, "unit": "days"})
    )]));
    assert!(broken(&days, json!({"start": "2027-01-01", "end": "2027-01-11"})).is_empty());
    assert_eq!(broken(&days, json!({"start": "2027-01-01", "end": "2027-01-12"})).len(), 1);
}

#[test]
fn a_date_can_be_held_to_today_or_later_and_to_at_most_some_days_ahead() {
    let def = form(json!([rule(
        "soon",
        "start",
        json!({"type": "from_today", "field": "start", "min_days": 0, "max_days": 90})
    )]));
    def.check().expect("valid");
    assert_eq!(broken(&def, json!({"start": "2026-12-06"})), one("soon", "start"));
    assert!(broken(&def, json!({"start": "2026-12-07"})).is_empty());
    assert!(broken(&def, json!({"start": "2027-03-07"})).is_empty());
    assert_eq!(broken(&def, json!({"start": "2027-03-08"})), one("soon", "start"));
}

#[test]
fn the_age_from_a_personnummer_counts_whole_years_on_the_day_it_is_checked() {
    let def = form(json!([rule("adult", "pnr", json!({"type": "age", "field": "pnr", "min": 18}))]));
    def.check().expect("valid");
    // Skatteverket's test numbers: born 2008-12-07 (18 on the day checked) and 2008-12-08 (17).
    assert!(broken(&def, json!({"pnr": "200812072387"})).is_empty());
    assert_eq!(broken(&def, json!({"pnr": "200812082386"})), one("adult", "pnr"));
    let young = form(json!([rule("young", "pnr", json!({"type": "age", "field": "pnr", "max": 25}))]));
    assert_eq!(broken(&young, json!({"pnr": "191202119150"})), one("young", "pnr"));
    assert!(broken(&young, json!({"pnr": "200812082386"})).is_empty());
}

#[test]
fn at_least_one_of_several_fields_must_be_answered_when_any_of_them_is_shown() {
    let def = form(json!([rule("reach", "phone", json!({"type": "at_least_one", "fields": ["phone", "email"]}))]));
    def.check().expect("valid");
    assert_eq!(broken(&def, json!({})), one("reach", "phone"));
    assert_eq!(broken(&def, json!({"phone": "   "})), one("reach", "phone"));
    assert!(broken(&def, json!({"email": "a@example.se"})).is_empty());
    assert!(broken(&def, json!({"phone": "0701"})).is_empty());
}

#[test]
fn a_sum_of_numbers_may_not_exceed_a_field_or_a_constant_and_unanswered_numbers_count_as_nought() {
    let def = form(json!([rule(
        "parts",
        "young",
        json!({"type": "sum_at_most", "fields": ["young", "old"], "other": "members"})
    )]));
    def.check().expect("valid");
    assert!(broken(&def, json!({"members": 40, "young": 30, "old": 10})).is_empty());
    assert_eq!(broken(&def, json!({"members": 40, "young": 30, "old": 11})), one("parts", "young"));
    assert_eq!(broken(&def, json!({"members": 40, "young": 41})), one("parts", "young"));
    assert!(broken(&def, json!({"young": 41})).is_empty(), "no bound: skipped");
    let constant =
        form(json!([rule("cap", "young", json!({"type": "sum_at_most", "fields": ["young", "old"], "value": 100}))]));
    assert_eq!(broken(&constant, json!({"young": 60, "old": 41})), one("cap", "young"));
    assert!(broken(&constant, json!({})).is_empty());
}

#[test]
fn the_number_of_chosen_options_can_be_held_between_two_bounds() {
    let def =
        form(json!([rule("two", "topics", json!({"type": "chosen_count", "field": "topics", "min": 2, "max": 2}))]));
    def.check().expect("valid");
    assert_eq!(broken(&def, json!({"topics": ["a"]})), one("two", "topics"));
    assert!(broken(&def, json!({"topics": ["a", "b"]})).is_empty());
    assert_eq!(broken(&def, json!({"topics": ["a", "b", "c"]})), one("two", "topics"));
}

#[test]
fn a_conditional_rule_applies_only_while_its_condition_holds() {
    let mut r = rule("reach", "phone", json!({"type": "at_least_one", "fields": ["phone", "email"]}));
    r["condition"] = json!({"op": "equals", "field": "hide_email", "value": false});
    let def = form(json!([r]));
    def.check().expect("valid");
    assert_eq!(broken(&def, json!({"hide_email": false})), one("reach", "phone"));
    assert!(broken(&def, json!({"hide_email": true})).is_empty());
}

#[test]
fn a_rule_of_the_whole_form_reads_fields_on_every_page() {
    let mut def = form(json!([]));
    let mut second = def.pages[0].clone();
    second.key = "q".into();
    second.fields =
        vec![serde_json::from_value(json!({"key": "later", "label": "L", "kind": {"type": "date"}})).unwrap()];
    def.pages.push(second);
    def.rules = vec![
        serde_json::from_value(rule(
            "later_after_start",
            "later",
            json!({"type": "compare", "field": "later", "op": "ge", "other": "start"}),
        ))
        .unwrap(),
    ];
    def.check().expect("valid");
    assert_eq!(broken(&def, json!({"start": "2027-01-02", "later": "2027-01-01"})), one("later_after_start", "later"));
}

/// What `check` says of a form with one rule.
fn refused(r: serde_json::Value) -> String {
    form(json!([r])).check().expect_err("refused").to_string()
}

#[test]
fn check_refuses_a_rule_that_cannot_be_evaluated_and_says_why() {
    let cmp = |check: serde_json::Value| rule("r", "end", check);
    assert!(
        refused(cmp(json!({"type": "compare", "field": "end", "op": "gt", "other": "nowhere"})))
            .contains("unknown field 'nowhere'")
    );
    assert!(
        refused(cmp(json!({"type": "compare", "field": "end", "op": "gt", "other": "members"})))
            .contains("another kind")
    );
    assert!(refused(cmp(json!({"type": "compare", "field": "end", "op": "gt"}))).contains("either another field"));
    assert!(
        refused(cmp(json!({"type": "compare", "field": "end", "op": "gt", "value": 3})))
            .contains("not a value a date field")
    );
    assert!(
        refused(cmp(json!({"type": "compare", "field": "phone", "op": "gt", "value": "x"})))
            .contains("number and date")
    );
    assert!(
        refused(cmp(json!({"type": "compare", "field": "note", "op": "gt", "value": 1}))).contains("takes no answer")
    );
    assert!(
        refused(cmp(json!({"type": "date_within", "field": "end", "after": "members", "max": 2, "unit": "years"})))
            .contains("two date fields")
    );
    assert!(refused(cmp(json!({"type": "from_today", "field": "end"}))).contains("give min, max or both"));
    assert!(refused(cmp(json!({"type": "age", "field": "end", "min": 1}))).contains("personnummer"));
    assert!(
        refused(cmp(json!({"type": "age", "field": "pnr", "min": 30, "max": 20}))).contains("min is greater than max")
    );
    assert!(refused(cmp(json!({"type": "at_least_one", "fields": ["phone"]}))).contains("two or more"));
    assert!(refused(cmp(json!({"type": "at_least_one", "fields": ["phone", "phone"]}))).contains("two or more"));
    assert!(
        refused(cmp(json!({"type": "sum_at_most", "fields": ["young", "end"], "value": 3}))).contains("number fields")
    );
    assert!(refused(cmp(json!({"type": "chosen_count", "field": "topics", "min": 4}))).contains("number of options"));
    assert!(
        refused(rule("r", "nowhere", json!({"type": "from_today", "field": "end", "min_days": 0})))
            .contains("does not have")
    );
    assert!(
        refused(rule("r", "note", json!({"type": "from_today", "field": "end", "min_days": 0})))
            .contains("takes no answer")
    );
    assert!(
        refused(rule("Bad key", "end", json!({"type": "from_today", "field": "end", "min_days": 0})))
            .contains("not valid")
    );
    let mut blank = rule("r", "end", json!({"type": "from_today", "field": "end", "min_days": 0}));
    blank["message"] = json!({"sv": "  "});
    assert!(refused(blank).contains("Swedish text"));
    let twice = form(json!([
        rule("r", "end", json!({"type": "from_today", "field": "end", "min_days": 0})),
        rule("r", "start", json!({"type": "from_today", "field": "start", "min_days": 0}))
    ]));
    assert!(twice.check().unwrap_err().to_string().contains("more than once"));
}

#[test]
fn a_rule_on_a_page_cannot_read_a_field_on_a_later_page() {
    let mut def =
        form(json!([rule("r", "end", json!({"type": "compare", "field": "end", "op": "gt", "other": "later"}))]));
    let mut second = def.pages[0].clone();
    second.key = "q".into();
    second.rules = Vec::new();
    second.fields =
        vec![serde_json::from_value(json!({"key": "later", "label": "L", "kind": {"type": "date"}})).unwrap()];
    def.pages.push(second);
    assert!(matches!(def.check(), Err(DefinitionError::ForwardReference { .. })), "{:?}", def.check());
}

#[test]
fn a_definition_without_rules_is_written_as_before() {
    let def = form(json!([]));
    let v = serde_json::to_value(&def).unwrap();
    assert!(v.get("rules").is_none());
    assert!(v["pages"][0].get("rules").is_none());
}

proptest! {
    /// Whatever the numbers, a comparison and its opposite never both fail.
    #[test]
    fn a_comparison_and_its_opposite_never_both_fail(young in -1000i64..1000, members in -1000i64..1000) {
        let lt = form(json!([rule("r", "young", json!({"type": "compare", "field": "young", "op": "lt", "other": "members"}))]));
        let ge = form(json!([rule("r", "young", json!({"type": "compare", "field": "young", "op": "ge", "other": "members"}))]));
        let a = json!({"young": young, "members": members});
        prop_assert!(broken(&lt, a.clone()).is_empty() != broken(&ge, a).is_empty());
    }
}

#[test]
fn the_operators_and_units_are_read_by_the_names_serde_writes() {
    for (op, name) in CompareOp::ALL {
        assert_eq!(serde_json::to_value(op).unwrap(), serde_json::json!(name));
        assert_eq!(serde_json::from_value::<CompareOp>(serde_json::json!(name)).unwrap(), op);
    }
    for (unit, name) in DateUnit::ALL {
        assert_eq!(serde_json::to_value(unit).unwrap(), serde_json::json!(name));
        assert_eq!(serde_json::from_value::<DateUnit>(serde_json::json!(name)).unwrap(), unit);
    }
    let e = serde_json::from_value::<CompareOp>(serde_json::json!("lte")).unwrap_err().to_string();
    assert_eq!(e, "unknown variant `lte`, expected one of `lt`, `le`, `eq`, `ne`, `ge`, `gt`");
}
