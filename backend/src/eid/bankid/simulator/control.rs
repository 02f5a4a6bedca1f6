//! The simulator's orders and [`SimulatorControl`], which plays the user's
//! BankID app: an order's states (`outstandingTransaction` → `started` →
//! `userSign` → `complete`, or failed with a hint code), the bounded list of
//! orders, their expiry after the order lifetime, and what a test or the
//! development page can see of them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::auth::identity::is_official_test_number;
use crate::eid::bankid::client::{CollectStatus, ErrorCode};
use crate::eid::bankid::qr;

/// Most orders kept; the oldest are dropped beyond this.
const MAX_ORDERS: usize = 1_000;
/// How long an order lives without completing (BankID: about three minutes).
const DEFAULT_ORDER_TTL: Duration = Duration::from_secs(180);
/// How far the seconds in a scanned QR code may be from the order's age.
const QR_CLOCK_SKEW: u64 = 5;

/// `auth` or `sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// Identification.
    Auth,
    /// Signature.
    Sign,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum OrderState {
    Outstanding,
    Started { person: String },
    UserSign { person: String },
    Complete { person: String, completed: String },
    Failed { hint: String },
}

#[derive(Debug)]
pub(super) struct Order {
    pub(super) order_ref: String,
    pub(super) kind: OrderKind,
    pub(super) created: Instant,
    pub(super) end_user_ip: String,
    pub(super) required: Option<String>,
    pub(super) visible_text: Option<String>,
    pub(super) user_visible_data: Option<String>,
    pub(super) user_non_visible_data: Option<String>,
    pub(super) qr_start_token: String,
    pub(super) qr_start_secret: String,
    pub(super) state: OrderState,
}

impl Order {
    pub(super) fn is_active(&self) -> bool {
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

    pub(super) fn involves(&self, personnummer: &str) -> bool {
        self.is_active() && (self.person() == Some(personnummer) || self.required.as_deref() == Some(personnummer))
    }

    pub(super) fn fail(&mut self, hint: &str) {
        self.state = OrderState::Failed { hint: hint.to_string() };
    }
}

#[derive(Debug)]
pub(super) struct SimState {
    pub(super) orders: HashMap<String, Order>,
    pub(super) order_of_arrival: VecDeque<String>,
    pub(super) fail_next: VecDeque<ErrorCode>,
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

    pub(super) fn insert(&mut self, order: Order) {
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
    pub(super) fn new() -> Self {
        Self {
            state: Arc::new(Mutex::new(SimState {
                orders: HashMap::new(),
                order_of_arrival: VecDeque::new(),
                fail_next: VecDeque::new(),
                order_ttl: DEFAULT_ORDER_TTL,
            })),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, SimState> {
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
        let scanned = qr::parse(qr_data).ok_or(ControlError::InvalidQrCode("malformed"))?;
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

pub(super) fn status_of(state: &OrderState) -> (CollectStatus, Option<&str>) {
    match state {
        OrderState::Outstanding => (CollectStatus::Pending, Some("outstandingTransaction")),
        OrderState::Started { .. } => (CollectStatus::Pending, Some("started")),
        OrderState::UserSign { .. } => (CollectStatus::Pending, Some("userSign")),
        OrderState::Complete { .. } => (CollectStatus::Complete, None),
        OrderState::Failed { hint } => (CollectStatus::Failed, Some(hint)),
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as BASE64;

    use super::*;
    use crate::eid::bankid::simulator::rp_api::order;

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
}
