//! The checks every request passes before a handler sees it, in one place:
//!
//! - no NUL character (U+0000) anywhere in the address (`%00` in the path or
//!   the query) or in a JSON body's strings (`\u0000`): PostgreSQL cannot
//!   store it in text, and no field of the platform ever needs it, so it is
//!   refused with 400 `nul_character` on both databases instead of a 500 on one;
//! - a JSON body is an object (`{…}`), as every JSON body of the API is: serde
//!   would otherwise read a struct from an array (`[]`, `[null]`) by position;
//! - a method a path of the API does not serve gets 405 with `Allow` and the
//!   JSON error shape, also where actix or the SPA would answer otherwise.

use actix_web::HttpMessage as _;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web::{self, BytesMut};
use futures_util::StreamExt as _;

use crate::error::{AppError, ErrorCode};

/// Refuses what no handler may see, and mends bare 405s.
pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Err(e) = check_address(req.uri()) {
        return Ok(req.error_response(e).map_into_right_body());
    }
    if is_json(&req) {
        let limit = req
            .app_data::<web::Data<crate::state::AppState>>()
            .map_or(64 * 1024, |s| s.settings.server.json_limit_bytes);
        let mut payload = req.take_payload();
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let Ok(chunk) = chunk else {
                let e = AppError::new(ErrorCode::InvalidJson, "The JSON body did not arrive in full.");
                return Ok(req.error_response(e).map_into_right_body());
            };
            if body.len() + chunk.len() > limit {
                return Ok(req.error_response(AppError::PayloadTooLarge(limit)).map_into_right_body());
            }
            body.extend_from_slice(&chunk);
        }
        let body = body.freeze();
        if let Err(e) = check_json_body(&body) {
            return Ok(req.error_response(e).map_into_right_body());
        }
        req.set_payload(body.into());
    }
    let res = next.call(req).await?;
    // A route outside the API's scope (`/health`, `/ready`) asked with another method falls
    // through to the SPA or to actix's bare 405: answer as the API does.
    let bare = match res.status() {
        StatusCode::METHOD_NOT_ALLOWED => !res.headers().contains_key(header::ALLOW),
        StatusCode::NOT_FOUND => {
            let allowed = crate::routes::allowed_methods(res.request().path());
            !allowed.is_empty() && !allowed.contains(&res.request().method().as_str())
        }
        _ => false,
    };
    if bare {
        let (req, _) = res.into_parts();
        let resp = crate::routes::method_not_allowed(&req);
        return Ok(ServiceResponse::new(req, resp).map_into_right_body());
    }
    Ok(res.map_into_left_body())
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .is_some_and(|essence| essence == "application/json" || essence.ends_with("+json"))
}

/// A NUL in the path or query (`%00`; a raw one never gets past the HTTP parser).
fn check_address(uri: &actix_web::http::Uri) -> Result<(), AppError> {
    let address = uri.path_and_query().map_or("", |pq| pq.as_str());
    if address.contains("%00") {
        return Err(nul());
    }
    Ok(())
}

fn nul() -> AppError {
    AppError::new(
        ErrorCode::NulCharacter,
        "The request contains a NUL character (U+0000, `%00` or `\\u0000`), which no field accepts. Remove it.",
    )
}

/// The body is a JSON object, and none of its strings holds a NUL. Only the
/// shape is looked at here; the handler's extractor reads the rest.
fn check_json_body(body: &[u8]) -> Result<(), AppError> {
    if body.contains(&0) || has_escaped_nul(body) {
        return Err(nul());
    }
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None | Some(b'{') => Ok(()),
        Some(_) => Err(AppError::new(
            ErrorCode::InvalidJson,
            "The JSON body must be an object (`{ … }`), as the API documents for this operation.",
        )),
    }
}

/// Whether the JSON text holds the escape `\u0000`: a backslash that starts an
/// escape is preceded by an even number of backslashes (`\\u0000` is a
/// backslash followed by the text `u0000`). Backslashes occur only in strings.
fn has_escaped_nul(body: &[u8]) -> bool {
    let mut i = 0;
    while let Some(pos) = body[i..].windows(6).position(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        let at = i + pos;
        let preceding = body[..at].iter().rev().take_while(|b| **b == b'\\').count();
        if preceding % 2 == 0 {
            return true;
        }
        i = at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escaped_nul_is_found_in_any_string_and_an_escaped_backslash_before_u0000_is_not_one() {
        assert!(has_escaped_nul(br#"{"a":"x\u0000y"}"#));
        assert!(has_escaped_nul(br#"{"a":["ok","\u0000"]}"#));
        assert!(has_escaped_nul(br#"{"a":"\\\u0000"}"#), "an escaped backslash, then an escaped NUL");
        assert!(!has_escaped_nul(br#"{"a":"\\u0000"}"#), "a backslash and the text u0000");
        assert!(!has_escaped_nul(br#"{"a":"\u0001"}"#));
    }

    #[test]
    fn only_objects_pass_and_a_raw_nul_byte_is_refused() {
        assert!(check_json_body(br#"  {"a": 1}"#).is_ok());
        assert!(check_json_body(b"").is_ok(), "an empty body is the extractor's to refuse");
        for bad in [&b"[]"[..], b"[null]", b"\"text\"", b"1", b"null", b"true"] {
            assert!(check_json_body(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert!(check_json_body(b"{\"a\":\"x\0\"}").is_err());
    }

    #[test]
    fn a_percent_encoded_nul_in_the_path_or_query_is_refused() {
        for bad in ["/api/v1/catalogue/%00", "/api/v1/cases?reference=HBG%00", "/x?q=a%00b"] {
            assert!(check_address(&bad.parse().unwrap()).is_err(), "{bad}");
        }
        for ok in ["/api/v1/catalogue/bygglov", "/x?q=%2500", "/x?q=100"] {
            assert!(check_address(&ok.parse().unwrap()).is_ok(), "{ok}");
        }
    }
}
