//! A BankID RP API v6.0 simulator for development and tests: the same JSON
//! API (`/rp/v6.0/auth`, `sign`, `collect`, `cancel`) over HTTPS on loopback,
//! with client certificates required (mutual TLS as at BankID), and a
//! [`SimulatorControl`] that plays the user's BankID app.
//!
//! Only Skatteverket's official test personnummer can use it. An order goes
//! `pending outstandingTransaction` → (a person scans the QR code or opens
//! the app: [`SimulatorControl::scan`]) `pending started` → (optionally
//! [`SimulatorControl::user_sign`]) `pending userSign` → ([`SimulatorControl::confirm`])
//! `complete` with completion data whose `signature` and `ocspResponse` are
//! base64 stand-ins clearly marked as simulated. Failures on command:
//! `userCancel`, `expiredTransaction` (also by itself after the order
//! lifetime), `startFailed`, `certificateErr`, or any hint code; and any error
//! answer for the next `auth`/`sign` request ([`SimulatorControl::fail_next_request`]).
//!
//! Like BankID: an `auth`/`sign` with `requirement.personalNumber` for a person
//! who already has an order in progress is answered `alreadyInProgress` and
//! that order is cancelled (`failed`/`cancelled`); a person opening a new
//! order cancels their older one the same way; and an order bound to a
//! personal number fails when someone else tries to use it (modelled as
//! `failed`/`userCancel`: the app refuses the other person's BankID and the
//! order ends; the relying party never gets a completion for the wrong person).

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Utc;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::client::{CollectStatus, ErrorBody, ErrorCode, Requirement};
use crate::auth::identity::is_official_test_number;
use crate::eid::tls::TestPki;

/// Most orders kept; the oldest are dropped beyond this.
const MAX_ORDERS: usize = 1_000;
/// How long an order lives without completing (BankID: about three minutes).
const DEFAULT_ORDER_TTL: Duration = Duration::from_secs(180);
/// How far the seconds in a scanned QR code may be from the order's age.
const QR_CLOCK_SKEW: u64 = 5;

/// The simulator as a namespace: [`BankIdSimulator::start`].
pub struct BankIdSimulator;

/// A running simulator.
#[derive(Clone)]
pub struct SimulatorHandle {
    /// `https://127.0.0.1:PORT/rp/v6.0/`.
    pub base_url: String,
    server: ServerHandle,
}

impl std::fmt::Debug for SimulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatorHandle").field("base_url", &self.base_url).finish()
    }
}

impl SimulatorHandle {
    /// Stops the simulator.
    pub async fn stop(&self) {
        self.server.stop(false).await;
    }
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
#[error("BankID simulator: {0}")]
pub struct StartError(String);

impl BankIdSimulator {
    /// Starts the simulator on `127.0.0.1:0` over HTTPS with `pki`'s server
    /// certificate, accepting only clients with a certificate from `pki`'s CA.
    /// Must be called within a Tokio runtime.
    pub fn start(pki: &TestPki) -> Result<(SimulatorHandle, SimulatorControl), StartError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|e| StartError(e.to_string()))?;
        let tls = pki.server_config().map_err(|e| StartError(e.to_string()))?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| StartError(e.to_string()))?;
        let port = listener.local_addr().map_err(|e| StartError(e.to_string()))?.port();
        let control = SimulatorControl::new();
        let data = web::Data::new(control.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(1024 * 1024))
                .service(
                    web::scope("/rp/v6.0")
                        .route("/{method}", web::post().to(rp_call))
                        .default_service(web::to(no_such_method)),
                )
                .default_service(web::to(no_such_method))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .listen_rustls_0_23(listener, tls)
        .map_err(|e| StartError(e.to_string()))?
        .run();
        let handle =
            SimulatorHandle { base_url: format!("https://127.0.0.1:{port}/rp/v6.0/"), server: server.handle() };
        runtime.spawn(server);
        Ok((handle, control))
    }
}

/// `auth` or `sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// Identification.
    Auth,
    /// Signature.
    Sign,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum OrderState {
    Outstanding,
    Started { person: String },
    UserSign { person: String },
    Complete { person: String, completed: String },
    Failed { hint: String },
}

#[derive(Debug)]
struct Order {
    order_ref: String,
    kind: OrderKind,
    created: Instant,
    end_user_ip: String,
    required: Option<String>,
    visible_text: Option<String>,
    user_visible_data: Option<String>,
    user_non_visible_data: Option<String>,
    qr_start_token: String,
    qr_start_secret: String,
    state: OrderState,
}

impl Order {
    fn is_active(&self) -> bool {
        !matches!(self.state, OrderState::Complete { .. } | OrderState::Failed { .. })
    }

    fn person(&self) -> Option<&str> {
        match &self.state {
            OrderState::Started { person } | OrderState::UserSign { person } | OrderState::Complete { person, .. } => {
                Some(person)
            }
            _ => None,
        }
    }

    fn involves(&self, personnummer: &str) -> bool {
        self.is_active() && (self.person() == Some(personnummer) || self.required.as_deref() == Some(personnummer))
    }

    fn fail(&mut self, hint: &str) {
        self.state = OrderState::Failed { hint: hint.to_string() };
    }
}

#[derive(Debug)]
struct SimState {
    orders: HashMap<String, Order>,
    order_of_arrival: VecDeque<String>,
    fail_next: VecDeque<ErrorCode>,
    order_ttl: Duration,
}

impl SimState {
    fn expire(&mut self) {
        let ttl = self.order_ttl;
        for order in self.orders.values_mut() {
            if order.is_active() && order.created.elapsed() >= ttl {
                order.fail("expiredTransaction");
            }
        }
    }

    fn insert(&mut self, order: Order) {
        while self.order_of_arrival.len() >= MAX_ORDERS {
            if let Some(old) = self.order_of_arrival.pop_front() {
                self.orders.remove(&old);
            }
        }
        self.order_of_arrival.push_back(order.order_ref.clone());
        self.orders.insert(order.order_ref.clone(), order);
    }
}

/// What a test or the development page can see of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSummary {
    /// The order reference.
    pub order_ref: String,
    /// Identification or signature.
    pub kind: OrderKind,
    /// `pending`, `failed` or `complete`.
    pub status: CollectStatus,
    /// The hint code while pending or after failing.
    pub hint_code: Option<String>,
    /// Who scanned or opened the order.
    pub person: Option<String>,
    /// Who alone may complete it (`requirement.personalNumber`).
    pub required_personnummer: Option<String>,
    /// The text to sign, decoded.
    pub visible_text: Option<String>,
    /// Seconds since the order started.
    pub age_seconds: u64,
}

/// Why a control action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// No order with that reference (or it was dropped).
    #[error("there is no such order")]
    NoSuchOrder,
    /// The simulator serves only Skatteverket's test personnummer.
    #[error("only Skatteverket's official test personnummer can use the simulator")]
    NotATestNumber,
    /// The order is not in a state where this can happen.
    #[error("the order is {0}")]
    WrongState(String),
    /// The order is bound to another person; it has now failed.
    #[error("the order may only be completed by another person; it has failed")]
    NotTheRequiredPerson,
    /// A scanned QR code was malformed, stale or forged.
    #[error("the QR code is not valid: {0}")]
    InvalidQrCode(&'static str),
}

/// Plays the user's BankID app, and makes the simulator fail on command.
#[derive(Clone)]
pub struct SimulatorControl {
    state: Arc<Mutex<SimState>>,
}

impl std::fmt::Debug for SimulatorControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimulatorControl")
    }
}

impl SimulatorControl {
    fn new() -> Self {
        Self {
            state: Arc::new(Mutex::new(SimState {
                orders: HashMap::new(),
                order_of_arrival: VecDeque::new(),
                fail_next: VecDeque::new(),
                order_ttl: DEFAULT_ORDER_TTL,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SimState> {
        // A panic while holding the lock leaves consistent data (every change is one assignment).
        let mut guard = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.expire();
        guard
    }

    /// Every order, newest first.
    pub fn orders(&self) -> Vec<OrderSummary> {
        let state = self.lock();
        state.order_of_arrival.iter().rev().filter_map(|r| state.orders.get(r)).map(summary).collect()
    }

    /// The newest order, if any.
    pub fn latest_order(&self) -> Option<OrderSummary> {
        self.orders().into_iter().next()
    }

    /// The `qrStartSecret` of an order: for tests that check it never leaves the relying party.
    pub fn qr_start_secret(&self, order_ref: &str) -> Option<String> {
        self.lock().orders.get(order_ref).map(|o| o.qr_start_secret.clone())
    }

    /// Sets how long orders live before they fail with `expiredTransaction`.
    pub fn set_order_ttl(&self, ttl: Duration) {
        self.lock().order_ttl = ttl;
    }

    /// Answers the next `auth` or `sign` request with this error (queued; one per call).
    pub fn fail_next_request(&self, code: ErrorCode) {
        self.lock().fail_next.push_back(code);
    }

    /// `personnummer` scans the order's QR code or opens it on the same device.
    pub fn scan(&self, order_ref: &str, personnummer: &str) -> Result<(), ControlError> {
        if !is_official_test_number(personnummer) {
            return Err(ControlError::NotATestNumber);
        }
        let mut state = self.lock();
        let order = state.orders.get_mut(order_ref).ok_or(ControlError::NoSuchOrder)?;
        if order.state != OrderState::Outstanding {
            return Err(ControlError::WrongState(describe(&order.state)));
        }
        if order.required.as_deref().is_some_and(|r| r != personnummer) {
            order.fail("userCancel");
            return Err(ControlError::NotTheRequiredPerson);
        }
        order.state = OrderState::Started { person: personnummer.to_string() };
        // The app handles one order at a time: the person's older orders are cancelled.
        for other in state.orders.values_mut() {
            if other.order_ref != order_ref && other.involves(personnummer) {
                other.fail("cancelled");
            }
        }
        Ok(())
    }

    /// `personnummer` scans `qr_data` with the app: the code must name an
    /// outstanding order, carry that order's HMAC, and be fresh.
    pub fn scan_qr(&self, qr_data: &str, personnummer: &str) -> Result<(), ControlError> {
        let scanned = super::qr::parse(qr_data).ok_or(ControlError::InvalidQrCode("malformed"))?;
        let order_ref = {
            let state = self.lock();
            let order = state
                .orders
                .values()
                .find(|o| o.qr_start_token == scanned.qr_start_token)
                .ok_or(ControlError::NoSuchOrder)?;
            if !scanned.verifies_with(&order.qr_start_secret) {
                return Err(ControlError::InvalidQrCode("wrong authentication code"));
            }
            if order.created.elapsed().as_secs().abs_diff(scanned.seconds) > QR_CLOCK_SKEW {
                return Err(ControlError::InvalidQrCode("stale"));
            }
            order.order_ref.clone()
        };
        self.scan(&order_ref, personnummer)
    }

    /// The app shows the order and asks for the security code (`userSign`).
    pub fn user_sign(&self, order_ref: &str) -> Result<(), ControlError> {
        let mut state = self.lock();
        let order = state.orders.get_mut(order_ref).ok_or(ControlError::NoSuchOrder)?;
        match &order.state {
            OrderState::Started { person } => {
                order.state = OrderState::UserSign { person: person.clone() };
                Ok(())
            }
            other => Err(ControlError::WrongState(describe(other))),
        }
    }

    /// The person enters the security code: the order completes.
    pub fn confirm(&self, order_ref: &str) -> Result<(), ControlError> {
        let mut state = self.lock();
        let order = state.orders.get_mut(order_ref).ok_or(ControlError::NoSuchOrder)?;
        match &order.state {
            OrderState::Started { person } | OrderState::UserSign { person } => {
                let person = person.clone();
                order.state = OrderState::Complete { person, completed: Utc::now().to_rfc3339() };
                Ok(())
            }
            other => Err(ControlError::WrongState(describe(other))),
        }
    }

    /// The person cancels in the app (`userCancel`).
    pub fn cancel_by_user(&self, order_ref: &str) -> Result<(), ControlError> {
        self.fail(order_ref, "userCancel")
    }

    /// The order fails with `hint_code` (`expiredTransaction`, `startFailed`,
    /// `certificateErr`, … or any other string).
    pub fn fail(&self, order_ref: &str, hint_code: &str) -> Result<(), ControlError> {
        let mut state = self.lock();
        let order = state.orders.get_mut(order_ref).ok_or(ControlError::NoSuchOrder)?;
        if !order.is_active() {
            return Err(ControlError::WrongState(describe(&order.state)));
        }
        order.fail(hint_code);
        Ok(())
    }
}

fn describe(state: &OrderState) -> String {
    match state {
        OrderState::Outstanding => "waiting to be scanned".into(),
        OrderState::Started { .. } => "already opened".into(),
        OrderState::UserSign { .. } => "waiting for the security code".into(),
        OrderState::Complete { .. } => "complete".into(),
        OrderState::Failed { hint } => format!("failed ({hint})"),
    }
}

fn summary(o: &Order) -> OrderSummary {
    let (status, hint_code) = status_of(&o.state);
    OrderSummary {
        order_ref: o.order_ref.clone(),
        kind: o.kind,
        status,
        hint_code: hint_code.map(String::from),
        person: o.person().map(String::from),
        required_personnummer: o.required.clone(),
        visible_text: o.visible_text.clone(),
        age_seconds: o.created.elapsed().as_secs(),
    }
}

fn status_of(state: &OrderState) -> (CollectStatus, Option<&str>) {
    match state {
        OrderState::Outstanding => (CollectStatus::Pending, Some("outstandingTransaction")),
        OrderState::Started { .. } => (CollectStatus::Pending, Some("started")),
        OrderState::UserSign { .. } => (CollectStatus::Pending, Some("userSign")),
        OrderState::Complete { .. } => (CollectStatus::Complete, None),
        OrderState::Failed { hint } => (CollectStatus::Failed, Some(hint)),
    }
}

/// The name the simulator gives a test person: the Navet simulator's, when
/// it knows the person, else an invented one (the test lists carry no names).
pub fn test_person_name(personnummer: &str) -> (String, String) {
    if let Some(name) = crate::navet::simulator::fixture_name(personnummer) {
        return name;
    }
    let given = match personnummer {
        "189001019802" => "Tolvan",
        "189001029819" => "Tilda",
        "189001039800" => "Sven",
        "191401682396" => "Samira",
        _ => "Test",
    };
    (given.to_string(), "Testsson".to_string())
}

// --- the HTTP API -------------------------------------------------------------------------------

fn error(code: ErrorCode, details: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(code.http_status())
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status).json(ErrorBody { error_code: code.as_str().to_string(), details: details.to_string() })
}

fn invalid(details: &str) -> HttpResponse {
    error(ErrorCode::InvalidParameters, details)
}

async fn no_such_method(req: HttpRequest) -> HttpResponse {
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

async fn rp_call(
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

fn order(control: &SimulatorControl, kind: OrderKind, body: &[u8]) -> HttpResponse {
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

    fn control_with_order(required: Option<&str>) -> (SimulatorControl, String) {
        let control = SimulatorControl::new();
        let body = serde_json::json!({
            "endUserIp": "127.0.0.1",
            "userVisibleData": BASE64.encode("Skriv under"),
            "requirement": required.map(|p| serde_json::json!({"personalNumber": p})),
        });
        let resp = order(&control, OrderKind::Sign, body.to_string().as_bytes());
        assert_eq!(resp.status(), 200);
        let order_ref = control.latest_order().unwrap().order_ref;
        (control, order_ref)
    }

    #[test]
    fn an_order_progresses_from_outstanding_to_complete_when_a_test_person_scans_and_confirms() {
        let (control, r) = control_with_order(None);
        assert_eq!(control.latest_order().unwrap().hint_code.as_deref(), Some("outstandingTransaction"));
        control.scan(&r, "189001019802").unwrap();
        assert_eq!(control.latest_order().unwrap().hint_code.as_deref(), Some("started"));
        control.user_sign(&r).unwrap();
        assert_eq!(control.latest_order().unwrap().hint_code.as_deref(), Some("userSign"));
        control.confirm(&r).unwrap();
        let done = control.latest_order().unwrap();
        assert_eq!(done.status, CollectStatus::Complete);
        assert_eq!(done.person.as_deref(), Some("189001019802"));
    }

    #[test]
    fn only_official_test_numbers_can_scan() {
        let (control, r) = control_with_order(None);
        assert_eq!(control.scan(&r, "191212121212"), Err(ControlError::NotATestNumber));
    }

    #[test]
    fn an_order_bound_to_a_person_fails_when_someone_else_scans_it() {
        let (control, r) = control_with_order(Some("189001019802"));
        assert_eq!(control.scan(&r, "189001029819"), Err(ControlError::NotTheRequiredPerson));
        let o = control.latest_order().unwrap();
        assert_eq!((o.status, o.hint_code.as_deref()), (CollectStatus::Failed, Some("userCancel")));
        assert!(control.confirm(&r).is_err());
    }

    #[test]
    fn orders_fail_with_expired_transaction_after_their_lifetime() {
        let (control, _) = control_with_order(None);
        control.set_order_ttl(Duration::ZERO);
        let o = control.latest_order().unwrap();
        assert_eq!((o.status, o.hint_code.as_deref()), (CollectStatus::Failed, Some("expiredTransaction")));
    }

    #[test]
    fn the_number_of_orders_kept_is_bounded() {
        let control = SimulatorControl::new();
        let body = serde_json::json!({"endUserIp": "127.0.0.1"}).to_string();
        for _ in 0..MAX_ORDERS + 5 {
            assert_eq!(order(&control, OrderKind::Auth, body.as_bytes()).status(), 200);
        }
        assert_eq!(control.orders().len(), MAX_ORDERS);
    }

    #[test]
    fn a_request_without_end_user_ip_is_invalid_parameters() {
        let control = SimulatorControl::new();
        let resp = order(&control, OrderKind::Auth, b"{}");
        assert_eq!(resp.status(), 400);
    }
}
