use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::db::downloads::{Downloaded, Downloader};
use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Downloads a file the applicant attached to the case (an upload the case
/// took), as an attachment with its name. The type served is told from the
/// content, not the one the applicant's browser claimed. The read is written
/// to the case's access log, and the download recorded.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("upload_id" = Uuid, Path, description = "The upload's id, as in the file field's answer")
), responses(
    (status = 200, description = "The file's bytes", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 404, description = "No such case that you may handle, or no such file of it", body = ApiError)
))]
#[get("/cases/{reference}/attachments/{upload_id}")]
pub async fn get_case_attachment(
    state: web::Data<AppState>,
    case: HandledCase<act::DownloadAttachment>,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (_, upload_id) = path.into_inner();
    crate::files::download(&state, case.case.id, Downloaded::Upload(upload_id), Downloader::Staff(case.user.id)).await
}
