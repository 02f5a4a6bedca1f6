use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::api::{ApiError, OutboxList, OutboxStatus};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::extract::Admin;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Filters and paging of the outbox list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only items with this status, e.g. `dead`.
    pub status: Option<OutboxStatus>,
    /// The `next_cursor` of the previous page.
    pub after: Option<Uuid>,
    /// Page size, 1 to 200 (default 50), a whole number written without a decimal point
    /// (`25`; `25.0` is refused with 400 `invalid_query`).
    #[param(minimum = 1, maximum = 200)]
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
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::new(ErrorCode::InvalidLimit, "limit must be between 1 and 200."));
    }
    let status = q.status.map(|s| match s {
        OutboxStatus::Pending => crate::db::outbox::PENDING,
        OutboxStatus::Sent => crate::db::outbox::SENT,
        OutboxStatus::Dead => crate::db::outbox::DEAD,
    });
    let mut rows = crate::db::outbox::list(&state.db, status, q.after, limit + 1).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let counts = crate::db::outbox::counts(&state.db).await?;
    let count = |s: &str| counts.iter().find(|(k, _)| k == s).map(|(_, n)| (*n).max(0) as u64).unwrap_or(0);
    Ok(HttpResponse::Ok().json(OutboxList {
        pending: count(crate::db::outbox::PENDING),
        sent: count(crate::db::outbox::SENT),
        dead: count(crate::db::outbox::DEAD),
        items: rows.into_iter().map(super::view).collect(),
        next_cursor,
    }))
}
