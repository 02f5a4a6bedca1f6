use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::signing::{DeclineSignatureRequest, SignatureRequestView};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in co-signer declines a request, with an optional message to
/// the applicant (at most 1000 characters). The signing attempt ends: the
/// application is not submitted, and the applicant is mailed to log in and
/// read what happened (the mail says neither who nor why).
#[utoipa::path(tag = "signing", request_body = DeclineSignatureRequest, security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The request's id")),
    responses(
        (status = 200, description = "Declined", body = SignatureRequestView),
        (status = 404, description = "No such request asking you", body = ApiError),
        (status = 409, description = "`request_not_pending`: signed, declined or expired already", body = ApiError),
        (status = 422, description = "`message_too_long`: more than 1000 characters", body = ApiError)
    )
)]
#[post("/me/signature-requests/{id}/decline")]
pub async fn decline_my_signature_request(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<Uuid>,
    body: web::Json<DeclineSignatureRequest>,
) -> Result<HttpResponse, AppError> {
    let view = crate::signing::decline(&state, &me, *id, body.into_inner().message).await?;
    Ok(HttpResponse::Ok().json(view))
}
