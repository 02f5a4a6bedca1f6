//! What every request passes before a handler: NUL characters refused
//! everywhere with a clear 400 (on both databases), JSON bodies that are not
//! objects refused, 415 without a JSON Content-Type, 404 for a trailing slash,
//! 405 always with `Allow`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::api::StaffRole;

use crate::helpers::{APPLICANT, sample_answers, sample_form, spawn_app};

fn assert_nul_refused(what: &str, status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_eq!(body["code"], "nul_character", "{what}: {body}");
}

#[tokio::test]
async fn a_nul_character_in_any_string_input_gets_400_nul_character_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "felanmalan", sample_form(), true).await;
    let handler = app.handler(&admin, "handlaggare", &["felanmalan"]).await;
    let (status, case) = app.submit("felanmalan", None, 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference").to_string();
    let cases_before = app.count("cases").await;

    let mut answers = sample_answers();
    answers["namn"] = json!("Tolvan\u{0}Tolvansson");
    let (status, body) = app.submit("felanmalan", None, 1, answers, None).await;
    assert_nul_refused("an anonymous submission", status, &body);
    let (status, body) =
        app.post("/api/v1/auth/staff/token", None, &json!({"username": "admin\u{0}", "password": "x"})).await;
    assert_nul_refused("the staff login's user name", status, &body);
    let (status, body) = app.get("/api/v1/catalogue/%00", None).await;
    assert_nul_refused("a path", status, &body);
    let (status, body) = app.get("/api/v1/cases?reference=HBG%00", Some(&handler)).await;
    assert_nul_refused("a search parameter", status, &body);
    for (path, field) in [("messages", "body"), ("notes", "body")] {
        let (status, body) =
            app.post(&format!("/api/v1/cases/{reference}/{path}"), Some(&handler), &json!({field: "a\u{0}b"})).await;
        assert_nul_refused(path, status, &body);
    }
    let (_, owner) = app.staff("agare", vec![StaffRole::ServiceOwner, StaffRole::Handler]).await;
    let (status, body) =
        app.put(&format!("/api/v1/cases/{reference}/legal-hold"), Some(&owner), &json!({"reason": "x\u{0}"})).await;
    assert_nul_refused("the legal hold's reason", status, &body);
    // The escape as the client wrote it, in a raw body.
    let r = app
        .client
        .post(format!("{}/api/v1/auth/dev/token", app.address))
        .header("Content-Type", "application/json")
        .body(r#"{"personnummer": "18900101\u00009802"}"#)
        .send()
        .await
        .expect("request");
    let (status, body) = crate::helpers::json_of(r).await;
    assert_nul_refused("a raw \\u0000 escape", status, &body);

    assert_eq!(app.count("cases").await, cases_before);
    assert_eq!(app.count("case_messages").await, 0);
    assert_eq!(app.count("case_notes").await, 0);
    // A backslash followed by the text u0000 is no NUL.
    let mut answers = sample_answers();
    answers["namn"] = json!("C:\\u0000");
    let (status, body) = app.submit("felanmalan", None, 1, answers, None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_json_body_that_is_an_array_gets_400_and_does_not_act_as_the_object() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let (handler_id, handler) = app.staff("handlaggare", vec![StaffRole::Handler]).await;
    let (status, _) =
        app.put(&format!("/api/v1/services/bygglov/permissions/{handler_id}"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let token = app.applicant(APPLICANT).await;
    let (_, case) = app.submit("bygglov", Some(&token), 1, sample_answers(), None).await;
    let reference = case["reference"].as_str().expect("reference").to_string();
    let (status, _) = app.post(&format!("/api/v1/cases/{reference}/assign-to-me"), Some(&handler), &json!({})).await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = app.post("/api/v1/auth/bankid", None, &json!([])).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("object"), "{body}");
    let (status, body) = app.put(&format!("/api/v1/cases/{reference}/assignee"), Some(&handler), &json!([null])).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{body}");
    let (_, case) = app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    assert_eq!(case["assignee"], json!(handler_id), "still assigned: {case}");
}

#[tokio::test]
async fn a_body_without_a_json_content_type_gets_415_saying_which_header_to_send() {
    let app = spawn_app().await;
    for content_type in [None, Some("text/plain")] {
        let mut rb = app
            .client
            .post(format!("{}/api/v1/auth/dev/token", app.address))
            .body(json!({"personnummer": APPLICANT}).to_string());
        if let Some(ct) = content_type {
            rb = rb.header("Content-Type", ct);
        }
        let (status, body) = crate::helpers::json_of(rb.send().await.expect("request")).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?}: {body}");
        assert_eq!(body["code"], "unsupported_media_type");
        assert!(body["message"].as_str().unwrap_or("").contains("Content-Type: application/json"), "{body}");
    }
}

#[tokio::test]
async fn a_trailing_slash_is_404_never_a_405_that_contradicts_itself() {
    let app = spawn_app().await;
    for path in ["/api/v1/catalogue/", "/api/v1/services/", "/api/v1/me/cases/"] {
        let (status, body) = app.get(path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert!(body["message"].as_str().unwrap_or("").contains("without the trailing slash"), "{body}");
    }
}

#[tokio::test]
async fn unknown_methods_on_health_and_ready_get_405_with_allow() {
    let app = spawn_app().await;
    for path in ["/health", "/ready"] {
        let r = app.client.request(Method::TRACE, format!("{}{path}", app.address)).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(r.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET"), "{path}");
        let (_, body) = crate::helpers::json_of(r).await;
        assert_eq!(body["code"], "method_not_allowed");
    }
}

#[tokio::test]
async fn api_docs_without_a_slash_redirects_to_the_swagger_ui() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let r = client.get(format!("{}/api/docs", app.address)).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/api/docs/"));
}

#[tokio::test]
async fn every_201_carries_a_location_that_answers() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let post = |path: &str, token: &str, body: Value| {
        app.client.post(format!("{}{path}", app.address)).bearer_auth(token.to_string()).json(&body).send()
    };
    let location = |r: &reqwest::Response| {
        assert_eq!(r.status(), StatusCode::CREATED, "{}", r.url());
        r.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string).expect("Location")
    };
    let r = post("/api/v1/services", &admin, crate::helpers::service_input("bygglov", false)).await.expect("create");
    assert_eq!(location(&r), "/api/v1/services/bygglov");
    let r = post("/api/v1/services/bygglov/forms", &admin, json!({"definition": sample_form()})).await.expect("form");
    let form = location(&r);
    assert_eq!(form, "/api/v1/services/bygglov/forms/1");
    assert_eq!(app.get(&form, Some(&admin)).await.0, StatusCode::OK);
    app.ready_to_publish(&admin, "bygglov").await;
    app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({})).await;
    let me = app.applicant(APPLICANT).await;
    let r = post("/api/v1/catalogue/bygglov/cases", &me, json!({"form_version": 1, "answers": sample_answers()}))
        .await
        .expect("submit");
    let case = location(&r);
    let (status, body) = app.get(&case, Some(&me)).await;
    assert_eq!(status, StatusCode::OK, "{case}: {body}");
    let r = post("/api/v1/catalogue/bygglov/drafts", &me, json!({"answers": {}})).await.expect("draft");
    let draft = location(&r);
    assert_eq!(app.get(&draft, Some(&me)).await.0, StatusCode::OK, "{draft}");
    let r = app
        .client
        .post(format!("{}/api/v1/uploads", app.address))
        .bearer_auth(&me)
        .header("Content-Type", "application/pdf")
        .header("X-File-Name", "a.pdf")
        .body(b"%PDF-1.4\n%x\n".to_vec())
        .send()
        .await
        .expect("upload");
    let upload = location(&r);
    let r = app.client.get(format!("{}{upload}", app.address)).bearer_auth(&me).send().await.expect("download");
    assert_eq!(r.status(), StatusCode::OK, "{upload}");
    // The OpenAPI document says so for every 201.
    let doc = serde_json::to_value(backend::routes::openapi()).expect("json");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            if let Some(created) = op["responses"].get("201") {
                assert!(created["headers"]["Location"].is_object(), "{method} {path}");
            }
        }
    }
}
