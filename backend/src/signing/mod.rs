//! Signing and multiple signing (see `shared::signing` for the settings and
//! API types).
//!
//! **The applicant's signature.** `start_applicant` checks the answers exactly
//! as a submission (`submission::prepare`), computes their [`digest`],
//! resolves the co-signers ([`co_signers`]), writes the [`summary`] and starts
//! a BankID `sign` order bound to the applicant's personnummer. The prepared
//! submission waits in memory ([`Signings`], bounded, forgotten after
//! [`SIGNING_TTL`]) under an opaque signing id that only the person who
//! started it can poll. Each person has at most one signature there: a new
//! start (as applicant or co-signer) cancels the previous one's BankID order
//! and replaces it. Once a signature has finished or failed, only the answer
//! re-polls get is kept (the prepared submission is dropped). The poll that sees BankID complete stores, in one
//! transaction, the case, the applicant's signature with its evidence and the
//! co-signers' pending requests: the case is submitted at once when nobody
//! else must sign, else it awaits their signatures (hidden from handlers) and
//! each co-signer with an address is mailed.
//!
//! **A co-signer's signature.** The co-signer sees only the request (service
//! name, summary, digest, dates); signing starts a BankID order bound to
//! their personnummer with the same text and digest. On completion the
//! request is signed in one transaction that first checks that the case's
//! answers still give the digest; the last signature submits the case
//! (the first *submitted* status, `submitted_at` = now, the `CASE_SUBMITTED`
//! mails). A decline, or the deadline ([`expire_due`]), ends the attempt and
//! tells the applicant that the application was not submitted.

pub mod co_signers;
pub mod digest;
pub mod summary;

mod applicant;
mod expiry;
mod orders;
mod polling;
mod requests;

use std::time::Duration;

use crate::db::signatures::SignedBy;
use crate::eid::bankid::SignatureEvidence;
use crate::eid::bankid::client::ErrorCode as BankIdCode;
use crate::eid::bankid::messages::{Flow, Rfa};
use crate::eid::bankid::service::LoginError;
use crate::error::{AppError, ErrorCode};
use crate::outbox::Language;
use crate::state::AppState;

pub use applicant::{ApplicantStart, request_hash, start_applicant};
pub use expiry::{EXPIRY_INTERVAL, expire_due, spawn_expiry};
pub use orders::Signings;
pub use polling::{cancel, poll};
pub use requests::{decline, my_request, my_requests, start_co_signer};

/// How long a signature is remembered after it started (longer than a BankID
/// order lives, so a finished one can be polled again for a while).
pub const SIGNING_TTL: Duration = Duration::from_secs(15 * 60);
/// Most signatures in progress at once.
pub const MAX_SIGNINGS: usize = 10_000;
/// The e-ID provider recorded with BankID signatures.
pub const PROVIDER: &str = "BankID";
/// Longest message a co-signer may send when declining, in characters.
pub const MAX_DECLINE_MESSAGE: usize = 1000;

/// Why a signature could not start.
#[derive(Debug)]
pub enum StartFailure {
    /// Refused (the error says why).
    App(AppError),
    /// BankID is temporarily unavailable or too busy (503 `bankid_unavailable`, RFA5).
    BankIdUnavailable(String),
}

impl From<AppError> for StartFailure {
    fn from(e: AppError) -> Self {
        StartFailure::App(e)
    }
}

impl From<crate::db::DbErr> for StartFailure {
    fn from(e: crate::db::DbErr) -> Self {
        StartFailure::App(e.into())
    }
}

fn bankid_start_failure(e: LoginError) -> StartFailure {
    match e {
        LoginError::BankId(e) if e.code() == Some(&BankIdCode::AlreadyInProgress) => {
            StartFailure::App(AppError::new(ErrorCode::BankidAlreadyInProgress, Rfa::Rfa4.message().en))
        }
        LoginError::TooManyForClient => StartFailure::App(LoginError::too_many_for_client()),
        e @ LoginError::Busy => StartFailure::BankIdUnavailable(e.to_string()),
        LoginError::BankId(e) if e.is_temporary() => StartFailure::BankIdUnavailable(e.to_string()),
        e => StartFailure::App(AppError::internal(e)),
    }
}

fn flow_of(same_device: bool) -> Flow {
    if same_device { Flow::SameDevice } else { Flow::QrCode }
}

fn bankid(state: &AppState) -> Result<&crate::eid::bankid::BankIdService, AppError> {
    Ok(crate::eid::bankid::of(state)?.as_ref())
}

fn signed_by(e: &SignatureEvidence) -> SignedBy {
    SignedBy {
        provider: PROVIDER.into(),
        name: e.name.clone(),
        signature: e.signature.clone(),
        ocsp_response: e.ocsp_response.clone(),
        signed_at: e.signed_at,
    }
}

/// The applicant's notice that the application was not submitted (none when mail is off).
fn ended_mails(
    state: &AppState,
    contact_email: Option<String>,
    language: Option<&str>,
) -> Vec<crate::db::outbox::NewItem> {
    let to = crate::outbox::Recipients { applicant: contact_email, ..Default::default() };
    crate::outbox::queue(&state.settings.mail, &crate::outbox::SIGNING_ENDED, &to, Language::parse(language))
}
