//! A co-signer's side: the requests asking the logged-in person to co-sign
//! (listed, shown, declined), the start of their BankID signature, and
//! `store_co_signature`, which signs the request in one transaction that first
//! checks that the case's answers still give the digest (the last signature
//! submits the case).

use std::net::IpAddr;
use std::time::Instant;

use chrono::Utc;
use shared::signing::{SignatureRequestView, SignatureState, SigningStarted};
use uuid::Uuid;

use super::orders::{Entry, Kind, Progress, cancel_orders, remember};
use super::{MAX_DECLINE_MESSAGE, StartFailure, bankid, bankid_start_failure, digest, ended_mails, flow_of, signed_by};
use crate::auth::extract::Applicant;
use crate::db::signatures::RequestOutcome;
use crate::eid::bankid::SignatureEvidence;
use crate::error::{AppError, ErrorCode};
use crate::outbox::Language;
use crate::state::AppState;

/// Starts a co-signer's signature of request `id` (theirs only: 404 otherwise).
pub async fn start_co_signer(
    state: &AppState,
    me: &Applicant,
    id: Uuid,
    same_device: bool,
    end_user_ip: IpAddr,
) -> Result<SigningStarted, StartFailure> {
    let bankid = bankid(state)?;
    let rec = crate::db::signatures::request_for(&state.db, id, &me.personnummer.as_digits())
        .await?
        .ok_or_else(no_such_request)?;
    if !rec.is_open(Utc::now()) {
        return Err(request_not_pending().into());
    }
    if digest::answers_digest(&rec.service_slug, rec.form_version, &rec.answers) != rec.digest {
        return Err(answers_changed().into());
    }
    let owner = me.personnummer.as_digits();
    cancel_orders(bankid, state.signings.take_of(&owner)).await;
    let started = bankid
        .start_sign_order(end_user_ip, flow_of(same_device), &me.personnummer, &rec.summary, rec.digest.as_bytes())
        .await
        .map_err(bankid_start_failure)?;
    let entry = Entry {
        owner,
        started: Instant::now(),
        bankid_id: started.sign_id.clone(),
        progress: Progress::pending(Kind::CoSigner { request_id: id, digest: rec.digest.clone() }),
    };
    let signing_id = remember(state, bankid, entry).await?;
    tracing::info!("co-signer's signature started");
    Ok(SigningStarted {
        signing_id,
        auto_start_token: started.auto_start_token,
        summary: rec.summary,
        digest: rec.digest,
        co_signers: Vec::new(),
    })
}

fn no_such_request() -> AppError {
    AppError::NotFound("You have no signature request with that id.".into())
}

fn request_not_pending() -> AppError {
    AppError::new(
        ErrorCode::RequestNotPending,
        "This signature request can no longer be signed or declined: it was signed, declined or has expired.",
    )
}

fn answers_changed() -> AppError {
    AppError::new(
        ErrorCode::AnswersChanged,
        "The application's answers have changed since the applicant signed them: this request cannot be signed.",
    )
}

pub(super) async fn store_co_signature(
    state: &AppState,
    me: &Applicant,
    request_id: Uuid,
    evidence: &SignatureEvidence,
) -> Result<SignatureRequestView, AppError> {
    let pnr = me.personnummer.as_digits();
    let rec = crate::db::signatures::request_for(&state.db, request_id, &pnr).await?.ok_or_else(no_such_request)?;
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(no_such_request)?;
    let status = shared::status::initial_status(&service.statuses)
        .cloned()
        .ok_or_else(|| AppError::internal(format!("service {} has no status of kind submitted", service.slug)))?;
    let mails = crate::submission::submitted_mails(
        state,
        &service,
        rec.contact_email.clone(),
        Language::parse(rec.language.as_deref()),
    );
    let now = Utc::now();
    let outcome = crate::db::signatures::co_sign(
        &state.db,
        request_id,
        &pnr,
        &signed_by(evidence),
        now,
        digest::answers_digest,
        crate::db::signatures::CaseSubmission { status: &status, mails },
    )
    .await?;
    let status_now = match outcome {
        RequestOutcome::Done { last: true } => shared::api::CaseStatus {
            key: status.key.clone(),
            name: status.name.clone(),
            name_en: status.name_en.clone(),
            kind: status.kind,
        },
        _ => rec.case_status.clone(),
    };
    match outcome {
        RequestOutcome::Done { last } => {
            if last {
                tracing::info!(service.slug = %service.slug, "the last co-signer signed; case submitted");
                state.outbox_wake.notify_one();
            } else {
                tracing::info!(service.slug = %service.slug, "a co-signer signed");
            }
        }
        RequestOutcome::NotFound => return Err(no_such_request()),
        RequestOutcome::NotPending => {
            // Stored already by an earlier try of this very signature (its answer was lost): the same success.
            if already_signed_with(state, request_id, &pnr, evidence).await? {
                return crate::db::signatures::request_for(&state.db, request_id, &pnr)
                    .await?
                    .map(|r| r.view())
                    .ok_or_else(no_such_request);
            }
            return Err(request_not_pending());
        }
        RequestOutcome::AnswersChanged => {
            tracing::warn!(service.slug = %service.slug, "a co-signature was refused: the case's answers changed");
            return Err(answers_changed());
        }
    }
    // Committed: the view is built from what is in hand, so nothing after the commit can fail
    // and lead a retry into the (now signed) request.
    Ok(SignatureRequestView {
        state: SignatureState::Signed,
        decided_at: Some(now),
        case_status: Some(status_now),
        ..rec.view()
    })
}

/// True when request `id` of `personnummer`'s is signed already with exactly `evidence`'s signature.
async fn already_signed_with(
    state: &AppState,
    id: Uuid,
    personnummer: &str,
    evidence: &SignatureEvidence,
) -> Result<bool, AppError> {
    Ok(crate::db::signatures::signed_with(&state.db, id, personnummer, &evidence.signature).await?)
}

/// The requests asking the logged-in person to co-sign, pending first.
pub async fn my_requests(state: &AppState, me: &Applicant) -> Result<Vec<SignatureRequestView>, AppError> {
    Ok(crate::db::signatures::requests_for(&state.db, &me.personnummer.as_digits()).await?)
}

/// One request asking the logged-in person to co-sign (404 for anyone else).
pub async fn my_request(state: &AppState, me: &Applicant, id: Uuid) -> Result<SignatureRequestView, AppError> {
    crate::db::signatures::request_for(&state.db, id, &me.personnummer.as_digits())
        .await?
        .map(|r| r.view())
        .ok_or_else(no_such_request)
}

/// The co-signer declines request `id` with an optional message (at most
/// [`MAX_DECLINE_MESSAGE`] characters, trimmed): the attempt ends and the
/// applicant is told that the application was not submitted.
pub async fn decline(
    state: &AppState,
    me: &Applicant,
    id: Uuid,
    message: Option<String>,
) -> Result<SignatureRequestView, AppError> {
    let message = message.map(|m| m.trim().to_string()).filter(|m| !m.is_empty());
    if message.as_ref().is_some_and(|m| m.chars().count() > MAX_DECLINE_MESSAGE) {
        return Err(AppError::new(
            ErrorCode::MessageTooLong,
            format!("The message may be at most {MAX_DECLINE_MESSAGE} characters."),
        ));
    }
    let pnr = me.personnummer.as_digits();
    let rec = crate::db::signatures::request_for(&state.db, id, &pnr).await?.ok_or_else(no_such_request)?;
    let mails = ended_mails(state, rec.contact_email.clone(), rec.language.as_deref());
    match crate::db::signatures::decline(&state.db, id, &pnr, message, Utc::now(), &mails).await? {
        RequestOutcome::Done { .. } => {
            tracing::info!(service.slug = %rec.service_slug, "a co-signer declined; the signing attempt ended");
            state.outbox_wake.notify_one();
        }
        RequestOutcome::NotFound => return Err(no_such_request()),
        RequestOutcome::NotPending | RequestOutcome::AnswersChanged => return Err(request_not_pending()),
    }
    my_request(state, me, id).await
}
