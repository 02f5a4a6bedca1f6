use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::{Supplement, SupplementRequestInput};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Asks the applicant to supplement the case ("komplettering"): the case moves
/// to a status of kind `awaiting_supplement`, the applicant is told by mail
/// (without the message) and answers on Min sida, and the case then returns
/// to the status it had, with the changes recorded. The status must let the
/// applicant supplement (`applicant_may_supplement`); an older open request
/// of the case is closed (only the newest can be answered).
#[utoipa::path(tag = "cases", request_body = SupplementRequestInput, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 201, description = "Asked", body = Supplement),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 409, description = "`no_supplement_status` (the service has no status of kind awaiting_supplement), `already_awaiting_supplement`, `case_closed`, or `status_changed_meanwhile`", body = ApiError),
    (status = 422, description = "The message is empty or too long, a field is not in the case's form, or the status does not let the applicant supplement (`status_not_supplementable`)", body = ApiError)
))]
#[post("/cases/{reference}/supplement-requests")]
pub async fn request_supplement(
    state: web::Data<AppState>,
    case: HandledCase<act::RequestSupplement>,
    body: web::Json<SupplementRequestInput>,
) -> Result<HttpResponse, AppError> {
    let asked = crate::handling::supplements::request(&state, &case, body.into_inner()).await?;
    Ok(crate::routes::created(&format!("/cases/{}/supplements", case.case.reference)).json(asked))
}
