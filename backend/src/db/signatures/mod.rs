//! Signatures of cases (`case_signatures`): the applicant's, stored with the
//! case by `cases::submit_with`, and the co-signers' requests — signed,
//! declined or expired each in one transaction with the case's status, its
//! history and its mails. A case's signing attempt (`cases.signing_outcome`)
//! is `awaiting` until the last co-signer signs (`complete`: the case is
//! submitted), one declines (`declined`) or the deadline passes (`expired`).
//!
//! Every change of an attempt happens under the case's row lock (`FOR UPDATE`
//! on PostgreSQL; SQLite's write transaction keeps other writers out), so two
//! co-signers signing at once cannot both miss that they were the last.

mod decisions;
mod requests;

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use shared::signing::{SignatureRole, SignatureState, SigningOutcome};

use super::entity::case_signature;

pub use decisions::{CaseSubmission, DueAttempt, RequestOutcome, co_sign, decline, due_attempts, expire};
pub use requests::{RequestRecord, applicant_signing, request_for, requests_for, signed_with};

/// The stored name of a signing outcome.
pub fn outcome_str(o: SigningOutcome) -> &'static str {
    match o {
        SigningOutcome::Awaiting => "awaiting",
        SigningOutcome::Complete => "complete",
        SigningOutcome::Declined => "declined",
        SigningOutcome::Expired => "expired",
    }
}

/// A signing outcome from its stored name.
pub fn outcome_parse(s: &str) -> Option<SigningOutcome> {
    [SigningOutcome::Awaiting, SigningOutcome::Complete, SigningOutcome::Declined, SigningOutcome::Expired]
        .into_iter()
        .find(|o| outcome_str(*o) == s)
}

fn role_str(r: SignatureRole) -> &'static str {
    match r {
        SignatureRole::Applicant => "applicant",
        SignatureRole::CoSigner => "co_signer",
    }
}

/// A stored role (anything but `applicant` is a co-signer's).
pub(super) fn role_parse(s: &str) -> SignatureRole {
    if s == "applicant" { SignatureRole::Applicant } else { SignatureRole::CoSigner }
}

fn state_of(m: &case_signature::Model) -> SignatureState {
    SignatureState::parse(&m.state).unwrap_or(SignatureState::Expired)
}

/// What a made signature proves.
#[derive(Clone)]
pub struct SignedBy {
    /// The e-ID, e.g. `BankID`.
    pub provider: String,
    /// The signer's name as the e-ID gave it.
    pub name: Option<String>,
    /// The signature (BankID: base64 XML).
    pub signature: String,
    /// The OCSP response (base64).
    pub ocsp_response: String,
    /// When it was made.
    pub signed_at: DateTime<Utc>,
}

impl std::fmt::Debug for SignedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedBy").field("provider", &self.provider).finish_non_exhaustive()
    }
}

/// A signature row to store with a new case.
#[derive(Clone)]
pub struct NewSignature {
    /// Applicant or co-signer.
    pub role: SignatureRole,
    /// 0 for the applicant, then the co-signers in order.
    pub position: i32,
    /// Who must sign (12 digits).
    pub personnummer: String,
    /// Their name, when known (the register's, or the e-ID's once signed).
    pub name: Option<String>,
    /// A co-signer's notice address.
    pub email: Option<String>,
    /// The text shown in the e-ID app.
    pub summary: String,
    /// SHA-256 (hex) of the answers.
    pub digest: String,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
    /// The signature, when made (the applicant's); pending otherwise.
    pub signed: Option<SignedBy>,
}

impl std::fmt::Debug for NewSignature {
    // Debug ends up in logs: no personnummer, name or address.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSignature")
            .field("role", &self.role)
            .field("position", &self.position)
            .field("signed", &self.signed.is_some())
            .finish_non_exhaustive()
    }
}

/// The signing of a new case, stored in the transaction that inserts it.
#[derive(Debug, Clone)]
pub struct NewSigning {
    /// `complete` (nobody else signs: the case is submitted) or `awaiting`.
    pub outcome: SigningOutcome,
    /// The last moment for the co-signers (while awaiting).
    pub deadline: Option<DateTime<Utc>>,
    /// The applicant's signature first, then the co-signers' requests.
    pub signatures: Vec<NewSignature>,
}

/// Inserts a new case's signatures in the caller's transaction.
pub async fn insert(txn: &impl ConnectionTrait, case_id: Uuid, signing: &NewSigning) -> Result<(), DbErr> {
    for s in &signing.signatures {
        let state = if s.signed.is_some() { SignatureState::Signed } else { SignatureState::Pending };
        case_signature::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(case_id),
            role: Set(role_str(s.role).into()),
            position: Set(s.position),
            personnummer: Set(s.personnummer.clone()),
            name: Set(s.name.clone()),
            email: Set(s.email.clone()),
            state: Set(state.as_str().into()),
            summary: Set(s.summary.clone()),
            digest: Set(s.digest.clone()),
            requested_at: Set(s.requested_at),
            provider: Set(s.signed.as_ref().map(|e| e.provider.clone())),
            signature: Set(s.signed.as_ref().map(|e| e.signature.clone())),
            ocsp_response: Set(s.signed.as_ref().map(|e| e.ocsp_response.clone())),
            signed_at: Set(s.signed.as_ref().map(|e| e.signed_at)),
            decided_at: Set(s.signed.as_ref().map(|e| e.signed_at)),
            decline_message: Set(None),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}
