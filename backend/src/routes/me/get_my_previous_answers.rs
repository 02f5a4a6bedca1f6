use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, PreviousAnswers};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// For a recurring application: the answers of the signed-in applicant's newest case in this
/// service that its published form takes over (its fields prefilled from `previous_case`), and
/// that case's reference. Only the applicant's own cases are read, and only those answers are
/// sent; 404 when there is no such case or the form takes nothing from one.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name")
), responses(
    (status = 200, description = "The answers to take over", body = PreviousAnswers),
    (status = 404, description = "No previous case in the service, or nothing to take from it", body = ApiError)
))]
#[get("/me/previous-answers/{slug}")]
pub async fn get_my_previous_answers(
    state: web::Data<AppState>,
    me: Applicant,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let none = || AppError::NotFound("You have no earlier case in this service to take answers from.".into());
    let service = crate::db::services::catalogue_service(&state.db, &slug).await?.ok_or_else(none)?;
    let cases = crate::db::cases::list_for_applicant(&state.db, &me.personnummer.as_digits()).await?;
    let newest = cases.into_iter().find(|c| c.service == service.slug).ok_or_else(none)?;
    let answers: shared::Answers =
        shared::prefill::from_previous_case(&service.form, &newest.answers).into_iter().collect();
    if answers.is_empty() {
        return Err(none());
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(PreviousAnswers { reference: newest.reference, answers }))
}
