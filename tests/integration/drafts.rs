use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{APPLICANT, OTHER_APPLICANT, TestApp, sample_answers, sample_form, spawn_app};

/// Starts a draft of `slug` and returns its id.
async fn start_draft(app: &TestApp, token: &str, slug: &str, answers: Value) -> String {
    let (status, draft) =
        app.post(&format!("/api/v1/catalogue/{slug}/drafts"), Some(token), &json!({ "answers": answers })).await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    draft["id"].as_str().expect("id").to_string()
}

async fn submit_draft(app: &TestApp, token: &str, id: &str, key: Option<&str>) -> (StatusCode, Value) {
    let mut rb = app.client.post(format!("{}/api/v1/me/drafts/{id}/submit", app.address)).bearer_auth(token);
    if let Some(k) = key {
        rb = rb.header("Idempotency-Key", k);
    }
    crate::helpers::json_of(rb.send().await.expect("request")).await
}

/// Publishes `definition` as the next version of `slug`'s form.
async fn publish_version(app: &TestApp, admin: &str, slug: &str, definition: Value) -> u64 {
    let (status, body) =
        app.post(&format!("/api/v1/services/{slug}/forms"), Some(admin), &json!({ "definition": definition })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let version = body["version"].as_u64().expect("version");
    app.ready_to_publish(admin, slug).await;
    let (status, body) =
        app.post(&format!("/api/v1/services/{slug}/forms/{version}/publish"), Some(admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    version
}

#[tokio::test]
async fn a_draft_keeps_partial_answers_and_resumes_on_another_device() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let phone = app.applicant(APPLICANT).await;
    let (status, draft) =
        app.post("/api/v1/catalogue/bygglov/drafts", Some(&phone), &json!({ "answers": { "namn": "Tolvan" } })).await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(
        (&draft["service"], &draft["service_name"], &draft["form_version"], &draft["answers"]),
        (&json!("bygglov"), &json!("Tjänst bygglov"), &json!(1), &json!({ "namn": "Tolvan" }))
    );
    assert!(draft.get("reanswer").is_none(), "{draft}");
    let id = draft["id"].as_str().expect("id");

    // Unfinished and not yet valid answers are stored as given; nothing is required.
    let partial = json!({ "namn": " Tolvan ", "alder": "fyrtio", "har_hund": true });
    let (status, saved) = app
        .put(
            &format!("/api/v1/me/drafts/{id}"),
            Some(&phone),
            &json!({ "form_version": 1, "answers": partial, "current_page": "kontakt" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["answers"], partial);

    // Another device: a new login of the same person.
    let laptop = app.applicant(APPLICANT).await;
    let (status, resumed) = app.get(&format!("/api/v1/me/drafts/{id}"), Some(&laptop)).await;
    assert_eq!(status, StatusCode::OK, "{resumed}");
    assert_eq!((&resumed["answers"], &resumed["current_page"]), (&partial, &json!("kontakt")));
    assert_eq!(resumed["updated_at"], saved["updated_at"]);

    let second = start_draft(&app, &laptop, "bygglov", json!({})).await;
    let (status, list) = app.get("/api/v1/me/drafts", Some(&laptop)).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = list.as_array().expect("list").iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, [second.as_str(), id], "newest first");
    assert_eq!(list[0]["service_name"], "Tjänst bygglov");
}

#[tokio::test]
async fn another_persons_draft_is_not_found_and_staff_never_see_drafts() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let me = app.applicant(APPLICANT).await;
    let other = app.applicant(OTHER_APPLICANT).await;
    let id = start_draft(&app, &me, "bygglov", sample_answers()).await;
    let path = format!("/api/v1/me/drafts/{id}");

    assert_eq!(app.get(&path, Some(&other)).await.0, StatusCode::NOT_FOUND);
    let save = json!({ "form_version": 1, "answers": {} });
    assert_eq!(app.put(&path, Some(&other), &save).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&path, Some(&other)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(submit_draft(&app, &other, &id, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/me/drafts", Some(&other)).await.1, json!([]));
    let (status, mine) = app.get(&path, Some(&me)).await;
    assert_eq!((status, &mine["answers"]), (StatusCode::OK, &sample_answers()), "untouched");

    // Drafts are not public records: no staff login reads them, and they are not cases.
    let handler = app.handler(&admin, "handlaggare", &["bygglov"]).await;
    let (status, body) = app.get(&path, Some(&handler)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert_eq!(app.get("/api/v1/me/drafts", None).await.0, StatusCode::UNAUTHORIZED);
    let (_, cases) = app.get("/api/v1/cases", Some(&handler)).await;
    assert_eq!(cases["items"], json!([]));
    assert_eq!(app.count("cases").await, 0);

    assert_eq!(app.delete(&path, Some(&me)).await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path, Some(&me)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.count("drafts").await, 0);
}

#[tokio::test]
async fn an_answer_for_a_field_the_form_does_not_have_is_422_naming_it_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let me = app.applicant(APPLICANT).await;

    let (status, body) =
        app.post("/api/v1/catalogue/bygglov/drafts", Some(&me), &json!({ "answers": { "skostorlek": 42 } })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed")));
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("skostorlek"), &json!("unknown_field"))
    );
    assert_eq!(app.count("drafts").await, 0);

    let id = start_draft(&app, &me, "bygglov", json!({ "namn": "Tolvan" })).await;
    let path = format!("/api/v1/me/drafts/{id}");
    let bad = json!({ "form_version": 1, "answers": { "namn": "Tolvan Tolvansson", "skostorlek": 42 } });
    let (status, body) = app.put(&path, Some(&me), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("skostorlek"), &json!("unknown_field"))
    );

    let (status, body) =
        app.put(&path, Some(&me), &json!({ "form_version": 1, "answers": {}, "current_page": "finns_inte" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_page")));
    let (status, body) = app.put(&path, Some(&me), &json!({ "form_version": 2, "answers": {} })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("form_version_outdated")));

    let (_, draft) = app.get(&path, Some(&me)).await;
    assert_eq!(draft["answers"], json!({ "namn": "Tolvan" }), "nothing changed");
    assert!(draft.get("current_page").is_none(), "{draft}");
}

#[tokio::test]
async fn submitting_a_draft_creates_the_case_and_removes_the_draft_and_a_retry_gets_the_same_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let me = app.applicant(APPLICANT).await;

    // Not complete yet: 422 with the fields, and the draft stays.
    let id = start_draft(&app, &me, "bygglov", json!({ "namn": "Tolvan" })).await;
    let (status, body) = submit_draft(&app, &me, &id, Some("k-0")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["errors"].as_array().expect("errors").iter().any(|e| e["field"] == "alder" && e["code"] == "required")
    );
    assert_eq!((app.count("drafts").await, app.count("cases").await), (1, 0));

    let mut answers = sample_answers();
    answers["namn"] = json!("  Tolvan Tolvansson ");
    let (status, _) =
        app.put(&format!("/api/v1/me/drafts/{id}"), Some(&me), &json!({ "form_version": 1, "answers": answers })).await;
    assert_eq!(status, StatusCode::OK);
    let key = uuid::Uuid::new_v4().to_string();
    let (status, case) = submit_draft(&app, &me, &id, Some(&key)).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(
        (&case["service"], &case["form_version"], &case["status"]["kind"]),
        (&json!("bygglov"), &json!(1), &json!("submitted"))
    );
    assert_eq!(case["answers"]["namn"], "Tolvan Tolvansson", "validated and normalised like a direct submission");
    assert_eq!((app.count("drafts").await, app.count("cases").await), (0, 1));
    assert_eq!(app.get(&format!("/api/v1/me/drafts/{id}"), Some(&me)).await.0, StatusCode::NOT_FOUND);

    // A retry with the same key after the draft is gone: the same case, still one.
    let (status, again) = submit_draft(&app, &me, &id, Some(&key)).await;
    assert_eq!((status, &again["reference"]), (StatusCode::OK, &case["reference"]));
    // Without the key the draft is simply gone.
    assert_eq!(submit_draft(&app, &me, &id, None).await.0, StatusCode::NOT_FOUND);
    // The key belongs to that draft: reusing it for another submission is refused.
    let other = start_draft(&app, &me, "bygglov", sample_answers()).await;
    let (status, body) = submit_draft(&app, &me, &other, Some(&key)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency_key_reused")));
    assert_eq!(app.count("cases").await, 1);
    let (_, mine) = app.get("/api/v1/me/cases", Some(&me)).await;
    assert_eq!(mine[0]["reference"], case["reference"]);
}

#[tokio::test]
async fn a_double_submission_of_one_draft_makes_one_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let me = app.applicant(APPLICANT).await;

    let id = start_draft(&app, &me, "bygglov", sample_answers()).await;
    let results =
        futures_util::future::join_all((0..6).map(|_| submit_draft(&app, &me, &id, Some("dubbelklick")))).await;
    let refs: std::collections::BTreeSet<&str> =
        results.iter().map(|(s, c)| c["reference"].as_str().unwrap_or_else(|| panic!("{s} {c}"))).collect();
    assert_eq!(refs.len(), 1, "{results:?}");
    assert_eq!(results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count(), 1);

    // Without a key, the draft is taken once: the other attempts find it gone.
    let id = start_draft(&app, &me, "bygglov", sample_answers()).await;
    let results = futures_util::future::join_all((0..6).map(|_| submit_draft(&app, &me, &id, None))).await;
    let statuses: Vec<StatusCode> = results.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{results:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::NOT_FOUND), "{results:?}");
    assert_eq!((app.count("cases").await, app.count("drafts").await), (2, 0));
}

/// Version 2 of [`sample_form`]: `namn` takes at most 5 characters, `epost`
/// is unchanged, and a required `telefon` is new.
fn sample_form_v2() -> Value {
    let mut v2 = sample_form();
    v2["pages"][0]["fields"][0] =
        json!({"key": "namn", "label": "Förnamn", "required": true, "kind": {"type": "short_text", "max_length": 5}});
    v2["pages"][1]["fields"]
        .as_array_mut()
        .expect("fields")
        .push(json!({"key": "telefon", "label": "Telefon", "required": true, "kind": {"type": "phone"}}));
    v2
}

#[tokio::test]
async fn a_draft_moves_to_a_newly_published_version_keeping_what_fits_and_the_notice_stays_until_the_next_save() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let me = app.applicant(APPLICANT).await;
    let mut answers = sample_answers();
    answers["namn"] = json!("Tolvan Tolvansson");
    let id = start_draft(&app, &me, "bygglov", answers).await;
    let path = format!("/api/v1/me/drafts/{id}");

    assert_eq!(publish_version(&app, &admin, "bygglov", sample_form_v2()).await, 2);
    // Submitting the draft as it is would answer an old form.
    let (status, body) = submit_draft(&app, &me, &id, None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("form_version_outdated")));

    let expected_reanswer =
        json!([{ "field": "namn", "label": "Förnamn" }, { "field": "telefon", "label": "Telefon" }]);
    let (status, draft) = app.get(&path, Some(&me)).await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    assert_eq!(draft["form_version"], 2);
    assert_eq!(draft["answers"], json!({ "alder": 40, "har_hund": false, "epost": "tolvan@example.org" }));
    assert_eq!(draft["reanswer"], expected_reanswer);
    // A reload (another device, too) still shows the notice.
    let (_, reloaded) = app.get(&path, Some(&app.applicant(APPLICANT).await)).await;
    assert_eq!((&reloaded["form_version"], &reloaded["reanswer"]), (&json!(2), &expected_reanswer));
    assert_eq!(reloaded["answers"], draft["answers"]);

    // A save for the old version is refused; one for the new version clears the notice.
    let (status, body) = app.put(&path, Some(&me), &json!({ "form_version": 1, "answers": sample_answers() })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("form_version_outdated")));
    let mut complete = draft["answers"].clone();
    complete["namn"] = json!("Tolva");
    complete["telefon"] = json!("042-10 50 00");
    let (status, saved) = app.put(&path, Some(&me), &json!({ "form_version": 2, "answers": complete })).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(saved.get("reanswer").is_none(), "{saved}");
    assert!(app.get(&path, Some(&me)).await.1.get("reanswer").is_none());

    let (status, case) = submit_draft(&app, &me, &id, None).await;
    assert_eq!(
        (status, &case["form_version"], &case["answers"]["telefon"]),
        (StatusCode::CREATED, &json!(2), &json!("+4642105000"))
    );
}

#[tokio::test]
async fn a_save_made_for_the_old_version_before_reading_is_kept_and_moved() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let me = app.applicant(APPLICANT).await;
    let id = start_draft(&app, &me, "bygglov", json!({})).await;
    publish_version(&app, &admin, "bygglov", sample_form_v2()).await;

    // The applicant's tab still shows version 1 and autosaves: the save is kept,
    // and the answer moves the draft to version 2 at once with its notice.
    let (status, saved) = app
        .put(
            &format!("/api/v1/me/drafts/{id}"),
            Some(&me),
            &json!({ "form_version": 1, "answers": { "alder": 40, "namn": "Tolvan Tolvansson" } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((&saved["form_version"], &saved["answers"]), (&json!(2), &json!({ "alder": 40 })));
    assert_eq!(
        saved["reanswer"],
        json!([{ "field": "namn", "label": "Förnamn" }, { "field": "telefon", "label": "Telefon" }])
    );
}
