use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue, HeaderValue,
    TryIntoHeaderValue as _,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::MaybeApplicant;
use crate::error::AppError;
use crate::state::AppState;

/// Downloads one of your uploads (logged in, or with the owner token of an
/// anonymous upload as `X-Upload-Token`), as an attachment with its name and type.
#[utoipa::path(tag = "uploads", security((), ("bearer" = [])), params(
    ("id" = Uuid, Path, description = "The upload's id"),
    ("X-Upload-Token" = Option<String>, Header, description = "The owner token of an anonymous upload")
), responses(
    (status = 200, description = "The file's bytes, with its media type", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 401, description = "Neither logged in nor an owner token sent", body = ApiError),
    (status = 404, description = "No such upload of yours", body = ApiError)
))]
#[get("/me/uploads/{id}")]
pub async fn get_my_upload(
    state: web::Data<AppState>,
    who: MaybeApplicant,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let token = crate::submission::upload_token(&req)?;
    let owner = crate::submission::upload_owner(who.0.as_ref(), token.as_deref());
    if owner.is_nobody() {
        return Err(AppError::unauthenticated(
            "unauthenticated",
            "Log in, or send the upload's owner token as X-Upload-Token.",
        ));
    }
    let not_found = || AppError::NotFound("You have no upload with that id.".into());
    let upload = crate::db::uploads::find(&state.db, *id).await?.filter(|u| owner.owns(u)).ok_or_else(not_found)?;
    let path = state.settings.uploads.dir.join(upload.id.to_string());
    let file = actix_files::NamedFile::open_async(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => not_found(),
        _ => AppError::internal(format!("upload read: {e}")),
    })?;
    let mut resp = file.use_etag(false).use_last_modified(false).disable_content_disposition().into_response(&req);
    let ascii: String = upload
        .name
        .chars()
        .map(|c| if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' { c } else { '_' })
        .collect();
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: upload.name.into_bytes(),
            }),
        ],
    };
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_DISPOSITION, disposition.try_into_value().map_err(AppError::internal)?);
    let content_type = HeaderValue::from_str(&upload.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(resp)
}
