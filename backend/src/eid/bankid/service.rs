//! The BankID service the API uses: logins and signature orders (start, poll,
//! cancel) with their pending state in memory, and blocking signatures bound
//! to a personnummer.
//!
//! A login or a signature order is known to the browser only by an opaque id;
//! the `orderRef` and the `qrStartSecret` stay here. Polling calls `collect`
//! at most once a second per order (a faster poll gets the last answer and a
//! fresh QR code). Pending orders are forgotten after [`LOGIN_TTL`] (longer
//! than BankID keeps an order, so the browser sees `expiredTransaction`
//! first), and at most [`MAX_LOGINS`] are kept. A signature order's evidence
//! is given out once, by the poll that sees it complete, and only when the
//! signer is the required person.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::RngCore;
use shared::Personnummer;

use super::client::{
    AuthRequest, BankIdClient, BankIdError, CollectResponse, CollectStatus, ErrorCode, QrStartSecret, SignRequest,
};
use super::messages::{self, Flow, Rfa};
use super::simulator::{SimulatorControl, SimulatorHandle};
use crate::auth::identity::VerifiedIdentity;
use crate::expiring::Expiring;

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

/// How long a login is remembered after it started.
pub const LOGIN_TTL: Duration = Duration::from_secs(5 * 60);
/// Most logins in progress at once.
pub const MAX_LOGINS: usize = 10_000;
/// Most orders (logins and signatures) in progress at once from one client
/// address (an IPv6 address counts by its /64, which one host can fill): one
/// client cannot take the room everybody else needs. Room for a household or
/// an office behind one address.
pub const MAX_ORDERS_PER_CLIENT: usize = 30;
/// At most one `collect` per login this often.
pub const COLLECT_INTERVAL: Duration = Duration::from_secs(1);
/// Consecutive temporary `collect` errors tolerated before the login fails.
const MAX_TEMPORARY_FAILURES: u8 = 3;
/// The longest [`BankIdService::wait_for_signature`] waits.
const SIGN_WAIT_LIMIT: Duration = Duration::from_secs(200);

/// The simulator, when the service runs against one.
#[derive(Debug, Clone)]
pub struct RunningSimulator {
    /// Its address.
    pub handle: SimulatorHandle,
    /// Plays the user's app.
    pub control: SimulatorControl,
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

/// Why a login operation failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// No such login, or it expired, completed or was cancelled.
    #[error("there is no such BankID login; it may have expired")]
    NotFound,
    /// Too many logins in progress.
    #[error("too many BankID logins are in progress")]
    Busy,
    /// This client already has [`MAX_ORDERS_PER_CLIENT`] orders in progress.
    #[error("too many BankID orders are in progress from this address")]
    TooManyForClient,
    /// BankID refused or could not be reached.
    #[error(transparent)]
    BankId(#[from] BankIdError),
}

impl LoginError {
    /// The API's answer to [`LoginError::TooManyForClient`]: 429 with `Retry-After`.
    pub fn too_many_for_client() -> crate::error::AppError {
        crate::error::AppError::TooManyRequests {
            message: format!(
                "There are already {MAX_ORDERS_PER_CLIENT} BankID logins or signatures in progress from your address. Finish or cancel one, or try again in a minute."
            ),
            retry_after: 60,
        }
    }

    /// The message for the user.
    pub fn message(&self) -> Rfa {
        match self {
            LoginError::NotFound => Rfa::Rfa22,
            LoginError::Busy | LoginError::TooManyForClient => Rfa::Rfa5,
            LoginError::BankId(e) => error_message(e),
        }
    }
}

/// Proof of a signature, to store with what was signed.
#[derive(Clone)]
pub struct SignatureEvidence {
    /// BankID's XML signature, base64.
    pub signature: String,
    /// The OCSP response for the signer's certificate, base64.
    pub ocsp_response: String,
    /// Who signed.
    pub personnummer: Personnummer,
    /// The signer's name as BankID gave it.
    pub name: Option<String>,
    /// When the signature was collected.
    pub signed_at: DateTime<Utc>,
}

impl std::fmt::Debug for SignatureEvidence {
    // Debug ends up in logs: no name, no signature.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureEvidence")
            .field("personnummer", &self.personnummer)
            .field("signed_at", &self.signed_at)
            .finish_non_exhaustive()
    }
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

/// Why a signature was not made.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// BankID refused to start or could not be reached (`alreadyInProgress` → RFA4).
    #[error(transparent)]
    BankId(#[from] BankIdError),
    /// The order failed (the hint code says why).
    #[error("the signature failed: {}", hint_code.as_deref().unwrap_or("no hint code"))]
    Failed {
        /// BankID's hint code.
        hint_code: Option<String>,
    },
    /// BankID reported a signer other than the required one (never expected).
    #[error("the signature was made by someone other than the required signer")]
    WrongSigner,
    /// The order did not finish in time.
    #[error("the signature was not finished in time")]
    TimedOut,
    /// The answer was unusable.
    #[error("unusable answer from BankID: {0}")]
    Invalid(String),
}

impl SignError {
    /// The message for the user.
    pub fn message(&self, flow: Flow) -> Rfa {
        match self {
            SignError::BankId(e) => error_message(e),
            SignError::Failed { hint_code } => messages::for_failed(hint_code.as_deref(), flow),
            SignError::TimedOut => Rfa::Rfa8,
            SignError::WrongSigner | SignError::Invalid(_) => Rfa::Rfa22,
        }
    }
}

/// The message for an RP API error: RFA4 for `alreadyInProgress`, RFA5 for
/// temporary trouble, RFA22 otherwise.
pub fn error_message(e: &BankIdError) -> Rfa {
    match e.code() {
        Some(code) => messages::for_error(code),
        None if e.is_temporary() => Rfa::Rfa5,
        None => Rfa::Rfa22,
    }
}

/// A started signature.
pub struct SignOrder {
    order_ref: String,
    auto_start_token: String,
    qr_start_token: String,
    qr_start_secret: QrStartSecret,
    started: Instant,
    required: Personnummer,
}

impl std::fmt::Debug for SignOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignOrder { .. }")
    }
}

impl SignOrder {
    /// For starting the app on the same device.
    pub fn auto_start_token(&self) -> &str {
        &self.auto_start_token
    }

    /// The QR code for this second.
    pub fn qr_data(&self) -> String {
        super::qr::qr_data(&self.qr_start_token, self.qr_start_secret.expose(), self.started.elapsed().as_secs())
    }
}

/// What a pending order is for.
#[derive(Clone)]
enum Purpose {
    /// An identification (`auth`).
    Login,
    /// A signature only `required` may make.
    Sign { required: Personnummer },
}

struct PendingLogin {
    purpose: Purpose,
    /// Who started it ([`client_of`] of the end user's address).
    client: IpAddr,
    order_ref: String,
    qr_start_token: String,
    qr_start_secret: QrStartSecret,
    started: Instant,
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
                super::qr::qr_data(
                    &self.qr_start_token,
                    self.qr_start_secret.expose(),
                    self.started.elapsed().as_secs(),
                )
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

/// BankID for the API: a client, the logins in progress, and the simulator in simulator mode.
pub struct BankIdService {
    client: BankIdClient,
    logins: Expiring<PendingLogin>,
    simulator: Option<RunningSimulator>,
    sign_poll_interval: Duration,
}

impl std::fmt::Debug for BankIdService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankIdService").field("client", &self.client).finish_non_exhaustive()
    }
}

fn random_id() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn identity_of(collect: &CollectResponse) -> Result<(VerifiedIdentity, super::client::CompletionData), String> {
    let data = collect.completion_data.clone().ok_or("complete without completionData")?;
    let personnummer = Personnummer::parse(&data.user.personal_number).map_err(|_| "invalid personalNumber")?;
    let name = Some(data.user.name.clone()).filter(|n| !n.trim().is_empty());
    Ok((VerifiedIdentity { personnummer, name }, data))
}

impl BankIdService {
    /// A service using `client`; `simulator` when that client talks to the in-process simulator.
    pub fn new(client: BankIdClient, simulator: Option<RunningSimulator>) -> Self {
        let sign_poll_interval = if simulator.is_some() { Duration::from_millis(200) } else { Duration::from_secs(2) };
        Self { client, logins: Expiring::new(LOGIN_TTL, |l| l.started), simulator, sign_poll_interval }
    }

    /// The simulator, in simulator mode.
    pub fn simulator(&self) -> Option<&RunningSimulator> {
        self.simulator.as_ref()
    }

    fn logins(&self) -> MutexGuard<'_, HashMap<String, PendingLogin>> {
        self.logins.live()
    }

    /// The number of logins in progress.
    pub fn logins_in_progress(&self) -> usize {
        self.logins.len()
    }

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
        order: super::client::OrderResponse,
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

    /// Starts a signature of `user_visible_text` (simple Markdown, shown in the
    /// app) and of `digest` (signed but not shown) that only
    /// `personnummer_required` can make.
    pub async fn start_sign(
        &self,
        end_user_ip: IpAddr,
        personnummer_required: &Personnummer,
        user_visible_text: &str,
        digest: &[u8],
    ) -> Result<SignOrder, SignError> {
        let request =
            SignRequest::new(end_user_ip, user_visible_text, Some(digest), Some(personnummer_required.as_digits()));
        let order = self.client.sign(&request).await?;
        Ok(SignOrder {
            order_ref: order.order_ref,
            auto_start_token: order.auto_start_token,
            qr_start_token: order.qr_start_token,
            qr_start_secret: order.qr_start_secret,
            started: Instant::now(),
            required: personnummer_required.clone(),
        })
    }

    /// Collects a started signature until it completes or fails.
    pub async fn wait_for_signature(&self, order: &SignOrder) -> Result<SignatureEvidence, SignError> {
        let mut temporary_failures = 0;
        while order.started.elapsed() < SIGN_WAIT_LIMIT {
            match self.client.collect(&order.order_ref).await {
                Ok(c) if c.status == CollectStatus::Complete => {
                    let (identity, data) = identity_of(&c).map_err(SignError::Invalid)?;
                    if identity.personnummer.as_digits() != order.required.as_digits() {
                        return Err(SignError::WrongSigner);
                    }
                    return Ok(SignatureEvidence {
                        signature: data.signature,
                        ocsp_response: data.ocsp_response,
                        personnummer: identity.personnummer,
                        name: identity.name,
                        signed_at: Utc::now(),
                    });
                }
                Ok(c) if c.status == CollectStatus::Failed => return Err(SignError::Failed { hint_code: c.hint_code }),
                Ok(_) => temporary_failures = 0,
                Err(e) if e.is_temporary() && temporary_failures < MAX_TEMPORARY_FAILURES => temporary_failures += 1,
                Err(e) => return Err(e.into()),
            }
            tokio::time::sleep(self.sign_poll_interval).await;
        }
        let _ = self.client.cancel(&order.order_ref).await;
        Err(SignError::TimedOut)
    }

    /// Cancels a started signature.
    pub async fn cancel_sign(&self, order: SignOrder) -> Result<(), SignError> {
        Ok(self.client.cancel(&order.order_ref).await?)
    }

    /// [`Self::start_sign`] and then [`Self::wait_for_signature`]; `on_started`
    /// gets the order to show its QR code or autostart link to the signer.
    pub async fn sign(
        &self,
        end_user_ip: IpAddr,
        personnummer_required: &Personnummer,
        user_visible_text: &str,
        digest: &[u8],
        on_started: impl FnOnce(&SignOrder),
    ) -> Result<SignatureEvidence, SignError> {
        let order = self.start_sign(end_user_ip, personnummer_required, user_visible_text, digest).await?;
        on_started(&order);
        self.wait_for_signature(&order).await
    }
}
