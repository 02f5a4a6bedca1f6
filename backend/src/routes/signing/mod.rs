//! Signatures with BankID: the applicant's signature of an application
//! (`POST /catalogue/{slug}/signings`) and, for both applicants and
//! co-signers, polling and cancelling a signature in progress. The
//! co-signers' requests are under `me/`.
pub mod cancel_signing;
pub mod get_signing;
pub mod start_signing;

use actix_web::HttpResponse;
use shared::api::ApiError;
use shared::signing::SigningStarted;

use crate::eid::bankid::messages::Rfa;
use crate::error::{AppError, ErrorCode};
use crate::signing::StartFailure;

/// 201 with the started signature, or the refusal; 503 `bankid_unavailable` (RFA5) when
/// BankID cannot take the order now.
pub fn started(result: Result<SigningStarted, StartFailure>) -> Result<HttpResponse, AppError> {
    match result {
        Ok(s) => Ok(crate::routes::created(&format!("/signings/{}", s.signing_id))
            .insert_header(("Cache-Control", "no-store"))
            .json(s)),
        Err(StartFailure::App(e)) => Err(e),
        Err(StartFailure::BankIdUnavailable(cause)) => {
            tracing::warn!(error = %cause, "a BankID signature could not start");
            Ok(bankid_unavailable())
        }
    }
}

/// 503 `bankid_unavailable` (RFA5) with `Retry-After`: BankID cannot take an
/// order now, for a login or a signature.
pub fn bankid_unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header(("Retry-After", "30"))
        .json(ApiError::new(ErrorCode::BankidUnavailable, Rfa::Rfa5.message().en))
}
