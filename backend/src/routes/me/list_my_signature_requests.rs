use actix_web::{HttpResponse, get, web};
use shared::signing::SignatureRequestView;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The requests asking the signed-in person to co-sign an application
/// ("underskrifter som väntar på mig"), pending first, then newest first.
/// Each shows only what the signed summary shows: never the case's other
/// data, its reference or the applicant's personnummer.
#[utoipa::path(tag = "signing", security(("bearer" = [])), responses(
    (status = 200, description = "The requests", body = Vec<SignatureRequestView>)
))]
#[get("/me/signature-requests")]
pub async fn list_my_signature_requests(state: web::Data<AppState>, me: Applicant) -> Result<HttpResponse, AppError> {
    let requests = crate::signing::my_requests(&state, &me).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(requests))
}
