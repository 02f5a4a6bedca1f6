use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::CaseNote;

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// A case's internal notes, oldest first: staff only, never shown to the applicant.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The notes", body = [CaseNote]),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}/notes")]
pub async fn list_case_notes(
    state: web::Data<AppState>,
    case: HandledCase<act::ReadNotes>,
) -> Result<HttpResponse, AppError> {
    let rec = &case.case;
    let notes = crate::db::handling::notes(&state.db, rec.id).await?;
    Ok(HttpResponse::Ok().json(notes))
}
