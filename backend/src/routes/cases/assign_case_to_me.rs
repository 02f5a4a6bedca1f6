use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::Assignment;

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Assigns a case to the calling handler ("assign to me").
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The assignment", body = Assignment),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[post("/cases/{reference}/assign-to-me")]
pub async fn assign_case_to_me(
    state: web::Data<AppState>,
    case: HandledCase<act::Assign>,
) -> Result<HttpResponse, AppError> {
    let me = Some(case.user.id);
    Ok(HttpResponse::Ok().json(crate::handling::assignment::assign(&state, &case, me).await?))
}
