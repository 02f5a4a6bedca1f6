use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, ApplicantCase};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// One of the signed-in applicant's cases.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case", body = ApplicantCase),
    (status = 404, description = "No such case of yours", body = ApiError)
))]
#[get("/me/cases/{reference}")]
pub async fn get_my_case(
    state: web::Data<AppState>,
    me: Applicant,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::my_case(&state, &me, &reference).await?;
    Ok(HttpResponse::Ok().json(crate::db::cases::applicant_view(&rec, &service)))
}
