use actix_web::{HttpResponse, get, web};
use shared::api::ServiceView;

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// Lists services: all of them for platform admins, otherwise the ones the
/// caller is permitted on.
#[utoipa::path(tag = "services", security(("bearer" = [])), responses(
    (status = 200, description = "The services, by name", body = [ServiceView])
))]
#[get("/services")]
pub async fn list_services(state: web::Data<AppState>, user: StaffUser) -> Result<HttpResponse, AppError> {
    let list = if user.has(shared::api::StaffRole::PlatformAdmin) {
        crate::db::services::list(&state.db).await?
    } else {
        let ids = crate::db::staff::permitted_service_ids(&state.db, user.id).await?;
        crate::db::services::list_by_ids(&state.db, &ids).await?
    };
    let list: Vec<_> = list.into_iter().map(|v| crate::retention::complete(v, &state.settings.retention)).collect();
    Ok(HttpResponse::Ok().json(list))
}
