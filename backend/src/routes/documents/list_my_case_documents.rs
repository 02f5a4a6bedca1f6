use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::documents::CaseDocument;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The decisions and other documents on one of your cases, oldest first.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case's documents", body = [CaseDocument]),
    (status = 404, description = "No such case of yours", body = ApiError)
))]
#[get("/me/cases/{reference}/documents")]
pub async fn list_my_case_documents(
    state: web::Data<AppState>,
    me: Applicant,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _service) = crate::routes::me::my_case(&state, &me, &reference).await?;
    Ok(HttpResponse::Ok().json(crate::db::documents::list(&state.db, rec.id, false).await?))
}
