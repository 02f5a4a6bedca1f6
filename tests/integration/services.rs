use reqwest::StatusCode;
use serde_json::json;
use shared::api::StaffRole;

use crate::helpers::{service_input, spawn_app};

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
