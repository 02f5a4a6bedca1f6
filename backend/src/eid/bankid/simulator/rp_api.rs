//! The simulator's HTTP API, as BankID's RP API v6.0: `auth` and `sign` start
//! an order (checking the parameters as BankID does), `collect` reports its
//! state with completion data whose `signature` and `ocspResponse` are
//! stand-ins clearly marked as simulated, and `cancel` forgets it.

use std::net::IpAddr;
use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::control::{Order, OrderKind, OrderState, SimulatorControl, status_of};
use super::test_person_name;
use crate::auth::identity::is_official_test_number;
use crate::eid::bankid::client::{ErrorBody, ErrorCode, Requirement};

fn error(code: ErrorCode, details: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(code.http_status())
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status).json(ErrorBody { error_code: code.as_str().to_string(), details: details.to_string() })
}

fn invalid(details: &str) -> HttpResponse {
    error(ErrorCode::InvalidParameters, details)
}

pub(super) async fn no_such_method(req: HttpRequest) -> HttpResponse {
    let known = ["auth", "sign", "collect", "cancel"];
    let method = req.path().strip_prefix("/rp/v6.0/").unwrap_or("");
    if known.contains(&method) {
        error(ErrorCode::MethodNotAllowed, "Use POST.")
    } else {
        error(ErrorCode::NotFound, "No such endpoint.")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderBody {
    end_user_ip: Option<String>,
    #[serde(default)]
    requirement: Option<Requirement>,
    user_visible_data: Option<String>,
    user_visible_data_format: Option<String>,
    user_non_visible_data: Option<String>,
    #[allow(dead_code, reason = "accepted as BankID does; the simulator has no app to return to")]
    return_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderRefBody {
    order_ref: Option<String>,
}

pub(super) async fn rp_call(
    req: HttpRequest,
    method: web::Path<String>,
    body: web::Bytes,
    control: web::Data<SimulatorControl>,
) -> HttpResponse {
    let is_json = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return error(ErrorCode::UnsupportedMediaType, "Content-Type must be application/json.");
    }
    match method.as_str() {
        "auth" => order(&control, OrderKind::Auth, &body),
        "sign" => order(&control, OrderKind::Sign, &body),
        "collect" => with_order_ref(&body, |r| collect(&control, r)),
        "cancel" => with_order_ref(&body, |r| cancel(&control, r)),
        _ => error(ErrorCode::NotFound, "No such endpoint."),
    }
}

fn with_order_ref(body: &[u8], f: impl FnOnce(&str) -> HttpResponse) -> HttpResponse {
    match serde_json::from_slice::<OrderRefBody>(body) {
        Ok(OrderRefBody { order_ref: Some(r) }) if !r.is_empty() => f(&r),
        Ok(_) => invalid("orderRef is missing."),
        Err(_) => invalid("The body is not valid JSON."),
    }
}

/// Decodes an optional base64 field; the error is the `details` of an `invalidParameters` answer.
fn decode_b64(value: &Option<String>, name: &str, max: usize) -> Result<Option<Vec<u8>>, String> {
    let Some(v) = value else { return Ok(None) };
    if v.is_empty() || v.len() > max {
        return Err(format!("Invalid {name}."));
    }
    BASE64.decode(v).map(Some).map_err(|_| format!("Invalid {name}: not base64."))
}

pub(super) fn order(control: &SimulatorControl, kind: OrderKind, body: &[u8]) -> HttpResponse {
    let Ok(b) = serde_json::from_slice::<OrderBody>(body) else {
        return invalid("The body is not valid JSON.");
    };
    let Some(ip) = b.end_user_ip.as_deref().filter(|ip| ip.parse::<IpAddr>().is_ok()) else {
        return invalid("Invalid endUserIp.");
    };
    let visible = match decode_b64(&b.user_visible_data, "userVisibleData", 40_000) {
        Ok(v) => v,
        Err(details) => return invalid(&details),
    };
    if kind == OrderKind::Sign && visible.is_none() {
        return invalid("userVisibleData is required.");
    }
    if let Err(details) = decode_b64(&b.user_non_visible_data, "userNonVisibleData", 200_000) {
        return invalid(&details);
    }
    if b.user_visible_data_format.as_deref().is_some_and(|f| f != "simpleMarkdownV1") {
        return invalid("Invalid userVisibleDataFormat.");
    }
    let required = b.requirement.and_then(|r| r.personal_number);
    if let Some(p) = &required
        && (p.len() != 12 || !p.bytes().all(|c| c.is_ascii_digit()) || !is_official_test_number(p))
    {
        return invalid("Invalid requirement.personalNumber (the simulator accepts only official test numbers).");
    }
    let mut state = control.lock();
    if let Some(code) = state.fail_next.pop_front() {
        return error(code, "Failing on command of the simulator's control.");
    }
    if let Some(p) = &required {
        let mut busy = false;
        for other in state.orders.values_mut().filter(|o| o.involves(p)) {
            other.fail("cancelled");
            busy = true;
        }
        if busy {
            return error(ErrorCode::AlreadyInProgress, "Order already in progress for pno.");
        }
    }
    let order_ref = uuid::Uuid::new_v4().to_string();
    let auto_start_token = uuid::Uuid::new_v4().to_string();
    let qr_start_token = uuid::Uuid::new_v4().to_string();
    let qr_start_secret = uuid::Uuid::new_v4().to_string();
    state.insert(Order {
        order_ref: order_ref.clone(),
        kind,
        created: Instant::now(),
        end_user_ip: ip.to_string(),
        required,
        visible_text: visible.map(|v| String::from_utf8_lossy(&v).into_owned()),
        user_visible_data: b.user_visible_data,
        user_non_visible_data: b.user_non_visible_data,
        qr_start_token: qr_start_token.clone(),
        qr_start_secret: qr_start_secret.clone(),
        state: OrderState::Outstanding,
    });
    HttpResponse::Ok().json(serde_json::json!({
        "orderRef": order_ref,
        "autoStartToken": auto_start_token,
        "qrStartToken": qr_start_token,
        "qrStartSecret": qr_start_secret,
    }))
}

fn collect(control: &SimulatorControl, order_ref: &str) -> HttpResponse {
    let state = control.lock();
    let Some(order) = state.orders.get(order_ref) else {
        return invalid("No such order.");
    };
    let (status, hint) = status_of(&order.state);
    let mut body = serde_json::json!({ "orderRef": order.order_ref, "status": status });
    if let Some(hint) = hint {
        body["hintCode"] = hint.into();
    }
    if let OrderState::Complete { person, completed } = &order.state {
        body["completionData"] = completion_data(order, person, completed);
    }
    HttpResponse::Ok().json(body)
}

fn completion_data(order: &Order, person: &str, completed: &str) -> serde_json::Value {
    let (given, surname) = test_person_name(person);
    let digest = hex::encode(Sha256::digest(
        format!(
            "{}|{person}|{}|{}",
            order.order_ref,
            order.user_visible_data.as_deref().unwrap_or(""),
            order.user_non_visible_data.as_deref().unwrap_or("")
        )
        .as_bytes(),
    ));
    let signature = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <!-- BankID simulator: a stand-in, NOT a real XML signature -->\
         <Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignatureValue>{digest}</SignatureValue>\
         <Object><bankIdSignedData><usrVisibleData>{}</usrVisibleData><usrNonVisibleData>{}</usrNonVisibleData>\
         <srvInfo><nonce>{}</nonce><time>{completed}</time></srvInfo></bankIdSignedData></Object></Signature>",
        order.user_visible_data.as_deref().unwrap_or(""),
        order.user_non_visible_data.as_deref().unwrap_or(""),
        order.order_ref,
    );
    let ocsp = format!("BankID simulator: a stand-in OCSP response, status good, produced {completed}, for {digest}");
    serde_json::json!({
        "user": {
            "personalNumber": person,
            "name": format!("{given} {surname}"),
            "givenName": given,
            "surname": surname,
        },
        "device": { "ipAddress": order.end_user_ip, "uhi": "c2ltdWxhdG9y" },
        "bankIdIssueDate": "2024-01-15",
        "signature": BASE64.encode(signature),
        "ocspResponse": BASE64.encode(ocsp),
    })
}

fn cancel(control: &SimulatorControl, order_ref: &str) -> HttpResponse {
    let mut state = control.lock();
    let Some(order) = state.orders.get_mut(order_ref) else {
        return invalid("No such order.");
    };
    if order.is_active() {
        order.fail("cancelled");
    }
    // BankID forgets a cancelled order: collecting it again is `invalidParameters`.
    state.orders.remove(order_ref);
    state.order_of_arrival.retain(|r| r != order_ref);
    HttpResponse::Ok().json(serde_json::json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_without_end_user_ip_is_invalid_parameters() {
        let control = SimulatorControl::new();
        let resp = order(&control, OrderKind::Auth, b"{}");
        assert_eq!(resp.status(), 400);
    }
}
