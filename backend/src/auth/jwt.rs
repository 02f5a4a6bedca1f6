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
    /// Applicants: the identity provider that verified them (`bankid`, `oidc`, `development`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<String>,
    /// Applicants: the level of assurance, e.g. `http://id.elegnamnden.se/loa/1.0/loa3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loa: Option<String>,
    /// The session id (applicants' and staff's); logging out ends the session and every token of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Staff: the account's roles when the token was issued, for the browser to show the right
    /// controls. The server never trusts them: it loads the roles on every request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<shared::api::StaffRole>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Not before (seconds since the epoch); never issued, refused when in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
}

/// How far a token's `iat` may be ahead of this server's clock (another instance's clock).
const CLOCK_SKEW_SECONDS: i64 = 30;

const AUDIENCE: &str = "e-tjanster-api";

/// What an applicant token says besides the standard claims.
#[derive(Debug, Clone)]
pub struct ApplicantClaims {
    /// Personnummer, 12 digits.
    pub personnummer: String,
    /// Name from the identity provider.
    pub name: Option<String>,
    /// Identity provider.
    pub idp: String,
    /// Level of assurance.
    pub loa: String,
    /// Session id.
    pub sid: String,
}

/// Signs and verifies tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    ttl_seconds: i64,
    applicant_ttl_seconds: i64,
}

impl TokenKeys {
    /// Keys from a shared secret; staff tokens live `ttl_minutes`, applicant
    /// tokens at most `applicant_ttl_minutes` (and no longer than staff tokens).
    pub fn new(secret: &SecretString, issuer: &str, ttl_minutes: u64, applicant_ttl_minutes: u64) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let ttl_seconds = (ttl_minutes * 60) as i64;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            issuer: issuer.to_string(),
            ttl_seconds,
            applicant_ttl_seconds: ((applicant_ttl_minutes * 60) as i64).min(ttl_seconds),
        }
    }

    /// Seconds a new token lives.
    pub fn ttl_seconds(&self) -> u64 {
        self.ttl_seconds.max(0) as u64
    }

    /// Issues a staff token for a staff session.
    pub fn issue_staff(
        &self,
        staff_id: &str,
        name: Option<String>,
        roles: Vec<shared::api::StaffRole>,
        sid: &str,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        self.issue(Claims {
            sub: staff_id.to_string(),
            kind: Subject::Staff,
            name,
            roles,
            sid: Some(sid.to_string()),
            ..self.blank(self.ttl_seconds)
        })
    }

    /// Issues an applicant token for a session, living `ttl_seconds` at most.
    pub fn issue_applicant(&self, a: ApplicantClaims, ttl_seconds: i64) -> Result<String, jsonwebtoken::errors::Error> {
        self.issue(Claims {
            sub: a.personnummer,
            kind: Subject::Applicant,
            name: a.name,
            idp: Some(a.idp),
            loa: Some(a.loa),
            sid: Some(a.sid),
            ..self.blank(ttl_seconds.min(self.applicant_ttl_seconds))
        })
    }

    fn blank(&self, ttl_seconds: i64) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            sub: String::new(),
            kind: Subject::Staff,
            name: None,
            idp: None,
            loa: None,
            sid: None,
            roles: Vec::new(),
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_string(),
            iat: now,
            exp: now + ttl_seconds,
            nbf: None,
        }
    }

    fn issue(&self, claims: Claims) -> Result<String, jsonwebtoken::errors::Error> {
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Verifies signature, algorithm, issuer, audience and expiry, and
    /// refuses a token that is not valid yet (`nbf` or `iat` in the future)
    /// or lives longer than this server issues tokens for its kind.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        use jsonwebtoken::errors::{Error, ErrorKind};
        let mut v = Validation::new(Algorithm::HS256);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[AUDIENCE]);
        v.leeway = 0;
        v.validate_nbf = true;
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub", "iat"]);
        let claims = decode::<Claims>(token, &self.decoding, &v)?.claims;
        let now = Utc::now().timestamp();
        let longest = match claims.kind {
            Subject::Staff => self.ttl_seconds,
            Subject::Applicant => self.applicant_ttl_seconds,
        };
        if claims.iat > now + CLOCK_SKEW_SECONDS {
            return Err(Error::from(ErrorKind::ImmatureSignature));
        }
        if claims.exp - claims.iat > longest {
            return Err(Error::from(ErrorKind::InvalidToken));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&SecretString::from("a-test-secret-that-is-long-enough-123"), "test", 5, 5)
    }

    #[test]
    fn a_token_round_trips() {
        let k = keys();
        let claims = ApplicantClaims {
            personnummer: "189001019802".into(),
            name: None,
            idp: "bankid".into(),
            loa: "loa3".into(),
            sid: "s1".into(),
        };
        let t = k.issue_applicant(claims, 60).unwrap();
        let c = k.verify(&t).unwrap();
        assert_eq!(c.sub, "189001019802");
        assert_eq!(c.kind, Subject::Applicant);
        assert_eq!((c.idp.as_deref(), c.loa.as_deref(), c.sid.as_deref()), (Some("bankid"), Some("loa3"), Some("s1")));
    }

    #[test]
    fn a_staff_token_carries_the_roles_for_the_browser() {
        use shared::api::StaffRole;
        let t = keys()
            .issue_staff("x", Some("Hanna".into()), vec![StaffRole::Handler, StaffRole::ServiceOwner], "s")
            .unwrap();
        let c = keys().verify(&t).unwrap();
        assert_eq!((c.kind, c.roles), (Subject::Staff, vec![StaffRole::Handler, StaffRole::ServiceOwner]));
    }

    #[test]
    fn a_token_not_valid_yet_or_living_longer_than_issued_is_rejected() {
        let k = keys();
        let now = Utc::now().timestamp();
        let forge = |iat: i64, exp: i64, nbf: Option<i64>| {
            k.issue(Claims { iat, exp, nbf, sub: "x".into(), sid: Some("s".into()), ..k.blank(0) }).unwrap()
        };
        assert!(k.verify(&forge(now, now + 300, None)).is_ok(), "the issued lifetime");
        assert!(k.verify(&forge(now + 600, now + 900, None)).is_err(), "iat in the future");
        assert!(k.verify(&forge(now, now + 300, Some(now + 120))).is_err(), "nbf in the future");
        assert!(k.verify(&forge(now, now + 301, None)).is_err(), "longer than 5 minutes");
    }

    #[test]
    fn a_token_signed_with_another_secret_is_rejected() {
        let other = TokenKeys::new(&SecretString::from("another-secret-that-is-long-enough-456"), "test", 5, 5);
        let t = other.issue_staff("x", None, Vec::new(), "s").unwrap();
        assert!(keys().verify(&t).is_err());
    }
}
