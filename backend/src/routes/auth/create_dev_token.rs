use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, DevLoginRequest, TokenResponse};

use crate::auth::identity::IdentityError;
use crate::auth::jwt::Subject;
use crate::error::AppError;
use crate::state::AppState;

/// Logs an applicant in through the development identity provider, which
/// accepts only Skatteverket's official test personnummer. Answers 404 when
/// the provider is turned off (as it is unless configured on).
#[utoipa::path(tag = "auth", request_body = DevLoginRequest, responses(
    (status = 200, description = "Logged in", body = TokenResponse),
    (status = 404, description = "The development login is turned off", body = ApiError),
    (status = 422, description = "Not one of the test personnummer", body = ApiError)
))]
#[post("/auth/dev/token")]
pub async fn create_dev_token(
    state: web::Data<AppState>,
    body: web::Json<DevLoginRequest>,
) -> Result<HttpResponse, AppError> {
    let Some(provider) = &state.dev_identity else {
        return Err(AppError::NotFound("The development login is turned off.".into()));
    };
    let id = provider.verify(&body.personnummer).map_err(|e| match e {
        IdentityError::Invalid => AppError::unprocessable("invalid_personnummer", e.to_string()),
        IdentityError::NotATestNumber => AppError::unprocessable("not_a_test_personnummer", e.to_string()),
    })?;
    let token =
        state.tokens.issue(Subject::Applicant, &id.personnummer.as_digits(), id.name).map_err(AppError::internal)?;
    tracing::info!(applicant = %id.personnummer.redacted(), provider = provider.name(), "applicant login");
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: state.tokens.ttl_seconds(),
    }))
}
