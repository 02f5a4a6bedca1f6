use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, DraftView};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// One of the signed-in applicant's drafts, to resume it (on any device).
/// If the service has published a newer form version since the draft was
/// saved, the answers that still fit are moved to it, and `reanswer` lists
/// the fields to answer (again); the list stays until the next save.
#[utoipa::path(tag = "drafts", security(("bearer" = [])), params(("id" = Uuid, Path, description = "The draft's id")), responses(
    (status = 200, description = "The draft, on the current form version", body = DraftView),
    (status = 404, description = "No such draft of yours", body = ApiError)
))]
#[get("/me/drafts/{id}")]
pub async fn get_my_draft(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let draft = crate::db::drafts::find(&state.db, *id, &me.personnummer.as_digits())
        .await?
        .ok_or_else(super::no_such_draft)?;
    let view = super::current_view(&state, &me, draft).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(view))
}
