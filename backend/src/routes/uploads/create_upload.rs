use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine as _;
use rand::RngCore as _;
use shared::api::{ApiError, UploadedFile};

use crate::auth::extract::MaybeApplicant;
use crate::db::uploads::UploadRecord;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

use crate::headers::UploadToken;
/// Longest accepted file name, in characters.
use crate::storage::names::MAX_NAME_CHARS;

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn file_name(req: &HttpRequest) -> Result<String, AppError> {
    let bad = || {
        AppError::new(
            ErrorCode::InvalidFileName,
            format!(
                "Send the file name in the X-File-Name header, percent-encoded UTF-8: 1 to {MAX_NAME_CHARS} characters, without '/', '\\' or control characters."
            ),
        )
    };
    let raw = req.headers().get("X-File-Name").ok_or_else(bad)?.to_str().map_err(|_| bad())?;
    let name = percent_decode(raw).ok_or_else(bad)?;
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS || name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return Err(bad());
    }
    // Stored as it will be shown: without bidirectional overrides and other invisible
    // characters that can hide `.exe` behind `fdp.`, and without leading dots.
    crate::storage::names::safe_file_name(name).ok_or_else(bad)
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
}

/// The media type from `Content-Type` (`type/subtype`, lowercased, with any
/// parameters); `application/octet-stream` when none is sent.
fn media_type(req: &HttpRequest) -> Result<String, AppError> {
    let Some(v) = req.headers().get(actix_web::http::header::CONTENT_TYPE) else {
        return Ok("application/octet-stream".into());
    };
    let bad = || {
        AppError::new(
            ErrorCode::InvalidContentType,
            "Send the file's media type as Content-Type, e.g. application/pdf.",
        )
    };
    let s = v.to_str().map_err(|_| bad())?.trim();
    let (essence, params) = match s.split_once(';') {
        Some((e, p)) => (e.trim(), Some(p.trim())),
        None => (s, None),
    };
    let (kind, sub) = essence.split_once('/').ok_or_else(bad)?;
    if !is_token(kind) || !is_token(sub) {
        return Err(bad());
    }
    let essence = essence.to_ascii_lowercase();
    let media_type = match params.filter(|p| !p.is_empty()) {
        Some(p) => format!("{essence}; {p}"),
        None => essence,
    };
    if media_type.len() > 255 {
        return Err(bad());
    }
    Ok(media_type)
}

fn new_owner_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Uploads one file for a file field: the raw bytes as the body, the file's
/// media type as `Content-Type` and its name, percent-encoded UTF-8, as
/// `X-File-Name`. Works logged in (the file is the applicant's) and
/// anonymously: then the answer carries an `owner_token`; send it as
/// `X-Upload-Token` with further uploads of the same submission (they then
/// share it) and with the submission, which may use only files of its
/// owner. Put `{id, name, size, content_type}` in the file field's answer.
/// The `content_type` stored and answered is told from the file's content
/// (a PDF, PNG, JPEG, GIF, WebP, Word, Excel, OpenDocument or plain text
/// file, or `application/octet-stream`), never taken from the Content-Type
/// sent or the name; the name is stored without control, bidirectional and
/// other invisible characters. A file no submitted case takes within 24
/// hours is deleted.
#[utoipa::path(tag = "uploads", security((), ("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file's bytes, with a well-formed Content-Type (its value is not trusted: the type is told from the content; file fields restrict types at submission)"),
    params(
        ("X-File-Name" = String, Header, description = "The file name, percent-encoded UTF-8, e.g. `Ritning%20v%C3%A5ning%201.pdf`"),
        ("X-Upload-Token" = Option<String>, Header, description = "Anonymous uploaders: the owner token of an earlier upload, to upload under the same owner")
    ),
    responses(
        (status = 201, description = "Stored; refer to it by `id` in a file field's answer", body = UploadedFile),
        (status = 400, description = "No or a malformed file name, media type or owner token, an empty file, or a broken transfer", body = ApiError),
        (status = 413, description = "The file is larger than the configured limit (`uploads.max_bytes`); nothing is kept", body = ApiError)
    )
)]
#[post("/uploads")]
pub async fn create_upload(
    state: web::Data<AppState>,
    who: MaybeApplicant,
    UploadToken(token): UploadToken,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    let name = file_name(&req)?;
    // The client's type is checked for form only: the stored type is told from the content.
    media_type(&req)?;
    let applicant = who.0;
    // A logged-in applicant owns the file by personnummer; anyone else by a token.
    let owner_token = match &applicant {
        Some(_) => None,
        None => Some(token.unwrap_or_else(new_owner_token)),
    };

    let file =
        crate::files::receive(&state.storage.uploads, &req, body, state.settings.uploads.max_bytes, |_| Ok(())).await?;
    let (id, size, content_type) = (file.id, file.size, file.file_type.media_type().to_string());
    let record = UploadRecord {
        id,
        personnummer: applicant.as_ref().map(|a| a.personnummer.as_digits()),
        owner_token_hash: owner_token.as_deref().map(crate::submission::token_hash),
        name,
        content_type,
        size,
        sha256: file.sha256.clone(),
        case_id: None,
        created_at: chrono::Utc::now(),
    };
    crate::db::uploads::create(&state.db, &record).await?;
    file.keep();
    Ok(crate::routes::created(&format!("/me/uploads/{id}")).insert_header(("Cache-Control", "no-store")).json(
        UploadedFile { id: id.to_string(), name: record.name, size, content_type: record.content_type, owner_token },
    ))
}
