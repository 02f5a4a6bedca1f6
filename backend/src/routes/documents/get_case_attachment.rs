use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::sniff::{HEAD_BYTES, sniff};

/// Downloads a file the applicant attached to the case (an upload the case
/// took), as an attachment with its name. The type served is told from the
/// content, not the one the applicant's browser claimed. The read is written
/// to the case's access log.
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
    user: StaffUser,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (reference, upload_id) = path.into_inner();
    let (rec, _service) = crate::routes::cases::handled_case(&state, &user, &reference).await?;
    let upload = crate::db::uploads::find(&state.db, upload_id)
        .await?
        .filter(|u| u.case_id == Some(rec.id))
        .ok_or_else(|| AppError::NotFound("The case has no attachment with that id.".into()))?;
    let mut file = state
        .storage
        .uploads
        .get(&upload.id.to_string())
        .await?
        .ok_or_else(|| super::missing_file("attachment", upload.id))?;
    let (head, body) = crate::storage::peek(file.body, HEAD_BYTES).await.map_err(AppError::internal)?;
    file.body = body;
    let content_type = sniff(&head, head.len() as u64 >= file.size).media_type();
    crate::db::cases::log_access(&state.db, rec.id, user.id, "attachment_download").await?;
    super::file_response(file, &upload.name, content_type)
}
