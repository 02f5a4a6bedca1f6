use jsonwebtoken::{EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{APPLICANT, JWT_SECRET, Options, spawn_app, spawn_app_with};

fn b64url(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The claims of a real applicant token, with `exp` moved by `exp_offset` seconds from now:
/// the forged tokens below differ from a valid one in one respect only.
async fn real_claims(app: &crate::helpers::TestApp, exp_offset: i64) -> serde_json::Value {
    let token = app.applicant(APPLICANT).await;
    let claims = app.state.tokens.verify(&token).expect("a real token verifies");
    let mut v = serde_json::to_value(claims).expect("claims");
    v["exp"] = json!(chrono::Utc::now().timestamp() + exp_offset);
    v
}

#[tokio::test]
async fn a_token_with_a_wrong_signature_gets_401() {
    let app = spawn_app().await;
    let claims = real_claims(&app, 600).await;
    let forged = encode(&Header::default(), &claims, &EncodingKey::from_secret(b"not-the-server-secret-at-all-0000"))
        .expect("encode");
    let (status, body) = app.get("/api/v1/me/cases", Some(&forged)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "invalid_token");
    // Signed with the right secret, the same claims pass: the rejection was the signature.
    let right = encode(&Header::default(), &claims, &EncodingKey::from_secret(JWT_SECRET.as_bytes())).expect("encode");
    assert_eq!(app.get("/api/v1/me/cases", Some(&right)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_expired_token_gets_401() {
    let app = spawn_app().await;
    let expired =
        encode(&Header::default(), &real_claims(&app, -10).await, &EncodingKey::from_secret(JWT_SECRET.as_bytes()))
            .expect("encode");
    let (status, body) = app.get("/api/v1/me/cases", Some(&expired)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "token_expired");
}

#[tokio::test]
async fn a_token_with_alg_none_gets_401() {
    let app = spawn_app().await;
    let header = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64url(real_claims(&app, 600).await.to_string().as_bytes());
    for token in [format!("{header}.{payload}."), format!("{header}.{payload}")] {
        let (status, body) = app.get("/api/v1/me/cases", Some(&token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
}

#[tokio::test]
async fn logging_out_ends_the_session_and_renewing_keeps_it_going() {
    let app = spawn_app().await;
    let token = app.applicant(APPLICANT).await;
    let (status, renewed) = app.post("/api/v1/auth/session/renew", Some(&token), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let renewed = renewed["access_token"].as_str().expect("token").to_string();
    let claims = app.state.tokens.verify(&renewed).expect("verify");
    assert_eq!((claims.idp.as_deref(), claims.loa.as_deref()), (Some("development"), Some("development")));
    assert_eq!(app.get("/api/v1/me/cases", Some(&renewed)).await.0, StatusCode::OK);
    let (status, _) = app.post("/api/v1/auth/session/logout", Some(&renewed), &json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Every token of the session stops working, the first one too.
    for t in [&token, &renewed] {
        let (status, body) = app.get("/api/v1/me/cases", Some(t)).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_ended")));
    }
    assert_eq!(app.post("/api/v1/auth/session/renew", Some(&token), &json!({})).await.0, StatusCode::UNAUTHORIZED);
    // A new login works again.
    let again = app.applicant(APPLICANT).await;
    assert_eq!(app.get("/api/v1/me/cases", Some(&again)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_staff_login_with_a_wrong_password_or_unknown_user_gets_401() {
    let app = spawn_app().await;
    app.staff("kim", vec![shared::api::StaffRole::Handler]).await;
    for (u, p) in [("kim", "wrong-password-123"), ("nobody", "whatever-password")] {
        let (status, body) = app.post("/api/v1/auth/staff/token", None, &json!({"username": u, "password": p})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["code"], "invalid_credentials");
    }
}

#[tokio::test]
async fn the_dev_login_accepts_only_official_test_personnummer() {
    let app = spawn_app().await;
    assert!(!app.applicant(APPLICANT).await.is_empty());
    let (status, body) = app.post("/api/v1/auth/dev/token", None, &json!({"personnummer": "191212121212"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("not_a_test_personnummer")));
    let (status, body) = app.post("/api/v1/auth/dev/token", None, &json!({"personnummer": "189001019803"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_personnummer")));
}

#[tokio::test]
async fn the_dev_login_is_not_found_unless_turned_on() {
    let app = spawn_app_with(Options { dev_login_off: true, ..Default::default() }).await;
    let (status, body) = app.post("/api/v1/auth/dev/token", None, &json!({"personnummer": APPLICANT})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn an_applicant_token_cannot_manage_services_and_no_token_gets_401() {
    let app = spawn_app().await;
    let applicant = app.applicant(APPLICANT).await;
    let (status, _) =
        app.post("/api/v1/services", Some(&applicant), &crate::helpers::service_input("x-y", false)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.post("/api/v1/services", None, &crate::helpers::service_input("x-y", false)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(app.count("services").await, 0);
}

#[tokio::test]
async fn a_staff_logout_ends_the_staff_session_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (status, _) = app.get("/api/v1/services", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.post("/api/v1/auth/session/logout", Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = app.get("/api/v1/services", Some(&admin)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_ended")), "{body}");
    // A second login is a session of its own.
    let (status, body) = app
        .post("/api/v1/auth/staff/token", None, &json!({"username": "admin", "password": "admin-password-123"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fresh = body["access_token"].as_str().expect("token").to_string();
    assert_eq!(app.get("/api/v1/services", Some(&fresh)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_staff_token_without_a_session_or_not_valid_yet_or_living_too_long_gets_401() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let real = app.state.tokens.verify(&admin).expect("a real token verifies");
    let sign = |claims: &serde_json::Value| {
        encode(&Header::default(), claims, &EncodingKey::from_secret(JWT_SECRET.as_bytes())).expect("encode")
    };
    let now = chrono::Utc::now().timestamp();
    let base = serde_json::to_value(&real).expect("claims");
    assert_eq!(app.get("/api/v1/services", Some(&sign(&base))).await.0, StatusCode::OK, "the real claims pass");
    let mut no_session = base.clone();
    no_session.as_object_mut().expect("object").remove("sid");
    let mut other_session = base.clone();
    other_session["sid"] = json!(uuid::Uuid::now_v7().to_string());
    let mut future_iat = base.clone();
    future_iat["iat"] = json!(now + 600);
    future_iat["exp"] = json!(now + 900);
    let mut future_nbf = base.clone();
    future_nbf["nbf"] = json!(now + 600);
    let mut too_long = base.clone();
    too_long["exp"] = json!(now + 24 * 3600);
    for (what, claims) in [
        ("no session", no_session),
        ("an unknown session", other_session),
        ("iat in the future", future_iat),
        ("nbf in the future", future_nbf),
        ("a day's lifetime", too_long),
    ] {
        let (status, body) = app.get("/api/v1/services", Some(&sign(&claims))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    }
}
