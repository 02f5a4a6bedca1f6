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

mod blocking;
mod pending;

use std::collections::HashMap;
use std::sync::MutexGuard;
use std::time::Duration;

use chrono::{DateTime, Utc};
use shared::Personnummer;

use super::client::{BankIdClient, BankIdError, CollectResponse};
use super::messages::{self, Rfa};
use super::simulator::{SimulatorControl, SimulatorHandle};
use crate::auth::identity::VerifiedIdentity;
use crate::expiring::Expiring;

pub use blocking::{SignError, SignOrder};
use pending::PendingLogin;
pub use pending::{LoginPoll, LoginStarted, SignPoll, SignStarted};

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

/// The message for an RP API error: RFA4 for `alreadyInProgress`, RFA5 for
/// temporary trouble, RFA22 otherwise.
pub fn error_message(e: &BankIdError) -> Rfa {
    match e.code() {
        Some(code) => messages::for_error(code),
        None if e.is_temporary() => Rfa::Rfa5,
        None => Rfa::Rfa22,
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
}
