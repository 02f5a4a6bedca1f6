use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::db::downloads::{Downloaded, Downloader};
use crate::error::AppError;
use crate::state::AppState;

/// Downloads a file you sent with one of your cases (the id is in the file
/// field's answer), as an attachment with its name. The type served is told
/// from the content. The download is recorded, as for documents and message files.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("upload_id" = Uuid, Path, description = "The upload's id, as in the file field's answer")
), responses(
    (status = 200, description = "The file's bytes", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 404, description = "No such case of yours, or no such file sent with it", body = ApiError)
))]
#[get("/me/cases/{reference}/attachments/{upload_id}")]
pub async fn get_my_case_attachment(
    state: web::Data<AppState>,
    me: Applicant,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (reference, upload_id) = path.into_inner();
    let (rec, _) = crate::routes::me::my_case(&state, &me, &reference).await?;
    crate::files::download(&state, rec.id, Downloaded::Upload(upload_id), Downloader::Applicant).await
}
