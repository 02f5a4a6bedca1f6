use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::Supplement;

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// A case's supplement requests, oldest first, each answered one with the
/// changes it made (before and after per field).
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The requests", body = [Supplement]),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}/supplements")]
pub async fn list_case_supplements(
    state: web::Data<AppState>,
    case: HandledCase<act::ReadSupplements>,
) -> Result<HttpResponse, AppError> {
    let rec = &case.case;
    let list = crate::db::supplements::list(&state.db, rec.id).await?;
    Ok(HttpResponse::Ok().json(list))
}
