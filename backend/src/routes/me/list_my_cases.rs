use actix_web::{HttpResponse, get, web};
use shared::api::ApplicantCase;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in applicant's cases, newest first.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses((status = 200, description = "My cases", body = [ApplicantCase])))]
#[get("/me/cases")]
pub async fn list_my_cases(state: web::Data<AppState>, me: Applicant) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(crate::db::cases::list_for_applicant(&state.db, &me.personnummer.as_digits()).await?))
}
