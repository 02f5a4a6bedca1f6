//! Tests of conditions: evaluation, the JSON shape and the referenced fields.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

fn cond(v: Value) -> Condition {
    serde_json::from_value(v).unwrap()
}

fn answers(v: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(v).unwrap()
}

fn holds(c: Value, a: Value) -> bool {
    cond(c).evaluate(&answers(a))
}

#[test]
fn all_of_nothing_holds_and_any_of_nothing_does_not() {
    assert!(holds(json!({ "op": "all", "conditions": [] }), json!({})));
    assert!(!holds(json!({ "op": "any", "conditions": [] }), json!({})));
}

#[test]
fn all_needs_every_condition_and_any_needs_one() {
    let a = json!({ "x": true, "y": false });
    let x = json!({ "op": "equals", "field": "x", "value": true });
    let y = json!({ "op": "equals", "field": "y", "value": true });
    assert!(!holds(json!({ "op": "all", "conditions": [x, y] }), a.clone()));
    assert!(holds(json!({ "op": "any", "conditions": [x, y] }), a.clone()));
    assert!(holds(json!({ "op": "all", "conditions": [x, x] }), a.clone()));
    assert!(!holds(json!({ "op": "any", "conditions": [y, y] }), a));
}

#[test]
fn not_negates_its_condition() {
    let c = json!({ "op": "not", "condition": { "op": "is_answered", "field": "x" } });
    assert!(holds(c.clone(), json!({})));
    assert!(!holds(c, json!({ "x": "yes" })));
}

#[test]
fn equals_compares_strings_booleans_and_numbers() {
    assert!(holds(json!({ "op": "equals", "field": "x", "value": "a" }), json!({ "x": "a" })));
    assert!(!holds(json!({ "op": "equals", "field": "x", "value": "a" }), json!({ "x": "A" })));
    assert!(holds(json!({ "op": "equals", "field": "x", "value": false }), json!({ "x": false })));
    assert!(!holds(json!({ "op": "equals", "field": "x", "value": false }), json!({ "x": true })));
    assert!(!holds(json!({ "op": "equals", "field": "x", "value": "true" }), json!({ "x": true })));
}

#[test]
fn equals_treats_an_integer_and_the_same_float_as_equal() {
    assert!(holds(json!({ "op": "equals", "field": "n", "value": 3.0 }), json!({ "n": 3 })));
    assert!(holds(json!({ "op": "equals", "field": "n", "value": 3 }), json!({ "n": 3.0 })));
    assert!(!holds(json!({ "op": "equals", "field": "n", "value": 3 }), json!({ "n": 3.5 })));
}

#[test]
fn equals_on_an_unanswered_field_does_not_hold() {
    assert!(!holds(json!({ "op": "equals", "field": "x", "value": "a" }), json!({})));
    assert!(!holds(json!({ "op": "equals", "field": "x", "value": false }), json!({ "y": false })));
}

#[test]
fn not_equals_needs_an_answer_that_differs() {
    let c = json!({ "op": "not_equals", "field": "x", "value": "a" });
    assert!(holds(c.clone(), json!({ "x": "b" })));
    assert!(!holds(c.clone(), json!({ "x": "a" })));
    assert!(!holds(c.clone(), json!({})), "an unanswered field is not different, it is absent");
    assert!(!holds(c.clone(), json!({ "x": "" })));
    assert!(!holds(c, json!({ "x": null })));
    assert!(holds(json!({ "op": "not_equals", "field": "n", "value": 1 }), json!({ "n": 2 })));
    assert!(!holds(json!({ "op": "not_equals", "field": "n", "value": 1 }), json!({ "n": 1.0 })));
}

#[test]
fn one_of_holds_when_the_answer_is_any_of_the_values() {
    let c = json!({ "op": "one_of", "field": "x", "values": ["a", "b", 3] });
    assert!(holds(c.clone(), json!({ "x": "b" })));
    assert!(holds(c.clone(), json!({ "x": 3.0 })));
    assert!(!holds(c.clone(), json!({ "x": "c" })));
    assert!(!holds(c, json!({})));
    assert!(!holds(json!({ "op": "one_of", "field": "x", "values": [] }), json!({ "x": "a" })));
}

#[test]
fn contains_looks_for_an_item_in_a_list() {
    let c = json!({ "op": "contains", "field": "x", "value": "dog" });
    assert!(holds(c.clone(), json!({ "x": ["cat", "dog"] })));
    assert!(!holds(c.clone(), json!({ "x": ["cat"] })));
    assert!(!holds(c.clone(), json!({ "x": [] })));
    assert!(!holds(c, json!({})));
}

#[test]
fn contains_looks_for_text_ignoring_case() {
    let c = json!({ "op": "contains", "field": "x", "value": "ÄLG" });
    assert!(holds(c.clone(), json!({ "x": "Vi såg en älg i skogen" })));
    assert!(!holds(c.clone(), json!({ "x": "Vi såg en hjort" })));
    assert!(!holds(c, json!({ "x": 5 })));
    assert!(!holds(json!({ "op": "contains", "field": "x", "value": 5 }), json!({ "x": "5" })));
}

#[test]
fn greater_than_and_less_than_compare_numbers() {
    let gt = json!({ "op": "greater_than", "field": "n", "value": 18 });
    let lt = json!({ "op": "less_than", "field": "n", "value": 18 });
    assert!(holds(gt.clone(), json!({ "n": 19 })));
    assert!(holds(gt.clone(), json!({ "n": 18.5 })));
    assert!(!holds(gt.clone(), json!({ "n": 18 })), "equal is not greater");
    assert!(!holds(lt.clone(), json!({ "n": 18 })), "equal is not less");
    assert!(holds(lt.clone(), json!({ "n": -3 })));
    assert!(!holds(gt.clone(), json!({})));
    assert!(!holds(lt.clone(), json!({})));
    assert!(!holds(gt, json!({ "n": "19" })), "a text answer is not a number");
    assert!(!holds(lt, json!({ "n": "17" })));
}

#[test]
fn greater_than_and_less_than_compare_dates() {
    let gt = json!({ "op": "greater_than", "field": "d", "value": "2024-02-29" });
    let lt = json!({ "op": "less_than", "field": "d", "value": "2024-02-29" });
    assert!(holds(gt.clone(), json!({ "d": "2024-03-01" })));
    assert!(!holds(gt.clone(), json!({ "d": "2024-02-29" })));
    assert!(holds(lt.clone(), json!({ "d": "2023-12-31" })));
    assert!(!holds(lt.clone(), json!({ "d": "2025-01-01" })));
    // Dates are compared as dates, not as text.
    assert!(!holds(gt.clone(), json!({ "d": "not a date" })));
    assert!(!holds(lt, json!({ "d": "2024-2-1" })));
    assert!(!holds(gt, json!({ "d": 20250101 })));
}

#[test]
fn is_answered_ignores_null_blank_text_and_empty_lists() {
    let c = json!({ "op": "is_answered", "field": "x" });
    for blank in [json!(null), json!(""), json!("   "), json!([])] {
        assert!(!holds(c.clone(), json!({ "x": blank })), "{blank}");
    }
    for given in [json!(false), json!(0), json!("a"), json!(["a"]), json!({})] {
        assert!(holds(c.clone(), json!({ "x": given })), "{given}");
    }
    assert!(!holds(c, json!({})));
}

#[test]
fn the_public_is_answered_helper_treats_blank_text_as_unanswered_and_false_as_answered() {
    assert!(!is_answered(&json!(" \t\n")));
    assert!(is_answered(&json!(false)));
    assert!(is_answered(&json!(0.0)));
}

#[test]
fn referenced_fields_lists_every_field_in_the_tree_in_order() {
    let c = cond(json!({ "op": "all", "conditions": [
        { "op": "equals", "field": "a", "value": 1 },
        { "op": "not", "condition": { "op": "any", "conditions": [
            { "op": "contains", "field": "b", "value": "x" },
            { "op": "one_of", "field": "c", "values": [] },
            { "op": "not_equals", "field": "d", "value": 1 },
            { "op": "greater_than", "field": "e", "value": 1 },
            { "op": "less_than", "field": "f", "value": 1 }
        ] } },
        { "op": "is_answered", "field": "a" }
    ] }));
    assert_eq!(c.referenced_fields(), ["a", "b", "c", "d", "e", "f", "a"]);
    assert!(cond(json!({ "op": "all", "conditions": [] })).referenced_fields().is_empty());
}

#[test]
fn conditions_are_tagged_by_op_in_json() {
    let c = Condition::Not {
        condition: Box::new(Condition::OneOf { field: "kind".into(), values: vec![json!("a"), json!(2)] }),
    };
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v, json!({ "op": "not", "condition": { "op": "one_of", "field": "kind", "values": ["a", 2] } }));
    assert_eq!(serde_json::from_value::<Condition>(v).unwrap(), c);
    assert_eq!(
        serde_json::to_value(Condition::IsAnswered { field: "x".into() }).unwrap(),
        json!({ "op": "is_answered", "field": "x" })
    );
    assert_eq!(
        serde_json::to_value(Condition::GreaterThan { field: "x".into(), value: json!("2024-01-01") }).unwrap(),
        json!({ "op": "greater_than", "field": "x", "value": "2024-01-01" })
    );
}

#[test]
fn an_unknown_op_or_a_missing_field_is_rejected_when_reading_json() {
    assert!(serde_json::from_value::<Condition>(json!({ "op": "script", "code": "alert(1)" })).is_err());
    assert!(serde_json::from_value::<Condition>(json!({ "op": "equals", "value": 1 })).is_err());
    assert!(serde_json::from_value::<Condition>(json!({ "field": "x" })).is_err());
}

// ---------------------------------------------------------------- properties

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..5).prop_map(|n| json!(n)),
        (-20i32..20).prop_map(|n| json!(f64::from(n) / 4.0)),
        "[ab ]{0,3}".prop_map(Value::String),
        prop_oneof![Just("2024-01-01"), Just("2024-06-30"), Just("1999-12-31")].prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| prop::collection::vec(inner, 0..3).prop_map(Value::Array))
}

fn arb_condition() -> impl Strategy<Value = Condition> {
    let field = prop_oneof![Just("a".to_string()), Just("b".to_string()), Just("c".to_string())];
    let leaf = prop_oneof![
        (field.clone(), arb_value()).prop_map(|(field, value)| Condition::Equals { field, value }),
        (field.clone(), arb_value()).prop_map(|(field, value)| Condition::NotEquals { field, value }),
        (field.clone(), prop::collection::vec(arb_value(), 0..3))
            .prop_map(|(field, values)| Condition::OneOf { field, values }),
        (field.clone(), arb_value()).prop_map(|(field, value)| Condition::Contains { field, value }),
        (field.clone(), arb_value()).prop_map(|(field, value)| Condition::GreaterThan { field, value }),
        (field.clone(), arb_value()).prop_map(|(field, value)| Condition::LessThan { field, value }),
        field.prop_map(|field| Condition::IsAnswered { field }),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|conditions| Condition::All { conditions }),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|conditions| Condition::Any { conditions }),
            inner.prop_map(|c| Condition::Not { condition: Box::new(c) }),
        ]
    })
}

fn arb_answers() -> impl Strategy<Value = BTreeMap<String, Value>> {
    prop::collection::btree_map(
        prop_oneof![Just("a".to_string()), Just("b".to_string()), Just("z".to_string())],
        arb_value(),
        0..3,
    )
}

proptest! {
    #[test]
    fn not_is_always_the_opposite(c in arb_condition(), a in arb_answers()) {
        let negated = Condition::Not { condition: Box::new(c.clone()) };
        prop_assert_eq!(negated.evaluate(&a), !c.evaluate(&a));
    }

    #[test]
    fn a_single_condition_in_all_or_any_is_the_condition_itself(c in arb_condition(), a in arb_answers()) {
        let expected = c.evaluate(&a);
        prop_assert_eq!(Condition::All { conditions: vec![c.clone()] }.evaluate(&a), expected);
        prop_assert_eq!(Condition::Any { conditions: vec![c] }.evaluate(&a), expected);
    }

    #[test]
    fn de_morgan_holds_for_all_and_any(x in arb_condition(), y in arb_condition(), a in arb_answers()) {
        let not = |c: Condition| Condition::Not { condition: Box::new(c) };
        let lhs = not(Condition::All { conditions: vec![x.clone(), y.clone()] });
        let rhs = Condition::Any { conditions: vec![not(x), not(y)] };
        prop_assert_eq!(lhs.evaluate(&a), rhs.evaluate(&a));
    }

    #[test]
    fn a_comparison_on_a_field_without_an_answer_never_holds(c in arb_condition()) {
        // Leaves other than `not` never hold on empty answers; only negation can make them true.
        let empty = BTreeMap::new();
        if !matches!(c, Condition::All { .. } | Condition::Any { .. } | Condition::Not { .. }) {
            prop_assert!(!c.evaluate(&empty));
        }
    }

    #[test]
    fn greater_than_and_less_than_never_both_hold(n in -100i64..100, m in -100i64..100) {
        let a: BTreeMap<String, Value> = [("n".to_string(), json!(n))].into();
        let gt = Condition::GreaterThan { field: "n".into(), value: json!(m) }.evaluate(&a);
        let lt = Condition::LessThan { field: "n".into(), value: json!(m) }.evaluate(&a);
        prop_assert_eq!(gt, n > m);
        prop_assert_eq!(lt, n < m);
    }

    #[test]
    fn every_condition_survives_a_json_round_trip(c in arb_condition()) {
        let back: Condition = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        prop_assert_eq!(back, c);
    }
}
