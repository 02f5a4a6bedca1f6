use actix_web::{HttpResponse, delete, web};
use shared::api::ApiError;

use crate::eid::bankid::service::LoginError;
use crate::error::AppError;
use crate::state::AppState;

/// Cancels a BankID login and its order at BankID (the user chose "Avbryt").
#[utoipa::path(tag = "auth",
    params(("login_id" = String, Path, description = "The id from starting the login")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 404, description = "No such login: it expired, completed or was cancelled (or BankID is off)", body = ApiError)
    )
)]
#[delete("/auth/bankid/{login_id}")]
pub async fn cancel_bankid_login(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let bankid = crate::eid::bankid::of(&state)?;
    bankid.cancel_login(&path).await.map_err(|e| match e {
        LoginError::NotFound => AppError::NotFound("There is no such BankID login; it may have expired.".into()),
        other => AppError::internal(other),
    })?;
    Ok(HttpResponse::NoContent().finish())
}
