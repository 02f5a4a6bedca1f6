use actix_web::{HttpResponse, post, web};
use secrecy::SecretString;
use shared::api::{ApiError, StaffLoginRequest, TokenResponse};

use crate::auth::password;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Logs a staff member in with user name and password and returns an access
/// token of a new staff session (`POST /auth/session/logout` ends it at once).
#[utoipa::path(tag = "auth", request_body = StaffLoginRequest, responses(
    (status = 200, description = "Logged in", body = TokenResponse),
    (status = 401, description = "Wrong user name or password", body = ApiError),
    (status = 429, description = "Too many logins being checked at once; try again after `Retry-After` seconds", body = ApiError)
))]
#[post("/auth/staff/token")]
pub async fn create_staff_token(
    state: web::Data<AppState>,
    body: web::Json<StaffLoginRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let account = crate::db::staff::find_by_username(&state.db, body.username.trim()).await?;
    let stored =
        account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| password::dummy_hash().to_string());
    let pw = SecretString::from(body.password);
    // Argon2 is deliberately slow and large: a few at a time, off the async workers.
    let ok = state.passwords.verify(pw, stored).await.map_err(|_| AppError::TooManyRequests {
        message: "Too many logins at once. Please try again in a moment.".into(),
        retry_after: 2,
    })?;
    let account = match (ok, account) {
        (true, Some(a)) => a,
        _ => {
            return Err(AppError::new(ErrorCode::InvalidCredentials, "The user name or password is wrong."));
        }
    };
    let expires_at = chrono::Utc::now() + chrono::Duration::seconds(state.tokens.ttl_seconds() as i64);
    let sid = crate::db::sessions::create_staff(&state.db, account.id, expires_at).await?;
    let token = state
        .tokens
        .issue_staff(&account.id.to_string(), Some(account.display_name), account.roles.clone(), &sid.to_string())
        .map_err(AppError::internal)?;
    tracing::info!(staff.username = %account.username, "staff login");
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: state.tokens.ttl_seconds(),
    }))
}
