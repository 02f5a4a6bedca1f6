use actix_web::{HttpResponse, delete, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// Deletes one of the signed-in applicant's drafts.
#[utoipa::path(tag = "drafts", security(("bearer" = [])), params(("id" = Uuid, Path, description = "The draft's id")), responses(
    (status = 204, description = "Deleted"),
    (status = 404, description = "No such draft of yours", body = ApiError)
))]
#[delete("/me/drafts/{id}")]
pub async fn delete_my_draft(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    if crate::db::drafts::delete(&state.db, *id, &me.personnummer.as_digits()).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(super::no_such_draft())
    }
}
