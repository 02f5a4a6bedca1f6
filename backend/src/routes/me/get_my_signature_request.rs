use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::signing::SignatureRequestView;
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// One request asking the signed-in person to co-sign: exactly what they are
/// asked to sign (the summary and the digest the applicant signed) and until when.
#[utoipa::path(tag = "signing", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request", body = SignatureRequestView),
        (status = 404, description = "No such request asking you", body = ApiError)
    )
)]
#[get("/me/signature-requests/{id}")]
pub async fn get_my_signature_request(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let request = crate::signing::my_request(&state, &me, *id).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(request))
}
