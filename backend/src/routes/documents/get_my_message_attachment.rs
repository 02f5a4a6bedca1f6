use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::db::downloads::{Downloaded, Downloader};
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
    let (rec, _) = crate::routes::me::my_case(&state, &me, &reference).await?;
    crate::files::download(&state, rec.id, Downloaded::MessageFile(id), Downloader::Applicant).await
}
