//! The request headers the API reads besides the token, as extractors, so a
//! handler names what it reads in its signature and each header is checked
//! in one place: `Idempotency-Key`, `X-Upload-Token`, `If-Match` (with the
//! `ETag` it answers), and the end user's IP address (BankID's `endUserIp`).

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::{FromRequest, HttpRequest};

use crate::error::{AppError, ErrorCode};

/// Longest accepted idempotency key.
const MAX_KEY_LEN: usize = 128;

/// The header carrying an anonymous uploader's owner token.
pub const UPLOAD_TOKEN_HEADER: &str = "X-Upload-Token";

/// The `Idempotency-Key` header, if sent: 1 to 128 visible ASCII characters (else 400).
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

/// The `X-Upload-Token` header, if sent: 32 to 128 characters of `A-Z a-z 0-9 - _` (else 400).
#[derive(Debug, Clone, Default)]
pub struct UploadToken(pub Option<String>);

/// The end user's IP address as this server sees the connection.
#[derive(Debug, Clone, Copy)]
pub struct EndUserIp(pub IpAddr);

/// The `If-Match` header of a save: the revision (`"3"`, or weak `W/"3"`) the change was made
/// from, if sent. `*` counts as not sent; any other value is no revision of ours and never
/// matches (revisions count from 1), so the save is refused (412) rather than made blindly.
#[derive(Debug, Clone, Copy, Default)]
pub struct IfMatch(pub Option<u32>);

/// The `ETag` of a revision, as `If-Match` takes it back.
pub fn etag(revision: u32) -> (actix_web::http::header::HeaderName, String) {
    (actix_web::http::header::ETAG, format!("\"{revision}\""))
}

fn if_match(req: &HttpRequest) -> IfMatch {
    let Some(v) = req.headers().get(actix_web::http::header::IF_MATCH) else {
        return IfMatch(None);
    };
    let s = v.to_str().unwrap_or("").trim();
    if s == "*" {
        return IfMatch(None);
    }
    let tag = s.strip_prefix("W/").unwrap_or(s);
    let revision = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(|n| n.parse::<u32>().ok());
    IfMatch(Some(revision.unwrap_or(0)))
}

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(Ok(if_match(req)))
    }
}

fn idempotency_key(req: &HttpRequest) -> Result<IdempotencyKey, AppError> {
    let Some(v) = req.headers().get("Idempotency-Key") else {
        return Ok(IdempotencyKey(None));
    };
    let s = v.to_str().unwrap_or("");
    if s.is_empty() || s.len() > MAX_KEY_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::new(
            ErrorCode::InvalidIdempotencyKey,
            format!("The Idempotency-Key header must be 1 to {MAX_KEY_LEN} visible ASCII characters, e.g. a UUID."),
        ));
    }
    Ok(IdempotencyKey(Some(s.to_string())))
}

fn upload_token(req: &HttpRequest) -> Result<UploadToken, AppError> {
    let Some(v) = req.headers().get(UPLOAD_TOKEN_HEADER) else {
        return Ok(UploadToken(None));
    };
    let s = v.to_str().unwrap_or("");
    if !(32..=128).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(AppError::new(
            ErrorCode::InvalidUploadToken,
            "The X-Upload-Token header must be the owner token an upload answered with.",
        ));
    }
    Ok(UploadToken(Some(s.to_string())))
}

fn end_user_ip(req: &HttpRequest) -> Result<EndUserIp, AppError> {
    req.peer_addr().map(|a| EndUserIp(a.ip().to_canonical())).ok_or_else(|| AppError::internal("no peer address"))
}

impl FromRequest for IdempotencyKey {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(idempotency_key(req))
    }
}

impl FromRequest for UploadToken {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(upload_token(req))
    }
}

impl FromRequest for EndUserIp {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(end_user_ip(req))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn an_idempotency_key_is_one_to_128_visible_ascii_characters() {
        let with =
            |v: &str| idempotency_key(&TestRequest::default().insert_header(("Idempotency-Key", v)).to_http_request());
        assert_eq!(with("a-b_c").ok().and_then(|k| k.0).as_deref(), Some("a-b_c"));
        assert!(with("").is_err() && with("a b").is_err() && with(&"x".repeat(129)).is_err());
        assert!(idempotency_key(&TestRequest::default().to_http_request()).is_ok_and(|k| k.0.is_none()));
    }

    #[test]
    fn an_upload_token_is_32_to_128_url_safe_characters() {
        let with =
            |v: &str| upload_token(&TestRequest::default().insert_header((UPLOAD_TOKEN_HEADER, v)).to_http_request());
        assert!(with(&"a".repeat(32)).is_ok_and(|t| t.0.is_some()));
        assert!(with(&"a".repeat(31)).is_err() && with(&format!("{}/", "a".repeat(32))).is_err());
    }
}
