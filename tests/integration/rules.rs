//! Rules across fields through the API: a submission that breaks a rule is refused with 422
//! naming the field and the rule, and a definition whose rule cannot be evaluated is refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{APPLICANT, service_input, spawn_app};

/// A one-page form with one rule of each kind.
fn form_with_every_rule() -> Value {
    let rule = |key: &str, field: &str, check: Value| {
        json!({"key": key, "field": field, "check": check,
               "message": {"sv": format!("Regeln {key} bryts."), "en": format!("The rule {key} is broken.")}})
    };
    json!({"pages": [{"key": "sidan", "title": "Sidan", "fields": [
        {"key": "start", "label": "Start", "kind": {"type": "date"}},
        {"key": "slut", "label": "Slut", "kind": {"type": "date"}},
        {"key": "medlemmar", "label": "Medlemmar", "kind": {"type": "number", "integer": true}},
        {"key": "unga", "label": "Unga", "kind": {"type": "number", "integer": true}},
        {"key": "personnummer", "label": "Personnummer", "kind": {"type": "personnummer"}},
        {"key": "telefon", "label": "Telefon", "kind": {"type": "phone"}},
        {"key": "epost", "label": "E-post", "kind": {"type": "email"}},
        {"key": "amnen", "label": "Ämnen", "kind": {"type": "multiple_choice", "options": [
            {"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}]}}
    ], "rules": [
        rule("slut_efter_start", "slut", json!({"type": "compare", "field": "slut", "op": "gt", "other": "start"})),
        rule("hogst_tva_ar", "slut", json!({"type": "date_within", "field": "slut", "after": "start", "max": 2, "unit": "years"})),
        rule("inte_bakat", "start", json!({"type": "from_today", "field": "start", "min_days": -36500})),
        rule("vuxen", "personnummer", json!({"type": "age", "field": "personnummer", "min": 18})),
        rule("nagot_satt", "telefon", json!({"type": "at_least_one", "fields": ["telefon", "epost"]})),
        rule("unga_hogst_alla", "unga", json!({"type": "sum_at_most", "fields": ["unga"], "other": "medlemmar"})),
        rule("hogst_tva_amnen", "amnen", json!({"type": "chosen_count", "field": "amnen", "max": 2}))
    ]}]})
}

/// Answers that keep every rule.
fn good() -> Value {
    json!({"start": "2027-03-01", "slut": "2028-03-01", "medlemmar": 40, "unga": 12,
           "personnummer": "189001019802", "telefon": "0701234567", "amnen": ["a", "b"]})
}

#[tokio::test]
async fn a_submission_breaking_a_rule_gets_422_naming_the_field_and_the_rule_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "regler", form_with_every_rule(), false).await;
    let token = app.applicant(APPLICANT).await;
    let breaking: [(&str, &str, Value); 7] = [
        ("slut_efter_start", "slut", json!({"slut": "2027-02-01"})),
        ("hogst_tva_ar", "slut", json!({"slut": "2029-03-02"})),
        ("inte_bakat", "start", json!({"start": "1900-01-01", "slut": "1900-06-01"})),
        ("vuxen", "personnummer", json!({"personnummer": "202001012398"})),
        ("nagot_satt", "telefon", json!({"telefon": null})),
        ("unga_hogst_alla", "unga", json!({"unga": 41})),
        ("hogst_tva_amnen", "amnen", json!({"amnen": ["a", "b", "c"]})),
    ];
    for (rule, field, change) in breaking {
        let mut answers = good();
        for (k, v) in change.as_object().expect("object") {
            answers[k] = v.clone();
        }
        let (status, body) = app.submit("regler", Some(&token), 1, answers, None).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed")),
            "{rule}: {body}"
        );
        let errors = body["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{rule}: {body}");
        assert_eq!(errors[0]["field"], field, "{rule}");
        assert_eq!(errors[0]["code"], "rule", "{rule}");
        assert_eq!(errors[0]["rule"], rule);
        assert_eq!(errors[0]["message"]["sv"], format!("Regeln {rule} bryts."));
        assert_eq!(errors[0]["message"]["en"], format!("The rule {rule} is broken."));
    }
    assert_eq!(app.count("cases").await, 0);
    let (status, body) = app.submit("regler", Some(&token), 1, good(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_definition_with_a_rule_that_cannot_be_evaluated_is_refused_naming_the_rule() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("regler", false)).await;
    let mut def = form_with_every_rule();
    def["pages"][0]["rules"][0]["check"]["other"] = json!("medlemmar");
    let (status, body) = app.post("/api/v1/services/regler/forms", Some(&admin), &json!({"definition": def})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_definition")));
    let message = body["message"].as_str().unwrap_or("");
    assert!(message.contains("slut_efter_start") && message.contains("another kind"), "{message}");
    assert_eq!(app.count("form_versions").await, 0);
}

#[tokio::test]
async fn the_rules_are_part_of_the_form_the_catalogue_serves() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "regler", form_with_every_rule(), false).await;
    let (status, service) = app.get("/api/v1/catalogue/regler", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(service["form"], crate::helpers::canonical(form_with_every_rule()));
    assert_eq!(service["form"]["pages"][0]["rules"].as_array().map(Vec::len), Some(7));
}
