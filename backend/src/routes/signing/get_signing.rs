use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::signing::SigningProgress;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The state of a BankID signature the caller started, with the message
/// BankID recommends (RFA) and, while waiting for a scan, the animated QR code
/// for this second. BankID is asked at most once a second. The poll that
/// sees the signature complete stores it: for the applicant the case
/// (`case`: submitted, or awaiting its co-signers), for a co-signer the
/// signed request (`request`; the case is submitted when it was the last).
/// Polling again after that answers the same, for a while.
#[utoipa::path(tag = "signing", security(("bearer" = [])),
    params(("signing_id" = String, Path, description = "The id from starting the signature")),
    responses(
        (status = 200, description = "The signature's state (pending, failed, or complete with the case or the request)", body = SigningProgress),
        (status = 404, description = "No such signature of the caller's: it expired or was cancelled (or BankID is off)", body = ApiError),
        (status = 409, description = "Signed, but not stored: `request_not_pending` (the request was declined or expired meanwhile), `answers_changed` (the case's answers no longer give the signed digest), `form_version_outdated`, `idempotency_key_reused`", body = ApiError),
        (status = 422, description = "Signed, but the answers are no longer valid (e.g. `file_unavailable`: an upload was taken meanwhile)", body = ApiError),
        (status = 503, description = "Storing the signature failed for now; poll again", body = ApiError)
    )
)]
#[get("/signings/{signing_id}")]
pub async fn get_signing(
    state: web::Data<AppState>,
    me: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let progress = crate::signing::poll(&state, &me, &path).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(progress))
}
