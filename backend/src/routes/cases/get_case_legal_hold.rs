use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, CaseRetention};

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// A case's retention: its status, the day it will be purged and its legal
/// hold, without the applicant or the answers. Platform admins (any case),
/// service owners and handlers (their services' cases). Logged in the case's
/// access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case's retention and legal hold", body = CaseRetention),
    (status = 404, description = "No such case that you may see", body = ApiError)
))]
#[get("/cases/{reference}/legal-hold")]
pub async fn get_case_legal_hold(
    state: web::Data<AppState>,
    user: StaffUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::held_case(&state, &user, &reference).await?;
    crate::db::cases::log_access(&state.db, rec.id, user.id, "read_legal_hold").await?;
    Ok(HttpResponse::Ok().json(rec.retention(&service)))
}
