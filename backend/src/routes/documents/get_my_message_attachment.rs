use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::db::documents::{Downloaded, Downloader};
use crate::error::AppError;
use crate::state::AppState;

/// Downloads a file sent with a message on one of your cases (yours or a
/// handler's), as an attachment with its name and type. The download is recorded.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("id" = Uuid, Path, description = "The attachment's id, as in the message's `attachments`")
), responses(
    (status = 200, description = "The file's bytes, with its media type", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 404, description = "No such case of yours, or no such file sent on it", body = ApiError)
))]
#[get("/me/cases/{reference}/message-attachments/{id}")]
pub async fn get_my_message_attachment(
    state: web::Data<AppState>,
    me: Applicant,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (reference, id) = path.into_inner();
    let (rec, _service) = crate::routes::me::my_case(&state, &me, &reference).await?;
    // A handler's file is the applicant's to read only once a message sent it.
    let attachment = crate::db::attachments::find(&state.db, rec.id, id)
        .await?
        .filter(|a| a.message_id.is_some())
        .ok_or_else(|| AppError::NotFound("Your case has no message attachment with that id.".into()))?;
    let file = super::message_file(&state, &attachment).await?;
    crate::db::documents::record_download(&state.db, Downloaded::MessageFile(id), Downloader::Applicant).await?;
    super::file_response(file, &attachment.file.name, &attachment.file.content_type)
}
