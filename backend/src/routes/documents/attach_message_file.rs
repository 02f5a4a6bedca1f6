use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use shared::api::ApiError;
use shared::handling::MessageAttachment;
use uuid::Uuid;

use crate::db::attachments::{NewAttachment, Store};
use crate::error::{AppError, ErrorCode};
use crate::handling::{HandledCase, act};
use crate::state::AppState;
use crate::storage::StoreError;
use crate::storage::sniff::{HEAD_BYTES, sniff};

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
    let name = super::safe_file_name(&query.name).ok_or_else(|| {
        AppError::new(ErrorCode::InvalidFileName, "Give the file a name (`name`), 1 to 255 characters.")
    })?;
    let max = state.settings.storage.document_max_bytes;
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(AppError::PayloadTooLarge(usize::try_from(max).unwrap_or(usize::MAX)));
    }
    let (stream, tally) = crate::storage::limited(crate::storage::from_payload(body), max);
    // The type is decided on the first bytes, before anything is stored.
    let (head, stream) = crate::storage::peek(stream, HEAD_BYTES).await.map_err(StoreError::Body)?;
    if head.is_empty() {
        return Err(AppError::new(ErrorCode::EmptyFile, "The file is empty."));
    }
    let file_type = sniff(&head, head.len() < HEAD_BYTES);
    if !crate::messaging::attachable(file_type) {
        return Err(crate::messaging::unsupported_type(file_type));
    }
    let id = Uuid::now_v7();
    let key = id.to_string();
    let store = state.storage.documents.clone();
    let size = store.put(&key, stream).await?;
    let stored = crate::storage::DeleteOnDrop::new(store, &key);
    let sha256 = tally
        .lock()
        .ok()
        .and_then(|t| t.sha256.clone())
        .ok_or_else(|| AppError::internal("message file: the digest is missing"))?;
    let file = crate::db::attachments::create_unsent(
        &state.db,
        &NewAttachment {
            id,
            case_id: rec.id,
            store: Store::Documents,
            name,
            content_type: file_type.media_type().to_string(),
            size,
            sha256,
            staff_id: Some(user.id),
        },
    )
    .await?;
    stored.disarm();
    tracing::info!(case.reference = %rec.reference, attachment.id = %id, attachment.size_bytes = size, "message file uploaded");
    Ok(crate::routes::created(&format!("/cases/{}/message-attachments/{id}", rec.reference)).json(file))
}
