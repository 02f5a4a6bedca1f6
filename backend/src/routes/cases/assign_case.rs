use actix_web::{HttpResponse, put, web};
use shared::api::{ApiError, StaffRole};
use shared::handling::{AssignRequest, Assignment};

use crate::auth::extract::StaffUser;
use crate::error::AppError;
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
    user: StaffUser,
    reference: web::Path<String>,
    body: web::Json<AssignRequest>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::handled_case(&state, &user, &reference).await?;
    if let Some(id) = body.assignee {
        let handler = crate::db::staff::find_by_id(&state.db, id).await?;
        let ok = match handler {
            Some(h) => {
                h.roles.contains(&StaffRole::Handler)
                    && crate::db::staff::is_permitted(&state.db, rec.service_id, id).await?
            }
            None => false,
        };
        if !ok {
            return Err(AppError::unprocessable(
                "invalid_assignee",
                "The assignee must be a handler permitted on the case's service.",
            ));
        }
    }
    super::assign(&state, &user, &rec, body.assignee).await
}
