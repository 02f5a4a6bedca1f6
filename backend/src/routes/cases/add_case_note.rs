use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::{CaseNote, NewText};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Adds an internal note to a case (staff only; the applicant never sees it).
#[utoipa::path(tag = "cases", request_body = NewText, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 201, description = "Added", body = CaseNote),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 422, description = "The note is empty or too long", body = ApiError)
))]
#[post("/cases/{reference}/notes")]
pub async fn add_case_note(
    state: web::Data<AppState>,
    case: HandledCase<act::AddNote>,
    body: web::Json<NewText>,
) -> Result<HttpResponse, AppError> {
    let (rec, user) = (&case.case, &case.user);
    let text = crate::messaging::text(&body.body, "note")?;
    let note = crate::db::handling::add_note(&state.db, rec.id, user.id, &text).await?;
    Ok(crate::routes::created(&format!("/cases/{}/notes", rec.reference)).json(note))
}
