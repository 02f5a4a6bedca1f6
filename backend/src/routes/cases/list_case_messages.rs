use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::{CaseMessage, MessageAuthor};

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// The messages between the applicant and the handlers of a case, oldest
/// first. Reading marks the applicant's unread messages read (the read
/// receipt the applicant sees); the read is logged.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The messages", body = [CaseMessage]),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}/messages")]
pub async fn list_case_messages(
    state: web::Data<AppState>,
    user: StaffUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::handled_case(&state, &user, &reference).await?;
    let messages = crate::db::handling::read_messages(&state.db, rec.id, MessageAuthor::Staff).await?;
    crate::db::cases::log_access(&state.db, rec.id, user.id, "read_messages").await?;
    Ok(HttpResponse::Ok().json(messages))
}
