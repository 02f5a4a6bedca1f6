use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::Assignment;

use crate::auth::extract::StaffUser;
use crate::error::AppError;
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
    user: StaffUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::handled_case(&state, &user, &reference).await?;
    super::assign(&state, &user, &rec, Some(user.id)).await
}
