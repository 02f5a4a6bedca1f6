use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, CaseDetail};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// One case with its answers, form, applicant and status history. Every
/// read is written to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case", body = CaseDetail),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}")]
pub async fn get_case(state: web::Data<AppState>, case: HandledCase<act::ReadCase>) -> Result<HttpResponse, AppError> {
    let (rec, service) = (&case.case, &case.service);
    let detail = crate::db::cases::detail(&state.db, rec, service).await?;
    Ok(HttpResponse::Ok().json(detail))
}
