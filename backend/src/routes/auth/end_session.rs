use actix_web::{HttpResponse, post, web};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// Logs the applicant out: the session ends and none of its tokens work any more.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses((status = 204, description = "Logged out")))]
#[post("/auth/session/logout")]
pub async fn end_session(state: web::Data<AppState>, me: Applicant) -> Result<HttpResponse, AppError> {
    crate::sessions::end(&state, &me).await?;
    Ok(HttpResponse::NoContent().finish())
}
