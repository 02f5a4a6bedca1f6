use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{APPLICANT, sample_answers, sample_form, service_input, spawn_app};

#[tokio::test]
async fn publishing_a_form_puts_the_service_in_the_catalogue() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let (_, list) = app.get("/api/v1/catalogue", None).await;
    assert_eq!(list, json!([]));
    assert_eq!(app.get("/api/v1/catalogue/bygglov", None).await.0, StatusCode::NOT_FOUND);
    let (status, v) =
        app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": sample_form()})).await;
    assert_eq!((status, v["state"].as_str(), v["version"].as_u64()), (StatusCode::CREATED, Some("draft"), Some(1)));
    app.ready_to_publish(&admin, "bygglov").await;
    app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({})).await;
    let (_, list) = app.get("/api/v1/catalogue", None).await;
    assert_eq!(list[0]["slug"], "bygglov");
    let (status, s) = app.get("/api/v1/catalogue/bygglov", None).await;
    assert_eq!((status, s["form_version"].as_u64()), (StatusCode::OK, Some(1)));
    assert_eq!(s["form"], crate::helpers::canonical(sample_form()));
}

#[tokio::test]
async fn a_definition_referring_to_an_unknown_field_is_rejected_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let mut def = sample_form();
    def["pages"][0]["fields"][3]["condition"]["field"] = json!("har_katt");
    let (status, body) = app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": def})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_definition")));
    let msg = body["message"].as_str().unwrap_or("");
    assert!(msg.contains("har_katt") && msg.contains("hundens_namn"), "{msg}");
    assert_eq!(app.count("form_versions").await, 0);
}

#[tokio::test]
async fn a_published_form_version_is_immutable() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let mut changed = sample_form();
    changed["pages"][0]["title"] = json!("Ändrad");
    let (status, body) =
        app.put("/api/v1/services/bygglov/forms/1", Some(&admin), &json!({"definition": changed})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("form_version_published")));
    app.ready_to_publish(&admin, "bygglov").await;
    let (status, body) = app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("form_version_published")));
    let (_, v) = app.get("/api/v1/services/bygglov/forms/1", Some(&admin)).await;
    assert_eq!(v["definition"], crate::helpers::canonical(sample_form()));
}

#[tokio::test]
async fn a_draft_version_can_change_until_it_is_published() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": sample_form()})).await;
    let mut changed = sample_form();
    changed["pages"][0]["title"] = json!("Ändrad");
    let (status, v) = app.put("/api/v1/services/bygglov/forms/1", Some(&admin), &json!({"definition": changed})).await;
    assert_eq!((status, v["definition"]["pages"][0]["title"].as_str()), (StatusCode::OK, Some("Ändrad")));
}

#[tokio::test]
async fn cases_keep_the_form_version_they_were_submitted_under() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    let applicant = app.applicant(APPLICANT).await;
    let (status, first) = app.submit("bygglov", Some(&applicant), 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // Version 2 drops the dog questions and adds a required field.
    let mut v2 = sample_form();
    v2["pages"][0]["fields"] = json!([
        {"key": "namn", "label": "Namn", "required": true, "kind": {"type": "short_text"}},
        {"key": "alder", "label": "Ålder", "required": true, "kind": {"type": "number"}},
        {"key": "telefon", "label": "Telefon", "required": true, "kind": {"type": "phone"}}
    ]);
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": v2})).await;
    app.ready_to_publish(&admin, "bygglov").await;
    app.post("/api/v1/services/bygglov/forms/2/publish", Some(&admin), &json!({})).await;
    // Answers made for version 1 are now refused as outdated.
    let (status, body) = app.submit("bygglov", Some(&applicant), 1, sample_answers(), None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("form_version_outdated")));
    // The first case still renders with version 1.
    let reference = first["reference"].as_str().expect("reference");
    let (status, case) = app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["form_version"], 1);
    assert_eq!(case["form"], crate::helpers::canonical(sample_form()));
    assert_eq!(case["answers"]["har_hund"], false);
}

#[tokio::test]
async fn the_analysis_of_a_version_names_what_is_never_shown_and_draws_the_flow_for_admins_only() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let mut def = sample_form();
    // Shown only for a dog owner who has no dog: never.
    def["pages"][0]["fields"][3]["condition"] = json!({"op": "all", "conditions": [
        {"op": "equals", "field": "har_hund", "value": true},
        {"op": "equals", "field": "har_hund", "value": false}]});
    def["pages"][1]["condition"] = json!({"op": "greater_than", "field": "alder", "value": 17});
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": def})).await;
    let (status, analysis) = app.get("/api/v1/services/bygglov/forms/1/analysis", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{analysis}");
    assert_eq!(analysis["findings"].as_array().map(Vec::len), Some(1), "{analysis}");
    assert_eq!(analysis["findings"][0]["kind"], "field_never_shown");
    assert_eq!(analysis["findings"][0]["key"], "hundens_namn");
    assert!(analysis.get("error").is_none());
    let steps: Vec<&str> =
        analysis["flow"]["steps"].as_array().unwrap().iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(steps, ["login", "personal_data", "om_dig", "kontakt", "summary", "send"]);
    assert_eq!(analysis["flow"]["steps"][3]["shown_when"], "”Ålder” är mer än 17");
    let skip =
        analysis["flow"]["edges"].as_array().unwrap().iter().find(|e| e["from"] == "om_dig" && e["to"] == "summary");
    assert_eq!(skip.map(|e| e["when"].clone()), Some(json!("annars (inte Kontakt)")));

    assert_eq!(app.get("/api/v1/services/bygglov/forms/2/analysis", Some(&admin)).await.0, StatusCode::NOT_FOUND);
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    assert_eq!(app.get("/api/v1/services/bygglov/forms/1/analysis", Some(&handler)).await.0, StatusCode::FORBIDDEN);
}
