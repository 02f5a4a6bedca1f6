use actix_web::{HttpResponse, post, web};
use secrecy::SecretString;
use shared::api::{ApiError, StaffLoginRequest, TokenResponse};

use crate::auth::password;
use crate::error::AppError;
use crate::state::AppState;

/// Logs a staff member in with user name and password and returns an access token.
#[utoipa::path(tag = "auth", request_body = StaffLoginRequest, responses(
    (status = 200, description = "Logged in", body = TokenResponse),
    (status = 401, description = "Wrong user name or password", body = ApiError)
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
    // Argon2 is deliberately slow: keep it off the async workers.
    let ok = web::block(move || password::verify(&pw, &stored)).await.map_err(AppError::internal)?;
    let account = match (ok, account) {
        (true, Some(a)) => a,
        _ => {
            return Err(AppError::unauthenticated("invalid_credentials", "The user name or password is wrong."));
        }
    };
    let token = state
        .tokens
        .issue_staff(&account.id.to_string(), Some(account.display_name), account.roles.clone())
        .map_err(AppError::internal)?;
    tracing::info!(staff.username = %account.username, "staff login");
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: state.tokens.ttl_seconds(),
    }))
}
