use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, FormVersionView};

use crate::auth::extract::ServiceBuilder;
use crate::error::AppError;
use crate::state::AppState;

/// One version of a service's form. Its `ETag` is its revision: send it back in `If-Match`
/// when saving a draft. Platform admins, and service owners of the service.
#[utoipa::path(tag = "forms", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("version" = u32, Path, description = "The version number")
), responses(
    (status = 200, description = "The version", body = FormVersionView),
    (status = 404, description = "No such version", body = ApiError)
))]
#[get("/services/{slug}/forms/{version}")]
pub async fn get_form_version(
    state: web::Data<AppState>,
    user: ServiceBuilder,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let (_, view) = super::built_version(&state, &user, &slug, version).await?;
    Ok(HttpResponse::Ok().insert_header(crate::headers::etag(view.revision)).json(view))
}
