use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::HandlerName;

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Lists the handlers the case can be assigned to: those permitted on its
/// service, by name. It reads nothing of the case, so it is loaded as for an
/// assignment, which the assignment itself logs.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The handlers", body = [HandlerName]),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}/handlers")]
pub async fn list_case_handlers(
    state: web::Data<AppState>,
    case: HandledCase<act::Assign>,
) -> Result<HttpResponse, AppError> {
    let handlers = crate::db::staff::handlers_on(&state.db, case.case.service_id).await?;
    Ok(HttpResponse::Ok().json(handlers.into_iter().map(|(id, name)| HandlerName { id, name }).collect::<Vec<_>>()))
}
