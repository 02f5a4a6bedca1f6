//! Polling and cancelling a signature in progress: the poll that sees BankID
//! complete checks that the signature carries the digest and stores it (the
//! applicant's case, or the co-signature); every later poll answers the same.

use shared::api::BankIdLoginStatus;
use shared::signing::SigningProgress;

use super::applicant::store_applicant;
use super::orders::{Kind, Progress, Refusal};
use super::requests::store_co_signature;
use super::{bankid, digest};
use crate::auth::extract::Applicant;
use crate::eid::bankid::client::CollectStatus;
use crate::eid::bankid::messages::Rfa;
use crate::eid::bankid::service::LoginError;
use crate::error::AppError;
use crate::state::AppState;

fn no_such_signing() -> AppError {
    AppError::NotFound("There is no such signature of yours; it may have expired.".into())
}

fn progress(status: BankIdLoginStatus) -> SigningProgress {
    SigningProgress { status, hint_code: None, message: None, qr_data: None, qr_svg: None, case: None, request: None }
}

fn failed(rfa: Rfa, hint_code: Option<String>) -> SigningProgress {
    SigningProgress { hint_code, message: Some(rfa.into()), ..progress(BankIdLoginStatus::Failed) }
}

/// The state of a signature; the poll that sees BankID complete stores it
/// (the case, or the co-signature). A later poll answers the same.
pub async fn poll(state: &AppState, me: &Applicant, signing_id: &str) -> Result<SigningProgress, AppError> {
    let entry = state.signings.get(signing_id, &me.personnummer.as_digits()).ok_or_else(no_such_signing)?;
    let mut current = entry.progress.lock().await;
    let live = match &*current {
        Progress::Finished(result) => return (**result).clone().map_err(|r| r.error()),
        Progress::Live(live) => live,
    };
    let evidence = match &live.evidence {
        Some(evidence) => evidence.clone(),
        None => {
            let poll = match bankid(state)?.poll_sign(&entry.bankid_id).await {
                Ok(p) => p,
                Err(LoginError::NotFound) => {
                    drop(current);
                    state.signings.remove(signing_id);
                    return Err(no_such_signing());
                }
                Err(e) => return Err(AppError::internal(e)),
            };
            match (poll.status, poll.evidence) {
                (CollectStatus::Complete, Some(evidence)) => evidence,
                (CollectStatus::Failed, _) | (CollectStatus::Complete, None) => {
                    let result = failed(poll.message.unwrap_or(Rfa::Rfa22), poll.hint_code);
                    *current = Progress::Finished(Box::new(Ok(result.clone())));
                    return Ok(result);
                }
                (CollectStatus::Pending, _) => {
                    let qr_svg = poll.qr_data.as_deref().and_then(crate::eid::bankid::qr::svg);
                    return Ok(SigningProgress {
                        hint_code: poll.hint_code,
                        message: poll.message.map(Into::into),
                        qr_data: poll.qr_data,
                        qr_svg,
                        ..progress(BankIdLoginStatus::Pending)
                    });
                }
            }
        }
    };
    let digest = match &live.kind {
        Kind::Applicant(order) => &order.digest,
        Kind::CoSigner { digest, .. } => digest,
    };
    if !digest::signature_carries_digest(&evidence.signature, digest) {
        tracing::error!("a BankID signature does not carry the digest it was started with; refused");
        let result = failed(Rfa::Rfa22, None);
        *current = Progress::Finished(Box::new(Ok(result.clone())));
        return Ok(result);
    }
    let stored = match &live.kind {
        Kind::Applicant(order) => store_applicant(state, order, &evidence)
            .await
            .map(|case| SigningProgress { case: Some(case), ..progress(BankIdLoginStatus::Complete) }),
        Kind::CoSigner { request_id, .. } => store_co_signature(state, me, *request_id, &evidence)
            .await
            .map(|request| SigningProgress { request: Some(request), ..progress(BankIdLoginStatus::Complete) }),
    };
    match stored {
        Ok(done) => {
            // Finished: the prepared submission goes; only the answer to re-polls stays.
            *current = Progress::Finished(Box::new(Ok(done.clone())));
            Ok(done)
        }
        Err(e) => {
            match Refusal::of(&e) {
                Some(refusal) => *current = Progress::Finished(Box::new(Err(refusal))),
                // Worth trying again: the next poll does, with the evidence kept.
                None => {
                    if let Progress::Live(live) = &mut *current {
                        live.evidence = Some(evidence);
                    }
                }
            }
            Err(e)
        }
    }
}

/// Cancels a signature (and its BankID order); a finished one is just forgotten.
pub async fn cancel(state: &AppState, me: &Applicant, signing_id: &str) -> Result<(), AppError> {
    let entry = state.signings.get(signing_id, &me.personnummer.as_digits()).ok_or_else(no_such_signing)?;
    let current = entry.progress.lock().await;
    if current.order_open()
        && let Err(e) = bankid(state)?.cancel_sign_order(&entry.bankid_id).await
        && !matches!(e, LoginError::NotFound)
    {
        tracing::warn!(error = %e, "cancelling a BankID signature failed");
    }
    drop(current);
    state.signings.remove(signing_id);
    Ok(())
}
