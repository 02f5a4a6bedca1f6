use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::signing::ApplicantSigning;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The signing of one of the signed-in applicant's cases: where the attempt
/// is (awaiting, complete, declined, expired), the co-signers' deadline, and
/// each signature (the applicant's first) with its state, the signer's name
/// when known and a co-signer's message when they declined.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")),
    responses(
        (status = 200, description = "The case's signing", body = ApplicantSigning),
        (status = 404, description = "No such case of yours, or it was not signed", body = ApiError)
    )
)]
#[get("/me/cases/{reference}/signing")]
pub async fn get_my_case_signing(
    state: web::Data<AppState>,
    me: Applicant,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::my_case(&state, &me, &reference).await?;
    let signing = crate::db::signatures::applicant_signing(&state.db, rec.id)
        .await?
        .ok_or_else(|| AppError::NotFound("This case was not signed.".into()))?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(signing))
}
