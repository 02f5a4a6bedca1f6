//! Logins and signature orders that the browser polls: each is kept under an
//! opaque id with its `orderRef` and `qrStartSecret`, bounded per client
//! address and in all, polled with at most one `collect` per
//! [`COLLECT_INTERVAL`], and cancelled on request. A signature order's
//! evidence is given out once, and only when the signer is the required person.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Instant;

use chrono::Utc;
use rand::RngCore;
use shared::Personnummer;

use super::{
    BankIdService, COLLECT_INTERVAL, LoginError, MAX_LOGINS, MAX_ORDERS_PER_CLIENT, MAX_TEMPORARY_FAILURES,
    SignatureEvidence, identity_of,
};
use crate::auth::identity::VerifiedIdentity;
use crate::eid::bankid::client::{
    AuthRequest, BankIdError, CollectResponse, CollectStatus, ErrorCode, QrStartSecret, SignRequest,
};
use crate::eid::bankid::messages::{self, Flow, Rfa};
use crate::eid::bankid::qr;

/// The client an address counts as: itself for IPv4, its /64 for IPv6.
fn client_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// Why `client` may not start another order now, if it may not: its own
/// bound first (429), then the bound of all orders together (503).
fn no_room(orders: &HashMap<String, PendingLogin>, client: IpAddr) -> Option<LoginError> {
    if orders.values().filter(|l| l.client == client).count() >= MAX_ORDERS_PER_CLIENT {
        Some(LoginError::TooManyForClient)
    } else if orders.len() >= MAX_LOGINS {
        Some(LoginError::Busy)
    } else {
        None
    }
}

/// A started login, as the browser may know it.
#[derive(Debug, Clone)]
pub struct LoginStarted {
    /// Our opaque id of the login.
    pub login_id: String,
    /// For starting the app on the same device.
    pub auto_start_token: String,
}

/// What a poll of a login found.
#[derive(Debug, Clone)]
pub struct LoginPoll {
    /// `pending`, `failed` or `complete`.
    pub status: CollectStatus,
    /// BankID's hint code.
    pub hint_code: Option<String>,
    /// The message for the user (none once complete).
    pub message: Option<Rfa>,
    /// The QR code for this second, while waiting for a scan in the QR flow.
    pub qr_data: Option<String>,
    /// Who logged in, once complete (given out once: the login is then forgotten).
    pub identity: Option<VerifiedIdentity>,
}

/// A started signature order, as the browser may know it.
#[derive(Debug, Clone)]
pub struct SignStarted {
    /// Our opaque id of the order.
    pub sign_id: String,
    /// For starting the app on the same device.
    pub auto_start_token: String,
}

/// What a poll of a signature order found.
#[derive(Debug, Clone)]
pub struct SignPoll {
    /// `pending`, `failed` or `complete`.
    pub status: CollectStatus,
    /// BankID's hint code.
    pub hint_code: Option<String>,
    /// The message for the user (none once complete).
    pub message: Option<Rfa>,
    /// The QR code for this second, while waiting for a scan in the QR flow.
    pub qr_data: Option<String>,
    /// The evidence, once complete (given out once: the order is then forgotten).
    pub evidence: Option<SignatureEvidence>,
}

/// What a pending order is for.
#[derive(Clone)]
enum Purpose {
    /// An identification (`auth`).
    Login,
    /// A signature only `required` may make.
    Sign { required: Personnummer },
}

pub(super) struct PendingLogin {
    purpose: Purpose,
    /// Who started it ([`client_of`] of the end user's address).
    client: IpAddr,
    order_ref: String,
    qr_start_token: String,
    qr_start_secret: QrStartSecret,
    pub(super) started: Instant,
    flow: Flow,
    last_collect: Option<Instant>,
    status: CollectStatus,
    hint_code: Option<String>,
    message: Rfa,
    temporary_failures: u8,
}

impl PendingLogin {
    fn poll(&self) -> LoginPoll {
        let waiting_for_scan = self.status == CollectStatus::Pending
            && self.flow == Flow::QrCode
            && matches!(self.hint_code.as_deref(), None | Some("outstandingTransaction" | "noClient"));
        LoginPoll {
            status: self.status,
            hint_code: self.hint_code.clone(),
            message: Some(self.message),
            qr_data: waiting_for_scan.then(|| {
                qr::qr_data(&self.qr_start_token, self.qr_start_secret.expose(), self.started.elapsed().as_secs())
            }),
            identity: None,
        }
    }

    fn is_sign(&self) -> bool {
        matches!(self.purpose, Purpose::Sign { .. })
    }
}

/// What [`BankIdService::poll_order`] found.
enum Polled {
    /// Still pending, or failed: the state to show.
    State(LoginPoll),
    /// Complete: BankID's answer (the order is forgotten), and who was required to sign.
    Complete(Box<CollectResponse>, Purpose),
}

impl From<LoginPoll> for SignPoll {
    fn from(p: LoginPoll) -> Self {
        SignPoll { status: p.status, hint_code: p.hint_code, message: p.message, qr_data: p.qr_data, evidence: None }
    }
}

fn random_id() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl BankIdService {
    /// Whether another order may start for `end_user_ip`, before BankID is asked.
    fn room_for(&self, end_user_ip: IpAddr) -> Result<(), LoginError> {
        no_room(&self.logins(), client_of(end_user_ip)).map_or(Ok(()), Err)
    }

    /// Starts an identification for the user at `end_user_ip`.
    pub async fn start_login(&self, end_user_ip: IpAddr, flow: Flow) -> Result<LoginStarted, LoginError> {
        self.room_for(end_user_ip)?;
        let order = self.client.auth(&AuthRequest::new(end_user_ip)).await?;
        let (login_id, auto_start_token) = self.remember(order, Purpose::Login, flow, end_user_ip).await?;
        Ok(LoginStarted { login_id, auto_start_token })
    }

    /// Keeps a started order under a new opaque id (its id and autostart token
    /// returned), or cancels it when too many are in progress.
    async fn remember(
        &self,
        order: crate::eid::bankid::client::OrderResponse,
        purpose: Purpose,
        flow: Flow,
        end_user_ip: IpAddr,
    ) -> Result<(String, String), LoginError> {
        let id = random_id();
        let client = client_of(end_user_ip);
        let pending = PendingLogin {
            purpose,
            client,
            order_ref: order.order_ref.clone(),
            qr_start_token: order.qr_start_token,
            qr_start_secret: order.qr_start_secret,
            started: Instant::now(),
            flow,
            last_collect: None,
            status: CollectStatus::Pending,
            hint_code: Some("outstandingTransaction".into()),
            message: messages::for_pending(Some("outstandingTransaction"), flow),
            temporary_failures: 0,
        };
        // Checked again under the lock: concurrent starts from one client cannot pass the bound together.
        let refused = {
            let mut orders = self.logins();
            match no_room(&orders, client) {
                Some(refused) => refused,
                None => {
                    orders.insert(id.clone(), pending);
                    return Ok((id, order.auto_start_token));
                }
            }
        };
        let _ = self.client.cancel(&order.order_ref).await;
        Err(refused)
    }

    /// The state of a login; calls `collect` unless it did less than [`COLLECT_INTERVAL`] ago.
    pub async fn poll_login(&self, login_id: &str) -> Result<LoginPoll, LoginError> {
        match self.poll_order(login_id, false).await? {
            Polled::State(poll) => Ok(poll),
            Polled::Complete(collect, _) => match identity_of(&collect) {
                Ok((identity, _)) => Ok(LoginPoll {
                    status: CollectStatus::Complete,
                    hint_code: None,
                    message: None,
                    qr_data: None,
                    identity: Some(identity),
                }),
                Err(e) => Err(LoginError::BankId(BankIdError::Decode(e))),
            },
        }
    }

    /// Polls a pending order of the kind asked for (a login's id does not
    /// poll a signature order, nor the other way round).
    async fn poll_order(&self, id: &str, sign: bool) -> Result<Polled, LoginError> {
        let order_ref = {
            let mut logins = self.logins();
            let login = logins.get_mut(id).filter(|l| l.is_sign() == sign).ok_or(LoginError::NotFound)?;
            let recently = login.last_collect.is_some_and(|t| t.elapsed() < COLLECT_INTERVAL);
            if login.status != CollectStatus::Pending || recently {
                return Ok(Polled::State(login.poll()));
            }
            login.last_collect = Some(Instant::now());
            login.order_ref.clone()
        };
        let result = self.client.collect(&order_ref).await;
        let mut logins = self.logins();
        let login = logins.get_mut(id).ok_or(LoginError::NotFound)?;
        match result {
            Ok(collect) => {
                login.temporary_failures = 0;
                login.status = collect.status;
                login.hint_code = collect.hint_code.clone();
                match collect.status {
                    CollectStatus::Pending => {
                        login.message = messages::for_pending(collect.hint_code.as_deref(), login.flow)
                    }
                    CollectStatus::Failed => {
                        login.message = messages::for_failed(collect.hint_code.as_deref(), login.flow)
                    }
                    CollectStatus::Complete => {
                        let purpose = login.purpose.clone();
                        logins.remove(id);
                        return Ok(Polled::Complete(Box::new(collect), purpose));
                    }
                }
            }
            Err(e) if e.is_temporary() && login.temporary_failures < MAX_TEMPORARY_FAILURES => {
                tracing::warn!(error = %e, "BankID collect failed; the next poll tries again");
                login.temporary_failures += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, "BankID collect failed; the order has failed");
                login.status = CollectStatus::Failed;
                login.hint_code = None;
                login.message = LoginError::BankId(e).message();
            }
        }
        Ok(Polled::State(login.poll()))
    }

    /// Starts a signature order that the browser polls like a login: the text
    /// `user_visible_text` (simple Markdown, shown in the app) and `digest`
    /// (signed but not shown), which only `required` can sign.
    pub async fn start_sign_order(
        &self,
        end_user_ip: IpAddr,
        flow: Flow,
        required: &Personnummer,
        user_visible_text: &str,
        digest: &[u8],
    ) -> Result<SignStarted, LoginError> {
        self.room_for(end_user_ip)?;
        let request = SignRequest::new(end_user_ip, user_visible_text, Some(digest), Some(required.as_digits()));
        let order = self.client.sign(&request).await?;
        let (sign_id, auto_start_token) =
            self.remember(order, Purpose::Sign { required: required.clone() }, flow, end_user_ip).await?;
        Ok(SignStarted { sign_id, auto_start_token })
    }

    /// The state of a signature order; calls `collect` unless it did less than
    /// [`COLLECT_INTERVAL`] ago. The poll that sees it complete gets the
    /// evidence (then the order is forgotten); a signature by anyone but the
    /// required person (never expected: BankID enforces the requirement) fails.
    pub async fn poll_sign(&self, sign_id: &str) -> Result<SignPoll, LoginError> {
        let (collect, purpose) = match self.poll_order(sign_id, true).await? {
            Polled::State(poll) => return Ok(poll.into()),
            Polled::Complete(collect, purpose) => (collect, purpose),
        };
        let failed = |rfa: Rfa| SignPoll {
            status: CollectStatus::Failed,
            hint_code: None,
            message: Some(rfa),
            qr_data: None,
            evidence: None,
        };
        let (identity, data) = match identity_of(&collect) {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(error = %e, "BankID completed a signature with an unusable answer");
                return Ok(failed(Rfa::Rfa22));
            }
        };
        let Purpose::Sign { required } = purpose else {
            return Err(LoginError::NotFound);
        };
        if identity.personnummer.as_digits() != required.as_digits() {
            tracing::warn!("BankID reported a signer other than the required one; the signature is refused");
            return Ok(failed(Rfa::Rfa22));
        }
        Ok(SignPoll {
            status: CollectStatus::Complete,
            hint_code: None,
            message: None,
            qr_data: None,
            evidence: Some(SignatureEvidence {
                signature: data.signature,
                ocsp_response: data.ocsp_response,
                personnummer: identity.personnummer,
                name: identity.name,
                signed_at: Utc::now(),
            }),
        })
    }

    /// Cancels a signature order (and its order at BankID).
    pub async fn cancel_sign_order(&self, sign_id: &str) -> Result<(), LoginError> {
        self.cancel_order(sign_id, true).await
    }

    /// Cancels a login (and its order at BankID).
    pub async fn cancel_login(&self, login_id: &str) -> Result<(), LoginError> {
        self.cancel_order(login_id, false).await
    }

    async fn cancel_order(&self, id: &str, sign: bool) -> Result<(), LoginError> {
        let login = {
            let mut orders = self.logins();
            if orders.get(id).is_none_or(|l| l.is_sign() != sign) {
                return Err(LoginError::NotFound);
            }
            orders.remove(id).ok_or(LoginError::NotFound)?
        };
        if login.status == CollectStatus::Pending
            && let Err(e) = self.client.cancel(&login.order_ref).await
        {
            // An order that has just ended cannot be cancelled; nothing is left to do either way.
            if e.code() != Some(&ErrorCode::InvalidParameters) {
                tracing::warn!(error = %e, "BankID cancel failed");
            }
        }
        Ok(())
    }
}
