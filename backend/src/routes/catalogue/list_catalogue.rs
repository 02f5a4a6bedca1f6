use actix_web::{HttpResponse, get, web};
use shared::api::CatalogueEntry;

use crate::error::AppError;
use crate::state::AppState;

/// The published services, by name. Public.
#[utoipa::path(tag = "catalogue", responses((status = 200, description = "Published services", body = [CatalogueEntry])))]
#[get("/catalogue")]
pub async fn list_catalogue(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(crate::db::services::catalogue(&state.db).await?))
}
