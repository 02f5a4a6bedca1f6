use actix_web::{HttpResponse, get, web};
use shared::api::FormVersionView;

use crate::auth::extract::ServiceBuilder;
use crate::error::AppError;
use crate::routes::staff_service;
use crate::state::AppState;

/// All versions of a service's form, newest first. Platform admins, and service owners of the service.
#[utoipa::path(tag = "forms", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 200, description = "The versions", body = [FormVersionView])
))]
#[get("/services/{slug}/forms")]
pub async fn list_form_versions(
    state: web::Data<AppState>,
    user: ServiceBuilder,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let service = staff_service(&state, &user, &slug).await?;
    Ok(HttpResponse::Ok().json(crate::db::services::list_versions(&state.db, service.id, &service.slug).await?))
}
