use reqwest::StatusCode;
use serde_json::json;
use shared::api::StaffRole;

use crate::helpers::{APPLICANT, sample_answers, sample_form, service_input, spawn_app};

#[tokio::test]
async fn an_admin_creates_a_service_with_the_four_standard_statuses() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (status, body) = app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let names: Vec<_> =
        body["statuses"].as_array().expect("statuses").iter().map(|s| s["name"].as_str().unwrap_or("")).collect();
    assert_eq!(names, ["Inskickat", "Registrerat", "Under handläggning", "Avslutat"]);
    assert_eq!(body["published_version"], serde_json::Value::Null);
    let (status, body) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!((status, body["retention_days_after_closing"].as_u64()), (StatusCode::OK, Some(30)));
}

#[tokio::test]
async fn bad_service_fields_get_422_naming_the_problem_and_store_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let cases = [
        ("slug", json!("Not A Slug"), "invalid_slug"),
        ("name", json!("Ansökan om bygglov"), "invalid_service_name"),
        ("handler_mailbox", json!("not-an-address"), "invalid_email"),
        ("retention_days_after_closing", json!(0), "invalid_retention"),
        ("privacy_text", json!("  "), "missing_text"),
        ("statuses", json!([{"key": "ny", "name": "Ny", "kind": "submitted"}]), "invalid_statuses"),
    ];
    for (field, value, code) in cases {
        let mut input = service_input("bygglov", false);
        input[field] = value;
        let (status, body) = app.post("/api/v1/services", Some(&admin), &input).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert_eq!(body["code"], code, "{field}: {body}");
    }
    let mut missing = service_input("bygglov", false);
    missing.as_object_mut().expect("object").remove("name");
    let (status, body) = app.post("/api/v1/services", Some(&admin), &missing).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    assert!(body["message"].as_str().is_some_and(|m| m.contains("name")), "{body}");
    assert_eq!(app.count("services").await, 0);
}

#[tokio::test]
async fn a_taken_slug_gets_409() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    assert_eq!(
        app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await.0,
        StatusCode::CREATED
    );
    let (status, body) = app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("slug_taken")));
    assert_eq!(app.count("services").await, 1);
}

#[tokio::test]
async fn a_service_owner_may_change_texts_and_retention_periods_but_not_structure() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let (owner_id, owner) = app.staff("agare", vec![StaffRole::ServiceOwner]).await;
    let mut texts = service_input("bygglov", false);
    texts["first_page_text"] = json!("Ny text på första sidan.");
    // Not yet permitted on the service: it does not exist for them.
    assert_eq!(app.put("/api/v1/services/bygglov", Some(&owner), &texts).await.0, StatusCode::NOT_FOUND);
    app.put(&format!("/api/v1/services/bygglov/permissions/{owner_id}"), Some(&admin), &json!({})).await;
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&owner), &texts).await;
    assert_eq!((status, body["first_page_text"].as_str()), (StatusCode::OK, Some("Ny text på första sidan.")));
    // The business unit decides how long its cases are kept.
    let mut retention = texts.clone();
    retention["retention_days_after_closing"] = json!(90);
    retention["retention_days_for_drafts"] = json!(20);
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&owner), &retention).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["retention"]["days_after_closing"], 90);
    let mut structure = retention.clone();
    structure["handler_mailbox"] = json!("annan@example.org");
    let (status, _) = app.put("/api/v1/services/bygglov", Some(&owner), &structure).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, body) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(
        (body["retention_days_after_closing"].as_u64(), body["handler_mailbox"].as_str()),
        (Some(90), Some("funktionsbrevlada@example.org"))
    );
}

#[tokio::test]
async fn only_platform_admins_create_services_and_staff() {
    let app = spawn_app().await;
    let (_, handler) = app.staff("hanna", vec![StaffRole::Handler]).await;
    assert_eq!(
        app.post("/api/v1/services", Some(&handler), &service_input("bygglov", false)).await.0,
        StatusCode::FORBIDDEN
    );
    let new_staff = json!({"username": "ny", "display_name": "Ny", "email": "ny@example.org", "password": "long-enough-password", "roles": ["handler"]});
    assert_eq!(app.post("/api/v1/staff", Some(&handler), &new_staff).await.0, StatusCode::FORBIDDEN);
    let admin = app.admin().await;
    let (status, body) = app.post("/api/v1/staff", Some(&admin), &new_staff).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body.get("password").is_none() && body.get("password_hash").is_none(), "{body}");
    let mut weak = new_staff.clone();
    weak["username"] = json!("svag");
    weak["password"] = json!("short");
    let (status, body) = app.post("/api/v1/staff", Some(&admin), &weak).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("weak_password")));
}

#[tokio::test]
async fn every_problem_with_a_services_settings_is_reported_at_once_naming_each_setting() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut input = service_input("Not A Slug", false);
    input["name"] = json!("Ansökan om bygglov");
    input["handler_mailbox"] = json!("not-an-address");
    input["retention_days_after_closing"] = json!(0);
    input["confirmation_email_body"] = json!("Hej {{personnummer}}");
    let (status, body) = app.post("/api/v1/services", Some(&admin), &input).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_settings")), "{body}");
    let problems: Vec<(&str, &str)> = body["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| (p["field"].as_str().unwrap_or(""), p["code"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        problems,
        [
            ("slug", "invalid_slug"),
            ("name", "invalid_service_name"),
            ("confirmation_email_body", "invalid_template"),
            ("handler_mailbox", "invalid_email"),
            ("retention_days_after_closing", "invalid_retention"),
        ]
    );
    let message = body["message"].as_str().unwrap_or("");
    assert!(message.starts_with("5 settings are not valid") && message.contains("handler_mailbox"), "{message}");
    assert_eq!(app.count("services").await, 0);

    // An update reports the URL name it may not change together with the rest.
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let mut update = service_input("bygglov-2", false);
    update["audience"] = json!(" ");
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&admin), &update).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_settings")), "{body}");
    let fields: Vec<&str> =
        body["problems"].as_array().expect("problems").iter().map(|p| p["field"].as_str().unwrap_or("")).collect();
    assert_eq!(fields, ["slug", "audience"]);
    // One problem keeps its own code and message, and is listed too.
    let mut one = service_input("bygglov", false);
    one["audience"] = json!(" ");
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&admin), &one).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("missing_text")), "{body}");
    assert_eq!(body["problems"][0]["field"], "audience");
}

#[tokio::test]
async fn a_setting_the_platform_does_not_know_is_refused_never_ignored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut typo = service_input("bygglov", false);
    typo["retention_days"] = json!(90);
    let (status, body) = app.post("/api/v1/services", Some(&admin), &typo).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("unknown field `retention_days`")), "{body}");
    assert_eq!(app.count("services").await, 0);
    // Inside the signing settings too, and on an update.
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let mut nested = service_input("bygglov", false);
    nested["signing"] = json!({"requirement": "not_required", "deadline": 10});
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&admin), &nested).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("unknown field `deadline`")), "{body}");
}

#[tokio::test]
async fn an_unpublished_service_leaves_the_catalogue_keeps_its_cases_and_drafts_and_returns_when_published_again() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let handler = app.handler(&admin, "handlaggare", &["bygglov"]).await;
    let applicant = app.applicant(APPLICANT).await;
    let (status, case) = app.submit("bygglov", Some(&applicant), 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference").to_string();
    let (status, draft) =
        app.post("/api/v1/catalogue/bygglov/drafts", Some(&applicant), &json!({"answers": sample_answers()})).await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let draft_id = draft["id"].as_str().expect("id").to_string();

    // Only platform admins unpublish.
    let (status, _) = app.post("/api/v1/services/bygglov/unpublish", Some(&handler), &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.post("/api/v1/services/bygglov/unpublish", Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("published_version").is_none_or(|v| v.is_null()), "{body}");

    let (_, catalogue) = app.get("/api/v1/catalogue", None).await;
    assert!(!catalogue.to_string().contains("bygglov"), "{catalogue}");
    assert_eq!(app.get("/api/v1/catalogue/bygglov", None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.submit("bygglov", Some(&applicant), 1, sample_answers(), None).await.0, StatusCode::NOT_FOUND);
    let submit_draft = || async {
        crate::helpers::json_of(
            app.client
                .post(format!("{}/api/v1/me/drafts/{draft_id}/submit", app.address))
                .bearer_auth(&applicant)
                .send()
                .await
                .expect("request"),
        )
        .await
    };
    let (status, body) = submit_draft().await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("service_unpublished")), "{body}");
    assert_eq!(app.count("drafts").await, 1, "the draft is kept");
    // Its case is handled and followed as before.
    assert_eq!(app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await.0, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/me/cases/{reference}"), Some(&applicant)).await.0, StatusCode::OK);

    // Publishing the version again brings it back; publishing the current version is still 409.
    app.ready_to_publish(&admin, "bygglov").await;
    let (status, body) = app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("form_version_published")));
    assert_eq!(app.get("/api/v1/catalogue/bygglov", None).await.0, StatusCode::OK);
    let (status, body) = submit_draft().await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn only_a_service_never_published_can_be_deleted_with_its_draft_versions_and_permissions() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("utkast", false)).await;
    app.post("/api/v1/services/utkast/forms", Some(&admin), &json!({"definition": sample_form()})).await;
    let handler = app.handler(&admin, "handlaggare", &["utkast"]).await;
    assert_eq!(app.delete("/api/v1/services/utkast", Some(&handler)).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.delete("/api/v1/services/utkast", Some(&admin)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        (app.count("services").await, app.count("form_versions").await, app.count("service_permissions").await),
        (0, 0, 0)
    );
    assert_eq!(app.delete("/api/v1/services/utkast", Some(&admin)).await.0, StatusCode::NOT_FOUND);

    // Once published it is kept, even when unpublished again.
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    app.post("/api/v1/services/bygglov/unpublish", Some(&admin), &json!({})).await;
    let (status, body) = app.delete("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("service_was_published")), "{body}");
    assert_eq!(app.count("services").await, 1);
}

#[tokio::test]
async fn a_platform_admins_case_list_is_refused_saying_why_and_where_to_go() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (status, body) = app.get("/api/v1/cases", Some(&admin)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let message = body["message"].as_str().unwrap_or("");
    assert!(message.contains("handler role") && message.contains("/access-log"), "{message}");
}

#[tokio::test]
async fn a_services_english_texts_are_stored_shown_in_the_catalogue_and_checked_like_the_swedish() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Published in Swedish first: an English name offers English, which publishing wants complete.
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let mut input = service_input("bygglov", false);
    input["english"] = json!({
        "name": "Building permit", "audience": "Everyone in the municipality.",
        "first_page_text": "## How it works\n- Fill in\n- Send", "privacy_text": "  ", "receipt_heading": "Sent"
    });
    let (status, created) = app.put("/api/v1/services/bygglov", Some(&admin), &input).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(
        created["english"],
        json!({"name": "Building permit", "audience": "Everyone in the municipality.",
               "first_page_text": "## How it works\n- Fill in\n- Send", "receipt_heading": "Sent"}),
        "a blank text counts as absent"
    );
    let (_, list) = app.get("/api/v1/catalogue", None).await;
    assert_eq!(list[0]["english"], json!({"name": "Building permit", "audience": "Everyone in the municipality."}));
    let (_, service) = app.get("/api/v1/catalogue/bygglov", None).await;
    assert_eq!(service["english"]["first_page_text"], "## How it works\n- Fill in\n- Send");

    // Too long, or a text the platform does not know: refused, and nothing changes.
    let mut long = input.clone();
    long["english"]["name"] = json!("x".repeat(81));
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&admin), &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("english.name"), "{body}");
    let mut unknown = input.clone();
    unknown["english"]["slogan"] = json!("Build!");
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&admin), &unknown).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{body}");
    let (_, service) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(service["english"]["name"], "Building permit");

    // A service without English has none in its shape.
    let (_, plain) = app.post("/api/v1/services", Some(&admin), &service_input("parkering", false)).await;
    assert!(plain.get("english").is_none(), "{plain}");
}
