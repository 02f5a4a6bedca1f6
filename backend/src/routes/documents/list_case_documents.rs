use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::documents::CaseDocument;

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// The decisions and other documents attached to a case, oldest first.
/// The read is written to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case's documents", body = [CaseDocument]),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}/documents")]
pub async fn list_case_documents(
    state: web::Data<AppState>,
    case: HandledCase<act::ListDocuments>,
) -> Result<HttpResponse, AppError> {
    let rec = &case.case;
    let documents = crate::db::documents::list(&state.db, rec.id, true).await?;
    Ok(HttpResponse::Ok().json(documents))
}
