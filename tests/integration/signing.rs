//! Signing and multiple signing, end to end over real HTTP: the applicant
//! signs with BankID (the simulator plays the app), the Navet simulator's
//! family gives the co-signer (GUARDIAN_A and GUARDIAN_B share CHILD), the
//! co-signer signs or declines, and deadlines end attempts.

use backend::eid::bankid::service::COLLECT_INTERVAL;
use backend::eid::bankid::simulator::{ControlError, SimulatorControl};
use backend::navet::simulator::fixtures::{
    CHILD, CHILD_OF_PROTECTED_GUARDIAN, CHILD_WITH_GUARDIAN_ABROAD, GUARDIAN_A, GUARDIAN_B, GUARDIAN_C, ORDINARY_ADULT,
    PROTECTED_CHILD, SEKRETESSMARKERING,
};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, service_input, spawn_app};

const HANDLER_MAILBOX: &str = "funktionsbrevlada@example.org";
const CONTACT_ROUTE: &str = "Ring kontaktcenter på 000-00 00 00 så hjälper vi dig att ansöka.";

fn control(app: &TestApp) -> SimulatorControl {
    app.state.bankid.as_ref().expect("BankID on").simulator().expect("simulator mode").control.clone()
}

/// The form of a school application for a child, with the applicant's and the co-signer's addresses.
fn guardian_form() -> Value {
    json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "barn", "label": "Barn", "required": true, "kind": {"type": "child"}},
        {"key": "skola", "label": "Önskad skola", "required": true, "kind": {"type": "single_choice", "options": [
            {"value": "ostra", "label": "Östra skolan"}, {"value": "vastra", "label": "Västra skolan"}]}},
        {"key": "skolskjuts", "label": "Behövs skolskjuts?", "required": true, "kind": {"type": "yes_no"}},
        {"key": "epost", "label": "Din e-post", "required": true, "autocomplete": "email", "kind": {"type": "email"}},
        {"key": "epost_vh2", "label": "Andra vårdnadshavarens e-post", "kind": {"type": "email"}}
    ]}]})
}

fn guardian_answers() -> Value {
    json!({"barn": CHILD, "skola": "vastra", "skolskjuts": false, "epost": "prova@example.org", "epost_vh2": "karl@example.org"})
}

/// A form where the applicant enters the co-signer's personnummer.
fn entered_form() -> Value {
    json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "beskrivning", "label": "Vad gäller ansökan?", "required": true, "kind": {"type": "short_text"}},
        {"key": "medsokande", "label": "Medsökandes personnummer", "required": true, "kind": {"type": "personnummer"}},
        {"key": "epost", "label": "Din e-post", "required": true, "autocomplete": "email", "kind": {"type": "email"}}
    ]}]})
}

/// Creates a service with `signing` settings and `definition` published as version 1.
async fn signing_service(app: &TestApp, admin: &str, slug: &str, definition: Value, signing: Value) {
    let mut input = service_input(slug, false);
    input["signing"] = signing;
    let (status, body) = app.post("/api/v1/services", Some(admin), &input).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) =
        app.post(&format!("/api/v1/services/{slug}/forms"), Some(admin), &json!({"definition": definition})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.ready_to_publish(admin, slug).await;
    let (status, body) = app.post(&format!("/api/v1/services/{slug}/forms/1/publish"), Some(admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn guardian_service(app: &TestApp, admin: &str, slug: &str) {
    let signing = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "register_guardians", "child_field": "barn"},
        "co_signer_email_field": "epost_vh2",
        "deadline_days": 14,
        "contact_route": CONTACT_ROUTE
    });
    signing_service(app, admin, slug, guardian_form(), signing).await;
}

async fn start(app: &TestApp, token: &str, slug: &str, answers: Value) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/catalogue/{slug}/signings"),
        Some(token),
        &json!({"form_version": 1, "answers": answers}),
    )
    .await
}

/// The pending BankID order that only `personnummer` may complete.
fn order_for(sim: &SimulatorControl, personnummer: &str) -> String {
    sim.orders()
        .into_iter()
        .find(|o| {
            o.required_personnummer.as_deref() == Some(personnummer)
                && o.hint_code.as_deref() == Some("outstandingTransaction")
        })
        .expect("a pending sign order bound to the person")
        .order_ref
}

async fn poll(app: &TestApp, token: &str, signing_id: &str) -> (StatusCode, Value) {
    app.get(&format!("/api/v1/signings/{signing_id}"), Some(token)).await
}

/// `personnummer` scans and confirms their order in the BankID app; the poll that follows
/// answers (status and body).
async fn sign(app: &TestApp, token: &str, signing_id: &str, personnummer: &str) -> (StatusCode, Value) {
    let sim = control(app);
    let order = order_for(&sim, personnummer);
    sim.scan(&order, personnummer).expect("scan");
    sim.confirm(&order).expect("confirm");
    poll(app, token, signing_id).await
}

/// Starts and completes the applicant's signature; returns the case.
async fn applicant_signs(app: &TestApp, token: &str, slug: &str, answers: Value, personnummer: &str) -> Value {
    let (status, started) = start(app, token, slug, answers).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let (status, done) = sign(app, token, started["signing_id"].as_str().expect("id"), personnummer).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "complete", "{done}");
    done["case"].clone()
}

async fn query_i64(app: &TestApp, sql: &str) -> i64 {
    let backend = app.state.db.get_database_backend();
    let row = app
        .state
        .db
        .query_one_raw(sea_orm::Statement::from_string(backend, sql.to_string()))
        .await
        .expect("query")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

/// Outbox rows of a case with this template (and recipient, when given).
async fn mails(app: &TestApp, reference: &str, template: &str, recipient: Option<&str>) -> i64 {
    let to = recipient.map(|r| format!(" AND recipient = '{r}'")).unwrap_or_default();
    query_i64(
        app,
        &format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE case_id = (SELECT id FROM cases WHERE reference = '{reference}') \
             AND template = '{template}'{to}"
        ),
    )
    .await
}

async fn case_mails(app: &TestApp, reference: &str) -> i64 {
    query_i64(
        app,
        &format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE case_id = (SELECT id FROM cases WHERE reference = '{reference}')"
        ),
    )
    .await
}

/// The text of the delivered mail (the default `.eml` file transport) to `recipient`, waiting for it.
async fn delivered_to(app: &TestApp, recipient: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let files: Vec<std::path::PathBuf> = std::fs::read_dir(&app.mail_dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        for f in files {
            let raw = std::fs::read(&f).expect("file");
            let msg = mail_parser::MessageParser::default().parse(&raw).expect("MIME");
            let to = msg.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_string();
            if to == recipient {
                let subject = msg.subject().unwrap_or_default().to_string();
                return format!("{subject}\n{}", msg.body_text(0).expect("text"));
            }
        }
        assert!(std::time::Instant::now() < deadline, "no mail to {recipient}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn requests(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, body) = app.get("/api/v1/me/signature-requests", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().expect("a list").clone()
}

/// Guardian A has applied for the shared child and signed: the case awaits guardian B.
struct Applied {
    app: TestApp,
    a: String,
    b: String,
    reference: String,
    request: String,
}

async fn guardian_a_applies() -> Applied {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let a = app.applicant(GUARDIAN_A).await;
    let case = applicant_signs(&app, &a, "skolval", guardian_answers(), GUARDIAN_A).await;
    let reference = case["reference"].as_str().expect("reference").to_string();
    let b = app.applicant(GUARDIAN_B).await;
    let list = requests(&app, &b).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let request = list[0]["id"].as_str().expect("id").to_string();
    Applied { app, a, b, reference, request }
}

#[tokio::test]
async fn guardian_a_applies_for_the_shared_child_and_the_case_reaches_the_handlers_only_when_guardian_b_has_signed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let a = app.applicant(GUARDIAN_A).await;

    let (status, started) = start(&app, &a, "skolval", guardian_answers()).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    // Guardian B is found in the register and named; the summary shows the answers by their labels.
    assert_eq!(started["co_signers"], json!(["Karl-Prov Familjesson"]), "{started}");
    let summary = started["summary"].as_str().expect("summary");
    let digest = started["digest"].as_str().expect("digest");
    assert!(summary.starts_with("# Tjänst skolval\n"), "{summary}");
    assert!(summary.contains("Barn: Lill-Test Familjesson (20150501-2391)"), "{summary}");
    // A label that asks a question is not followed by a colon ("?:").
    assert!(summary.contains("Önskad skola: Västra skolan\nBehövs skolskjuts? Nej"), "{summary}");
    assert!(summary.contains("Ska också skriva under: Karl-Prov Familjesson"), "{summary}");
    assert!(summary.ends_with(&format!("Kontrollsumma (SHA-256): {digest}")), "{summary}");
    // The order at BankID is bound to guardian A and shows exactly that summary.
    let sim = control(&app);
    let order = sim.orders().into_iter().next().expect("an order");
    assert_eq!(order.required_personnummer.as_deref(), Some(GUARDIAN_A));
    assert_eq!(order.visible_text.as_deref(), Some(summary));
    // Nothing is stored before the signature.
    assert_eq!(app.count("cases").await, 0);
    let signing_id = started["signing_id"].as_str().expect("id");
    let (status, pending) = poll(&app, &a, signing_id).await;
    assert_eq!(status, StatusCode::OK, "{pending}");
    assert_eq!(
        (pending["status"].as_str(), pending["hint_code"].as_str()),
        (Some("pending"), Some("outstandingTransaction"))
    );
    assert!(pending["qr_data"].as_str().is_some_and(|q| q.starts_with("bankid.")), "{pending}");

    tokio::time::sleep(COLLECT_INTERVAL).await;
    let (status, done) = sign(&app, &a, signing_id, GUARDIAN_A).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "complete", "{done}");
    let reference = done["case"]["reference"].as_str().expect("reference").to_string();
    // The case awaits guardian B: the applicant sees it so; nothing tells the handlers yet.
    assert_eq!(done["case"]["status"]["key"], "vantar_pa_underskrift", "{done}");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&a)).await;
    assert_eq!(mine["status"]["kind"], "awaiting_signatures", "{mine}");
    assert_eq!(mails(&app, &reference, "handler_new_case", None).await, 0);
    assert_eq!(mails(&app, &reference, "service_confirmation", None).await, 0);
    let handler = app.handler(&admin, "handlaggare", &["skolval"]).await;
    let (status, _) = app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not visible to handlers while awaiting signatures");
    let (_, list) = app.get("/api/v1/cases", Some(&handler)).await;
    assert!(!list.to_string().contains(&reference), "{list}");
    // Guardian B is told by mail (no name, no number, no content: only the service and Min sida).
    assert_eq!(mails(&app, &reference, "co_signer_signature_requested", Some("karl@example.org")).await, 1);
    assert_eq!(case_mails(&app, &reference).await, 1);
    let notice = delivered_to(&app, "karl@example.org").await;
    assert!(notice.contains("Du har ombetts att skriva under en ansökan i e-tjänsten Tjänst skolval"), "{notice}");
    assert!(notice.contains("/mina-sidor"), "{notice}");
    for private in [reference.as_str(), GUARDIAN_A, GUARDIAN_B, CHILD, "Prova", "Familjesson", "Västra", "Testperson"]
    {
        assert!(!notice.contains(private), "{private} in the co-signer's mail: {notice}");
    }
    let (_, signing) = app.get(&format!("/api/v1/me/cases/{reference}/signing"), Some(&a)).await;
    assert_eq!(signing["outcome"], "awaiting", "{signing}");
    assert_eq!(signing["signatures"][0]["role"], "applicant");
    assert_eq!(signing["signatures"][0]["state"], "signed");
    assert_eq!(signing["signatures"][1]["state"], "pending");
    assert_eq!(signing["signatures"][1]["name"], "Karl-Prov Familjesson");

    // Guardian B alone sees the request: exactly what A signed, and nothing else of the case.
    let b = app.applicant(GUARDIAN_B).await;
    let list = requests(&app, &b).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let request = &list[0];
    // B reads what A signed, except that B is not listed among those who are still to sign.
    let b_summary = summary.replace("Ska också skriva under: Karl-Prov Familjesson\n\n", "");
    assert_ne!(b_summary, summary);
    assert_eq!(request["summary"], b_summary.as_str());
    assert_eq!(request["digest"], digest);
    assert_eq!(request["state"], "pending");
    assert_eq!(request["service_name"], "Tjänst skolval");
    let text = request.to_string();
    assert!(!text.contains(&reference) && !text.contains(GUARDIAN_A), "{text}");
    let mut keys: Vec<&str> = request.as_object().expect("object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["deadline", "digest", "id", "requested_at", "service_name", "state", "summary"]);
    for other in [&a, &app.applicant(ORDINARY_ADULT).await] {
        assert!(requests(&app, other).await.is_empty());
    }
    let id = request["id"].as_str().expect("id");

    // Guardian B signs: the case is submitted now, with the handlers' notice and the confirmation.
    let (status, started) = app.post(&format!("/api/v1/me/signature-requests/{id}/sign"), Some(&b), &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["summary"], b_summary.as_str());
    assert_eq!(started["digest"], digest);
    let (status, done) = sign(&app, &b, started["signing_id"].as_str().expect("id"), GUARDIAN_B).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "complete", "{done}");
    assert_eq!(done["request"]["state"], "signed", "{done}");
    assert_eq!(done["request"]["case_status"]["key"], "inskickat", "B follows the application now: {done}");
    assert!(done.get("case").is_none(), "the co-signer gets no case: {done}");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&a)).await;
    assert_eq!(mine["status"]["key"], "inskickat", "{mine}");
    assert_eq!(mails(&app, &reference, "handler_new_case", Some(HANDLER_MAILBOX)).await, 1);
    assert_eq!(mails(&app, &reference, "service_confirmation", Some("prova@example.org")).await, 1);
    let (status, detail) = app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    assert_eq!(status, StatusCode::OK, "the handlers see it now: {detail}");
    assert_eq!(detail["status"]["key"], "inskickat", "{detail}");
    let (_, signing) = app.get(&format!("/api/v1/me/cases/{reference}/signing"), Some(&a)).await;
    assert_eq!(signing["outcome"], "complete", "{signing}");
    assert_eq!(signing["signatures"][1]["state"], "signed", "{signing}");
    // Stored with its evidence: both signatures carry the digest of the answers.
    assert_eq!(
        query_i64(
            &app,
            &format!(
                "SELECT COUNT(*) AS n FROM case_signatures WHERE state = 'signed' AND provider = 'BankID' \
                 AND signature IS NOT NULL AND ocsp_response IS NOT NULL AND digest = '{digest}'"
            )
        )
        .await,
        2
    );
    // The case's submission time is when the last signature arrived, after the applicant's.
    let submitted_at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(mine["submitted_at"].clone()).expect("submitted_at");
    let first: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(signing["signatures"][0]["decided_at"].clone()).expect("decided_at");
    assert!(submitted_at > first, "{submitted_at} after {first}");
    // Guardian B's request is signed and stays visible to them, with the case's status to
    // follow (and still nothing else of the case).
    let after = &requests(&app, &b).await[0];
    assert_eq!(after["state"], "signed");
    assert_eq!(after["case_status"]["key"], "inskickat", "{after}");
    assert!(!after.to_string().contains(&reference), "{after}");
}

#[tokio::test]
async fn a_third_person_scanning_the_co_signers_order_is_refused_by_the_personnummer_requirement() {
    let Applied { app, b, request, reference, .. } = guardian_a_applies().await;
    let (status, started) =
        app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let sim = control(&app);
    let order = order_for(&sim, GUARDIAN_B);
    assert_eq!(sim.scan(&order, ORDINARY_ADULT), Err(ControlError::NotTheRequiredPerson));
    let (status, polled) = poll(&app, &b, started["signing_id"].as_str().expect("id")).await;
    assert_eq!(status, StatusCode::OK, "{polled}");
    assert_eq!(polled["status"], "failed", "{polled}");
    let (_, view) = app.get(&format!("/api/v1/me/signature-requests/{request}"), Some(&b)).await;
    assert_eq!(view["state"], "pending", "{view}");
    assert_eq!(mails(&app, &reference, "handler_new_case", None).await, 0);
    // The third person has no request to sign.
    let other = app.applicant(ORDINARY_ADULT).await;
    let (status, _) =
        app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&other), &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn when_guardian_b_declines_the_applicant_is_told_and_the_case_never_reaches_the_handlers() {
    let Applied { app, a, b, request, reference } = guardian_a_applies().await;
    let (status, view) = app
        .post(
            &format!("/api/v1/me/signature-requests/{request}/decline"),
            Some(&b),
            &json!({"message": "  Vi behöver prata om skolvalet först.  "}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["state"], "declined", "{view}");
    assert!(view["decided_at"].is_string());
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&a)).await;
    assert_eq!(
        (mine["status"]["key"].as_str(), mine["status"]["kind"].as_str()),
        (Some("ej_inskickat"), Some("awaiting_signatures"))
    );
    let (_, signing) = app.get(&format!("/api/v1/me/cases/{reference}/signing"), Some(&a)).await;
    assert_eq!(signing["outcome"], "declined", "{signing}");
    assert_eq!(signing["signatures"][1]["decline_message"], "Vi behöver prata om skolvalet först.");
    // The applicant's notice, which says neither who nor why; never the handlers'.
    assert_eq!(mails(&app, &reference, "applicant_signing_ended", Some("prova@example.org")).await, 1);
    let notice = delivered_to(&app, "prova@example.org").await;
    assert!(
        notice.contains(&format!("Din ansökan {reference} i e-tjänsten Tjänst skolval har inte skickats in")),
        "{notice}"
    );
    for private in [GUARDIAN_B, "Karl", "prata", "skolvalet"] {
        assert!(!notice.contains(private), "{private} in the applicant's mail: {notice}");
    }
    assert_eq!(mails(&app, &reference, "handler_new_case", None).await, 0);
    assert_eq!(
        query_i64(&app, &format!("SELECT COUNT(*) AS n FROM outbox WHERE recipient = '{HANDLER_MAILBOX}'")).await,
        0
    );
    // Over: neither signing nor declining again.
    let (status, body) = app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("request_not_pending")), "{body}");
    let (status, _) = app.post(&format!("/api/v1/me/signature-requests/{request}/decline"), Some(&b), &json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_attempt_expires_one_second_after_its_deadline_but_not_one_second_before() {
    let Applied { app, a, b, request, reference } = guardian_a_applies().await;
    let (_, signing) = app.get(&format!("/api/v1/me/cases/{reference}/signing"), Some(&a)).await;
    let deadline: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(signing["deadline"].clone()).expect("a deadline");
    let days = (deadline - chrono::Utc::now()).num_hours();
    assert!((14 * 24 - 1..=14 * 24).contains(&days), "14 days from now: {deadline}");

    let ended =
        backend::signing::expire_due(&app.state, deadline - chrono::Duration::seconds(1)).await.expect("expire");
    assert_eq!(ended, 0);
    let (_, view) = app.get(&format!("/api/v1/me/signature-requests/{request}"), Some(&b)).await;
    assert_eq!(view["state"], "pending", "{view}");

    let ended =
        backend::signing::expire_due(&app.state, deadline + chrono::Duration::seconds(1)).await.expect("expire");
    assert_eq!(ended, 1);
    let (_, view) = app.get(&format!("/api/v1/me/signature-requests/{request}"), Some(&b)).await;
    assert_eq!(view["state"], "expired", "{view}");
    let (_, signing) = app.get(&format!("/api/v1/me/cases/{reference}/signing"), Some(&a)).await;
    assert_eq!(signing["outcome"], "expired", "{signing}");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&a)).await;
    assert_eq!(mine["status"]["key"], "ej_inskickat", "{mine}");
    assert_eq!(mails(&app, &reference, "applicant_signing_ended", Some("prova@example.org")).await, 1);
    assert_eq!(mails(&app, &reference, "handler_new_case", None).await, 0);
    // Ending is done once.
    let again = backend::signing::expire_due(&app.state, deadline + chrono::Duration::days(1)).await.expect("expire");
    assert_eq!(again, 0);
    let (status, body) = app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("request_not_pending")), "{body}");
}

#[tokio::test]
async fn the_retention_run_ends_attempts_past_their_deadline_as_of_its_instant() {
    let Applied { app, reference, .. } = guardian_a_applies().await;
    let as_of = chrono::Utc::now() + chrono::Duration::days(15);
    backend::retention::run(&app.state, as_of, "test").await.expect("run");
    let expired = format!(
        "SELECT COUNT(*) AS n FROM cases WHERE reference = '{reference}' AND signing_outcome = 'expired' AND status_key = 'ej_inskickat'"
    );
    assert_eq!(query_i64(&app, &expired).await, 1);
    assert_eq!(mails(&app, &reference, "applicant_signing_ended", Some("prova@example.org")).await, 1);
}

#[tokio::test]
async fn nobody_co_signs_their_own_application() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let signing = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "entered", "personnummer_field": "medsokande"}
    });
    signing_service(&app, &admin, "bygglov", entered_form(), signing).await;
    let me = app.applicant(ORDINARY_ADULT).await;
    let answers = json!({"beskrivning": "Altan", "medsokande": "19780301-2389", "epost": "testa@example.org"});
    let (status, body) = start(&app, &me, "bygglov", answers).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("self_co_signing")), "{body}");
    assert!(control(&app).orders().is_empty(), "no BankID order");
    // Someone else's personnummer: they are asked, by the number the applicant entered.
    let answers = json!({"beskrivning": "Altan", "medsokande": GUARDIAN_B, "epost": "testa@example.org"});
    let (status, started) = start(&app, &me, "bygglov", answers).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["co_signers"], json!(["personen med personnummer 19820601-2398"]), "{started}");
}

#[tokio::test]
async fn a_protected_applicant_gets_the_contact_route_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let protected = app.applicant(SEKRETESSMARKERING).await;
    let (status, body) = start(&app, &protected, "skolval", guardian_answers()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "co_signing_unavailable");
    assert_eq!(body["message"], CONTACT_ROUTE);
    assert!(control(&app).orders().is_empty(), "no BankID order");
    assert_eq!(app.count("cases").await, 0);
    assert_eq!(app.count("case_signatures").await, 0);
    assert_eq!(app.count("outbox").await, 0);
    // The catalogue tells the browser the route beforehand.
    let (_, service) = app.get("/api/v1/catalogue/skolval", None).await;
    assert_eq!(service["signing_contact_route"], CONTACT_ROUTE, "{service}");
}

#[tokio::test]
async fn tampering_with_a_stored_answer_makes_the_co_signature_refused_with_answers_changed() {
    let Applied { app, b, request, reference, .. } = guardian_a_applies().await;
    let tampered = json!({"barn": CHILD, "skola": "ostra", "skolskjuts": false, "epost": "prova@example.org", "epost_vh2": "karl@example.org"});
    // Changed after B started signing: the signature made is refused when it arrives.
    let (status, started) =
        app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    app.state
        .db
        .execute_unprepared(&format!("UPDATE cases SET answers = '{tampered}' WHERE reference = '{reference}'"))
        .await
        .expect("tamper");
    let signing_id = started["signing_id"].as_str().expect("id");
    let (status, body) = sign(&app, &b, signing_id, GUARDIAN_B).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("answers_changed")), "{body}");
    // A poll again answers the same; the request stays pending and nothing reached the handlers.
    let (status, body) = poll(&app, &b, signing_id).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("answers_changed")), "{body}");
    let (_, view) = app.get(&format!("/api/v1/me/signature-requests/{request}"), Some(&b)).await;
    assert_eq!(view["state"], "pending", "{view}");
    assert_eq!(mails(&app, &reference, "handler_new_case", None).await, 0);
    // And no new signature can even start.
    let (status, body) = app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("answers_changed")), "{body}");
}

#[tokio::test]
async fn when_only_the_applicant_signs_the_case_is_submitted_at_once_with_one_signature() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    signing_service(&app, &admin, "bidrag", entered_form(), json!({"requirement": "applicant"})).await;
    let me = app.applicant(ORDINARY_ADULT).await;
    let answers = json!({"beskrivning": "Föreningsbidrag", "medsokande": GUARDIAN_B, "epost": "testa@example.org"});
    let case = applicant_signs(&app, &me, "bidrag", answers, ORDINARY_ADULT).await;
    assert_eq!(case["status"]["key"], "inskickat", "{case}");
    let reference = case["reference"].as_str().expect("reference");
    assert_eq!(app.count("case_signatures").await, 1);
    let (_, signing) = app.get(&format!("/api/v1/me/cases/{reference}/signing"), Some(&me)).await;
    assert_eq!(signing["outcome"], "complete", "{signing}");
    assert!(signing.get("deadline").is_none(), "{signing}");
    assert_eq!(signing["signatures"].as_array().map(Vec::len), Some(1));
    assert_eq!(signing["signatures"][0]["name"], "Testa Exempelsson", "{signing}");
    assert_eq!(mails(&app, reference, "handler_new_case", Some(HANDLER_MAILBOX)).await, 1);
    assert_eq!(mails(&app, reference, "service_confirmation", Some("testa@example.org")).await, 1);
    // The entered personnummer is an answer here, not a co-signer.
    assert!(requests(&app, &app.applicant(GUARDIAN_B).await).await.is_empty());
}

#[tokio::test]
async fn a_plain_submission_to_a_signing_service_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let a = app.applicant(GUARDIAN_A).await;
    let (status, body) = app.submit("skolval", Some(&a), 1, guardian_answers(), None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("signature_required")), "{body}");
    let (status, draft) =
        app.post("/api/v1/catalogue/skolval/drafts", Some(&a), &json!({"answers": guardian_answers()})).await;
    if status == StatusCode::CREATED {
        let id = draft["id"].as_str().expect("draft id");
        let (status, body) = app.post(&format!("/api/v1/me/drafts/{id}/submit"), Some(&a), &json!({})).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("signature_required")), "{body}");
    }
    assert_eq!(app.count("cases").await, 0);
    // And a service without signing takes no signature.
    app.published_service(&admin, "vanlig", crate::helpers::sample_form(), false).await;
    let (status, body) = start(&app, &a, "vanlig", crate::helpers::sample_answers()).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("signing_not_required")), "{body}");
}

#[tokio::test]
async fn a_completed_signature_polled_again_answers_the_same_case_and_its_key_makes_no_second_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let a = app.applicant(GUARDIAN_A).await;
    let start_with_key = || {
        app.client
            .post(format!("{}/api/v1/catalogue/skolval/signings", app.address))
            .bearer_auth(&a)
            .header("Idempotency-Key", "signera-1")
            .json(&json!({"form_version": 1, "answers": guardian_answers()}))
            .send()
    };
    let (status, started) = crate::helpers::json_of(start_with_key().await.expect("start")).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let signing_id = started["signing_id"].as_str().expect("id");
    let (_, first) = sign(&app, &a, signing_id, GUARDIAN_A).await;
    assert_eq!(first["status"], "complete", "{first}");
    for _ in 0..2 {
        let (status, again) = poll(&app, &a, signing_id).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["case"]["reference"], first["case"]["reference"], "{again}");
    }
    assert_eq!(app.count("cases").await, 1);
    // The same key again: the answers were signed and sent already.
    let (status, body) = crate::helpers::json_of(start_with_key().await.expect("start")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("already_submitted")), "{body}");
    assert_eq!(app.count("cases").await, 1);
}

#[tokio::test]
async fn unknown_and_other_peoples_requests_and_signatures_are_not_found_and_a_long_decline_message_is_refused() {
    let Applied { app, a, b, request, .. } = guardian_a_applies().await;
    let unknown = uuid::Uuid::now_v7();
    let (status, _) = app.get(&format!("/api/v1/me/signature-requests/{unknown}"), Some(&b)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The applicant may not read, sign or decline the request meant for guardian B.
    let (status, _) = app.get(&format!("/api/v1/me/signature-requests/{request}"), Some(&a)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&a), &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.post(&format!("/api/v1/me/signature-requests/{request}/decline"), Some(&a), &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .post(
            &format!("/api/v1/me/signature-requests/{request}/decline"),
            Some(&b),
            &json!({"message": "x".repeat(1001)}),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("message_too_long")), "{body}");
    let (_, view) = app.get(&format!("/api/v1/me/signature-requests/{request}"), Some(&b)).await;
    assert_eq!(view["state"], "pending", "{view}");
    // A signature is polled and cancelled only by who started it.
    let (status, started) =
        app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let signing_id = started["signing_id"].as_str().expect("id");
    assert_eq!(poll(&app, &a, signing_id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/v1/signings/{signing_id}"), Some(&a)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/v1/signings/{signing_id}"), Some(&b)).await.0, StatusCode::NO_CONTENT);
    assert_eq!(poll(&app, &b, signing_id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(poll(&app, &b, "no-such-signing").await.0, StatusCode::NOT_FOUND);
    // Without a login nothing answers.
    assert_eq!(app.get("/api/v1/me/signature-requests", None).await.0, StatusCode::UNAUTHORIZED);
    // A case that was not signed has no signing to show.
    let (status, _) = app.get("/api/v1/me/cases/NOPE-2026-000001/signing", Some(&a)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_child_field_in_any_form_must_name_a_child_of_the_applicant_in_the_register() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let form = json!({"pages": [{"key": "p", "title": "Barnet", "fields": [
        {"key": "barn", "label": "Barn", "required": true, "kind": {"type": "child"}}
    ]}]});
    app.published_service(&admin, "fritids", form, false).await;
    let parent = app.applicant(GUARDIAN_A).await;
    let (status, body) = app.submit("fritids", Some(&parent), 1, json!({"barn": CHILD}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let stranger = app.applicant(ORDINARY_ADULT).await;
    let (status, body) = app.submit("fritids", Some(&stranger), 1, json!({"barn": CHILD}), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("child_not_in_register")),
        "{body}"
    );
    assert_eq!(app.count("cases").await, 1);
}

#[tokio::test]
async fn the_development_page_lists_the_co_signers_order_with_its_text_and_offers_them_first() {
    let Applied { app, b, request, .. } = guardian_a_applies().await;
    let (status, started) =
        app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let html =
        app.client.get(format!("{}/dev/bankid", app.address)).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Underskrift, startad för"), "{html}");
    assert!(html.contains("Får bara slutföras av</dt><dd>Karl-Prov Familjesson (19820601-2398)"), "{html}");
    assert!(html.contains("Ska också skriva under: Karl-Prov Familjesson"), "the text to sign is shown: {html}");
    let pending = &html[..html.find("Avslutade ordrar").expect("finished orders")];
    let first_scan = pending.find("Skanna som ").expect("a scan button");
    assert!(pending[first_scan..].starts_with("Skanna som Karl-Prov Familjesson (19820601-2398)"), "{pending}");
    // Scanned and confirmed there, as a person in a browser would, it completes.
    let order = order_for(&control(&app), GUARDIAN_B);
    for fields in [
        vec![("order_ref", order.clone()), ("action", "scan".to_string()), ("person", GUARDIAN_B.to_string())],
        vec![("order_ref", order.clone()), ("action", "confirm".to_string())],
    ] {
        let r = app.client.post(format!("{}/dev/bankid", app.address)).form(&fields).send().await.expect("post");
        assert!(r.text().await.expect("html").contains("Klart."));
    }
    let (_, done) = poll(&app, &b, started["signing_id"].as_str().expect("id")).await;
    assert_eq!(done["status"], "complete", "{done}");
}

#[tokio::test]
async fn no_personnummer_of_the_family_reaches_the_logs() {
    let Applied { app, b, request, .. } = guardian_a_applies().await;
    let (_, started) = app.post(&format!("/api/v1/me/signature-requests/{request}/sign"), Some(&b), &json!({})).await;
    let (_, done) = sign(&app, &b, started["signing_id"].as_str().expect("id"), GUARDIAN_B).await;
    assert_eq!(done["status"], "complete", "{done}");
    let logs = crate::helpers::captured_logs();
    // The logs are captured (this very signature's line is there), so their silence below means something.
    assert!(logs.contains("the last co-signer signed; case submitted"), "the signing's log lines are captured");
    for number in [GUARDIAN_A, GUARDIAN_B, CHILD] {
        assert!(!logs.contains(number), "{number} in the logs");
    }
    assert!(!logs.contains("Familjesson"), "a name in the logs");
}

#[tokio::test]
async fn publishing_a_form_that_lacks_the_fields_the_signing_settings_name_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut input = service_input("skolval", false);
    input["signing"] = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "register_guardians", "child_field": "barn"}
    });
    let (status, body) = app.post("/api/v1/services", Some(&admin), &input).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = app
        .post("/api/v1/services/skolval/forms", Some(&admin), &json!({"definition": crate::helpers::sample_form()}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.ready_to_publish(&admin, "skolval").await;
    let (status, body) = app.post("/api/v1/services/skolval/forms/1/publish", Some(&admin), &json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_signing")), "{body}");
    // Nor may a service's settings change to name a field its published form lacks.
    app.published_service(&admin, "annan", crate::helpers::sample_form(), false).await;
    let mut input = service_input("annan", false);
    input["signing"] = json!({"requirement": "applicant_and_co_signers", "co_signers": {"source": "entered", "personnummer_field": "saknas"}});
    let (status, body) = app.put("/api/v1/services/annan", Some(&admin), &input).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_signing")), "{body}");
    // The form's own personnummer field fits.
    input["signing"] = json!({"requirement": "applicant_and_co_signers", "co_signers": {"source": "entered", "personnummer_field": "barn"}});
    let (status, body) = app.put("/api/v1/services/annan", Some(&admin), &input).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Asserts that a start was refused with `status` and `code`, and that nothing happened:
/// no BankID order, no case, no signature row, no mail.
async fn refused_and_nothing_stored(app: &TestApp, (status, body): (StatusCode, Value), want: (StatusCode, &str)) {
    assert_eq!((status, body["code"].as_str()), (want.0, Some(want.1)), "{body}");
    assert!(control(app).orders().is_empty(), "no BankID order");
    assert_eq!(app.count("cases").await, 0);
    assert_eq!(app.count("case_signatures").await, 0);
    assert_eq!(app.count("outbox").await, 0);
}

#[tokio::test]
async fn an_unanswered_or_hidden_co_signer_field_is_refused_with_co_signer_required_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // The co-signer's personnummer is asked only when the applicant says there is one.
    let form = json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "beskrivning", "label": "Vad gäller ansökan?", "required": true, "kind": {"type": "short_text"}},
        {"key": "har_medsokande", "label": "Söker du med någon?", "required": true, "kind": {"type": "yes_no"}},
        {"key": "medsokande", "label": "Medsökandes personnummer", "kind": {"type": "personnummer"},
         "condition": {"op": "equals", "field": "har_medsokande", "value": true}},
        {"key": "epost", "label": "Din e-post", "required": true, "autocomplete": "email", "kind": {"type": "email"}}
    ]}]});
    let signing = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "entered", "personnummer_field": "medsokande"}
    });
    signing_service(&app, &admin, "bygglov", form, signing).await;
    let me = app.applicant(ORDINARY_ADULT).await;
    let unanswered = json!({"beskrivning": "Altan", "har_medsokande": true, "epost": "testa@example.org"});
    let hidden = json!({"beskrivning": "Altan", "har_medsokande": false, "medsokande": GUARDIAN_B, "epost": "testa@example.org"});
    for answers in [unanswered, hidden] {
        let refused = start(&app, &me, "bygglov", answers).await;
        assert!(
            refused.1["message"].as_str().is_some_and(
                |m| m.contains("the form must name who co-signs") && m.contains("Medsökandes personnummer")
            ),
            "{}",
            refused.1
        );
        refused_and_nothing_stored(&app, refused, (StatusCode::UNPROCESSABLE_ENTITY, "co_signer_required")).await;
    }
    // The register flow without a chosen child is refused the same way.
    let mut form = guardian_form();
    form["pages"][0]["fields"][0]["required"] = json!(false);
    let signing = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "register_guardians", "child_field": "barn"},
        "contact_route": CONTACT_ROUTE
    });
    signing_service(&app, &admin, "skolval", form, signing).await;
    let a = app.applicant(GUARDIAN_A).await;
    let mut answers = guardian_answers();
    answers.as_object_mut().expect("object").remove("barn");
    let refused = start(&app, &a, "skolval", answers).await;
    assert!(refused.1["message"].as_str().is_some_and(|m| m.contains("'Barn'")), "{}", refused.1);
    refused_and_nothing_stored(&app, refused, (StatusCode::UNPROCESSABLE_ENTITY, "co_signer_required")).await;
}

#[tokio::test]
async fn a_protected_child_and_a_protected_second_guardian_each_give_the_contact_route_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let c = app.applicant(GUARDIAN_C).await;
    for child in [PROTECTED_CHILD, CHILD_OF_PROTECTED_GUARDIAN] {
        let mut answers = guardian_answers();
        answers["barn"] = json!(child);
        let refused = start(&app, &c, "skolval", answers).await;
        assert_eq!(refused.1["message"], CONTACT_ROUTE, "{}", refused.1);
        let text = refused.1.to_string();
        assert!(!text.contains("Skydd") && !text.contains("Dolda") && !text.contains(child), "{text}");
        refused_and_nothing_stored(&app, refused, (StatusCode::CONFLICT, "co_signing_unavailable")).await;
    }
}

#[tokio::test]
async fn a_guardian_without_a_personnummer_gives_co_signing_unavailable_rather_than_sole_custody() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let c = app.applicant(GUARDIAN_C).await;
    let mut answers = guardian_answers();
    answers["barn"] = json!(CHILD_WITH_GUARDIAN_ABROAD);
    let refused = start(&app, &c, "skolval", answers).await;
    assert_eq!(refused.1["message"], CONTACT_ROUTE, "{}", refused.1);
    refused_and_nothing_stored(&app, refused, (StatusCode::CONFLICT, "co_signing_unavailable")).await;
}

#[tokio::test]
async fn a_child_whose_own_record_does_not_name_the_applicant_as_guardian_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    // Guardian C's record lists CHILD, but CHILD's record names only guardians A and B.
    let c = app.applicant(GUARDIAN_C).await;
    let refused = start(&app, &c, "skolval", guardian_answers()).await;
    refused_and_nothing_stored(&app, refused, (StatusCode::UNPROCESSABLE_ENTITY, "child_not_in_register")).await;
}

#[tokio::test]
async fn a_second_start_by_the_same_applicant_replaces_the_first_and_cancels_its_bankid_order() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    guardian_service(&app, &admin, "skolval").await;
    let a = app.applicant(GUARDIAN_A).await;
    let sim = control(&app);
    let (status, first) = start(&app, &a, "skolval", guardian_answers()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let first_id = first["signing_id"].as_str().expect("id");
    let first_order = order_for(&sim, GUARDIAN_A);
    let mut changed = guardian_answers();
    changed["skola"] = json!("ostra");
    let (status, second) = start(&app, &a, "skolval", changed.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let second_id = second["signing_id"].as_str().expect("id");
    assert_ne!(first_id, second_id);
    // The first is gone, here and at BankID; only the second's order is left.
    assert_eq!(poll(&app, &a, first_id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/v1/signings/{first_id}"), Some(&a)).await.0, StatusCode::NOT_FOUND);
    let orders = sim.orders();
    assert!(orders.iter().all(|o| o.order_ref != first_order), "the first order is cancelled");
    assert_eq!(orders.len(), 1, "one order");
    assert_eq!(app.state.signings.in_progress(), 1, "one signature remembered for the person");
    // Starting again and again keeps one.
    for _ in 0..3 {
        let (status, again) = start(&app, &a, "skolval", changed.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{again}");
    }
    assert_eq!(app.state.signings.in_progress(), 1);
    assert_eq!(sim.orders().len(), 1);
    assert_eq!(poll(&app, &a, second_id).await.0, StatusCode::NOT_FOUND);
    // The newest completes: one case, with the newest answers.
    let (status, latest) = start(&app, &a, "skolval", changed).await;
    assert_eq!(status, StatusCode::CREATED, "{latest}");
    let (status, done) = sign(&app, &a, latest["signing_id"].as_str().expect("id"), GUARDIAN_A).await;
    assert_eq!((status, done["status"].as_str()), (StatusCode::OK, Some("complete")), "{done}");
    assert_eq!(app.count("cases").await, 1);
    let reference = done["case"]["reference"].as_str().expect("reference");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&a)).await;
    assert_eq!(mine["answers"]["skola"], "ostra", "{mine}");
}

#[tokio::test]
async fn a_guardian_registered_at_the_applicants_address_is_not_asked_when_the_service_allows_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Guardians A and B are registered at the same address (FAMILJEGATAN 5).
    let signing = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "register_guardians", "child_field": "barn"},
        "co_signer_email_field": "epost_vh2",
        "skip_when_same_address": true
    });
    signing_service(&app, &admin, "skolval", guardian_form(), signing).await;
    let a = app.applicant(GUARDIAN_A).await;
    let (status, started) = start(&app, &a, "skolval", guardian_answers()).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert!(started.get("co_signers").is_none(), "nobody else is asked: {started}");
    let (status, done) = sign(&app, &a, started["signing_id"].as_str().expect("id"), GUARDIAN_A).await;
    assert_eq!((status, &done["status"]), (StatusCode::OK, &json!("complete")), "{done}");
    assert_eq!(done["case"]["status"]["key"], "inskickat", "{done}");
    assert_eq!(app.count("case_signatures").await, 1);
    assert!(requests(&app, &app.applicant(GUARDIAN_B).await).await.is_empty());
    let reference = done["case"]["reference"].as_str().expect("reference");
    assert_eq!(mails(&app, reference, "co_signer_signature_requested", None).await, 0);
    assert_eq!(mails(&app, reference, "handler_new_case", Some(HANDLER_MAILBOX)).await, 1);
}

#[tokio::test]
async fn an_entered_co_signer_finds_the_request_signs_it_and_the_case_is_submitted() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let signing = json!({
        "requirement": "applicant_and_co_signers",
        "co_signers": {"source": "entered", "personnummer_field": "medsokande"}
    });
    signing_service(&app, &admin, "bygglov", entered_form(), signing).await;
    let me = app.applicant(ORDINARY_ADULT).await;
    let answers = json!({"beskrivning": "Altan", "medsokande": GUARDIAN_B, "epost": "testa@example.org"});
    let case = applicant_signs(&app, &me, "bygglov", answers, ORDINARY_ADULT).await;
    assert_eq!(case["status"]["kind"], "awaiting_signatures", "{case}");
    let reference = case["reference"].as_str().expect("reference").to_string();
    assert_eq!(mails(&app, &reference, "handler_new_case", None).await, 0);

    let co_signer = app.applicant(GUARDIAN_B).await;
    let list = requests(&app, &co_signer).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let id = list[0]["id"].as_str().expect("id");
    assert!(list[0]["summary"].as_str().expect("summary").contains("Altan"), "{list:?}");
    let (status, started) =
        app.post(&format!("/api/v1/me/signature-requests/{id}/sign"), Some(&co_signer), &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let (status, done) = sign(&app, &co_signer, started["signing_id"].as_str().expect("id"), GUARDIAN_B).await;
    assert_eq!((status, &done["request"]["state"]), (StatusCode::OK, &json!("signed")), "{done}");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&me)).await;
    assert_eq!(mine["status"]["key"], "inskickat", "{mine}");
    let (_, signing) = app.get(&format!("/api/v1/me/cases/{reference}/signing"), Some(&me)).await;
    assert_eq!(signing["outcome"], "complete", "{signing}");
    // The co-signer's name is known once they have signed with their e-ID.
    assert_eq!(signing["signatures"][1]["state"], "signed", "{signing}");
    assert!(signing["signatures"][1]["name"].as_str().is_some_and(|n| !n.is_empty()), "{signing}");
    assert_eq!(mails(&app, &reference, "handler_new_case", Some(HANDLER_MAILBOX)).await, 1);
}
