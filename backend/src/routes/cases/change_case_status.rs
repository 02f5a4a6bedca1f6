use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, CaseDetail, ChangeStatusRequest};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Moves a case to another status of its service's list, recording who,
/// when, from, to and the comment in the history. Open supplement requests
/// are closed (the case no longer waits for them). A status of kind
/// `awaiting_supplement` is reached only by asking for a supplement.
#[utoipa::path(tag = "cases", request_body = ChangeStatusRequest, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "Changed; the case", body = CaseDetail),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 409, description = "The case already has that status, or changed meanwhile", body = ApiError),
    (status = 422, description = "Not a status of the service, one only the platform sets, or one of kind awaiting_supplement (`supplement_needs_request`: ask for a supplement instead)", body = ApiError)
))]
#[post("/cases/{reference}/status")]
pub async fn change_case_status(
    state: web::Data<AppState>,
    case: HandledCase<act::ChangeStatus>,
    body: web::Json<ChangeStatusRequest>,
) -> Result<HttpResponse, AppError> {
    crate::handling::status::change(&state, &case, body.into_inner()).await?;
    let changed = crate::db::cases::find_for_staff(&state.db, &case.case.reference)
        .await?
        .ok_or_else(|| AppError::NotFound("The case is no longer there.".into()))?;
    let detail = crate::db::cases::detail(&state.db, &changed, &case.service).await?;
    Ok(HttpResponse::Ok().json(detail))
}
