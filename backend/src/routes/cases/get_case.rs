use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, CaseDetail};

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// One case with its answers, form, applicant and status history. Every
/// read is written to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case", body = CaseDetail),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}")]
pub async fn get_case(
    state: web::Data<AppState>,
    user: StaffUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::handled_case(&state, &user, &reference).await?;
    let detail = crate::db::cases::detail(&state.db, &rec, &service).await?;
    crate::db::cases::log_access(&state.db, rec.id, user.id, "read").await?;
    Ok(HttpResponse::Ok().json(detail))
}
