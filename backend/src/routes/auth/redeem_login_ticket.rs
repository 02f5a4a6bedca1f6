use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, TicketRequest, TokenResponse};

use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Exchanges the one-time ticket of a finished OIDC login for the
/// applicant's token. A ticket works once, within a minute.
#[utoipa::path(tag = "auth", request_body = TicketRequest, responses(
    (status = 200, description = "The applicant's token", body = TokenResponse),
    (status = 401, description = "Unknown, used or expired ticket", body = ApiError)
))]
#[post("/auth/oidc/ticket")]
pub async fn redeem_login_ticket(
    state: web::Data<AppState>,
    body: web::Json<TicketRequest>,
) -> Result<HttpResponse, AppError> {
    let rp = state
        .oidc
        .as_ref()
        .ok_or_else(|| AppError::NotFound("Login through the identity provider is turned off.".into()))?;
    let token = rp.redeem(&body.ticket).ok_or_else(|| {
        AppError::new(ErrorCode::InvalidTicket, "The login has expired or was already used. Log in again.")
    })?;
    Ok(HttpResponse::Ok().json(token))
}
