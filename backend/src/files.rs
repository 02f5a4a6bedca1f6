//! One way in and one way out for a case's files. [`receive`] takes a
//! request body as a new file: refused before anything is read when its
//! declared length is over the limit, refused when empty, typed by its
//! first bytes (never by what the client says), streamed into the store
//! with its size bounded and its SHA-256 taken, and deleted again unless the
//! caller keeps it after writing its record. [`download`] finds a case's
//! file, reads it, records the download and answers it under a safe name;
//! [`respond`] is the one download response.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::db::downloads::{Downloaded, Downloader};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;
use crate::storage::names::content_disposition;
use crate::storage::sniff::{FileType, HEAD_BYTES, sniff};
use crate::storage::{DeleteOnDrop, FileStore, StoreError, StoredFile};

/// A file received and stored, not yet recorded: unless [`Received::keep`]
/// is called, it is deleted from the store when dropped.
pub struct Received {
    /// The new file's id, also its key in the store.
    pub id: Uuid,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// Its type, told from its content.
    pub file_type: FileType,
    stored: DeleteOnDrop,
}

impl Received {
    /// Keeps the file: its record is written.
    pub fn keep(self) {
        self.stored.disarm();
    }
}

/// The body's declared length, from `Content-Length`.
fn declared_length(req: &HttpRequest) -> Option<u64> {
    req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

/// Receives the request body as a new file in `store`, at most `max` bytes;
/// `accept` decides on the type told from the first bytes, before anything
/// is stored.
pub async fn receive(
    store: &Arc<dyn FileStore>,
    req: &HttpRequest,
    body: web::Payload,
    max: u64,
    accept: impl FnOnce(FileType) -> Result<(), AppError>,
) -> Result<Received, AppError> {
    if declared_length(req).is_some_and(|n| n > max) {
        return Err(AppError::PayloadTooLarge(usize::try_from(max).unwrap_or(usize::MAX)));
    }
    let (stream, tally) = crate::storage::limited(crate::storage::from_payload(body), max);
    let (head, stream) = crate::storage::peek(stream, HEAD_BYTES).await.map_err(StoreError::Body)?;
    if head.is_empty() {
        return Err(AppError::new(ErrorCode::EmptyFile, "The file is empty."));
    }
    let file_type = sniff(&head, head.len() < HEAD_BYTES);
    accept(file_type)?;
    let id = Uuid::now_v7();
    let key = id.to_string();
    let size = store.put(&key, stream).await?;
    let stored = DeleteOnDrop::new(store.clone(), &key);
    let sha256 = tally
        .lock()
        .ok()
        .and_then(|t| t.sha256.clone())
        .ok_or_else(|| AppError::internal("a received file's digest is missing"))?;
    Ok(Received { id, size, sha256, file_type, stored })
}

/// A stored file as a download: its bytes with their length and type, saved
/// under its (safe) name, never cached, never rendered as a page.
pub fn respond(file: StoredFile, name: &str, content_type: &str) -> Result<HttpResponse, AppError> {
    let content_type =
        HeaderValue::from_str(content_type).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(name)).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox")))
        .body(actix_web::body::SizedStream::new(file.size, file.body)))
}

/// A stored file that is missing although its record exists: the store and
/// the database disagree (logged), and the caller sees 404.
fn missing_file(what: &str, id: Uuid) -> AppError {
    tracing::error!(file.kind = what, file.id = %id, "a recorded file is missing from the store");
    AppError::NotFound(format!("The {what} is not available."))
}

/// Reads a recorded file from `store`.
async fn read(store: &Arc<dyn FileStore>, what: &str, id: Uuid) -> Result<StoredFile, AppError> {
    store.get(&id.to_string()).await?.ok_or_else(|| missing_file(what, id))
}

/// Downloads a file of case `case_id` for `by`: a document, a file sent with
/// a message (the applicant gets a handler's file only once a message sent
/// it), or a file the applicant sent with the case (served with the type
/// told from its content, never the one their browser claimed). The download
/// is recorded; anything the case does not have is 404.
pub async fn download(
    state: &AppState,
    case_id: Uuid,
    what: Downloaded,
    by: Downloader,
) -> Result<HttpResponse, AppError> {
    let whose = if by == Downloader::Applicant { "Your case" } else { "The case" };
    let response = match what {
        Downloaded::Document(id) => {
            let document = crate::db::documents::find(&state.db, case_id, id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("{whose} has no document with that id.")))?;
            let file = read(&state.storage.documents, "document", document.id).await?;
            respond(file, &document.name, &document.content_type)?
        }
        Downloaded::MessageFile(id) => {
            let attachment = crate::db::attachments::find(&state.db, case_id, id)
                .await?
                .filter(|a| by != Downloader::Applicant || a.message_id.is_some())
                .ok_or_else(|| AppError::NotFound(format!("{whose} has no message attachment with that id.")))?;
            let store = match attachment.store {
                crate::db::attachments::Store::Uploads => &state.storage.uploads,
                crate::db::attachments::Store::Documents => &state.storage.documents,
            };
            let file = read(store, "message attachment", attachment.file.id).await?;
            respond(file, &attachment.file.name, &attachment.file.content_type)?
        }
        Downloaded::Upload(id) => {
            let upload = crate::db::uploads::find(&state.db, id)
                .await?
                .filter(|u| u.case_id == Some(case_id))
                .ok_or_else(|| AppError::NotFound(format!("{whose} has no attachment with that id.")))?;
            let mut file = read(&state.storage.uploads, "attachment", upload.id).await?;
            let (head, body) = crate::storage::peek(file.body, HEAD_BYTES).await.map_err(AppError::internal)?;
            file.body = body;
            let content_type = sniff(&head, head.len() as u64 >= file.size).media_type();
            respond(file, &upload.name, content_type)?
        }
    };
    crate::db::downloads::record(&state.db, what, by).await?;
    Ok(response)
}
