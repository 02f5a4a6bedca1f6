//! BankID: the production client against the loopback simulator over real
//! mutual TLS, through the login API (start, poll, cancel), the signing entry
//! point, and the simulator's development page.

use std::time::Duration;

use backend::config::{BankIdSettings, IntegrationMode};
use backend::eid::bankid::client::{AuthRequest, BankIdClient, BankIdError, ErrorCode};
use backend::eid::bankid::messages::{Flow, Rfa};
use backend::eid::bankid::service::{COLLECT_INTERVAL, SignError};
use backend::eid::bankid::simulator::{ControlError, SimulatorControl};
use backend::eid::bankid::{BankIdSimulator, qr};
use backend::eid::tls::{TestPki, client_config_from_pem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Personnummer;

use crate::helpers::{APPLICANT, OTHER_APPLICANT, Options, TestApp, spawn_app, spawn_app_with};

const LOCALHOST: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

fn control(app: &TestApp) -> SimulatorControl {
    app.state.bankid.as_ref().expect("BankID on").simulator().expect("simulator mode").control.clone()
}

fn latest_order(control: &SimulatorControl) -> String {
    control.latest_order().expect("an order at the simulator").order_ref
}

async fn start_login(app: &TestApp, same_device: bool) -> String {
    let (status, body) = app.post("/api/v1/auth/bankid", None, &json!({"same_device": same_device})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["auto_start_token"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    body["login_id"].as_str().expect("login_id").to_string()
}

async fn poll(app: &TestApp, login_id: &str) -> (StatusCode, Value) {
    app.get(&format!("/api/v1/auth/bankid/{login_id}"), None).await
}

/// Waits until the next poll may call `collect` again.
async fn next_collect() {
    tokio::time::sleep(COLLECT_INTERVAL + Duration::from_millis(100)).await;
}

fn assert_message(body: &Value, rfa: Rfa) {
    let m = rfa.message();
    assert_eq!(body["message"]["rfa"], m.rfa, "{body}");
    assert_eq!(body["message"]["sv"], m.sv, "{body}");
    assert_eq!(body["message"]["en"], m.en, "{body}");
}

#[tokio::test]
async fn a_test_person_logs_in_with_bankid_through_the_api_and_the_token_works() {
    let app = spawn_app().await;
    let sim = control(&app);
    let id = start_login(&app, false).await;

    let (status, body) = poll(&app, &id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "pending");
    assert_eq!(body["hint_code"], "outstandingTransaction");
    assert_message(&body, Rfa::Rfa1);
    let qr_data = body["qr_data"].as_str().expect("a QR code while waiting for a scan");
    assert!(qr_data.starts_with("bankid."), "{qr_data}");
    assert!(body["qr_svg"].as_str().is_some_and(|s| s.starts_with("<svg") && s.ends_with("</svg>")));
    assert!(body.get("token").is_none());

    // The test person scans the QR code the API gave out: the simulator checks its HMAC like the app.
    sim.scan_qr(qr_data, APPLICANT).expect("the QR code verifies");
    next_collect().await;
    let (_, body) = poll(&app, &id).await;
    assert_eq!((body["status"].as_str(), body["hint_code"].as_str()), (Some("pending"), Some("started")), "{body}");
    assert_message(&body, Rfa::Rfa15A);
    assert!(body.get("qr_data").is_none() && body.get("qr_svg").is_none(), "no QR code once scanned: {body}");

    sim.user_sign(&latest_order(&sim)).expect("user sign");
    next_collect().await;
    let (_, body) = poll(&app, &id).await;
    assert_eq!(body["hint_code"], "userSign");
    assert_message(&body, Rfa::Rfa9);

    sim.confirm(&latest_order(&sim)).expect("confirm");
    next_collect().await;
    let (status, body) = poll(&app, &id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "complete");
    assert!(body.get("message").is_none());
    let token = body["token"]["access_token"].as_str().expect("a token on completion").to_string();
    assert_eq!(body["token"]["token_type"], "Bearer");

    let claims = app.state.tokens.verify(&token).expect("the token verifies");
    let claims = serde_json::to_value(claims).expect("claims");
    assert_eq!(claims["idp"], "bankid", "{claims}");
    assert_eq!(claims["loa"], "http://id.elegnamnden.se/loa/1.0/loa3", "{claims}");
    let (status, body) = app.get("/api/v1/me/cases", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The token is given out once: the login is then forgotten.
    assert_eq!(poll(&app, &id).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_same_device_login_shows_the_same_device_messages_and_no_qr_code() {
    let app = spawn_app().await;
    let sim = control(&app);
    let id = start_login(&app, true).await;
    let (_, body) = poll(&app, &id).await;
    assert_message(&body, Rfa::Rfa13);
    assert!(body.get("qr_data").is_none(), "{body}");
    sim.scan(&latest_order(&sim), OTHER_APPLICANT).expect("scan");
    next_collect().await;
    let (_, body) = poll(&app, &id).await;
    assert_message(&body, Rfa::Rfa15B);
}

#[tokio::test]
async fn each_failure_ends_the_login_with_its_recommended_message() {
    let app = spawn_app().await;
    let sim = control(&app);
    let cases = [
        ("userCancel", false, Rfa::Rfa6),
        ("expiredTransaction", false, Rfa::Rfa8),
        ("startFailed", false, Rfa::Rfa17B),
        ("startFailed", true, Rfa::Rfa17A),
        ("certificateErr", false, Rfa::Rfa16),
        ("somethingBankIdAddsLater", false, Rfa::Rfa22),
    ];
    for (hint, same_device, rfa) in cases {
        let id = start_login(&app, same_device).await;
        let order = latest_order(&sim);
        if hint == "userCancel" {
            sim.scan(&order, APPLICANT).expect("scan");
            sim.cancel_by_user(&order).expect("cancel");
        } else {
            sim.fail(&order, hint).expect("fail");
        }
        let (status, body) = poll(&app, &id).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "failed", "{hint}: {body}");
        assert_eq!(body["hint_code"], hint);
        assert_message(&body, rfa);
        assert!(body.get("qr_data").is_none() && body.get("token").is_none(), "{body}");
        // A failed login stays failed, without asking BankID again.
        assert_eq!(poll(&app, &id).await.1, body);
    }
}

#[tokio::test]
async fn an_order_nobody_scans_expires_with_the_not_responding_message() {
    let app = spawn_app().await;
    let sim = control(&app);
    sim.set_order_ttl(Duration::from_millis(500));
    let id = start_login(&app, false).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let (_, body) = poll(&app, &id).await;
    assert_eq!((body["status"].as_str(), body["hint_code"].as_str()), (Some("failed"), Some("expiredTransaction")));
    assert_message(&body, Rfa::Rfa8);
}

#[tokio::test]
async fn an_order_already_in_progress_is_refused_with_rfa4() {
    let app = spawn_app().await;
    control(&app).fail_next_request(ErrorCode::AlreadyInProgress);
    let (status, body) = app.post("/api/v1/auth/bankid", None, &json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "bankid_already_in_progress");
    assert_eq!(body["message"], Rfa::Rfa4.message().en);
}

#[tokio::test]
async fn maintenance_or_an_internal_error_at_bankid_asks_the_user_to_try_again_later() {
    let app = spawn_app().await;
    for code in [ErrorCode::Maintenance, ErrorCode::InternalError] {
        control(&app).fail_next_request(code);
        let (status, body) = app.post("/api/v1/auth/bankid", None, &json!({})).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["code"], "bankid_unavailable");
        assert_eq!(body["message"], Rfa::Rfa5.message().en);
    }
    // Then BankID works again.
    start_login(&app, false).await;
}

#[tokio::test]
async fn the_qr_code_changes_every_second_and_verifies_with_the_order_secret() {
    let app = spawn_app().await;
    let sim = control(&app);
    let id = start_login(&app, false).await;
    let first = poll(&app, &id).await.1["qr_data"].as_str().expect("qr").to_string();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = poll(&app, &id).await.1["qr_data"].as_str().expect("qr").to_string();
    assert_ne!(first, second);
    let (a, b) = (qr::parse(&first).expect("parses"), qr::parse(&second).expect("parses"));
    assert_eq!(a.qr_start_token, b.qr_start_token);
    assert!(b.seconds > a.seconds, "{first} then {second}");
    let secret = sim.qr_start_secret(&latest_order(&sim)).expect("secret");
    assert!(a.verifies_with(&secret) && b.verifies_with(&secret));
    // A code with a changed second is refused by the "app"; the real one is accepted.
    let forged = second.replacen(&format!(".{}.", b.seconds), &format!(".{}.", b.seconds + 1), 1);
    assert!(matches!(sim.scan_qr(&forged, APPLICANT), Err(ControlError::InvalidQrCode(_))));
    sim.scan_qr(&second, APPLICANT).expect("the real code verifies");
}

#[tokio::test]
async fn polling_asks_bankid_at_most_once_a_second() {
    let app = spawn_app().await;
    let sim = control(&app);
    let id = start_login(&app, false).await;
    assert_eq!(poll(&app, &id).await.1["hint_code"], "outstandingTransaction");
    sim.scan(&latest_order(&sim), APPLICANT).expect("scan");
    // Polled again at once: the last answer (BankID is not asked), with a fresh QR code.
    let (_, body) = poll(&app, &id).await;
    assert_eq!(body["hint_code"], "outstandingTransaction", "{body}");
    assert!(body["qr_data"].is_string());
    next_collect().await;
    assert_eq!(poll(&app, &id).await.1["hint_code"], "started");
}

#[tokio::test]
async fn a_cancelled_login_is_cancelled_at_bankid_and_forgotten() {
    let app = spawn_app().await;
    let sim = control(&app);
    let id = start_login(&app, false).await;
    assert_eq!(sim.orders().len(), 1);
    let path = format!("/api/v1/auth/bankid/{id}");
    let (status, body) = app.send(reqwest::Method::DELETE, &path, None, &json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(sim.orders().is_empty(), "the order is cancelled at BankID");
    assert_eq!(poll(&app, &id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.send(reqwest::Method::DELETE, &path, None, &json!({})).await.0, StatusCode::NOT_FOUND);
    let (status, body) = poll(&app, "no-such-login").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn bankid_order_references_and_qr_secrets_never_appear_in_api_responses() {
    let app = spawn_app().await;
    let sim = control(&app);
    let mut bodies = Vec::new();
    let (_, started) = app.post("/api/v1/auth/bankid", None, &json!({})).await;
    let id = started["login_id"].as_str().expect("login_id").to_string();
    bodies.push(started.to_string());
    let order = latest_order(&sim);
    let secret = sim.qr_start_secret(&order).expect("secret");
    bodies.push(poll(&app, &id).await.1.to_string());
    sim.scan(&order, APPLICANT).expect("scan");
    next_collect().await;
    bodies.push(poll(&app, &id).await.1.to_string());
    sim.confirm(&order).expect("confirm");
    next_collect().await;
    bodies.push(poll(&app, &id).await.1.to_string());
    assert!(bodies.last().is_some_and(|b| b.contains("access_token")));
    for body in &bodies {
        for secret_thing in
            [order.as_str(), secret.as_str(), "orderRef", "order_ref", "qrStartSecret", "qr_start_secret"]
        {
            assert!(!body.contains(secret_thing), "{secret_thing} leaked in {body}");
        }
    }
    assert_ne!(id, order);
}

#[tokio::test]
async fn the_simulator_refuses_clients_without_a_certificate_from_its_ca() {
    let pki = TestPki::generate("relying-party").expect("pki");
    let (handle, _control) = BankIdSimulator::start(&pki).expect("simulator");
    let request = AuthRequest::new(LOCALHOST);

    // The relying party's certificate is accepted: the same calls work.
    let good = BankIdClient::new(&handle.base_url, pki.client_config().expect("tls")).expect("client");
    good.auth(&request).await.expect("a client certificate from the simulator's CA is accepted");

    // A certificate from another CA is refused in the TLS handshake.
    let other = TestPki::generate("intruder").expect("pki");
    let foreign = client_config_from_pem(
        other.client_cert_pem.as_bytes(),
        other.client_key_pem.as_bytes(),
        pki.ca_pem.as_bytes(),
    )
    .expect("tls");
    let intruder = BankIdClient::new(&handle.base_url, foreign).expect("client");
    let err = intruder.auth(&request).await.expect_err("refused");
    assert!(matches!(err, BankIdError::Transport(_)), "{err}");

    // So is a client without a certificate.
    let anonymous = BankIdClient::new(&handle.base_url, pki.anonymous_client_config().expect("tls")).expect("client");
    assert!(matches!(anonymous.auth(&request).await, Err(BankIdError::Transport(_))));
    handle.stop().await;
}

#[tokio::test]
async fn the_simulator_answers_bad_requests_with_bankid_error_codes() {
    let pki = TestPki::generate("relying-party").expect("pki");
    let (handle, _control) = BankIdSimulator::start(&pki).expect("simulator");
    let client = BankIdClient::new(&handle.base_url, pki.client_config().expect("tls")).expect("client");
    let err = client.collect("no-such-order").await.expect_err("unknown order");
    assert_eq!(err.code(), Some(&ErrorCode::InvalidParameters), "{err}");
    let mut bad_ip = AuthRequest::new(LOCALHOST);
    bad_ip.end_user_ip = "not an address".into();
    assert_eq!(client.auth(&bad_ip).await.expect_err("bad ip").code(), Some(&ErrorCode::InvalidParameters));
    handle.stop().await;
}

#[tokio::test]
async fn a_signature_bound_to_a_person_completes_for_that_person_with_evidence() {
    let app = spawn_app().await;
    let sim = control(&app);
    let bankid = app.state.bankid.clone().expect("BankID on");
    let signer = Personnummer::parse(APPLICANT).expect("pnr");
    let order = bankid
        .start_sign(LOCALHOST, &signer, "# Ansökan\nJag intygar att uppgifterna är riktiga.", b"digest")
        .await
        .expect("sign started");
    assert!(qr::parse(&order.qr_data()).is_some());
    let summary = sim.latest_order().expect("order");
    assert_eq!(summary.required_personnummer.as_deref(), Some(APPLICANT));
    assert!(summary.visible_text.as_deref().is_some_and(|t| t.starts_with("# Ansökan")));
    sim.scan(&summary.order_ref, APPLICANT).expect("scan");
    sim.confirm(&summary.order_ref).expect("confirm");
    let evidence = bankid.wait_for_signature(&order).await.expect("signed");
    assert_eq!(evidence.personnummer.as_digits(), APPLICANT);
    use base64::Engine;
    let xml = base64::engine::general_purpose::STANDARD.decode(&evidence.signature).expect("base64 signature");
    assert!(String::from_utf8_lossy(&xml).contains("usrNonVisibleData"));
    assert!(!evidence.ocsp_response.is_empty());
    assert!(evidence.signed_at <= chrono::Utc::now());
}

#[tokio::test]
async fn a_signature_bound_to_another_personnummer_fails() {
    let app = spawn_app().await;
    let sim = control(&app);
    let bankid = app.state.bankid.clone().expect("BankID on");
    let signer = Personnummer::parse(APPLICANT).expect("pnr");
    let order = bankid.start_sign(LOCALHOST, &signer, "Godkänn", b"digest").await.expect("sign started");
    let order_ref = latest_order(&sim);
    assert_eq!(sim.scan(&order_ref, OTHER_APPLICANT), Err(ControlError::NotTheRequiredPerson));
    assert!(sim.confirm(&order_ref).is_err(), "the other person cannot complete it");
    let err = bankid.wait_for_signature(&order).await.expect_err("no signature");
    assert!(matches!(&err, SignError::Failed { hint_code: Some(h) } if h == "userCancel"), "{err}");
    assert_eq!(err.message(Flow::QrCode), Rfa::Rfa6);
}

#[tokio::test]
async fn a_second_order_for_the_same_person_is_refused_with_already_in_progress() {
    let app = spawn_app().await;
    let bankid = app.state.bankid.clone().expect("BankID on");
    let signer = Personnummer::parse(APPLICANT).expect("pnr");
    let first = bankid.start_sign(LOCALHOST, &signer, "Första", b"1").await.expect("first");
    let err = bankid.start_sign(LOCALHOST, &signer, "Andra", b"2").await.expect_err("second refused");
    assert!(matches!(&err, SignError::BankId(e) if e.code() == Some(&ErrorCode::AlreadyInProgress)), "{err}");
    assert_eq!(err.message(Flow::QrCode), Rfa::Rfa4);
    // As at BankID, the order in progress is cancelled too.
    let err = bankid.wait_for_signature(&first).await.expect_err("cancelled");
    assert!(matches!(&err, SignError::Failed { hint_code: Some(h) } if h == "cancelled"), "{err}");
    assert_eq!(err.message(Flow::QrCode), Rfa::Rfa3);
}

#[tokio::test]
async fn the_development_page_lets_a_person_walk_through_a_login() {
    let app = spawn_app().await;
    let id = start_login(&app, false).await;
    let page = |app: &TestApp| {
        let url = format!("{}/dev/bankid", app.address);
        let client = app.client.clone();
        async move {
            let r = client.get(url).send().await.expect("page");
            (r.status(), r.text().await.expect("html"))
        }
    };
    let (status, html) = page(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"sv\">") && html.contains("<h1>BankID-simulator</h1>"));
    assert!(html.contains("Skanna som Tolva Testperson (18900101-9802)"), "{html}");
    let order = latest_order(&control(&app));
    let act = |fields: Vec<(&'static str, String)>| {
        let url = format!("{}/dev/bankid", app.address);
        let client = app.client.clone();
        async move { client.post(url).form(&fields).send().await.expect("post") }
    };
    let r = act(vec![("order_ref", order.clone()), ("action", "scan".into()), ("person", APPLICANT.into())]).await;
    assert_eq!(r.status(), StatusCode::OK, "redirected back to the page");
    assert!(r.text().await.expect("html").contains("Klart."));
    let r = act(vec![("order_ref", order.clone()), ("action", "confirm".into())]).await;
    assert!(r.text().await.expect("html").contains("Klart."));
    let (_, body) = poll(&app, &id).await;
    assert_eq!(body["status"], "complete", "{body}");
    assert!(body["token"]["access_token"].is_string());
    // A number that is not on Skatteverket's test lists cannot be used.
    start_login(&app, false).await;
    let order = latest_order(&control(&app));
    let r = act(vec![("order_ref", order), ("action", "scan".into()), ("person", "191212121212".into())]).await;
    assert!(r.text().await.expect("html").contains("bara emot Skatteverkets testpersonnummer"));
}

#[tokio::test]
async fn in_production_mode_there_is_no_development_page_and_an_unreachable_bankid_means_try_again_later() {
    let dir = tempfile::tempdir().expect("dir");
    let pki = TestPki::generate("relying-party").expect("pki");
    let files = pki.write_client_files(dir.path(), "bankid").expect("files");
    // Nothing listens on this port (it was bound and released).
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let app = spawn_app_with(Options {
        bankid: Some(BankIdSettings {
            mode: IntegrationMode::Production,
            url: format!("https://127.0.0.1:{port}/rp/v6.0/"),
            client_cert: Some(files.client_cert),
            client_key: Some(files.client_key),
            server_ca: Some(files.server_ca),
        }),
        ..Options::default()
    })
    .await;
    assert!(app.state.bankid.as_ref().is_some_and(|b| b.simulator().is_none()));
    let r = app.client.get(format!("{}/dev/bankid", app.address)).send().await.expect("get");
    assert_ne!(r.status(), StatusCode::OK);
    assert!(!r.text().await.expect("body").contains("BankID-simulator"));
    let (status, body) = app.post("/api/v1/auth/bankid", None, &json!({})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["message"], Rfa::Rfa5.message().en);
}

#[tokio::test]
async fn with_bankid_off_the_login_endpoints_answer_404() {
    let app = spawn_app_with(Options {
        bankid: Some(BankIdSettings { mode: IntegrationMode::Off, ..BankIdSettings::default() }),
        ..Options::default()
    })
    .await;
    let (status, body) = app.post("/api/v1/auth/bankid", None, &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(app.client.get(format!("{}/dev/bankid", app.address)).send().await.expect("get").status(), 404);
}
