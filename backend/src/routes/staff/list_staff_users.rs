use actix_web::{HttpResponse, get, web};
use shared::api::StaffUserView;

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::state::AppState;

/// All staff accounts with their roles and services. Platform admins only.
#[utoipa::path(tag = "staff", security(("bearer" = [])), responses((status = 200, description = "The accounts", body = [StaffUserView])))]
#[get("/staff")]
pub async fn list_staff_users(state: web::Data<AppState>, _admin: Admin) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(crate::db::staff::list(&state.db).await?))
}
