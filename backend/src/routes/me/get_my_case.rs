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
    let not_found = || AppError::NotFound("You have no case with that reference.".into());
    let rec = crate::db::cases::find(&state.db, &reference).await?.ok_or_else(not_found)?;
    if rec.applicant_personnummer.as_deref() != Some(me.personnummer.as_digits().as_str()) {
        return Err(not_found());
    }
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(not_found)?;
    Ok(HttpResponse::Ok().json(crate::db::cases::applicant_view(&rec, &service)))
}
