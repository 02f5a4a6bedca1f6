//! The personal data step: prefill from the population register (the Navet
//! simulator over mutual TLS), and protected identities that never leak.

use backend::navet::simulator::fixtures;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{captured_logs, sample_answers, sample_form, spawn_app};

#[tokio::test]
async fn an_ordinary_person_gets_name_and_address_prefilled() {
    let app = spawn_app().await;
    let token = app.applicant(fixtures::ORDINARY_ADULT).await;
    let (status, p) = app.get("/api/v1/me/person", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!((p["personnummer"].as_str(), p["protected"].as_bool()), (Some(fixtures::ORDINARY_ADULT), Some(false)));
    assert!(p["given_name"].as_str().is_some_and(|s| !s.is_empty()) && p["surname"].as_str().is_some(), "{p}");
    let address = &p["address"];
    assert!(
        address["street"].as_str().is_some()
            && address["postal_code"].as_str().is_some()
            && address["city"].as_str().is_some(),
        "{p}"
    );
}

#[tokio::test]
async fn a_guardian_sees_the_child_in_their_custody() {
    let app = spawn_app().await;
    let token = app.applicant(fixtures::GUARDIAN_A).await;
    let (_, p) = app.get("/api/v1/me/person", Some(&token)).await;
    let children: Vec<_> =
        p["children"].as_array().expect("children").iter().map(|c| c["personnummer"].as_str().unwrap_or("")).collect();
    assert_eq!(children, [fixtures::CHILD]);
}

#[tokio::test]
async fn a_person_unknown_to_the_register_gets_no_prefill() {
    let app = spawn_app().await;
    let token = app.applicant(fixtures::UNKNOWN).await;
    let (status, p) = app.get("/api/v1/me/person", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p, json!({"personnummer": fixtures::UNKNOWN, "protected": false, "found_in_register": false}));
}

#[tokio::test]
async fn personal_data_needs_an_applicant_login() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/v1/me/person", None).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_protected_identity_never_leaks_into_responses_the_database_or_the_log() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    // What the register holds about these two (the simulator's fixture) and must never show.
    // (Their postal code, 99993, is left out of the search: digits like these turn up in
    // timestamps and durations, so searching for them would prove nothing.)
    let secrets = ["DOLDA GRÄND", "DOLDA GR", "Sekretus", "Hemlig", "Skyddsson"];
    let mut responses = Vec::new();
    for person in [fixtures::SEKRETESSMARKERING, fixtures::SKYDDAD_FOLKBOKFORING] {
        let token = app.applicant(person).await;
        let (status, p) = app.get("/api/v1/me/person", Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            p,
            json!({"personnummer": person, "protected": true, "found_in_register": true}),
            "only that it is protected"
        );
        responses.push(p.to_string());
        let (status, case) = app.submit("bygglov", Some(&token), 1, sample_answers(), None).await;
        assert_eq!(status, StatusCode::CREATED);
        responses.push(case.to_string());
        let reference = case["reference"].as_str().unwrap_or("").to_string();
        responses.push(app.get("/api/v1/me/cases", Some(&token)).await.1.to_string());
        responses.push(app.get(&format!("/api/v1/me/cases/{reference}"), Some(&token)).await.1.to_string());
        responses.push(app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await.1.to_string());
        responses.push(app.get("/api/v1/cases", Some(&handler)).await.1.to_string());
        // The other protected person is this one's spouse in the register: the relation never shows either.
        let spouse = if person == fixtures::SEKRETESSMARKERING {
            fixtures::SKYDDAD_FOLKBOKFORING
        } else {
            fixtures::SEKRETESSMARKERING
        };
        assert!(!p.to_string().contains(spouse));
    }
    let database = app.database_dump().await;
    let logs = captured_logs();
    assert!(!logs.is_empty(), "the log is captured");
    for secret in secrets {
        for (i, r) in responses.iter().enumerate() {
            assert!(!r.contains(secret), "response {i} contains {secret:?}: {r}");
        }
        assert!(!database.contains(secret), "the database contains {secret:?}");
        assert!(!logs.contains(secret), "the log contains {secret:?}");
    }
    // And the personnummer of a protected person is never logged in full either.
    assert!(!logs.contains(fixtures::SEKRETESSMARKERING) && !logs.contains(fixtures::SKYDDAD_FOLKBOKFORING));
}

/// A form whose name is prefilled (and locked) from the register and whose personnummer is
/// locked to the e-ID.
fn prefilled_form() -> serde_json::Value {
    json!({"pages": [{"key": "du", "title": "Du", "fields": [
        {"key": "namn", "label": "Namn", "required": true, "prefill": {"from": "full_name", "locked": true},
         "kind": {"type": "short_text"}},
        {"key": "ort", "label": "Ort", "prefill": {"from": "ort"}, "kind": {"type": "short_text"}},
        {"key": "pnr", "label": "Personnummer", "required": true, "prefill": {"from": "personnummer", "locked": true},
         "kind": {"type": "personnummer"}}
    ]}]})
}

#[tokio::test]
async fn a_locked_prefilled_answer_is_the_registers_and_the_e_ids_whatever_the_applicant_sends() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", prefilled_form(), false).await;
    let token = app.applicant(fixtures::ORDINARY_ADULT).await;
    let (_, me) = app.get("/api/v1/me/person", Some(&token)).await;
    let registered = format!("{} {}", me["given_name"].as_str().unwrap(), me["surname"].as_str().unwrap());
    // Someone else's name and personnummer are sent; the unlocked town is the applicant's to change.
    let sent = json!({"namn": "Någon Annan", "ort": "Min egen ort", "pnr": fixtures::DEMO_APPLICANT});
    let (status, case) = app.submit("bygglov", Some(&token), 1, sent, None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["answers"]["namn"], json!(registered));
    assert_eq!(case["answers"]["pnr"], json!(fixtures::ORDINARY_ADULT));
    assert_eq!(case["answers"]["ort"], "Min egen ort");
}

#[tokio::test]
async fn a_protected_identity_gets_nothing_from_the_register_into_its_answers_and_types_its_own() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", prefilled_form(), false).await;
    let token = app.applicant(fixtures::SKYDDAD_FOLKBOKFORING).await;
    let sent = json!({"namn": "Eget Namn", "pnr": fixtures::DEMO_APPLICANT});
    let (status, case) = app.submit("bygglov", Some(&token), 1, sent, None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["answers"]["namn"], "Eget Namn", "nothing from the register: the typed name stays");
    assert_eq!(case["answers"]["pnr"], json!(fixtures::SKYDDAD_FOLKBOKFORING), "the e-ID's number is the person's own");
    for secret in ["DOLDA GRÄND", "Sekretus", "Hemlig", "Skyddsson"] {
        assert!(!case.to_string().contains(secret), "{secret} leaked: {case}");
    }
}

#[tokio::test]
async fn a_recurring_applicant_gets_only_the_answers_the_form_takes_from_their_own_newest_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let form = json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "forening", "label": "Förening", "prefill": {"from": "previous_case"}, "kind": {"type": "short_text"}},
        {"key": "ovrigt", "label": "Övrigt", "kind": {"type": "short_text"}}
    ]}]});
    app.published_service(&admin, "bygglov", form, false).await;
    let me = app.applicant(fixtures::ORDINARY_ADULT).await;
    let other = app.applicant(fixtures::DEMO_APPLICANT).await;
    let path = "/api/v1/me/previous-answers/bygglov";
    assert_eq!(app.get(path, Some(&me)).await.0, StatusCode::NOT_FOUND, "no case yet");
    app.submit("bygglov", Some(&me), 1, json!({"forening": "Råå IF", "ovrigt": "första"}), None).await;
    let (_, newest) =
        app.submit("bygglov", Some(&me), 1, json!({"forening": "Råå IF 2", "ovrigt": "andra"}), None).await;
    app.submit("bygglov", Some(&other), 1, json!({"forening": "Någon annans"}), None).await;
    let (status, previous) = app.get(path, Some(&me)).await;
    assert_eq!(status, StatusCode::OK, "{previous}");
    assert_eq!(previous, json!({"reference": newest["reference"], "answers": {"forening": "Råå IF 2"}}));
    let (_, theirs) = app.get(path, Some(&other)).await;
    assert_eq!(theirs["answers"], json!({"forening": "Någon annans"}), "each applicant their own");
    assert_eq!(app.get(path, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me/previous-answers/finns-inte", Some(&me)).await.0, StatusCode::NOT_FOUND);
}
