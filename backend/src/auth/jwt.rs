//! Access tokens: HS256 JWTs with issuer, audience, expiry. Only HS256 is
//! accepted, so `alg: none` and algorithm-confusion tokens are rejected.

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A staff account; `sub` is its id.
    Staff,
    /// An applicant; `sub` is the personnummer (12 digits).
    Applicant,
}

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: staff id or personnummer.
    pub sub: String,
    /// Staff or applicant.
    pub kind: Subject,
    /// Display name (applicants: from the identity provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

const AUDIENCE: &str = "e-tjanster-api";

/// Signs and verifies tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    ttl_seconds: i64,
}

impl TokenKeys {
    /// Keys from a shared secret.
    pub fn new(secret: &SecretString, issuer: &str, ttl_minutes: u64) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            issuer: issuer.to_string(),
            ttl_seconds: (ttl_minutes * 60) as i64,
        }
    }

    /// Seconds a new token lives.
    pub fn ttl_seconds(&self) -> u64 {
        self.ttl_seconds.max(0) as u64
    }

    /// Issues a token.
    pub fn issue(&self, kind: Subject, sub: &str, name: Option<String>) -> Result<String, jsonwebtoken::errors::Error> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: sub.to_string(),
            kind,
            name,
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_string(),
            iat: now,
            exp: now + self.ttl_seconds,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Verifies signature, algorithm, issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let mut v = Validation::new(Algorithm::HS256);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[AUDIENCE]);
        v.leeway = 0;
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        decode::<Claims>(token, &self.decoding, &v).map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&SecretString::from("a-test-secret-that-is-long-enough-123"), "test", 5)
    }

    #[test]
    fn a_token_round_trips() {
        let k = keys();
        let t = k.issue(Subject::Applicant, "189001019802", None).unwrap();
        let c = k.verify(&t).unwrap();
        assert_eq!(c.sub, "189001019802");
        assert_eq!(c.kind, Subject::Applicant);
    }

    #[test]
    fn a_token_signed_with_another_secret_is_rejected() {
        let other = TokenKeys::new(&SecretString::from("another-secret-that-is-long-enough-456"), "test", 5);
        let t = other.issue(Subject::Staff, "x", None).unwrap();
        assert!(keys().verify(&t).is_err());
    }
}
