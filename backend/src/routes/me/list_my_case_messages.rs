use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::{CaseMessage, MessageAuthor};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The messages on one of the signed-in applicant's cases, oldest first;
/// reading marks the handlers' messages read. Handlers' names are not shown.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The messages", body = [CaseMessage]),
    (status = 404, description = "No such case of yours", body = ApiError)
))]
#[get("/me/cases/{reference}/messages")]
pub async fn list_my_case_messages(
    state: web::Data<AppState>,
    me: Applicant,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::my_case(&state, &me, &reference).await?;
    Ok(HttpResponse::Ok().json(crate::db::handling::read_messages(&state.db, rec.id, MessageAuthor::Applicant).await?))
}
