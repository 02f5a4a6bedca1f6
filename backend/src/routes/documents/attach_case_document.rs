use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use shared::api::ApiError;
use shared::documents::{CaseDocument, DocumentKind};

use crate::db::documents::NewDocument;
use crate::error::{AppError, ErrorCode};
use crate::handling::{HandledCase, act};
use crate::state::AppState;
use crate::storage::sniff::FileType;

/// What the document is and what it is called.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NewDocumentQuery {
    /// `decision` (a PDF) or `document` (PDF, PNG, JPEG, GIF, WebP, Word, Excel, OpenDocument text or spreadsheet, plain UTF-8 text).
    pub kind: DocumentKind,
    /// The file name to show and to save the download under, e.g. `Beslut bygglov.pdf` (URL-encoded like
    /// any query value), 1 to 255 characters; path separators, control characters and quotes are removed.
    pub name: String,
}

/// The types a kind of document may have.
fn allowed(kind: DocumentKind, t: FileType) -> bool {
    match kind {
        DocumentKind::Decision => t == FileType::Pdf,
        DocumentKind::Document => !matches!(t, FileType::Zip | FileType::Unknown),
    }
}

/// Attaches a decision or another document to a case: the file's raw bytes
/// as the body, its kind and name in the query, e.g.
/// `POST /api/v1/cases/HBG-2026-000123/documents?kind=decision&name=Beslut%20bygglov.pdf`.
/// The type is told from the content (the `Content-Type` header and the
/// name's extension are ignored); a type the kind does not allow is refused
/// with 422 `unsupported_file_type` and nothing is kept. The applicant sees
/// the document on Min sida and gets an e-mail (if the form gave an address)
/// that says only that there is a new document there. Handlers permitted on
/// the case's service only.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference"), NewDocumentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file's bytes (any Content-Type; the type is told from the content)"),
    responses(
        (status = 201, description = "Stored and attached", body = CaseDocument),
        (status = 400, description = "No or a bad kind or name, an empty file, or a broken transfer", body = ApiError),
        (status = 404, description = "No such case that you may handle", body = ApiError),
        (status = 413, description = "The file is larger than `storage.document_max_bytes`; nothing is kept", body = ApiError),
        (status = 422, description = "`unsupported_file_type`: the content is not a type the kind allows; nothing is kept", body = ApiError)
    )
)]
#[post("/cases/{reference}/documents")]
pub async fn attach_case_document(
    state: web::Data<AppState>,
    case: HandledCase<act::AttachDocument>,
    query: web::Query<NewDocumentQuery>,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (rec, service, user) = (&case.case, &case.service, &case.user);
    let NewDocumentQuery { kind, name } = query.into_inner();
    let name = crate::storage::names::safe_file_name(&name).ok_or_else(|| {
        AppError::new(ErrorCode::InvalidFileName, "Give the file a name (`name`), 1 to 255 characters.")
    })?;
    let file = crate::files::receive(
        &state.storage.documents,
        &req,
        body,
        state.settings.storage.document_max_bytes,
        |file_type| {
            if allowed(kind, file_type) {
                return Ok(());
            }
            let what = match file_type {
                FileType::Unknown => "of a type the platform does not accept".to_string(),
                other => format!("{} content", other.media_type()),
            };
            Err(AppError::new(
                ErrorCode::UnsupportedFileType,
                match kind {
                    DocumentKind::Decision => format!("A decision must be a PDF; this file is {what}."),
                    DocumentKind::Document => format!(
                        "This file is {what}. Attach a PDF, an image (PNG, JPEG, GIF, WebP), a Word, Excel or OpenDocument file, or plain text."
                    ),
                },
            ))
        },
    )
    .await?;
    let (id, size) = (file.id, file.size);
    let document = crate::db::documents::create(
        &state.db,
        &NewDocument {
            id,
            case_id: rec.id,
            kind,
            name,
            content_type: file.file_type.media_type().to_string(),
            size,
            sha256: file.sha256.clone(),
            created_by: user.id,
        },
        crate::messaging::mails_about(&state, rec, service, &crate::outbox::DOCUMENT_ADDED),
    )
    .await?;
    file.keep();
    state.outbox_wake.notify_one();
    tracing::info!(case.reference = %rec.reference, document.id = %id, document.kind = kind.as_str(), document.size_bytes = size, "document attached");
    Ok(crate::routes::created(&format!("/cases/{}/documents/{id}", rec.reference)).json(document))
}
