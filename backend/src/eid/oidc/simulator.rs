//! A small OpenID Connect provider on loopback, speaking what a Swedish
//! e-ID broker speaks: discovery, JWKS, an authorization endpoint with a page
//! where the tester picks a test person, and a token endpoint that checks
//! the client secret and PKCE and returns an RS256-signed ID token with the
//! personnummer claim and `acr`. It accepts only Skatteverket's official
//! test personnummer. Tests can make it misbehave (wrong `acr`, nonce,
//! audience, an expired token, a key not in its JWKS) to prove the relying
//! party refuses.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde::Deserialize;
use serde_json::json;
use shared::Personnummer;

use super::{COORDINATION_NUMBER_CLAIM, LOA3, PERSONNUMMER_CLAIM, pkce_challenge};
use crate::auth::identity::is_official_test_number;
use crate::eid::tls::TestPki;

/// Test persons offered on the login page (Skatteverket's test numbers; fictional names).
pub const TEST_PERSONS: &[&str] = &[
    "189001019802",
    "189001029819",
    "191401682396",
    crate::navet::simulator::fixtures::ORDINARY_ADULT,
    crate::navet::simulator::fixtures::GUARDIAN_A,
    crate::navet::simulator::fixtures::SEKRETESSMARKERING,
];

/// A test person's name: the register's (Navet simulator), else an invented one.
fn person_name(pnr: &str) -> (String, String) {
    crate::eid::bankid::simulator::test_person_name(pnr)
}

/// Ways the provider can be told to misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Misbehaviour {
    /// Behave.
    #[default]
    None,
    /// Issue `acr` LoA2 instead of the requested level.
    WrongAcr,
    /// Put another nonce in the ID token.
    WrongNonce,
    /// Issue the ID token to another audience.
    WrongAudience,
    /// Issue an ID token that expired an hour ago.
    Expired,
    /// Sign with a key that is not in the JWKS.
    ForeignKey,
}

struct SigningKey {
    encoding: EncodingKey,
    kid: String,
    n: String,
    e: String,
}

fn make_key(kid: &str) -> Result<SigningKey, String> {
    let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| e.to_string())?;
    let der = private.to_pkcs1_der().map_err(|e| e.to_string())?;
    Ok(SigningKey {
        encoding: EncodingKey::from_rsa_der(der.as_bytes()),
        kid: kid.to_string(),
        n: URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
        e: URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
    })
}

/// RSA keys are slow to make; one pair per process serves every simulator.
fn keys() -> Result<&'static (SigningKey, SigningKey), String> {
    static KEYS: OnceLock<Result<(SigningKey, SigningKey), String>> = OnceLock::new();
    KEYS.get_or_init(|| Ok((make_key("sim-1")?, make_key("foreign")?))).as_ref().map_err(Clone::clone)
}

struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    nonce: String,
    personnummer: String,
    given_name: String,
    family_name: String,
    created: Instant,
}

struct SimState {
    issuer: String,
    client_id: String,
    client_secret: String,
    grants: Mutex<HashMap<String, Grant>>,
    misbehaviour: Mutex<Misbehaviour>,
}

/// A running provider.
#[derive(Clone)]
pub struct OidcSimulator {
    state: Arc<SimState>,
    /// The issuer URL, `https://127.0.0.1:PORT`.
    pub issuer: String,
}

/// Query of the authorization endpoint.
#[derive(Debug, Deserialize)]
struct AuthorizeQuery {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    acr_values: String,
}

/// The login form's fields: the query plus the chosen person.
#[derive(Debug, Deserialize)]
struct LoginForm {
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    personnummer: String,
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

impl OidcSimulator {
    /// Starts the provider on `127.0.0.1:0` over TLS with the given PKI's server certificate.
    pub fn start(pki: &TestPki, client_id: &str, client_secret: &str) -> Result<Self, String> {
        keys()?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let issuer = format!("https://127.0.0.1:{port}");
        let state = Arc::new(SimState {
            issuer: issuer.clone(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            grants: Mutex::new(HashMap::new()),
            misbehaviour: Mutex::new(Misbehaviour::None),
        });
        let tls = pki.server_config_without_client_auth().map_err(|e| e.to_string())?;
        let data = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/.well-known/openid-configuration", web::get().to(discovery))
                .route("/jwks", web::get().to(jwks))
                .route("/authorize", web::get().to(authorize_page))
                .route("/authorize", web::post().to(authorize_login))
                .route("/token", web::post().to(token))
        })
        .workers(1)
        .disable_signals()
        .listen_rustls_0_23(listener, tls)
        .map_err(|e| e.to_string())?
        .run();
        tokio::spawn(server);
        Ok(Self { state, issuer })
    }

    /// Makes the provider misbehave from now on.
    pub fn misbehave(&self, m: Misbehaviour) {
        if let Ok(mut g) = self.state.misbehaviour.lock() {
            *g = m;
        }
    }

    /// What a person does on the login page: approves the authorization
    /// request in `authorization_url` as `personnummer`; returns the callback
    /// URL (with `code` and `state`) the browser would be sent to.
    pub fn approve(&self, authorization_url: &str, personnummer: &str) -> Result<String, String> {
        let url = reqwest::Url::parse(authorization_url).map_err(|e| e.to_string())?;
        let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
        let get = |k: &str| q.get(k).cloned().ok_or_else(|| format!("{k} missing"));
        let form = LoginForm {
            client_id: get("client_id")?,
            redirect_uri: get("redirect_uri")?,
            state: get("state")?,
            nonce: get("nonce")?,
            code_challenge: get("code_challenge")?,
            personnummer: personnummer.to_string(),
        };
        grant(&self.state, form)
    }
}

async fn discovery(st: web::Data<SimState>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "issuer": st.issuer,
        "authorization_endpoint": format!("{}/authorize", st.issuer),
        "token_endpoint": format!("{}/token", st.issuer),
        "jwks_uri": format!("{}/jwks", st.issuer),
        "response_types_supported": ["code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "acr_values_supported": [LOA3],
        "claims_supported": [PERSONNUMMER_CLAIM, COORDINATION_NUMBER_CLAIM, "name", "given_name", "family_name", "acr"]
    }))
}

async fn jwks() -> HttpResponse {
    match keys() {
        Ok((k, _)) => HttpResponse::Ok().json(json!({"keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": k.kid, "n": k.n, "e": k.e
        }]})),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

async fn authorize_page(st: web::Data<SimState>, q: web::Query<AuthorizeQuery>) -> HttpResponse {
    let bad = |m: &str| HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(m.to_string());
    if q.response_type != "code" || q.code_challenge_method != "S256" || q.client_id != st.client_id {
        return bad(
            "invalid_request: response_type=code, code_challenge_method=S256 and a known client_id are required",
        );
    }
    let _ = (&q.scope, &q.acr_values);
    let hidden = |k: &str, v: &str| format!(r#"<input type="hidden" name="{k}" value="{}">"#, esc(v));
    let fields = [
        hidden("client_id", &q.client_id),
        hidden("redirect_uri", &q.redirect_uri),
        hidden("state", &q.state),
        hidden("nonce", &q.nonce),
        hidden("code_challenge", &q.code_challenge),
    ]
    .concat();
    let buttons: String = TEST_PERSONS
        .iter()
        .map(|pnr| {
            let (given, family) = person_name(pnr);
            format!(
                r#"<li><form method="post" action="/authorize">{fields}<input type="hidden" name="personnummer" value="{pnr}"><button type="submit">Logga in som {given} {family} ({pnr})</button></form></li>"#
            )
        })
        .collect();
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
        r#"<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Simulerad e-legitimation</title></head>
<body><main><h1>Simulerad e-legitimation (OIDC)</h1><p>Det här är en simulator för utveckling och test. Välj en testperson.</p><ul>{buttons}</ul></main></body></html>"#
    ))
}

fn grant(st: &SimState, f: LoginForm) -> Result<String, String> {
    if f.client_id != st.client_id {
        return Err("unknown client".into());
    }
    let p = Personnummer::parse(&f.personnummer).map_err(|e| e.to_string())?;
    if !is_official_test_number(&p.as_digits()) {
        return Err("the simulator accepts only Skatteverket's test personnummer".into());
    }
    let (given, family) = person_name(&p.as_digits());
    let code = super::random_token();
    let mut grants = st.grants.lock().map_err(|_| "lock".to_string())?;
    grants.retain(|_, g| g.created.elapsed() < Duration::from_secs(120));
    grants.insert(
        code.clone(),
        Grant {
            client_id: f.client_id,
            redirect_uri: f.redirect_uri.clone(),
            challenge: f.code_challenge,
            nonce: f.nonce,
            personnummer: p.as_digits(),
            given_name: given,
            family_name: family,
            created: Instant::now(),
        },
    );
    let mut url = reqwest::Url::parse(&f.redirect_uri).map_err(|e| e.to_string())?;
    url.query_pairs_mut().append_pair("code", &code).append_pair("state", &f.state);
    Ok(url.into())
}

async fn authorize_login(st: web::Data<SimState>, f: web::Form<LoginForm>) -> HttpResponse {
    match grant(&st, f.into_inner()) {
        Ok(location) => HttpResponse::SeeOther().insert_header(("Location", location)).finish(),
        Err(e) => HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(e),
    }
}

fn token_error(code: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"error": code}))
}

async fn token(st: web::Data<SimState>, req: actix_web::HttpRequest, f: web::Form<TokenForm>) -> HttpResponse {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", st.client_id, st.client_secret))
    );
    let auth_ok = req.headers().get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str());
    if !auth_ok {
        return HttpResponse::Unauthorized().json(json!({"error": "invalid_client"}));
    }
    if f.grant_type != "authorization_code" {
        return token_error("unsupported_grant_type");
    }
    let Some(g) = st.grants.lock().ok().and_then(|mut m| m.remove(&f.code)) else {
        return token_error("invalid_grant");
    };
    if g.client_id != st.client_id
        || g.redirect_uri != f.redirect_uri
        || pkce_challenge(&f.code_verifier) != g.challenge
    {
        return token_error("invalid_grant");
    }
    let Ok((good, foreign)) = keys() else { return HttpResponse::InternalServerError().finish() };
    let m = st.misbehaviour.lock().map(|m| *m).unwrap_or_default();
    let now = chrono::Utc::now().timestamp();
    let coordination = g.personnummer.as_bytes().get(6).is_some_and(|d| *d >= b'6');
    let number_claim = if coordination { COORDINATION_NUMBER_CLAIM } else { PERSONNUMMER_CLAIM };
    let mut claims = json!({
        "iss": st.issuer,
        "sub": pairwise_sub(&g.personnummer),
        "aud": if m == Misbehaviour::WrongAudience { "someone-else" } else { st.client_id.as_str() },
        "iat": now,
        "exp": if m == Misbehaviour::Expired { now - 3600 } else { now + 300 },
        "nonce": if m == Misbehaviour::WrongNonce { "not-your-nonce" } else { g.nonce.as_str() },
        "acr": if m == Misbehaviour::WrongAcr { "http://id.elegnamnden.se/loa/1.0/loa2" } else { LOA3 },
        "name": format!("{} {}", g.given_name, g.family_name),
        "given_name": g.given_name,
        "family_name": g.family_name,
    });
    claims[number_claim] = json!(g.personnummer);
    let key = if m == Misbehaviour::ForeignKey { foreign } else { good };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    match encode(&header, &claims, &key.encoding) {
        Ok(id_token) => HttpResponse::Ok().json(json!({
            "access_token": super::random_token(), "token_type": "Bearer", "expires_in": 300, "id_token": id_token
        })),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

/// The pairwise subject: a digest, so the personnummer is not the `sub`.
fn pairwise_sub(pnr: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(format!("sim-pairwise:{pnr}").as_bytes()))
}
