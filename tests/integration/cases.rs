use reqwest::StatusCode;
use serde_json::json;
use shared::api::StaffRole;

use crate::helpers::{APPLICANT, OTHER_APPLICANT, TestApp, sample_answers, sample_form, spawn_app};

async fn two_services_with_cases(app: &TestApp) -> (String, String, String) {
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    app.published_service(&admin, "forskola", sample_form(), false).await;
    let applicant = app.applicant(APPLICANT).await;
    let (_, a) = app.submit("bygglov", Some(&applicant), 1, sample_answers(), None).await;
    let (_, b) = app.submit("forskola", Some(&applicant), 1, sample_answers(), None).await;
    (admin, a["reference"].as_str().unwrap_or("").into(), b["reference"].as_str().unwrap_or("").into())
}

#[tokio::test]
async fn a_handler_sees_only_cases_of_services_they_are_permitted_on() {
    let app = spawn_app().await;
    let (admin, bygglov_ref, forskola_ref) = two_services_with_cases(&app).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    let (status, list) = app.get("/api/v1/cases", Some(&handler)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let refs: Vec<_> =
        list["items"].as_array().expect("items").iter().map(|c| c["reference"].as_str().unwrap_or("")).collect();
    assert_eq!(refs, [bygglov_ref.as_str()]);
    assert_eq!(app.get(&format!("/api/v1/cases/{bygglov_ref}"), Some(&handler)).await.0, StatusCode::OK);
    // Another service's case does not exist for this handler.
    assert_eq!(app.get(&format!("/api/v1/cases/{forskola_ref}"), Some(&handler)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/cases?service=forskola", Some(&handler)).await.0, StatusCode::FORBIDDEN);
    // A platform admin is not a handler and reads no cases.
    assert_eq!(app.get("/api/v1/cases", Some(&admin)).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_status_change_is_recorded_in_the_history_with_who_when_from_to_and_comment() {
    let app = spawn_app().await;
    let (admin, reference, _) = two_services_with_cases(&app).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    let path = format!("/api/v1/cases/{reference}/status");
    let (status, case) =
        app.post(&path, Some(&handler), &json!({"status": "registrerat", "comment": "Diarieförd"})).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"]["key"], "registrerat");
    let (_, case) = app.post(&path, Some(&handler), &json!({"status": "avslutat"})).await;
    let history = case["history"].as_array().expect("history");
    assert_eq!(history.len(), 3);
    assert_eq!(
        (history[0]["from"].clone(), history[0]["to"].clone(), history[0]["by"].clone()),
        (json!(null), json!("inskickat"), json!("applicant"))
    );
    assert_eq!((history[1]["from"].clone(), history[1]["to"].clone()), (json!("inskickat"), json!("registrerat")));
    assert_eq!((history[1]["by"].clone(), history[1]["comment"].clone()), (json!("hanna"), json!("Diarieförd")));
    assert_eq!((history[2]["to"].clone(), case["status"]["kind"].clone()), (json!("avslutat"), json!("closed")));
    assert!(history[2]["at"].as_str().is_some());
    // The applicant sees the new status.
    let me = app.applicant(APPLICANT).await;
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&me)).await;
    assert_eq!(mine["status"]["name"], "Avslutat");
}

#[tokio::test]
async fn an_unknown_repeated_or_platform_only_status_is_rejected_and_changes_nothing() {
    let app = spawn_app().await;
    let (admin, reference, _) = two_services_with_cases(&app).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    let path = format!("/api/v1/cases/{reference}/status");
    let (status, body) = app.post(&path, Some(&handler), &json!({"status": "godkant"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_status")));
    assert!(body["message"].as_str().is_some_and(|m| m.contains("registrerat")), "{body}");
    let (status, body) = app.post(&path, Some(&handler), &json!({"status": "inskickat"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("status_unchanged")));
    let (status, _) = app.post(&path, Some(&handler), &json!({"state": "registrerat"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("case_status_history").await, 2);
}

#[tokio::test]
async fn every_staff_read_of_a_case_is_logged() {
    let app = spawn_app().await;
    let (admin, reference, _) = two_services_with_cases(&app).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    assert_eq!(app.count("case_access_log").await, 0);
    for _ in 0..3 {
        app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    }
    assert_eq!(app.count("case_access_log").await, 3);
}

#[tokio::test]
async fn keyset_pagination_walks_every_case_once_newest_first() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    let token = app.applicant(APPLICANT).await;
    let mut submitted = Vec::new();
    for _ in 0..7 {
        let (_, c) = app.submit("bygglov", Some(&token), 1, sample_answers(), None).await;
        submitted.push(c["reference"].as_str().unwrap_or("").to_string());
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/cases?limit=3".to_string();
    loop {
        let (status, page) = app.get(&path, Some(&handler)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(
            page["items"].as_array().expect("items").iter().map(|c| c["reference"].as_str().unwrap_or("").to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/cases?limit=3&after={cursor}"),
            None => break,
        }
    }
    submitted.reverse();
    assert_eq!(seen, submitted);
    let (status, body) = app.get("/api/v1/cases?limit=0", Some(&handler)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_limit")));
    // As the spec says: a whole number without a decimal point.
    let (status, body) = app.get("/api/v1/cases?limit=25.0", Some(&handler)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")), "{body}");
    let (status, body) = app.get("/api/v1/cases?after=garbage", Some(&handler)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_cursor")));
}

#[tokio::test]
async fn handlers_filter_by_status_reference_and_personnummer() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    let a = app.applicant(APPLICANT).await;
    let b = app.applicant(OTHER_APPLICANT).await;
    let (_, ca) = app.submit("bygglov", Some(&a), 1, sample_answers(), None).await;
    let (_, cb) = app.submit("bygglov", Some(&b), 1, sample_answers(), None).await;
    let rb = cb["reference"].as_str().unwrap_or("");
    app.post(&format!("/api/v1/cases/{rb}/status"), Some(&handler), &json!({"status": "registrerat"})).await;
    let refs = |v: serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .map(|a| a.iter().map(|c| c["reference"].as_str().unwrap_or("").to_string()).collect())
            .unwrap_or_default()
    };
    // Personnummer in the 10-digit form with a dash finds the 12-digit stored one.
    let search = async |body: serde_json::Value| app.post("/api/v1/cases/search", Some(&handler), &body).await;
    assert_eq!(refs(search(json!({"personnummer": "900101+9802"})).await.1), [ca["reference"].as_str().unwrap_or("")]);
    // The other filters work in the search's body too.
    assert_eq!(
        refs(search(json!({"personnummer": "900101+9802", "status": "registrerat"})).await.1),
        Vec::<String>::new()
    );
    assert_eq!(refs(search(json!({"status": "registrerat"})).await.1), [rb]);
    assert_eq!(refs(app.get("/api/v1/cases?status=registrerat", Some(&handler)).await.1), [rb]);
    assert_eq!(refs(app.get(&format!("/api/v1/cases?reference={rb}"), Some(&handler)).await.1), [rb]);
    let (status, body) = search(json!({"personnummer": "123"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_personnummer")));
    // In the URL it is refused, never ignored (which would list every case).
    let (status, body) = app.get("/api/v1/cases?personnummer=190001019802", Some(&handler)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("personnummer_in_url")), "{body}");
}

#[tokio::test]
async fn a_service_owner_without_the_handler_role_reads_no_cases() {
    let app = spawn_app().await;
    let (admin, reference, _) = two_services_with_cases(&app).await;
    let (id, owner) = app.staff("agare", vec![StaffRole::ServiceOwner]).await;
    app.put(&format!("/api/v1/services/bygglov/permissions/{id}"), Some(&admin), &json!({})).await;
    assert_eq!(app.get(&format!("/api/v1/cases/{reference}"), Some(&owner)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.count("case_access_log").await, 0);
}
