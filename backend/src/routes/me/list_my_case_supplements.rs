use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::Supplement;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The supplement requests on one of the signed-in applicant's cases, oldest
/// first; an open one has no `answered_at`.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The requests", body = [Supplement]),
    (status = 404, description = "No such case of yours", body = ApiError)
))]
#[get("/me/cases/{reference}/supplements")]
pub async fn list_my_case_supplements(
    state: web::Data<AppState>,
    me: Applicant,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::my_case(&state, &me, &reference).await?;
    Ok(HttpResponse::Ok().json(crate::db::supplements::list(&state.db, rec.id).await?))
}
