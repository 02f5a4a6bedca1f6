use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, BankIdLoginProgress, BankIdLoginStatus};

use crate::auth::identity::VerifiedIdentity;
use crate::eid::bankid::client::CollectStatus;
use crate::eid::bankid::service::LoginError;
use crate::error::AppError;
use crate::state::AppState;

/// The state of a BankID login, with the message BankID recommends showing
/// (RFA, Swedish and English) and, while waiting for a scan, the animated QR
/// code for this second (as data and as SVG). BankID is asked at most once a
/// second per login, so polling faster only refreshes the QR code. The answer
/// that reports `complete` starts the applicant's session and carries its
/// token; the login is then forgotten (404).
#[utoipa::path(tag = "auth",
    params(("login_id" = String, Path, description = "The id from starting the login")),
    responses(
        (status = 200, description = "The login's state", body = BankIdLoginProgress),
        (status = 404, description = "No such login: it expired, completed or was cancelled (or BankID is off)", body = ApiError)
    )
)]
#[get("/auth/bankid/{login_id}")]
pub async fn poll_bankid_login(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let bankid = crate::eid::bankid::of(&state)?;
    let poll = bankid.poll_login(&path).await.map_err(|e| match e {
        LoginError::NotFound => AppError::NotFound("There is no such BankID login; it may have expired.".into()),
        other => AppError::internal(other),
    })?;
    let token = match poll.identity {
        Some(identity) => Some(start_session(&state, identity).await?),
        None => None,
    };
    let status = match poll.status {
        CollectStatus::Pending => BankIdLoginStatus::Pending,
        CollectStatus::Failed => BankIdLoginStatus::Failed,
        CollectStatus::Complete => BankIdLoginStatus::Complete,
    };
    let qr_svg = poll.qr_data.as_deref().and_then(crate::eid::bankid::qr::svg);
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(BankIdLoginProgress {
        status,
        hint_code: poll.hint_code,
        message: poll.message.map(Into::into),
        qr_data: poll.qr_data,
        qr_svg,
        token,
    }))
}

async fn start_session(state: &AppState, identity: VerifiedIdentity) -> Result<shared::api::TokenResponse, AppError> {
    crate::sessions::start(
        state,
        crate::sessions::Login { identity, idp: "bankid", loa: crate::eid::bankid::LOA3.into() },
    )
    .await
}
