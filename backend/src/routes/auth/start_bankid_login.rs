use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, BankIdLoginRequest, BankIdLoginStarted};

use crate::eid::bankid::client::ErrorCode as BankIdCode;
use crate::eid::bankid::messages::{Flow, Rfa};
use crate::eid::bankid::service::LoginError;
use crate::error::{AppError, ErrorCode};
use crate::headers::EndUserIp;
use crate::state::AppState;

/// Starts a BankID login (an `auth` order for the user's IP address as this
/// server sees the connection). Show the QR code from polling
/// `GET /auth/bankid/{login_id}`, or start BankID on the same device with the
/// autostart token; then poll every one or two seconds until it completes or fails.
#[utoipa::path(tag = "auth", request_body = BankIdLoginRequest, responses(
    (status = 200, description = "Started", body = BankIdLoginStarted),
    (status = 404, description = "BankID is turned off", body = ApiError),
    (status = 409, description = "`bankid_already_in_progress`: BankID already has an order for this person; the message is RFA4", body = ApiError),
    (status = 429, description = "`too_many_requests`: this client address already has 30 BankID orders in progress; try again after `Retry-After` seconds", body = ApiError),
    (status = 503, description = "`bankid_unavailable`: BankID is temporarily unavailable or too many logins are in progress; the message is RFA5", body = ApiError)
))]
#[post("/auth/bankid")]
pub async fn start_bankid_login(
    state: web::Data<AppState>,
    EndUserIp(ip): EndUserIp,
    body: web::Json<BankIdLoginRequest>,
) -> Result<HttpResponse, AppError> {
    let bankid = crate::eid::bankid::of(&state)?;
    let flow = if body.same_device { Flow::SameDevice } else { Flow::QrCode };
    match bankid.start_login(ip, flow).await {
        Ok(started) => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(BankIdLoginStarted { login_id: started.login_id, auto_start_token: started.auto_start_token })),
        Err(LoginError::BankId(e)) if e.code() == Some(&BankIdCode::AlreadyInProgress) => {
            Err(AppError::new(ErrorCode::BankidAlreadyInProgress, Rfa::Rfa4.message().en))
        }
        Err(LoginError::TooManyForClient) => Err(LoginError::too_many_for_client()),
        Err(e @ LoginError::Busy) => Ok(unavailable(&e)),
        Err(LoginError::BankId(e)) if e.is_temporary() => Ok(unavailable(&LoginError::BankId(e))),
        Err(e) => Err(AppError::internal(e)),
    }
}

fn unavailable(cause: &LoginError) -> HttpResponse {
    tracing::warn!(error = %cause, "BankID login could not start");
    crate::routes::signing::bankid_unavailable()
}
