use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::signing::{SigningStarted, StartSigningRequest};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::headers::{EndUserIp, IdempotencyKey, UploadToken};
use crate::signing::ApplicantStart;
use crate::state::AppState;

/// Starts the applicant's BankID signature of an application to a service
/// that requires signing. The answers are checked exactly as a submission's
/// (files, validation, a chosen child against the population register); the
/// co-signers are found (the personnummer entered, or the chosen child's
/// other guardians in the register); the BankID `sign` order, bound to the
/// applicant's personnummer, shows `summary` and signs the SHA-256 `digest`
/// of the exact answers. Nothing is stored yet: poll
/// `GET /signings/{signing_id}`; the poll that sees the signature complete
/// stores the case (submitted, or awaiting its co-signers) and returns it.
/// The `Idempotency-Key` header is kept for the case (answers already signed
/// and sent under it: 409 `already_submitted`).
#[utoipa::path(tag = "signing", request_body = StartSigningRequest, security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("Idempotency-Key" = Option<String>, Header, description = "Makes the submission safe to retry: one key, one case"),
    ("X-Upload-Token" = Option<String>, Header, description = "The owner token of files uploaded anonymously before logging in")
), responses(
    (status = 201, description = "Started: show the QR code from polling, or start BankID with the autostart token", body = SigningStarted),
    (status = 401, description = "Not logged in with e-ID", body = ApiError),
    (status = 404, description = "No such published service (or no such draft of yours; or BankID is off)", body = ApiError),
    (status = 409, description = "`form_version_outdated`; `signing_not_required` (submit instead); `co_signing_unavailable` (a protected identity among the applicant, the child and the co-signers: the message is the service's contact route); `already_submitted`; `bankid_already_in_progress` (RFA4); `idempotency_key_reused`", body = ApiError),
    (status = 422, description = "The answers are not valid (`errors` lists each field); `self_co_signing` (the co-signer's personnummer is the applicant's own); `child_not_in_register` (the chosen child is not the applicant's in the population register); `co_signer_required` (the field naming the co-signer or the child is unanswered); `invalid_co_signer` (the entered co-signer's personnummer is not valid)", body = ApiError),
    (status = 503, description = "`bankid_unavailable` (RFA5), or the population register cannot be reached", body = ApiError)
))]
#[post("/catalogue/{slug}/signings")]
// Each argument is one extractor: what the handler reads is in its signature.
#[allow(clippy::too_many_arguments)]
pub async fn start_signing(
    state: web::Data<AppState>,
    me: Applicant,
    slug: web::Path<String>,
    IdempotencyKey(idempotency_key): IdempotencyKey,
    UploadToken(upload_token): UploadToken,
    EndUserIp(end_user_ip): EndUserIp,
    language: crate::outbox::Language,
    body: web::Json<StartSigningRequest>,
) -> Result<HttpResponse, AppError> {
    let service = crate::db::services::get_ref(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no published service with that name.".into()))?;
    let start =
        ApplicantStart { service: &service, applicant: &me, end_user_ip, idempotency_key, upload_token, language };
    super::started(crate::signing::start_applicant(&state, start, body.into_inner()).await)
}
