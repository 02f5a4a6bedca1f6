//! Case documents: decisions and other documents a handler attaches to a
//! case (stored through [`crate::storage`], typed by their content), listed
//! and downloaded by the case's handlers and by its applicant; every
//! download is recorded. Also the handlers' download of the applicant's
//! attachments (and the applicant's own, on Min sida), and the files sent
//! with messages (both directions).
//! Handlers not permitted on the case's service, and other applicants, get 404.

pub mod attach_case_document;
pub mod attach_message_file;
pub mod get_case_attachment;
pub mod get_case_document;
pub mod get_case_message_attachment;
pub mod get_my_case_attachment;
pub mod get_my_case_document;
pub mod get_my_message_attachment;
pub mod list_case_documents;
pub mod list_my_case_documents;

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};

use crate::error::AppError;
use crate::storage::StoredFile;

/// Longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// A file name that is safe to store, show and offer for saving: no path
/// separators, control or invisible formatting characters (such as the
/// right-to-left override that disguises `fdp.exe` as `exe.pdf`) or quotes;
/// no leading dots or surrounding white space. `None` when nothing is left.
pub fn safe_file_name(name: &str) -> Option<String> {
    let cleaned: String = name
        .chars()
        .filter(|&c| {
            !(c.is_control()
                || matches!(c, '/' | '\\' | '"')
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'))
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim_start();
    let cleaned: String = cleaned.chars().take(MAX_NAME_CHARS).collect();
    (!cleaned.is_empty()).then_some(cleaned)
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`
/// (RFC 6266), from a name made safe first.
pub fn content_disposition(name: &str) -> String {
    let name = safe_file_name(name).unwrap_or_else(|| "file".into());
    let ascii: String = name
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'Å' | 'Ä' | 'Á' | 'À' => 'A',
            'ö' | 'ó' | 'ø' => 'o',
            'Ö' | 'Ó' | 'Ø' => 'O',
            'é' | 'è' | 'ë' => 'e',
            'É' | 'È' | 'Ë' => 'E',
            'ü' | 'ú' => 'u',
            'Ü' | 'Ú' => 'U',
            c if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '%' | ';' | '\\' | '"') => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        // RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A stored file as a download: its bytes with their length and type, saved
/// under its (safe) name, never cached, never rendered as a page.
pub fn file_response(file: StoredFile, name: &str, content_type: &str) -> Result<HttpResponse, AppError> {
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

/// The bytes of a message attachment, from the store it is in.
pub async fn message_file(
    state: &crate::state::AppState,
    a: &crate::db::attachments::AttachmentRecord,
) -> Result<StoredFile, AppError> {
    let store = match a.store {
        crate::db::attachments::Store::Uploads => &state.storage.uploads,
        crate::db::attachments::Store::Documents => &state.storage.documents,
    };
    store.get(&a.file.id.to_string()).await?.ok_or_else(|| missing_file("message attachment", a.file.id))
}

/// A stored file that is missing although its record exists: the store and
/// the database disagree (logged), and the caller sees 404.
pub fn missing_file(what: &str, id: uuid::Uuid) -> AppError {
    tracing::error!(file.kind = what, file.id = %id, "a recorded file is missing from the store");
    AppError::NotFound(format!("The {what} is not available."))
}

/// A file the applicant sent with case `case_id` (an upload the case took) as
/// a download: its bytes, name, and the type told from its content (never the
/// one the applicant's browser claimed). 404 when the case took no such upload.
pub async fn case_upload(
    state: &crate::state::AppState,
    case_id: uuid::Uuid,
    upload_id: uuid::Uuid,
) -> Result<HttpResponse, AppError> {
    use crate::storage::sniff::{HEAD_BYTES, sniff};
    let upload = crate::db::uploads::find(&state.db, upload_id)
        .await?
        .filter(|u| u.case_id == Some(case_id))
        .ok_or_else(|| AppError::NotFound("The case has no attachment with that id.".into()))?;
    let mut file = state
        .storage
        .uploads
        .get(&upload.id.to_string())
        .await?
        .ok_or_else(|| missing_file("attachment", upload.id))?;
    let (head, body) = crate::storage::peek(file.body, HEAD_BYTES).await.map_err(AppError::internal)?;
    file.body = body;
    let content_type = sniff(&head, head.len() as u64 >= file.size).media_type();
    file_response(file, &upload.name, content_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_separators_controls_quotes_and_invisible_overrides() {
        assert_eq!(safe_file_name("../../etc/passwd").as_deref(), Some("etcpasswd"));
        assert_eq!(safe_file_name("a\\b\"c\r\nd\0.pdf").as_deref(), Some("abcd.pdf"));
        assert_eq!(safe_file_name("faktura\u{202e}fdp.exe").as_deref(), Some("fakturafdp.exe"));
        assert_eq!(safe_file_name(" .hidden ").as_deref(), Some("hidden"));
        assert_eq!(safe_file_name("/\\\"\u{0007}"), None);
        assert_eq!(safe_file_name(&"x".repeat(300)).map(|n| n.len()), Some(MAX_NAME_CHARS));
    }

    #[test]
    fn the_disposition_has_an_ascii_fallback_and_the_utf8_name() {
        assert_eq!(
            content_disposition("Beslut åäö \"x\";.pdf"),
            "attachment; filename=\"Beslut aao x_.pdf\"; filename*=UTF-8''Beslut%20%C3%A5%C3%A4%C3%B6%20x%3B.pdf"
        );
        assert_eq!(
            content_disposition("日本.pdf"),
            "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf"
        );
    }
}
