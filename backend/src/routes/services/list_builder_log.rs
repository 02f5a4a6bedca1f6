use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, BuilderAuditEntry, Page};

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::routes::{PageQuery, admin_service, page_request};
use crate::state::AppState;

/// What was done to a service in the builder, newest first: who created, copied, saved,
/// published (with the note), restored, unpublished it or changed who may handle it, and
/// when. Platform admins only.
#[utoipa::path(tag = "services", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"), PageQuery
), responses(
    (status = 200, description = "One page of the log", body = Page<BuilderAuditEntry>),
    (status = 400, description = "A limit out of range, or a cursor that is not one", body = ApiError),
    (status = 404, description = "No such service", body = ApiError)
))]
#[get("/services/{slug}/log")]
pub async fn list_builder_log(
    state: web::Data<AppState>,
    _admin: Admin,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let service = admin_service(&state, &slug).await?;
    let (limit, after) = page_request(query.limit, query.after.as_deref())?;
    let rows = crate::db::builder_audit::list(&state.db, &service.slug, limit + 1, after).await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, limit, |e| e.id.to_string())))
}
