//! OpenID Connect relying party for e-ID brokers that front BankID, Freja
//! eID+ or foreign e-ID: authorization code flow with PKCE (S256), state and
//! nonce, and strict ID-token checks (RS256 against the provider's JWKS,
//! issuer, audience, expiry, nonce, the required `acr` level of assurance).
//! The personnummer comes from the claim
//! `https://id.oidc.se/claim/personalIdentityNumber` (or the coordination
//! number claim). [`simulator`] is a small provider on loopback for
//! development and tests.

pub mod simulator;

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shared::Personnummer;

use crate::auth::identity::VerifiedIdentity;
use crate::expiring::Expiring;

/// The personnummer claim of the Swedish OIDC profile.
pub const PERSONNUMMER_CLAIM: &str = "https://id.oidc.se/claim/personalIdentityNumber";
/// The samordningsnummer claim of the Swedish OIDC profile.
pub const COORDINATION_NUMBER_CLAIM: &str = "https://id.oidc.se/claim/coordinationNumber";
/// Level of assurance 3 (Swedish e-ID, "LoA3").
pub const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";

/// How long a started login may take before its state is forgotten.
const PENDING_TTL: Duration = Duration::from_secs(10 * 60);
/// Most logins in flight at once; the oldest are dropped beyond this.
const MAX_PENDING: usize = 10_000;

/// What the relying party is configured with.
#[derive(Clone)]
pub struct OidcClientConfig {
    /// The provider's issuer URL (discovery at `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    /// Our client id.
    pub client_id: String,
    /// Our client secret (`client_secret_basic`).
    pub client_secret: SecretString,
    /// Where the provider sends the browser back: `…/api/v1/auth/oidc/callback`.
    pub redirect_url: String,
    /// Scopes; `openid` is always sent.
    pub scopes: Vec<String>,
    /// The `acr` the ID token must carry.
    pub required_acr: String,
}

/// Why a login failed. Messages are for logs and API errors; none holds personal data.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The `state` is unknown, used or expired.
    #[error("the login has expired or was already used; start again")]
    UnknownState,
    /// The provider could not be reached or answered nonsense.
    #[error("the identity provider could not be reached: {0}")]
    Provider(String),
    /// The provider refused the code.
    #[error("the identity provider refused the login: {0}")]
    TokenRefused(String),
    /// The ID token failed a check.
    #[error("the ID token is not valid: {0}")]
    InvalidIdToken(String),
    /// The login's level of assurance is not the required one.
    #[error("the login's level of assurance is not sufficient")]
    WrongAcr,
    /// The nonce does not match the one sent.
    #[error("the ID token's nonce does not match")]
    NonceMismatch,
    /// No usable personnummer claim.
    #[error("the identity provider sent no valid personnummer")]
    NoPersonnummer,
}

#[derive(Debug, Clone, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    id_token: String,
}

struct Pending {
    nonce: String,
    verifier: String,
    created: Instant,
}

/// A verified OIDC login.
#[derive(Debug, Clone)]
pub struct OidcLogin {
    /// Who logged in.
    pub identity: VerifiedIdentity,
    /// The level of assurance (`acr`).
    pub acr: String,
}

#[derive(Debug, Deserialize)]
struct IdClaims {
    nonce: Option<String>,
    acr: Option<String>,
    #[serde(rename = "https://id.oidc.se/claim/personalIdentityNumber")]
    personnummer: Option<String>,
    #[serde(rename = "https://id.oidc.se/claim/coordinationNumber")]
    coordination_number: Option<String>,
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
}

/// The relying party.
pub struct OidcRp {
    http: reqwest::Client,
    config: OidcClientConfig,
    discovery: tokio::sync::OnceCell<Discovery>,
    pending: Expiring<Pending>,
    tickets: Expiring<(shared::api::TokenResponse, Instant)>,
}

/// How long a login ticket can be exchanged for its token.
const TICKET_TTL: Duration = Duration::from_secs(60);

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PKCE S256 challenge of a verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl OidcRp {
    /// A relying party using `http` (which decides what TLS roots are trusted).
    pub fn new(http: reqwest::Client, config: OidcClientConfig) -> Self {
        Self {
            http,
            config,
            discovery: tokio::sync::OnceCell::new(),
            pending: Expiring::new(PENDING_TTL, |p| p.created),
            tickets: Expiring::new(TICKET_TTL, |(_, at)| *at),
        }
    }

    async fn discovery(&self) -> Result<&Discovery, OidcError> {
        self.discovery
            .get_or_try_init(|| async {
                let url = format!("{}/.well-known/openid-configuration", self.config.issuer.trim_end_matches('/'));
                let d: Discovery = self
                    .http
                    .get(&url)
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .map_err(|e| OidcError::Provider(format!("discovery: {e}")))?
                    .json()
                    .await
                    .map_err(|e| OidcError::Provider(format!("discovery document: {e}")))?;
                if d.issuer.trim_end_matches('/') != self.config.issuer.trim_end_matches('/') {
                    return Err(OidcError::Provider("the discovery document names another issuer".into()));
                }
                Ok(d)
            })
            .await
    }

    /// Starts a login: returns the provider URL to send the browser to.
    pub async fn start(&self) -> Result<String, OidcError> {
        let d = self.discovery().await?;
        let state = random_token();
        let nonce = random_token();
        let verifier = random_token();
        let challenge = pkce_challenge(&verifier);
        {
            let mut pending = self.pending.live();
            if pending.len() >= MAX_PENDING
                && let Some(oldest) = pending.iter().min_by_key(|(_, p)| p.created).map(|(k, _)| k.clone())
            {
                pending.remove(&oldest);
            }
            pending.insert(state.clone(), Pending { nonce: nonce.clone(), verifier, created: Instant::now() });
        }
        let mut scopes = vec!["openid".to_string()];
        scopes.extend(self.config.scopes.iter().filter(|s| s.as_str() != "openid").cloned());
        let mut url = reqwest::Url::parse(&d.authorization_endpoint)
            .map_err(|e| OidcError::Provider(format!("authorization endpoint: {e}")))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.config.redirect_url)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("acr_values", &self.config.required_acr);
        Ok(url.into())
    }

    /// Finishes a login from the provider's redirect: exchanges the code and checks the ID token.
    pub async fn finish(&self, code: &str, state: &str) -> Result<OidcLogin, OidcError> {
        let pending = self.pending.take(state).ok_or(OidcError::UnknownState)?;
        let d = self.discovery().await?;
        let resp = self
            .http
            .post(&d.token_endpoint)
            .basic_auth(&self.config.client_id, Some(self.config.client_secret.expose_secret()))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", self.config.redirect_url.as_str()),
                ("code_verifier", pending.verifier.as_str()),
            ])
            .send()
            .await
            .map_err(|e| OidcError::Provider(format!("token endpoint: {e}")))?;
        if !resp.status().is_success() {
            return Err(OidcError::TokenRefused(format!("HTTP {}", resp.status().as_u16())));
        }
        let tokens: TokenResponse =
            resp.json().await.map_err(|e| OidcError::Provider(format!("token response: {e}")))?;
        self.verify_id_token(&tokens.id_token, &pending.nonce, d).await
    }

    /// Parks a finished login's token under a one-time ticket, so the token
    /// never travels in a URL: the browser is redirected with the ticket and
    /// the app exchanges it once, within a minute.
    pub fn park(&self, token: shared::api::TokenResponse) -> Result<String, OidcError> {
        let ticket = random_token();
        let mut t = self.tickets.live();
        if t.len() >= MAX_PENDING {
            return Err(OidcError::Provider("too many logins in flight".into()));
        }
        t.insert(ticket.clone(), (token, Instant::now()));
        Ok(ticket)
    }

    /// Exchanges a ticket for its token, once.
    pub fn redeem(&self, ticket: &str) -> Option<shared::api::TokenResponse> {
        self.tickets.take(ticket).map(|(token, _)| token)
    }

    async fn verify_id_token(&self, id_token: &str, nonce: &str, d: &Discovery) -> Result<OidcLogin, OidcError> {
        let header = decode_header(id_token).map_err(|e| OidcError::InvalidIdToken(e.to_string()))?;
        if header.alg != Algorithm::RS256 {
            return Err(OidcError::InvalidIdToken(format!("algorithm {:?} is not accepted", header.alg)));
        }
        // Fetched per login: keys rotate, and logins are rare next to the cost of a stale key.
        let jwks: JwkSet = self
            .http
            .get(&d.jwks_uri)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| OidcError::Provider(format!("JWKS: {e}")))?
            .json()
            .await
            .map_err(|e| OidcError::Provider(format!("JWKS document: {e}")))?;
        let jwk = match &header.kid {
            Some(kid) => jwks.find(kid),
            None if jwks.keys.len() == 1 => jwks.keys.first(),
            None => None,
        }
        .ok_or_else(|| OidcError::InvalidIdToken("signed with an unknown key".into()))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| OidcError::InvalidIdToken(e.to_string()))?;
        let mut v = Validation::new(Algorithm::RS256);
        v.set_issuer(&[&d.issuer]);
        v.set_audience(&[&self.config.client_id]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.leeway = 30;
        let claims =
            decode::<IdClaims>(id_token, &key, &v).map_err(|e| OidcError::InvalidIdToken(e.to_string()))?.claims;
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(OidcError::NonceMismatch);
        }
        if claims.acr.as_deref() != Some(self.config.required_acr.as_str()) {
            return Err(OidcError::WrongAcr);
        }
        let number = claims.personnummer.or(claims.coordination_number).ok_or(OidcError::NoPersonnummer)?;
        let personnummer = Personnummer::parse(&number).map_err(|_| OidcError::NoPersonnummer)?;
        let name = claims.name.or_else(|| match (claims.given_name, claims.family_name) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (g, f) => g.or(f),
        });
        Ok(OidcLogin { identity: VerifiedIdentity { personnummer, name }, acr: self.config.required_acr.clone() })
    }
}

/// Builds the relying party from configuration: in simulator mode it starts
/// the loopback provider too (trusting only its throw-away CA); in
/// production mode it uses the configured broker (system roots, or the
/// configured CA); off gives nothing.
pub fn from_settings(
    s: &crate::config::OidcSettings,
    public_url: &str,
) -> Result<(Option<std::sync::Arc<OidcRp>>, Option<simulator::OidcSimulator>), String> {
    use crate::config::IntegrationMode;
    let redirect_url = format!("{}/api/v1/auth/oidc/callback", public_url.trim_end_matches('/'));
    let builder =
        || reqwest::Client::builder().timeout(Duration::from_secs(10)).redirect(reqwest::redirect::Policy::none());
    match s.mode {
        IntegrationMode::Off => Ok((None, None)),
        IntegrationMode::Simulator => {
            let pki = crate::eid::tls::TestPki::generate("oidc-client").map_err(|e| e.to_string())?;
            let secret = random_token();
            let sim = simulator::OidcSimulator::start(&pki, "e-tjanster", &secret)?;
            let http = builder()
                .tls_backend_preconfigured(pki.anonymous_client_config().map_err(|e| e.to_string())?)
                .build()
                .map_err(|e| e.to_string())?;
            let rp = OidcRp::new(
                http,
                OidcClientConfig {
                    issuer: sim.issuer.clone(),
                    client_id: "e-tjanster".into(),
                    client_secret: SecretString::from(secret),
                    redirect_url,
                    scopes: s.scopes.clone(),
                    required_acr: s.required_acr.clone(),
                },
            );
            Ok((Some(std::sync::Arc::new(rp)), Some(sim)))
        }
        IntegrationMode::Production => {
            let need = |v: &Option<String>, name: &str| {
                v.clone().ok_or_else(|| format!("eid.oidc.{name} is required in production mode"))
            };
            let secret = s.client_secret.clone().ok_or("eid.oidc.client_secret is required in production mode")?;
            let http = match &s.server_ca {
                Some(ca) => {
                    let pem = std::fs::read(ca).map_err(|e| format!("{}: {e}", ca.display()))?;
                    builder().tls_backend_preconfigured(
                        crate::eid::tls::client_config_trusting(&pem).map_err(|e| e.to_string())?,
                    )
                }
                None => {
                    crate::eid::tls::install_default_provider();
                    builder().tls_backend_rustls()
                }
            }
            .build()
            .map_err(|e| e.to_string())?;
            let rp = OidcRp::new(
                http,
                OidcClientConfig {
                    issuer: need(&s.issuer, "issuer")?,
                    client_id: need(&s.client_id, "client_id")?,
                    client_secret: secret,
                    redirect_url,
                    scopes: s.scopes.clone(),
                    required_acr: s.required_acr.clone(),
                },
            );
            Ok((Some(std::sync::Arc::new(rp)), None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_the_s256_of_the_verifier() {
        // The example of RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_token();
        assert!(a.len() >= 43);
        assert_ne!(a, random_token());
    }
}
