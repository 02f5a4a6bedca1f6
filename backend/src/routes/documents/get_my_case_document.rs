use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::db::downloads::{Downloaded, Downloader};
use crate::error::AppError;
use crate::state::AppState;

/// Downloads a decision or another document on one of your cases, as an
/// attachment with its name and type. The download is recorded.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("id" = Uuid, Path, description = "The document's id")
), responses(
    (status = 200, description = "The file's bytes, with its media type", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 404, description = "No such case of yours, or no such document on it", body = ApiError)
))]
#[get("/me/cases/{reference}/documents/{id}")]
pub async fn get_my_case_document(
    state: web::Data<AppState>,
    me: Applicant,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (reference, id) = path.into_inner();
    let (rec, _) = crate::routes::me::my_case(&state, &me, &reference).await?;
    crate::files::download(&state, rec.id, Downloaded::Document(id), Downloader::Applicant).await
}
