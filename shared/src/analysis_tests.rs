use serde_json::json;

use super::*;

const TODAY: (i32, u32, u32) = (2026, 12, 7);

fn def(v: serde_json::Value) -> FormDefinition {
    let d: FormDefinition = serde_json::from_value(v).unwrap();
    d.check().unwrap();
    d
}

fn found(d: &FormDefinition) -> Vec<(FindingKind, String)> {
    findings(d, TODAY).into_iter().map(|f| (f.kind, f.key)).collect()
}

fn choice(key: &str, options: &[&str]) -> serde_json::Value {
    let options: Vec<_> = options.iter().map(|o| json!({"value": o, "label": o.to_uppercase()})).collect();
    json!({"key": key, "label": key, "kind": {"type": "single_choice", "options": options}})
}

#[test]
fn a_field_whose_condition_contradicts_its_pages_is_never_shown() {
    let d = def(json!({"pages": [
        {"key": "p1", "title": "Ett", "fields": [choice("typ", &["a", "b"])]},
        {"key": "p2", "title": "Två", "condition": {"op": "equals", "field": "typ", "value": "a"}, "fields": [
            {"key": "bara_b", "label": "Bara b", "condition": {"op": "equals", "field": "typ", "value": "b"}, "kind": {"type": "short_text"}},
            {"key": "alltid", "label": "Alltid", "kind": {"type": "short_text"}}
        ]}
    ]}));
    assert_eq!(found(&d), vec![(FindingKind::FieldNeverShown, "bara_b".to_string())]);
    let message = &findings(&d, TODAY)[0].message;
    assert!(message.contains("”Bara b”") && message.contains("”Två”"), "{message}");
}

#[test]
fn a_page_behind_an_impossible_condition_is_never_shown_and_its_fields_are_not_reported_twice() {
    let d = def(json!({"pages": [
        {"key": "p1", "title": "Ett", "fields": [{"key": "n", "label": "Antal", "kind": {"type": "number", "min": 0, "max": 10}}]},
        {"key": "p2", "title": "Två", "condition": {"op": "all", "conditions": [
            {"op": "greater_than", "field": "n", "value": 5},
            {"op": "less_than", "field": "n", "value": 3}]},
         "fields": [{"key": "x", "label": "X", "kind": {"type": "short_text"}}]},
        {"key": "p3", "title": "Tre", "condition": {"op": "greater_than", "field": "n", "value": 20},
         "fields": [{"key": "y", "label": "Y", "kind": {"type": "short_text"}}]}
    ]}));
    assert_eq!(
        found(&d),
        vec![(FindingKind::PageNeverShown, "p2".to_string()), (FindingKind::PageNeverShown, "p3".to_string())],
        "over the field's maximum of 10 is never answered"
    );
}

#[test]
fn rules_that_never_fail_never_pass_or_never_apply_are_found_and_the_demo_like_rules_are_not() {
    let rule = |key: &str, check: serde_json::Value| json!({"key": key, "field": "slut", "message": {"sv": "Fel"}, "check": check});
    let d = def(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "start", "label": "Start", "kind": {"type": "date"}},
        {"key": "slut", "label": "Slut", "kind": {"type": "date"}},
        {"key": "n", "label": "N", "kind": {"type": "number", "min": 0, "max": 10}}
    ], "rules": [
        rule("efter_start", json!({"type": "compare", "field": "slut", "op": "gt", "other": "start"})),
        rule("hogst_tva_ar", json!({"type": "date_within", "field": "slut", "after": "start", "max": 2, "unit": "years"})),
        rule("inom_ett_ar", json!({"type": "from_today", "field": "slut", "min_days": 0, "max_days": 365})),
        rule("sig_sjalv", json!({"type": "compare", "field": "slut", "op": "le", "other": "slut"})),
        rule("aldrig", json!({"type": "compare", "field": "slut", "op": "lt", "other": "slut"})),
        {"key": "under_tolv", "field": "n", "message": {"sv": "Fel"}, "check": {"type": "compare", "field": "n", "op": "lt", "value": 12}},
        {"key": "villkor", "field": "n", "message": {"sv": "Fel"}, "condition": {"op": "greater_than", "field": "n", "value": 50},
         "check": {"type": "compare", "field": "n", "op": "lt", "value": 5}}
    ]}]}));
    assert_eq!(
        found(&d),
        vec![
            (FindingKind::RuleNeverFails, "sig_sjalv".to_string()),
            (FindingKind::RuleNeverPasses, "aldrig".to_string()),
            (FindingKind::RuleNeverFails, "under_tolv".to_string()),
            (FindingKind::RuleNeverApplies, "villkor".to_string()),
        ]
    );
}

#[test]
fn too_many_combinations_are_reported_as_not_analysed_not_guessed() {
    // Four choices of twenty options decide one field: 21^4 combinations.
    let options: Vec<String> = (0..20).map(|i| format!("o{i}")).collect();
    let options: Vec<&str> = options.iter().map(String::as_str).collect();
    let mut fields: Vec<serde_json::Value> = (0..4).map(|i| choice(&format!("c{i}"), &options)).collect();
    fields.push(json!({"key": "sist", "label": "Sist", "kind": {"type": "short_text"}, "condition": {"op": "all", "conditions": [
        {"op": "equals", "field": "c0", "value": "o1"}, {"op": "equals", "field": "c1", "value": "o1"},
        {"op": "equals", "field": "c2", "value": "o1"}, {"op": "equals", "field": "c3", "value": "o1"}]}}));
    let d = def(json!({"pages": [{"key": "p", "title": "P", "fields": fields}]}));
    assert_eq!(found(&d), vec![(FindingKind::NotAnalysed, "sist".to_string())]);
}

#[test]
fn the_flow_has_login_each_page_with_its_condition_the_summary_signing_and_sending() {
    let d = def(json!({"pages": [
        {"key": "p1", "title": "Ett", "fields": [choice("typ", &["a", "b"])]},
        {"key": "p2", "title": "Två", "condition": {"op": "equals", "field": "typ", "value": "a"}, "fields": [{"key": "x", "label": "X", "kind": {"type": "yes_no"}}]},
        {"key": "p3", "title": "Tre", "fields": [{"key": "y", "label": "Y", "kind": {"type": "yes_no"}}]}
    ]}));
    let f = flow(&d, FlowSettings { login: true, signing: true });
    let ids: Vec<&str> = f.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["login", "personal_data", "p1", "p2", "p3", "summary", "signing", "send"]);
    assert_eq!(f.steps[3].shown_when.as_deref(), Some("”typ” är ”A”"));
    let edges: Vec<(&str, &str, Option<&str>)> =
        f.edges.iter().map(|e| (e.from.as_str(), e.to.as_str(), e.when.as_deref())).collect();
    assert_eq!(
        edges,
        [
            ("login", "personal_data", None),
            ("personal_data", "p1", None),
            ("p1", "p2", Some("”typ” är ”A”")),
            ("p1", "p3", Some("annars (inte Två)")),
            ("p2", "p3", None),
            ("p3", "summary", None),
            ("summary", "signing", None),
            ("signing", "send", None),
        ]
    );
    let anonymous = flow(&d, FlowSettings::default());
    assert_eq!(anonymous.steps.first().map(|s| s.id.as_str()), Some("p1"));
    assert_eq!(anonymous.steps.last().map(|s| s.kind), Some(StepKind::Send));
}

#[test]
fn conditions_are_described_in_words_with_labels_and_option_texts() {
    let d = def(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "typ", "label": "Vad gäller det?", "kind": {"type": "single_choice", "options": [{"value": "lampa", "label": "Trasig lampa"}]}},
        {"key": "belopp", "label": "Belopp", "kind": {"type": "amount"}},
        {"key": "ja", "label": "Har du barn?", "kind": {"type": "yes_no"}}
    ]}]}));
    let c: Condition = serde_json::from_value(json!({"op": "any", "conditions": [
        {"op": "equals", "field": "typ", "value": "lampa"},
        {"op": "not", "condition": {"op": "greater_than", "field": "belopp", "value": 5000000}},
        {"op": "equals", "field": "ja", "value": true}]}))
    .unwrap();
    assert_eq!(
        describe(&c, &d),
        "(”Vad gäller det?” är ”Trasig lampa”) eller (inte (”Belopp” är mer än 50 000 kr)) eller (”Har du barn?” är ja)"
    );
}

#[test]
fn the_worst_accepted_definition_is_analysed_within_its_bounds() {
    // 500 fields on 100 pages, each page shown by a choice on the page before.
    let options: Vec<String> = (0..5).map(|i| format!("o{i}")).collect();
    let options: Vec<&str> = options.iter().map(String::as_str).collect();
    let pages: Vec<serde_json::Value> = (0..100)
        .map(|p| {
            let fields: Vec<serde_json::Value> = (0..5).map(|f| choice(&format!("f{p}_{f}"), &options)).collect();
            let mut page = json!({"key": format!("p{p}"), "title": format!("Sida {p}"), "fields": fields});
            if p > 0 {
                page["condition"] = json!({"op": "equals", "field": format!("f{}_0", p - 1), "value": "o1"});
            }
            page
        })
        .collect();
    let d = def(json!({"pages": pages}));
    let started = std::time::Instant::now();
    let out = findings(&d, TODAY);
    assert!(out.iter().all(|f| f.kind == FindingKind::NotAnalysed), "{out:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
}
