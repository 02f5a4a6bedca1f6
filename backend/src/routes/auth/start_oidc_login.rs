use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;

use crate::error::AppError;
use crate::state::AppState;

/// Starts a login at the OpenID Connect broker: answers 303 with the
/// broker's authorization URL (code flow with PKCE, state and nonce). The
/// browser navigates here; the broker sends it back to `auth/oidc/callback`.
#[utoipa::path(tag = "auth", responses(
    (status = 303, description = "Go to the identity provider (Location header)"),
    (status = 404, description = "OIDC login is turned off", body = ApiError),
    (status = 503, description = "The identity provider cannot be reached", body = ApiError)
))]
#[get("/auth/oidc/start")]
pub async fn start_oidc_login(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let rp = state
        .oidc
        .as_ref()
        .ok_or_else(|| AppError::NotFound("Login through the identity provider is turned off.".into()))?;
    let url = rp.start().await.map_err(|e| {
        tracing::warn!(error = %e, "OIDC login could not start");
        AppError::Unavailable
    })?;
    Ok(HttpResponse::SeeOther().insert_header(("Location", url)).insert_header(("Cache-Control", "no-store")).finish())
}
