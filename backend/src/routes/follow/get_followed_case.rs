use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::api::{ApiError, ApplicantCase};

use crate::error::AppError;
use crate::state::AppState;

/// An anonymous case through its private link: its status, its history and
/// whether messages can be sent now. The answers are left out (a forwarded
/// mail must not show them), and supplements are answered by message.
#[utoipa::path(tag = "follow", security(("case_link" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case, without its answers", body = ApplicantCase),
    (status = 401, description = "No `Authorization: CaseLink <token>` header", body = ApiError),
    (status = 404, description = "No such case with that link (or the link was revoked)", body = ApiError)
))]
#[get("/follow/{reference}")]
pub async fn get_followed_case(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::followed_case(&state, &req, &reference).await?;
    let mut case = crate::routes::me::get_my_case::full_view(&state, &rec, &service).await?;
    case.answers = Default::default();
    case.may_supplement = Some(false);
    case.purge_on = None;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(case))
}
