use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::MaybeApplicant;
use crate::error::{AppError, ErrorCode};
use crate::headers::UploadToken;
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
    UploadToken(token): UploadToken,
) -> Result<HttpResponse, AppError> {
    let owner = crate::submission::upload_owner(who.0.as_ref(), token.as_deref());
    if owner.is_nobody() {
        return Err(AppError::new(
            ErrorCode::Unauthenticated,
            "Log in, or send the upload's owner token as X-Upload-Token.",
        ));
    }
    let not_found = || AppError::NotFound("You have no upload with that id.".into());
    let upload = crate::db::uploads::find(&state.db, *id).await?.filter(|u| owner.owns(u)).ok_or_else(not_found)?;
    let file = state.storage.uploads.get(&upload.id.to_string()).await?.ok_or_else(not_found)?;
    crate::files::respond(file, &upload.name, &upload.content_type)
}
