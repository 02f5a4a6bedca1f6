use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::{CaseMessage, MessageAuthor};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
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
    case: HandledCase<act::ReadMessages>,
) -> Result<HttpResponse, AppError> {
    let rec = &case.case;
    let messages = crate::db::handling::read_messages(&state.db, rec.id, MessageAuthor::Staff).await?;
    Ok(HttpResponse::Ok().json(messages))
}
