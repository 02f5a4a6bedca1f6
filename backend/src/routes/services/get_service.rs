use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, ServiceView};

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::routes::staff_service;
use crate::state::AppState;

/// One service, for platform admins and staff permitted on it. Its `ETag` is its revision:
/// send it back in `If-Match` when saving.
#[utoipa::path(tag = "services", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 200, description = "The service", body = ServiceView),
    (status = 404, description = "No such service, or not permitted", body = ApiError)
))]
#[get("/services/{slug}")]
pub async fn get_service(
    state: web::Data<AppState>,
    user: StaffUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    staff_service(&state, &user, &slug).await?;
    let view = crate::db::services::get(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
    Ok(HttpResponse::Ok()
        .insert_header(crate::headers::etag(view.revision))
        .json(crate::retention::complete(view, &state.settings.retention)))
}
