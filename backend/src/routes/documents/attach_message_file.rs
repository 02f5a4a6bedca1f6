use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use shared::api::ApiError;
use shared::handling::MessageAttachment;

use crate::db::attachments::{NewAttachment, Store};
use crate::error::{AppError, ErrorCode};
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// What the file is called.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageFileQuery {
    /// The file name to show and to save the download under (URL-encoded like any query value), 1 to 255
    /// characters; path separators, control characters and quotes are removed.
    pub name: String,
}

/// Uploads a file to send with a message to the applicant: the file's raw
/// bytes as the body, its name in the query. The answer's `id` goes into the
/// message's `attachments`; until a message of this case takes it, the file
/// is the handlers' only. The type is told from the content (a PDF, an image,
/// a Word, Excel or OpenDocument file, or plain text; anything else is 422
/// `unsupported_file_type` and nothing is kept), the size is limited like a
/// document's. Handlers permitted on the case's service only.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference"), MessageFileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file's bytes (any Content-Type; the type is told from the content)"),
    responses(
        (status = 201, description = "Stored; send it with a message by its id", body = MessageAttachment),
        (status = 400, description = "No or a bad name, an empty file, or a broken transfer", body = ApiError),
        (status = 404, description = "No such case that you may handle", body = ApiError),
        (status = 413, description = "The file is larger than `storage.document_max_bytes`; nothing is kept", body = ApiError),
        (status = 422, description = "`unsupported_file_type`: the content is not a type a message may carry; nothing is kept", body = ApiError)
    )
)]
#[post("/cases/{reference}/message-attachments")]
pub async fn attach_message_file(
    state: web::Data<AppState>,
    case: HandledCase<act::AttachMessageFile>,
    query: web::Query<MessageFileQuery>,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (rec, user) = (&case.case, &case.user);
    let name = crate::storage::names::safe_file_name(&query.name).ok_or_else(|| {
        AppError::new(ErrorCode::InvalidFileName, "Give the file a name (`name`), 1 to 255 characters.")
    })?;
    let received = crate::files::receive(
        &state.storage.documents,
        &req,
        body,
        state.settings.storage.document_max_bytes,
        |file_type| {
            if crate::messaging::attachable(file_type) {
                Ok(())
            } else {
                Err(crate::messaging::unsupported_type(file_type))
            }
        },
    )
    .await?;
    let (id, size) = (received.id, received.size);
    let file = crate::db::attachments::create_unsent(
        &state.db,
        &NewAttachment {
            id,
            case_id: rec.id,
            store: Store::Documents,
            name,
            content_type: received.file_type.media_type().to_string(),
            size,
            sha256: received.sha256.clone(),
            staff_id: Some(user.id),
        },
    )
    .await?;
    received.keep();
    tracing::info!(case.reference = %rec.reference, attachment.id = %id, attachment.size_bytes = size, "message file uploaded");
    Ok(crate::routes::created(&format!("/cases/{}/message-attachments/{id}", rec.reference)).json(file))
}
