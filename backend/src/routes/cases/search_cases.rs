use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use shared::api::{ApiError, CaseSummary, Page};

use super::list_cases::{ListCasesQuery, list};
use crate::auth::extract::{StaffWith, role};
use crate::error::AppError;
use crate::state::AppState;

/// A search of the case list: the list's filters and an applicant's
/// personnummer, in the body, so that the number never stands in a URL (and
/// so in no proxy's, load balancer's or browser's log).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CaseSearch {
    /// The filters of `GET /cases`.
    #[serde(flatten)]
    pub filters: ListCasesQuery,
    /// Only cases of this applicant (any accepted personnummer format).
    pub personnummer: Option<String>,
}

/// Searches the cases of the services the handler is permitted on: the
/// filters of `GET /cases` and the applicant's personnummer, in the body
/// (DIGG's REST API profile: no personal identity number in a URL). Pages
/// like the list: send `next_cursor` as `after` with the same search.
#[utoipa::path(tag = "cases", security(("bearer" = [])), request_body = CaseSearch, responses(
    (status = 200, description = "A page of cases", body = Page<CaseSummary>),
    (status = 400, description = "A filter or the personnummer is not valid", body = ApiError),
    (status = 403, description = "Not a handler, or not permitted on the service", body = ApiError)
))]
#[post("/cases/search")]
pub async fn search_cases(
    state: web::Data<AppState>,
    user: StaffWith<role::Handler>,
    body: web::Json<CaseSearch>,
) -> Result<HttpResponse, AppError> {
    let CaseSearch { filters, personnummer } = body.into_inner();
    Ok(HttpResponse::Ok().json(list(&state, &user, filters, personnummer.as_deref()).await?))
}
