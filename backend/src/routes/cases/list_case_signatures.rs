use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::signing::CaseSignatureView;

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Who signed a case, when and with which e-ID: the applicant's signature
/// first, then the co-signers' in order. Empty for a case of a service
/// without signing. The read is written to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The signatures, ordered by position", body = [CaseSignatureView]),
    (status = 403, description = "Not a case handler", body = ApiError),
    (status = 404, description = "No such case that you may handle (cases awaiting signatures are not shown to staff)", body = ApiError)
))]
#[get("/cases/{reference}/signatures")]
pub async fn list_case_signatures(
    state: web::Data<AppState>,
    case: HandledCase<act::ReadSignatures>,
) -> Result<HttpResponse, AppError> {
    let rec = &case.case;
    let signatures = crate::db::signature_evidence::of_case(&state.db, rec.id).await?;
    let views: Vec<CaseSignatureView> = signatures.iter().map(|s| s.view()).collect();
    Ok(HttpResponse::Ok().json(views))
}
