use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{APPLICANT, OTHER_APPLICANT, Options, sample_answers, sample_form, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_valid_case_gets_a_readable_reference_and_status_inskickat() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    let mut answers = sample_answers();
    answers["barn"] = json!("900101+9802"); // 10-digit form with '+' for a person over 100.
    let (status, case) = app.submit("bygglov", Some(&token), 1, answers, None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(
        reference.starts_with(&format!("HBG-{year}-")) && reference.len() == "HBG-2026-7KQ4-MX9C".len(),
        "{reference}"
    );
    assert!(shared::reference::has_valid_check(reference), "{reference}");
    assert_eq!(case["status"]["name"], "Inskickat");
    assert_eq!(case["status"]["kind"], "submitted");
    assert_eq!(case["answers"]["barn"], "189001019802", "personnummer normalised to 12 digits");
    let (status, second) = app.submit("bygglov", Some(&token), 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(second["reference"], case["reference"]);
    assert_eq!(app.count("cases").await, 2);
    assert_eq!(app.count("case_status_history").await, 2);
}

#[tokio::test]
async fn an_invalid_case_gets_422_with_field_codes_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    let answers =
        json!({"namn": "", "alder": 200, "har_hund": true, "epost": "nope", "barn": "189001019803", "okant": 1});
    let (status, body) = app.submit("bygglov", Some(&token), 1, answers, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "validation_failed");
    let mut codes: Vec<(String, String)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or("").to_string(), e["code"].as_str().unwrap_or("").to_string()))
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("alder", "above_maximum"),
            ("barn", "invalid_personnummer"),
            ("epost", "invalid_email"),
            ("hundens_namn", "required"),
            ("namn", "required"),
            ("okant", "unknown_field")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let first = &body["errors"][0]["message"];
    assert!(
        first["sv"].as_str().is_some_and(|s| !s.is_empty()) && first["en"].as_str().is_some_and(|s| !s.is_empty()),
        "{first}"
    );
    assert_eq!(app.count("cases").await, 0);
}

#[tokio::test]
async fn answers_to_hidden_fields_are_ignored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    let mut answers = sample_answers();
    // har_hund is false, so hundens_namn is hidden: its (even invalid) answer is dropped.
    answers["hundens_namn"] = json!(12345);
    let (status, case) = app.submit("bygglov", Some(&token), 1, answers, None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert!(case["answers"].get("hundens_namn").is_none(), "{case}");
    let (_, mine) =
        app.get(&format!("/api/v1/me/cases/{}", case["reference"].as_str().unwrap_or("")), Some(&token)).await;
    assert!(mine["answers"].get("hundens_namn").is_none(), "{mine}");
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_same_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    let key = uuid::Uuid::new_v4().to_string();
    let (s1, c1) = app.submit("bygglov", Some(&token), 1, sample_answers(), Some(&key)).await;
    let (s2, c2) = app.submit("bygglov", Some(&token), 1, sample_answers(), Some(&key)).await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(c1["reference"], c2["reference"]);
    assert_eq!(app.count("cases").await, 1);
    // The same key from another applicant is theirs alone.
    let other = app.applicant(OTHER_APPLICANT).await;
    let (s3, c3) = app.submit("bygglov", Some(&other), 1, sample_answers(), Some(&key)).await;
    assert_eq!(s3, StatusCode::CREATED);
    assert_ne!(c3["reference"], c1["reference"]);
}

#[tokio::test]
async fn concurrent_retries_with_one_key_create_one_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    let key = uuid::Uuid::new_v4().to_string();
    let results = futures_util::future::join_all(
        (0..8).map(|_| app.submit("bygglov", Some(&token), 1, sample_answers(), Some(&key))),
    )
    .await;
    let refs: std::collections::BTreeSet<String> = results
        .iter()
        .map(|(s, c)| {
            assert!(s.is_success(), "{s} {c}");
            c["reference"].as_str().unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(refs.len(), 1, "{results:?}");
    assert_eq!(results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count(), 1);
    assert_eq!(app.count("cases").await, 1);
}

#[tokio::test]
async fn the_same_key_with_a_different_body_gets_409() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    app.submit("bygglov", Some(&token), 1, sample_answers(), Some("key-1")).await;
    let mut different = sample_answers();
    different["namn"] = json!("Någon annan");
    let (status, body) = app.submit("bygglov", Some(&token), 1, different, Some("key-1")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency_key_reused")));
    let (status, body) = app.submit("bygglov", Some(&token), 1, sample_answers(), Some("bad key with spaces")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_idempotency_key")));
    assert_eq!(app.count("cases").await, 1);
}

#[tokio::test]
async fn an_eid_service_refuses_anonymous_submissions_and_an_anonymous_one_accepts_them() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    app.published_service(&admin, "felanmalan", sample_form(), true).await;
    let (status, body) = app.submit("bygglov", None, 1, sample_answers(), None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("eid_required")));
    let (status, case) = app.submit("felanmalan", None, 1, sample_answers(), Some("anon-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(app.count("cases").await, 1);
}

#[tokio::test]
async fn unpublished_or_unknown_services_take_no_cases() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &crate::helpers::service_input("utkast", true)).await;
    let (status, _) = app.submit("utkast", None, 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.submit("finns-inte", None, 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_and_malformed_json_gets_400() {
    let app = spawn_app_with(Options { json_limit: Some(4096), ..Default::default() }).await;
    let admin = app.admin().await;
    app.published_service(&admin, "felanmalan", sample_form(), true).await;
    let mut answers = sample_answers();
    answers["namn"] = json!("x".repeat(10_000));
    let (status, body) = app.submit("felanmalan", None, 1, answers, None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));
    let r = app
        .client
        .post(format!("{}/api/v1/catalogue/felanmalan/cases", app.address))
        .header("content-type", "application/json")
        .body("{\"form_version\": 1, \"answers\": ")
        .send()
        .await
        .expect("request");
    let (status, body) = crate::helpers::json_of(r).await;
    assert_eq!(
        (status, body["code"].as_str(), body["type"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"), Some("invalid_request"))
    );
    assert_eq!(app.count("cases").await, 0);
}

#[tokio::test]
async fn an_applicant_sees_their_own_cases_only() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let me = app.applicant(APPLICANT).await;
    let other = app.applicant(OTHER_APPLICANT).await;
    let (_, mine) = app.submit("bygglov", Some(&me), 1, sample_answers(), None).await;
    app.submit("bygglov", Some(&other), 1, sample_answers(), None).await;
    let (_, list) = app.get("/api/v1/me/cases", Some(&me)).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["reference"], mine["reference"]);
    let path = format!("/api/v1/me/cases/{}", mine["reference"].as_str().unwrap_or(""));
    assert_eq!(app.get(&path, Some(&me)).await.0, StatusCode::OK);
    assert_eq!(app.get(&path, Some(&other)).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn references_cannot_be_guessed_from_one_another_and_the_older_numbered_ones_keep_working() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let handler = app.handler(&admin, "handlaggare", &["bygglov"]).await;
    let token = app.applicant(APPLICANT).await;
    let mut references = Vec::new();
    for _ in 0..20 {
        let (status, case) = app.submit("bygglov", Some(&token), 1, sample_answers(), None).await;
        assert_eq!(status, StatusCode::CREATED);
        references.push(case["reference"].as_str().expect("reference").to_string());
    }
    // Twenty cases in a row: all different, none a neighbour of the one before in the alphabet of codes.
    let codes: std::collections::HashSet<&str> = references.iter().map(|r| &r[9..]).collect();
    assert_eq!(codes.len(), 20, "{references:?}");
    let sequential = references.windows(2).filter(|w| w[0][9..13] == w[1][9..13]).count();
    assert!(sequential < 3, "the first groups repeat: {references:?}");
    assert!(references.iter().all(|r| shared::reference::has_valid_check(r)));

    // A case stored under the numbered form before is still found by it.
    let backend = app.state.db.get_database_backend();
    let old = "HBG-2026-000042";
    sea_orm::ConnectionTrait::execute_raw(
        &app.state.db,
        sea_orm::Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "UPDATE cases SET reference = $1 WHERE reference = $2",
                _ => "UPDATE cases SET reference = ? WHERE reference = ?",
            },
            [old.into(), references[0].clone().into()],
        ),
    )
    .await
    .expect("an older reference");
    let (status, mine) = app.get(&format!("/api/v1/me/cases/{old}"), Some(&token)).await;
    assert_eq!((status, mine["reference"].as_str()), (StatusCode::OK, Some(old)));
    let (status, case) = app.get(&format!("/api/v1/cases/{old}"), Some(&handler)).await;
    assert_eq!((status, case["reference"].as_str()), (StatusCode::OK, Some(old)));
}
