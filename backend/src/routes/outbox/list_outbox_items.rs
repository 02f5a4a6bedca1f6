use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::api::{ApiError, OutboxList, OutboxStatus, Page};
use utoipa::IntoParams;

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::state::AppState;

/// Filters and paging of the outbox list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only items with this status, e.g. `dead`.
    pub status: Option<OutboxStatus>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 25), a whole number written without a decimal point
    /// (`25`; `25.0` is refused with 400 `invalid_query`).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// The e-mail outbox, newest first, with counts per status: what waits,
/// what was sent, and what was given up on (`dead`, with the last error).
/// Platform admins only. The mails' texts are not shown.
#[utoipa::path(tag = "outbox", security(("bearer" = [])), params(OutboxQuery), responses(
    (status = 200, description = "A page of items", body = OutboxList),
    (status = 403, description = "Not a platform admin", body = ApiError)
))]
#[get("/outbox")]
pub async fn list_outbox_items(
    state: web::Data<AppState>,
    _admin: Admin,
    q: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    let (limit, after) = crate::routes::page_request(q.limit, q.after.as_deref())?;
    let status = q.status.map(|s| match s {
        OutboxStatus::Pending => crate::db::outbox::PENDING,
        OutboxStatus::Sent => crate::db::outbox::SENT,
        OutboxStatus::Dead => crate::db::outbox::DEAD,
    });
    let rows = crate::db::outbox::list(&state.db, status, after, limit + 1).await?;
    let page = Page::of(rows, limit, |r| r.id.to_string()).map(super::view);
    let counts = crate::db::outbox::counts(&state.db).await?;
    let count = |s: &str| counts.iter().find(|(k, _)| k == s).map(|(_, n)| (*n).max(0) as u64).unwrap_or(0);
    Ok(HttpResponse::Ok().json(OutboxList {
        pending: count(crate::db::outbox::PENDING),
        sent: count(crate::db::outbox::SENT),
        dead: count(crate::db::outbox::DEAD),
        page,
    }))
}
