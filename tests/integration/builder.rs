//! The service builder's API: revisions and `If-Match` (two editors never overwrite each
//! other), copying, restoring, the publisher's note, the service's state and the builder's log.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json_of, sample_form, service_input, spawn_app};

/// `PUT path` with `If-Match`, answering the status, the `ETag` and the body.
async fn put_if_match(
    app: &TestApp,
    path: &str,
    token: &str,
    if_match: &str,
    body: &Value,
) -> (StatusCode, Option<String>, Value) {
    let r = app
        .client
        .put(format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("If-Match", if_match)
        .json(body)
        .send()
        .await
        .expect("request");
    let etag = r.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (status, body) = json_of(r).await;
    (status, etag, body)
}

/// The `ETag` of a `GET`.
async fn etag_of(app: &TestApp, path: &str, token: &str) -> String {
    let r = app.client.get(format!("{}{path}", app.address)).bearer_auth(token).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    r.headers().get("etag").and_then(|v| v.to_str().ok()).expect("an ETag").to_owned()
}

#[tokio::test]
async fn a_settings_save_over_a_newer_one_is_refused_naming_who_saved_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, other) = app.staff("anna", vec![shared::api::StaffRole::PlatformAdmin]).await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let loaded = etag_of(&app, "/api/v1/services/bygglov", &admin).await;
    assert_eq!(loaded, "\"1\"");

    let mut first = service_input("bygglov", false);
    first["audience"] = json!("Fastighetsägare");
    let (status, etag, body) = put_if_match(&app, "/api/v1/services/bygglov", &other, &loaded, &first).await;
    assert_eq!((status, etag.as_deref(), body["revision"].as_u64()), (StatusCode::OK, Some("\"2\""), Some(2)));
    assert_eq!(body["updated_by"], "anna");

    let mut second = service_input("bygglov", false);
    second["audience"] = json!("Alla");
    let (status, _, body) = put_if_match(&app, "/api/v1/services/bygglov", &admin, &loaded, &second).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("edit_conflict")));
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("anna saved the service's settings at") && message.contains("revision 2"), "{message}");
    let (_, now) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!((now["audience"].as_str(), now["revision"].as_u64()), (Some("Fastighetsägare"), Some(2)));

    // A value that is no revision of ours never matches; `*` and no header save as before.
    let (status, _, _) = put_if_match(&app, "/api/v1/services/bygglov", &admin, "garbage", &second).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, etag, _) = put_if_match(&app, "/api/v1/services/bygglov", &admin, "*", &second).await;
    assert_eq!((status, etag.as_deref()), (StatusCode::OK, Some("\"3\"")));
    let (status, body) = app.put("/api/v1/services/bygglov", Some(&admin), &second).await;
    assert_eq!((status, body["revision"].as_u64()), (StatusCode::OK, Some(4)));
}

#[tokio::test]
async fn a_draft_save_carrying_a_stale_etag_gets_412_and_the_draft_keeps_the_newer_save() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, other) = app.staff("anna", vec![shared::api::StaffRole::PlatformAdmin]).await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": sample_form()})).await;
    let loaded = etag_of(&app, "/api/v1/services/bygglov/forms/1", &admin).await;

    let mut theirs = sample_form();
    theirs["pages"][0]["title"] = json!("Annas rubrik");
    let (status, etag, _) =
        put_if_match(&app, "/api/v1/services/bygglov/forms/1", &other, &loaded, &json!({"definition": theirs})).await;
    assert_eq!((status, etag.as_deref()), (StatusCode::OK, Some("\"2\"")));

    let mut mine = sample_form();
    mine["pages"][0]["title"] = json!("Min rubrik");
    let (status, _, body) =
        put_if_match(&app, "/api/v1/services/bygglov/forms/1", &admin, &loaded, &json!({"definition": mine})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("edit_conflict")));
    assert!(body["message"].as_str().unwrap_or_default().contains("anna saved form version 1"), "{body}");
    let (_, v) = app.get("/api/v1/services/bygglov/forms/1", Some(&admin)).await;
    assert_eq!(v["definition"]["pages"][0]["title"], "Annas rubrik");
    assert_eq!((v["revision"].as_u64(), v["updated_by"].as_str()), (Some(2), Some("anna")));
}

#[tokio::test]
async fn a_copy_is_a_new_draft_service_with_the_newest_form_and_no_handlers() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    app.handler(&admin, "hanna", &["bygglov"]).await;
    let mut newer = sample_form();
    newer["pages"][0]["title"] = json!("Nyare");
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": newer})).await;

    let (status, copy) = app
        .post("/api/v1/services/bygglov/copy", Some(&admin), &json!({"slug": "bygglov-2", "name": "Bygglov för altan"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{copy}");
    assert_eq!((copy["state"].as_str(), copy["published_version"].as_u64()), (Some("draft"), None));
    assert_eq!(
        (copy["name"].as_str(), copy["audience"].as_str()),
        (Some("Bygglov för altan"), Some("Alla som bor i kommunen."))
    );
    let (_, versions) = app.get("/api/v1/services/bygglov-2/forms", Some(&admin)).await;
    assert_eq!(versions.as_array().map(Vec::len), Some(1));
    assert_eq!((versions[0]["version"].as_u64(), versions[0]["state"].as_str()), (Some(1), Some("draft")));
    assert_eq!(versions[0]["definition"]["pages"][0]["title"], "Nyare");
    let (_, staff) = app.get("/api/v1/staff", Some(&admin)).await;
    let hanna = staff.as_array().into_iter().flatten().find(|s| s["username"] == "hanna").expect("hanna");
    assert_eq!(hanna["services"], json!(["bygglov"]));
    let (_, log) = app.get("/api/v1/services/bygglov-2/log", Some(&admin)).await;
    assert_eq!(
        (log["items"][0]["action"].as_str(), log["items"][0]["detail"].as_str()),
        (Some("copy_service"), Some("bygglov"))
    );

    let (status, body) =
        app.post("/api/v1/services/bygglov/copy", Some(&admin), &json!({"slug": "bygglov-2", "name": "Igen"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("slug_taken")));
    let (status, body) =
        app.post("/api/v1/services/bygglov/copy", Some(&admin), &json!({"slug": "Inte OK", "name": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["problems"].as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(app.count("services").await, 2);
}

#[tokio::test]
async fn the_diff_of_two_versions_names_the_changed_question_in_words() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let mut second = sample_form();
    second["pages"][0]["fields"][0]["label"] = json!("Ditt namn");
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": second})).await;
    let (status, diff) = app.get("/api/v1/services/bygglov/forms/2/diff?from=1", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert_eq!((diff["from"].as_u64(), diff["to"].as_u64()), (Some(1), Some(2)));
    assert_eq!(diff["changes"][0]["target"], "namn");
    assert_eq!(diff["changes"][0]["words"]["sv"], "Frågan ”Namn” lyder nu ”Ditt namn” (var ”Namn”).");
    assert_eq!(diff["changes"].as_array().map(Vec::len), Some(1));
    let (status, _) = app.get("/api/v1/services/bygglov/forms/2/diff?from=7", Some(&admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.get("/api/v1/services/bygglov/forms/2/diff", Some(&admin)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
}

#[tokio::test]
async fn restoring_version_1_gives_a_new_draft_equal_to_version_1() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let mut second = sample_form();
    second["pages"][0]["title"] = json!("Andra");
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": second})).await;
    app.post("/api/v1/services/bygglov/forms/2/publish", Some(&admin), &json!({"note": "Ny rubrik"})).await;

    let (status, restored) = app.post("/api/v1/services/bygglov/forms/1/restore", Some(&admin), &json!({})).await;
    assert_eq!(
        (status, restored["version"].as_u64(), restored["state"].as_str()),
        (StatusCode::CREATED, Some(3), Some("draft"))
    );
    let (_, one) = app.get("/api/v1/services/bygglov/forms/1", Some(&admin)).await;
    assert_eq!(restored["definition"], one["definition"]);
    let (_, service) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(service["published_version"], 2, "restoring publishes nothing");
    let (status, _) = app.post("/api/v1/services/bygglov/forms/9/restore", Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn publishing_keeps_the_note_and_who_published_and_the_log_tells_the_story() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let (_, s) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(s["state"], "draft");
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": sample_form()})).await;
    app.ready_to_publish(&admin, "bygglov").await;

    let (status, body) =
        app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({"note": "x".repeat(501)})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("note_too_long")));
    let (status, body) =
        app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({"notes": "typo"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let (_, s) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(s["state"], "draft", "a refused publication publishes nothing");

    let (status, v) = app
        .post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({"note": "  Första versionen  "}))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!((v["publish_note"].as_str(), v["published_by"].as_str()), (Some("Första versionen"), Some("admin")));
    let (_, s) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(s["state"], "published");
    app.post("/api/v1/services/bygglov/unpublish", Some(&admin), &json!({})).await;
    let (_, s) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(s["state"], "unpublished");

    let (_, log) = app.get("/api/v1/services/bygglov/log?limit=2", Some(&admin)).await;
    let actions = |page: &Value| -> Vec<String> {
        page["items"].as_array().into_iter().flatten().map(|e| e["action"].as_str().unwrap_or("").to_owned()).collect()
    };
    assert_eq!(actions(&log), ["unpublish_service", "publish_version"]);
    assert_eq!(
        (log["items"][1]["version"].as_u64(), log["items"][1]["detail"].as_str()),
        (Some(1), Some("Första versionen"))
    );
    assert_eq!(log["items"][1]["staff_username"], "admin");
    let after = log["next_cursor"].as_str().expect("a next page");
    let (_, rest) = app.get(&format!("/api/v1/services/bygglov/log?after={after}"), Some(&admin)).await;
    assert_eq!(actions(&rest), ["grant_permission", "create_version", "create_service"]);
    assert!(rest.get("next_cursor").is_none());
}

#[tokio::test]
async fn the_builder_log_is_for_platform_admins_only_and_a_deleted_services_entries_stay() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, owner) = app.staff("agnes", vec![shared::api::StaffRole::ServiceOwner]).await;
    app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    let (status, _) = app.get("/api/v1/services/bygglov/log", Some(&owner)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.delete("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("builder_audit").await, 2, "created and deleted");
}

#[tokio::test]
async fn a_service_owner_changes_the_forms_texts_only_and_never_publishes() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    app.post("/api/v1/services", Some(&admin), &service_input("annan", false)).await;
    let (owner_id, owner) = app.staff("agnes", vec![shared::api::StaffRole::ServiceOwner]).await;
    app.put(&format!("/api/v1/services/bygglov/permissions/{owner_id}"), Some(&admin), &json!({})).await;
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;

    // A draft from the newest version with new texts; not with a new question.
    let mut texts = sample_form();
    texts["pages"][0]["title"] = json!({"sv": "Om dig själv", "en": "About you"});
    let mut structure = sample_form();
    structure["pages"][0]["fields"][0]["required"] = json!(false);
    let (status, body) =
        app.post("/api/v1/services/bygglov/forms", Some(&owner), &json!({"definition": structure})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["message"].as_str().unwrap_or_default().contains("texts only"));
    let (status, draft) = app.post("/api/v1/services/bygglov/forms", Some(&owner), &json!({"definition": texts})).await;
    assert_eq!((status, draft["version"].as_u64()), (StatusCode::CREATED, Some(2)), "{draft}");

    // Saving the draft: a label may change, a key, a condition or an option's value may not.
    let mut label = texts.clone();
    label["pages"][0]["fields"][0]["label"] = json!("Ditt fullständiga namn");
    let (status, _) = app.put("/api/v1/services/bygglov/forms/2", Some(&owner), &json!({"definition": label})).await;
    assert_eq!(status, StatusCode::OK);
    for (pointer, to) in [
        ("/pages/0/fields/0/key", json!("fullt_namn")),
        ("/pages/0/fields/3/condition/value", json!(false)),
        ("/pages/1/fields/1/kind/type", json!("short_text")),
    ] {
        let mut changed = label.clone();
        *changed.pointer_mut(pointer).expect(pointer) = to;
        let (status, body) =
            app.put("/api/v1/services/bygglov/forms/2", Some(&owner), &json!({"definition": changed})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{pointer}: {body}");
    }
    let (_, v) = app.get("/api/v1/services/bygglov/forms/2", Some(&owner)).await;
    assert_eq!(v["definition"]["pages"][0]["fields"][0]["label"], "Ditt fullständiga namn");
    assert_eq!(v["definition"]["pages"][0]["fields"][0]["key"], "namn");

    // Publishing, restoring and the log are the platform admins'; another service is not theirs; handlers build nothing.
    let (status, _) = app.post("/api/v1/services/bygglov/forms/2/publish", Some(&owner), &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.post("/api/v1/services/bygglov/forms/1/restore", Some(&owner), &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get("/api/v1/services/annan/forms", Some(&owner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/api/v1/services/bygglov/forms", Some(&handler)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.put("/api/v1/services/bygglov/forms/2", Some(&handler), &json!({"definition": label})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An admin may change the structure of the same draft.
    let mut admin_change = label.clone();
    admin_change["pages"][0]["fields"][0]["required"] = json!(false);
    let (status, _) =
        app.put("/api/v1/services/bygglov/forms/2", Some(&admin), &json!({"definition": admin_change})).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_publishing_checklist_blocks_a_service_without_handlers_or_with_english_missing_and_only_warns() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut input = service_input("bygglov", false);
    input["name"] = json!("Bygglov för en altan, ett plank, en mur eller ett skärmtak vid ditt hus");
    input["english"] = json!({"name": "Building permit"});
    app.post("/api/v1/services", Some(&admin), &input).await;
    app.post("/api/v1/services/bygglov/forms", Some(&admin), &json!({"definition": sample_form()})).await;

    let (status, list) = app.get("/api/v1/services/bygglov/forms/1/checklist", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["ready"], false);
    let item = |key: &str| {
        list["items"].as_array().into_iter().flatten().find(|i| i["key"] == key).cloned().unwrap_or_default()
    };
    assert_eq!((item("handler")["ok"].as_bool(), item("handler")["blocking"].as_bool()), (Some(false), Some(true)));
    assert_eq!(item("english")["ok"], false);
    assert!(
        item("english")["words"]["sv"].as_str().unwrap_or_default().contains("om_dig (title)"),
        "{}",
        item("english")
    );
    assert_eq!((item("name")["ok"].as_bool(), item("name")["blocking"].as_bool()), (Some(false), Some(false)));
    assert_eq!(item("definition")["ok"], true);

    let (status, body) =
        app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({"note": "Första"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_settings")), "{body}");
    let keys: Vec<&str> =
        body["problems"].as_array().into_iter().flatten().filter_map(|p| p["field"].as_str()).collect();
    assert_eq!(keys, ["handler", "english"]);
    let (_, s) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(s["state"], "draft", "nothing was published");

    // A handler, and no English offered: ready, with the long name a warning only.
    app.ready_to_publish(&admin, "bygglov").await;
    input["english"] = json!({});
    let (status, _) = app.put("/api/v1/services/bygglov", Some(&admin), &input).await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = app.get("/api/v1/services/bygglov/forms/1/checklist", Some(&admin)).await;
    assert_eq!(list["ready"], true, "{list}");
    let (status, body) = app.post("/api/v1/services/bygglov/forms/1/publish", Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
