//! The OIDC relying party against the loopback provider simulator, over real TLS.

use backend::eid::oidc::LOA3;
use backend::eid::oidc::simulator::Misbehaviour;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{APPLICANT, TestApp, spawn_app};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

async fn location(client: &reqwest::Client, url: &str) -> String {
    let r = client.get(url).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{url}");
    r.headers().get("location").and_then(|v| v.to_str().ok()).expect("Location").to_string()
}

/// Walks the browser's part of a login as `personnummer`; returns where the app is sent at the end.
async fn walk_login(app: &TestApp, personnummer: &str) -> String {
    let client = no_redirects();
    let authorize = location(&client, &format!("{}/api/v1/auth/oidc/start", app.address)).await;
    let sim = app.state.oidc_simulator.as_ref().expect("simulator mode");
    assert!(authorize.starts_with(&sim.issuer), "{authorize}");
    for param in ["code_challenge=", "code_challenge_method=S256", "nonce=", "state=", "acr_values="] {
        assert!(authorize.contains(param), "{param} in {authorize}");
    }
    let callback = sim.approve(&authorize, personnummer).expect("approve");
    location(&client, &callback).await
}

#[tokio::test]
async fn an_oidc_login_gives_a_session_with_the_level_of_assurance_and_the_ticket_works_once() {
    let app = spawn_app().await;
    let back = walk_login(&app, APPLICANT).await;
    let ticket = back.strip_prefix("/inloggad?biljett=").expect("success redirect").to_string();
    assert!(!back.contains("eyJ"), "no token in the URL: {back}");
    let (status, token) = app.post("/api/v1/auth/oidc/ticket", None, &json!({"ticket": ticket})).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let token = token["access_token"].as_str().expect("token").to_string();
    let claims = app.state.tokens.verify(&token).expect("verify");
    assert_eq!(
        (claims.sub.as_str(), claims.idp.as_deref(), claims.loa.as_deref()),
        (APPLICANT, Some("oidc"), Some(LOA3))
    );
    assert_eq!(app.get("/api/v1/me/cases", Some(&token)).await.0, StatusCode::OK);
    let (status, body) = app.post("/api/v1/auth/oidc/ticket", None, &json!({"ticket": ticket})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_ticket")));
}

#[tokio::test]
async fn a_samordningsnummer_holder_logs_in_through_the_coordination_number_claim() {
    let app = spawn_app().await;
    let back = walk_login(&app, "191401682396").await;
    let ticket = back.strip_prefix("/inloggad?biljett=").expect("success redirect");
    let (_, token) = app.post("/api/v1/auth/oidc/ticket", None, &json!({"ticket": ticket})).await;
    let claims = app.state.tokens.verify(token["access_token"].as_str().expect("token")).expect("verify");
    assert_eq!(claims.sub, "191401682396");
}

#[tokio::test]
async fn id_tokens_with_a_wrong_acr_nonce_audience_key_or_expiry_are_refused() {
    let app = spawn_app().await;
    let sim = app.state.oidc_simulator.clone().expect("simulator mode");
    for (m, reason) in [
        (Misbehaviour::WrongAcr, "otillracklig-niva"),
        (Misbehaviour::WrongNonce, "misslyckad"),
        (Misbehaviour::WrongAudience, "misslyckad"),
        (Misbehaviour::Expired, "misslyckad"),
        (Misbehaviour::ForeignKey, "misslyckad"),
    ] {
        sim.misbehave(m);
        let back = walk_login(&app, APPLICANT).await;
        assert_eq!(back, format!("/logga-in?fel={reason}"), "{m:?}");
    }
    assert_eq!(app.count("applicant_sessions").await, 0, "no session for a refused login");
    sim.misbehave(Misbehaviour::None);
    assert!(walk_login(&app, APPLICANT).await.starts_with("/inloggad?biljett="));
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let app = spawn_app().await;
    let client = no_redirects();
    let authorize = location(&client, &format!("{}/api/v1/auth/oidc/start", app.address)).await;
    let callback = app.state.oidc_simulator.as_ref().expect("sim").approve(&authorize, APPLICANT).expect("approve");
    assert!(location(&client, &callback).await.starts_with("/inloggad?biljett="));
    assert_eq!(location(&client, &callback).await, "/logga-in?fel=utgangen");
    // A callback without code (the person cancelled at the provider).
    let cancelled = format!("{}/api/v1/auth/oidc/callback?error=access_denied&state=x", app.address);
    assert_eq!(location(&client, &cancelled).await, "/logga-in?fel=avbruten");
    assert_eq!(app.count("applicant_sessions").await, 1);
}

#[tokio::test]
async fn the_simulator_refuses_numbers_that_are_not_official_test_numbers() {
    let app = spawn_app().await;
    let client = no_redirects();
    let authorize = location(&client, &format!("{}/api/v1/auth/oidc/start", app.address)).await;
    let sim = app.state.oidc_simulator.as_ref().expect("sim");
    assert!(sim.approve(&authorize, "191212121212").is_err());
}
