use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::db::downloads::{Downloaded, Downloader};
use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Downloads one of a case's documents, as an attachment with its name and
/// its (sniffed) type. The download is recorded and written to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("id" = Uuid, Path, description = "The document's id")
), responses(
    (status = 200, description = "The file's bytes, with its media type", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 404, description = "No such case that you may handle, or no such document of it", body = ApiError)
))]
#[get("/cases/{reference}/documents/{id}")]
pub async fn get_case_document(
    state: web::Data<AppState>,
    case: HandledCase<act::DownloadDocument>,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (_, id) = path.into_inner();
    crate::files::download(&state, case.case.id, Downloaded::Document(id), Downloader::Staff(case.user.id)).await
}
