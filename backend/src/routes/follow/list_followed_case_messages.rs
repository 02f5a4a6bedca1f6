use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::{CaseMessage, MessageAuthor};

use crate::error::AppError;
use crate::state::AppState;

/// The messages on an anonymous case through its private link, oldest first;
/// reading marks the handlers' messages read. Handlers' names are not shown.
#[utoipa::path(tag = "follow", security(("case_link" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The messages", body = [CaseMessage]),
    (status = 401, description = "No `Authorization: CaseLink <token>` header", body = ApiError),
    (status = 404, description = "No such case with that link (or the link was revoked)", body = ApiError)
))]
#[get("/follow/{reference}/messages")]
pub async fn list_followed_case_messages(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::followed_case(&state, &req, &reference).await?;
    let messages = crate::db::handling::read_messages(&state.db, rec.id, MessageAuthor::Applicant).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(messages))
}
