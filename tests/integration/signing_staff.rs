//! Signing, the staff side: a case waiting for its co-signers (or whose
//! signing ended without them) is invisible to staff everywhere — inbox,
//! counts, search, contact centre, every read and change by reference —
//! while the applicant sees it; once the last signature is in, it reaches the
//! handlers, who see who signed, when and with which e-ID, download the
//! evidence, and verify it against the stored answers (which fails after a
//! stored answer is tampered with). Every read is in the case's access log.

use backend::eid::bankid::simulator::{SimulatorControl, test_person_name};
use backend::navet::simulator::fixtures::{CHILD, GUARDIAN_A, GUARDIAN_B};
use chrono::Utc;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};
use shared::api::StaffRole;

use crate::helpers::{TestApp, spawn_app};

/// The signing service's slug.
const SLUG: &str = "skolval";
/// The service's own status of kind awaiting_signatures.
const AWAITING: &str = "underskrift_pagar";

/// A school application for a child: the other guardian, from the register, co-signs.
fn form() -> Value {
    json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "barn", "label": "Barn", "required": true, "kind": {"type": "child"}},
        {"key": "skola", "label": "Önskad skola", "required": true, "kind": {"type": "single_choice", "options": [
            {"value": "ostra", "label": "Östra skolan"}, {"value": "vastra", "label": "Västra skolan"}]}},
        {"key": "onskemal", "label": "Önskemål", "kind": {"type": "short_text"}}
    ]}]})
}

fn answers(wish: &str) -> Value {
    json!({"barn": CHILD, "skola": "vastra", "onskemal": wish})
}

struct World {
    app: TestApp,
    admin: String,
    /// Handler permitted on the signing service.
    handler: String,
    handler_id: String,
    /// Handler permitted only on another service.
    outsider: String,
    /// Contact centre staff.
    contact: String,
    /// Guardian A, who applies.
    applicant: String,
    /// Guardian B, who co-signs.
    co_signer: String,
}

async fn world() -> World {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // The service's own status of kind awaiting_signatures comes first, so the counts list it. It
    // allows messages, which must not matter: a case not yet submitted takes none.
    let mut statuses = vec![shared::StatusDefinition {
        key: AWAITING.into(),
        name: "Väntar på underskrift".into(),
        name_en: None,
        kind: shared::StatusKind::AwaitingSignatures,
        applicant_may_supplement: false,
        messaging_allowed: true,
        notify_applicant: false,
    }];
    statuses.extend(shared::status::standard_statuses());
    let mut input = crate::helpers::service_input(SLUG, false);
    input["statuses"] = serde_json::to_value(&statuses).expect("statuses");
    input["signing"] = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "register_guardians", "child_field": "barn"}
    });
    let (status, body) = app.post("/api/v1/services", Some(&admin), &input).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) =
        app.post(&format!("/api/v1/services/{SLUG}/forms"), Some(&admin), &json!({"definition": form()})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.ready_to_publish(&admin, SLUG).await;
    let (status, body) = app.post(&format!("/api/v1/services/{SLUG}/forms/1/publish"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.published_service(&admin, "bygglov", crate::helpers::sample_form(), false).await;

    let (handler_id, handler) = app.staff("hanna", vec![StaffRole::Handler]).await;
    let (status, body) =
        app.put(&format!("/api/v1/services/{SLUG}/permissions/{handler_id}"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let outsider = app.handler(&admin, "olle", &["bygglov"]).await;
    let (_, contact) = app.staff("kontaktcenter", vec![StaffRole::ContactCentre]).await;
    let applicant = app.applicant(GUARDIAN_A).await;
    let co_signer = app.applicant(GUARDIAN_B).await;
    World { app, admin, handler, handler_id, outsider, contact, applicant, co_signer }
}

fn control(app: &TestApp) -> SimulatorControl {
    app.state.bankid.as_ref().expect("BankID on").simulator().expect("simulator mode").control.clone()
}

/// `personnummer` scans and confirms the pending BankID order bound to them;
/// the poll of the signing that follows must answer `complete`.
async fn sign(w: &World, token: &str, signing_id: &str, personnummer: &str) -> Value {
    let sim = control(&w.app);
    let order = sim
        .orders()
        .into_iter()
        .find(|o| {
            o.required_personnummer.as_deref() == Some(personnummer)
                && o.hint_code.as_deref() == Some("outstandingTransaction")
        })
        .expect("a pending sign order bound to the person")
        .order_ref;
    sim.scan(&order, personnummer).expect("scan");
    sim.confirm(&order).expect("confirm");
    let (status, done) = w.app.get(&format!("/api/v1/signings/{signing_id}"), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "complete", "{done}");
    done
}

fn full_name(personnummer: &str) -> String {
    let (given, surname) = test_person_name(personnummer);
    format!("{given} {surname}")
}

async fn case_of(w: &World, reference: &str) -> backend::db::cases::CaseRecord {
    backend::db::cases::find(&w.app.state.db, reference).await.expect("find").expect("case")
}

/// Guardian A applies for the shared child and signs with BankID: the case
/// waits for guardian B. Its reference.
async fn awaiting_case(w: &World, wish: &str) -> String {
    let (status, started) = w
        .app
        .post(
            &format!("/api/v1/catalogue/{SLUG}/signings"),
            Some(&w.applicant),
            &json!({"form_version": 1, "answers": answers(wish)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let done = sign(w, &w.applicant, started["signing_id"].as_str().expect("id"), GUARDIAN_A).await;
    assert_eq!(done["case"]["status"]["kind"], "awaiting_signatures", "{done}");
    done["case"]["reference"].as_str().expect("reference").to_string()
}

/// Guardian B's pending request of the case.
async fn request_of(w: &World, reference: &str) -> String {
    let rec = case_of(w, reference).await;
    let signatures = backend::db::signature_evidence::of_case(&w.app.state.db, rec.id).await.expect("signatures");
    let id = signatures.iter().find(|s| s.personnummer == GUARDIAN_B).expect("B's request").id.to_string();
    let (status, request) = w.app.get(&format!("/api/v1/me/signature-requests/{id}"), Some(&w.co_signer)).await;
    assert_eq!((status, request["state"].as_str()), (StatusCode::OK, Some("pending")), "{request}");
    id
}

/// Guardian B signs: the case is submitted.
async fn co_sign(w: &World, reference: &str) {
    let id = request_of(w, reference).await;
    let (status, started) =
        w.app.post(&format!("/api/v1/me/signature-requests/{id}/sign"), Some(&w.co_signer), &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let done = sign(w, &w.co_signer, started["signing_id"].as_str().expect("id"), GUARDIAN_B).await;
    assert_eq!(done["request"]["state"], "signed", "{done}");
}

/// Guardian B declines: the attempt ends without reaching the handlers.
async fn decline(w: &World, reference: &str) {
    let id = request_of(w, reference).await;
    let (status, request) = w
        .app
        .post(
            &format!("/api/v1/me/signature-requests/{id}/decline"),
            Some(&w.co_signer),
            &json!({"message": "Vi har inte bestämt oss."}),
        )
        .await;
    assert_eq!((status, request["state"].as_str()), (StatusCode::OK, Some("declined")), "{request}");
}

/// A case both guardians signed, which the handler sees: its reference.
async fn signed_case(w: &World) -> String {
    let reference = awaiting_case(w, "Nära hemmet").await;
    co_sign(w, &reference).await;
    reference
}

/// The references in the handler's inbox with this query string.
async fn inbox(w: &World, query: &str) -> Vec<String> {
    let (status, list) = w.app.get(&format!("/api/v1/cases?{query}"), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().expect("items").iter().filter_map(|c| c["reference"].as_str().map(String::from)).collect()
}

/// The handler's search by an applicant's personnummer (`POST /cases/search`).
async fn search(w: &World, personnummer: &str) -> Vec<String> {
    let (status, list) =
        w.app.post("/api/v1/cases/search", Some(&w.handler), &serde_json::json!({"personnummer": personnummer})).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().expect("items").iter().filter_map(|c| c["reference"].as_str().map(String::from)).collect()
}

/// The handler's count of cases in a status, and over all statuses.
async fn counts(w: &World) -> (u64, u64) {
    let (status, counts) = w.app.get(&format!("/api/v1/cases/counts?service={SLUG}"), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::OK, "{counts}");
    let all = counts.as_array().expect("counts");
    let awaiting = all
        .iter()
        .find(|c| c["status"]["key"] == AWAITING)
        .and_then(|c| c["count"].as_u64())
        .expect("the service lists its awaiting status");
    (awaiting, all.iter().filter_map(|c| c["count"].as_u64()).sum())
}

/// The case's access-log actions, newest first.
async fn access_actions(w: &World, reference: &str) -> Vec<String> {
    let (status, log) = w.app.get(&format!("/api/v1/cases/{reference}/access-log"), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    log.as_array().expect("log").iter().filter_map(|e| e["action"].as_str().map(String::from)).collect()
}

/// Every staff path to a case by reference answers 404; the applicant still sees it.
async fn assert_hidden_from_staff(w: &World, reference: &str) {
    let app = &w.app;
    let h = Some(w.handler.as_str());
    let base = format!("/api/v1/cases/{reference}");
    let pnr = GUARDIAN_A;
    assert!(!inbox(w, "").await.contains(&reference.to_string()), "in the inbox");
    assert!(inbox(w, &format!("reference={reference}")).await.is_empty(), "found by reference");
    assert!(search(w, pnr).await.is_empty(), "found by personnummer");
    assert!(inbox(w, &format!("service={SLUG}&status={}", AWAITING)).await.is_empty());
    assert_eq!(counts(w).await, (0, 0), "counted");

    for path in ["", "/messages", "/notes", "/supplements", "/documents", "/handlers", "/signatures"] {
        let (status, body) = app.get(&format!("{base}{path}"), h).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "GET {path}: {body}");
    }
    let (status, body) = app.post(&format!("{base}/status"), h, &json!({"status": "registrerat"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "status change: {body}");
    let (status, body) = app.post(&format!("{base}/messages"), h, &json!({"body": "Hej!"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "message: {body}");
    let (status, body) = app.post(&format!("{base}/notes"), h, &json!({"body": "Anteckning"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "note: {body}");
    let (status, body) = app.put(&format!("{base}/assignee"), h, &json!({"assignee": w.handler_id})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "assign: {body}");
    let (status, body) = app.post(&format!("{base}/assign-to-me"), h, &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "assign to me: {body}");
    let (status, body) = app.post(&format!("{base}/signatures/verify"), h, &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "verify: {body}");
    let rec = case_of(w, reference).await;
    let first = backend::db::signature_evidence::of_case(&app.state.db, rec.id).await.expect("signatures");
    let (status, body) = app.get(&format!("{base}/signatures/{}/evidence", first[0].id), h).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "evidence: {body}");
    let (status, body) = app.get(&format!("/api/v1/contact-centre/cases/{reference}"), Some(&w.contact)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "contact centre: {body}");
    let (status, body) = app.get(&format!("{base}/access-log"), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "access log: {body}");

    // Nothing was read, changed or assigned.
    assert_eq!(backend::db::access_log::count(&app.state.db, rec.id).await.expect("count"), 0);
    let rec = case_of(w, reference).await;
    assert_eq!(rec.assignee_id, None);
    assert_eq!(app.count("case_notes").await, 0);
    assert_eq!(app.count("case_messages").await, 0);

    // The applicant sees it on Min sida.
    let (status, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&w.applicant)).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["status"]["kind"], "awaiting_signatures", "{mine}");
    let (status, list) = app.get("/api/v1/me/cases", Some(&w.applicant)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list.as_array().expect("cases").iter().any(|c| c["reference"] == reference), "{list}");
}

#[tokio::test]
async fn a_case_awaiting_its_co_signer_is_absent_for_staff_everywhere_while_the_applicant_sees_it() {
    let w = world().await;
    let reference = awaiting_case(&w, "Nära hemmet").await;
    assert_hidden_from_staff(&w, &reference).await;
}

#[tokio::test]
async fn a_case_whose_co_signer_declined_never_reaches_the_handlers() {
    let w = world().await;
    let reference = awaiting_case(&w, "Nära jobbet").await;
    decline(&w, &reference).await;
    assert_hidden_from_staff(&w, &reference).await;
    let (_, mine) = w.app.get(&format!("/api/v1/me/cases/{reference}"), Some(&w.applicant)).await;
    assert_eq!(mine["status"]["key"], shared::status::SIGNING_ENDED_KEY, "{mine}");
    assert_applicant_cannot_message(&w, &reference).await;
}

/// The applicant can neither write to nor be offered to write to the handlers of a case not submitted.
async fn assert_applicant_cannot_message(w: &World, reference: &str) {
    let (_, mine) = w.app.get(&format!("/api/v1/me/cases/{reference}"), Some(&w.applicant)).await;
    assert_eq!((&mine["messaging_allowed"], &mine["may_supplement"]), (&json!(false), &json!(false)), "{mine}");
    let mails = w.app.count("outbox").await;
    let (status, body) = w
        .app
        .post(
            &format!("/api/v1/me/cases/{reference}/messages"),
            Some(&w.applicant),
            &json!({"body": "Hej handläggare"}),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("messaging_closed")), "{body}");
    assert_eq!(w.app.count("case_messages").await, 0);
    assert_eq!(w.app.count("outbox").await, mails, "no notice to the handlers' mailbox");
}

#[tokio::test]
async fn the_applicant_cannot_message_the_handlers_of_a_case_awaiting_its_co_signer() {
    let w = world().await;
    let reference = awaiting_case(&w, "Nära skogen").await;
    assert_applicant_cannot_message(&w, &reference).await;
}

#[tokio::test]
async fn once_the_last_signature_is_in_the_case_appears_in_the_inbox_counts_search_and_contact_centre() {
    let w = world().await;
    let reference = awaiting_case(&w, "Nära hemmet").await;
    assert!(inbox(&w, "").await.is_empty());
    co_sign(&w, &reference).await;

    assert_eq!(inbox(&w, "").await, vec![reference.clone()]);
    assert_eq!(search(&w, GUARDIAN_A).await, vec![reference.clone()]);
    assert_eq!(inbox(&w, &format!("reference={reference}")).await, vec![reference.clone()]);
    assert_eq!(counts(&w).await, (0, 1));
    let (status, detail) = w.app.get(&format!("/api/v1/cases/{reference}"), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["status"]["key"], "inskickat");
    let (status, found) = w.app.get(&format!("/api/v1/contact-centre/cases/{reference}"), Some(&w.contact)).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let (status, body) = w
        .app
        .put(&format!("/api/v1/cases/{reference}/assignee"), Some(&w.handler), &json!({"assignee": w.handler_id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = w
        .app
        .post(&format!("/api/v1/cases/{reference}/status"), Some(&w.handler), &json!({"status": "registrerat"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_handler_sees_who_signed_when_and_with_which_e_id() {
    let w = world().await;
    let reference = signed_case(&w).await;
    let before = Utc::now();
    let (status, list) = w.app.get(&format!("/api/v1/cases/{reference}/signatures"), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().expect("signatures").clone();
    assert_eq!(list.len(), 2, "{list:?}");
    let digest =
        backend::signing::digest::answers_digest(SLUG, 1, &case_of(&w, &reference).await.answers().expect("answers"));
    for (i, (role, personnummer)) in [("applicant", GUARDIAN_A), ("co_signer", GUARDIAN_B)].iter().enumerate() {
        let s = &list[i];
        assert_eq!((s["role"].as_str(), s["personnummer"].as_str()), (Some(*role), Some(*personnummer)), "{s}");
        assert_eq!((s["state"].as_str(), s["provider"].as_str()), (Some("signed"), Some("BankID")), "{s}");
        assert_eq!(s["digest"], digest, "{s}");
        let signed_at: chrono::DateTime<Utc> = serde_json::from_value(s["signed_at"].clone()).expect("signed_at");
        assert!(signed_at <= before, "{s}");
        assert!(s.get("signature").is_none() && s.get("ocsp_response").is_none(), "no evidence in the list: {s}");
    }
    assert_eq!(
        (list[0]["name"].as_str(), list[1]["name"].as_str()),
        (Some(full_name(GUARDIAN_A).as_str()), Some(full_name(GUARDIAN_B).as_str()))
    );
    assert!(access_actions(&w, &reference).await.contains(&"read_signatures".to_string()));
}

#[tokio::test]
async fn the_evidence_downloads_as_a_json_file_with_bankids_signature_and_ocsp_response() {
    let w = world().await;
    let reference = signed_case(&w).await;
    let (_, list) = w.app.get(&format!("/api/v1/cases/{reference}/signatures"), Some(&w.handler)).await;
    let co_signer = list[1]["id"].as_str().expect("id").to_string();
    let r = w
        .app
        .client
        .get(format!("{}/api/v1/cases/{reference}/signatures/{co_signer}/evidence", w.app.address))
        .bearer_auth(&w.handler)
        .send()
        .await
        .expect("download");
    assert_eq!(r.status(), StatusCode::OK);
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(header("content-disposition"), format!("attachment; filename=\"underskrift-{reference}-1.json\""));
    assert_eq!(header("cache-control"), "no-store");
    assert!(header("content-type").starts_with("application/json"));
    let evidence: Value = r.json().await.expect("json");

    let rec = case_of(&w, &reference).await;
    let stored = backend::db::signature_evidence::find(&w.app.state.db, rec.id, co_signer.parse().expect("uuid"))
        .await
        .expect("find")
        .expect("signature");
    assert_eq!(evidence["reference"], reference);
    assert_eq!(evidence["service"], SLUG);
    assert_eq!(evidence["form_version"], 1);
    assert_eq!(evidence["role"], "co_signer");
    assert_eq!(evidence["position"], 1);
    assert_eq!(evidence["personnummer"], GUARDIAN_B);
    assert_eq!(evidence["name"], full_name(GUARDIAN_B));
    assert_eq!(evidence["provider"], "BankID");
    assert!(evidence["signed_at"].as_str().is_some(), "{evidence}");
    assert_eq!(evidence["digest"], stored.digest);
    assert_eq!(evidence["summary"], stored.summary);
    assert_eq!(evidence["bankid"]["signature"].as_str(), stored.signature.as_deref());
    assert_eq!(evidence["bankid"]["ocspResponse"].as_str(), stored.ocsp_response.as_deref());
    assert!(evidence["bankid"]["signature"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(evidence["answers_digest_now"], stored.digest, "the answers are as signed");
    assert!(access_actions(&w, &reference).await.contains(&"download_signature_evidence".to_string()));

    // No such signature of this case.
    let (status, _) = w
        .app
        .get(&format!("/api/v1/cases/{reference}/signatures/{}/evidence", uuid::Uuid::now_v7()), Some(&w.handler))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Another case's signature is not this case's.
    let other = signed_case(&w).await;
    let (status, _) =
        w.app.get(&format!("/api/v1/cases/{other}/signatures/{co_signer}/evidence"), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Changes a stored answer behind the platform's back.
async fn tamper(w: &World, reference: &str) {
    let db = &w.app.state.db;
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => format!(
            "UPDATE cases SET answers = jsonb_set(answers::jsonb, '{{onskemal}}', '\"Långt bort\"')::json \
             WHERE reference = '{reference}'"
        ),
        _ => format!(
            "UPDATE cases SET answers = json_set(answers, '$.onskemal', 'Långt bort') WHERE reference = '{reference}'"
        ),
    };
    let done = db.execute_raw(sea_orm::Statement::from_string(backend, sql)).await.expect("tamper");
    assert_eq!(done.rows_affected(), 1);
}

#[tokio::test]
async fn verification_passes_for_the_answers_as_signed_and_fails_after_a_stored_answer_is_tampered_with() {
    let w = world().await;
    let reference = signed_case(&w).await;
    let path = format!("/api/v1/cases/{reference}/signatures/verify");
    let (status, v) = w.app.post(&path, Some(&w.handler), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], true, "{v}");
    let checks = v["signatures"].as_array().expect("checks");
    assert_eq!(checks.len(), 2);
    for c in checks {
        assert_eq!(
            (&c["digest_matches_answers"], &c["signature_carries_digest"], &c["valid"]),
            (&json!(true), &json!(true), &json!(true))
        );
    }
    let before = v["answers_digest"].clone();

    tamper(&w, &reference).await;
    let (_, detail) = w.app.get(&format!("/api/v1/cases/{reference}"), Some(&w.handler)).await;
    assert_eq!(detail["answers"]["onskemal"], "Långt bort");
    let (status, v) = w.app.post(&path, Some(&w.handler), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], false, "{v}");
    assert_ne!(v["answers_digest"], before);
    for c in v["signatures"].as_array().expect("checks") {
        assert_eq!(c["digest_matches_answers"], false, "{c}");
        assert_eq!(c["signature_carries_digest"], true, "BankID's signature still carries what was signed: {c}");
        assert_eq!(c["valid"], false, "{c}");
    }
    let actions = access_actions(&w, &reference).await;
    assert_eq!(actions.iter().filter(|a| *a == "verify_signatures").count(), 2, "{actions:?}");
}

#[tokio::test]
async fn a_handler_without_permission_on_the_service_gets_404_and_other_staff_403() {
    let w = world().await;
    let reference = signed_case(&w).await;
    let (_, list) = w.app.get(&format!("/api/v1/cases/{reference}/signatures"), Some(&w.handler)).await;
    let id = list[0]["id"].as_str().expect("id").to_string();
    let base = format!("/api/v1/cases/{reference}/signatures");
    let (status, _) = w.app.get(&base, Some(&w.outsider)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w.app.get(&format!("{base}/{id}/evidence"), Some(&w.outsider)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w.app.post(&format!("{base}/verify"), Some(&w.outsider), &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w.app.get(&base, Some(&w.contact)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w.app.get(&base, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The applicant's token is no staff token.
    let (status, _) = w.app.get(&base, Some(&w.applicant)).await;
    assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN, "{status}");
    let actions = access_actions(&w, &reference).await;
    assert_eq!(actions, vec!["read_signatures".to_string()], "only the permitted handler's read is logged");
}

#[tokio::test]
async fn a_case_of_a_service_without_signing_has_no_signatures_and_nothing_verifies() {
    let w = world().await;
    let (status, body) =
        w.app.put(&format!("/api/v1/services/bygglov/permissions/{}", w.handler_id), Some(&w.admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = w.app.submit("bygglov", Some(&w.applicant), 1, crate::helpers::sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let reference = body["reference"].as_str().expect("reference");
    let (status, list) = w.app.get(&format!("/api/v1/cases/{reference}/signatures"), Some(&w.handler)).await;
    assert_eq!((status, list), (StatusCode::OK, json!([])));
    let (status, v) =
        w.app.post(&format!("/api/v1/cases/{reference}/signatures/verify"), Some(&w.handler), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!((&v["valid"], &v["signatures"]), (&json!(false), &json!([])));
}
