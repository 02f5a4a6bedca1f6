use actix_web::{HttpResponse, delete, web};
use shared::api::ApiError;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// Cancels a BankID signature the caller started, and its order at BankID
/// (the user chose "Avbryt"). Nothing was stored; a finished signature is just forgotten.
#[utoipa::path(tag = "signing", security(("bearer" = [])),
    params(("signing_id" = String, Path, description = "The id from starting the signature")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 404, description = "No such signature of the caller's: it expired or was cancelled (or BankID is off)", body = ApiError)
    )
)]
#[delete("/signings/{signing_id}")]
pub async fn cancel_signing(
    state: web::Data<AppState>,
    me: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    crate::signing::cancel(&state, &me, &path).await?;
    Ok(HttpResponse::NoContent().finish())
}
