use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, Page, PurgeLog, PurgeRecordView};

use crate::error::AppError;
use crate::routes::PageQuery;
use crate::state::AppState;

/// The service's purge log, newest first: one record per purged case, with
/// its reference, dates, the rule that applied and counts of what was removed
/// — never personal data. Platform admins and the service's owners.
#[utoipa::path(tag = "retention", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name"), PageQuery), responses(
    (status = 200, description = "A page of purge records", body = Page<PurgeRecordView>),
    (status = 400, description = "A limit out of range", body = ApiError),
    (status = 403, description = "Neither platform admin nor service owner", body = ApiError),
    (status = 404, description = "No such service that you own", body = ApiError)
))]
#[get("/services/{slug}/purge-log")]
pub async fn list_purge_log(
    state: web::Data<AppState>,
    user: super::Keeper,
    slug: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let rules = super::owned_service(&state, &user, &slug).await?;
    let (limit, after) = crate::routes::page_request(q.limit, q.after.as_deref())?;
    let rows = crate::db::retention::purge_log(&state.db, &rules, after, limit + 1).await?;
    let page: PurgeLog = Page::of(rows, limit, |r| r.id.to_string());
    Ok(HttpResponse::Ok().json(page))
}
