use actix_web::{HttpResponse, get};
use shared::api::{ApiError, CaseRetention};

use crate::error::AppError;
use crate::handling::{HeldCase, act};

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
pub async fn get_case_legal_hold(case: HeldCase<act::ReadLegalHold>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(case.case.retention(&case.service)))
}
