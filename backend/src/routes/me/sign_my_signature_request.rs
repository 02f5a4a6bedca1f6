use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::signing::{SignRequestBody, SigningStarted};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::headers::EndUserIp;
use crate::state::AppState;

/// Starts the signed-in co-signer's BankID signature of a request: the order
/// is bound to their personnummer (nobody else can sign it) and shows the
/// same summary and signs the same digest as the applicant's. Poll
/// `GET /signings/{signing_id}`; when it completes the request is signed and,
/// if it was the last, the case is submitted.
#[utoipa::path(tag = "signing", request_body = SignRequestBody, security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The request's id")),
    responses(
        (status = 201, description = "Started", body = SigningStarted),
        (status = 404, description = "No such request asking you (or BankID is off)", body = ApiError),
        (status = 409, description = "`request_not_pending` (signed, declined or expired); `answers_changed` (the case's answers no longer give the signed digest: it cannot be signed); `bankid_already_in_progress` (RFA4)", body = ApiError),
        (status = 503, description = "`bankid_unavailable` (RFA5)", body = ApiError)
    )
)]
#[post("/me/signature-requests/{id}/sign")]
pub async fn sign_my_signature_request(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<Uuid>,
    EndUserIp(ip): EndUserIp,
    body: web::Json<SignRequestBody>,
) -> Result<HttpResponse, AppError> {
    crate::routes::signing::started(crate::signing::start_co_signer(&state, &me, *id, body.same_device, ip).await)
}
