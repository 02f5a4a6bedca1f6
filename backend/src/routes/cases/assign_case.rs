use actix_web::{HttpResponse, put, web};
use shared::api::ApiError;
use shared::handling::{AssignRequest, Assignment};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Assigns a case to a handler permitted on its service, re-assigns it, or
/// (with `null`) leaves it unassigned. Recorded in the access log.
#[utoipa::path(tag = "cases", request_body = AssignRequest, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The assignment", body = Assignment),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 422, description = "`invalid_assignee`: not a handler permitted on the case's service", body = ApiError)
))]
#[put("/cases/{reference}/assignee")]
pub async fn assign_case(
    state: web::Data<AppState>,
    case: HandledCase<act::Assign>,
    body: web::Json<AssignRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(crate::handling::assignment::assign(&state, &case, body.assignee).await?))
}
