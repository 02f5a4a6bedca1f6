#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::form::{DefinitionError, FormDefinition};
use crate::validate::{Answers, FieldErrorCode, validate};

/// One page of `n` fields, each shown only when the one before it is answered.
fn chain(n: usize) -> FormDefinition {
    let fields: Vec<Value> = (0..n)
        .map(|i| {
            let mut f = json!({"key": format!("f{i}"), "label": "F", "kind": {"type": "short_text"}});
            if i > 0 {
                f["condition"] = json!({"op": "is_answered", "field": format!("f{}", i - 1)});
            }
            f
        })
        .collect();
    serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": fields}]})).unwrap()
}

/// Runs `f` on a thread with a small stack (64 KiB), as a stand-in for any deep recursion.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(64 * 1024).spawn(f).unwrap().join().expect("no stack overflow")
}

#[test]
fn a_chain_of_conditions_as_long_as_the_limit_allows_is_checked_and_validated_without_deep_recursion() {
    let answers: Answers = (0..MAX_FIELDS).map(|i| (format!("f{i}"), json!("x"))).collect();
    let kept = on_small_stack(move || {
        let form = chain(MAX_FIELDS);
        form.check().expect("within the limits");
        validate(&form, &answers).expect("valid").len()
    });
    assert_eq!(kept, MAX_FIELDS);
}

#[test]
fn a_form_over_the_field_limit_is_refused_naming_the_limit_not_overflowing_the_stack() {
    let error = on_small_stack(|| chain(7_000).check().expect_err("too many fields"));
    assert_eq!(error, DefinitionError::OverLimit { what: "the number of fields".into(), limit: MAX_FIELDS });
    assert!(error.to_string().contains("500"), "{error}");
}

fn nested(depth: usize) -> Value {
    let mut c = json!({"op": "is_answered", "field": "a"});
    for _ in 1..depth {
        c = json!({"op": "not", "condition": c});
    }
    c
}

fn with_condition(condition: Value) -> FormDefinition {
    serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "a", "label": "A", "kind": {"type": "short_text"}},
        {"key": "b", "label": "B", "kind": {"type": "short_text"}, "condition": condition}
    ]}]}))
    .unwrap()
}

#[test]
fn a_condition_deeper_or_larger_than_the_limit_is_refused() {
    with_condition(nested(MAX_CONDITION_DEPTH)).check().expect("at the limit");
    let deep = with_condition(nested(MAX_CONDITION_DEPTH + 1)).check().expect_err("too deep");
    assert!(deep.to_string().contains("depth of the condition on 'b'"), "{deep}");
    let wide = |n: usize| json!({"op": "any", "conditions": vec![json!({"op": "is_answered", "field": "a"}); n]});
    with_condition(wide(MAX_CONDITION_NODES - 1)).check().expect("at the limit");
    let large = with_condition(wide(MAX_CONDITION_NODES)).check().expect_err("too many parts");
    assert!(large.to_string().contains("number of parts"), "{large}");
}

fn with_kind(kind: Value) -> FormDefinition {
    serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "a", "label": "A", "kind": kind}
    ]}]}))
    .unwrap()
}

#[test]
fn a_pattern_that_would_make_validation_slow_is_refused_as_too_complex() {
    let slow = with_kind(json!({"type": "short_text", "pattern": "(?:a{0,300}){0,300}b"}));
    let error = slow.check().expect_err("too complex").to_string();
    assert!(error.contains("too complex"), "{error}");
    for everyday in [
        "[0-9]{3} ?[0-9]{2}",
        "[0-9]{6}-?[0-9]{4}",
        "[A-ZÅÄÖ]{3} ?[0-9]{2}[A-Z0-9]",
        "[a-z0-9._%+-]+@[a-z0-9.-]+[.][a-z]{2,}",
    ] {
        with_kind(json!({"type": "short_text", "pattern": everyday})).check().expect(everyday);
    }
}

#[test]
fn a_form_may_have_at_most_so_many_fields_with_a_pattern_and_so_many_options_per_field() {
    let fields: Vec<Value> = (0..=MAX_PATTERNS)
        .map(|i| json!({"key": format!("f{i}"), "label": "F", "kind": {"type": "short_text", "pattern": "[0-9]+"}}))
        .collect();
    let form: FormDefinition =
        serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": fields}]})).unwrap();
    assert!(form.check().expect_err("too many").to_string().contains("with a pattern"));
    let options: Vec<Value> = (0..=MAX_OPTIONS).map(|i| json!({"value": format!("o{i}"), "label": "O"})).collect();
    let error = with_kind(json!({"type": "single_choice", "options": options})).check().expect_err("too many");
    assert!(error.to_string().contains("at most 500 options"), "{error}");
}

#[test]
fn an_answer_longer_than_a_pattern_is_matched_against_is_refused_as_too_long() {
    let form = with_kind(json!({"type": "short_text", "pattern": "a*"}));
    let long: Answers = [("a".to_owned(), json!("a".repeat(PATTERN_INPUT_MAX as usize + 1)))].into();
    assert_eq!(validate(&form, &long).unwrap_err()[0].code, FieldErrorCode::TooLong);
    let fits: Answers = [("a".to_owned(), json!("a".repeat(PATTERN_INPUT_MAX as usize)))].into();
    validate(&form, &fits).expect("fits");
}

#[test]
fn an_answer_of_nothing_but_invisible_characters_does_not_answer_a_required_field() {
    let form: FormDefinition = serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "a", "label": "A", "required": true, "kind": {"type": "short_text"}}
    ]}]}))
    .unwrap();
    for invisible in ["\u{200B}", "\u{200E}\u{200F}", " \u{FEFF} ", "\u{2060}\u{00AD}", "\u{202A}\u{202C}"] {
        let answers: Answers = [("a".to_owned(), json!(invisible))].into();
        assert_eq!(validate(&form, &answers).unwrap_err()[0].code, FieldErrorCode::Required, "{invisible:?}");
    }
    let answers: Answers = [("a".to_owned(), json!("\u{200B}x"))].into();
    validate(&form, &answers).expect("a visible character answers");
}

#[test]
fn an_integer_beyond_two_to_the_fifty_third_is_refused_rather_than_rounded() {
    let form = with_kind(json!({"type": "number", "integer": true}));
    let at = |v: Value| validate(&form, &[("a".to_owned(), v)].into());
    assert_eq!(at(json!(9_007_199_254_740_991_u64)).expect("2^53 - 1")["a"], json!(9_007_199_254_740_991_u64));
    for too_large in [json!(9_007_199_254_740_993_u64), json!("9007199254740993"), json!(-1e300), json!(u64::MAX)] {
        assert_eq!(at(too_large.clone()).unwrap_err()[0].code, FieldErrorCode::NumberTooLarge, "{too_large}");
    }
}

#[test]
fn answers_that_name_a_field_twice_are_refused_saying_which() {
    let twice = r#"{"form_version": 1, "answers": {"a": "first", "a": "second"}}"#;
    let error = serde_json::from_str::<crate::api::SubmitCaseRequest>(twice).expect_err("refused").to_string();
    assert!(error.contains("the answers name the field 'a' twice"), "{error}");
    let draft = r#"{"form_version": 1, "answers": {"b": 1, "a": 1, "b": 2}}"#;
    assert!(serde_json::from_str::<crate::api::SaveDraftRequest>(draft).is_err());
    let supplement = r#"{"answers": {"b": 1, "b": null}}"#;
    assert!(serde_json::from_str::<crate::handling::SupplementAnswer>(supplement).is_err());
    let once = r#"{"form_version": 1, "answers": {"a": "x", "b": "y"}}"#;
    assert_eq!(serde_json::from_str::<crate::api::SubmitCaseRequest>(once).unwrap().answers.len(), 2);
}

/// The slowest definition `check` accepts that this suite knows: every limit at its most — a
/// hundred pages of ten fields, each field's condition as deep as allowed, the most fields with
/// patterns (each a slow pattern just within the size limit) and the most rules, each with a
/// condition as deep as allowed — with the longest answers.
fn worst() -> (FormDefinition, Answers) {
    // An even number of `not`s, as deep as the limit allows: true when the field is answered.
    let deep = |field: String| {
        let mut c = json!({"op": "is_answered", "field": field});
        for _ in 0..(MAX_CONDITION_DEPTH - 1) / 2 * 2 {
            c = json!({"op": "not", "condition": c});
        }
        c
    };
    let mut answers = Answers::new();
    let mut patterns = 0;
    let pages: Vec<Value> = (0..MAX_PAGES)
        .map(|p| {
            let fields: Vec<Value> = (0..MAX_FIELDS / MAX_PAGES)
                .map(|i| {
                    let key = format!("f{p}_{i}");
                    let mut kind = json!({"type": "short_text"});
                    if i % 2 == 1 && patterns < MAX_PATTERNS {
                        patterns += 1;
                        kind["pattern"] = json!("(?:.*){0,20}b");
                        answers.insert(key.clone(), json!("a".repeat(PATTERN_INPUT_MAX as usize - 1) + "b"));
                    } else {
                        answers.insert(key.clone(), json!("å".repeat(crate::form::SHORT_TEXT_MAX as usize)));
                    }
                    let mut f = json!({"key": key, "label": "F", "required": true, "kind": kind});
                    if i > 0 {
                        f["condition"] = deep(format!("f{p}_{}", i - 1));
                    }
                    f
                })
                .collect();
            let rules: Vec<Value> = (0..crate::rule::MAX_RULES / MAX_PAGES)
                .map(|r| {
                    json!({"key": format!("r{p}_{r}"), "field": format!("f{p}_0"), "message": {"sv": "Fel"},
                           "check": {"type": "at_least_one", "fields": [format!("f{p}_0"), format!("f{p}_{}", 1 + r % 9)]},
                           "condition": deep(format!("f{p}_{}", r % 10))})
                })
                .collect();
            json!({"key": format!("p{p}"), "title": "P", "fields": fields, "rules": rules})
        })
        .collect();
    let form: FormDefinition = serde_json::from_value(json!({"pages": pages})).unwrap();
    (form, answers)
}

/// The CPU time this thread has used (the wall clock where there is no such clock).
#[cfg(unix)]
fn thread_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes one `timespec` into the one it is given, which lives here.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "the thread's CPU clock");
    Duration::new(u64::try_from(ts.tv_sec).unwrap_or(0), u32::try_from(ts.tv_nsec).unwrap_or(0))
}

#[cfg(not(unix))]
fn thread_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// The worst definition made of repeating groups: as many full rows as the limits allow (each
/// row's fields and rules counted once per row), the longest answers in every row, the patterns
/// and row rules on every row.
fn worst_groups() -> (FormDefinition, Answers) {
    const FIELDS: usize = 5;
    let rows = 9_usize;
    let groups = MAX_FIELDS / (1 + FIELDS * rows);
    let rules_per_group = crate::rule::MAX_RULES / groups / rows;
    let mut answers = Answers::new();
    let fields: Vec<Value> = (0..groups)
        .map(|g| {
            let inner: Vec<Value> = (0..FIELDS)
                .map(|i| {
                    let mut kind = json!({"type": "short_text"});
                    if g == 0 && i == 0 {
                        kind["pattern"] = json!("(?:.*){0,20}b");
                    }
                    json!({"key": format!("g{g}_{i}"), "label": "F", "required": true, "kind": kind})
                })
                .collect();
            let rules: Vec<Value> = (0..rules_per_group)
                .map(|r| {
                    json!({"key": format!("r{g}_{r}"), "field": format!("g{g}_0"), "message": "Fel",
                           "check": {"type": "at_least_one", "fields": (0..FIELDS).map(|i| format!("g{g}_{i}")).collect::<Vec<_>>()}})
                })
                .collect();
            let row: serde_json::Map<String, Value> = (0..FIELDS)
                .map(|i| {
                    let text = if g == 0 && i == 0 {
                        "a".repeat(PATTERN_INPUT_MAX as usize - 1) + "b"
                    } else {
                        "å".repeat(crate::form::SHORT_TEXT_MAX as usize)
                    };
                    (format!("g{g}_{i}"), json!(text))
                })
                .collect();
            answers.insert(format!("g{g}"), Value::Array(vec![Value::Object(row); rows]));
            json!({"key": format!("g{g}"), "label": "G", "required": true,
                   "kind": {"type": "group", "max_rows": rows}, "fields": inner, "rules": rules})
        })
        .collect();
    let form: FormDefinition =
        serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": fields}]})).unwrap();
    (form, answers)
}

#[test]
fn the_worst_definition_of_repeating_groups_validates_full_rows_in_under_ten_milliseconds() {
    let (form, answers) = worst_groups();
    form.check().expect("within every limit");
    let over = |mut form: FormDefinition| {
        let crate::FieldKind::Group { max_rows, .. } = &mut form.pages[0].fields[0].kind else { unreachable!() };
        *max_rows += 2;
        form.check().expect_err("one more row is over a limit")
    };
    assert!(matches!(over(form.clone()), crate::DefinitionError::OverLimit { .. }));
    let fastest = fastest_validation(&form, &answers);
    eprintln!("the worst definition of groups validated in {fastest:?} of CPU time");
    assert!(fastest < Duration::from_millis(10), "{fastest:?}");
}

/// The fastest of a few validations, in this thread's CPU time: the machine is shared (tests and
/// builds run beside this one), and time spent waiting for a core says nothing of the code.
fn fastest_validation(form: &FormDefinition, answers: &Answers) -> Duration {
    validate(form, answers).expect("valid");
    (0..10)
        .map(|_| {
            let start = thread_time();
            std::hint::black_box(validate(form, answers)).ok();
            thread_time().saturating_sub(start)
        })
        .min()
        .unwrap_or(Duration::MAX)
}

#[test]
fn the_worst_definition_check_accepts_validates_the_longest_answers_in_under_ten_milliseconds() {
    let (form, answers) = worst();
    form.check().expect("within every limit");
    let fastest = fastest_validation(&form, &answers);
    eprintln!("the worst definition validated in {fastest:?} of CPU time");
    assert!(fastest < Duration::from_millis(10), "{fastest:?}");
}
