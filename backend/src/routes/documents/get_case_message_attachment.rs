use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::StaffUser;
use crate::db::documents::{Downloaded, Downloader};
use crate::error::AppError;
use crate::state::AppState;

/// Downloads a file sent with a message on the case (either party's), or a
/// handler's file not yet sent, as an attachment with its name and its
/// (sniffed) type. The download is recorded and written to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("id" = Uuid, Path, description = "The attachment's id, as in the message's `attachments`")
), responses(
    (status = 200, description = "The file's bytes, with its media type", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 404, description = "No such case that you may handle, or no such file of it", body = ApiError)
))]
#[get("/cases/{reference}/message-attachments/{id}")]
pub async fn get_case_message_attachment(
    state: web::Data<AppState>,
    user: StaffUser,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (reference, id) = path.into_inner();
    let (rec, _service) = crate::routes::cases::handled_case(&state, &user, &reference).await?;
    let attachment = crate::db::attachments::find(&state.db, rec.id, id)
        .await?
        .ok_or_else(|| AppError::NotFound("The case has no message attachment with that id.".into()))?;
    let file = super::message_file(&state, &attachment).await?;
    crate::db::cases::log_access(&state.db, rec.id, user.id, "message_attachment_download").await?;
    crate::db::documents::record_download(&state.db, Downloaded::MessageFile(id), Downloader::Staff(user.id)).await?;
    super::file_response(file, &attachment.file.name, &attachment.file.content_type)
}
