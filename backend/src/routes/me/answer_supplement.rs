use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::{Supplement, SupplementAnswer};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// Answers an open supplement request: the new answers replace the old ones
/// for the fields asked about (`null` removes one), the whole case is
/// validated again against its form version, and the case returns to the
/// handler with the changes recorded. A new answer to the form's contact
/// e-mail field (`autocomplete: email`) becomes the address later mails
/// about the case go to. Invalid answers change nothing.
#[utoipa::path(tag = "me", request_body = SupplementAnswer, security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("id" = Uuid, Path, description = "The supplement request's id")
), responses(
    (status = 200, description = "Supplemented; the request with its changes", body = Supplement),
    (status = 404, description = "No such case of yours, or no unanswered request with that id", body = ApiError),
    (status = 409, description = "`supplement_closed`: the request was closed (the case left the awaiting-supplement status, or a newer request replaced it), or the case's status does not take a supplement now", body = ApiError),
    (status = 422, description = "A field was not asked about, is a file field, or an answer is not valid (`errors` per field)", body = ApiError)
))]
#[post("/me/cases/{reference}/supplements/{id}/answer")]
pub async fn answer_supplement(
    state: web::Data<AppState>,
    me: Applicant,
    path: web::Path<(String, Uuid)>,
    body: web::Json<SupplementAnswer>,
) -> Result<HttpResponse, AppError> {
    let (reference, id) = path.into_inner();
    let (rec, service) = super::my_case(&state, &me, &reference).await?;
    let answered = crate::handling::supplements::answer(&state, &rec, &service, id, &body).await?;
    Ok(HttpResponse::Ok().json(answered))
}
