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
            Ok(HttpResponse::ServiceUnavailable().insert_header(("Retry-After", "30")).json(ApiError {
                message: Rfa::Rfa5.message().en.into(),
                code: ErrorCode::BankidUnavailable.as_str().into(),
                error_type: ErrorCode::BankidUnavailable.error_type().as_str().into(),
                errors: Vec::new(),
                problems: Vec::new(),
            }))
        }
    }
}
