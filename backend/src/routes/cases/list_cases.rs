use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use shared::Personnummer;
use shared::api::{ApiError, CaseList, CaseSummary, Page};
use uuid::Uuid;

use crate::auth::extract::{StaffUser, StaffWith, role};
use crate::db::cases::CaseFilter;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Filters of the case list. (A personnummer is searched for with
/// `POST /cases/search`, in the body: never in a URL.)
#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ListCasesQuery {
    /// Only cases of this service (URL name).
    pub service: Option<String>,
    /// Only cases in this status (key).
    pub status: Option<String>,
    /// Only the case with this reference.
    pub reference: Option<String>,
    /// `me` (assigned to the caller), `unassigned`, or a handler's id.
    pub assignee: Option<String>,
    /// Only cases submitted on or after this day (`YYYY-MM-DD`, UTC).
    pub submitted_from: Option<String>,
    /// Only cases submitted on or before this day (`YYYY-MM-DD`, UTC).
    pub submitted_to: Option<String>,
    /// `newest` (default) or `oldest` first.
    pub sort: Option<String>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 25), a whole number written without a decimal point
    /// (`25`; `25.0` is refused with 400 `invalid_query`).
    #[param(minimum = 1, maximum = 100)]
    #[schema(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// Lists the cases of the services the handler is permitted on, newest (or
/// oldest) first, with keyset pagination: any page is as fast as the first.
/// Filters: service, status, assignee (`me`, `unassigned`, a handler's id),
/// submission dates, reference. To find an applicant's cases, send the
/// personnummer in the body of `POST /cases/search`.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(ListCasesQuery), responses(
    (status = 200, description = "A page of cases", body = Page<CaseSummary>),
    (status = 400, description = "A filter is not valid, or a personnummer was sent in the URL (`personnummer_in_url`: use `POST /cases/search`)", body = ApiError),
    (status = 403, description = "Not a handler (the message says so, and where a platform admin finds a case), or not permitted on the service", body = ApiError)
))]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    user: StaffWith<role::Handler>,
    req: HttpRequest,
    q: web::Query<ListCasesQuery>,
) -> Result<HttpResponse, AppError> {
    // Refused rather than ignored: a filter silently dropped would answer with every case.
    if req.query_string().split('&').any(|pair| pair.split('=').next() == Some("personnummer")) {
        return Err(AppError::new(
            ErrorCode::PersonnummerInUrl,
            "A personnummer never goes in a URL: send it in the body of POST /api/v1/cases/search.",
        ));
    }
    Ok(HttpResponse::Ok().json(list(&state, &user, q.into_inner(), None).await?))
}

/// The page of cases the filters (and the applicant's personnummer, if one is
/// searched for) select among the services `user` is permitted on.
pub async fn list(
    state: &AppState,
    user: &StaffUser,
    q: ListCasesQuery,
    personnummer: Option<&str>,
) -> Result<CaseList, AppError> {
    let (limit, after) = crate::routes::page_request(q.limit, q.after.as_deref())?;
    let personnummer = personnummer
        .map(Personnummer::parse)
        .transpose()
        .map_err(|e| AppError::new(ErrorCode::InvalidPersonnummer, format!("personnummer: {e}.")))?
        .map(|p| p.as_digits());
    let assignee = match q.assignee.as_deref() {
        None => None,
        Some("me") => Some(Some(user.id)),
        Some("unassigned") => Some(None),
        Some(id) => Some(Some(Uuid::parse_str(id).map_err(|_| {
            AppError::new(ErrorCode::InvalidFilter, "assignee must be 'me', 'unassigned' or a handler's id.")
        })?)),
    };
    let day = |v: &Option<String>, name: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
        v.as_deref()
            .map(|d| {
                shared::date::parse_iso_date(d).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()).ok_or_else(
                    || AppError::new(ErrorCode::InvalidDate, format!("{name} must be a date written YYYY-MM-DD.")),
                )
            })
            .transpose()
    };
    let submitted_from = day(&q.submitted_from, "submitted_from")?;
    let submitted_before = day(&q.submitted_to, "submitted_to")?.map(|t| t + chrono::Duration::days(1));
    let oldest_first = match q.sort.as_deref() {
        None | Some("newest") => false,
        Some("oldest") => true,
        Some(_) => return Err(AppError::new(ErrorCode::InvalidSort, "sort must be 'newest' or 'oldest'.")),
    };
    let mut service_ids = crate::db::staff::permitted_service_ids(&state.db, user.id).await?;
    if let Some(slug) = &q.service {
        let service = crate::db::services::get_ref(&state.db, slug).await?;
        match service {
            Some(s) if service_ids.contains(&s.id) => service_ids = vec![s.id],
            _ => {
                return Err(AppError::Forbidden(format!("You are not permitted on the service '{slug}'.")));
            }
        }
    }
    Ok(crate::db::cases::list(
        &state.db,
        CaseFilter {
            service_ids,
            status: q.status,
            reference: q.reference,
            personnummer,
            assignee,
            submitted_from,
            submitted_before,
            oldest_first,
            after,
            limit,
        },
    )
    .await?)
}
