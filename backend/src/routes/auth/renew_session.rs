use actix_web::{HttpResponse, post, web};
use shared::api::TokenResponse;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// Renews the applicant's token while the session is live (the app calls
/// this before the token runs out). A session ends after
/// `auth.applicant_session_max_minutes` however often it is renewed.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses(
    (status = 200, description = "A fresh token for the same session", body = TokenResponse)
))]
#[post("/auth/session/renew")]
pub async fn renew_session(state: web::Data<AppState>, me: Applicant) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(crate::sessions::renew(&state, &me).await?))
}
