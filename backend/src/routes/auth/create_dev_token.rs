use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, DevLoginRequest, TokenResponse};

use crate::auth::identity::IdentityError;
use crate::error::{AppError, ErrorCode};
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
        IdentityError::Invalid => AppError::new(ErrorCode::InvalidPersonnummer, e.to_string()),
        IdentityError::NotATestNumber => AppError::new(ErrorCode::NotATestPersonnummer, e.to_string()),
    })?;
    tracing::info!(provider = provider.name(), "development login");
    let tokens = crate::sessions::start(
        &state,
        crate::sessions::Login { identity: id, idp: "development", loa: "development".into() },
    )
    .await?;
    Ok(HttpResponse::Ok().json(tokens))
}
