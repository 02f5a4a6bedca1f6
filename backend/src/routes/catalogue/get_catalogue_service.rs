use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, CatalogueService};

use crate::error::AppError;
use crate::state::AppState;

/// A published service with the form applicants fill in now. Public.
#[utoipa::path(tag = "catalogue", params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 200, description = "The service and its current form", body = CatalogueService),
    (status = 404, description = "No such published service", body = ApiError)
))]
#[get("/catalogue/{slug}")]
pub async fn get_catalogue_service(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let s = crate::db::services::catalogue_service(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no published service with that name.".into()))?;
    Ok(HttpResponse::Ok().json(s))
}
